//! Performance files in both layouts, the ways they go wrong, and the
//! "[See data]" indicators read from them against the shipped criteria sets.

use caseload_core::criteria::{CriteriaSet, Measure, SupportCategory};
use caseload_core::performance::{
    parse, suggestions, Figure, IndicatorKind, Layout, NoFigure, PerformanceFigure,
    PerformanceFile, PerformanceMeasure as M, Series, Suggestion, YearFigures,
};
use caseload_core::{AcademicYear, Urn};
use proptest::prelude::*;

const Y2023: AcademicYear = AcademicYear(2023);

fn parsed(text: &str, year: Option<AcademicYear>) -> PerformanceFile {
    parse(text.as_bytes(), year).unwrap_or_else(|error| panic!("refused: {error}"))
}

fn figure(file: &PerformanceFile, urn: u32, measure: M) -> &PerformanceFigure {
    file.figures
        .iter()
        .find(|figure| figure.urn == Urn(urn) && figure.measure == measure)
        .unwrap_or_else(|| panic!("no {measure:?} for {urn}"))
}

fn values(figure: &PerformanceFigure) -> [Figure; 3] {
    [figure.school, figure.la, figure.national]
}

const fn v(value: f64) -> Figure {
    Figure::Value(value)
}

const fn no(reason: NoFigure) -> Figure {
    Figure::Missing(reason)
}

const NOT_GIVEN: Figure = Figure::Missing(NoFigure::NotAvailable);

#[test]
fn the_long_layout_reads_each_row_as_a_figure_with_its_comparators() {
    let file = parsed(
        "urn,year,measure,value,la,national\n\
         990001,2023/24,ks2-rwm-expected,65%,59,61\n\
         990001,202324,ks4-progress8,-0.12,,\n\
         990002,2023-24,overall-absence,SUPP,5.9,5.5\n",
        None,
    );
    assert_eq!(file.layout, Layout::Long);
    assert_eq!(file.rows_read, 3);
    let rwm = figure(&file, 990001, M::Ks2RwmExpected);
    assert_eq!(rwm.year, Y2023);
    assert_eq!(rwm.id, "990001/202324/ks2-rwm-expected");
    assert_eq!(values(rwm), [v(65.0), v(59.0), v(61.0)]);
    assert_eq!(
        values(figure(&file, 990001, M::Ks4Progress8)),
        [v(-0.12), NOT_GIVEN, NOT_GIVEN]
    );
    assert_eq!(
        values(figure(&file, 990002, M::OverallAbsence)),
        [no(NoFigure::Suppressed), v(5.9), v(5.5)]
    );
}

#[test]
fn the_long_layout_finds_its_columns_by_name_and_may_leave_out_the_comparators() {
    let file = parsed(
        "Measure,URN,Value,Year\nphonics-year1,990003,78,2024/25\n",
        None,
    );
    assert_eq!(
        values(figure(&file, 990003, M::PhonicsYear1)),
        [v(78.0), NOT_GIVEN, NOT_GIVEN]
    );
    assert_eq!(file.figures[0].year, AcademicYear(2024));
}

/// A KS2 file shaped like `england_ks2final.csv`: schools, then authorities,
/// then England twice (all schools, then state-funded).
const KS2: &str = "RECTYPE,LEA,URN,SCHNAME,PTRWM_EXP,PTREAD_EXP,PTWRITTA_EXP,PTMAT_EXP,PTRWM_EXP_FSM6CLA1A,PTRWM_EXP_NotFSM6CLA1A\n\
1,990,990001,St Mary's,65%,75%,70%,72%,50%,70%\n\
1,990,990002,Castle Hill,SUPP,NE,LOWCOV,NP,SUPP,66%\n\
2,990,990013,Brookside,NA,x,c,,z,\n\
1,880,880001,Elsewhere,70,80,75,78,60,75\n\
4,990,,,58,70,68,70,44,66\n\
4,880,,,62,74,71,73,47,68\n\
5,,,,59,73,71,72,45,67\n\
7,,,,61,74,72,73,46.2,68.4\n";

#[test]
fn a_dfe_ks2_file_gives_each_school_its_authority_and_england() {
    let file = parsed(KS2, Some(Y2023));
    assert_eq!(file.layout, Layout::DfeWide);
    assert_eq!(file.rows_read, 8);
    assert_eq!(file.figures.len(), 4 * 5, "four schools, five measures");
    assert_eq!(
        values(figure(&file, 990001, M::Ks2RwmExpected)),
        [v(65.0), v(58.0), v(61.0)],
        "RECTYPE 7, England's state-funded figure, is the comparator"
    );
    assert_eq!(
        values(figure(&file, 880001, M::Ks2MathsExpected)),
        [v(78.0), v(73.0), v(73.0)],
        "each school is compared with its own authority"
    );
    assert_eq!(
        values(figure(&file, 990001, M::Ks2RwmDisadvantagedGap)),
        [v(20.0), v(22.0), v(22.2)],
        "the gap is other pupils minus disadvantaged, rounded to the file's precision"
    );
    assert!(file.figures.iter().all(|figure| figure.year == Y2023));
}

#[test]
fn every_code_for_a_missing_figure_is_kept_with_its_reason() {
    let file = parsed(KS2, Some(Y2023));
    let castle_hill = |measure| figure(&file, 990002, measure).school;
    assert_eq!(castle_hill(M::Ks2RwmExpected), no(NoFigure::Suppressed));
    assert_eq!(castle_hill(M::Ks2ReadingExpected), no(NoFigure::NoEntries));
    assert_eq!(
        castle_hill(M::Ks2WritingExpected),
        no(NoFigure::LowCoverage)
    );
    assert_eq!(castle_hill(M::Ks2MathsExpected), no(NoFigure::NotPublished));
    assert_eq!(
        castle_hill(M::Ks2RwmDisadvantagedGap),
        no(NoFigure::Suppressed),
        "a gap with a missing part is missing for that part's reason"
    );
    let brookside = |measure| figure(&file, 990013, measure).school;
    assert_eq!(brookside(M::Ks2RwmExpected), no(NoFigure::NotApplicable));
    assert_eq!(brookside(M::Ks2ReadingExpected), no(NoFigure::NotAvailable));
    assert_eq!(brookside(M::Ks2WritingExpected), no(NoFigure::Suppressed));
    assert_eq!(brookside(M::Ks2MathsExpected), no(NoFigure::NotAvailable));
    assert_eq!(
        brookside(M::Ks2RwmDisadvantagedGap),
        no(NoFigure::NotApplicable)
    );
}

#[test]
fn an_explore_education_statistics_file_reads_its_year_and_levels() {
    let file = parsed(
        "time_period,geographic_level,old_la_code,school_urn,susp_rate\n\
         202324,National,,,9.33\n\
         202324,Regional,,,8.0\n\
         202324,Local authority,990,,10.1\n\
         202324,School,990,990015,22.4\n\
         202223,School,990,990015,19.0\n",
        None,
    );
    assert_eq!(file.other_rows, 1, "the region is left out");
    let latest = file
        .figures
        .iter()
        .find(|figure| figure.year == Y2023)
        .expect("2023/24 figure");
    assert_eq!(values(latest), [v(22.4), v(10.1), v(9.33)]);
    let earlier = file
        .figures
        .iter()
        .find(|figure| figure.year == AcademicYear(2022))
        .expect("2022/23 figure");
    assert_eq!(
        values(earlier),
        [v(19.0), NOT_GIVEN, NOT_GIVEN],
        "no comparators for a year the file has none for"
    );
}

#[test]
fn without_a_record_type_rows_without_a_urn_are_the_authority_and_england() {
    let file = parsed(
        "LA,URN,PERCTOT,PPERSABS10\n990,990001,4.5,12.1\n990,,5.9,16.0\n,,6.1,17.0\n",
        Some(Y2023),
    );
    assert_eq!(
        values(figure(&file, 990001, M::OverallAbsence)),
        [v(4.5), v(5.9), v(6.1)]
    );
    assert_eq!(
        values(figure(&file, 990001, M::PersistentAbsence)),
        [v(12.1), v(16.0), v(17.0)]
    );
}

#[test]
fn a_ks4_file_with_its_year_column_reads_attainment_progress_and_the_gap() {
    let file = parsed(
        "RECTYPE,LEA,URN,YEAR,ATT8SCR,P8MEA,ATT8SCR_FSM6CLA1A,ATT8SCR_NFSM6CLA1A\n\
         1,990,990015,2023/24,44.1,-0.21,33.3,48.45\n\
         7,,,2023/24,45.9,-0.03,34.6,50.3\n",
        Some(Y2023),
    );
    assert_eq!(
        values(figure(&file, 990015, M::Ks4Progress8)),
        [v(-0.21), NOT_GIVEN, v(-0.03)]
    );
    assert_eq!(
        figure(&file, 990015, M::Ks4Attainment8DisadvantagedGap).school,
        v(15.15)
    );
}

/// Where a refusal points: line, field, and how the problem starts.
type Refusal = (usize, Option<&'static str>, &'static str);

const LONG: &str = "urn,year,measure,value,la,national\n";

#[test]
fn every_refusal_names_the_line_the_field_and_what_is_wrong() {
    let long = |rows: &str| format!("{LONG}{rows}").into_bytes();
    let cases: Vec<(&str, Vec<u8>, Option<AcademicYear>, Refusal)> = vec![
        (
            "unknown layout",
            b"school,score\n990001,5\n".to_vec(),
            None,
            (1, None, "not a performance file this app reads: expected the header urn,year,measure,value,la,national, or a DfE file with a URN column and at least one of PTRWM_EXP"),
        ),
        (
            "value not a number",
            long("990001,2023/24,ks2-rwm-expected,65,59,61\n990002,2023/24,ks2-rwm-expected,sixty,59,61\n"),
            None,
            (3, Some("value"), "\"sixty\" is not a number"),
        ),
        (
            "comparator not a number",
            long("990001,2023/24,ks2-rwm-expected,65,59,n/a\n"),
            None,
            (2, Some("national"), "\"n/a\" is not a number"),
        ),
        (
            "value out of range",
            long("990001,2023/24,ks4-attainment8,146,45,46\n"),
            None,
            (2, Some("value"), "146 is outside the range of KS4 Attainment 8 (0 to 90)"),
        ),
        (
            "year not a year",
            long("990001,2024,ks2-rwm-expected,65,59,61\n"),
            None,
            (2, Some("year"), "\"2024\" is not an academic year"),
        ),
        (
            "year not the one asked for",
            long("990001,2022/23,ks2-rwm-expected,65,59,61\n"),
            Some(Y2023),
            (2, Some("year"), "the row is for 2022/23, but the import was asked for 2023/24"),
        ),
        (
            "unknown measure",
            long("990001,2023/24,ks3-science,65,59,61\n"),
            None,
            (2, Some("measure"), "\"ks3-science\" is not a measure; the measures are ks2-rwm-expected, "),
        ),
        (
            "URN not a number",
            long("99OO01,2023/24,ks2-rwm-expected,65,59,61\n"),
            None,
            (2, Some("urn"), "\"99OO01\" is not a URN"),
        ),
        (
            "no URN",
            long(",2023/24,ks2-rwm-expected,65,59,61\n"),
            None,
            (2, Some("urn"), "no URN"),
        ),
        (
            "the same figure twice",
            long("990001,2023/24,ks2-rwm-expected,65,59,61\n990001,202324,ks2-rwm-expected,66,59,61\n"),
            None,
            (3, Some("measure"), "URN 990001 has a second ks2-rwm-expected figure for 2023/24: the first is on line 2"),
        ),
        (
            "a field missing",
            long("990001,2023/24,ks2-rwm-expected,65,59\n"),
            None,
            (2, None, "5 fields where the header has 6"),
        ),
        (
            "unbalanced quote",
            long("990001,2023/24,ks2-rwm-expected,65,59,61\n990002,\"2023/24,ks2-rwm-expected,65,59,61\n"),
            None,
            (3, Some("year"), "unbalanced quote"),
        ),
        (
            "empty file",
            Vec::new(),
            None,
            (1, None, "the file is empty"),
        ),
        (
            "header only",
            LONG.as_bytes().to_vec(),
            None,
            (1, None, "no figures"),
        ),
        (
            "binary",
            b"PK\x03\x04\x00\x14".to_vec(),
            None,
            (1, None, "binary data"),
        ),
        (
            "wide without a year",
            b"URN,PTRWM_EXP\n990001,65\n".to_vec(),
            None,
            (1, None, "the file has no TIME_PERIOD or YEAR column"),
        ),
        (
            "wide URN not a number",
            b"URN,PTRWM_EXP\n990001,65\n9900O2,60\n".to_vec(),
            Some(Y2023),
            (3, Some("URN"), "\"9900O2\" is not a URN"),
        ),
        (
            "wide percentage sign on points",
            b"URN,ATT8SCR\n990015,46%\n".to_vec(),
            Some(Y2023),
            (2, Some("ATT8SCR"), "\"46%\" is not a number"),
        ),
        (
            "wide gap part not a number",
            b"URN,PTRWM_EXP_FSM6CLA1A,PTRWM_EXP_NOTFSM6CLA1A\n990001,half,70\n".to_vec(),
            Some(Y2023),
            (2, Some("PTRWM_EXP_FSM6CLA1A"), "\"half\" is not a number"),
        ),
        (
            "wide year column not a year",
            b"URN,TIME_PERIOD,PTRWM_EXP\n990001,2023,65\n".to_vec(),
            None,
            (2, Some("TIME_PERIOD"), "\"2023\" is not an academic year"),
        ),
        (
            "unknown record type",
            b"RECTYPE,LEA,URN,PTRWM_EXP\n9,990,990001,65\n".to_vec(),
            Some(Y2023),
            (2, Some("RECTYPE"), "\"9\" is not a record type the app knows"),
        ),
        (
            "authority row with a bad LA code",
            b"RECTYPE,LEA,URN,PTRWM_EXP\n4,99X,,58\n".to_vec(),
            Some(Y2023),
            (2, Some("LEA"), "\"99X\" is not a local authority code"),
        ),
        (
            "authority row without an LA column",
            b"RECTYPE,URN,PTRWM_EXP\n4,,58\n".to_vec(),
            Some(Y2023),
            (2, None, "a local authority's row, but the file has no LEA column"),
        ),
        (
            "a school twice in a year",
            b"URN,PTRWM_EXP\n990001,65\n990001,66\n".to_vec(),
            Some(Y2023),
            (3, Some("URN"), "URN 990001 appears twice for 2023/24: first on line 2"),
        ),
        (
            "an authority twice in a year",
            b"RECTYPE,LEA,URN,PTRWM_EXP\n4,990,,58\n4,990,,59\n".to_vec(),
            Some(Y2023),
            (3, Some("LEA"), "local authority 990 appears twice for 2023/24: first on line 2"),
        ),
        (
            "England twice in a year",
            b"RECTYPE,LEA,URN,PTRWM_EXP\n7,,,61\n7,,,62\n".to_vec(),
            Some(Y2023),
            (3, None, "a second England row for 2023/24: the first is on line 2"),
        ),
    ];
    for (what, bytes, year, (line, field, problem)) in cases {
        let error = match parse(&bytes, year) {
            Ok(file) => panic!("{what}: accepted {} figures", file.figures.len()),
            Err(error) => error,
        };
        assert_eq!(
            (error.line, error.field.as_deref()),
            (Some(line), field),
            "{what}: {error}"
        );
        assert!(
            error.problem.starts_with(problem),
            "{what}: {:?} does not start with {problem:?}",
            error.problem
        );
    }
}

#[test]
fn a_refusal_reads_as_line_field_and_problem() {
    let error = parse(
        format!("{LONG}990001,2023/24,ks2-rwm-expected,sixty,59,61\n").as_bytes(),
        None,
    )
    .expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with("line 2, field value: \"sixty\" is not a number"),
        "{error}"
    );
}

const PETERBOROUGH: &str = include_str!("../../../assets/criteria/peterborough-2022.toml");
const REPORT_CARD: &str = include_str!("../../../assets/criteria/report-card-2025.toml");

fn set(text: &str) -> CriteriaSet {
    CriteriaSet::from_toml(text).expect("shipped set reads")
}

/// A series from `(start year, school, national)` rows, LA alongside.
fn series(measure: M, rows: &[(i32, f64, f64)]) -> Series {
    Series {
        measure,
        years: rows
            .iter()
            .map(|&(year, school, national)| YearFigures {
                year: AcademicYear(year),
                school: v(school),
                la: v((school + national) / 2.0),
                national: v(national),
            })
            .collect(),
    }
}

fn offered(series: &Series, text: &str) -> Vec<Suggestion> {
    suggestions(std::slice::from_ref(series), &set(text))
}

fn kinds(found: &[Suggestion]) -> Vec<(IndicatorKind, SupportCategory, Vec<&str>)> {
    found
        .iter()
        .map(|s| {
            let ids = s.statements.iter().map(String::as_str).collect();
            (s.kind, s.level, ids)
        })
        .collect()
}

#[test]
fn three_years_below_national_suggests_the_high_attainment_statement() {
    let below = series(
        M::Ks2RwmExpected,
        &[(2022, 48.0, 60.0), (2023, 50.0, 61.0), (2024, 47.0, 62.0)],
    );
    let found = offered(&below, PETERBOROUGH);
    assert_eq!(
        kinds(&found),
        [(
            IndicatorKind::ConsistentlyBelowNational,
            SupportCategory::High,
            vec!["qe-high-attainment-below-national"]
        )]
    );
    let suggestion = &found[0];
    assert_eq!(suggestion.group, Measure::Attainment);
    assert_eq!(
        suggestion.sentence,
        "KS2 reading, writing and maths: expected standard was below national in each of the \
         last three years: 48% against 60% in 2022/23, 50% against 61% in 2023/24, \
         47% against 62% in 2024/25."
    );
    assert_eq!(suggestion.evidence.len(), 3);
    assert_eq!(suggestion.evidence[2].school, 47.0);
    assert_eq!(suggestion.evidence[2].la, Some(54.5));
    assert_eq!(suggestion.evidence[2].national, Some(62.0));
    let json = serde_json::to_value(suggestion).expect("serializes");
    assert_eq!(json["evidence"][0]["year"], "2022/23");
    assert_eq!(json["kind"], "consistently-below-national");
    assert_eq!(json["measure"], "ks2-rwm-expected");
}

#[test]
fn below_national_needs_three_consecutive_years_each_with_a_figure() {
    let gap = series(
        M::Ks2RwmExpected,
        &[(2018, 48.0, 60.0), (2021, 50.0, 61.0), (2022, 47.0, 62.0)],
    );
    assert!(
        offered(&gap, PETERBOROUGH).is_empty(),
        "no data for 2019/20 and 2020/21"
    );
    let mut suppressed = series(
        M::Ks2RwmExpected,
        &[(2022, 48.0, 60.0), (2023, 50.0, 61.0), (2024, 47.0, 62.0)],
    );
    suppressed.years[2].school = no(NoFigure::Suppressed);
    assert!(offered(&suppressed, PETERBOROUGH).is_empty());
    let level = series(
        M::Ks2RwmExpected,
        &[(2022, 60.0, 60.0), (2023, 50.0, 61.0), (2024, 51.0, 62.0)],
    );
    assert!(
        offered(&level, PETERBOROUGH).is_empty(),
        "equal to national is not below it"
    );
}

#[test]
fn a_decline_to_below_national_is_high_and_one_above_it_medium() {
    let to_below = series(
        M::Ks2RwmExpected,
        &[(2022, 66.0, 60.0), (2023, 59.0, 61.0), (2024, 52.0, 62.0)],
    );
    assert_eq!(
        kinds(&offered(&to_below, PETERBOROUGH)),
        [(
            IndicatorKind::Declining,
            SupportCategory::High,
            vec!["qe-high-attainment-declining"]
        )]
    );
    let above = series(
        M::Ks4Attainment8,
        &[(2022, 56.0, 46.0), (2023, 53.5, 46.0), (2024, 51.0, 46.0)],
    );
    let found = offered(&above, PETERBOROUGH);
    assert_eq!(
        kinds(&found),
        [(
            IndicatorKind::Declining,
            SupportCategory::Medium,
            vec!["qe-medium-attainment-declining-over-time"]
        )]
    );
    assert_eq!(
        found[0].sentence,
        "KS4 Attainment 8 has got worse in each of the last three years: \
         56 in 2022/23, 53.5 in 2023/24, 51 in 2024/25."
    );
}

#[test]
fn low_attendance_that_is_not_improving_suggests_the_medium_statement() {
    let absence = series(
        M::OverallAbsence,
        &[(2022, 5.7, 5.9), (2023, 6.3, 5.5), (2024, 6.3, 5.3)],
    );
    let found = offered(&absence, PETERBOROUGH);
    assert_eq!(
        kinds(&found),
        [(
            IndicatorKind::AttendanceLowNotImproving,
            SupportCategory::Medium,
            vec!["ba-medium-attendance-low"]
        )]
    );
    assert_eq!(
        found[0].sentence,
        "Overall absence in 2024/25 was 6.3%, worse than national (5.3%), \
         and no better than in 2023/24 (6.3%)."
    );
    let improving = series(M::OverallAbsence, &[(2023, 6.5, 5.5), (2024, 6.3, 5.3)]);
    assert!(offered(&improving, PETERBOROUGH).is_empty());
}

#[test]
fn absence_and_gaps_are_worse_when_higher() {
    let high_absence = series(
        M::PersistentAbsence,
        &[(2022, 20.0, 16.0), (2023, 22.0, 15.0), (2024, 25.0, 14.0)],
    );
    assert_eq!(
        kinds(&offered(&high_absence, PETERBOROUGH)),
        [
            (
                IndicatorKind::ConsistentlyBelowNational,
                SupportCategory::High,
                vec!["ba-high-attendance-consistently-low"]
            ),
            (IndicatorKind::Declining, SupportCategory::High, vec![]),
            (
                IndicatorKind::AttendanceLowNotImproving,
                SupportCategory::Medium,
                vec!["ba-medium-attendance-low"]
            ),
        ]
    );
    let low_absence = series(
        M::PersistentAbsence,
        &[(2022, 10.0, 16.0), (2023, 9.0, 15.0), (2024, 8.0, 14.0)],
    );
    assert!(offered(&low_absence, PETERBOROUGH).is_empty());
}

#[test]
fn the_report_card_set_reads_progress_gaps_and_suspensions() {
    let weak_progress = series(
        M::Ks4Progress8,
        &[
            (2022, -0.45, -0.03),
            (2023, -0.38, -0.03),
            (2024, -0.52, -0.02),
        ],
    );
    assert_eq!(
        kinds(&offered(&weak_progress, REPORT_CARD)),
        [(
            IndicatorKind::ConsistentlyBelowNational,
            SupportCategory::High,
            vec!["ac-high-progress-weak"]
        )]
    );
    let widening = series(
        M::Ks2RwmDisadvantagedGap,
        &[(2022, 18.0, 22.0), (2023, 20.0, 22.0), (2024, 21.0, 21.0)],
    );
    assert_eq!(
        kinds(&offered(&widening, REPORT_CARD)),
        [(
            IndicatorKind::Declining,
            SupportCategory::Medium,
            vec!["in-medium-gaps-not-closing"]
        )]
    );
    let rising = series(
        M::SuspensionRate,
        &[(2022, 15.0, 18.9), (2023, 19.0, 21.9), (2024, 24.0, 23.2)],
    );
    assert_eq!(
        kinds(&offered(&rising, REPORT_CARD)),
        [(
            IndicatorKind::Declining,
            SupportCategory::High,
            vec!["ab-high-suspensions-high"]
        )]
    );
}

#[test]
fn series_group_a_schools_figures_by_measure_oldest_first() {
    let file = parsed(
        "urn,year,measure,value,la,national\n\
         990001,2024/25,ks2-rwm-expected,61,60,62\n\
         990001,2022/23,ks2-rwm-expected,65,58,60\n\
         990001,2023/24,overall-absence,4.2,5.9,5.5\n\
         990001,2023/24,ks2-rwm-expected,63,59,61\n",
        None,
    );
    let all = Series::of(&file.figures);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].measure, M::Ks2RwmExpected);
    let years: Vec<i32> = all[0].years.iter().map(|year| year.year.0).collect();
    assert_eq!(years, [2022, 2023, 2024]);
}

/// Cells a spreadsheet could hold: numbers, codes, junk, quotes, commas.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        (-200.0f64..200.0).prop_map(|value| format!("{value:.2}")),
        Just("SUPP".to_owned()),
        Just(String::new()),
        Just("65%".to_owned()),
        "[ -~\u{e9}\u{2019}]{0,10}",
    ]
}

fn measure() -> impl Strategy<Value = M> {
    proptest::sample::select(M::ALL.to_vec())
}

fn parsed_lines(bytes: &[u8]) -> usize {
    bytes.split(|&byte| byte == b'\n').count()
}

proptest! {
    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = parse(&bytes, None);
        let _ = parse(&bytes, Some(Y2023));
    }

    #[test]
    fn any_cells_under_either_header_are_read_or_refused_at_a_line_of_the_file(
        rows in proptest::collection::vec(proptest::collection::vec(cell(), 6), 1..6),
        wide in any::<bool>(),
    ) {
        let header = if wide {
            "RECTYPE,LEA,URN,PTRWM_EXP,P8MEA,PERCTOT"
        } else {
            "urn,year,measure,value,la,national"
        };
        let body: Vec<String> = rows.iter().map(|row| row.join(",")).collect();
        let text = format!("{header}\n{}\n", body.join("\n"));
        if let Err(error) = parse(text.as_bytes(), Some(Y2023)) {
            let line = error.line.unwrap_or(0);
            prop_assert!((1..=parsed_lines(text.as_bytes())).contains(&line), "{error}");
        }
    }

    #[test]
    fn any_figure_in_range_reads_back_from_the_long_layout(
        measure in measure(),
        value in -100.0f64..100.0,
    ) {
        let cell = format!("{value:.2}");
        let text = format!("{LONG}990001,2023/24,{},{cell},,\n", measure.id());
        let read = parse(text.as_bytes(), None);
        match measure.figure(&cell) {
            Ok(expected) => {
                let file = read.map_err(|error| TestCaseError::fail(error.to_string()))?;
                prop_assert_eq!(file.figures[0].school, expected);
            }
            Err(_) => prop_assert!(read.is_err()),
        }
    }

    #[test]
    fn declining_is_unchanged_by_a_better_fourth_year_before_it(
        start in 40.0f64..90.0,
        drops in proptest::collection::vec(0.5f64..8.0, 2),
        better_by in 0.5f64..10.0,
        national in 30.0f64..100.0,
    ) {
        let rows = [
            (2022, start, national),
            (2023, start - drops[0], national),
            (2024, start - drops[0] - drops[1], national),
        ];
        let three = series(M::Ks2RwmExpected, &rows);
        let mut four = three.clone();
        four.years.insert(0, series(M::Ks2RwmExpected, &[(2021, start + better_by, national)]).years[0]);
        let set = set(PETERBOROUGH);
        let declining = |series: &Series| {
            suggestions(std::slice::from_ref(series), &set)
                .into_iter()
                .filter(|s| s.kind == IndicatorKind::Declining)
                .collect::<Vec<_>>()
        };
        prop_assert_eq!(declining(&three).len(), 1);
        prop_assert_eq!(declining(&three), declining(&four));
    }

    #[test]
    fn only_the_latest_three_years_count(
        measure in measure(),
        older in proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0), 1..4),
        latest in proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0), 3),
    ) {
        let rows = |pairs: &[(f64, f64)], first: i32| -> Vec<(i32, f64, f64)> {
            pairs.iter().zip(first..).map(|(&(school, national), year)| (year, school, national)).collect()
        };
        let recent = series(measure, &rows(&latest, 2022));
        let mut longer = series(measure, &rows(&older, 2022 - older.len() as i32));
        longer.years.extend(recent.years.iter().copied());
        let set = set(REPORT_CARD);
        prop_assert_eq!(
            suggestions(std::slice::from_ref(&recent), &set),
            suggestions(std::slice::from_ref(&longer), &set)
        );
    }

    #[test]
    fn suggested_statements_read_the_measure_at_the_suggested_level(
        measure in measure(),
        rows in proptest::collection::vec((0.0f64..100.0, 0.0f64..100.0), 3),
        report_card in any::<bool>(),
    ) {
        let set = set(if report_card { REPORT_CARD } else { PETERBOROUGH });
        let rows: Vec<_> = rows.iter().zip(2022..).map(|(&(s, n), y)| (y, s, n)).collect();
        for suggestion in suggestions(&[series(measure, &rows)], &set) {
            prop_assert_eq!(suggestion.group, measure.group());
            for id in &suggestion.statements {
                let statement = set.statement(id).expect("a statement of the set");
                prop_assert_eq!(statement.measure, Some(measure.group()));
                prop_assert_eq!(statement.level, suggestion.level);
            }
        }
    }
}

//! Performance figures in the store: the demo's, imports in both layouts
//! that go through the outbox, re-imports that write nothing, refused files
//! that change nothing, and the data panel with its suggestions.

mod common;

use common::demo_store;

use caseload_core::criteria::CriteriaSet;
use caseload_core::performance::{IndicatorKind, NoFigure, PerformanceMeasure};
use caseload_core::{AcademicYear, Urn};
use caseload_store::performance::{PerformanceImportSummary, PerformancePanel};
use caseload_store::{Store, StoreError};
use serde_json::Value;

const LONG: &[u8] = include_bytes!("fixtures/performance-long.csv");
const KS2_WIDE: &[u8] = include_bytes!("fixtures/performance-ks2-2025-26.csv");
const PETERBOROUGH: &str = include_str!("../../../assets/criteria/peterborough-2022.toml");

fn peterborough() -> CriteriaSet {
    CriteriaSet::from_toml(PETERBOROUGH).expect("shipped set reads")
}

fn panel(store: &Store, urn: u32) -> PerformancePanel {
    store
        .performance_panel(Urn(urn), &peterborough())
        .expect("panel")
}

fn outbox_len(store: &Store) -> usize {
    store.pending_operations().expect("outbox reads").len()
}

/// The kinds of suggestion on a panel and the statements each offers.
fn offered(panel: &PerformancePanel) -> Vec<(IndicatorKind, PerformanceMeasure, Vec<String>)> {
    panel
        .suggestions
        .iter()
        .map(|s| (s.kind, s.measure, s.statements.clone()))
        .collect()
}

#[test]
fn the_demo_caseload_shows_each_kind_of_indicator() {
    let store = demo_store();
    let below = |id: &str| vec![id.to_owned()];
    assert!(offered(&panel(&store, 990009)).contains(&(
        IndicatorKind::ConsistentlyBelowNational,
        PerformanceMeasure::Ks2RwmExpected,
        below("qe-high-attainment-below-national"),
    )));
    assert!(offered(&panel(&store, 990008)).contains(&(
        IndicatorKind::Declining,
        PerformanceMeasure::Ks2RwmExpected,
        below("qe-high-attainment-declining"),
    )));
    assert_eq!(
        offered(&panel(&store, 990002)),
        [
            (
                IndicatorKind::AttendanceLowNotImproving,
                PerformanceMeasure::OverallAbsence,
                below("ba-medium-attendance-low"),
            ),
            (
                IndicatorKind::AttendanceLowNotImproving,
                PerformanceMeasure::PersistentAbsence,
                below("ba-medium-attendance-low"),
            ),
        ]
    );
    assert!(
        panel(&store, 990001).suggestions.is_empty(),
        "a school doing well gets no suggestions"
    );
}

#[test]
fn the_panel_gives_every_year_against_la_and_england_or_why_there_is_no_figure() {
    let store = demo_store();
    let holywell = panel(&store, 990020);
    let rwm = &holywell.measures[0];
    assert_eq!(rwm.measure, PerformanceMeasure::Ks2RwmExpected);
    let years: Vec<&str> = rwm.years.iter().map(|year| year.year.as_str()).collect();
    assert_eq!(years, ["2022/23", "2023/24", "2024/25"]);
    let latest = &rwm.years[2];
    assert_eq!(latest.school.value, None);
    assert_eq!(latest.school.missing, Some(NoFigure::Suppressed));
    assert_eq!(latest.school.text, "suppressed: too few pupils to publish");
    assert_eq!(latest.la.text, "60%");
    assert_eq!(latest.national.value, Some(62.0));

    let json = serde_json::to_value(panel(&store, 990009)).expect("serializes");
    assert_eq!(json["urn"], 990009);
    assert_eq!(json["criteria_set"], "peterborough-2022");
    let measure = &json["measures"][0];
    assert_eq!(measure["measure"], "ks2-rwm-expected");
    assert_eq!(measure["group"], "attainment");
    assert_eq!(measure["unit"], "percent");
    assert_eq!(measure["higher_is_better"], true);
    assert_eq!(
        measure["years"][0],
        serde_json::json!({
            "year": "2022/23",
            "school": {"value": 48.0, "missing": null, "text": "48%"},
            "la": {"value": 58.0, "missing": null, "text": "58%"},
            "national": {"value": 60.0, "missing": null, "text": "60%"},
        })
    );
    let suggestion = &json["suggestions"][0];
    assert_eq!(suggestion["kind"], "consistently-below-national");
    assert_eq!(suggestion["level"], "high");
    assert_eq!(
        suggestion["evidence"][2],
        serde_json::json!({"year": "2024/25", "school": 47.0, "la": 60.0, "national": 62.0})
    );
}

#[test]
fn a_long_file_adds_and_updates_figures_and_counts_schools_not_in_the_store() {
    let mut store = demo_store();
    let outbox = outbox_len(&store);
    let summary = store
        .import_performance_bytes(LONG, "performance-long.csv", None)
        .expect("imports");
    let expected = PerformanceImportSummary {
        layout: caseload_core::performance::Layout::Long,
        rows_read: 4,
        added: 2,
        updated: 1,
        unchanged: 0,
        schools: 2,
        not_in_store: 1,
        years: vec!["2024/25".to_owned(), "2025/26".to_owned()],
    };
    assert_eq!(summary, expected);
    assert_eq!(
        outbox_len(&store),
        outbox + 3,
        "one outbox operation per figure written"
    );
    let operations = store.pending_operations().expect("outbox");
    let update = operations.last().expect("an operation");
    assert_eq!(update.entity, "performance");
    assert_eq!(update.record_key, "990009/202425/ks2-rwm-expected");
    assert_eq!(
        update.fields.keys().collect::<Vec<_>>(),
        ["school"],
        "only the changed field is sent"
    );
    let marsh_lane = panel(&store, 990009);
    assert_eq!(marsh_lane.measures[0].years[2].school.value, Some(49.0));
}

#[test]
fn re_importing_the_same_file_writes_nothing() {
    let mut store = demo_store();
    store
        .import_performance_bytes(KS2_WIDE, "england_ks2final.csv", Some(AcademicYear(2025)))
        .expect("first import");
    let (before, outbox) = (store.export().expect("export"), outbox_len(&store));
    let again = store
        .import_performance_bytes(KS2_WIDE, "england_ks2final.csv", Some(AcademicYear(2025)))
        .expect("second import");
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 15));
    assert_eq!(outbox_len(&store), outbox);
    assert_eq!(store.export().expect("export"), before);
}

#[test]
fn a_dfe_file_takes_its_year_from_the_caller_and_comparators_from_its_own_rows() {
    let mut store = demo_store();
    let summary = store
        .import_performance_bytes(KS2_WIDE, "england_ks2final.csv", Some(AcademicYear(2025)))
        .expect("imports");
    assert_eq!(summary.layout, caseload_core::performance::Layout::DfeWide);
    assert_eq!((summary.rows_read, summary.added), (8, 15));
    assert_eq!((summary.schools, summary.not_in_store), (3, 1));
    assert_eq!(summary.years, ["2025/26"]);
    let westfield = panel(&store, 990008);
    let rwm = &westfield.measures[0];
    let latest = rwm.years.last().expect("a year");
    assert_eq!(latest.year, "2025/26");
    assert_eq!(
        (latest.school.value, latest.la.value, latest.national.value),
        (Some(49.0), Some(59.0), Some(63.0)),
        "England's state-funded row (RECTYPE 7) is the comparator"
    );
    let gap = westfield
        .measures
        .iter()
        .find(|m| m.measure == PerformanceMeasure::Ks2RwmDisadvantagedGap)
        .expect("gap");
    assert_eq!(gap.years.last().and_then(|y| y.school.value), Some(17.0));
    assert!(westfield
        .suggestions
        .iter()
        .any(|s| s.kind == IndicatorKind::Declining
            && s.sentence.contains("52% in 2024/25, 49% in 2025/26")));
}

#[test]
fn a_refused_file_names_file_line_and_field_and_leaves_the_store_as_it_was() {
    let mut store = demo_store();
    let (before, outbox) = (store.export().expect("export"), outbox_len(&store));
    let broken = format!(
        "{}990009,2024/25,ks2-maths-expected,sixty,60,62\n",
        String::from_utf8_lossy(LONG)
    );
    let error = store
        .import_performance_bytes(broken.as_bytes(), "broken.csv", None)
        .expect_err("refused");
    assert!(matches!(error, StoreError::Performance { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "broken.csv: line 6, field value: \"sixty\" is not a number, nor a code for a missing \
         figure (SUPP, NE, NP, LOWCOV, NA, x, c or blank); nothing was imported"
    );
    assert_eq!(store.export().expect("export"), before);
    assert_eq!(outbox_len(&store), outbox);
}

#[test]
fn a_dfe_file_without_a_year_is_refused_until_one_is_given() {
    let mut store = demo_store();
    let error = store
        .import_performance_bytes(KS2_WIDE, "england_ks2final.csv", None)
        .expect_err("no year");
    assert!(
        error.to_string().starts_with(
            "england_ks2final.csv: line 1: the file has no TIME_PERIOD or YEAR column"
        ),
        "{error}"
    );
}

#[test]
fn a_missing_file_and_an_unknown_school_are_named() {
    let mut store = demo_store();
    let error = store
        .import_performance_file(std::path::Path::new("/nowhere/england_ks2final.csv"), None)
        .expect_err("missing file");
    assert!(
        error
            .to_string()
            .starts_with("cannot read /nowhere/england_ks2final.csv"),
        "{error}"
    );
    let unknown = store
        .performance_panel(Urn(123456), &peterborough())
        .expect_err("no such school");
    assert!(matches!(unknown, StoreError::SchoolNotFound(Urn(123456))));
}

#[test]
fn figures_are_exported_as_declared_records() {
    let store = demo_store();
    let export: Value = store.export().expect("export");
    let figures = export["records"]["performance"]
        .as_array()
        .expect("performance records");
    assert_eq!(figures.len(), 561);
    let first = &figures[0];
    assert_eq!(first["id"], "990001/202223/ks2-maths-expected");
    assert_eq!(first["year"], 2022);
    assert_eq!(first["school"], 78.0);
}

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::calendar::AcademicYear;
use crate::criteria::CriteriaSet;
use crate::ofsted::{Grade, OfstedOutcome};
use crate::performance::{Figure, PerformanceFigure, PerformanceMeasure};
use crate::samples;
use crate::school::Urn;
use crate::scoring::Mark;
use crate::scoring::Override;

const CRITERIA: &str = include_str!("../../../../assets/criteria/peterborough-2022.toml");

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn inspection(on: NaiveDate, overall: Grade) -> OfstedInspection {
    OfstedInspection {
        id: Uuid::now_v7(),
        urn: Urn(100_001),
        inspected_on: on,
        outcome: OfstedOutcome::Graded2019 {
            overall: Some(overall),
            quality_of_education: overall,
            behaviour_and_attitudes: overall,
            personal_development: overall,
            leadership_and_management: overall,
            early_years: None,
            sixth_form: None,
        },
    }
}

fn facts_of(
    inspections: &[OfstedInspection],
    reviews: &[Review],
    series: &[Series],
) -> BTreeSet<Fact> {
    facts(LetterRecords {
        inspections,
        reviews,
        series,
        letters: &[],
        today: date(2026, 11, 23),
    })
}

#[test]
fn ofsted_changes_are_read_from_the_two_latest_inspections() {
    let ri = inspection(date(2021, 5, 4), Grade::RequiresImprovement);
    let good = inspection(date(2026, 9, 30), Grade::Good);
    assert!(facts_of(&[good.clone(), ri.clone()], &[], &[]).contains(&Fact::OfstedImproved));

    let dropped = facts_of(
        &[
            inspection(date(2026, 9, 30), Grade::RequiresImprovement),
            inspection(date(2021, 5, 4), Grade::Good),
        ],
        &[],
        &[],
    );
    assert!(dropped.contains(&Fact::OfstedDropped));
    assert!(dropped.contains(&Fact::OfstedBelowGood));

    let kept = [inspection(date(2021, 5, 4), Grade::Good), good];
    assert!(facts_of(&kept, &[], &[]).contains(&Fact::OfstedSustained));
    let long_ago = [
        inspection(date(2019, 5, 4), Grade::Good),
        inspection(date(2024, 1, 9), Grade::Good),
    ];
    assert!(
        facts_of(&long_ago, &[], &[]).is_empty(),
        "an old inspection is no news"
    );
}

fn agreed(on: NaiveDate, statement: &str, category: SupportCategory) -> Review {
    let set = CriteriaSet::from_toml(CRITERIA).expect("shipped set");
    let mut review = samples::review();
    review.id = Uuid::now_v7();
    review.reviewed_on = on;
    review.marks = vec![Mark::new(statement)];
    let overridden = Override {
        category,
        rationale: "as judged".to_owned(),
    };
    review.agree(&set, Some(overridden)).expect("agreed");
    review
}

#[test]
fn reviews_give_their_marks_and_high_support_twice_running() {
    let autumn = agreed(
        date(2026, 10, 1),
        "lm-high-governance-ineffective",
        SupportCategory::High,
    );
    let summer = agreed(
        date(2026, 6, 1),
        "lm-high-vision-unclear",
        SupportCategory::High,
    );
    let facts = facts_of(&[], &[summer, autumn.clone()], &[]);
    assert!(facts.contains(&Fact::HighSupport));
    assert!(facts.contains(&Fact::HighSupportAgain));
    assert!(facts.contains(&Fact::Statement(
        "lm-high-governance-ineffective".to_owned()
    )));
    assert!(
        !facts.contains(&Fact::Statement("lm-high-vision-unclear".to_owned())),
        "only the latest review counts"
    );

    let spring = agreed(
        date(2026, 3, 1),
        "lm-low-leadership-strong",
        SupportCategory::Low,
    );
    let once = facts_of(&[], &[spring, autumn], &[]);
    assert!(once.contains(&Fact::HighSupport) && !once.contains(&Fact::HighSupportAgain));
}

fn series(measure: PerformanceMeasure, school: [f64; 3], national: f64) -> Vec<Series> {
    let figures: Vec<PerformanceFigure> = school
        .iter()
        .enumerate()
        .map(|(offset, value)| {
            let year = AcademicYear(2022 + offset as i32);
            PerformanceFigure::new(
                Urn(100_001),
                year,
                measure,
                Figure::Value(*value),
                Figure::Value(national),
                Figure::Value(national),
            )
        })
        .collect();
    Series::of(&figures)
}

#[test]
fn figures_become_performance_facts() {
    let falling = series(PerformanceMeasure::Ks2RwmExpected, [70.0, 62.0, 55.0], 61.0);
    let facts = facts_of(&[], &[], &falling);
    assert!(facts.contains(&Fact::PerformanceDeclining));
    assert!(!facts.contains(&Fact::PerformanceImproving));

    let rising = series(PerformanceMeasure::Ks2RwmExpected, [50.0, 58.0, 64.0], 61.0);
    assert!(facts_of(&[], &[], &rising).contains(&Fact::PerformanceImproving));
    let rising_but_below = series(PerformanceMeasure::Ks2RwmExpected, [40.0, 45.0, 50.0], 61.0);
    assert!(!facts_of(&[], &[], &rising_but_below).contains(&Fact::PerformanceImproving));
    let rising_a_little = series(PerformanceMeasure::Ks2RwmExpected, [59.0, 61.0, 62.0], 61.0);
    assert!(!facts_of(&[], &[], &rising_a_little).contains(&Fact::PerformanceImproving));
}

#[test]
fn facts_read_and_print_by_name() {
    for name in [
        "ofsted:dropped",
        "category:high-again",
        "statement:lm-high-vision-unclear",
        "issued:warning-notice",
    ] {
        let fact: Fact = name.parse().expect(name);
        assert_eq!(fact.to_string(), name);
    }
    assert!("issued:note".parse::<Fact>().is_err());
    assert!("statement:".parse::<Fact>().is_err());
}

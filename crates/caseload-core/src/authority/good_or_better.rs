//! The headline the strategy steers by: the share of maintained schools, and
//! of the pupils in them, judged good or better, against the authority's
//! target.
//!
//! The rule, read from each open maintained school's **latest** inspection
//! (see [`OfstedInspection::good_or_better`]):
//! - 2019 framework with an overall grade: outstanding (1) or good (2);
//! - 2019 framework inspected from September 2024, which has no overall
//!   grade: every key judgement (quality of education, behaviour and
//!   attitudes, personal development, leadership and management) good or
//!   outstanding;
//! - 2025 report card: every area at expected standard or above (none at
//!   needs attention or urgent improvement) and safeguarding met.
//!
//! A school never inspected is left out of both shares and listed, so the
//! committee sees how many are not yet judged. A school with no pupil count
//! counts towards the share of schools but not of pupils. Academies and free
//! schools are outside both: the authority's target is for the schools it
//! maintains.

use serde::Serialize;

use crate::ofsted::OfstedInspection;
use crate::school::{School, Urn};

/// A share against the target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub good_or_better: u64,
    pub judged: u64,
    /// None when nothing is judged yet.
    pub percent: Option<f64>,
    pub meets_target: Option<bool>,
}

impl Share {
    fn new(good_or_better: u64, judged: u64, target_percent: f64) -> Share {
        let percent = (judged > 0).then(|| 100.0 * good_or_better as f64 / judged as f64);
        Share {
            good_or_better,
            judged,
            percent,
            meets_target: percent.map(|percent| percent >= target_percent),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoodOrBetter {
    pub target_percent: f64,
    /// Of maintained schools with an inspection on record.
    pub schools: Share,
    /// Of the pupils on roll in those schools.
    pub pupils: Share,
    /// The maintained schools judged good or better, and the rest.
    pub good: Vec<Urn>,
    pub not_good: Vec<Urn>,
    /// Maintained schools with no inspection on record.
    pub not_inspected: Vec<Urn>,
}

/// The shares over `schools` (each with its latest inspection), against
/// `target_percent`; schools not maintained are passed over.
pub fn good_or_better<'a>(
    schools: impl IntoIterator<Item = (&'a School, Option<&'a OfstedInspection>)>,
    target_percent: f64,
) -> GoodOrBetter {
    let mut good = Vec::new();
    let mut not_good = Vec::new();
    let mut not_inspected = Vec::new();
    let (mut good_pupils, mut judged_pupils) = (0u64, 0u64);
    for (school, inspection) in schools {
        if !school.maintained() {
            continue;
        }
        let Some(inspection) = inspection else {
            not_inspected.push(school.urn);
            continue;
        };
        let pupils = u64::from(school.pupils.unwrap_or(0));
        judged_pupils += pupils;
        if inspection.good_or_better() {
            good_pupils += pupils;
            good.push(school.urn);
        } else {
            not_good.push(school.urn);
        }
    }
    let judged = (good.len() + not_good.len()) as u64;
    GoodOrBetter {
        target_percent,
        schools: Share::new(good.len() as u64, judged, target_percent),
        pupils: Share::new(good_pupils, judged_pupils, target_percent),
        good,
        not_good,
        not_inspected,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use proptest::prelude::*;
    use uuid::Uuid;

    use super::*;
    use crate::ofsted::{Grade, OfstedOutcome, ReportCardArea, ReportCardGrade, Safeguarding};
    use crate::samples;
    use crate::school::EstablishmentType;

    fn school(urn: u32, maintained: bool, pupils: Option<u32>) -> School {
        School {
            urn: Urn(urn),
            establishment_type: EstablishmentType::new(if maintained {
                "Community school"
            } else {
                "Academy converter"
            }),
            pupils,
            ..samples::school()
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn graded(overall: Option<Grade>, key: Grade, on: NaiveDate) -> OfstedInspection {
        OfstedInspection {
            id: Uuid::nil(),
            urn: Urn(1),
            inspected_on: on,
            outcome: OfstedOutcome::Graded2019 {
                overall,
                quality_of_education: key,
                behaviour_and_attitudes: Grade::Good,
                personal_development: Grade::Good,
                leadership_and_management: Grade::Good,
                early_years: None,
                sixth_form: None,
            },
        }
    }

    fn card(weakest: ReportCardGrade, safeguarding: Safeguarding) -> OfstedInspection {
        let mut grades: BTreeMap<_, _> = ReportCardArea::CORE
            .into_iter()
            .map(|area| (area, ReportCardGrade::StrongStandard))
            .collect();
        grades.insert(ReportCardArea::Inclusion, weakest);
        OfstedInspection {
            id: Uuid::nil(),
            urn: Urn(1),
            inspected_on: date(2026, 1, 20),
            outcome: OfstedOutcome::ReportCard2025 {
                grades,
                safeguarding,
            },
        }
    }

    #[test]
    fn each_framework_is_read_by_its_own_rule() {
        let before = date(2023, 3, 8);
        let ungraded = date(2024, 10, 2);
        let cases = [
            (graded(Some(Grade::Outstanding), Grade::Good, before), true),
            (
                graded(Some(Grade::Good), Grade::RequiresImprovement, before),
                true,
            ),
            (
                graded(Some(Grade::RequiresImprovement), Grade::Good, before),
                false,
            ),
            (graded(None, Grade::Good, ungraded), true),
            (graded(None, Grade::RequiresImprovement, ungraded), false),
            (
                card(ReportCardGrade::ExpectedStandard, Safeguarding::Met),
                true,
            ),
            (
                card(ReportCardGrade::NeedsAttention, Safeguarding::Met),
                false,
            ),
            (
                card(ReportCardGrade::UrgentImprovement, Safeguarding::Met),
                false,
            ),
            (
                card(ReportCardGrade::Exceptional, Safeguarding::NotMet),
                false,
            ),
        ];
        let schools: Vec<School> = (0..cases.len() as u32)
            .map(|n| school(n, true, Some(100)))
            .collect();
        let measured = good_or_better(
            schools
                .iter()
                .zip(cases.iter().map(|(inspection, _)| Some(inspection))),
            90.0,
        );
        let expected: Vec<Urn> = schools
            .iter()
            .zip(&cases)
            .filter(|(_, (_, good))| *good)
            .map(|(school, _)| school.urn)
            .collect();
        assert_eq!(measured.good, expected);
        assert_eq!(measured.schools.good_or_better, 4);
        assert_eq!(measured.schools.judged, 9);
    }

    #[test]
    fn academies_are_outside_and_the_uninspected_are_listed_not_counted() {
        let maintained_good = school(1, true, Some(300));
        let maintained_weak = school(2, true, Some(100));
        let academy = school(3, false, Some(900));
        let new_school = school(4, true, Some(60));
        let good = graded(Some(Grade::Good), Grade::Good, date(2022, 5, 4));
        let weak = graded(Some(Grade::Inadequate), Grade::Inadequate, date(2022, 5, 4));
        let measured = good_or_better(
            [
                (&maintained_good, Some(&good)),
                (&maintained_weak, Some(&weak)),
                (&academy, Some(&weak)),
                (&new_school, None),
            ],
            75.0,
        );
        assert_eq!(measured.schools.percent, Some(50.0));
        assert_eq!(measured.schools.meets_target, Some(false));
        assert_eq!(measured.pupils.percent, Some(75.0));
        assert_eq!(measured.pupils.meets_target, Some(true));
        assert_eq!(measured.not_inspected, vec![Urn(4)]);
        assert_eq!(measured.not_good, vec![Urn(2)]);
    }

    #[test]
    fn nothing_judged_has_no_percentage() {
        let measured = good_or_better([], 90.0);
        assert_eq!(measured.schools.percent, None);
        assert_eq!(measured.pupils.meets_target, None);
    }

    proptest! {
        #[test]
        fn shares_stay_in_range_and_a_good_school_never_lowers_them(
            schools in proptest::collection::vec((any::<bool>(), 0u32..2_000, 1u8..=4), 0..40),
            target in 0.0f64..=100.0,
        ) {
            let built: Vec<(School, OfstedInspection)> = schools
                .iter()
                .enumerate()
                .map(|(n, (maintained, pupils, grade))| {
                    let grade = [Grade::Outstanding, Grade::Good, Grade::RequiresImprovement, Grade::Inadequate][usize::from(*grade - 1)];
                    (school(n as u32, *maintained, Some(*pupils)), graded(Some(grade), grade, date(2023, 1, 10)))
                })
                .collect();
            let measured = good_or_better(built.iter().map(|(s, i)| (s, Some(i))), target);
            for share in [measured.schools, measured.pupils] {
                prop_assert!(share.good_or_better <= share.judged);
                if let Some(percent) = share.percent {
                    prop_assert!((0.0..=100.0).contains(&percent));
                    prop_assert_eq!(share.meets_target, Some(percent >= target));
                }
            }
            prop_assert_eq!(
                measured.schools.judged as usize,
                schools.iter().filter(|(maintained, _, _)| *maintained).count()
            );
            let extra = school(9_999, true, Some(500));
            let outstanding = graded(Some(Grade::Outstanding), Grade::Outstanding, date(2023, 1, 10));
            let more = good_or_better(
                built.iter().map(|(s, i)| (s, Some(i))).chain([(&extra, Some(&outstanding))]),
                target,
            );
            prop_assert!(more.schools.percent >= measured.schools.percent.or(Some(0.0)));
            prop_assert!(more.pupils.percent >= measured.pupils.percent.or(Some(0.0)));
        }
    }
}

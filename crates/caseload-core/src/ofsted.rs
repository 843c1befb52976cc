//! A school's Ofsted record under both frameworks it may carry: the graded
//! judgements of the 2019 education inspection framework, and the report
//! cards in force since November 2025.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::school::Urn;

/// Inspections from this date carry no overall effectiveness grade.
pub fn ungraded_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 9, 1).expect("valid date")
}

/// Report cards replace graded judgements for inspections from this date.
pub fn report_cards_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 10).expect("valid date")
}

/// A 2019-framework grade, 1 (outstanding) to 4 (inadequate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    Outstanding = 1,
    Good = 2,
    RequiresImprovement = 3,
    Inadequate = 4,
}

impl Grade {
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::Outstanding => "Outstanding",
            Grade::Good => "Good",
            Grade::RequiresImprovement => "Requires improvement",
            Grade::Inadequate => "Inadequate",
        }
    }
}

/// The five-point scale of the 2025 report cards, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportCardGrade {
    Exceptional,
    StrongStandard,
    ExpectedStandard,
    NeedsAttention,
    UrgentImprovement,
}

impl ReportCardGrade {
    pub fn label(self) -> &'static str {
        match self {
            ReportCardGrade::Exceptional => "Exceptional",
            ReportCardGrade::StrongStandard => "Strong standard",
            ReportCardGrade::ExpectedStandard => "Expected standard",
            ReportCardGrade::NeedsAttention => "Needs attention",
            ReportCardGrade::UrgentImprovement => "Urgent improvement",
        }
    }
}

/// The evaluation areas of a 2025 report card. Early years and sixth form
/// appear only where the school has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportCardArea {
    Inclusion,
    CurriculumAndTeaching,
    Achievement,
    AttendanceAndBehaviour,
    PersonalDevelopmentAndWellbeing,
    LeadershipAndGovernance,
    EarlyYears,
    SixthForm,
}

impl ReportCardArea {
    pub fn label(self) -> &'static str {
        match self {
            ReportCardArea::Inclusion => "Inclusion",
            ReportCardArea::CurriculumAndTeaching => "Curriculum and teaching",
            ReportCardArea::Achievement => "Achievement",
            ReportCardArea::AttendanceAndBehaviour => "Attendance and behaviour",
            ReportCardArea::PersonalDevelopmentAndWellbeing => {
                "Personal development and well-being"
            }
            ReportCardArea::LeadershipAndGovernance => "Leadership and governance",
            ReportCardArea::EarlyYears => "Early years",
            ReportCardArea::SixthForm => "Sixth form",
        }
    }

    /// Areas every school's report card has.
    pub const CORE: [ReportCardArea; 6] = [
        ReportCardArea::Inclusion,
        ReportCardArea::CurriculumAndTeaching,
        ReportCardArea::Achievement,
        ReportCardArea::AttendanceAndBehaviour,
        ReportCardArea::PersonalDevelopmentAndWellbeing,
        ReportCardArea::LeadershipAndGovernance,
    ];
}

/// Whether statutory safeguarding requirements are met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Safeguarding {
    Met,
    NotMet,
}

/// What an inspection concluded, under the framework it was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "framework", rename_all = "kebab-case")]
pub enum OfstedOutcome {
    /// The 2019 framework: key judgements graded 1 to 4. Inspections from
    /// September 2024 have no overall effectiveness grade.
    #[serde(rename = "graded-2019")]
    Graded2019 {
        overall: Option<Grade>,
        quality_of_education: Grade,
        behaviour_and_attitudes: Grade,
        personal_development: Grade,
        leadership_and_management: Grade,
        early_years: Option<Grade>,
        sixth_form: Option<Grade>,
    },
    /// The report card framework in force since November 2025.
    #[serde(rename = "report-card-2025")]
    ReportCard2025 {
        grades: BTreeMap<ReportCardArea, ReportCardGrade>,
        safeguarding: Safeguarding,
    },
}

impl OfstedOutcome {
    /// The framework's identifier, as the outcome's `framework` tag carries it.
    pub fn framework(&self) -> &'static str {
        match self {
            OfstedOutcome::Graded2019 { .. } => "graded-2019",
            OfstedOutcome::ReportCard2025 { .. } => "report-card-2025",
        }
    }

    pub fn framework_label(&self) -> &'static str {
        match self {
            OfstedOutcome::Graded2019 { .. } => "Education inspection framework (2019)",
            OfstedOutcome::ReportCard2025 { .. } => "Report card (2025)",
        }
    }

    /// Each judgement as (area, grade) labels, in the framework's own order.
    pub fn judgements(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            OfstedOutcome::Graded2019 {
                overall,
                quality_of_education,
                behaviour_and_attitudes,
                personal_development,
                leadership_and_management,
                early_years,
                sixth_form,
            } => [
                ("Overall effectiveness", *overall),
                ("Quality of education", Some(*quality_of_education)),
                ("Behaviour and attitudes", Some(*behaviour_and_attitudes)),
                ("Personal development", Some(*personal_development)),
                (
                    "Leadership and management",
                    Some(*leadership_and_management),
                ),
                ("Early years provision", *early_years),
                ("Sixth-form provision", *sixth_form),
            ]
            .into_iter()
            .filter_map(|(area, grade)| grade.map(|grade| (area, grade.label())))
            .collect(),
            OfstedOutcome::ReportCard2025 { grades, .. } => grades
                .iter()
                .map(|(area, grade)| (area.label(), grade.label()))
                .collect(),
        }
    }

    /// "Met" or "Not met" for report cards; the 2019 framework has no such line.
    pub fn safeguarding_label(&self) -> Option<&'static str> {
        match self {
            OfstedOutcome::ReportCard2025 {
                safeguarding: Safeguarding::Met,
                ..
            } => Some("Met"),
            OfstedOutcome::ReportCard2025 {
                safeguarding: Safeguarding::NotMet,
                ..
            } => Some("Not met"),
            OfstedOutcome::Graded2019 { .. } => None,
        }
    }
}

/// One inspection of one school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfstedInspection {
    pub id: Uuid,
    pub urn: Urn,
    pub inspected_on: NaiveDate,
    pub outcome: OfstedOutcome,
}

/// Why an inspection record cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OfstedError {
    #[error(
        "an inspection on {0} cannot have an overall grade: overall grades ended in September 2024"
    )]
    OverallGradeAfterSeptember2024(NaiveDate),
    #[error("a report card is dated {0}, before report cards began on 10 November 2025")]
    ReportCardTooEarly(NaiveDate),
    #[error("a report card has no grade for {0}")]
    MissingArea(&'static str),
}

impl OfstedInspection {
    /// Checks the outcome fits the framework in force on the inspection date.
    pub fn validate(&self) -> Result<(), OfstedError> {
        match &self.outcome {
            OfstedOutcome::Graded2019 {
                overall: Some(_), ..
            } if self.inspected_on >= ungraded_from() => Err(
                OfstedError::OverallGradeAfterSeptember2024(self.inspected_on),
            ),
            OfstedOutcome::ReportCard2025 { .. } if self.inspected_on < report_cards_from() => {
                Err(OfstedError::ReportCardTooEarly(self.inspected_on))
            }
            OfstedOutcome::ReportCard2025 { grades, .. } => ReportCardArea::CORE
                .into_iter()
                .find(|area| !grades.contains_key(area))
                .map_or(Ok(()), |area| Err(OfstedError::MissingArea(area.label()))),
            OfstedOutcome::Graded2019 { .. } => Ok(()),
        }
    }

    /// A short line for a table: "Good (Mar 2023)", "Ungraded: QoE good (Oct 2024)",
    /// "Report card: needs attention in 1 area (Jan 2026)".
    pub fn summary(&self) -> String {
        let when = month_and_year(self.inspected_on);
        match &self.outcome {
            OfstedOutcome::Graded2019 {
                overall: Some(grade),
                ..
            } => format!("{} ({when})", grade.label()),
            OfstedOutcome::Graded2019 {
                overall: None,
                quality_of_education,
                ..
            } => format!(
                "No overall grade; quality of education {} ({when})",
                quality_of_education.label().to_lowercase()
            ),
            OfstedOutcome::ReportCard2025 {
                grades,
                safeguarding,
            } => format!(
                "Report card: {} ({when})",
                report_card_digest(grades, *safeguarding)
            ),
        }
    }

    /// How serious the outcome is, 1 (outstanding or exceptional) to 4
    /// (inadequate, urgent improvement or safeguarding not met), so that
    /// inspections under different frameworks can be compared. Without an
    /// overall grade, the weakest judgement decides.
    pub fn severity(&self) -> u8 {
        match &self.outcome {
            OfstedOutcome::Graded2019 {
                overall: Some(grade),
                ..
            } => grade.number(),
            OfstedOutcome::Graded2019 {
                quality_of_education,
                behaviour_and_attitudes,
                personal_development,
                leadership_and_management,
                ..
            } => [
                quality_of_education,
                behaviour_and_attitudes,
                personal_development,
                leadership_and_management,
            ]
            .into_iter()
            .map(|grade| grade.number())
            .max()
            .unwrap_or(Grade::Good.number()),
            OfstedOutcome::ReportCard2025 {
                safeguarding: Safeguarding::NotMet,
                ..
            } => Grade::Inadequate.number(),
            OfstedOutcome::ReportCard2025 { grades, .. } => match grades.values().max() {
                Some(ReportCardGrade::UrgentImprovement) => 4,
                Some(ReportCardGrade::NeedsAttention) => 3,
                Some(ReportCardGrade::ExpectedStandard) | None => 2,
                Some(ReportCardGrade::StrongStandard | ReportCardGrade::Exceptional) => 1,
            },
        }
    }

    /// Good or better under 2019 grading, or expected standard or above in
    /// every area with safeguarding met under the report cards.
    pub fn good_or_better(&self) -> bool {
        match &self.outcome {
            OfstedOutcome::Graded2019 {
                overall: Some(grade),
                ..
            } => *grade <= Grade::Good,
            OfstedOutcome::Graded2019 {
                overall: None,
                quality_of_education,
                behaviour_and_attitudes,
                personal_development,
                leadership_and_management,
                ..
            } => [
                quality_of_education,
                behaviour_and_attitudes,
                personal_development,
                leadership_and_management,
            ]
            .into_iter()
            .all(|grade| *grade <= Grade::Good),
            OfstedOutcome::ReportCard2025 {
                grades,
                safeguarding,
            } => {
                *safeguarding == Safeguarding::Met
                    && grades
                        .values()
                        .all(|grade| *grade <= ReportCardGrade::ExpectedStandard)
            }
        }
    }
}

/// "safeguarding not met", the areas at a grade that needs action, or the
/// floor every area reaches.
fn report_card_digest(
    grades: &BTreeMap<ReportCardArea, ReportCardGrade>,
    safeguarding: Safeguarding,
) -> String {
    if safeguarding == Safeguarding::NotMet {
        return "safeguarding not met".to_owned();
    }
    let Some(weakest) = grades.values().max() else {
        return "safeguarding met".to_owned();
    };
    let label = weakest.label().to_lowercase();
    if *weakest < ReportCardGrade::NeedsAttention {
        return format!("all areas {label} or better");
    }
    match grades.values().filter(|grade| *grade == weakest).count() {
        1 => format!("{label} in 1 area"),
        count => format!("{label} in {count} areas"),
    }
}

/// The most recent inspection, which is the one a school is known by.
pub fn latest(inspections: &[OfstedInspection]) -> Option<&OfstedInspection> {
    inspections
        .iter()
        .max_by_key(|inspection| inspection.inspected_on)
}

/// "Feb 2026", as chrono's `%b %Y` writes it, without parsing that format
/// each time: the authority-wide view sums up every school's inspection.
fn month_and_year(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {:04}", MONTHS[date.month0() as usize], date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn graded(on: NaiveDate, overall: Option<Grade>, qoe: Grade) -> OfstedInspection {
        OfstedInspection {
            id: Uuid::nil(),
            urn: Urn(100_001),
            inspected_on: on,
            outcome: OfstedOutcome::Graded2019 {
                overall,
                quality_of_education: qoe,
                behaviour_and_attitudes: Grade::Good,
                personal_development: Grade::Good,
                leadership_and_management: Grade::Good,
                early_years: None,
                sixth_form: None,
            },
        }
    }

    fn report_card(
        on: NaiveDate,
        weakest: ReportCardGrade,
        safeguarding: Safeguarding,
    ) -> OfstedInspection {
        let mut grades: BTreeMap<_, _> = ReportCardArea::CORE
            .into_iter()
            .map(|area| (area, ReportCardGrade::ExpectedStandard))
            .collect();
        grades.insert(ReportCardArea::Achievement, weakest);
        OfstedInspection {
            id: Uuid::nil(),
            urn: Urn(100_001),
            inspected_on: on,
            outcome: OfstedOutcome::ReportCard2025 {
                grades,
                safeguarding,
            },
        }
    }

    #[test]
    fn month_and_year_reads_as_chrono_writes_it() {
        for (y, m) in (1..=12).map(|m| (2026, m)).chain([(999, 5), (9999, 12)]) {
            let date = NaiveDate::from_ymd_opt(y, m, 28).expect("valid date");
            assert_eq!(month_and_year(date), date.format("%b %Y").to_string());
        }
    }

    #[test]
    fn overall_grades_end_in_september_2024() {
        assert!(graded(date(2024, 7, 10), Some(Grade::Good), Grade::Good)
            .validate()
            .is_ok());
        assert!(graded(date(2024, 9, 20), None, Grade::Good)
            .validate()
            .is_ok());
        assert_eq!(
            graded(date(2024, 9, 20), Some(Grade::Good), Grade::Good).validate(),
            Err(OfstedError::OverallGradeAfterSeptember2024(date(
                2024, 9, 20
            )))
        );
    }

    #[test]
    fn report_cards_start_in_november_2025_and_cover_every_core_area() {
        let early = report_card(
            date(2025, 6, 1),
            ReportCardGrade::StrongStandard,
            Safeguarding::Met,
        );
        assert!(matches!(
            early.validate(),
            Err(OfstedError::ReportCardTooEarly(_))
        ));
        let mut card = report_card(
            date(2026, 1, 14),
            ReportCardGrade::NeedsAttention,
            Safeguarding::Met,
        );
        assert!(card.validate().is_ok());
        if let OfstedOutcome::ReportCard2025 { grades, .. } = &mut card.outcome {
            grades.remove(&ReportCardArea::Inclusion);
        }
        assert_eq!(card.validate(), Err(OfstedError::MissingArea("Inclusion")));
    }

    #[test]
    fn summaries_read_at_a_glance() {
        assert_eq!(
            graded(
                date(2023, 3, 8),
                Some(Grade::RequiresImprovement),
                Grade::RequiresImprovement
            )
            .summary(),
            "Requires improvement (Mar 2023)"
        );
        assert_eq!(
            graded(date(2024, 10, 2), None, Grade::Good).summary(),
            "No overall grade; quality of education good (Oct 2024)"
        );
        assert_eq!(
            report_card(
                date(2026, 1, 14),
                ReportCardGrade::NeedsAttention,
                Safeguarding::Met
            )
            .summary(),
            "Report card: needs attention in 1 area (Jan 2026)"
        );
        assert_eq!(
            report_card(
                date(2026, 1, 14),
                ReportCardGrade::Exceptional,
                Safeguarding::NotMet
            )
            .summary(),
            "Report card: safeguarding not met (Jan 2026)"
        );
    }

    #[test]
    fn good_or_better_reads_each_framework() {
        assert!(graded(date(2023, 3, 8), Some(Grade::Outstanding), Grade::Good).good_or_better());
        assert!(!graded(
            date(2023, 3, 8),
            Some(Grade::RequiresImprovement),
            Grade::Good
        )
        .good_or_better());
        assert!(!graded(date(2024, 10, 2), None, Grade::RequiresImprovement).good_or_better());
        assert!(report_card(
            date(2026, 1, 14),
            ReportCardGrade::StrongStandard,
            Safeguarding::Met
        )
        .good_or_better());
        assert!(!report_card(
            date(2026, 1, 14),
            ReportCardGrade::NeedsAttention,
            Safeguarding::Met
        )
        .good_or_better());
        assert!(!report_card(
            date(2026, 1, 14),
            ReportCardGrade::ExpectedStandard,
            Safeguarding::NotMet
        )
        .good_or_better());
    }

    #[test]
    fn severity_compares_inspections_across_frameworks() {
        let on = date(2026, 1, 14);
        assert_eq!(
            graded(on, Some(Grade::Good), Grade::Inadequate).severity(),
            2
        );
        assert_eq!(graded(on, None, Grade::RequiresImprovement).severity(), 3);
        assert_eq!(graded(on, None, Grade::Outstanding).severity(), 2);
        let needs_attention = report_card(on, ReportCardGrade::NeedsAttention, Safeguarding::Met);
        assert_eq!(needs_attention.severity(), 3);
        let strong = report_card(on, ReportCardGrade::StrongStandard, Safeguarding::Met);
        assert_eq!(
            strong.severity(),
            2,
            "the other areas are at expected standard"
        );
        let unsafe_card = report_card(on, ReportCardGrade::Exceptional, Safeguarding::NotMet);
        assert_eq!(unsafe_card.severity(), 4);
    }

    #[test]
    fn judgements_list_only_what_was_judged() {
        let ungraded = graded(date(2024, 10, 2), None, Grade::RequiresImprovement);
        let judgements = ungraded.outcome.judgements();
        assert_eq!(
            judgements[0],
            ("Quality of education", "Requires improvement")
        );
        assert_eq!(judgements.len(), 4);
        assert_eq!(ungraded.outcome.safeguarding_label(), None);
        let card = report_card(
            date(2026, 1, 14),
            ReportCardGrade::NeedsAttention,
            Safeguarding::NotMet,
        );
        assert_eq!(card.outcome.judgements().len(), 6);
        assert!(card
            .outcome
            .judgements()
            .contains(&("Achievement", "Needs attention")));
        assert_eq!(card.outcome.safeguarding_label(), Some("Not met"));
        assert_eq!(card.outcome.framework(), "report-card-2025");
    }

    #[test]
    fn the_framework_tag_is_the_framework_identifier() {
        for inspection in [
            graded(date(2023, 3, 8), Some(Grade::Good), Grade::Good),
            report_card(
                date(2026, 1, 14),
                ReportCardGrade::StrongStandard,
                Safeguarding::Met,
            ),
        ] {
            let json = serde_json::to_value(&inspection.outcome).expect("serializes");
            assert_eq!(json["framework"], inspection.outcome.framework());
        }
    }

    #[test]
    fn the_latest_inspection_is_the_current_one() {
        let older = graded(date(2019, 5, 1), Some(Grade::Good), Grade::Good);
        let newer = graded(date(2024, 10, 2), None, Grade::Good);
        assert_eq!(latest(&[newer.clone(), older]), Some(&newer));
        assert_eq!(latest(&[]), None);
    }
}

//! The "[See data]" indicators: what a school's figures over the years say
//! against England's, offered as statements the adviser may mark.
//!
//! Each rule reads the latest years of one measure's series, which must be
//! consecutive years that each have a school figure; a gap or a missing
//! figure means no indicator, since "consistently" and "over time" cannot be
//! claimed across it. "Worse" follows the measure's direction: lower
//! attainment, higher absence, a wider gap.
//!
//! | kind                           | measures   | rule                                                        | level  |
//! |--------------------------------|------------|-------------------------------------------------------------|--------|
//! | `consistently-below-national`  | all        | worse than England in each of the three latest years        | high   |
//! | `declining`                    | all        | each of the three latest years worse than the one before    | high if the latest is also worse than England, else medium |
//! | `attendance-low-not-improving` | attendance | latest year worse than England and no better than the year before | medium |
//!
//! An indicator suggests the statements of a criteria set that read the
//! measure's group (`measure = "..."`), sit at the indicator's level, and
//! whose wording says the same thing, by one of these words:
//!
//! | kind                           | words in the statement                         |
//! |--------------------------------|------------------------------------------------|
//! | `consistently-below-national`  | "consistently", "weak", "are high"             |
//! | `declining`                    | "declin", "rising", "increasing", "not closing" |
//! | `attendance-low-not-improving` | "low"                                          |
//!
//! So in the Peterborough set three years below England at KS2 suggests
//! `qe-high-attainment-below-national`, and low attendance not improving
//! suggests `ba-medium-attendance-low`. An indicator whose set has no such
//! statement still shows, with its numbers, and suggests nothing.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::{Figure, PerformanceFigure, PerformanceMeasure};
use crate::calendar::AcademicYear;
use crate::criteria::{CriteriaSet, Measure, SupportCategory};

/// One year of a measure: the school's figure and its comparators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearFigures {
    pub year: AcademicYear,
    pub school: Figure,
    pub la: Figure,
    pub national: Figure,
}

/// One measure of one school over the years, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub measure: PerformanceMeasure,
    pub years: Vec<YearFigures>,
}

impl Series {
    /// One school's figures as series, in the order of
    /// [`PerformanceMeasure::ALL`].
    pub fn of(figures: &[PerformanceFigure]) -> Vec<Series> {
        let mut by_measure: BTreeMap<PerformanceMeasure, Vec<YearFigures>> = BTreeMap::new();
        for figure in figures {
            by_measure
                .entry(figure.measure)
                .or_default()
                .push(YearFigures {
                    year: figure.year,
                    school: figure.school,
                    la: figure.la,
                    national: figure.national,
                });
        }
        by_measure
            .into_iter()
            .map(|(measure, mut years)| {
                years.sort_by_key(|year| year.year);
                Series { measure, years }
            })
            .collect()
    }

    /// The latest `count` years, if they are consecutive and each has a
    /// school figure.
    fn latest(&self, count: usize) -> Option<&[YearFigures]> {
        let run = self.years.get(self.years.len().checked_sub(count)?..)?;
        let consecutive = run
            .windows(2)
            .all(|pair| pair[1].year.0 == pair[0].year.0 + 1);
        let figured = run.iter().all(|year| year.school.value().is_some());
        (consecutive && figured).then_some(run)
    }

    fn improved_over(&self, years: &[YearFigures]) -> bool {
        let (Some(first), Some(latest)) = (years.first(), years.last()) else {
            return false;
        };
        let better_each_year = years
            .windows(2)
            .all(|pair| self.worse_than(&pair[0], &pair[1]));
        let change = match (first.school.value(), latest.school.value()) {
            (Some(then), Some(now)) => (now - then).abs(),
            _ => 0.0,
        };
        better_each_year
            && change >= self.measure.unit().significant_change()
            && latest.national.value().is_some()
            && !self.worse_than_national(latest)
    }

    fn worse_than_national(&self, year: &YearFigures) -> bool {
        match (year.school.value(), year.national.value()) {
            (Some(school), Some(national)) => self.measure.worse(school, national),
            _ => false,
        }
    }

    fn worse_than(&self, year: &YearFigures, before: &YearFigures) -> bool {
        match (year.school.value(), before.school.value()) {
            (Some(now), Some(then)) => self.measure.worse(now, then),
            _ => false,
        }
    }
}

/// What the figures show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    ConsistentlyBelowNational,
    Declining,
    AttendanceLowNotImproving,
}

impl IndicatorKind {
    /// Words that show a statement describes this finding.
    fn cues(self) -> &'static [&'static str] {
        match self {
            IndicatorKind::ConsistentlyBelowNational => &["consistently", "weak", "are high"],
            IndicatorKind::Declining => &["declin", "rising", "increasing", "not closing"],
            IndicatorKind::AttendanceLowNotImproving => &["low"],
        }
    }
}

/// A number an indicator rests on, for the adviser to see.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    #[serde(serialize_with = "year_text")]
    pub year: AcademicYear,
    pub school: f64,
    pub la: Option<f64>,
    pub national: Option<f64>,
}

fn year_text<S: Serializer>(year: &AcademicYear, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(year)
}

/// An indicator offered as marks: nothing is marked until the adviser says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub kind: IndicatorKind,
    pub measure: PerformanceMeasure,
    pub group: Measure,
    pub level: SupportCategory,
    /// What the figures show, in one sentence with the numbers.
    pub sentence: String,
    /// The years it rests on, oldest first.
    pub evidence: Vec<Evidence>,
    /// Ids of the set's statements it suggests marking.
    pub statements: Vec<String>,
}

/// Every indicator the series show, with the statements of `set` each suggests.
pub fn suggestions(series: &[Series], set: &CriteriaSet) -> Vec<Suggestion> {
    all_findings(series)
        .map(|finding| finding.suggestion(set))
        .collect()
}

/// Every indicator the series show, with the measure it is about, before
/// any criteria set is consulted.
pub fn findings(series: &[Series]) -> Vec<(IndicatorKind, PerformanceMeasure)> {
    all_findings(series)
        .map(|finding| (finding.kind, finding.measure))
        .collect()
}

fn all_findings(series: &[Series]) -> impl Iterator<Item = Finding<'_>> {
    series.iter().flat_map(|series| {
        [
            consistently_below_national(series),
            declining(series),
            attendance_low_not_improving(series),
        ]
        .into_iter()
        .flatten()
    })
}

/// Measures that improved in each of the three latest years, by a
/// significant amount in all, and now stand no worse than England: an
/// improvement worth congratulating.
pub fn improving(series: &[Series]) -> Vec<PerformanceMeasure> {
    series
        .iter()
        .filter(|series| {
            series
                .latest(3)
                .is_some_and(|years| series.improved_over(years))
        })
        .map(|series| series.measure)
        .collect()
}

/// An indicator before it is matched to a criteria set.
struct Finding<'s> {
    kind: IndicatorKind,
    measure: PerformanceMeasure,
    level: SupportCategory,
    sentence: String,
    years: &'s [YearFigures],
}

impl Finding<'_> {
    fn suggestion(self, set: &CriteriaSet) -> Suggestion {
        let group = self.measure.group();
        let cues = self.kind.cues();
        let statements = set
            .statements
            .iter()
            .filter(|statement| statement.measure == Some(group) && statement.level == self.level)
            .filter(|statement| {
                let text = statement.text.to_lowercase();
                cues.iter().any(|cue| text.contains(cue))
            })
            .map(|statement| statement.id.clone())
            .collect();
        Suggestion {
            kind: self.kind,
            measure: self.measure,
            group,
            level: self.level,
            sentence: self.sentence,
            evidence: self
                .years
                .iter()
                .filter_map(|year| {
                    Some(Evidence {
                        year: year.year,
                        school: year.school.value()?,
                        la: year.la.value(),
                        national: year.national.value(),
                    })
                })
                .collect(),
            statements,
        }
    }
}

fn consistently_below_national(series: &Series) -> Option<Finding<'_>> {
    let years = series.latest(3)?;
    if !years.iter().all(|year| series.worse_than_national(year)) {
        return None;
    }
    let measure = series.measure;
    let against: Vec<String> = years
        .iter()
        .map(|year| {
            format!(
                "{} against {} in {}",
                measure.show(year.school),
                measure.show(year.national),
                year.year
            )
        })
        .collect();
    Some(Finding {
        kind: IndicatorKind::ConsistentlyBelowNational,
        measure,
        level: SupportCategory::High,
        sentence: format!(
            "{} was {} national in each of the last three years: {}.",
            measure.label(),
            worse_than_national(measure),
            against.join(", ")
        ),
        years,
    })
}

fn declining(series: &Series) -> Option<Finding<'_>> {
    let years = series.latest(3)?;
    if !years
        .windows(2)
        .all(|pair| series.worse_than(&pair[1], &pair[0]))
    {
        return None;
    }
    let measure = series.measure;
    let latest = years.last()?;
    let path: Vec<String> = years
        .iter()
        .map(|year| format!("{} in {}", measure.show(year.school), year.year))
        .collect();
    let below = series.worse_than_national(latest);
    Some(Finding {
        kind: IndicatorKind::Declining,
        measure,
        level: if below {
            SupportCategory::High
        } else {
            SupportCategory::Medium
        },
        sentence: format!(
            "{} has got worse in each of the last three years{}: {}.",
            measure.label(),
            if below { ", to below national" } else { "" },
            path.join(", ")
        ),
        years,
    })
}

fn attendance_low_not_improving(series: &Series) -> Option<Finding<'_>> {
    let measure = series.measure;
    if measure.group() != Measure::Attendance {
        return None;
    }
    let years = series.latest(2)?;
    let [before, latest] = years else {
        return None;
    };
    if !series.worse_than_national(latest) || series.worse_than(before, latest) {
        return None;
    }
    Some(Finding {
        kind: IndicatorKind::AttendanceLowNotImproving,
        measure,
        level: SupportCategory::Medium,
        sentence: format!(
            "{} in {} was {}, worse than national ({}), and no better than in {} ({}).",
            measure.label(),
            latest.year,
            measure.show(latest.school),
            measure.show(latest.national),
            before.year,
            measure.show(before.school)
        ),
        years,
    })
}

/// How a sentence says a figure is worse than England's.
fn worse_than_national(measure: PerformanceMeasure) -> &'static str {
    if measure.group() == Measure::DisadvantagedGap {
        "wider than"
    } else if measure.higher_is_better() {
        "below"
    } else {
        "above"
    }
}

//! What the records say about a school, as facts a letter can cite.
//!
//! Each fact has a short name ("ofsted:dropped", "statement:lm-high-...")
//! that the indicator catalogue in `assets/letters/indicators.toml` uses to
//! say when an indicator applies, so the authority can change the mapping
//! without a rebuild.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Letter, LetterKind, LetterStatus};
use crate::criteria::{Measure, SupportCategory};
use crate::ofsted::OfstedInspection;
use crate::performance::{findings, improving, IndicatorKind, Series};
use crate::review::{Review, ReviewStatus};

/// How recent an inspection must be for a letter to remark on its change:
/// a letter answers news, and an inspection half a year old is not.
const RECENT_INSPECTION_DAYS: u64 = 183;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Fact {
    /// A recent inspection graded better than the one before.
    OfstedImproved,
    /// A recent inspection kept the school good or better.
    OfstedSustained,
    /// A recent inspection graded worse than the one before.
    OfstedDropped,
    /// The latest inspection found the school requires improvement or worse.
    OfstedBelowGood,
    PerformanceDeclining,
    PerformanceBelowNational,
    PerformanceImproving,
    AttendanceLow,
    DisadvantagedGapWide,
    DisadvantagedGapNarrowing,
    /// The latest agreed review places the school in high support.
    HighSupport,
    /// The two latest agreed reviews both place it in high support.
    HighSupportAgain,
    /// The latest agreed review marks this criteria statement.
    Statement(String),
    /// A letter of this kind has been issued to the school.
    Issued(LetterKind),
}

/// Everything a school's records show, on `today`.
#[derive(Debug, Clone, Copy)]
pub struct LetterRecords<'a> {
    pub inspections: &'a [OfstedInspection],
    pub reviews: &'a [Review],
    pub series: &'a [Series],
    pub letters: &'a [Letter],
    pub today: NaiveDate,
}

pub fn facts(records: LetterRecords<'_>) -> BTreeSet<Fact> {
    let mut facts = BTreeSet::new();
    facts.extend(ofsted_facts(records.inspections, records.today));
    facts.extend(performance_facts(records.series));
    facts.extend(review_facts(records.reviews));
    facts.extend(
        records
            .letters
            .iter()
            .filter(|letter| letter.status == LetterStatus::Issued)
            .map(|letter| Fact::Issued(letter.kind)),
    );
    facts
}

fn ofsted_facts(inspections: &[OfstedInspection], today: NaiveDate) -> Vec<Fact> {
    let mut by_date: Vec<&OfstedInspection> = inspections.iter().collect();
    by_date.sort_by_key(|inspection| inspection.inspected_on);
    let Some(latest) = by_date.pop() else {
        return Vec::new();
    };
    let mut facts = Vec::new();
    if latest.severity() >= 3 {
        facts.push(Fact::OfstedBelowGood);
    }
    let recent = today
        .checked_sub_days(Days::new(RECENT_INSPECTION_DAYS))
        .is_some_and(|since| latest.inspected_on >= since);
    if let Some(previous) = by_date.pop().filter(|_| recent) {
        match latest.severity().cmp(&previous.severity()) {
            std::cmp::Ordering::Less => facts.push(Fact::OfstedImproved),
            std::cmp::Ordering::Greater => facts.push(Fact::OfstedDropped),
            std::cmp::Ordering::Equal if latest.good_or_better() => {
                facts.push(Fact::OfstedSustained)
            }
            std::cmp::Ordering::Equal => {}
        }
    }
    facts
}

fn performance_facts(series: &[Series]) -> Vec<Fact> {
    let mut facts: Vec<Fact> = findings(series)
        .into_iter()
        .map(|(kind, measure)| match (kind, measure.group()) {
            (IndicatorKind::AttendanceLowNotImproving, _) => Fact::AttendanceLow,
            (_, Measure::DisadvantagedGap) => Fact::DisadvantagedGapWide,
            (IndicatorKind::Declining, _) => Fact::PerformanceDeclining,
            (IndicatorKind::ConsistentlyBelowNational, _) => Fact::PerformanceBelowNational,
        })
        .collect();
    facts.extend(
        improving(series)
            .into_iter()
            .map(|measure| match measure.group() {
                Measure::DisadvantagedGap => Fact::DisadvantagedGapNarrowing,
                _ => Fact::PerformanceImproving,
            }),
    );
    facts
}

fn review_facts(reviews: &[Review]) -> Vec<Fact> {
    let mut agreed: Vec<&Review> = reviews
        .iter()
        .filter(|review| review.status == ReviewStatus::Agreed)
        .collect();
    agreed.sort_by_key(|review| review.reviewed_on);
    let Some(latest) = agreed.pop() else {
        return Vec::new();
    };
    let mut facts: Vec<Fact> = latest
        .marks
        .iter()
        .map(|mark| Fact::Statement(mark.statement.clone()))
        .collect();
    if latest.category() == Some(SupportCategory::High) {
        facts.push(Fact::HighSupport);
        let before = agreed.pop().and_then(Review::category);
        if before == Some(SupportCategory::High) {
            facts.push(Fact::HighSupportAgain);
        }
    }
    facts
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Statement(id) => write!(f, "statement:{id}"),
            Fact::Issued(kind) => write!(f, "issued:{kind}"),
            fact => f.write_str(
                SIMPLE
                    .iter()
                    .find(|(_, known)| known == fact)
                    .map_or("", |(name, _)| name),
            ),
        }
    }
}

/// The facts without a parameter, by name.
const SIMPLE: [(&str, Fact); 12] = [
    ("ofsted:improved", Fact::OfstedImproved),
    ("ofsted:sustained", Fact::OfstedSustained),
    ("ofsted:dropped", Fact::OfstedDropped),
    ("ofsted:below-good", Fact::OfstedBelowGood),
    ("performance:declining", Fact::PerformanceDeclining),
    ("performance:below-national", Fact::PerformanceBelowNational),
    ("performance:improving", Fact::PerformanceImproving),
    ("attendance:low", Fact::AttendanceLow),
    ("disadvantaged:gap-wide", Fact::DisadvantagedGapWide),
    (
        "disadvantaged:gap-narrowing",
        Fact::DisadvantagedGapNarrowing,
    ),
    ("category:high", Fact::HighSupport),
    ("category:high-again", Fact::HighSupportAgain),
];

impl FromStr for Fact {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some((_, fact)) = SIMPLE.iter().find(|(name, _)| *name == text) {
            return Ok(fact.clone());
        }
        if let Some(id) = text.strip_prefix("statement:").filter(|id| !id.is_empty()) {
            return Ok(Fact::Statement(id.to_owned()));
        }
        if let Some(kind) = text.strip_prefix("issued:") {
            return kind.parse().map(Fact::Issued);
        }
        let names: Vec<&str> = SIMPLE.iter().map(|(name, _)| *name).collect();
        Err(format!(
            "unknown fact \"{text}\": expected statement:ID, issued:KIND or one of {}",
            names.join(", ")
        ))
    }
}

impl TryFrom<String> for Fact {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<Fact> for String {
    fn from(fact: Fact) -> String {
        fact.to_string()
    }
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;

//! Everything recorded about one school that a letter may draw on, gathered
//! by the store and read by the suggestions and the templates.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::catalogue::Catalogue;
use super::facts::{facts, Fact, LetterRecords};
use super::suggest::{suggest, LetterSuggestion, SuggestionInputs};
use super::warning::{Ground, Power, WarningTerms};
use super::Letter;
use crate::action::Action;
use crate::ofsted::OfstedInspection;
use crate::people::{Adviser, Contact};
use crate::performance::{PerformanceFigure, Series};
use crate::review::Review;
use crate::school::School;
use crate::visit::Visit;

#[derive(Debug, Clone, PartialEq)]
pub struct LetterMaterial {
    pub school: School,
    pub contacts: Vec<Contact>,
    /// The adviser writing, who signs unless the template names another.
    pub author: Option<Adviser>,
    pub inspections: Vec<OfstedInspection>,
    pub reviews: Vec<Review>,
    pub figures: Vec<PerformanceFigure>,
    pub actions: Vec<Action>,
    pub visits: Vec<Visit>,
    pub letters: Vec<Letter>,
}

impl LetterMaterial {
    pub fn facts(&self, today: NaiveDate) -> BTreeSet<Fact> {
        self.suggestion_records().facts(today)
    }

    pub fn suggestions(&self, catalogue: &Catalogue, today: NaiveDate) -> Vec<LetterSuggestion> {
        self.suggestion_records().suggestions(catalogue, today)
    }

    fn suggestion_records(&self) -> SuggestionRecords<'_> {
        SuggestionRecords {
            school: &self.school,
            inspections: &self.inspections,
            reviews: &self.reviews,
            figures: &self.figures,
            letters: &self.letters,
            visits: &self.visits,
        }
    }
}

/// The part of a school's records its facts and suggested letters read.
#[derive(Debug, Clone, Copy)]
pub struct SuggestionRecords<'a> {
    pub school: &'a School,
    pub inspections: &'a [OfstedInspection],
    pub reviews: &'a [Review],
    pub figures: &'a [PerformanceFigure],
    pub letters: &'a [Letter],
    pub visits: &'a [Visit],
}

impl SuggestionRecords<'_> {
    pub fn facts(&self, today: NaiveDate) -> BTreeSet<Fact> {
        facts(LetterRecords {
            inspections: self.inspections,
            reviews: self.reviews,
            series: &Series::of(self.figures),
            letters: self.letters,
            today,
        })
    }

    /// The letters the records say are due on `today`.
    pub fn suggestions(&self, catalogue: &Catalogue, today: NaiveDate) -> Vec<LetterSuggestion> {
        let facts = self.facts(today);
        let inputs = SuggestionInputs {
            governance: self.school.governance(),
            facts: &facts,
            letters: self.letters,
            visits: self.visits,
            today,
        };
        suggest(inputs, catalogue)
    }
}

/// Terms to start a warning notice from: the ground the cited indicators
/// point to, the 15 working days statutory guidance suggests, and the two
/// powers authorities most often name.
pub fn default_terms(indicators: &[String]) -> WarningTerms {
    let management = [
        "leadership-breakdown",
        "leaders-not-acting",
        "governors-not-challenging",
    ];
    let ground = if indicators
        .iter()
        .any(|id| management.contains(&id.as_str()))
    {
        Ground::ManagementBreakdown
    } else {
        Ground::LowStandards
    };
    WarningTerms {
        ground,
        compliance_days: 15,
        minded_to: vec![Power::AdditionalGovernors, Power::InterimExecutiveBoard],
    }
}

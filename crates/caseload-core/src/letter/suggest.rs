//! Which letters are due: a kind is suggested when an indicator applies
//! that no issued letter of that kind has cited yet, and a note of visit is
//! due for every recent finalised visit without one. A warning notice is
//! the authority's last step before intervening, so it is proposed only for
//! a school its latest review placed in high support, and congratulations
//! only for one it did not.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::Serialize;
use uuid::Uuid;

use super::catalogue::Catalogue;
use super::facts::Fact;
use super::{Letter, LetterKind, LetterStatus};
use crate::school::Governance;
use crate::visit::{Visit, VisitStatus};

/// A letter the records say is due, with the indicators to cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterSuggestion {
    pub kind: LetterKind,
    /// Ids of the catalogue's indicators that apply, in its order.
    pub indicators: Vec<String>,
    /// For a note of visit: the visit it records.
    pub visit: Option<Uuid>,
}

/// A school's records as the suggestions read them.
#[derive(Debug, Clone, Copy)]
pub struct SuggestionInputs<'a> {
    pub governance: Governance,
    pub facts: &'a BTreeSet<Fact>,
    pub letters: &'a [Letter],
    pub visits: &'a [Visit],
    pub today: NaiveDate,
}

/// How long after a visit its note is still worth sending.
const VISIT_NOTE_DAYS: u64 = 28;

pub fn suggest(inputs: SuggestionInputs<'_>, catalogue: &Catalogue) -> Vec<LetterSuggestion> {
    let mut suggestions: Vec<LetterSuggestion> = LetterKind::ALL
        .into_iter()
        .filter(|kind| kind.suits(inputs.governance))
        .filter(|kind| gate_open(*kind, inputs.facts))
        .filter_map(|kind| cited_suggestion(kind, inputs, catalogue))
        .collect();
    suggestions.extend(visit_notes_due(inputs));
    suggestions
}

/// A warning notice is for a school in high support, and a congratulations
/// letter is not: the two would contradict each other in the same week.
fn gate_open(kind: LetterKind, facts: &BTreeSet<Fact>) -> bool {
    let high = facts.contains(&Fact::HighSupport);
    match kind {
        LetterKind::WarningNotice => high,
        LetterKind::Congratulations => !high,
        _ => true,
    }
}

fn cited_suggestion(
    kind: LetterKind,
    inputs: SuggestionInputs<'_>,
    catalogue: &Catalogue,
) -> Option<LetterSuggestion> {
    let already_cited: BTreeSet<&str> = inputs
        .letters
        .iter()
        .filter(|letter| letter.kind == kind && letter.status == LetterStatus::Issued)
        .flat_map(|letter| letter.indicators.iter().map(String::as_str))
        .collect();
    let indicators: Vec<String> = catalogue
        .applying(kind, inputs.facts)
        .into_iter()
        .map(|indicator| indicator.id.clone())
        .collect();
    let new = indicators
        .iter()
        .any(|id| !already_cited.contains(id.as_str()));
    new.then_some(LetterSuggestion {
        kind,
        indicators,
        visit: None,
    })
}

/// Recent finalised visits (not addenda) that no note of visit records yet.
fn visit_notes_due(inputs: SuggestionInputs<'_>) -> impl Iterator<Item = LetterSuggestion> + '_ {
    let noted: BTreeSet<Uuid> = inputs
        .letters
        .iter()
        .filter(|letter| letter.kind == LetterKind::VisitNote)
        .filter_map(|letter| letter.visit)
        .collect();
    let since = inputs.today.checked_sub_days(Days::new(VISIT_NOTE_DAYS));
    inputs
        .visits
        .iter()
        .filter(|visit| visit.status == VisitStatus::Finalised && visit.addendum_to.is_none())
        .filter(move |visit| since.is_some_and(|since| visit.visited_on >= since))
        .filter(move |visit| !noted.contains(&visit.id))
        .map(|visit| LetterSuggestion {
            kind: LetterKind::VisitNote,
            indicators: Vec::new(),
            visit: Some(visit.id),
        })
}

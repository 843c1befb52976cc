//! Best-fit scoring: from the statements an adviser marks to a level of
//! support for each area and overall, with the reasons.
//!
//! The strategy's rule is "best fit, i.e. a school does not have to meet all
//! bullet points listed to be judged in any one category". Caseload reads it
//! so:
//!
//! 1. For each level, the *share* of that level's statements the school
//!    meets (marked, over the number the set lists at that level). Shares,
//!    not counts, because levels list different numbers of statements.
//! 2. The best fit is the level with the largest share. A level no statement
//!    of which is marked is never the best fit; nothing marked, no level.
//! 3. A tie goes to the higher level of support.
//! 4. A marked *decisive* statement (statutory safeguarding not met; a
//!    warning notice or significant concerns letter issued) places its area
//!    and the school in high support, whatever the shares say.
//!
//! Each area is scored over its own statements; overall over every
//! statement of the set. The result depends only on which statements are
//! marked (not their order, nor repeats), and marking one more statement of
//! a level at or above the current result never lowers it: only that
//! level's share grows.
//!
//! The adviser may overrule the computed category with a written rationale;
//! [`CategoryDecision`] keeps both, never one instead of the other.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::criteria::{CriteriaSet, Statement, SupportCategory};

/// A statement the adviser marks as applying, with an optional evidence note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Mark {
    pub fn new(statement: impl Into<String>) -> Mark {
        Mark {
            statement: statement.into(),
            evidence: None,
        }
    }
}

/// How many of a level's statements are met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Share {
    pub met: usize,
    pub of: usize,
}

impl Share {
    /// Compares met/of fractions exactly, without floating point.
    fn cmp_fraction(self, other: Share) -> Ordering {
        (self.met * other.of.max(1)).cmp(&(other.met * self.of.max(1)))
    }
}

/// A marked statement that carried a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub statement: String,
    pub level: SupportCategory,
    pub text: String,
    pub decisive: bool,
    pub evidence: Option<String>,
}

/// The best fit over some statements, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BestFit {
    /// None when nothing is marked.
    pub level: Option<SupportCategory>,
    pub shares: BTreeMap<SupportCategory, Share>,
    /// Decisive statements first, then the marked statements of the level.
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaScore {
    pub area: String,
    pub name: String,
    #[serde(flatten)]
    pub fit: BestFit,
}

/// The result of scoring one school against one set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scorecard {
    pub set: String,
    pub areas: Vec<AreaScore>,
    pub overall: BestFit,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScoringError {
    #[error("statement {statement:?} is not in criteria set {set:?}")]
    UnknownStatement { set: String, statement: String },
}

/// Scores the marked statements against `set` by best fit (module docs).
pub fn score(set: &CriteriaSet, marks: &[Mark]) -> Result<Scorecard, ScoringError> {
    let mut marked: BTreeMap<&str, &Mark> = BTreeMap::new();
    for mark in marks {
        if set.statement(&mark.statement).is_none() {
            return Err(ScoringError::UnknownStatement {
                set: set.id.clone(),
                statement: mark.statement.clone(),
            });
        }
        // The first mark of a statement keeps its evidence; repeats add nothing.
        marked.entry(mark.statement.as_str()).or_insert(mark);
    }
    // Whether each statement of the set is marked, looked up once.
    let statements: Vec<(&Statement, Option<&Mark>)> = set
        .statements
        .iter()
        .map(|statement| (statement, marked.get(statement.id.as_str()).copied()))
        .collect();
    let areas = set
        .areas
        .iter()
        .map(|area| AreaScore {
            area: area.id.clone(),
            name: area.name.clone(),
            fit: best_fit(statements.iter().filter(|(s, _)| s.area == area.id)),
        })
        .collect();
    Ok(Scorecard {
        set: set.id.clone(),
        areas,
        overall: best_fit(statements.iter()),
    })
}

/// The best fit over some statements, each with its mark if marked.
fn best_fit<'a, 's: 'a>(
    statements: impl Iterator<Item = &'a (&'s Statement, Option<&'s Mark>)> + Clone,
) -> BestFit {
    let mut shares: BTreeMap<SupportCategory, Share> = SupportCategory::ALL
        .into_iter()
        .map(|level| (level, Share { met: 0, of: 0 }))
        .collect();
    let mut decisive = Vec::new();
    for (statement, mark) in statements.clone() {
        let share = shares
            .entry(statement.level)
            .or_insert(Share { met: 0, of: 0 });
        share.of += 1;
        if let Some(mark) = mark {
            share.met += 1;
            if statement.decisive {
                decisive.push(reason(statement, mark));
            }
        }
    }
    let level = if decisive.is_empty() {
        largest_share(&shares)
    } else {
        Some(SupportCategory::High)
    };
    let carried = statements.filter_map(|(statement, mark)| {
        let carries = Some(statement.level) == level && !statement.decisive;
        mark.filter(|_| carries).map(|mark| reason(statement, mark))
    });
    let reasons = decisive.into_iter().chain(carried).collect();
    BestFit {
        level,
        shares,
        reasons,
    }
}

/// The level with the largest share met; a tie goes to the higher level.
fn largest_share(shares: &BTreeMap<SupportCategory, Share>) -> Option<SupportCategory> {
    shares
        .iter()
        .filter(|(_, share)| share.met > 0)
        // Levels come lowest first, so on a tie `max_by` keeps the later, higher one.
        .max_by(|(_, a), (_, b)| a.cmp_fraction(**b))
        .map(|(level, _)| *level)
}

fn reason(statement: &Statement, mark: &Mark) -> Reason {
    Reason {
        statement: statement.id.clone(),
        level: statement.level,
        text: statement.text.clone(),
        decisive: statement.decisive,
        evidence: mark.evidence.clone(),
    }
}

/// The adviser's overrule of the computed category, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub category: SupportCategory,
    pub rationale: String,
}

/// The computed category and, beside it, any override: both are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryDecision {
    pub computed: Option<SupportCategory>,
    pub overridden: Option<Override>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecisionError {
    #[error("an override needs a written rationale")]
    MissingRationale,
}

impl CategoryDecision {
    pub fn new(
        computed: Option<SupportCategory>,
        overridden: Option<Override>,
    ) -> Result<CategoryDecision, DecisionError> {
        if overridden
            .as_ref()
            .is_some_and(|decision| decision.rationale.trim().is_empty())
        {
            return Err(DecisionError::MissingRationale);
        }
        Ok(CategoryDecision {
            computed,
            overridden,
        })
    }

    /// The category the school is placed in: the override where there is one.
    pub fn category(&self) -> Option<SupportCategory> {
        self.overridden
            .as_ref()
            .map(|decision| decision.category)
            .or(self.computed)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::criteria::tests::SMALL;
    use SupportCategory::{High, Low, Medium};

    fn small() -> CriteriaSet {
        CriteriaSet::from_toml(SMALL).expect("small set parses")
    }

    fn scored(ids: &[&str]) -> Scorecard {
        let marks: Vec<Mark> = ids.iter().map(|id| Mark::new(*id)).collect();
        score(&small(), &marks).expect("scores")
    }

    fn area(card: &Scorecard, id: &str) -> Option<SupportCategory> {
        card.areas
            .iter()
            .find(|area| area.area == id)
            .and_then(|area| area.fit.level)
    }

    #[test]
    fn nothing_marked_means_no_judgement_yet() {
        let card = scored(&[]);
        assert_eq!(card.overall.level, None);
        assert!(card.areas.iter().all(|area| area.fit.level.is_none()));
    }

    #[test]
    fn a_school_need_not_meet_every_statement_of_a_level() {
        // One of leadership's two high statements is not marked, yet the
        // area is high: "a school does not have to meet all bullet points".
        let card = scored(&["l-high", "t-low"]);
        assert_eq!(area(&card, "leadership"), Some(High));
        assert_eq!(area(&card, "teaching"), Some(Low));
    }

    #[test]
    fn shares_not_counts_decide() {
        // Overall: low 1 of 2, high 1 of 3: low has the larger share.
        let card = scored(&["l-low", "t-high"]);
        assert_eq!(card.overall.level, Some(Low));
        assert_eq!(card.overall.shares[&Low], Share { met: 1, of: 2 });
        assert_eq!(card.overall.shares[&High], Share { met: 1, of: 3 });
    }

    #[test]
    fn a_tie_goes_to_the_higher_level_of_support() {
        let card = scored(&["t-low", "t-medium"]);
        assert_eq!(area(&card, "teaching"), Some(Medium));
    }

    #[test]
    fn a_decisive_statement_means_high_support_whatever_else_is_marked() {
        let card = scored(&["l-low", "t-low", "l-safeguarding"]);
        assert_eq!(card.overall.level, Some(High));
        assert_eq!(area(&card, "leadership"), Some(High));
        assert_eq!(area(&card, "teaching"), Some(Low));
        assert_eq!(card.overall.reasons[0].statement, "l-safeguarding");
        assert!(card.overall.reasons[0].decisive);
    }

    #[test]
    fn reasons_are_the_marked_statements_that_carried_the_level_with_their_evidence() {
        let marks = vec![
            Mark {
                statement: "t-medium".to_owned(),
                evidence: Some("Year 4 books show gaps".to_owned()),
            },
            Mark::new("l-medium"),
            Mark::new("l-low"),
        ];
        let card = score(&small(), &marks).expect("scores");
        assert_eq!(card.overall.level, Some(Medium));
        let reasons: Vec<&str> = card
            .overall
            .reasons
            .iter()
            .map(|r| r.statement.as_str())
            .collect();
        assert_eq!(reasons, ["l-medium", "t-medium"]);
        assert_eq!(
            card.overall.reasons[1].evidence.as_deref(),
            Some("Year 4 books show gaps")
        );
    }

    #[test]
    fn an_unknown_statement_is_refused() {
        let error = score(&small(), &[Mark::new("l-low"), Mark::new("nope")]).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "statement \"nope\" is not in criteria set \"small\""
        );
    }

    #[test]
    fn an_override_is_kept_beside_the_computed_category_and_needs_a_rationale() {
        let overridden = Override {
            category: High,
            rationale: "Headteacher resigned; governance in turmoil".to_owned(),
        };
        let decision = CategoryDecision::new(Some(Medium), Some(overridden)).expect("valid");
        assert_eq!(decision.category(), Some(High));
        assert_eq!(decision.computed, Some(Medium));
        let bare = Override {
            category: Low,
            rationale: "  ".to_owned(),
        };
        assert_eq!(
            CategoryDecision::new(Some(Medium), Some(bare)),
            Err(DecisionError::MissingRationale)
        );
    }

    fn any_marks() -> impl Strategy<Value = Vec<String>> {
        let ids: Vec<String> = small().statements.iter().map(|s| s.id.clone()).collect();
        proptest::collection::vec(proptest::sample::select(ids), 0..12)
    }

    proptest! {
        #[test]
        fn the_result_depends_only_on_which_statements_are_marked(mut ids in any_marks()) {
            let set = small();
            let marks: Vec<Mark> = ids.iter().map(Mark::new).collect();
            let first = score(&set, &marks).expect("scores");
            ids.reverse();
            ids.extend(ids.clone());
            let again: Vec<Mark> = ids.iter().map(Mark::new).collect();
            prop_assert_eq!(first, score(&set, &again).expect("scores"));
        }

        #[test]
        fn marking_a_statement_at_or_above_the_result_never_lowers_it(ids in any_marks(), extra in any_marks()) {
            let set = small();
            let mut marks: Vec<Mark> = ids.iter().map(Mark::new).collect();
            let before = score(&set, &marks).expect("scores");
            for id in extra {
                let Some(statement) = set.statement(&id) else { continue };
                if before.overall.level.is_some_and(|level| statement.level < level) {
                    continue;
                }
                marks.push(Mark::new(id.clone()));
                let after = score(&set, &marks).expect("scores");
                prop_assert!(after.overall.level >= before.overall.level);
                prop_assert!(after.overall.level.is_some());
                for (old, new) in before.areas.iter().zip(&after.areas) {
                    if statement.area == old.area && old.fit.level.is_none_or(|level| statement.level >= level) {
                        prop_assert!(new.fit.level >= old.fit.level);
                    }
                }
                marks.pop();
            }
        }

        #[test]
        fn a_decisive_mark_always_means_high_support(ids in any_marks()) {
            let set = small();
            let mut marks: Vec<Mark> = ids.iter().map(Mark::new).collect();
            marks.push(Mark::new("l-safeguarding"));
            prop_assert_eq!(score(&set, &marks).expect("scores").overall.level, Some(High));
        }
    }
}

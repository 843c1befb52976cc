//! Reviews of a school's support category over time.
//!
//! A review is dated, belongs to the term its date falls in, and is a draft
//! until the adviser agrees it. Agreeing scores the marks against the
//! criteria set and keeps the computed category, and any override with its
//! rationale, beside each other. An agreed review is never edited: a later
//! view is a new review. The school's category history and its direction of
//! travel come from consecutive agreed reviews; the strategy asks for at
//! least termly monitoring, so a school with no agreed review this term is
//! flagged.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::calendar::{AcademicYear, Term, TermCalendar};
use crate::criteria::{CriteriaSet, SupportCategory};
use crate::people::AdviserId;
use crate::school::Urn;
use crate::scoring::{score, CategoryDecision, DecisionError, Mark, Override, ScoringError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    Draft,
    Agreed,
}

/// One review of one school against one criteria set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub id: Uuid,
    pub urn: Urn,
    pub criteria_set: String,
    pub reviewed_on: NaiveDate,
    pub adviser: Option<AdviserId>,
    pub marks: Vec<Mark>,
    pub status: ReviewStatus,
    /// The best fit when agreed; None while a draft (it is computed live).
    pub computed: Option<SupportCategory>,
    pub overridden: Option<Override>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReviewError {
    #[error("the review of {0} has been agreed and cannot change: start a new review")]
    AlreadyAgreed(NaiveDate),
    #[error("the review is scored against {review:?}, not {given:?}")]
    WrongSet { review: String, given: String },
    #[error("nothing is marked: mark the statements that apply before agreeing")]
    NothingMarked,
    #[error(transparent)]
    Scoring(#[from] ScoringError),
    #[error(transparent)]
    Decision(#[from] DecisionError),
}

impl Review {
    /// A new draft with nothing marked.
    pub fn draft(id: Uuid, urn: Urn, criteria_set: &str, reviewed_on: NaiveDate) -> Review {
        Review {
            id,
            urn,
            criteria_set: criteria_set.to_owned(),
            reviewed_on,
            adviser: None,
            marks: Vec::new(),
            status: ReviewStatus::Draft,
            computed: None,
            overridden: None,
        }
    }

    /// Replaces the marks of a draft.
    pub fn remark(&mut self, marks: Vec<Mark>) -> Result<(), ReviewError> {
        self.check_draft()?;
        self.marks = marks;
        Ok(())
    }

    /// Agrees the draft: scores it against `set` and keeps the computed
    /// category beside the adviser's override, if any.
    pub fn agree(
        &mut self,
        set: &CriteriaSet,
        overridden: Option<Override>,
    ) -> Result<(), ReviewError> {
        self.check_draft()?;
        if set.id != self.criteria_set {
            return Err(ReviewError::WrongSet {
                review: self.criteria_set.clone(),
                given: set.id.clone(),
            });
        }
        if self.marks.is_empty() {
            return Err(ReviewError::NothingMarked);
        }
        let computed = score(set, &self.marks)?.overall.level;
        let decision = CategoryDecision::new(computed, overridden)?;
        self.computed = decision.computed;
        self.overridden = decision.overridden;
        self.status = ReviewStatus::Agreed;
        Ok(())
    }

    /// The category the review places the school in, once agreed.
    pub fn category(&self) -> Option<SupportCategory> {
        if self.status != ReviewStatus::Agreed {
            return None;
        }
        CategoryDecision {
            computed: self.computed,
            overridden: self.overridden.clone(),
        }
        .category()
    }

    fn check_draft(&self) -> Result<(), ReviewError> {
        match self.status {
            ReviewStatus::Draft => Ok(()),
            ReviewStatus::Agreed => Err(ReviewError::AlreadyAgreed(self.reviewed_on)),
        }
    }
}

/// How a school's category moved since its previous agreed review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Less support needed than before.
    Improving,
    Steady,
    /// More support needed than before.
    Declining,
}

impl Direction {
    pub fn between(previous: SupportCategory, latest: SupportCategory) -> Direction {
        match latest.cmp(&previous) {
            std::cmp::Ordering::Less => Direction::Improving,
            std::cmp::Ordering::Equal => Direction::Steady,
            std::cmp::Ordering::Greater => Direction::Declining,
        }
    }
}

/// One agreed review in a school's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub review: Uuid,
    pub reviewed_on: NaiveDate,
    pub year: AcademicYear,
    pub term: Term,
    pub category: SupportCategory,
    pub overridden: bool,
    /// Why the adviser overruled the computed category; None when they did not.
    pub rationale: Option<String>,
    /// None for the first agreed review.
    pub direction: Option<Direction>,
}

/// The agreed reviews, oldest first, each with its direction of travel.
pub fn history(reviews: &[Review], calendar: &TermCalendar) -> Vec<HistoryEntry> {
    let mut agreed: Vec<(&Review, SupportCategory)> = reviews
        .iter()
        .filter_map(|review| review.category().map(|category| (review, category)))
        .collect();
    agreed.sort_by_key(|(review, _)| (review.reviewed_on, review.id));
    let mut previous = None;
    agreed
        .into_iter()
        .map(|(review, category)| {
            let position = calendar.locate(review.reviewed_on);
            let entry = HistoryEntry {
                review: review.id,
                reviewed_on: review.reviewed_on,
                year: position.year,
                term: position.term,
                category,
                overridden: review.overridden.is_some(),
                rationale: review
                    .overridden
                    .as_ref()
                    .map(|decision| decision.rationale.clone()),
                direction: previous.map(|before| Direction::between(before, category)),
            };
            previous = Some(category);
            entry
        })
        .collect()
}

/// True when no agreed review falls in the term of `today`.
pub fn review_due(reviews: &[Review], today: NaiveDate, calendar: &TermCalendar) -> bool {
    let now = calendar.locate(today);
    !reviews.iter().any(|review| {
        let then = calendar.locate(review.reviewed_on);
        review.status == ReviewStatus::Agreed && (then.year, then.term) == (now.year, now.term)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::tests::SMALL;
    use SupportCategory::{High, Low, Medium};

    fn set() -> CriteriaSet {
        CriteriaSet::from_toml(SMALL).expect("small set")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn agreed(n: u128, on: NaiveDate, marks: &[&str], overridden: Option<Override>) -> Review {
        let mut review = Review::draft(Uuid::from_u128(n), Urn(990_001), "small", on);
        review
            .remark(marks.iter().map(|id| Mark::new(*id)).collect())
            .expect("draft");
        review.agree(&set(), overridden).expect("agrees");
        review
    }

    #[test]
    fn agreeing_keeps_the_computed_category_beside_the_override() {
        let review = agreed(
            1,
            date(2026, 10, 1),
            &["l-medium"],
            Some(Override {
                category: High,
                rationale: "Headteacher absent long term".to_owned(),
            }),
        );
        assert_eq!(review.computed, Some(Medium));
        assert_eq!(review.category(), Some(High));
    }

    #[test]
    fn an_agreed_review_never_changes() {
        let mut review = agreed(1, date(2026, 10, 1), &["l-low"], None);
        assert_eq!(
            review.remark(vec![Mark::new("l-high")]),
            Err(ReviewError::AlreadyAgreed(date(2026, 10, 1)))
        );
        assert!(review.agree(&set(), None).is_err());
        assert_eq!(review.category(), Some(Low));
    }

    #[test]
    fn a_draft_has_no_category_and_cannot_be_agreed_empty_or_against_another_set() {
        let mut draft = Review::draft(Uuid::nil(), Urn(990_001), "small", date(2026, 10, 1));
        assert_eq!(draft.category(), None);
        assert_eq!(draft.agree(&set(), None), Err(ReviewError::NothingMarked));
        draft.criteria_set = "other".to_owned();
        draft.marks = vec![Mark::new("l-low")];
        assert!(matches!(
            draft.agree(&set(), None),
            Err(ReviewError::WrongSet { .. })
        ));
    }

    #[test]
    fn history_gives_the_direction_of_travel_between_agreed_reviews() {
        let calendar = TermCalendar::default();
        let mut draft = Review::draft(Uuid::from_u128(9), Urn(990_001), "small", date(2026, 11, 1));
        draft.marks = vec![Mark::new("l-low")];
        let reviews = vec![
            agreed(3, date(2027, 2, 1), &["l-low"], None),
            agreed(1, date(2026, 9, 20), &["l-high"], None),
            draft,
            agreed(2, date(2026, 12, 1), &["l-medium"], None),
            agreed(4, date(2027, 5, 1), &["l-low"], None),
        ];
        let entries = history(&reviews, &calendar);
        let directions: Vec<Option<Direction>> =
            entries.iter().map(|entry| entry.direction).collect();
        assert_eq!(
            directions,
            [
                None,
                Some(Direction::Improving),
                Some(Direction::Improving),
                Some(Direction::Steady)
            ]
        );
        assert_eq!(entries[0].term, Term::Autumn);
        assert_eq!(entries[2].term, Term::Spring);
        let worse = [
            agreed(1, date(2026, 9, 20), &["l-low"], None),
            agreed(2, date(2027, 2, 1), &["l-high"], None),
        ];
        assert_eq!(
            history(&worse, &calendar)[1].direction,
            Some(Direction::Declining)
        );
    }

    #[test]
    fn history_keeps_why_a_review_was_overruled() {
        let rationale = "Headteacher absent long term";
        let overruled = Override {
            category: High,
            rationale: rationale.to_owned(),
        };
        let reviews = [
            agreed(1, date(2026, 9, 20), &["l-low"], None),
            agreed(2, date(2027, 2, 1), &["l-low"], Some(overruled)),
        ];
        let entries = history(&reviews, &TermCalendar::default());
        assert_eq!(
            (entries[0].overridden, entries[0].rationale.as_deref()),
            (false, None)
        );
        assert_eq!(
            (entries[1].overridden, entries[1].rationale.as_deref()),
            (true, Some(rationale))
        );
        assert_eq!(entries[1].category, High);
    }

    #[test]
    fn a_school_without_an_agreed_review_this_term_is_flagged() {
        let calendar = TermCalendar::default();
        let autumn = [agreed(1, date(2026, 9, 20), &["l-low"], None)];
        assert!(!review_due(&autumn, date(2026, 12, 10), &calendar));
        assert!(
            review_due(&autumn, date(2027, 1, 10), &calendar),
            "a new term needs a new review"
        );
        let mut draft = Review::draft(Uuid::nil(), Urn(990_001), "small", date(2027, 1, 12));
        draft.marks = vec![Mark::new("l-low")];
        assert!(
            review_due(&[draft], date(2027, 1, 20), &calendar),
            "a draft is not a review yet"
        );
    }
}

//! Reviews of a school's support category, kept for ever: a draft may be
//! rewritten, an agreed review never.
//!
//! The scoring screen works on the school's draft under way: its marks are
//! saved as the adviser ticks them, and agreeing scores them against the
//! criteria set and keeps the result. The rules (best fit, what an agreed
//! review may not do) are `caseload-core`'s; this module finds and stores.

use caseload_core::criteria::CriteriaSet;
use caseload_core::review::{history, HistoryEntry, Review, ReviewError, ReviewStatus};
use caseload_core::scoring::{score, Mark, Override, Scorecard};
use caseload_core::Urn;
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::criteria_sets::{criteria_folder, criteria_set, criteria_sets, DEFAULT_CRITERIA_SET};
use crate::queries::term_calendar;
use crate::records::load_where;
use crate::{Store, StoreError};

/// What the adviser has marked on the scoring screen: the criteria set, the
/// statements that apply with their evidence, and any override being written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MarkedReview {
    pub set: String,
    pub marks: Vec<Mark>,
    #[serde(default)]
    pub overridden: Option<Override>,
}

impl Store {
    /// The school's reviews, oldest first, drafts included.
    pub fn reviews(&self, urn: Urn) -> Result<Vec<Review>, StoreError> {
        let mut reviews = load_where::<Review>(self.conn(), "urn = ?1", [urn.0])?;
        reviews.sort_by_key(|review| (review.reviewed_on, review.id));
        Ok(reviews)
    }

    /// Writes a draft or a newly agreed review; refuses to change one that
    /// was agreed before.
    pub fn save_review(&mut self, review: &Review) -> Result<(), StoreError> {
        self.school(review.urn)?;
        let stored = load_where::<Review>(self.conn(), "id = ?1", [review.id.to_string()])?;
        if let Some(agreed) = stored.iter().find(|r| r.status == ReviewStatus::Agreed) {
            return Err(ReviewError::AlreadyAgreed(agreed.reviewed_on).into());
        }
        self.write(|writer| writer.save(review))?;
        Ok(())
    }

    /// The school's agreed reviews with their direction of travel.
    pub fn review_history(&self, urn: Urn) -> Result<Vec<HistoryEntry>, StoreError> {
        Ok(history(&self.reviews(urn)?, &term_calendar()?))
    }

    /// The criteria set `id`, or the default set when none is named: shipped
    /// with the app, or from the `criteria` folder beside this store.
    pub fn criteria(&self, id: Option<&str>) -> Result<CriteriaSet, StoreError> {
        criteria_set(
            &criteria_folder(self.path()),
            id.unwrap_or(DEFAULT_CRITERIA_SET),
        )
    }

    /// Every criteria set a school may be scored against.
    pub fn all_criteria(&self) -> Result<Vec<CriteriaSet>, StoreError> {
        criteria_sets(&criteria_folder(self.path()))
    }

    /// Scores `marks` against the criteria set `set` by best fit.
    pub fn score_marks(&self, set: &str, marks: &[Mark]) -> Result<Scorecard, StoreError> {
        let set = self.criteria(Some(set))?;
        Ok(score(&set, marks).map_err(ReviewError::from)?)
    }

    /// The school's draft under way: the latest, should there be more than one.
    pub fn current_draft(&self, urn: Urn) -> Result<Option<Review>, StoreError> {
        Ok(self
            .reviews(urn)?
            .into_iter()
            .rev()
            .find(|review| review.status == ReviewStatus::Draft))
    }

    /// Saves what the adviser has marked as the school's draft under way,
    /// starting one if there is none. The draft is dated `today`, the day the
    /// adviser last worked on it. An override's rationale is checked only
    /// when the review is agreed.
    pub fn save_draft(
        &mut self,
        urn: Urn,
        marked: MarkedReview,
        today: NaiveDate,
    ) -> Result<Review, StoreError> {
        let (mut review, _) = self.draft_with(urn, &marked.set, marked.marks, today)?;
        review.overridden = marked.overridden;
        self.save_review(&review)?;
        Ok(review)
    }

    /// Agrees the school's review as marked, dated `today`: the draft under
    /// way, or a new review if there is none. From then on it never changes.
    pub fn agree_review(
        &mut self,
        urn: Urn,
        marked: MarkedReview,
        today: NaiveDate,
    ) -> Result<Review, StoreError> {
        let (mut review, set) = self.draft_with(urn, &marked.set, marked.marks, today)?;
        review.agree(&set, marked.overridden)?;
        self.save_review(&review)?;
        Ok(review)
    }

    /// The draft under way (or a new one) remarked, with its criteria set.
    /// Marks of statements the set does not hold are refused.
    fn draft_with(
        &self,
        urn: Urn,
        set: &str,
        marks: Vec<Mark>,
        today: NaiveDate,
    ) -> Result<(Review, CriteriaSet), StoreError> {
        let set = self.criteria(Some(set))?;
        score(&set, &marks).map_err(ReviewError::from)?;
        let mut review = match self.current_draft(urn)? {
            Some(draft) => draft,
            None => {
                let mut draft = Review::draft(Uuid::now_v7(), urn, &set.id, today);
                draft.adviser = self.current_adviser_id()?;
                draft
            }
        };
        review.criteria_set.clone_from(&set.id);
        review.reviewed_on = today;
        review.remark(marks)?;
        Ok((review, set))
    }
}

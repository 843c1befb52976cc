//! Reviews of a school's support category, kept for ever: a draft may be
//! rewritten, an agreed review never.

use caseload_core::review::{history, HistoryEntry, Review, ReviewError, ReviewStatus};
use caseload_core::Urn;

use crate::queries::term_calendar;
use crate::records::load_where;
use crate::{Store, StoreError};

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
}

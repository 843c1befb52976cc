//! Reviews in the store: drafts rewritten, agreed reviews kept unchanged,
//! history with direction of travel, and reviews synced like every record.

use caseload_core::criteria::SupportCategory;
use caseload_core::review::{Direction, Review, ReviewError};
use caseload_core::scoring::Mark;
use caseload_core::{samples, Urn};
use caseload_store::{criteria_set, Store, StoreError, DEFAULT_CRITERIA_SET};
use chrono::NaiveDate;
use uuid::Uuid;

fn store() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store.load_demo().expect("demo");
    store
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn agreed(on: NaiveDate, statements: &[&str]) -> Review {
    let set =
        criteria_set(std::path::Path::new("/nonexistent"), DEFAULT_CRITERIA_SET).expect("set");
    let mut review = Review::draft(Uuid::now_v7(), Urn(990001), DEFAULT_CRITERIA_SET, on);
    review
        .remark(statements.iter().map(|id| Mark::new(*id)).collect())
        .expect("draft");
    review.agree(&set, None).expect("agreed");
    review
}

#[test]
fn an_agreed_review_is_kept_unchanged() {
    let mut store = store();
    let review = agreed(date(2026, 9, 20), &["lm-high-vision-unclear"]);
    store.save_review(&review).expect("saved");
    let mut changed = review.clone();
    changed.marks = vec![Mark::new("lm-low-leadership-strong")];
    let error = store
        .save_review(&changed)
        .expect_err("agreed review refused");
    assert!(
        matches!(error, StoreError::Review(ReviewError::AlreadyAgreed(_))),
        "{error}"
    );
    assert_eq!(store.reviews(Urn(990001)).expect("reviews"), vec![review]);
}

#[test]
fn a_draft_may_be_rewritten_then_agreed() {
    let mut store = store();
    let mut draft = samples::review();
    draft.urn = Urn(990001);
    draft.adviser = None;
    store.save_review(&draft).expect("draft saved");
    draft.marks.push(Mark::new("lm-medium-vision-lacks-detail"));
    store.save_review(&draft).expect("draft rewritten");
    assert_eq!(
        store.reviews(Urn(990001)).expect("reviews")[0].marks.len(),
        2
    );
    assert!(
        store
            .review_history(Urn(990001))
            .expect("history")
            .is_empty(),
        "drafts are not history"
    );
}

#[test]
fn history_shows_the_direction_of_travel() {
    let mut store = store();
    store
        .save_review(&agreed(date(2026, 9, 20), &["lm-high-vision-unclear"]))
        .expect("saved");
    store
        .save_review(&agreed(
            date(2027, 1, 20),
            &["lm-medium-vision-lacks-detail"],
        ))
        .expect("saved");
    let history = store.review_history(Urn(990001)).expect("history");
    let path: Vec<(SupportCategory, Option<Direction>)> = history
        .iter()
        .map(|entry| (entry.category, entry.direction))
        .collect();
    assert_eq!(
        path,
        [
            (SupportCategory::High, None),
            (SupportCategory::Medium, Some(Direction::Improving))
        ]
    );
}

#[test]
fn a_review_of_an_unknown_school_is_refused_and_reviews_are_exported() {
    let mut store = store();
    let mut review = agreed(date(2026, 9, 20), &["lm-low-leadership-strong"]);
    review.urn = Urn(123);
    assert!(matches!(
        store.save_review(&review),
        Err(StoreError::SchoolNotFound(Urn(123)))
    ));
    review.urn = Urn(990001);
    store.save_review(&review).expect("saved");
    let export = store.export().expect("export");
    assert_eq!(export["records"]["review"][0]["computed"], "low");
    let pending = store.pending_operations().expect("outbox");
    assert!(
        pending.iter().any(|op| op.entity == "review"),
        "a review syncs like every record"
    );
}

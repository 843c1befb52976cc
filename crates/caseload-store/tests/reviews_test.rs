//! Reviews in the store: drafts rewritten, agreed reviews kept unchanged,
//! history with direction of travel, and reviews synced like every record;
//! the scoring screen's draft under way, saved as ticks change, then agreed.

mod common;

use common::{date, demo_store};

use caseload_core::criteria::SupportCategory;
use caseload_core::review::{Direction, Review, ReviewError, ReviewStatus};
use caseload_core::scoring::{DecisionError, Mark, Override, ScoringError};
use caseload_core::{samples, Urn};
use caseload_store::{criteria_set, MarkedReview, StoreError, DEFAULT_CRITERIA_SET};
use chrono::NaiveDate;
use uuid::Uuid;

fn agreed(on: NaiveDate, statements: &[&str]) -> Review {
    let set =
        criteria_set(std::path::Path::new("/nonexistent"), DEFAULT_CRITERIA_SET).expect("set");
    let mut review = Review::draft(Uuid::now_v7(), Urn(990003), DEFAULT_CRITERIA_SET, on);
    review
        .remark(statements.iter().map(|id| Mark::new(*id)).collect())
        .expect("draft");
    review.agree(&set, None).expect("agreed");
    review
}

#[test]
fn an_agreed_review_is_kept_unchanged() {
    let mut store = demo_store();
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
    assert_eq!(store.reviews(Urn(990003)).expect("reviews"), vec![review]);
}

#[test]
fn a_draft_may_be_rewritten_then_agreed() {
    let mut store = demo_store();
    let mut draft = samples::review();
    draft.urn = Urn(990003);
    draft.adviser = None;
    store.save_review(&draft).expect("draft saved");
    draft.marks.push(Mark::new("lm-medium-vision-lacks-detail"));
    store.save_review(&draft).expect("draft rewritten");
    assert_eq!(
        store.reviews(Urn(990003)).expect("reviews")[0].marks.len(),
        2
    );
    assert!(
        store
            .review_history(Urn(990003))
            .expect("history")
            .is_empty(),
        "drafts are not history"
    );
}

#[test]
fn history_shows_the_direction_of_travel() {
    let mut store = demo_store();
    store
        .save_review(&agreed(date(2026, 9, 20), &["lm-high-vision-unclear"]))
        .expect("saved");
    store
        .save_review(&agreed(
            date(2027, 1, 20),
            &["lm-medium-vision-lacks-detail"],
        ))
        .expect("saved");
    let history = store.review_history(Urn(990003)).expect("history");
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
    let mut store = demo_store();
    let mut review = agreed(date(2026, 9, 20), &["lm-low-leadership-strong"]);
    review.urn = Urn(123);
    assert!(matches!(
        store.save_review(&review),
        Err(StoreError::SchoolNotFound(Urn(123)))
    ));
    review.urn = Urn(990003);
    store.save_review(&review).expect("saved");
    let export = store.export().expect("export");
    assert_eq!(export["records"]["review"][0]["computed"], "low");
    let pending = store.pending_operations().expect("outbox");
    assert!(
        pending.iter().any(|op| op.entity == "review"),
        "a review syncs like every record"
    );
}

fn marks(statements: &[&str]) -> Vec<Mark> {
    statements.iter().map(|id| Mark::new(*id)).collect()
}

/// Statements ticked against the default set, with no override.
fn marked(statements: &[&str]) -> MarkedReview {
    MarkedReview {
        set: DEFAULT_CRITERIA_SET.to_owned(),
        marks: marks(statements),
        overridden: None,
    }
}

fn overruled(category: SupportCategory, rationale: &str) -> Option<Override> {
    Some(Override {
        category,
        rationale: rationale.to_owned(),
    })
}

#[test]
fn the_draft_under_way_is_saved_as_ticks_change() {
    let mut store = demo_store();
    let school = Urn(990003);
    assert_eq!(store.current_draft(school).expect("draft"), None);
    let first = store
        .save_draft(
            school,
            marked(&["lm-low-leadership-strong"]),
            date(2026, 11, 2),
        )
        .expect("draft started");
    let mut noted = marked(&["lm-low-leadership-strong", "qe-low-curriculum-coherent"]);
    noted.marks[1].evidence = Some("Curriculum maps seen for every subject".to_owned());
    // An override being written is kept with the draft, rationale or not yet.
    noted.overridden = overruled(SupportCategory::Medium, "");
    let second = store
        .save_draft(school, noted.clone(), date(2026, 11, 3))
        .expect("draft saved");
    assert_eq!(second.id, first.id, "one draft, rewritten");
    let draft = store
        .current_draft(school)
        .expect("draft")
        .expect("a draft under way");
    assert_eq!(draft.marks, noted.marks);
    assert_eq!(draft.overridden, noted.overridden);
    assert_eq!(draft.reviewed_on, date(2026, 11, 3));
    assert_eq!(draft.adviser, store.current_adviser_id().expect("adviser"));
    assert_eq!(store.reviews(school).expect("reviews").len(), 1);
}

#[test]
fn agreeing_keeps_the_override_beside_the_computed_category_and_ends_the_draft() {
    let mut store = demo_store();
    let school = Urn(990003);
    let draft = store
        .save_draft(
            school,
            marked(&["lm-low-leadership-strong"]),
            date(2026, 11, 2),
        )
        .expect("draft");
    let mut agreeing = marked(&["lm-low-leadership-strong", "lm-low-vision-communicated"]);
    agreeing.overridden = overruled(SupportCategory::Medium, "New headteacher from January");
    let agreed = store
        .agree_review(school, agreeing.clone(), date(2026, 11, 4))
        .expect("agreed");
    assert_eq!(agreed.id, draft.id, "the draft under way is the one agreed");
    assert_eq!(agreed.status, ReviewStatus::Agreed);
    assert_eq!(agreed.computed, Some(SupportCategory::Low));
    assert_eq!(agreed.overridden, agreeing.overridden);
    assert_eq!(agreed.marks, agreeing.marks);
    assert_eq!(store.current_draft(school).expect("draft"), None);
    let history = store.review_history(school).expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].category, SupportCategory::Medium);
    assert!(history[0].overridden);
    assert_eq!(history[0].reviewed_on, date(2026, 11, 4));

    let next = store
        .save_draft(
            school,
            marked(&["lm-high-vision-unclear"]),
            date(2027, 1, 12),
        )
        .expect("a new draft");
    assert_ne!(next.id, agreed.id, "a later view is a new review");
}

#[test]
fn a_review_that_cannot_be_agreed_leaves_the_draft_as_it_was() {
    let mut store = demo_store();
    let school = Urn(990003);
    let ticked = marked(&["lm-low-leadership-strong"]);
    store
        .save_draft(school, ticked.clone(), date(2026, 11, 2))
        .expect("draft");
    let mut bare = marked(&["lm-high-vision-unclear"]);
    bare.overridden = overruled(SupportCategory::High, " ");
    let error = store
        .agree_review(school, bare, date(2026, 11, 4))
        .expect_err("an override needs a rationale");
    assert!(
        matches!(
            error,
            StoreError::Review(ReviewError::Decision(DecisionError::MissingRationale))
        ),
        "{error}"
    );
    let nothing = store
        .agree_review(school, marked(&[]), date(2026, 11, 4))
        .expect_err("nothing marked");
    assert!(
        matches!(nothing, StoreError::Review(ReviewError::NothingMarked)),
        "{nothing}"
    );
    let draft = store
        .current_draft(school)
        .expect("draft")
        .expect("still a draft");
    assert_eq!(draft.marks, ticked.marks);
    assert!(store.review_history(school).expect("history").is_empty());
}

#[test]
fn marks_of_statements_the_set_does_not_hold_are_refused() {
    let mut store = demo_store();
    let school = Urn(990003);
    let error = store
        .save_draft(school, marked(&["no-such-statement"]), date(2026, 11, 2))
        .expect_err("unknown statement");
    assert!(
        matches!(
            error,
            StoreError::Review(ReviewError::Scoring(ScoringError::UnknownStatement { .. }))
        ),
        "{error}"
    );
    let mut elsewhere = marked(&[]);
    elsewhere.set = "no-such-set".to_owned();
    assert!(matches!(
        store.save_draft(school, elsewhere, date(2026, 11, 2)),
        Err(StoreError::UnknownCriteriaSet { .. })
    ));
    assert!(store.reviews(school).expect("reviews").is_empty());
}

#[test]
fn marks_are_scored_against_the_set_named_and_the_default_set_is_the_authoritys() {
    let store = demo_store();
    assert_eq!(
        store.criteria(None).expect("default").id,
        DEFAULT_CRITERIA_SET
    );
    let ids: Vec<String> = store
        .all_criteria()
        .expect("sets")
        .into_iter()
        .map(|set| set.id)
        .collect();
    assert!(ids.contains(&"report-card-2025".to_owned()), "{ids:?}");
    let card = store
        .score_marks(
            DEFAULT_CRITERIA_SET,
            &marks(&["lm-low-leadership-strong", "lm-high-warning-notice"]),
        )
        .expect("scored");
    assert_eq!(card.overall.level, Some(SupportCategory::High));
    assert!(card.overall.reasons[0].decisive);
}

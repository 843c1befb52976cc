//! Visits in the store, the enhanced offer, and what each school is owed:
//! the demo caseload's standing on a day, and how a visit changes it.

mod common;

use common::{date, demo_store};

use caseload_core::action::{Action, ActionSource};
use caseload_core::criteria::SupportCategory;
use caseload_core::entitlement::PeriodState;
use caseload_core::review::Direction;
use caseload_core::visit::{AreaNote, Session, Visit, VisitError, VisitKind, VisitStatus};
use caseload_core::{AcademicYear, Urn};
use caseload_store::views::{SchoolDue, SchoolRow, SchoolScope};
use caseload_store::{Store, StoreError};
use chrono::NaiveDate;
use uuid::Uuid;

const WESTFIELD: Urn = Urn(990008);
const NORTHGATE: Urn = Urn(990007);

fn written(urn: Urn, on: NaiveDate) -> Visit {
    let mut visit = Visit::plan(Uuid::now_v7(), urn, on, Session::Am, VisitKind::Core);
    visit
        .edit(|visit| visit.notes = vec![AreaNote::general("Learning walk with the head.")])
        .expect("editable");
    visit
}

fn due(store: &Store, on: NaiveDate, urn: Urn) -> SchoolDue {
    store
        .visits_due_on(on, SchoolScope::Caseload)
        .expect("due")
        .into_iter()
        .find(|school| school.urn == urn.0)
        .expect("in the caseload")
}

fn row(store: &Store, on: NaiveDate, urn: Urn) -> SchoolRow {
    store
        .school_rows_on(on, SchoolScope::Caseload)
        .expect("rows")
        .into_iter()
        .find(|row| row.urn == urn.0)
        .expect("in the caseload")
}

#[test]
fn a_visit_that_took_place_makes_the_term_done() {
    let mut store = demo_store();
    let day = date(2026, 11, 23);
    assert_eq!(due(&store, day, WESTFIELD).due, 1);
    // The demo's planned December visit does not count until it happens.
    let planned = store.visits(Some(WESTFIELD)).expect("visits");
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].status, VisitStatus::Planned);

    store
        .save_visit(&written(WESTFIELD, date(2026, 11, 18)))
        .expect("saved");
    let after = due(&store, day, WESTFIELD);
    assert_eq!((after.due, after.overdue), (0, 0));
    assert_eq!(after.entitlement.periods[0].state, PeriodState::Done);
}

#[test]
fn a_term_that_ends_without_its_visit_is_overdue() {
    let store = demo_store();
    // Westfield's autumn visit is planned for December but never happens.
    let spring = date(2027, 1, 20);
    let owed = due(&store, spring, WESTFIELD);
    assert_eq!(owed.entitlement.periods[0].state, PeriodState::Overdue);
    assert_eq!((owed.due, owed.overdue), (1, 1));
    assert_eq!(row(&store, spring, WESTFIELD).visits_overdue, 1);
}

#[test]
fn the_caseload_rows_show_category_direction_and_what_is_owed() {
    let store = demo_store();
    let northgate = row(&store, date(2026, 11, 23), NORTHGATE);
    assert_eq!(northgate.category, Some(SupportCategory::High));
    assert_eq!(northgate.direction, Some(Direction::Declining));
    assert!(!northgate.review_due, "reviewed in September");
    // High support: half-termly, and the second half of autumn is under way.
    assert_eq!(northgate.visits_due, 1);

    let westfield = row(&store, date(2026, 11, 23), WESTFIELD);
    assert_eq!(westfield.category, None);
    assert!(westfield.review_due);
    assert_eq!(westfield.next_visit, Some(date(2026, 12, 2)));
    assert_eq!(row(&store, date(2026, 12, 3), WESTFIELD).next_visit, None);
    // Next term, Northgate's autumn review no longer counts for this term.
    assert!(row(&store, date(2027, 1, 20), NORTHGATE).review_due);
}

#[test]
fn a_finalised_visit_is_never_changed_and_an_addendum_is_linked_to_it() {
    let mut store = demo_store();
    let mut visit = written(WESTFIELD, date(2026, 11, 18));
    visit.finalise().expect("notes written");
    store.save_visit(&visit).expect("saved");

    let mut changed = visit.clone();
    changed.strengths = "Rewritten later".into();
    let error = store.save_visit(&changed).expect_err("finalised");
    assert!(matches!(error, StoreError::Visit(VisitError::Finalised(_))));
    assert_eq!(store.visit(visit.id).expect("read"), Some(visit.clone()));

    let addendum = visit
        .addendum(Uuid::now_v7(), date(2026, 11, 20))
        .expect("finalised");
    store.save_visit(&addendum).expect("saved");
    assert_eq!(store.visits(Some(WESTFIELD)).expect("visits").len(), 3);
    // An addendum is words, not another visit.
    assert_eq!(
        due(&store, date(2026, 11, 23), WESTFIELD)
            .entitlement
            .periods[0]
            .done,
        1
    );
}

#[test]
fn bad_visits_are_refused_and_change_nothing() {
    let mut store = demo_store();
    let before = store.visits(None).expect("visits");

    let unknown_school = written(Urn(123_456), date(2026, 11, 18));
    assert!(matches!(
        store.save_visit(&unknown_school),
        Err(StoreError::SchoolNotFound(Urn(123_456)))
    ));

    let mut orphan = written(WESTFIELD, date(2026, 11, 18));
    orphan.addendum_to = Some(Uuid::now_v7());
    assert!(matches!(
        store.save_visit(&orphan),
        Err(StoreError::VisitNotFound(_))
    ));

    let draft = written(WESTFIELD, date(2026, 11, 18));
    store.save_visit(&draft).expect("saved");
    let mut addendum_to_draft = written(WESTFIELD, date(2026, 11, 19));
    addendum_to_draft.addendum_to = Some(draft.id);
    assert!(matches!(
        store.save_visit(&addendum_to_draft),
        Err(StoreError::Visit(VisitError::AddendumToUnfinished(_)))
    ));
    assert_eq!(store.visits(None).expect("visits").len(), before.len() + 1);
}

#[test]
fn the_enhanced_offer_counts_visits_for_the_year_it_was_taken() {
    let mut store = demo_store();
    let year = AcademicYear(2026);
    store.add_enhanced_offer(WESTFIELD, year).expect("added");
    store
        .add_enhanced_offer(WESTFIELD, year)
        .expect("added twice");
    assert!(store
        .enhanced_offers(year)
        .expect("offers")
        .contains(&WESTFIELD));
    assert_eq!(
        store
            .enhanced_offers(year)
            .expect("offers")
            .iter()
            .filter(|urn| **urn == WESTFIELD)
            .count(),
        1
    );
    store
        .save_visit(&written(WESTFIELD, date(2026, 10, 1)))
        .expect("saved");
    let offer = due(&store, date(2026, 11, 23), WESTFIELD)
        .entitlement
        .enhanced_offer
        .expect("on the offer");
    assert_eq!((offer.used, offer.allowed), (1, 6));
    // Not next year.
    assert!(due(&store, date(2027, 9, 20), WESTFIELD)
        .entitlement
        .enhanced_offer
        .is_none());
    assert!(matches!(
        store.add_enhanced_offer(Urn(123_456), year),
        Err(StoreError::SchoolNotFound(_))
    ));
}

#[test]
fn overdue_open_actions_count_on_the_caseload_row() {
    let mut store = demo_store();
    let visit = written(WESTFIELD, date(2026, 11, 2));
    store.save_visit(&visit).expect("saved");
    let agree = |text: &str, due| {
        Action::agree(
            Uuid::now_v7(),
            WESTFIELD,
            text,
            "Headteacher",
            due,
            ActionSource::Visit(visit.id),
        )
        .expect("valid")
    };
    let overdue = agree("Publish the phonics catch-up plan", date(2026, 11, 13));
    let mut done = agree("Book the writing moderation", date(2026, 11, 6));
    done.complete(date(2026, 11, 5)).expect("open");
    let later = agree("Report to governors", date(2026, 12, 9));
    for action in [&overdue, &done, &later] {
        store.save_action(action).expect("saved");
    }
    assert_eq!(
        row(&store, date(2026, 11, 23), WESTFIELD).actions_overdue,
        1
    );
    assert_eq!(
        row(&store, date(2026, 12, 10), WESTFIELD).actions_overdue,
        2
    );
}

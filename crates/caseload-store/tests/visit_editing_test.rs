//! A visit as the desktop editor writes it: planned, autosaved as a draft,
//! actions agreed and reviewed, finalised, then added to by an addendum.

use caseload_core::action::{ActionError, ActionStatus};
use caseload_core::visit::{AreaNote, Session, Visit, VisitError, VisitKind, VisitStatus};
use caseload_core::Urn;
use caseload_store::{Store, StoreError};
use chrono::NaiveDate;
use uuid::Uuid;

const WESTFIELD: Urn = Urn(990008);

fn store() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store.load_demo().expect("demo");
    store
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("valid date")
}

fn planned(store: &mut Store) -> Visit {
    store
        .plan_visit(WESTFIELD, date(11, 18), Session::Pm, VisitKind::Bespoke)
        .expect("planned")
}

fn typed(mut visit: Visit, evidence: &str) -> Visit {
    visit.notes = vec![AreaNote {
        area: "leadership".into(),
        evidence: evidence.into(),
        judgement: None,
    }];
    visit
}

#[test]
fn a_planned_visit_is_the_current_advisers_and_typing_makes_it_a_draft() {
    let mut store = store();
    let visit = planned(&mut store);
    assert_eq!(visit.status, VisitStatus::Planned);
    assert_eq!(visit.adviser, store.current_adviser_id().expect("adviser"));
    assert_eq!(store.visit(visit.id).expect("read"), Some(visit.clone()));

    let saved = store
        .save_visit_draft(typed(visit.clone(), "Leaders know the school well."))
        .expect("autosaved");
    assert_eq!(saved.status, VisitStatus::Draft);
    assert_eq!(store.visit(visit.id).expect("read"), Some(saved));
}

#[test]
fn a_finalised_visit_refuses_drafts_and_takes_an_addendum() {
    let mut store = store();
    let visit = planned(&mut store);
    assert!(matches!(
        store.finalise_visit(visit.id),
        Err(StoreError::Visit(VisitError::NothingWritten(_)))
    ));
    let draft = store
        .save_visit_draft(typed(visit.clone(), "Phonics is consistent."))
        .expect("autosaved");
    let finalised = store.finalise_visit(visit.id).expect("finalised");
    assert_eq!(finalised.status, VisitStatus::Finalised);

    let late_typing = typed(draft, "Typed after finalising");
    assert!(matches!(
        store.save_visit_draft(late_typing),
        Err(StoreError::Visit(VisitError::Finalised(_)))
    ));
    assert_eq!(store.visit(visit.id).expect("read"), Some(finalised));

    let addendum = store.add_addendum(visit.id, date(11, 20)).expect("added");
    assert_eq!(addendum.addendum_to, Some(visit.id));
    assert_eq!(addendum.status, VisitStatus::Draft);
    let sheet = store.visit_sheet(visit.id, date(11, 20)).expect("sheet");
    assert_eq!(sheet.addenda, [addendum]);
}

#[test]
fn the_sheet_lists_the_actions_agreed_at_the_visit_and_those_carried_into_it() {
    let mut store = store();
    let earlier = planned(&mut store);
    store
        .save_visit_draft(typed(earlier.clone(), "Autumn visit."))
        .expect("saved");
    let carried = store
        .agree_action(
            earlier.id,
            "Publish the catch-up plan",
            "Mr Pryce",
            date(11, 13),
        )
        .expect("agreed");
    let visit = planned(&mut store);
    let agreed = store
        .agree_action(
            visit.id,
            "  Share the plan with governors ",
            "Chair",
            date(12, 9),
        )
        .expect("agreed");
    assert_eq!(agreed.text, "Share the plan with governors");

    let sheet = store.visit_sheet(visit.id, date(11, 23)).expect("sheet");
    assert_eq!(sheet.school, "Westfield Primary School");
    assert!(sheet.areas.len() >= 4, "the set's areas: {:?}", sheet.areas);
    let ids = |actions: &[caseload_store::ActionOnDay]| -> Vec<Uuid> {
        actions.iter().map(|shown| shown.action.id).collect()
    };
    assert_eq!(ids(&sheet.agreed), [agreed.id]);
    assert!(!sheet.agreed[0].overdue);
    assert_eq!(ids(&sheet.to_review), [carried.id]);
    assert!(sheet.to_review[0].overdue);

    // Reviewed as done, it is no longer carried; the school still lists it.
    store
        .complete_action(carried.id, date(11, 23))
        .expect("done");
    let sheet = store.visit_sheet(visit.id, date(11, 23)).expect("sheet");
    assert!(sheet.to_review.is_empty());
    let listed = store
        .school_actions(WESTFIELD, date(11, 23))
        .expect("actions");
    let shown = listed
        .iter()
        .find(|shown| shown.action.id == carried.id)
        .expect("listed");
    assert!(!shown.overdue);
    assert_eq!(shown.action.status, ActionStatus::Done { on: date(11, 23) });
}

#[test]
fn bad_actions_are_refused_with_what_is_missing_and_change_nothing() {
    let mut store = store();
    let visit = planned(&mut store);
    let before = store.actions(Some(WESTFIELD)).expect("actions");
    assert!(matches!(
        store.agree_action(visit.id, "Do it", " ", date(12, 1)),
        Err(StoreError::Action(ActionError::Missing("a named owner")))
    ));
    assert!(matches!(
        store.agree_action(Uuid::now_v7(), "Do it", "Head", date(12, 1)),
        Err(StoreError::VisitNotFound(_))
    ));
    let action = store
        .agree_action(visit.id, "Do it", "Head", date(12, 1))
        .expect("agreed");
    assert!(matches!(
        store.drop_action(action.id, date(11, 2), ""),
        Err(StoreError::Action(ActionError::NoReason))
    ));
    assert!(matches!(
        store.complete_action(Uuid::now_v7(), date(11, 2)),
        Err(StoreError::ActionNotFound(_))
    ));
    let dropped = store
        .drop_action(action.id, date(11, 2), "Superseded by the MSP plan")
        .expect("dropped");
    assert!(matches!(
        store.complete_action(action.id, date(11, 3)),
        Err(StoreError::Action(ActionError::Closed("dropped")))
    ));
    assert_eq!(store.action(action.id).expect("read"), dropped);
    assert_eq!(
        store.actions(Some(WESTFIELD)).expect("actions").len(),
        before.len() + 1
    );
}

//! The adviser's diary in the store: planned visits and planned meetings of
//! open MSP groups, each with the stamp of its records' last change; what
//! leaves it (a visit begun, a group closed); and the watch that hears of
//! every change that may alter it, from a write or from a sync.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use caseload_core::action::ActionStatus;
use caseload_core::visit::{Session, VisitKind};
use caseload_core::Urn;
use caseload_store::Store;
use common::{date, demo_store};

const NORTHGATE: Urn = Urn(990_007);
const WESTFIELD: Urn = Urn(990_008);

/// How many times the store has told its watch the diary may have changed.
fn watched(store: &mut Store) -> Arc<AtomicUsize> {
    let told = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&told);
    store.watch_diary(Box::new(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    told
}

#[test]
fn planned_visits_and_meetings_are_in_the_diary_until_begun_held_or_closed() {
    let mut store = demo_store();
    let before = store.diary().expect("diary");
    let visit = store
        .plan_visit(
            WESTFIELD,
            date(2027, 1, 12),
            Session::Pm,
            VisitKind::Bespoke,
        )
        .expect("planned");
    let group = store.msp_groups(Some(NORTHGATE)).expect("groups")[0].id;
    let meeting = store
        .schedule_msp_meeting(group, date(2027, 1, 6), None)
        .expect("scheduled");

    let diary = store.diary().expect("diary");
    assert_eq!(diary.visits.len(), before.visits.len() + 1);
    assert_eq!(diary.meetings.len(), before.meetings.len() + 1);
    let entry = diary
        .visits
        .iter()
        .find(|entry| entry.visit.id == visit.id)
        .expect("the visit is in the diary");
    assert_eq!(entry.school.name, "Westfield Primary School");
    assert!(diary
        .meetings
        .iter()
        .any(|entry| entry.meeting.id == meeting.id));
    let dates: Vec<_> = diary
        .visits
        .iter()
        .map(|entry| entry.visit.visited_on)
        .collect();
    assert!(dates.is_sorted(), "soonest first: {dates:?}");

    let mut begun = visit.clone();
    begun.purpose = "Bespoke: reading in Key Stage 1".into();
    store.save_visit_draft(begun).expect("saved");
    store
        .close_msp_group(group, date(2026, 12, 1), "The school is now Medium support")
        .expect("closed");
    let after = store.diary().expect("diary");
    assert!(
        after.visits.iter().all(|entry| entry.visit.id != visit.id),
        "begun"
    );
    assert!(
        after.meetings.is_empty(),
        "the group's meetings went with it"
    );
}

#[test]
fn an_edit_revises_the_event_and_the_same_store_gives_the_same_diary() {
    let mut store = demo_store();
    let visit = store
        .plan_visit(
            WESTFIELD,
            date(2027, 1, 12),
            Session::Pm,
            VisitKind::Bespoke,
        )
        .expect("planned");
    let revision = |store: &Store| {
        store
            .diary()
            .expect("diary")
            .visits
            .into_iter()
            .find(|entry| entry.visit.id == visit.id)
            .expect("in the diary")
            .revised
    };
    let first = revision(&store);
    assert_eq!(store.diary().expect("diary"), store.diary().expect("again"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let mut school = store.school(WESTFIELD).expect("school");
    school.name = "Westfield Primary Academy".into();
    store.write(|writer| writer.save(&school)).expect("renamed");
    let second = revision(&store);
    assert!(second > first, "the school's change revises its events");
    assert!(second.sequence() > first.sequence());
}

#[test]
fn the_watch_hears_of_changes_to_the_diarys_records_and_of_nothing_else() {
    let mut store = demo_store();
    let told = watched(&mut store);
    store
        .plan_visit(WESTFIELD, date(2027, 1, 12), Session::Am, VisitKind::Core)
        .expect("planned");
    assert_eq!(told.load(Ordering::SeqCst), 1, "a visit planned");
    let group = store.msp_groups(Some(NORTHGATE)).expect("groups")[0].id;
    store
        .schedule_msp_meeting(group, date(2027, 1, 6), None)
        .expect("scheduled");
    assert_eq!(told.load(Ordering::SeqCst), 2, "a meeting planned");
    let action = store
        .actions(None)
        .expect("actions")
        .into_iter()
        .find(|action| action.status == ActionStatus::Open)
        .expect("an open action");
    store
        .drop_action(action.id, date(2026, 12, 1), "No longer needed")
        .expect("dropped");
    assert_eq!(
        told.load(Ordering::SeqCst),
        2,
        "an action is not in the diary"
    );
    let refused = store.plan_visit(Urn(1), date(2027, 1, 12), Session::Am, VisitKind::Core);
    assert!(refused.is_err());
    assert_eq!(
        told.load(Ordering::SeqCst),
        2,
        "nothing written, nothing told"
    );
}

#[test]
fn another_adviser_taking_the_store_changes_the_diary_and_tells_the_watch() {
    let mut store = demo_store();
    let mine = store
        .plan_visit(WESTFIELD, date(2027, 1, 12), Session::Am, VisitKind::Core)
        .expect("planned");
    let told = watched(&mut store);
    let colleague = store
        .adviser_by("margaret.okonjo@fenbridge.example")
        .expect("a demo adviser");
    store.set_current_adviser(colleague.id).expect("switched");
    assert_eq!(told.load(Ordering::SeqCst), 1);
    let diary = store.diary().expect("diary");
    assert!(
        diary.visits.iter().all(|entry| entry.visit.id != mine.id),
        "the visit another adviser planned is in their diary, not this one"
    );
}

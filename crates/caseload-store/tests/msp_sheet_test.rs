//! What the app's MSP pages read from the store: a meeting's page with its
//! action log before anything is written (the open actions carried from
//! earlier meetings) and once approved (as it stood), the offer of a group
//! on one school's page, and the advisers who may chair.

mod common;

use caseload_core::action::Rag;
use caseload_core::msp::{ActionUpdate, MeetingStatus};
use caseload_core::Urn;
use caseload_store::Store;
use common::{date, demo_store};
use uuid::Uuid;

const NORTHGATE: Urn = Urn(990_007);
const ST_MARYS: Urn = Urn(990_001);
const CURRICULUM: &str =
    "Publish a sequenced curriculum map for every subject, shared with staff and governors";
const ATTENDANCE: &str = "Meet each week with the families of pupils whose attendance is below 90%";

fn northgate_group(store: &Store) -> Uuid {
    store.msp_groups(Some(NORTHGATE)).expect("groups")[0].id
}

#[test]
fn a_planned_meeting_shows_the_open_actions_it_will_carry_before_anything_is_written() {
    let mut store = demo_store();
    let group = northgate_group(&store);
    let planned = store
        .schedule_msp_meeting(group, date(2027, 1, 6), None)
        .expect("scheduled");

    let sheet = store
        .msp_meeting_sheet(planned.id, date(2026, 11, 23))
        .expect("sheet");
    assert_eq!(sheet.meeting.status, MeetingStatus::Planned);
    assert!(sheet.meeting.action_log.is_empty(), "nothing was written");
    let carried: Vec<(&str, Rag, bool)> = sheet
        .log
        .iter()
        .map(|row| (row.text.as_str(), row.rag, row.agreed_here))
        .collect();
    assert_eq!(
        carried,
        [
            (CURRICULUM, Rag::Red, false),
            (ATTENDANCE, Rag::Amber, false)
        ],
        "the open actions, soonest due first; the two done at the second meeting stay behind"
    );
    assert_eq!(sheet.view.group.id, group);
    assert_eq!(sheet.view.school, "Northgate Primary School");

    // A RAG changed at the meeting shows on its log at once.
    let curriculum = sheet.log[0].action;
    store
        .record_msp_meeting(
            planned.id,
            None,
            &[ActionUpdate {
                action: curriculum,
                rag: Some(Rag::Amber),
                ..ActionUpdate::default()
            }],
            &[],
        )
        .expect("recorded");
    let sheet = store
        .msp_meeting_sheet(planned.id, date(2026, 11, 23))
        .expect("sheet");
    assert_eq!(sheet.log[0].rag, Rag::Amber);
}

#[test]
fn an_approved_meeting_shows_its_log_as_it_stood_whatever_happened_since() {
    let mut store = demo_store();
    let group = northgate_group(&store);
    let second = store.msp_meetings(group).expect("meetings")[1].clone();
    let planned = store
        .schedule_msp_meeting(group, date(2027, 1, 6), None)
        .expect("scheduled");
    let curriculum = second
        .action_log
        .iter()
        .find(|row| row.text == CURRICULUM)
        .expect("logged")
        .action;
    store
        .record_msp_meeting(
            planned.id,
            None,
            &[ActionUpdate {
                action: curriculum,
                rag: Some(Rag::Green),
                ..ActionUpdate::default()
            }],
            &[],
        )
        .expect("recorded");

    let sheet = store
        .msp_meeting_sheet(second.id, date(2027, 1, 7))
        .expect("sheet");
    assert_eq!(sheet.log, second.action_log);
    assert!(sheet
        .log
        .iter()
        .any(|row| row.action == curriculum && row.rag == Rag::Red));
}

#[test]
fn a_group_is_offered_to_a_school_in_high_support_only_while_it_has_none_open() {
    let mut store = demo_store();
    assert_eq!(store.msp_offer(NORTHGATE).expect("offer"), None);
    assert_eq!(
        store.msp_offer(ST_MARYS).expect("offer"),
        None,
        "St Mary's is in low support"
    );

    store
        .close_msp_group(
            northgate_group(&store),
            date(2026, 11, 23),
            "to test the offer",
        )
        .expect("closed");
    let offer = store
        .msp_offer(NORTHGATE)
        .expect("offer")
        .expect("offered again once the group closed");
    assert_eq!(offer.school, "Northgate Primary School");
    assert_eq!(store.msp_offers().expect("offers"), vec![offer]);
}

#[test]
fn only_a_senior_sia_or_the_governance_lead_is_offered_as_chair() {
    let store = demo_store();
    let chairs: Vec<String> = store
        .msp_chairs()
        .expect("chairs")
        .into_iter()
        .map(|adviser| adviser.name)
        .collect();
    assert_eq!(chairs, ["Margaret Okonjo"]);
}

//! MSP groups in the store: the demo's group at Northgate, who may chair,
//! one open group per school, meetings written up whole or not at all, the
//! action log carried between meetings, approved minutes frozen, and the
//! PDFs kept as first printed.

mod common;

use caseload_core::action::{ActionSource, ActionStatus, Rag};
use caseload_core::letter::LetterKind;
use caseload_core::msp::escalation::Concern;
use caseload_core::msp::{
    ActionUpdate, MeetingStatus, MinutesEdit, MinutesFile, MspError, MspMeeting, NewAction, Outcome,
};
use caseload_core::Urn;
use caseload_store::{MspDocument, Store, StoreError};
use common::{date, demo_store};
use uuid::Uuid;

const NORTHGATE: Urn = Urn(990_007);
const CASTLE_HILL: Urn = Urn(990_002);
const CHAIR: &str = "margaret.okonjo@fenbridge.example";
const CURRICULUM: &str =
    "Publish a sequenced curriculum map for every subject, shared with staff and governors";

fn northgate_group(store: &Store) -> Uuid {
    store.msp_groups(Some(NORTHGATE)).expect("groups")[0].id
}

/// A third meeting of the demo group, planned for the spring term.
fn third_meeting(store: &mut Store) -> MspMeeting {
    let group = northgate_group(store);
    store
        .schedule_msp_meeting(group, date(2027, 1, 6), None)
        .expect("scheduled")
}

fn write_up() -> MinutesEdit {
    MinutesEdit {
        attendees: Some(vec![
            "Margaret Okonjo".to_owned(),
            "Mr Kwame Mensah".to_owned(),
            "Mr Geoffrey Lambert".to_owned(),
        ]),
        apologies: Some(vec!["Priya Raman".to_owned()]),
        items: vec![caseload_core::msp::AgendaItem {
            title: "Impact of leaders' actions".to_owned(),
            minutes: "Maps for all six foundation subjects were presented to the group.".to_owned(),
        }],
        summary: Some("The curriculum is now planned in every subject.".to_owned()),
        concerns_remain: Some(false),
        ..MinutesEdit::default()
    }
}

#[test]
fn the_demo_holds_northgates_group_with_two_approved_meetings_and_a_carried_action() {
    let store = demo_store();
    let views = store
        .msp_group_views_on(date(2026, 11, 23), false)
        .expect("groups");
    assert_eq!(views.len(), 1);
    let view = &views[0];
    assert_eq!(view.school, "Northgate Primary School");
    assert_eq!(view.chair, "Margaret Okonjo");
    let members: Vec<String> = view
        .group
        .members
        .iter()
        .map(|member| format!("{} ({})", member.name, member.role_label()))
        .collect();
    assert_eq!(
        members,
        [
            "Margaret Okonjo (Chair)",
            "Priya Raman (Link School Improvement Adviser)",
            "Mr Kwame Mensah (Headteacher)",
            "Mr Geoffrey Lambert (Chair of governors)",
            "Mrs Helen Achebe (Fenbridge City Council, Attendance and Inclusion Service)",
        ]
    );
    let statuses: Vec<MeetingStatus> = view.meetings.iter().map(|m| m.status).collect();
    assert_eq!(statuses, [MeetingStatus::Approved, MeetingStatus::Approved]);

    // The curriculum map was agreed at the first meeting, amber there,
    // carried to the second and rated red; the other two were done.
    let first = store.msp_meeting(view.meetings[0].id).expect("first");
    let second = store.msp_meeting(view.meetings[1].id).expect("second");
    let row = |meeting: &MspMeeting| {
        meeting
            .action_log
            .iter()
            .find(|row| row.text == CURRICULUM)
            .cloned()
            .expect("on the log")
    };
    assert_eq!(
        (row(&first).rag, row(&first).agreed_here),
        (Rag::Amber, true)
    );
    assert_eq!(
        (row(&second).rag, row(&second).agreed_here),
        (Rag::Red, false)
    );
    assert_eq!(second.action_log.len(), 4, "three carried, one new");
    let closed = second
        .action_log
        .iter()
        .filter(|row| !row.is_open())
        .count();
    assert_eq!(closed, 2);
    let live: Vec<&str> = view
        .live_log
        .iter()
        .map(|entry| entry.action.text.as_str())
        .collect();
    assert_eq!(
        live,
        [
            CURRICULUM,
            "Meet each week with the families of pupils whose attendance is below 90%"
        ]
    );

    // The chair recorded that concerns remain: a warning notice and an
    // alert to the ward's members are proposed.
    let escalation = view.escalation.as_ref().expect("concerns remain");
    assert!(matches!(
        escalation.concerns[..],
        [Concern::ConcernsRemain { .. }]
    ));
    let kinds: Vec<LetterKind> = escalation.letters.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, [LetterKind::WarningNotice, LetterKind::MemberAlert]);

    let cadence = view.cadence.as_ref().expect("open");
    assert_eq!(cadence.last_met, Some(date(2026, 11, 18)));
    assert!(!cadence.overdue);
    assert_eq!(cadence.proposed, date(2027, 1, 6), "a Wednesday in spring");
    assert!(store.msp_offers().expect("offers").is_empty());
}

#[test]
fn the_school_page_lists_msp_actions_with_its_visit_actions() {
    let store = demo_store();
    let actions = store
        .school_actions(NORTHGATE, date(2026, 11, 23))
        .expect("actions");
    assert!(actions
        .iter()
        .any(|entry| matches!(entry.action.source, ActionSource::MspMeeting(_))));
}

#[test]
fn only_a_senior_sia_or_the_governance_lead_chairs_and_one_group_is_open_per_school() {
    let mut store = demo_store();
    let before = store.export().expect("export");
    let refused = |store: &mut Store, urn, chair| {
        store
            .open_msp_group(urn, chair, date(2026, 11, 23))
            .expect_err("refused")
    };
    let error = refused(&mut store, NORTHGATE, CHAIR);
    assert!(
        matches!(error, StoreError::Msp(MspError::AlreadyOpen { .. })),
        "{error}"
    );
    let error = refused(&mut store, NORTHGATE, "priya.raman@fenbridge.example");
    assert!(
        matches!(error, StoreError::Msp(MspError::ChairRole { .. })),
        "{error}"
    );
    let error = refused(&mut store, NORTHGATE, "nobody@fenbridge.example");
    assert!(matches!(error, StoreError::AdviserNotFound(_)), "{error}");
    let error = refused(&mut store, CASTLE_HILL, CHAIR);
    assert_eq!(
        error.to_string(),
        "Castle Hill Community Primary School is in medium support: an MSP group is for a school in high support"
    );
    assert_eq!(store.export().expect("export"), before, "nothing changed");

    let group = northgate_group(&store);
    let error = store
        .close_msp_group(group, date(2026, 12, 1), " ")
        .expect_err("needs a reason");
    assert!(matches!(error, StoreError::Msp(MspError::NoCloseReason)));
    store
        .close_msp_group(group, date(2026, 12, 1), "Reconstituted under a new trust")
        .expect("closes");
    let offers = store.msp_offers().expect("offers");
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0].urn, NORTHGATE);
    let reopened = store
        .open_msp_group(NORTHGATE, &CHAIR.to_uppercase(), date(2026, 12, 2))
        .expect("a new group once the old one closed");
    assert_eq!(store.msp_groups(Some(NORTHGATE)).expect("groups").len(), 2);
    assert!(reopened.is_open());
    assert!(store
        .msp_group_views_on(date(2026, 12, 3), false)
        .expect("views")
        .iter()
        .all(|view| view.group.id == reopened.id));
}

#[test]
fn a_write_up_with_any_bad_part_changes_nothing() {
    let mut store = demo_store();
    let meeting = third_meeting(&mut store);
    let before = store.export().expect("export");
    let unknown = [ActionUpdate {
        action: Uuid::now_v7(),
        rag: Some(Rag::Green),
        ..ActionUpdate::default()
    }];
    let error = store
        .record_msp_meeting(meeting.id, Some(&write_up()), &unknown, &[])
        .expect_err("not on the log");
    assert!(
        matches!(error, StoreError::Msp(MspError::NotOnLog(_))),
        "{error}"
    );

    let mut leaky = write_up();
    leaky.summary = Some(
        "In short: maps for all six foundation subjects were presented to the group.".to_owned(),
    );
    let new = [NewAction {
        text: "Monitor the teaching of history".to_owned(),
        owner: "Mr Mensah".to_owned(),
        due_on: date(2027, 2, 12),
        rag: None,
    }];
    let error = store
        .record_msp_meeting(meeting.id, Some(&leaky), &[], &new)
        .expect_err("the summary quotes the minutes");
    assert_eq!(
        error.to_string(),
        "the summary key points repeat the confidential minutes: \"Maps for all six foundation subjects were presented to the group\"; reword them for the governing body"
    );
    let mut stranger = write_up();
    stranger.attendees = Some(vec!["Mrs Nobody".to_owned()]);
    assert!(store
        .record_msp_meeting(meeting.id, Some(&stranger), &[], &new)
        .is_err());
    assert!(store
        .record_msp_meeting(Uuid::now_v7(), Some(&write_up()), &[], &[])
        .is_err());
    assert_eq!(store.export().expect("export"), before, "nothing changed");
}

#[test]
fn an_action_is_carried_updated_and_once_closed_drops_off_the_live_log() {
    let mut store = demo_store();
    let meeting = third_meeting(&mut store);
    let curriculum = store
        .actions(Some(NORTHGATE))
        .expect("actions")
        .into_iter()
        .find(|action| action.text == CURRICULUM)
        .expect("the carried action");
    let updates = [ActionUpdate {
        action: curriculum.id,
        outcome: Some(Outcome::Done),
        ..ActionUpdate::default()
    }];
    let new = [NewAction {
        text: "Monitor the teaching of history".to_owned(),
        owner: "Mr Mensah".to_owned(),
        due_on: date(2027, 2, 12),
        rag: Some(Rag::Green),
    }];
    let recorded = store
        .record_msp_meeting(meeting.id, Some(&write_up()), &updates, &new)
        .expect("records");
    assert_eq!(recorded.status, MeetingStatus::Draft);
    let logged: Vec<(&str, bool, bool)> = recorded
        .action_log
        .iter()
        .map(|row| (row.text.as_str(), row.is_open(), row.agreed_here))
        .collect();
    assert_eq!(
        logged,
        [
            (CURRICULUM, false, false),
            (
                "Meet each week with the families of pupils whose attendance is below 90%",
                true,
                false
            ),
            ("Monitor the teaching of history", true, true),
        ]
    );
    let done = store.action(curriculum.id).expect("stored");
    assert_eq!(
        done.status,
        ActionStatus::Done {
            on: date(2027, 1, 6)
        }
    );
    let view = store
        .msp_group_view_on(northgate_group(&store), date(2027, 1, 7))
        .expect("view");
    assert!(view
        .live_log
        .iter()
        .all(|entry| entry.action.id != curriculum.id));
    assert_eq!(view.live_log.len(), 2);
    // The earlier meetings keep their rows as they stood.
    let second = store.msp_meeting(view.meetings[1].id).expect("second");
    assert!(second
        .action_log
        .iter()
        .any(|row| row.action == curriculum.id && row.is_open() && row.rag == Rag::Red));
}

#[test]
fn approved_minutes_never_change() {
    let mut store = demo_store();
    let meeting = third_meeting(&mut store);
    let error = store
        .approve_msp_meeting(meeting.id, date(2027, 1, 6))
        .expect_err("nothing written");
    assert!(
        error.to_string().contains("nothing has been written up"),
        "{error}"
    );
    store
        .record_msp_meeting(meeting.id, Some(&write_up()), &[], &[])
        .expect("records");
    let approved = store
        .approve_msp_meeting(meeting.id, date(2027, 1, 8))
        .expect("approves");
    assert_eq!(approved.approved_on, Some(date(2027, 1, 8)));

    let before = store.export().expect("export");
    let error = store
        .record_msp_meeting(meeting.id, Some(&write_up()), &[], &[])
        .expect_err("frozen");
    assert_eq!(
        error.to_string(),
        "the minutes of the meeting of 2027-01-06 are approved and cannot change"
    );
    let file = MinutesFile::parse("[[action]]\naction = \"Monitor nothing\"").expect("parses");
    assert!(store.record_msp_minutes_file(meeting.id, &file).is_err());
    assert!(store
        .approve_msp_meeting(meeting.id, date(2027, 1, 9))
        .is_err());
    assert_eq!(store.export().expect("export"), before);
    assert_eq!(store.msp_meeting(meeting.id).expect("stored"), approved);
}

#[test]
fn a_minutes_file_names_actions_by_their_text() {
    let mut store = demo_store();
    let meeting = third_meeting(&mut store);
    let file = MinutesFile::parse(&format!(
        "attendees = [\"Margaret Okonjo\", \"Mr Kwame Mensah\"]\n\
         [[action]]\naction = \"{CURRICULUM}\"\nrag = \"amber\"\nowner = \"Mrs Jo Hale (deputy head)\"\n\
         [[new_action]]\ntext = \"Share the maps with parents\"\nowner = \"Mr Mensah\"\ndue_on = 2027-02-12\n"
    ))
    .expect("parses");
    let recorded = store
        .record_msp_minutes_file(meeting.id, &file)
        .expect("records");
    assert_eq!(recorded.attendees.len(), 2);
    let carried = recorded
        .action_log
        .iter()
        .find(|row| row.text == CURRICULUM)
        .expect("logged");
    assert_eq!(
        (carried.rag, carried.owner.as_str()),
        (Rag::Amber, "Mrs Jo Hale (deputy head)")
    );
    assert_eq!(recorded.action_log.len(), 3);
}

#[test]
fn a_meeting_is_planned_only_for_an_open_group_and_not_before_it_opened() {
    let mut store = demo_store();
    let group = northgate_group(&store);
    let error = store
        .schedule_msp_meeting(group, date(2026, 9, 1), Some("The school"))
        .expect_err("before opening");
    assert!(matches!(
        error,
        StoreError::Msp(MspError::BeforeOpening { .. })
    ));
    let planned = third_meeting(&mut store);
    assert_eq!(planned.place, "Northgate Primary School");
    assert_eq!(planned.agenda.len(), 5);
    assert_eq!(store.diary().expect("diary").meetings.len(), 1);
    store
        .close_msp_group(group, date(2026, 12, 1), "The school left high support")
        .expect("closes");
    assert!(store.diary().expect("diary").meetings.is_empty());
    assert!(matches!(
        store.schedule_msp_meeting(group, date(2027, 1, 13), None),
        Err(StoreError::Msp(MspError::Closed(_)))
    ));
}

#[test]
fn the_pdfs_of_approved_minutes_are_kept_as_first_printed_and_checked() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.sqlite3");
    let mut store = common::open(&path);
    store.load_demo().expect("demo");
    let draft = third_meeting(&mut store);
    let error = store
        .keep_msp_pdf(draft.id, MspDocument::Minutes, b"%PDF draft")
        .expect_err("a draft is not kept");
    assert!(matches!(error, StoreError::MspNotApproved(_)));

    let approved = store
        .msp_group_views_on(date(2026, 11, 23), false)
        .expect("views")[0]
        .meetings[0]
        .id;
    assert_eq!(
        store
            .kept_msp_pdf(approved, MspDocument::Minutes)
            .expect("reads"),
        None
    );
    let kept = store
        .keep_msp_pdf(approved, MspDocument::Minutes, b"%PDF first")
        .expect("kept");
    assert_eq!(kept, b"%PDF first");
    let again = store
        .keep_msp_pdf(approved, MspDocument::Minutes, b"%PDF second")
        .expect("kept before");
    assert_eq!(again, b"%PDF first", "the first print stays");
    assert_eq!(
        store
            .kept_msp_pdf(approved, MspDocument::Summary)
            .expect("reads"),
        None
    );
    drop(store);

    let conn = common::connection(&path);
    conn.execute("UPDATE msp_pdf SET pdf = x'00'", [])
        .expect("tampered");
    drop(conn);
    let store = common::open(&path);
    assert!(matches!(
        store.kept_msp_pdf(approved, MspDocument::Minutes),
        Err(StoreError::MspPdfAltered { .. })
    ));
}

#[test]
fn msp_records_go_into_the_outbox_and_the_export() {
    let store = demo_store();
    let export = store.export().expect("export");
    let records = &export["records"];
    assert_eq!(records["msp_group"].as_array().map(Vec::len), Some(1));
    assert_eq!(records["msp_meeting"].as_array().map(Vec::len), Some(2));
    let entities: Vec<String> = store
        .pending_operations()
        .expect("outbox")
        .into_iter()
        .map(|operation| operation.entity)
        .collect();
    assert!(entities.iter().any(|entity| entity == "msp_meeting"));
}

#[test]
fn an_invited_member_comes_and_goes_but_the_headteacher_stays() {
    let mut store = demo_store();
    let group = northgate_group(&store);
    let error = store
        .invite_msp_member(group, "Revd Canon Ruth Adeyemi", " ", None)
        .expect_err("an organisation is needed");
    assert!(error.to_string().contains("organisation"), "{error}");
    let invited = store
        .invite_msp_member(
            group,
            "Revd Canon Ruth Adeyemi",
            "Diocese of Fenbridge",
            None,
        )
        .expect("invited");
    assert_eq!(invited.members.len(), 6);
    let canon = invited.members[5].id;
    let head = invited
        .members
        .iter()
        .find(|member| member.name == "Mr Kwame Mensah")
        .expect("the head")
        .id;
    let error = store.remove_msp_member(group, head).expect_err("stays");
    assert!(error.to_string().contains("headteacher"), "{error}");
    let group = store.remove_msp_member(group, canon).expect("removed");
    assert_eq!(group.members.len(), 5);
    assert_eq!(store.msp_group(group.id).expect("stored"), group);
}

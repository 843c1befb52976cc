//! A pulled withdrawal takes a school (or an MSP group's meetings) off the
//! device: every record in it, its pulled state, history, search entries
//! and kept PDFs, in the page's transaction, with no tombstone or outbox
//! operation, and a notice the adviser dismisses. An edit still waiting to
//! be pushed keeps the values it wrote.

mod common;

use std::collections::BTreeMap;

use caseload_core::samples;
use caseload_core::sync::{
    Change, OpResult, Outcome, PullResponse, RecordState, Withdrawal, WithdrawnScope,
    PROTOCOL_VERSION,
};
use caseload_core::visit::{Visit, VisitStatus};
use caseload_core::{Adviser, AdviserRole};
use caseload_store::{Store, StoreError};
use serde_json::{json, Value};

fn enrolled_store() -> Store {
    common::enrolled(Store::open_in_memory().expect("store"))
}

/// The groups' chair, in the directory.
fn margaret() -> Adviser {
    Adviser {
        id: samples::msp_group().chair,
        name: "Margaret Okonjo".to_owned(),
        email: "margaret.okonjo@fenbridge.gov.uk".to_owned(),
        role: AdviserRole::SeniorSia,
    }
}

/// The office applies everything waiting, numbered from 1: the store then
/// holds the records as a synced device does, with an empty outbox.
fn acknowledge_outbox(store: &mut Store) -> u64 {
    let batch = store.push_batch(1_000, i64::MAX).expect("batch");
    let results: Vec<OpResult> = batch
        .operations
        .iter()
        .zip(1..)
        .map(|(op, seq)| OpResult {
            op_id: op.op_id,
            outcome: Outcome::Applied { seq },
        })
        .collect();
    store
        .record_push_results(&batch, &results)
        .expect("answers kept");
    assert_eq!(store.outbox_len().expect("read"), 0);
    results.len() as u64
}

/// A synced device holding the sample school with a visit (not finalised,
/// so it can be edited), a letter, an MSP group and its approved minutes.
fn synced_store() -> (Store, u64) {
    let mut store = enrolled_store();
    let visit = Visit {
        status: VisitStatus::Draft,
        addendum_to: None,
        ..samples::visit()
    };
    store
        .write(|writer| {
            writer.save(&samples::adviser())?;
            writer.save(&margaret())?;
            writer.save(&samples::school())?;
            writer.save(&visit)?;
            writer.save(&samples::action())?;
            writer.save(&samples::letter())?;
            writer.save(&samples::msp_group())?;
            writer.save(&samples::msp_meeting())
        })
        .expect("saved");
    let last = acknowledge_outbox(&mut store);
    (store, last)
}

fn page(after: u64, withdrawn: Vec<WithdrawnScope>) -> PullResponse {
    let withdrawn: Vec<Withdrawal> = withdrawn
        .into_iter()
        .zip(after + 1..)
        .map(|(scope, seq)| Withdrawal { seq, scope })
        .collect();
    PullResponse {
        protocol: PROTOCOL_VERSION,
        changes: Vec::new(),
        cursor: after + withdrawn.len() as u64,
        withdrawn,
        more: false,
    }
}

fn records(store: &Store, entity: &str) -> Vec<Value> {
    store.export().expect("export")["records"][entity]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_withdrawn_school_leaves_the_device_with_every_record_and_a_notice() {
    let (mut store, last) = synced_store();
    let urn = samples::school().urn;
    assert!(!store.search("phonics").expect("search").is_empty());
    assert_eq!(records(&store, "visit").len(), 1);

    let tally = store
        .apply_pull_page(0, &page(last, vec![WithdrawnScope::School { urn }]))
        .expect("applied");

    for entity in [
        "school",
        "visit",
        "action",
        "msp_group",
        "contact",
        "letter",
    ] {
        assert_eq!(records(&store, entity), Vec::<Value>::new(), "{entity}");
    }
    assert_eq!(records(&store, "adviser").len(), 2, "the directory stays");
    assert!(store.search("phonics").expect("search").is_empty());
    // The group's minutes are the group's members', whoever's the school
    // is: the office withdraws them only when the group drops the adviser.
    let left: Vec<String> = store
        .school_history(urn, None, 50)
        .expect("history")
        .entries
        .into_iter()
        .map(|entry| entry.entity)
        .filter(|entity| entity != "msp_meeting")
        .collect();
    assert_eq!(left, Vec::<String>::new(), "no history of the school stays");
    assert_eq!(store.outbox_len().expect("read"), 0, "no tombstone is sent");
    assert_eq!(
        store.enrolment().expect("read").expect("enrolled").cursor,
        last + 1
    );

    assert_eq!(tally.withdrawn.len(), 1);
    let notices = store.withdrawn_scopes().expect("read");
    assert_eq!(notices, tally.withdrawn);
    let school = samples::school();
    assert!(
        notices[0].message.contains(&format!(
            "{} (URN {}) is no longer in your caseload",
            school.name, urn.0
        )),
        "{}",
        notices[0].message
    );
    store.dismiss_withdrawn(notices[0].id).expect("dismissed");
    assert!(store.withdrawn_scopes().expect("read").is_empty());
    assert!(matches!(
        store.dismiss_withdrawn(notices[0].id),
        Err(StoreError::WithdrawnNoticeNotFound(_))
    ));
}

#[test]
fn a_withdrawn_group_takes_its_meetings_and_leaves_the_school() {
    let (mut store, last) = synced_store();
    let group = samples::msp_group().id;
    store
        .apply_pull_page(0, &page(last, vec![WithdrawnScope::MspGroup { group }]))
        .expect("applied");
    assert_eq!(records(&store, "msp_meeting"), Vec::<Value>::new());
    assert_eq!(records(&store, "msp_group").len(), 1);
    assert_eq!(records(&store, "school").len(), 1);
    assert_eq!(records(&store, "visit").len(), 1);
    let notices = store.withdrawn_scopes().expect("read");
    assert!(
        notices[0].message.contains("MSP group at")
            && notices[0].message.contains("no longer lists you"),
        "{}",
        notices[0].message
    );
}

#[test]
fn an_edit_not_yet_pushed_keeps_its_values_for_the_office_to_refuse_in_sight() {
    let (mut store, last) = synced_store();
    let visit = samples::visit().id;
    let fields = json!({"purpose": "Typed during the sync"});
    store
        .write(|writer| {
            writer.write_fields(
                &caseload_core::record::VISIT,
                &json!(visit.to_string()),
                fields.as_object().expect("an object"),
                caseload_store::Origin::Edit,
            )
        })
        .expect("edited");
    store
        .apply_pull_page(
            0,
            &page(
                last,
                vec![WithdrawnScope::School {
                    urn: samples::school().urn,
                }],
            ),
        )
        .expect("applied");
    assert_eq!(records(&store, "visit"), Vec::<Value>::new());
    let batch = store.push_batch(1_000, i64::MAX).expect("batch");
    assert_eq!(
        batch.operations.len(),
        1,
        "the edit still goes to the office"
    );
    assert_eq!(
        batch.operations[0].fields.get("purpose"),
        Some(&json!("Typed during the sync")),
        "with the value typed"
    );
}

#[test]
fn a_school_withdrawn_then_sent_again_in_one_page_ends_on_the_device() {
    let mut store = enrolled_store();
    store
        .write(|writer| {
            writer.save(&samples::adviser())?;
            writer.save(&samples::school())
        })
        .expect("saved");
    let school = store
        .push_batch(1_000, i64::MAX)
        .expect("batch")
        .operations
        .into_iter()
        .find(|op| op.entity == "school")
        .expect("the school goes");
    let last = acknowledge_outbox(&mut store);
    // Reassigned away, then back: the office sends the school anew after
    // the withdrawal, and the page is applied in that order.
    let mut state = RecordState::default();
    state.apply(&school.write(), last + 2);
    let mut both = page(
        last,
        vec![WithdrawnScope::School {
            urn: samples::school().urn,
        }],
    );
    both.changes.push(Change {
        seq: last + 2,
        entity: "school".to_owned(),
        key: school.key.clone(),
        state,
        authors: BTreeMap::new(),
    });
    both.cursor = last + 2;
    store.apply_pull_page(0, &both).expect("applied");
    assert_eq!(records(&store, "school").len(), 1);
}

#[test]
fn a_withdrawal_outside_its_page_changes_nothing() {
    let (mut store, last) = synced_store();
    let urn = samples::school().urn;
    let mut bad = page(last, vec![WithdrawnScope::School { urn }]);
    bad.withdrawn[0].seq = last + 5;
    assert!(matches!(
        store.apply_pull_page(0, &bad),
        Err(StoreError::SyncAnswer(_))
    ));
    assert_eq!(records(&store, "visit").len(), 1);
    assert_eq!(
        store.enrolment().expect("read").expect("enrolled").cursor,
        0
    );
}

//! The audit trail: an edit, an import and a pulled change each leave who,
//! when, on which device and what changed; an autosaved morning is one
//! entry; a change from another device ends it; a refusal's put-back is
//! kept beside what was typed; a failed write leaves nothing; a school's
//! history holds its visits' and actions' changes, advisers named.

mod common;

use std::collections::BTreeMap;

use caseload_core::record::SCHOOL;
use caseload_core::sync::protocol::EnrolledAdviser;
use caseload_core::sync::{
    Change, Enrolled, OpResult, Outcome, PullResponse, RecordState, Refusal, RefusalReason, Write,
    PROTOCOL_VERSION,
};
use caseload_core::visit::{Session, VisitKind};
use caseload_core::{samples, AdviserId, AdviserRole, DeviceId, Hlc, LaCode};
use caseload_store::views::SchoolScope;
use caseload_store::{AuditOrigin, FieldChange, HistoryEntry, Origin, Store, StoreError};
use chrono::{DateTime, Utc};
use common::date;
use serde_json::{json, Map, Value};
use uuid::Uuid;

const GIAS: &[u8] =
    include_bytes!("../../caseload-core/tests/fixtures/gias-fenbridge-windows-1252.csv");

/// A device at the office, and the adviser it belongs to.
const OTHER_DEVICE: DeviceId = DeviceId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_00d0_0002));
const OTHER_ADVISER: AdviserId =
    AdviserId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_00ad_0002));
/// The office's own device: its writes name no adviser.
const OFFICE_DEVICE: DeviceId =
    DeviceId(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_00d0_0001));

fn fields(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("an object")
}

fn urn_key() -> Value {
    json!(samples::school().urn.0)
}

/// A store whose adviser is set, holding the sample school as imported.
fn store_with_imported_school() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store
        .set_current_adviser(samples::adviser().id)
        .expect("adviser");
    store
        .write(|writer| {
            writer.save(&samples::adviser())?;
            writer.save_as(&samples::school(), Origin::Import)
        })
        .expect("saved");
    store
}

fn set_pupils(store: &mut Store, pupils: u32) -> Result<(), StoreError> {
    store.write(|writer| {
        writer.write_fields(
            &SCHOOL,
            &urn_key(),
            &fields(json!({"pupils": pupils})),
            Origin::Edit,
        )?;
        Ok(())
    })
}

fn history(store: &Store) -> Vec<HistoryEntry> {
    store
        .school_history(samples::school().urn, None, 100)
        .expect("history")
        .entries
}

fn change(field: &str, before: Value, after: Value) -> FieldChange {
    FieldChange {
        field: field.to_owned(),
        before,
        after,
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

#[test]
fn an_edit_keeps_who_when_which_device_and_old_to_new() {
    let mut store = store_with_imported_school();
    let started = Utc::now();
    set_pupils(&mut store, 230).expect("edited");
    let entries = history(&store);
    let edit = &entries[0];
    assert_eq!(edit.origin, AuditOrigin::Edit);
    assert_eq!(edit.entity, "school");
    assert_eq!(edit.key, samples::school().urn.0.to_string());
    assert_eq!(edit.adviser, Some(samples::adviser().id));
    assert_eq!(edit.adviser_name.as_deref(), Some("Priya Raman"));
    assert_eq!(edit.device, store.device());
    assert!(edit.this_device);
    assert_eq!(edit.changes, vec![change("pupils", json!(212), json!(230))]);
    let when = at(&edit.first_at);
    assert!(
        when >= started - chrono::Duration::seconds(1) && when <= Utc::now(),
        "{when} is not now"
    );
}

#[test]
fn an_import_is_audited_as_an_import_of_every_field_it_filled() {
    let mut store = Store::open_in_memory().expect("store");
    store
        .set_current_adviser(samples::adviser().id)
        .expect("adviser");
    store
        .import_gias_bytes(GIAS, "gias.csv", Some(LaCode::new(990).expect("LA")))
        .expect("imported");
    let school = store.schools(SchoolScope::All).expect("schools")[0].clone();
    let page = store.school_history(school.urn, None, 10).expect("history");
    assert_eq!(page.entries.len(), 1, "{:#?}", page.entries);
    let import = &page.entries[0];
    assert_eq!(import.origin, AuditOrigin::Import);
    assert_eq!(import.device, store.device());
    assert_eq!(import.adviser, Some(samples::adviser().id));
    assert!(
        import
            .changes
            .contains(&change("name", Value::Null, json!(school.name))),
        "{:#?}",
        import.changes
    );
}

#[test]
fn a_morning_of_autosaves_is_one_entry_from_the_first_old_value_to_the_last_new() {
    let mut store = store_with_imported_school();
    for pupils in [220, 225, 230, 240] {
        set_pupils(&mut store, pupils).expect("edited");
    }
    let entries = history(&store);
    assert_eq!(entries.len(), 2, "the import and one edit: {entries:#?}");
    assert_eq!(
        entries[0].changes,
        vec![change("pupils", json!(212), json!(240))]
    );
    assert!(entries[0].first_at <= entries[0].last_at);
    // A field first written by a later save joins the same entry.
    store
        .write(|writer| {
            writer.write_fields(
                &SCHOOL,
                &urn_key(),
                &fields(json!({"ward": "Northgate"})),
                Origin::Edit,
            )
        })
        .expect("edited");
    let entries = history(&store);
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].changes,
        vec![
            change("pupils", json!(212), json!(240)),
            change("ward", json!(samples::school().ward), json!("Northgate")),
        ]
    );
}

#[test]
fn a_failed_write_leaves_no_audit_entry() {
    let mut store = store_with_imported_school();
    let before = history(&store);
    let failed: Result<(), StoreError> = store.write(|writer| {
        writer.write_fields(
            &SCHOOL,
            &urn_key(),
            &fields(json!({"pupils": 999})),
            Origin::Edit,
        )?;
        Err(StoreError::Corrupt("stopped half-way".to_owned()))
    });
    assert!(failed.is_err());
    assert_eq!(history(&store), before);
    // A value the declarations refuse is refused before anything is kept.
    let refused = store.write(|writer| {
        writer.write_fields(
            &SCHOOL,
            &urn_key(),
            &fields(json!({"pupils": "many"})),
            Origin::Edit,
        )
    });
    assert!(refused.is_err());
    assert_eq!(history(&store), before);
}

#[test]
fn a_schools_history_holds_its_visits_and_actions_newest_first_in_pages() {
    let mut store = store_with_imported_school();
    let urn = samples::school().urn;
    let visit = store
        .plan_visit(urn, date(2026, 11, 3), Session::Am, VisitKind::Core)
        .expect("planned");
    let mut draft = visit.clone();
    draft.strengths = "Reading is taught well".to_owned();
    let draft = store.save_visit_draft(draft).expect("saved");
    let action = store
        .agree_action(
            visit.id,
            "Map the writing curriculum",
            "Deputy headteacher",
            date(2026, 12, 11),
        )
        .expect("agreed");
    let entries = history(&store);
    let kinds: Vec<&str> = entries.iter().map(|entry| entry.entity.as_str()).collect();
    assert_eq!(kinds, ["action", "visit", "school"], "{entries:#?}");
    assert_eq!(entries[0].key, action.id.to_string());
    assert_eq!(entries[1].key, draft.id.to_string());
    assert!(entries[1].changes.contains(&change(
        "strengths",
        Value::Null,
        json!("Reading is taught well")
    )));
    // The visit's adviser reads as a name, not an id.
    assert!(entries[1].changes.contains(&change(
        "adviser",
        Value::Null,
        json!(samples::adviser().name)
    )));
    // Another school's records stay out of it.
    store
        .write(|writer| {
            let mut other = samples::school();
            other.urn = caseload_core::Urn(999_001);
            writer.save(&other)
        })
        .expect("saved");
    assert_eq!(history(&store).len(), 3);
    // Pages: one entry at a time, each page older than the last.
    let first = store.school_history(urn, None, 1).expect("page");
    assert_eq!(first.entries[0].entity, "action");
    let second = store.school_history(urn, first.next, 1).expect("page");
    assert_eq!(second.entries[0].entity, "visit");
    let third = store.school_history(urn, second.next, 1).expect("page");
    assert_eq!(third.entries[0].entity, "school");
    assert_eq!(third.next, None);
}

/// Enrols `store` with an office, as its adviser.
fn enrol(store: &mut Store) {
    let enrolled = Enrolled {
        protocol: PROTOCOL_VERSION,
        device: store.device(),
        token: "token".to_owned(),
        adviser: EnrolledAdviser {
            id: samples::adviser().id,
            name: samples::adviser().name,
            email: samples::adviser().email,
            role: AdviserRole::LinkSia,
        },
    };
    store
        .record_enrolment("http://127.0.0.1:1", &enrolled)
        .expect("enrolled");
}

/// The school as the office holds it: every field written by its own device.
fn office_school() -> RecordState {
    let mut values = fields(serde_json::to_value(samples::school()).expect("JSON"));
    values.remove("urn");
    let mut state = RecordState::default();
    state.apply(
        &Write {
            hlc: Hlc::new(1_700_000_000_000, 0),
            device: OFFICE_DEVICE,
            seen: 0,
            fields: &values,
            deleted: false,
        },
        1,
    );
    state
}

/// Pulls one page holding the school's `state` as change `seq`.
fn pull(store: &mut Store, seq: u64, state: &RecordState) {
    let page = PullResponse {
        protocol: PROTOCOL_VERSION,
        changes: vec![Change {
            seq,
            entity: "school".to_owned(),
            key: samples::school().urn.0.to_string(),
            state: state.clone(),
            authors: BTreeMap::from([(OTHER_DEVICE, OTHER_ADVISER)]),
        }],
        withdrawn: Vec::new(),
        more: false,
        cursor: seq,
    };
    store.apply_pull_page(seq - 1, &page).expect("pulled");
}

/// The office's state after the other adviser's device renamed the school.
fn renamed_by_other_adviser(mut state: RecordState, seq: u64) -> RecordState {
    state.apply(
        &Write {
            hlc: Hlc::new(1_800_000_000_000, 0),
            device: OTHER_DEVICE,
            seen: seq - 1,
            fields: &fields(json!({"name": "Fenbridge Riverside Primary"})),
            deleted: false,
        },
        seq,
    );
    state
}

#[test]
fn a_pulled_change_names_the_offices_author_and_device() {
    let mut store = Store::open_in_memory().expect("store");
    enrol(&mut store);
    let created = office_school();
    pull(&mut store, 1, &created);
    pull(&mut store, 2, &renamed_by_other_adviser(created, 2));
    let entries = history(&store);
    assert_eq!(entries.len(), 2, "{entries:#?}");
    let renamed = &entries[0];
    assert_eq!(renamed.origin, AuditOrigin::Pulled);
    assert_eq!(renamed.device, OTHER_DEVICE);
    assert!(!renamed.this_device);
    assert_eq!(renamed.adviser, Some(OTHER_ADVISER));
    assert_eq!(renamed.first_at, "2027-01-15T08:00:00Z");
    assert_eq!(
        renamed.changes,
        vec![change(
            "name",
            json!(samples::school().name),
            json!("Fenbridge Riverside Primary")
        )]
    );
    let imported = &entries[1];
    assert_eq!(imported.device, OFFICE_DEVICE);
    assert_eq!(imported.adviser, None, "the office's own write");
    assert!(imported
        .changes
        .contains(&change("pupils", Value::Null, json!(212))));
}

#[test]
fn a_change_from_another_device_ends_the_entry_being_typed() {
    let mut store = Store::open_in_memory().expect("store");
    enrol(&mut store);
    let created = office_school();
    pull(&mut store, 1, &created);
    set_pupils(&mut store, 230).expect("edited");
    pull(&mut store, 2, &renamed_by_other_adviser(created, 2));
    set_pupils(&mut store, 240).expect("edited");
    let entries = history(&store);
    let lines: Vec<(AuditOrigin, &Vec<FieldChange>)> = entries
        .iter()
        .map(|entry| (entry.origin, &entry.changes))
        .take(3)
        .collect();
    assert_eq!(
        lines,
        [
            (
                AuditOrigin::Edit,
                &vec![change("pupils", json!(230), json!(240))]
            ),
            (
                AuditOrigin::Pulled,
                &vec![change(
                    "name",
                    json!(samples::school().name),
                    json!("Fenbridge Riverside Primary")
                )]
            ),
            (
                AuditOrigin::Edit,
                &vec![change("pupils", json!(212), json!(230))]
            ),
        ],
        "{entries:#?}"
    );
}

#[test]
fn a_refused_edit_keeps_what_was_typed_and_the_office_values_put_back() {
    let mut store = Store::open_in_memory().expect("store");
    enrol(&mut store);
    pull(&mut store, 1, &office_school());
    set_pupils(&mut store, 230).expect("edited");
    let batch = store
        .push_batch(10, store.outbox_mark().expect("mark"))
        .expect("batch");
    let results: Vec<OpResult> = batch
        .operations
        .iter()
        .map(|op| OpResult {
            op_id: op.op_id,
            outcome: Outcome::Refused(Refusal::new(
                RefusalReason::OutOfScope,
                "school 990001 is not in your caseload",
            )),
        })
        .collect();
    store
        .record_push_results(&batch, &results)
        .expect("answer kept");
    let entries = history(&store);
    assert_eq!(entries[0].origin, AuditOrigin::Refused, "{entries:#?}");
    assert_eq!(
        entries[0].changes,
        vec![change("pupils", json!(230), json!(212))]
    );
    assert_eq!(entries[1].origin, AuditOrigin::Edit);
    assert_eq!(
        entries[1].changes,
        vec![change("pupils", json!(212), json!(230))]
    );
}

#[test]
fn a_pulled_delete_is_in_the_history_as_who_deleted_the_record() {
    let mut store = Store::open_in_memory().expect("store");
    enrol(&mut store);
    let mut state = office_school();
    pull(&mut store, 1, &state);
    state.apply(
        &Write {
            hlc: Hlc::new(1_800_000_000_000, 0),
            device: OTHER_DEVICE,
            seen: 1,
            fields: &Map::new(),
            deleted: true,
        },
        2,
    );
    pull(&mut store, 2, &state);
    let entries = history(&store);
    assert_eq!(entries.len(), 2, "{entries:#?}");
    let deleted = &entries[0];
    assert_eq!(deleted.origin, AuditOrigin::Pulled);
    assert_eq!(deleted.device, OTHER_DEVICE);
    assert_eq!(deleted.adviser, Some(OTHER_ADVISER));
    assert_eq!(
        deleted.changes,
        vec![change("deleted", json!(false), json!(true))]
    );
    // The same tombstone pulled again records nothing more.
    pull(&mut store, 3, &state);
    assert_eq!(history(&store).len(), 2);
}

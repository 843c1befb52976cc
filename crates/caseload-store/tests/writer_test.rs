//! Every write keeps its sync columns and its outbox entry in the same
//! transaction; bad values are refused before anything is written.

mod common;

use caseload_core::record::SCHOOL;
use caseload_core::samples;
use caseload_store::{Origin, Store, StoreError, Written};
use serde_json::{json, Map, Value};

fn with_school() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store
        .write(|writer| {
            writer.save(&samples::adviser())?;
            writer.save(&samples::school())
        })
        .expect("saved");
    store
}

fn fields(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect()
}

#[test]
fn records_read_back_as_they_were_written() {
    let mut store = with_school();
    store
        .write(|writer| {
            writer.save(&samples::contact())?;
            writer.save(&samples::inspection())
        })
        .expect("saved");
    assert_eq!(
        store.school(samples::school().urn).expect("school"),
        samples::school()
    );
    let profile = store
        .school_profile(samples::school().urn)
        .expect("profile");
    assert_eq!(profile.contacts[0].name, "Mr Tomasz Nowak");
    assert_eq!(profile.inspections[0].framework, "report-card-2025");
}

#[test]
fn a_write_and_its_outbox_entry_land_together_or_not_at_all() {
    let mut store = Store::open_in_memory().expect("store");
    let result: Result<(), StoreError> = store.write(|writer| {
        writer.save(&samples::adviser())?;
        Err(StoreError::Corrupt("stopped half-way".to_owned()))
    });
    assert!(result.is_err());
    assert!(store.pending_operations().expect("outbox").is_empty());
    assert_eq!(
        store.export().expect("export")["records"]["adviser"],
        json!([])
    );
}

#[test]
fn only_changed_fields_get_a_revision_and_an_outbox_entry() {
    let mut store = with_school();
    let urn = json!(samples::school().urn.0);
    let before = store.pending_operations().expect("outbox").len();
    let same = fields(&[
        ("name", json!(samples::school().name)),
        ("pupils", json!(212)),
    ]);
    let written = store
        .write(|writer| writer.write_fields(&SCHOOL, &urn, &same, Origin::Edit))
        .expect("written");
    assert_eq!(written, Written::Unchanged);
    let changed = fields(&[
        ("name", json!(samples::school().name)),
        ("pupils", json!(230)),
    ]);
    let written = store
        .write(|writer| writer.write_fields(&SCHOOL, &urn, &changed, Origin::Edit))
        .expect("written");
    assert_eq!(written, Written::Updated);
    let outbox = store.pending_operations().expect("outbox");
    assert_eq!(outbox.len(), before + 1);
    let last = outbox.last().expect("an operation");
    assert_eq!(last.fields, fields(&[("pupils", json!(230))]));
    assert!(last.hlc > outbox[before - 1].hlc, "stamps increase");
}

#[test]
fn values_of_the_wrong_type_or_unknown_fields_are_refused_before_writing() {
    let mut store = with_school();
    let before = store.export().expect("export");
    let urn = json!(samples::school().urn.0);
    for bad in [
        fields(&[("name", json!("New name")), ("pupils", json!("many"))]),
        fields(&[
            ("name", json!("New name")),
            ("favourite_colour", json!("teal")),
        ]),
    ] {
        let error = store
            .write(|writer| writer.write_fields(&SCHOOL, &urn, &bad, Origin::Edit))
            .expect_err("refused");
        assert!(
            matches!(
                error,
                StoreError::FieldType { .. } | StoreError::UnknownField { .. }
            ),
            "{error}"
        );
    }
    assert_eq!(store.export().expect("export"), before);
}

#[test]
fn the_clock_and_device_survive_reopening_the_store() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.sqlite3");
    let (device, first_stamp) = {
        let mut store = common::open(&path);
        store
            .write(|writer| writer.save(&samples::adviser()))
            .expect("saved");
        let stamp = store.pending_operations().expect("outbox")[0].hlc;
        (store.device(), stamp)
    };
    let mut store = common::open(&path);
    assert_eq!(store.device(), device);
    let mut renamed = samples::adviser();
    renamed.name = "Priya Raman-Shah".to_owned();
    store.write(|writer| writer.save(&renamed)).expect("saved");
    assert!(store.pending_operations().expect("outbox")[1].hlc > first_stamp);
}

#[test]
fn operations_name_their_fields_and_carry_the_records_current_values() {
    let mut store = with_school();
    let urn = json!(samples::school().urn.0);
    let before = store.pending_operations().expect("outbox").len();
    for pupils in [230, 240] {
        let changed = fields(&[("pupils", json!(pupils))]);
        store
            .write(|writer| writer.write_fields(&SCHOOL, &urn, &changed, Origin::Edit))
            .expect("written");
    }
    let outbox = store.pending_operations().expect("outbox");
    assert_eq!(outbox.len(), before + 2);
    // Both name the field; both read its latest value, which is all a
    // per-field merge keeps.
    for operation in &outbox[before..] {
        assert_eq!(operation.fields, fields(&[("pupils", json!(240))]));
    }
    assert!(outbox[before + 1].hlc > outbox[before].hlc);
}

#[test]
fn a_write_of_some_fields_leaves_the_others_as_stored() {
    let mut store = with_school();
    let urn = json!(samples::school().urn.0);
    let changed = fields(&[("pupils", json!(230))]);
    store
        .write(|writer| writer.write_fields(&SCHOOL, &urn, &changed, Origin::Edit))
        .expect("written");
    let mut expected = samples::school();
    expected.pupils = Some(230);
    assert_eq!(store.school(expected.urn).expect("school"), expected);
}

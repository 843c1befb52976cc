//! Importing the GIAS school list into the store: names intact, closed
//! schools kept out of the caseload, re-imports that respect advisers'
//! edits, and broken files that change nothing.

use caseload_core::record::SCHOOL;
use caseload_core::{LaCode, SchoolStatus, Urn};
use caseload_store::views::SchoolScope;
use caseload_store::{Origin, Store, StoreError};
use serde_json::{json, Map, Value};

const WINDOWS_1252: &[u8] =
    include_bytes!("../../caseload-core/tests/fixtures/gias-fenbridge-windows-1252.csv");
const FENBRIDGE: Option<LaCode> = Some(LaCode(990));

fn imported() -> Store {
    let mut store = Store::open_in_memory().expect("store opens");
    store
        .import_gias_bytes(WINDOWS_1252, "edubase.csv", FENBRIDGE)
        .expect("fixture imports");
    store
}

fn edit(store: &mut Store, urn: u32, field: &str, value: Value) {
    let fields = Map::from_iter([(field.to_owned(), value)]);
    store
        .write(|writer| writer.write_fields(&SCHOOL, &json!(urn), &fields, Origin::Edit))
        .expect("edit is written");
}

fn outbox_len(store: &Store) -> usize {
    store.pending_operations().expect("outbox reads").len()
}

#[test]
fn a_windows_1252_file_keeps_awkward_names_intact() {
    let store = imported();
    let school = store.school(Urn(990101)).expect("St Mary's is there");
    assert_eq!(school.name, "St Mary’s Church of England Primary School");
    let head = school.headteacher.expect("head named");
    assert_eq!(head.full(), "Mrs Zoë O’Connor");
    let academy = store.school(Urn(990102)).expect("academy is there");
    assert_eq!(academy.name, "Fenbridge, Old Town Academy");
    assert!(!academy.maintained());
    assert_eq!(academy.trust.as_deref(), Some("Fenbridge Learning Trust"));
}

#[test]
fn closed_schools_are_kept_but_never_in_a_caseload() {
    let mut store = imported();
    let closed = store.school(Urn(990104)).expect("closed school kept");
    assert_eq!(closed.status, SchoolStatus::Closed);
    let adviser = caseload_core::samples::adviser();
    store
        .write(|writer| writer.save(&adviser))
        .expect("adviser saved");
    for urn in [990101, 990104] {
        edit(&mut store, urn, "link_sia", json!(adviser.id.to_string()));
    }
    store
        .set_current_adviser(adviser.id)
        .expect("current adviser set");
    let caseload: Vec<u32> = store
        .school_rows(SchoolScope::Caseload)
        .expect("rows")
        .iter()
        .map(|row| row.urn)
        .collect();
    assert_eq!(caseload, vec![990101]);
    assert_eq!(store.school_rows(SchoolScope::All).expect("rows").len(), 4);
}

#[test]
fn reimporting_updates_by_urn_and_never_overwrites_what_advisers_entered() {
    let mut store = imported();
    edit(&mut store, 990101, "ward", json!("Castle and Cathedral"));
    let changed = String::from_utf8_lossy(WINDOWS_1252)
        .replace("Chapel Lane", "Chapel Road")
        .replace(",Castle,", ",Castle North,");
    let bytes = encoding_rs::WINDOWS_1252.encode(&changed).0.into_owned();
    let summary = store
        .import_gias_bytes(&bytes, "edubase-2.csv", FENBRIDGE)
        .expect("second file imports");
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged),
        (0, 1, 3)
    );
    let school = store.school(Urn(990101)).expect("school");
    assert_eq!(
        school.street.as_deref(),
        Some("Chapel Road"),
        "GIAS field refreshed"
    );
    assert_eq!(
        school.ward.as_deref(),
        Some("Castle and Cathedral"),
        "adviser's edit kept"
    );
}

#[test]
fn importing_the_same_file_again_writes_nothing() {
    let mut store = imported();
    let before = outbox_len(&store);
    let summary = store
        .import_gias_bytes(WINDOWS_1252, "edubase.csv", FENBRIDGE)
        .expect("imports again");
    assert_eq!(
        (summary.added, summary.updated, summary.unchanged),
        (0, 0, 4)
    );
    assert_eq!(outbox_len(&store), before);
}

#[test]
fn every_imported_school_has_its_outbox_operation() {
    let store = imported();
    let outbox = store.pending_operations().expect("outbox");
    assert_eq!(outbox.len(), 4);
    assert!(outbox.iter().all(|op| op.entity == "school"));
    let first = &outbox[0];
    assert_eq!(first.record_key, "990101");
    assert_eq!(
        first.fields["name"],
        "St Mary’s Church of England Primary School"
    );
    assert!(
        first.fields.get("link_sia").is_none(),
        "an import writes only GIAS fields"
    );
}

fn refused(bytes: &[u8]) -> (String, Value, Value) {
    let mut store = imported();
    let before = store.export().expect("export");
    let error = store
        .import_gias_bytes(bytes, "broken.csv", FENBRIDGE)
        .expect_err("broken file is refused");
    assert!(matches!(error, StoreError::Import { .. }), "{error}");
    (error.to_string(), before, store.export().expect("export"))
}

#[test]
fn broken_files_are_refused_whole_with_the_place_named() {
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "missing URN column",
            b"LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)\n990,A,Community school,Open,Primary\n".to_vec(),
            "broken.csv: line 1, field URN:",
        ),
        (
            "unbalanced quote",
            b"URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)\n990301,990,A,Community school,Open,Primary\n990302,990,\"Broken,Community school,Open,Primary\n990303,990,C,Community school,Open,Primary\n".to_vec(),
            "broken.csv: line 3",
        ),
        (
            "non-numeric URN",
            b"URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)\n990301,990,A,Community school,Open,Primary\n99O302,990,B,Community school,Open,Primary\n".to_vec(),
            "broken.csv: line 3, field URN:",
        ),
        (
            "binary garbage",
            vec![0x50, 0x4b, 0x03, 0x04, 0x00, 0x14, 0x00, 0x06, 0xff, 0xfe, 0x00, 0x00],
            "broken.csv: line 1: binary data",
        ),
    ];
    for (what, bytes, expected) in cases {
        let (message, before, after) = refused(&bytes);
        assert!(message.starts_with(expected), "{what}: {message}");
        assert!(
            message.ends_with("nothing was imported"),
            "{what}: {message}"
        );
        assert_eq!(before, after, "{what}: the store changed");
    }
}

#[test]
fn a_file_that_cannot_be_read_names_its_path() {
    let mut store = Store::open_in_memory().expect("store");
    let error = store
        .import_gias_file(std::path::Path::new("/nowhere/edubasealldata.csv"), None)
        .expect_err("missing file");
    assert!(
        error
            .to_string()
            .starts_with("cannot read /nowhere/edubasealldata.csv"),
        "{error}"
    );
}

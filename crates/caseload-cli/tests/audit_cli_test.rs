//! `caseload audit --urn URN`: a school's changes, newest first — its
//! visits' among them — with who, when, which device and what; long text
//! shortened in the listing and whole in `--json`.

mod common;

use common::{arg, stderr, Scratch};
use serde_json::Value;

#[test]
fn a_schools_audit_trail_lists_a_visits_notes_as_typed_newest_first() {
    let scratch = Scratch::demo();
    let visit = scratch.json(&[
        "visit",
        "add",
        "--urn",
        "990008",
        "--date",
        "2026-11-18",
        "--session",
        "pm",
        "--kind",
        "core",
        "--json",
    ]);
    let id = visit["id"].as_str().expect("an id").to_owned();
    let long_note = format!(
        "Learning walk with the head. {}Year 2 phonics is secure.",
        "Reading is taught systematically across the school. ".repeat(6)
    );
    let notes = scratch.file("notes.txt", &long_note);
    scratch.ok(&["visit", "notes", "--visit", &id, "--file", arg(&notes)]);

    let history = scratch.json(&["audit", "--urn", "990008", "--json"]);
    let entries = history.as_array().expect("a list");
    let newest = &entries[0];
    assert_eq!(newest["entity"], "visit");
    assert_eq!(newest["key"], id.as_str());
    assert_eq!(newest["origin"], "edit");
    assert_eq!(newest["this_device"], true);
    let notes_change = newest["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|change| change["field"] == "notes")
        .expect("the notes changed");
    assert_eq!(notes_change["before"], Value::Null);
    assert_eq!(notes_change["after"][0]["evidence"], long_note.as_str());
    assert!(
        entries.iter().any(|entry| entry["entity"] == "school"),
        "the school's own record is in its history"
    );

    let text = scratch.ok(&["audit", "--urn", "990008"]);
    let first = text.lines().next().expect("a line");
    assert!(
        first.contains(&format!("visit {id}"))
            && first.contains("edited by")
            && first.contains("this device"),
        "{text}"
    );
    assert!(text.contains("notes: (empty) -> "), "{text}");
    assert!(text.contains('…'), "a long note is shortened: {text}");
    assert!(!text.contains("Year 2 phonics is secure"), "{text}");
}

#[test]
fn the_audit_trail_of_a_school_not_in_the_store_is_refused() {
    let scratch = Scratch::demo();
    let output = scratch.run(&["audit", "--urn", "123456"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("123456"), "{}", stderr(&output));
}

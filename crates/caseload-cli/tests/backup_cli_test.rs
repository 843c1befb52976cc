//! `caseload backup` and `caseload restore`.

mod common;

use common::{arg, stderr, Scratch};

#[test]
fn a_backup_restores_what_it_held_and_keeps_the_replaced_store() {
    let scratch = Scratch::demo();
    let copy = scratch.folder().join("backup.sqlite3");
    let backup = scratch.json(&["backup", "--out", arg(&copy), "--json"]);
    scratch.ok(&[
        "visit",
        "add",
        "--urn",
        "990001",
        "--date",
        "2027-02-01",
        "--session",
        "am",
        "--kind",
        "bespoke",
    ]);
    let visits_after = scratch.json(&["visits", "--json"]).as_array().map(Vec::len);

    let restored = scratch.json(&["restore", arg(&copy), "--json"]);
    assert_eq!(restored["visits"], backup["visits"]);
    let visits_now = scratch.json(&["visits", "--json"]).as_array().map(Vec::len);
    assert_eq!(
        visits_now.map(|n| n + 1),
        visits_after,
        "the visit added after the backup is gone"
    );
    assert!(scratch
        .db
        .with_file_name("caseload.sqlite3.before-restore")
        .exists());
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_and_the_store_is_untouched() {
    let scratch = Scratch::demo();
    let before = scratch.json(&["visits", "--json"]);
    let notes = scratch.file(
        "notes.txt",
        "Visit notes typed into a text file, not a backup.\n",
    );
    let output = scratch.run(&["restore", arg(&notes)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("is not a SQLite database; nothing was changed"),
        "{}",
        stderr(&output)
    );
    assert_eq!(scratch.json(&["visits", "--json"]), before);
}

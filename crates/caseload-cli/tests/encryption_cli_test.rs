//! Encryption at rest as someone at a terminal meets it: the store's
//! passphrase in `CASELOAD_PASSPHRASE`, a note written through `caseload`
//! nowhere in the file's bytes, a wrong or missing passphrase refused with
//! the store named and how to give one, and a store left by an earlier
//! (unencrypted) version encrypted on first use with every record kept.

mod common;

use std::path::{Path, PathBuf};

use caseload_store::{store_file, Store, StoreFile};
use common::{arg, stderr, Scratch};

/// Words no demo record holds, to look for in the file's bytes.
const NOTE: &str = "Pupils in Kestrel class read Whitby Abbey passages fluently";

fn holds(path: &Path, text: &str) -> bool {
    std::fs::read(path)
        .unwrap_or_default()
        .windows(text.len())
        .any(|window| window == text.as_bytes())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The store file and whatever journal lies beside it.
fn store_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .into_iter()
        .map(|suffix| with_suffix(db, suffix))
        .filter(|path| path.exists())
        .collect()
}

fn bytes_of(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    store_files(db)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("reads");
            (path, bytes)
        })
        .collect()
}

#[test]
fn a_note_written_through_the_cli_is_not_in_the_store_files_in_clear() {
    let scratch = Scratch::demo();
    let notes = scratch.file("notes.txt", NOTE);
    scratch.ok(&[
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
        "--notes",
        arg(&notes),
    ]);
    let hits = scratch.json(&["search", "Kestrel", "--json"]);
    assert_eq!(hits.as_array().map(Vec::len), Some(1), "the note is kept");

    assert_eq!(
        store_file(&scratch.db).expect("reads"),
        StoreFile::Encrypted
    );
    for file in store_files(&scratch.db) {
        assert!(!holds(&file, NOTE), "{} holds the note", file.display());
        assert!(
            !holds(&file, "Westfield"),
            "{} holds a school's name",
            file.display()
        );
    }
    let copy = scratch.folder().join("backup.sqlite3");
    scratch.ok(&["backup", "--out", arg(&copy)]);
    assert!(!holds(&copy, NOTE), "the backup holds the note");
    assert_eq!(store_file(&copy).expect("reads"), StoreFile::Encrypted);
}

#[test]
fn a_wrong_passphrase_is_refused_with_the_store_named_and_the_files_unchanged() {
    let scratch = Scratch::demo();
    let before = bytes_of(&scratch.db);
    let output = scratch.run_with_passphrase(&["schools"], Some("not the passphrase"));
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&scratch.db.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("the passphrase in CASELOAD_PASSPHRASE does not open it"),
        "{message}"
    );
    assert!(message.contains("the file was not changed"), "{message}");
    assert!(!message.contains("hmac"), "SQLCipher's own log: {message}");
    assert_eq!(
        bytes_of(&scratch.db),
        before,
        "the store's files are unchanged"
    );
    scratch.ok(&["schools"]);
}

#[test]
fn without_a_passphrase_or_a_keyring_the_cli_says_how_to_give_one_and_touches_nothing() {
    let scratch = Scratch::demo();
    let before = bytes_of(&scratch.db);
    let output = scratch.run_with_passphrase(&["schools"], None);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&scratch.db.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("is encrypted and no key for it is at hand"),
        "{message}"
    );
    assert!(message.contains("set CASELOAD_PASSPHRASE"), "{message}");
    assert_eq!(bytes_of(&scratch.db), before);

    // No store is made without a key to encrypt it with.
    let fresh = Scratch::new();
    let output = fresh.run_with_passphrase(&["init"], None);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("set CASELOAD_PASSPHRASE to a passphrase of at least 8"),
        "{}",
        stderr(&output)
    );
    assert!(!fresh.db.exists());
    // Nor with a passphrase too short to be one.
    let output = fresh.run_with_passphrase(&["init"], Some("short"));
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("at least 8 characters"),
        "{}",
        stderr(&output)
    );
    assert!(!fresh.db.exists());
}

#[test]
fn a_store_from_before_encryption_is_encrypted_on_first_use_with_every_record() {
    let scratch = Scratch::new();
    // What an earlier version left: the demo caseload with a noted visit,
    // in an unencrypted file (a store in memory has no key, so its backup is plain).
    let mut earlier = Store::open_in_memory().expect("a store");
    earlier.load_demo().expect("demo");
    let before = earlier.export().expect("export");
    std::fs::create_dir_all(scratch.db.parent().expect("folder")).expect("folder");
    earlier.backup_to(&scratch.db).expect("written");
    drop(earlier);
    assert_eq!(store_file(&scratch.db).expect("reads"), StoreFile::Plain);
    assert!(holds(&scratch.db, "Westfield"));

    let schools = scratch.json(&["schools", "--json"]);
    assert_eq!(
        store_file(&scratch.db).expect("reads"),
        StoreFile::Encrypted
    );
    assert!(!holds(&scratch.db, "Westfield"));
    assert_eq!(
        schools.as_array().map(Vec::len),
        before["records"]["school"].as_array().map(Vec::len)
    );
    assert_eq!(
        scratch.json(&["export", "--json"]),
        before,
        "every record kept, field for field"
    );
    assert!(!with_suffix(&scratch.db, ".encrypting").exists());
}

//! Encryption at rest: what a lost laptop or a copied file gives away.
//!
//! The store file and its write-ahead log hold no note in clear; a wrong key
//! is refused with the file named and the file left byte for byte as it
//! was; a store from before encryption is encrypted in place with every
//! record kept, and a failure on the way leaves it as it was; backups are
//! encrypted with the store's key.

mod common;

use std::path::{Path, PathBuf};

use caseload_core::visit::{AreaNote, Session, Visit, VisitKind};
use caseload_core::Urn;
use caseload_store::{check_backup, restore, store_file, Store, StoreError, StoreFile, StoreKey};
use common::{date, key, open};
use uuid::Uuid;

/// Words no demo record holds, to look for in the file's bytes.
const NOTE: &str = "Pupils in Kestrel class read Whitby Abbey passages fluently";
const TOKEN: &str = "device-token-4f1b9c0e7d2a";

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn holds(path: &Path, text: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .windows(text.len())
        .any(|window| window == text.as_bytes())
}

/// A visit to Westfield whose notes are [`NOTE`].
fn noted_visit() -> Visit {
    let mut visit = Visit::plan(
        Uuid::now_v7(),
        Urn(990_008),
        date(2026, 11, 18),
        Session::Am,
        VisitKind::Core,
    );
    visit
        .edit(|visit| visit.notes = vec![AreaNote::general(NOTE)])
        .expect("a draft");
    visit
}

#[test]
fn neither_the_store_nor_its_log_holds_a_note_or_the_device_token_in_clear() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.sqlite3");
    let mut store = open(&path);
    store.load_demo().expect("demo");
    store.save_visit(&noted_visit()).expect("saved");
    let store = common::enrolled_with_token(store, TOKEN);
    // The write is still in the log while the store is open.
    let wal = with_suffix(&path, "-wal");
    assert!(
        std::fs::metadata(&wal).expect("a log").len() > 0,
        "the write is in the log"
    );
    for file in [&path, &wal] {
        assert!(!holds(file, NOTE), "{} holds the note", file.display());
        assert!(!holds(file, TOKEN), "{} holds the token", file.display());
        assert!(
            !holds(file, "Westfield"),
            "{} holds a school's name",
            file.display()
        );
    }
    drop(store);
    assert_eq!(store_file(&path).expect("reads"), StoreFile::Encrypted);
    assert!(!holds(&path, NOTE));
    // The store itself reads them back.
    let store = open(&path);
    assert_eq!(
        store
            .enrolment()
            .expect("reads")
            .map(|enrolment| enrolment.token),
        Some(TOKEN.to_owned())
    );
    assert_eq!(store.search("Kestrel").expect("search").len(), 1);
}

#[test]
fn a_wrong_key_or_passphrase_is_refused_with_the_file_named_and_the_file_unchanged() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.sqlite3");
    let mut app = open(&path);
    app.load_demo().expect("demo");
    app.save_visit(&noted_visit()).expect("saved");
    let wal = with_suffix(&path, "-wal");
    let before = (
        std::fs::read(&path).expect("file"),
        std::fs::read(&wal).expect("log"),
    );

    for wrong in [
        StoreKey::Raw([0x43; 32]),
        StoreKey::Passphrase("correct horse battery staple".to_owned()),
    ] {
        let error = Store::open(&path, &wrong).expect_err("a wrong key is refused");
        assert!(matches!(error, StoreError::WrongKey(_)), "{error}");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("does not open it"), "{message}");
        assert!(message.contains("CASELOAD_PASSPHRASE"), "{message}");
        assert!(message.contains("not changed"), "{message}");
    }
    assert_eq!(
        (
            std::fs::read(&path).expect("file"),
            std::fs::read(&wal).expect("log")
        ),
        before,
        "the store and its log are byte for byte as they were"
    );
    // The app's own connection is none the worse, and the store opens with its key.
    app.save_visit(&noted_visit()).expect("the app saves on");
    let visits = app.visits(None).expect("visits").len();
    drop(app);
    let bytes = std::fs::read(&path).expect("file");
    assert!(Store::open(&path, &StoreKey::Raw([0x43; 32])).is_err());
    assert_eq!(std::fs::read(&path).expect("file"), bytes);
    assert_eq!(open(&path).visits(None).expect("visits").len(), visits);
}

/// An unencrypted store as an earlier version left it: the demo caseload,
/// a noted visit, an enrolment, and one write still in its log (as after a
/// crash). With the export of its records and its number of visits.
fn plain_store_left_by_an_earlier_version(folder: &Path) -> (PathBuf, serde_json::Value, usize) {
    let mut records = Store::open_in_memory().expect("memory");
    records.load_demo().expect("demo");
    records.save_visit(&noted_visit()).expect("saved");
    let records = common::enrolled_with_token(records, TOKEN);
    let export = records.export().expect("export");
    let visits = records.visits(None).expect("visits").len();
    // A store in memory has no key: its backup is an unencrypted file.
    let written = folder.join("written.sqlite3");
    records.backup_to(&written).expect("a plain copy");
    assert_eq!(store_file(&written).expect("reads"), StoreFile::Plain);

    let earlier = rusqlite::Connection::open(&written).expect("opens");
    earlier
        .pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    earlier
        .pragma_update(None, "wal_autocheckpoint", 0)
        .expect("no checkpoint");
    earlier
        .execute(
            "INSERT INTO meta (key, value) VALUES ('left-in-the-log', 'yes')",
            [],
        )
        .expect("a write in the log");
    // Copied while the connection is open: the file and its log, as a crash leaves them.
    let left = folder.join("caseload.sqlite3");
    std::fs::copy(&written, &left).expect("file copied");
    std::fs::copy(with_suffix(&written, "-wal"), with_suffix(&left, "-wal")).expect("log copied");
    drop(earlier);
    assert!(holds(&left, NOTE), "the earlier version's store is plain");
    (left, export, visits)
}

#[test]
fn a_store_from_before_encryption_is_encrypted_in_place_with_every_record() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, export, visits) = plain_store_left_by_an_earlier_version(folder.path());

    let store = open(&path);
    assert_eq!(store.export().expect("export"), export, "every record kept");
    assert_eq!(
        store
            .enrolment()
            .expect("reads")
            .map(|enrolment| enrolment.token),
        Some(TOKEN.to_owned()),
        "still enrolled"
    );
    assert_eq!(store.search("Kestrel").expect("search").len(), 1);
    drop(store);

    assert_eq!(store_file(&path).expect("reads"), StoreFile::Encrypted);
    assert!(!holds(&path, NOTE), "no note in clear any more");
    for leftover in ["-wal", "-shm", ".encrypting"] {
        assert!(
            !with_suffix(&path, leftover).exists(),
            "{leftover} is left behind"
        );
    }
    let conn = common::connection(&path);
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).expect("counts") };
    assert_eq!(count("SELECT count(*) FROM visit"), visits as i64);
    assert_eq!(
        count("SELECT count(*) FROM meta WHERE key = 'left-in-the-log'"),
        1,
        "the write left in the log came along"
    );
    // Without the key, the file is no database.
    assert!(rusqlite::Connection::open(&path)
        .expect("opens")
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .is_err());
}

#[test]
fn a_failed_encryption_leaves_the_plain_store_as_it_was() {
    let folder = tempfile::tempdir().expect("temp dir");
    let (path, _, _) = plain_store_left_by_an_earlier_version(folder.path());
    let before = (
        std::fs::read(&path).expect("file"),
        std::fs::read(with_suffix(&path, "-wal")).expect("log"),
    );
    // The encrypted copy cannot be written where it goes.
    std::fs::create_dir(with_suffix(&path, ".encrypting")).expect("in the way");

    let error = Store::open(&path, &key()).expect_err("the copy fails");
    assert!(matches!(error, StoreError::Encrypt { .. }), "{error}");
    assert!(error.to_string().contains("it is as it was"), "{error}");
    assert_eq!(
        (
            std::fs::read(&path).expect("file"),
            std::fs::read(with_suffix(&path, "-wal")).expect("log"),
        ),
        before,
        "the plain store and its log are byte for byte as they were"
    );

    // Once the way is clear, the next start encrypts it.
    std::fs::remove_dir(with_suffix(&path, ".encrypting")).expect("cleared");
    open(&path);
    assert_eq!(store_file(&path).expect("reads"), StoreFile::Encrypted);
}

#[test]
fn a_backup_is_encrypted_with_the_stores_key_and_an_old_plain_backup_restores_encrypted() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.sqlite3");
    let mut store = open(&path);
    store.load_demo().expect("demo");
    store.save_visit(&noted_visit()).expect("saved");
    let copy = folder.path().join("backup.sqlite3");
    let summary = store.backup_to(&copy).expect("backs up");
    drop(store);

    assert_eq!(store_file(&copy).expect("reads"), StoreFile::Encrypted);
    assert!(!holds(&copy, NOTE));
    assert_eq!(check_backup(&copy, &key()).expect("opens"), summary);
    let error = check_backup(&copy, &StoreKey::Raw([0x43; 32])).expect_err("another key");
    assert!(
        error
            .to_string()
            .contains("cannot be read with this store's key"),
        "{error}"
    );

    // A backup from before encryption (unencrypted) restores, encrypted.
    let mut earlier = Store::open_in_memory().expect("memory");
    earlier.load_demo().expect("demo");
    let visits = earlier.visits(None).expect("visits").len();
    let plain_backup = folder.path().join("earlier-backup.sqlite3");
    earlier.backup_to(&plain_backup).expect("a plain backup");
    assert_eq!(store_file(&plain_backup).expect("reads"), StoreFile::Plain);
    let restored = restore(&path, &plain_backup, &key()).expect("restores");
    assert_eq!(restored.visits as usize, visits);
    assert_eq!(store_file(&path).expect("reads"), StoreFile::Encrypted);
    assert_eq!(open(&path).visits(None).expect("visits").len(), visits);
}

//! Backups taken while the store is being written, and restores that check
//! before they replace anything.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use caseload_core::visit::{Session, VisitKind};
use caseload_core::Urn;
use caseload_store::{check_backup, restore, store_file, StoreError, StoreFile};
use common::{date, key, open};

fn demo_on_disk(folder: &std::path::Path) -> std::path::PathBuf {
    let path = folder.join("caseload.sqlite3");
    open(&path).load_demo().expect("demo");
    path
}

fn count(path: &std::path::Path, sql: &str) -> i64 {
    let conn = common::connection(path);
    conn.query_row(sql, [], |row| row.get(0)).expect("counts")
}

#[test]
fn a_backup_taken_during_writes_restores_to_a_consistent_store() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = demo_on_disk(folder.path());
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (path, writing) = (path.clone(), Arc::clone(&writing));
        std::thread::spawn(move || {
            let mut store = open(&path); // a second connection, as the app would hold
            let mut planned = 0;
            while writing.load(Ordering::Relaxed) {
                let day = date(2027, 1, 4) + chrono::Days::new(planned % 300);
                store
                    .plan_visit(Urn(990_001), day, Session::Am, VisitKind::Bespoke)
                    .expect("plans");
                planned += 1;
            }
            planned
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(150));
    let copy = folder.path().join("backup.sqlite3");
    let backup = open(&path).backup_to(&copy).expect("backs up");
    writing.store(false, Ordering::Relaxed);
    let planned = writer.join().expect("writer");
    assert!(planned > 0, "the backup ran while visits were written");

    let restored = folder.path().join("restored").join("caseload.sqlite3");
    std::fs::create_dir_all(restored.parent().expect("folder")).expect("folder");
    assert_eq!(
        store_file(&copy).expect("reads"),
        StoreFile::Encrypted,
        "the backup is encrypted"
    );
    let summary = restore(&restored, &copy, &key()).expect("restores");
    assert_eq!(summary.visits, backup.visits);
    let visits = count(&restored, "SELECT count(*) FROM visit");
    let with_operation = count(
        &restored,
        "SELECT count(DISTINCT record_key) FROM outbox WHERE entity = 'visit'",
    );
    assert_eq!(
        visits, with_operation,
        "every visit came with its outbox operation, and no more"
    );
    assert_eq!(
        count(
            &restored,
            "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"
        ),
        0
    );
}

#[test]
fn restoring_keeps_the_replaced_store_beside_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = demo_on_disk(folder.path());
    let copy = folder.path().join("backup.sqlite3");
    let before = open(&path).backup_to(&copy).expect("backs up");

    let mut store = open(&path);
    store
        .plan_visit(
            Urn(990_001),
            date(2027, 2, 1),
            Session::Pm,
            VisitKind::Bespoke,
        )
        .expect("plans");
    drop(store);

    let summary = restore(&path, &copy, &key()).expect("restores");
    assert_eq!(
        summary.visits, before.visits,
        "the visit planned after the backup is gone"
    );
    let kept = check_backup(
        &folder.path().join("caseload.sqlite3.before-restore"),
        &key(),
    )
    .expect("kept");
    assert_eq!(
        kept.visits,
        before.visits + 1,
        "the replaced store is kept, with that visit"
    );
    open(&path); // the restored store opens
}

#[test]
fn a_damaged_or_foreign_file_is_refused_and_nothing_changes() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = demo_on_disk(folder.path());
    let visits = count(&path, "SELECT count(*) FROM visit");

    let text = folder.path().join("notes.txt");
    std::fs::write(
        &text,
        "not a database at all, just some words typed into a file",
    )
    .expect("written");
    assert!(matches!(
        restore(&path, &text, &key()),
        Err(StoreError::Backup { .. })
    ));

    let foreign = folder.path().join("other.sqlite3");
    rusqlite::Connection::open(&foreign)
        .expect("opens")
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("written");
    let error = restore(&path, &foreign, &key()).expect_err("not a Caseload store");
    assert!(
        error.to_string().contains("not a Caseload store"),
        "{error}"
    );

    let copy = folder.path().join("backup.sqlite3");
    open(&path).backup_to(&copy).expect("backs up");
    let mut bytes = std::fs::read(&copy).expect("reads");
    let middle = bytes.len() / 2;
    bytes[middle..middle + 4096].fill(0xAB);
    std::fs::write(&copy, bytes).expect("damaged");
    assert!(
        restore(&path, &copy, &key()).is_err(),
        "a damaged backup is refused"
    );

    assert_eq!(
        count(&path, "SELECT count(*) FROM visit"),
        visits,
        "the store is as it was"
    );
    assert!(!folder
        .path()
        .join("caseload.sqlite3.before-restore")
        .exists());
}

#[test]
fn a_restore_is_refused_while_the_app_writes_to_the_store() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = demo_on_disk(folder.path());
    let copy = folder.path().join("backup.sqlite3");
    open(&path).backup_to(&copy).expect("backs up");

    let app = common::connection(&path); // the app's connection
    app.execute_batch("BEGIN IMMEDIATE")
        .expect("the app is writing");
    let error = restore(&path, &copy, &key()).expect_err("in use");
    assert!(matches!(error, StoreError::InUse(_)), "{error}");
    app.execute_batch("ROLLBACK").expect("done");
}

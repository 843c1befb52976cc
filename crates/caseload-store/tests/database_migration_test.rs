//! Migrations: a store created by every earlier schema version opens and
//! ends with the same schema as a new one; a migration that changed after it
//! ran, or a store from a newer version, is refused and left alone.

mod common;

use caseload_store::{migrate, store_file, Migration, Store, StoreError, StoreFile, MIGRATIONS};
use common::key;
use rusqlite::Connection;

/// The schema of a store, encrypted (as this version leaves it) or not.
fn schema(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = match store_file(path).expect("reads") {
        StoreFile::Encrypted => common::connection(path),
        _ => Connection::open(path).expect("opens"),
    };
    let mut statement = conn
        // SQLite's own tables aside: an empty `sqlite_sequence` left by the
        // outbox's AUTOINCREMENT before schema v8 is not copied when a
        // plain store is encrypted, and nothing reads it.
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .expect("query schema");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("schema reads")
}

/// An unencrypted store as a version with `applied` migrations left it.
fn store_at_version(folder: &tempfile::TempDir, applied: usize) -> std::path::PathBuf {
    let path = folder.path().join(format!("v{applied}.sqlite3"));
    let mut conn = Connection::open(&path).expect("create");
    migrate(&mut conn, &MIGRATIONS[..applied]).expect("older schema applies");
    path
}

#[test]
fn a_store_from_every_earlier_schema_version_upgrades_to_the_current_schema() {
    let folder = tempfile::tempdir().expect("temp dir");
    let fresh = folder.path().join("fresh.sqlite3");
    common::open(&fresh);
    for applied in 0..=MIGRATIONS.len() {
        let path = store_at_version(&folder, applied);
        let mut store =
            Store::open(&path, &key()).unwrap_or_else(|error| panic!("version {applied}: {error}"));
        store.load_demo().expect("the upgraded store takes records");
        drop(store);
        assert_eq!(
            schema(&path),
            schema(&fresh),
            "upgraded from version {applied}"
        );
    }
}

#[test]
fn a_migration_that_changed_after_it_ran_is_refused() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = store_at_version(&folder, MIGRATIONS.len());
    let edited: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|migration| Migration {
            sql: "CREATE TABLE edited (x INTEGER);",
            ..*migration
        })
        .collect();
    let mut conn = Connection::open(&path).expect("open");
    let error = migrate(&mut conn, &edited).expect_err("edited migration refused");
    assert!(
        matches!(error, StoreError::MigrationChanged { version: 1, .. }),
        "{error}"
    );
    assert!(error
        .to_string()
        .contains("has changed since it was applied"));
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_unchanged() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = store_at_version(&folder, MIGRATIONS.len());
    Connection::open(&path)
        .expect("open")
        .execute(
            "INSERT INTO schema_migration (version, name, sha256) VALUES (999, 'future', 'x')",
            [],
        )
        .expect("future version recorded");
    let before = std::fs::read(&path).expect("bytes");
    let error = Store::open(&path, &key()).expect_err("newer store refused");
    assert!(
        matches!(error, StoreError::NewerSchema { version: 999 }),
        "{error}"
    );
    assert!(
        std::fs::read(&path).expect("bytes") == before,
        "the file changed"
    );
}

#[test]
fn a_failed_migration_leaves_the_schema_as_it_was() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = store_at_version(&folder, MIGRATIONS.len());
    let before = schema(&path);
    let mut broken = MIGRATIONS.to_vec();
    broken.push(Migration {
        version: 1000,
        name: "half a migration",
        sql: "CREATE TABLE half (x INTEGER); CREATE TABLE oops (;",
    });
    let mut conn = Connection::open(&path).expect("open");
    let error = migrate(&mut conn, &broken).expect_err("broken migration fails");
    assert!(
        matches!(error, StoreError::MigrationFailed { version: 1000, .. }),
        "{error}"
    );
    drop(conn);
    assert_eq!(schema(&path), before);
}

#[test]
fn the_store_runs_with_wal_foreign_keys_and_full_text_search() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.sqlite3");
    drop(common::open(&path));
    let conn = common::connection(&path);
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal mode");
    assert_eq!(journal, "wal");
    let fts5: bool = conn
        .query_row(
            "SELECT sqlite_compileoption_used('ENABLE_FTS5')",
            [],
            |row| row.get(0),
        )
        .expect("compile options");
    assert!(fts5, "visit notes and minutes search needs FTS5");
    conn.execute_batch("CREATE VIRTUAL TABLE probe USING fts5(body)")
        .expect("an FTS5 table can be made");
}

#[test]
fn foreign_keys_hold_records_to_their_school() {
    let mut store = Store::open_in_memory().expect("store");
    let orphan = caseload_core::samples::contact();
    let error = store
        .write(|writer| writer.save(&orphan))
        .expect_err("a contact of a school not in the store");
    assert!(error.to_string().contains("FOREIGN KEY"), "{error}");
}

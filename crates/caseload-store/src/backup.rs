//! Backup and restore of the store, while the app runs.
//!
//! A backup is SQLite's online backup taken in one step, so it is one
//! consistent snapshot even while the app goes on writing (in WAL mode a
//! reader never waits for a writer). A restore checks the file before it
//! replaces anything: it must be whole (`integrity_check`), a Caseload
//! store, and of a schema this version knows; the store it replaces is kept
//! beside it as a backup of its own.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::migrations::{check_applied, MIGRATIONS};
use crate::{Store, StoreError};

/// What a backup holds, for the person who made or restores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    pub file: PathBuf,
    pub schema_version: u32,
    pub schools: u32,
    pub visits: u32,
    pub letters: u32,
}

impl Store {
    /// Writes a consistent copy of the store to `out`; the file appears only
    /// once it is complete.
    pub fn backup_to(&self, out: &Path) -> Result<BackupSummary, StoreError> {
        let partial = sibling(out, "partial");
        let written = (|| {
            let mut copy = Connection::open(&partial)?;
            rusqlite::backup::Backup::new(&self.conn, &mut copy)?.step(-1)?;
            copy.pragma_update(None, "journal_mode", "DELETE")?;
            Ok::<_, rusqlite::Error>(())
        })();
        if let Err(source) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(StoreError::Backup {
                file: out.to_owned(),
                problem: source.to_string(),
            });
        }
        std::fs::rename(&partial, out).map_err(|error| StoreError::Backup {
            file: out.to_owned(),
            problem: error.to_string(),
        })?;
        check_backup(out)
    }
}

/// Checks that `file` is a whole Caseload store this version can open, and
/// says what it holds. Changes nothing.
pub fn check_backup(file: &Path) -> Result<BackupSummary, StoreError> {
    let refused = |problem: String| StoreError::Backup {
        file: file.to_owned(),
        problem,
    };
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|error| refused(error.to_string()))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|_| refused("is not a SQLite database".to_owned()))?;
    if integrity != "ok" {
        return Err(refused(format!("is damaged: {integrity}")));
    }
    let schema_version: u32 = conn
        .query_row("SELECT max(version) FROM schema_migration", [], |row| {
            row.get(0)
        })
        .map_err(|_| refused("is not a Caseload store (it has no schema ledger)".to_owned()))?;
    check_applied(&conn, MIGRATIONS).map_err(|error| refused(error.to_string()))?;
    let count = |table: &str| -> Result<u32, StoreError> {
        conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE deleted = 0"),
            [],
            |row| row.get(0),
        )
        .map_err(|error| refused(error.to_string()))
    };
    Ok(BackupSummary {
        file: file.to_owned(),
        schema_version,
        schools: count("school")?,
        visits: count("visit")?,
        letters: if schema_version >= 10 {
            count("letter")?
        } else {
            0
        },
    })
}

/// Replaces the store at `store_path` with the backup `file`, once the
/// backup is checked and brought up to this version's schema. The store it
/// replaces is kept as `<store>.before-restore`. Refused while another
/// program (the app) has the store open for writing.
pub fn restore(store_path: &Path, file: &Path) -> Result<BackupSummary, StoreError> {
    check_backup(file)?;
    let incoming = sibling(store_path, "restoring");
    let prepared = (|| {
        std::fs::copy(file, &incoming).map_err(|error| StoreError::Backup {
            file: file.to_owned(),
            problem: error.to_string(),
        })?;
        // Opening migrates an older backup to this version's schema.
        drop(Store::open(&incoming)?);
        checkpoint_and_close(&incoming)
    })();
    if let Err(error) = prepared {
        remove_with_journals(&incoming);
        return Err(error);
    }
    if store_path.exists() {
        if let Err(error) = refuse_if_in_use(store_path) {
            remove_with_journals(&incoming);
            return Err(error);
        }
        let current = Store::open(store_path)?;
        current.backup_to(&sibling(store_path, "before-restore"))?;
        drop(current);
        checkpoint_and_close(store_path)?;
    }
    remove_journals(store_path);
    std::fs::rename(&incoming, store_path).map_err(|error| StoreError::Backup {
        file: store_path.to_owned(),
        problem: error.to_string(),
    })?;
    check_backup(store_path)
}

/// An exclusive lock is granted only when no other connection is writing
/// or holds the store: the app, say, left running.
fn refuse_if_in_use(path: &Path) -> Result<(), StoreError> {
    let in_use = || StoreError::InUse(path.to_owned());
    let conn = Connection::open(path).map_err(|_| in_use())?;
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(|_| in_use())?;
    conn.execute_batch("BEGIN EXCLUSIVE; ROLLBACK;")
        .map_err(|_| in_use())
}

/// Folds the write-ahead log into the file, so the file alone is the store.
fn checkpoint_and_close(path: &Path) -> Result<(), StoreError> {
    let conn = Connection::open(path)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// `<file>.<suffix>` beside `file`.
fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    file.with_file_name(name)
}

fn remove_journals(path: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn remove_with_journals(path: &Path) {
    let _ = std::fs::remove_file(path);
    remove_journals(path);
}

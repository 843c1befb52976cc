//! Backup and restore of the store, while the app runs.
//!
//! A backup is SQLite's online backup taken in one step, so it is one
//! consistent snapshot even while the app goes on writing (in WAL mode a
//! reader never waits for a writer). It is encrypted with the store's own
//! key: whoever can open the store can open its backups, and nobody else. A
//! restore checks the file before it replaces anything: it must open with
//! the key, be whole (`integrity_check`), a Caseload store, and of a schema
//! this version knows; the store it replaces is kept beside it as a backup
//! of its own. An unencrypted backup from an earlier version is restored
//! encrypted.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use crate::cipher::{self, open_keyed, remove_journals, remove_with_journals, sibling};
use crate::migrations::{check_applied, MIGRATIONS};
use crate::{store_file, Store, StoreError, StoreFile, StoreKey};

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
    /// Writes a consistent copy of the store to `out`, encrypted with the
    /// store's key; the file appears only once it is complete.
    pub fn backup_to(&self, out: &Path) -> Result<BackupSummary, StoreError> {
        let partial = sibling(out, "partial");
        remove_with_journals(&partial);
        let written = (|| {
            let mut copy = Connection::open(&partial)?;
            if let Some(key) = &self.key {
                cipher::apply_key(&copy, key)?;
            }
            rusqlite::backup::Backup::new(&self.conn, &mut copy)?.step(-1)?;
            copy.pragma_update(None, "journal_mode", "DELETE")?;
            Ok::<_, rusqlite::Error>(())
        })();
        if let Err(source) = written {
            remove_with_journals(&partial);
            return Err(StoreError::Backup {
                file: out.to_owned(),
                problem: source.to_string(),
            });
        }
        std::fs::rename(&partial, out).map_err(|error| StoreError::Backup {
            file: out.to_owned(),
            problem: error.to_string(),
        })?;
        summarise(out, self.key.as_ref())
    }
}

/// Checks that `file` is a whole Caseload store this version can open with
/// `key` (or an unencrypted one from an earlier version), and says what it
/// holds. Changes nothing.
pub fn check_backup(file: &Path, key: &StoreKey) -> Result<BackupSummary, StoreError> {
    summarise(file, Some(key))
}

fn summarise(file: &Path, key: Option<&StoreKey>) -> Result<BackupSummary, StoreError> {
    let refused = |problem: String| StoreError::Backup {
        file: file.to_owned(),
        problem,
    };
    let unreadable = || {
        refused(
            "cannot be read with this store's key: it is encrypted with another key or \
             passphrase, or is not a SQLite database"
                .to_owned(),
        )
    };
    let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY;
    let conn = match (store_file(file)?, key) {
        (StoreFile::Missing, _) => return Err(refused("is missing or empty".to_owned())),
        (StoreFile::Plain, _) | (StoreFile::Encrypted, None) => {
            Connection::open_with_flags(file, read_only)
                .map_err(|error| refused(error.to_string()))?
        }
        (StoreFile::Encrypted, Some(key)) => {
            open_keyed(file, key, read_only).map_err(|error| match error {
                StoreError::WrongKey(_) => unreadable(),
                error => refused(error.to_string()),
            })?
        }
    };
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|_| unreadable())?;
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
/// program (the app) has the store open for writing. `key` opens the
/// backup and the store, and encrypts an unencrypted backup.
pub fn restore(
    store_path: &Path,
    file: &Path,
    key: &StoreKey,
) -> Result<BackupSummary, StoreError> {
    check_backup(file, key)?;
    let incoming = sibling(store_path, "restoring");
    remove_with_journals(&incoming);
    let prepared = (|| {
        std::fs::copy(file, &incoming).map_err(|error| StoreError::Backup {
            file: file.to_owned(),
            problem: error.to_string(),
        })?;
        // Opening migrates an older backup to this version's schema, and
        // encrypts one from before encryption.
        drop(Store::open(&incoming, key)?);
        checkpoint_and_close(&incoming, key)
    })();
    if let Err(error) = prepared {
        remove_with_journals(&incoming);
        return Err(error);
    }
    if store_path.exists() {
        let replaced = (|| {
            refuse_if_in_use(store_path, key)?;
            let current = Store::open(store_path, key)?;
            current.backup_to(&sibling(store_path, "before-restore"))?;
            drop(current);
            checkpoint_and_close(store_path, key)
        })();
        if let Err(error) = replaced {
            remove_with_journals(&incoming);
            return Err(error);
        }
    }
    remove_journals(store_path);
    std::fs::rename(&incoming, store_path).map_err(|error| StoreError::Backup {
        file: store_path.to_owned(),
        problem: error.to_string(),
    })?;
    check_backup(store_path, key)
}

/// An exclusive lock is granted only when no other connection is writing
/// or holds the store: the app, say, left running.
fn refuse_if_in_use(path: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let in_use = || StoreError::InUse(path.to_owned());
    let conn = match open_keyed(path, key, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        Ok(conn) => conn,
        Err(StoreError::Open { .. }) => return Err(in_use()),
        Err(error) => return Err(error),
    };
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(|_| in_use())?;
    conn.execute_batch("BEGIN EXCLUSIVE; ROLLBACK;")
        .map_err(|_| in_use())
}

/// Folds the write-ahead log into the file, so the file alone is the store.
fn checkpoint_and_close(path: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let conn = open_keyed(path, key, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

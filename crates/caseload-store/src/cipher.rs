//! Encryption at rest: the store file is a SQLCipher database.
//!
//! This module keys connections, tells a wrong key from a right one before
//! anything is written, and encrypts an unencrypted store left by an earlier
//! version in place: copy (`sqlcipher_export` into a new file beside it),
//! verify (open the copy with the key, compare every table's row count, check
//! its integrity), swap (one rename). Until the rename the plain store is
//! untouched, so a failure at any step leaves it as it was.
//!
//! Where a key comes from (keyring, environment, a typed passphrase) is not
//! decided here: see [`crate::keys`]. A key must never reach a message or a
//! log, so [`StoreKey`]'s `Debug` hides it.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use zeroize::{Zeroize as _, Zeroizing};

use crate::migrations::{check_applied, MIGRATIONS};
use crate::StoreError;

/// The first 16 bytes of every unencrypted SQLite file; an encrypted one
/// starts with its random salt instead.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What opens an encrypted store.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreKey {
    /// A random 256-bit key, used as it is (`PRAGMA key = "x'…'"`): no key
    /// derivation, so opening costs nothing.
    Raw([u8; 32]),
    /// A passphrase the adviser types or sets in `CASELOAD_PASSPHRASE`;
    /// SQLCipher derives the key from it (PBKDF2, with the file's salt).
    Passphrase(String),
}

impl StoreKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Result<StoreKey, StoreError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|error| {
            StoreError::Key(format!("no random numbers to make a key: {error}"))
        })?;
        Ok(StoreKey::Raw(key))
    }

    /// The raw key as 64 hex digits (how a keyring keeps it); `None` for a passphrase.
    pub fn to_hex(&self) -> Option<String> {
        match self {
            StoreKey::Raw(bytes) => Some(bytes.iter().map(|byte| format!("{byte:02x}")).collect()),
            StoreKey::Passphrase(_) => None,
        }
    }

    /// A raw key from 64 hex digits, as [`StoreKey::to_hex`] wrote it.
    pub fn from_hex(text: &str) -> Option<StoreKey> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut key = [0u8; 32];
        for (byte, pair) in key.iter_mut().zip(text.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(StoreKey::Raw(key))
    }

    /// The key as SQLCipher reads it in `PRAGMA key` and `ATTACH … KEY`: a
    /// raw key written `x'<hex>'`, a passphrase as it is.
    fn sql_text(&self) -> Zeroizing<String> {
        Zeroizing::new(match self {
            StoreKey::Raw(_) => {
                let hex = Zeroizing::new(self.to_hex().unwrap_or_default());
                format!("x'{}'", hex.as_str())
            }
            StoreKey::Passphrase(passphrase) => passphrase.clone(),
        })
    }
}

// Wiped when dropped: when the app locks and closes the store, its key
// does not linger in freed memory.
impl Drop for StoreKey {
    fn drop(&mut self) {
        match self {
            StoreKey::Raw(bytes) => bytes.zeroize(),
            StoreKey::Passphrase(passphrase) => passphrase.zeroize(),
        }
    }
}

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreKey::Raw(_) => f.write_str("StoreKey::Raw(<hidden>)"),
            StoreKey::Passphrase(_) => f.write_str("StoreKey::Passphrase(<hidden>)"),
        }
    }
}

/// What lies at a store's path, read from its first bytes without opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFile {
    /// No file yet (or an empty one): the key given makes a new store.
    Missing,
    /// An unencrypted SQLite file, as versions before encryption wrote.
    Plain,
    /// Anything else: an encrypted store (or a file that is no store at all).
    Encrypted,
}

/// Looks at the first bytes of `path`.
pub fn store_file(path: &Path) -> Result<StoreFile, StoreError> {
    let unreadable = |source| StoreError::ReadFile {
        path: path.to_owned(),
        source,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(StoreFile::Missing)
        }
        Err(error) => return Err(unreadable(error)),
    };
    let mut header = Vec::with_capacity(PLAIN_HEADER.len());
    file.by_ref()
        .take(PLAIN_HEADER.len() as u64)
        .read_to_end(&mut header)
        .map_err(unreadable)?;
    Ok(if header.is_empty() {
        StoreFile::Missing
    } else if header == PLAIN_HEADER {
        StoreFile::Plain
    } else {
        StoreFile::Encrypted
    })
}

/// Opens `path` keyed with `key` and checks that the key opens it. Nothing
/// is written to the file, so a wrong key leaves it exactly as it was.
pub(crate) fn open_keyed(
    path: &Path,
    key: &StoreKey,
    flags: OpenFlags,
) -> Result<Connection, StoreError> {
    let opened = (|| {
        let conn = Connection::open_with_flags(path, flags)?;
        // Closed after a wrong key, it must not touch the file or its log.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        apply_key(&conn, key)?;
        Ok::<_, rusqlite::Error>(conn)
    })();
    let conn = opened.map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    // The key is only tried when a page is read: read the schema.
    let read = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
        .and_then(|()| conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false));
    match read {
        Ok(_) => Ok(conn),
        Err(error) if is_not_a_database(&error) => Err(StoreError::WrongKey(path.to_owned())),
        Err(source) => Err(StoreError::Open {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Keys a connection before its first read. SQLCipher's own log (a line on
/// standard error for every failed HMAC) is turned off: a wrong key is
/// reported once, by the caller.
pub(crate) fn apply_key(conn: &Connection, key: &StoreKey) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA cipher_log_level = NONE")?;
    conn.pragma_update(None, "key", key.sql_text().as_str())
}

/// What SQLCipher answers when the key is wrong, or the file is no database.
pub(crate) fn is_not_a_database(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::NotADatabase)
}

/// Encrypts the unencrypted store at `path` with `key`, in place.
///
/// Copy, verify, swap: the encrypted copy is written beside the store as
/// `<store>.encrypting`, opened again with the key and compared with the
/// plain store table by table, and only then renamed over it. Until that
/// rename the plain file's bytes are not touched; after it, the plain
/// store's `-wal` and `-shm` are gone too. Refused while another program
/// (an older version of the app, say) has the store open for writing.
pub(crate) fn encrypt_in_place(path: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let encrypting = sibling(path, "encrypting");
    remove_with_journals(&encrypting);
    let done = copy_verify_swap(path, &encrypting, key);
    if done.is_err() {
        remove_with_journals(&encrypting);
    }
    done
}

fn copy_verify_swap(path: &Path, encrypting: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let failed = |problem: String| StoreError::Encrypt {
        path: path.to_owned(),
        problem,
    };
    let sqlite = |error: rusqlite::Error| failed(error.to_string());

    // With the flag to create files: the attached copy is opened with the
    // main database's flags. The plain store itself is known to exist.
    let plain = Connection::open_with_flags(path, OpenFlags::default()).map_err(sqlite)?;
    // Closed after a failure, it leaves the file and its log as they were.
    plain
        .set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(sqlite)?;
    plain
        .execute_batch("PRAGMA cipher_log_level = NONE")
        .map_err(sqlite)?;
    refuse_if_in_use(&plain, path)?;
    // A store this version would refuse (a newer one, say) stays as it is.
    if has_ledger(&plain).map_err(sqlite)? {
        check_applied(&plain, MIGRATIONS)?;
    }

    // Copy: every table, index, trigger and row, into a new encrypted file.
    let target = encrypting
        .to_str()
        .ok_or_else(|| failed(format!("{} is not a UTF-8 path", encrypting.display())))?;
    plain
        .execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            rusqlite::params![target, key.sql_text().as_str()],
        )
        .map_err(sqlite)?;
    let exported = plain
        .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .and_then(|()| {
            let version: i64 = plain.pragma_query_value(None, "user_version", |row| row.get(0))?;
            plain.pragma_update(Some("encrypted"), "user_version", version)
        });
    let detached = plain.execute_batch("DETACH DATABASE encrypted");
    exported.and(detached).map_err(sqlite)?;

    // Verify: the copy opens with the key, is whole, and holds every row.
    {
        let copy = open_keyed(encrypting, key, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|error| failed(format!("the encrypted copy does not open: {error}")))?;
        let integrity: String = copy
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(sqlite)?;
        if integrity != "ok" {
            return Err(failed(format!(
                "the encrypted copy is damaged: {integrity}"
            )));
        }
        let before = row_counts(&plain).map_err(sqlite)?;
        let after = row_counts(&copy).map_err(sqlite)?;
        if before != after {
            return Err(failed(format!(
                "the encrypted copy does not hold every row: {}",
                differences(&before, &after)
            )));
        }
    }

    // Swap: fold the plain store's log into it (so no plain `-wal` can be
    // read as the encrypted store's later), close it, rename the copy over it.
    plain
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .and_then(|()| plain.pragma_update(None, "journal_mode", "DELETE"))
        .map_err(sqlite)?;
    plain.close().map_err(|(_, error)| sqlite(error))?;
    remove_journals(path);
    std::fs::rename(encrypting, path).map_err(|error| failed(error.to_string()))?;
    sync_folder(path);
    Ok(())
}

fn has_ledger(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'",
        [],
        |row| row.get(0),
    )
}

/// An exclusive lock is granted only when no other connection is writing
/// or holds the store.
fn refuse_if_in_use(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let in_use = || StoreError::InUse(path.to_owned());
    conn.busy_timeout(std::time::Duration::ZERO)
        .map_err(|_| in_use())?;
    conn.execute_batch("BEGIN EXCLUSIVE; ROLLBACK;")
        .map_err(|_| in_use())
}

/// Every table's name and row count, in name order (virtual tables and
/// their shadow tables among them).
fn row_counts(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables
        .into_iter()
        .map(|table| {
            let quoted = format!("\"{}\"", table.replace('"', "\"\""));
            let count = conn.query_row(&format!("SELECT count(*) FROM {quoted}"), [], |row| {
                row.get(0)
            })?;
            Ok((table, count))
        })
        .collect()
}

fn differences(before: &[(String, i64)], after: &[(String, i64)]) -> String {
    let shown: Vec<String> = before
        .iter()
        .map(|(table, count)| {
            let copied = after
                .iter()
                .find(|(name, _)| name == table)
                .map_or(-1, |(_, count)| *count);
            (table, count, copied)
        })
        .filter(|(_, count, copied)| count != &copied)
        .map(|(table, count, copied)| format!("{table} {count} rows, copied {copied}"))
        .collect();
    if shown.is_empty() {
        "the tables differ".to_owned()
    } else {
        shown.join("; ")
    }
}

/// Makes the rename durable where the platform allows it.
fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        if let Ok(folder) = std::fs::File::open(folder) {
            let _ = folder.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// `<file>.<suffix>` beside `file`.
pub(crate) fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".");
    name.push(suffix);
    file.with_file_name(name)
}

pub(crate) fn remove_journals(path: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

pub(crate) fn remove_with_journals(path: &Path) {
    let _ = std::fs::remove_file(path);
    remove_journals(path);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raw_key_round_trips_through_hex_and_never_shows_in_debug() {
        let key = StoreKey::Raw([0xA5; 32]);
        let hex = key.to_hex().expect("hex");
        assert_eq!(hex.len(), 64);
        assert_eq!(StoreKey::from_hex(&hex), Some(key.clone()));
        assert_eq!(StoreKey::from_hex("a5"), None);
        assert_eq!(StoreKey::from_hex(&"zz".repeat(32)), None);
        assert!(!format!("{key:?}").contains("a5"));
        let passphrase = StoreKey::Passphrase("correct horse".to_owned());
        assert!(!format!("{passphrase:?}").contains("horse"));
        assert_eq!(*key.sql_text(), format!("x'{hex}'"));
    }

    #[test]
    fn generated_keys_differ() {
        let one = StoreKey::generate().expect("key");
        let two = StoreKey::generate().expect("key");
        assert_ne!(one, two);
    }
}

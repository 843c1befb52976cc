//! The adviser's local store: one SQLite file holding their caseload,
//! encrypted at rest with SQLCipher (`cipher`; where the key comes from is
//! `keys`, for the CLI and the desktop app).
//!
//! This room owns the schema and its migrations, every query the app and
//! the CLI make, the school-list import and the demo caseload, the outbox
//! of local changes, and the sync client that pushes it to the office and
//! applies what it pulls (`pulled.rs` in the store, `sync_client` over HTTP). Every write keeps the sync
//! columns (per-field revisions, tombstones) and its outbox entry in one
//! transaction, through [`records::Writer`].
//!
//! It must never hold a business rule of its own: rules come from
//! `caseload-core`; this crate stores and finds.

mod academy;
mod actions;
pub mod app_lock;
mod audit;
mod authority;
mod backup;
mod beside;
mod cipher;
mod criteria_sets;
mod dashboard;
mod demo;
mod demo_academy;
mod demo_history;
mod demo_msp;
pub mod device_settings;
mod diary;
mod error;
mod export;
mod gias_import;
mod hash;
pub mod keys;
mod letters;
mod migrations;
mod msp;
mod outbox;
mod paths;
pub mod performance;
mod pulled;
mod queries;
pub mod records;
mod reviews;
mod row_reader;
mod search;
mod standing;
pub mod sync_client;
mod sync_state;
mod values;
pub mod views;
mod visits;
mod withdrawn;

use std::path::{Path, PathBuf};
use std::time::Duration;

use caseload_core::{AdviserId, DeviceId, Hlc, HlcClock};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use uuid::Uuid;

pub use academy::{AcademyCase, ConcernRow, ConcernSheet, LetterChoice};
pub use actions::ActionOnDay;
pub use audit::{
    AuditOrigin, FieldChange, HistoryEntry, HistoryPage, COALESCE_WINDOW_MILLIS, HISTORY_PAGE_MAX,
};
pub use backup::{check_backup, restore, BackupSummary};
pub use cipher::{store_file, StoreFile, StoreKey};
pub use criteria_sets::{criteria_folder, criteria_set, criteria_sets, DEFAULT_CRITERIA_SET};
pub use diary::DiaryListener;
pub use error::StoreError;
pub use letters::LettersDue;
pub use migrations::{migrate, Migration, MIGRATIONS};
pub use msp::{MspDocument, MspGroupView, MspMeetingRow, MspMeetingSheet, MspOffer, MspPapers};
pub use outbox::PendingOperation;
pub use paths::{calendar_file, default_store_path, letters_folder, store_path_from_env};
pub use pulled::{
    ConflictVersion, Enrolment, FieldConflict, PullTally, PushBatch, PushTally, RefusedOperation,
};
pub use records::{Origin, Writer, Written};
pub use reviews::MarkedReview;
pub use search::{SearchHit, SEARCH_LIMIT};
pub use visits::VisitSheet;
pub use withdrawn::WithdrawnNotice;

/// An open store. Not `Sync`: share it behind a mutex.
#[derive(Debug)]
pub struct Store {
    /// Opened by the first read that runs beside `conn`; declared first so
    /// that it closes first, and `conn`, closing last, folds the
    /// write-ahead log into the file as it does alone.
    second_reader: beside::SecondReader,
    conn: Connection,
    path: PathBuf,
    /// What the file is keyed with (`None` in memory): a backup is keyed the same.
    key: Option<StoreKey>,
    device: DeviceId,
    replica_no: i64,
    clock: HlcClock,
    diary_watch: diary::DiaryWatch,
}

impl Store {
    /// Opens the encrypted store at `path` with `key`, creating it (and its
    /// folder) if needed and bringing its schema up to date. An unencrypted
    /// store from an earlier version is first encrypted in place with `key`.
    /// A wrong key is [`StoreError::WrongKey`], and leaves the file as it was.
    pub fn open(path: &Path, key: &StoreKey) -> Result<Store, StoreError> {
        if let Some(folder) = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::CreateFolder {
                path: folder.to_owned(),
                source,
            })?;
        }
        if store_file(path)? == StoreFile::Plain {
            cipher::encrypt_in_place(path, key)?;
        }
        let conn = cipher::open_keyed(path, key, OpenFlags::default())?;
        let mut store = Store::prepare(conn, path.to_owned())?;
        store.key = Some(key.clone());
        // Only once the schema is known to be ours: WAL rewrites the file header.
        store
            .conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|source| StoreError::Open {
                path: path.to_owned(),
                source,
            })?;
        Ok(store)
    }

    /// A store that lives only in memory, unencrypted, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::prepare(Connection::open_in_memory()?, PathBuf::from(":memory:"))
    }

    fn prepare(mut conn: Connection, path: PathBuf) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // Writes start as writes: a transaction that read first and then
        // found another connection (a backup, the CLI beside the app)
        // writing would fail at once with "database is locked", as SQLite
        // waits on the busy timeout only before a transaction has begun.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A national school list is one large transaction: the page cache
        // keeps it from spilling pages to disk half-way. 128 MiB also holds
        // what the authority-wide view reads of a national store (the
        // schools and the counting indexes), so a second look finds most of
        // it decrypted already; SQLite fills the cache as pages are read, so
        // a caseload's store uses a few MiB.
        conn.pragma_update(None, "cache_size", -131_072)?;
        // Statement journals of large transactions stay off the disk.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrate(&mut conn, MIGRATIONS)?;
        let (device, replica_no) = ensure_device(&conn)?;
        let last = last_hlc(&conn)?;
        Ok(Store {
            conn,
            path,
            key: None,
            device,
            replica_no,
            clock: HlcClock::resume(last),
            diary_watch: diary::DiaryWatch::default(),
            second_reader: beside::SecondReader::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This installation's device id, stamped on every value it writes.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` in one transaction: all its writes land, or none do.
    pub fn write<T>(
        &mut self,
        work: impl FnOnce(&mut Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (result, diary_touched) = {
            let mut writer = Writer {
                tx: self.conn.transaction()?,
                replica_no: self.replica_no,
                clock: self.clock,
                diary_touched: false,
            };
            let result = work(&mut writer)?;
            let Writer {
                tx,
                clock,
                diary_touched,
                ..
            } = writer;
            tx.commit()?;
            self.clock = clock;
            (result, diary_touched)
        };
        if diary_touched {
            self.diary_may_have_changed();
        }
        Ok(result)
    }

    /// Makes `adviser` the one this installation belongs to: their caseload
    /// is the one the app opens on.
    pub fn set_current_adviser(&mut self, adviser: AdviserId) -> Result<(), StoreError> {
        set_meta(&self.conn, "current_adviser", &adviser.to_string())?;
        // The diary holds the current adviser's visits.
        self.diary_may_have_changed();
        Ok(())
    }

    /// The adviser this installation belongs to, if one is set.
    pub fn current_adviser_id(&self) -> Result<Option<AdviserId>, StoreError> {
        Ok(meta(&self.conn, "current_adviser")?
            .and_then(|text| Uuid::parse_str(&text).ok())
            .map(AdviserId))
    }
}

fn ensure_device(conn: &Connection) -> Result<(DeviceId, i64), StoreError> {
    let device = match meta(conn, "device_id")? {
        Some(text) => Uuid::parse_str(&text)
            .map_err(|_| StoreError::Corrupt(format!("device id {text:?} is not a UUID")))?,
        None => {
            let id = Uuid::now_v7();
            set_meta(conn, "device_id", &id.to_string())?;
            id
        }
    };
    conn.execute(
        "INSERT OR IGNORE INTO replica (device_id) VALUES (?1)",
        [device.to_string()],
    )?;
    let replica_no = conn.query_row(
        "SELECT no FROM replica WHERE device_id = ?1",
        [device.to_string()],
        |row| row.get(0),
    )?;
    Ok((DeviceId(device), replica_no))
}

/// The last HLC this store stamped: its newest outbox operation's, since
/// every stamped write adds one. `meta.hlc` is the floor kept for when the
/// outbox has been emptied; whatever empties it must raise that floor first.
fn last_hlc(conn: &Connection) -> Result<Hlc, StoreError> {
    let floor = meta(conn, "hlc")?
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    let newest: Option<i64> = conn
        .query_row(
            "SELECT hlc FROM outbox ORDER BY seq DESC LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    let newest = newest.and_then(|hlc| u64::try_from(hlc).ok()).unwrap_or(0);
    Ok(Hlc(floor.max(newest)))
}

pub(crate) fn meta(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

pub(crate) fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

//! Where the office keeps everything: one trait, two backends.
//!
//! [`Tx`] is what one transaction can read and write; the SQLite backend
//! ([`sqlite`], through the workspace's rusqlite, the default: it needs
//! nothing but a folder) and the PostgreSQL backend ([`postgres`],
//! tokio-postgres, for a shared office) each implement it, and [`Backend`]
//! opens their transactions. Everything the office does is written once,
//! over `Tx`, in [`crate::office`]; what a write changes is decided in
//! [`crate::plan`]. Nothing above this module knows which backend is in use.
//!
//! Transactions run on blocking threads: rusqlite blocks, and the
//! PostgreSQL backend drives its client from there too, so one transaction
//! is plain sequential code on either backend. Write transactions are
//! serialised (SQLite's single writer; a transaction-scoped advisory lock on
//! PostgreSQL), so sequence numbers become visible in order and a pull never
//! skips one.

pub mod postgres;
pub mod postgres_transport;
pub mod sqlite;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use caseload_core::record;
use caseload_core::sync::{Change, RecordState, Withdrawal, WithdrawnScope};
use caseload_core::{Adviser, AdviserId, AdviserRole, DeviceId, Hlc, Urn};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::access::Sender;
use crate::plan::{Author, Counters, RecordId, StoredRecord, Writes};
use crate::secrets::RandomError;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Something an administrator named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// An administrator's request that cannot be carried out as asked.
    #[error("{0}")]
    Refused(String),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("PostgreSQL connection pool: {0}")]
    Pool(String),
    #[error("the office store does not read back: {0}")]
    Corrupt(String),
    #[error("the office store's schema: {0}")]
    Schema(String),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error("a storage task stopped: {0}")]
    Task(String),
}

impl From<serde_json::Error> for StorageError {
    fn from(error: serde_json::Error) -> Self {
        StorageError::Corrupt(error.to_string())
    }
}

/// An adviser's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub adviser: Adviser,
    /// False once the adviser is removed.
    pub active: bool,
}

/// A one-time enrolment code, by its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    pub adviser: AdviserId,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A device, as `device list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub adviser: AdviserId,
    pub name: String,
    pub enrolled_at: i64,
    pub revoked_at: Option<i64>,
    /// The SHA-256 of its token's secret, in hex.
    #[serde(skip)]
    pub token_hash: String,
}

/// An adviser's account, as `adviser list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountRow {
    pub id: AdviserId,
    pub name: String,
    pub email: String,
    pub role: AdviserRole,
    pub active: bool,
    /// The schools they are link SIA for.
    pub schools: Vec<u32>,
}

/// One write in the office's audit log of a record: an operation a device
/// pushed, or a write the office made itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRow {
    /// The sequence number it was applied under: the log's order.
    pub seq: u64,
    pub op_id: Uuid,
    /// When the office applied it (RFC 3339, UTC, to the millisecond).
    pub applied_at: String,
    /// The account whose device pushed it, and its name; none for the
    /// office's own write.
    pub account: Option<AdviserId>,
    pub account_name: Option<String>,
    /// The administrator's command behind the office's own write
    /// (`import schools`, `adviser assign`, ...); none for a pushed one.
    pub office_action: Option<String>,
    /// The device that wrote it (the office's own, unnamed, for its writes).
    pub device: DeviceId,
    pub device_name: Option<String>,
    /// The writer's stamp.
    pub hlc: Hlc,
    /// The values it wrote; empty for a delete.
    pub fields: Map<String, Value>,
    /// The values those fields had just before (all of them, for a
    /// delete); none for a write logged before the office kept them.
    pub before: Option<Map<String, Value>>,
    pub deleted: bool,
}

/// An audit row's columns, as both backends select them.
#[derive(Debug)]
pub struct AuditColumns {
    pub seq: i64,
    pub op_id: String,
    pub applied_at_millis: i64,
    pub account: Option<String>,
    pub account_name: Option<String>,
    pub office_action: Option<String>,
    pub device: String,
    pub device_name: Option<String>,
    pub hlc: i64,
    pub fields: String,
    pub before: Option<String>,
    pub deleted: bool,
}

/// The `SELECT` of a record's audit rows, `?` standing for the entity
/// and key placeholders; both backends read it with [`audit_row`].
pub fn audit_sql(entity: &str, key: &str) -> String {
    format!(
        "SELECT a.seq, a.op_id, a.applied_at, a.account, ac.name, a.office_action, a.device,
                d.name, a.hlc, a.fields, a.fields_before, a.deleted
           FROM applied_op a
           LEFT JOIN account ac ON ac.id = a.account
           LEFT JOIN device d ON d.id = a.device
          WHERE a.entity = {entity} AND a.record_key = {key}
          ORDER BY a.seq"
    )
}

/// The `SELECT` of the changes after a sequence number in a reader's scope
/// (the rules of [`crate::access`]), oldest first; `after`, `adviser` and
/// `limit` are the backend's placeholders. Each way a record reaches a
/// reader is its own branch, read from an index on (scope column, seq):
/// testing every record changed since the cursor against the scope, as a
/// single `OR` did, read hundreds of other advisers' records (their whole
/// state) for each device's incremental pull. The branches are disjoint (a
/// record has one scope column, and the directory branch alone takes
/// `adviser` records). Only the branches that can be large (every school,
/// the directory) are cut to a page before the merge; cutting the others
/// too led PostgreSQL to walk the sequence index instead of the scope's.
pub fn changes_sql(every_school: bool, after: &str, adviser: &str, limit: &str) -> String {
    let ordered = |condition: &str, name: &str| {
        format!(
            "SELECT seq FROM (SELECT seq FROM record WHERE {condition} AND seq > {after} \
             ORDER BY seq LIMIT {limit}) AS {name}"
        )
    };
    let schools = if every_school {
        ordered("urn IS NOT NULL", "schools")
    } else {
        format!(
            "SELECT seq FROM record WHERE urn IS NOT NULL AND urn IN \
             (SELECT urn FROM assignment WHERE account = {adviser}) AND seq > {after}"
        )
    };
    let branches = [
        schools,
        format!(
            "SELECT seq FROM record WHERE msp_group IS NOT NULL AND msp_group IN \
             (SELECT msp_group FROM msp_member WHERE account = {adviser}) AND seq > {after}"
        ),
        ordered("entity = 'adviser' AND adviser IS NOT NULL", "directory"),
        format!(
            "SELECT seq FROM record WHERE adviser IS NOT NULL AND adviser = {adviser} \
             AND entity <> 'adviser' AND seq > {after}"
        ),
    ];
    format!(
        "SELECT r.seq, r.entity, r.key, r.state \
         FROM (SELECT seq FROM ({}) AS scoped ORDER BY seq LIMIT {limit}) AS page \
         JOIN record r ON r.seq = page.seq ORDER BY r.seq",
        branches.join(" UNION ALL ")
    )
}

/// The `SELECT` of the withdrawals after a sequence number for a reader,
/// oldest first, as (seq, urn, msp_group); `after`, `adviser` and `limit`
/// are the backend's placeholders. One is left out when the reader has its
/// scope again (a school assigned back, a group that lists them again: the
/// touch that came with it sends its records anew), and a school's when the
/// reader sees every school anyway.
pub fn withdrawals_sql(every_school: bool, after: &str, adviser: &str, limit: &str) -> String {
    let schools = if every_school {
        "w.urn IS NULL"
    } else {
        "NOT EXISTS (SELECT 1 FROM assignment a WHERE a.urn = w.urn AND a.account = w.account)"
    };
    format!(
        "SELECT w.seq, w.urn, w.msp_group FROM withdrawal w \
         WHERE w.account = {adviser} AND w.seq > {after} AND {schools} \
         AND NOT EXISTS (SELECT 1 FROM msp_member m \
                         WHERE m.msp_group = w.msp_group AND m.account = w.account) \
         ORDER BY w.seq LIMIT {limit}"
    )
}

/// Reads a stored withdrawal back for a pull.
pub fn stored_withdrawal(
    seq: i64,
    urn: Option<i64>,
    msp_group: Option<&str>,
) -> Result<Withdrawal, StorageError> {
    let scope = match (urn, msp_group) {
        (Some(urn), None) => WithdrawnScope::School {
            urn: Urn(u32::try_from(urn)
                .map_err(|_| StorageError::Corrupt(format!("withdrawn URN {urn}")))?),
        },
        (None, Some(group)) => WithdrawnScope::MspGroup {
            group: uuid_from_text(group)?,
        },
        _ => {
            return Err(StorageError::Corrupt(format!(
                "withdrawal {seq} names neither one school nor one MSP group"
            )))
        }
    };
    Ok(Withdrawal {
        seq: u64::try_from(seq)
            .map_err(|_| StorageError::Corrupt(format!("sequence number {seq}")))?,
        scope,
    })
}

/// A withdrawal's columns as both backends store them: (urn, msp_group).
pub fn withdrawal_columns(scope: WithdrawnScope) -> (Option<i64>, Option<String>) {
    match scope {
        WithdrawnScope::School { urn } => (Some(i64::from(urn.0)), None),
        WithdrawnScope::MspGroup { group } => (None, Some(group.to_string())),
    }
}

/// How an audit row's author is stored: the account (none for the office's
/// own write), and the office's command (none for a pushed operation).
pub fn author_columns(author: Author) -> (Option<String>, Option<&'static str>) {
    match author {
        Author::Account(account) => (Some(account.to_string()), None),
        Author::Office(command) => (None, Some(command)),
    }
}

/// Reads an audit row's columns back.
pub fn audit_row(columns: AuditColumns) -> Result<AuditRow, StorageError> {
    let number = |value: i64, what: &str| {
        u64::try_from(value).map_err(|_| StorageError::Corrupt(format!("{what} {value}")))
    };
    Ok(AuditRow {
        seq: number(columns.seq, "sequence number")?,
        op_id: uuid_from_text(&columns.op_id)?,
        applied_at: chrono::DateTime::from_timestamp_millis(columns.applied_at_millis)
            .ok_or_else(|| {
                StorageError::Corrupt(format!("applied at {}", columns.applied_at_millis))
            })?
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        account: columns
            .account
            .map(|account| uuid_from_text(&account).map(AdviserId))
            .transpose()?,
        account_name: columns.account_name,
        office_action: columns.office_action,
        device: DeviceId(uuid_from_text(&columns.device)?),
        device_name: columns.device_name,
        hlc: Hlc(number(columns.hlc, "stamp")?),
        fields: serde_json::from_str(&columns.fields)?,
        before: columns
            .before
            .map(|before| serde_json::from_str(&before))
            .transpose()?,
        deleted: columns.deleted,
    })
}

/// What one transaction can read and write: the office's storage trait.
/// Times are seconds since the Unix epoch.
pub trait Tx {
    /// The sequence counter, the office's device id and its clock.
    fn counters(&mut self) -> Result<Counters, StorageError>;
    /// Writes what a plan decided, and the counters after it (touched
    /// records take further sequence numbers from `counters`).
    fn save(&mut self, counters: Counters, writes: &Writes) -> Result<(), StorageError>;

    fn record(&mut self, entity: &str, key: &str) -> Result<Option<StoredRecord>, StorageError>;
    fn records_of(&mut self, entity: &str) -> Result<Vec<StoredRecord>, StorageError>;
    /// The sequence number an operation was applied under, if it was.
    fn applied_seq(&mut self, op_id: Uuid) -> Result<Option<u64>, StorageError>;
    /// Every write logged against a record, pushed or the office's own,
    /// oldest first (operations applied before the office kept its audit
    /// log name no record).
    fn audit(&mut self, entity: &str, key: &str) -> Result<Vec<AuditRow>, StorageError>;
    /// The schools an adviser is link SIA for.
    fn caseload(&mut self, adviser: AdviserId) -> Result<BTreeSet<Urn>, StorageError>;

    // What a group of pushes reads, each in one query where a query costs a
    // round trip (PostgreSQL); one query an item by default.

    /// The stored records among `ids`.
    fn records_in(&mut self, ids: &[RecordId]) -> Result<Vec<StoredRecord>, StorageError> {
        let mut found = Vec::new();
        for (entity, key) in ids {
            found.extend(self.record(entity, key)?);
        }
        Ok(found)
    }
    /// The operations among `op_ids` applied before, with their numbers.
    fn applied_seqs(&mut self, op_ids: &[Uuid]) -> Result<HashMap<Uuid, u64>, StorageError> {
        let mut applied = HashMap::new();
        for op_id in op_ids {
            if let Some(seq) = self.applied_seq(*op_id)? {
                applied.insert(*op_id, seq);
            }
        }
        Ok(applied)
    }
    /// The schools each of `advisers` is link SIA for.
    fn caseloads(
        &mut self,
        advisers: &[AdviserId],
    ) -> Result<HashMap<AdviserId, BTreeSet<Urn>>, StorageError> {
        let mut caseloads = HashMap::new();
        for adviser in advisers {
            caseloads.insert(*adviser, self.caseload(*adviser)?);
        }
        Ok(caseloads)
    }

    /// Up to `limit` changes after `after` in the reader's scope (see
    /// [`crate::access`]), oldest first.
    fn changes(
        &mut self,
        reader: &Sender,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Change>, StorageError>;
    /// Up to `limit` of the reader's withdrawals after `after` that still
    /// hold (see [`withdrawals_sql`]), oldest first.
    fn withdrawals(
        &mut self,
        reader: &Sender,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Withdrawal>, StorageError>;

    fn account(&mut self, adviser: AdviserId) -> Result<Option<Account>, StorageError>;
    fn account_with_email(&mut self, email: &str) -> Result<Option<AdviserId>, StorageError>;
    fn insert_account(&mut self, adviser: &Adviser, now: i64) -> Result<(), StorageError>;
    fn deactivate_account(&mut self, adviser: AdviserId) -> Result<(), StorageError>;
    fn accounts(&mut self) -> Result<Vec<AccountRow>, StorageError>;

    fn insert_code(
        &mut self,
        code_hash: &str,
        adviser: AdviserId,
        expires_at: i64,
    ) -> Result<(), StorageError>;
    fn code(&mut self, code_hash: &str) -> Result<Option<CodeRow>, StorageError>;
    fn spend_code(&mut self, code_hash: &str, now: i64) -> Result<(), StorageError>;
    /// Spends every unused code of an adviser.
    fn spend_codes_of(&mut self, adviser: AdviserId, now: i64) -> Result<(), StorageError>;

    fn device(&mut self, device: DeviceId) -> Result<Option<DeviceRow>, StorageError>;
    /// A device and its adviser's account: what a token check reads.
    fn device_account(
        &mut self,
        device: DeviceId,
    ) -> Result<Option<(DeviceRow, Option<Account>)>, StorageError> {
        let Some(row) = self.device(device)? else {
            return Ok(None);
        };
        let account = self.account(row.adviser)?;
        Ok(Some((row, account)))
    }
    /// Enrols a device, or re-enrols it with a new token (no longer revoked).
    fn put_device(&mut self, device: &DeviceRow) -> Result<(), StorageError>;
    /// Revokes a device; false if it was already revoked.
    fn revoke_device(&mut self, device: DeviceId, now: i64) -> Result<bool, StorageError>;
    /// Revokes every device of an adviser, and says how many.
    fn revoke_devices_of(&mut self, adviser: AdviserId, now: i64) -> Result<usize, StorageError>;
    fn devices(&mut self, adviser: Option<AdviserId>) -> Result<Vec<DeviceRow>, StorageError>;
}

/// Reading or writing: reads see one consistent snapshot; writes are
/// serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// Work done inside one transaction.
pub type Work<'a> = dyn FnMut(&mut dyn Tx) -> Result<(), StorageError> + 'a;

/// Opens transactions on one backend. Blocking: call it from a blocking
/// thread (the office does).
pub trait Backend: Send + Sync + fmt::Debug {
    /// Runs `work` in one transaction, committed if it returns Ok and rolled
    /// back otherwise.
    fn transaction(&self, mode: Mode, work: &mut Work<'_>) -> Result<(), StorageError>;
}

/// Reads a stored row back into a record.
pub fn stored_record(
    entity: &str,
    key: String,
    seq: i64,
    state: &str,
) -> Result<StoredRecord, StorageError> {
    let declared = record::entity(entity).ok_or_else(|| {
        StorageError::Corrupt(format!("a stored record has unknown type {entity:?}"))
    })?;
    let state: RecordState = serde_json::from_str(state)?;
    Ok(StoredRecord {
        entity: declared,
        key,
        seq: u64::try_from(seq)
            .map_err(|_| StorageError::Corrupt(format!("sequence number {seq}")))?,
        state,
    })
}

/// Reads a stored change back for a pull.
pub fn stored_change(
    entity: String,
    key: String,
    seq: i64,
    state: &str,
) -> Result<Change, StorageError> {
    Ok(Change {
        seq: u64::try_from(seq)
            .map_err(|_| StorageError::Corrupt(format!("sequence number {seq}")))?,
        entity,
        key,
        state: serde_json::from_str(state)?,
        authors: BTreeMap::new(),
    })
}

pub fn role_text(role: AdviserRole) -> String {
    match serde_json::to_value(role) {
        Ok(serde_json::Value::String(text)) => text,
        _ => String::new(),
    }
}

pub fn role_from_text(text: &str) -> Result<AdviserRole, StorageError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StorageError::Corrupt(format!("unknown role {text:?}")))
}

pub fn uuid_from_text(text: &str) -> Result<Uuid, StorageError> {
    Uuid::parse_str(text).map_err(|_| StorageError::Corrupt(format!("{text:?} is not a UUID")))
}

/// Which of `migrations` still need applying, given the ones a store has
/// applied (version, SHA-256 of the text). A store whose applied text has
/// changed, or that a newer office wrote, is refused rather than guessed at.
pub fn migrations_to_apply(
    applied: &[(i64, String)],
    migrations: &[&str],
) -> Result<usize, StorageError> {
    for (version, hash) in applied {
        let index = usize::try_from(*version - 1).unwrap_or(usize::MAX);
        match migrations.get(index) {
            None => {
                return Err(StorageError::Schema(format!(
                    "the store is at version {version}, newer than this caseload-office \
                     knows ({}): run a newer caseload-office",
                    migrations.len()
                )))
            }
            Some(text) if crate::secrets::sha256_hex(text.as_bytes()) != *hash => {
                return Err(StorageError::Schema(format!(
                    "migration {version} was applied from a different text: this store was \
                     made by another build of caseload-office; nothing was changed"
                )))
            }
            Some(_) => {}
        }
    }
    Ok(applied.len())
}

/// Where the office's store is: a folder for SQLite, or a PostgreSQL URL.
/// `Debug` leaves out the URL's password.
#[derive(Clone, PartialEq, Eq)]
pub enum StorageTarget {
    Folder(PathBuf),
    Postgres(String),
}

impl fmt::Debug for StorageTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageTarget::Folder(path) => f.debug_tuple("Folder").field(path).finish(),
            StorageTarget::Postgres(url) => {
                f.debug_tuple("Postgres").field(&redact_url(url)).finish()
            }
        }
    }
}

impl fmt::Display for StorageTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageTarget::Folder(path) => write!(f, "SQLite in {}", path.display()),
            StorageTarget::Postgres(url) => write!(f, "PostgreSQL at {}", redact_url(url)),
        }
    }
}

/// The URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let password = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{password}@{host}{path}")
        }
        None => url.to_owned(),
    }
    .split('?')
    .next()
    .unwrap_or_default()
    .to_owned()
}

/// Opens (creating and migrating as needed) the store at `target`.
pub async fn open(target: &StorageTarget) -> Result<Arc<dyn Backend>, StorageError> {
    let target = target.clone();
    tokio::task::spawn_blocking(move || -> Result<Arc<dyn Backend>, StorageError> {
        Ok(match target {
            StorageTarget::Folder(folder) => Arc::new(sqlite::SqliteBackend::open(&folder)?),
            StorageTarget::Postgres(url) => Arc::new(postgres::PostgresBackend::open(&url)?),
        })
    })
    .await
    .map_err(|error| StorageError::Task(error.to_string()))?
}

/// Seconds since the Unix epoch.
pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Milliseconds since the Unix epoch, for the office's clock.
pub fn now_millis() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

/// The largest page a pull gets, and the one it gets when it names none.
pub const MAX_PAGE: u32 = 1_000;
pub const DEFAULT_PAGE: u32 = 500;

pub fn page_size(limit: u32) -> u32 {
    match limit {
        0 => DEFAULT_PAGE,
        limit => limit.min(MAX_PAGE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_never_show_their_password() {
        let target = StorageTarget::Postgres(
            "postgres://office:s3cret@db.example:5432/caseload?sslmode=require".to_owned(),
        );
        let shown = format!("{target:?} {target}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("office:***@db.example:5432/caseload"),
            "{shown}"
        );
    }
}

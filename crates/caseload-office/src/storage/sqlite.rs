//! The SQLite backend: one file, `office.sqlite3`, in the folder given with
//! `--data`. WAL mode, so pulls read while a push writes, and the admin
//! commands can run beside a serving office (each write transaction takes
//! the write lock up front and waits for another's to finish).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use caseload_core::sync::{Change, Withdrawal};
use caseload_core::{Adviser, AdviserId, DeviceId, Hlc, Urn};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use super::{
    audit_row, audit_sql, author_columns, changes_sql, migrations_to_apply, role_from_text,
    role_text, stored_change, stored_record, stored_withdrawal, uuid_from_text, withdrawal_columns,
    withdrawals_sql, Account, AccountRow, AuditColumns, AuditRow, Backend, CodeRow, DeviceRow,
    Mode, StorageError, Tx, Work,
};
use crate::access::Sender;
use crate::plan::{Counters, StoredRecord, Writes};

/// The schema, one text per version, applied in order and never edited once
/// released: a change is a new entry.
const MIGRATIONS: &[&str] = &[
    include_str!("sqlite_v1.sql"),
    include_str!("sqlite_v2.sql"),
    include_str!("sqlite_v3.sql"),
    include_str!("sqlite_v4.sql"),
    include_str!("sqlite_v5.sql"),
];

/// Read connections open at most. A request beyond them waits for one:
/// opening a connection per request (its pragmas, the schema read again,
/// no cached statements) under a crowd of devices costs more than the wait.
const READERS: usize = 8;

/// A read connection lent to one transaction, back in the pool however
/// the transaction ends.
struct Reader<'b> {
    backend: &'b SqliteBackend,
    conn: Option<Connection>,
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        match self.conn.take() {
            Some(conn) if !std::thread::panicking() => self.backend.give_back(conn),
            _ => self.backend.forget_reader(),
        }
    }
}

/// The read connections: those idle, and how many exist.
#[derive(Default)]
struct Readers {
    idle: Vec<Connection>,
    open: usize,
}

pub struct SqliteBackend {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Readers>,
    reader_freed: Condvar,
}

impl std::fmt::Debug for SqliteBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteBackend")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn connect(path: &Path) -> Result<Connection, StorageError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl SqliteBackend {
    pub fn open(folder: &Path) -> Result<SqliteBackend, StorageError> {
        std::fs::create_dir_all(folder).map_err(|error| {
            StorageError::Refused(format!("cannot create {}: {error}", folder.display()))
        })?;
        let path = folder.join("office.sqlite3");
        let mut conn = connect(&path)?;
        migrate(&mut conn)?;
        Ok(SqliteBackend {
            path,
            writer: Mutex::new(conn),
            readers: Mutex::new(Readers::default()),
            reader_freed: Condvar::new(),
        })
    }

    fn reader(&self) -> Result<Connection, StorageError> {
        let poisoned = |_| StorageError::Task("a reader panicked".to_owned());
        let mut readers = self.readers.lock().map_err(poisoned)?;
        loop {
            if let Some(conn) = readers.idle.pop() {
                return Ok(conn);
            }
            if readers.open < READERS {
                readers.open += 1;
                drop(readers);
                return connect(&self.path).inspect_err(|_| self.forget_reader());
            }
            readers = self.reader_freed.wait(readers).map_err(poisoned)?;
        }
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut readers) = self.readers.lock() {
            readers.idle.push(conn);
        }
        self.reader_freed.notify_one();
    }

    /// A reader that could not be opened, or was dropped by a panic:
    /// another request may open one.
    fn forget_reader(&self) {
        if let Ok(mut readers) = self.readers.lock() {
            readers.open -= 1;
        }
        self.reader_freed.notify_one();
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migration (
             version INTEGER PRIMARY KEY,
             sha256  TEXT NOT NULL
         )",
    )?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let applied: Vec<(i64, String)> = tx
        .prepare("SELECT version, sha256 FROM schema_migration ORDER BY version")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let first = migrations_to_apply(&applied, MIGRATIONS)?;
    for (index, text) in MIGRATIONS.iter().enumerate().skip(first) {
        tx.execute_batch(text)?;
        tx.execute(
            "INSERT INTO schema_migration (version, sha256) VALUES (?1, ?2)",
            params![
                index as i64 + 1,
                crate::secrets::sha256_hex(text.as_bytes())
            ],
        )?;
    }
    tx.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('office_device', ?1)",
        [Uuid::now_v7().to_string()],
    )?;
    tx.commit()?;
    Ok(())
}

impl Backend for SqliteBackend {
    fn transaction(&self, mode: Mode, work: &mut Work<'_>) -> Result<(), StorageError> {
        match mode {
            Mode::Write => {
                let mut conn = self
                    .writer
                    .lock()
                    .map_err(|_| StorageError::Task("a writer panicked".to_owned()))?;
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let mut sqlite = SqliteTx { tx };
                work(&mut sqlite)?;
                sqlite.tx.commit()?;
                Ok(())
            }
            Mode::Read => {
                let mut reader = Reader {
                    backend: self,
                    conn: Some(self.reader()?),
                };
                let conn = reader.conn.as_mut().ok_or_else(|| {
                    StorageError::Task("a reader without a connection".to_owned())
                })?;
                let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
                let mut sqlite = SqliteTx { tx };
                work(&mut sqlite)?;
                sqlite.tx.commit()?;
                Ok(())
            }
        }
    }
}

struct SqliteTx<'c> {
    tx: Transaction<'c>,
}

fn to_i64(value: u64) -> Result<i64, StorageError> {
    i64::try_from(value).map_err(|_| StorageError::Corrupt(format!("{value} is out of range")))
}

fn meta(tx: &Transaction<'_>, key: &str) -> Result<Option<String>, StorageError> {
    Ok(tx
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

fn parse_u64(text: Option<String>, what: &str) -> Result<u64, StorageError> {
    text.map_or(Ok(0), |text| {
        text.parse()
            .map_err(|_| StorageError::Corrupt(format!("{what} {text:?}")))
    })
}

fn account_row(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, String, String, bool)> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
    ))
}

fn account_from(
    (id, name, email, role, active): (String, String, String, String, bool),
) -> Result<Account, StorageError> {
    Ok(Account {
        adviser: Adviser {
            id: AdviserId(uuid_from_text(&id)?),
            name,
            email,
            role: role_from_text(&role)?,
        },
        active,
    })
}

type DeviceColumns = (String, String, String, i64, Option<i64>, String);

fn device_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceColumns> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

fn device_from(
    (id, adviser, name, enrolled_at, revoked_at, token_hash): DeviceColumns,
) -> Result<DeviceRow, StorageError> {
    Ok(DeviceRow {
        id: DeviceId(uuid_from_text(&id)?),
        adviser: AdviserId(uuid_from_text(&adviser)?),
        name,
        enrolled_at,
        revoked_at,
        token_hash,
    })
}

const DEVICE_COLUMNS: &str = "id, account, name, enrolled_at, revoked_at, token_hash";

impl Tx for SqliteTx<'_> {
    fn counters(&mut self) -> Result<Counters, StorageError> {
        let device = meta(&self.tx, "office_device")?
            .ok_or_else(|| StorageError::Corrupt("the office has no device id".to_owned()))?;
        Ok(Counters {
            last_seq: parse_u64(meta(&self.tx, "last_seq")?, "last_seq")?,
            device: DeviceId(uuid_from_text(&device)?),
            hlc: Hlc(parse_u64(meta(&self.tx, "office_hlc")?, "office_hlc")?),
        })
    }

    fn save(&mut self, mut counters: Counters, writes: &Writes) -> Result<(), StorageError> {
        {
            let mut upsert = self.tx.prepare_cached(
                "INSERT INTO record (entity, key, seq, urn, adviser, msp_group, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (entity, key) DO UPDATE SET seq = excluded.seq,
                     urn = excluded.urn, adviser = excluded.adviser,
                     msp_group = excluded.msp_group, state = excluded.state",
            )?;
            for record in writes.records.values() {
                let scope = record.scope_columns();
                upsert.execute(params![
                    record.entity.name,
                    record.key,
                    to_i64(record.seq)?,
                    scope.urn,
                    scope.adviser,
                    scope.msp_group,
                    serde_json::to_string(&record.state)?,
                ])?;
            }
            let mut applied = self.tx.prepare_cached(
                "INSERT INTO applied_op (op_id, seq, device, entity, record_key, account, hlc,
                                         fields, deleted, applied_at, office_action,
                                         fields_before)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for applied_op in &writes.applied {
                let op = &applied_op.op;
                let (account, office_action) = author_columns(applied_op.author);
                applied.execute(params![
                    op.op_id.to_string(),
                    to_i64(applied_op.seq)?,
                    op.device.to_string(),
                    op.entity,
                    op.key,
                    account,
                    to_i64(op.hlc.0)?,
                    serde_json::to_string(&op.fields)?,
                    op.deleted,
                    to_i64(applied_op.applied_at_millis)?,
                    office_action,
                    serde_json::to_string(&applied_op.before)?,
                ])?;
            }
        }
        for (group, members) in &writes.msp_members {
            self.tx.execute(
                "DELETE FROM msp_member WHERE msp_group = ?1",
                [group.to_string()],
            )?;
            for member in members {
                self.tx.execute(
                    "INSERT INTO msp_member (msp_group, account) VALUES (?1, ?2)",
                    [group.to_string(), member.to_string()],
                )?;
            }
        }
        for (account, withdrawal) in &writes.withdrawals {
            let (urn, msp_group) = withdrawal_columns(withdrawal.scope);
            self.tx
                .prepare_cached(
                    "INSERT INTO withdrawal (seq, account, urn, msp_group) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    to_i64(withdrawal.seq)?,
                    account.to_string(),
                    urn,
                    msp_group
                ])?;
        }
        for (urn, adviser) in &writes.assignments {
            match adviser {
                Some(adviser) => self.tx.execute(
                    "INSERT INTO assignment (urn, account) VALUES (?1, ?2)
                     ON CONFLICT (urn) DO UPDATE SET account = excluded.account",
                    params![i64::from(urn.0), adviser.to_string()],
                )?,
                None => self
                    .tx
                    .execute("DELETE FROM assignment WHERE urn = ?1", [i64::from(urn.0)])?,
            };
        }
        for scope in &writes.touch {
            let (sql, value) = match scope {
                caseload_core::sync::Scope::School(urn) => (
                    "SELECT entity, key FROM record WHERE urn = ?1 ORDER BY entity, key",
                    rusqlite::types::Value::Integer(i64::from(urn.0)),
                ),
                caseload_core::sync::Scope::MspGroup(group) => (
                    "SELECT entity, key FROM record WHERE msp_group = ?1 ORDER BY entity, key",
                    rusqlite::types::Value::Text(group.to_string()),
                ),
                caseload_core::sync::Scope::Adviser(adviser) => (
                    "SELECT entity, key FROM record WHERE adviser = ?1 ORDER BY entity, key",
                    rusqlite::types::Value::Text(adviser.to_string()),
                ),
            };
            let keys: Vec<(String, String)> = self
                .tx
                .prepare_cached(sql)?
                .query_map([value], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (entity, key) in keys {
                counters.last_seq += 1;
                self.tx
                    .prepare_cached("UPDATE record SET seq = ?1 WHERE entity = ?2 AND key = ?3")?
                    .execute(params![to_i64(counters.last_seq)?, entity, key])?;
            }
        }
        set_meta(&self.tx, "last_seq", &counters.last_seq.to_string())?;
        set_meta(&self.tx, "office_hlc", &counters.hlc.0.to_string())?;
        Ok(())
    }

    fn record(&mut self, entity: &str, key: &str) -> Result<Option<StoredRecord>, StorageError> {
        let row: Option<(i64, String)> = self
            .tx
            .prepare_cached("SELECT seq, state FROM record WHERE entity = ?1 AND key = ?2")?
            .query_row([entity, key], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        row.map(|(seq, state)| stored_record(entity, key.to_owned(), seq, &state))
            .transpose()
    }

    fn records_of(&mut self, entity: &str) -> Result<Vec<StoredRecord>, StorageError> {
        let rows: Vec<(String, i64, String)> = self
            .tx
            .prepare("SELECT key, seq, state FROM record WHERE entity = ?1")?
            .query_map([entity], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(key, seq, state)| stored_record(entity, key, seq, &state))
            .collect()
    }

    fn applied_seq(&mut self, op_id: Uuid) -> Result<Option<u64>, StorageError> {
        let seq: Option<i64> = self
            .tx
            .prepare_cached("SELECT seq FROM applied_op WHERE op_id = ?1")?
            .query_row([op_id.to_string()], |row| row.get(0))
            .optional()?;
        Ok(seq.and_then(|seq| u64::try_from(seq).ok()))
    }

    fn audit(&mut self, entity: &str, key: &str) -> Result<Vec<AuditRow>, StorageError> {
        let columns: Vec<AuditColumns> = self
            .tx
            .prepare_cached(&audit_sql("?1", "?2"))?
            .query_map([entity, key], |row| {
                Ok(AuditColumns {
                    seq: row.get(0)?,
                    op_id: row.get(1)?,
                    applied_at_millis: row.get(2)?,
                    account: row.get(3)?,
                    account_name: row.get(4)?,
                    office_action: row.get(5)?,
                    device: row.get(6)?,
                    device_name: row.get(7)?,
                    hlc: row.get(8)?,
                    fields: row.get(9)?,
                    before: row.get(10)?,
                    deleted: row.get(11)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        columns.into_iter().map(audit_row).collect()
    }

    fn caseload(&mut self, adviser: AdviserId) -> Result<BTreeSet<Urn>, StorageError> {
        let urns: Vec<i64> = self
            .tx
            .prepare_cached("SELECT urn FROM assignment WHERE account = ?1")?
            .query_map([adviser.to_string()], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(urns
            .into_iter()
            .filter_map(|urn| u32::try_from(urn).ok().map(Urn))
            .collect())
    }

    fn changes(
        &mut self,
        reader: &Sender,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Change>, StorageError> {
        let rows: Vec<(i64, String, String, String)> = self
            .tx
            .prepare_cached(&changes_sql(reader.sees_every_school(), "?1", "?2", "?3"))?
            .query_map(
                params![to_i64(after)?, reader.adviser.to_string(), i64::from(limit)],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(seq, entity, key, state)| stored_change(entity, key, seq, &state))
            .collect()
    }

    fn withdrawals(
        &mut self,
        reader: &Sender,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Withdrawal>, StorageError> {
        let rows: Vec<(i64, Option<i64>, Option<String>)> = self
            .tx
            .prepare_cached(&withdrawals_sql(
                reader.sees_every_school(),
                "?1",
                "?2",
                "?3",
            ))?
            .query_map(
                params![to_i64(after)?, reader.adviser.to_string(), i64::from(limit)],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(seq, urn, group)| stored_withdrawal(seq, urn, group.as_deref()))
            .collect()
    }

    fn account(&mut self, adviser: AdviserId) -> Result<Option<Account>, StorageError> {
        self.tx
            .prepare_cached("SELECT id, name, email, role, active FROM account WHERE id = ?1")?
            .query_row([adviser.to_string()], account_row)
            .optional()?
            .map(account_from)
            .transpose()
    }

    fn account_with_email(&mut self, email: &str) -> Result<Option<AdviserId>, StorageError> {
        let id: Option<String> = self
            .tx
            .query_row(
                "SELECT id FROM account WHERE lower(email) = lower(?1)",
                [email],
                |row| row.get(0),
            )
            .optional()?;
        id.map(|id| uuid_from_text(&id).map(AdviserId)).transpose()
    }

    fn insert_account(&mut self, adviser: &Adviser, now: i64) -> Result<(), StorageError> {
        self.tx.execute(
            "INSERT INTO account (id, name, email, role, active, created_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)",
            params![
                adviser.id.to_string(),
                adviser.name,
                adviser.email,
                role_text(adviser.role),
                now
            ],
        )?;
        Ok(())
    }

    fn deactivate_account(&mut self, adviser: AdviserId) -> Result<(), StorageError> {
        self.tx.execute(
            "UPDATE account SET active = 0 WHERE id = ?1",
            [adviser.to_string()],
        )?;
        Ok(())
    }

    fn accounts(&mut self) -> Result<Vec<AccountRow>, StorageError> {
        let rows: Vec<_> = self
            .tx
            .prepare("SELECT id, name, email, role, active FROM account ORDER BY name, id")?
            .query_map([], account_row)?
            .collect::<Result<_, _>>()?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            let account = account_from(row)?;
            let schools = self.caseload(account.adviser.id)?;
            accounts.push(AccountRow {
                id: account.adviser.id,
                name: account.adviser.name,
                email: account.adviser.email,
                role: account.adviser.role,
                active: account.active,
                schools: schools.into_iter().map(|urn| urn.0).collect(),
            });
        }
        Ok(accounts)
    }

    fn insert_code(
        &mut self,
        code_hash: &str,
        adviser: AdviserId,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        self.tx.execute(
            "INSERT INTO enrol_code (code_hash, account, expires_at) VALUES (?1, ?2, ?3)",
            params![code_hash, adviser.to_string(), expires_at],
        )?;
        Ok(())
    }

    fn code(&mut self, code_hash: &str) -> Result<Option<CodeRow>, StorageError> {
        let row: Option<(String, i64, Option<i64>)> = self
            .tx
            .query_row(
                "SELECT account, expires_at, used_at FROM enrol_code WHERE code_hash = ?1",
                [code_hash],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        row.map(|(adviser, expires_at, used_at)| {
            Ok(CodeRow {
                adviser: AdviserId(uuid_from_text(&adviser)?),
                expires_at,
                used_at,
            })
        })
        .transpose()
    }

    fn spend_code(&mut self, code_hash: &str, now: i64) -> Result<(), StorageError> {
        self.tx.execute(
            "UPDATE enrol_code SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL",
            params![code_hash, now],
        )?;
        Ok(())
    }

    fn spend_codes_of(&mut self, adviser: AdviserId, now: i64) -> Result<(), StorageError> {
        self.tx.execute(
            "UPDATE enrol_code SET used_at = ?2 WHERE account = ?1 AND used_at IS NULL",
            params![adviser.to_string(), now],
        )?;
        Ok(())
    }

    fn device(&mut self, device: DeviceId) -> Result<Option<DeviceRow>, StorageError> {
        self.tx
            .prepare_cached(&format!(
                "SELECT {DEVICE_COLUMNS} FROM device WHERE id = ?1"
            ))?
            .query_row([device.to_string()], device_row)
            .optional()?
            .map(device_from)
            .transpose()
    }

    fn put_device(&mut self, device: &DeviceRow) -> Result<(), StorageError> {
        self.tx.execute(
            "INSERT INTO device (id, account, name, enrolled_at, revoked_at, token_hash)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5)
             ON CONFLICT (id) DO UPDATE SET account = excluded.account, name = excluded.name,
                 enrolled_at = excluded.enrolled_at, revoked_at = NULL,
                 token_hash = excluded.token_hash",
            params![
                device.id.to_string(),
                device.adviser.to_string(),
                device.name,
                device.enrolled_at,
                device.token_hash
            ],
        )?;
        Ok(())
    }

    fn revoke_device(&mut self, device: DeviceId, now: i64) -> Result<bool, StorageError> {
        Ok(self.tx.execute(
            "UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![device.to_string(), now],
        )? > 0)
    }

    fn revoke_devices_of(&mut self, adviser: AdviserId, now: i64) -> Result<usize, StorageError> {
        Ok(self.tx.execute(
            "UPDATE device SET revoked_at = ?2 WHERE account = ?1 AND revoked_at IS NULL",
            params![adviser.to_string(), now],
        )?)
    }

    fn devices(&mut self, adviser: Option<AdviserId>) -> Result<Vec<DeviceRow>, StorageError> {
        let rows: Vec<DeviceColumns> = self
            .tx
            .prepare(&format!(
                "SELECT {DEVICE_COLUMNS} FROM device
                 WHERE ?1 IS NULL OR account = ?1 ORDER BY enrolled_at, id"
            ))?
            .query_map([adviser.map(|adviser| adviser.to_string())], device_row)?
            .collect::<Result<_, _>>()?;
        rows.into_iter().map(device_from).collect()
    }
}

//! The PostgreSQL backend, for an office shared by many advisers: the same
//! tables as the SQLite backend, through tokio-postgres and a deadpool pool.
//!
//! Transactions run on the office's blocking threads like SQLite's, driving
//! the async client with the runtime's handle. Every write transaction first
//! takes one transaction-scoped advisory lock, so writes (from this office,
//! another office process on the same database, or an admin command) happen
//! one at a time and sequence numbers commit in order; reads run in
//! REPEATABLE READ, one snapshot per pull.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;

use caseload_core::sync::{Change, Scope, Withdrawal};
use caseload_core::{Adviser, AdviserId, DeviceId, Hlc, Urn};
use deadpool_postgres::Transaction;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::runtime::Handle;
use tokio_postgres::{IsolationLevel, Row};
use uuid::Uuid;

use super::{
    audit_row, audit_sql, author_columns, changes_sql, migrations_to_apply, postgres_transport,
    redact_url, role_from_text, role_text, stored_change, stored_record, stored_withdrawal,
    uuid_from_text, withdrawal_columns, withdrawals_sql, Account, AccountRow, AuditColumns,
    AuditRow, Backend, CodeRow, DeviceRow, Mode, StorageError, Tx, Work,
};
use crate::access::Sender;
use crate::plan::{Counters, RecordId, StoredRecord, Writes};

const MIGRATIONS: &[&str] = &[
    include_str!("postgres_v1.sql"),
    include_str!("postgres_v2.sql"),
    include_str!("postgres_v3.sql"),
    include_str!("postgres_v4.sql"),
    include_str!("postgres_v5.sql"),
];

/// The advisory lock every write transaction holds ("CASELOAD" in ASCII).
const WRITE_LOCK: i64 = 0x4341_5345_4c4f_4144;

/// Connections kept in the pool: twice the office machine's cores, at
/// least four (the database's cores are not known here; a shared office
/// usually runs beside it). More connections than cores only queue inside
/// PostgreSQL: on a 2-core machine a pool of 16 gave 500 clients syncing
/// once a second a p99 of 71-163 ms, 8 gave 27-54 ms, 4 gave 15-25 ms.
fn pool_size() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |cores| cores.get() * 2)
        .max(4)
}

pub struct PostgresBackend {
    pool: Pool,
    handle: Handle,
    shown: String,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

/// The pool's error with every cause under it: tokio-postgres says only
/// "db error" at the top, the server's reason (a refused role, an untrusted
/// certificate) is beneath.
fn pool_error(error: impl std::error::Error) -> StorageError {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !message.ends_with(&said) {
            message.push_str(": ");
            message.push_str(&said);
        }
        cause = inner.source();
    }
    StorageError::Pool(message)
}

impl PostgresBackend {
    /// Connects and migrates. Call from a blocking thread inside the runtime.
    pub fn open(url: &str) -> Result<PostgresBackend, StorageError> {
        let (config, tls) = postgres_transport::transport(url)?;
        let manager = Manager::from_config(
            config,
            tls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size())
            .build()
            .map_err(pool_error)?;
        let backend = PostgresBackend {
            pool,
            handle: Handle::try_current().map_err(|error| StorageError::Task(error.to_string()))?,
            shown: redact_url(url),
        };
        backend.migrate()?;
        Ok(backend)
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.handle.block_on(future)
    }

    fn migrate(&self) -> Result<(), StorageError> {
        let mut client = self.block_on(self.pool.get()).map_err(pool_error)?;
        let tx = self.block_on(client.transaction())?;
        self.block_on(tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK]))?;
        self.block_on(tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migration (
                 version BIGINT PRIMARY KEY,
                 sha256  TEXT NOT NULL
             )",
        ))?;
        let applied: Vec<(i64, String)> = self
            .block_on(tx.query(
                "SELECT version, sha256 FROM schema_migration ORDER BY version",
                &[],
            ))?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let first = migrations_to_apply(&applied, MIGRATIONS)?;
        for (index, text) in MIGRATIONS.iter().enumerate().skip(first) {
            self.block_on(tx.batch_execute(text))?;
            self.block_on(tx.execute(
                "INSERT INTO schema_migration (version, sha256) VALUES ($1, $2)",
                &[
                    &(index as i64 + 1),
                    &crate::secrets::sha256_hex(text.as_bytes()),
                ],
            ))?;
        }
        self.block_on(tx.execute(
            "INSERT INTO meta (key, value) VALUES ('office_device', $1) ON CONFLICT DO NOTHING",
            &[&Uuid::now_v7().to_string()],
        ))?;
        self.block_on(tx.commit())?;
        Ok(())
    }
}

impl Backend for PostgresBackend {
    fn transaction(&self, mode: Mode, work: &mut Work<'_>) -> Result<(), StorageError> {
        let mut client = self.block_on(self.pool.get()).map_err(pool_error)?;
        let builder = match mode {
            Mode::Write => client.build_transaction(),
            Mode::Read => client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true),
        };
        let tx = self.block_on(builder.start())?;
        let mut pg = PostgresTx {
            tx,
            handle: &self.handle,
        };
        if mode == Mode::Write {
            pg.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
        }
        work(&mut pg)?;
        self.block_on(pg.tx.commit())?;
        Ok(())
    }
}

struct PostgresTx<'c> {
    tx: Transaction<'c>,
    handle: &'c Handle,
}

fn to_i64(value: u64) -> Result<i64, StorageError> {
    i64::try_from(value).map_err(|_| StorageError::Corrupt(format!("{value} is out of range")))
}

type Params<'a> = [&'a (dyn tokio_postgres::types::ToSql + Sync)];

// Every statement is prepared once per pooled connection and kept: a
// statement given as text is prepared again on each call, a second round
// trip to the server for every query.
impl PostgresTx<'_> {
    fn query(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>, StorageError> {
        Ok(self.handle.block_on(async {
            let statement = self.tx.prepare_cached(sql).await?;
            self.tx.query(&statement, params).await
        })?)
    }

    fn query_opt(&self, sql: &str, params: &Params<'_>) -> Result<Option<Row>, StorageError> {
        Ok(self.handle.block_on(async {
            let statement = self.tx.prepare_cached(sql).await?;
            self.tx.query_opt(&statement, params).await
        })?)
    }

    fn execute(&self, sql: &str, params: &Params<'_>) -> Result<u64, StorageError> {
        Ok(self.handle.block_on(async {
            let statement = self.tx.prepare_cached(sql).await?;
            self.tx.execute(&statement, params).await
        })?)
    }

    /// Writes a transaction's records and audit rows, and the counters
    /// when given, in one statement: one round trip under the write lock
    /// however many operations a push carries, where a statement per row
    /// held every other writer waiting on each.
    fn write_records(
        &self,
        writes: &Writes,
        counters: Option<&Counters>,
    ) -> Result<(), StorageError> {
        let records: Vec<_> = writes.records.values().collect();
        let scopes: Vec<_> = records
            .iter()
            .map(|record| record.scope_columns())
            .collect();
        let states = records
            .iter()
            .map(|record| serde_json::to_string(&record.state))
            .collect::<Result<Vec<_>, _>>()?;
        let seqs = records
            .iter()
            .map(|record| to_i64(record.seq))
            .collect::<Result<Vec<_>, _>>()?;
        let applied = &writes.applied;
        let fields = applied
            .iter()
            .map(|applied| serde_json::to_string(&applied.op.fields))
            .collect::<Result<Vec<_>, _>>()?;
        let applied_seqs = applied
            .iter()
            .map(|applied| to_i64(applied.seq))
            .collect::<Result<Vec<_>, _>>()?;
        let hlcs = applied
            .iter()
            .map(|applied| to_i64(applied.op.hlc.0))
            .collect::<Result<Vec<_>, _>>()?;
        let applied_at = applied
            .iter()
            .map(|applied| to_i64(applied.applied_at_millis))
            .collect::<Result<Vec<_>, _>>()?;
        let (accounts, office_actions): (Vec<_>, Vec<_>) = applied
            .iter()
            .map(|applied| author_columns(applied.author))
            .unzip();
        let before = applied
            .iter()
            .map(|applied| serde_json::to_string(&applied.before))
            .collect::<Result<Vec<_>, _>>()?;
        self.execute(
            "WITH written AS (
                 INSERT INTO record (entity, key, seq, urn, adviser, msp_group, state)
                 SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::BIGINT[],
                                      $5::TEXT[], $6::TEXT[], $7::TEXT[])
                 ON CONFLICT (entity, key) DO UPDATE SET seq = excluded.seq,
                     urn = excluded.urn, adviser = excluded.adviser,
                     msp_group = excluded.msp_group, state = excluded.state
             ), logged AS (
                 INSERT INTO applied_op (op_id, seq, device, entity, record_key, account, hlc,
                                         fields, deleted, applied_at, office_action,
                                         fields_before)
                 SELECT * FROM unnest($8::TEXT[], $9::BIGINT[], $10::TEXT[], $11::TEXT[],
                                      $12::TEXT[], $13::TEXT[], $14::BIGINT[], $15::TEXT[],
                                      $16::BOOLEAN[], $17::BIGINT[], $20::TEXT[], $21::TEXT[])
             )
             INSERT INTO meta (key, value)
             SELECT * FROM unnest(ARRAY['last_seq', 'office_hlc'], ARRAY[$18, $19]::TEXT[])
             WHERE $18::TEXT IS NOT NULL
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[
                &records
                    .iter()
                    .map(|record| record.entity.name.to_owned())
                    .collect::<Vec<_>>(),
                &records
                    .iter()
                    .map(|record| record.key.clone())
                    .collect::<Vec<_>>(),
                &seqs,
                &scopes.iter().map(|scope| scope.urn).collect::<Vec<_>>(),
                &scopes
                    .iter()
                    .map(|scope| scope.adviser.clone())
                    .collect::<Vec<_>>(),
                &scopes
                    .iter()
                    .map(|scope| scope.msp_group.clone())
                    .collect::<Vec<_>>(),
                &states,
                &applied
                    .iter()
                    .map(|applied| applied.op.op_id.to_string())
                    .collect::<Vec<_>>(),
                &applied_seqs,
                &applied
                    .iter()
                    .map(|applied| applied.op.device.to_string())
                    .collect::<Vec<_>>(),
                &applied
                    .iter()
                    .map(|applied| applied.op.entity.clone())
                    .collect::<Vec<_>>(),
                &applied
                    .iter()
                    .map(|applied| applied.op.key.clone())
                    .collect::<Vec<_>>(),
                &accounts,
                &hlcs,
                &fields,
                &applied
                    .iter()
                    .map(|applied| applied.op.deleted)
                    .collect::<Vec<_>>(),
                &applied_at,
                &counters.map(|counters| counters.last_seq.to_string()),
                &counters.map(|counters| counters.hlc.0.to_string()),
                &office_actions,
                &before,
            ],
        )?;
        Ok(())
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }
}

fn parse_u64(text: Option<String>, what: &str) -> Result<u64, StorageError> {
    text.map_or(Ok(0), |text| {
        text.parse()
            .map_err(|_| StorageError::Corrupt(format!("{what} {text:?}")))
    })
}

/// An account from its columns (id, name, email, role, active), the first
/// at `first`.
fn account_from(row: &Row, first: usize) -> Result<Account, StorageError> {
    Ok(Account {
        adviser: Adviser {
            id: AdviserId(uuid_from_text(row.get(first))?),
            name: row.get(first + 1),
            email: row.get(first + 2),
            role: role_from_text(row.get(first + 3))?,
        },
        active: row.get(first + 4),
    })
}

const DEVICE_COLUMNS: &str = "id, account, name, enrolled_at, revoked_at, token_hash";

fn device_from(row: &Row) -> Result<DeviceRow, StorageError> {
    Ok(DeviceRow {
        id: DeviceId(uuid_from_text(row.get(0))?),
        adviser: AdviserId(uuid_from_text(row.get(1))?),
        name: row.get(2),
        enrolled_at: row.get(3),
        revoked_at: row.get(4),
        token_hash: row.get(5),
    })
}

impl Tx for PostgresTx<'_> {
    fn counters(&mut self) -> Result<Counters, StorageError> {
        let (mut device, mut last_seq, mut hlc) = (None, None, None);
        for row in self.query(
            "SELECT key, value FROM meta WHERE key IN ('office_device', 'last_seq', 'office_hlc')",
            &[],
        )? {
            let value: String = row.get(1);
            match row.get::<_, &str>(0) {
                "office_device" => device = Some(value),
                "last_seq" => last_seq = Some(value),
                _ => hlc = Some(value),
            }
        }
        let device = device
            .ok_or_else(|| StorageError::Corrupt("the office has no device id".to_owned()))?;
        Ok(Counters {
            last_seq: parse_u64(last_seq, "last_seq")?,
            device: DeviceId(uuid_from_text(&device)?),
            hlc: Hlc(parse_u64(hlc, "office_hlc")?),
        })
    }

    fn save(&mut self, mut counters: Counters, writes: &Writes) -> Result<(), StorageError> {
        // Touching a scope renumbers records just written, so the counters
        // wait for it; otherwise they go with the records.
        let touches = !writes.touch.is_empty();
        self.write_records(writes, (!touches).then_some(&counters))?;
        for (group, members) in &writes.msp_members {
            let group = group.to_string();
            self.execute("DELETE FROM msp_member WHERE msp_group = $1", &[&group])?;
            for member in members {
                self.execute(
                    "INSERT INTO msp_member (msp_group, account) VALUES ($1, $2)",
                    &[&group, &member.to_string()],
                )?;
            }
        }
        for (account, withdrawal) in &writes.withdrawals {
            let (urn, msp_group) = withdrawal_columns(withdrawal.scope);
            self.execute(
                "INSERT INTO withdrawal (seq, account, urn, msp_group) VALUES ($1, $2, $3, $4)",
                &[
                    &to_i64(withdrawal.seq)?,
                    &account.to_string(),
                    &urn,
                    &msp_group,
                ],
            )?;
        }
        for (urn, adviser) in &writes.assignments {
            let urn = i64::from(urn.0);
            match adviser {
                Some(adviser) => self.execute(
                    "INSERT INTO assignment (urn, account) VALUES ($1, $2)
                     ON CONFLICT (urn) DO UPDATE SET account = excluded.account",
                    &[&urn, &adviser.to_string()],
                )?,
                None => self.execute("DELETE FROM assignment WHERE urn = $1", &[&urn])?,
            };
        }
        for scope in &writes.touch {
            let rows = match scope {
                Scope::School(urn) => self.query(
                    "SELECT entity, key FROM record WHERE urn = $1 ORDER BY entity, key",
                    &[&i64::from(urn.0)],
                )?,
                Scope::MspGroup(group) => self.query(
                    "SELECT entity, key FROM record WHERE msp_group = $1 ORDER BY entity, key",
                    &[&group.to_string()],
                )?,
                Scope::Adviser(adviser) => self.query(
                    "SELECT entity, key FROM record WHERE adviser = $1 ORDER BY entity, key",
                    &[&adviser.to_string()],
                )?,
            };
            for row in rows {
                counters.last_seq += 1;
                let entity: String = row.get(0);
                let key: String = row.get(1);
                self.execute(
                    "UPDATE record SET seq = $1 WHERE entity = $2 AND key = $3",
                    &[&to_i64(counters.last_seq)?, &entity, &key],
                )?;
            }
        }
        if touches {
            self.set_meta("last_seq", &counters.last_seq.to_string())?;
            self.set_meta("office_hlc", &counters.hlc.0.to_string())?;
        }
        Ok(())
    }

    fn record(&mut self, entity: &str, key: &str) -> Result<Option<StoredRecord>, StorageError> {
        self.query_opt(
            "SELECT seq, state FROM record WHERE entity = $1 AND key = $2",
            &[&entity, &key],
        )?
        .map(|row| stored_record(entity, key.to_owned(), row.get(0), row.get(1)))
        .transpose()
    }

    fn records_of(&mut self, entity: &str) -> Result<Vec<StoredRecord>, StorageError> {
        self.query(
            "SELECT key, seq, state FROM record WHERE entity = $1",
            &[&entity],
        )?
        .iter()
        .map(|row| stored_record(entity, row.get(0), row.get(1), row.get(2)))
        .collect()
    }

    fn applied_seq(&mut self, op_id: Uuid) -> Result<Option<u64>, StorageError> {
        Ok(self
            .query_opt(
                "SELECT seq FROM applied_op WHERE op_id = $1",
                &[&op_id.to_string()],
            )?
            .and_then(|row| u64::try_from(row.get::<_, i64>(0)).ok()))
    }

    fn audit(&mut self, entity: &str, key: &str) -> Result<Vec<AuditRow>, StorageError> {
        self.query(&audit_sql("$1", "$2"), &[&entity, &key])?
            .iter()
            .map(|row| {
                audit_row(AuditColumns {
                    seq: row.try_get(0)?,
                    op_id: row.try_get(1)?,
                    applied_at_millis: row.try_get(2)?,
                    account: row.try_get(3)?,
                    account_name: row.try_get(4)?,
                    office_action: row.try_get(5)?,
                    device: row.try_get(6)?,
                    device_name: row.try_get(7)?,
                    hlc: row.try_get(8)?,
                    fields: row.try_get(9)?,
                    before: row.try_get(10)?,
                    deleted: row.try_get(11)?,
                })
            })
            .collect()
    }

    fn caseload(&mut self, adviser: AdviserId) -> Result<BTreeSet<Urn>, StorageError> {
        Ok(self
            .query(
                "SELECT urn FROM assignment WHERE account = $1",
                &[&adviser.to_string()],
            )?
            .iter()
            .filter_map(|row| u32::try_from(row.get::<_, i64>(0)).ok().map(Urn))
            .collect())
    }

    fn records_in(&mut self, ids: &[RecordId]) -> Result<Vec<StoredRecord>, StorageError> {
        let (entities, keys): (Vec<&str>, Vec<&str>) = ids
            .iter()
            .map(|(entity, key)| (entity.as_str(), key.as_str()))
            .unzip();
        self.query(
            "SELECT r.entity, r.key, r.seq, r.state
               FROM record r
               JOIN unnest($1::TEXT[], $2::TEXT[]) AS named (entity, key)
                 ON r.entity = named.entity AND r.key = named.key",
            &[&entities, &keys],
        )?
        .iter()
        .map(|row| stored_record(row.get(0), row.get(1), row.get(2), row.get(3)))
        .collect()
    }

    fn applied_seqs(&mut self, op_ids: &[Uuid]) -> Result<HashMap<Uuid, u64>, StorageError> {
        let ids: Vec<String> = op_ids.iter().map(Uuid::to_string).collect();
        let mut applied = HashMap::new();
        for row in self.query(
            "SELECT op_id, seq FROM applied_op WHERE op_id = ANY($1)",
            &[&ids],
        )? {
            if let Ok(seq) = u64::try_from(row.get::<_, i64>(1)) {
                applied.insert(uuid_from_text(row.get(0))?, seq);
            }
        }
        Ok(applied)
    }

    fn caseloads(
        &mut self,
        advisers: &[AdviserId],
    ) -> Result<HashMap<AdviserId, BTreeSet<Urn>>, StorageError> {
        let accounts: Vec<String> = advisers.iter().map(AdviserId::to_string).collect();
        let mut caseloads: HashMap<_, BTreeSet<Urn>> = advisers
            .iter()
            .map(|adviser| (*adviser, BTreeSet::new()))
            .collect();
        for row in self.query(
            "SELECT account, urn FROM assignment WHERE account = ANY($1)",
            &[&accounts],
        )? {
            let adviser = AdviserId(uuid_from_text(row.get(0))?);
            if let Ok(urn) = u32::try_from(row.get::<_, i64>(1)) {
                caseloads.entry(adviser).or_default().insert(Urn(urn));
            }
        }
        Ok(caseloads)
    }

    fn changes(
        &mut self,
        reader: &Sender,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Change>, StorageError> {
        self.query(
            &changes_sql(reader.sees_every_school(), "$1", "$2", "$3"),
            &[
                &to_i64(after)?,
                &reader.adviser.to_string(),
                &i64::from(limit),
            ],
        )?
        .iter()
        .map(|row| stored_change(row.get(1), row.get(2), row.get(0), row.get(3)))
        .collect()
    }

    fn withdrawals(
        &mut self,
        reader: &Sender,
        after: u64,
        limit: u32,
    ) -> Result<Vec<Withdrawal>, StorageError> {
        self.query(
            &withdrawals_sql(reader.sees_every_school(), "$1", "$2", "$3"),
            &[
                &to_i64(after)?,
                &reader.adviser.to_string(),
                &i64::from(limit),
            ],
        )?
        .iter()
        .map(|row| stored_withdrawal(row.get(0), row.get(1), row.get(2)))
        .collect()
    }

    fn account(&mut self, adviser: AdviserId) -> Result<Option<Account>, StorageError> {
        self.query_opt(
            "SELECT id, name, email, role, active FROM account WHERE id = $1",
            &[&adviser.to_string()],
        )?
        .map(|row| account_from(&row, 0))
        .transpose()
    }

    fn account_with_email(&mut self, email: &str) -> Result<Option<AdviserId>, StorageError> {
        self.query_opt(
            "SELECT id FROM account WHERE lower(email) = lower($1)",
            &[&email],
        )?
        .map(|row| uuid_from_text(row.get(0)).map(AdviserId))
        .transpose()
    }

    fn insert_account(&mut self, adviser: &Adviser, now: i64) -> Result<(), StorageError> {
        self.execute(
            "INSERT INTO account (id, name, email, role, active, created_at)
             VALUES ($1, $2, $3, $4, TRUE, $5)",
            &[
                &adviser.id.to_string(),
                &adviser.name,
                &adviser.email,
                &role_text(adviser.role),
                &now,
            ],
        )?;
        Ok(())
    }

    fn deactivate_account(&mut self, adviser: AdviserId) -> Result<(), StorageError> {
        self.execute(
            "UPDATE account SET active = FALSE WHERE id = $1",
            &[&adviser.to_string()],
        )?;
        Ok(())
    }

    fn accounts(&mut self) -> Result<Vec<AccountRow>, StorageError> {
        let rows = self.query(
            "SELECT id, name, email, role, active FROM account ORDER BY name, id",
            &[],
        )?;
        let mut accounts = Vec::with_capacity(rows.len());
        for row in rows {
            let account = account_from(&row, 0)?;
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
        self.execute(
            "INSERT INTO enrol_code (code_hash, account, expires_at) VALUES ($1, $2, $3)",
            &[&code_hash, &adviser.to_string(), &expires_at],
        )?;
        Ok(())
    }

    fn code(&mut self, code_hash: &str) -> Result<Option<CodeRow>, StorageError> {
        self.query_opt(
            "SELECT account, expires_at, used_at FROM enrol_code WHERE code_hash = $1",
            &[&code_hash],
        )?
        .map(|row| {
            Ok(CodeRow {
                adviser: AdviserId(uuid_from_text(row.get(0))?),
                expires_at: row.get(1),
                used_at: row.get(2),
            })
        })
        .transpose()
    }

    fn spend_code(&mut self, code_hash: &str, now: i64) -> Result<(), StorageError> {
        self.execute(
            "UPDATE enrol_code SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL",
            &[&code_hash, &now],
        )?;
        Ok(())
    }

    fn spend_codes_of(&mut self, adviser: AdviserId, now: i64) -> Result<(), StorageError> {
        self.execute(
            "UPDATE enrol_code SET used_at = $2 WHERE account = $1 AND used_at IS NULL",
            &[&adviser.to_string(), &now],
        )?;
        Ok(())
    }

    fn device(&mut self, device: DeviceId) -> Result<Option<DeviceRow>, StorageError> {
        self.query_opt(
            &format!("SELECT {DEVICE_COLUMNS} FROM device WHERE id = $1"),
            &[&device.to_string()],
        )?
        .map(|row| device_from(&row))
        .transpose()
    }

    fn device_account(
        &mut self,
        device: DeviceId,
    ) -> Result<Option<(DeviceRow, Option<Account>)>, StorageError> {
        self.query_opt(
            "SELECT d.id, d.account, d.name, d.enrolled_at, d.revoked_at, d.token_hash,
                    a.id, a.name, a.email, a.role, a.active
               FROM device d LEFT JOIN account a ON a.id = d.account
              WHERE d.id = $1",
            &[&device.to_string()],
        )?
        .map(|row| {
            let account = match row.get::<_, Option<&str>>(6) {
                Some(_) => Some(account_from(&row, 6)?),
                None => None,
            };
            Ok((device_from(&row)?, account))
        })
        .transpose()
    }

    fn put_device(&mut self, device: &DeviceRow) -> Result<(), StorageError> {
        self.execute(
            "INSERT INTO device (id, account, name, enrolled_at, revoked_at, token_hash)
             VALUES ($1, $2, $3, $4, NULL, $5)
             ON CONFLICT (id) DO UPDATE SET account = excluded.account, name = excluded.name,
                 enrolled_at = excluded.enrolled_at, revoked_at = NULL,
                 token_hash = excluded.token_hash",
            &[
                &device.id.to_string(),
                &device.adviser.to_string(),
                &device.name,
                &device.enrolled_at,
                &device.token_hash,
            ],
        )?;
        Ok(())
    }

    fn revoke_device(&mut self, device: DeviceId, now: i64) -> Result<bool, StorageError> {
        Ok(self.execute(
            "UPDATE device SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&device.to_string(), &now],
        )? > 0)
    }

    fn revoke_devices_of(&mut self, adviser: AdviserId, now: i64) -> Result<usize, StorageError> {
        let count = self.execute(
            "UPDATE device SET revoked_at = $2 WHERE account = $1 AND revoked_at IS NULL",
            &[&adviser.to_string(), &now],
        )?;
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    fn devices(&mut self, adviser: Option<AdviserId>) -> Result<Vec<DeviceRow>, StorageError> {
        self.query(
            &format!(
                "SELECT {DEVICE_COLUMNS} FROM device
                 WHERE $1::TEXT IS NULL OR account = $1 ORDER BY enrolled_at, id"
            ),
            &[&adviser.map(|adviser| adviser.to_string())],
        )?
        .iter()
        .map(device_from)
        .collect()
    }
}

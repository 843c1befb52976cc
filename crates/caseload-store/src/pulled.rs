//! The store's side of sync: what it keeps of the office, the outbox as the
//! protocol's operations, the office's answers to a push, pulled pages, and
//! the conflicts the adviser resolves.
//!
//! A record's row always shows the merge of two things: the office's state
//! of it as this device last heard (kept in `sync_record`), and this
//! device's operations the office has not yet acknowledged, re-applied on
//! top with [`PENDING`] as `caseload_core::sync::merge` says. A pull, a
//! refusal, or an acknowledgement changes the first; a local write the
//! second. Every change here is one transaction: a page, or an answer, that
//! cannot be applied leaves the store as it was.
//!
//! It must never speak HTTP (that is `sync_client`) nor decide a merge or a
//! scope itself: the rules are `caseload_core::sync`'s.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use caseload_core::diary::touches_diary;
use caseload_core::record::{self, EntityDef};
use caseload_core::sync::merge::PENDING;
use caseload_core::sync::protocol::Enrolled;
use caseload_core::sync::rules::{key_value, scope_of};
use caseload_core::sync::{
    check_freezing, frozen, Change, OpResult, Operation, Outcome, PullResponse, RecordState,
    RefusalReason, Scope, Version,
};
use caseload_core::{AdviserId, DeviceId, Hlc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::audit::{audit_rewrite, AuditOrigin, Rewrite};
use crate::records::{record_fields, wall_clock_millis, FieldRevision, Origin, Revisions};
use crate::sync_state;
use crate::values::to_sql;
use crate::withdrawn::withdraw;
use crate::{meta, set_meta, Store, StoreError, WithdrawnNotice};

/// The office this device is enrolled with.
#[derive(Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// Its base URL, as given at enrolment (`https://office.example`).
    pub url: String,
    /// Sent as `Authorization: Bearer TOKEN`. Never printed: see `Debug`.
    pub token: String,
    pub adviser: AdviserId,
    /// Where the next pull starts.
    pub cursor: u64,
    /// When a sync last finished (RFC 3339, UTC).
    pub synced_at: Option<String>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolment")
            .field("url", &self.url)
            .field("token", &"[redacted]")
            .field("adviser", &self.adviser)
            .field("cursor", &self.cursor)
            .field("synced_at", &self.synced_at)
            .finish()
    }
}

/// The next operations to push, oldest first, and the outbox rows they
/// came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PushBatch {
    pub operations: Vec<Operation>,
    /// The outbox row of each operation, in the same order.
    rows: Vec<i64>,
    /// Rows whose every field a later operation carries: removed, unsent,
    /// with the answer to this batch (see [`build_record_ops`]).
    superseded: Vec<i64>,
}

impl PushBatch {
    /// Nothing to push, nothing to remove.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.superseded.is_empty()
    }

    /// Outbox rows the batch answers for: sent and superseded.
    pub fn rows(&self) -> usize {
        self.rows.len() + self.superseded.len()
    }
}

/// What the office did with a pushed batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushTally {
    pub applied: usize,
    /// Applied by an earlier push whose answer was lost.
    pub duplicate: usize,
    pub refused: Vec<RefusedOperation>,
}

/// An operation the office refused: it will never apply, and the adviser
/// sees why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedOperation {
    pub op_id: String,
    pub entity: String,
    pub key: String,
    pub reason: RefusalReason,
    pub message: String,
    /// What the operation carried, so nothing typed is lost from sight.
    pub fields: Map<String, Value>,
    pub refused_at: String,
}

/// One version of a field in a conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictVersion {
    pub value: Value,
    pub hlc: Hlc,
    pub device: DeviceId,
    /// Written on this device.
    pub this_device: bool,
    /// Still only on this device: the office has not acknowledged it.
    pub pending: bool,
}

/// A value that lost to a concurrent write of the same field, kept until
/// someone edits the field having seen it (an ordinary edit resolves it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldConflict {
    pub entity: String,
    pub key: String,
    /// The school the record belongs to, when it is a school's.
    pub urn: Option<u32>,
    /// The field, or `deleted` when a delete and an edit raced.
    pub field: String,
    /// The value the record shows.
    pub kept: ConflictVersion,
    /// The concurrent value that lost.
    pub lost: ConflictVersion,
}

/// What one pulled page did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PullTally {
    /// Records written from the page.
    pub changes: usize,
    pub cursor: u64,
    /// Schools and MSP groups the page took off this device.
    pub withdrawn: Vec<WithdrawnNotice>,
}

/// A record: its type and key as the protocol writes them.
type RecordId = (&'static str, String);

/// Outbox rows by record, each record's oldest first.
type Grouped = HashMap<RecordId, Vec<Pending>>;

/// One outbox row, as the sync client reads it.
#[derive(Debug, Clone)]
struct Pending {
    row: i64,
    op_id: Uuid,
    entity: &'static EntityDef,
    key: String,
    hlc: Hlc,
    names: Vec<String>,
    deleted: bool,
    seen: Option<u64>,
    held: Option<Map<String, Value>>,
}

/// A pending row as it will reach the office.
#[derive(Debug, Clone)]
enum Built {
    Send(Operation),
    /// A later operation of the same record carries every field this one
    /// named, with the same or later knowledge: sending it changes nothing.
    Superseded,
}

/// SQLite's default automatic checkpoint, in pages of WAL.
const WAL_AUTOCHECKPOINT: i64 = 1_000;

fn to_u64(number: i64) -> u64 {
    u64::try_from(number).unwrap_or(0)
}

fn to_i64(number: u64) -> i64 {
    i64::try_from(number).unwrap_or(i64::MAX)
}

fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn declared(name: &str) -> Result<&'static EntityDef, StoreError> {
    record::entity(name).ok_or_else(|| {
        StoreError::Corrupt(format!("the outbox names an unknown record type {name:?}"))
    })
}

/// Every outbox row up to `up_to` (all when None), grouped by record, each
/// group oldest first; and the rows' order.
fn pending_rows(
    conn: &Connection,
    up_to: Option<i64>,
) -> Result<(Grouped, Vec<(i64, RecordId)>), StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, op_id, entity, record_key, hlc, fields, deleted, seen, held
           FROM outbox WHERE seq <= ?1 ORDER BY seq",
    )?;
    let mut rows = statement.query([up_to.unwrap_or(i64::MAX)])?;
    let mut grouped: Grouped = HashMap::new();
    let mut order = Vec::new();
    while let Some(row) = rows.next()? {
        let entity = declared(&row.get::<_, String>(2)?)?;
        let op_id: String = row.get(1)?;
        let op_id = Uuid::parse_str(&op_id)
            .map_err(|_| StoreError::Corrupt(format!("outbox op id {op_id:?} is not a UUID")))?;
        let held: Option<String> = row.get(8)?;
        let pending = Pending {
            row: row.get(0)?,
            op_id,
            entity,
            key: row.get(3)?,
            hlc: Hlc(to_u64(row.get(4)?)),
            names: serde_json::from_str(&row.get::<_, String>(5)?)?,
            deleted: row.get(6)?,
            seen: row.get::<_, Option<i64>>(7)?.map(to_u64),
            held: held.map(|text| serde_json::from_str(&text)).transpose()?,
        };
        let id = (entity.name, pending.key.clone());
        order.push((pending.row, id.clone()));
        grouped.entry(id).or_default().push(pending);
    }
    Ok((grouped, order))
}

/// The record's current values (without its key), if it has a row.
fn current_values(
    conn: &Connection,
    entity: &EntityDef,
    key: &str,
) -> Result<Option<Map<String, Value>>, StoreError> {
    Ok(record_fields(conn, entity, key)?.map(|mut fields| {
        fields.remove(entity.key.name);
        fields
    }))
}

/// The stored office state of a record and its pulled seq.
fn stored_state(
    conn: &Connection,
    entity: &EntityDef,
    key: &str,
) -> Result<Option<(u64, RecordState)>, StoreError> {
    let found: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, state FROM sync_record WHERE entity = ?1 AND record_key = ?2")?
        .query_row(params![entity.name, key], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    found
        .map(|(seq, state)| Ok((to_u64(seq), sync_state::decode(&state)?)))
        .transpose()
}

/// The operations one record's pending rows make, oldest first.
///
/// An operation carries the values its fields hold now (or held when a pull
/// overwrote the record), so a field written twice would go twice with its
/// latest value and the earlier operation's stamp. Each field therefore goes
/// with the last operation that names it; an operation left with nothing to
/// carry is superseded. A write that issues, finalises or approves carries
/// every field, as the office requires (`check_freezing`).
fn build_record_ops(
    device: DeviceId,
    pending: &[Pending],
    pulled_seq: u64,
    current: Option<&Map<String, Value>>,
) -> Vec<Built> {
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut built = Vec::with_capacity(pending.len());
    let mut later_delete = false;
    for op in pending.iter().rev() {
        let base = op.held.as_ref().or(current);
        let value = |name: &str| {
            base.and_then(|values| values.get(name))
                .cloned()
                .unwrap_or(Value::Null)
        };
        let mut fields = Map::new();
        if !op.deleted {
            for name in &op.names {
                if !claimed.contains(name.as_str()) {
                    fields.insert(name.clone(), value(name));
                }
            }
            if frozen(op.entity, &fields).is_some() {
                fields = op
                    .entity
                    .fields
                    .iter()
                    .map(|field| (field.name.to_owned(), value(field.name)))
                    .collect();
            }
        }
        let superseded = fields.is_empty() && !op.deleted && (!built.is_empty() || later_delete);
        claimed.extend(op.names.iter().map(String::as_str));
        later_delete |= op.deleted;
        built.push(if superseded {
            Built::Superseded
        } else {
            Built::Send(Operation {
                op_id: op.op_id,
                entity: op.entity.name.to_owned(),
                key: op.key.clone(),
                hlc: op.hlc,
                device,
                seen: op.seen.unwrap_or(pulled_seq),
                fields,
                deleted: op.deleted,
            })
        });
    }
    built.reverse();
    built
}

/// The office's state with this device's unacknowledged operations applied
/// on top, as the office will apply them: one it would refuse because the
/// record is frozen is left out, and a freezing write pins its values.
fn merged(entity: &EntityDef, office: Option<&RecordState>, ops: &[Operation]) -> RecordState {
    let mut state = office.cloned().unwrap_or_default();
    for op in ops {
        if frozen(entity, &state.values()).is_some() {
            continue;
        }
        let mut next = state.clone();
        apply_acknowledged(entity, &mut next, op, PENDING);
        if frozen(entity, &next.values()).is_some() && check_freezing(entity, op).is_err() {
            continue;
        }
        state = next;
    }
    state
}

/// Merges `op` into `state` as numbered `seq`, pinning a freezing write.
fn apply_acknowledged(entity: &EntityDef, state: &mut RecordState, op: &Operation, seq: u64) {
    let write = op.write();
    state.apply(&write, seq);
    if frozen(entity, &state.values()).is_some() && check_freezing(entity, op).is_ok() {
        state.pin(&write);
    }
}

/// Local device numbers for the devices whose values a transaction writes.
struct Replicas<'c> {
    conn: &'c Connection,
    known: HashMap<DeviceId, i64>,
}

impl Replicas<'_> {
    fn number(&mut self, device: DeviceId) -> Result<i64, StoreError> {
        if let Some(no) = self.known.get(&device) {
            return Ok(*no);
        }
        let text = device.to_string();
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO replica (device_id) VALUES (?1)")?
            .execute([&text])?;
        let no = self
            .conn
            .prepare_cached("SELECT no FROM replica WHERE device_id = ?1")?
            .query_row([&text], |row| row.get(0))?;
        self.known.insert(device, no);
        Ok(no)
    }
}

/// Writes the record's row as `state` says: every declared field (null when
/// never written), the tombstone, and each field's revision (the winning
/// write's stamp and device). Values from the office count as edits: a
/// school-list import on this device never overwrites them.
fn write_row(
    replicas: &mut Replicas<'_>,
    entity: &EntityDef,
    key: &str,
    state: &RecordState,
) -> Result<(), StoreError> {
    if !state.exists() {
        return Ok(());
    }
    let refuse = |refusal: caseload_core::sync::Refusal| StoreError::SyncAnswer(refusal.message);
    let mut values = Vec::with_capacity(entity.fields.len() + 3);
    values.push(to_sql(
        entity.name,
        &entity.key,
        &key_value(entity, key).map_err(refuse)?,
    )?);
    let mut revisions = Revisions::default();
    for field in entity.fields {
        let winner = state
            .fields
            .get(field.name)
            .and_then(|register| register.winner());
        values.push(match winner {
            Some(version) => to_sql(entity.name, field, &version.value)?,
            None => SqlValue::Null,
        });
        if let Some(version) = winner {
            revisions.insert(
                field.name.to_owned(),
                FieldRevision(
                    version.hlc.0,
                    replicas.number(version.device)?,
                    Origin::Edit,
                ),
            );
        }
    }
    values.push(SqlValue::Integer(i64::from(state.is_deleted())));
    values.push(SqlValue::Text(serde_json::to_string(&revisions)?));
    let columns: Vec<&str> = entity.columns().map(|field| field.name).collect();
    let updates: Vec<String> = entity
        .fields
        .iter()
        .map(|field| field.name)
        .chain(["deleted", "revisions"])
        .map(|name| format!("{name} = excluded.{name}"))
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({columns}, deleted, revisions) VALUES ({placeholders}) \
         ON CONFLICT ({key}) DO UPDATE SET {updates}",
        table = entity.name,
        columns = columns.join(", "),
        placeholders = vec!["?"; columns.len() + 2].join(", "),
        key = entity.key.name,
        updates = updates.join(", "),
    );
    replicas
        .conn
        .prepare_cached(&sql)?
        .execute(params_from_iter(values))?;
    Ok(())
}

fn save_state(
    tx: &Connection,
    entity: &EntityDef,
    key: &str,
    seq: u64,
    state: &RecordState,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_record (entity, record_key, seq, state, conflicts) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (entity, record_key) DO UPDATE
            SET seq = excluded.seq, state = excluded.state, conflicts = excluded.conflicts",
    )?
    .execute(params![
        entity.name,
        key,
        to_i64(seq),
        sync_state::encode(state)?,
        state.conflicts().len() as i64,
    ])?;
    Ok(())
}

impl Store {
    /// The office this store is enrolled with, if any.
    pub fn enrolment(&self) -> Result<Option<Enrolment>, StoreError> {
        let found = self
            .conn()
            .query_row(
                "SELECT url, token, adviser, cursor, synced_at FROM sync_office WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        found
            .map(|(url, token, adviser, cursor, synced_at)| {
                let adviser = Uuid::parse_str(&adviser).map_err(|_| {
                    StoreError::Corrupt(format!("the enrolled adviser {adviser:?} is not a UUID"))
                })?;
                Ok(Enrolment {
                    url,
                    token,
                    adviser: AdviserId(adviser),
                    cursor: to_u64(cursor),
                    synced_at,
                })
            })
            .transpose()
    }

    /// Keeps what enrolling with the office at `url` gave, and makes its
    /// adviser the one this installation belongs to. Enrolling again with
    /// the same office (after a revoke) keeps the cursor and pulled states;
    /// with another office, the next pull starts from the beginning.
    pub fn record_enrolment(&mut self, url: &str, enrolled: &Enrolled) -> Result<(), StoreError> {
        if enrolled.device != self.device {
            return Err(StoreError::SyncAnswer(format!(
                "the office enrolled device {}, not this store's {}",
                enrolled.device, self.device
            )));
        }
        let url = url.trim_end_matches('/').to_owned();
        let same_office = self
            .enrolment()?
            .is_some_and(|enrolment| enrolment.url == url);
        let tx = self.conn.transaction()?;
        if !same_office {
            tx.execute("DELETE FROM sync_record", [])?;
            tx.execute("UPDATE outbox SET seen = NULL", [])?;
        }
        tx.execute(
            "INSERT INTO sync_office (id, url, token, adviser, cursor, enrolled_at)
             VALUES (1, ?1, ?2, ?3, 0, ?4)
             ON CONFLICT (id) DO UPDATE SET
                url = excluded.url, token = excluded.token, adviser = excluded.adviser,
                enrolled_at = excluded.enrolled_at,
                cursor = CASE WHEN sync_office.url = excluded.url THEN sync_office.cursor ELSE 0 END",
            params![url, enrolled.token, enrolled.adviser.id.to_string(), now_text()],
        )?;
        set_meta(&tx, "current_adviser", &enrolled.adviser.id.to_string())?;
        tx.commit()?;
        // The diary holds the enrolled adviser's visits.
        self.diary_may_have_changed();
        Ok(())
    }

    /// Keeps a new address for the office this store is enrolled with (it
    /// moved): the same office, so the cursor and pulled states stay.
    pub fn set_office_url(&mut self, url: &str) -> Result<(), StoreError> {
        let changed = self.conn().execute(
            "UPDATE sync_office SET url = ?1 WHERE id = 1",
            [url.trim_end_matches('/')],
        )?;
        if changed == 0 {
            return Err(StoreError::NotEnrolled);
        }
        Ok(())
    }

    /// How many operations wait to be pushed.
    pub fn outbox_len(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM outbox", [], |row| row.get(0))?;
        Ok(to_u64(count))
    }

    /// The newest outbox row: a sync pushes the rows up to it and leaves
    /// later writes (an autosave during the sync) for the next.
    pub fn outbox_mark(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |row| {
                row.get(0)
            })?)
    }

    /// The oldest `limit` pending operations up to `up_to` (an
    /// [`Store::outbox_mark`]), as protocol operations: each stamped with
    /// what it has seen of its record, the writes that freeze a record
    /// carrying every field.
    pub fn push_batch(&self, limit: usize, up_to: i64) -> Result<PushBatch, StoreError> {
        let (grouped, order) = pending_rows(self.conn(), Some(up_to))?;
        let chosen: Vec<&(i64, RecordId)> = order.iter().take(limit).collect();
        let mut by_row: HashMap<i64, Built> = HashMap::new();
        let mut done: BTreeSet<&RecordId> = BTreeSet::new();
        for (_, id) in &chosen {
            if !done.insert(id) {
                continue;
            }
            let pending = &grouped[id];
            let entity = pending[0].entity;
            let seq = stored_state(self.conn(), entity, &id.1)?.map_or(0, |(seq, _)| seq);
            let current = current_values(self.conn(), entity, &id.1)?;
            let built = build_record_ops(self.device, pending, seq, current.as_ref());
            by_row.extend(pending.iter().map(|op| op.row).zip(built));
        }
        let mut batch = PushBatch {
            operations: Vec::new(),
            rows: Vec::new(),
            superseded: Vec::new(),
        };
        for (row, _) in chosen {
            match by_row.remove(row) {
                Some(Built::Send(op)) => {
                    batch.operations.push(op);
                    batch.rows.push(*row);
                }
                Some(Built::Superseded) => batch.superseded.push(*row),
                None => {}
            }
        }
        Ok(batch)
    }

    /// Keeps the office's answer to `batch`, in one transaction: applied
    /// and duplicate operations leave the outbox and join the record's
    /// office state; refused ones leave it too, kept with their message,
    /// and their record shows the office's state again (with this device's
    /// other pending operations on top).
    pub fn record_push_results(
        &mut self,
        batch: &PushBatch,
        results: &[OpResult],
    ) -> Result<PushTally, StoreError> {
        if results.len() != batch.operations.len()
            || results
                .iter()
                .zip(&batch.operations)
                .any(|(result, op)| result.op_id != op.op_id)
        {
            return Err(StoreError::SyncAnswer(
                "the office answered for other operations than those pushed".to_owned(),
            ));
        }
        let device = self.device;
        let floor = self.clock.last();
        let (tally, refused_records) = without_foreign_keys(self, |store| {
            let tx = store.conn.transaction()?;
            raise_hlc_floor(&tx, floor)?;
            let mut tally = PushTally::default();
            let mut refused_records: BTreeSet<RecordId> = BTreeSet::new();
            let forget = |tx: &Transaction<'_>, row: i64| -> Result<(), StoreError> {
                tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                    .execute([row])?;
                Ok(())
            };
            for row in &batch.superseded {
                forget(&tx, *row)?;
            }
            for ((op, row), result) in batch.operations.iter().zip(&batch.rows).zip(results) {
                forget(&tx, *row)?;
                let entity = declared(&op.entity)?;
                match &result.outcome {
                    Outcome::Applied { seq } | Outcome::Duplicate { seq } => {
                        if matches!(result.outcome, Outcome::Applied { .. }) {
                            tally.applied += 1;
                        } else {
                            tally.duplicate += 1;
                        }
                        let (pulled, mut state) =
                            stored_state(&tx, entity, &op.key)?.unwrap_or_default();
                        apply_acknowledged(entity, &mut state, op, *seq);
                        save_state(&tx, entity, &op.key, pulled, &state)?;
                    }
                    Outcome::Refused(refusal) => {
                        let refused = RefusedOperation {
                            op_id: op.op_id.to_string(),
                            entity: op.entity.clone(),
                            key: op.key.clone(),
                            reason: refusal.reason,
                            message: refusal.message.clone(),
                            fields: op.fields.clone(),
                            refused_at: now_text(),
                        };
                        tx.prepare_cached(
                            "INSERT OR REPLACE INTO sync_refusal
                            (op_id, entity, record_key, reason, message, fields, refused_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        )?
                        .execute(params![
                            refused.op_id,
                            refused.entity,
                            refused.key,
                            serde_json::to_value(refused.reason)?
                                .as_str()
                                .unwrap_or("invalid"),
                            refused.message,
                            serde_json::to_string(&refused.fields)?,
                            refused.refused_at,
                        ])?;
                        tally.refused.push(refused);
                        refused_records.insert((entity.name, op.key.clone()));
                    }
                }
            }
            if !refused_records.is_empty() {
                let (grouped, _) = pending_rows(&tx, None)?;
                let mut replicas = Replicas {
                    conn: &tx,
                    known: HashMap::new(),
                };
                for id in &refused_records {
                    let entity = declared(id.0)?;
                    // A record the office never had stays as this device wrote it.
                    let Some((pulled, office)) = stored_state(&tx, entity, &id.1)? else {
                        continue;
                    };
                    let pending = grouped.get(id).map_or(&[][..], Vec::as_slice);
                    let current = current_values(&tx, entity, &id.1)?;
                    let ops = sendable(build_record_ops(device, pending, pulled, current.as_ref()));
                    let state = merged(entity, Some(&office), &ops);
                    audit_rewrite(
                        &tx,
                        &Rewrite {
                            entity,
                            key: &id.1,
                            before: current.as_ref(),
                            state: &state,
                            origin: AuditOrigin::Refused,
                            authors: &BTreeMap::new(),
                        },
                        &mut |device| replicas.number(device),
                    )?;
                    write_row(&mut replicas, entity, &id.1, &state)?;
                }
            }
            tx.commit()?;
            Ok((tally, refused_records))
        })?;
        // A refused edit puts the record back as the office holds it.
        if refused_records
            .iter()
            .any(|(entity, _)| touches_diary(entity))
        {
            self.diary_may_have_changed();
        }
        Ok(tally)
    }

    /// Applies one pulled page, asked for with `after`, in one transaction:
    /// each record takes the office's state, with this device's unpushed
    /// operations re-applied on top so no local edit is lost; pulled stamps
    /// move this device's clock past them; the cursor moves to the page's.
    /// A page that cannot be applied changes nothing.
    pub fn apply_pull_page(
        &mut self,
        after: u64,
        page: &PullResponse,
    ) -> Result<PullTally, StoreError> {
        let enrolment = self.enrolment()?.ok_or(StoreError::NotEnrolled)?;
        if enrolment.cursor != after {
            return Err(StoreError::SyncAnswer(format!(
                "the page follows {after}, but this store has pulled up to {}: another sync \
                 ran meanwhile",
                enrolment.cursor
            )));
        }
        if page.cursor < after || (page.more && page.cursor == after) {
            return Err(StoreError::SyncAnswer(format!(
                "the office's cursor went from {after} to {}",
                page.cursor
            )));
        }
        let device = self.device;
        let mut clock = self.clock;
        let tally = without_foreign_keys(self, |store| {
            let tx = store.conn.transaction()?;
            let (mut grouped, _) = pending_rows(&tx, None)?;
            let mut replicas = Replicas {
                conn: &tx,
                known: HashMap::new(),
            };
            let now = wall_clock_millis();
            let now_words = now_text();
            let mut withdrawn = Vec::new();
            // In the office's order among the changes: a record moved out of
            // a withdrawn school into one still held comes after it.
            let mut withdrawals = page.withdrawn.iter().peekable();
            for change in &page.changes {
                while let Some(withdrawal) = withdrawals.next_if(|w| w.seq < change.seq) {
                    check_in_page(withdrawal.seq, after, page)?;
                    withdrawn.extend(withdraw(&tx, withdrawal.scope, &now_words)?);
                    grouped = pending_rows(&tx, None)?.0;
                }
                apply_change(
                    &tx,
                    &mut replicas,
                    &mut grouped,
                    device,
                    change,
                    after,
                    page,
                )?;
                for version in versions(&change.state) {
                    clock.observe(version.hlc, now);
                }
            }
            for withdrawal in withdrawals {
                check_in_page(withdrawal.seq, after, page)?;
                withdrawn.extend(withdraw(&tx, withdrawal.scope, &now_words)?);
            }
            tx.execute(
                "UPDATE sync_office SET cursor = ?1 WHERE id = 1",
                [to_i64(page.cursor)],
            )?;
            raise_hlc_floor(&tx, clock.last())?;
            tx.commit()?;
            Ok(PullTally {
                changes: page.changes.len(),
                cursor: page.cursor,
                withdrawn,
            })
        })?;
        self.clock = clock;
        if !tally.withdrawn.is_empty()
            || page
                .changes
                .iter()
                .any(|change| touches_diary(&change.entity))
        {
            self.diary_may_have_changed();
        }
        Ok(tally)
    }

    /// Stops SQLite's automatic checkpoint until [`Store::end_pull`]. A first
    /// sync writes a whole caseload (tens of megabytes); checkpointing every
    /// 1,000 pages of WAL would copy pages into the database file while the
    /// next pages rewrite them. Each page's transaction is still committed
    /// to the WAL, so a crash meanwhile loses nothing.
    pub fn begin_pull(&mut self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(())
    }

    /// Restores the automatic checkpoint (SQLite's default, 1,000 pages)
    /// and copies what the pull wrote into the database file at once.
    pub fn end_pull(&mut self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT)?;
        // PASSIVE: a reader (a backup, the CLI beside the app) is not waited for.
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Notes that a sync finished now.
    pub fn record_synced(&mut self) -> Result<String, StoreError> {
        let at = now_text();
        self.conn()
            .execute("UPDATE sync_office SET synced_at = ?1 WHERE id = 1", [&at])?;
        Ok(at)
    }

    /// Every value kept because a concurrent write won its field, as this
    /// device sees it: the office's conflicts, less those this device has
    /// since resolved by editing the field, plus those its unpushed edits
    /// will make.
    pub fn conflicts(&self) -> Result<Vec<FieldConflict>, StoreError> {
        let conn = self.conn();
        let (grouped, _) = pending_rows(conn, None)?;
        let mut candidates: BTreeSet<RecordId> = BTreeSet::new();
        {
            let mut statement = conn
                .prepare_cached("SELECT entity, record_key FROM sync_record WHERE conflicts > 0")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let entity = declared(&row.get::<_, String>(0)?)?;
                candidates.insert((entity.name, row.get(1)?));
            }
        }
        // Only an operation written before the record's last pull can race.
        candidates.extend(
            grouped
                .iter()
                .filter(|(_, pending)| pending.iter().any(|op| op.seen.is_some()))
                .map(|(id, _)| id.clone()),
        );
        let mut conflicts = Vec::new();
        for id in candidates {
            let entity = declared(id.0)?;
            let (pulled, office) = stored_state(conn, entity, &id.1)?.unwrap_or_default();
            let pending = grouped.get(&id).map_or(&[][..], Vec::as_slice);
            let current = current_values(conn, entity, &id.1)?;
            let ops = sendable(build_record_ops(
                self.device,
                pending,
                pulled,
                current.as_ref(),
            ));
            let state = merged(entity, Some(&office), &ops);
            let urn = match scope_of(entity, &id.1, &state.values()) {
                Ok(Some(Scope::School(urn))) => Some(urn.0),
                _ => None,
            };
            let version = |version: &Version| ConflictVersion {
                value: version.value.clone(),
                hlc: version.hlc,
                device: version.device,
                this_device: version.device == self.device,
                pending: version.seq == PENDING,
            };
            for conflict in state.conflicts() {
                conflicts.push(FieldConflict {
                    entity: entity.name.to_owned(),
                    key: id.1.clone(),
                    urn,
                    field: conflict.field.clone(),
                    kept: version(&conflict.kept),
                    lost: version(&conflict.lost),
                });
            }
        }
        Ok(conflicts)
    }

    /// Operations the office refused, newest first.
    pub fn refusals(&self) -> Result<Vec<RefusedOperation>, StoreError> {
        let mut statement = self.conn().prepare(
            "SELECT op_id, entity, record_key, reason, message, fields, refused_at
               FROM sync_refusal ORDER BY refused_at DESC, op_id DESC",
        )?;
        let mut rows = statement.query([])?;
        let mut refusals = Vec::new();
        while let Some(row) = rows.next()? {
            let reason: String = row.get(3)?;
            refusals.push(RefusedOperation {
                op_id: row.get(0)?,
                entity: row.get(1)?,
                key: row.get(2)?,
                reason: serde_json::from_value(Value::String(reason))?,
                message: row.get(4)?,
                fields: serde_json::from_str(&row.get::<_, String>(5)?)?,
                refused_at: row.get(6)?,
            });
        }
        Ok(refusals)
    }

    /// Forgets a refusal the adviser has read.
    pub fn dismiss_refusal(&mut self, op_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .execute("DELETE FROM sync_refusal WHERE op_id = ?1", [op_id])?
            > 0)
    }
}

/// Operations to send, superseded ones left out.
fn sendable(built: Vec<Built>) -> Vec<Operation> {
    built
        .into_iter()
        .filter_map(|built| match built {
            Built::Send(op) => Some(op),
            Built::Superseded => None,
        })
        .collect()
}

/// Every version a state holds.
fn versions(state: &RecordState) -> impl Iterator<Item = &Version> {
    state
        .fields
        .values()
        .chain(std::iter::once(&state.deleted))
        .flat_map(|register| register.heads())
}

/// Outbox rows are the store's record of its last stamp (see `last_hlc` in
/// lib.rs): before any leave, and after pulled stamps move the clock, the
/// floor in meta takes over.
fn raise_hlc_floor(conn: &Connection, hlc: Hlc) -> Result<(), StoreError> {
    let floor: u64 = meta(conn, "hlc")?
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    if hlc.0 > floor {
        set_meta(conn, "hlc", &hlc.0.to_string())?;
    }
    Ok(())
}

/// Runs `work` with foreign keys unenforced. A page holds records in the
/// office's order, which need not put a school before the visits that name
/// it (linking a school renumbers its records), nor an adviser before the
/// school naming them as link SIA; every record a pulled record names comes
/// in the same pull, in scope. SQLite ignores the pragma inside a
/// transaction, so it is set around one.
fn without_foreign_keys<T>(
    store: &mut Store,
    work: impl FnOnce(&mut Store) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    store.conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = work(store);
    let restored = store.conn.pragma_update(None, "foreign_keys", "ON");
    let value = result?;
    restored?;
    Ok(value)
}

/// Refuses a page whose item `seq` lies outside it.
fn check_in_page(seq: u64, after: u64, page: &PullResponse) -> Result<(), StoreError> {
    if seq <= after || seq > page.cursor {
        return Err(StoreError::SyncAnswer(format!(
            "withdrawal {seq} lies outside the page ({after}, {}]",
            page.cursor
        )));
    }
    Ok(())
}

/// Writes one pulled change.
fn apply_change(
    tx: &Transaction<'_>,
    replicas: &mut Replicas<'_>,
    grouped: &mut Grouped,
    device: DeviceId,
    change: &Change,
    after: u64,
    page: &PullResponse,
) -> Result<(), StoreError> {
    let entity = record::entity(&change.entity).ok_or_else(|| {
        StoreError::SyncAnswer(format!(
            "the office sent a {:?} record, a type this copy of Caseload does not know: \
             update Caseload, then sync again",
            change.entity
        ))
    })?;
    key_value(entity, &change.key).map_err(|refusal| StoreError::SyncAnswer(refusal.message))?;
    if change.seq <= after || change.seq > page.cursor {
        return Err(StoreError::SyncAnswer(format!(
            "change {} of {} {} lies outside the page ({after}, {}]",
            change.seq, entity.name, change.key, page.cursor
        )));
    }
    for name in change.state.fields.keys() {
        if entity.field(name).is_none() {
            return Err(StoreError::SyncAnswer(format!(
                "the office sent {}.{name}, a field this copy of Caseload does not know: \
                 update Caseload, then sync again",
                entity.name
            )));
        }
    }
    let id: RecordId = (entity.name, change.key.clone());
    let current = current_values(tx, entity, &change.key)?;
    let ops = match grouped.get_mut(&id) {
        Some(pending) => {
            let previous = stored_state(tx, entity, &change.key)?.map_or(0, |(seq, _)| seq);
            // What the waiting operations knew stays theirs: the record
            // they saw, and the values they wrote.
            let held = current.clone().unwrap_or_default();
            let held_text = serde_json::to_string(&held)?;
            for op in pending.iter_mut() {
                if op.seen.is_none() || op.held.is_none() {
                    tx.prepare_cached(
                        "UPDATE outbox SET seen = coalesce(seen, ?1), held = coalesce(held, ?2)
                          WHERE seq = ?3",
                    )?
                    .execute(params![to_i64(previous), held_text, op.row])?;
                    op.seen.get_or_insert(previous);
                    op.held.get_or_insert_with(|| held.clone());
                }
            }
            sendable(build_record_ops(
                device,
                pending,
                previous,
                current.as_ref(),
            ))
        }
        None => Vec::new(),
    };
    save_state(tx, entity, &change.key, change.seq, &change.state)?;
    let state = if ops.is_empty() {
        change.state.clone()
    } else {
        merged(entity, Some(&change.state), &ops)
    };
    audit_rewrite(
        tx,
        &Rewrite {
            entity,
            key: &change.key,
            before: current.as_ref(),
            state: &state,
            origin: AuditOrigin::Pulled,
            authors: &change.authors,
        },
        &mut |device| replicas.number(device),
    )?;
    write_row(replicas, entity, &change.key, &state)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pending(row: i64, names: &[&str], hlc: u64) -> Pending {
        Pending {
            row,
            op_id: Uuid::now_v7(),
            entity: &record::VISIT,
            key: "v1".to_owned(),
            hlc: Hlc(hlc),
            names: names.iter().map(|name| (*name).to_owned()).collect(),
            deleted: false,
            seen: None,
            held: None,
        }
    }

    fn values(pairs: Value) -> Map<String, Value> {
        pairs.as_object().cloned().unwrap_or_default()
    }

    fn sent(built: &Built) -> &Operation {
        match built {
            Built::Send(op) => op,
            Built::Superseded => panic!("expected an operation to send"),
        }
    }

    #[test]
    fn each_field_goes_with_the_last_operation_that_names_it() {
        let device = DeviceId(Uuid::from_u128(1));
        let current = values(json!({"purpose": "Core visit", "status": "draft", "notes": []}));
        let ops = [
            pending(1, &["purpose", "status"], 10),
            pending(2, &["purpose"], 11),
            pending(3, &["purpose"], 12),
        ];
        let built = build_record_ops(device, &ops, 7, Some(&current));
        assert_eq!(sent(&built[0]).fields, values(json!({"status": "draft"})));
        assert!(matches!(built[1], Built::Superseded));
        assert_eq!(
            sent(&built[2]).fields,
            values(json!({"purpose": "Core visit"}))
        );
        assert_eq!(sent(&built[2]).seen, 7);
        assert_eq!(sent(&built[2]).hlc, Hlc(12));
    }

    #[test]
    fn a_write_that_finalises_carries_every_field() {
        let device = DeviceId(Uuid::from_u128(1));
        let current = values(json!({"purpose": "Core visit", "status": "finalised"}));
        let ops = [pending(1, &["status"], 10)];
        let built = build_record_ops(device, &ops, 0, Some(&current));
        let op = sent(&built[0]);
        assert_eq!(op.fields.len(), record::VISIT.fields.len());
        assert_eq!(op.fields["purpose"], json!("Core visit"));
        assert!(check_freezing(&record::VISIT, op).is_ok());
    }

    #[test]
    fn held_values_and_seen_outlive_a_pull() {
        let device = DeviceId(Uuid::from_u128(1));
        let mut early = pending(1, &["purpose"], 10);
        early.seen = Some(3);
        early.held = Some(values(json!({"purpose": "as typed before the pull"})));
        let current = values(json!({"purpose": "what the pull brought"}));
        let built = build_record_ops(device, &[early], 9, Some(&current));
        assert_eq!(sent(&built[0]).seen, 3);
        assert_eq!(
            sent(&built[0]).fields["purpose"],
            json!("as typed before the pull")
        );
    }
}

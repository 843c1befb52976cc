//! The audit trail: who changed which record, when, on which device, and
//! what, kept in the same transaction as the change (schema v14, `audit`).
//!
//! [`Writer::write_fields`](crate::Writer::write_fields) adds to it for every
//! edit and import; a pulled page, and a refusal that puts a record back as
//! the office has it, add to it for every row they rewrite. Successive
//! writes of one record by the same device and adviser, of the same origin,
//! each within [`COALESCE_WINDOW_MILLIS`] of the last, extend one entry: the
//! old values of its first write, the new values of its last. A morning of
//! autosaves is one line of history.
//!
//! An entry still open (its record's newest) does not copy its new values:
//! they are the record's current values, read when the history is, as the
//! outbox reads its operations' values. They are copied into the entry only
//! when something else changes the record (a next entry, a pull). So an
//! autosave writes one stamp into the open entry, never the note again, and
//! a pulled record's entry leaves its values in the record until it changes.
//! An entry is extended only by writes of its own origin: a pulled entry
//! never is, an edit closes it.
//!
//! It must never judge a change: it keeps what was written, by whom.

use std::collections::{BTreeMap, HashMap};

use caseload_core::record::{self, EntityDef};
use caseload_core::sync::{scope_of, RecordState, Scope, Version};
use caseload_core::{AdviserId, DeviceId, Hlc, Urn};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::records::record_fields;
use crate::{Store, StoreError};

/// Writes further apart than this (ten minutes) start a new entry.
pub const COALESCE_WINDOW_MILLIS: u64 = 10 * 60 * 1000;

/// How a change reached the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditOrigin {
    /// Written on this device by its adviser.
    Edit,
    /// From a school-list import on this device.
    Import,
    /// Brought from the office by a sync.
    Pulled,
    /// Put back as the office has it: the office refused this device's write.
    Refused,
}

impl AuditOrigin {
    fn as_str(self) -> &'static str {
        match self {
            AuditOrigin::Edit => "edit",
            AuditOrigin::Import => "import",
            AuditOrigin::Pulled => "pulled",
            AuditOrigin::Refused => "refused",
        }
    }

    fn parse(text: &str) -> Result<AuditOrigin, StoreError> {
        serde_json::from_value(Value::String(text.to_owned()))
            .map_err(|_| StoreError::Corrupt(format!("audit origin {text:?}")))
    }
}

/// One write through the [`Writer`](crate::Writer), as the audit keeps it.
pub(crate) struct AuditedWrite<'a> {
    pub entity: &'a EntityDef,
    pub key: &'a str,
    pub origin: AuditOrigin,
    /// The writing device's `replica.no`.
    pub device: i64,
    pub hlc: Hlc,
    /// The record's stored values before the write (empty when new).
    pub before: &'a Map<String, Value>,
    /// The fields the write changed, with their new values.
    pub changed: &'a Map<String, Value>,
}

/// A record's newest entry, while a next write may extend it.
struct OpenEntry {
    id: i64,
    origin: String,
    device: i64,
    adviser: Option<String>,
    last_hlc: Hlc,
    fields: Vec<String>,
}

impl OpenEntry {
    fn extended_by(&self, write: &AuditedWrite<'_>, adviser: Option<&str>) -> bool {
        self.origin == write.origin.as_str()
            && self.device == write.device
            && self.adviser.as_deref() == adviser
            && write.hlc.millis().saturating_sub(self.last_hlc.millis()) < COALESCE_WINDOW_MILLIS
    }
}

/// A new entry.
struct NewEntry<'a> {
    entity: &'a EntityDef,
    key: &'a str,
    urn: Option<u32>,
    origin: AuditOrigin,
    device: i64,
    adviser: Option<String>,
    first_hlc: Hlc,
    last_hlc: Hlc,
    fields: Vec<&'a str>,
    before: Map<String, Value>,
    /// None for an open entry.
    after: Option<Map<String, Value>>,
}

fn to_i64(hlc: Hlc) -> i64 {
    i64::try_from(hlc.0).unwrap_or(i64::MAX)
}

fn to_hlc(number: i64) -> Hlc {
    Hlc(u64::try_from(number).unwrap_or(0))
}

/// Keeps one write: extends the record's open entry when it may, or closes
/// it and opens another.
pub(crate) fn audit_write(conn: &Connection, write: &AuditedWrite<'_>) -> Result<(), StoreError> {
    let adviser = current_adviser(conn)?;
    if let Some(open) = open_entry(conn, write.entity, write.key)? {
        if open.extended_by(write, adviser.as_deref()) {
            return extend(conn, &open, write);
        }
        close(conn, &open, write.before)?;
    }
    let mut values = write.before.clone();
    values.extend(write.changed.clone());
    insert(
        conn,
        &NewEntry {
            entity: write.entity,
            key: write.key,
            urn: school_of(conn, write.entity, write.key, &values)?,
            origin: write.origin,
            device: write.device,
            adviser,
            first_hlc: write.hlc,
            last_hlc: write.hlc,
            fields: write.changed.keys().map(String::as_str).collect(),
            before: old_values(write.before, write.changed.keys()),
            after: None,
        },
    )
}

/// A row rewritten whole from the office's state of its record: a pulled
/// change, or a refusal putting the office's values back.
pub(crate) struct Rewrite<'a> {
    pub entity: &'a EntityDef,
    pub key: &'a str,
    /// The row's values before (None when there was no row).
    pub before: Option<&'a Map<String, Value>>,
    /// The state the row now shows.
    pub state: &'a RecordState,
    pub origin: AuditOrigin,
    /// The adviser of each device that wrote, as the office said.
    pub authors: &'a BTreeMap<DeviceId, AdviserId>,
}

/// The fields of a rewritten row whose values one device wrote.
struct DeviceWrites<'a> {
    /// The latest of its writes among them.
    hlc: Hlc,
    fields: Vec<&'a str>,
    after: Map<String, Value>,
}

/// Keeps a rewritten row: the record's open entry is closed, and each device
/// whose values changed a field gets an entry of its own, stamped with its
/// latest write among them; one of them (not a deletion's) stays open, its
/// new values the rewritten row's, so a first sync writes each pulled value
/// once, into the record.
pub(crate) fn audit_rewrite(
    conn: &Connection,
    rewrite: &Rewrite<'_>,
    device_no: &mut dyn FnMut(DeviceId) -> Result<i64, StoreError>,
) -> Result<(), StoreError> {
    let empty = Map::new();
    let before = rewrite.before.unwrap_or(&empty);
    if let Some(open) = open_entry(conn, rewrite.entity, rewrite.key)? {
        close(conn, &open, before)?;
    }
    let mut by_device: BTreeMap<DeviceId, DeviceWrites<'_>> = BTreeMap::new();
    for field in rewrite.entity.fields {
        let Some(winner) = rewrite
            .state
            .fields
            .get(field.name)
            .and_then(|register| register.winner())
        else {
            continue;
        };
        if before.get(field.name).unwrap_or(&Value::Null) == &winner.value {
            continue;
        }
        let writes = by_device
            .entry(winner.device)
            .or_insert_with(|| DeviceWrites {
                hlc: winner.hlc,
                fields: Vec::new(),
                after: Map::new(),
            });
        writes.hlc = writes.hlc.max(winner.hlc);
        writes.fields.push(field.name);
        writes
            .after
            .insert(field.name.to_owned(), winner.value.clone());
    }
    if let Some(delete) = deletion(conn, rewrite)? {
        let writes = by_device
            .entry(delete.device)
            .or_insert_with(|| DeviceWrites {
                hlc: delete.hlc,
                fields: Vec::new(),
                after: Map::new(),
            });
        writes.hlc = writes.hlc.max(delete.hlc);
        writes.fields.push(DELETED);
        writes.after.insert(DELETED.to_owned(), Value::Bool(true));
    }
    if by_device.is_empty() {
        return Ok(());
    }
    let urn = school_of(conn, rewrite.entity, rewrite.key, &rewrite.state.values())?;
    // The row is rewritten from the same state next, so one entry's new
    // values are the record's own: it is left open, as an edit's is, rather
    // than copying a whole pulled record (a visit's notes) a second time.
    // Not a deletion's: `deleted` is no field of the record to read back.
    let open = by_device
        .values()
        .position(|writes| !writes.after.contains_key(DELETED));
    for (at, (device, DeviceWrites { hlc, fields, after })) in by_device.into_iter().enumerate() {
        let mut before = old_values(before, after.keys());
        if after.contains_key(DELETED) {
            before.insert(DELETED.to_owned(), Value::Bool(false));
        }
        let after = (open != Some(at)).then_some(after);
        insert(
            conn,
            &NewEntry {
                entity: rewrite.entity,
                key: rewrite.key,
                urn,
                origin: rewrite.origin,
                device: device_no(device)?,
                adviser: rewrite.authors.get(&device).map(ToString::to_string),
                first_hlc: hlc,
                last_hlc: hlc,
                before,
                fields,
                after,
            },
        )?;
    }
    Ok(())
}

/// The adviser this installation belongs to, as `Store::current_adviser_id`
/// reads it, through a cached statement: every write asks.
/// The name an entry gives a record's deletion, as if it were a field.
const DELETED: &str = "deleted";

/// The delete that wins a pulled tombstone of a record this store holds
/// live: the deletion, by whoever made it, belongs in the history.
fn deletion<'r>(
    conn: &Connection,
    rewrite: &Rewrite<'r>,
) -> Result<Option<&'r Version>, StoreError> {
    if !rewrite.state.is_deleted() {
        return Ok(None);
    }
    let entity = rewrite.entity;
    let live: Option<bool> = conn
        .query_row(
            &format!(
                "SELECT deleted = 0 FROM {} WHERE {} = ?1",
                entity.name, entity.key.name
            ),
            [rewrite.key],
            |row| row.get(0),
        )
        .optional()?;
    Ok(live
        .unwrap_or(false)
        .then(|| rewrite.state.deleted.winner())
        .flatten())
}

fn current_adviser(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'current_adviser'")?
        .query_row([], |row| row.get(0))
        .optional()?)
}

fn open_entry(
    conn: &Connection,
    entity: &EntityDef,
    key: &str,
) -> Result<Option<OpenEntry>, StoreError> {
    let found = conn
        .prepare_cached(
            "SELECT id, origin, device, adviser, last_hlc, fields FROM audit
              WHERE entity = ?1 AND record_key = ?2 AND after IS NULL",
        )?
        .query_row(params![entity.name, key], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get::<_, String>(5)?,
            ))
        })
        .optional()?;
    found
        .map(|(id, origin, device, adviser, last_hlc, fields)| {
            Ok(OpenEntry {
                id,
                origin,
                device,
                adviser,
                last_hlc: to_hlc(last_hlc),
                fields: serde_json::from_str(&fields)?,
            })
        })
        .transpose()
}

/// Adds a write to the open entry: its stamp, and the old value of any
/// field the entry did not yet name.
fn extend(conn: &Connection, open: &OpenEntry, write: &AuditedWrite<'_>) -> Result<(), StoreError> {
    let new_names: Vec<&String> = write
        .changed
        .keys()
        .filter(|name| !open.fields.contains(name))
        .collect();
    if new_names.is_empty() {
        conn.prepare_cached("UPDATE audit SET last_hlc = ?1 WHERE id = ?2")?
            .execute(params![to_i64(write.hlc), open.id])?;
        return Ok(());
    }
    let before_text: String = conn
        .prepare_cached("SELECT before FROM audit WHERE id = ?1")?
        .query_row([open.id], |row| row.get(0))?;
    let mut before: Map<String, Value> = serde_json::from_str(&before_text)?;
    before.extend(old_values(write.before, new_names.iter().copied()));
    let mut fields = open.fields.clone();
    fields.extend(new_names.into_iter().cloned());
    conn.prepare_cached("UPDATE audit SET last_hlc = ?1, fields = ?2, before = ?3 WHERE id = ?4")?
        .execute(params![
            to_i64(write.hlc),
            serde_json::to_string(&fields)?,
            serde_json::to_string(&before)?,
            open.id
        ])?;
    Ok(())
}

/// Copies the record's values into its open entry before they change:
/// `current` holds them, since the open entry is the record's last change.
fn close(
    conn: &Connection,
    open: &OpenEntry,
    current: &Map<String, Value>,
) -> Result<(), StoreError> {
    let after: Map<String, Value> = open
        .fields
        .iter()
        .map(|name| {
            let value = current.get(name).cloned().unwrap_or(Value::Null);
            (name.clone(), value)
        })
        .collect();
    conn.prepare_cached("UPDATE audit SET after = ?1 WHERE id = ?2")?
        .execute(params![serde_json::to_string(&after)?, open.id])?;
    Ok(())
}

fn insert(conn: &Connection, entry: &NewEntry<'_>) -> Result<(), StoreError> {
    let after = entry
        .after
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    conn.prepare_cached(
        "INSERT INTO audit (entity, record_key, urn, origin, device, adviser, first_hlc,
                            last_hlc, fields, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        entry.entity.name,
        entry.key,
        entry.urn,
        entry.origin.as_str(),
        entry.device,
        entry.adviser,
        to_i64(entry.first_hlc),
        to_i64(entry.last_hlc),
        serde_json::to_string(&entry.fields)?,
        serde_json::to_string(&entry.before)?,
        after,
    ])?;
    Ok(())
}

/// The old values of `names`; a field that held nothing is left out (an
/// imported school starts from twenty empty fields).
fn old_values<'n>(
    before: &Map<String, Value>,
    names: impl IntoIterator<Item = &'n String>,
) -> Map<String, Value> {
    names
        .into_iter()
        .filter_map(|name| {
            let value = before.get(name).filter(|value| !value.is_null())?;
            Some((name.clone(), value.clone()))
        })
        .collect()
}

/// The school a record belongs to: its own scope, or its MSP group's school.
fn school_of(
    conn: &Connection,
    entity: &EntityDef,
    key: &str,
    values: &Map<String, Value>,
) -> Result<Option<u32>, StoreError> {
    Ok(match scope_of(entity, key, values) {
        Ok(Some(Scope::School(urn))) => Some(urn.0),
        Ok(Some(Scope::MspGroup(group))) => conn
            .prepare_cached("SELECT urn FROM msp_group WHERE id = ?1")?
            .query_row([group.to_string()], |row| row.get::<_, Option<u32>>(0))
            .optional()?
            .flatten(),
        _ => None,
    })
}

/// One field an entry changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    /// Before the entry's first write (null: empty).
    pub before: Value,
    /// After its last write.
    pub after: Value,
}

/// One line of a school's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    /// The record type's declared name (`visit`, `action`, ...) and its key.
    pub entity: String,
    pub key: String,
    pub origin: AuditOrigin,
    pub device: DeviceId,
    pub this_device: bool,
    /// None for the office's own writes (its school list, link-SIA assignments).
    pub adviser: Option<AdviserId>,
    /// The adviser's name, when this store knows them.
    pub adviser_name: Option<String>,
    /// When the first and the last write of the entry were made (RFC 3339, UTC).
    pub first_at: String,
    pub last_at: String,
    /// Fields whose value ended other than it began, in the order first written.
    pub changes: Vec<FieldChange>,
}

/// One page of a school's history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// Pass as `before` for the next, older page; None on the last page.
    pub next: Option<i64>,
}

/// The most entries a page holds.
pub const HISTORY_PAGE_MAX: u32 = 200;

type HistoryRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    (i64, i64),
    (String, String, Option<String>),
);

impl Store {
    /// The history of a school: changes to its own record and to every
    /// record belonging to it (visits, actions, reviews, letters, MSP
    /// groups and meetings...), newest first, `limit` entries (at most
    /// [`HISTORY_PAGE_MAX`]) older than the entry `before`.
    pub fn school_history(
        &self,
        urn: Urn,
        before: Option<i64>,
        limit: u32,
    ) -> Result<HistoryPage, StoreError> {
        let limit = limit.clamp(1, HISTORY_PAGE_MAX);
        let rows: Vec<HistoryRow> = self
            .conn()
            .prepare_cached(
                "SELECT a.id, a.entity, a.record_key, a.origin, r.device_id, a.adviser, ad.name,
                        a.first_hlc, a.last_hlc, a.fields, a.before, a.after
                   FROM audit a
                   JOIN replica r ON r.no = a.device
                   LEFT JOIN adviser ad ON ad.id = a.adviser
                  WHERE a.urn = ?1 AND a.id < ?2
                  ORDER BY a.id DESC LIMIT ?3",
            )?
            .query_map(
                params![urn.0, before.unwrap_or(i64::MAX), i64::from(limit) + 1],
                |row| {
                    Ok((
                        row.get(0)?,
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                        (row.get(7)?, row.get(8)?),
                        (row.get(9)?, row.get(10)?, row.get(11)?),
                    ))
                },
            )?
            .collect::<Result<_, _>>()?;
        let next = (rows.len() > limit as usize).then(|| rows[limit as usize - 1].0);
        let names = self.adviser_names()?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows.into_iter().take(limit as usize) {
            let entry = self.history_entry(row, &names)?;
            if !entry.changes.is_empty() {
                entries.push(entry);
            }
        }
        Ok(HistoryPage { entries, next })
    }

    /// Every adviser's name by id: a field that names an adviser (a visit's
    /// author, a group's chair) reads as the name in the history.
    fn adviser_names(&self) -> Result<HashMap<String, String>, StoreError> {
        let mut statement = self.conn().prepare_cached("SELECT id, name FROM adviser")?;
        let names = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }

    fn history_entry(
        &self,
        row: HistoryRow,
        names: &HashMap<String, String>,
    ) -> Result<HistoryEntry, StoreError> {
        let (id, entity, key, origin, device, adviser, adviser_name, hlcs, texts) = row;
        let (fields, before, after) = texts;
        let fields: Vec<String> = serde_json::from_str(&fields)?;
        let before: Map<String, Value> = serde_json::from_str(&before)?;
        let after: Map<String, Value> = match after {
            Some(text) => serde_json::from_str(&text)?,
            None => self.open_values(&entity, &key)?,
        };
        let shown = |values: &Map<String, Value>, field: &str| match values.get(field) {
            Some(Value::String(id)) if names.contains_key(id) => Value::String(names[id].clone()),
            value => value.cloned().unwrap_or(Value::Null),
        };
        let changes = fields
            .into_iter()
            .filter_map(|field| {
                let before = shown(&before, &field);
                let after = shown(&after, &field);
                (before != after).then_some(FieldChange {
                    field,
                    before,
                    after,
                })
            })
            .collect();
        let device = DeviceId(
            Uuid::parse_str(&device)
                .map_err(|_| StoreError::Corrupt(format!("device {device:?} is not a UUID")))?,
        );
        Ok(HistoryEntry {
            id,
            entity,
            key,
            origin: AuditOrigin::parse(&origin)?,
            this_device: device == self.device(),
            device,
            adviser: adviser
                .and_then(|text| Uuid::parse_str(&text).ok())
                .map(AdviserId),
            adviser_name,
            first_at: hlc_time(to_hlc(hlcs.0)),
            last_at: hlc_time(to_hlc(hlcs.1)),
            changes,
        })
    }

    /// An open entry's new values: its record's current ones.
    fn open_values(&self, entity: &str, key: &str) -> Result<Map<String, Value>, StoreError> {
        let declared = record::entity(entity).ok_or_else(|| {
            StoreError::Corrupt(format!("the audit names an unknown record type {entity:?}"))
        })?;
        Ok(record_fields(self.conn(), declared, key)?.unwrap_or_default())
    }
}

/// The wall-clock time of a stamp, RFC 3339 in UTC.
fn hlc_time(hlc: Hlc) -> String {
    i64::try_from(hlc.millis())
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use caseload_core::record::SCHOOL;
    use caseload_core::samples;
    use serde_json::json;

    use super::*;
    use crate::Origin;

    fn store_with_school() -> Store {
        let mut store = Store::open_in_memory().expect("store");
        store
            .set_current_adviser(samples::adviser().id)
            .expect("adviser");
        store
            .write(|writer| {
                writer.save(&samples::adviser())?;
                writer.save_as(&samples::school(), Origin::Import)
            })
            .expect("saved");
        store
    }

    fn set_pupils(store: &mut Store, pupils: u32) {
        let changes = json!({ "pupils": pupils })
            .as_object()
            .cloned()
            .expect("object");
        store
            .write(|writer| {
                writer.write_fields(
                    &SCHOOL,
                    &json!(samples::school().urn.0),
                    &changes,
                    Origin::Edit,
                )
            })
            .expect("written");
    }

    /// Moves the open entry's last write `minutes` into the past.
    fn age_open_entry(store: &Store, minutes: u64) {
        let millis = minutes * 60 * 1000;
        store
            .conn()
            .execute(
                "UPDATE audit SET last_hlc = last_hlc - ?1 WHERE after IS NULL",
                [to_i64(Hlc::new(millis, 0))],
            )
            .expect("aged");
    }

    fn edits(store: &Store) -> Vec<Vec<FieldChange>> {
        store
            .school_history(samples::school().urn, None, 50)
            .expect("history")
            .entries
            .into_iter()
            .filter(|entry| entry.origin == AuditOrigin::Edit)
            .map(|entry| entry.changes)
            .collect()
    }

    fn pupils(before: u32, after: u32) -> Vec<FieldChange> {
        vec![FieldChange {
            field: "pupils".to_owned(),
            before: json!(before),
            after: json!(after),
        }]
    }

    #[test]
    fn writes_within_the_window_of_the_last_one_extend_its_entry() {
        let mut store = store_with_school();
        set_pupils(&mut store, 220);
        age_open_entry(&store, 9);
        set_pupils(&mut store, 230);
        age_open_entry(&store, 9);
        set_pupils(&mut store, 240);
        assert_eq!(edits(&store), [pupils(212, 240)]);
    }

    #[test]
    fn a_write_after_the_window_starts_a_new_entry() {
        let mut store = store_with_school();
        set_pupils(&mut store, 220);
        age_open_entry(&store, 11);
        set_pupils(&mut store, 230);
        assert_eq!(edits(&store), [pupils(220, 230), pupils(212, 220)]);
    }

    #[test]
    fn another_adviser_on_the_same_device_starts_a_new_entry() {
        let mut store = store_with_school();
        set_pupils(&mut store, 220);
        store
            .set_current_adviser(AdviserId(Uuid::now_v7()))
            .expect("adviser");
        set_pupils(&mut store, 230);
        assert_eq!(edits(&store), [pupils(220, 230), pupils(212, 220)]);
    }

    #[test]
    fn writes_from_another_device_never_extend_this_devices_entry() {
        let mut store = store_with_school();
        set_pupils(&mut store, 220);
        store
            .conn()
            .execute(
                "INSERT INTO replica (device_id) VALUES (?1)",
                [Uuid::now_v7().to_string()],
            )
            .expect("replica");
        store
            .conn()
            .execute(
                "UPDATE audit SET device = (SELECT max(no) FROM replica) WHERE after IS NULL",
                [],
            )
            .expect("moved");
        set_pupils(&mut store, 230);
        assert_eq!(edits(&store), [pupils(220, 230), pupils(212, 220)]);
    }
}

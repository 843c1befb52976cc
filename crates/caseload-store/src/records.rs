//! Writing and reading declared records.
//!
//! Every write goes through [`Writer`], which keeps a record's per-field
//! revisions, appends its outbox operation and keeps its audit entry
//! (`audit.rs`) in the same transaction as the change itself, so sync never
//! sees a change without its operation or an operation without its change,
//! and no change goes unaudited. Nothing here knows one record type from
//! another: it works from the declarations in `caseload_core::record`.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use caseload_core::diary::touches_diary;
use caseload_core::{EntityDef, Hlc, HlcClock, Record, ENTITIES};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::audit::{audit_write, AuditOrigin, AuditedWrite};
use crate::row_reader::RowReader;
use crate::values::{check_type, from_sql, to_sql};
use crate::StoreError;

/// Who wrote a value. A school-list import never overwrites a field an
/// adviser has edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Import,
    Edit,
}

impl From<Origin> for AuditOrigin {
    fn from(origin: Origin) -> Self {
        match origin {
            Origin::Import => AuditOrigin::Import,
            Origin::Edit => AuditOrigin::Edit,
        }
    }
}

/// The revision of one field: its HLC stamp, the local number of the device
/// that wrote it, and the origin of the write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct FieldRevision(pub(crate) u64, pub(crate) i64, pub(crate) Origin);

/// Every field's revision. Stored grouped by revision,
/// `[[hlc, device, origin, [field, ...]], ...]`, because the fields of one
/// write share one: a school import keeps one stamp, not eighteen.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Revisions(BTreeMap<String, FieldRevision>);

impl Revisions {
    fn get(&self, field: &str) -> Option<&FieldRevision> {
        self.0.get(field)
    }

    pub(crate) fn insert(&mut self, field: String, revision: FieldRevision) {
        self.0.insert(field, revision);
    }

    fn latest(&self) -> Option<Hlc> {
        self.0.values().map(|revision| Hlc(revision.0)).max()
    }
}

impl Serialize for Revisions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut grouped: BTreeMap<FieldRevision, Vec<&str>> = BTreeMap::new();
        for (field, revision) in &self.0 {
            grouped.entry(*revision).or_default().push(field);
        }
        serializer.collect_seq(
            grouped
                .iter()
                .map(|(FieldRevision(hlc, device, origin), fields)| (hlc, device, origin, fields)),
        )
    }
}

impl<'de> Deserialize<'de> for Revisions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let grouped: Vec<(u64, i64, Origin, Vec<String>)> = Deserialize::deserialize(deserializer)?;
        let mut revisions = BTreeMap::new();
        for (hlc, device, origin, fields) in grouped {
            for field in fields {
                revisions.insert(field, FieldRevision(hlc, device, origin));
            }
        }
        Ok(Revisions(revisions))
    }
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Inserted,
    Updated,
    Unchanged,
}

/// Writes inside one transaction, stamping each change with the store's clock.
#[derive(Debug)]
pub struct Writer<'t> {
    pub(crate) tx: Transaction<'t>,
    pub(crate) replica_no: i64,
    pub(crate) clock: HlcClock,
    /// Set once a write changes a record the adviser's diary is drawn from.
    pub(crate) diary_touched: bool,
}

/// The current record as stored, for comparing against a write. Revisions
/// are parsed only when a field actually differs: most re-imported rows are
/// unchanged.
struct Current {
    fields: Map<String, Value>,
    revisions_text: Option<String>,
}

impl Current {
    fn revisions(&self, entity: &EntityDef) -> Result<Revisions, StoreError> {
        match &self.revisions_text {
            None => Ok(Revisions::default()),
            Some(text) => serde_json::from_str(text).map_err(|_| {
                StoreError::Corrupt(format!("{}: revisions do not parse", entity.name))
            }),
        }
    }
}

impl Writer<'_> {
    /// Writes a whole record as an edit.
    pub fn save<R: Record>(&mut self, record: &R) -> Result<Written, StoreError> {
        self.save_as(record, Origin::Edit)
    }

    /// Writes a whole record with the given origin.
    pub fn save_as<R: Record>(
        &mut self,
        record: &R,
        origin: Origin,
    ) -> Result<Written, StoreError> {
        let entity = R::ENTITY;
        let Value::Object(mut fields) = serde_json::to_value(record)? else {
            return Err(StoreError::Corrupt(format!(
                "{} is not a JSON object",
                entity.name
            )));
        };
        let key = fields.remove(entity.key.name).unwrap_or(Value::Null);
        self.write_fields(entity, &key, &fields, origin)
    }

    /// Writes the given fields of one record; fields not given keep their
    /// values. Only fields whose value changes get a new revision and go
    /// into the outbox; an import skips fields an adviser has edited.
    pub fn write_fields(
        &mut self,
        entity: &EntityDef,
        key: &Value,
        changes: &Map<String, Value>,
        origin: Origin,
    ) -> Result<Written, StoreError> {
        let sql_key = to_sql(entity.name, &entity.key, key)?;
        let current = self.current(entity, &sql_key)?;
        let differing = differing_fields(entity, &current, changes)?;
        if differing.is_empty() {
            return Ok(Written::Unchanged);
        }
        let mut revisions = current.revisions(entity)?;
        let changed = keep_advisers_edits(differing, &revisions, origin);
        if changed.is_empty() {
            return Ok(Written::Unchanged);
        }
        let hlc = self.clock.tick(wall_clock_millis());
        self.diary_touched |= touches_diary(entity.name);
        for name in changed.keys() {
            revisions.insert(name.clone(), FieldRevision(hlc.0, self.replica_no, origin));
        }
        if current.revisions_text.is_some() {
            self.update(entity, &sql_key, &changed, &revisions)?;
        } else {
            self.insert(entity, &sql_key, &changed, &revisions)?;
        }
        let key_text = record_key_text(key);
        self.tx
            .prepare_cached(
                "INSERT INTO outbox (op_id, entity, record_key, hlc, fields) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                Uuid::now_v7().to_string(),
                entity.name,
                key_text,
                hlc.0 as i64,
                field_names(&changed)?,
            ])?;
        audit_write(
            &self.tx,
            &AuditedWrite {
                entity,
                key: &key_text,
                origin: origin.into(),
                device: self.replica_no,
                hlc,
                before: &current.fields,
                changed: &changed,
            },
        )?;
        Ok(if current.revisions_text.is_some() {
            Written::Updated
        } else {
            Written::Inserted
        })
    }

    fn current(&self, entity: &EntityDef, key: &SqlValue) -> Result<Current, StoreError> {
        let mut statement = self
            .tx
            .prepare_cached(&entity_sql(entity)?.select_current)?;
        let mut rows = statement.query([key])?;
        let Some(row) = rows.next()? else {
            return Ok(Current {
                fields: Map::new(),
                revisions_text: None,
            });
        };
        Ok(Current {
            fields: fields_from_row(entity, row)?,
            revisions_text: Some(row.get(entity.fields.len() + 1)?),
        })
    }

    /// Writes a new row: the given fields, and null for the rest.
    fn insert(
        &self,
        entity: &EntityDef,
        key: &SqlValue,
        fields: &Map<String, Value>,
        revisions: &Revisions,
    ) -> Result<(), StoreError> {
        let mut values = Vec::with_capacity(entity.fields.len() + 2);
        values.push(key.clone());
        for field in entity.fields {
            let value = fields.get(field.name).unwrap_or(&Value::Null);
            values.push(to_sql(entity.name, field, value)?);
        }
        values.push(SqlValue::Text(serde_json::to_string(revisions)?));
        self.tx
            .prepare_cached(&entity_sql(entity)?.insert)?
            .execute(params_from_iter(values))?;
        Ok(())
    }

    /// Rewrites only the changed columns of a stored row (and its
    /// revisions). An autosave changes one column of a visit: setting every
    /// column would also rewrite the index entries and check the foreign keys
    /// of columns that did not change.
    fn update(
        &self,
        entity: &EntityDef,
        key: &SqlValue,
        changed: &Map<String, Value>,
        revisions: &Revisions,
    ) -> Result<(), StoreError> {
        let mut assignments = String::new();
        let mut values = Vec::with_capacity(changed.len() + 2);
        for field in entity.fields {
            let Some(value) = changed.get(field.name) else {
                continue;
            };
            assignments.push_str(field.name);
            assignments.push_str(" = ?, ");
            values.push(to_sql(entity.name, field, value)?);
        }
        values.push(SqlValue::Text(serde_json::to_string(revisions)?));
        values.push(key.clone());
        let sql = format!(
            "UPDATE {table} SET {assignments}revisions = ? WHERE {key} = ?",
            table = entity.name,
            key = entity.key.name,
        );
        self.tx
            .prepare_cached(&sql)?
            .execute(params_from_iter(values))?;
        Ok(())
    }
}

/// The given fields whose value differs from the stored one. Every field is
/// checked against its declaration first, so a bad value fails before
/// anything is written.
fn differing_fields(
    entity: &EntityDef,
    current: &Current,
    changes: &Map<String, Value>,
) -> Result<Map<String, Value>, StoreError> {
    let mut differing = Map::new();
    let mut declared = 0;
    for field in entity.fields {
        let Some(value) = changes.get(field.name) else {
            continue;
        };
        declared += 1;
        check_type(entity.name, field, value)?;
        if current.fields.get(field.name).unwrap_or(&Value::Null) != value {
            differing.insert(field.name.to_owned(), value.clone());
        }
    }
    if declared < changes.len() {
        let unknown = changes.keys().find(|name| entity.field(name).is_none());
        return Err(StoreError::UnknownField {
            entity: entity.name.to_owned(),
            field: unknown.cloned().unwrap_or_default(),
        });
    }
    Ok(differing)
}

/// An import leaves alone every field an adviser has edited.
fn keep_advisers_edits(
    mut differing: Map<String, Value>,
    revisions: &Revisions,
    origin: Origin,
) -> Map<String, Value> {
    if origin == Origin::Import {
        differing.retain(|name, _| {
            revisions
                .get(name)
                .is_none_or(|revision| revision.2 != Origin::Edit)
        });
    }
    differing
}

/// The SQL of one entity, built once.
struct EntitySql {
    select_current: String,
    insert: String,
}

fn entity_sql(entity: &EntityDef) -> Result<&'static EntitySql, StoreError> {
    static SQL: OnceLock<BTreeMap<&'static str, EntitySql>> = OnceLock::new();
    SQL.get_or_init(|| {
        ENTITIES
            .iter()
            .map(|declared| {
                let sql = EntitySql {
                    select_current: format!(
                        "SELECT {}, revisions FROM {} WHERE {} = ?1",
                        column_list(declared),
                        declared.name,
                        declared.key.name
                    ),
                    insert: insert_sql(declared),
                };
                (declared.name, sql)
            })
            .collect()
    })
    .get(entity.name)
    .ok_or_else(|| StoreError::Corrupt(format!("{} is not a declared record type", entity.name)))
}

/// `INSERT` of every column of the entity.
fn insert_sql(entity: &EntityDef) -> String {
    format!(
        "INSERT INTO {table} ({columns}, revisions) VALUES ({placeholders})",
        table = entity.name,
        columns = column_list(entity),
        placeholders = vec!["?"; entity.fields.len() + 2].join(", "),
    )
}

/// The outbox names the fields a write changed rather than copying their
/// values: an autosave of a long note would otherwise write it twice. Sync
/// reads the current values from the record (see `outbox.rs`).
fn field_names(changed: &Map<String, Value>) -> Result<String, StoreError> {
    Ok(serde_json::to_string(&changed.keys().collect::<Vec<_>>())?)
}

/// The current fields of the record of `entity` whose key reads `key` as
/// text (as the outbox keeps it), or None if there is no such record.
pub(crate) fn record_fields(
    conn: &rusqlite::Connection,
    entity: &EntityDef,
    key: &str,
) -> Result<Option<Map<String, Value>>, StoreError> {
    let key = match entity.key.kind {
        caseload_core::FieldKind::Integer => SqlValue::Integer(key.parse().map_err(|_| {
            StoreError::Corrupt(format!("{}: key {key:?} is not a number", entity.name))
        })?),
        _ => SqlValue::Text(key.to_owned()),
    };
    let mut statement = conn.prepare_cached(&entity_sql(entity)?.select_current)?;
    let mut rows = statement.query([key])?;
    rows.next()?
        .map(|row| fields_from_row(entity, row))
        .transpose()
}

/// The key and every field, comma-separated, in declaration order.
pub(crate) fn column_list(entity: &EntityDef) -> String {
    entity
        .columns()
        .map(|field| field.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the key and fields (selected with [`column_list`]) into JSON.
pub(crate) fn fields_from_row(
    entity: &EntityDef,
    row: &Row<'_>,
) -> Result<Map<String, Value>, StoreError> {
    let mut fields = Map::new();
    for (index, field) in entity.columns().enumerate() {
        fields.insert(
            field.name.to_owned(),
            from_sql(entity.name, field, row.get_ref(index)?)?,
        );
    }
    Ok(fields)
}

/// Reads the live records of a type that match `filter` (SQL over its
/// columns, `?1`... bound to `params`), in key order.
pub(crate) fn load_where<R: Record>(
    conn: &rusqlite::Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<R>, StoreError> {
    let entity = R::ENTITY;
    let sql = format!(
        "SELECT {} FROM {} WHERE deleted = 0 AND ({filter}) ORDER BY {}",
        column_list(entity),
        entity.name,
        entity.key.name
    );
    read_rows(conn, entity, &sql, params)
}

/// Like [`load_where`], for counting over a great many records: in no
/// particular order, and with the `spared` columns not read but taken as
/// the SQL literal given for each (`("notes", "'[]'")`), so that bulky
/// text the count never looks at is neither decoded nor sorted.
pub(crate) fn load_for_counting<R: Record>(
    conn: &rusqlite::Connection,
    filter: &str,
    params: impl rusqlite::Params,
    spared: &[(&str, &str)],
) -> Result<Vec<R>, StoreError> {
    let entity = R::ENTITY;
    let columns: Vec<String> = entity
        .columns()
        .map(
            |field| match spared.iter().find(|(name, _)| *name == field.name) {
                Some((name, literal)) => format!("{literal} AS {name}"),
                None => field.name.to_owned(),
            },
        )
        .collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE deleted = 0 AND ({filter})",
        columns.join(", "),
        entity.name
    );
    read_rows(conn, entity, &sql, params)
}

fn read_rows<R: Record>(
    conn: &rusqlite::Connection,
    entity: &EntityDef,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<R>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        let record = R::deserialize(RowReader { entity, row }).map_err(|error| {
            StoreError::Corrupt(format!(
                "a stored {} does not read back: {error}",
                entity.name
            ))
        })?;
        records.push(record);
    }
    Ok(records)
}

/// The latest stamp of any field of the live record of `entity` whose key
/// is `key`; None when there is no such record.
pub(crate) fn latest_revision(
    conn: &rusqlite::Connection,
    entity: &EntityDef,
    key: &Value,
) -> Result<Option<Hlc>, StoreError> {
    let sql_key = to_sql(entity.name, &entity.key, key)?;
    let sql = format!(
        "SELECT revisions FROM {} WHERE {} = ?1 AND deleted = 0",
        entity.name, entity.key.name
    );
    let text: Option<String> = conn
        .prepare_cached(&sql)?
        .query_row([sql_key], |row| row.get(0))
        .optional()?;
    let Some(text) = text else {
        return Ok(None);
    };
    let revisions: Revisions = serde_json::from_str(&text)
        .map_err(|_| StoreError::Corrupt(format!("{}: revisions do not parse", entity.name)))?;
    Ok(revisions.latest())
}

/// The record key as text, as the outbox and the protocol carry it.
fn record_key_text(key: &Value) -> String {
    match key {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn wall_clock_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_stored_grouped_by_write_and_read_back_per_field() {
        let mut revisions = Revisions::default();
        revisions.insert("name".to_owned(), FieldRevision(7, 1, Origin::Import));
        revisions.insert("phase".to_owned(), FieldRevision(7, 1, Origin::Import));
        revisions.insert("ward".to_owned(), FieldRevision(9, 2, Origin::Edit));
        let text = serde_json::to_string(&revisions).expect("serializes");
        assert_eq!(
            text,
            r#"[[7,1,"import",["name","phase"]],[9,2,"edit",["ward"]]]"#
        );
        let read: Revisions = serde_json::from_str(&text).expect("parses");
        assert_eq!(read, revisions);
        assert_eq!(read.get("ward"), Some(&FieldRevision(9, 2, Origin::Edit)));
    }
}

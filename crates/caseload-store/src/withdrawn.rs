//! Scopes the office has taken away from this device's adviser: a school
//! reassigned to another link SIA, an MSP group that no longer lists them.
//!
//! A pulled withdrawal removes the school (or the group's meetings) and
//! every record in it from this device: rows, pulled states, audit entries,
//! kept PDFs, and search entries (by the tables' delete triggers). It is not
//! a delete: no tombstone, no outbox operation, since the office still holds
//! them. The client pushes before it pulls, so an edit of those records is
//! already applied or refused (kept, with its values, in `refusals`); one
//! made while the sync ran stays in the outbox with the values it wrote
//! ("held"), so the next push carries them and the office's refusal keeps
//! them in sight. A notice the adviser dismisses says what went and why.

use caseload_core::record::{self, EntityDef, ScopeKey};
use caseload_core::sync::WithdrawnScope;
use caseload_core::FieldKind;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use uuid::Uuid;

use crate::records::record_fields;
use crate::{Store, StoreError};

/// A scope that left this device, until the adviser dismisses the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithdrawnNotice {
    pub id: i64,
    /// The school that left, or the school of the group that did.
    pub urn: Option<u32>,
    /// The group whose meetings left, for a group.
    pub msp_group: Option<String>,
    /// How many records left with it.
    pub records: u64,
    /// When this device removed it (RFC 3339, UTC).
    pub withdrawn_at: String,
    /// What to tell the adviser, in words.
    pub message: String,
}

/// The records of `entity` in `scope` on this device, by their keys as the
/// protocol writes them.
fn keys_in(
    conn: &Connection,
    entity: &EntityDef,
    scope: WithdrawnScope,
) -> Result<Vec<String>, StoreError> {
    let (field, value) = match (entity.scope, scope) {
        (ScopeKey::School(field), WithdrawnScope::School { urn }) => {
            (field, SqlValue::Integer(i64::from(urn.0)))
        }
        (ScopeKey::MspGroup(field), WithdrawnScope::MspGroup { group }) => {
            (field, SqlValue::Text(group.to_string()))
        }
        _ => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT {key} FROM {table} WHERE {field} = ?1",
        key = entity.key.name,
        table = entity.name
    );
    let keys: Vec<SqlValue> = conn
        .prepare_cached(&sql)?
        .query_map([value], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    keys.into_iter()
        .map(|key| match key {
            SqlValue::Integer(number) => Ok(number.to_string()),
            SqlValue::Text(text) => Ok(text),
            other => Err(StoreError::Corrupt(format!(
                "{} has a key of type {:?}",
                entity.name,
                other.data_type()
            ))),
        })
        .collect()
}

/// Removes one record from this device, keeping the values of any
/// operation of it still waiting to be pushed.
fn remove_record(conn: &Connection, entity: &EntityDef, key: &str) -> Result<(), StoreError> {
    let waiting: i64 = conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE entity = ?1 AND record_key = ?2")?
        .query_row(params![entity.name, key], |row| row.get(0))?;
    if waiting > 0 {
        let mut values = record_fields(conn, entity, key)?.unwrap_or_default();
        values.remove(entity.key.name);
        conn.prepare_cached(
            "UPDATE outbox SET held = coalesce(held, ?3),
                    seen = coalesce(seen, (SELECT seq FROM sync_record
                                            WHERE entity = ?1 AND record_key = ?2))
              WHERE entity = ?1 AND record_key = ?2",
        )?
        .execute(params![entity.name, key, serde_json::to_string(&values)?])?;
    }
    let key_value = match entity.key.kind {
        FieldKind::Integer => SqlValue::Integer(key.parse().map_err(|_| {
            StoreError::Corrupt(format!("{}: key {key:?} is not a number", entity.name))
        })?),
        _ => SqlValue::Text(key.to_owned()),
    };
    if entity.name == record::LETTER.name {
        conn.prepare_cached("DELETE FROM letter_pdf WHERE letter = ?1")?
            .execute([key])?;
    }
    if entity.name == record::MSP_MEETING.name {
        conn.prepare_cached("DELETE FROM msp_pdf WHERE meeting = ?1")?
            .execute([key])?;
    }
    conn.prepare_cached("DELETE FROM audit WHERE entity = ?1 AND record_key = ?2")?
        .execute(params![entity.name, key])?;
    conn.prepare_cached("DELETE FROM sync_record WHERE entity = ?1 AND record_key = ?2")?
        .execute(params![entity.name, key])?;
    conn.prepare_cached(&format!(
        "DELETE FROM {table} WHERE {key} = ?1",
        table = entity.name,
        key = entity.key.name
    ))?
    .execute([key_value])?;
    Ok(())
}

/// "Millbrook Primary (URN 123456)", or the URN alone when this device
/// does not hold the school.
fn school_words(conn: &Connection, urn: u32) -> Result<String, StoreError> {
    let name: Option<String> = conn
        .prepare_cached("SELECT name FROM school WHERE urn = ?1")?
        .query_row([i64::from(urn)], |row| row.get(0))
        .optional()?
        .flatten();
    Ok(match name {
        Some(name) => format!("{name} (URN {urn})"),
        None => format!("the school with URN {urn}"),
    })
}

/// The school of an MSP group this device holds.
fn group_school(conn: &Connection, group: Uuid) -> Result<Option<u32>, StoreError> {
    let urn: Option<i64> = conn
        .prepare_cached("SELECT urn FROM msp_group WHERE id = ?1")?
        .query_row([group.to_string()], |row| row.get(0))
        .optional()?
        .flatten();
    Ok(urn.and_then(|urn| u32::try_from(urn).ok()))
}

/// "its record" for one, "its 12 records" for more.
fn counted(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        one.to_owned()
    } else {
        format!("its {count} {many}")
    }
}

/// Removes the scope and every record in it from this device, in the
/// caller's transaction, and keeps a notice of it. Nothing is noted when
/// the device held nothing of it.
pub(crate) fn withdraw(
    conn: &Connection,
    scope: WithdrawnScope,
    now: &str,
) -> Result<Option<WithdrawnNotice>, StoreError> {
    let (urn, group) = match scope {
        WithdrawnScope::School { urn } => (Some(urn.0), None),
        WithdrawnScope::MspGroup { group } => (group_school(conn, group)?, Some(group)),
    };
    let place = match urn {
        Some(urn) => school_words(conn, urn)?,
        None => "a school this device does not hold".to_owned(),
    };
    let mut removed = 0u64;
    for entity in record::ENTITIES {
        for key in keys_in(conn, entity, scope)? {
            remove_record(conn, entity, &key)?;
            removed += 1;
        }
    }
    if removed == 0 {
        return Ok(None);
    }
    let day = now.get(..10).unwrap_or(now);
    let message = match group {
        None => format!(
            "{place} is no longer in your caseload: the office reassigned it on {day}, and {} \
             left this device",
            counted(removed, "its record", "records")
        ),
        Some(_) => format!(
            "The MSP group at {place} no longer lists you: {} and minutes left this device \
             on {day}",
            counted(removed, "its meeting", "meetings")
        ),
    };
    conn.prepare_cached(
        "INSERT INTO withdrawn_scope (urn, msp_group, records, withdrawn_at, message)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        urn.map(i64::from),
        group.map(|group| group.to_string()),
        i64::try_from(removed).unwrap_or(i64::MAX),
        now,
        message
    ])?;
    Ok(Some(WithdrawnNotice {
        id: conn.last_insert_rowid(),
        urn,
        msp_group: group.map(|group| group.to_string()),
        records: removed,
        withdrawn_at: now.to_owned(),
        message,
    }))
}

impl Store {
    /// The notices of scopes that left this device, newest first, less those
    /// the adviser has dismissed.
    pub fn withdrawn_scopes(&self) -> Result<Vec<WithdrawnNotice>, StoreError> {
        let mut statement = self.conn().prepare(
            "SELECT id, urn, msp_group, records, withdrawn_at, message FROM withdrawn_scope
              WHERE dismissed_at IS NULL ORDER BY id DESC",
        )?;
        let notices = statement
            .query_map([], |row| {
                Ok(WithdrawnNotice {
                    id: row.get(0)?,
                    urn: row
                        .get::<_, Option<i64>>(1)?
                        .and_then(|urn| u32::try_from(urn).ok()),
                    msp_group: row.get(2)?,
                    records: u64::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                    withdrawn_at: row.get(4)?,
                    message: row.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(notices)
    }

    /// The adviser has read the notice: it is no longer shown.
    pub fn dismiss_withdrawn(&self, id: i64) -> Result<(), StoreError> {
        let changed = self.conn().execute(
            "UPDATE withdrawn_scope SET dismissed_at = ?2 WHERE id = ?1 AND dismissed_at IS NULL",
            params![
                id,
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::WithdrawnNoticeNotFound(id));
        }
        Ok(())
    }
}

//! The outbox: local changes waiting to be pushed to the office, oldest first.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::records::record_fields;
use crate::{Store, StoreError};

/// One local write, as sync will push it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingOperation {
    pub seq: i64,
    pub op_id: String,
    pub entity: String,
    pub record_key: String,
    pub hlc: u64,
    /// The fields the write changed, with the record's current values: a
    /// later write's, if the field changed again since (the per-field merge
    /// only ever keeps the latest).
    pub fields: Map<String, Value>,
    pub deleted: bool,
}

impl Store {
    /// Every operation not yet pushed, in the order it was written.
    pub fn pending_operations(&self) -> Result<Vec<PendingOperation>, StoreError> {
        let mut statement = self.conn().prepare(
            "SELECT seq, op_id, entity, record_key, hlc, fields, deleted FROM outbox ORDER BY seq",
        )?;
        let mut rows = statement.query([])?;
        let mut operations = Vec::new();
        while let Some(row) = rows.next()? {
            let entity: String = row.get(2)?;
            let record_key: String = row.get(3)?;
            let names: Vec<String> = serde_json::from_str(&row.get::<_, String>(5)?)?;
            let fields = self.current_values(&entity, &record_key, names)?;
            operations.push(PendingOperation {
                seq: row.get(0)?,
                op_id: row.get(1)?,
                entity,
                record_key,
                hlc: row.get::<_, i64>(4)? as u64,
                fields,
                deleted: row.get(6)?,
            });
        }
        Ok(operations)
    }

    /// The record's current values of the fields `names`.
    fn current_values(
        &self,
        entity: &str,
        key: &str,
        names: Vec<String>,
    ) -> Result<Map<String, Value>, StoreError> {
        let declared = caseload_core::record::entity(entity).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "the outbox names an unknown record type {entity:?}"
            ))
        })?;
        let current = record_fields(self.conn(), declared, key)?.ok_or_else(|| {
            StoreError::Corrupt(format!("the outbox names a missing {entity} {key}"))
        })?;
        Ok(names
            .into_iter()
            .map(|name| {
                let value = current.get(&name).cloned().unwrap_or(Value::Null);
                (name, value)
            })
            .collect())
    }
}

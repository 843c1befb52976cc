//! The outbox: local changes waiting to be pushed to the office, oldest first.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Store, StoreError};

/// One local write, as sync will push it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingOperation {
    pub seq: i64,
    pub op_id: String,
    pub entity: String,
    pub record_key: String,
    pub hlc: u64,
    /// The fields the write changed, with their new values.
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
            let fields: String = row.get(5)?;
            let Value::Object(fields) = serde_json::from_str(&fields)? else {
                return Err(StoreError::Corrupt(
                    "an outbox operation's fields are not an object".to_owned(),
                ));
            };
            operations.push(PendingOperation {
                seq: row.get(0)?,
                op_id: row.get(1)?,
                entity: row.get(2)?,
                record_key: row.get(3)?,
                hlc: row.get::<_, i64>(4)? as u64,
                fields,
                deleted: row.get(6)?,
            });
        }
        Ok(operations)
    }
}

//! The whole store as JSON: every record type, live records in key order,
//! field names as declared. Two replicas that hold the same records export
//! the same bytes, which is how sync tests compare them.

use caseload_core::ENTITIES;
use serde_json::{json, Map, Value};

use crate::records::{column_list, fields_from_row};
use crate::{Store, StoreError};

/// Bumped when the export's shape changes.
pub const EXPORT_VERSION: u32 = 1;

impl Store {
    pub fn export(&self) -> Result<Value, StoreError> {
        let mut records = Map::new();
        for entity in ENTITIES {
            let sql = format!(
                "SELECT {} FROM {} WHERE deleted = 0 ORDER BY {}",
                column_list(entity),
                entity.name,
                entity.key.name
            );
            let mut statement = self.conn().prepare(&sql)?;
            let mut rows = statement.query([])?;
            let mut list = Vec::new();
            while let Some(row) = rows.next()? {
                list.push(Value::Object(fields_from_row(entity, row)?));
            }
            records.insert(entity.name.to_owned(), Value::Array(list));
        }
        Ok(json!({
            "format": "caseload-export",
            "version": EXPORT_VERSION,
            "records": records,
        }))
    }
}

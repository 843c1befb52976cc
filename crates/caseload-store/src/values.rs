//! Field values between their JSON form (how records and sync operations
//! carry them) and their SQL form (how tables keep them), by declared kind.

use caseload_core::{FieldDef, FieldKind};
use rusqlite::types::{Value as SqlValue, ValueRef};
use serde_json::{Number, Value};

use crate::StoreError;

/// Checks a JSON value fits the field's declared kind, without converting it.
pub fn check_type(entity: &str, field: &FieldDef, value: &Value) -> Result<(), StoreError> {
    let fits = match (field.kind, value) {
        (_, Value::Null) | (FieldKind::Json, _) => true,
        (FieldKind::Text, Value::String(_)) | (FieldKind::Bool, Value::Bool(_)) => true,
        (FieldKind::Integer, Value::Number(number)) => number.is_i64(),
        (FieldKind::Real, Value::Number(_)) => true,
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(mismatch(entity, field, value))
    }
}

fn mismatch(entity: &str, field: &FieldDef, value: &Value) -> StoreError {
    StoreError::FieldType {
        entity: entity.to_owned(),
        field: field.name,
        value: value.to_string(),
    }
}

/// The SQL value for a field's JSON value.
pub fn to_sql(entity: &str, field: &FieldDef, value: &Value) -> Result<SqlValue, StoreError> {
    let mismatch = || mismatch(entity, field, value);
    Ok(match (field.kind, value) {
        (_, Value::Null) => SqlValue::Null,
        (FieldKind::Text, Value::String(text)) => SqlValue::Text(text.clone()),
        (FieldKind::Integer, Value::Number(number)) => {
            SqlValue::Integer(number.as_i64().ok_or_else(mismatch)?)
        }
        (FieldKind::Real, Value::Number(number)) => {
            SqlValue::Real(number.as_f64().ok_or_else(mismatch)?)
        }
        (FieldKind::Bool, Value::Bool(flag)) => SqlValue::Integer(i64::from(*flag)),
        (FieldKind::Json, structured) => SqlValue::Text(structured.to_string()),
        _ => return Err(mismatch()),
    })
}

/// The JSON value of a field read from its column.
pub fn from_sql(entity: &str, field: &FieldDef, value: ValueRef<'_>) -> Result<Value, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("{entity}.{}: {what}", field.name));
    Ok(match (field.kind, value) {
        (_, ValueRef::Null) => Value::Null,
        (FieldKind::Text, ValueRef::Text(bytes)) => Value::String(
            std::str::from_utf8(bytes)
                .map_err(|_| corrupt("text is not UTF-8"))?
                .to_owned(),
        ),
        (FieldKind::Integer, ValueRef::Integer(number)) => Value::from(number),
        (FieldKind::Real, ValueRef::Real(number)) => {
            Number::from_f64(number).map_or(Value::Null, Value::Number)
        }
        (FieldKind::Real, ValueRef::Integer(number)) => Value::from(number as f64),
        (FieldKind::Bool, ValueRef::Integer(number)) => Value::Bool(number != 0),
        (FieldKind::Json, ValueRef::Text(bytes)) => {
            serde_json::from_slice(bytes).map_err(|_| corrupt("stored JSON does not parse"))?
        }
        _ => return Err(corrupt("stored value has the wrong type")),
    })
}

//! What the declarations say about an operation: whether it is well formed,
//! whom the record belongs to, and whether the record is frozen.
//!
//! The office refuses on these grounds, and a device can check its own
//! operations the same way before pushing them.

use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::protocol::{Operation, Refusal, RefusalReason};
use crate::letter::LetterStatus;
use crate::msp::MeetingStatus;
use crate::people::AdviserId;
use crate::record::{self, EntityDef, FieldKind, ScopeKey};
use crate::school::Urn;
use crate::visit::VisitStatus;

/// Whom a record belongs to, which decides who receives and may write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    School(Urn),
    Adviser(AdviserId),
    /// The members of this MSP group (its confidential minutes).
    MspGroup(Uuid),
}

/// The longest record key accepted: UUIDs and `urn/year/measure` keys are
/// far shorter.
const MAX_KEY_LEN: usize = 200;

fn invalid(message: String) -> Refusal {
    Refusal::new(RefusalReason::Invalid, message)
}

/// Checks an operation against the declarations: a declared record type, a
/// UUIDv7 id, a key of the declared kind, declared fields with values of
/// their kinds, and no fields on a delete.
pub fn check_operation(op: &Operation) -> Result<&'static EntityDef, Refusal> {
    let entity = record::entity(&op.entity).ok_or_else(|| {
        invalid(format!(
            "the office does not know the record type {:?}: it may need updating",
            op.entity
        ))
    })?;
    if op.op_id.get_version_num() != 7 {
        return Err(invalid(format!(
            "operation id {} is not a UUIDv7",
            op.op_id
        )));
    }
    key_value(entity, &op.key)?;
    if op.deleted && !op.fields.is_empty() {
        return Err(invalid(format!(
            "a delete of {} {} carries no fields",
            entity.name, op.key
        )));
    }
    for (name, value) in &op.fields {
        let Some(field) = entity.field(name) else {
            return Err(invalid(if name == entity.key.name {
                format!(
                    "{} is the key of {}: it is not written as a field",
                    name, entity.name
                )
            } else {
                format!("{} has no field {name:?}", entity.name)
            }));
        };
        if !fits(field.kind, value) {
            return Err(invalid(format!(
                "{}.{name}: {value} is not {}",
                entity.name,
                kind_name(field.kind)
            )));
        }
    }
    Ok(entity)
}

/// The record key as the JSON value of the declared key field.
pub fn key_value(entity: &EntityDef, key: &str) -> Result<Value, Refusal> {
    match entity.key.kind {
        FieldKind::Integer => key
            .parse::<i64>()
            .ok()
            .filter(|number| *number > 0)
            .map(Value::from)
            .ok_or_else(|| {
                invalid(format!(
                    "{} key {key:?} is not a positive whole number",
                    entity.name
                ))
            }),
        _ if key.is_empty() || key.len() > MAX_KEY_LEN => Err(invalid(format!(
            "{} key must be 1 to {MAX_KEY_LEN} characters",
            entity.name
        ))),
        _ => Ok(Value::String(key.to_owned())),
    }
}

/// Whether a value fits a field's kind: any kind may be null.
pub fn fits(kind: FieldKind, value: &Value) -> bool {
    match (kind, value) {
        (_, Value::Null) | (FieldKind::Json, _) => true,
        (FieldKind::Text, Value::String(_)) | (FieldKind::Bool, Value::Bool(_)) => true,
        (FieldKind::Integer, Value::Number(number)) => number.is_i64(),
        (FieldKind::Real, Value::Number(_)) => true,
        _ => false,
    }
}

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Integer => "a whole number",
        FieldKind::Real => "a number",
        FieldKind::Bool => "true or false",
        FieldKind::Json => "JSON",
    }
}

/// The declared field that scopes records of `entity`.
pub fn scope_field(entity: &EntityDef) -> &'static str {
    match entity.scope {
        ScopeKey::School(field) | ScopeKey::Adviser(field) | ScopeKey::MspGroup(field) => field,
    }
}

/// Whom the record with this key and these values belongs to; None when the
/// scoping field is not set.
pub fn scope_of(
    entity: &EntityDef,
    key: &str,
    values: &Map<String, Value>,
) -> Result<Option<Scope>, Refusal> {
    let field = scope_field(entity);
    let value = if field == entity.key.name {
        key_value(entity, key)?
    } else {
        match values.get(field) {
            None | Some(Value::Null) => return Ok(None),
            Some(value) => value.clone(),
        }
    };
    let bad = |what: &str| invalid(format!("{}.{field}: {value} is not {what}", entity.name));
    let uuid = || {
        value
            .as_str()
            .and_then(|text| Uuid::parse_str(text).ok())
            .ok_or_else(|| bad("a UUID"))
    };
    Ok(Some(match entity.scope {
        ScopeKey::School(_) => Scope::School(Urn(value
            .as_u64()
            .and_then(|number| u32::try_from(number).ok())
            .ok_or_else(|| bad("a URN"))?)),
        ScopeKey::Adviser(_) => Scope::Adviser(AdviserId(uuid()?)),
        ScopeKey::MspGroup(_) => Scope::MspGroup(uuid()?),
    }))
}

/// A record that never changes again once a field holds a value.
struct Freeze {
    entity: &'static EntityDef,
    field: &'static str,
    value: fn() -> Value,
    message: &'static str,
}

fn json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

const FREEZES: &[Freeze] = &[
    Freeze {
        entity: &record::LETTER,
        field: "status",
        value: || json(LetterStatus::Issued),
        message: "this letter has been issued and cannot change: write a correction (a new \
                  letter that names it) instead",
    },
    Freeze {
        entity: &record::VISIT,
        field: "status",
        value: || json(VisitStatus::Finalised),
        message: "this note of visit is finalised and cannot change: add an addendum instead",
    },
    Freeze {
        entity: &record::MSP_MEETING,
        field: "status",
        value: || json(MeetingStatus::Approved),
        message: "these minutes are approved and cannot change",
    },
];

/// Why no write may change a record of `entity` with these values, if it is
/// frozen.
pub fn frozen(entity: &EntityDef, values: &Map<String, Value>) -> Option<&'static str> {
    FREEZES
        .iter()
        .find(|freeze| {
            freeze.entity.name == entity.name && values.get(freeze.field) == Some(&(freeze.value)())
        })
        .map(|freeze| freeze.message)
}

/// A write that freezes a record must carry every declared field, so the
/// record keeps exactly what its writer issued, finalised or approved (see
/// [`super::merge::RecordState::pin`]).
pub fn check_freezing(entity: &EntityDef, op: &Operation) -> Result<(), Refusal> {
    let missing: Vec<&str> = entity
        .fields
        .iter()
        .map(|field| field.name)
        .filter(|name| !op.fields.contains_key(*name))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(invalid(format!(
            "this write freezes the {} but does not carry all of it (missing: {}): send every \
             field with the write that issues, finalises or approves",
            entity.name,
            missing.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::hlc::{DeviceId, Hlc};

    fn op(entity: &str, key: &str, fields: Value) -> Operation {
        Operation {
            op_id: Uuid::now_v7(),
            entity: entity.to_owned(),
            key: key.to_owned(),
            hlc: Hlc(1),
            device: DeviceId(Uuid::from_u128(1)),
            seen: 0,
            fields: fields.as_object().cloned().unwrap_or_default(),
            deleted: false,
        }
    }

    fn refusal(op: &Operation) -> String {
        check_operation(op).expect_err("refused").message
    }

    #[test]
    fn well_formed_operations_pass() {
        let visit = op(
            "visit",
            "01900000-0000-7000-8000-000000000002",
            json!({"urn": 990001, "purpose": "Core visit", "notes": {"any": ["json"]}}),
        );
        assert_eq!(
            check_operation(&visit).map(|entity| entity.name),
            Ok("visit")
        );
        let school = op("school", "990001", json!({"telephone": null}));
        assert!(check_operation(&school).is_ok());
    }

    #[test]
    fn malformed_operations_are_refused_with_what_is_wrong() {
        assert!(refusal(&op("gossip", "x", json!({}))).contains("does not know"));
        assert!(refusal(&op("visit", "v1", json!({"mood": "good"}))).contains("no field \"mood\""));
        assert!(refusal(&op("visit", "v1", json!({"urn": "990001"}))).contains("whole number"));
        assert!(refusal(&op("visit", "v1", json!({"id": "v1"}))).contains("is the key"));
        assert!(refusal(&op("school", "Fenbridge", json!({}))).contains("positive whole number"));
        let mut old_id = op("visit", "v1", json!({}));
        old_id.op_id = Uuid::from_u128(5);
        assert!(refusal(&old_id).contains("UUIDv7"));
        let mut delete = op("visit", "v1", json!({"purpose": "x"}));
        delete.deleted = true;
        assert!(refusal(&delete).contains("carries no fields"));
    }

    #[test]
    fn scope_comes_from_the_declared_field_or_the_key() {
        let values = json!({"urn": 990001})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            scope_of(&record::VISIT, "v1", &values),
            Ok(Some(Scope::School(Urn(990001))))
        );
        assert_eq!(
            scope_of(&record::SCHOOL, "990002", &Map::new()),
            Ok(Some(Scope::School(Urn(990002))))
        );
        assert_eq!(scope_of(&record::VISIT, "v1", &Map::new()), Ok(None));
        let group = Uuid::now_v7();
        let mut values = Map::new();
        values.insert(
            scope_field(&record::MSP_MEETING).to_owned(),
            json!(group.to_string()),
        );
        assert_eq!(
            scope_of(&record::MSP_MEETING, "m1", &values),
            Ok(Some(Scope::MspGroup(group)))
        );
    }

    #[test]
    fn issued_letters_finalised_visits_and_approved_minutes_are_frozen() {
        let with = |status: &str| {
            json!({"status": status})
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        assert!(frozen(&record::LETTER, &with("issued")).is_some());
        assert!(frozen(&record::LETTER, &with("draft")).is_none());
        assert!(frozen(&record::VISIT, &with("finalised")).is_some());
        assert!(frozen(&record::VISIT, &with("draft")).is_none());
        assert!(frozen(&record::MSP_MEETING, &with("approved")).is_some());
        assert!(frozen(&record::ACTION, &with("issued")).is_none());
    }
}

//! How `sync_record.state` keeps the office's state of a record: compact
//! JSON, each device named once.
//!
//! The protocol's `RecordState` names every version's device in full and
//! every version's parts by name, about 70 bytes a field before its value:
//! a visit's state took 2.1 KB, just over half a page, so each took a page
//! of its own and a first sync wrote twice the pages it needed. Here a
//! state is `[1, devices, fields, deleted]`: the devices' ids once, then each
//! register's heads as `[value, hlc, device's index, seq, pinned 0/1]`.
//!
//! Stores synced before keep the protocol's JSON object in the same column:
//! it still reads (a JSON object, where this is an array), and is written
//! compactly the next time its record changes.

use std::collections::BTreeMap;

use caseload_core::sync::{RecordState, Register, Version};
use caseload_core::{DeviceId, Hlc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::StoreError;

/// The encoding written now: the first element of the array.
const COMPACT: u8 = 1;

/// A head as written: value, hlc, device's index, seq, pinned.
type HeadRef<'s> = (&'s Value, u64, usize, u64, u8);
/// A head as read.
type Head = (Value, u64, usize, u64, u8);

#[derive(Serialize)]
struct CompactRef<'s>(
    u8,
    Vec<DeviceId>,
    BTreeMap<&'s str, Vec<HeadRef<'s>>>,
    Vec<HeadRef<'s>>,
);

#[derive(Deserialize)]
struct Compact(u8, Vec<DeviceId>, BTreeMap<String, Vec<Head>>, Vec<Head>);

/// The state as `sync_record.state` keeps it.
pub(crate) fn encode(state: &RecordState) -> Result<String, StoreError> {
    let mut devices: Vec<DeviceId> = Vec::new();
    let every_head = state
        .fields
        .values()
        .chain(std::iter::once(&state.deleted))
        .flat_map(Register::heads);
    for version in every_head {
        if !devices.contains(&version.device) {
            devices.push(version.device);
        }
    }
    let fields = state
        .fields
        .iter()
        .map(|(name, register)| (name.as_str(), heads(register, &devices)))
        .collect();
    let deleted = heads(&state.deleted, &devices);
    Ok(serde_json::to_string(&CompactRef(
        COMPACT, devices, fields, deleted,
    ))?)
}

/// A register's heads as written, each device by its index in `devices`.
fn heads<'s>(register: &'s Register, devices: &[DeviceId]) -> Vec<HeadRef<'s>> {
    register
        .heads()
        .iter()
        .map(|version| {
            let device = devices
                .iter()
                .position(|device| *device == version.device)
                .unwrap_or_default();
            let pinned = u8::from(version.pinned);
            (&version.value, version.hlc.0, device, version.seq, pinned)
        })
        .collect()
}

/// Reads a kept state, compact or (from a store synced before) the
/// protocol's JSON object.
pub(crate) fn decode(text: &str) -> Result<RecordState, StoreError> {
    if text.trim_start().starts_with('{') {
        return Ok(serde_json::from_str(text)?);
    }
    let Compact(encoding, devices, fields, deleted) = serde_json::from_str(text)?;
    if encoding != COMPACT {
        return Err(StoreError::Corrupt(format!(
            "a pulled record's state is in encoding {encoding}, which this copy of Caseload \
             does not know"
        )));
    }
    let register = |heads: Vec<Head>| -> Result<Register, StoreError> {
        heads
            .into_iter()
            .map(|(value, hlc, device, seq, pinned)| {
                let device = *devices.get(device).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "a pulled record's state names device {device} of {}",
                        devices.len()
                    ))
                })?;
                Ok(Version {
                    value,
                    hlc: Hlc(hlc),
                    device,
                    seq,
                    pinned: pinned != 0,
                })
            })
            .collect()
    };
    Ok(RecordState {
        fields: fields
            .into_iter()
            .map(|(name, heads)| Ok((name, register(heads)?)))
            .collect::<Result<_, StoreError>>()?,
        deleted: register(deleted)?,
    })
}

#[cfg(test)]
mod tests {
    use caseload_core::sync::merge::PENDING;
    use caseload_core::sync::Write;
    use serde_json::{json, Map};
    use uuid::Uuid;

    use super::*;

    fn write(state: &mut RecordState, device: u128, hlc: u64, seen: u64, fields: Value, seq: u64) {
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        state.apply(
            &Write {
                hlc: Hlc(hlc),
                device: DeviceId(Uuid::from_u128(device)),
                seen,
                fields: &fields,
                deleted: false,
            },
            seq,
        );
    }

    /// Two devices, a conflict, a pinned value and a pending write.
    fn busy_state() -> RecordState {
        let mut state = RecordState::default();
        write(
            &mut state,
            1,
            10,
            0,
            json!({"purpose": "Core visit", "notes": {"text": "Phonics"}}),
            1,
        );
        write(&mut state, 2, 11, 0, json!({"purpose": "Review"}), 2);
        write(&mut state, 3, 12, 2, json!({"status": "finalised"}), 3);
        let status = Map::from_iter([("status".to_owned(), json!("finalised"))]);
        state.pin(&Write {
            hlc: Hlc(12),
            device: DeviceId(Uuid::from_u128(3)),
            seen: 2,
            fields: &status,
            deleted: false,
        });
        write(&mut state, 1, 13, 3, json!({"notes": null}), PENDING);
        state
    }

    #[test]
    fn a_state_reads_back_as_it_was_written() {
        let state = busy_state();
        assert_eq!(state.conflicts().len(), 1);
        let text = encode(&state).expect("encoded");
        assert_eq!(decode(&text).expect("decoded"), state);
    }

    #[test]
    fn a_state_kept_before_the_compact_encoding_still_reads() {
        let state = busy_state();
        let legacy = serde_json::to_string(&state).expect("JSON");
        assert_eq!(decode(&legacy).expect("decoded"), state);
        let compact = encode(&state).expect("encoded");
        for device in state.devices() {
            assert_eq!(compact.matches(&device.to_string()).count(), 1, "{compact}");
        }
        assert!(compact.len() < legacy.len() * 3 / 5, "{compact}");
    }

    #[test]
    fn an_unknown_encoding_or_device_is_refused_by_name() {
        let unknown = decode(r#"[2, [], {}, []]"#).expect_err("refused");
        assert!(unknown.to_string().contains("encoding 2"), "{unknown}");
        let missing = decode(r#"[1, [], {}, [[false, 1, 0, 1, 0]]]"#).expect_err("refused");
        assert!(missing.to_string().contains("device 0 of 0"), "{missing}");
    }
}

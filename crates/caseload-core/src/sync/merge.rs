//! The merge: how a write changes a record's state, the same on the office
//! and on every device, so all replicas that see the same writes agree.
//!
//! A record's state keeps, per field, its *heads*: the versions that no
//! later write has superseded knowingly. A write supersedes the versions its
//! writer had seen (it names the office sequence number of the record state
//! it held, and a device always knows its own earlier writes) and becomes a
//! head itself. One head is the ordinary case. Two or more heads are
//! concurrent edits: the field's value is the last writer's by HLC (ties,
//! which a correct clock never makes, broken by device id), and every other
//! head with a different value is a **conflict**, kept and synced until
//! someone edits the field having seen it: the resolution is an ordinary edit.
//!
//! Because only the writer's knowledge decides what a write supersedes, the
//! heads after a set of writes do not depend on the order they arrive in
//! (the property test in `tests/sync_convergence_test.rs` holds us to it).
//!
//! Whether the record is deleted is one more register, `deleted`, of
//! booleans: a delete writes `true`, every edit writes `false`. A delete and
//! an edit that did not see each other leave both heads, and then the record
//! stays alive with a conflict: a delete racing an edit never silently wins,
//! and an edit never silently brings back a record its writer saw deleted
//! unless it wrote after seeing the delete (a restore).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hlc::{DeviceId, Hlc};

/// The sequence number of a version the office has not yet applied (a
/// device's own unpushed write): only the same device's later writes see it.
pub const PENDING: u64 = u64::MAX;

/// One value of one field, as one write left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub value: Value,
    pub hlc: Hlc,
    pub device: DeviceId,
    /// The office's sequence number of the write ([`PENDING`] before it).
    pub seq: u64,
    /// Held by the write that froze the record (issued the letter, finalised
    /// the visit, approved the minutes): it stays the value, whatever raced it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pinned: bool,
}

fn is_false(flag: &bool) -> bool {
    !flag
}

impl Version {
    /// The order heads are ranked in, best first: a pinned value, then the
    /// latest HLC, then the greater device id.
    fn rank(&self) -> (bool, Hlc, DeviceId) {
        (self.pinned, self.hlc, self.device)
    }
}

/// What a write says, as the merge needs it.
#[derive(Debug, Clone, Copy)]
pub struct Write<'a> {
    pub hlc: Hlc,
    pub device: DeviceId,
    /// The office sequence number of the record state the writer held when it
    /// wrote; 0 when it held none.
    pub seen: u64,
    /// The values written, by declared field name. Empty for a delete.
    pub fields: &'a Map<String, Value>,
    pub deleted: bool,
}

impl Write<'_> {
    /// True when the writer knew `head` when it wrote: the office had applied
    /// it by the state the writer held, or the writer's own device wrote it
    /// earlier (a device's writes reach the office in the order it made them).
    pub fn saw(&self, head: &Version) -> bool {
        (head.seq != PENDING && head.seq <= self.seen)
            || (head.device == self.device && head.hlc <= self.hlc)
    }
}

/// The heads of one field (or of `deleted`), best first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Register {
    heads: Vec<Version>,
}

impl Register {
    pub fn heads(&self) -> &[Version] {
        &self.heads
    }

    /// The version whose value the field has.
    pub fn winner(&self) -> Option<&Version> {
        self.heads.first()
    }

    pub fn value(&self) -> Option<&Value> {
        self.winner().map(|version| &version.value)
    }

    /// Concurrent heads whose value differs from the winner's: the values a
    /// last-writer rule alone would have dropped.
    pub fn losers(&self) -> impl Iterator<Item = &Version> {
        let winner = self.value();
        self.heads
            .iter()
            .skip(1)
            .filter(move |version| Some(&version.value) != winner)
    }

    fn write(&mut self, version: Version, write: &Write<'_>) {
        self.heads.retain(|head| !write.saw(head));
        self.heads.push(version);
        self.sort();
    }

    fn sort(&mut self) {
        self.heads
            .sort_by_key(|head| std::cmp::Reverse(head.rank()));
    }
}

/// A register from heads kept elsewhere (a store's own encoding of a
/// state), ranked as a write ranks them.
impl FromIterator<Version> for Register {
    fn from_iter<I: IntoIterator<Item = Version>>(heads: I) -> Self {
        let mut register = Register {
            heads: heads.into_iter().collect(),
        };
        register.sort();
        register
    }
}

/// A value kept because a concurrent write won the field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The field, or `deleted` when a delete and an edit raced.
    pub field: String,
    /// The version the record shows.
    pub kept: Version,
    /// The concurrent version that lost.
    pub lost: Version,
}

/// A record's full state: every field's heads, and whether it is deleted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    #[serde(default)]
    pub fields: BTreeMap<String, Register>,
    #[serde(default)]
    pub deleted: Register,
}

impl RecordState {
    /// Merges one write, which the office numbered `seq` ([`PENDING`] on a
    /// device before the office has it).
    pub fn apply(&mut self, write: &Write<'_>, seq: u64) {
        let version = |value: Value| Version {
            value,
            hlc: write.hlc,
            device: write.device,
            seq,
            pinned: false,
        };
        for (name, value) in write.fields {
            self.fields
                .entry(name.clone())
                .or_default()
                .write(version(value.clone()), write);
        }
        self.deleted
            .write(version(Value::Bool(write.deleted)), write);
    }

    /// True once any write has reached the record.
    pub fn exists(&self) -> bool {
        !self.deleted.heads.is_empty()
    }

    /// Deleted only when every head of `deleted` says so: an edit that raced
    /// the delete keeps the record alive, with a conflict.
    pub fn is_deleted(&self) -> bool {
        self.exists()
            && self
                .deleted
                .heads
                .iter()
                .all(|head| head.value == Value::Bool(true))
    }

    /// The value of a field, if any write has set it.
    pub fn value(&self, field: &str) -> Option<&Value> {
        self.fields.get(field).and_then(Register::value)
    }

    /// Every device whose writes the state holds.
    pub fn devices(&self) -> BTreeSet<DeviceId> {
        self.fields
            .values()
            .chain(std::iter::once(&self.deleted))
            .flat_map(Register::heads)
            .map(|version| version.device)
            .collect()
    }

    /// Every written field with its value.
    pub fn values(&self) -> Map<String, Value> {
        self.fields
            .iter()
            .filter_map(|(name, register)| Some((name.clone(), register.value()?.clone())))
            .collect()
    }

    /// Every value kept as a conflict, field by field.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut conflicts = Vec::new();
        for (name, register) in &self.fields {
            if let Some(kept) = register.winner() {
                conflicts.extend(register.losers().map(|lost| Conflict {
                    field: name.clone(),
                    kept: kept.clone(),
                    lost: lost.clone(),
                }));
            }
        }
        let alive = self
            .deleted
            .heads
            .iter()
            .find(|head| head.value == Value::Bool(false));
        if let Some(kept) = alive {
            conflicts.extend(
                self.deleted
                    .heads
                    .iter()
                    .filter(|head| head.value == Value::Bool(true))
                    .map(|lost| Conflict {
                        field: "deleted".to_owned(),
                        kept: kept.clone(),
                        lost: lost.clone(),
                    }),
            );
        }
        conflicts
    }

    /// Marks, after `write` froze the record, the values it wrote as the
    /// record's for good, whatever raced them; the racing heads stay, as
    /// conflicts. A freezing write carries every field (the office refuses
    /// one that does not: [`super::rules::check_freezing`]), so what was
    /// issued is exactly what the record keeps.
    pub fn pin(&mut self, write: &Write<'_>) {
        for name in write.fields.keys() {
            if let Some(register) = self.fields.get_mut(name) {
                for head in &mut register.heads {
                    if head.hlc == write.hlc && head.device == write.device {
                        head.pinned = true;
                    }
                }
                register.sort();
            }
        }
    }

    /// The highest sequence number among the heads.
    pub fn last_seq(&self) -> u64 {
        self.fields
            .values()
            .chain(std::iter::once(&self.deleted))
            .flat_map(|register| register.heads.iter())
            .map(|head| head.seq)
            .filter(|seq| *seq != PENDING)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn device(n: u128) -> DeviceId {
        DeviceId(Uuid::from_u128(n))
    }

    fn fields(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    fn edit<'a>(hlc: u64, dev: u128, seen: u64, fields: &'a Map<String, Value>) -> Write<'a> {
        Write {
            hlc: Hlc(hlc),
            device: device(dev),
            seen,
            fields,
            deleted: false,
        }
    }

    fn delete(hlc: u64, dev: u128, seen: u64) -> Write<'static> {
        static NONE: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        Write {
            hlc: Hlc(hlc),
            device: device(dev),
            seen,
            fields: NONE.get_or_init(Map::new),
            deleted: true,
        }
    }

    #[test]
    fn an_edit_that_saw_the_value_replaces_it_without_a_conflict() {
        let mut state = RecordState::default();
        let first = fields(&[("purpose", json!("Core visit"))]);
        state.apply(&edit(10, 1, 0, &first), 1);
        // Device 2 pulled seq 1, then edited: its clock may even be behind.
        let second = fields(&[("purpose", json!("Core visit: phonics"))]);
        state.apply(&edit(5, 2, 1, &second), 2);
        assert_eq!(state.value("purpose"), Some(&json!("Core visit: phonics")));
        assert!(state.conflicts().is_empty());
    }

    #[test]
    fn concurrent_edits_keep_the_later_value_and_the_other_as_a_conflict() {
        let base = fields(&[("notes", json!("start"))]);
        let a = fields(&[("notes", json!("from Priya"))]);
        let b = fields(&[("notes", json!("from Margaret"))]);
        let run = |order: &[usize]| {
            let mut state = RecordState::default();
            state.apply(&edit(1, 1, 0, &base), 1);
            let writes = [edit(20, 1, 1, &a), edit(30, 2, 1, &b)];
            for (seq, index) in order.iter().enumerate() {
                state.apply(&writes[*index], seq as u64 + 2);
            }
            state
        };
        for state in [run(&[0, 1]), run(&[1, 0])] {
            assert_eq!(state.value("notes"), Some(&json!("from Margaret")));
            let conflicts = state.conflicts();
            assert_eq!(conflicts.len(), 1);
            assert_eq!(conflicts[0].field, "notes");
            assert_eq!(conflicts[0].lost.value, json!("from Priya"));
        }
    }

    #[test]
    fn an_edit_after_seeing_a_conflict_resolves_it() {
        let a = fields(&[("notes", json!("a"))]);
        let b = fields(&[("notes", json!("b"))]);
        let resolved = fields(&[("notes", json!("a and b"))]);
        let mut state = RecordState::default();
        state.apply(&edit(20, 1, 0, &a), 1);
        state.apply(&edit(30, 2, 0, &b), 2);
        assert_eq!(state.conflicts().len(), 1);
        state.apply(&edit(40, 3, 2, &resolved), 3);
        assert_eq!(state.value("notes"), Some(&json!("a and b")));
        assert!(state.conflicts().is_empty());
    }

    #[test]
    fn a_device_never_conflicts_with_its_own_earlier_writes() {
        let first = fields(&[("notes", json!("draft"))]);
        let second = fields(&[("notes", json!("final"))]);
        let mut state = RecordState::default();
        // Both written offline, before any pull: seen is 0 for both.
        state.apply(&edit(10, 1, 0, &first), 1);
        state.apply(&edit(11, 1, 0, &second), 2);
        assert_eq!(state.value("notes"), Some(&json!("final")));
        assert!(state.conflicts().is_empty());
    }

    #[test]
    fn the_same_values_written_concurrently_are_no_conflict() {
        let figure = fields(&[("school", json!(61.0))]);
        let mut state = RecordState::default();
        state.apply(&edit(10, 1, 0, &figure), 1);
        state.apply(&edit(12, 2, 0, &figure), 2);
        assert_eq!(state.fields["school"].heads().len(), 2);
        assert!(state.conflicts().is_empty());
    }

    #[test]
    fn a_delete_racing_an_edit_keeps_the_record_with_a_conflict_in_either_order() {
        let created = fields(&[("text", json!("Review the phonics scheme"))]);
        let edited = fields(&[("text", json!("Review the phonics scheme by Easter"))]);
        for delete_first in [true, false] {
            let mut state = RecordState::default();
            state.apply(&edit(10, 1, 0, &created), 1);
            let writes = [delete(20, 1, 1), edit(15, 2, 1, &edited)];
            let order = if delete_first { [0, 1] } else { [1, 0] };
            for (index, which) in order.iter().enumerate() {
                state.apply(&writes[*which], index as u64 + 2);
            }
            assert!(!state.is_deleted(), "a racing delete must not win silently");
            let conflicts = state.conflicts();
            assert_eq!(conflicts.len(), 1);
            assert_eq!(conflicts[0].field, "deleted");
            assert_eq!(conflicts[0].lost.device, device(1));
            assert_eq!(
                state.value("text"),
                Some(&json!("Review the phonics scheme by Easter"))
            );
        }
    }

    #[test]
    fn a_delete_that_saw_everything_deletes_and_only_a_knowing_edit_restores() {
        let created = fields(&[("text", json!("Action"))]);
        let mut state = RecordState::default();
        state.apply(&edit(10, 1, 0, &created), 1);
        state.apply(&delete(20, 2, 1), 2);
        assert!(state.is_deleted());
        assert!(state.conflicts().is_empty());
        // An edit from a device that never saw the delete: a conflict, alive.
        let mut raced = state.clone();
        raced.apply(&edit(30, 3, 1, &created), 3);
        assert!(!raced.is_deleted());
        assert_eq!(raced.conflicts().len(), 1);
        // A restore by a device that saw the delete: alive, no conflict.
        state.apply(&edit(30, 3, 2, &created), 3);
        assert!(!state.is_deleted());
        assert!(state.conflicts().is_empty());
    }

    #[test]
    fn the_freezing_write_keeps_its_values_against_a_later_clock() {
        let draft = fields(&[
            ("body", json!("Dear Mrs Okafor")),
            ("status", json!("draft")),
        ]);
        let late = fields(&[("body", json!("Dear Mrs Okafor, edited"))]);
        let issue = fields(&[
            ("body", json!("Dear Mrs Okafor")),
            ("status", json!("issued")),
        ]);
        let mut state = RecordState::default();
        state.apply(&edit(10, 1, 0, &draft), 1);
        // Device 2's edit (a fast clock) reaches the office first...
        state.apply(&edit(90, 2, 1, &late), 2);
        // ...then device 1 issues the letter as it drafted it, not having seen it.
        let issuing = edit(20, 1, 1, &issue);
        state.apply(&issuing, 3);
        state.pin(&issuing);
        assert_eq!(state.value("body"), Some(&json!("Dear Mrs Okafor")));
        assert_eq!(state.value("status"), Some(&json!("issued")));
        let conflicts = state.conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].lost.value, json!("Dear Mrs Okafor, edited"));
    }

    #[test]
    fn states_read_back_from_json_as_written() {
        let values = fields(&[("notes", json!({"quality": "good"}))]);
        let mut state = RecordState::default();
        state.apply(&edit(10, 1, 0, &values), 7);
        let text = serde_json::to_string(&state).expect("serializes");
        let read: RecordState = serde_json::from_str(&text).expect("parses");
        assert_eq!(read, state);
        assert_eq!(read.last_seq(), 7);
    }
}

//! What a write transaction writes, worked out without a database.
//!
//! Each backend loads what a request needs (the records an operation
//! names, the groups of the meetings it writes, the sender's caseload, the
//! counters), hands it here, and writes the [`Writes`] that come back in the
//! same transaction. So the merge, scope and freezing rules live once, above
//! both backends, and neither knows the other exists.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use caseload_core::msp::{Member, MemberRole};
use caseload_core::record::{self, EntityDef};
use caseload_core::sync::rules::{scope_field, scope_of};
use caseload_core::sync::{
    check_freezing, check_operation, frozen, OpResult, Operation, Outcome, RecordState, Refusal,
    RefusalReason, Scope, Withdrawal, WithdrawnScope, Write,
};
use caseload_core::{Adviser, AdviserId, AdviserRole, DeviceId, Hlc, HlcClock, School, Urn};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::access::{group_members, may_write, Sender};

/// A record's type and key.
pub type RecordId = (String, String);

/// One record as the office keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub entity: &'static EntityDef,
    pub key: String,
    /// The sequence number of its latest change.
    pub seq: u64,
    pub state: RecordState,
}

/// The scope columns a record is filed under, which pulls filter on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeColumns {
    pub urn: Option<i64>,
    pub adviser: Option<String>,
    pub msp_group: Option<String>,
}

impl StoredRecord {
    pub fn id(&self) -> RecordId {
        (self.entity.name.to_owned(), self.key.clone())
    }

    pub fn scope(&self) -> Option<Scope> {
        scope_of(self.entity, &self.key, &self.state.values())
            .ok()
            .flatten()
    }

    pub fn scope_columns(&self) -> ScopeColumns {
        match self.scope() {
            Some(Scope::School(urn)) => ScopeColumns {
                urn: Some(i64::from(urn.0)),
                ..ScopeColumns::default()
            },
            Some(Scope::Adviser(adviser)) => ScopeColumns {
                adviser: Some(adviser.to_string()),
                ..ScopeColumns::default()
            },
            Some(Scope::MspGroup(group)) => ScopeColumns {
                msp_group: Some(group.to_string()),
                ..ScopeColumns::default()
            },
            None => ScopeColumns::default(),
        }
    }
}

/// The office's own counters, read and written in every write transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    /// The last sequence number given out.
    pub last_seq: u64,
    /// The office's device id, on the values it writes itself.
    pub device: DeviceId,
    /// The office clock's last stamp.
    pub hlc: Hlc,
}

/// Everything one transaction writes besides the counters.
#[derive(Debug, Default)]
pub struct Writes {
    /// Records to insert or replace.
    pub records: BTreeMap<RecordId, StoredRecord>,
    /// Writes applied, pushed or the office's own, each kept in its audit log.
    pub applied: Vec<AppliedOp>,
    /// Scopes whose records get new sequence numbers, after `records` are
    /// written: a newly linked adviser or new group member pulls them.
    pub touch: BTreeSet<Scope>,
    /// Each written MSP group's members (replacing what was kept).
    pub msp_members: BTreeMap<Uuid, BTreeSet<Uuid>>,
    /// Link-SIA assignments to set (None: the school has none).
    pub assignments: BTreeMap<Urn, Option<AdviserId>>,
    /// Scopes accounts lose: a school's former link SIA, a group's former
    /// members. Each has its own sequence number, so the account's devices
    /// pull it in order among the changes.
    pub withdrawals: Vec<(AdviserId, Withdrawal)>,
}

/// A write as the office applied it, pushed by a device or made by the
/// office itself: a line of its audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedOp {
    /// As pushed; for the office's own write, as the office made it (a
    /// new id, the office's device, stamp and values).
    pub op: Operation,
    pub seq: u64,
    pub author: Author,
    /// The values the fields it wrote had just before (every value, for a
    /// delete); null where the field had none.
    pub before: Map<String, Value>,
    /// When the office applied it, in milliseconds since the Unix epoch.
    pub applied_at_millis: u64,
}

/// Who made a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// The account whose device pushed it.
    Account(AdviserId),
    /// The office itself, at an administrator's command (`import schools`,
    /// `adviser assign`, ...): the office's CLI knows no person, and its
    /// device belongs to no account.
    Office(&'static str),
}

/// The values the fields a write names had in `state` (every value, for a
/// delete): what the audit log says it changed from.
fn values_before(state: Option<&RecordState>, write: &Write<'_>) -> Map<String, Value> {
    let Some(state) = state else {
        return write
            .fields
            .keys()
            .map(|name| (name.clone(), Value::Null))
            .collect();
    };
    if write.deleted {
        return state.values();
    }
    write
        .fields
        .keys()
        .map(|name| {
            (
                name.clone(),
                state.value(name).cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// A write transaction being planned: the counters and the writes so far.
#[derive(Debug)]
pub struct Batch {
    pub counters: Counters,
    pub writes: Writes,
    clock: HlcClock,
    now_millis: u64,
}

impl Batch {
    pub fn new(counters: Counters, now_millis: u64) -> Batch {
        Batch {
            counters,
            writes: Writes::default(),
            clock: HlcClock::resume(counters.hlc),
            now_millis,
        }
    }

    fn next_seq(&mut self) -> u64 {
        self.counters.last_seq += 1;
        self.counters.last_seq
    }

    /// The counters and the writes, once planning is over.
    pub fn finish(mut self) -> (Counters, Writes) {
        self.counters.hlc = self.clock.last();
        (self.counters, self.writes)
    }

    /// Records `after` (which replaces `before`) and what follows from it:
    /// an MSP group's members, a school's link SIA, and the records that
    /// newly reach someone because of them.
    fn put(&mut self, before: Option<&RecordState>, after: StoredRecord) {
        if after.entity.name == record::MSP_GROUP.name {
            if let Ok(group) = Uuid::parse_str(&after.key) {
                let members = group_members(&after.state);
                let former = before.map(group_members).unwrap_or_default();
                if before.is_none() || former != members {
                    self.writes.touch.insert(Scope::MspGroup(group));
                }
                for member in former.difference(&members) {
                    self.withdraw(AdviserId(*member), WithdrawnScope::MspGroup { group });
                }
                self.writes.msp_members.insert(group, members);
            }
        }
        if after.entity.name == record::SCHOOL.name {
            if let Ok(urn) = after.key.parse::<u32>() {
                let link = link_sia(&after.state);
                let former = before.and_then(link_sia);
                if before.is_none() || former != link {
                    self.writes.assignments.insert(Urn(urn), link);
                    if link.is_some() {
                        self.writes.touch.insert(Scope::School(Urn(urn)));
                    }
                    if let Some(former) = former {
                        self.withdraw(former, WithdrawnScope::School { urn: Urn(urn) });
                    }
                }
            }
        }
        self.writes.records.insert(after.id(), after);
    }

    /// `account` loses `scope`, as the next sequence number.
    fn withdraw(&mut self, account: AdviserId, scope: WithdrawnScope) {
        let seq = self.next_seq();
        self.writes
            .withdrawals
            .push((account, Withdrawal { seq, scope }));
    }

    /// A write by the office itself (an import, an account, an assignment)
    /// at the administrator's `command`, kept in the audit log with the
    /// values it replaced. It has seen every value there is, so it
    /// supersedes them all.
    pub fn office_write(
        &mut self,
        existing: Option<&StoredRecord>,
        entity: &'static EntityDef,
        key: &str,
        fields: Map<String, Value>,
        command: &'static str,
    ) -> StoredRecord {
        let seq = self.next_seq();
        let op = Operation {
            op_id: Uuid::now_v7(),
            entity: entity.name.to_owned(),
            key: key.to_owned(),
            hlc: self.clock.tick(self.now_millis),
            device: self.counters.device,
            seen: seq - 1,
            fields,
            deleted: false,
        };
        let mut state = existing
            .map(|record| record.state.clone())
            .unwrap_or_default();
        let write = op.write();
        let before = values_before(existing.map(|record| &record.state), &write);
        state.apply(&write, seq);
        self.writes.applied.push(AppliedOp {
            op,
            seq,
            author: Author::Office(command),
            before,
            applied_at_millis: self.now_millis,
        });
        let record = StoredRecord {
            entity,
            key: key.to_owned(),
            seq,
            state,
        };
        self.put(existing.map(|record| &record.state), record.clone());
        record
    }
}

fn link_sia(school: &RecordState) -> Option<AdviserId> {
    school
        .value("link_sia")
        .and_then(Value::as_str)
        .and_then(|text| Uuid::parse_str(text).ok())
        .map(AdviserId)
}

/// The records a batch of operations names.
pub fn records_named(ops: &[Operation]) -> BTreeSet<RecordId> {
    ops.iter()
        .map(|op| (op.entity.clone(), op.key.clone()))
        .collect()
}

/// The MSP groups whose members decide whether the batch's meeting
/// operations are in scope: named by the operation, or by the stored record.
pub fn groups_named(
    ops: &[Operation],
    loaded: &HashMap<RecordId, StoredRecord>,
) -> BTreeSet<RecordId> {
    let mut groups = BTreeSet::new();
    for op in ops {
        let Some(entity) = record::entity(&op.entity) else {
            continue;
        };
        if !matches!(entity.scope, record::ScopeKey::MspGroup(_)) {
            continue;
        }
        let field = scope_field(entity);
        let stored = loaded
            .get(&(op.entity.clone(), op.key.clone()))
            .and_then(|record| record.state.value(field).cloned());
        for value in [op.fields.get(field).cloned(), stored]
            .into_iter()
            .flatten()
        {
            if let Some(group) = value.as_str() {
                groups.insert((record::MSP_GROUP.name.to_owned(), group.to_owned()));
            }
        }
    }
    groups
}

/// What a push needs besides the operations, loaded by the backend.
#[derive(Debug, Default)]
pub struct PushContext {
    /// The records the operations name and the MSP groups of their
    /// meetings, as stored; absent ones are new.
    pub records: HashMap<RecordId, StoredRecord>,
    /// Operations among the batch's ids applied before, with their numbers.
    pub applied: HashMap<Uuid, u64>,
    /// The schools the sender is link SIA for.
    pub caseload: BTreeSet<Urn>,
}

/// Applies a batch of operations from `sender`: each at most once, in order,
/// each refused on its own without stopping the rest.
pub fn plan_push(
    sender: &Sender,
    mut context: PushContext,
    ops: &[Operation],
    batch: &mut Batch,
) -> Vec<OpResult> {
    ops.iter()
        .map(|op| OpResult {
            op_id: op.op_id,
            outcome: push_one(sender, &mut context, op, batch),
        })
        .collect()
}

fn refused(reason: RefusalReason, message: impl Into<String>) -> Outcome {
    Outcome::Refused(Refusal::new(reason, message))
}

fn push_one(
    sender: &Sender,
    context: &mut PushContext,
    op: &Operation,
    batch: &mut Batch,
) -> Outcome {
    if let Some(seq) = context.applied.get(&op.op_id) {
        return Outcome::Duplicate { seq: *seq };
    }
    let entity = match check_operation(op) {
        Ok(entity) => entity,
        Err(refusal) => return Outcome::Refused(refusal),
    };
    if op.device != sender.device {
        return refused(
            RefusalReason::Invalid,
            format!(
                "the operation names device {}, not the device that sent it",
                op.device
            ),
        );
    }
    if sender.role == AdviserRole::Admin {
        return refused(
            RefusalReason::OutOfScope,
            "an administrator's device holds no caseload and writes no records",
        );
    }
    if let Some(message) = office_owned(entity, op) {
        return refused(RefusalReason::OfficeOwned, message);
    }
    let id = (entity.name.to_owned(), op.key.clone());
    let before = context.records.get(&id).cloned();
    if let Some(before) = &before {
        if let Some(message) = frozen(entity, &before.state.values()) {
            return refused(RefusalReason::Frozen, message);
        }
    }
    let seq = batch.counters.last_seq + 1;
    let mut state = before
        .as_ref()
        .map(|record| record.state.clone())
        .unwrap_or_default();
    let write = op.write();
    let replaced = values_before(before.as_ref().map(|record| &record.state), &write);
    state.apply(&write, seq);
    let values = state.values();
    if frozen(entity, &values).is_some() {
        if let Err(refusal) = check_freezing(entity, op) {
            return Outcome::Refused(refusal);
        }
        state.pin(&write);
    }
    let after = match scope_of(entity, &op.key, &values) {
        Ok(Some(scope)) => scope,
        Ok(None) => {
            return refused(
                RefusalReason::Invalid,
                format!("a {} must name its {}", entity.name, scope_field(entity)),
            )
        }
        Err(refusal) => return Outcome::Refused(refusal),
    };
    let records = &context.records;
    let members = |group: Uuid| {
        records
            .get(&(record::MSP_GROUP.name.to_owned(), group.to_string()))
            .filter(|record| record.state.exists() && !record.state.is_deleted())
            .map(|record| group_members(&record.state))
    };
    let before_scope = before.as_ref().and_then(StoredRecord::scope);
    for scope in before_scope.into_iter().chain([after]) {
        if let Err(refusal) = may_write(sender, scope, &context.caseload, members) {
            return Outcome::Refused(refusal);
        }
    }
    let seq = batch.next_seq();
    let record = StoredRecord {
        entity,
        key: op.key.clone(),
        seq,
        state,
    };
    batch.put(before.as_ref().map(|record| &record.state), record.clone());
    context.records.insert(id, record);
    context.applied.insert(op.op_id, seq);
    batch.writes.applied.push(AppliedOp {
        op: op.clone(),
        seq,
        author: Author::Account(sender.adviser),
        before: replaced,
        applied_at_millis: batch.now_millis,
    });
    Outcome::Applied { seq }
}

/// Why only the office may make this write, if so.
fn office_owned(entity: &EntityDef, op: &Operation) -> Option<&'static str> {
    if entity.name == record::ADVISER.name {
        Some("adviser accounts are kept by the office: ask the office administrator")
    } else if entity.name == record::SCHOOL.name && op.deleted {
        Some("the school list is kept by the office: a school cannot be deleted from a device")
    } else if entity.name == record::SCHOOL.name && op.fields.contains_key("link_sia") {
        Some("link-SIA assignments are made by the office: ask the office administrator")
    } else {
        None
    }
}

/// An adviser's directory record, written when the account is made.
pub fn plan_adviser(adviser: &Adviser, existing: Option<&StoredRecord>, batch: &mut Batch) {
    let mut fields = Map::new();
    fields.insert("name".to_owned(), Value::from(adviser.name.clone()));
    fields.insert("email".to_owned(), Value::from(adviser.email.clone()));
    fields.insert(
        "role".to_owned(),
        serde_json::to_value(adviser.role).unwrap_or(Value::Null),
    );
    batch.office_write(
        existing,
        &record::ADVISER,
        &adviser.id.to_string(),
        fields,
        "adviser add",
    );
}

/// Sets (or clears) a school's link SIA, at the administrator's `command`,
/// and gives the link SIA's seat on the school's open MSP groups (among
/// `groups`, as stored) to the new one, in the same transaction: the strategy
/// puts the link SIA on the group, so the former one stops receiving its
/// confidential meetings and the new one starts.
pub fn plan_link(
    school: &StoredRecord,
    adviser: Option<&Adviser>,
    groups: &[StoredRecord],
    command: &'static str,
    batch: &mut Batch,
) {
    let former = link_sia(&school.state);
    let now = adviser.map(|adviser| adviser.id);
    let mut fields = Map::new();
    fields.insert(
        "link_sia".to_owned(),
        now.map_or(Value::Null, |adviser| Value::from(adviser.to_string())),
    );
    batch.office_write(Some(school), &record::SCHOOL, &school.key, fields, command);
    if former == now {
        return;
    }
    for group in groups.iter().filter(|group| open_group_of(group, school)) {
        if let Some(members) = members_following_link(&group.state, former, adviser) {
            let mut fields = Map::new();
            fields.insert("members".to_owned(), Value::Array(members));
            batch.office_write(Some(group), &record::MSP_GROUP, &group.key, fields, command);
        }
    }
}

/// Whether `group` is an open MSP group of `school`. A closed
/// group is left as it stands: its members are the record of who sat on it
/// when its minutes were taken, and those minutes stay with the people who
/// were there rather than pass to a link SIA who never attended.
fn open_group_of(group: &StoredRecord, school: &StoredRecord) -> bool {
    group.state.exists()
        && !group.state.is_deleted()
        && group.scope().is_some()
        && group.scope() == school.scope()
        && group.state.value("closed").is_none_or(Value::is_null)
}

/// A group's member list with the link SIA's seat moved from `former` to
/// `now`, or None when it already stands so. The former link SIA's entry
/// goes, unless they chair the group: then they stay, as chair, without
/// the link SIA's part. The new link SIA takes the former's place in the
/// list, or gains the part if already listed. Other members' entries are
/// kept as the devices wrote them.
fn members_following_link(
    group: &RecordState,
    former: Option<AdviserId>,
    now: Option<&Adviser>,
) -> Option<Vec<Value>> {
    let before = group
        .value("members")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let chair = group
        .value("chair")
        .and_then(Value::as_str)
        .and_then(|text| Uuid::parse_str(text).ok());
    let mut members = before.clone();
    let listed = |members: &[Value], id: Uuid| {
        members.iter().position(|member| {
            member.get("id").and_then(Value::as_str) == Some(id.to_string().as_str())
        })
    };
    let mut seat = members.len();
    if let Some(at) = former.and_then(|former| listed(&members, former.0)) {
        if chair.is_some() && chair == former.map(|former| former.0) {
            set_role(&mut members[at], MemberRole::LinkSia, false);
            if roles_of(&members[at]).is_empty() {
                set_role(&mut members[at], MemberRole::Chair, true);
            }
        } else {
            members.remove(at);
            seat = at;
        }
    }
    if let Some(adviser) = now {
        match listed(&members, adviser.id.0) {
            Some(at) => set_role(&mut members[at], MemberRole::LinkSia, true),
            None => {
                let member = Member {
                    id: adviser.id.0,
                    name: adviser.name.clone(),
                    roles: vec![MemberRole::LinkSia],
                    organisation: None,
                    email: Some(adviser.email.clone()),
                };
                members.insert(
                    seat.min(members.len()),
                    serde_json::to_value(member).unwrap_or(Value::Null),
                );
            }
        }
    }
    (members != before).then_some(members)
}

fn roles_of(member: &Value) -> Vec<Value> {
    member
        .get("roles")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Gives `member` the part `role` (`held`) or takes it away.
fn set_role(member: &mut Value, role: MemberRole, held: bool) {
    let role = serde_json::to_value(role).unwrap_or(Value::Null);
    let mut roles = roles_of(member);
    if held == roles.contains(&role) {
        return;
    }
    if held {
        roles.push(role);
    } else {
        roles.retain(|part| part != &role);
    }
    if let Some(member) = member.as_object_mut() {
        member.insert("roles".to_owned(), Value::Array(roles));
    }
}

/// The command an import's writes are logged under.
const IMPORT_SCHOOLS: &str = "import schools";

/// What a school-list import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Writes the fields GIAS owns, leaving alone any field whose value is an
/// adviser's edit (written by a device, not by the office) and the link SIA.
pub fn plan_import(
    schools: &[School],
    existing: &HashMap<String, StoredRecord>,
    batch: &mut Batch,
) -> ImportReport {
    let mut report = ImportReport::default();
    for school in schools {
        let Ok(Value::Object(mut values)) = serde_json::to_value(school) else {
            continue;
        };
        let key = school.urn.0.to_string();
        let stored = existing.get(&key).filter(|record| record.state.exists());
        let office = batch.counters.device;
        let fields: Map<String, Value> = School::GIAS_FIELDS
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), values.remove(*name)?)))
            .filter(
                |(name, value)| match stored.and_then(|record| record.state.fields.get(name)) {
                    None => true,
                    Some(register) => register
                        .winner()
                        .is_none_or(|winner| winner.device == office && &winner.value != value),
                },
            )
            .collect();
        match (stored, fields.is_empty()) {
            (_, true) => report.unchanged += 1,
            (None, false) => {
                report.added += 1;
                batch.office_write(
                    existing.get(&key),
                    &record::SCHOOL,
                    &key,
                    fields,
                    IMPORT_SCHOOLS,
                );
            }
            (Some(stored), false) => {
                report.updated += 1;
                batch.office_write(Some(stored), &record::SCHOOL, &key, fields, IMPORT_SCHOOLS);
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use caseload_core::sync::Outcome;
    use serde_json::json;

    use super::*;

    const OFFICE: DeviceId = DeviceId(Uuid::from_u128(0xff));

    fn batch() -> Batch {
        Batch::new(
            Counters {
                last_seq: 0,
                device: OFFICE,
                hlc: Hlc(0),
            },
            1_000,
        )
    }

    fn link_sia() -> Sender {
        Sender {
            device: DeviceId(Uuid::from_u128(1)),
            adviser: AdviserId(Uuid::from_u128(2)),
            role: AdviserRole::LinkSia,
        }
    }

    fn adviser(id: u128, name: &str) -> Adviser {
        Adviser {
            id: AdviserId(Uuid::from_u128(id)),
            name: name.to_owned(),
            email: format!("{id}@fenbridge.example"),
            role: AdviserRole::LinkSia,
        }
    }

    fn op(sender: &Sender, entity: &str, key: &str, fields: Value) -> Operation {
        Operation {
            op_id: Uuid::now_v7(),
            entity: entity.to_owned(),
            key: key.to_owned(),
            hlc: Hlc(10),
            device: sender.device,
            seen: 0,
            fields: fields.as_object().cloned().unwrap_or_default(),
            deleted: false,
        }
    }

    #[test]
    fn a_batch_applies_what_it_may_and_refuses_the_rest_once_each() {
        let sender = link_sia();
        let context = PushContext {
            caseload: BTreeSet::from([Urn(990001)]),
            ..PushContext::default()
        };
        let mine = op(
            &sender,
            "visit",
            "v1",
            json!({"urn": 990001, "purpose": "Core"}),
        );
        let theirs = op(
            &sender,
            "visit",
            "v2",
            json!({"urn": 990002, "purpose": "Core"}),
        );
        let ops = vec![mine.clone(), theirs, mine];
        let mut batch = batch();
        let results = plan_push(&sender, context, &ops, &mut batch);
        assert_eq!(results[0].outcome, Outcome::Applied { seq: 1 });
        assert!(matches!(
            &results[1].outcome,
            Outcome::Refused(Refusal {
                reason: RefusalReason::OutOfScope,
                ..
            })
        ));
        assert_eq!(results[2].outcome, Outcome::Duplicate { seq: 1 });
        let (counters, writes) = batch.finish();
        assert_eq!(counters.last_seq, 1);
        assert_eq!(writes.records.len(), 1);
        assert_eq!(writes.applied.len(), 1);
    }

    #[test]
    fn an_issued_letter_refuses_every_later_write() {
        let sender = link_sia();
        let mut fields: Map<String, Value> = record::LETTER
            .fields
            .iter()
            .map(|field| (field.name.to_owned(), Value::Null))
            .collect();
        fields.insert("urn".to_owned(), json!(990001));
        fields.insert("status".to_owned(), json!("issued"));
        let issue = op(&sender, "letter", "l1", Value::Object(fields));
        let edit = op(&sender, "letter", "l1", json!({"body": "changed"}));
        let context = PushContext {
            caseload: BTreeSet::from([Urn(990001)]),
            ..PushContext::default()
        };
        let results = plan_push(&sender, context, &[issue, edit], &mut batch());
        assert_eq!(results[0].outcome, Outcome::Applied { seq: 1 });
        assert!(matches!(
            &results[1].outcome,
            Outcome::Refused(Refusal {
                reason: RefusalReason::Frozen,
                ..
            })
        ));
    }

    #[test]
    fn issuing_without_the_whole_letter_is_refused() {
        let sender = link_sia();
        let issue = op(
            &sender,
            "letter",
            "l1",
            json!({"urn": 990001, "status": "issued"}),
        );
        let context = PushContext {
            caseload: BTreeSet::from([Urn(990001)]),
            ..PushContext::default()
        };
        let results = plan_push(&sender, context, &[issue], &mut batch());
        assert!(matches!(
            &results[0].outcome,
            Outcome::Refused(Refusal { reason: RefusalReason::Invalid, message }) if message.contains("missing")
        ));
    }

    #[test]
    fn devices_cannot_assign_link_sias_or_write_accounts() {
        let sender = Sender {
            role: AdviserRole::SeniorSia,
            ..link_sia()
        };
        let assign = op(
            &sender,
            "school",
            "990001",
            json!({"link_sia": Uuid::from_u128(2).to_string()}),
        );
        let account = op(
            &sender,
            "adviser",
            &Uuid::from_u128(2).to_string(),
            json!({"role": "admin"}),
        );
        let results = plan_push(
            &sender,
            PushContext::default(),
            &[assign, account],
            &mut batch(),
        );
        for result in results {
            assert!(matches!(
                result.outcome,
                Outcome::Refused(Refusal {
                    reason: RefusalReason::OfficeOwned,
                    ..
                })
            ));
        }
    }

    #[test]
    fn linking_a_school_files_the_assignment_and_renumbers_its_records() {
        let mut batch = batch();
        let school = batch.office_write(None, &record::SCHOOL, "990001", Map::new(), "test");
        let adviser = adviser(2, "Priya Raman");
        plan_link(&school, Some(&adviser), &[], "adviser assign", &mut batch);
        let (_, writes) = batch.finish();
        assert_eq!(
            writes.assignments.get(&Urn(990001)),
            Some(&Some(adviser.id))
        );
        assert!(writes.touch.contains(&Scope::School(Urn(990001))));
    }

    #[test]
    fn reassigning_a_school_withdraws_it_from_its_former_link_sia_after_its_change() {
        let mut batch = batch();
        let school = batch.office_write(None, &record::SCHOOL, "990001", Map::new(), "test");
        let (first, second) = (adviser(2, "Priya Raman"), adviser(3, "Sam Whitfield"));
        plan_link(&school, Some(&first), &[], "adviser assign", &mut batch);
        assert!(batch.writes.withdrawals.is_empty());
        let linked = batch.writes.records[&school.id()].clone();
        plan_link(&linked, Some(&second), &[], "adviser assign", &mut batch);
        let (first, second) = (first.id, second.id);
        let (counters, writes) = batch.finish();
        let reassigned = &writes.records[&school.id()];
        assert_eq!(
            writes.withdrawals,
            vec![(
                first,
                Withdrawal {
                    seq: reassigned.seq + 1,
                    scope: WithdrawnScope::School { urn: Urn(990001) }
                }
            )]
        );
        assert_eq!(counters.last_seq, reassigned.seq + 1);
        assert_eq!(writes.assignments.get(&Urn(990001)), Some(&Some(second)));
    }

    #[test]
    fn a_member_left_off_a_group_loses_its_meetings_and_the_others_keep_them() {
        let (chair, kept, dropped) = (Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4));
        let group = Uuid::from_u128(9);
        let members = |ids: &[Uuid]| {
            let mut fields = Map::new();
            fields.insert("urn".to_owned(), json!(990001));
            fields.insert("chair".to_owned(), json!(chair.to_string()));
            fields.insert(
                "members".to_owned(),
                Value::Array(
                    ids.iter()
                        .map(|id| json!({"id": id.to_string(), "name": "Member"}))
                        .collect(),
                ),
            );
            fields
        };
        let mut batch = batch();
        let key = group.to_string();
        let made = batch.office_write(
            None,
            &record::MSP_GROUP,
            &key,
            members(&[kept, dropped]),
            "test",
        );
        assert!(batch.writes.withdrawals.is_empty());
        batch.office_write(
            Some(&made),
            &record::MSP_GROUP,
            &key,
            members(&[kept]),
            "test",
        );
        let (_, writes) = batch.finish();
        let withdrawn: Vec<_> = writes
            .withdrawals
            .iter()
            .map(|(account, withdrawal)| (account.0, withdrawal.scope))
            .collect();
        assert_eq!(
            withdrawn,
            vec![(dropped, WithdrawnScope::MspGroup { group })]
        );
    }

    #[test]
    fn an_import_leaves_an_advisers_edit_alone() {
        let sender = link_sia();
        let mut batch = batch();
        let mut school = caseload_core::samples::school();
        let key = school.urn.0.to_string();
        let report = plan_import(std::slice::from_ref(&school), &HashMap::new(), &mut batch);
        assert_eq!(report.added, 1);
        let mut stored = batch
            .writes
            .records
            .values()
            .next()
            .cloned()
            .expect("written");
        // The link SIA corrects the telephone number on their device.
        let correction = op(
            &sender,
            "school",
            &key,
            json!({"telephone": "01632 960 999"}),
        );
        stored.state.apply(
            &Operation {
                seen: stored.seq,
                ..correction
            }
            .write(),
            2,
        );
        let existing = HashMap::from([(stored.key.clone(), stored)]);
        school.telephone = Some("01632 960 000".to_owned());
        school.name = "Renamed Primary".to_owned();
        let report = plan_import(&[school], &existing, &mut batch);
        assert_eq!(report.updated, 1);
        let written = &batch.writes.records[&("school".to_owned(), key)];
        assert_eq!(
            written.state.value("telephone"),
            Some(&json!("01632 960 999"))
        );
        assert_eq!(written.state.value("name"), Some(&json!("Renamed Primary")));
    }

    #[test]
    fn the_offices_writes_are_logged_with_what_they_replaced_and_a_same_import_with_none() {
        let mut batch = batch();
        let school = caseload_core::samples::school();
        plan_import(std::slice::from_ref(&school), &HashMap::new(), &mut batch);
        let stored = batch
            .writes
            .records
            .values()
            .next()
            .cloned()
            .expect("written");
        let imported = &batch.writes.applied[0];
        assert_eq!(imported.author, Author::Office("import schools"));
        assert_eq!(imported.before.get("name"), Some(&Value::Null));
        assert_eq!(imported.op.fields.get("name"), Some(&json!(school.name)));

        plan_link(
            &stored,
            Some(&adviser(2, "Priya Raman")),
            &[],
            "adviser assign",
            &mut batch,
        );
        let assigned = &batch.writes.applied[1];
        assert_eq!(assigned.author, Author::Office("adviser assign"));
        assert_eq!(
            assigned.before,
            json!({"link_sia": null}).as_object().cloned().expect("map")
        );
        assert_eq!(assigned.op.device, OFFICE);

        let existing = HashMap::from([(stored.key.clone(), stored)]);
        let report = plan_import(&[school], &existing, &mut batch);
        assert_eq!(report.unchanged, 1);
        assert_eq!(batch.writes.applied.len(), 2);
    }

    fn member(id: u128, roles: &[&str]) -> Value {
        json!({"id": Uuid::from_u128(id).to_string(), "name": format!("Member {id}"),
               "roles": roles, "organisation": null, "email": null})
    }

    /// A school linked to `link`, and its MSP groups (each chaired by
    /// `chair`, listing `members`, closed or not), as stored.
    fn school_with_groups(
        batch: &mut Batch,
        link: &Adviser,
        chair: u128,
        groups: &[(u128, Vec<Value>, bool)],
    ) -> (StoredRecord, Vec<StoredRecord>) {
        let school = batch.office_write(None, &record::SCHOOL, "990001", Map::new(), "test");
        plan_link(&school, Some(link), &[], "adviser assign", batch);
        let school = batch.writes.records[&school.id()].clone();
        let groups = groups
            .iter()
            .map(|(id, members, closed)| {
                let fields = json!({"urn": 990001, "chair": Uuid::from_u128(chair).to_string(),
                    "members": members, "opened_on": "2026-09-28",
                    "closed": closed.then(|| json!({"on": "2026-12-01", "reason": "Left high support"}))});
                let key = Uuid::from_u128(*id).to_string();
                let fields = fields.as_object().cloned().expect("an object");
                batch.office_write(None, &record::MSP_GROUP, &key, fields, "test")
            })
            .collect();
        batch.writes.withdrawals.clear();
        (school, groups)
    }

    fn members_of(writes: &Writes, group: u128) -> Value {
        let key = (
            record::MSP_GROUP.name.to_owned(),
            Uuid::from_u128(group).to_string(),
        );
        writes.records[&key]
            .state
            .value("members")
            .cloned()
            .unwrap_or(Value::Null)
    }

    #[test]
    fn a_new_link_sia_takes_the_former_ones_seat_on_the_schools_open_group() {
        let (former, new) = (adviser(2, "Priya Raman"), adviser(3, "Sam Whitfield"));
        let mut batch = batch();
        let head = member(7, &["headteacher"]);
        let (school, groups) = school_with_groups(
            &mut batch,
            &former,
            5,
            &[(
                9,
                vec![
                    member(5, &["chair"]),
                    member(2, &["link-sia"]),
                    head.clone(),
                ],
                false,
            )],
        );
        plan_link(&school, Some(&new), &groups, "adviser assign", &mut batch);
        let (_, writes) = batch.finish();
        assert_eq!(
            members_of(&writes, 9),
            json!([member(5, &["chair"]), {"id": new.id.to_string(), "name": "Sam Whitfield",
                   "roles": ["link-sia"], "organisation": null, "email": "3@fenbridge.example"},
                   head])
        );
        let group = Uuid::from_u128(9);
        let withdrawn: Vec<_> = writes
            .withdrawals
            .iter()
            .map(|(account, withdrawal)| (*account, withdrawal.scope))
            .collect();
        assert_eq!(
            withdrawn,
            vec![
                (former.id, WithdrawnScope::School { urn: Urn(990001) }),
                (former.id, WithdrawnScope::MspGroup { group }),
            ]
        );
        assert!(writes.touch.contains(&Scope::MspGroup(group)));
        assert_eq!(
            writes.msp_members[&group],
            BTreeSet::from([Uuid::from_u128(5), new.id.0, Uuid::from_u128(7)])
        );
        let logged = writes.applied.last().expect("the group's write is logged");
        assert_eq!(logged.op.entity, "msp_group");
        assert_eq!(logged.author, Author::Office("adviser assign"));
    }

    #[test]
    fn a_former_link_sia_who_chairs_the_group_stays_its_chair() {
        let (former, new) = (adviser(2, "Priya Raman"), adviser(3, "Sam Whitfield"));
        let mut batch = batch();
        let (school, groups) = school_with_groups(
            &mut batch,
            &former,
            2,
            &[(
                9,
                vec![member(2, &["chair", "link-sia"]), member(3, &["invited"])],
                false,
            )],
        );
        plan_link(&school, Some(&new), &groups, "adviser assign", &mut batch);
        let (_, writes) = batch.finish();
        assert_eq!(
            members_of(&writes, 9),
            json!([member(2, &["chair"]), member(3, &["invited", "link-sia"])])
        );
        assert_eq!(
            writes.withdrawals.len(),
            1,
            "only the school is withdrawn: {:?}",
            writes.withdrawals
        );
    }

    #[test]
    fn a_school_left_without_a_link_sia_leaves_its_group_without_one_and_closed_groups_alone() {
        let former = adviser(2, "Priya Raman");
        let mut batch = batch();
        let listed = vec![member(5, &["chair"]), member(2, &["link-sia"])];
        let (school, groups) = school_with_groups(
            &mut batch,
            &former,
            5,
            &[(9, listed.clone(), false), (8, listed.clone(), true)],
        );
        plan_link(&school, None, &groups, "adviser remove", &mut batch);
        let (_, writes) = batch.finish();
        assert_eq!(members_of(&writes, 9), json!([member(5, &["chair"])]));
        assert_eq!(members_of(&writes, 8), Value::Array(listed));
        let groups_written = writes
            .applied
            .iter()
            .filter(|applied| applied.author == Author::Office("adviser remove"))
            .map(|applied| applied.op.entity.as_str())
            .collect::<Vec<_>>();
        assert_eq!(groups_written, ["school", "msp_group"]);
    }

    #[test]
    fn assigning_the_same_link_sia_again_leaves_the_group_alone() {
        let link = adviser(2, "Priya Raman");
        let mut batch = batch();
        let (school, groups) = school_with_groups(
            &mut batch,
            &link,
            5,
            &[(9, vec![member(5, &["chair"])], false)],
        );
        plan_link(&school, Some(&link), &groups, "adviser assign", &mut batch);
        let (_, writes) = batch.finish();
        assert_eq!(members_of(&writes, 9), json!([member(5, &["chair"])]));
        assert!(writes.withdrawals.is_empty());
    }

    #[test]
    fn a_chair_listed_only_as_link_sia_keeps_the_chairs_part() {
        let mut group = RecordState::default();
        let write = Operation {
            op_id: Uuid::now_v7(),
            entity: "msp_group".to_owned(),
            key: Uuid::from_u128(9).to_string(),
            hlc: Hlc(10),
            device: OFFICE,
            seen: 0,
            fields: json!({"chair": Uuid::from_u128(2).to_string(),
                           "members": [member(2, &["link-sia"])]})
            .as_object()
            .cloned()
            .expect("an object"),
            deleted: false,
        };
        group.apply(&write.write(), 1);
        let members = members_following_link(&group, Some(AdviserId(Uuid::from_u128(2))), None);
        assert_eq!(members, Some(vec![member(2, &["chair"])]));
    }
}

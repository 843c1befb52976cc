//! Convergence of the sync merge under any delivery order.
//!
//! Three devices edit and delete the same few records offline, push (some
//! answers are lost, so operations arrive twice) and pull in a random
//! order, through one office that applies each operation once. After a
//! final sync every device holds exactly the office's state, and that state
//! is the one the devices' knowledge decides, whatever the order things
//! arrived in: a field keeps every edit no later edit was written over
//! knowingly (one value and the rest as conflicts), and its value is the
//! latest of those by HLC.
//!
//! `scripts/convergence` runs the long job (`PROPTEST_CASES=10000`, release
//! build); a failure prints the smallest sequence of steps that breaks it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use caseload_core::sync::merge::RecordState;
use caseload_core::sync::Operation;
use caseload_core::{DeviceId, Hlc, HlcClock};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use uuid::Uuid;

const DEVICES: usize = 3;
const RECORDS: usize = 2;
const FIELDS: [&str; 2] = ["notes", "purpose"];
/// The register of a record's deletion, as the merge names it.
const DELETED: &str = "deleted";

#[derive(Debug, Clone)]
enum Step {
    Edit {
        device: usize,
        record: usize,
        field: usize,
    },
    Delete {
        device: usize,
        record: usize,
    },
    Push {
        device: usize,
        answer_lost: bool,
    },
    Pull {
        device: usize,
    },
    Tick,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..DEVICES, 0..RECORDS, 0..FIELDS.len())
            .prop_map(|(device, record, field)| Step::Edit { device, record, field }),
        1 => (0..DEVICES, 0..RECORDS).prop_map(|(device, record)| Step::Delete { device, record }),
        2 => (0..DEVICES, any::<bool>())
            .prop_map(|(device, answer_lost)| Step::Push { device, answer_lost }),
        2 => (0..DEVICES).prop_map(|device| Step::Pull { device }),
        1 => Just(Step::Tick),
    ]
}

/// A write's identity: its stamp and device, unique per write.
type WriteId = (Hlc, DeviceId);

/// What the test knows independently of the merge: for each register, which
/// writes reached the office, and which writes each writer knew of.
#[derive(Default)]
struct Oracle {
    /// Per (record, register): the writes the office has applied.
    arrived: HashMap<(usize, String), BTreeSet<WriteId>>,
    /// Per write and register: the writes its writer knew of.
    knew: HashMap<(WriteId, String), BTreeSet<WriteId>>,
    /// Per device, record and register: the writes it knows of.
    known: HashMap<(usize, usize, String), BTreeSet<WriteId>>,
}

impl Oracle {
    /// The writes on a register that no other arrived write knew of.
    fn heads(&self, record: usize, register: &str) -> BTreeSet<WriteId> {
        let Some(arrived) = self.arrived.get(&(record, register.to_owned())) else {
            return BTreeSet::new();
        };
        arrived
            .iter()
            .filter(|write| {
                !arrived.iter().any(|other| {
                    self.knew
                        .get(&(*other, register.to_owned()))
                        .is_some_and(|knew| knew.contains(write))
                })
            })
            .copied()
            .collect()
    }
}

struct Office {
    states: BTreeMap<usize, RecordState>,
    record_seq: BTreeMap<usize, u64>,
    seq: u64,
    applied: HashMap<Uuid, u64>,
}

struct Device {
    id: DeviceId,
    clock: HlcClock,
    skew: u64,
    /// The office state of each record as last pulled, with its sequence number.
    pulled: BTreeMap<usize, (RecordState, u64)>,
    outbox: Vec<(usize, Operation)>,
}

fn registers(op: &Operation) -> Vec<String> {
    op.fields
        .keys()
        .cloned()
        .chain(std::iter::once(DELETED.to_owned()))
        .collect()
}

fn run(steps: &[Step], skews: &[u64]) -> Result<(), TestCaseError> {
    let mut oracle = Oracle::default();
    let mut office = Office {
        states: BTreeMap::new(),
        record_seq: BTreeMap::new(),
        seq: 0,
        applied: HashMap::new(),
    };
    let mut devices: Vec<Device> = (0..DEVICES)
        .map(|index| Device {
            id: DeviceId(Uuid::from_u128(index as u128 + 1)),
            clock: HlcClock::resume(Hlc(0)),
            skew: skews[index],
            pulled: BTreeMap::new(),
            outbox: Vec::new(),
        })
        .collect();
    let mut now = 1_000u64;
    let mut edits = 0u64;

    let write = |devices: &mut Vec<Device>,
                 oracle: &mut Oracle,
                 now: u64,
                 device: usize,
                 record: usize,
                 fields: Map<String, Value>,
                 deleted: bool| {
        let dev = &mut devices[device];
        let hlc = dev.clock.tick(now + dev.skew);
        let seen = dev.pulled.get(&record).map_or(0, |(_, seq)| *seq);
        let op = Operation {
            op_id: Uuid::now_v7(),
            entity: "visit".to_owned(),
            key: record.to_string(),
            hlc,
            device: dev.id,
            seen,
            fields,
            deleted,
        };
        for register in registers(&op) {
            let known = oracle
                .known
                .entry((device, record, register.clone()))
                .or_default();
            oracle
                .knew
                .insert(((hlc, dev.id), register.clone()), known.clone());
            known.insert((hlc, dev.id));
        }
        dev.outbox.push((record, op));
    };

    let push = |devices: &mut Vec<Device>,
                office: &mut Office,
                oracle: &mut Oracle,
                device: usize,
                answer_lost: bool| {
        for (record, op) in &devices[device].outbox {
            if office.applied.contains_key(&op.op_id) {
                continue;
            }
            office.seq += 1;
            office
                .states
                .entry(*record)
                .or_default()
                .apply(&op.write(), office.seq);
            office.record_seq.insert(*record, office.seq);
            office.applied.insert(op.op_id, office.seq);
            for register in registers(op) {
                oracle
                    .arrived
                    .entry((*record, register))
                    .or_default()
                    .insert((op.hlc, op.device));
            }
        }
        if !answer_lost {
            devices[device].outbox.clear();
        }
    };

    let pull = |devices: &mut Vec<Device>,
                office: &Office,
                oracle: &mut Oracle,
                now: u64,
                device: usize| {
        for (record, state) in &office.states {
            let seq = office.record_seq[record];
            devices[device].pulled.insert(*record, (state.clone(), seq));
            for ((arrived_record, register), writes) in &oracle.arrived {
                if arrived_record == record {
                    oracle
                        .known
                        .entry((device, *record, register.clone()))
                        .or_default()
                        .extend(writes.iter().copied());
                }
            }
            let newest = state
                .fields
                .values()
                .flat_map(|register| register.heads())
                .map(|head| head.hlc)
                .max();
            if let Some(newest) = newest {
                let dev = &mut devices[device];
                dev.clock.observe(newest, now + dev.skew);
            }
        }
    };

    for step in steps {
        match *step {
            Step::Edit {
                device,
                record,
                field,
            } => {
                edits += 1;
                let mut fields = Map::new();
                fields.insert(FIELDS[field].to_owned(), json!(format!("edit {edits}")));
                write(
                    &mut devices,
                    &mut oracle,
                    now,
                    device,
                    record,
                    fields,
                    false,
                );
            }
            Step::Delete { device, record } => {
                write(
                    &mut devices,
                    &mut oracle,
                    now,
                    device,
                    record,
                    Map::new(),
                    true,
                );
            }
            Step::Push {
                device,
                answer_lost,
            } => {
                push(&mut devices, &mut office, &mut oracle, device, answer_lost);
            }
            Step::Pull { device } => pull(&mut devices, &office, &mut oracle, now, device),
            Step::Tick => now += 7,
        }
    }
    for device in 0..DEVICES {
        push(&mut devices, &mut office, &mut oracle, device, false);
    }
    for device in 0..DEVICES {
        pull(&mut devices, &office, &mut oracle, now, device);
    }

    for (record, state) in &office.states {
        for register in FIELDS.iter().copied().chain([DELETED]) {
            let held = match register {
                DELETED => Some(&state.deleted),
                field => state.fields.get(field),
            };
            let heads: BTreeSet<WriteId> = held
                .map(|held| {
                    held.heads()
                        .iter()
                        .map(|head| (head.hlc, head.device))
                        .collect()
                })
                .unwrap_or_default();
            prop_assert_eq!(
                &heads,
                &oracle.heads(*record, register),
                "record {} register {}: heads differ from what the writers knew",
                record,
                register
            );
            if let Some(winner) = held.and_then(|held| held.winner()) {
                prop_assert_eq!(Some(&(winner.hlc, winner.device)), heads.iter().max());
            }
        }
        for device in &devices {
            prop_assert_eq!(
                device.pulled.get(record).map(|(state, _)| state),
                Some(state),
                "a device disagrees with the office after the final sync"
            );
        }
    }
    Ok(())
}

/// 256 cases, or as many as `PROPTEST_CASES` says: `with_cases` alone would
/// override the variable, which only proptest's default reads.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn every_replica_converges_and_keeps_every_unseen_edit(
        steps in proptest::collection::vec(step(), 1..60),
        skews in proptest::collection::vec(0u64..50, DEVICES),
    ) {
        run(&steps, &skews)?;
    }

    #[test]
    fn concurrent_writes_give_the_same_state_in_any_order(
        writes in proptest::collection::vec(
            (proptest::option::of(0..FIELDS.len()), 0u64..30, any::<bool>()),
            1..6,
        ),
        order in any::<u64>(),
    ) {
        // Every write comes from its own device and saw the same base state.
        let mut base = RecordState::default();
        let mut first = Map::new();
        first.insert("notes".to_owned(), json!("base"));
        let creator = Operation {
            op_id: Uuid::now_v7(),
            entity: "visit".to_owned(),
            key: "v".to_owned(),
            hlc: Hlc(1),
            device: DeviceId(Uuid::from_u128(100)),
            seen: 0,
            fields: first,
            deleted: false,
        };
        base.apply(&creator.write(), 1);
        let ops: Vec<Operation> = writes
            .iter()
            .enumerate()
            .map(|(index, (field, hlc, deleted))| {
                let mut fields = Map::new();
                let deleted = *deleted && field.is_none();
                if let Some(field) = field {
                    fields.insert(FIELDS[*field].to_owned(), json!(index));
                }
                Operation {
                    op_id: Uuid::now_v7(),
                    entity: "visit".to_owned(),
                    key: "v".to_owned(),
                    hlc: Hlc(*hlc),
                    device: DeviceId(Uuid::from_u128(index as u128 + 1)),
                    seen: 1,
                    fields,
                    deleted,
                }
            })
            .collect();
        let apply_in = |indices: &[usize]| {
            let mut state = base.clone();
            for (arrival, index) in indices.iter().enumerate() {
                state.apply(&ops[*index].write(), arrival as u64 + 2);
            }
            // Sequence numbers say when each write arrived; all else must agree.
            let mut value = serde_json::to_value(&state).unwrap_or(Value::Null);
            strip_seq(&mut value);
            (value, state.is_deleted(), state.values(), state.conflicts().len())
        };
        let forward: Vec<usize> = (0..ops.len()).collect();
        let mut shuffled = forward.clone();
        let mut seed = order;
        for index in (1..shuffled.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(index, (seed >> 33) as usize % (index + 1));
        }
        prop_assert_eq!(apply_in(&forward), apply_in(&shuffled));
    }
}

fn strip_seq(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("seq");
            map.values_mut().for_each(strip_seq);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_seq),
        _ => {}
    }
}

//! The store's side of sync against a miniature office made of the core
//! merge (the real server's tests live in caseload-office; the CLI's
//! `sync_cli_test.rs` runs the two together): the outbox as operations,
//! the office's answers, pulled pages with local edits kept on top, the
//! conflicts list, and pages that cannot be applied changing nothing.

mod common;

use std::collections::{BTreeMap, HashSet};

use caseload_core::record::{self, SCHOOL, VISIT};
use caseload_core::samples;
use caseload_core::sync::merge::RecordState;
use caseload_core::sync::{
    check_freezing, frozen, Change, OpResult, Outcome, PullResponse, Refusal, RefusalReason,
    PROTOCOL_VERSION,
};
use caseload_core::Hlc;
use caseload_store::{Origin, Store, StoreError};
use serde_json::{json, Map, Value};
use uuid::Uuid;

const URN: &str = "990101";

/// The merge, numbering and freezing of the office, without scope.
#[derive(Default)]
struct MiniOffice {
    records: BTreeMap<(String, String), (u64, RecordState)>,
    applied: BTreeMap<Uuid, u64>,
    last_seq: u64,
}

impl MiniOffice {
    fn push(&mut self, store: &Store) -> Vec<OpResult> {
        let batch = store.push_batch(1_000, i64::MAX).expect("batch");
        batch
            .operations
            .iter()
            .map(|op| {
                let outcome = if let Some(seq) = self.applied.get(&op.op_id) {
                    Outcome::Duplicate { seq: *seq }
                } else {
                    let entity = record::entity(&op.entity).expect("declared");
                    let id = (op.entity.clone(), op.key.clone());
                    let mut state = self
                        .records
                        .get(&id)
                        .map(|(_, state)| state.clone())
                        .unwrap_or_default();
                    if let Some(message) = frozen(entity, &state.values()) {
                        Outcome::Refused(Refusal::new(RefusalReason::Frozen, message))
                    } else {
                        self.last_seq += 1;
                        let write = op.write();
                        state.apply(&write, self.last_seq);
                        if frozen(entity, &state.values()).is_some() {
                            check_freezing(entity, op).expect("a freezing write carries all");
                            state.pin(&write);
                        }
                        self.records.insert(id, (self.last_seq, state));
                        self.applied.insert(op.op_id, self.last_seq);
                        Outcome::Applied { seq: self.last_seq }
                    }
                };
                OpResult {
                    op_id: op.op_id,
                    outcome,
                }
            })
            .collect()
    }

    fn page(&self, after: u64, limit: usize) -> PullResponse {
        let mut changes: Vec<Change> = self
            .records
            .iter()
            .filter(|(_, (seq, _))| *seq > after)
            .map(|((entity, key), (seq, state))| Change {
                seq: *seq,
                entity: entity.clone(),
                key: key.clone(),
                state: state.clone(),
                authors: Default::default(),
            })
            .collect();
        changes.sort_by_key(|change| change.seq);
        let more = changes.len() > limit;
        changes.truncate(limit);
        let cursor = changes.last().map_or(self.last_seq, |change| change.seq);
        PullResponse {
            protocol: PROTOCOL_VERSION,
            changes,
            withdrawn: Vec::new(),
            more,
            cursor: if more { cursor } else { self.last_seq },
        }
    }

    /// Push, then pull every page: what `caseload sync` does over HTTP.
    fn sync(&mut self, store: &mut Store) {
        let batch = store.push_batch(1_000, i64::MAX).expect("batch");
        let results = self.push(store);
        store
            .record_push_results(&batch, &results)
            .expect("results kept");
        loop {
            let after = store.enrolment().expect("read").expect("enrolled").cursor;
            let page = self.page(after, 2);
            store.apply_pull_page(after, &page).expect("page applied");
            if !page.more {
                break;
            }
        }
    }
}

fn enrolled_store() -> Store {
    common::enrolled(Store::open_in_memory().expect("store"))
}

fn edit(store: &mut Store, entity: &caseload_core::EntityDef, key: Value, fields: Value) {
    let fields: Map<String, Value> = fields.as_object().cloned().expect("an object");
    store
        .write(|writer| writer.write_fields(entity, &key, &fields, Origin::Edit))
        .expect("written");
}

fn school_name(store: &Store) -> Value {
    store.export().expect("export")["records"]["school"][0]["name"].clone()
}

fn records(store: &Store) -> Value {
    store.export().expect("export")["records"].clone()
}

/// Two devices that hold the school, as after a first sync.
fn two_devices(office: &mut MiniOffice) -> (Store, Store) {
    two_devices_second_on(office, enrolled_store)
}

/// Priya's device, with the sample school synced, and the second device
/// `open`s synced after it. Opened second, its device id sorts after
/// Priya's, so it wins a tie of clocks as the tests expect.
fn two_devices_second_on(office: &mut MiniOffice, open: impl FnOnce() -> Store) -> (Store, Store) {
    let mut priya = enrolled_store();
    priya
        .write(|writer| {
            writer.save(&samples::adviser())?;
            writer.save(&samples::school())
        })
        .expect("saved");
    office.sync(&mut priya);
    let mut margaret = open();
    office.sync(&mut margaret);
    assert_eq!(records(&priya), records(&margaret));
    (priya, margaret)
}

/// Priya and Margaret rename the school at the same time, then sync in
/// turn: Margaret's name wins and Priya's is her conflict.
fn rename_at_once(office: &mut MiniOffice, priya: &mut Store, margaret: &mut Store) {
    edit(priya, &SCHOOL, json!(990101), json!({"name": "From Priya"}));
    edit(
        margaret,
        &SCHOOL,
        json!(990101),
        json!({"name": "From Margaret"}),
    );
    office.sync(priya);
    office.sync(margaret);
    office.sync(priya);
}

#[test]
fn an_enrolment_is_kept_with_its_token_out_of_sight() {
    let store = enrolled_store();
    let enrolment = store.enrolment().expect("read").expect("enrolled");
    assert_eq!(enrolment.url, "http://127.0.0.1:8440");
    assert_eq!(enrolment.cursor, 0);
    assert!(!format!("{enrolment:?}").contains("secret"));
    assert_eq!(
        store.current_adviser_id().expect("read"),
        Some(samples::adviser().id)
    );
}

#[test]
fn an_enrolled_store_refuses_the_demo_even_while_it_is_empty() {
    let mut store = enrolled_store();
    assert!(matches!(
        store.load_demo(),
        Err(StoreError::DemoWhenEnrolled)
    ));
    assert!(!store.holds_demo().expect("read"));
    assert_eq!(store.outbox_len().expect("read"), 0, "nothing to push");
}

#[test]
fn pushed_operations_leave_the_outbox_and_a_retry_is_a_duplicate() {
    let mut office = MiniOffice::default();
    let mut store = enrolled_store();
    store
        .write(|writer| writer.save(&samples::adviser()))
        .expect("saved");
    edit(
        &mut store,
        &SCHOOL,
        json!(990101),
        json!({"name": "St Mary's"}),
    );
    edit(
        &mut store,
        &SCHOOL,
        json!(990101),
        json!({"name": "St Mary's CE"}),
    );
    let batch = store.push_batch(1_000, i64::MAX).expect("batch");
    // The second write carries the name; the first has nothing left to say.
    assert_eq!(batch.operations.len(), 2, "{batch:?}");
    assert_eq!(
        batch.operations[1].fields,
        json!({"name": "St Mary's CE"})
            .as_object()
            .cloned()
            .expect("map")
    );
    assert!(batch.operations.iter().all(|op| op.seen == 0));
    let first = office.push(&store);
    // The answer was lost: the same operations go again, with the same ids.
    let again = store.push_batch(1_000, i64::MAX).expect("batch");
    assert_eq!(again, batch);
    let results = office.push(&store);
    assert!(results
        .iter()
        .all(|result| matches!(result.outcome, Outcome::Duplicate { .. })));
    assert_ne!(first, results);
    let tally = store.record_push_results(&again, &results).expect("kept");
    assert_eq!(tally.duplicate, 2);
    assert_eq!(store.outbox_len().expect("count"), 0);
    assert!(store.push_batch(1_000, i64::MAX).expect("batch").is_empty());
}

#[test]
fn concurrent_edits_converge_and_the_losing_value_is_a_conflict_until_edited() {
    let mut office = MiniOffice::default();
    let (mut priya, mut margaret) = two_devices(&mut office);
    rename_at_once(&mut office, &mut priya, &mut margaret);
    assert_eq!(records(&priya), records(&margaret));
    assert_eq!(school_name(&priya), json!("From Margaret"));
    for store in [&priya, &margaret] {
        let conflicts = store.conflicts().expect("conflicts");
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert_eq!(conflicts[0].field, "name");
        assert_eq!(conflicts[0].urn, Some(990101));
        assert_eq!(conflicts[0].lost.value, json!("From Priya"));
    }
    // Priya resolves it by an ordinary edit: gone here at once, everywhere after sync.
    edit(
        &mut priya,
        &SCHOOL,
        json!(990101),
        json!({"name": "From both"}),
    );
    assert!(priya.conflicts().expect("conflicts").is_empty());
    office.sync(&mut priya);
    office.sync(&mut margaret);
    assert!(margaret.conflicts().expect("conflicts").is_empty());
    assert_eq!(school_name(&margaret), json!("From both"));
    assert_eq!(records(&priya), records(&margaret));
}

#[test]
fn a_pull_before_the_push_keeps_the_local_edit_on_top_and_pushes_it_as_written() {
    let mut office = MiniOffice::default();
    let (mut priya, mut margaret) = two_devices(&mut office);
    edit(
        &mut margaret,
        &SCHOOL,
        json!(990101),
        json!({"name": "From Margaret"}),
    );
    office.sync(&mut margaret);
    // Priya edits offline, then pulls before she pushes (a page at a time).
    edit(
        &mut priya,
        &SCHOOL,
        json!(990101),
        json!({"telephone": "01733 000000"}),
    );
    edit(
        &mut priya,
        &SCHOOL,
        json!(990101),
        json!({"name": "From Priya"}),
    );
    let after = priya.enrolment().expect("read").expect("enrolled").cursor;
    let page = office.page(after, 100);
    priya.apply_pull_page(after, &page).expect("applied");
    // Her later clock wins the name; Margaret's value is a conflict already.
    assert_eq!(school_name(&priya), json!("From Priya"));
    let exported = records(&priya);
    assert_eq!(exported["school"][0]["telephone"], json!("01733 000000"));
    assert_eq!(priya.conflicts().expect("conflicts").len(), 1);
    // What she pushes is what she wrote, having seen only what she had.
    let batch = priya.push_batch(1_000, i64::MAX).expect("batch");
    assert_eq!(batch.operations.len(), 2);
    assert!(batch.operations.iter().all(|op| op.seen < page.cursor));
    office.sync(&mut priya);
    office.sync(&mut margaret);
    assert_eq!(records(&priya), records(&margaret));
    assert_eq!(school_name(&margaret), json!("From Priya"));
    assert_eq!(margaret.conflicts().expect("conflicts").len(), 1);
}

#[test]
fn pulled_stamps_move_the_clock_so_a_later_edit_wins() {
    let mut office = MiniOffice::default();
    let (mut priya, mut margaret) = two_devices(&mut office);
    // Margaret's clock runs far ahead of Priya's.
    let ahead = Hlc::new(u64::MAX >> 20, 0);
    let fields = json!({"name": "Margaret's"})
        .as_object()
        .cloned()
        .expect("map");
    let mut state = office.records[&("school".to_owned(), URN.to_owned())]
        .1
        .clone();
    state.apply(
        &caseload_core::sync::Write {
            hlc: ahead,
            device: margaret.device(),
            seen: office.last_seq,
            fields: &fields,
            deleted: false,
        },
        office.last_seq + 1,
    );
    office.last_seq += 1;
    office.records.insert(
        ("school".to_owned(), URN.to_owned()),
        (office.last_seq, state),
    );
    office.sync(&mut priya);
    edit(
        &mut priya,
        &SCHOOL,
        json!(990101),
        json!({"name": "Priya's, later"}),
    );
    let batch = priya.push_batch(10, i64::MAX).expect("batch");
    assert!(batch.operations[0].hlc > ahead);
    office.sync(&mut priya);
    office.sync(&mut margaret);
    assert_eq!(school_name(&margaret), json!("Priya's, later"));
    assert!(margaret.conflicts().expect("conflicts").is_empty());
    // Reopened, the store's clock stays past what it saw.
    drop(priya);
}

#[test]
fn a_refused_edit_leaves_the_outbox_with_its_message_and_the_record_shows_the_office() {
    let mut office = MiniOffice::default();
    let (mut priya, mut margaret) = two_devices(&mut office);
    let visit = Uuid::now_v7().to_string();
    let draft = json!({"urn": 990101, "visited_on": "2026-10-07", "session": "am",
                       "kind": "core", "status": "draft", "purpose": "Core visit"});
    edit(&mut priya, &VISIT, json!(visit), draft);
    office.sync(&mut priya);
    office.sync(&mut margaret);
    // Priya finalises; Margaret, not having seen it, edits the purpose.
    edit(
        &mut priya,
        &VISIT,
        json!(visit),
        json!({"status": "finalised"}),
    );
    edit(
        &mut margaret,
        &VISIT,
        json!(visit),
        json!({"purpose": "Margaret's purpose"}),
    );
    office.sync(&mut priya);
    let batch = margaret.push_batch(1_000, i64::MAX).expect("batch");
    let results = office.push(&margaret);
    let tally = margaret
        .record_push_results(&batch, &results)
        .expect("results kept");
    assert_eq!(tally.refused.len(), 1);
    assert_eq!(tally.refused[0].reason, RefusalReason::Frozen);
    assert_eq!(
        tally.refused[0].fields["purpose"],
        json!("Margaret's purpose")
    );
    assert_eq!(margaret.outbox_len().expect("count"), 0);
    let visits = &records(&margaret)["visit"];
    assert_eq!(visits[0]["purpose"], json!("Core visit"), "reverted");
    assert_eq!(margaret.refusals().expect("refusals").len(), 1);
    office.sync(&mut margaret);
    assert_eq!(records(&priya), records(&margaret));
    let op_id = tally.refused[0].op_id.clone();
    assert!(margaret.dismiss_refusal(&op_id).expect("dismissed"));
    assert!(margaret.refusals().expect("refusals").is_empty());
}

#[test]
fn a_page_that_cannot_be_applied_changes_nothing() {
    let mut office = MiniOffice::default();
    let (mut priya, margaret) = two_devices(&mut office);
    drop(margaret);
    edit(
        &mut priya,
        &SCHOOL,
        json!(990101),
        json!({"name": "Local edit"}),
    );
    let before = records(&priya);
    let cursor = priya.enrolment().expect("read").expect("enrolled").cursor;
    let mut page = office.page(0, 100);
    page.cursor = cursor + 10;
    // A good change first, then a value of the wrong kind.
    let mut bad = page.changes[0].clone();
    bad.seq = cursor + 10;
    let mut state = RecordState::default();
    let fields = json!({"pupils": "many"}).as_object().cloned().expect("map");
    state.apply(
        &caseload_core::sync::Write {
            hlc: Hlc(1),
            device: priya.device(),
            seen: 0,
            fields: &fields,
            deleted: false,
        },
        bad.seq,
    );
    bad.entity = "school".to_owned();
    bad.key = "990102".to_owned();
    bad.state = state;
    page.changes.retain(|change| change.seq > cursor);
    page.changes.push(bad);
    let error = priya.apply_pull_page(cursor, &page).expect_err("refused");
    assert!(matches!(error, StoreError::FieldType { .. }), "{error}");
    assert_eq!(records(&priya), before);
    assert_eq!(
        priya.enrolment().expect("read").expect("enrolled").cursor,
        cursor
    );
    // A record type this build does not know is refused the same way.
    let mut unknown = office.page(0, 100);
    unknown.cursor = cursor + 1;
    unknown.changes = vec![Change {
        seq: cursor + 1,
        entity: "gossip".to_owned(),
        key: "x".to_owned(),
        state: RecordState::default(),
        authors: Default::default(),
    }];
    let error = priya
        .apply_pull_page(cursor, &unknown)
        .expect_err("refused");
    assert!(error.to_string().contains("update Caseload"), "{error}");
    // A page for another cursor is refused before anything is read.
    assert!(priya.apply_pull_page(cursor + 5, &unknown).is_err());
    // And the local edit still goes.
    assert_eq!(priya.outbox_len().expect("count"), 1);
    let seen: HashSet<String> = priya
        .push_batch(10, i64::MAX)
        .expect("batch")
        .operations
        .iter()
        .map(|op| op.key.clone())
        .collect();
    assert_eq!(seen, HashSet::from([URN.to_owned()]));
}

/// One step of a random schedule over three devices.
#[derive(Debug, Clone)]
enum Step {
    /// Device writes `value` to one of the school's fields.
    Edit {
        device: usize,
        field: usize,
        value: u8,
    },
    /// Push and pull, as `caseload sync`.
    Sync { device: usize },
    /// Push only.
    Push { device: usize },
    /// The office applies a push, but its answer never arrives.
    LostAnswer { device: usize },
    /// Pull only.
    Pull { device: usize },
}

const FIELDS: [&str; 3] = ["name", "telephone", "website"];

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        4 => (0..3usize, 0..3usize, 0..4u8)
            .prop_map(|(device, field, value)| Step::Edit { device, field, value }),
        2 => (0..3usize).prop_map(|device| Step::Sync { device }),
        1 => (0..3usize).prop_map(|device| Step::Push { device }),
        1 => (0..3usize).prop_map(|device| Step::LostAnswer { device }),
        1 => (0..3usize).prop_map(|device| Step::Pull { device }),
    ]
}

fn pull_all(office: &MiniOffice, store: &mut Store) {
    loop {
        let after = store.enrolment().expect("read").expect("enrolled").cursor;
        let page = office.page(after, 3);
        store.apply_pull_page(after, &page).expect("page applied");
        if !page.more {
            break;
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(24)
    ))]

    /// Whatever the schedule of offline edits, pushes, lost answers and
    /// pulls, once everyone has synced every device holds the same records
    /// and the same conflicts, and nothing is left in an outbox.
    #[test]
    fn every_schedule_converges(steps in proptest::collection::vec(step(), 1..40)) {
        let mut office = MiniOffice::default();
        let (priya, margaret) = two_devices(&mut office);
        let mut tom = enrolled_store();
        office.sync(&mut tom);
        let mut stores = [priya, margaret, tom];
        for step in &steps {
            match *step {
                Step::Edit { device, field, value } => edit(
                    &mut stores[device],
                    &SCHOOL,
                    json!(990101),
                    json!({ FIELDS[field]: format!("{} {value} by {device}", FIELDS[field]) }),
                ),
                Step::Sync { device } => office.sync(&mut stores[device]),
                Step::Push { device } => {
                    let batch = stores[device].push_batch(1_000, i64::MAX).expect("batch");
                    let results = office.push(&stores[device]);
                    stores[device].record_push_results(&batch, &results).expect("kept");
                }
                Step::LostAnswer { device } => {
                    office.push(&stores[device]);
                }
                Step::Pull { device } => pull_all(&office, &mut stores[device]),
            }
        }
        for _ in 0..2 {
            for store in &mut stores {
                office.sync(store);
            }
        }
        let conflicts = |store: &Store| -> Vec<(String, Value, Value)> {
            let mut list: Vec<_> = store
                .conflicts()
                .expect("conflicts")
                .into_iter()
                .map(|conflict| (conflict.field, conflict.kept.value, conflict.lost.value))
                .collect();
            list.sort_by_key(|item| format!("{item:?}"));
            list
        };
        let first = records(&stores[0]);
        for store in &stores {
            proptest::prop_assert_eq!(records(store), first.clone());
            proptest::prop_assert_eq!(conflicts(store), conflicts(&stores[0]));
            proptest::prop_assert_eq!(store.outbox_len().expect("count"), 0);
        }
        // The office agrees with the devices.
        let school = &office.records[&("school".to_owned(), "990101".to_owned())].1;
        for field in FIELDS {
            proptest::prop_assert_eq!(
                school.value(field).cloned().unwrap_or(Value::Null),
                first["school"][0][field].clone()
            );
        }
    }
}

#[test]
fn a_pull_that_brings_a_planned_visit_tells_the_diary_watch_and_the_visit_is_in_the_diary() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    let mut office = MiniOffice::default();
    let (mut priya, mut margaret) = two_devices(&mut office);
    let told = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&told);
    margaret.watch_diary(Box::new(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    let visit = priya
        .plan_visit(
            caseload_core::Urn(990_101),
            chrono::NaiveDate::from_ymd_opt(2027, 1, 12).expect("a date"),
            caseload_core::visit::Session::Am,
            caseload_core::visit::VisitKind::Core,
        )
        .expect("planned");
    office.sync(&mut priya);
    office.sync(&mut margaret);
    assert!(told.load(Ordering::SeqCst) >= 1, "the pull told the watch");
    let diary = margaret.diary().expect("diary");
    assert_eq!(diary.visits.len(), 1);
    assert_eq!(diary.visits[0].visit.id, visit.id);
}

/// A store synced before states were kept compactly holds the protocol's
/// JSON in `sync_record.state`: its conflicts still read, and a pull over a
/// local edit still merges on top of them.
#[test]
fn states_kept_before_the_compact_encoding_still_read_and_merge() {
    let folder = tempfile::tempdir().expect("a folder");
    let path = folder.path().join("caseload.sqlite3");
    let mut office = MiniOffice::default();
    let (mut priya, mut margaret) =
        two_devices_second_on(&mut office, || common::enrolled(common::open(&path)));
    rename_at_once(&mut office, &mut priya, &mut margaret);
    let conflicts = margaret.conflicts().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    drop(margaret);

    let conn = common::connection(&path);
    for ((entity, key), (_, state)) in &office.records {
        let kept = conn
            .execute(
                "UPDATE sync_record SET state = ?1 WHERE entity = ?2 AND record_key = ?3",
                rusqlite::params![serde_json::to_string(state).expect("JSON"), entity, key],
            )
            .expect("rewritten as before");
        assert_eq!(kept, 1, "{entity} {key} was kept");
    }
    drop(conn);

    let mut margaret = common::open(&path);
    assert_eq!(margaret.conflicts().expect("conflicts"), conflicts);
    edit(
        &mut margaret,
        &SCHOOL,
        json!(990101),
        json!({"phase": "Secondary"}),
    );
    edit(
        &mut priya,
        &SCHOOL,
        json!(990101),
        json!({"name": "From both"}),
    );
    office.sync(&mut priya);
    office.sync(&mut margaret);
    office.sync(&mut priya);
    assert_eq!(records(&priya), records(&margaret));
    assert_eq!(school_name(&margaret), json!("From both"));
    assert!(margaret.conflicts().expect("conflicts").is_empty());
}

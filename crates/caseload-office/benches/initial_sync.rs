//! An initial sync end to end: a fresh encrypted adviser's store (the app's
//! `caseload-store`) enrols with a one-time code and runs its first full
//! sync against a real `caseload-office serve` process over loopback, for a
//! Senior SIA whose scope holds 10,000 records (500 schools, 9,500 visits).
//!
//! Printed: the whole (enrol, sync; the store's opening apart, as the app
//! opens it at start) and the sync's parts, measured in separate runs of the
//! same steps — the office's pages (each pulled over
//! loopback and read into protocol types) and the store applying them —
//! with the store's part beside a bare insert of the same records' JSON
//! into one table of an encrypted SQLite file with the same settings.
//!
//! `cargo bench -p caseload-office --bench initial_sync`; PostgreSQL too
//! under `./scripts/with-postgres`. `CASELOAD_BENCH_RUNS` sets the runs of
//! each (median printed; 3 by default). Figures in docs/benchmarks.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use caseload_core::sync::{Operation, PullResponse};
use caseload_core::{AdviserRole, DeviceId, Hlc, HlcClock, Urn};
use caseload_office::office::Enrolment;
use caseload_office::secrets::PresentedToken;
use caseload_office::{Office, StorageTarget};
use caseload_store::sync_client::{self, OfficeClient, Retry, SyncOptions};
use caseload_store::{Store, StoreKey};
use common::{Backend, OfficeProcess};
use serde_json::json;
use uuid::Uuid;

const FIRST_URN: u32 = 900_000;
const SCHOOLS: u32 = 500;
const CASELOAD: usize = 10_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let runs = std::env::var("CASELOAD_BENCH_RUNS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(3usize)
        .max(1);
    bench(&runtime, Backend::sqlite(), runs);
    if let Some(backend) = runtime.block_on(Backend::postgres("initial_sync")) {
        bench(&runtime, backend, runs);
    }
}

fn bench(runtime: &tokio::runtime::Runtime, backend: Backend, runs: usize) {
    println!("\n== office on {} ==", backend.name());
    let target = match &backend {
        Backend::Sqlite(folder) => StorageTarget::Folder(folder.path().to_owned()),
        Backend::Postgres { url, .. } => StorageTarget::Postgres(url.clone()),
    };
    let office = runtime
        .block_on(Office::open(&target))
        .expect("the office opens");
    runtime.block_on(fill(&office));
    let server = OfficeProcess::start(&backend, &[]);
    // Each run is a new Senior SIA's device: a code is spent once.
    let code = |n: usize| runtime.block_on(senior_code(&office, &format!("Senior {n}")));

    let (mut whole, mut opened, mut enrolled, mut synced) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut records = 0;
    for n in 0..runs {
        let folder = tempfile::tempdir().expect("a folder");
        let code = code(n);
        let step = Instant::now();
        let mut store = open_store(folder.path());
        opened.push(step.elapsed());
        // From here the adviser waits: they pressed "Connect" in an app
        // whose (empty) store was opened when it started.
        let started = Instant::now();
        let step = Instant::now();
        sync_client::enrol(&mut store, &server.base, &code, "bench", Retry::default())
            .expect("enrolled");
        enrolled.push(step.elapsed());
        let step = Instant::now();
        let report =
            sync_client::sync(&mut store, &SyncOptions::default(), |_| {}).expect("synced");
        synced.push(step.elapsed());
        whole.push(started.elapsed());
        // The caseload, and the advisers' own records.
        assert!(report.pulled >= CASELOAD, "every record pulled");
        records = report.pulled;
    }

    let (mut office_pages, mut store_apply, mut bare) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..runs {
        let folder = tempfile::tempdir().expect("a folder");
        let code = code(runs + n);
        let mut store = open_store(folder.path());
        let enrolled =
            sync_client::enrol(&mut store, &server.base, &code, "bench", Retry::default())
                .expect("enrolled");
        let client = OfficeClient::new(&server.base, Retry::default()).expect("a client");
        let limit = SyncOptions::default().pull_limit;
        let (mut after, mut pages) = (0, Vec::new());
        let started = Instant::now();
        loop {
            let page = client.pull(&enrolled.token, after, limit).expect("a page");
            after = page.cursor;
            let more = page.more;
            pages.push(page);
            if !more {
                break;
            }
        }
        office_pages.push(started.elapsed());
        let records: usize = pages.iter().map(|page| page.changes.len()).sum();
        assert!(records >= CASELOAD, "every record pulled");
        let started = Instant::now();
        let mut after = 0;
        store.begin_pull().expect("pull begun");
        for page in &pages {
            after = store.apply_pull_page(after, page).expect("applied").cursor;
        }
        store.end_pull().expect("pull ended");
        store_apply.push(started.elapsed());
        bare.push(bare_insert(folder.path(), &pages));
    }

    let (whole, opened, enrolled, synced, office_pages, store_apply, bare) = (
        median(whole),
        median(opened),
        median(enrolled),
        median(synced),
        median(office_pages),
        median(store_apply),
        median(bare),
    );
    let ms = |time: Duration| time.as_secs_f64() * 1e3;
    println!(
        "initial sync of {records} records (a fresh encrypted store enrolled, then synced \
         in pages of 500), median of {runs}: {:.0} ms (goal < 1,000 ms: {})",
        ms(whole),
        if whole < Duration::from_secs(1) {
            "met"
        } else {
            "missed"
        }
    );
    println!(
        "  enrol {:.0} ms, sync {:.0} ms; before them, opening the new store {:.0} ms",
        ms(enrolled),
        ms(synced),
        ms(opened)
    );
    println!(
        "  the sync's parts, one after the other in runs of their own (the sync overlaps \
         them): the office's pages over loopback {:.0} ms; the store applying them {:.0} ms",
        ms(office_pages),
        ms(store_apply)
    );
    println!(
        "  the store's part against a bare insert of the same records' JSON into an \
         encrypted SQLite table ({:.0} ms): {:.2}×",
        ms(bare),
        store_apply.as_secs_f64() / bare.as_secs_f64()
    );
    drop((server, office));
    runtime.block_on(backend.clean_up());
}

/// The key a new store is given: raw, as from the keyring.
fn key() -> StoreKey {
    StoreKey::Raw([0x42; 32])
}

fn open_store(folder: &Path) -> Store {
    Store::open(&folder.join("caseload.sqlite3"), &key()).expect("the store opens")
}

/// The baseline: each pulled record's JSON into a one-table encrypted
/// SQLite file keyed and tuned as the store is, in one transaction.
fn bare_insert(folder: &Path, pages: &[PullResponse]) -> Duration {
    let conn = rusqlite::Connection::open(folder.join("bare.sqlite3")).expect("opened");
    let hex = key().to_hex().expect("a raw key");
    conn.execute_batch(&format!(
        "PRAGMA key = \"x'{hex}'\"; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE bare (entity TEXT NOT NULL, record_key TEXT NOT NULL, state TEXT NOT NULL,
                            PRIMARY KEY (entity, record_key));"
    ))
    .expect("the bare table");
    let started = Instant::now();
    let mut conn = conn;
    let tx = conn.transaction().expect("begun");
    {
        let mut insert = tx
            .prepare("INSERT INTO bare (entity, record_key, state) VALUES (?1, ?2, ?3)")
            .expect("prepared");
        for change in pages.iter().flat_map(|page| &page.changes) {
            let state = serde_json::to_string(&change.state).expect("JSON");
            insert
                .execute(rusqlite::params![change.entity, change.key, state])
                .expect("inserted");
        }
    }
    tx.commit().expect("committed");
    started.elapsed()
}

/// The authority's 500 schools and 9,500 visits among them, pushed by a
/// Senior SIA's device (with notes, as a visit is written).
async fn fill(office: &Office) {
    let schools = (0..SCHOOLS)
        .map(|n| {
            let mut school = caseload_core::samples::school();
            school.urn = Urn(FIRST_URN + n);
            school.name = format!("Bench School {n}");
            school
        })
        .collect();
    office
        .import_schools(schools)
        .await
        .expect("schools imported");
    let code = senior_code(office, "Writer").await;
    let device = DeviceId(Uuid::now_v7());
    let Enrolment::Enrolled { token, .. } = office
        .enrol(&code, device, "writer")
        .await
        .expect("enrolment answered")
    else {
        panic!("the writer's code was refused");
    };
    let sender = office
        .authenticate(PresentedToken::parse(token.reveal()).expect("a token"))
        .await
        .expect("answered")
        .expect("the token is good");
    let mut clock = HlcClock::resume(Hlc(0));
    let now = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis() as u64)
    };
    let visits = CASELOAD - SCHOOLS as usize;
    for chunk in 0..visits.div_ceil(1_000) {
        let batch = (chunk * 1_000..visits.min((chunk + 1) * 1_000))
            .map(|n| {
                let fields = json!({
                    "urn": FIRST_URN + (n as u32 % SCHOOLS), "adviser": sender.adviser.to_string(),
                    "visited_on": "2026-10-07", "session": "am", "kind": "core",
                    "status": "draft", "purpose": "Core visit",
                    "notes": {"text": "Phonics is taught daily and consistently. ".repeat(25)},
                });
                Operation {
                    op_id: Uuid::now_v7(),
                    entity: "visit".to_owned(),
                    key: Uuid::now_v7().to_string(),
                    hlc: clock.tick(now()),
                    device: sender.device,
                    seen: 0,
                    fields: fields.as_object().cloned().unwrap_or_default(),
                    deleted: false,
                }
            })
            .collect();
        office.push(sender, batch).await.expect("pushed");
    }
}

/// A new Senior SIA's one-time enrolment code.
async fn senior_code(office: &Office, name: &str) -> String {
    let email = format!("{}@bench.example", name.to_lowercase().replace(' ', "."));
    office
        .add_adviser(name, &email, AdviserRole::SeniorSia)
        .await
        .expect("an adviser")
        .code
        .reveal()
        .to_owned()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

//! The adviser's hot paths on visits, each against its goal:
//! - one autosave of a visit (row, revisions and outbox in one transaction)
//!   against a bare SQLite insert of the same bytes, in the same run: ≤ 2×
//!   (the store is encrypted; a bare SQLCipher insert with the same key shows
//!   what the encryption alone costs);
//! - search over 1,000,000 visit notes: median under 20 ms;
//! - the caseload view on a national-scale store (25,000 schools and
//!   1,000,000 visits): under 10 ms.
//!
//! Run: `cargo bench -p caseload-store --bench visits`
//! (`CASELOAD_BENCH_VISITS` sets the number of visits; the store is built
//! once, which takes about a minute at full size.)

use std::path::Path;

use caseload_core::visit::{AreaNote, Session, Visit, VisitKind};
use caseload_core::{samples, AdviserId, School, Urn};
use caseload_store::views::SchoolScope;
use caseload_store::{Store, StoreKey};
use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::{params, Connection};
use uuid::Uuid;

const SCHOOLS: u32 = 25_000;
/// Schools linked to the adviser whose caseload is viewed.
const CASELOAD: u32 = 25;
const VISITS: u32 = 1_000_000;

/// A raw key, as the keyring gives one: no key derivation on open.
const KEY: StoreKey = StoreKey::Raw([0x42; 32]);

/// A bare connection keyed as the store is.
fn keyed(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("connection");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"", "42".repeat(32)))
        .expect("keyed");
    conn
}

const WORDS: [&str; 40] = [
    "phonics",
    "reading",
    "writing",
    "mathematics",
    "curriculum",
    "sequencing",
    "governors",
    "attendance",
    "behaviour",
    "safeguarding",
    "leaders",
    "subject",
    "assessment",
    "pupils",
    "disadvantaged",
    "SEND",
    "inclusion",
    "teaching",
    "feedback",
    "books",
    "vocabulary",
    "fluency",
    "moderation",
    "planning",
    "coaching",
    "staff",
    "wellbeing",
    "Year",
    "Reception",
    "science",
    "history",
    "geography",
    "lessons",
    "observed",
    "scrutiny",
    "evidence",
    "strong",
    "inconsistent",
    "improving",
    "priorities",
];

fn visit_count() -> u32 {
    std::env::var("CASELOAD_BENCH_VISITS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(VISITS)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Distinct words in the notes: the domain's own and many more.
const VOCABULARY: u32 = 20_000;

/// About forty words of notes, different for every visit. Words follow a
/// Zipf-like law as prose does: the domain's forty are the commonest
/// ("phonics" is in 94 notes in 100, "moderation" in 16, "priorities" in 10),
/// a word of rank 1,000 is in 4 notes in 1,000.
fn notes(seed: u32) -> String {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..40)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            // Rank r is drawn with probability about 1/r.
            let unit = f64::from(state) / f64::from(u32::MAX);
            let rank = (f64::from(VOCABULARY).powf(unit) as u32).saturating_sub(1);
            match WORDS.get(rank as usize) {
                Some(word) => (*word).to_owned(),
                None => format!("term{rank}"),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn school(urn: u32, link_sia: Option<AdviserId>) -> School {
    let mut school = samples::school();
    school.urn = Urn(urn);
    school.name = format!("School {urn}");
    school.link_sia = link_sia;
    school
}

/// A national-scale store: the schools through the store's own writer, the
/// visits (two years of them) straight into their table and the search index.
fn national_store(path: &Path, visits: u32) -> Store {
    let mut store = Store::open(path, &KEY).expect("store");
    let adviser = samples::adviser();
    store
        .write(|writer| {
            writer.save(&adviser)?;
            for urn in 0..SCHOOLS {
                let link = (urn < CASELOAD).then_some(adviser.id);
                writer.save(&school(100_000 + urn, link))?;
            }
            Ok(())
        })
        .expect("schools");
    store.set_current_adviser(adviser.id).expect("adviser");
    drop(store);

    let mut conn = keyed(path);
    let tx = conn.transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO visit (id, urn, adviser, visited_on, session, kind, status, purpose,
                                    activities, notes, strengths, development)
                 VALUES (?1, ?2, ?3, ?4, 'am', 'bespoke', 'finalised', 'Bespoke visit',
                         '[]', ?5, '', '')",
            )
            .expect("insert");
        let first_day = date(2025, 9, 1);
        for n in 0..visits {
            let note = serde_json::json!([AreaNote::general(notes(n))]).to_string();
            let day = first_day + Days::new(u64::from(n % 640));
            insert
                .execute(params![
                    Uuid::now_v7().to_string(),
                    100_000 + n % SCHOOLS,
                    adviser.id.to_string(),
                    day.to_string(),
                    note,
                ])
                .expect("visit");
        }
    }
    // Indexed in bulk, as a fresh index would be; the store itself indexes
    // queued rows one by one, which suits the few an adviser writes between searches.
    tx.execute_batch(
        "INSERT INTO visit_search (rowid, body) SELECT id, body FROM visit_search_body;
         DELETE FROM search_pending;",
    )
    .expect("indexed");
    tx.commit().expect("commit");
    drop(conn);
    Store::open(path, &KEY).expect("store")
}

fn autosave(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("folder");
    let mut store = Store::open(&folder.path().join("caseload.sqlite3"), &KEY).expect("store");
    store.load_demo().expect("demo");
    let mut visit = Visit::plan(
        Uuid::now_v7(),
        Urn(990_008),
        date(2026, 11, 18),
        Session::Am,
        VisitKind::Core,
    );
    // Each keystroke saves the whole note, a page of it, changed by one word.
    let mut keystroke = 0_u32;
    let mut typed = move || {
        keystroke += 1;
        format!("{} {keystroke}", notes(keystroke).repeat(10))
    };

    let prepare = |bare: Connection| {
        bare.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        bare.pragma_update(None, "synchronous", "NORMAL")
            .expect("sync");
        bare.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)", [])
            .expect("table");
        bare
    };
    let bare = prepare(Connection::open(folder.path().join("bare.sqlite3")).expect("bare"));
    let bare_encrypted = prepare(keyed(&folder.path().join("bare-encrypted.sqlite3")));

    let mut group = c.benchmark_group("autosave");
    group.bench_function("bare SQLite insert of the visit's bytes", |b| {
        b.iter(|| {
            visit.notes = vec![AreaNote::general(typed())];
            let bytes = serde_json::to_string(&visit).expect("json");
            bare.execute("INSERT INTO note (body) VALUES (?1)", [bytes])
                .expect("insert");
        })
    });
    group.bench_function("bare SQLCipher insert of the visit's bytes", |b| {
        b.iter(|| {
            visit.notes = vec![AreaNote::general(typed())];
            let bytes = serde_json::to_string(&visit).expect("json");
            bare_encrypted
                .execute("INSERT INTO note (body) VALUES (?1)", [bytes])
                .expect("insert");
        })
    });
    group.bench_function("save_visit (row, revisions, outbox, search pending)", |b| {
        b.iter(|| {
            let note = AreaNote::general(typed());
            visit
                .edit(|visit| visit.notes = vec![note])
                .expect("a draft");
            store.save_visit(&visit).expect("saved");
        })
    });
    group.finish();
}

fn national(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("folder");
    let visits = visit_count();
    let store = national_store(&folder.path().join("caseload.sqlite3"), visits);
    let today = date(2026, 11, 23);

    let mut group = c.benchmark_group(format!("{SCHOOLS} schools, {visits} visits"));
    group.bench_function(
        "search \"phonics moder\" (the last word a prefix, as typed)",
        |b| b.iter(|| store.search("phonics moder").expect("search")),
    );
    group.bench_function("search \"phonics\", one of the commonest words", |b| {
        b.iter(|| store.search("phonics").expect("search"))
    });
    group.bench_function("caseload view", |b| {
        b.iter(|| {
            let rows = store
                .school_rows_on(today, SchoolScope::Caseload)
                .expect("rows");
            assert_eq!(rows.len(), CASELOAD as usize);
        })
    });
    group.finish();
}

criterion_group!(benches, autosave, national);
criterion_main!(benches);

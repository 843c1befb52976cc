//! How long the national GIAS file takes to import: about 50,000
//! establishments with about 140 columns, in Windows-1252 as published.
//! Goal: the whole import under 3 seconds.
//!
//! Run: `cargo bench -p caseload-store --bench gias_import`

use std::fmt::Write;

use caseload_core::{gias, LaCode};
use caseload_store::{Store, StoreKey};
use criterion::{criterion_group, criterion_main, Criterion};

const ROWS: u32 = 50_000;
/// A raw key, as the keyring gives one.
const KEY: StoreKey = StoreKey::Raw([0x42; 32]);
const FILLER_COLUMNS: usize = 119;

const TYPES: [&str; 8] = [
    "Community school",
    "Voluntary aided school",
    "Voluntary controlled school",
    "Foundation school",
    "Academy converter",
    "Academy sponsor led",
    "Free schools",
    "Community special school",
];
const PHASES: [&str; 5] = ["Primary", "Secondary", "Nursery", "All-through", "16 plus"];

/// A national-size establishment file, encoded as GIAS publishes it.
fn national_file() -> Vec<u8> {
    let mut text = String::from(
        "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),\
         PhaseOfEducation (name),Trusts (name),Street,Locality,Town,Postcode,HeadTitle (name),\
         HeadFirstName,HeadLastName,AdministrativeWard (name),TelephoneNum,SchoolWebsite,\
         NumberOfPupils,PercentageFSM,OpenDate,CloseDate",
    );
    for column in 0..FILLER_COLUMNS {
        let _ = write!(text, ",Other column {column}");
    }
    text.push('\n');
    for row in 0..ROWS {
        let urn = 100_000 + row;
        let status = if row % 10 == 0 { "Closed" } else { "Open" };
        let close = if row % 10 == 0 { "31-08-2019" } else { "" };
        let _ = write!(
            text,
            "{urn},{la},\"St Mary’s and Zoë’s School, {row}\",{kind},{status},{phase},\
             Trust {trust},{row} High Street,Old Town,Fenbridge,FB{la} {pc}AB,Mrs,Zoë,O’Connor,\
             Ward {ward},01632 960{pc:03},www.school{row}.example,{pupils},{fsm}.{tenth},\
             01-09-{year},{close}",
            la = 201 + row % 150,
            kind = TYPES[row as usize % TYPES.len()],
            phase = PHASES[row as usize % PHASES.len()],
            trust = row % 900,
            pc = row % 1000,
            ward = row % 7000,
            pupils = 50 + row % 1500,
            fsm = row % 60,
            tenth = row % 10,
            year = 1950 + row % 70,
        );
        for column in 0..FILLER_COLUMNS {
            let _ = write!(text, ",value {}", (row as usize + column) % 97);
        }
        text.push('\n');
    }
    encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
}

fn import(c: &mut Criterion) {
    let file = national_file();
    let mut group = c.benchmark_group("gias_national_file");
    group.sample_size(10);
    group.bench_function("parse", |b| {
        b.iter(|| gias::parse(&file, None).expect("parses"));
    });
    group.bench_function("parse, keeping one authority", |b| {
        b.iter(|| gias::parse(&file, Some(LaCode(201))).expect("parses"));
    });
    group.bench_function("import into a new store on disk", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |folder| {
                let mut store =
                    Store::open(&folder.path().join("caseload.sqlite3"), &KEY).expect("store");
                store
                    .import_gias_bytes(&file, "national.csv", None)
                    .expect("imports");
                folder
            },
            criterion::BatchSize::PerIteration,
        );
    });
    group.bench_function("import into a new store in memory", |b| {
        b.iter(|| {
            let mut store = Store::open_in_memory().expect("store");
            store
                .import_gias_bytes(&file, "national.csv", None)
                .expect("imports");
        });
    });
    let folder = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&folder.path().join("caseload.sqlite3"), &KEY).expect("store");
    store
        .import_gias_bytes(&file, "national.csv", None)
        .expect("imports");
    group.bench_function("re-import unchanged", |b| {
        b.iter(|| {
            store
                .import_gias_bytes(&file, "national.csv", None)
                .expect("imports")
        });
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);

//! The adviser's dashboard, the app's home page, on a large caseload: 400
//! schools linked to the adviser in a store of 5,000, each with two agreed
//! reviews, six visits this year, three open actions, two letters, an
//! inspection and three performance figures. Goal: well under the 100 ms a
//! page may take to feel immediate, however many schools the caseload holds
//! (the store reads each kind of record in one query).
//!
//! Run: `cargo bench -p caseload-store --bench dashboard`

use caseload_core::criteria::SupportCategory;
use caseload_core::letter::catalogue::Catalogue;
use caseload_core::letter::LetterStatus;
use caseload_core::performance::PerformanceFigure;
use caseload_core::review::ReviewStatus;
use caseload_core::visit::VisitStatus;
use caseload_core::{samples, AcademicYear, School, Urn};
use caseload_store::Store;
use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use uuid::Uuid;

const SCHOOLS: u32 = 5_000;
const CASELOAD: u32 = 400;
const CATALOGUE: &str = include_str!("../../../assets/letters/indicators.toml");

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Writes one caseload school's records, varied by `n` so the counts differ.
fn write_records(writer: &mut caseload_store::Writer<'_>, urn: Urn, n: u32) {
    let categories = [
        SupportCategory::Low,
        SupportCategory::Medium,
        SupportCategory::High,
    ];
    let offset = |days: u32| Days::new(u64::from((n * 7 + days) % 90));
    for (k, reviewed_on) in [date(2026, 3, 4) + offset(0), date(2026, 9, 20) + offset(5)]
        .into_iter()
        .enumerate()
    {
        let mut review = samples::review();
        review.id = Uuid::now_v7();
        review.urn = urn;
        review.reviewed_on = reviewed_on;
        review.status = ReviewStatus::Agreed;
        review.computed = Some(categories[(n as usize + k) % 3]);
        writer.save(&review).expect("review");
    }
    for k in 0..6 {
        let mut visit = samples::visit();
        visit.id = Uuid::now_v7();
        visit.urn = urn;
        visit.addendum_to = None;
        visit.visited_on = date(2026, 9, 8) + offset(k * 11);
        if visit.visited_on > date(2026, 11, 23) {
            visit.status = VisitStatus::Planned;
        }
        writer.save(&visit).expect("visit");
    }
    for k in 0..3 {
        let mut action = samples::action();
        action.id = Uuid::now_v7();
        action.urn = urn;
        action.due_on = date(2026, 10, 1) + offset(k * 13);
        writer.save(&action).expect("action");
    }
    for status in [LetterStatus::Issued, LetterStatus::Draft] {
        let mut letter = samples::letter();
        letter.id = Uuid::now_v7();
        letter.urn = urn;
        letter.status = status;
        writer.save(&letter).expect("letter");
    }
    let mut inspection = samples::inspection();
    inspection.id = Uuid::now_v7();
    inspection.urn = urn;
    writer.save(&inspection).expect("inspection");
    let sample = samples::performance_figure();
    for year in 2022..2025 {
        let figure = PerformanceFigure::new(
            urn,
            AcademicYear(year),
            sample.measure,
            sample.school,
            sample.la,
            sample.national,
        );
        writer.save(&figure).expect("figure");
    }
}

fn large_caseload(path: &std::path::Path) -> Store {
    // A raw key, as the keyring gives one: no key derivation on open.
    let key = caseload_store::StoreKey::Raw([0x42; 32]);
    let mut store = Store::open(path, &key).expect("store");
    let adviser = samples::adviser();
    store
        .write(|writer| {
            writer.save(&adviser)?;
            for n in 0..SCHOOLS {
                let urn = 100_000 + n;
                let link = (n < CASELOAD).then_some(adviser.id);
                writer.save(&School {
                    urn: Urn(urn),
                    name: format!("School {urn}"),
                    link_sia: link,
                    ..samples::school()
                })?;
                if link.is_some() {
                    write_records(writer, Urn(urn), n);
                }
            }
            Ok(())
        })
        .expect("the caseload");
    store.set_current_adviser(adviser.id).expect("adviser");
    store
}

fn dashboard(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("folder");
    let store = large_caseload(&folder.path().join("caseload.sqlite3"));
    let catalogue = Catalogue::parse(CATALOGUE).expect("the shipped indicators");
    let today = date(2026, 11, 23);
    let board = store.dashboard_on(today, &catalogue).expect("dashboard");
    assert_eq!(board.schools, CASELOAD as usize);
    println!(
        "{} schools: {} visits due, {} done, {} overdue; {} actions overdue; {} not reviewed; {} letters",
        board.schools,
        board.visits.due.len(),
        board.visits.done.len(),
        board.visits.overdue.len(),
        board.actions_overdue.len(),
        board.not_reviewed.len(),
        board.letters.len()
    );
    let mut group = c.benchmark_group("dashboard");
    group.sample_size(20);
    group.bench_function("dashboard of 400 schools in a store of 5,000", |b| {
        b.iter(|| store.dashboard_on(today, &catalogue).expect("dashboard"));
    });
    group.finish();
}

criterion_group!(benches, dashboard);
criterion_main!(benches);

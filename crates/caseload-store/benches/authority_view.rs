//! The authority-wide view of a national-scale store: 25,000 open schools
//! linked to 500 advisers, each school with two agreed reviews, six visits
//! this year, three open actions, an issued letter and a draft, and an
//! inspection (as the dashboard's bench builds a caseload school); one school
//! in fifty has an MSP group open and an issued warning notice, one academy
//! in ten a concern. Goal (oversight issue): under 200 ms.
//!
//! Run: `cargo bench -p caseload-store --bench authority_view`
//! (the store is built once, which takes a few minutes at full size;
//! `CASELOAD_BENCH_SCHOOLS` sets the number of schools;
//! `CASELOAD_BENCH_STORE=PATH` keeps the store at PATH and reuses it on the
//! next run, so that comparing two builds does not rebuild it).

use caseload_core::criteria::SupportCategory;
use caseload_core::letter::{LetterKind, LetterStatus};
use caseload_core::msp::MspGroup;
use caseload_core::ofsted::{Grade, OfstedOutcome};
use caseload_core::review::ReviewStatus;
use caseload_core::school::EstablishmentType;
use caseload_core::visit::VisitStatus;
use caseload_core::{samples, Adviser, AdviserId, AdviserRole, School, Urn};
use caseload_store::{Store, Writer};
use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use uuid::Uuid;

const SCHOOLS: u32 = 25_000;
const ADVISERS: u32 = 500;

fn school_count() -> u32 {
    std::env::var("CASELOAD_BENCH_SCHOOLS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(SCHOOLS)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn adviser(n: u32, role: AdviserRole) -> Adviser {
    Adviser {
        id: AdviserId(Uuid::from_u128(
            0x0190_0000_0000_7000_8000_0000_0001_0000 + u128::from(n),
        )),
        name: format!("Adviser {n}"),
        email: format!("adviser{n}@authority.example"),
        role,
    }
}

/// Writes one school's records, varied by `n` so the counts differ.
fn write_records(writer: &mut Writer<'_>, school: &School, n: u32) {
    let urn = school.urn;
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
        review.adviser = None;
        review.reviewed_on = reviewed_on;
        review.status = ReviewStatus::Agreed;
        review.computed = Some(categories[(n as usize + k) % 3]);
        writer.save(&review).expect("review");
    }
    for k in 0..6 {
        let mut visit = samples::visit();
        visit.id = Uuid::now_v7();
        visit.urn = urn;
        visit.adviser = school.link_sia;
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
    let concern = n.is_multiple_of(50);
    for status in [LetterStatus::Issued, LetterStatus::Draft] {
        let mut letter = samples::letter();
        letter.id = Uuid::now_v7();
        letter.urn = urn;
        letter.author = None;
        letter.status = status;
        if !concern {
            letter.kind = LetterKind::Congratulations;
        }
        writer.save(&letter).expect("letter");
    }
    let mut inspection = samples::inspection();
    inspection.id = Uuid::now_v7();
    inspection.urn = urn;
    if n.is_multiple_of(4) {
        // One school in four is not good: an older graded inspection.
        inspection.inspected_on = date(2023, 3, 8);
        inspection.outcome = OfstedOutcome::Graded2019 {
            overall: Some(Grade::RequiresImprovement),
            quality_of_education: Grade::RequiresImprovement,
            behaviour_and_attitudes: Grade::Good,
            personal_development: Grade::Good,
            leadership_and_management: Grade::RequiresImprovement,
            early_years: None,
            sixth_form: None,
        };
    }
    writer.save(&inspection).expect("inspection");
    if concern {
        let group = MspGroup {
            id: Uuid::now_v7(),
            urn,
            chair: adviser(0, AdviserRole::SeniorSia).id,
            closed: None,
            ..samples::msp_group()
        };
        writer.save(&group).expect("group");
    }
    if !school.maintained() && n % 10 == 1 {
        let mut concern = samples::academy_concern();
        concern.id = Uuid::now_v7();
        concern.urn = urn;
        concern.raised_by = None;
        concern.resolved = None;
        writer.save(&concern).expect("concern");
    }
}

fn national(path: &std::path::Path, schools: u32) -> Store {
    // A raw key, as the keyring gives one: no key derivation on open.
    let key = caseload_store::StoreKey::Raw([0x42; 32]);
    let built = path.exists();
    let mut store = Store::open(path, &key).expect("store");
    let senior = adviser(0, AdviserRole::SeniorSia);
    if !built {
        write_national(&mut store, &senior, schools);
    }
    store.set_current_adviser(senior.id).expect("adviser");
    store
}

fn write_national(store: &mut Store, senior: &Adviser, schools: u32) {
    store
        .write(|writer| {
            writer.save(senior)?;
            for n in 1..=ADVISERS {
                writer.save(&adviser(n, AdviserRole::LinkSia))?;
            }
            for n in 0..schools {
                let urn = 100_000 + n;
                let school = School {
                    urn: Urn(urn),
                    name: format!("School {urn}"),
                    ward: Some(format!("Ward {}", n % 1_200)),
                    pupils: Some(100 + n % 900),
                    establishment_type: EstablishmentType::new(if n % 3 == 0 {
                        "Academy converter"
                    } else {
                        "Community school"
                    }),
                    link_sia: Some(adviser(1 + n % ADVISERS, AdviserRole::LinkSia).id),
                    ..samples::school()
                };
                writer.save(&school)?;
                write_records(writer, &school, n);
            }
            Ok(())
        })
        .expect("the national store");
}

fn authority_view(c: &mut Criterion) {
    let schools = school_count();
    let folder = tempfile::tempdir().expect("folder");
    let path = std::env::var_os("CASELOAD_BENCH_STORE")
        .map_or_else(|| folder.path().join("caseload.sqlite3"), Into::into);
    let store = national(&path, schools);
    // In the spring term: the autumn's missed visits are overdue.
    let today = date(2027, 2, 10);
    let view = store.authority_view_on(today).expect("the view");
    println!(
        "{} schools in {} wards: {} good or better of {} judged; {} periods overdue; {} MSP groups and {} warning notices open; {} academy concerns",
        view.schools.len(),
        view.by_ward.len(),
        view.good_or_better.schools.good_or_better,
        view.good_or_better.schools.judged,
        view.visits_overdue.iter().map(|row| row.periods).sum::<usize>(),
        view.msp_groups_open.len(),
        view.warning_notices_open.len(),
        view.academy_concerns.iter().map(|at| at.concerns.len()).sum::<usize>(),
    );
    let mut group = c.benchmark_group("authority_view");
    group.sample_size(10);
    group.bench_function(
        format!("the authority-wide view of {schools} schools"),
        |b| {
            b.iter(|| store.authority_view_on(today).expect("the view"));
        },
    );
    group.finish();
}

criterion_group!(benches, authority_view);
criterion_main!(benches);

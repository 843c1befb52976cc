//! Scoring a national-scale caseload: 25,000 schools, each with its marked
//! statements scored by best fit against the authority's criteria, and its
//! visit entitlement computed for a date. Goal: well under a second.
//!
//! Run: `cargo bench -p caseload-core --bench scoring`

use caseload_core::criteria::{CriteriaSet, SupportCategory};
use caseload_core::entitlement::{entitlement_on, Entitled, VisitMade};
use caseload_core::scoring::{score, Mark};
use caseload_core::TermCalendar;
use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};

const SCHOOLS: usize = 25_000;

/// Each school marks eight statements spread over the set, as an adviser would.
fn caseload(set: &CriteriaSet) -> Vec<Vec<Mark>> {
    (0..SCHOOLS)
        .map(|school| {
            (0..8)
                .map(|k| {
                    let index = (school * 7 + k * 13) % set.statements.len();
                    Mark::new(set.statements[index].id.clone())
                })
                .collect()
        })
        .collect()
}

fn visits(school: usize) -> Vec<VisitMade> {
    let start = NaiveDate::from_ymd_opt(2026, 9, 1).expect("valid date");
    (0..school % 5)
        .map(|k| VisitMade {
            date: start + Days::new((school * 11 + k * 41) as u64 % 300),
            by_link_sia: k % 2 == 0,
        })
        .collect()
}

fn national(c: &mut Criterion) {
    let set = CriteriaSet::from_toml(include_str!(
        "../../../assets/criteria/peterborough-2022.toml"
    ))
    .expect("shipped set");
    let calendar = TermCalendar::from_toml(include_str!("../../../assets/term-dates.toml"))
        .expect("shipped term dates");
    let marks = caseload(&set);
    let made: Vec<Vec<VisitMade>> = (0..SCHOOLS).map(visits).collect();
    let today = NaiveDate::from_ymd_opt(2027, 2, 10).expect("valid date");
    let mut group = c.benchmark_group("national_caseload");
    group.sample_size(20);
    group.bench_function("score 25,000 schools", |b| {
        b.iter(|| {
            marks
                .iter()
                .map(|school| score(&set, school).expect("scores").overall.level)
                .filter(|level| *level == Some(SupportCategory::High))
                .count()
        });
    });
    group.bench_function("entitlement of 25,000 schools", |b| {
        b.iter(|| {
            made.iter()
                .enumerate()
                .map(|(school, visits)| {
                    let entitled = Entitled {
                        maintained: school % 3 != 0,
                        category: Some(SupportCategory::ALL[school % 3]),
                        enhanced_offer: school % 4 == 0,
                    };
                    entitlement_on(today, entitled, visits, &calendar).overdue()
                })
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);

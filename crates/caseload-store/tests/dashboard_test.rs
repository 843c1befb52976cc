//! The adviser's dashboard on the demo caseload: every count against the
//! caseload table and the letters' desk built from the same store, and
//! what a change to the records moves.

mod common;

use std::collections::BTreeSet;

use caseload_core::criteria::SupportCategory;
use caseload_core::dashboard::Dashboard;
use caseload_core::letter::catalogue::Catalogue;
use caseload_core::Urn;
use caseload_store::views::SchoolScope;
use caseload_store::Store;
use chrono::NaiveDate;
use common::{date, demo_store};

const CATALOGUE: &str = include_str!("../../../assets/letters/indicators.toml");
const NORTHGATE: Urn = Urn(990007);
const MARSH_LANE: Urn = Urn(990009);

fn catalogue() -> Catalogue {
    Catalogue::parse(CATALOGUE).expect("the shipped indicators")
}

fn dashboard(store: &Store, today: NaiveDate) -> Dashboard {
    store
        .dashboard_on(today, &catalogue())
        .expect("the dashboard")
}

#[test]
fn every_count_agrees_with_the_caseload_table_on_the_same_day() {
    let store = demo_store();
    let mut actions_seen = 0;
    for today in [date(2026, 12, 2), date(2027, 2, 1), date(2027, 6, 30)] {
        actions_seen += counts_agree(&store, today);
    }
    assert!(actions_seen > 0, "the demo's MSP actions fall overdue");
}

/// Checks the dashboard on `today` against the caseload table; returns how
/// many actions were overdue.
fn counts_agree(store: &Store, today: NaiveDate) -> usize {
    let dashboard = dashboard(store, today);
    let rows = store
        .school_rows_on(today, SchoolScope::Caseload)
        .expect("rows");
    assert_eq!(dashboard.schools, rows.len());

    let flagged: BTreeSet<u32> = rows
        .iter()
        .filter(|row| row.review_due)
        .map(|row| row.urn)
        .collect();
    let listed: BTreeSet<u32> = dashboard
        .not_reviewed
        .iter()
        .map(|row| row.school.urn.0)
        .collect();
    assert_eq!(listed, flagged);
    assert_eq!(listed.len(), dashboard.not_reviewed.len(), "a school once");

    let overdue: usize = rows.iter().map(|row| row.visits_overdue).sum();
    assert_eq!(dashboard.visits.overdue.len(), overdue);
    let due: usize = rows.iter().map(|row| row.visits_due).sum();
    assert!(
        dashboard.visits.due.len() >= due,
        "this term's due periods include the upcoming half-term"
    );
    let actions: usize = rows.iter().map(|row| row.actions_overdue).sum();
    assert_eq!(dashboard.actions_overdue.len(), actions);

    for row in &rows {
        let placed = dashboard
            .categories
            .rows
            .iter()
            .find(|mix| mix.now.iter().any(|school| school.urn.0 == row.urn))
            .expect("every school has a row");
        assert_eq!(placed.category, row.category, "{}", row.name);
    }
    actions
}

#[test]
fn the_demo_shows_northgate_declined_and_marsh_lane_improved_since_last_term() {
    let store = demo_store();
    let dashboard = dashboard(&store, date(2026, 12, 2));
    assert_eq!(dashboard.term, "Autumn term 2026/27");
    let mix = dashboard.categories;
    assert_eq!(mix.last_term, "Summer term 2025/26");
    let northgate = mix
        .declined
        .iter()
        .find(|moved| moved.school.urn == NORTHGATE)
        .expect("Northgate declined");
    assert_eq!(
        (northgate.from, northgate.to),
        (Some(SupportCategory::Medium), SupportCategory::High)
    );
    let marsh = mix
        .improved
        .iter()
        .find(|moved| moved.school.urn == MARSH_LANE)
        .expect("Marsh Lane improved");
    assert_eq!(
        (marsh.from, marsh.to),
        (Some(SupportCategory::High), SupportCategory::Medium)
    );
}

#[test]
fn the_letters_are_those_the_letters_desk_says_are_due() {
    let store = demo_store();
    let today = date(2026, 12, 2);
    let urns: Vec<Urn> = store
        .schools(SchoolScope::Caseload)
        .expect("schools")
        .iter()
        .map(|school| school.urn)
        .collect();
    let desk: BTreeSet<(Urn, String, Option<String>)> = store
        .letters_due(&catalogue(), &urns, today)
        .expect("letters due")
        .into_iter()
        .flat_map(|school| {
            school.letters.into_iter().map(move |letter| {
                (
                    school.urn,
                    letter.kind.id().to_owned(),
                    letter.visit.map(|id| id.to_string()),
                )
            })
        })
        .collect();
    let dashboard = dashboard(&store, today);
    let listed: BTreeSet<(Urn, String, Option<String>)> = dashboard
        .letters
        .iter()
        .map(|letter| {
            (
                letter.school.urn,
                letter.kind.id().to_owned(),
                letter.visit.map(|id| id.to_string()),
            )
        })
        .collect();
    assert!(!listed.is_empty(), "the demo has letters due");
    assert_eq!(listed, desk);
    assert_eq!(listed.len(), dashboard.letters.len());
}

#[test]
fn completing_an_overdue_action_takes_it_off_the_list() {
    let mut store = demo_store();
    let today = date(2027, 2, 1);
    let before = dashboard(&store, today).actions_overdue;
    let first = before.first().expect("an overdue action");
    assert!(first.due_on < today);
    assert!(
        first.msp_group.is_some(),
        "Northgate's come from its MSP meetings"
    );
    store.complete_action(first.id, today).expect("completes");
    let after = dashboard(&store, today).actions_overdue;
    assert_eq!(after.len(), before.len() - 1);
    assert!(after.iter().all(|action| action.id != first.id));
}

#[test]
fn an_adviser_with_no_caseload_sees_an_empty_dashboard() {
    let store = Store::open_in_memory().expect("store");
    let dashboard = dashboard(&store, date(2026, 12, 2));
    assert_eq!(dashboard.schools, 0);
    assert!(dashboard.visits.due.is_empty() && dashboard.letters.is_empty());
    assert!(dashboard
        .categories
        .rows
        .iter()
        .all(|row| row.now.is_empty()));
}

#[test]
fn a_senior_sia_sees_the_meetings_of_groups_they_chair_outside_their_caseload() {
    let mut store = demo_store();
    let margaret = store
        .adviser_by("margaret.okonjo@fenbridge.example")
        .expect("the demo's Senior SIA");
    store.set_current_adviser(margaret.id).expect("sets");
    let caseload: BTreeSet<u32> = store
        .schools(SchoolScope::Caseload)
        .expect("her caseload")
        .iter()
        .map(|school| school.urn.0)
        .collect();
    assert!(!caseload.contains(&NORTHGATE.0), "Northgate is Priya's");

    // Spring: Northgate's group has not met since the autumn.
    let meetings = dashboard(&store, date(2027, 3, 1)).msp_meetings;
    let owed: Vec<u32> = meetings
        .due
        .iter()
        .chain(&meetings.overdue)
        .map(|owed| owed.school.urn.0)
        .collect();
    assert_eq!(owed, [NORTHGATE.0], "the group she chairs is counted once");
}

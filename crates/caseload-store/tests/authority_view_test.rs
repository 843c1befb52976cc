//! The authority-wide view of a store built for the test: six schools with
//! known reviews, visits, inspections, an MSP group, warning notices and an
//! academy concern, every count checked; who may see it; and the demo
//! caseload seen as its Senior SIA.

mod common;

use caseload_core::academy::{EscalationStep, Stage, Step};
use caseload_core::authority::{AuthorityView, TermDirection};
use caseload_core::criteria::SupportCategory::{self, High, Low, Medium};
use caseload_core::letter::LetterStatus;
use caseload_core::msp::MspGroup;
use caseload_core::ofsted::{Grade, OfstedInspection, OfstedOutcome};
use caseload_core::review::ReviewStatus;
use caseload_core::school::{EstablishmentType, SchoolStatus};
use caseload_core::{samples, Adviser, AdviserId, AdviserRole, Phase, School, Urn};
use caseload_store::{Store, StoreError, Writer};
use chrono::NaiveDate;
use common::{date, demo_store};
use uuid::Uuid;

/// A spring day: the autumn term's visits are owed by now.
fn today() -> NaiveDate {
    date(2027, 2, 10)
}

fn adviser(n: u128, name: &str, role: AdviserRole) -> Adviser {
    Adviser {
        id: AdviserId(Uuid::from_u128(n)),
        name: name.to_owned(),
        email: format!("adviser{n}@fenbridge.example"),
        role,
    }
}

fn priya() -> Adviser {
    adviser(1, "Priya Raman", AdviserRole::LinkSia)
}

fn tom() -> Adviser {
    adviser(2, "Tom Gallagher", AdviserRole::LinkSia)
}

fn margaret() -> Adviser {
    adviser(3, "Margaret Okonjo", AdviserRole::SeniorSia)
}

fn school(
    urn: u32,
    name: &str,
    (phase, ward): (Phase, Option<&str>),
    maintained: bool,
    pupils: u32,
    link: Option<&Adviser>,
) -> School {
    School {
        urn: Urn(urn),
        name: name.to_owned(),
        phase,
        ward: ward.map(str::to_owned),
        establishment_type: EstablishmentType::new(if maintained {
            "Community school"
        } else {
            "Academy converter"
        }),
        pupils: Some(pupils),
        link_sia: link.map(|adviser| adviser.id),
        ..samples::school()
    }
}

fn review(writer: &mut Writer<'_>, urn: u32, on: NaiveDate, category: SupportCategory) {
    let mut review = samples::review();
    review.id = Uuid::now_v7();
    review.urn = Urn(urn);
    review.reviewed_on = on;
    review.status = ReviewStatus::Agreed;
    review.computed = Some(category);
    review.adviser = None;
    writer.save(&review).expect("review");
}

fn visit(writer: &mut Writer<'_>, urn: u32, on: NaiveDate) {
    let mut visit = samples::visit();
    visit.id = Uuid::now_v7();
    visit.urn = Urn(urn);
    visit.visited_on = on;
    visit.addendum_to = None;
    visit.adviser = None;
    writer.save(&visit).expect("visit");
}

fn inspection(writer: &mut Writer<'_>, urn: u32, grade: Grade) {
    let inspection = OfstedInspection {
        id: Uuid::now_v7(),
        urn: Urn(urn),
        inspected_on: date(2023, 5, 10),
        outcome: OfstedOutcome::Graded2019 {
            overall: Some(grade),
            quality_of_education: grade,
            behaviour_and_attitudes: grade,
            personal_development: grade,
            leadership_and_management: grade,
            early_years: None,
            sixth_form: None,
        },
    };
    writer.save(&inspection).expect("inspection");
}

fn warning_notice(writer: &mut Writer<'_>, urn: u32, dated: NaiveDate, status: LetterStatus) {
    let mut letter = samples::letter();
    letter.id = Uuid::now_v7();
    letter.urn = Urn(urn);
    letter.dated = dated;
    letter.status = status;
    letter.author = None;
    writer.save(&letter).expect("letter");
}

/// Six schools, one of them closed; Margaret Okonjo, a Senior SIA, asks.
fn authority() -> Store {
    authority_in(Store::open_in_memory().expect("store"))
}

/// [`authority`] written into `store`.
fn authority_in(mut store: Store) -> Store {
    let (priya, tom) = (priya(), tom());
    store
        .write(|writer| {
            for adviser in [&priya, &tom, &margaret()] {
                writer.save(adviser)?;
            }
            let primary = |ward| (Phase::Primary, ward);
            let secondary = |ward| (Phase::Secondary, ward);
            let schools = [
                school(
                    1,
                    "Ash Primary",
                    primary(Some("Castle")),
                    true,
                    200,
                    Some(&priya),
                ),
                school(
                    2,
                    "Birch Primary",
                    primary(Some("Castle")),
                    true,
                    400,
                    Some(&priya),
                ),
                school(
                    3,
                    "Cedar Secondary",
                    secondary(Some("Riverside")),
                    true,
                    1_000,
                    Some(&tom),
                ),
                school(4, "Damson Nursery", (Phase::Nursery, None), true, 50, None),
                school(
                    5,
                    "Elm Academy",
                    secondary(Some("Riverside")),
                    false,
                    900,
                    Some(&tom),
                ),
                School {
                    status: SchoolStatus::Closed,
                    ..school(
                        6,
                        "Fir Primary",
                        primary(Some("Castle")),
                        true,
                        10,
                        Some(&priya),
                    )
                },
            ];
            for school in &schools {
                writer.save(school)?;
            }
            // Ash: improving this term, its autumn visit made, good.
            review(writer, 1, date(2026, 6, 10), Medium);
            review(writer, 1, date(2027, 1, 20), Low);
            visit(writer, 1, date(2026, 10, 5));
            inspection(writer, 1, Grade::Good);
            // Birch: declining into high support, no visits, an open group
            // and an old warning notice still open.
            review(writer, 2, date(2026, 6, 10), Medium);
            review(writer, 2, date(2027, 1, 15), High);
            inspection(writer, 2, Grade::RequiresImprovement);
            let group = MspGroup {
                id: Uuid::now_v7(),
                urn: Urn(2),
                chair: margaret().id,
                opened_on: date(2027, 1, 25),
                closed: None,
                ..samples::msp_group()
            };
            writer.save(&group)?;
            warning_notice(writer, 2, date(2026, 11, 2), LetterStatus::Issued);
            // Cedar: last reviewed in the autumn, its notice over and a
            // draft that does not count.
            review(writer, 3, date(2026, 10, 1), Medium);
            inspection(writer, 3, Grade::Outstanding);
            warning_notice(writer, 3, date(2026, 5, 4), LetterStatus::Issued);
            warning_notice(writer, 3, date(2027, 2, 9), LetterStatus::Draft);
            // Damson: never reviewed, never inspected.
            // Elm: reviewed for the first time; a concern at the trust letter.
            review(writer, 5, date(2027, 2, 1), Medium);
            inspection(writer, 5, Grade::Inadequate);
            let mut concern = samples::academy_concern();
            concern.urn = Urn(5);
            concern.resolved = None;
            concern.raised_by = None;
            concern.steps.push(EscalationStep {
                step: Step::TrustLetter,
                ..concern.steps[0].clone()
            });
            writer.save(&concern)?;
            // Fir is closed: its records count nowhere.
            review(writer, 6, date(2027, 1, 10), High);
            inspection(writer, 6, Grade::Inadequate);
            Ok(())
        })
        .expect("the authority");
    store.set_current_adviser(margaret().id).expect("adviser");
    store
}

fn view(store: &Store) -> AuthorityView {
    store.authority_view_on(today()).expect("the view")
}

fn urns(numbers: &[u32]) -> Vec<Urn> {
    numbers.iter().copied().map(Urn).collect()
}

fn cells(view: &AuthorityView, table: &str, label: &str) -> Vec<Vec<Urn>> {
    let rows = match table {
        "phase" => &view.by_phase,
        "ward" => &view.by_ward,
        _ => &view.by_adviser,
    };
    let row = rows
        .iter()
        .find(|row| row.label == label)
        .unwrap_or_else(|| panic!("no {table} row {label}"));
    row.categories
        .iter()
        .map(|cell| cell.schools.clone())
        .collect()
}

#[test]
fn every_open_school_is_counted_by_category_phase_ward_and_adviser() {
    let view = view(&authority());
    let listed: Vec<u32> = view.schools.iter().map(|line| line.urn.0).collect();
    assert_eq!(
        listed,
        [1, 2, 3, 4, 5],
        "by name, the closed school left out"
    );
    let all: Vec<Vec<Urn>> = view.categories.iter().map(|c| c.schools.clone()).collect();
    assert_eq!(all, [urns(&[1]), urns(&[3, 5]), urns(&[2]), urns(&[4])]);
    let none = Vec::new;
    assert_eq!(
        cells(&view, "phase", "Primary"),
        [urns(&[1]), none(), urns(&[2]), none()]
    );
    assert_eq!(
        cells(&view, "phase", "Secondary"),
        [none(), urns(&[3, 5]), none(), none()]
    );
    assert_eq!(
        cells(&view, "phase", "Nursery"),
        [none(), none(), none(), urns(&[4])]
    );
    assert_eq!(
        cells(&view, "ward", "Castle"),
        [urns(&[1]), none(), urns(&[2]), none()]
    );
    assert_eq!(
        cells(&view, "ward", "Riverside"),
        [none(), urns(&[3, 5]), none(), none()]
    );
    assert_eq!(
        cells(&view, "ward", "No ward recorded"),
        [none(), none(), none(), urns(&[4])]
    );
    assert_eq!(
        cells(&view, "adviser", "Priya Raman"),
        [urns(&[1]), none(), urns(&[2]), none()]
    );
    assert_eq!(
        cells(&view, "adviser", "Tom Gallagher"),
        [none(), urns(&[3, 5]), none(), none()]
    );
    assert_eq!(
        cells(&view, "adviser", "No link SIA"),
        [none(), none(), none(), urns(&[4])]
    );
    assert_eq!(
        view.by_phase.len() + view.by_ward.len() + view.by_adviser.len(),
        9
    );
}

#[test]
fn direction_of_travel_this_term() {
    let view = view(&authority());
    let counts: Vec<(TermDirection, Vec<Urn>)> = view
        .direction
        .iter()
        .map(|count| (count.direction, count.schools.clone()))
        .collect();
    assert_eq!(
        counts,
        [
            (TermDirection::Improving, urns(&[1])),
            (TermDirection::Steady, vec![]),
            (TermDirection::Declining, urns(&[2])),
            (TermDirection::FirstReview, urns(&[5])),
            (TermDirection::NotReviewed, urns(&[3, 4])),
        ]
    );
}

#[test]
fn good_or_better_against_the_target() {
    let view = view(&authority());
    let measure = &view.good_or_better;
    assert_eq!(measure.target_percent, 90.0, "assets/authority.toml");
    assert_eq!(measure.good, urns(&[1, 3]));
    assert_eq!(measure.not_good, urns(&[2]));
    assert_eq!(measure.not_inspected, urns(&[4]));
    assert_eq!(
        (measure.schools.good_or_better, measure.schools.judged),
        (2, 3)
    );
    assert_eq!(
        (measure.pupils.good_or_better, measure.pupils.judged),
        (1_200, 1_600)
    );
    assert_eq!(measure.pupils.percent, Some(75.0));
    assert_eq!(measure.schools.meets_target, Some(false));
}

#[test]
fn visits_overdue_by_adviser() {
    let view = view(&authority());
    let rows: Vec<(&str, usize, usize, Vec<Urn>)> = view
        .visits_overdue
        .iter()
        .map(|row| {
            (
                row.name.as_str(),
                row.caseload,
                row.periods,
                row.schools.clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            // Birch, in high support, missed both autumn half-terms.
            ("Priya Raman", 2, 2, urns(&[2])),
            // Cedar missed its autumn visit; Elm, an academy, is owed none.
            ("Tom Gallagher", 2, 1, urns(&[3])),
            ("No link SIA", 1, 1, urns(&[4])),
        ]
    );
}

#[test]
fn msp_groups_warning_notices_and_academy_concerns_open() {
    let view = view(&authority());
    let groups: Vec<(Urn, &str)> = view
        .msp_groups_open
        .iter()
        .map(|group| (group.urn, group.chair.as_str()))
        .collect();
    assert_eq!(groups, [(Urn(2), "Margaret Okonjo")]);
    let notices: Vec<(Urn, NaiveDate)> = view
        .warning_notices_open
        .iter()
        .map(|notice| (notice.urn, notice.dated))
        .collect();
    assert_eq!(notices, [(Urn(2), date(2026, 11, 2))]);
    let stages: Vec<(Stage, Vec<Urn>)> = view
        .academy_concerns
        .iter()
        .map(|at| (at.stage, at.concerns.iter().map(|c| c.urn).collect()))
        .collect();
    assert_eq!(
        stages,
        [
            (Stage::Raised, vec![]),
            (Stage::Meeting, vec![]),
            (Stage::TrustLetter, urns(&[5])),
            (Stage::Referred, vec![]),
            (Stage::Resolved, vec![]),
        ]
    );
    let birch = &view.schools[1];
    assert_eq!(birch.msp_group_opened, Some(date(2027, 1, 25)));
    assert_eq!(birch.warning_notice, Some(date(2026, 11, 2)));
    assert_eq!(view.schools[4].academy_concern, Some(Stage::TrustLetter));
}

#[test]
fn a_link_sia_is_refused_with_a_reason() {
    let mut store = authority();
    store.set_current_adviser(priya().id).expect("adviser");
    let refused = store.authority_view_on(today()).expect_err("a link SIA");
    assert!(matches!(refused, StoreError::Authority(_)));
    assert!(
        refused
            .to_string()
            .starts_with("Priya Raman is a School Improvement Adviser; the authority-wide view is for Senior SIAs"),
        "{refused}"
    );
}

#[test]
fn the_demo_is_seen_whole_by_its_senior_sia() {
    let mut store = demo_store();
    assert!(matches!(
        store.authority_view_on(today()),
        Err(StoreError::Authority(_))
    ));
    let status = store
        .switch_demo_adviser("margaret.okonjo@fenbridge.example")
        .expect("switched");
    let adviser = status.adviser.expect("an adviser");
    assert_eq!(adviser.name, "Margaret Okonjo");
    let view = view(&store);
    let open = store
        .schools(caseload_store::views::SchoolScope::All)
        .expect("schools")
        .iter()
        .filter(|school| school.in_caseload())
        .count();
    assert_eq!(view.schools.len(), open);
    assert!(view.schools.len() >= 28, "{}", view.schools.len());
    assert!(
        !view.msp_groups_open.is_empty(),
        "the demo has an MSP group open"
    );
    let concerns: usize = view
        .academy_concerns
        .iter()
        .map(|at| at.concerns.len())
        .sum();
    assert!(concerns > 0, "the demo has academy concerns");
    assert!(view.good_or_better.schools.judged > 0);
}

#[test]
fn only_a_demo_store_switches_adviser() {
    let mut store = authority();
    let refused = store
        .switch_demo_adviser("adviser1@fenbridge.example")
        .expect_err("not the demo");
    assert!(matches!(refused, StoreError::NotDemo), "{refused}");
    let mut demo = demo_store();
    assert!(matches!(
        demo.switch_demo_adviser("nobody@fenbridge.example"),
        Err(StoreError::AdviserNotFound(_))
    ));
}

#[test]
fn a_store_on_disk_sees_the_same_and_each_look_sees_the_latest_writes() {
    // On disk the reviews and visits are read on a second connection.
    let folder = tempfile::tempdir().expect("folder");
    let path = folder.path().join("caseload.sqlite3");
    let mut store = authority_in(common::open(&path));
    // The same but for the ids the test's records are given as written.
    let without_ids = |mut view: AuthorityView| {
        view.msp_groups_open
            .iter_mut()
            .for_each(|group| group.id = Uuid::nil());
        view.warning_notices_open
            .iter_mut()
            .for_each(|notice| notice.id = Uuid::nil());
        view
    };
    assert_eq!(without_ids(view(&store)), without_ids(view(&authority())));
    let category_of_cedar = |view: &AuthorityView| {
        view.schools
            .iter()
            .find(|line| line.urn == Urn(3))
            .expect("Cedar is open")
            .category
    };
    assert_eq!(category_of_cedar(&view(&store)), Some(Medium));
    store
        .write(|writer| {
            review(writer, 3, date(2027, 2, 8), High);
            Ok(())
        })
        .expect("a later review");
    assert_eq!(category_of_cedar(&view(&store)), Some(High));
    // Closed, the store is its file alone, the log folded in, as before.
    drop(store);
    assert!(!path.with_extension("sqlite3-wal").exists());
}

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::action::ActionSource;
use crate::criteria::CriteriaSet;
use crate::letter::LetterStatus;
use crate::msp::MeetingStatus;
use crate::samples;
use crate::school::EstablishmentType;
use crate::scoring::Mark;
use crate::visit::{Session, VisitKind};

const TERM_DATES: &str = include_str!("../../../../assets/term-dates.toml");
const CRITERIA: &str = include_str!("../../../../assets/criteria/peterborough-2022.toml");
const CATALOGUE: &str = include_str!("../../../../assets/letters/indicators.toml");

const LOW: &str = "lm-low-governors-effective";
const MEDIUM: &str = "lm-medium-leadership-requires-support";
const HIGH: &str = "lm-high-safeguarding-not-met";

fn calendar() -> TermCalendar {
    TermCalendar::from_toml(TERM_DATES).expect("shipped term dates")
}

fn catalogue() -> Catalogue {
    Catalogue::parse(CATALOGUE).expect("shipped catalogue")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn school(urn: u32, name: &str) -> CaseloadSchool {
    let mut school = samples::school();
    school.urn = Urn(urn);
    school.name = name.to_owned();
    CaseloadSchool {
        school,
        reviews: Vec::new(),
        visits: Vec::new(),
        actions: Vec::new(),
        enhanced_offer: false,
        msp_groups: Vec::new(),
        msp_meetings: Vec::new(),
        letters: Vec::new(),
        inspections: Vec::new(),
        figures: Vec::new(),
    }
}

fn agreed(id: u128, urn: u32, on: NaiveDate, statement: &str) -> Review {
    let set = CriteriaSet::from_toml(CRITERIA).expect("shipped set");
    let mut review = Review::draft(Uuid::from_u128(id), Urn(urn), &set.id, on);
    review.remark(vec![Mark::new(statement)]).expect("a draft");
    review.agree(&set, None).expect("agrees");
    review
}

fn visit(id: u128, urn: u32, on: NaiveDate, status: VisitStatus) -> Visit {
    let mut visit = Visit::plan(
        Uuid::from_u128(id),
        Urn(urn),
        on,
        Session::Am,
        VisitKind::Bespoke,
    );
    visit.status = status;
    visit
}

fn action(id: u128, urn: u32, due_on: NaiveDate, source: ActionSource) -> Action {
    Action::agree(
        Uuid::from_u128(id),
        Urn(urn),
        "Review the behaviour policy",
        "Headteacher",
        due_on,
        source,
    )
    .expect("a valid action")
}

fn urns<'a>(schools: impl IntoIterator<Item = &'a SchoolRef>) -> Vec<u32> {
    schools.into_iter().map(|school| school.urn.0).collect()
}

/// On 23 November 2026 (the second half of the autumn term):
/// - Abbey: medium since spring, visited in October, not reviewed this term;
/// - Brook: medium last spring, high since October, so visited half-termly:
///   the first half passed without a visit, a visit is planned for the
///   second; its MSP group met in October, so the next meeting is due this
///   half-term; an action from that meeting is overdue; its significant
///   concerns letter (safeguarding) is drafted, not issued;
/// - Cedar: an academy never reviewed: owed no visits;
/// - Dale: first reviewed this term (low), visited on 10 November with no
///   note of visit written yet.
fn caseload() -> Vec<CaseloadSchool> {
    let mut abbey = school(1, "Abbey Primary");
    abbey.reviews = vec![agreed(11, 1, date(2026, 3, 4), MEDIUM)];
    abbey.visits = vec![visit(12, 1, date(2026, 10, 1), VisitStatus::Finalised)];

    let mut brook = school(2, "Brook Infant");
    brook.reviews = vec![
        agreed(21, 2, date(2026, 3, 4), MEDIUM),
        agreed(22, 2, date(2026, 10, 1), HIGH),
    ];
    brook.visits = vec![visit(23, 2, date(2026, 12, 1), VisitStatus::Planned)];
    let group = MspGroup {
        id: Uuid::from_u128(24),
        urn: Urn(2),
        closed: None,
        ..samples::msp_group()
    };
    let mut met = MspMeeting::schedule(Uuid::from_u128(25), &group, date(2026, 10, 7), "Library")
        .expect("a meeting");
    met.status = MeetingStatus::Approved;
    brook.actions = vec![
        action(26, 2, date(2026, 11, 1), ActionSource::MspMeeting(met.id)),
        action(27, 2, date(2026, 12, 1), ActionSource::MspMeeting(met.id)),
    ];
    let mut concerns = samples::letter();
    concerns.id = Uuid::from_u128(28);
    concerns.urn = Urn(2);
    concerns.kind = LetterKind::SignificantConcerns;
    concerns.status = LetterStatus::Draft;
    brook.letters = vec![concerns];
    brook.msp_groups = vec![group];
    brook.msp_meetings = vec![met];

    let mut cedar = school(3, "Cedar Academy");
    cedar.school.establishment_type = EstablishmentType::new("Academy converter");

    let mut dale = school(4, "Dale Junior");
    dale.reviews = vec![agreed(41, 4, date(2026, 11, 2), LOW)];
    let mut seen = visit(42, 4, date(2026, 11, 10), VisitStatus::Finalised);
    seen.strengths = "Reading".to_owned();
    dale.visits = vec![seen];
    // Given out of order: the lists come back by school name.
    vec![dale, cedar, brook, abbey]
}

fn dashboard() -> Dashboard {
    dashboard_on(
        date(2026, 11, 23),
        &caseload(),
        &[],
        &calendar(),
        &catalogue(),
    )
}

#[test]
fn visits_are_done_due_or_overdue_against_each_schools_entitlement() {
    let visits = dashboard().visits;
    assert_eq!(urns(visits.done.iter().map(|owed| &owed.school)), [1, 4]);
    assert_eq!(visits.done[0].period, "Autumn term (core visit)");
    assert_eq!(visits.done[0].visits[0].id, Uuid::from_u128(12));
    // Brook, in high support, owes a visit each half-term: the first half
    // passed without one; the second has one planned. Cedar owes none.
    assert_eq!(urns(visits.due.iter().map(|owed| &owed.school)), [2]);
    assert_eq!(visits.due[0].period, "Autumn term, second half");
    assert_eq!(urns(visits.overdue.iter().map(|owed| &owed.school)), [2]);
    assert_eq!(visits.overdue[0].period, "Autumn term, first half");
    assert!(visits.overdue[0].visits.is_empty());
    let planned = &visits.due[0].visits;
    assert_eq!(planned.len(), 1);
    assert_eq!(
        (planned[0].visited_on, planned[0].status),
        (date(2026, 12, 1), VisitStatus::Planned)
    );
}

#[test]
fn an_msp_meeting_is_due_in_the_half_term_it_must_be_held_in_and_overdue_after() {
    let caseload = caseload();
    let on = |day| dashboard_on(day, &caseload, &[], &calendar(), &catalogue()).msp_meetings;
    // Met in the first half of autumn: the next is due by the end of the second.
    let first_half = on(date(2026, 10, 14));
    assert!(first_half.due.is_empty() && first_half.overdue.is_empty());
    let second_half = on(date(2026, 11, 23));
    assert_eq!(urns(second_half.due.iter().map(|owed| &owed.school)), [2]);
    assert_eq!(second_half.due[0].group, Uuid::from_u128(24));
    assert_eq!(second_half.due[0].last_met, Some(date(2026, 10, 7)));
    assert!(second_half.overdue.is_empty());
    let spring = on(date(2027, 1, 20));
    assert!(spring.due.is_empty());
    assert_eq!(urns(spring.overdue.iter().map(|owed| &owed.school)), [2]);
}

#[test]
fn meetings_of_a_group_chaired_outside_the_caseload_are_counted_in_school_order() {
    let caseload = caseload();
    // Aston, linked to another adviser; its group last met in June, so its
    // next meeting was due by the end of autumn's first half-term.
    let aston = school(5, "Aston Primary").school;
    let group = MspGroup {
        id: Uuid::from_u128(51),
        urn: Urn(5),
        opened_on: date(2026, 6, 1),
        closed: None,
        ..samples::msp_group()
    };
    let mut met = MspMeeting::schedule(Uuid::from_u128(52), &group, date(2026, 6, 10), "Hall")
        .expect("a meeting");
    met.status = MeetingStatus::Approved;
    let chaired = [ChairedGroup {
        school: aston,
        group,
        meetings: vec![met],
    }];
    let meetings = dashboard_on(
        date(2026, 11, 23),
        &caseload,
        &chaired,
        &calendar(),
        &catalogue(),
    )
    .msp_meetings;
    assert_eq!(urns(meetings.overdue.iter().map(|owed| &owed.school)), [5]);
    assert_eq!(meetings.overdue[0].group, Uuid::from_u128(51));
    assert_eq!(urns(meetings.due.iter().map(|owed| &owed.school)), [2]);

    // Due this half-term, Aston comes before the caseload's Brook.
    let mut recent = chaired.clone();
    recent[0].meetings[0].meets_on = date(2026, 10, 14);
    let meetings = dashboard_on(
        date(2026, 11, 23),
        &caseload,
        &recent,
        &calendar(),
        &catalogue(),
    )
    .msp_meetings;
    assert_eq!(urns(meetings.due.iter().map(|owed| &owed.school)), [5, 2]);
}

#[test]
fn overdue_actions_name_the_msp_group_they_were_agreed_in() {
    let actions = dashboard().actions_overdue;
    assert_eq!(
        actions.len(),
        1,
        "the action due in December is not overdue yet"
    );
    assert_eq!(actions[0].id, Uuid::from_u128(26));
    assert_eq!(actions[0].msp_group, Some(Uuid::from_u128(24)));
}

#[test]
fn schools_without_an_agreed_review_this_term_are_listed_with_their_last_review() {
    let not_reviewed = dashboard().not_reviewed;
    assert_eq!(urns(not_reviewed.iter().map(|row| &row.school)), [1, 3]);
    assert_eq!(not_reviewed[0].last_reviewed, Some(date(2026, 3, 4)));
    assert_eq!(not_reviewed[0].category, Some(SupportCategory::Medium));
    assert_eq!(not_reviewed[1].last_reviewed, None);
}

#[test]
fn the_category_mix_compares_now_with_the_end_of_last_term() {
    let mix = dashboard().categories;
    assert_eq!(mix.last_term, "Summer term 2025/26");
    let row = |category| {
        let row = mix
            .rows
            .iter()
            .find(|row| row.category == category)
            .expect("a row");
        (urns(&row.now), urns(&row.last_term))
    };
    assert_eq!(row(Some(SupportCategory::Low)), (vec![4], vec![]));
    assert_eq!(row(Some(SupportCategory::Medium)), (vec![1], vec![1, 2]));
    assert_eq!(row(Some(SupportCategory::High)), (vec![2], vec![]));
    assert_eq!(row(None), (vec![3], vec![3, 4]));
    assert_eq!(urns(mix.declined.iter().map(|moved| &moved.school)), [2]);
    assert_eq!(mix.declined[0].from, Some(SupportCategory::Medium));
    assert!(mix.improved.is_empty());
    assert_eq!(
        urns(mix.first_categorised.iter().map(|moved| &moved.school)),
        [4]
    );
}

#[test]
fn suggested_letters_link_to_the_draft_under_way() {
    let letters = dashboard().letters;
    let of = |urn, kind| {
        letters
            .iter()
            .find(|letter| letter.school.urn == Urn(urn) && letter.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} suggested for {urn}: {letters:?}"))
    };
    let concerns = of(2, LetterKind::SignificantConcerns);
    assert_eq!(concerns.indicators, ["safeguarding"]);
    assert_eq!(concerns.draft, Some(Uuid::from_u128(28)));
    let note = of(4, LetterKind::VisitNote);
    assert_eq!(note.visit, Some(Uuid::from_u128(42)));
    assert_eq!((note.draft, note.kind_label), (None, "note of visit"));
}

#[test]
fn the_term_is_named_and_the_schools_counted() {
    let dashboard = dashboard();
    assert_eq!(dashboard.term, "Autumn term 2026/27");
    assert_eq!(dashboard.schools, 4);
}

/// A random school: maintained or not, with reviews, visits and actions
/// scattered over two school years.
fn any_school(urn: u32) -> impl Strategy<Value = CaseloadSchool> {
    let day = 0u64..700;
    let statement = prop_oneof![Just(LOW), Just(MEDIUM), Just(HIGH)];
    let status = prop_oneof![
        Just(VisitStatus::Planned),
        Just(VisitStatus::Draft),
        Just(VisitStatus::Finalised)
    ];
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((day.clone(), statement), 0..4),
        prop::collection::vec((day.clone(), status), 0..5),
        prop::collection::vec((day, any::<bool>()), 0..4),
    )
        .prop_map(move |(maintained, offer, reviews, visits, actions)| {
            let start = date(2025, 9, 1);
            let on = |offset: u64| start + Days::new(offset);
            let id = |n: usize| u128::from(urn) * 1_000 + n as u128;
            let mut built = school(urn, &format!("School {:03}", 999 - urn));
            if !maintained {
                built.school.establishment_type = EstablishmentType::new("Academy converter");
            }
            built.enhanced_offer = offer;
            built.reviews = reviews
                .into_iter()
                .enumerate()
                .map(|(n, (day, statement))| agreed(id(n), urn, on(day), statement))
                .collect();
            built.visits = visits
                .into_iter()
                .enumerate()
                .map(|(n, (day, status))| visit(id(100 + n), urn, on(day), status))
                .collect();
            built.actions = actions
                .into_iter()
                .enumerate()
                .map(|(n, (day, done))| {
                    let mut made =
                        action(id(200 + n), urn, on(day), ActionSource::Visit(Uuid::nil()));
                    if done {
                        made.complete(on(day)).expect("open");
                    }
                    made
                })
                .collect();
            built
        })
}

fn any_caseload() -> impl Strategy<Value = Vec<CaseloadSchool>> {
    (0usize..8).prop_flat_map(|size| (1..=size as u32).map(any_school).collect::<Vec<_>>())
}

fn once<T: Ord>(items: impl IntoIterator<Item = T>) -> bool {
    let mut seen = BTreeSet::new();
    items.into_iter().all(|item| seen.insert(item))
}

fn sorted_by_name<'a>(schools: impl IntoIterator<Item = &'a SchoolRef>) -> bool {
    let names: Vec<&str> = schools
        .into_iter()
        .map(|school| school.name.as_str())
        .collect();
    names.windows(2).all(|pair| pair[0] <= pair[1])
}

proptest! {
    #[test]
    fn every_count_holds_each_record_once_and_this_terms_visits_partition(
        caseload in any_caseload(),
        day in 0u64..700,
    ) {
        let calendar = calendar();
        let today = date(2025, 9, 1) + Days::new(day);
        let dashboard = dashboard_on(today, &caseload, &[], &calendar, &catalogue());
        let now = calendar.locate(today);
        let (term_starts, _) = calendar.year_dates(now.year).term_span(now.year, now.term);
        let visits = &dashboard.visits;

        // A school's period is in one list at most.
        let periods = visits.due.iter().chain(&visits.done).chain(&visits.overdue);
        prop_assert!(once(periods.map(|owed| (owed.school.urn, owed.first_day))));
        for list in [&visits.due, &visits.done, &visits.overdue] {
            prop_assert!(sorted_by_name(list.iter().map(|owed| &owed.school)));
        }
        for school in &caseload {
            let urn = school.school.urn;
            let of = |list: &Vec<OwedVisit>| list.iter().filter(|owed| owed.school.urn == urn && owed.first_day >= term_starts).count();
            let this_term = of(&visits.due) + of(&visits.done) + of(&visits.overdue);
            let owed = match (school.school.maintained(), dashboard.categories.rows.iter().find(|row| row.now.iter().any(|named| named.urn == urn)).and_then(|row| row.category)) {
                (false, _) => 0,
                (true, Some(SupportCategory::High)) => 2,
                (true, _) => 1,
            };
            prop_assert_eq!(this_term, owed, "this term's periods of {} split into due, done and overdue", urn.0);
        }
        prop_assert!(visits.due.iter().all(|owed| owed.last_day >= today));
        prop_assert!(visits.overdue.iter().all(|owed| owed.last_day < today && owed.visits.iter().all(|lapsed| lapsed.status == VisitStatus::Planned)));
        prop_assert!(visits.done.iter().all(|owed| !owed.visits.is_empty()));

        // Each school once in the mix, now and then, and in one move at most.
        let mix = &dashboard.categories;
        prop_assert!(once(mix.rows.iter().flat_map(|row| &row.now).map(|named| named.urn)));
        prop_assert!(once(mix.rows.iter().flat_map(|row| &row.last_term).map(|named| named.urn)));
        prop_assert_eq!(mix.rows.iter().map(|row| row.now.len()).sum::<usize>(), caseload.len());
        prop_assert_eq!(mix.rows.iter().map(|row| row.last_term.len()).sum::<usize>(), caseload.len());
        let moves = mix.improved.iter().chain(&mix.declined).chain(&mix.first_categorised);
        prop_assert!(once(moves.map(|moved| moved.school.urn)));
        prop_assert!(mix.improved.iter().all(|moved| moved.from.is_some_and(|from| moved.to < from)));
        prop_assert!(mix.declined.iter().all(|moved| moved.from.is_some_and(|from| moved.to > from)));

        // Not reviewed: exactly the schools without an agreed review this term.
        let unreviewed: Vec<u32> = caseload
            .iter()
            .filter(|school| !school.reviews.iter().any(|review| {
                let then = calendar.locate(review.reviewed_on);
                (then.year, then.term) == (now.year, now.term)
            }))
            .map(|school| school.school.urn.0)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut listed = urns(dashboard.not_reviewed.iter().map(|row| &row.school));
        prop_assert!(sorted_by_name(dashboard.not_reviewed.iter().map(|row| &row.school)));
        listed.sort_unstable();
        prop_assert_eq!(listed, unreviewed);

        // Overdue actions: every open one past its date, once.
        let expected = caseload
            .iter()
            .flat_map(|school| &school.actions)
            .filter(|action| action.is_open() && action.due_on < today)
            .count();
        prop_assert_eq!(dashboard.actions_overdue.len(), expected);
        prop_assert!(once(dashboard.actions_overdue.iter().map(|action| action.id)));

        prop_assert!(once(dashboard.letters.iter().map(|letter| (letter.school.urn, letter.kind, letter.visit))));
        prop_assert_eq!(dashboard.schools, caseload.len());
    }
}

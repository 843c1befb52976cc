use chrono::NaiveDate;
use uuid::Uuid;

use super::*;
use crate::academy::concern::{EscalationStep, Resolution, Step};
use crate::entitlement::{entitlement_on, Entitled};
use crate::letter::warning::WarningTerms;
use crate::msp::GroupClosure;
use crate::ofsted::Grade;
use crate::ofsted::OfstedOutcome;
use crate::samples;
use crate::school::{EstablishmentType, SchoolStatus};
use SupportCategory::{High, Low, Medium};

const TERM_DATES: &str = include_str!("../../../../assets/term-dates.toml");

fn calendar() -> TermCalendar {
    TermCalendar::from_toml(TERM_DATES).expect("shipped term dates")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A spring day: the autumn term's visits are owed by now.
fn today() -> NaiveDate {
    date(2027, 2, 10)
}

fn adviser(n: u128, name: &str, role: AdviserRole) -> Adviser {
    Adviser {
        id: AdviserId(Uuid::from_u128(n)),
        name: name.to_owned(),
        email: format!("{n}@fenbridge.example"),
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

/// A standing with no visits made: the entitlement's past periods are overdue.
fn standing(
    school: &School,
    category: Option<SupportCategory>,
    direction: Option<Direction>,
    review_due: bool,
) -> Standing {
    let entitled = Entitled {
        maintained: school.maintained(),
        category,
        enhanced_offer: false,
    };
    Standing {
        category,
        direction,
        review_due,
        entitlement: entitlement_on(today(), entitled, &[], &calendar()),
        next_visit: None,
        actions_overdue: 0,
    }
}

struct Build {
    urn: u32,
    name: &'static str,
    phase: Phase,
    ward: Option<&'static str>,
    maintained: bool,
    pupils: u32,
    link: Option<AdviserId>,
    category: Option<SupportCategory>,
    direction: Option<Direction>,
    reviewed: bool,
    inspection: Option<OfstedInspection>,
}

fn entry(build: Build) -> AuthoritySchool {
    let school = School {
        urn: Urn(build.urn),
        name: build.name.to_owned(),
        phase: build.phase,
        ward: build.ward.map(str::to_owned),
        establishment_type: EstablishmentType::new(if build.maintained {
            "Community school"
        } else {
            "Academy converter"
        }),
        pupils: Some(build.pupils),
        link_sia: build.link,
        ..samples::school()
    };
    AuthoritySchool {
        standing: standing(&school, build.category, build.direction, !build.reviewed),
        inspection: build.inspection.map(|inspection| OfstedInspection {
            urn: school.urn,
            ..inspection
        }),
        msp_groups: Vec::new(),
        letters: Vec::new(),
        concerns: Vec::new(),
        school,
    }
}

fn graded(grade: Grade) -> OfstedInspection {
    OfstedInspection {
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
        ..samples::inspection()
    }
}

/// Six schools: four maintained (one never inspected), two academies, one
/// closed school that must not count anywhere.
fn authority() -> Vec<AuthoritySchool> {
    let (priya, tom) = (Some(priya().id), Some(tom().id));
    let mut schools = vec![
        entry(Build {
            urn: 1,
            name: "Ash Primary",
            phase: Phase::Primary,
            ward: Some("Castle"),
            maintained: true,
            pupils: 200,
            link: priya,
            category: Some(Low),
            direction: Some(Direction::Improving),
            reviewed: true,
            inspection: Some(graded(Grade::Good)),
        }),
        entry(Build {
            urn: 2,
            name: "Birch Primary",
            phase: Phase::Primary,
            ward: Some("Castle"),
            maintained: true,
            pupils: 400,
            link: priya,
            category: Some(High),
            direction: Some(Direction::Declining),
            reviewed: true,
            inspection: Some(graded(Grade::RequiresImprovement)),
        }),
        entry(Build {
            urn: 3,
            name: "Cedar Secondary",
            phase: Phase::Secondary,
            ward: Some("Riverside"),
            maintained: true,
            pupils: 1_000,
            link: tom,
            category: Some(Medium),
            direction: Some(Direction::Steady),
            reviewed: false,
            inspection: Some(graded(Grade::Outstanding)),
        }),
        entry(Build {
            urn: 4,
            name: "Damson Nursery",
            phase: Phase::Nursery,
            ward: None,
            maintained: true,
            pupils: 50,
            link: None,
            category: None,
            direction: None,
            reviewed: false,
            inspection: None,
        }),
        entry(Build {
            urn: 5,
            name: "Elm Academy",
            phase: Phase::Secondary,
            ward: Some("Riverside"),
            maintained: false,
            pupils: 900,
            link: tom,
            category: Some(Medium),
            direction: None,
            reviewed: true,
            inspection: Some(graded(Grade::Inadequate)),
        }),
        entry(Build {
            urn: 6,
            name: "Fir Closed Primary",
            phase: Phase::Primary,
            ward: Some("Castle"),
            maintained: true,
            pupils: 10,
            link: priya,
            category: Some(High),
            direction: None,
            reviewed: false,
            inspection: Some(graded(Grade::Inadequate)),
        }),
    ];
    schools[5].school.status = SchoolStatus::Closed;
    schools
}

fn view(schools: &[AuthoritySchool]) -> AuthorityView {
    authority_view_on(
        today(),
        schools,
        &[priya(), tom(), margaret()],
        &AuthorityTarget {
            good_or_better_percent: 90.0,
        },
        &calendar(),
    )
}

fn urns(numbers: &[u32]) -> Vec<Urn> {
    numbers.iter().copied().map(Urn).collect()
}

fn row<'a>(rows: &'a [CategoryRow], label: &str) -> &'a CategoryRow {
    rows.iter()
        .find(|row| row.label == label)
        .unwrap_or_else(|| panic!("no row {label}"))
}

fn cells(row: &CategoryRow) -> Vec<Vec<Urn>> {
    row.categories
        .iter()
        .map(|cell| cell.schools.clone())
        .collect()
}

#[test]
fn closed_schools_are_left_out_and_the_rest_listed_by_name() {
    let view = view(&authority());
    let names: Vec<&str> = view.schools.iter().map(|line| line.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Ash Primary",
            "Birch Primary",
            "Cedar Secondary",
            "Damson Nursery",
            "Elm Academy"
        ]
    );
    assert_eq!(view.term, "Spring term 2026/27");
}

#[test]
fn schools_are_counted_by_category_phase_ward_and_adviser() {
    let view = view(&authority());
    let all: Vec<Vec<Urn>> = view.categories.iter().map(|c| c.schools.clone()).collect();
    assert_eq!(all, [urns(&[1]), urns(&[3, 5]), urns(&[2]), urns(&[4])]);
    let phases: Vec<&str> = view.by_phase.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(phases, ["Nursery", "Primary", "Secondary"]);
    assert_eq!(
        cells(row(&view.by_phase, "Primary")),
        [urns(&[1]), vec![], urns(&[2]), vec![]]
    );
    assert_eq!(
        cells(row(&view.by_phase, "Secondary")),
        [vec![], urns(&[3, 5]), vec![], vec![]]
    );
    let wards: Vec<&str> = view.by_ward.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(wards, ["Castle", "Riverside", "No ward recorded"]);
    assert_eq!(row(&view.by_ward, "Castle").schools, urns(&[1, 2]));
    assert_eq!(row(&view.by_ward, "No ward recorded").schools, urns(&[4]));
    let advisers: Vec<&str> = view.by_adviser.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(advisers, ["Priya Raman", "Tom Gallagher", "No link SIA"]);
    assert_eq!(
        cells(row(&view.by_adviser, "Tom Gallagher")),
        [vec![], urns(&[3, 5]), vec![], vec![]]
    );
}

#[test]
fn direction_this_term_counts_only_this_terms_reviews() {
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
            // Cedar's steady direction is from an earlier term's review.
            (TermDirection::NotReviewed, urns(&[3, 4])),
        ]
    );
}

#[test]
fn good_or_better_is_of_inspected_maintained_schools_and_their_pupils() {
    let view = view(&authority());
    let measure = &view.good_or_better;
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
    let elm = &view.schools[4];
    assert_eq!(
        elm.good_or_better, None,
        "an academy is outside the measure"
    );
    assert_eq!(elm.ofsted.as_deref(), Some("Inadequate (May 2023)"));
}

#[test]
fn overdue_visits_are_counted_for_the_link_sia() {
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
    // In February: a termly school missed its autumn visit; a high-support
    // school missed both autumn half-terms; academies have no entitlement.
    assert_eq!(
        rows,
        [
            ("Priya Raman", 2, 3, urns(&[1, 2])),
            ("Tom Gallagher", 2, 1, urns(&[3])),
            ("No link SIA", 1, 1, urns(&[4])),
        ]
    );
}

fn notice(n: u128, urn: Urn, dated: NaiveDate) -> Letter {
    Letter {
        id: Uuid::from_u128(n),
        urn,
        status: LetterStatus::Issued,
        dated,
        terms: Some(WarningTerms {
            compliance_days: 15,
            ..samples::letter().terms.expect("terms")
        }),
        ..samples::letter()
    }
}

#[test]
fn a_warning_notice_is_open_while_it_runs_or_while_concerns_remain() {
    let mut schools = authority();
    // Ash: issued within the last fifteen working days.
    schools[0].letters = vec![notice(10, Urn(1), date(2027, 2, 1))];
    // Birch, in high support: an old notice still open.
    schools[1].letters = vec![notice(11, Urn(2), date(2026, 6, 1))];
    // Cedar: an old notice, no longer in high support, no group: closed.
    // Its draft of a new one does not count.
    let mut draft = notice(13, Urn(3), date(2027, 2, 9));
    draft.status = LetterStatus::Draft;
    schools[2].letters = vec![notice(12, Urn(3), date(2026, 6, 1)), draft];
    // Damson: a notice and its correction count once.
    let mut correction = notice(15, Urn(4), date(2027, 2, 3));
    correction.corrects = Some(Uuid::from_u128(14));
    schools[3].letters = vec![notice(14, Urn(4), date(2027, 2, 2)), correction];
    let view = view(&schools);
    let open: Vec<(Uuid, Urn)> = view
        .warning_notices_open
        .iter()
        .map(|notice| (notice.id, notice.urn))
        .collect();
    assert_eq!(
        open,
        [
            (Uuid::from_u128(10), Urn(1)),
            (Uuid::from_u128(11), Urn(2)),
            (Uuid::from_u128(15), Urn(4)),
        ]
    );
    assert_eq!(
        view.warning_notices_open[0].comply_by,
        Some(date(2027, 2, 22))
    );
    assert_eq!(view.schools[0].warning_notice, Some(date(2027, 2, 1)));
    assert_eq!(view.schools[2].warning_notice, None);
}

#[test]
fn open_msp_groups_are_listed_with_their_chair() {
    let mut schools = authority();
    let group = |n: u128, urn: Urn, closed: bool| MspGroup {
        id: Uuid::from_u128(n),
        urn,
        chair: margaret().id,
        opened_on: date(2026, 9, 28),
        closed: closed.then(|| GroupClosure {
            on: date(2027, 1, 20),
            reason: "Left high support".to_owned(),
        }),
        ..samples::msp_group()
    };
    schools[1].msp_groups = vec![group(20, Urn(2), false)];
    schools[2].msp_groups = vec![group(21, Urn(3), true)];
    let view = view(&schools);
    let open: Vec<(Uuid, &str)> = view
        .msp_groups_open
        .iter()
        .map(|group| (group.id, group.chair.as_str()))
        .collect();
    assert_eq!(open, [(Uuid::from_u128(20), "Margaret Okonjo")]);
    assert_eq!(view.schools[1].msp_group_opened, Some(date(2026, 9, 28)));
    assert_eq!(view.schools[2].msp_group_opened, None);
}

#[test]
fn academy_concerns_are_counted_at_their_stage() {
    let mut schools = authority();
    let concern = |n: u128, steps: &[Step], resolved: Option<NaiveDate>| AcademyConcern {
        id: Uuid::from_u128(n),
        urn: Urn(5),
        steps: steps
            .iter()
            .map(|step| EscalationStep {
                step: *step,
                ..samples::academy_concern().steps[0].clone()
            })
            .collect(),
        resolved: resolved.map(|on| Resolution {
            on,
            how: "Agreed plan".to_owned(),
        }),
        ..samples::academy_concern()
    };
    schools[4].concerns = vec![
        concern(30, &[], None),
        concern(31, &[Step::Meeting, Step::TrustLetter], None),
        concern(
            32,
            &[Step::Meeting, Step::TrustLetter, Step::RegionalDirector],
            None,
        ),
        concern(33, &[Step::Meeting], Some(date(2026, 12, 1))),
        // Resolved last academic year: history, not this year's count.
        concern(34, &[Step::Meeting], Some(date(2026, 3, 1))),
    ];
    let view = view(&schools);
    let stages: Vec<(Stage, Vec<Uuid>)> = view
        .academy_concerns
        .iter()
        .map(|at| (at.stage, at.concerns.iter().map(|c| c.id).collect()))
        .collect();
    let ids = |ns: &[u128]| ns.iter().copied().map(Uuid::from_u128).collect::<Vec<_>>();
    assert_eq!(
        stages,
        [
            (Stage::Raised, ids(&[30])),
            (Stage::Meeting, vec![]),
            (Stage::TrustLetter, ids(&[31])),
            (Stage::Referred, ids(&[32])),
            (Stage::Resolved, ids(&[33])),
        ]
    );
    assert_eq!(view.schools[4].academy_concern, Some(Stage::Referred));
}

#[test]
fn only_those_who_see_every_school_may_see_the_view() {
    for role in [
        AdviserRole::SeniorSia,
        AdviserRole::GovernanceLead,
        AdviserRole::Admin,
    ] {
        assert!(
            check_viewer(Some(&adviser(9, "Someone", role))).is_ok(),
            "{role:?}"
        );
    }
    let refused = check_viewer(Some(&priya())).expect_err("a link SIA");
    assert!(
        refused
            .to_string()
            .starts_with("Priya Raman is a School Improvement Adviser; the authority-wide view is for Senior SIAs"),
        "{refused}"
    );
    assert_eq!(check_viewer(None), Err(AuthorityError::NoAdviser));
}

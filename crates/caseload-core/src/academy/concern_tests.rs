use chrono::Days;
use proptest::prelude::*;

use super::*;
use crate::school::EstablishmentType;

fn day(d: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date") + Days::new(d)
}

const TODAY: u64 = 200;

fn academy() -> School {
    School {
        establishment_type: EstablishmentType::new("Academy converter"),
        ..crate::samples::school()
    }
}

fn raised() -> AcademyConcern {
    AcademyConcern::raise(
        Uuid::from_u128(1),
        &academy(),
        None,
        day(10),
        &[
            (
                ConcernGround::OfstedDrop,
                "Requires improvement in May.".to_owned(),
            ),
            (
                ConcernGround::HighAbsence,
                "Persistent absence 31%.".to_owned(),
            ),
        ],
        day(TODAY),
    )
    .expect("raised")
}

fn letter(on: u64) -> Letter {
    Letter {
        kind: LetterKind::AcademyConcern,
        status: LetterStatus::Issued,
        dated: day(on),
        urn: academy().urn,
        ..crate::samples::letter()
    }
}

/// A concern whose meeting and letter are recorded, each with its outcome.
fn at_referral() -> AcademyConcern {
    let mut concern = raised();
    concern
        .take_step(Step::Meeting, day(20), "Met Mr Hale and Ms Ng", day(TODAY))
        .expect("meeting");
    concern
        .record_outcome(Step::Meeting, day(21), "No agreed way forward", day(TODAY))
        .expect("outcome");
    concern
        .record_letter(&letter(30), day(TODAY))
        .expect("letter");
    concern
        .record_outcome(
            Step::TrustLetter,
            day(50),
            "No reply from the trust",
            day(TODAY),
        )
        .expect("outcome");
    concern
}

#[test]
fn a_maintained_school_is_refused_with_what_to_do_instead() {
    let refused = AcademyConcern::raise(
        Uuid::from_u128(1),
        &crate::samples::school(),
        None,
        day(10),
        &[(
            ConcernGround::HighExclusions,
            "Fixed-term exclusions doubled".to_owned(),
        )],
        day(TODAY),
    )
    .expect_err("maintained");
    let message = refused.to_string();
    assert!(message.contains("maintained school"), "{message}");
    assert!(message.contains("academies and free schools"), "{message}");
}

#[test]
fn a_concern_needs_grounds_with_evidence() {
    let raise = |grounds: &[(ConcernGround, String)], on| {
        AcademyConcern::raise(
            Uuid::from_u128(1),
            &academy(),
            None,
            on,
            grounds,
            day(TODAY),
        )
    };
    assert_eq!(raise(&[], day(1)), Err(AcademyError::NoEvidence));
    assert_eq!(
        raise(&[(ConcernGround::HighExclusions, "  ".to_owned())], day(1)),
        Err(AcademyError::BlankEvidence("High exclusions"))
    );
    assert!(matches!(
        raise(
            &[(ConcernGround::HighExclusions, "x".to_owned())],
            day(TODAY + 1)
        ),
        Err(AcademyError::InFuture { .. })
    ));
}

#[test]
fn grounds_cite_their_letter_indicators_once_each_in_the_strategys_order() {
    let mut concern = raised();
    concern
        .add_evidence(
            ConcernGround::OfstedDrop,
            "The report names leadership.",
            day(12),
            day(TODAY),
        )
        .expect("added");
    assert_eq!(
        concern.grounds(),
        [ConcernGround::HighAbsence, ConcernGround::OfstedDrop]
    );
    assert_eq!(
        concern.indicators(),
        ["academy-absence", "academy-ofsted-drop"]
    );
    assert_eq!(concern.evidence.len(), 3);
}

#[test]
fn the_escalation_starts_with_the_meeting() {
    let mut concern = raised();
    assert_eq!(concern.next_steps(), [Step::Meeting]);
    let before = concern.clone();
    let refused = concern
        .take_step(Step::Ofsted, day(20), "", day(TODAY))
        .expect_err("out of order");
    assert_eq!(
        refused.to_string(),
        "the referral to Ofsted comes after the formal letter to the chair of the trust: \
         record the formal letter to the chair of the trust first"
    );
    assert!(matches!(
        concern.record_letter(&letter(20), day(TODAY)),
        Err(AcademyError::OutOfOrder { .. })
    ));
    assert_eq!(concern, before, "a refused step changes nothing");
}

#[test]
fn the_letter_waits_for_the_meetings_outcome() {
    let mut concern = raised();
    concern
        .take_step(Step::Meeting, day(20), "Met the principal", day(TODAY))
        .expect("meeting");
    assert_eq!(concern.stage(), Stage::Meeting);
    assert!(concern.next_steps().is_empty(), "waiting for the outcome");
    let refused = concern
        .record_letter(&letter(25), day(TODAY))
        .expect_err("awaiting outcome");
    assert!(refused
        .to_string()
        .contains("record the outcome of the meeting"));
    concern
        .record_outcome(Step::Meeting, day(21), "Not resolved", day(TODAY))
        .expect("outcome");
    assert_eq!(concern.next_steps(), [Step::TrustLetter]);
}

#[test]
fn the_formal_step_is_an_issued_letter_of_concern_to_this_academys_trust() {
    let mut concern = raised();
    concern
        .take_step(Step::Meeting, day(20), "", day(TODAY))
        .expect("meeting");
    concern
        .record_outcome(Step::Meeting, day(20), "Not resolved", day(TODAY))
        .expect("outcome");
    assert_eq!(
        concern.take_step(Step::TrustLetter, day(25), "", day(TODAY)),
        Err(AcademyError::LetterStepNeedsLetter)
    );
    let mut draft = letter(25);
    draft.status = LetterStatus::Draft;
    assert_eq!(
        concern.record_letter(&draft, day(TODAY)),
        Err(AcademyError::LetterNotIssued)
    );
    let mut other = letter(25);
    other.urn = Urn(1);
    assert_eq!(
        concern.record_letter(&other, day(TODAY)),
        Err(AcademyError::LetterForAnotherSchool)
    );
    let mut congratulations = letter(25);
    congratulations.kind = LetterKind::Congratulations;
    assert!(matches!(
        concern.record_letter(&congratulations, day(TODAY)),
        Err(AcademyError::WrongLetterKind(_))
    ));
    assert!(matches!(
        concern.record_letter(&letter(15), day(TODAY)),
        Err(AcademyError::BeforeEarlierStep { .. })
    ));
    concern
        .record_letter(&letter(25), day(TODAY))
        .expect("letter");
    let step = concern.step(Step::TrustLetter).expect("recorded");
    assert_eq!((step.taken_on, step.letter), (day(25), Some(letter(25).id)));
}

#[test]
fn referrals_follow_the_letters_outcome_in_any_order_each_once() {
    let mut concern = at_referral();
    assert_eq!(
        concern.next_steps(),
        [Step::FundingAgency, Step::RegionalDirector, Step::Ofsted]
    );
    concern
        .take_step(
            Step::Ofsted,
            day(60),
            "Raised at the HMI meeting",
            day(TODAY),
        )
        .expect("referred");
    concern
        .take_step(
            Step::RegionalDirector,
            day(55),
            "Letter to the RD",
            day(TODAY),
        )
        .expect("referred");
    assert_eq!(concern.stage(), Stage::Referred);
    assert!(matches!(
        concern.take_step(Step::Ofsted, day(70), "", day(TODAY)),
        Err(AcademyError::AlreadyTaken { .. })
    ));
    assert_eq!(concern.next_steps(), [Step::FundingAgency]);
}

#[test]
fn outcomes_and_resolution_are_dated_after_what_they_follow() {
    let mut concern = at_referral();
    assert!(matches!(
        concern.record_outcome(Step::Ofsted, day(60), "x", day(TODAY)),
        Err(AcademyError::NotTaken(_))
    ));
    assert!(matches!(
        concern.record_outcome(Step::Meeting, day(19), "x", day(TODAY)),
        Err(AcademyError::OutcomeBeforeStep { .. })
    ));
    assert_eq!(
        concern.record_outcome(Step::Meeting, day(22), " ", day(TODAY)),
        Err(AcademyError::BlankOutcome)
    );
    assert!(matches!(
        concern.resolve(day(29), "Agreed plan", day(TODAY)),
        Err(AcademyError::ResolvedBeforeLastStep { .. })
    ));
    concern
        .resolve(day(80), "The trust replaced the principal", day(TODAY))
        .expect("resolved");
    assert_eq!(concern.stage(), Stage::Resolved);
    assert!(concern.next_steps().is_empty());
    let before = concern.clone();
    assert_eq!(
        concern.add_evidence(ConcernGround::HighExclusions, "x", day(90), day(TODAY)),
        Err(AcademyError::Resolved(day(80)))
    );
    assert_eq!(concern, before);
}

#[test]
fn steps_and_ground_ids_read_back() {
    for step in Step::ALL {
        assert_eq!(step.id().parse(), Ok(step));
    }
    for ground in ConcernGround::ALL {
        assert_eq!(ground.id().parse(), Ok(ground));
    }
    let unknown = "lunch".parse::<Step>().expect_err("not a step");
    assert_eq!(
        unknown,
        "unknown step \"lunch\": expected one of meeting, trust-letter, funding-agency, \
         regional-director, ofsted"
    );
}

/// One thing an adviser might try.
#[derive(Debug, Clone)]
enum Attempt {
    Take(Step, u64),
    Letter(u64),
    Outcome(Step, u64),
    Resolve(u64),
}

fn attempt() -> impl Strategy<Value = Attempt> {
    let step = prop::sample::select(Step::ALL.to_vec());
    let on = 0..TODAY + 20;
    prop_oneof![
        4 => (step.clone(), on.clone()).prop_map(|(step, on)| Attempt::Take(step, on)),
        2 => on.clone().prop_map(Attempt::Letter),
        4 => (step, on.clone()).prop_map(|(step, on)| Attempt::Outcome(step, on)),
        1 => on.prop_map(Attempt::Resolve),
    ]
}

fn apply(concern: &mut AcademyConcern, attempt: &Attempt) -> Result<(), AcademyError> {
    let today = day(TODAY);
    match attempt {
        Attempt::Take(step, on) => concern.take_step(*step, day(*on), "", today),
        Attempt::Letter(on) => concern.record_letter(&letter(*on), today),
        Attempt::Outcome(step, on) => concern.record_outcome(*step, day(*on), "done", today),
        Attempt::Resolve(on) => concern.resolve(day(*on), "resolved", today),
    }
}

proptest! {
    /// Whatever the adviser tries, in whatever order: a refused attempt
    /// changes nothing, and what is recorded follows the strategy — each
    /// step once, after the step it follows and that step's outcome, no
    /// earlier than it, nothing dated in the future or before the concern.
    #[test]
    fn the_escalation_is_always_in_the_strategys_order(
        attempts in proptest::collection::vec(attempt(), 0..40)
    ) {
        let mut concern = raised();
        for attempt in &attempts {
            let before = concern.clone();
            if apply(&mut concern, attempt).is_err() {
                prop_assert_eq!(&concern, &before);
            }
        }
        for (index, taken) in concern.steps.iter().enumerate() {
            prop_assert!(taken.taken_on >= concern.raised_on && taken.taken_on <= day(TODAY));
            prop_assert_eq!(
                concern.steps.iter().filter(|other| other.step == taken.step).count(),
                1
            );
            if let Some(needs) = taken.step.after() {
                let earlier = concern.steps[..index].iter().find(|other| other.step == needs);
                prop_assert!(earlier.is_some(), "{:?} before {:?}", taken.step, needs);
                if let Some(earlier) = earlier {
                    prop_assert!(earlier.outcome.is_some());
                    prop_assert!(earlier.taken_on <= taken.taken_on);
                }
            }
            if let Some(outcome) = &taken.outcome {
                prop_assert!(outcome.on >= taken.taken_on && outcome.on <= day(TODAY));
            }
        }
        if let Some(resolution) = &concern.resolved {
            prop_assert!(concern.steps.iter().all(|taken| taken.taken_on <= resolution.on));
        }
    }
}

#[test]
fn every_ground_is_an_indicator_of_the_letter_to_the_trust() {
    let catalogue = crate::letter::catalogue::Catalogue::parse(include_str!(
        "../../../../assets/letters/indicators.toml"
    ))
    .expect("the shipped catalogue parses");
    let of_letter: Vec<&str> = catalogue
        .of_kind(LetterKind::AcademyConcern)
        .map(|indicator| indicator.id.as_str())
        .collect();
    let cited: Vec<&str> = ConcernGround::ALL.iter().map(|g| g.indicator()).collect();
    assert_eq!(
        cited, of_letter,
        "one ground per indicator, in the strategy's order"
    );
}

//! Academy concerns in the store: raised on an academy and refused on a
//! maintained school, the escalation kept in order with the issued letter
//! as its formal step, refusals that change nothing, every change in the
//! outbox, and reports logged with their redirection.

mod common;

use caseload_core::academy::{AcademyError, Body, ConcernGround, ReportKind, Stage, Step};
use caseload_core::letter::{LetterKind, LetterStatus};
use caseload_core::samples;
use caseload_core::Urn;
use caseload_store::{Store, StoreError};
use common::{date, demo_store};
use uuid::Uuid;

const OLD_TOWN: Urn = Urn(990_031);
const WESTFIELD: Urn = Urn(990_032);
const ST_MARYS: Urn = Urn(990_001);

fn today() -> chrono::NaiveDate {
    date(2027, 3, 31)
}

fn pending(store: &Store, entity: &str) -> usize {
    store
        .pending_operations()
        .expect("outbox")
        .iter()
        .filter(|op| op.entity == entity)
        .count()
}

fn raise(store: &mut Store, urn: Urn) -> Result<Uuid, StoreError> {
    let grounds = [(
        ConcernGround::HighExclusions,
        "Fixed-term exclusions doubled in a year".to_owned(),
    )];
    Ok(store
        .raise_academy_concern(urn, date(2027, 1, 11), &grounds, today())?
        .id)
}

#[test]
fn the_demo_holds_a_concern_at_old_town_waiting_for_the_letter_to_the_trust() {
    let store = demo_store();
    let case = store.academy_case(OLD_TOWN).expect("an academy");
    assert_eq!(case.concerns.len(), 1);
    let sheet = store
        .academy_concern_sheet(case.concerns[0].id)
        .expect("sheet");
    assert_eq!(sheet.stage, Stage::Meeting);
    assert_eq!(sheet.next_steps, [Step::TrustLetter]);
    assert_eq!(sheet.raised_by.as_deref(), Some("Priya Raman"));
    assert!(sheet
        .concern
        .step(Step::Meeting)
        .is_some_and(|m| m.outcome.is_some()));
    assert!(!case.reports.is_empty(), "the demo logs a report too");
}

#[test]
fn a_maintained_school_is_refused_and_nothing_is_written() {
    let mut store = demo_store();
    let before = pending(&store, "academy_concern");
    let refused = raise(&mut store, ST_MARYS).expect_err("maintained");
    assert!(matches!(
        refused,
        StoreError::Academy(AcademyError::NotAnAcademy { .. })
    ));
    assert!(refused.to_string().contains("maintained school"));
    assert!(store.academy_case(ST_MARYS).is_err());
    assert_eq!(pending(&store, "academy_concern"), before);
    assert!(store
        .academy_concerns(Some(ST_MARYS))
        .expect("reads")
        .is_empty());
}

#[test]
fn the_escalation_runs_in_order_through_the_issued_letter_and_each_change_syncs() {
    let mut store = demo_store();
    let before = pending(&store, "academy_concern");
    let id = raise(&mut store, WESTFIELD).expect("raised");
    let refused = store
        .take_escalation_step(id, Step::RegionalDirector, date(2027, 1, 20), "", today())
        .expect_err("out of order");
    assert!(refused.to_string().contains("comes after"));
    store
        .take_escalation_step(
            id,
            Step::Meeting,
            date(2027, 1, 20),
            "Met Mrs Patel",
            today(),
        )
        .expect("meeting");
    store
        .record_step_outcome(
            id,
            Step::Meeting,
            date(2027, 1, 21),
            "Not resolved",
            today(),
        )
        .expect("outcome");

    let mut letter = samples::letter();
    letter.id = Uuid::now_v7();
    letter.urn = WESTFIELD;
    letter.kind = LetterKind::AcademyConcern;
    letter.terms = None;
    letter.author = None;
    letter.dated = date(2027, 2, 1);
    store.save_letter_draft(&letter).expect("draft");
    let draft_refused = store
        .record_concern_letter(id, letter.id, today())
        .expect_err("a draft");
    assert!(draft_refused.to_string().contains("still a draft"));
    let sheet = store.academy_concern_sheet(id).expect("sheet");
    assert!(sheet.letters.is_empty(), "drafts are not offered");
    let issued = store.issue_letter(&letter, b"%PDF-1.7").expect("issued");
    assert_eq!(issued.status, LetterStatus::Issued);
    let sheet = store.academy_concern_sheet(id).expect("sheet");
    assert_eq!(sheet.letters.len(), 1);
    assert_eq!(sheet.indicators, ["academy-exclusions"]);

    let concern = store
        .record_concern_letter(id, letter.id, today())
        .expect("letter step");
    assert_eq!(concern.stage(), Stage::TrustLetter);
    assert!(store
        .academy_concern_sheet(id)
        .expect("sheet")
        .letters
        .is_empty());
    store
        .record_step_outcome(id, Step::TrustLetter, date(2027, 3, 1), "No reply", today())
        .expect("outcome");
    store
        .take_escalation_step(id, Step::Ofsted, date(2027, 3, 2), "HMI meeting", today())
        .expect("referred");
    let stored = store.academy_concern(id).expect("stored");
    assert_eq!(stored.stage(), Stage::Referred);
    assert_eq!(stored.steps.len(), 3);
    assert_eq!(
        pending(&store, "academy_concern"),
        before + 6,
        "raised, then five changes; the refused ones wrote nothing"
    );
}

#[test]
fn reports_keep_their_redirection_and_who_was_told() {
    let mut store = demo_store();
    let whistle = store
        .log_academy_report(
            WESTFIELD,
            ReportKind::Whistleblowing,
            date(2027, 2, 2),
            "A teacher reports off-rolling",
            today(),
        )
        .expect("logged");
    assert!(whistle.redirection.contains("funding agency"));
    let safeguarding = store
        .log_academy_report(
            WESTFIELD,
            ReportKind::Safeguarding,
            date(2027, 2, 2),
            "Gates left open at break",
            today(),
        )
        .expect("logged");
    let told = store
        .pass_on_academy_report(
            safeguarding.id,
            Body::Trust,
            "Mrs Finch, CEO",
            date(2027, 2, 3),
            today(),
        )
        .expect("told");
    assert_eq!(told.still_to_tell(), [Body::RegionalDirector]);
    assert!(store
        .pass_on_academy_report(
            whistle.id,
            Body::Trust,
            "Mrs Finch",
            date(2027, 2, 3),
            today()
        )
        .is_err());
    let case = store.academy_case(WESTFIELD).expect("case");
    assert_eq!(case.reports.len(), 2);
    assert!(case
        .reports
        .iter()
        .any(|report| report.passed_on.len() == 1));
    assert_eq!(pending(&store, "academy_report"), 3 + demo_reports(&store));
}

/// Reports the demo itself logged (at Old Town), which are in the outbox too.
fn demo_reports(store: &Store) -> usize {
    store.academy_reports(Some(OLD_TOWN)).expect("reads").len()
}

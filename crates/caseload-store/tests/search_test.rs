//! Search over visit notes, agreed actions and letters as the adviser
//! types, and agreed actions in the store.

mod common;

use common::{date, demo_store};

use caseload_core::action::{Action, ActionSource};
use caseload_core::visit::{AreaNote, Session, Visit, VisitKind};
use caseload_core::Urn;
use caseload_store::{SearchHit, Store, StoreError, SEARCH_LIMIT};
use chrono::NaiveDate;
use uuid::Uuid;

const WESTFIELD: Urn = Urn(990008);

fn visit(evidence: &str) -> Visit {
    let mut visit = Visit::plan(
        Uuid::now_v7(),
        WESTFIELD,
        date(2026, 11, 18),
        Session::Am,
        VisitKind::Core,
    );
    visit
        .edit(|visit| visit.notes = vec![AreaNote::general(evidence)])
        .expect("editable");
    visit
}

fn action(store: &mut Store, visit: &Visit, text: &str, due: NaiveDate) -> Action {
    let action = Action::agree(
        Uuid::now_v7(),
        visit.urn,
        text,
        "Mr Pryce (headteacher)",
        due,
        ActionSource::Visit(visit.id),
    )
    .expect("valid");
    store.save_action(&action).expect("saved");
    action
}

fn highlighted(hit: &SearchHit) -> Vec<String> {
    hit.snippet
        .iter()
        .filter(|piece| piece.hit)
        .map(|piece| piece.text.to_lowercase())
        .collect()
}

#[test]
fn notes_are_found_while_typing_with_the_school_day_and_highlighted_words() {
    let mut store = demo_store();
    let visit = visit("Guided reading in Year 4 is well organised; phonics catch-up is weaker.");
    store.save_visit(&visit).expect("saved");

    let hits = store.search("guided read").expect("search");
    let hit = hits
        .iter()
        .find(|hit| hit.id == visit.id.to_string())
        .expect("the new visit is found by a prefix of its last word");
    assert_eq!(hit.kind, "visit");
    assert_eq!(hit.urn, WESTFIELD.0);
    assert_eq!(hit.school, "Westfield Primary School");
    assert_eq!(hit.day, "2026-11-18");
    assert_eq!(hit.visit, Some(visit.id.to_string()));
    assert_eq!(highlighted(hit), ["guided", "reading"]);
    // The demo's own visit notes are searchable too.
    assert!(store
        .search("phonics")
        .expect("search")
        .iter()
        .any(|hit| hit.urn == 990001));
}

#[test]
fn an_edit_re_indexes_the_visit() {
    let mut store = demo_store();
    let mut visit = visit("Attendance officer shared the autumn figures.");
    store.save_visit(&visit).expect("saved");
    visit
        .edit(|visit| visit.notes = vec![AreaNote::general("Governors' minutes reviewed.")])
        .expect("editable");
    store.save_visit(&visit).expect("saved");
    assert!(store
        .search("attendance officer")
        .expect("search")
        .is_empty());
    assert_eq!(store.search("governors minutes").expect("search").len(), 1);
}

#[test]
fn actions_are_found_and_listed_with_the_overdue_ones() {
    let mut store = demo_store();
    let visit = visit("Writing across Key Stage 2.");
    store.save_visit(&visit).expect("saved");
    let early = action(
        &mut store,
        &visit,
        "Moderate Year 6 writing with a partner school",
        date(2026, 11, 20),
    );
    let late = action(
        &mut store,
        &visit,
        "Share the writing action plan with governors",
        date(2027, 1, 15),
    );

    // Half-typed, "modera" finds "Moderate" and the demo's visit about moderation.
    let hits = store.search("modera").expect("search");
    let actions: Vec<&SearchHit> = hits.iter().filter(|hit| hit.kind == "action").collect();
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].id, early.id.to_string());
    // An action opens the visit it was agreed at.
    assert_eq!(actions[0].visit, Some(visit.id.to_string()));
    assert!(hits
        .iter()
        .any(|hit| hit.kind == "visit" && hit.urn == 990005));

    let listed: Vec<Uuid> = store
        .actions(Some(WESTFIELD))
        .expect("actions")
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(listed, [early.id, late.id]);
    let overdue: Vec<Uuid> = store
        .overdue_actions(date(2026, 11, 23))
        .expect("overdue")
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(overdue, [early.id]);

    let mut done = early.clone();
    done.complete(date(2026, 11, 22)).expect("open");
    store.save_action(&done).expect("saved");
    assert!(store
        .overdue_actions(date(2026, 11, 23))
        .expect("overdue")
        .is_empty());
}

#[test]
fn anything_typed_is_a_valid_search_and_wordless_input_finds_nothing() {
    let store = demo_store();
    for typed in [
        "",
        "  ",
        "\"",
        "NOT",
        "a AND (b",
        "*",
        "St Mary’s -",
        "\u{2}",
    ] {
        store
            .search(typed)
            .unwrap_or_else(|error| panic!("{typed:?}: {error}"));
    }
    assert!(store.search(" -*- ").expect("search").is_empty());
}

#[test]
fn an_action_from_an_unknown_visit_or_school_is_refused() {
    let mut store = demo_store();
    let before = store.actions(None).expect("actions");
    let unknown_visit = Action::agree(
        Uuid::now_v7(),
        WESTFIELD,
        "Review the SEND register",
        "SENCo",
        date(2026, 12, 1),
        ActionSource::Visit(Uuid::now_v7()),
    )
    .expect("valid");
    assert!(matches!(
        store.save_action(&unknown_visit),
        Err(StoreError::VisitNotFound(_))
    ));
    let mut unknown_school = unknown_visit.clone();
    unknown_school.urn = Urn(123_456);
    assert!(matches!(
        store.save_action(&unknown_school),
        Err(StoreError::SchoolNotFound(_))
    ));
    assert_eq!(store.actions(None).expect("actions"), before);
}

#[test]
fn a_whole_word_that_fills_a_page_is_not_completed_as_a_prefix() {
    let mut store = demo_store();
    for _ in 0..SEARCH_LIMIT {
        store
            .save_visit(&visit("Art in Year 5 is sketchbook-led."))
            .expect("saved");
    }
    let newest = visit("Artwork displayed in the hall.");
    store.save_visit(&newest).expect("saved");
    let whole = store.search("art").expect("search");
    assert_eq!(whole.len(), SEARCH_LIMIT as usize);
    assert!(whole.iter().all(|hit| hit.id != newest.id.to_string()));
    let typed = store.search("artw").expect("search");
    assert_eq!(typed.len(), 1);
    assert_eq!(typed[0].id, newest.id.to_string());
}

#[test]
fn judgements_are_searchable_with_the_evidence() {
    let mut store = demo_store();
    let mut visit = visit("Writing books seen in Year 6.");
    visit
        .edit(|visit| visit.notes[0].judgement = Some("Securely expected standard".into()))
        .expect("editable");
    store.save_visit(&visit).expect("saved");
    let hits = store.search("securely").expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, visit.id.to_string());
}

#[test]
fn letters_are_found_by_their_subject_and_text() {
    let mut store = demo_store();
    let mut letter = caseload_core::samples::letter();
    letter.urn = caseload_core::Urn(990_001);
    letter.author = store
        .current_adviser()
        .expect("reads")
        .map(|adviser| adviser.id);
    letter
        .body
        .push_str("\n\nThe governing body must commission an external review of governance.");
    store.save_letter_draft(&letter).expect("saves");

    let hits = store.search("external revi").expect("searches");
    let hit = hits
        .iter()
        .find(|hit| hit.kind == "letter")
        .expect("the letter is found");
    assert_eq!(hit.id, letter.id.to_string());
    assert_eq!(hit.urn, 990_001);
    assert_eq!(hit.day, "2026-11-23");
    assert_eq!(highlighted(hit), ["external", "review"]);
    assert!(
        !store.search("section 60").expect("searches").is_empty(),
        "the subject is indexed"
    );
}

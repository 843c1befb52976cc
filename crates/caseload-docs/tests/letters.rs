//! Drafting each kind of letter from a school's records, and the errors a
//! bad request or a bad template gives.

use caseload_core::letter::material::LetterMaterial;
use caseload_core::letter::{LetterKind, LetterStatus};
use caseload_core::samples;
use caseload_core::visit::VisitStatus;
use caseload_core::{ContactRole, EstablishmentType};
use caseload_docs::document::Block;
use caseload_docs::letters::{DraftRequest, LetterDocError, LetterSet};
use chrono::NaiveDate;
use uuid::Uuid;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
}

fn material() -> LetterMaterial {
    let mut visit = samples::visit();
    visit.addendum_to = None;
    let mut action = samples::action();
    action.source = caseload_core::action::ActionSource::Visit(visit.id);
    let mut councillor = samples::contact();
    councillor.id = Uuid::now_v7();
    councillor.role = ContactRole::WardCouncillor;
    councillor.name = samples::name("Cllr", "Jo", "Amadi");
    councillor.address = Some("Town Hall, Bridge Street, Fenbridge, FB1 1AA".to_owned());
    LetterMaterial {
        school: samples::school(),
        contacts: vec![samples::contact(), councillor],
        author: Some(samples::adviser()),
        inspections: vec![samples::inspection()],
        reviews: vec![],
        figures: vec![samples::performance_figure()],
        actions: vec![action],
        visits: vec![visit],
        letters: vec![],
    }
}

fn request(kind: LetterKind) -> DraftRequest {
    DraftRequest {
        id: Uuid::now_v7(),
        kind,
        today: today(),
        visit: None,
        indicators: None,
        terms: None,
    }
}

fn academy() -> LetterMaterial {
    let mut academy = material();
    academy.school.establishment_type = EstablishmentType::new("Academy converter");
    academy.school.trust = Some("Fen Learning Trust".to_owned());
    let mut chair = samples::contact();
    chair.id = Uuid::now_v7();
    chair.role = ContactRole::TrustChair;
    chair.name = samples::name("Ms", "Ruth", "Bell");
    chair.address = Some("Fen Learning Trust, 4 Mill Road, Fenbridge, FB2 3CD".to_owned());
    academy.contacts.push(chair);
    academy
}

#[test]
fn every_kind_drafts_and_lays_out_for_a_school_it_suits() {
    let set = LetterSet::shipped().expect("shipped templates");
    for kind in LetterKind::ALL {
        let material = if kind == LetterKind::AcademyConcern {
            academy()
        } else {
            material()
        };
        let mut request = request(kind);
        if kind == LetterKind::AcademyConcern {
            request.indicators = Some(vec!["academy-ofsted-drop".to_owned()]);
        }
        let letter = set
            .draft(&material, request)
            .unwrap_or_else(|error| panic!("{kind}: {error}"));
        assert_eq!(letter.status, LetterStatus::Draft);
        let is_letter = kind != LetterKind::SchoolOnAPage;
        assert_eq!(
            letter.body.starts_with("Dear "),
            is_letter,
            "{kind}: {}",
            letter.body
        );
        assert!(
            !letter.body.contains("{{") && !letter.body.contains("{%"),
            "{kind}: {}",
            letter.body
        );
        letter
            .check_complete()
            .unwrap_or_else(|error| panic!("{kind}: {error}"));
        let document = set.document(&letter, &material).expect("lays out");
        assert_eq!(document.date, "23 November 2026");
        assert!(!document.recipients.is_empty());
    }
}

#[test]
fn a_warning_notice_states_its_ground_terms_and_copy_to_ofsted() {
    let set = LetterSet::shipped().expect("shipped templates");
    let mut request = request(LetterKind::WarningNotice);
    request.indicators = Some(vec![
        "leaders-not-acting".to_owned(),
        "low-standards".to_owned(),
    ]);
    let letter = set.draft(&material(), request).expect("drafts");
    assert_eq!(letter.recipients[0].name, "The Governing Body");
    assert!(letter.recipients[0].role.contains("Mr Tomasz Nowak"));
    assert_eq!(letter.signatory.role, "Director of Education");
    assert!(letter.copies_to.iter().any(|copy| copy.contains("Ofsted")));
    for words in [
        "serious breakdown in the way the school is managed",
        "School leaders are not taking urgent and appropriate action",
        "**15 working days**, that is by **14 December 2026**",
        "interim executive board",
        "appoint additional governors",
    ] {
        assert!(letter.body.contains(words), "{words}: {}", letter.body);
    }
    letter.check_complete().expect("complete");
}

#[test]
fn a_note_of_visit_records_the_latest_finalised_visit_and_its_actions() {
    let set = LetterSet::shipped().expect("shipped templates");
    let material = material();
    let letter = set
        .draft(&material, request(LetterKind::VisitNote))
        .expect("drafts");
    assert_eq!(letter.visit, Some(material.visits[0].id));
    assert!(
        letter.subject.contains("7 October 2026"),
        "{}",
        letter.subject
    );
    assert!(letter.body.contains("Phonics sessions"), "{}", letter.body);
    let document = set.document(&letter, &material).expect("lays out");
    assert!(document
        .blocks
        .iter()
        .any(|block| matches!(block, Block::Table(table) if table.rows.len() == 1)));

    let mut unfinished = material.clone();
    unfinished.visits[0].status = VisitStatus::Draft;
    let error = set
        .draft(&unfinished, request(LetterKind::VisitNote))
        .expect_err("no finalised visit");
    assert!(error.to_string().contains("no finalised visit"), "{error}");
}

#[test]
fn the_school_on_a_page_charts_its_measures() {
    let set = LetterSet::shipped().expect("shipped templates");
    let material = material();
    let letter = set
        .draft(&material, request(LetterKind::SchoolOnAPage))
        .expect("drafts");
    let document = set.document(&letter, &material).expect("lays out");
    assert!(document
        .blocks
        .iter()
        .any(|block| matches!(block, Block::Chart(_))));
}

#[test]
fn bad_requests_say_what_is_wrong() {
    let set = LetterSet::shipped().expect("shipped templates");
    let error = set
        .draft(&academy(), request(LetterKind::WarningNotice))
        .expect_err("academy");
    assert!(matches!(error, LetterDocError::Unsuited { .. }), "{error}");

    let mut no_chair = material();
    no_chair
        .contacts
        .retain(|contact| contact.role != ContactRole::ChairOfGovernors);
    let error = set
        .draft(&no_chair, request(LetterKind::Congratulations))
        .expect_err("no chair");
    assert!(
        error
            .to_string()
            .contains("no chair of governors is recorded for St Mary"),
        "{error}"
    );

    let mut wrong = request(LetterKind::Congratulations);
    wrong.indicators = Some(vec!["low-standards".to_owned()]);
    let error = set
        .draft(&material(), wrong)
        .expect_err("wrong kind of indicator");
    assert!(error.to_string().contains("\"low-standards\""), "{error}");
}

#[test]
fn an_authority_template_with_an_unknown_field_is_refused_with_its_line() {
    let folder = tempfile::tempdir().expect("temp dir");
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/letters/congratulations.toml"
    ))
    .expect("shipped template");
    let edited = shipped.replace("{{ school.name }}.", "{{ school.headteacher_name }}.");
    std::fs::write(folder.path().join("congratulations.toml"), edited).expect("writes");
    let set =
        LetterSet::with_folder(folder.path()).expect("parses: fields are checked when filled");
    let error = set
        .draft(&material(), request(LetterKind::Congratulations))
        .expect_err("unknown field");
    let message = error.to_string();
    assert!(
        message.contains("congratulations.toml, line 12: body: undefined value"),
        "{message}"
    );
    assert!(message.contains("school.headteacher_name"), "{message}");
}

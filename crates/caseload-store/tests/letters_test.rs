//! Letters in the store: drafts change, issued letters and their PDFs do not.

mod common;

use caseload_core::letter::{Letter, LetterStatus};
use caseload_core::samples;
use caseload_core::Urn;
use caseload_store::{Store, StoreError};
use common::{date, demo_store};
use uuid::Uuid;

fn draft(store: &Store) -> Letter {
    let mut letter = samples::letter();
    letter.id = Uuid::now_v7();
    letter.urn = Urn(990_001);
    letter.author = store
        .current_adviser()
        .expect("reads")
        .map(|adviser| adviser.id);
    letter
}

#[test]
fn a_draft_is_edited_then_issued_with_its_pdf_kept_exactly() {
    let mut store = demo_store();
    let mut letter = draft(&store);
    store.save_letter_draft(&letter).expect("saves");
    letter.body.push_str("\n\nA paragraph added later.");
    store.save_letter_draft(&letter).expect("edits");

    let pdf = b"%PDF-1.7 the letter as printed".to_vec();
    let issued = store.issue_letter(&letter, &pdf).expect("issues");
    assert_eq!(issued.status, LetterStatus::Issued);
    assert_eq!(store.letter(letter.id).expect("stored"), issued);
    assert_eq!(store.issued_pdf(letter.id).expect("reads"), Some(pdf));
    assert_eq!(
        issued.pdf_sha256.as_deref().map(str::len),
        Some(64),
        "a SHA-256 in hex"
    );
}

#[test]
fn an_issued_letter_is_never_rewritten() {
    let mut store = demo_store();
    let letter = draft(&store);
    store.save_letter_draft(&letter).expect("saves");
    let issued = store.issue_letter(&letter, b"%PDF").expect("issues");

    let mut edited = issued.clone();
    edited.body = "Something else".to_owned();
    assert!(matches!(
        store.save_letter_draft(&edited),
        Err(StoreError::Letter(_))
    ));
    let mut as_draft = edited.clone();
    as_draft.status = LetterStatus::Draft;
    assert!(matches!(
        store.save_letter_draft(&as_draft),
        Err(StoreError::Letter(_))
    ));
    assert!(store.issue_letter(&issued, b"%PDF again").is_err());
    assert_eq!(store.letter(letter.id).expect("stored"), issued);
    assert_eq!(
        store.issued_pdf(letter.id).expect("reads"),
        Some(b"%PDF".to_vec())
    );

    let correction = issued
        .correction(Uuid::now_v7(), date(2026, 11, 25))
        .expect("corrects");
    store
        .save_letter_draft(&correction)
        .expect("a correction is a new letter");
    assert_eq!(store.letters(Some(Urn(990_001))).expect("lists").len(), 2);
}

#[test]
fn a_pdf_of_other_text_than_the_stored_draft_is_refused() {
    let mut store = demo_store();
    let letter = draft(&store);
    store.save_letter_draft(&letter).expect("saves");
    let mut unsaved = letter.clone();
    unsaved.subject = "Not what is stored".to_owned();
    assert!(matches!(
        store.issue_letter(&unsaved, b"%PDF"),
        Err(StoreError::LetterChanged)
    ));
    assert_eq!(
        store.letter(letter.id).expect("stored").status,
        LetterStatus::Draft
    );
    assert_eq!(store.issued_pdf(letter.id).expect("reads"), None);
}

#[test]
fn an_incomplete_letter_is_not_issued_and_nothing_is_written() {
    let mut store = demo_store();
    let mut letter = draft(&store);
    letter.copies_to.clear();
    store
        .save_letter_draft(&letter)
        .expect("a draft may be incomplete");
    let error = store
        .issue_letter(&letter, b"%PDF")
        .expect_err("no copy to Ofsted");
    assert!(error.to_string().contains("copied to Ofsted"), "{error}");
    assert_eq!(
        store.letter(letter.id).expect("stored").status,
        LetterStatus::Draft
    );
}

#[test]
fn a_pdf_altered_on_disk_is_refused_on_reprint() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("caseload.db");
    let mut store = common::open(&path);
    store.load_demo().expect("demo");
    let letter = draft(&store);
    store.save_letter_draft(&letter).expect("saves");
    store
        .issue_letter(&letter, b"%PDF the original")
        .expect("issues");
    drop(store);

    let conn = common::connection(&path);
    conn.execute("UPDATE letter_pdf SET pdf = ?1", [b"%PDF forged".to_vec()])
        .expect("alters");
    drop(conn);
    let store = common::open(&path);
    assert!(matches!(
        store.issued_pdf(letter.id),
        Err(StoreError::PdfAltered(_))
    ));
}

#[test]
fn letters_of_an_unknown_school_are_refused() {
    let mut store = demo_store();
    let mut letter = draft(&store);
    letter.urn = Urn(123_456);
    assert!(matches!(
        store.save_letter_draft(&letter),
        Err(StoreError::SchoolNotFound(_))
    ));
}

#[test]
fn the_material_of_a_letter_gathers_the_schools_records() {
    let store = demo_store();
    let material = store.letter_material(Urn(990_001)).expect("gathers");
    assert_eq!(material.school.urn, Urn(990_001));
    assert!(!material.contacts.is_empty());
    assert!(
        material.author.is_some(),
        "the demo installation belongs to an adviser"
    );
    assert!(!material.visits.is_empty());
}

#[test]
fn a_batch_is_issued_whole_or_not_at_all() {
    let mut store = demo_store();
    let good = draft(&store);
    let mut elsewhere = draft(&store);
    elsewhere.urn = Urn(123_456);
    let batch = [
        (&good, b"%PDF one".as_slice()),
        (&elsewhere, b"%PDF two".as_slice()),
    ];
    assert!(matches!(
        store.issue_letters(&batch),
        Err(StoreError::SchoolNotFound(_))
    ));
    assert!(matches!(
        store.letter(good.id),
        Err(StoreError::LetterNotFound(_))
    ));

    let issued = store
        .issue_letters(&batch[..1])
        .expect("a new letter is issued as it is recorded");
    assert_eq!(issued[0].status, LetterStatus::Issued);
    assert_eq!(
        store.issued_pdf(good.id).expect("reads"),
        Some(b"%PDF one".to_vec())
    );
}

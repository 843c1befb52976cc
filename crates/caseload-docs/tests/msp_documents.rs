//! An MSP meeting's two documents, printed and read back with poppler's
//! pdftotext as a governor would read them: the minutes carry every
//! sentence of the confidential minutes and are marked CONFIDENTIAL; the
//! summary key points carry none of them.

use std::path::Path;
use std::process::Command;

use caseload_core::msp::meeting::Recording;
use caseload_core::msp::summary::{quoted_sentence, sentences, MIN_WORDS};
use caseload_core::msp::{AgendaItem, MinutesEdit, MspGroup, MspMeeting, NewAction};
use caseload_core::{samples, School};
use caseload_docs::letters::LetterSet;
use caseload_docs::msp::{minutes_document, summary_document, MeetingPapers};
use caseload_docs::typeset::Typesetter;
use chrono::NaiveDate;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn item(title: &str, minutes: &str) -> AgendaItem {
    AgendaItem {
        title: title.to_owned(),
        minutes: minutes.to_owned(),
    }
}

/// A meeting written up and approved through the rules, as the app does.
fn approved_meeting(group: &MspGroup) -> MspMeeting {
    let mut meeting = MspMeeting::schedule(
        Uuid::from_u128(0x77),
        group,
        day(2026, 11, 18),
        "The school library",
    )
    .expect("scheduled");
    let edit = MinutesEdit {
        attendees: Some(vec![
            "Margaret Okonjo".to_owned(),
            "Mrs Zoë Okafor".to_owned(),
            "Mr Tomasz Nowak".to_owned(),
        ]),
        apologies: Some(vec!["Priya Raman".to_owned()]),
        items: vec![
            item(
                "Impact of leaders' actions",
                "Mrs Okafor reported that two teachers in Year 5 have resigned with effect from Christmas. \
                 Governors questioned whether the interim arrangements for Year 5 would hold until Easter.\n\n\
                 - The deputy head is on long-term sick leave and no return date is known.\n\
                 - Subject leaders have had no release time to write their curriculum maps.",
            ),
            item(
                "Data",
                "The autumn reading check placed 54.5% of Year 6 at the expected standard, against 61% last July.",
            ),
            item(
                "Support received, and whether to refocus it",
                "The group agreed that the authority's English adviser should move from Year 6 writing to early reading.",
            ),
        ],
        decisions: Some(vec![
            "The authority will fund four days of supply cover for curriculum writing before February.".to_owned(),
        ]),
        concerns_remain: Some(true),
        summary: Some(
            "The partnership met on 18 November. Staffing in upper Key Stage 2 is under pressure, and leaders are planning how to cover it.\n\n\
             Reading is a priority for the spring term, with the authority's support moving to the early years. \
             The group remains concerned about the pace of curriculum planning."
                .to_owned(),
        ),
        ..MinutesEdit::default()
    };
    let new = [NewAction {
        text: "Complete curriculum maps for the six foundation subjects".to_owned(),
        owner: "Mrs Okafor (headteacher)".to_owned(),
        due_on: day(2027, 2, 12),
        rag: None,
    }];
    let recording = Recording {
        edit: Some(&edit),
        updates: &[],
        new_actions: &new,
    };
    let mut next = 0x100;
    meeting
        .record(group, recording, &[], &[], || {
            next += 1;
            Uuid::from_u128(next)
        })
        .expect("recorded");
    meeting.approve(day(2026, 11, 20)).expect("approved");
    meeting
}

fn pdftotext(pdf: &[u8], folder: &Path, name: &str) -> String {
    let path = folder.join(name);
    std::fs::write(&path, pdf).expect("written");
    let output = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 text")
}

#[test]
fn the_summary_pdf_holds_no_sentence_of_the_confidential_minutes() {
    let group = MspGroup {
        closed: None,
        ..samples::msp_group()
    };
    let school: School = samples::school();
    let meeting = approved_meeting(&group);
    let papers = MeetingPapers {
        meeting: &meeting,
        group: &group,
        school: &school,
        chair: None,
        next_meeting: Some(day(2027, 1, 13)),
    };
    let letters = LetterSet::shipped().expect("shipped letters");
    let typesetter = Typesetter::new().expect("fonts");
    let minutes_pdf = typesetter
        .render(&minutes_document(papers, &letters).expect("minutes"))
        .expect("rendered");
    let summary_pdf = typesetter
        .render(&summary_document(papers, &letters).expect("summary"))
        .expect("rendered");
    let folder = tempfile::tempdir().expect("temp dir");
    let minutes = pdftotext(&minutes_pdf, folder.path(), "minutes.pdf");
    let summary = pdftotext(&summary_pdf, folder.path(), "summary.pdf");

    // Every sentence of the minutes reads back from the minutes PDF, so the
    // check on the summary below is a check that could fail.
    let confidential: Vec<&str> = meeting.confidential_texts().collect();
    let mut compared = 0;
    for text in &confidential {
        for sentence in sentences(text) {
            if sentence.split_whitespace().count() < MIN_WORDS {
                continue;
            }
            compared += 1;
            assert!(
                quoted_sentence(&minutes, [sentence]).is_some(),
                "the minutes PDF lacks {sentence:?}:\n{minutes}"
            );
        }
    }
    assert!(compared >= 6, "only {compared} sentences compared");
    assert!(minutes.contains("CONFIDENTIAL"), "{minutes}");
    assert!(
        minutes.contains("Complete curriculum maps"),
        "the action log"
    );

    assert_eq!(
        quoted_sentence(&summary, confidential.iter().copied()),
        None,
        "the summary PDF repeats the minutes:\n{summary}"
    );
    assert!(!summary.contains("CONFIDENTIAL"), "{summary}");
    assert!(
        !summary.contains("Complete curriculum maps"),
        "no action log"
    );
    assert!(summary.contains("The Governing Body"), "{summary}");
    assert!(
        summary.contains("Reading is a priority for the spring term"),
        "{summary}"
    );
    assert!(
        summary.contains("The group next meets on 13 January 2027."),
        "{summary}"
    );
}

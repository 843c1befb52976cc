//! `caseload msp`: the demo's group listed and its documents printed and
//! read back; a whole cycle from a terminal (open, plan, write up, approve,
//! carry an action, print, export the diary, close); and bad input that
//! changes nothing.

mod common;

use std::path::Path;
use std::process::Command;

use caseload_core::msp::summary::quoted_sentence;
use caseload_core::msp::MspMeeting;
use common::{arg, stderr, Scratch};
use icalendar::Component;
use serde_json::Value;

const CHAIR: &str = "margaret.okonjo@fenbridge.example";
const CURRICULUM: &str =
    "Publish a sequenced curriculum map for every subject, shared with staff and governors";

fn pdftotext(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args([arg(pdf), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn meeting(scratch: &Scratch, id: &str) -> MspMeeting {
    serde_json::from_value(scratch.json(&["msp", "meeting", "show", "--meeting", id, "--json"]))
        .expect("a meeting")
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// Runs a command that must fail, and returns its message.
fn refused(scratch: &Scratch, args: &[&str]) -> String {
    let output = scratch.run(args);
    assert!(!output.status.success(), "{args:?} succeeded");
    stderr(&output)
}

#[test]
fn the_demo_group_is_listed_and_its_minutes_and_summary_print_apart() {
    let scratch = Scratch::demo();
    let groups = scratch.json(&["msp", "groups", "--date", "2026-11-23", "--json"]);
    assert_eq!(groups.as_array().map(Vec::len), Some(1));
    let group = &groups[0];
    assert_eq!(group["school"], "Northgate Primary School");
    assert_eq!(group["cadence"]["proposed"], "2027-01-06");
    assert_eq!(group["live_log"][0]["text"], CURRICULUM);
    assert_eq!(group["live_log"][0]["rag"], "red");
    assert_eq!(group["escalation"]["letters"][0]["kind"], "warning-notice");
    assert_eq!(
        scratch.json(&["msp", "list", "--json"]),
        scratch.json(&["msp", "groups", "--json"])
    );
    let text = scratch.ok(&["msp", "groups", "--date", "2026-11-23"]);
    assert!(text.contains("Chair: Margaret Okonjo"), "{text}");
    assert!(
        text.contains("--kind warning-notice --indicator insufficient-progress"),
        "{text}"
    );

    let second = group["meetings"][1]["id"].as_str().expect("an id");
    let minutes_pdf = scratch.folder().join("minutes.pdf");
    let summary_pdf = scratch.folder().join("summary.pdf");
    scratch.ok(&[
        "msp",
        "minutes-pdf",
        "--meeting",
        second,
        "--out",
        arg(&minutes_pdf),
    ]);
    scratch.ok(&[
        "msp",
        "summary-pdf",
        "--meeting",
        second,
        "--out",
        arg(&summary_pdf),
    ]);
    let minutes = pdftotext(&minutes_pdf);
    let summary = pdftotext(&summary_pdf);
    let record = meeting(&scratch, second);
    let confidential: Vec<&str> = record.confidential_texts().collect();
    assert!(minutes.contains("CONFIDENTIAL"));
    assert!(
        quoted_sentence(&minutes, confidential.iter().copied()).is_some(),
        "the minutes PDF holds the minutes"
    );
    assert_eq!(
        quoted_sentence(&summary, confidential.iter().copied()),
        None,
        "{summary}"
    );
    assert!(summary.contains("The Governing Body"));
    assert!(!summary.contains("CONFIDENTIAL"));

    // Approved minutes print the same bytes every time, by both names.
    let again = scratch.folder().join("again.pdf");
    scratch.ok(&["msp", "minutes", "--meeting", second, "--out", arg(&again)]);
    assert_eq!(
        std::fs::read(&minutes_pdf).expect("read"),
        std::fs::read(&again).expect("read")
    );
    scratch.ok(&["msp", "summary", "--meeting", second, "--out", arg(&again)]);
    assert_eq!(
        std::fs::read(&summary_pdf).expect("read"),
        std::fs::read(&again).expect("read")
    );
}

#[test]
fn a_whole_cycle_from_the_terminal() {
    let scratch = Scratch::demo();
    // Northgate's demo group closes; the school, still in high support, is
    // offered a new one.
    scratch.ok(&[
        "msp",
        "close",
        "--group",
        "990007",
        "--reason",
        "Chair moved to another authority",
        "--date",
        "2026-11-24",
    ]);
    let offers = scratch.json(&["msp", "offers", "--json"]);
    assert_eq!(offers[0]["urn"], 990007);
    let message = refused(
        &scratch,
        &[
            "msp",
            "open",
            "--urn",
            "990007",
            "--chair",
            "priya.raman@fenbridge.example",
        ],
    );
    assert!(
        message.contains("Senior School Improvement Adviser"),
        "{message}"
    );
    let group = scratch.json(&[
        "msp",
        "open",
        "--urn",
        "990007",
        "--chair",
        CHAIR,
        "--date",
        "2026-11-25",
        "--json",
    ]);
    assert_eq!(group["members"].as_array().map(Vec::len), Some(4));
    let group_id = id(&group);
    scratch.ok(&[
        "msp",
        "invite",
        "--group",
        &group_id,
        "--name",
        "Revd Canon Ruth Adeyemi",
        "--organisation",
        "Diocese of Fenbridge",
    ]);

    // The first meeting: planned, written up with a new action, approved.
    let first = scratch.json(&[
        "msp",
        "meeting",
        "add",
        "--group",
        "990007",
        "--date",
        "2026-12-02",
        "--json",
    ]);
    assert_eq!(first["place"], "Northgate Primary School");
    assert_eq!(first["agenda"].as_array().map(Vec::len), Some(5));
    let first_id = id(&first);
    let minutes = scratch.file(
        "first.toml",
        r#"
attendees = ["Margaret Okonjo", "Priya Raman", "Mr Kwame Mensah", "Revd Canon Ruth Adeyemi"]
apologies = ["Mr Geoffrey Lambert"]
decisions = ["The diocese will fund a reading consultant for the spring term."]
summary = "The new partnership met for the first time and agreed its priorities with leaders."

[[item]]
title = "Impact of leaders' actions"
minutes = "Mr Mensah reported that the Year 3 teacher has resigned with effect from February."

[[new_action]]
text = "Recruit a Year 3 teacher from February"
owner = "Mr Geoffrey Lambert (chair of governors)"
due_on = 2027-01-15
rag = "amber"
"#,
    );
    let recorded = scratch.json(&[
        "msp",
        "minutes",
        "--meeting",
        &first_id,
        "--file",
        arg(&minutes),
        "--json",
    ]);
    assert_eq!(recorded["status"], "draft");
    assert_eq!(recorded["action_log"].as_array().map(Vec::len), Some(1));
    scratch.ok(&[
        "msp",
        "approve",
        "--meeting",
        &first_id,
        "--date",
        "2026-12-03",
    ]);
    let message = refused(
        &scratch,
        &[
            "msp",
            "minutes",
            "--meeting",
            &first_id,
            "--file",
            arg(&minutes),
        ],
    );
    assert!(message.contains("approved and cannot change"), "{message}");

    // The second meeting carries the action and rates it red.
    let second = scratch.json(&[
        "msp",
        "meeting",
        "add",
        "--group",
        &group_id,
        "--date",
        "2027-01-13",
        "--place",
        "Fenbridge Civic Centre, room 4",
        "--json",
    ]);
    let second_id = id(&second);
    let review = scratch.file(
        "second.toml",
        r#"
attendees = ["Margaret Okonjo", "Mr Kwame Mensah"]
summary = "Recruitment for Year 3 continues."

[[action]]
action = "recruit a year 3 teacher from february"
rag = "red"
due_on = 2027-02-12
"#,
    );
    scratch.ok(&[
        "msp",
        "minutes",
        "--meeting",
        &second_id,
        "--file",
        arg(&review),
    ]);
    let record = meeting(&scratch, &second_id);
    assert_eq!(record.action_log.len(), 1);
    assert!(
        !record.action_log[0].agreed_here,
        "carried from the first meeting"
    );
    assert_eq!(record.action_log[0].due_on.to_string(), "2027-02-12");
    let shown = scratch.ok(&["msp", "meeting", "show", "--meeting", &second_id]);
    assert!(shown.contains("RED"), "{shown}");

    // The calendar subscription beside the store: a meeting planned joins
    // it, the group closing takes the meeting out again.
    let subscription = scratch.ok(&["calendar", "--subscription"]);
    let subscription = Path::new(subscription.trim()).to_owned();
    assert_eq!(subscription, scratch.db.with_file_name("calendar.ics"));
    let events = |file: &Path| -> Vec<(String, String)> {
        let text = std::fs::read_to_string(file).expect("the calendar file");
        let calendar: icalendar::Calendar = text.parse().expect("the file parses");
        calendar
            .events()
            .map(|event| {
                let summary = event.get_summary().unwrap_or_default().to_owned();
                (
                    summary,
                    event
                        .property_value("DTSTART")
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect()
    };
    let before = events(&subscription);
    scratch.ok(&[
        "msp",
        "meeting",
        "add",
        "--group",
        &group_id,
        "--date",
        "2027-02-24",
    ]);
    let planned = events(&subscription);
    assert_eq!(planned.len(), before.len() + 1, "{planned:?}");
    assert!(
        planned.contains(&(
            "MSP meeting: Northgate Primary School".to_owned(),
            "20270224".to_owned()
        )),
        "{planned:?}"
    );
    let ics = scratch.folder().join("diary.ics");
    let out = scratch.ok(&["calendar", "--out", arg(&ics)]);
    assert!(out.contains("1 planned MSP meeting written"), "{out}");
    assert_eq!(
        std::fs::read(&ics).expect("written"),
        std::fs::read(&subscription).expect("kept"),
        "one calendar, whichever way it is written"
    );
    scratch.ok(&[
        "msp",
        "close",
        "--group",
        &group_id,
        "--reason",
        "The school left high support",
        "--date",
        "2027-03-01",
    ]);
    assert_eq!(
        events(&subscription),
        before,
        "the closed group's meeting is gone"
    );
    let open = scratch.json(&["msp", "groups", "--json"]);
    assert_eq!(open.as_array().map(Vec::len), Some(0));
    let all = scratch.json(&["msp", "groups", "--all", "--json"]);
    assert_eq!(all.as_array().map(Vec::len), Some(2));
}

#[test]
fn a_bad_minutes_file_is_refused_with_its_reason_and_changes_nothing() {
    let scratch = Scratch::demo();
    let planned = scratch.json(&[
        "msp",
        "meeting",
        "add",
        "--group",
        "990007",
        "--date",
        "2027-01-06",
        "--json",
    ]);
    let meeting_id = id(&planned);
    let export = || scratch.json(&["export", "--json"]);
    let before = export();
    let cases = [
        ("apologeis = []", "apologeis"),
        (
            "attendees = [\"Mrs Nobody\"]",
            "\"Mrs Nobody\" is not a member of the group",
        ),
        (
            "summary = \"Leaders said that the six foundation subjects still lack plans.\"\n\
             [[item]]\ntitle = \"Data\"\n\
             minutes = \"Leaders said that the six foundation subjects still lack plans.\"",
            "the summary key points repeat the confidential minutes",
        ),
        (
            "[[action]]\naction = \"Paint the hall\"\nrag = \"red\"",
            "is not on this meeting's action log",
        ),
        (
            "[[new_action]]\ntext = \"Review phonics\"\nowner = \" \"\ndue_on = 2027-02-01",
            "an action needs a named owner",
        ),
    ];
    for (index, (text, expected)) in cases.into_iter().enumerate() {
        let file = scratch.file(&format!("bad{index}.toml"), text);
        let message = refused(
            &scratch,
            &[
                "msp",
                "minutes",
                "--meeting",
                &meeting_id,
                "--file",
                arg(&file),
            ],
        );
        assert!(message.contains(expected), "{text:?}: {message}");
    }
    assert_eq!(export(), before, "nothing changed");
    assert_eq!(meeting(&scratch, &meeting_id).attendees.len(), 0);

    let message = refused(&scratch, &["msp", "approve", "--meeting", &meeting_id]);
    assert!(
        message.contains("nothing has been written up yet"),
        "{message}"
    );
    let message = refused(
        &scratch,
        &[
            "msp",
            "meeting",
            "add",
            "--group",
            "990002",
            "--date",
            "2027-01-06",
        ],
    );
    assert!(message.contains("no open MSP group"), "{message}");
    let message = refused(
        &scratch,
        &["msp", "close", "--group", "990007", "--reason", " "],
    );
    assert!(message.contains("needs the reason"), "{message}");
    let missing = scratch.folder().join("nowhere").join("m.pdf");
    let message = refused(
        &scratch,
        &[
            "msp",
            "minutes-pdf",
            "--meeting",
            &meeting_id,
            "--out",
            arg(&missing),
        ],
    );
    assert!(message.contains("cannot write"), "{message}");
    assert_eq!(export(), before, "nothing changed");
}

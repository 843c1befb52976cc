//! `caseload academy-concern`: the demo's concern at Old Town followed from
//! its meeting through the issued letter to the chair of the trust to a
//! referral; reports logged with their redirection; and bad input refused
//! with a clear message, changing nothing.

mod common;

use common::{arg, stderr, Scratch};
use serde_json::Value;

const OLD_TOWN: &str = "990031";

fn refused(scratch: &Scratch, args: &[&str]) -> String {
    let output = scratch.run(args);
    assert!(!output.status.success(), "{args:?} succeeded");
    stderr(&output)
}

fn old_town_concern(scratch: &Scratch) -> String {
    let concerns = scratch.json(&["academy-concern", "list", "--urn", OLD_TOWN, "--json"]);
    concerns[0]["id"].as_str().expect("an id").to_owned()
}

#[test]
fn the_demo_concern_goes_from_its_meeting_through_the_letter_to_a_referral() {
    let scratch = Scratch::demo();
    let id = old_town_concern(&scratch);
    let shown = scratch.ok(&["academy-concern", "show", &id]);
    assert!(shown.contains("Stage: Meeting held"), "{shown}");
    assert!(shown.contains("Next: trust-letter"), "{shown}");
    assert!(
        shown.contains("--indicator academy-absence --indicator academy-ofsted-drop"),
        "{shown}"
    );

    let refusal = refused(
        &scratch,
        &[
            "academy-concern",
            "step",
            &id,
            "regional-director",
            "--date",
            "2026-11-01",
        ],
    );
    assert!(
        refusal.contains("comes after the formal letter"),
        "{refusal}"
    );

    let pdf = scratch.folder().join("old-town.pdf");
    let issued = scratch.ok(&[
        "letter",
        "--urn",
        OLD_TOWN,
        "--kind",
        "academy-concern",
        "--indicator",
        "academy-absence",
        "--indicator",
        "academy-ofsted-drop",
        "--date",
        "2026-11-02",
        "--issue",
        "--out",
        arg(&pdf),
    ]);
    let letter = issued
        .split(", letter ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the letter's id");
    scratch.ok(&[
        "academy-concern",
        "step",
        &id,
        "trust-letter",
        "--letter",
        letter,
    ]);
    scratch.ok(&[
        "academy-concern",
        "outcome",
        &id,
        "trust-letter",
        "The trust did not reply within 20 working days",
        "--date",
        "2026-11-30",
    ]);
    scratch.ok(&[
        "academy-concern",
        "step",
        &id,
        "regional-director",
        "--date",
        "2026-12-01",
        "--note",
        "Written to the Regional Director, East of England",
    ]);

    let concern = &scratch.json(&["academy-concern", "list", "--urn", OLD_TOWN, "--json"])[0];
    let steps: Vec<&str> = concern["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| step["step"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(steps, ["meeting", "trust-letter", "regional-director"]);
    assert_eq!(concern["steps"][1]["letter"], letter);
    assert_eq!(concern["steps"][1]["taken_on"], "2026-11-02");
    let sheet = scratch.json(&["academy-concern", "show", &id, "--json"]);
    assert_eq!(sheet["stage"], "referred");
    assert_eq!(
        sheet["next_steps"],
        Value::from(vec!["funding-agency", "ofsted"])
    );
}

#[test]
fn reports_print_what_the_strategy_says_to_do() {
    let scratch = Scratch::demo();
    let logged = scratch.ok(&[
        "academy-concern",
        "report",
        "--urn",
        "990032",
        "--kind",
        "whistleblowing",
        "--summary",
        "A teacher reports pupils taken off roll before exams",
        "--date",
        "2026-11-20",
    ]);
    assert!(logged.contains("funding agency"), "{logged}");
    let safeguarding = scratch.json(&[
        "academy-concern",
        "report",
        "--urn",
        "990032",
        "--kind",
        "safeguarding",
        "--summary",
        "Site gates found open during lessons",
        "--date",
        "2026-11-20",
        "--json",
    ]);
    let report = safeguarding["id"].as_str().expect("an id");
    let told = scratch.ok(&[
        "academy-concern",
        "told",
        report,
        "--to",
        "trust",
        "--person",
        "Mrs Finch, chief executive",
        "--date",
        "2026-11-21",
    ]);
    assert!(
        told.contains("Still to tell: the Regional Director"),
        "{told}"
    );
    let listed = scratch.ok(&["academy-concern", "reports", "--urn", "990032"]);
    assert!(listed.contains("told the academy's trust (Mrs Finch, chief executive)"));
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let scratch = Scratch::demo();
    let before = scratch.ok(&["export", "--json"]);
    let maintained = refused(
        &scratch,
        &[
            "academy-concern",
            "raise",
            "--urn",
            "990001",
            "--ground",
            "high-exclusions: doubled",
        ],
    );
    assert!(
        maintained.contains("is a maintained school"),
        "{maintained}"
    );
    let unknown = refused(
        &scratch,
        &[
            "academy-concern",
            "raise",
            "--urn",
            "990032",
            "--ground",
            "gossip: heard things",
        ],
    );
    assert!(unknown.contains("unknown ground \"gossip\""), "{unknown}");
    let blank = refused(
        &scratch,
        &[
            "academy-concern",
            "raise",
            "--urn",
            "990032",
            "--ground",
            "high-exclusions:  ",
        ],
    );
    assert!(
        blank.contains("evidence for \"High exclusions\" is empty"),
        "{blank}"
    );
    let id = old_town_concern(&scratch);
    let again = refused(
        &scratch,
        &[
            "academy-concern",
            "step",
            &id,
            "meeting",
            "--date",
            "2026-11-01",
        ],
    );
    assert!(again.contains("already recorded, on 2026-10-21"), "{again}");
    let needs_letter = refused(&scratch, &["academy-concern", "step", &id, "trust-letter"]);
    assert!(
        needs_letter.contains("draft and issue a letter"),
        "{needs_letter}"
    );
    assert_eq!(scratch.ok(&["export", "--json"]), before);
}

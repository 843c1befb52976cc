//! The `caseload` binary as a user runs it: exit codes, what goes to
//! stdout and stderr, and a store left unchanged by a refused import.

mod common;

use common::{stderr, Scratch};
use icalendar::Component;
use serde_json::Value;

#[test]
fn init_creates_the_store_and_says_where() {
    let scratch = Scratch::new();
    let out = scratch.ok(&["init"]);
    assert!(out.contains("Store ready at"), "{out}");
    assert!(scratch.db.exists());
}

#[test]
fn the_demo_caseload_lists_as_json_with_the_documented_fields() {
    let scratch = Scratch::new();
    let out = scratch.ok(&["demo"]);
    assert!(
        out.starts_with("Demo caseload loaded: 28 open schools"),
        "{out}"
    );
    let schools = scratch.json(&["schools", "--json"]);
    let schools = schools.as_array().expect("an array");
    assert_eq!(schools.len(), 30, "every school, closed ones included");
    for school in schools {
        for field in ["urn", "name", "phase", "type", "status"] {
            assert!(
                school.get(field).is_some_and(|value| !value.is_null()),
                "{field} in {school}"
            );
        }
        assert!(school["maintained"].is_boolean());
    }
    let closed = schools
        .iter()
        .filter(|school| school["status"] == "closed")
        .count();
    assert_eq!(closed, 2);
    let caseload = scratch.json(&["schools", "--caseload", "--json"]);
    assert!(caseload
        .as_array()
        .is_some_and(|rows| !rows.is_empty() && rows.len() < 28));
}

#[test]
fn a_school_shows_its_profile_contacts_and_inspections() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let first = scratch.json(&["schools", "--json"])[0]["urn"].clone();
    let urn = first.to_string();
    let profile = scratch.json(&["school", &urn, "--json"]);
    assert_eq!(profile["row"]["urn"], first);
    assert!(profile["contacts"].is_array());
    let text = scratch.ok(&["school", &urn]);
    assert!(text.contains(&format!("(URN {urn})")), "{text}");
}

#[test]
fn an_unknown_school_is_an_error_on_stderr() {
    let scratch = Scratch::new();
    let output = scratch.run(&["school", "123456"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output).trim(),
        "caseload: no school with URN 123456 in the store"
    );
    let output = scratch.run(&["school", "12a"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("\"12a\" is not a URN"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_demo_loads_only_into_an_empty_store() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let output = scratch.run(&["demo"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("already holds 30 schools"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_refused_import_names_file_line_and_field_and_changes_nothing() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let before = scratch.ok(&["export", "--json"]);
    let broken = scratch.folder().join("edubasealldata20261123.csv");
    std::fs::write(
        &broken,
        "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)\n\
         990501,990,New School,Community school,Open,Primary\n\
         9905O2,990,Typo School,Community school,Open,Primary\n",
    )
    .expect("fixture written");
    let output = scratch.run(&["import", "schools", broken.to_str().expect("UTF-8 path")]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "{}: line 3, field URN: \"9905O2\" is not a URN",
            broken.display()
        )),
        "{message}"
    );
    assert_eq!(scratch.ok(&["export", "--json"]), before);
}

#[test]
fn an_import_reports_what_it_did() {
    let scratch = Scratch::new();
    let file = scratch.folder().join("edubase.csv");
    std::fs::write(
        &file,
        "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),NumberOfPupils\n\
         990501,990,New School,Community school,Open,Primary,lots\n\
         990502,990,Old School,Community school,Closed,Primary,\n\
         880001,880,Elsewhere School,Community school,Open,Primary,\n",
    )
    .expect("fixture written");
    let output = scratch.run(&[
        "import",
        "schools",
        file.to_str().expect("UTF-8 path"),
        "--la",
        "990",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        out.trim(),
        "Imported schools: 2 added, 0 updated, 0 unchanged (1 closed; 1 of other authorities left out). 1 warnings."
    );
    assert!(
        stderr(&output).contains("line 2, field NumberOfPupils"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_export_is_deterministic_and_lists_every_record_type() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let first = scratch.ok(&["export", "--json"]);
    assert_eq!(scratch.ok(&["export", "--json"]), first);
    let export: Value = serde_json::from_str(&first).expect("JSON");
    for entity in ["adviser", "school", "contact", "ofsted_inspection"] {
        assert!(
            export["records"][entity]
                .as_array()
                .is_some_and(|list| !list.is_empty()),
            "{entity}"
        );
    }
    let output = scratch.run(&["export"]);
    assert!(
        !output.status.success(),
        "export without --json says what it needs"
    );
}

#[test]
fn criteria_lists_the_statements_with_their_ids() {
    let scratch = Scratch::new();
    let set = scratch.json(&["criteria", "--json"]);
    assert_eq!(set["id"], "peterborough-2022");
    let first = &set["statements"][0];
    assert_eq!(first["id"], "lm-low-safeguarding-strong");
    assert_eq!(first["level"], "low");
    let other = scratch.json(&["criteria", "--set", "report-card-2025", "--json"]);
    assert_eq!(other["areas"].as_array().map(Vec::len), Some(7));
    assert!(!scratch.db.exists(), "listing criteria needs no store");
}

#[test]
fn score_gives_per_area_and_overall_levels_with_reasons() {
    let scratch = Scratch::new();
    let request = scratch.folder().join("marks.json");
    std::fs::write(
        &request,
        r#"{"set": "peterborough-2022", "marked": [
            "qe-medium-teaching-inconsistent",
            {"statement": "lm-high-warning-notice", "evidence": "Letter of 3 March 2026"}
        ]}"#,
    )
    .expect("written");
    let card = scratch.json(&["score", request.to_str().expect("UTF-8 path"), "--json"]);
    assert_eq!(card["overall"]["level"], "high");
    assert_eq!(
        card["overall"]["reasons"][0]["statement"],
        "lm-high-warning-notice"
    );
    assert_eq!(
        card["overall"]["reasons"][0]["evidence"],
        "Letter of 3 March 2026"
    );
    let quality = &card["areas"][1];
    assert_eq!(quality["area"], "quality-of-education");
    assert_eq!(quality["level"], "medium");
    assert!(
        card["areas"][2]["level"].is_null(),
        "an area with nothing marked is not judged"
    );
}

#[test]
fn a_bad_scoring_request_says_what_is_wrong() {
    let scratch = Scratch::new();
    let request = scratch.folder().join("marks.json");
    for (body, expected) in [
        (
            r#"{"set": "peterborough-2022", "marked": ["no-such-statement"]}"#,
            "statement \"no-such-statement\" is not in criteria set \"peterborough-2022\"",
        ),
        (
            r#"{"set": "nope", "marked": []}"#,
            "there is no criteria set \"nope\"",
        ),
        (
            "{\"set\": \"peterborough-2022\",\n \"marked\": [1]}",
            "line 2 column",
        ),
    ] {
        std::fs::write(&request, body).expect("written");
        let output = scratch.run(&["score", request.to_str().expect("UTF-8 path")]);
        assert!(!output.status.success(), "{body}");
        assert!(
            stderr(&output).contains(expected),
            "{body}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn reviews_are_recorded_and_make_a_history_with_direction_of_travel() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let high = scratch.folder().join("high.json");
    std::fs::write(
        &high,
        r#"{"set": "peterborough-2022", "marked": ["lm-high-vision-unclear"]}"#,
    )
    .expect("written");
    let medium = scratch.folder().join("medium.json");
    std::fs::write(
        &medium,
        r#"{"set": "peterborough-2022", "marked": ["lm-medium-vision-lacks-detail"]}"#,
    )
    .expect("written");
    let (high, medium) = (
        high.to_str().expect("UTF-8"),
        medium.to_str().expect("UTF-8"),
    );
    let out = scratch.ok(&["review", "990003", high, "--date", "2026-09-20", "--agree"]);
    assert!(out.ends_with("agreed: High support.\n"), "{out}");
    let out = scratch.ok(&[
        "review",
        "990003",
        medium,
        "--date",
        "2027-01-20",
        "--agree",
        "--overrule",
        "low",
        "--rationale",
        "New head has stabilised the school",
    ]);
    assert!(
        out.contains("agreed: Low support (overruling the computed Medium support: New head"),
        "{out}"
    );
    let history = scratch.json(&["history", "990003", "--json"]);
    assert_eq!(history[0]["category"], "high");
    assert_eq!(history[1]["category"], "low");
    assert_eq!(history[1]["direction"], "improving");
    assert_eq!(history[1]["overridden"], true);
    assert_eq!(
        history[1]["rationale"],
        "New head has stabilised the school"
    );
    let text = scratch.ok(&["history", "990003"]);
    assert!(
        text.contains("Low support (overruled: New head has stabilised the school)  improving"),
        "{text}"
    );
    let output = scratch.run(&["review", "990003", high, "--overrule", "low"]);
    assert!(
        !output.status.success(),
        "an overrule needs a rationale and an agreed review"
    );
}

#[test]
fn visits_are_recorded_and_what_is_owed_follows() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let owed = |urn: u64| -> Value {
        let due = scratch.json(&["due", "--date", "2026-11-23", "--json"]);
        due.as_array()
            .expect("a list")
            .iter()
            .find(|school| school["urn"] == urn)
            .cloned()
            .expect("in the caseload")
    };
    let westfield = owed(990008);
    assert_eq!(westfield["due"], 1);
    assert_eq!(westfield["entitlement"]["periods"][0]["state"], "due");
    assert_eq!(
        westfield["entitlement"]["periods"][0]["label"],
        "Autumn term (core visit)"
    );

    let notes = scratch.folder().join("notes.txt");
    std::fs::write(&notes, "Learning walk with the head; Year 2 phonics.").expect("written");
    let visit = scratch.json(&[
        "visit",
        "add",
        "--urn",
        "990008",
        "--date",
        "2026-11-18",
        "--session",
        "pm",
        "--kind",
        "core",
        "--notes",
        notes.to_str().expect("UTF-8"),
        "--json",
    ]);
    assert_eq!(visit["status"], "draft");
    assert_eq!(visit["notes"][0]["area"], "general");
    assert_eq!(owed(990008)["due"], 0);

    let listed = scratch.json(&["visits", "--urn", "990008", "--json"]);
    let dates: Vec<&str> = listed
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|visit| visit["visited_on"].as_str())
        .collect();
    assert_eq!(dates, ["2026-11-18", "2026-12-02"]);
    let text = scratch.ok(&["due", "--date", "2026-11-23"]);
    assert!(
        text.contains("Northgate Primary School (High support)"),
        "{text}"
    );
}

#[test]
fn the_enhanced_offer_shows_in_what_is_owed() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let out = scratch.ok(&["enhanced-offer", "990008", "--year", "2026/27"]);
    assert_eq!(out, "School 990008 is on the enhanced offer for 2026/27.\n");
    let due = scratch.json(&["due", "--date", "2026-11-23", "--json"]);
    let westfield = due
        .as_array()
        .expect("a list")
        .iter()
        .find(|school| school["urn"] == 990008)
        .cloned()
        .expect("in the caseload");
    assert_eq!(westfield["entitlement"]["enhanced_offer"]["allowed"], 6);
}

#[test]
fn bad_visit_input_is_refused_and_changes_nothing() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let before = scratch.json(&["visits", "--json"]);
    let missing = scratch.folder().join("missing.txt");
    for (args, expected) in [
        (
            vec!["--urn", "990008", "--date", "2026-11-31"],
            "invalid value '2026-11-31' for '--date",
        ),
        (
            vec!["--urn", "123456", "--date", "2026-11-18"],
            "no school with URN 123456",
        ),
        (
            vec![
                "--urn",
                "990008",
                "--date",
                "2026-11-18",
                "--session",
                "eve",
            ],
            "\"eve\" is not a session (am, pm)",
        ),
        (
            vec![
                "--urn",
                "990008",
                "--date",
                "2026-11-18",
                "--notes",
                missing.to_str().expect("UTF-8"),
            ],
            "cannot read the notes file",
        ),
    ] {
        let mut full = vec!["visit", "add", "--kind", "core"];
        if !args.contains(&"--session") {
            full.extend(["--session", "am"]);
        }
        full.extend(args);
        let output = scratch.run(&full);
        assert!(!output.status.success(), "{full:?}");
        assert!(
            stderr(&output).contains(expected),
            "{full:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(scratch.json(&["visits", "--json"]), before);
}

#[test]
fn actions_are_agreed_at_a_visit_listed_when_overdue_and_found_by_search() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let visits = scratch.json(&["visits", "--urn", "990002", "--json"]);
    let visit = visits[0]["id"].as_str().expect("an id").to_owned();
    let action = scratch.json(&[
        "action",
        "add",
        "--visit",
        &visit,
        "--text",
        "Coach two Year 4 teachers on modelling writing",
        "--owner",
        "Mr Pryce (headteacher)",
        "--due",
        "2026-11-13",
        "--json",
    ]);
    assert_eq!(action["urn"], 990002);
    assert_eq!(action["status"]["state"], "open");
    assert_eq!(action["source"]["kind"], "visit");

    let overdue = scratch.json(&["actions", "--overdue", "--date", "2026-11-23", "--json"]);
    assert_eq!(overdue.as_array().map(Vec::len), Some(1));
    let before = scratch.json(&["actions", "--overdue", "--date", "2026-11-13", "--json"]);
    assert_eq!(before.as_array().map(Vec::len), Some(0));

    let hits = scratch.json(&["search", "coach model", "--json"]);
    assert_eq!(hits[0]["kind"], "action");
    assert_eq!(hits[0]["school"], "Castle Hill Community Primary School");
    let text = scratch.ok(&["search", "coach model"]);
    assert!(text.contains("*Coach*"), "{text}");

    let output = scratch.run(&[
        "action",
        "add",
        "--visit",
        &visit,
        "--text",
        " ",
        "--owner",
        "Head",
        "--due",
        "2026-12-01",
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("an action needs its text"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        scratch
            .json(&["actions", "--urn", "990002", "--json"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn planned_visits_and_meetings_are_written_as_one_calendar_file() {
    let scratch = Scratch::new();
    scratch.ok(&["demo"]);
    let file = scratch.folder().join("visits.ics");
    let out = scratch.ok(&["calendar", "--out", file.to_str().expect("UTF-8")]);
    assert_eq!(
        out,
        format!(
            "1 planned visit and 0 planned MSP meetings written to {}.\n",
            file.display()
        )
    );
    let ics = std::fs::read_to_string(&file).expect("written");
    let calendar: icalendar::Calendar = ics.parse().expect("the file parses");
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 1, "{ics}");
    assert_eq!(
        events[0].get_summary(),
        Some("Core visit: Westfield Primary School")
    );
    assert!(ics.contains("DTSTART:20261202T090000"), "{ics}");
    assert!(ics.contains("DESCRIPTION:Core autumn visit."), "{ics}");
    let again = scratch.folder().join("again.ics");
    scratch.ok(&["calendar", "--out", again.to_str().expect("UTF-8")]);
    assert_eq!(
        std::fs::read_to_string(&again).expect("written"),
        ics,
        "the same store gives the same file"
    );

    let output = scratch.run(&["calendar", "--out", "/proc/no-such-folder/visits.ics"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot write the calendar to /proc/no-such-folder/visits.ics"),
        "{}",
        stderr(&output)
    );
    let output = scratch.run(&["calendar"]);
    assert!(
        !output.status.success(),
        "--out or --subscription is needed"
    );
}

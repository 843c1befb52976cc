//! `caseload authority` on the demo caseload: refused to its link SIA,
//! shown to its Senior SIA once the demo is opened as her, with the CSV and
//! the PDF for the scrutiny committee; a bad date or an unwritable file is
//! a clear error and leaves nothing behind.

mod common;

use std::process::Command;

use common::{arg, stderr, Scratch};
use serde_json::Value;

const SENIOR_SIA: &str = "margaret.okonjo@fenbridge.example";

fn as_senior_sia() -> Scratch {
    let scratch = Scratch::demo();
    let opened = scratch.ok(&["demo", "--as", SENIOR_SIA]);
    assert!(
        opened.contains("Opened as Margaret Okonjo, Senior School Improvement Adviser."),
        "{opened}"
    );
    scratch
}

fn total(counts: &Value) -> usize {
    counts
        .as_array()
        .expect("a list")
        .iter()
        .map(|count| count["schools"].as_array().expect("schools").len())
        .sum()
}

#[test]
fn a_link_sia_is_refused_and_nothing_is_written() {
    let scratch = Scratch::demo();
    let csv = scratch.folder().join("schools.csv");
    let output = scratch.run(&["authority", "--csv", arg(&csv)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(
            "Priya Raman is a School Improvement Adviser; the authority-wide view is for Senior SIAs"
        ),
        "{}",
        stderr(&output)
    );
    assert!(!csv.exists());
}

#[test]
fn the_senior_sia_sees_every_open_school_counted_once_in_each_table() {
    let scratch = as_senior_sia();
    let view = scratch.json(&["authority", "--date", "2027-02-10", "--json"]);
    let schools = view["schools"].as_array().expect("schools").len();
    assert!(schools >= 28, "{schools} schools");
    assert_eq!(view["term"], "Spring term 2026/27");
    assert_eq!(total(&view["categories"]), schools);
    for table in ["by_phase", "by_ward", "by_adviser"] {
        let rows = view[table].as_array().expect("rows");
        let counted: usize = rows
            .iter()
            .map(|row| row["schools"].as_array().expect("schools").len())
            .sum();
        assert_eq!(counted, schools, "{table}");
    }
    assert_eq!(total(&view["direction"]), schools);
    assert!(view["good_or_better"]["target_percent"].as_f64() == Some(90.0));

    let text = scratch.ok(&["authority", "--date", "2027-02-10"]);
    assert!(text.starts_with("Spring term 2026/27 — "), "{text}");
    assert!(
        text.contains("By link SIA (low / medium / high / not yet categorised):"),
        "{text}"
    );
    assert!(text.contains("  Priya Raman: "), "{text}");
}

#[test]
fn the_csv_and_the_pdf_for_the_scrutiny_committee() {
    let scratch = as_senior_sia();
    let csv = scratch.folder().join("schools.csv");
    let pdf = scratch.folder().join("report.pdf");
    scratch.ok(&[
        "authority",
        "--date",
        "2027-02-10",
        "--csv",
        arg(&csv),
        "--pdf",
        arg(&pdf),
    ]);
    let rows = std::fs::read_to_string(&csv).expect("the CSV");
    let mut lines = rows.lines();
    assert!(lines
        .next()
        .expect("header")
        .starts_with("URN,School,Phase,Type,Maintained,Ward,Link SIA"));
    let view = scratch.json(&["authority", "--date", "2027-02-10", "--json"]);
    assert_eq!(
        lines.count(),
        view["schools"].as_array().expect("schools").len()
    );

    let text = Command::new("pdftotext")
        .args([arg(&pdf), "-"])
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    for heading in [
        "The Scrutiny Committee",
        "Schools judged good or better",
        "against the authority's target of 90%",
        "Schools by support category and phase",
        "Schools by support category and ward",
        "Schools by support category and link SIA",
        "Direction of travel, Spring term 2026/27",
        "Visits overdue by adviser",
        "MSP groups open",
        "Warning notices open",
        "Concerns about academies, by stage of escalation",
    ] {
        assert!(text.contains(heading), "no {heading:?} in {text}");
    }
}

#[test]
fn a_bad_date_or_an_unwritable_file_is_a_clear_error_and_nothing_is_written() {
    let scratch = as_senior_sia();
    let bad = scratch.run(&["authority", "--date", "2027-02-30"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--date"), "{}", stderr(&bad));

    let csv = scratch.folder().join("schools.csv");
    let pdf = scratch.folder().join("no such folder").join("report.pdf");
    let output = scratch.run(&["authority", "--csv", arg(&csv), "--pdf", arg(&pdf)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains(&format!("cannot write {}", pdf.display())),
        "{}",
        stderr(&output)
    );
    assert!(!csv.exists(), "the CSV waits for the PDF");
    let left: Vec<_> = std::fs::read_dir(scratch.folder())
        .expect("folder")
        .map(|entry| entry.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_adviser_the_demo_does_not_have_is_a_clear_error() {
    let scratch = Scratch::new();
    scratch.ok(&["init"]);
    let output = scratch.run(&["demo", "--as", "nobody@fenbridge.example"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no adviser"),
        "{}",
        stderr(&output)
    );
}

//! `caseload letter`, `letters`, `letters-due` and `reprint`, read back as a
//! person would read the PDF: with poppler's pdftotext and pdffonts, and
//! qpdf's structural check.

mod common;

use std::path::Path;
use std::process::Command;

use common::{arg, stderr, Scratch};

const KINDS: [(&str, &str); 7] = [
    ("congratulations", "990007"),
    ("significant-concerns", "990007"),
    ("warning-notice", "990007"),
    ("academy-concern", "990031"),
    ("visit-note", "990007"),
    ("member-alert", "990007"),
    ("school-on-a-page", "990007"),
];

fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        stderr(&output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &[arg(pdf), "-"])
}

fn letter(scratch: &Scratch, urn: &str, kind: &str, extra: &[&str]) -> std::path::PathBuf {
    let out = scratch.folder().join(format!("{urn}-{kind}.pdf"));
    let mut args = vec![
        "letter",
        "--urn",
        urn,
        "--kind",
        kind,
        "--out",
        arg(&out),
        "--date",
        "2026-11-23",
    ];
    args.extend_from_slice(extra);
    scratch.ok(&args);
    out
}

/// `caseload letters` writing a school on a page for each school in `schools`.
fn school_pages(scratch: &Scratch, schools: &Path, folder: &Path) -> std::process::Output {
    let args = [
        "letters",
        "--kind",
        "school-on-a-page",
        "--schools",
        arg(schools),
        "--out",
        arg(folder),
    ];
    scratch.run(&args)
}

#[test]
fn every_kind_renders_a_checked_pdf_with_its_font_embedded() {
    let scratch = Scratch::demo();
    for (kind, urn) in KINDS {
        let pdf = letter(&scratch, urn, kind, &[]);
        tool("qpdf", &["--check", arg(&pdf)]);
        let fonts = tool("pdffonts", &[arg(&pdf)]);
        assert!(fonts.contains("LiberationSans"), "{kind}: {fonts}");
        for line in fonts.lines().skip(2) {
            assert!(
                line.contains(" yes "),
                "{kind}: a font is not embedded: {line}"
            );
        }
        let text = text_of(&pdf);
        assert!(text.contains("Fenbridge City Council"), "{kind}: {text}");
        assert!(text.contains("23 November 2026"), "{kind}: {text}");
        assert!(text.contains("Page 1 of"), "{kind}: {text}");
    }
}

#[test]
fn a_letter_names_its_school_recipients_and_the_indicators_it_cites() {
    let scratch = Scratch::demo();
    let pdf = letter(&scratch, "990007", "significant-concerns", &[]);
    let text = text_of(&pdf);
    for words in [
        "Significant concerns about Northgate Primary School",
        "Mr Kwame Mensah",
        "Mr Geoffrey Lambert",
        "Dear Mr Mensah and Mr Lambert",
        "Leadership does not have the capacity",
        "CONFIDENTIAL",
        "Dr Helen Marsh",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }

    let academy = text_of(&letter(&scratch, "990031", "academy-concern", &[]));
    assert!(academy.contains("Chair of the trust"), "{academy}");
    assert!(academy.contains("Regional Director"), "{academy}");
    assert!(
        academy.contains("High absence or persistent absence."),
        "{academy}"
    );
}

#[test]
fn a_warning_notice_has_every_section_the_act_requires() {
    let scratch = Scratch::demo();
    let pdf = letter(
        &scratch,
        "990007",
        "warning-notice",
        &["--indicator", "low-standards"],
    );
    let text = text_of(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for words in [
        "The Governing Body",
        "section 60 of the Education and Inspections Act 2006",
        "Ground for this notice",
        "standards of performance of pupils at the school are unacceptably low",
        "The matters on which this conclusion is based",
        "There is evidence of unacceptably low standards",
        "Action the governing body must take",
        "Compliance period",
        "15 working days",
        "14 December 2026",
        "If the governing body does not comply",
        "appoint additional governors",
        "interim executive board",
        "Copy to: Ofsted",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
}

#[test]
fn a_long_action_table_breaks_across_pages_with_its_header_repeated() {
    let scratch = Scratch::demo();
    let visits = scratch.json(&["visits", "--urn", "990007", "--json"]);
    let visit = visits[0]["id"].as_str().expect("a visit id").to_owned();
    for number in 1..=40 {
        let text = format!("Action {number}: leaders check the quality of writing in every class and report to governors");
        scratch.ok(&[
            "action",
            "add",
            "--visit",
            &visit,
            "--text",
            &text,
            "--owner",
            "Headteacher",
            "--due",
            "2027-01-15",
        ]);
    }
    let pdf = letter(&scratch, "990007", "significant-concerns", &[]);
    let layout = tool("pdftotext", &["-layout", arg(&pdf), "-"]);
    let pages_with_header = layout
        .split('\u{c}')
        .filter(|page| {
            page.lines().any(|line| {
                line.split_whitespace().collect::<Vec<_>>() == ["Action", "Owner", "Due"]
            })
        })
        .count();
    assert!(
        pages_with_header >= 2,
        "the header is repeated on each page of the table: {layout}"
    );
    assert!(layout.contains("Action 40:"), "every row is printed");
}

#[test]
fn an_issued_letter_is_recorded_and_reprints_byte_for_byte() {
    let scratch = Scratch::demo();
    let out = scratch.folder().join("issued.pdf");
    let printed = scratch.ok(&[
        "letter",
        "--urn",
        "990007",
        "--kind",
        "congratulations",
        "--out",
        arg(&out),
        "--issue",
        "--date",
        "2026-11-23",
    ]);
    let id = printed
        .split(", letter ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the letter's id is printed");
    let again = scratch.folder().join("again.pdf");
    scratch.ok(&["reprint", id, "--out", arg(&again)]);
    assert_eq!(
        std::fs::read(&out).expect("issued"),
        std::fs::read(&again).expect("reprinted")
    );

    let export = scratch.json(&["export", "--json"]);
    let letters = export["records"]["letter"]
        .as_array()
        .expect("letters are exported");
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["status"], "issued");
    assert_eq!(letters[0]["pdf_sha256"].as_str().map(str::len), Some(64));

    let due = scratch.json(&["letters-due", "--urn", "990007", "--json"]);
    let kinds: Vec<&str> = due[0]["letters"]
        .as_array()
        .expect("due")
        .iter()
        .filter_map(|letter| letter["kind"].as_str())
        .collect();
    assert!(
        !kinds.contains(&"congratulations"),
        "an issued letter is not due again: {kinds:?}"
    );
}

#[test]
fn a_batch_writes_one_pdf_per_school() {
    let scratch = Scratch::demo();
    let schools = scratch.file("schools.txt", "# high support\n990007\n990009\n\n990007\n");
    let folder = scratch.folder().join("batch");
    let output = school_pages(&scratch, &schools, &folder);
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.starts_with("2 letters"), "{printed}");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["990007-school-on-a-page.pdf", "990009-school-on-a-page.pdf"]
    );

    let eligible = scratch.folder().join("eligible");
    scratch.ok(&[
        "letters",
        "--kind",
        "significant-concerns",
        "--all-eligible",
        "--out",
        arg(&eligible),
    ]);
    assert!(eligible.join("990007-significant-concerns.pdf").exists());
    assert!(
        !eligible.join("990001-significant-concerns.pdf").exists(),
        "not due for St Mary's"
    );
}

#[test]
fn bad_input_is_refused_and_leaves_no_file_behind() {
    let scratch = Scratch::demo();
    let out = scratch.folder().join("refused.pdf");
    let refused = |args: &[&str], expected: &str| {
        let output = scratch.run(args);
        assert!(!output.status.success(), "{args:?} succeeded");
        let message = stderr(&output);
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(!out.exists(), "{args:?} left a file");
        let partial = scratch.folder().join("refused.pdf.partial");
        assert!(!partial.exists(), "{args:?} left a partial file");
    };
    refused(
        &[
            "letter",
            "--urn",
            "123456",
            "--kind",
            "congratulations",
            "--out",
            arg(&out),
        ],
        "no school with URN 123456",
    );
    refused(
        &[
            "letter",
            "--urn",
            "990007",
            "--kind",
            "thanks",
            "--out",
            arg(&out),
        ],
        "unknown letter kind \"thanks\"",
    );
    refused(
        &[
            "letter",
            "--urn",
            "990001",
            "--kind",
            "member-alert",
            "--out",
            arg(&out),
        ],
        "no ward councillor is recorded for St Mary",
    );
    refused(
        &[
            "letter",
            "--urn",
            "990031",
            "--kind",
            "warning-notice",
            "--out",
            arg(&out),
        ],
        "statutory letters go to maintained schools",
    );

    let schools = scratch.file("bad.txt", "990007\nnine\n");
    let folder = scratch.folder().join("never");
    let output = school_pages(&scratch, &schools, &folder);
    assert!(
        stderr(&output).contains("bad.txt, line 2"),
        "{}",
        stderr(&output)
    );
    assert!(!folder.exists());

    let letters = scratch.db.parent().expect("store folder").join("letters");
    std::fs::create_dir_all(&letters).expect("letters folder");
    let shipped = include_str!("../../../assets/letters/congratulations.toml");
    std::fs::write(
        letters.join("congratulations.toml"),
        shipped.replace("{{ school.name }}.", "{{ school.nmae }}."),
    )
    .expect("edited template");
    refused(
        &[
            "letter",
            "--urn",
            "990007",
            "--kind",
            "congratulations",
            "--out",
            arg(&out),
        ],
        "congratulations.toml, line 12: body: undefined value `school.nmae`",
    );
}

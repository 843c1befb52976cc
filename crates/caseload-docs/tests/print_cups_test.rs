//! Printing through a real CUPS scheduler: `scripts/with-cups` starts one
//! of its own with a printer, `caseload-test`, that writes each job to the
//! file named in CASELOAD_TEST_PRINTER_OUTPUT (scripts/test runs the tests
//! under it). Two letters sent together are one job holding both, in
//! order; a printer CUPS does not know and a scheduler that is not running
//! are refused in words the adviser can act on.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use caseload_docs::document::{Block, Document, Letterhead, Signature, Span};
use caseload_docs::print::{print_pdfs, printers, PrintError};
use caseload_docs::typeset::Typesetter;

fn letter(school: &str) -> Vec<u8> {
    let document = Document {
        title: format!("Congratulations: {school}"),
        letterhead: Letterhead {
            authority: "Fenbridge City Council".into(),
            service: "School Improvement Service".into(),
            address: vec!["Guildhall".into(), "Fenbridge".into()],
            contact: vec!["Telephone: 01234 567890".into()],
            logo_png: None,
        },
        marking: None,
        recipients: Vec::new(),
        date: "2 December 2026".into(),
        reference: None,
        blocks: vec![Block::Paragraph {
            spans: vec![Span::plain(format!("Dear colleagues at {school}"))],
        }],
        signature: Some(Signature {
            closing: "Yours sincerely".into(),
            name: "Priya Raman".into(),
            role: "School Improvement Adviser".into(),
            organisation: "Fenbridge City Council".into(),
        }),
        copies_to: Vec::new(),
    };
    Typesetter::new()
        .expect("the typesetter loads its font")
        .render(&document)
        .expect("the letter lays out")
}

/// The PDFs of a job's documents, as the test printer writes them: one
/// after the other in its file.
fn split_pdfs(bytes: &[u8]) -> Vec<Vec<u8>> {
    let starts: Vec<usize> = (0..bytes.len())
        .filter(|at| bytes[*at..].starts_with(b"%PDF-"))
        .collect();
    starts
        .iter()
        .zip(starts.iter().skip(1).chain([&bytes.len()]))
        .map(|(from, to)| bytes[*from..*to].to_vec())
        .collect()
}

/// The text of a PDF, read back with pdftotext.
fn text_of(pdf: &[u8]) -> String {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("document.pdf");
    std::fs::write(&file, pdf).expect("written");
    let output = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The job `id` once CUPS lists it as completed.
fn completed(id: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let listed = Command::new("lpstat")
            .args(["-W", "completed", "-o", "caseload-test"])
            .output()
            .expect("lpstat runs");
        let text = String::from_utf8_lossy(&listed.stdout);
        if text
            .lines()
            .any(|line| line.split_whitespace().next() == Some(id))
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
fn a_batch_prints_as_one_job_and_problems_are_named() {
    let Some(output) = std::env::var_os("CASELOAD_TEST_PRINTER_OUTPUT").map(PathBuf::from) else {
        eprintln!(
            "skipped: run under scripts/with-cups (scripts/test does), which starts a CUPS \
             scheduler of its own and sets CASELOAD_TEST_PRINTER_OUTPUT"
        );
        return;
    };
    let found = printers().expect("CUPS lists its printers");
    assert!(
        found.printers.contains(&"caseload-test".to_owned()),
        "{found:?}"
    );
    assert_eq!(found.default.as_deref(), Some("caseload-test"));

    let (first, second) = (
        letter("Westfield Primary School"),
        letter("Northgate Primary School"),
    );
    let submitted = print_pdfs(
        "caseload-test",
        "Letters: congratulations (2)",
        1,
        &[&first, &second],
    )
    .expect("CUPS takes the job");
    assert_eq!(submitted.documents, 2);
    assert!(submitted.job.starts_with("caseload-test-"), "{submitted:?}");
    assert!(
        completed(&submitted.job),
        "job {} never completed",
        submitted.job
    );
    let printed = std::fs::read(&output).expect("the printer's file");
    assert!(printed.starts_with(b"%PDF-"), "the job is PDF");
    let documents = split_pdfs(&printed);
    assert_eq!(documents.len(), 2, "both letters in the one job");
    let texts: Vec<String> = documents.iter().map(|pdf| text_of(pdf)).collect();
    assert!(texts[0].contains("Westfield"), "{texts:?}");
    assert!(texts[1].contains("Northgate"), "in order: {texts:?}");

    let unknown =
        print_pdfs("reception-laser", "Letter", 1, &[&first]).expect_err("no such printer");
    assert!(
        matches!(unknown, PrintError::UnknownPrinter(_)),
        "{unknown}"
    );
    assert_eq!(
        unknown.to_string(),
        "There is no printer called \"reception-laser\" on this computer"
    );

    // The same, with no scheduler at the end of the socket.
    let server = std::env::var_os("CUPS_SERVER");
    std::env::set_var("CUPS_SERVER", "/nonexistent/cups.sock");
    let stopped = printers().expect_err("no scheduler");
    match server {
        Some(server) => std::env::set_var("CUPS_SERVER", server),
        None => std::env::remove_var("CUPS_SERVER"),
    }
    assert!(matches!(stopped, PrintError::NotRunning(_)), "{stopped}");
    assert!(
        stopped
            .to_string()
            .starts_with("CUPS, the printing service, is not running on this computer (lpstat: "),
        "{stopped}"
    );
}

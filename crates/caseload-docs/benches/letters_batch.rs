//! Letters in bulk, against LibreOffice: one letter, a thousand letters on
//! every core, and (when `soffice` is installed) LibreOffice's headless
//! conversion of the same letter to PDF, measured in the same run.
//!
//! cargo bench -p caseload-docs --bench letters_batch
//! Set CASELOAD_BENCH_LETTERS to change the batch size (default 1000).

use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use caseload_core::letter::material::LetterMaterial;
use caseload_core::letter::LetterKind;
use caseload_core::samples;
use caseload_core::{ContactRole, Urn};
use caseload_docs::letters::batch::Printable;
use caseload_docs::letters::{DraftRequest, LetterSet};
use caseload_docs::typeset::Typesetter;
use chrono::NaiveDate;
use uuid::Uuid;

fn material(urn: u32) -> LetterMaterial {
    let mut school = samples::school();
    school.urn = Urn(urn);
    school.name = format!("Fenbridge School {urn}");
    let mut chair = samples::contact();
    chair.urn = school.urn;
    chair.role = ContactRole::ChairOfGovernors;
    let mut visit = samples::visit();
    visit.addendum_to = None;
    let actions = (1..=6)
        .map(|number| {
            let mut action = samples::action();
            action.id = Uuid::now_v7();
            action.text = format!("Action {number}: leaders check the teaching of writing in every class and report to governors");
            action
        })
        .collect();
    LetterMaterial {
        school,
        contacts: vec![chair],
        author: Some(samples::adviser()),
        inspections: vec![samples::inspection()],
        reviews: vec![],
        figures: vec![samples::performance_figure()],
        actions,
        visits: vec![visit],
        letters: vec![],
    }
}

fn printable(set: &LetterSet, urn: u32) -> Printable {
    let material = material(urn);
    let request = DraftRequest {
        id: Uuid::now_v7(),
        kind: LetterKind::SignificantConcerns,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
        visit: None,
        indicators: Some(vec![
            "declining-performance".to_owned(),
            "governance-ineffective".to_owned(),
            "persistent-achievement".to_owned(),
        ]),
        terms: None,
    };
    let letter = set.draft(&material, request).expect("drafts");
    Printable { letter, material }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let set = LetterSet::shipped().expect("shipped templates");
    let typesetter = Typesetter::new().expect("fonts");
    let one = printable(&set, 990_001);

    let singles: Vec<Duration> = (0..200)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(set.print(&typesetter, &one).expect("prints"));
            started.elapsed()
        })
        .collect();
    let single = median(singles);
    let pages = set.print(&typesetter, &one).expect("prints");
    println!(
        "one letter (significant concerns, {} bytes): median {:.2} ms",
        pages.len(),
        single.as_secs_f64() * 1e3
    );

    let count: u32 = std::env::var("CASELOAD_BENCH_LETTERS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(1000);
    let letters: Vec<Printable> = (0..count)
        .map(|index| printable(&set, 990_001 + index))
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |count| count.get());
    let runs: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let pdfs = set
                .print_all(&typesetter, &letters, &|| {}, &AtomicBool::new(false))
                .expect("prints all");
            assert_eq!(pdfs.len(), letters.len());
            started.elapsed()
        })
        .collect();
    println!(
        "{count} letters on {cores} cores: median {:.2} s (goal < 5 s)",
        median(runs).as_secs_f64()
    );

    match libreoffice(&one) {
        Some(office) => println!(
            "LibreOffice headless, the same letter from HTML to PDF: median {:.0} ms = {:.0}x the typesetter (goal >= 200x)",
            office.as_secs_f64() * 1e3,
            office.as_secs_f64() / single.as_secs_f64()
        ),
        None => println!("LibreOffice not measured: install it with apt-get install libreoffice-writer-nogui"),
    }
}

/// The median of three headless conversions, each a fresh `soffice` as a
/// script would run it, of the letter written as HTML.
fn libreoffice(letter: &Printable) -> Option<Duration> {
    Command::new("soffice").arg("--version").output().ok()?;
    let folder = tempfile::tempdir().expect("temp dir");
    let html = folder.path().join("letter.html");
    std::fs::write(&html, as_html(letter)).expect("html written");
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        folder.path().display()
    );
    let convert = || {
        let started = Instant::now();
        let status = Command::new("soffice")
            .args([
                &profile,
                "--headless",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
            ])
            .arg(folder.path())
            .arg(&html)
            .output()
            .expect("soffice runs");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        started.elapsed()
    };
    convert(); // the first run creates the profile
    Some(median((0..3).map(|_| convert()).collect()))
}

/// The letter's text as HTML, the closest LibreOffice gets to our input.
fn as_html(printable: &Printable) -> String {
    let letter = &printable.letter;
    let mut body = String::new();
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(&letter.body, pulldown_cmark::Options::ENABLE_TABLES),
    );
    let recipients: String = letter
        .recipients
        .iter()
        .map(|recipient| {
            format!(
                "<p>{}<br>{}<br>{}</p>",
                recipient.name,
                recipient.role,
                recipient.address.join("<br>")
            )
        })
        .collect();
    format!(
        "<html><head><meta charset=\"utf-8\"><style>body {{ font-family: 'Liberation Sans'; font-size: 11pt; }} table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #888; }}</style></head><body><h1>Fenbridge City Council</h1>{recipients}<p>{}</p><h2>{}</h2>{body}<p>Yours sincerely</p><p><b>{}</b><br>{}</p></body></html>",
        letter.dated, letter.subject, letter.signatory.name, letter.signatory.role
    )
}

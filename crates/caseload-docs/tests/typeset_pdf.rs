//! Letters typeset to PDF and read back with the tools a recipient's
//! computer would use: poppler's `pdftotext`, `pdffonts` and `pdfinfo`, and
//! `qpdf --check`. The text must come back as words, the font must travel
//! inside the file, long tables must carry their header onto the next page,
//! and the same letter must always give the same bytes.
//!
//! Set CASELOAD_KEEP_PDFS to a directory to keep the rendered files there
//! and look at them (`pdftoppm -png -r 60 letter.pdf /tmp/letter`).

use std::path::{Path, PathBuf};
use std::process::Command;

use caseload_docs::document::{
    Address, Block, Chart, Document, Letterhead, Series, Signature, Span, Table,
};
use caseload_docs::typeset::Typesetter;
use sha2::{Digest, Sha256};

fn letterhead() -> Letterhead {
    Letterhead {
        authority: "Fenshire County Council".into(),
        service: "School Improvement Service".into(),
        address: vec![
            "County Hall".into(),
            "Market Street".into(),
            "Fenchester".into(),
            "FE1 2AB".into(),
        ],
        contact: vec![
            "Contact: Priya Shah".into(),
            "Telephone: 01234 567890".into(),
            "Email: priya.shah@fenshire.gov.uk".into(),
        ],
        logo_png: None,
    }
}

fn signature() -> Signature {
    Signature {
        closing: "Yours sincerely".into(),
        name: "Priya Shah".into(),
        role: "Senior School Improvement Adviser".into(),
        organisation: "Fenshire County Council".into(),
    }
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        spans: vec![Span::plain(text)],
    }
}

/// A note of visit that runs to two pages.
fn note_of_visit() -> Document {
    Document {
        title: "Note of visit: Fenwick Primary School".into(),
        letterhead: letterhead(),
        marking: Some("CONFIDENTIAL".into()),
        recipients: vec![
            Address {
                lines: vec![
                    "Mrs J Ahmed".into(),
                    "Headteacher".into(),
                    "Fenwick Primary School".into(),
                    "Mill Lane".into(),
                    "Fenwick".into(),
                    "FE4 7QP".into(),
                ],
            },
            Address {
                lines: vec![
                    "Mr R Okafor".into(),
                    "Chair of Governors".into(),
                    "c/o Fenwick Primary School".into(),
                ],
            },
        ],
        date: "23 November 2026".into(),
        reference: Some("SIA/100001/NOV/2026-11-23".into()),
        blocks: vec![
            paragraph("Dear Mrs Ahmed"),
            Block::Heading { text: "Note of the core visit on 18 November 2026".into() },
            Block::Paragraph {
                spans: vec![
                    Span::plain("Thank you for welcoming me to "),
                    Span::strong("Fenwick Primary School"),
                    Span::plain(
                        " last week. This note records what we looked at together, what we \
                         agreed, and the support the local authority will provide before my \
                         next visit in the spring term. Please share it with your governing \
                         board and keep it with the school's improvement plan.",
                    ),
                ],
            },
            paragraph(
                "We began with the school's own evaluation of the quality of education. \
                 Leaders have a clear and accurate view of where the curriculum is strong and \
                 where it is still developing. Reading is taught well from Reception onwards: \
                 pupils who fall behind are quickly identified and given extra practice, and \
                 the proportion meeting the expected standard in the phonics screening check \
                 has risen for three years in a row.",
            ),
            Block::Heading { text: "What we agreed".into() },
            Block::Numbered {
                items: vec![
                    vec![Span::plain(
                        "Subject leaders for history and geography will set out the knowledge \
                         pupils should remember at the end of each unit, and check it.",
                    )],
                    vec![Span::plain(
                        "The deputy headteacher will review attendance of disadvantaged pupils \
                         each half term with the attendance officer.",
                    )],
                    vec![
                        Span::strong("By 31 January 2027"),
                        Span::plain(", governors will receive a short report on both actions."),
                    ],
                ],
            },
            Block::Heading { text: "Support from the local authority".into() },
            Block::Bullets {
                items: vec![
                    vec![Span::plain("Two days of subject leadership training for the humanities leads.")],
                    vec![Span::plain(
                        "A joint learning walk with the adviser for attendance, followed by \
                         written feedback to the headteacher within five working days.",
                    )],
                    vec![Span::plain("Access to the Fenshire network of primary deputy headteachers.")],
                ],
            },
            Block::Table(Table {
                header: vec!["Action".into(), "Who".into(), "By when".into()],
                rows: vec![
                    vec!["Curriculum plans for history and geography".into(), "Subject leaders".into(), "February 2027".into()],
                    vec!["Attendance review of disadvantaged pupils, with the attendance officer and the family support worker".into(), "Deputy headteacher".into(), "Each half term".into()],
                    vec!["Report to governors".into(), "Headteacher".into(), "January 2027".into()],
                ],
                widths: vec![3.0, 2.0, 1.5],
            }),
            paragraph(
                "I will send a copy of this note to the Chair of Governors. If anything in it \
                 does not match your record of the visit, please let me know within ten \
                 working days and I will correct it.",
            ),
            paragraph(
                "Thank you again for your time and for the openness of your staff. I look \
                 forward to seeing the progress the school makes this year.",
            ),
        ],
        signature: Some(signature()),
        copies_to: vec!["Mr R Okafor, Chair of Governors".into(), "File".into()],
    }
}

/// A letter whose action table is far longer than a page.
fn long_table_letter() -> Document {
    let rows = (1..=45)
        .map(|i| {
            vec![
                format!(
                    "Action {i}: improve the consistency of feedback in year {}",
                    i % 6 + 1
                ),
                "Assistant headteacher".into(),
                format!("{}", 2 + i % 10),
            ]
        })
        .collect();
    Document {
        title: "Action plan".into(),
        marking: None,
        blocks: vec![
            paragraph("Dear Mrs Ahmed"),
            paragraph("The actions agreed at the review meeting are listed below."),
            Block::Table(Table {
                header: vec!["Agreed action".into(), "Lead".into(), "Weeks".into()],
                rows,
                widths: vec![4.0, 2.0, 1.0],
            }),
        ],
        copies_to: vec![],
        ..note_of_visit()
    }
}

/// A governors' summary with charts.
fn school_on_a_page() -> Document {
    let years: Vec<String> = ["2021/22", "2022/23", "2023/24", "2024/25"]
        .map(String::from)
        .to_vec();
    Document {
        title: "School on a page".into(),
        marking: None,
        blocks: vec![
            Block::Heading {
                text: "Reading at the end of key stage 2".into(),
            },
            Block::Chart(Chart {
                title: "Pupils meeting the expected standard in reading".into(),
                unit: "%".into(),
                categories: years.clone(),
                series: vec![
                    Series {
                        name: "Fenwick Primary".into(),
                        values: vec![Some(71.0), Some(74.0), None, Some(81.0)],
                    },
                    Series {
                        name: "Fenshire".into(),
                        values: vec![Some(73.0), Some(72.0), Some(74.0), Some(75.0)],
                    },
                    Series {
                        name: "England".into(),
                        values: vec![Some(74.0), Some(73.0), Some(74.0), Some(75.0)],
                    },
                ],
            }),
            Block::Chart(Chart {
                title: "Persistent absence".into(),
                unit: "%".into(),
                categories: (2017..2025)
                    .map(|y| format!("{y}/{}", (y + 1) % 100))
                    .collect(),
                series: vec![
                    Series {
                        name: "Fenwick Primary".into(),
                        values: vec![
                            Some(8.1),
                            Some(9.0),
                            None,
                            None,
                            Some(17.2),
                            Some(15.0),
                            Some(12.4),
                            Some(10.9),
                        ],
                    },
                    Series {
                        name: "England".into(),
                        values: vec![
                            Some(8.2),
                            Some(8.7),
                            None,
                            None,
                            Some(17.7),
                            Some(16.2),
                            Some(14.6),
                            Some(14.0),
                        ],
                    },
                ],
            }),
        ],
        signature: None,
        copies_to: vec![],
        ..note_of_visit()
    }
}

/// A small PNG: a blue square with a white cross, like a crest.
fn logo() -> Vec<u8> {
    let size = 64u32;
    let mut pixels = Vec::new();
    for y in 0..size {
        for x in 0..size {
            let cross = (28..36).contains(&x) || (28..36).contains(&y);
            pixels.extend_from_slice(if cross {
                &[255, 255, 255]
            } else {
                &[0x00, 0x30, 0x78]
            });
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, size, size);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(&pixels).expect("png pixels");
    writer.finish().expect("png end");
    bytes
}

struct Rendered {
    path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

fn render(name: &str, doc: &Document) -> Rendered {
    let bytes = Typesetter::new()
        .expect("fonts load")
        .render(doc)
        .expect("renders");
    let (dir, keep) = match std::env::var_os("CASELOAD_KEEP_PDFS") {
        Some(dir) => (PathBuf::from(dir), None),
        None => {
            let tmp = tempfile::tempdir().expect("temp dir");
            (tmp.path().to_owned(), Some(tmp))
        }
    };
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write pdf");
    Rendered { path, _dir: keep }
}

fn run(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
    assert!(
        output.status.success(),
        "{tool} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// The text of each page, as `pdftotext -layout` reads it.
fn pages(pdf: &Path) -> Vec<String> {
    let text = run("pdftotext", &["-layout"], pdf);
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Words of a page with runs of spaces and line ends collapsed, so
/// justified lines read as plain sentences.
fn words(page: &str) -> String {
    page.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_two_page_letter_reads_back_as_words_with_page_numbers() {
    let pdf = render("note-of-visit", &note_of_visit());
    let pages = pages(&pdf.path);
    assert_eq!(pages.len(), 2, "{pages:#?}");
    let first = words(&pages[0]);
    let second = words(&pages[1]);
    for wanted in [
        "Fenshire County Council",
        "School Improvement Service",
        "Mrs J Ahmed",
        "Chair of Governors",
        "Our ref: SIA/100001/NOV/2026-11-23",
        "23 November 2026",
        "Thank you for welcoming me to Fenwick Primary School last week.",
        "Note of the core visit on 18 November 2026",
        "Page 1 of 2",
    ] {
        assert!(
            first.contains(wanted),
            "{wanted:?} on page 1:\n{}",
            pages[0]
        );
    }
    for wanted in [
        "Page 2 of 2",
        "Yours sincerely",
        "Senior School Improvement Adviser",
        "Copy to:",
    ] {
        assert!(
            second.contains(wanted),
            "{wanted:?} on page 2:\n{}",
            pages[1]
        );
    }
    assert!(!first.contains("Page 2 of 2") && !second.contains("Page 1 of 2"));
}

#[test]
fn the_marking_is_at_the_head_and_foot_of_every_page() {
    let pdf = render("note-of-visit-marking", &note_of_visit());
    for (n, page) in pages(&pdf.path).iter().enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(
            lines.first().is_some_and(|l| l.trim() == "CONFIDENTIAL"),
            "page {}:\n{page}",
            n + 1
        );
        assert!(
            lines.last().is_some_and(|l| l.contains("CONFIDENTIAL")),
            "page {}:\n{page}",
            n + 1
        );
    }
}

#[test]
fn the_font_is_embedded_as_a_subset_with_a_unicode_map() {
    let pdf = render("fonts", &note_of_visit());
    let fonts = run("pdffonts", &[], &pdf.path);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in &rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, object, id
        assert!(columns[0].contains("+LiberationSans"), "{fonts}");
        assert_eq!(&columns[1..3], ["CID", "TrueType"], "{fonts}");
        assert_eq!(
            &columns[4..7],
            ["yes", "yes", "yes"],
            "emb, sub and uni: {fonts}"
        );
    }
    assert!(
        rows.iter().any(|r| r.contains("+LiberationSans-Bold ")),
        "{fonts}"
    );
}

#[test]
fn qpdf_finds_nothing_wrong() {
    for (name, doc) in [
        ("qpdf-note", note_of_visit()),
        ("qpdf-table", long_table_letter()),
        ("qpdf-charts", school_on_a_page()),
    ] {
        let pdf = render(name, &doc);
        let report = run("qpdf", &["--check"], &pdf.path);
        assert!(
            report.contains("No syntax or stream encoding errors found"),
            "{name}: {report}"
        );
    }
}

#[test]
fn a_long_table_spills_onto_page_two_under_its_header() {
    let pdf = render("long-table", &long_table_letter());
    let pages = pages(&pdf.path);
    assert!(pages.len() >= 2, "{pages:#?}");
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("Agreed action"),
            "header on page {}:\n{page}",
            n + 1
        );
        assert!(page.contains(&format!("Page {} of {}", n + 1, pages.len())));
    }
    assert!(words(&pages[0]).contains("Action 1: improve"));
    assert!(words(&pages[1]).contains("Action 45: improve") || pages.len() > 2);
    // Every row once, none lost at the break.
    let all = words(&pages.join(" "));
    for i in 1..=45 {
        assert_eq!(all.matches(&format!("Action {i}: ")).count(), 1, "row {i}");
    }
}

#[test]
fn charts_label_their_series_years_and_scale() {
    let pdf = render("school-on-a-page", &school_on_a_page());
    let text = words(&pages(&pdf.path).join(" "));
    for wanted in [
        "Pupils meeting the expected standard in reading",
        "Fenwick Primary",
        "Fenshire",
        "England",
        "2021/22",
        "2024/25",
        "80%",
        "Persistent absence",
        "2017/18",
    ] {
        assert!(text.contains(wanted), "{wanted:?} in {text}");
    }
}

#[test]
fn the_title_and_date_are_in_the_document_properties() {
    let pdf = render("properties", &note_of_visit());
    let info = run("pdfinfo", &[], &pdf.path);
    assert!(
        info.contains("Title:           Note of visit: Fenwick Primary School"),
        "{info}"
    );
    assert!(
        info.contains("Author:          Fenshire County Council"),
        "{info}"
    );
    assert!(info.contains("Pages:           2"), "{info}");
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:") && info.contains("2026"),
        "{info}"
    );
}

#[test]
fn a_logo_is_drawn_on_the_first_page() {
    let mut doc = note_of_visit();
    doc.letterhead.logo_png = Some(logo());
    let pdf = render("with-logo", &doc);
    let images = run("pdfimages", &["-list"], &pdf.path);
    let rows: Vec<&str> = images.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{images}");
    assert!(rows[0].split_whitespace().nth(3) == Some("64"), "{images}");
    // Beside the logo the name wraps; the words are all there.
    let first = words(&pages(&pdf.path)[0]);
    assert!(
        first.contains("Fenshire County") && first.contains("Council"),
        "{first}"
    );
}

#[test]
fn reprinting_gives_identical_bytes_even_from_many_threads() {
    let typesetter = Typesetter::new().expect("fonts load");
    let doc = note_of_visit();
    let reference = Sha256::digest(typesetter.render(&doc).expect("renders"));
    let digests: Vec<_> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..5)
                        .map(|_| Sha256::digest(typesetter.render(&doc).expect("renders")))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    assert_eq!(digests.len(), 20);
    assert!(digests.iter().all(|d| *d == reference));
    let again = Typesetter::new()
        .expect("fonts load")
        .render(&doc)
        .expect("renders");
    assert_eq!(Sha256::digest(again), reference);
}

//! Any text laid out as a letter: headings, paragraphs, lists and a table
//! cell, through the whole typesetter to PDF bytes.
#![no_main]

use std::sync::OnceLock;

use caseload_docs::document::{Block, Document, Letterhead, Span, Table};
use caseload_docs::typeset::Typesetter;
use libfuzzer_sys::fuzz_target;

fn typesetter() -> &'static Typesetter {
    static TYPESETTER: OnceLock<Typesetter> = OnceLock::new();
    TYPESETTER.get_or_init(|| Typesetter::new().expect("the embedded fonts load"))
}

fuzz_target!(|text: &str| {
    let words = || vec![Span::plain(text)];
    let document = Document {
        title: text.to_owned(),
        letterhead: Letterhead {
            authority: "Fenbridge City Council".to_owned(),
            service: text.to_owned(),
            address: vec![text.to_owned()],
            contact: Vec::new(),
            logo_png: None,
        },
        marking: Some(text.to_owned()),
        recipients: Vec::new(),
        date: text.to_owned(),
        reference: None,
        blocks: vec![
            Block::Heading { text: text.to_owned() },
            Block::Paragraph { spans: vec![Span::strong(text), Span::plain(text)] },
            Block::Bullets { items: vec![words(), words()] },
            Block::Table(Table {
                header: vec![text.to_owned(), "Owner".to_owned()],
                rows: vec![vec![text.to_owned(), text.to_owned()]],
                widths: vec![3.0, 1.0],
            }),
        ],
        signature: None,
        copies_to: vec![text.to_owned()],
    };
    let _ = typesetter().render(&document);
});

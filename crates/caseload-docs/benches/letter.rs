//! One typical two-page letter typeset to PDF: the unit of batch printing
//! (1,000 letters on 2 cores must take under 5 s, so a few ms each).

use caseload_docs::document::{Address, Block, Document, Letterhead, Signature, Span, Table};
use caseload_docs::typeset::Typesetter;
use criterion::{criterion_group, criterion_main, Criterion};

fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        spans: vec![Span::plain(text)],
    }
}

fn letter() -> Document {
    let body = "Leaders have a clear and accurate view of where the curriculum is strong and \
                where it is still developing. Reading is taught well from Reception onwards: \
                pupils who fall behind are quickly identified and given extra practice, and \
                the proportion meeting the expected standard has risen for three years.";
    let mut blocks = vec![
        paragraph("Dear Mrs Ahmed"),
        Block::Heading {
            text: "Note of the core visit on 18 November 2026".into(),
        },
        Block::Paragraph {
            spans: vec![
                Span::plain("Thank you for welcoming me to "),
                Span::strong("Fenwick Primary School"),
                Span::plain(
                    " last week. This note records what we agreed and the support to come.",
                ),
            ],
        },
    ];
    blocks.extend((0..4).map(|_| paragraph(body)));
    blocks.push(Block::Heading {
        text: "What we agreed".into(),
    });
    blocks.push(Block::Numbered {
        items: (1..=4)
            .map(|i| {
                vec![Span::plain(format!(
                    "Agreed action {i}, with its owner and its date."
                ))]
            })
            .collect(),
    });
    blocks.push(Block::Table(Table {
        header: vec!["Action".into(), "Who".into(), "By when".into()],
        rows: (1..=8)
            .map(|i| {
                vec![
                    format!("Action {i}: curriculum plans for history and geography"),
                    "Subject leaders".into(),
                    "February 2027".into(),
                ]
            })
            .collect(),
        widths: vec![3.0, 2.0, 1.5],
    }));
    blocks.extend((0..3).map(|_| paragraph(body)));
    Document {
        title: "Note of visit: Fenwick Primary School".into(),
        letterhead: Letterhead {
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
            ],
            logo_png: None,
        },
        marking: Some("CONFIDENTIAL".into()),
        recipients: vec![Address {
            lines: vec![
                "Mrs J Ahmed".into(),
                "Headteacher".into(),
                "Fenwick Primary School".into(),
                "FE4 7QP".into(),
            ],
        }],
        date: "23 November 2026".into(),
        reference: Some("SIA/100001/NOV/2026-11-23".into()),
        blocks,
        signature: Some(Signature {
            closing: "Yours sincerely".into(),
            name: "Priya Shah".into(),
            role: "Senior School Improvement Adviser".into(),
            organisation: "Fenshire County Council".into(),
        }),
        copies_to: vec!["Chair of Governors".into()],
    }
}

fn two_page_letter(c: &mut Criterion) {
    let typesetter = Typesetter::new().expect("fonts load");
    let doc = letter();
    let pdf = typesetter.render(&doc).expect("renders");
    let pages = lopdf::Document::load_mem(&pdf)
        .expect("a PDF")
        .get_pages()
        .len();
    assert_eq!(pages, 2, "the bench letter should be a typical two pages");
    c.bench_function("typeset two-page letter", |b| {
        b.iter(|| {
            typesetter
                .render(std::hint::black_box(&doc))
                .expect("renders")
        })
    });
}

criterion_group!(benches, two_page_letter);
criterion_main!(benches);

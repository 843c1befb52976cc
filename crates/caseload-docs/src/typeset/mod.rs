//! The typesetter: a [`Document`] in, the bytes of an A4 PDF letter out.
//!
//! printpdf draws glyphs; everything about where they go is decided here,
//! in small steps that can each be tested without a PDF:
//!
//! - `metrics`: how wide text is, from the embedded fonts' own widths;
//! - `lines`: breaking text into lines and justifying them;
//! - `compose`: the letter's parts (letterhead, paragraphs, lists, tables,
//!   charts via `chart`, signature) as chunks across the page, sized by
//!   `style`;
//! - `layout`: chunks placed on pages, with headers repeated and page
//!   numbers added;
//! - `paint` and `pdf`: the pages as printpdf operations, and the file.
//!
//! Rendering never reads the clock or a random source: the same document
//! gives the same bytes, so an issued letter can be printed again and
//! still match the SHA-256 it was stored with.

mod chart;
mod compose;
mod layout;
mod lines;
mod metrics;
mod paint;
mod pdf;
mod style;

use std::sync::{Arc, Mutex};

use thiserror::Error;

use crate::document::Document;

use self::compose::LogoSize;
use self::layout::Frame;
use self::metrics::Fonts;
use self::pdf::{CommonSubsets, Logo};

/// Why a document could not be typeset.
#[derive(Debug, Error)]
pub enum TypesetError {
    #[error("the embedded font {font} could not be used: {reason}")]
    Font { font: &'static str, reason: String },
    #[error("the letter font has no {character:?} (U+{:04X}), found in {text:?}; replace it or remove it", u32::from(*.character))]
    MissingGlyph { character: char, text: String },
    #[error("the letterhead logo is not a usable PNG: {0}")]
    Logo(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// Turns documents into PDF bytes. Build one (it parses the embedded fonts)
/// and render many; it is `Send + Sync`, so a batch can share it across
/// threads.
#[derive(Debug)]
pub struct Typesetter {
    fonts: Fonts,
    common: CommonSubsets,
    /// The last logo prepared: a batch prints the same one on every letter.
    logo: Mutex<Option<Arc<Logo>>>,
}

impl Typesetter {
    pub fn new() -> Result<Self, TypesetError> {
        let fonts = Fonts::load()?;
        Ok(Self {
            common: CommonSubsets::prepare(&fonts)?,
            fonts,
            logo: Mutex::new(None),
        })
    }

    /// The logo of these PNG bytes, prepared once and then reused.
    fn logo(&self, png: &[u8]) -> Result<Arc<Logo>, TypesetError> {
        let mut cached = self
            .logo
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(logo) = cached.as_ref().filter(|logo| logo.png == png) {
            return Ok(Arc::clone(logo));
        }
        let logo = Arc::new(Logo::prepare(png)?);
        *cached = Some(Arc::clone(&logo));
        Ok(logo)
    }

    /// The PDF of `doc`: A4, letterhead on page one, "Page N of M" and the
    /// marking on every page. The same document always gives the same bytes.
    pub fn render(&self, doc: &Document) -> Result<Vec<u8>, TypesetError> {
        let logo = doc
            .letterhead
            .logo_png
            .as_deref()
            .map(|png| self.logo(png))
            .transpose()?;
        let size = logo.as_ref().map(|logo| {
            let (width, height) = logo.size();
            LogoSize { width, height }
        });
        let flow = compose::compose(doc, &self.fonts, size)?;
        let mut pages = layout::paginate(&flow, Frame::LETTER);
        let marking = match &doc.marking {
            Some(marking) => Some(self.fonts.clean(marking, style::MARKING.weight)?),
            None => None,
        };
        layout::decorate(&mut pages, marking.as_deref(), &self.fonts);
        let info = pdf::Info {
            title: &doc.title,
            author: &doc.letterhead.authority,
            date: &doc.date,
        };
        pdf::write(&pages, &self.fonts, &self.common, logo.as_deref(), info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Address, Block, Letterhead, Span};

    fn letter() -> Document {
        Document {
            title: "Note of visit".into(),
            letterhead: Letterhead {
                authority: "Fenshire County Council".into(),
                service: "School Improvement Service".into(),
                address: vec!["County Hall".into()],
                contact: vec!["Contact: Priya Shah".into()],
                logo_png: None,
            },
            marking: Some("CONFIDENTIAL".into()),
            recipients: vec![Address {
                lines: vec!["Mrs J Ahmed".into()],
            }],
            date: "23 November 2026".into(),
            reference: Some("SIA/100001".into()),
            blocks: vec![Block::Paragraph {
                spans: vec![Span::plain("Thank you.")],
            }],
            signature: None,
            copies_to: vec![],
        }
    }

    #[test]
    fn the_typesetter_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Typesetter>();
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let typesetter = Typesetter::new().expect("fonts");
        let first = typesetter.render(&letter()).expect("renders");
        let again = typesetter.render(&letter()).expect("renders");
        let fresh = Typesetter::new()
            .expect("fonts")
            .render(&letter())
            .expect("renders");
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(first, again);
        assert_eq!(first, fresh);
    }

    #[test]
    fn a_different_document_gets_a_different_file_identifier() {
        let typesetter = Typesetter::new().expect("fonts");
        let id = |bytes: &[u8]| {
            let at = bytes
                .windows(4)
                .rposition(|w| w == b"/ID[")
                .expect("an /ID");
            bytes[at..at + 40].to_vec()
        };
        let mut other = letter();
        other.date = "24 November 2026".into();
        let a = typesetter.render(&letter()).expect("renders");
        let b = typesetter.render(&other).expect("renders");
        assert_ne!(id(&a), id(&b));
    }

    #[test]
    fn a_broken_logo_is_reported_as_such() {
        let mut doc = letter();
        doc.letterhead.logo_png = Some(b"GIF89a".to_vec());
        let err = Typesetter::new()
            .expect("fonts")
            .render(&doc)
            .expect_err("not a PNG");
        assert!(err.to_string().contains("logo"), "{err}");
    }
}

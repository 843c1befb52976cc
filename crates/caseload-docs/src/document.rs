//! What a document says, before it is laid out.
//!
//! Letters are assembled from templates into a `Document`; the typesetter
//! turns a `Document` into pages. Nothing here knows about fonts or points,
//! so the wording can be tested apart from the layout.

use serde::{Deserialize, Serialize};

/// A letter or report, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The PDF's title (document properties), e.g. "Formal warning notice".
    pub title: String,
    pub letterhead: Letterhead,
    /// Printed on every page when set, e.g. "CONFIDENTIAL".
    pub marking: Option<String>,
    /// One address block per recipient, printed under the letterhead.
    pub recipients: Vec<Address>,
    /// Already formatted for print, e.g. "23 November 2026".
    pub date: String,
    /// "Our ref" line, e.g. "SIA/100001/CONG/2026-11-23".
    pub reference: Option<String>,
    pub blocks: Vec<Block>,
    pub signature: Option<Signature>,
    /// Names after "Copy to:", below the signature.
    pub copies_to: Vec<String>,
}

/// The authority's heading on the first page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Letterhead {
    /// "Fenshire County Council"
    pub authority: String,
    /// "School Improvement Service"
    pub service: String,
    pub address: Vec<String>,
    /// Contact officer, telephone and email lines.
    pub contact: Vec<String>,
    /// PNG bytes of the authority's logo.
    #[serde(skip)]
    pub logo_png: Option<Vec<u8>>,
}

/// A recipient's postal address; the first line names the person or body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// "Yours sincerely"
    pub closing: String,
    pub name: String,
    /// "Senior School Improvement Adviser"
    pub role: String,
    pub organisation: String,
}

/// One unit of the body, laid out top to bottom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        text: String,
    },
    /// Justified, except for its last line.
    Paragraph {
        spans: Vec<Span>,
    },
    Bullets {
        items: Vec<Vec<Span>>,
    },
    Numbered {
        items: Vec<Vec<Span>>,
    },
    Table(Table),
    Chart(Chart),
}

/// A run of text in one weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    pub strong: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: false,
        }
    }

    pub fn strong(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            strong: true,
        }
    }
}

/// A table whose header is repeated on every page it runs onto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths, one per header cell.
    pub widths: Vec<f32>,
}

/// A small chart of one measure over several years: the school against
/// the local authority and England.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    /// Printed after values on the axis, e.g. "%".
    pub unit: String,
    /// Labels along the horizontal axis, e.g. academic years.
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    /// One per category; `None` where the figure is missing or suppressed.
    pub values: Vec<Option<f64>>,
}

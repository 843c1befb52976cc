//! Pages of positioned boxes, and the pagination that fills them.
//!
//! The composer hands over a [`Flow`]: chunks of content, each already laid
//! out across the measure and only waiting for a vertical position. This
//! module decides which page each chunk lands on: chunks flagged
//! `keep_with_next` travel with their successor (headings, first and last
//! lines of paragraphs), a table row that starts a page brings its table's
//! header with it, and space above a chunk is dropped at the top of a page.
//! Then every page gets its footer ("Page 2 of 3") and marking.
//!
//! Coordinates are points from the top-left corner of the page, y downward;
//! the painter turns them into PDF space. Nothing here knows about PDF.

use super::lines::{place, unbroken, Align, Fragment, Piece};
use super::metrics::Measure;
use super::style::{self, Rgb, TextStyle};

/// One line of text; `baseline` is its y.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub color: Rgb,
    pub fragments: Vec<Fragment>,
}

#[cfg(test)]
impl TextLine {
    /// The text as a reader would copy it.
    pub fn text(&self) -> String {
        self.fragments.iter().map(|f| f.text.as_str()).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    pub width: f32,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextLine),
    /// `y` is the top edge.
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    /// An open polyline.
    Path {
        points: Vec<(f32, f32)>,
        stroke: Stroke,
    },
    /// A filled circle centred on (`x`, `y`).
    Dot {
        x: f32,
        y: f32,
        radius: f32,
        fill: Rgb,
    },
    /// The authority's logo; `y` is the top edge.
    Logo {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
}

impl Item {
    /// The same item `dy` points further down the page.
    pub fn lowered(mut self, dy: f32) -> Self {
        match &mut self {
            Item::Text(line) => line.baseline += dy,
            Item::Rect { y, .. } | Item::Dot { y, .. } | Item::Logo { y, .. } => *y += dy,
            Item::Path { points, .. } => points.iter_mut().for_each(|(_, y)| *y += dy),
        }
        self
    }

    /// Lowest point the item reaches (for text, its baseline).
    #[cfg(test)]
    pub fn bottom(&self) -> f32 {
        match self {
            Item::Text(line) => line.baseline,
            Item::Rect { y, height, .. } | Item::Logo { y, height, .. } => y + height,
            Item::Dot { y, radius, .. } => y + radius,
            Item::Path { points, .. } => points.iter().map(|p| p.1).fold(f32::MIN, f32::max),
        }
    }
}

/// Content laid out across the page, not yet placed down it. Item `y`s are
/// relative to the chunk's top.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chunk {
    pub height: f32,
    /// Space above, dropped when the chunk opens a page.
    pub space_before: f32,
    pub items: Vec<Item>,
    /// Never end a page after this chunk.
    pub keep_with_next: bool,
    /// A table row: index into [`Flow::headers`] of the header repeated
    /// above it when it opens a page.
    pub table: Option<usize>,
}

/// Everything the body holds, in reading order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flow {
    pub chunks: Vec<Chunk>,
    pub headers: Vec<Chunk>,
}

/// The band of each page the flow may fill.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub top: f32,
    pub bottom: f32,
}

impl Frame {
    pub const LETTER: Frame = Frame {
        top: style::MARGIN_TOP,
        bottom: style::PAGE_HEIGHT - style::MARGIN_BOTTOM,
    };

    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Item>,
}

#[cfg(test)]
impl Page {
    /// Every line of text on the page, top to bottom as placed.
    pub fn lines(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Text(line) => Some(line.text()),
                _ => None,
            })
            .collect()
    }
}

/// Slack for float sums, in points.
const EPSILON: f32 = 0.01;

/// Places the flow's chunks on as many pages as they need.
pub fn paginate(flow: &Flow, frame: Frame) -> Vec<Page> {
    let mut pages = vec![Page::default()];
    let mut cursor = frame.top;
    let mut empty = true;
    let chunks = &flow.chunks;
    for (i, chunk) in chunks.iter().enumerate() {
        let space = if empty { 0.0 } else { chunk.space_before };
        // The chunk and those it must stay with.
        let mut group = space + chunk.height;
        let mut j = i;
        while chunks[j].keep_with_next && j + 1 < chunks.len() {
            j += 1;
            group += chunks[j].space_before + chunks[j].height;
        }
        let header = chunk
            .table
            .and_then(|t| flow.headers.get(t))
            .map_or(0.0, |h| h.height);
        // A group too tall for any page keeps only the chunk itself whole.
        let needed = if group - space + header <= frame.height() + EPSILON {
            group
        } else {
            space + chunk.height
        };
        if !empty && cursor + needed > frame.bottom + EPSILON {
            pages.push(Page::default());
            cursor = frame.top;
            empty = true;
            if let Some(header) = chunk.table.and_then(|t| flow.headers.get(t)) {
                put(pages.last_mut(), header, cursor);
                cursor += header.height;
            }
        }
        let space = if empty { 0.0 } else { chunk.space_before };
        cursor += space;
        put(pages.last_mut(), chunk, cursor);
        cursor += chunk.height;
        empty = false;
    }
    pages
}

fn put(page: Option<&mut Page>, chunk: &Chunk, top: f32) {
    if let Some(page) = page {
        page.items
            .extend(chunk.items.iter().cloned().map(|item| item.lowered(top)));
    }
}

/// Adds "Page N of M" to every page's footer and, when set, the marking
/// (e.g. "CONFIDENTIAL") centred at the head and foot of every page.
pub fn decorate(pages: &mut [Page], marking: Option<&str>, m: &impl Measure) {
    let total = pages.len();
    for (n, page) in pages.iter_mut().enumerate() {
        let number = format!("Page {} of {}", n + 1, total);
        page.items.push(single_line(
            &number,
            style::FOOTER,
            style::FOOTER_BASELINE,
            Align::Right,
            m,
        ));
        if let Some(marking) = marking.filter(|m| !m.trim().is_empty()) {
            for baseline in [style::MARKING_HEAD_BASELINE, style::FOOTER_BASELINE] {
                page.items.push(single_line(
                    marking,
                    style::MARKING,
                    baseline,
                    Align::Centre,
                    m,
                ));
            }
        }
    }
}

/// One unbroken line across the measure.
fn single_line(text: &str, ts: TextStyle, baseline: f32, align: Align, m: &impl Measure) -> Item {
    let line = unbroken(
        &[Piece {
            text,
            weight: ts.weight,
        }],
        ts.size,
        m,
    );
    let placed = place(&line, align, style::MEASURE);
    Item::Text(TextLine {
        x: style::MARGIN_LEFT + placed.x,
        baseline,
        size: ts.size,
        color: ts.color,
        fragments: placed.fragments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::metrics::Weight;

    struct Mono;

    impl Measure for Mono {
        fn width(&self, text: &str, _: Weight, size: f32) -> f32 {
            text.chars().count() as f32 * size * 0.5
        }
    }

    const FRAME: Frame = Frame {
        top: 0.0,
        bottom: 100.0,
    };

    fn text(label: &str, height: f32) -> Chunk {
        Chunk {
            height,
            items: vec![Item::Text(TextLine {
                x: 0.0,
                baseline: height,
                size: 10.0,
                color: style::INK,
                fragments: vec![Fragment {
                    weight: Weight::Regular,
                    text: label.to_owned(),
                    shift: 0.0,
                }],
            })],
            ..Chunk::default()
        }
    }

    fn pages_text(pages: &[Page]) -> Vec<Vec<String>> {
        pages.iter().map(Page::lines).collect()
    }

    #[test]
    fn chunks_flow_onto_a_new_page_when_the_first_is_full() {
        let flow = Flow {
            chunks: (0..7).map(|i| text(&format!("line {i}"), 30.0)).collect(),
            ..Flow::default()
        };
        let pages = paginate(&flow, FRAME);
        assert_eq!(
            pages_text(&pages),
            [
                vec!["line 0", "line 1", "line 2"],
                vec!["line 3", "line 4", "line 5"],
                vec!["line 6"]
            ]
        );
        // The first chunk of a page starts at the top of the frame.
        assert_eq!(pages[1].items[0].bottom(), 30.0);
    }

    #[test]
    fn space_above_a_chunk_is_dropped_at_the_top_of_a_page() {
        let mut chunks: Vec<Chunk> = (0..4).map(|i| text(&format!("p{i}"), 30.0)).collect();
        for chunk in &mut chunks {
            chunk.space_before = 8.0;
        }
        let pages = paginate(
            &Flow {
                chunks,
                ..Flow::default()
            },
            FRAME,
        );
        assert_eq!(pages.len(), 2, "{:?}", pages_text(&pages));
        assert_eq!(pages[0].items[0].bottom(), 30.0);
        assert_eq!(pages[0].items[1].bottom(), 68.0);
        assert_eq!(pages[1].items[0].bottom(), 30.0);
    }

    #[test]
    fn a_heading_is_never_left_alone_at_the_foot_of_a_page() {
        let mut heading = text("Heading", 20.0);
        heading.keep_with_next = true;
        let chunks = vec![
            text("a", 30.0),
            text("b", 30.0),
            heading,
            text("after heading", 30.0),
        ];
        let pages = paginate(
            &Flow {
                chunks,
                ..Flow::default()
            },
            FRAME,
        );
        assert_eq!(
            pages_text(&pages),
            [vec!["a", "b"], vec!["Heading", "after heading"]]
        );
    }

    #[test]
    fn a_keep_group_taller_than_a_page_breaks_anyway() {
        let chunks: Vec<Chunk> = (0..5)
            .map(|i| Chunk {
                keep_with_next: true,
                ..text(&format!("k{i}"), 30.0)
            })
            .collect();
        let pages = paginate(
            &Flow {
                chunks,
                ..Flow::default()
            },
            FRAME,
        );
        // The first chunks go where they fit; the tail that can stay
        // together does.
        assert_eq!(
            pages_text(&pages),
            [vec!["k0", "k1"], vec!["k2", "k3", "k4"]]
        );
    }

    #[test]
    fn a_table_header_is_repeated_on_the_page_a_row_spills_onto() {
        let header = Chunk {
            keep_with_next: true,
            ..text("Header", 12.0)
        };
        let mut chunks = vec![text("intro", 40.0), header.clone()];
        chunks.extend((0..6).map(|i| Chunk {
            table: Some(0),
            ..text(&format!("row {i}"), 15.0)
        }));
        let flow = Flow {
            chunks,
            headers: vec![header],
        };
        let pages = paginate(&flow, FRAME);
        assert_eq!(
            pages_text(&pages),
            [
                vec!["intro", "Header", "row 0", "row 1", "row 2"],
                vec!["Header", "row 3", "row 4", "row 5"]
            ]
        );
        // On the new page the header sits at the top and the row under it.
        assert_eq!(pages[1].items[0].bottom(), 12.0);
        assert_eq!(pages[1].items[1].bottom(), 27.0);
    }

    #[test]
    fn a_header_moves_with_its_first_row() {
        let header = Chunk {
            keep_with_next: true,
            ..text("Header", 12.0)
        };
        let mut chunks = vec![text("intro", 80.0), header.clone()];
        chunks.push(Chunk {
            table: Some(0),
            ..text("row 0", 15.0)
        });
        let pages = paginate(
            &Flow {
                chunks,
                headers: vec![header],
            },
            FRAME,
        );
        assert_eq!(pages_text(&pages), [vec!["intro"], vec!["Header", "row 0"]]);
    }

    #[test]
    fn every_page_gets_page_n_of_m_and_the_marking_at_head_and_foot() {
        let flow = Flow {
            chunks: (0..7).map(|i| text(&format!("line {i}"), 30.0)).collect(),
            ..Flow::default()
        };
        let mut pages = paginate(&flow, FRAME);
        decorate(&mut pages, Some("CONFIDENTIAL"), &Mono);
        for (n, page) in pages.iter().enumerate() {
            let lines = page.lines();
            assert!(lines.contains(&format!("Page {} of 3", n + 1)), "{lines:?}");
            assert_eq!(
                lines.iter().filter(|l| *l == "CONFIDENTIAL").count(),
                2,
                "{lines:?}"
            );
        }
        let mut unmarked = paginate(&flow, FRAME);
        decorate(&mut unmarked, None, &Mono);
        assert!(!unmarked[0].lines().iter().any(|l| l == "CONFIDENTIAL"));
    }

    #[test]
    fn the_page_number_ends_at_the_right_margin() {
        let mut pages = vec![Page::default()];
        decorate(&mut pages, None, &Mono);
        let Some(Item::Text(line)) = pages[0].items.first() else {
            panic!("a footer line")
        };
        let width = Mono.width("Page 1 of 1", Weight::Regular, style::FOOTER.size);
        let right = line.x + width;
        assert!(
            (right - (style::PAGE_WIDTH - style::MARGIN_RIGHT)).abs() < 0.01,
            "{right}"
        );
    }
}

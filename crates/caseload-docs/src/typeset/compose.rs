//! A `Document` set across the page: the letterhead, the addresses, and
//! each body block broken into lines and turned into chunks for the
//! paginator.
//!
//! This is where the letter's look is decided (what goes where, what is
//! bold, what stays together); the sizes come from `style`. It places
//! nothing down the page beyond a chunk's own height: `layout` does that.

use crate::document::{Address, Block, Chart, Document, Signature, Span, Table};

use super::layout::{Chunk, Flow, Frame, Item, Stroke, TextLine};
use super::lines::{break_lines, place, unbroken, Align, Piece};
use super::metrics::{Fonts, Measure, Weight};
use super::style::{self, TextStyle, MM};
use super::{chart, TypesetError};

/// Pixel size of the decoded logo, for its aspect ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogoSize {
    pub width: u32,
    pub height: u32,
}

/// Lays out `doc` into a flow of chunks, letterhead first.
pub fn compose(
    doc: &Document,
    fonts: &Fonts,
    logo: Option<LogoSize>,
) -> Result<Flow, TypesetError> {
    let composer = Composer { fonts };
    let mut flow = Flow::default();
    flow.chunks.push(composer.first_page_head(doc, logo)?);
    for block in &doc.blocks {
        composer.block(block, &mut flow)?;
    }
    if let Some(signature) = &doc.signature {
        // The signature never stands alone at the top of a page.
        if let Some(last) = flow.chunks.last_mut() {
            last.keep_with_next = true;
        }
        flow.chunks.push(composer.signature(signature)?);
    }
    if !doc.copies_to.is_empty() {
        flow.chunks.push(composer.copies(&doc.copies_to)?);
    }
    Ok(flow)
}

/// Cleaned text in one weight, owned so `Piece`s can borrow it.
type Owned = Vec<(String, Weight)>;

fn pieces(owned: &Owned) -> Vec<Piece<'_>> {
    owned
        .iter()
        .map(|(text, weight)| Piece {
            text,
            weight: *weight,
        })
        .collect()
}

struct Composer<'a> {
    fonts: &'a Fonts,
}

impl Composer<'_> {
    fn clean(&self, text: &str, weight: Weight) -> Result<Owned, TypesetError> {
        Ok(vec![(self.fonts.clean(text, weight)?, weight)])
    }

    fn clean_spans(&self, spans: &[Span], ts: TextStyle) -> Result<Owned, TypesetError> {
        spans
            .iter()
            .map(|span| {
                let weight = if span.strong { Weight::Bold } else { ts.weight };
                Ok((self.fonts.clean(&span.text, weight)?, weight))
            })
            .collect()
    }

    /// Lines of text `measure` wide starting at `x`, the first line's box
    /// top at 0. One item per line.
    fn set(&self, owned: &Owned, ts: TextStyle, x: f32, measure: f32, align: Align) -> Vec<Item> {
        let baseline = self.fonts.baseline(ts.size, ts.leading);
        break_lines(&pieces(owned), ts.size, measure, self.fonts)
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let placed = place(line, align, measure);
                Item::Text(TextLine {
                    x: x + placed.x,
                    baseline: i as f32 * ts.leading + baseline,
                    size: ts.size,
                    color: ts.color,
                    fragments: placed.fragments,
                })
            })
            .collect()
    }

    /// A label that never wraps, its right edge at `right`.
    fn label_ending_at(&self, text: &str, ts: TextStyle, right: f32) -> Item {
        let line = unbroken(
            &[Piece {
                text,
                weight: ts.weight,
            }],
            ts.size,
            self.fonts,
        );
        let placed = place(&line, Align::Left, line.width);
        Item::Text(TextLine {
            x: right - line.width,
            baseline: self.fonts.baseline(ts.size, ts.leading),
            size: ts.size,
            color: ts.color,
            fragments: placed.fragments,
        })
    }

    /// Several lines of text stacked, each wrapped to `measure`; returns
    /// the items (top at `top`) and the bottom of the last line box.
    fn stack(
        &self,
        lines: &[String],
        ts: TextStyle,
        x: f32,
        top: f32,
        measure: f32,
    ) -> Result<(Vec<Item>, f32), TypesetError> {
        let mut items = Vec::new();
        let mut y = top;
        for text in lines.iter().filter(|l| !l.trim().is_empty()) {
            let set = self.set(&self.clean(text, ts.weight)?, ts, x, measure, Align::Left);
            let count = set.len();
            items.extend(set.into_iter().map(|item| item.lowered(y)));
            y += count as f32 * ts.leading;
        }
        Ok((items, y))
    }

    /// Page one's head: letterhead, recipients' addresses, reference, date.
    fn first_page_head(
        &self,
        doc: &Document,
        logo: Option<LogoSize>,
    ) -> Result<Chunk, TypesetError> {
        let head = &doc.letterhead;
        let left = style::MARGIN_LEFT;
        let column = style::PAGE_WIDTH - style::MARGIN_RIGHT - style::LETTERHEAD_COLUMN;
        let mut items = Vec::new();

        // Left: the logo, and the authority's name and service beside it,
        // wrapped to the room between the logo and the right column.
        let mut name_x = left;
        let mut left_bottom: f32 = 0.0;
        if let Some(LogoSize { width, height }) = logo.filter(|l| l.width > 0 && l.height > 0) {
            let scale =
                (style::LOGO_MAX_HEIGHT / height as f32).min(style::LOGO_MAX_WIDTH / width as f32);
            let (w, h) = (width as f32 * scale, height as f32 * scale);
            items.push(Item::Logo {
                x: left,
                y: 0.0,
                width: w,
                height: h,
            });
            name_x = left + w + 4.0 * MM;
            left_bottom = h;
        }
        let name_measure = column - 6.0 * MM - name_x;
        let (authority, y) = self.stack(
            std::slice::from_ref(&head.authority),
            style::AUTHORITY,
            name_x,
            0.0,
            name_measure,
        )?;
        let (service, y) = self.stack(
            std::slice::from_ref(&head.service),
            style::SERVICE,
            name_x,
            y + 1.0,
            name_measure,
        )?;
        items.extend(authority);
        items.extend(service);
        left_bottom = left_bottom.max(y);

        // Right: the authority's address, then the contact officer's lines.
        let small = style::LETTERHEAD_SMALL;
        let (address, y) =
            self.stack(&head.address, small, column, 1.0, style::LETTERHEAD_COLUMN)?;
        let gap = if head.address.is_empty() { 0.0 } else { 5.0 };
        let (contact, right_bottom) = self.stack(
            &head.contact,
            small,
            column,
            y + gap,
            style::LETTERHEAD_COLUMN,
        )?;
        items.extend(address);
        items.extend(contact);

        let rule_y = left_bottom.max(right_bottom) + 4.0 * MM;
        items.push(Item::Path {
            points: vec![(left, rule_y), (left + style::MEASURE, rule_y)],
            stroke: Stroke {
                color: style::ACCENT,
                width: 0.75,
            },
        });

        // Recipients, two abreast, where a window envelope shows the first.
        let mut y = (rule_y + 6.0 * MM).max(style::ADDRESS_TOP - style::MARGIN_TOP);
        let gutter = 8.0 * MM;
        let column_width = (style::MEASURE - gutter) / 2.0;
        for row in doc.recipients.chunks(2) {
            let mut row_bottom = y;
            for (i, Address { lines }) in row.iter().enumerate() {
                let x = left + i as f32 * (column_width + gutter);
                let (set, bottom) = self.stack(lines, style::BODY, x, y, column_width)?;
                items.extend(set);
                row_bottom = row_bottom.max(bottom);
            }
            y = row_bottom + style::BODY.leading;
        }

        // Reference and date, fully blocked under the addresses.
        let mut meta = Vec::new();
        if let Some(reference) = doc.reference.as_deref().filter(|r| !r.trim().is_empty()) {
            meta.push(format!("Our ref: {reference}"));
        }
        if !doc.date.trim().is_empty() {
            meta.push(doc.date.clone());
        }
        let y = if meta.is_empty() {
            y
        } else {
            let (set, bottom) = self.stack(&meta, style::BODY, left, y + 4.0, style::MEASURE)?;
            items.extend(set);
            bottom
        };
        Ok(Chunk {
            height: y + 6.0 * MM,
            items,
            ..Chunk::default()
        })
    }

    fn block(&self, block: &Block, flow: &mut Flow) -> Result<(), TypesetError> {
        match block {
            Block::Heading { text } => {
                let ts = style::HEADING;
                let set = self.set(
                    &self.clean(text, ts.weight)?,
                    ts,
                    style::MARGIN_LEFT,
                    style::MEASURE,
                    Align::Left,
                );
                let mut chunks = line_chunks(set, ts.leading, style::SPACE_HEADING);
                for chunk in &mut chunks {
                    chunk.keep_with_next = true;
                }
                flow.chunks.extend(chunks);
            }
            Block::Paragraph { spans } => {
                let ts = style::BODY;
                let owned = self.clean_spans(spans, ts)?;
                let set = self.set(
                    &owned,
                    ts,
                    style::MARGIN_LEFT,
                    style::MEASURE,
                    Align::Justify,
                );
                flow.chunks
                    .extend(line_chunks(set, ts.leading, style::SPACE_PARAGRAPH));
            }
            Block::Bullets { items } => self.list(items, |_| "\u{2022}".to_owned(), flow)?,
            Block::Numbered { items } => self.list(items, |i| format!("{}.", i + 1), flow)?,
            Block::Table(table) => self.table(table, flow)?,
            Block::Chart(chart) => flow.chunks.push(self.chart(chart)?),
        }
        Ok(())
    }

    /// Items with a hanging indent: marker in the margin of the list, text
    /// wrapped to the indent.
    fn list(
        &self,
        items: &[Vec<Span>],
        marker: impl Fn(usize) -> String,
        flow: &mut Flow,
    ) -> Result<(), TypesetError> {
        let ts = style::BODY;
        let x = style::MARGIN_LEFT + style::LIST_INDENT;
        let measure = style::MEASURE - style::LIST_INDENT;
        for (i, spans) in items.iter().enumerate() {
            let owned = self.clean_spans(spans, ts)?;
            // Ragged: justified short measures open rivers between words.
            let set = self.set(&owned, ts, x, measure, Align::Left);
            let space = if i == 0 {
                style::SPACE_PARAGRAPH
            } else {
                style::SPACE_LIST_ITEM
            };
            let mut chunks = line_chunks(set, ts.leading, space);
            if let Some(first) = chunks.first_mut() {
                let label = marker(i);
                let right = style::MARGIN_LEFT + style::LIST_MARKER_END;
                first.items.push(self.label_ending_at(&label, ts, right));
            }
            flow.chunks.extend(chunks);
        }
        Ok(())
    }

    fn table(&self, table: &Table, flow: &mut Flow) -> Result<(), TypesetError> {
        let columns = table
            .rows
            .iter()
            .map(Vec::len)
            .chain([table.header.len()])
            .max()
            .unwrap_or(0);
        if columns == 0 {
            return Ok(());
        }
        let widths = column_widths(&table.widths, columns);
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                let cells: Vec<&str> = table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.trim())
                    .collect();
                cells.iter().any(|s| is_number(s))
                    && cells.iter().all(|s| is_number(s) || is_blank_figure(s))
            })
            .collect();
        let ts = style::TABLE;
        let header = if table.header.iter().all(|h| h.trim().is_empty()) {
            None
        } else {
            let mut rows = self.row(
                &table.header,
                ts.bold(),
                &widths,
                &numeric,
                true,
                f32::INFINITY,
            )?;
            let mut header = rows.remove(0);
            header.keep_with_next = true;
            header.space_before = style::SPACE_TABLE;
            Some(header)
        };
        let room = Frame::LETTER.height() - header.as_ref().map_or(0.0, |h| h.height);
        let mut first = header.is_none();
        let repeat = header.map(|header| {
            flow.headers.push(Chunk {
                space_before: 0.0,
                ..header.clone()
            });
            flow.chunks.push(header);
            flow.headers.len() - 1
        });
        for row in &table.rows {
            for mut part in self.row(row, ts, &widths, &numeric, false, room)? {
                part.table = repeat;
                if first {
                    part.space_before = style::SPACE_TABLE;
                    first = false;
                }
                flow.chunks.push(part);
            }
        }
        Ok(())
    }

    /// One table row as chunks: one normally, more when the row is too tall
    /// for a page (`room`), split between lines.
    fn row(
        &self,
        cells: &[String],
        ts: TextStyle,
        widths: &[f32],
        numeric: &[bool],
        header: bool,
        room: f32,
    ) -> Result<Vec<Chunk>, TypesetError> {
        let mut x = style::MARGIN_LEFT;
        let mut columns: Vec<(f32, f32, Vec<Item>)> = Vec::new();
        for (c, width) in widths.iter().enumerate() {
            let text = cells.get(c).map(String::as_str).unwrap_or("");
            let align = if numeric[c] {
                Align::Right
            } else {
                Align::Left
            };
            let inner = width - 2.0 * style::CELL_PAD_X;
            let set = self.set(
                &self.clean(text, ts.weight)?,
                ts,
                x + style::CELL_PAD_X,
                inner,
                align,
            );
            columns.push((x, *width, set));
            x += width;
        }
        let most = columns.iter().map(|c| c.2.len()).max().unwrap_or(0).max(1);
        let fits = (((room - 2.0 * style::CELL_PAD_Y) / ts.leading).floor() as usize).max(1);
        let mut chunks = Vec::new();
        for start in (0..most).step_by(fits) {
            let lines = fits.min(most - start);
            let height = lines as f32 * ts.leading + 2.0 * style::CELL_PAD_Y;
            let mut items = Vec::new();
            let stroke = Some(Stroke {
                color: style::RULE,
                width: style::TABLE_RULE,
            });
            for (x, width, set) in &columns {
                let fill = header.then_some(style::HEADER_FILL);
                items.push(Item::Rect {
                    x: *x,
                    y: 0.0,
                    width: *width,
                    height,
                    fill,
                    stroke,
                });
                let dy = style::CELL_PAD_Y - start as f32 * ts.leading;
                items.extend(
                    set.iter()
                        .skip(start)
                        .take(lines)
                        .map(|item| item.clone().lowered(dy)),
                );
            }
            chunks.push(Chunk {
                height,
                items,
                ..Chunk::default()
            });
        }
        Ok(chunks)
    }

    fn chart(&self, chart: &Chart) -> Result<Chunk, TypesetError> {
        let items = chart::draw(chart, self.fonts, style::MARGIN_LEFT, style::MEASURE)?;
        Ok(Chunk {
            height: style::CHART_HEIGHT,
            space_before: style::SPACE_TABLE,
            items,
            ..Chunk::default()
        })
    }

    /// Closing, room to sign, name, role and organisation: one chunk, so
    /// never split.
    fn signature(&self, signature: &Signature) -> Result<Chunk, TypesetError> {
        let ts = style::BODY;
        let left = style::MARGIN_LEFT;
        let (mut items, y) = self.stack(
            std::slice::from_ref(&signature.closing),
            ts,
            left,
            0.0,
            style::MEASURE,
        )?;
        let top = y + style::SIGNATURE_SPACE;
        let (name, y) = self.stack(
            std::slice::from_ref(&signature.name),
            ts.bold(),
            left,
            top,
            style::MEASURE,
        )?;
        let rest = [signature.role.clone(), signature.organisation.clone()];
        let (rest, y) = self.stack(&rest, ts, left, y, style::MEASURE)?;
        items.extend(name);
        items.extend(rest);
        Ok(Chunk {
            height: y,
            space_before: style::SPACE_CLOSING,
            items,
            ..Chunk::default()
        })
    }

    /// "Copy to:" with the names aligned after it, one a line.
    fn copies(&self, names: &[String]) -> Result<Chunk, TypesetError> {
        let ts = style::BODY;
        let label = "Copy to:";
        let label_width = self.fonts.width(label, ts.weight, ts.size);
        let mut items = vec![self.label_ending_at(label, ts, style::MARGIN_LEFT + label_width)];
        let x = style::MARGIN_LEFT + label_width + 2.0 * MM;
        let (set, y) = self.stack(names, ts, x, 0.0, style::MARGIN_LEFT + style::MEASURE - x)?;
        items.extend(set);
        Ok(Chunk {
            height: y,
            space_before: style::SPACE_CLOSING,
            items,
            ..Chunk::default()
        })
    }
}

/// Lines of one paragraph as chunks of one line each. The first line
/// stays with the second and the last with the one before, so no page ends
/// on a paragraph's first line or starts with its last.
fn line_chunks(items: Vec<Item>, leading: f32, space_before: f32) -> Vec<Chunk> {
    let n = items.len();
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Chunk {
            height: leading,
            space_before: if i == 0 { space_before } else { 0.0 },
            items: vec![item.lowered(-(i as f32) * leading)],
            keep_with_next: n > 1 && (i == 0 || i + 2 == n),
            table: None,
        })
        .collect()
}

/// Absolute column widths across the measure from the relative ones; equal
/// columns when the relative widths are missing or unusable.
fn column_widths(relative: &[f32], columns: usize) -> Vec<f32> {
    let usable = relative.len() == columns && relative.iter().all(|w| w.is_finite() && *w > 0.0);
    let weights: Vec<f32> = if usable {
        relative.to_vec()
    } else {
        vec![1.0; columns]
    };
    let total: f32 = weights.iter().sum();
    weights.iter().map(|w| style::MEASURE * w / total).collect()
}

/// A figure: "12", "-0.45", "1,234", "87%", "£1,200".
fn is_number(cell: &str) -> bool {
    let stripped = cell
        .trim_start_matches(['£', '+', '-', '\u{2212}'])
        .trim_end_matches('%')
        .replace(',', "");
    !stripped.is_empty() && stripped.parse::<f64>().is_ok()
}

/// What stands in a column of figures where there is none.
fn is_blank_figure(cell: &str) -> bool {
    matches!(
        cell,
        "" | "-" | "\u{2013}" | "\u{2014}" | "x" | "n/a" | "N/A" | "*" | "c" | "SUPP" | "NE"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Letterhead, Series};
    use crate::typeset::layout::{paginate, Page};

    fn fonts() -> Fonts {
        Fonts::load().expect("fonts")
    }

    fn letter(blocks: Vec<Block>) -> Document {
        Document {
            title: "Note of visit".into(),
            letterhead: Letterhead {
                authority: "Fenshire County Council".into(),
                service: "School Improvement Service".into(),
                address: vec!["County Hall".into(), "Fenchester".into(), "FE1 2AB".into()],
                contact: vec![
                    "Contact: Priya Shah".into(),
                    "Telephone: 01234 567890".into(),
                ],
                logo_png: None,
            },
            marking: None,
            recipients: vec![Address {
                lines: vec![
                    "Mrs J Ahmed".into(),
                    "Headteacher".into(),
                    "Fenwick Primary School".into(),
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

    fn all_lines(pages: &[Page]) -> Vec<String> {
        pages.iter().flat_map(Page::lines).collect()
    }

    #[test]
    fn the_head_holds_letterhead_address_reference_and_date_in_order() {
        let fonts = fonts();
        let flow = compose(&letter(vec![]), &fonts, None).expect("composes");
        let lines = all_lines(&paginate(&flow, Frame::LETTER));
        let position = |wanted: &str| {
            lines
                .iter()
                .position(|l| l == wanted)
                .unwrap_or_else(|| panic!("{wanted} in {lines:?}"))
        };
        assert!(position("Fenshire County Council") < position("School Improvement Service"));
        assert!(position("Mrs J Ahmed") < position("Our ref: SIA/100001/NOV/2026-11-23"));
        assert!(position("Our ref: SIA/100001/NOV/2026-11-23") < position("23 November 2026"));
        assert!(position("23 November 2026") < position("Yours sincerely"));
        assert!(position("Yours sincerely") < position("Priya Shah"));
    }

    #[test]
    fn the_recipient_address_sits_where_a_window_envelope_shows_it() {
        let fonts = fonts();
        let flow = compose(&letter(vec![]), &fonts, None).expect("composes");
        let pages = paginate(&flow, Frame::LETTER);
        let baseline = pages[0]
            .items
            .iter()
            .find_map(|item| match item {
                Item::Text(line) if line.text() == "Mrs J Ahmed" => Some(line.baseline),
                _ => None,
            })
            .expect("the addressee");
        // A DL window envelope shows roughly 45 mm to 90 mm from the top.
        assert!(
            baseline > 45.0 * MM && baseline < 65.0 * MM,
            "{}",
            baseline / MM
        );
    }

    #[test]
    fn a_logo_pushes_the_authority_name_to_its_right() {
        let fonts = fonts();
        let flow = compose(
            &letter(vec![]),
            &fonts,
            Some(LogoSize {
                width: 100,
                height: 100,
            }),
        )
        .expect("composes");
        let head = &flow.chunks[0];
        let Some(Item::Logo { width, height, .. }) = head.items.first() else {
            panic!("the logo comes first")
        };
        assert!(
            (width / height - 1.0).abs() < 1e-3,
            "keeps the aspect ratio"
        );
        let name_x = head
            .items
            .iter()
            .find_map(|item| match item {
                Item::Text(line) if line.text().starts_with("Fenshire") => Some(line.x),
                _ => None,
            })
            .expect("the name");
        assert!(name_x > style::MARGIN_LEFT + width);
    }

    #[test]
    fn list_items_hang_from_their_marker() {
        let fonts = fonts();
        let long = "Leaders should make sure that the curriculum in every subject sets out the \
                    knowledge pupils need, in the order they need it, from Reception onwards.";
        let flow = compose(
            &letter(vec![Block::Numbered {
                items: vec![vec![Span::plain(long)], vec![Span::plain("Short.")]],
            }]),
            &fonts,
            None,
        )
        .expect("composes");
        let texts: Vec<(String, f32)> = flow.chunks[1..]
            .iter()
            .flat_map(|c| &c.items)
            .filter_map(|item| match item {
                Item::Text(line) => Some((line.text(), line.x)),
                _ => None,
            })
            .collect();
        let indent = style::MARGIN_LEFT + style::LIST_INDENT;
        assert_eq!(texts[0].1, indent, "{texts:?}");
        assert_eq!(texts[1].0, "1.");
        assert!(texts[1].1 < indent);
        assert_eq!(texts[2].1, indent, "the second line hangs under the first");
        assert!(texts.iter().any(|(t, _)| t == "2."));
    }

    #[test]
    fn a_long_table_repeats_its_header_on_the_next_page() {
        let fonts = fonts();
        let rows = (1..=60)
            .map(|i| {
                vec![
                    format!("Action {i}"),
                    "Deputy headteacher".into(),
                    format!("{i}"),
                ]
            })
            .collect();
        let table = Table {
            header: vec!["Action".into(), "Who".into(), "Weeks".into()],
            rows,
            widths: vec![3.0, 2.0, 1.0],
        };
        let flow = compose(&letter(vec![Block::Table(table)]), &fonts, None).expect("composes");
        let pages = paginate(&flow, Frame::LETTER);
        assert!(pages.len() >= 2);
        for page in &pages[..pages.len() - 1] {
            let lines = page.lines();
            assert!(lines.contains(&"Action".to_owned()), "{lines:?}");
            assert!(lines.contains(&"Weeks".to_owned()));
        }
        // Every row appears exactly once.
        let lines = all_lines(&pages);
        for i in 1..=60 {
            assert_eq!(
                lines
                    .iter()
                    .filter(|l| **l == format!("Action {i}"))
                    .count(),
                1
            );
        }
    }

    #[test]
    fn numbers_in_a_table_are_right_aligned() {
        let fonts = fonts();
        let table = Table {
            header: vec!["Measure".into(), "2025".into()],
            rows: vec![
                vec!["Reading".into(), "78%".into()],
                vec!["Writing".into(), "x".into()],
            ],
            widths: vec![3.0, 1.0],
        };
        let flow = compose(&letter(vec![Block::Table(table)]), &fonts, None).expect("composes");
        let x_of = |wanted: &str| {
            flow.chunks
                .iter()
                .flat_map(|c| &c.items)
                .find_map(|item| match item {
                    Item::Text(line) if line.text() == wanted => Some(line.x),
                    _ => None,
                })
        };
        let column_right = style::MARGIN_LEFT + style::MEASURE - style::CELL_PAD_X;
        let width = fonts.width("78%", Weight::Regular, style::TABLE.size);
        let right = x_of("78%").expect("the figure") + width;
        assert!(
            (right - column_right).abs() < 0.01,
            "{right} vs {column_right}"
        );
        assert_eq!(
            x_of("Reading"),
            Some(style::MARGIN_LEFT + style::CELL_PAD_X)
        );
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines() {
        let fonts = fonts();
        let huge = "word ".repeat(3000);
        let table = Table {
            header: vec!["Notes".into()],
            rows: vec![vec![huge]],
            widths: vec![1.0],
        };
        let flow = compose(&letter(vec![Block::Table(table)]), &fonts, None).expect("composes");
        let frame = Frame::LETTER;
        assert!(flow.chunks.iter().all(|c| c.height <= frame.height()));
        let pages = paginate(&flow, frame);
        assert!(pages.len() > 2);
        for page in &pages {
            for item in &page.items {
                assert!(item.bottom() <= frame.bottom + 0.01, "{item:?}");
            }
        }
    }

    #[test]
    fn a_heading_at_the_foot_of_a_page_moves_with_its_paragraph() {
        let fonts = fonts();
        let mut blocks: Vec<Block> = (0..200)
            .map(|i| Block::Paragraph {
                spans: vec![Span::plain(format!("Filler line {i}."))],
            })
            .collect();
        // Try headings at many positions: none may end a page.
        for at in (150..200).step_by(3) {
            blocks.insert(
                at,
                Block::Heading {
                    text: format!("Heading {at}"),
                },
            );
        }
        let flow = compose(&letter(blocks), &fonts, None).expect("composes");
        for page in paginate(&flow, Frame::LETTER) {
            let lines = page.lines();
            let last = lines.last().expect("a page has text");
            assert!(!last.starts_with("Heading"), "{lines:?}");
        }
    }

    #[test]
    fn the_signature_block_is_kept_whole() {
        let fonts = fonts();
        let blocks = (0..47)
            .map(|i| Block::Paragraph {
                spans: vec![Span::plain(format!("Paragraph {i}."))],
            })
            .collect();
        let flow = compose(&letter(blocks), &fonts, None).expect("composes");
        let pages = paginate(&flow, Frame::LETTER);
        let holder = pages
            .iter()
            .position(|p| p.lines().contains(&"Yours sincerely".to_owned()))
            .expect("a closing");
        let lines = pages[holder].lines();
        assert!(
            lines.contains(&"Senior School Improvement Adviser".to_owned()),
            "{lines:?}"
        );
    }

    #[test]
    fn a_chart_is_one_chunk_of_the_chart_height() {
        let fonts = fonts();
        let chart = Chart {
            title: "Reading at the expected standard".into(),
            unit: "%".into(),
            categories: vec!["2023".into(), "2024".into(), "2025".into()],
            series: vec![Series {
                name: "School".into(),
                values: vec![Some(70.0), None, Some(78.0)],
            }],
        };
        let flow = compose(&letter(vec![Block::Chart(chart)]), &fonts, None).expect("composes");
        assert_eq!(flow.chunks[1].height, style::CHART_HEIGHT);
        assert!(!flow.chunks[1].items.is_empty());
    }

    #[test]
    fn text_the_font_cannot_draw_is_refused() {
        let fonts = fonts();
        let doc = letter(vec![Block::Paragraph {
            spans: vec![Span::plain("Thanks 🙂")],
        }]);
        assert!(matches!(
            compose(&doc, &fonts, None),
            Err(TypesetError::MissingGlyph { .. })
        ));
    }
}

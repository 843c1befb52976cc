//! A letter's body, written in Markdown, read into the blocks the
//! typesetter lays out: headings, paragraphs with bold runs, bulleted and
//! numbered lists, tables, and charts named in a fenced `chart` block.

use std::collections::BTreeMap;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::document::{Block, Chart, Span, Table};

/// Reads `body` into blocks; `charts` are those a `chart` block may name.
pub fn blocks(body: &str, charts: &BTreeMap<String, Chart>) -> Result<Vec<Block>, String> {
    let mut reader = Reader::default();
    for event in Parser::new_ext(body, Options::ENABLE_TABLES) {
        reader.read(event, charts)?;
    }
    Ok(reader.blocks)
}

#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    spans: Vec<Span>,
    strong: usize,
    /// Items of the lists being read, innermost last, and whether ordered.
    lists: Vec<(bool, Vec<Vec<Span>>)>,
    table: Option<Table>,
    row: Vec<String>,
    /// The info string and text of a fenced block being read.
    code: Option<(String, String)>,
}

impl Reader {
    fn read(&mut self, event: Event<'_>, charts: &BTreeMap<String, Chart>) -> Result<(), String> {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag, charts)?,
            Event::Text(text) | Event::Code(text) => self.text(&text),
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            _ => {}
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Strong => self.strong += 1,
            Tag::List(first) => {
                self.flush_paragraph_into_item();
                self.lists.push((first.is_some(), Vec::new()));
            }
            Tag::Table(_) => {
                self.table = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    widths: Vec::new(),
                })
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                self.code = Some((info.trim().to_owned(), String::new()))
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, charts: &BTreeMap<String, Chart>) -> Result<(), String> {
        match tag {
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Heading(_) => {
                let text = self
                    .take_spans()
                    .into_iter()
                    .map(|span| span.text)
                    .collect();
                self.blocks.push(Block::Heading { text });
            }
            TagEnd::Paragraph if self.lists.is_empty() => {
                let spans = self.take_spans();
                if !spans.is_empty() {
                    self.blocks.push(Block::Paragraph { spans });
                }
            }
            TagEnd::Item => self.flush_paragraph_into_item(),
            TagEnd::List(_) => self.end_list(),
            TagEnd::TableCell => {
                let text = self
                    .take_spans()
                    .into_iter()
                    .map(|span| span.text)
                    .collect();
                self.row.push(text);
            }
            TagEnd::TableHead => {
                if let Some(table) = self.table.as_mut() {
                    table.header = std::mem::take(&mut self.row);
                }
            }
            TagEnd::TableRow => {
                let row = std::mem::take(&mut self.row);
                if let Some(table) = self.table.as_mut() {
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(mut table) = self.table.take() {
                    table.widths = column_widths(&table);
                    self.blocks.push(Block::Table(table));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((info, text)) = self.code.take() {
                    self.chart_block(&info, &text, charts)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        if let Some((_, code)) = self.code.as_mut() {
            code.push_str(text);
            return;
        }
        let strong = self.strong > 0;
        match self.spans.last_mut() {
            Some(last) if last.strong == strong => last.text.push_str(text),
            _ => self.spans.push(Span {
                text: text.to_owned(),
                strong,
            }),
        }
    }

    fn take_spans(&mut self) -> Vec<Span> {
        let mut spans = std::mem::take(&mut self.spans);
        if let Some(first) = spans.first_mut() {
            first.text = first.text.trim_start().to_owned();
        }
        if let Some(last) = spans.last_mut() {
            last.text = last.text.trim_end().to_owned();
        }
        spans.retain(|span| !span.text.is_empty());
        spans
    }

    /// Ends the current list item's text, if any, as an item of the
    /// innermost list; nested lists become items of their own.
    fn flush_paragraph_into_item(&mut self) {
        let spans = self.take_spans();
        if let (false, Some((_, items))) = (spans.is_empty(), self.lists.last_mut()) {
            items.push(spans);
        }
    }

    fn end_list(&mut self) {
        let Some((ordered, items)) = self.lists.pop() else {
            return;
        };
        if let Some((_, outer)) = self.lists.last_mut() {
            outer.extend(items);
        } else if ordered {
            self.blocks.push(Block::Numbered { items });
        } else {
            self.blocks.push(Block::Bullets { items });
        }
    }

    /// A fenced block tagged `chart` lists measure ids, one per line.
    fn chart_block(
        &mut self,
        info: &str,
        text: &str,
        charts: &BTreeMap<String, Chart>,
    ) -> Result<(), String> {
        if info != "chart" {
            return Err(format!("a fenced block must be a chart, not \"{info}\""));
        }
        for id in text.lines().map(str::trim).filter(|id| !id.is_empty()) {
            let chart = charts
                .get(id)
                .ok_or_else(|| format!("no figures to chart for measure \"{id}\""))?;
            self.blocks.push(Block::Chart(chart.clone()));
        }
        Ok(())
    }
}

/// Columns share the width by the text each holds: wide enough for its
/// longest word, and wider for long text up to a bound, so a column of
/// dates stays narrow and a column of actions wide.
fn column_widths(table: &Table) -> Vec<f32> {
    (0..table.header.len())
        .map(|column| {
            let cells: Vec<&String> = std::iter::once(&table.header)
                .chain(&table.rows)
                .filter_map(|row| row.get(column))
                .collect();
            let longest_word = cells
                .iter()
                .flat_map(|cell| cell.split_whitespace())
                .map(|word| word.chars().count())
                .max()
                .unwrap_or(0);
            let longest_cell = cells
                .iter()
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0);
            (longest_word + 2).max(longest_cell.min(60)) as f32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Vec<Block> {
        blocks(body, &BTreeMap::new()).expect("reads")
    }

    #[test]
    fn headings_paragraphs_and_bold_runs() {
        let blocks = read("## Ground\n\nThe school **must** act\nnow.\n");
        assert_eq!(
            blocks,
            [
                Block::Heading {
                    text: "Ground".to_owned()
                },
                Block::Paragraph {
                    spans: vec![
                        Span::plain("The school "),
                        Span::strong("must"),
                        Span::plain(" act now."),
                    ]
                },
            ]
        );
    }

    #[test]
    fn lists_keep_their_kind_and_nested_items_are_flattened() {
        let blocks = read("1. First\n2. Second\n   - inner\n\n- tight\n- list\n");
        let Block::Numbered { items } = &blocks[0] else {
            panic!("numbered list first: {blocks:?}");
        };
        assert_eq!(items.len(), 3);
        assert_eq!(items[2], vec![Span::plain("inner")]);
        assert!(matches!(&blocks[1], Block::Bullets { items } if items.len() == 2));
    }

    #[test]
    fn tables_read_header_rows_and_widths() {
        let blocks = read("| Action | Owner | Due |\n|---|---|---|\n| Publish the plan for writing in Key Stage 2 | Head | 1 Dec |\n");
        let Block::Table(table) = &blocks[0] else {
            panic!("a table: {blocks:?}");
        };
        assert_eq!(table.header, ["Action", "Owner", "Due"]);
        assert_eq!(table.rows[0][1], "Head");
        assert!(table.widths[0] > table.widths[2]);
    }

    #[test]
    fn a_chart_block_names_its_measures() {
        let chart = Chart {
            title: "Attendance".to_owned(),
            unit: "%".to_owned(),
            categories: vec!["2024/25".to_owned()],
            series: Vec::new(),
        };
        let charts = BTreeMap::from([("attendance".to_owned(), chart.clone())]);
        let read = blocks("```chart\nattendance\n```\n", &charts).expect("known measure");
        assert_eq!(read, [Block::Chart(chart)]);
        let error = blocks("```chart\nphonics\n```\n", &charts).expect_err("unknown");
        assert!(error.contains("\"phonics\""), "{error}");
    }
}

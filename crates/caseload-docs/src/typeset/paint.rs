//! Laid-out pages as printpdf drawing operations.
//!
//! A straight translation, one item at a time: turn y downward from the
//! top into PDF's y upward from the bottom, and justification shifts into
//! `TJ` offsets. No decisions about where anything goes are made here.

use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Polygon, PolygonRing, Pt,
    Rect, TextItem, TextMatrix, WindingOrder, XObjectId, XObjectTransform,
};

use super::layout::{Item, Page, Stroke, TextLine};
use super::metrics::Weight;
use super::style::{Rgb, PAGE_HEIGHT};

/// Resource names, fixed so the same letter always gives the same bytes.
pub const REGULAR_FONT: &str = "F1";
pub const BOLD_FONT: &str = "F2";
pub const LOGO: &str = "Logo";

pub fn font_id(weight: Weight) -> FontId {
    FontId(
        match weight {
            Weight::Regular => REGULAR_FONT,
            Weight::Bold => BOLD_FONT,
        }
        .to_owned(),
    )
}

/// The drawing operations of one page.
pub fn page_ops(page: &Page) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.items.len() * 6);
    for item in &page.items {
        match item {
            Item::Text(line) => text(line, &mut ops),
            Item::Rect {
                x,
                y,
                width,
                height,
                fill,
                stroke,
            } => {
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    (None, Some(_)) => PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(fill) = fill {
                    ops.push(Op::SetFillColor { col: colour(*fill) });
                }
                if let Some(stroke) = stroke {
                    set_stroke(*stroke, &mut ops);
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_HEIGHT - y - height),
                        width: Pt(*width),
                        height: Pt(*height),
                        mode: Some(mode),
                        winding_order: None,
                    },
                });
            }
            Item::Path { points, stroke } => {
                set_stroke(*stroke, &mut ops);
                ops.push(Op::DrawLine {
                    line: Line {
                        points: points.iter().map(|&(x, y)| corner(x, y)).collect(),
                        is_closed: false,
                    },
                });
            }
            Item::Dot { x, y, radius, fill } => {
                ops.push(Op::SetFillColor { col: colour(*fill) });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: circle(*x, *y, *radius),
                        }],
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
            Item::Logo {
                x,
                y,
                width,
                height,
            } => ops.push(Op::UseXobject {
                id: XObjectId(LOGO.to_owned()),
                transform: XObjectTransform {
                    translate_x: Some(Pt(*x)),
                    translate_y: Some(Pt(PAGE_HEIGHT - y - height)),
                    scale_x: Some(*width),
                    scale_y: Some(*height),
                    no_auto_scale: true,
                    ..XObjectTransform::default()
                },
            }),
        }
    }
    ops
}

/// One line: a text object at the line's start, a font change wherever the
/// weight changes, and justification as offsets before words.
fn text(line: &TextLine, ops: &mut Vec<Op>) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor {
        col: colour(line.color),
    });
    ops.push(Op::SetTextMatrix {
        matrix: TextMatrix::Translate(Pt(line.x), Pt(PAGE_HEIGHT - line.baseline)),
    });
    let mut weight = None;
    let mut items: Vec<TextItem> = Vec::new();
    for fragment in &line.fragments {
        if weight != Some(fragment.weight) {
            if !items.is_empty() {
                ops.push(Op::ShowText {
                    items: std::mem::take(&mut items),
                });
            }
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(fragment.weight)),
                size: Pt(line.size),
            });
            weight = Some(fragment.weight);
        }
        if fragment.shift != 0.0 {
            // TJ offsets are thousandths of an em, negative to the right.
            items.push(TextItem::Offset(-fragment.shift * 1000.0 / line.size));
        }
        items.push(TextItem::Text(fragment.text.clone()));
    }
    if !items.is_empty() {
        ops.push(Op::ShowText { items });
    }
    ops.push(Op::EndTextSection);
}

fn set_stroke(stroke: Stroke, ops: &mut Vec<Op>) {
    ops.push(Op::SetOutlineColor {
        col: colour(stroke.color),
    });
    ops.push(Op::SetOutlineThickness {
        pt: Pt(stroke.width),
    });
}

fn colour(rgb: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(rgb.r, rgb.g, rgb.b, None))
}

fn point(x: f32, y: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_HEIGHT - y),
    }
}

fn corner(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: point(x, y),
        bezier: false,
    }
}

/// A circle as four cubic Bézier arcs.
fn circle(cx: f32, cy: f32, r: f32) -> Vec<LinePoint> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let control = |x, y| LinePoint {
        p: point(x, y),
        bezier: true,
    };
    vec![
        corner(cx + r, cy),
        control(cx + r, cy + k),
        control(cx + k, cy + r),
        corner(cx, cy + r),
        control(cx - k, cy + r),
        control(cx - r, cy + k),
        corner(cx - r, cy),
        control(cx - r, cy - k),
        control(cx - k, cy - r),
        corner(cx, cy - r),
        control(cx + k, cy - r),
        control(cx + r, cy - k),
        corner(cx + r, cy),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::lines::Fragment;
    use crate::typeset::style::INK;

    #[test]
    fn a_justified_line_becomes_one_text_object_with_offsets_and_font_changes() {
        let line = TextLine {
            x: 62.0,
            baseline: 100.0,
            size: 10.0,
            color: INK,
            fragments: vec![
                Fragment {
                    weight: Weight::Bold,
                    text: "Ofsted ".into(),
                    shift: 0.0,
                },
                Fragment {
                    weight: Weight::Regular,
                    text: "visited ".into(),
                    shift: 2.0,
                },
                Fragment {
                    weight: Weight::Regular,
                    text: "today".into(),
                    shift: 2.0,
                },
            ],
        };
        let ops = page_ops(&Page {
            items: vec![Item::Text(line)],
        });
        assert!(matches!(ops.first(), Some(Op::StartTextSection)));
        assert!(matches!(ops.last(), Some(Op::EndTextSection)));
        let fonts: Vec<&FontId> = ops
            .iter()
            .filter_map(|op| match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => Some(id),
                _ => None,
            })
            .collect();
        assert_eq!(fonts, [&font_id(Weight::Bold), &font_id(Weight::Regular)]);
        let shown: Vec<&Vec<TextItem>> = ops
            .iter()
            .filter_map(|op| match op {
                Op::ShowText { items } => Some(items),
                _ => None,
            })
            .collect();
        assert_eq!(
            shown[1],
            &vec![
                TextItem::Offset(-200.0),
                TextItem::Text("visited ".into()),
                TextItem::Offset(-200.0),
                TextItem::Text("today".into())
            ]
        );
        let Some(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(x, y),
        }) = ops.get(2)
        else {
            panic!("the line is positioned first: {ops:?}")
        };
        assert_eq!((x.0, y.0), (62.0, PAGE_HEIGHT - 100.0));
    }

    #[test]
    fn rectangles_are_measured_from_the_foot_of_the_page_in_pdf() {
        let rect = Item::Rect {
            x: 10.0,
            y: 20.0,
            width: 30.0,
            height: 40.0,
            fill: Some(INK),
            stroke: None,
        };
        let ops = page_ops(&Page { items: vec![rect] });
        let Some(Op::DrawRectangle { rectangle }) = ops.last() else {
            panic!("{ops:?}")
        };
        assert_eq!(rectangle.y.0, PAGE_HEIGHT - 60.0);
        assert_eq!(rectangle.mode, Some(PaintMode::Fill));
    }
}

//! The house style of a letter: page, margins, type sizes and colours.
//!
//! Every measurement the layout uses lives here, in points (1/72 inch), so
//! the look of all letters changes in one place. Nothing here draws.

use super::metrics::Weight;

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

pub const PAGE_WIDTH: f32 = 210.0 * MM;
pub const PAGE_HEIGHT: f32 = 297.0 * MM;

pub const MARGIN_LEFT: f32 = 22.0 * MM;
pub const MARGIN_RIGHT: f32 = 22.0 * MM;
pub const MARGIN_TOP: f32 = 20.0 * MM;
/// The body stops this far above the foot of the page; the footer sits in it.
pub const MARGIN_BOTTOM: f32 = 24.0 * MM;

/// Width of the text column.
pub const MEASURE: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

/// Baseline of the marking at the head of each page, from the top edge.
pub const MARKING_HEAD_BASELINE: f32 = 11.0 * MM;
/// Baseline of the footer (page number, marking), from the top edge.
pub const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 12.0 * MM;

/// Letterhead: the right-hand column holding the address and contact lines.
pub const LETTERHEAD_COLUMN: f32 = 62.0 * MM;
pub const LOGO_MAX_HEIGHT: f32 = 20.0 * MM;
pub const LOGO_MAX_WIDTH: f32 = 45.0 * MM;
/// The recipient's address starts no higher than this below the top edge,
/// where a window envelope shows it.
pub const ADDRESS_TOP: f32 = 50.0 * MM;

/// Lists: where the bullet or number ends and where the item's text starts.
pub const LIST_MARKER_END: f32 = 5.5 * MM;
pub const LIST_INDENT: f32 = 8.0 * MM;

/// Tables: inner padding of a cell.
pub const CELL_PAD_X: f32 = 4.0;
pub const CELL_PAD_Y: f32 = 3.0;
pub const TABLE_RULE: f32 = 0.5;

/// Charts: total height of a chart block, title and legend included.
pub const CHART_HEIGHT: f32 = 60.0 * MM;

/// Vertical room for a handwritten signature.
pub const SIGNATURE_SPACE: f32 = 14.0 * MM;

/// Space above blocks, in points.
pub const SPACE_PARAGRAPH: f32 = 8.0;
pub const SPACE_HEADING: f32 = 13.0;
pub const SPACE_LIST_ITEM: f32 = 3.0;
pub const SPACE_TABLE: f32 = 10.0;
pub const SPACE_CLOSING: f32 = 14.0;

/// An sRGB colour, each channel 0.0 to 1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb {
    pub r: f32,
    pub g: f32,
    pub b: f32,
}

impl Rgb {
    pub const fn hex(rgb: u32) -> Self {
        Self {
            r: ((rgb >> 16) & 0xff) as f32 / 255.0,
            g: ((rgb >> 8) & 0xff) as f32 / 255.0,
            b: (rgb & 0xff) as f32 / 255.0,
        }
    }
}

/// Body text: near-black, as on GOV.UK.
pub const INK: Rgb = Rgb::hex(0x0b0c0c);
/// Footer and chart labels.
pub const MUTED: Rgb = Rgb::hex(0x505a5f);
/// The authority's name and the rule under the letterhead.
pub const ACCENT: Rgb = Rgb::hex(0x003078);
/// Table borders and chart gridlines.
pub const RULE: Rgb = Rgb::hex(0xb1b4b6);
pub const GRID: Rgb = Rgb::hex(0xdedfe0);
/// Shading behind a table's header row.
pub const HEADER_FILL: Rgb = Rgb::hex(0xf3f2f1);
/// Chart series, in order: distinguishable in colour and in greyscale.
pub const SERIES: [Rgb; 5] = [
    Rgb::hex(0x1d70b8),
    Rgb::hex(0xf47738),
    Rgb::hex(0x505a5f),
    Rgb::hex(0x00703c),
    Rgb::hex(0x912b88),
];

/// Size, line spacing, weight and colour of one kind of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub size: f32,
    pub leading: f32,
    pub weight: Weight,
    pub color: Rgb,
}

impl TextStyle {
    const fn new(size: f32, leading: f32, weight: Weight, color: Rgb) -> Self {
        Self {
            size,
            leading,
            weight,
            color,
        }
    }

    pub const fn bold(self) -> Self {
        Self {
            weight: Weight::Bold,
            ..self
        }
    }
}

pub const BODY: TextStyle = TextStyle::new(11.0, 14.5, Weight::Regular, INK);
pub const HEADING: TextStyle = TextStyle::new(12.0, 15.0, Weight::Bold, INK);
pub const AUTHORITY: TextStyle = TextStyle::new(18.0, 21.0, Weight::Bold, ACCENT);
pub const SERVICE: TextStyle = TextStyle::new(11.5, 14.0, Weight::Regular, INK);
pub const LETTERHEAD_SMALL: TextStyle = TextStyle::new(9.0, 11.5, Weight::Regular, INK);
pub const TABLE: TextStyle = TextStyle::new(9.5, 12.0, Weight::Regular, INK);
pub const CHART_TITLE: TextStyle = TextStyle::new(10.0, 12.0, Weight::Bold, INK);
pub const CHART_LABEL: TextStyle = TextStyle::new(8.0, 10.0, Weight::Regular, MUTED);
pub const FOOTER: TextStyle = TextStyle::new(8.5, 10.0, Weight::Regular, MUTED);
pub const MARKING: TextStyle = TextStyle::new(9.5, 11.0, Weight::Bold, INK);

//! How wide text is, read from the embedded fonts' own advance widths.
//!
//! Widths are kept in thousandths of an em, truncated exactly as the PDF's
//! `/W` array is written, so a line the layout measures is the line a PDF
//! viewer draws: justified lines end flush at the margin instead of drifting
//! by rounding. This module measures; it never decides where a line breaks.

use printpdf::ParsedFont;

use super::TypesetError;

/// Liberation Sans 2.1 (SIL Open Font License, assets/fonts/LICENSE-Liberation.txt).
const REGULAR_TTF: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSans-Bold.ttf");

/// Code points below this are looked up in a flat table; the rest in the
/// font's own map. Covers Latin, Greek and Cyrillic, i.e. every name a
/// school or governor is likely to have.
const DENSE_LIMIT: u32 = 0x0530;

/// The two weights a letter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    Regular,
    Bold,
}

/// Anything that can say how wide a run of text is. The line breaker takes
/// this rather than the fonts, so its tests can use round numbers.
pub trait Measure {
    /// Width in points of `text` set in `weight` at `size` points.
    fn width(&self, text: &str, weight: Weight, size: f32) -> f32;
}

/// One glyph as the layout and the PDF both see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Glyph {
    /// Glyph id in the full (not subset) font.
    pub gid: u16,
    /// Advance in thousandths of an em, as written to the PDF's `/W` array.
    pub milli: u32,
}

/// One embedded font face, parsed once.
#[derive(Debug)]
pub(crate) struct Face {
    /// PostScript name, used as the PDF `/BaseFont` after the subset tag.
    pub postscript_name: &'static str,
    pub bytes: &'static [u8],
    /// printpdf's parse of the whole font: cmap, advances, bounding box.
    pub parsed: ParsedFont,
    dense: Vec<Option<Glyph>>,
    notdef: Glyph,
}

impl Face {
    fn load(postscript_name: &'static str, bytes: &'static [u8]) -> Result<Self, TypesetError> {
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or_else(|| TypesetError::Font {
                font: postscript_name,
                reason: warnings
                    .iter()
                    .map(|w| w.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            })?;
        if parsed.units_per_em == 0 {
            return Err(TypesetError::Font {
                font: postscript_name,
                reason: "units per em is zero".into(),
            });
        }
        let mut face = Self {
            postscript_name,
            bytes,
            parsed,
            dense: Vec::new(),
            notdef: Glyph { gid: 0, milli: 0 },
        };
        face.notdef = face.glyph_of(0);
        face.dense = (0..DENSE_LIMIT)
            .map(|cp| {
                face.parsed
                    .lookup_glyph_index(cp)
                    .map(|gid| face.glyph_of(gid))
            })
            .collect();
        Ok(face)
    }

    fn glyph_of(&self, gid: u16) -> Glyph {
        let advance = f32::from(self.parsed.get_glyph_width(gid).unwrap_or(0));
        let upm = f32::from(self.parsed.units_per_em);
        // The same float arithmetic and truncation printpdf uses for `/W`.
        Glyph {
            gid,
            milli: (advance * 1000.0 / upm) as u32,
        }
    }

    /// The glyph for `ch`, or `None` when the font has no drawing of it.
    pub fn glyph(&self, ch: char) -> Option<Glyph> {
        let cp = u32::from(ch);
        if cp < DENSE_LIMIT {
            return self.dense[cp as usize];
        }
        self.parsed
            .lookup_glyph_index(cp)
            .map(|gid| self.glyph_of(gid))
    }

    /// Width of `text` in thousandths of an em; characters the font lacks
    /// count as its "missing glyph" box, which is what would be drawn.
    pub fn milli_width(&self, text: &str) -> u32 {
        text.chars()
            .map(|ch| self.glyph(ch).unwrap_or(self.notdef).milli)
            .sum()
    }

    /// Height of the tallest ascender above the baseline, as a fraction of
    /// the type size.
    pub fn ascent(&self) -> f32 {
        f32::from(self.parsed.font_metrics.ascent) / f32::from(self.parsed.units_per_em)
    }

    /// Depth of the lowest descender below the baseline, as a positive
    /// fraction of the type size.
    pub fn descent(&self) -> f32 {
        -f32::from(self.parsed.font_metrics.descent) / f32::from(self.parsed.units_per_em)
    }
}

/// Both faces of the letter font.
#[derive(Debug)]
pub struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
}

impl Fonts {
    /// Parses the embedded Liberation Sans faces.
    pub fn load() -> Result<Self, TypesetError> {
        Ok(Self {
            regular: Face::load("LiberationSans", REGULAR_TTF)?,
            bold: Face::load("LiberationSans-Bold", BOLD_TTF)?,
        })
    }

    /// Distance from the top of a line box to its baseline, with the
    /// leading shared equally above and below the glyphs.
    pub fn baseline(&self, size: f32, leading: f32) -> f32 {
        let face = &self.regular;
        (leading - (face.ascent() + face.descent()) * size) / 2.0 + face.ascent() * size
    }

    pub(crate) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// `text` made ready to set: line breaks and tabs become spaces, soft
    /// hyphens and other invisible controls are dropped, and a character
    /// the font cannot draw is an error rather than a box on a letter.
    pub fn clean(&self, text: &str, weight: Weight) -> Result<String, TypesetError> {
        let face = self.face(weight);
        let mut out = String::with_capacity(text.len());
        for ch in text.chars() {
            if ch == '\u{a0}' {
                out.push(ch);
            } else if ch.is_whitespace() {
                out.push(' ');
            } else if ch.is_control() || is_invisible(ch) {
                continue;
            } else if face.glyph(ch).is_some() {
                out.push(ch);
            } else {
                return Err(TypesetError::MissingGlyph {
                    character: ch,
                    text: text.to_owned(),
                });
            }
        }
        Ok(out)
    }
}

fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}'
    )
}

impl Measure for Fonts {
    fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        self.face(weight).milli_width(text) as f32 * size / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().expect("the embedded fonts parse")
    }

    #[test]
    fn widths_are_the_fonts_own_advances() {
        let fonts = fonts();
        // Liberation Sans has Arial's metrics: space 278, "a" 556, bold "a" 556,
        // "W" 943 (regular) and 943 (bold), "i" 222 (regular) and 278 (bold).
        assert_eq!(fonts.regular.milli_width(" "), 277);
        assert_eq!(fonts.regular.milli_width("a"), 556);
        assert_eq!(fonts.regular.milli_width("i"), 222);
        assert_eq!(fonts.bold.milli_width("i"), 277);
        let w = fonts.width("aaaa", Weight::Regular, 10.0);
        assert!((w - 22.24).abs() < 1e-4, "{w}");
    }

    #[test]
    fn bold_is_wider_than_regular_for_the_same_words() {
        let fonts = fonts();
        let text = "School Improvement Service";
        assert!(fonts.width(text, Weight::Bold, 11.0) > fonts.width(text, Weight::Regular, 11.0));
    }

    #[test]
    fn width_scales_with_size() {
        let fonts = fonts();
        let small = fonts.width("Governors", Weight::Regular, 10.0);
        let large = fonts.width("Governors", Weight::Regular, 20.0);
        assert!((large - 2.0 * small).abs() < 1e-3);
    }

    #[test]
    fn names_with_accents_and_welsh_letters_are_covered() {
        let fonts = fonts();
        let text = "Ysgol Gymraeg Bro Ŵyddfa, Zoë Brontë, Łukasz, Ærøskøbing – “quoted” £120 €5";
        assert_eq!(fonts.clean(text, Weight::Regular).expect("covered"), text);
        assert_eq!(fonts.clean(text, Weight::Bold).expect("covered"), text);
    }

    #[test]
    fn clean_turns_breaks_into_spaces_and_drops_soft_hyphens() {
        let fonts = fonts();
        let cleaned = fonts
            .clean("Dear\tMrs\nAhmed,\u{ad} thank\u{a0}you", Weight::Regular)
            .expect("covered");
        assert_eq!(cleaned, "Dear Mrs Ahmed, thank\u{a0}you");
    }

    #[test]
    fn a_character_the_font_cannot_draw_is_an_error_naming_it() {
        let fonts = fonts();
        let err = fonts
            .clean("Meeting 🙂", Weight::Regular)
            .expect_err("no emoji in the font");
        let message = err.to_string();
        assert!(message.contains("🙂"), "{message}");
        assert!(message.contains("Meeting"), "{message}");
    }
}

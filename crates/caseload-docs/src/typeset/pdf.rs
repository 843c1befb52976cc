//! The PDF file itself: fonts cut down to the glyphs letters use (a common
//! subset prepared once, or the letter's own glyphs when it needs others),
//! the logo, the document information, and a file identifier derived from
//! the content.
//!
//! Issued letters are stored with their SHA-256, so the same letter must
//! always give the same bytes: every name, date and identifier written here
//! comes from the document, never from a clock or a random number.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use chrono::NaiveDate;
use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Object, StringFormat};
use printpdf::{
    FontType, Mm, ParsedFont, PdfDocument, PdfFont, PdfPage, PdfParseErrorSeverity, PdfSaveOptions,
    RawImage, RawImageData, RawImageFormat, XObject, XObjectId,
};
use sha2::{Digest, Sha256};

use super::layout::{Item, Page};
use super::metrics::{Face, Fonts, Weight};
use super::paint;
use super::TypesetError;

/// What the PDF's document information says.
#[derive(Debug, Clone, Copy)]
pub struct Info<'a> {
    pub title: &'a str,
    pub author: &'a str,
    /// The letter's printed date, e.g. "23 November 2026".
    pub date: &'a str,
}

/// zlib level for streams. Level 1 writes a two-page letter in about a
/// third of the time of level 6, for a file about a tenth larger (36 KB
/// against 32 KB): batch printing is the heavier use.
const COMPRESSION_LEVEL: u32 = 1;

/// Stands in for the file identifier until the file's hash is known.
const ID_PLACEHOLDER: [u8; 16] = [0; 16];

/// A logo decoded and deflated once, for every letter that carries it: a
/// logo's pixels are the largest stream of a letter, and compressing them
/// anew took a third of each letter's time.
#[derive(Debug)]
pub struct Logo {
    pub png: Vec<u8>,
    pub image: RawImage,
    deflated: Vec<u8>,
}

impl Logo {
    pub fn prepare(png_bytes: &[u8]) -> Result<Logo, TypesetError> {
        let image = decode_logo(png_bytes)?;
        let mut compressor = Compress::new(Compression::new(COMPRESSION_LEVEL), true);
        let deflated = deflate(&mut compressor, image_bytes(&image))?;
        Ok(Logo {
            png: png_bytes.to_vec(),
            image,
            deflated,
        })
    }

    pub fn size(&self) -> (u32, u32) {
        (self.image.width as u32, self.image.height as u32)
    }
}

/// Each weight cut down once to the characters nearly every letter is
/// written in (ASCII, Latin-1 and typographic punctuation), and deflated:
/// a letter that stays within them reuses both, and only a letter with
/// other characters has its own subset made.
#[derive(Debug)]
pub struct CommonSubsets {
    regular: PreparedFont,
    bold: PreparedFont,
}

#[derive(Debug)]
struct PreparedFont {
    chars: BTreeSet<char>,
    font: ParsedFont,
    deflated: Vec<u8>,
}

/// The characters of the common subsets.
fn common_chars() -> impl Iterator<Item = char> {
    let ascii = ' '..='~';
    let latin1 = '\u{a0}'..='\u{ff}';
    let punctuation = ['‘', '’', '“', '”', '–', '—', '•', '…', '€'];
    ascii.chain(latin1).chain(punctuation)
}

impl CommonSubsets {
    pub fn prepare(fonts: &Fonts) -> Result<CommonSubsets, TypesetError> {
        let prepare = |weight| -> Result<PreparedFont, TypesetError> {
            let face = fonts.face(weight);
            let chars: BTreeSet<char> = common_chars()
                .filter(|c| face.glyph(*c).is_some())
                .collect();
            let font = subset_face(face, &chars)?;
            let mut compressor = Compress::new(Compression::new(COMPRESSION_LEVEL), true);
            let deflated = deflate(&mut compressor, &font.original_bytes)?;
            Ok(PreparedFont {
                chars,
                font,
                deflated,
            })
        };
        Ok(CommonSubsets {
            regular: prepare(Weight::Regular)?,
            bold: prepare(Weight::Bold)?,
        })
    }

    fn covering(&self, weight: Weight, chars: &BTreeSet<char>) -> Option<&PreparedFont> {
        let prepared = match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        chars.is_subset(&prepared.chars).then_some(prepared)
    }
}

fn image_bytes(image: &RawImage) -> &[u8] {
    match &image.pixels {
        RawImageData::U8(pixels) => pixels,
        _ => &[],
    }
}

/// The logo as pixels. Any PNG: palette and 16-bit images are expanded to
/// 8-bit grey or RGB, with or without alpha.
fn decode_logo(png_bytes: &[u8]) -> Result<RawImage, TypesetError> {
    let logo = |e: png::DecodingError| TypesetError::Logo(e.to_string());
    let mut decoder = png::Decoder::new(Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(logo)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| TypesetError::Logo("the image is too large".into()))?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(logo)?;
    pixels.truncate(frame.buffer_size());
    let format = match frame.color_type {
        png::ColorType::Grayscale => RawImageFormat::R8,
        png::ColorType::GrayscaleAlpha => RawImageFormat::RG8,
        png::ColorType::Rgb => RawImageFormat::RGB8,
        png::ColorType::Rgba => RawImageFormat::RGBA8,
        png::ColorType::Indexed => {
            return Err(TypesetError::Logo("the palette was not expanded".into()))
        }
    };
    Ok(RawImage {
        pixels: RawImageData::U8(pixels),
        width: frame.width as usize,
        height: frame.height as usize,
        data_format: format,
        tag: Vec::new(),
    })
}

/// The PDF bytes of `pages`.
pub fn write(
    pages: &[Page],
    fonts: &Fonts,
    common: &CommonSubsets,
    logo: Option<&Logo>,
    info: Info<'_>,
) -> Result<Vec<u8>, TypesetError> {
    let mut pdf = PdfDocument::new(info.title);
    // Streams whose deflated form is already known: the logo's pixels and
    // the common font subsets.
    let mut known: Vec<(&[u8], &[u8])> = Vec::new();
    for (weight, chars) in used_chars(pages) {
        let font = match common.covering(weight, &chars) {
            Some(prepared) => {
                known.push((&prepared.font.original_bytes, &prepared.deflated));
                prepared.font.clone()
            }
            None => subset_face(fonts.face(weight), &chars)?,
        };
        pdf.resources
            .fonts
            .map
            .insert(paint::font_id(weight), PdfFont::new(font));
    }
    if let Some(logo) = logo {
        known.push((image_bytes(&logo.image), &logo.deflated));
        pdf.resources.xobjects.map.insert(
            XObjectId(paint::LOGO.to_owned()),
            XObject::Image(logo.image.clone()),
        );
    }
    pdf.pages = pages
        .iter()
        .map(|page| PdfPage::new(Mm(210.0), Mm(297.0), paint::page_ops(page)))
        .collect();

    let options = PdfSaveOptions {
        optimize: true,
        // Already subset above, once per weight, to exactly the glyphs used.
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&options, &mut warnings);
    let errors: Vec<String> = warnings
        .into_iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg)
        .collect();
    if !errors.is_empty() {
        return Err(TypesetError::Pdf(errors.join("; ")));
    }

    let info_id = lo
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(|e| TypesetError::Pdf(format!("no document information: {e}")))?;
    lo.objects
        .insert(info_id, Object::Dictionary(information(info)));
    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    compress(&mut lo, &known)?;

    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| TypesetError::Pdf(e.to_string()))?;
    stamp_identifier(&mut bytes)?;
    Ok(bytes)
}

/// Deflates every stream not yet compressed. lopdf's own `compress` uses
/// the slowest level, which took half of a letter's time.
fn compress(lo: &mut lopdf::Document, known: &[(&[u8], &[u8])]) -> Result<(), TypesetError> {
    // One compressor for all streams: a new one allocates and clears its
    // tables each time, which cost more than compressing the small ones.
    let mut compressor = Compress::new(Compression::new(COMPRESSION_LEVEL), true);
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let compressed = match known
            .iter()
            .find(|(raw, _)| *raw == stream.content.as_slice())
        {
            Some((_, deflated)) => deflated.to_vec(),
            None => deflate(&mut compressor, &stream.content)?,
        };
        if compressed.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
    Ok(())
}

/// `data` as a zlib stream.
fn deflate(compressor: &mut Compress, data: &[u8]) -> Result<Vec<u8>, TypesetError> {
    compressor.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = usize::try_from(compressor.total_in())
            .unwrap_or(data.len())
            .min(data.len());
        match compressor.compress_vec(&data[read..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => return Ok(out),
            Ok(_) => out.reserve(out.capacity().max(64)),
            Err(e) => return Err(TypesetError::Pdf(format!("compressing a stream: {e}"))),
        }
    }
}

/// Title, author, producer and, when the printed date can be read, the
/// creation date: the letter's date, not the moment it was printed.
fn information(info: Info<'_>) -> lopdf::Dictionary {
    let mut dict = lopdf::Dictionary::new();
    dict.set("Title", text_string(info.title));
    if !info.author.trim().is_empty() {
        dict.set("Author", text_string(info.author));
    }
    dict.set("Creator", text_string("Caseload"));
    dict.set(
        "Producer",
        text_string("Caseload typesetter (printpdf 0.12)"),
    );
    if let Ok(date) = NaiveDate::parse_from_str(info.date.trim(), "%d %B %Y") {
        let stamp = format!("D:{}000000Z", date.format("%Y%m%d"));
        dict.set("CreationDate", Object::string_literal(stamp.clone()));
        dict.set("ModDate", Object::string_literal(stamp));
    }
    dict
}

/// A PDF text string: plain when ASCII, UTF-16BE with a byte order mark
/// otherwise, so "Ysgol Gymraeg Bro Ŵyddfa" shows as written.
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        return Object::string_literal(text);
    }
    let mut bytes = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Replaces the placeholder file identifier (in the trailer, after every
/// object) with the first 16 bytes of the SHA-256 of the file as written.
/// Same length, so the cross-reference offsets stay right.
fn stamp_identifier(bytes: &mut [u8]) -> Result<(), TypesetError> {
    let placeholder = format!("<{}>", "00".repeat(ID_PLACEHOLDER.len()));
    let at = bytes
        .windows(placeholder.len())
        .rposition(|w| w == placeholder.as_bytes())
        .ok_or_else(|| TypesetError::Pdf("the file identifier was not written".into()))?;
    let digest = Sha256::digest(&*bytes);
    let hex: String = digest[..ID_PLACEHOLDER.len()]
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    let stamped = format!("<{hex}>");
    // Both entries of the /ID array: the placeholder written twice in a row.
    let first = bytes[..at]
        .windows(placeholder.len())
        .rposition(|w| w == placeholder.as_bytes())
        .ok_or_else(|| TypesetError::Pdf("the file identifier was not written".into()))?;
    bytes[first..first + stamped.len()].copy_from_slice(stamped.as_bytes());
    bytes[at..at + stamped.len()].copy_from_slice(stamped.as_bytes());
    Ok(())
}

/// Every character drawn, by weight.
fn used_chars(pages: &[Page]) -> BTreeMap<Weight, BTreeSet<char>> {
    let mut used: BTreeMap<Weight, BTreeSet<char>> = BTreeMap::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        if let Item::Text(line) = item {
            for fragment in &line.fragments {
                used.entry(fragment.weight)
                    .or_default()
                    .extend(fragment.text.chars());
            }
        }
    }
    used
}

/// `face` cut down to the glyphs for `chars`, renumbered in order, with the
/// maps printpdf needs to encode text and write widths and `/ToUnicode`.
fn subset_face(face: &Face, chars: &BTreeSet<char>) -> Result<ParsedFont, TypesetError> {
    let error = |reason: String| TypesetError::Font {
        font: face.postscript_name,
        reason,
    };
    let used: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| face.glyph(*c))
        .map(|g| g.gid)
        .filter(|gid| *gid != 0)
        .collect();
    // Glyph 0 (.notdef) must come first; the subset numbers glyphs by their
    // position in this list.
    let ids: Vec<u16> = std::iter::once(0).chain(used).collect();
    let renumbered: BTreeMap<u16, u16> = ids
        .iter()
        .enumerate()
        .map(|(new, old)| (*old, new as u16))
        .collect();

    let font = ReadScope::new(face.bytes)
        .read::<FontData<'_>>()
        .map_err(|e| error(e.to_string()))?;
    let provider = font.table_provider(0).map_err(|e| error(e.to_string()))?;
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| error(e.to_string()))?;

    let codepoint_to_glyph = chars
        .iter()
        .filter_map(|c| {
            let gid = face.glyph(*c)?.gid;
            Some((u32::from(*c), *renumbered.get(&gid)?))
        })
        .collect();
    let glyph_widths = ids
        .iter()
        .enumerate()
        .filter_map(|(new, old)| Some((new as u16, face.parsed.get_glyph_width(*old)?)))
        .collect();
    Ok(ParsedFont {
        original_bytes: bytes,
        font_index: 0,
        font_name: Some(format!("{}+{}", subset_tag(&ids), face.postscript_name)),
        codepoint_to_glyph,
        glyph_widths,
        units_per_em: face.parsed.units_per_em,
        font_metrics: face.parsed.font_metrics.clone(),
        font_type: FontType::TrueType,
        pdf_font_metrics: face.parsed.pdf_font_metrics.clone(),
    })
}

/// The six capital letters that mark a subset font's name (ISO 32000-1,
/// 9.6.4), from the glyphs it holds: the same glyphs, the same tag.
fn subset_tag(ids: &[u16]) -> String {
    let mut hasher = Sha256::new();
    for id in ids {
        hasher.update(id.to_be_bytes());
    }
    hasher.finalize()[..6]
        .iter()
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_titles_are_written_as_utf16_with_a_byte_order_mark() {
        let Object::String(bytes, StringFormat::Hexadecimal) = text_string("Ŵ") else {
            panic!("a hex string")
        };
        assert_eq!(bytes, [0xfe, 0xff, 0x01, 0x74]);
        assert_eq!(
            text_string("Note of visit"),
            Object::string_literal("Note of visit")
        );
    }

    #[test]
    fn the_creation_date_is_the_letters_date() {
        let dict = information(Info {
            title: "T",
            author: "A",
            date: "3 November 2026",
        });
        let date = dict
            .get(b"CreationDate")
            .and_then(Object::as_str)
            .expect("a date");
        assert_eq!(date, b"D:20261103000000Z");
        let undated = information(Info {
            title: "T",
            author: "A",
            date: "next week",
        });
        assert!(undated.get(b"CreationDate").is_err());
    }

    #[test]
    fn streams_deflate_to_zlib_that_inflates_back() {
        let mut compressor = Compress::new(Compression::new(COMPRESSION_LEVEL), true);
        let big: Vec<u8> = (0..200_000u32)
            .map(|i| (i % 251) as u8 ^ (i / 7) as u8)
            .collect();
        for data in [
            &b"BT /F1 11 Tf (Dear Mrs Ahmed) Tj ET"[..],
            &big[..],
            &[][..],
        ] {
            let packed = deflate(&mut compressor, data).expect("deflates");
            let mut unpacked = Vec::new();
            std::io::Read::read_to_end(
                &mut flate2::read::ZlibDecoder::new(&packed[..]),
                &mut unpacked,
            )
            .expect("inflates");
            assert_eq!(unpacked, data);
        }
    }

    #[test]
    fn the_subset_tag_depends_only_on_the_glyphs() {
        assert_eq!(subset_tag(&[0, 3, 4]), subset_tag(&[0, 3, 4]));
        assert_ne!(subset_tag(&[0, 3, 4]), subset_tag(&[0, 3, 5]));
        assert!(subset_tag(&[0]).chars().all(|c| c.is_ascii_uppercase()));
    }

    #[test]
    fn a_logo_png_decodes_to_pixels() {
        let mut png_bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png_bytes, 3, 2);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().expect("header");
            writer.write_image_data(&[200; 3 * 2 * 4]).expect("pixels");
        }
        let image = decode_logo(&png_bytes).expect("decodes");
        assert_eq!(
            (image.width, image.height, image.data_format),
            (3, 2, RawImageFormat::RGBA8)
        );
        assert!(matches!(
            decode_logo(b"not a png"),
            Err(TypesetError::Logo(_))
        ));
    }
}

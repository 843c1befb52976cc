//! The DfE's "Get Information about Schools" establishment file
//! (`edubasealldata*.csv`): about 140 columns and 50,000 establishments, in
//! Windows-1252 as published, or UTF-8 once someone has re-saved it.
//!
//! Columns are found by their header name, never by position, because the DfE
//! adds and reorders columns between releases. A file that is wrong where the
//! app depends on it (URN, LA, name, type, status, phase) is refused whole, so
//! a half-import never reaches an adviser's store; a value the app only shows
//! (pupils, FSM, dates) that cannot be read becomes a warning and is left out.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use csv::ByteRecord;

pub use crate::file_error::FileError;
use crate::people::PersonName;
use crate::school::{EstablishmentType, LaCode, Phase, School, SchoolStatus, Urn};

/// The establishments read from one GIAS file.
#[derive(Debug, Clone, PartialEq)]
pub struct GiasFile {
    /// The establishments kept, in file order (closed ones included).
    pub schools: Vec<School>,
    /// Values that could not be read and were left out.
    pub warnings: Vec<GiasWarning>,
    /// Establishment records in the file, the header not counted.
    pub rows_read: usize,
    /// Records skipped because they belong to another local authority.
    pub other_la: usize,
}

/// A value left out of the import, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiasWarning {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl fmt::Display for GiasWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, field {}: {}",
            self.line, self.field, self.message
        )
    }
}

/// Why a GIAS file was refused. The caller adds the file name.
pub type GiasError = FileError;

fn no_establishments() -> GiasError {
    FileError {
        line: None,
        field: None,
        problem: "no establishments: the file has no records below its header".to_owned(),
    }
}

/// The GIAS header names the app reads.
mod column {
    pub const URN: &str = "URN";
    pub const LA: &str = "LA (code)";
    pub const NAME: &str = "EstablishmentName";
    pub const TYPE: &str = "TypeOfEstablishment (name)";
    pub const STATUS: &str = "EstablishmentStatus (name)";
    pub const PHASE: &str = "PhaseOfEducation (name)";
    pub const TRUST: &str = "Trusts (name)";
    pub const STREET: &str = "Street";
    pub const LOCALITY: &str = "Locality";
    pub const TOWN: &str = "Town";
    pub const POSTCODE: &str = "Postcode";
    pub const HEAD_TITLE: &str = "HeadTitle (name)";
    pub const HEAD_FIRST_NAME: &str = "HeadFirstName";
    pub const HEAD_LAST_NAME: &str = "HeadLastName";
    pub const WARD: &str = "AdministrativeWard (name)";
    pub const TELEPHONE: &str = "TelephoneNum";
    pub const WEBSITE: &str = "SchoolWebsite";
    pub const PUPILS: &str = "NumberOfPupils";
    pub const FSM: &str = "PercentageFSM";
    pub const OPEN_DATE: &str = "OpenDate";
    pub const CLOSE_DATE: &str = "CloseDate";
}

/// Reads a GIAS establishment file.
///
/// With `la`, only that authority's establishments are kept and validated;
/// the others are counted in [`GiasFile::other_la`], so the national file
/// imports even when another authority's rows are odd.
pub fn parse(bytes: &[u8], la: Option<LaCode>) -> Result<GiasFile, GiasError> {
    let mut schools = Vec::new();
    let summary = parse_each(bytes, la, |school| schools.push(school))?;
    Ok(GiasFile {
        schools,
        warnings: summary.warnings,
        rows_read: summary.rows_read,
        other_la: summary.other_la,
    })
}

/// What [`parse_each`] saw besides the establishments it handed on.
#[derive(Debug, Clone, PartialEq)]
pub struct GiasSummary {
    pub warnings: Vec<GiasWarning>,
    pub rows_read: usize,
    pub other_la: usize,
}

/// Reads a GIAS file as [`parse`] does, handing each establishment kept to
/// `keep` as soon as it is read, so a caller can store them while the rest
/// of the file is still being read. An error may come after some
/// establishments were handed on: the caller must then discard them.
pub fn parse_each(
    bytes: &[u8],
    la: Option<LaCode>,
    keep: impl FnMut(School),
) -> Result<GiasSummary, GiasError> {
    refuse_binary(bytes)?;
    let text = decode(bytes);
    let mut records = Records::new(&text);
    let Some(header_line) = records.next(None)? else {
        return Err(no_establishments());
    };
    let header = records.record.clone();
    let columns = Columns::find(&header, header_line)?;
    let mut import = Import::new(columns, la, keep);
    while let Some(line) = records.next(Some(&header))? {
        let record = &records.record;
        if record.len() != header.len() {
            return Err(FileError::on_line(
                line,
                format!(
                    "{} fields where the header has {}: a comma missing, \
                     or one inside a value that is not quoted",
                    record.len(),
                    header.len()
                ),
            ));
        }
        import.row(&Row { record, line })?;
    }
    import.finish()
}

/// Control characters other than tab, CR and LF never appear in a text CSV;
/// they mean a spreadsheet, a zip or a UTF-16 file was picked by mistake.
/// Checked on the raw bytes, before any CSV parsing: the bytes looked for are
/// ASCII, which no UTF-8 sequence contains, so the encoding does not matter.
pub(crate) fn refuse_binary(bytes: &[u8]) -> Result<(), GiasError> {
    // Whole blocks are tested without branching, which the compiler turns
    // into wide instructions: a clean national file costs a few milliseconds.
    const BLOCK: usize = 4096;
    let first = bytes
        .chunks(BLOCK)
        .enumerate()
        .find(|(_, block)| {
            block
                .iter()
                .fold(false, |found, &byte| found | is_binary(byte))
        })
        .and_then(|(index, block)| {
            let offset = block.iter().position(|&byte| is_binary(byte))?;
            Some(index * BLOCK + offset)
        });
    match first {
        None => Ok(()),
        Some(offset) => {
            let line = 1 + bytes[..offset]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count();
            Err(FileError::on_line(line, "binary data, not a CSV text file"))
        }
    }
}

fn is_binary(byte: u8) -> bool {
    (byte < 0x20 && !matches!(byte, b'\t' | b'\r' | b'\n')) || byte == 0x7f
}

/// The file's records, one at a time, in one reused buffer.
pub(crate) struct Records<'t> {
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    pub(crate) record: ByteRecord,
}

impl<'t> Records<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            // Field counts are checked by `parse`, to say what they mean.
            .flexible(true)
            .from_reader(text.as_bytes());
        Records {
            text,
            reader,
            record: ByteRecord::new(),
        }
    }

    /// Reads the next record into `self.record` and gives the line it starts
    /// on; None at the end of the file.
    pub(crate) fn next(&mut self, header: Option<&ByteRecord>) -> Result<Option<usize>, GiasError> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|error| FileError {
                // Unreachable on a byte slice with no length check, but mapped
                // rather than trusted away.
                line: error
                    .position()
                    .and_then(|pos| usize::try_from(pos.line()).ok()),
                field: None,
                problem: format!("not a readable CSV file: {error}"),
            })?;
        if !more {
            return Ok(None);
        }
        let (start, line) = self.start();
        // The csv crate reads a quote left open as a field running to the end
        // of the file, silently; only a record that reaches the end can be
        // one, so only that record is checked.
        if self.reader.position().byte() >= self.text.len() as u64 {
            if let Some(open) = unclosed_quote(&self.text.as_bytes()[start..], line) {
                return Err(open.error(header));
            }
        }
        Ok(Some(line))
    }

    /// Byte offset and 1-based physical line where the record begins.
    fn start(&self) -> (usize, usize) {
        let Some(position) = self.record.position() else {
            return (0, 1);
        };
        let start = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let line = usize::try_from(position.line()).unwrap_or(usize::MAX);
        // The csv crate places a record where reading it began: just after
        // the previous record, before that record's line ending and any blank
        // lines. Step over those to reach the line the record is really on.
        let blank = &self.text.as_bytes()[start..];
        let skipped = blank
            .iter()
            .take_while(|byte| matches!(byte, b'\r' | b'\n'))
            .count();
        let newlines = blank[..skipped]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        (start + skipped, line.saturating_add(newlines))
    }
}

/// Where a quoted field ran to the end of the file without closing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UnclosedQuote {
    line: usize,
    /// Index of the field within its record, to name the column.
    field: usize,
}

impl UnclosedQuote {
    fn error(self, header: Option<&ByteRecord>) -> GiasError {
        // In the header itself the field has no name to give.
        let field = header
            .and_then(|header| header.get(self.field))
            .map(|name| String::from_utf8_lossy(name).trim().to_owned());
        FileError {
            line: Some(self.line),
            field,
            problem: format!(
                "unbalanced quote: the field opened on line {} is never closed",
                self.line
            ),
        }
    }
}

/// Quote state, following the csv crate's own reading of quotes: a quote
/// opens a quoted field only as the field's first byte; elsewhere it is an
/// ordinary character.
#[derive(Clone, Copy)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either the first of `""` or the close.
    QuoteInQuoted,
}

/// Reads one record's bytes, from its start (on `line`) to the end of the
/// file, and tells whether a quoted field is still open at the end.
fn unclosed_quote(record: &[u8], line: usize) -> Option<UnclosedQuote> {
    let mut line = line;
    let mut field = 0;
    let mut state = Quoting::FieldStart;
    let mut opened = UnclosedQuote { line, field };
    for &byte in record {
        state = match (state, byte) {
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::FieldStart, b'"') => {
                opened = UnclosedQuote { line, field };
                Quoting::Quoted
            }
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (_, b',') => {
                field += 1;
                Quoting::FieldStart
            }
            (_, b'\r' | b'\n') => {
                field = 0;
                Quoting::FieldStart
            }
            _ => Quoting::Unquoted,
        };
        if byte == b'\n' {
            line += 1;
        }
    }
    matches!(state, Quoting::Quoted).then_some(opened)
}

/// Decodes the file once: a UTF-8 byte order mark means UTF-8; otherwise
/// text that is valid UTF-8 is taken as UTF-8; anything else is read as
/// Windows-1252, the encoding the DfE publishes in.
pub(crate) fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return encoding_rs::UTF_8.decode_with_bom_removal(bytes).0;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

/// Where each column the app reads sits in this file.
#[derive(Debug, Clone, Copy)]
struct Columns {
    urn: usize,
    la: usize,
    name: usize,
    establishment_type: usize,
    status: usize,
    phase: usize,
    trust: Option<usize>,
    street: Option<usize>,
    locality: Option<usize>,
    town: Option<usize>,
    postcode: Option<usize>,
    head_title: Option<usize>,
    head_first_name: Option<usize>,
    head_last_name: Option<usize>,
    ward: Option<usize>,
    telephone: Option<usize>,
    website: Option<usize>,
    pupils: Option<usize>,
    fsm: Option<usize>,
    open_date: Option<usize>,
    close_date: Option<usize>,
}

impl Columns {
    fn find(header: &ByteRecord, line: usize) -> Result<Columns, GiasError> {
        let optional = |name: &str| {
            header.iter().position(|cell| {
                String::from_utf8_lossy(cell)
                    .trim()
                    .eq_ignore_ascii_case(name)
            })
        };
        let required = |name: &str| {
            optional(name).ok_or_else(|| {
                FileError::at(
                    line,
                    name,
                    format!(
                        "the required column {name:?} is missing from the header; \
                         is this a GIAS establishment file?"
                    ),
                )
            })
        };
        Ok(Columns {
            urn: required(column::URN)?,
            la: required(column::LA)?,
            name: required(column::NAME)?,
            establishment_type: required(column::TYPE)?,
            status: required(column::STATUS)?,
            phase: required(column::PHASE)?,
            trust: optional(column::TRUST),
            street: optional(column::STREET),
            locality: optional(column::LOCALITY),
            town: optional(column::TOWN),
            postcode: optional(column::POSTCODE),
            head_title: optional(column::HEAD_TITLE),
            head_first_name: optional(column::HEAD_FIRST_NAME),
            head_last_name: optional(column::HEAD_LAST_NAME),
            ward: optional(column::WARD),
            telephone: optional(column::TELEPHONE),
            website: optional(column::WEBSITE),
            pupils: optional(column::PUPILS),
            fsm: optional(column::FSM),
            open_date: optional(column::OPEN_DATE),
            close_date: optional(column::CLOSE_DATE),
        })
    }
}

/// One establishment record and the line it starts on.
struct Row<'r> {
    record: &'r ByteRecord,
    line: usize,
}

impl Row<'_> {
    /// The trimmed cell; empty when the column is absent.
    fn cell(&self, column: Option<usize>) -> &str {
        column
            .and_then(|index| self.record.get(index))
            // Always UTF-8: the text was decoded whole and fields split on ASCII.
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .map_or("", str::trim)
    }

    /// The cell as text; None when empty. A value spanning lines keeps its
    /// breaks as plain newlines, which is what letters and the UI expect.
    fn text(&self, column: Option<usize>) -> Option<String> {
        let cell = self.cell(column);
        if cell.is_empty() {
            None
        } else if cell.contains('\r') {
            Some(cell.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Some(cell.to_owned())
        }
    }

    /// A required cell, read by `read`; a refusal names this line and column.
    fn required<T>(
        &self,
        column: usize,
        name: &str,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, GiasError> {
        read(self.cell(Some(column))).map_err(|problem| FileError::at(self.line, name, problem))
    }

    fn headteacher(&self, columns: &Columns) -> Option<PersonName> {
        let name = PersonName {
            // GIAS writes "Not applicable" where a school has no head's title.
            title: self
                .text(columns.head_title)
                .filter(|title| !title.eq_ignore_ascii_case("not applicable")),
            first_name: self.cell(columns.head_first_name).to_owned(),
            last_name: self.cell(columns.head_last_name).to_owned(),
        };
        (!name.is_blank()).then_some(name)
    }
}

/// The import under way: where establishments go, and what was seen.
struct Import<Keep> {
    columns: Columns,
    la: Option<LaCode>,
    keep: Keep,
    summary: GiasSummary,
    /// First line of each URN, to name both lines of a duplicate.
    urn_lines: HashMap<Urn, usize>,
}

impl<Keep: FnMut(School)> Import<Keep> {
    fn new(columns: Columns, la: Option<LaCode>, keep: Keep) -> Self {
        Import {
            columns,
            la,
            keep,
            summary: GiasSummary {
                warnings: Vec::new(),
                rows_read: 0,
                other_la: 0,
            },
            urn_lines: HashMap::new(),
        }
    }

    fn row(&mut self, row: &Row<'_>) -> Result<(), GiasError> {
        self.summary.rows_read += 1;
        if !self.is_ours(row) {
            self.summary.other_la += 1;
            return Ok(());
        }
        let school = self.school(row)?;
        if let Some(first) = self.urn_lines.insert(school.urn, row.line) {
            return Err(FileError::at(
                row.line,
                column::URN,
                format!("URN {} appears twice: first on line {first}", school.urn),
            ));
        }
        (self.keep)(school);
        Ok(())
    }

    /// Whether the row belongs to the authority being imported. Another
    /// authority's rows are not validated, so an odd LA cell there is simply
    /// not ours.
    fn is_ours(&self, row: &Row<'_>) -> bool {
        self.la.is_none_or(|la| {
            row.cell(Some(self.columns.la))
                .parse::<u16>()
                .is_ok_and(|code| code == la.0)
        })
    }

    fn school(&mut self, row: &Row<'_>) -> Result<School, GiasError> {
        let columns = self.columns;
        Ok(School {
            urn: row.required(columns.urn, column::URN, str::parse)?,
            la_code: row.required(columns.la, column::LA, str::parse)?,
            name: row.required(columns.name, column::NAME, |name| {
                non_empty(name, "the establishment has no name")
            })?,
            phase: row.required(columns.phase, column::PHASE, |phase| {
                Phase::from_gias(phase)
                    .ok_or_else(|| format!("{phase:?} is not a GIAS phase of education"))
            })?,
            establishment_type: row
                .required(columns.establishment_type, column::TYPE, |kind| {
                    non_empty(kind, "the establishment has no type")
                })
                .map(EstablishmentType::new)?,
            status: row.required(columns.status, column::STATUS, |status| {
                SchoolStatus::from_gias(status)
                    .ok_or_else(|| format!("{status:?} is not a GIAS establishment status"))
            })?,
            trust: row.text(columns.trust),
            street: row.text(columns.street),
            locality: row.text(columns.locality),
            town: row.text(columns.town),
            postcode: row.text(columns.postcode),
            ward: row.text(columns.ward),
            headteacher: row.headteacher(&columns),
            telephone: row.text(columns.telephone),
            website: row.text(columns.website),
            pupils: self.optional(row, columns.pupils, column::PUPILS, pupils),
            percentage_fsm: self.optional(row, columns.fsm, column::FSM, percentage_fsm),
            open_date: self.optional(row, columns.open_date, column::OPEN_DATE, date),
            close_date: self.optional(row, columns.close_date, column::CLOSE_DATE, date),
            link_sia: None,
        })
    }

    /// A cell the app can do without: empty is None, and one that cannot be
    /// read is None with a warning rather than a refused file.
    fn optional<T>(
        &mut self,
        row: &Row<'_>,
        column: Option<usize>,
        name: &str,
        read: impl FnOnce(&str) -> Result<Option<T>, String>,
    ) -> Option<T> {
        let cell = row.cell(column);
        if cell.is_empty() {
            return None;
        }
        read(cell).unwrap_or_else(|message| {
            self.summary.warnings.push(GiasWarning {
                line: row.line,
                field: name.to_owned(),
                message,
            });
            None
        })
    }

    fn finish(self) -> Result<GiasSummary, GiasError> {
        if self.summary.rows_read == 0 {
            return Err(no_establishments());
        }
        Ok(self.summary)
    }
}

fn non_empty(text: &str, problem: &str) -> Result<String, String> {
    if text.is_empty() {
        Err(problem.to_owned())
    } else {
        Ok(text.to_owned())
    }
}

fn pupils(text: &str) -> Result<Option<u32>, String> {
    text.parse()
        .map(Some)
        .map_err(|_| format!("{text:?} is not a number of pupils"))
}

/// GIAS writes "SUPP" where the figure is suppressed to protect pupils.
fn percentage_fsm(text: &str) -> Result<Option<f64>, String> {
    if text.eq_ignore_ascii_case("supp") {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(Some(value)),
        _ => Err(format!("{text:?} is not a percentage (0 to 100)")),
    }
}

/// GIAS dates are dd-mm-yyyy; dd/mm/yyyy is what a spreadsheet writes back
/// when someone opens and re-saves the file, so it is read too. Read by hand
/// rather than with a format string, which costs more than the rest of the row.
fn date(text: &str) -> Result<Option<NaiveDate>, String> {
    let invalid = || format!("{text:?} is not a date (dd-mm-yyyy)");
    let mut parts = text.split(['-', '/']);
    let mut number = |digits: std::ops::RangeInclusive<usize>| {
        parts
            .next()
            .filter(|part| digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|part| part.parse::<u32>().ok())
    };
    let (Some(day), Some(month), Some(year)) = (number(1..=2), number(1..=2), number(4..=4)) else {
        return Err(invalid());
    };
    if parts.next().is_some() {
        return Err(invalid());
    }
    let year = i32::try_from(year).map_err(|_| invalid())?;
    NaiveDate::from_ymd_opt(year, month, day)
        .map(Some)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_means_utf8_even_when_the_rest_is_not() {
        assert_eq!(decode(b"\xEF\xBB\xBFZo\xC3\xAB"), "Zoë");
        assert_eq!(decode(b"\xEF\xBB\xBFSt Mary\x92s"), "St Mary\u{FFFD}s");
    }

    #[test]
    fn valid_utf8_is_utf8_and_anything_else_windows_1252() {
        assert!(matches!(
            decode("St Mary’s".as_bytes()),
            Cow::Borrowed("St Mary’s")
        ));
        assert_eq!(decode(b"St Mary\x92s, Zo\xEB"), "St Mary’s, Zoë");
    }

    #[test]
    fn the_quote_check_follows_csv_quoting() {
        let unclosed = |text: &str| unclosed_quote(text.as_bytes(), 1).map(|q| (q.line, q.field));
        assert_eq!(unclosed("a,\"b\"\"c\",d\n"), None);
        assert_eq!(unclosed("a,b\"c,d\n"), None);
        assert_eq!(unclosed("a,\"b\"c,d\n"), None);
        assert_eq!(unclosed("a,b\n\"x\ny\",\"z\n"), Some((3, 1)));
        assert_eq!(unclosed("a,\"b\"\"\n"), Some((1, 1)));
    }
}

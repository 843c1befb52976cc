//! Reading performance CSV files in either layout (see the module docs).
//!
//! Records are read one at a time. A long-layout row is a whole figure; a
//! wide-layout school row waits for the authority and England rows, which
//! the DfE puts at the end of its files, before it gets its comparators.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use csv::ByteRecord;
use serde::Serialize;

use super::measures::DfeSource;
use super::{parse_year, Figure, NoFigure, PerformanceFigure, PerformanceMeasure};
use crate::calendar::AcademicYear;
use crate::file_error::FileError;
use crate::gias::{decode, refuse_binary, Records};
use crate::school::{LaCode, Urn};

/// Which layout a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `urn,year,measure,value,la,national`.
    Long,
    /// The DfE's one-row-per-school files.
    DfeWide,
}

/// The figures read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformanceFile {
    pub layout: Layout,
    /// One per school, year and measure, in file order.
    pub figures: Vec<PerformanceFigure>,
    /// Records below the header.
    pub rows_read: usize,
    /// Rows for other geographies (regions, constituencies), left out.
    pub other_rows: usize,
}

/// Why a performance file was refused. The caller adds the file name.
pub type PerformanceError = FileError;

/// Reads a performance file. `year` is the academic year the figures are
/// for when the file has no year column; where it has one, every row must
/// agree with `year` if it is given.
pub fn parse(
    bytes: &[u8],
    year: Option<AcademicYear>,
) -> Result<PerformanceFile, PerformanceError> {
    refuse_binary(bytes)?;
    let text = decode(bytes);
    let mut records = Records::new(&text);
    let Some(header_line) = records.next(None)? else {
        return Err(PerformanceError::on_line(1, "the file is empty"));
    };
    let header = Header::new(&records.record);
    let file = match Long::find(&header) {
        Some(long) => read_rows(&mut records, &header, long.reader(year))?,
        None => {
            let wide = Wide::find(&header, header_line, year)?;
            read_rows(&mut records, &header, wide)?
        }
    };
    if file.rows_read == 0 {
        return Err(PerformanceError::on_line(
            header_line,
            "no figures: the file has nothing below its header",
        ));
    }
    Ok(file)
}

/// What a layout does with each row and, at the end, the figures it made.
trait LayoutReader {
    fn row(&mut self, row: &Row<'_>) -> Result<(), PerformanceError>;
    fn finish(self, rows_read: usize) -> PerformanceFile;
}

fn read_rows(
    records: &mut Records<'_>,
    header: &Header,
    mut reader: impl LayoutReader,
) -> Result<PerformanceFile, PerformanceError> {
    let mut rows_read = 0;
    while let Some(line) = records.next(Some(&header.record))? {
        let record = &records.record;
        if record.len() != header.names.len() {
            let problem = format!(
                "{} fields where the header has {}: a comma missing, \
                 or one inside a value that is not quoted",
                record.len(),
                header.names.len()
            );
            return Err(PerformanceError::on_line(line, problem));
        }
        rows_read += 1;
        reader.row(&Row {
            record,
            line,
            header,
        })?;
    }
    Ok(reader.finish(rows_read))
}

struct Header {
    record: ByteRecord,
    names: Vec<String>,
}

impl Header {
    fn new(record: &ByteRecord) -> Header {
        let names = record
            .iter()
            .map(|cell| String::from_utf8_lossy(cell).trim().to_owned())
            .collect();
        Header {
            record: record.clone(),
            names,
        }
    }

    /// The first column named any of `names`, in any case.
    fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|wanted| {
            self.names
                .iter()
                .position(|name| name.eq_ignore_ascii_case(wanted))
        })
    }
}

/// One record below the header and the line it starts on.
struct Row<'r> {
    record: &'r ByteRecord,
    line: usize,
    header: &'r Header,
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

    /// A refusal naming this line and the column.
    fn error(&self, column: usize, problem: impl Into<String>) -> PerformanceError {
        PerformanceError {
            line: Some(self.line),
            field: self.header.names.get(column).cloned(),
            problem: problem.into(),
        }
    }

    fn read<T>(
        &self,
        column: usize,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, PerformanceError> {
        read(self.cell(Some(column))).map_err(|problem| self.error(column, problem))
    }

    fn urn(&self, column: usize) -> Result<Urn, PerformanceError> {
        self.read(column, |cell| {
            if cell.is_empty() {
                Err("no URN".to_owned())
            } else {
                cell.parse()
            }
        })
    }

    fn year(&self, source: YearSource) -> Result<AcademicYear, PerformanceError> {
        let (column, given) = match source {
            YearSource::Given(year) => return Ok(year),
            YearSource::Column { column, given } => (column, given),
        };
        self.read(column, |cell| {
            let year = parse_year(cell)?;
            match given {
                Some(given) if given != year => Err(format!(
                    "the row is for {year}, but the import was asked for {given}"
                )),
                _ => Ok(year),
            }
        })
    }
}

/// Where a row's academic year comes from.
#[derive(Clone, Copy)]
enum YearSource {
    /// The row's own column, which must agree with the year given, if any.
    Column {
        column: usize,
        given: Option<AcademicYear>,
    },
    /// The year given for a file without a year column.
    Given(AcademicYear),
}

/// Remembers the first line of each key, to name both lines of a duplicate.
struct FirstLines<K>(HashMap<K, usize>);

impl<K: std::hash::Hash + Eq> FirstLines<K> {
    fn new() -> Self {
        FirstLines(HashMap::new())
    }

    /// The line `key` was first seen on, if this is not the first time.
    fn seen_before(&mut self, key: K, line: usize) -> Option<usize> {
        match self.0.entry(key) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(line);
                None
            }
        }
    }
}

/// The long layout's columns.
struct Long {
    urn: usize,
    year: usize,
    measure: usize,
    value: usize,
    la: Option<usize>,
    national: Option<usize>,
}

impl Long {
    fn find(header: &Header) -> Option<Long> {
        Some(Long {
            urn: header.find(&["urn"])?,
            year: header.find(&["year"])?,
            measure: header.find(&["measure"])?,
            value: header.find(&["value"])?,
            la: header.find(&["la"]),
            national: header.find(&["national"]),
        })
    }

    fn reader(self, year: Option<AcademicYear>) -> LongReader {
        LongReader {
            columns: self,
            year,
            figures: Vec::new(),
            lines: FirstLines::new(),
        }
    }
}

struct LongReader {
    columns: Long,
    year: Option<AcademicYear>,
    figures: Vec<PerformanceFigure>,
    lines: FirstLines<(Urn, AcademicYear, PerformanceMeasure)>,
}

impl LayoutReader for LongReader {
    fn row(&mut self, row: &Row<'_>) -> Result<(), PerformanceError> {
        let columns = &self.columns;
        let urn = row.urn(columns.urn)?;
        let year = row.year(YearSource::Column {
            column: columns.year,
            given: self.year,
        })?;
        let measure = row.read(columns.measure, str::parse::<PerformanceMeasure>)?;
        let figure = |column: Option<usize>| match column {
            Some(column) => row.read(column, |cell| measure.figure(cell)),
            None => Ok(Figure::Missing(NoFigure::NotAvailable)),
        };
        let (school, la, national) = (
            figure(Some(columns.value))?,
            figure(columns.la)?,
            figure(columns.national)?,
        );
        if let Some(first) = self.lines.seen_before((urn, year, measure), row.line) {
            return Err(row.error(
                columns.measure,
                format!(
                    "URN {urn} has a second {} figure for {year}: the first is on line {first}",
                    measure.id()
                ),
            ));
        }
        self.figures.push(PerformanceFigure::new(
            urn, year, measure, school, la, national,
        ));
        Ok(())
    }

    fn finish(self, rows_read: usize) -> PerformanceFile {
        PerformanceFile {
            layout: Layout::Long,
            figures: self.figures,
            rows_read,
            other_rows: 0,
        }
    }
}

/// The DfE column names the wide layout reads besides the measures.
mod column {
    pub const URN: &[&str] = &["URN", "school_urn"];
    pub const LA: &[&str] = &["LEA", "LA", "old_la_code"];
    pub const YEAR: &[&str] = &["TIME_PERIOD", "YEAR"];
    pub const RECTYPE: &str = "RECTYPE";
    pub const GEOGRAPHIC_LEVEL: &str = "geographic_level";
}

/// Where a wide file keeps one measure.
#[derive(Clone, Copy)]
enum Source {
    Column(usize),
    Gap {
        part: PerformanceMeasure,
        others: usize,
        disadvantaged: usize,
    },
}

/// Which place a wide-layout row is about.
enum Place {
    School(Urn),
    Authority(LaCode),
    /// England; the higher preference wins where a file has two England rows.
    England {
        preference: u8,
    },
}

/// How a wide file says which place a row is about.
#[derive(Clone, Copy)]
enum PlaceColumn {
    RecordType(usize),
    GeographicLevel(usize),
    /// Neither: a URN means a school, an LA code alone an authority.
    Inferred,
}

/// The wide layout's columns.
struct Wide {
    urn: usize,
    la: Option<usize>,
    year: YearSource,
    place: PlaceColumn,
    measures: Vec<(PerformanceMeasure, Source)>,
}

impl Wide {
    fn find(
        header: &Header,
        line: usize,
        given_year: Option<AcademicYear>,
    ) -> Result<WideReader, PerformanceError> {
        let measures: Vec<_> = PerformanceMeasure::ALL
            .into_iter()
            .filter_map(|measure| Some((measure, Wide::source(header, measure)?)))
            .collect();
        let urn = header
            .find(column::URN)
            .filter(|_| !measures.is_empty())
            .ok_or_else(|| PerformanceError::on_line(line, unknown_layout()))?;
        let year = match (header.find(column::YEAR), given_year) {
            (Some(column), given) => YearSource::Column { column, given },
            (None, Some(year)) => YearSource::Given(year),
            (None, None) => {
                return Err(PerformanceError::on_line(
                    line,
                    "the file has no TIME_PERIOD or YEAR column: \
                     say which academic year its figures are for",
                ))
            }
        };
        let place = match (
            header.find(&[column::RECTYPE]),
            header.find(&[column::GEOGRAPHIC_LEVEL]),
        ) {
            (Some(index), _) => PlaceColumn::RecordType(index),
            (None, Some(index)) => PlaceColumn::GeographicLevel(index),
            (None, None) => PlaceColumn::Inferred,
        };
        Ok(WideReader::new(Wide {
            urn,
            la: header.find(column::LA),
            year,
            place,
            measures,
        }))
    }

    fn source(header: &Header, measure: PerformanceMeasure) -> Option<Source> {
        match measure.dfe_source() {
            DfeSource::None => None,
            DfeSource::Column(names) => header.find(names).map(Source::Column),
            DfeSource::Gap {
                part,
                others,
                disadvantaged,
            } => Some(Source::Gap {
                part,
                others: header.find(others)?,
                disadvantaged: header.find(disadvantaged)?,
            }),
        }
    }

    /// The place the row is about; None for a geography the app does not
    /// compare with.
    fn place(&self, row: &Row<'_>) -> Result<Option<Place>, PerformanceError> {
        let urn = || row.urn(self.urn).map(|urn| Some(Place::School(urn)));
        let authority = || self.authority(row).map(|la| Some(Place::Authority(la)));
        let england = |preference| Ok(Some(Place::England { preference }));
        match self.place {
            PlaceColumn::RecordType(column) => match row.cell(Some(column)) {
                "1" | "2" | "3" => urn(),
                "4" => authority(),
                "5" => england(0),
                "7" => england(1),
                other => Err(row.error(
                    column,
                    format!(
                        "{other:?} is not a record type the app knows: 1, 2 or 3 for a school, \
                         4 for a local authority, 5 or 7 for England"
                    ),
                )),
            },
            PlaceColumn::GeographicLevel(column) => {
                let level = row.cell(Some(column));
                if level.eq_ignore_ascii_case("School") {
                    urn()
                } else if level.eq_ignore_ascii_case("Local authority") {
                    authority()
                } else if level.eq_ignore_ascii_case("National") {
                    england(0)
                } else {
                    Ok(None)
                }
            }
            PlaceColumn::Inferred if !row.cell(Some(self.urn)).is_empty() => urn(),
            PlaceColumn::Inferred if !row.cell(self.la).is_empty() => authority(),
            PlaceColumn::Inferred => england(0),
        }
    }

    fn authority(&self, row: &Row<'_>) -> Result<LaCode, PerformanceError> {
        let Some(column) = self.la else {
            return Err(PerformanceError::on_line(
                row.line,
                "a local authority's row, but the file has no LEA column to say which",
            ));
        };
        row.read(column, str::parse)
    }

    /// The school's own authority, where the file says.
    fn school_authority(&self, row: &Row<'_>) -> Result<Option<LaCode>, PerformanceError> {
        match self.la {
            Some(column) if !row.cell(Some(column)).is_empty() => {
                row.read(column, str::parse).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn figures(&self, row: &Row<'_>) -> Result<Figures, PerformanceError> {
        self.measures
            .iter()
            .map(|&(measure, source)| Ok((measure, read_source(row, measure, source)?)))
            .collect()
    }
}

fn read_source(
    row: &Row<'_>,
    measure: PerformanceMeasure,
    source: Source,
) -> Result<Figure, PerformanceError> {
    match source {
        Source::Column(column) => row.read(column, |cell| measure.figure(cell)),
        Source::Gap {
            part,
            others,
            disadvantaged,
        } => {
            let others = row.read(others, |cell| part.figure(cell))?;
            let disadvantaged = row.read(disadvantaged, |cell| part.figure(cell))?;
            Ok(match (others, disadvantaged) {
                // Rounded to the files' own precision: 66.2 - 44.1 is not 22.1 in binary.
                (Figure::Value(others), Figure::Value(disadvantaged)) => {
                    Figure::Value(((others - disadvantaged) * 100.0).round() / 100.0)
                }
                // The disadvantaged group is the smaller: its reason says most.
                (_, Figure::Missing(reason)) | (Figure::Missing(reason), _) => {
                    Figure::Missing(reason)
                }
            })
        }
    }
}

fn unknown_layout() -> String {
    let dfe: Vec<&str> = PerformanceMeasure::ALL
        .into_iter()
        .filter_map(|measure| match measure.dfe_source() {
            DfeSource::Column(names) => names.first().copied(),
            DfeSource::None | DfeSource::Gap { .. } => None,
        })
        .collect();
    format!(
        "not a performance file this app reads: expected the header \
         urn,year,measure,value,la,national, or a DfE file with a URN column \
         and at least one of {}",
        dfe.join(", ")
    )
}

/// A row's figures, one per measure the file has.
type Figures = Vec<(PerformanceMeasure, Figure)>;

/// A school's row, waiting for its comparators.
struct SchoolRow {
    urn: Urn,
    authority: Option<LaCode>,
    year: AcademicYear,
    figures: Figures,
}

/// An England row and its preference (see [`Place::England`]).
struct EnglandRow {
    preference: u8,
    line: usize,
    figures: Figures,
}

struct WideReader {
    columns: Wide,
    schools: Vec<SchoolRow>,
    authorities: HashMap<(AcademicYear, LaCode), Figures>,
    england: HashMap<AcademicYear, EnglandRow>,
    school_lines: FirstLines<(Urn, AcademicYear)>,
    authority_lines: FirstLines<(AcademicYear, LaCode)>,
    other_rows: usize,
}

impl WideReader {
    fn new(columns: Wide) -> WideReader {
        WideReader {
            columns,
            schools: Vec::new(),
            authorities: HashMap::new(),
            england: HashMap::new(),
            school_lines: FirstLines::new(),
            authority_lines: FirstLines::new(),
            other_rows: 0,
        }
    }

    fn school(
        &mut self,
        row: &Row<'_>,
        urn: Urn,
        year: AcademicYear,
    ) -> Result<(), PerformanceError> {
        if let Some(first) = self.school_lines.seen_before((urn, year), row.line) {
            return Err(row.error(
                self.columns.urn,
                format!("URN {urn} appears twice for {year}: first on line {first}"),
            ));
        }
        self.schools.push(SchoolRow {
            urn,
            authority: self.columns.school_authority(row)?,
            year,
            figures: self.columns.figures(row)?,
        });
        Ok(())
    }

    fn authority(
        &mut self,
        row: &Row<'_>,
        la: LaCode,
        year: AcademicYear,
    ) -> Result<(), PerformanceError> {
        if let Some(first) = self.authority_lines.seen_before((year, la), row.line) {
            let column = self.columns.la.unwrap_or(self.columns.urn);
            return Err(row.error(
                column,
                format!("local authority {la} appears twice for {year}: first on line {first}"),
            ));
        }
        self.authorities
            .insert((year, la), self.columns.figures(row)?);
        Ok(())
    }

    fn england(
        &mut self,
        row: &Row<'_>,
        preference: u8,
        year: AcademicYear,
    ) -> Result<(), PerformanceError> {
        let figures = self.columns.figures(row)?;
        let kept = self.england.get(&year);
        match kept {
            Some(kept) if kept.preference == preference => Err(PerformanceError::on_line(
                row.line,
                format!(
                    "a second England row for {year}: the first is on line {}",
                    kept.line
                ),
            )),
            Some(kept) if kept.preference > preference => Ok(()),
            _ => {
                self.england.insert(
                    year,
                    EnglandRow {
                        preference,
                        line: row.line,
                        figures,
                    },
                );
                Ok(())
            }
        }
    }
}

impl LayoutReader for WideReader {
    fn row(&mut self, row: &Row<'_>) -> Result<(), PerformanceError> {
        let Some(place) = self.columns.place(row)? else {
            self.other_rows += 1;
            return Ok(());
        };
        let year = row.year(self.columns.year)?;
        match place {
            Place::School(urn) => self.school(row, urn, year),
            Place::Authority(la) => self.authority(row, la, year),
            Place::England { preference } => self.england(row, preference, year),
        }
    }

    fn finish(self, rows_read: usize) -> PerformanceFile {
        let not_given = Figure::Missing(NoFigure::NotAvailable);
        let find = |figures: Option<&Figures>, measure: PerformanceMeasure| {
            figures
                .and_then(|figures| figures.iter().find(|(m, _)| *m == measure))
                .map_or(not_given, |&(_, figure)| figure)
        };
        let mut figures = Vec::new();
        for school in &self.schools {
            let authority = school
                .authority
                .and_then(|la| self.authorities.get(&(school.year, la)));
            let england = self.england.get(&school.year).map(|row| &row.figures);
            for &(measure, figure) in &school.figures {
                figures.push(PerformanceFigure::new(
                    school.urn,
                    school.year,
                    measure,
                    figure,
                    find(authority, measure),
                    find(england, measure),
                ));
            }
        }
        PerformanceFile {
            layout: Layout::DfeWide,
            figures,
            rows_read,
            other_rows: self.other_rows,
        }
    }
}

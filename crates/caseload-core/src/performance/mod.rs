//! School performance data: the yearly measures an adviser reads beside the
//! prioritisation criteria (the statements marked "[See data]"), each with
//! the local authority's and England's figure for the same year, the CSV
//! files they arrive in, and the indicators derived from them.
//!
//! Pure like the rest of the crate: callers hand in a file's bytes and get
//! figures back; nothing here reads a file, the store or a clock. Nothing
//! here marks a statement either: indicators are offers the adviser accepts
//! or not.
//!
//! # Measures
//!
//! Each measure has a stable kebab-case id (files and the store use it), a
//! label, a unit, a direction (whether a higher figure is better), and the
//! criteria group (`criteria::Measure`) whose statements read it.
//!
//! | id                                  | measure                                        | unit              | better | group             |
//! |-------------------------------------|------------------------------------------------|-------------------|--------|-------------------|
//! | `ks2-rwm-expected`                  | KS2 reading, writing and maths, expected standard | % of pupils    | higher | attainment        |
//! | `ks2-reading-expected`              | KS2 reading, expected standard                 | % of pupils       | higher | attainment        |
//! | `ks2-writing-expected`              | KS2 writing (teacher assessment), expected standard | % of pupils  | higher | attainment        |
//! | `ks2-maths-expected`                | KS2 maths, expected standard                   | % of pupils       | higher | attainment        |
//! | `phonics-year1`                     | Year 1 phonics screening check, meeting the standard | % of pupils | higher | attainment        |
//! | `ks4-attainment8`                   | KS4 Attainment 8                               | points (0 to 90)  | higher | attainment        |
//! | `ks4-progress8`                     | KS4 Progress 8                                 | score             | higher | progress          |
//! | `overall-absence`                   | Overall absence                                | % of sessions     | lower  | attendance        |
//! | `persistent-absence`                | Persistent absence (10% or more of sessions missed) | % of pupils  | lower  | attendance        |
//! | `suspension-rate`                   | Suspensions                                    | per 100 pupils    | lower  | suspensions       |
//! | `ks2-rwm-disadvantaged-gap`         | KS2 RWM gap, other pupils minus disadvantaged  | percentage points | lower  | disadvantaged-gap |
//! | `ks4-attainment8-disadvantaged-gap` | KS4 Attainment 8 gap, other pupils minus disadvantaged | points    | lower  | disadvantaged-gap |
//!
//! Attendance is kept as the DfE publishes it, as *absence* (lower is
//! better), so the figures match the performance tables an adviser checks
//! them against; the labels say "absence". The disadvantaged gaps are
//! within-school gaps: the school's other pupils against its disadvantaged
//! pupils (and the same difference for the LA and England rows).
//!
//! # Files
//!
//! Two layouts, told apart by the header (names in any case):
//!
//! - **Long**: `urn,year,measure,value,la,national` (`la` and `national`
//!   may be left out). One row per school, year and measure; `measure` is an
//!   id above and `year` an academic year.
//! - **DfE wide**: the DfE's performance-table downloads (`england_ks2final.csv`,
//!   `england_ks4final.csv`, `england_abs.csv`) and explore-education-statistics
//!   school-level files: one row per school, a `URN` (or `school_urn`)
//!   column and one column per measure:
//!
//! | measure                             | DfE columns                                                   |
//! |-------------------------------------|---------------------------------------------------------------|
//! | `ks2-rwm-expected`                  | `PTRWM_EXP`                                                   |
//! | `ks2-reading-expected`              | `PTREAD_EXP`                                                  |
//! | `ks2-writing-expected`              | `PTWRITTA_EXP`                                                |
//! | `ks2-maths-expected`                | `PTMAT_EXP`                                                   |
//! | `phonics-year1`                     | none: the DfE publishes no school-level phonics file; use the long layout |
//! | `ks4-attainment8`                   | `ATT8SCR`                                                     |
//! | `ks4-progress8`                     | `P8MEA`                                                       |
//! | `overall-absence`                   | `PERCTOT`, or `sess_overall_percent`                          |
//! | `persistent-absence`                | `PPERSABS10`, or `enrolments_pa_10_exact_percent`             |
//! | `suspension-rate`                   | `susp_rate`                                                   |
//! | `ks2-rwm-disadvantaged-gap`         | `PTRWM_EXP_NOTFSM6CLA1A` minus `PTRWM_EXP_FSM6CLA1A`          |
//! | `ks4-attainment8-disadvantaged-gap` | `ATT8SCR_NFSM6CLA1A` minus `ATT8SCR_FSM6CLA1A`                |
//!
//!   The year comes from a `TIME_PERIOD` or `YEAR` column if there is one,
//!   otherwise from the caller (the performance-table files are one per
//!   year). Which rows are schools, authorities and England:
//!   - with a `RECTYPE` column: 1 (mainstream), 2 (special) and 3 are
//!     schools, 4 is a local authority (its code in `LEA`), 5 and 7 are
//!     England; where both are present 7, the state-funded figure the
//!     performance tables compare schools with, is used;
//!   - with a `geographic_level` column: `School`, `Local authority` and
//!     `National`; other levels (regions, constituencies) are left out;
//!   - otherwise a row with a URN is a school, one with only an LA code
//!     (`LEA`, `LA` or `old_la_code`) an authority, and one with neither England.
//!
//!   A school's LA figure is its own authority's row for the same year.
//!
//! Years are written `2023/24`, `2023-24` or, as the DfE does, `202324`. A
//! bare `2024` is refused: it could be the year the academic year starts or
//! ends in.
//!
//! # Cells without a figure
//!
//! Kept as "no figure", with the reason, so a panel can say why a year is
//! blank. A value may end in "%" where the unit is a percentage.
//!
//! | cell               | reason                                      |
//! |--------------------|---------------------------------------------|
//! | `SUPP`, `c`        | suppressed: too few pupils to publish       |
//! | `NE`               | no pupils entered                           |
//! | `NP`               | not published                               |
//! | `LOWCOV`           | low coverage: too few pupils with results   |
//! | `NA`, `z`          | not applicable                              |
//! | `x`, blank         | not available                               |
//!
//! Anything else that is not a number in the measure's range refuses the
//! whole file, naming the line and the column.

mod indicators;
mod measures;
mod parse;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::AcademicYear;
use crate::school::Urn;

pub use indicators::{
    findings, improving, suggestions, Evidence, IndicatorKind, Series, Suggestion, YearFigures,
};
pub use measures::{PerformanceMeasure, Unit};
pub use parse::{parse, Layout, PerformanceError, PerformanceFile};

/// Why a cell holds no figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoFigure {
    Suppressed,
    NoEntries,
    NotPublished,
    LowCoverage,
    NotApplicable,
    NotAvailable,
}

impl NoFigure {
    /// Reads the codes of the DfE and of explore-education-statistics.
    fn from_code(cell: &str) -> Option<NoFigure> {
        let code = cell.trim().to_ascii_uppercase();
        Some(match code.as_str() {
            "SUPP" | "C" => NoFigure::Suppressed,
            "NE" => NoFigure::NoEntries,
            "NP" => NoFigure::NotPublished,
            "LOWCOV" => NoFigure::LowCoverage,
            "NA" | "Z" => NoFigure::NotApplicable,
            "X" | "" => NoFigure::NotAvailable,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            NoFigure::Suppressed => "suppressed: too few pupils to publish",
            NoFigure::NoEntries => "no pupils entered",
            NoFigure::NotPublished => "not published",
            NoFigure::LowCoverage => "low coverage: too few pupils with results",
            NoFigure::NotApplicable => "not applicable",
            NoFigure::NotAvailable => "not available",
        }
    }
}

/// One cell: a figure, or why there is none. Kept as a bare number or a
/// reason's id (`65.0`, `"suppressed"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Figure {
    Value(f64),
    Missing(NoFigure),
}

impl Figure {
    pub fn value(self) -> Option<f64> {
        match self {
            Figure::Value(value) => Some(value),
            Figure::Missing(_) => None,
        }
    }
}

/// One measure of one school in one academic year, with the local
/// authority's and England's figures beside it: the record that syncs.
///
/// Keyed by what it is rather than by a UUID, like schools by their URN: two
/// devices importing the same file hold one figure, not two.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformanceFigure {
    /// `urn/year/measure`, the year as the DfE writes it: `990001/202324/ks4-progress8`.
    pub id: String,
    pub urn: Urn,
    pub year: AcademicYear,
    pub measure: PerformanceMeasure,
    pub school: Figure,
    pub la: Figure,
    pub national: Figure,
}

impl PerformanceFigure {
    pub fn new(
        urn: Urn,
        year: AcademicYear,
        measure: PerformanceMeasure,
        school: Figure,
        la: Figure,
        national: Figure,
    ) -> PerformanceFigure {
        PerformanceFigure {
            id: format!("{urn}/{}/{}", DfeYear(year), measure.id()),
            urn,
            year,
            measure,
            school,
            la,
            national,
        }
    }
}

/// An academic year as the DfE writes it: 2023/24 is `202324`.
struct DfeYear(AcademicYear);

impl fmt::Display for DfeYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:02}", self.0 .0, (self.0 .0 + 1) % 100)
    }
}

/// Reads `2023/24`, `2023-24` or `202324`.
pub fn parse_year(text: &str) -> Result<AcademicYear, String> {
    let text = text.trim();
    let dfe = (text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}/{}", &text[..4], &text[4..]));
    let four_digit_start = |year: &AcademicYear| (1000..=9999).contains(&year.0);
    AcademicYear::parse(dfe.as_deref().unwrap_or(text))
        .filter(four_digit_start)
        .ok_or_else(|| {
            format!(
                "{text:?} is not an academic year: write it as 2023/24, or 202324 as the DfE does"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_read_in_the_three_spellings_and_nothing_else() {
        for text in ["2023/24", "2023-24", "202324", " 2023/24 "] {
            assert_eq!(parse_year(text), Ok(AcademicYear(2023)), "{text}");
        }
        assert_eq!(parse_year("199900"), Ok(AcademicYear(1999)));
        for text in [
            "2024",
            "2023/25",
            "23/24",
            "20232",
            "2023/24/25",
            "",
            "abcdef",
        ] {
            let error = parse_year(text).expect_err(text);
            assert!(error.contains("is not an academic year"), "{error}");
        }
    }

    #[test]
    fn a_figure_keeps_its_value_or_its_reason_in_json() {
        let kept =
            serde_json::to_string(&[Figure::Value(65.0), Figure::Missing(NoFigure::Suppressed)])
                .expect("serializes");
        assert_eq!(kept, r#"[65.0,"suppressed"]"#);
        let read: Vec<Figure> = serde_json::from_str(&kept).expect("parses");
        assert_eq!(read[1], Figure::Missing(NoFigure::Suppressed));
    }

    #[test]
    fn a_figure_is_keyed_by_school_year_and_measure() {
        let figure = PerformanceFigure::new(
            Urn(990001),
            AcademicYear(2023),
            PerformanceMeasure::Ks4Progress8,
            Figure::Value(0.1),
            Figure::Value(-0.1),
            Figure::Value(0.0),
        );
        assert_eq!(figure.id, "990001/202324/ks4-progress8");
    }
}

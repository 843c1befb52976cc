//! School performance figures: importing a file of them, and one school's
//! data panel with the indicators `caseload-core` derives from them.
//!
//! A file is parsed whole before anything is written, then written in one
//! transaction through the [`Writer`], so a refused file changes nothing and
//! every figure written gets its revisions and outbox operation. Figures for
//! schools the store does not hold are counted and left out rather than
//! refused: the DfE's files cover every school in England, and a figure
//! syncs only to whoever holds its school.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use caseload_core::criteria::{CriteriaSet, Measure};
use caseload_core::performance::{
    self, Figure, Layout, NoFigure, PerformanceFigure, PerformanceFile, PerformanceMeasure, Series,
    Suggestion, Unit, YearFigures,
};
use caseload_core::{AcademicYear, Urn};
use serde::Serialize;

use crate::records::{load_where, Origin, Writer, Written};
use crate::{Store, StoreError};

const DEMO_CSV: &[u8] = include_bytes!("../../../assets/demo/performance.csv");

/// What a performance import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerformanceImportSummary {
    pub layout: Layout,
    /// Records below the header.
    pub rows_read: usize,
    /// Figures (one school, year and measure each) new to the store.
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Schools in the store the file has figures for.
    pub schools: usize,
    /// Schools the file has figures for that the store does not hold: left out.
    pub not_in_store: usize,
    /// The academic years of the file's figures, oldest first: "2023/24".
    pub years: Vec<String>,
}

/// A school's performance data and what it suggests, for the data panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerformancePanel {
    pub urn: u32,
    /// The criteria set the suggestions' statement ids belong to.
    pub criteria_set: String,
    /// The measures the school has figures for, in a fixed order.
    pub measures: Vec<MeasurePanel>,
    /// Offers only: nothing is marked until the adviser marks it.
    pub suggestions: Vec<Suggestion>,
}

/// One measure over the years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasurePanel {
    pub measure: PerformanceMeasure,
    pub label: &'static str,
    pub group: Measure,
    pub unit: Unit,
    pub higher_is_better: bool,
    /// Oldest first.
    pub years: Vec<YearView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearView {
    /// "2023/24".
    pub year: String,
    pub school: FigureView,
    pub la: FigureView,
    pub national: FigureView,
}

/// A figure, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureView {
    pub value: Option<f64>,
    pub missing: Option<NoFigure>,
    /// As shown: "62%", "+0.12", or the reason there is no figure.
    pub text: String,
}

impl Store {
    /// Imports a performance file from disk; `year` is the academic year of
    /// a file without a year column (see `caseload_core::performance`).
    pub fn import_performance_file(
        &mut self,
        path: &Path,
        year: Option<AcademicYear>,
    ) -> Result<PerformanceImportSummary, StoreError> {
        let bytes = std::fs::read(path).map_err(|source| StoreError::ReadFile {
            path: path.to_owned(),
            source,
        })?;
        self.import_performance_bytes(&bytes, &path.display().to_string(), year)
    }

    /// Imports performance file contents; `source` names the file in messages.
    pub fn import_performance_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
        year: Option<AcademicYear>,
    ) -> Result<PerformanceImportSummary, StoreError> {
        let file = performance::parse(bytes, year).map_err(|error| StoreError::Performance {
            file: source.to_owned(),
            error,
        })?;
        self.write(|writer| write_file(writer, &file))
    }

    /// The school's figures by measure and year, and the indicators they
    /// show, matched to the statements of `set`.
    pub fn performance_panel(
        &self,
        urn: Urn,
        set: &CriteriaSet,
    ) -> Result<PerformancePanel, StoreError> {
        self.school(urn)?;
        let figures = load_where::<PerformanceFigure>(self.conn(), "urn = ?1", [urn.0])?;
        let series = Series::of(&figures);
        Ok(PerformancePanel {
            urn: urn.0,
            criteria_set: set.id.clone(),
            measures: series.iter().map(MeasurePanel::new).collect(),
            suggestions: performance::suggestions(&series, set),
        })
    }
}

/// Writes the demo caseload's figures, all for schools it has just written.
pub(crate) fn write_demo_performance(writer: &mut Writer<'_>) -> Result<(), StoreError> {
    let file = performance::parse(DEMO_CSV, None)
        .map_err(|error| StoreError::Demo(format!("assets/demo/performance.csv: {error}")))?;
    let summary = write_file(writer, &file)?;
    if summary.not_in_store > 0 {
        return Err(StoreError::Demo(format!(
            "assets/demo/performance.csv: {} schools are not demo schools",
            summary.not_in_store
        )));
    }
    Ok(())
}

/// Writes the figures of schools the store holds and counts the rest.
fn write_file(
    writer: &mut Writer<'_>,
    file: &PerformanceFile,
) -> Result<PerformanceImportSummary, StoreError> {
    let held = held_schools(writer)?;
    let mut summary = PerformanceImportSummary {
        layout: file.layout,
        rows_read: file.rows_read,
        added: 0,
        updated: 0,
        unchanged: 0,
        schools: 0,
        not_in_store: 0,
        years: Vec::new(),
    };
    let (mut schools, mut elsewhere, mut years) = (HashSet::new(), HashSet::new(), BTreeSet::new());
    for figure in &file.figures {
        years.insert(figure.year);
        if !held.contains(&figure.urn) {
            elsewhere.insert(figure.urn);
            continue;
        }
        schools.insert(figure.urn);
        match writer.save_as(figure, Origin::Import)? {
            Written::Inserted => summary.added += 1,
            Written::Updated => summary.updated += 1,
            Written::Unchanged => summary.unchanged += 1,
        }
    }
    summary.schools = schools.len();
    summary.not_in_store = elsewhere.len();
    summary.years = years.iter().map(AcademicYear::to_string).collect();
    Ok(summary)
}

fn held_schools(writer: &Writer<'_>) -> Result<HashSet<Urn>, StoreError> {
    let mut statement = writer
        .tx
        .prepare_cached("SELECT urn FROM school WHERE deleted = 0")?;
    let urns = statement.query_map([], |row| row.get(0).map(Urn))?;
    Ok(urns.collect::<Result<_, _>>()?)
}

impl MeasurePanel {
    fn new(series: &Series) -> MeasurePanel {
        let measure = series.measure;
        MeasurePanel {
            measure,
            label: measure.label(),
            group: measure.group(),
            unit: measure.unit(),
            higher_is_better: measure.higher_is_better(),
            years: series
                .years
                .iter()
                .map(|year| YearView::new(measure, year))
                .collect(),
        }
    }
}

impl YearView {
    fn new(measure: PerformanceMeasure, year: &YearFigures) -> YearView {
        let view = |figure: Figure| FigureView {
            value: figure.value(),
            missing: match figure {
                Figure::Value(_) => None,
                Figure::Missing(reason) => Some(reason),
            },
            text: measure.show(figure),
        };
        YearView {
            year: year.year.to_string(),
            school: view(year.school),
            la: view(year.la),
            national: view(year.national),
        }
    }
}

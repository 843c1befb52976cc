//! A school's figures as small charts: each measure over the years, the
//! school against the local authority and England.

use std::collections::BTreeMap;

use caseload_core::performance::{PerformanceFigure, Series as FigureSeries, Unit};

use crate::document::{Chart, Series};

/// One chart per measure with figures, keyed by the measure's id.
pub fn charts(figures: &[PerformanceFigure]) -> BTreeMap<String, Chart> {
    FigureSeries::of(figures)
        .into_iter()
        .map(|series| {
            let measure = series.measure;
            let line =
                |name: &str, pick: fn(&caseload_core::performance::YearFigures) -> Option<f64>| {
                    Series {
                        name: name.to_owned(),
                        values: series.years.iter().map(pick).collect(),
                    }
                };
            let chart = Chart {
                title: measure.label().to_owned(),
                unit: unit_suffix(measure.unit()).to_owned(),
                categories: series
                    .years
                    .iter()
                    .map(|year| year.year.to_string())
                    .collect(),
                series: vec![
                    line("School", |year| year.school.value()),
                    line("Local authority", |year| year.la.value()),
                    line("England", |year| year.national.value()),
                ],
            };
            (measure.id().to_owned(), chart)
        })
        .collect()
}

fn unit_suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "%",
        Unit::PercentagePoints => " pp",
        Unit::Points | Unit::Score | Unit::PerHundredPupils => "",
    }
}

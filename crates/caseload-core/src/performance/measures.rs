//! The measures, their units, and where the DfE's files keep them (the
//! tables are in the module docs above).

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::{Figure, NoFigure};
use crate::criteria::Measure;

/// One yearly measure of a school's performance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum PerformanceMeasure {
    Ks2RwmExpected,
    Ks2ReadingExpected,
    Ks2WritingExpected,
    Ks2MathsExpected,
    PhonicsYear1,
    Ks4Attainment8,
    Ks4Progress8,
    OverallAbsence,
    PersistentAbsence,
    SuspensionRate,
    Ks2RwmDisadvantagedGap,
    Ks4Attainment8DisadvantagedGap,
}

/// How a measure's figures are counted and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Percentage of pupils or sessions.
    Percent,
    /// A difference between two percentages.
    PercentagePoints,
    /// Attainment 8 points.
    Points,
    /// A progress score, around 0 nationally.
    Score,
    /// Suspensions per 100 pupils.
    PerHundredPupils,
}

impl Unit {
    /// The smallest change over the years that counts as significant: five
    /// points of a percentage, three Attainment 8 points, half a progress
    /// score, one suspension per hundred pupils.
    pub fn significant_change(self) -> f64 {
        match self {
            Unit::Percent | Unit::PercentagePoints => 5.0,
            Unit::Points => 3.0,
            Unit::Score => 0.5,
            Unit::PerHundredPupils => 1.0,
        }
    }

    /// The figure as a panel or a sentence shows it: "62%", "+0.12".
    pub fn format(self, value: f64) -> String {
        let short = |value: f64| {
            let text = format!("{value:.1}");
            text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
        };
        match self {
            Unit::Percent => format!("{}%", short(value)),
            Unit::PercentagePoints => format!("{} pp", short(value)),
            Unit::Points | Unit::PerHundredPupils => short(value),
            Unit::Score => format!("{value:+.2}"),
        }
    }

    /// Whether a cell may end in "%".
    fn is_percentage(self) -> bool {
        matches!(self, Unit::Percent | Unit::PercentagePoints)
    }
}

/// Where a DfE wide file keeps a measure.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DfeSource {
    /// No school-level DfE column: long layout only.
    None,
    /// The first of these columns the header has.
    Column(&'static [&'static str]),
    /// Other pupils' figure minus disadvantaged pupils', each read as `part`.
    Gap {
        part: PerformanceMeasure,
        others: &'static [&'static str],
        disadvantaged: &'static [&'static str],
    },
}

#[derive(Clone, Copy)]
struct Definition {
    id: &'static str,
    label: &'static str,
    group: Measure,
    unit: Unit,
    higher_is_better: bool,
    /// Figures outside it mean a wrong column or a typing slip.
    range: (f64, f64),
    dfe: DfeSource,
}

const PERCENT: (f64, f64) = (0.0, 100.0);

impl Definition {
    /// A measure where a higher figure is better.
    fn new(
        id: &'static str,
        label: &'static str,
        group: Measure,
        unit: Unit,
        range: (f64, f64),
        dfe: DfeSource,
    ) -> Definition {
        Definition {
            id,
            label,
            group,
            unit,
            higher_is_better: true,
            range,
            dfe,
        }
    }

    fn lower_is_better(self) -> Definition {
        Definition {
            higher_is_better: false,
            ..self
        }
    }
}

impl PerformanceMeasure {
    pub const ALL: [PerformanceMeasure; 12] = [
        PerformanceMeasure::Ks2RwmExpected,
        PerformanceMeasure::Ks2ReadingExpected,
        PerformanceMeasure::Ks2WritingExpected,
        PerformanceMeasure::Ks2MathsExpected,
        PerformanceMeasure::PhonicsYear1,
        PerformanceMeasure::Ks4Attainment8,
        PerformanceMeasure::Ks4Progress8,
        PerformanceMeasure::OverallAbsence,
        PerformanceMeasure::PersistentAbsence,
        PerformanceMeasure::SuspensionRate,
        PerformanceMeasure::Ks2RwmDisadvantagedGap,
        PerformanceMeasure::Ks4Attainment8DisadvantagedGap,
    ];

    fn definition(self) -> Definition {
        use PerformanceMeasure as M;
        let attainment = |id, label, columns| {
            Definition::new(
                id,
                label,
                Measure::Attainment,
                Unit::Percent,
                PERCENT,
                DfeSource::Column(columns),
            )
        };
        match self {
            M::Ks2RwmExpected => attainment(
                "ks2-rwm-expected",
                "KS2 reading, writing and maths: expected standard",
                &["PTRWM_EXP"],
            ),
            M::Ks2ReadingExpected => attainment(
                "ks2-reading-expected",
                "KS2 reading: expected standard",
                &["PTREAD_EXP"],
            ),
            M::Ks2WritingExpected => attainment(
                "ks2-writing-expected",
                "KS2 writing: expected standard",
                &["PTWRITTA_EXP"],
            ),
            M::Ks2MathsExpected => attainment(
                "ks2-maths-expected",
                "KS2 maths: expected standard",
                &["PTMAT_EXP"],
            ),
            M::PhonicsYear1 => Definition::new(
                "phonics-year1",
                "Year 1 phonics screening check: meeting the standard",
                Measure::Attainment,
                Unit::Percent,
                PERCENT,
                DfeSource::None,
            ),
            M::Ks4Attainment8 => Definition::new(
                "ks4-attainment8",
                "KS4 Attainment 8",
                Measure::Attainment,
                Unit::Points,
                (0.0, 90.0),
                DfeSource::Column(&["ATT8SCR"]),
            ),
            M::Ks4Progress8 => Definition::new(
                "ks4-progress8",
                "KS4 Progress 8",
                Measure::Progress,
                Unit::Score,
                (-10.0, 10.0),
                DfeSource::Column(&["P8MEA"]),
            ),
            M::OverallAbsence => Definition::new(
                "overall-absence",
                "Overall absence",
                Measure::Attendance,
                Unit::Percent,
                PERCENT,
                DfeSource::Column(&["PERCTOT", "sess_overall_percent"]),
            )
            .lower_is_better(),
            M::PersistentAbsence => Definition::new(
                "persistent-absence",
                "Persistent absence",
                Measure::Attendance,
                Unit::Percent,
                PERCENT,
                DfeSource::Column(&["PPERSABS10", "enrolments_pa_10_exact_percent"]),
            )
            .lower_is_better(),
            M::SuspensionRate => Definition::new(
                "suspension-rate",
                "Suspension rate (per 100 pupils)",
                Measure::Suspensions,
                Unit::PerHundredPupils,
                (0.0, 1000.0),
                DfeSource::Column(&["susp_rate"]),
            )
            .lower_is_better(),
            M::Ks2RwmDisadvantagedGap => Definition::new(
                "ks2-rwm-disadvantaged-gap",
                "KS2 reading, writing and maths: disadvantaged gap",
                Measure::DisadvantagedGap,
                Unit::PercentagePoints,
                (-100.0, 100.0),
                DfeSource::Gap {
                    part: M::Ks2RwmExpected,
                    others: &["PTRWM_EXP_NOTFSM6CLA1A"],
                    disadvantaged: &["PTRWM_EXP_FSM6CLA1A"],
                },
            )
            .lower_is_better(),
            M::Ks4Attainment8DisadvantagedGap => Definition::new(
                "ks4-attainment8-disadvantaged-gap",
                "KS4 Attainment 8: disadvantaged gap",
                Measure::DisadvantagedGap,
                Unit::Points,
                (-90.0, 90.0),
                DfeSource::Gap {
                    part: M::Ks4Attainment8,
                    others: &["ATT8SCR_NFSM6CLA1A"],
                    disadvantaged: &["ATT8SCR_FSM6CLA1A"],
                },
            )
            .lower_is_better(),
        }
    }

    /// The stable kebab-case id files and the store use.
    pub fn id(self) -> &'static str {
        self.definition().id
    }

    pub fn label(self) -> &'static str {
        self.definition().label
    }

    /// The criteria group whose "[See data]" statements read this measure.
    pub fn group(self) -> Measure {
        self.definition().group
    }

    pub fn unit(self) -> Unit {
        self.definition().unit
    }

    pub fn higher_is_better(self) -> bool {
        self.definition().higher_is_better
    }

    pub(crate) fn dfe_source(self) -> DfeSource {
        self.definition().dfe
    }

    /// Whether `figure` is worse than `other` for this measure.
    pub fn worse(self, figure: f64, other: f64) -> bool {
        if self.higher_is_better() {
            figure < other
        } else {
            figure > other
        }
    }

    /// A figure as a panel or a sentence shows it, or why there is none.
    pub fn show(self, figure: Figure) -> String {
        match figure {
            Figure::Value(value) => self.unit().format(value),
            Figure::Missing(reason) => reason.label().to_owned(),
        }
    }

    fn range(self) -> RangeInclusive<f64> {
        let (low, high) = self.definition().range;
        low..=high
    }

    /// Reads one cell: a number in range (with "%" where the unit is a
    /// percentage), or a code for a missing figure.
    pub fn figure(self, cell: &str) -> Result<Figure, String> {
        let cell = cell.trim();
        if let Some(missing) = NoFigure::from_code(cell) {
            return Ok(Figure::Missing(missing));
        }
        let number = match cell.strip_suffix('%') {
            Some(number) if self.unit().is_percentage() => number.trim_end(),
            _ => cell,
        };
        let value = number
            .parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .ok_or_else(|| {
                format!(
                    "{cell:?} is not a number, nor a code for a missing figure \
                     (SUPP, NE, NP, LOWCOV, NA, x, c or blank)"
                )
            })?;
        let range = self.range();
        if range.contains(&value) {
            Ok(Figure::Value(value))
        } else {
            Err(format!(
                "{cell} is outside the range of {} ({} to {})",
                self.label(),
                range.start(),
                range.end()
            ))
        }
    }
}

impl TryFrom<String> for PerformanceMeasure {
    type Error = String;

    fn try_from(id: String) -> Result<Self, Self::Error> {
        id.parse()
    }
}

impl std::str::FromStr for PerformanceMeasure {
    type Err = String;

    fn from_str(id: &str) -> Result<Self, Self::Err> {
        let id = id.trim();
        PerformanceMeasure::ALL
            .into_iter()
            .find(|measure| measure.id().eq_ignore_ascii_case(id))
            .ok_or_else(|| {
                let known: Vec<&str> = PerformanceMeasure::ALL.iter().map(|m| m.id()).collect();
                format!(
                    "{id:?} is not a measure; the measures are {}",
                    known.join(", ")
                )
            })
    }
}

impl From<PerformanceMeasure> for &'static str {
    fn from(measure: PerformanceMeasure) -> Self {
        measure.id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_read_back() {
        let mut ids: Vec<&str> = PerformanceMeasure::ALL.iter().map(|m| m.id()).collect();
        for measure in PerformanceMeasure::ALL {
            assert_eq!(measure.id().parse(), Ok(measure));
            assert!(measure
                .id()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            let json = serde_json::to_string(&measure).expect("serializes");
            assert_eq!(json, format!("{:?}", measure.id()));
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PerformanceMeasure::ALL.len());
    }

    #[test]
    fn every_criteria_group_has_a_measure() {
        for group in [
            Measure::Attainment,
            Measure::Progress,
            Measure::Attendance,
            Measure::Suspensions,
            Measure::DisadvantagedGap,
        ] {
            assert!(
                PerformanceMeasure::ALL.iter().any(|m| m.group() == group),
                "{group:?}"
            );
        }
    }

    #[test]
    fn cells_read_as_numbers_codes_or_refusals() {
        use PerformanceMeasure as M;
        let cases: [(M, &str, Result<Figure, &str>); 14] = [
            (M::Ks2RwmExpected, "65", Ok(Figure::Value(65.0))),
            (M::Ks2RwmExpected, " 65% ", Ok(Figure::Value(65.0))),
            (M::Ks4Progress8, "-0.45", Ok(Figure::Value(-0.45))),
            (
                M::Ks2RwmExpected,
                "SUPP",
                Ok(Figure::Missing(NoFigure::Suppressed)),
            ),
            (
                M::Ks2RwmExpected,
                "c",
                Ok(Figure::Missing(NoFigure::Suppressed)),
            ),
            (
                M::Ks4Attainment8,
                "NE",
                Ok(Figure::Missing(NoFigure::NoEntries)),
            ),
            (
                M::Ks4Progress8,
                "NP",
                Ok(Figure::Missing(NoFigure::NotPublished)),
            ),
            (
                M::Ks2WritingExpected,
                "LOWCOV",
                Ok(Figure::Missing(NoFigure::LowCoverage)),
            ),
            (
                M::OverallAbsence,
                "na",
                Ok(Figure::Missing(NoFigure::NotApplicable)),
            ),
            (
                M::OverallAbsence,
                "x",
                Ok(Figure::Missing(NoFigure::NotAvailable)),
            ),
            (
                M::OverallAbsence,
                "",
                Ok(Figure::Missing(NoFigure::NotAvailable)),
            ),
            (M::Ks2RwmExpected, "sixty", Err("\"sixty\" is not a number")),
            (M::Ks2RwmExpected, "165", Err("165 is outside the range")),
            (M::Ks4Attainment8, "46%", Err("\"46%\" is not a number")),
        ];
        for (measure, cell, expected) in cases {
            match (measure.figure(cell), expected) {
                (Ok(figure), Ok(wanted)) => assert_eq!(figure, wanted, "{cell:?}"),
                (Err(problem), Err(start)) => assert!(problem.starts_with(start), "{problem}"),
                (read, wanted) => panic!("{cell:?}: read {read:?}, wanted {wanted:?}"),
            }
        }
        assert!(M::Ks2RwmExpected.figure("NaN").is_err());
        assert!(M::Ks2RwmExpected.figure("inf").is_err());
    }

    #[test]
    fn figures_are_shown_in_their_unit() {
        assert_eq!(Unit::Percent.format(62.0), "62%");
        assert_eq!(Unit::Percent.format(62.46), "62.5%");
        assert_eq!(Unit::PercentagePoints.format(21.0), "21 pp");
        assert_eq!(Unit::Points.format(46.25), "46.2");
        assert_eq!(Unit::Score.format(0.1), "+0.10");
        assert_eq!(Unit::Score.format(-0.456), "-0.46");
    }

    #[test]
    fn worse_respects_the_direction_of_the_measure() {
        assert!(PerformanceMeasure::Ks2RwmExpected.worse(50.0, 60.0));
        assert!(!PerformanceMeasure::Ks2RwmExpected.worse(60.0, 60.0));
        assert!(PerformanceMeasure::OverallAbsence.worse(8.0, 6.0));
        assert!(!PerformanceMeasure::OverallAbsence.worse(5.0, 6.0));
    }
}

//! The school year: academic year, term and half-term of any date.
//!
//! An authority's term dates are data (`assets/term-dates.toml`); a year the
//! data does not list falls back to a default rule, so every date has a term.
//!
//! Rules that hold either way:
//! - the academic year starts on 1 September;
//! - a holiday belongs to the term (and half-term) before it, so a visit in
//!   the Christmas holiday counts for the autumn term, and the days of
//!   September before term starts count for the autumn term;
//! - the second half of a term starts on the first day after its half-term break.
//!
//! The default rule, for years without data: autumn from the first weekday on
//! or after 1 September to the last Friday on or before 21 December, with the
//! half-term break in the last full week of October; spring from the first
//! weekday on or after 2 January to Maundy Thursday, break in the week of the
//! third Monday of February; summer from the Monday after Easter Monday to the
//! last weekday on or before 22 July, break in the week of the late-May bank
//! holiday (the last Monday of May).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::toml_date::TomlDate;

/// An academic year, named by the calendar year it starts in: 2026 is 2026/27.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AcademicYear(pub i32);

impl AcademicYear {
    pub fn of(date: NaiveDate) -> AcademicYear {
        if date.month() >= 9 {
            AcademicYear(date.year())
        } else {
            AcademicYear(date.year() - 1)
        }
    }

    pub fn first_day(self) -> NaiveDate {
        ymd(self.0, 9, 1)
    }

    pub fn last_day(self) -> NaiveDate {
        ymd(self.0 + 1, 8, 31)
    }

    /// Reads "2026/27" (or "2026-27").
    pub fn parse(text: &str) -> Option<AcademicYear> {
        let (start, end) = text.trim().split_once(['/', '-'])?;
        let start: i32 = start.parse().ok()?;
        let end: i32 = end.parse().ok()?;
        (end == (start + 1) % 100 && end < 100).then_some(AcademicYear(start))
    }
}

impl fmt::Display for AcademicYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    Autumn,
    Spring,
    Summer,
}

impl Term {
    pub const ALL: [Term; 3] = [Term::Autumn, Term::Spring, Term::Summer];

    pub fn label(self) -> &'static str {
        match self {
            Term::Autumn => "Autumn",
            Term::Spring => "Spring",
            Term::Summer => "Summer",
        }
    }
}

/// One of the six half-terms of a year, 1 (autumn, first half) to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HalfTerm(u8);

impl HalfTerm {
    pub fn new(term: Term, second_half: bool) -> HalfTerm {
        let first = match term {
            Term::Autumn => 1,
            Term::Spring => 3,
            Term::Summer => 5,
        };
        HalfTerm(first + u8::from(second_half))
    }

    /// Half-term 1 to 6; None for any other number.
    pub fn from_number(number: u8) -> Option<HalfTerm> {
        (1..=6).contains(&number).then_some(HalfTerm(number))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn term(self) -> Term {
        match self.0 {
            1 | 2 => Term::Autumn,
            3 | 4 => Term::Spring,
            _ => Term::Summer,
        }
    }

    pub fn is_second_half(self) -> bool {
        self.0.is_multiple_of(2)
    }
}

/// The dates of one term: first day, the half-term break (first and last
/// day off), and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermDates {
    pub start: NaiveDate,
    pub half_term_break: (NaiveDate, NaiveDate),
    pub end: NaiveDate,
}

impl TermDates {
    /// The first day of the second half of the term.
    pub fn second_half_starts(&self) -> NaiveDate {
        self.half_term_break.1 + Days::new(1)
    }

    fn is_term_time(&self, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
            && !(self.half_term_break.0..=self.half_term_break.1).contains(&date)
    }
}

/// The three terms of one academic year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearDates {
    pub autumn: TermDates,
    pub spring: TermDates,
    pub summer: TermDates,
}

impl YearDates {
    pub fn term(&self, term: Term) -> &TermDates {
        match term {
            Term::Autumn => &self.autumn,
            Term::Spring => &self.spring,
            Term::Summer => &self.summer,
        }
    }

    /// The days that count for a term: from its first day (1 September for
    /// autumn) to the day before the next term starts (31 August for summer),
    /// so each holiday counts for the term before it.
    pub fn term_span(&self, year: AcademicYear, term: Term) -> (NaiveDate, NaiveDate) {
        let first = match term {
            Term::Autumn => year.first_day(),
            _ => self.term(term).start,
        };
        let last = match term {
            Term::Autumn => self.spring.start - Days::new(1),
            Term::Spring => self.summer.start - Days::new(1),
            Term::Summer => year.last_day(),
        };
        (first, last)
    }

    /// The days that count for a half-term, holidays included as for terms.
    pub fn half_term_span(&self, year: AcademicYear, half: HalfTerm) -> (NaiveDate, NaiveDate) {
        let (first, last) = self.term_span(year, half.term());
        let second_half = self.term(half.term()).second_half_starts();
        if half.is_second_half() {
            (second_half, last)
        } else {
            (first, second_half - Days::new(1))
        }
    }

    /// The default rule (see the module docs) for a year without data.
    pub fn default_for(year: AcademicYear) -> YearDates {
        let (y, next) = (year.0, year.0 + 1);
        let easter = easter_sunday(next);
        let october_break = monday_on_or_before(ymd(y, 10, 27));
        let february_break = first_on_or_after(ymd(next, 2, 15), Weekday::Mon);
        let may_break = monday_on_or_before(ymd(next, 5, 31));
        YearDates {
            autumn: TermDates {
                start: weekday_on_or_after(ymd(y, 9, 1)),
                half_term_break: (october_break, october_break + Days::new(4)),
                end: friday_on_or_before(ymd(y, 12, 21)),
            },
            spring: TermDates {
                start: weekday_on_or_after(ymd(next, 1, 2)),
                half_term_break: (february_break, february_break + Days::new(4)),
                end: easter - Days::new(3),
            },
            summer: TermDates {
                start: easter + Days::new(8),
                half_term_break: (may_break, may_break + Days::new(4)),
                end: weekday_on_or_before(ymd(next, 7, 22)),
            },
        }
    }

    /// Checks the dates are in order and inside their academic year.
    fn validate(&self, year: AcademicYear) -> Result<(), String> {
        let mut previous_end: Option<(Term, NaiveDate)> = None;
        for term in Term::ALL {
            let dates = self.term(term);
            let name = term.label().to_lowercase();
            if dates.start < year.first_day() || dates.end > year.last_day() {
                return Err(format!(
                    "{name}: dates fall outside the academic year {year}"
                ));
            }
            if !(dates.start < dates.half_term_break.0
                && dates.half_term_break.0 <= dates.half_term_break.1
                && dates.half_term_break.1 < dates.end)
            {
                return Err(format!(
                    "{name}: expected start < half_term_break (first, last day off) < end"
                ));
            }
            if let Some((before, end)) = previous_end.filter(|(_, end)| *end >= dates.start) {
                return Err(format!(
                    "{name} starts on {} before the {} term ends on {end}",
                    dates.start,
                    before.label().to_lowercase()
                ));
            }
            previous_end = Some((term, dates.end));
        }
        Ok(())
    }
}

/// Where a date falls in the school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermPosition {
    pub year: AcademicYear,
    pub term: Term,
    pub half_term: HalfTerm,
    /// False in the holidays and half-term breaks.
    pub term_time: bool,
}

impl TermPosition {
    /// "Autumn term 2026/27, second half-term" (", holiday" out of term time).
    pub fn label(&self) -> String {
        let half = if self.half_term.is_second_half() {
            "second"
        } else {
            "first"
        };
        let holiday = if self.term_time { "" } else { " (holiday)" };
        format!(
            "{} term {}, {half} half-term{holiday}",
            self.term.label(),
            self.year
        )
    }
}

/// Why a term-dates file was refused.
#[derive(Debug, Error)]
pub enum CalendarError {
    #[error("{0}")]
    Syntax(String),
    #[error("line {line}: year {year}: {problem}")]
    Dates {
        line: usize,
        year: String,
        problem: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermDatesFile {
    #[allow(dead_code)] // Named in the file for the reader; the app does not use it.
    authority: Option<String>,
    #[serde(default)]
    year: Vec<toml::Spanned<YearEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    year: String,
    autumn: TermEntry,
    spring: TermEntry,
    summer: TermEntry,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermEntry {
    start: TomlDate,
    half_term_break: (TomlDate, TomlDate),
    end: TomlDate,
}

impl From<TermEntry> for TermDates {
    fn from(entry: TermEntry) -> TermDates {
        TermDates {
            start: entry.start.0,
            half_term_break: (entry.half_term_break.0 .0, entry.half_term_break.1 .0),
            end: entry.end.0,
        }
    }
}

/// An authority's term dates, falling back to the default rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCalendar {
    years: BTreeMap<AcademicYear, YearDates>,
}

impl TermCalendar {
    /// Reads a term-dates file (see `assets/term-dates.toml` for the format).
    pub fn from_toml(text: &str) -> Result<TermCalendar, CalendarError> {
        let file: TermDatesFile =
            toml::from_str(text).map_err(|error| CalendarError::Syntax(error.to_string()))?;
        let mut years = BTreeMap::new();
        for spanned in file.year {
            let line = line_of(text, spanned.span().start);
            let entry = spanned.into_inner();
            let fail = |problem: String| CalendarError::Dates {
                line,
                year: entry.year.clone(),
                problem,
            };
            let year = AcademicYear::parse(&entry.year)
                .ok_or_else(|| fail("expected a year like \"2026/27\"".to_owned()))?;
            let dates = YearDates {
                autumn: entry.autumn.into(),
                spring: entry.spring.into(),
                summer: entry.summer.into(),
            };
            dates.validate(year).map_err(&fail)?;
            if years.insert(year, dates).is_some() {
                return Err(fail("the year is listed twice".to_owned()));
            }
        }
        Ok(TermCalendar { years })
    }

    /// The year's dates from the data, or from the default rule.
    pub fn year_dates(&self, year: AcademicYear) -> YearDates {
        self.years
            .get(&year)
            .copied()
            .unwrap_or_else(|| YearDates::default_for(year))
    }

    pub fn locate(&self, date: NaiveDate) -> TermPosition {
        let year = AcademicYear::of(date);
        let dates = self.year_dates(year);
        let term = Term::ALL
            .into_iter()
            .rev()
            .find(|term| date >= dates.term(*term).start)
            .unwrap_or(Term::Autumn);
        let term_dates = dates.term(term);
        TermPosition {
            year,
            term,
            half_term: HalfTerm::new(term, date >= term_dates.second_half_starts()),
            term_time: term_dates.is_term_time(date),
        }
    }
}

/// The 1-based line of a byte offset, for messages that point into a file.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("month and day are fixed valid constants")
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn weekday_on_or_after(mut date: NaiveDate) -> NaiveDate {
    while is_weekend(date) {
        date = date + Days::new(1);
    }
    date
}

fn weekday_on_or_before(mut date: NaiveDate) -> NaiveDate {
    while is_weekend(date) {
        date = date - Days::new(1);
    }
    date
}

fn first_on_or_after(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date + Days::new(u64::from(ahead))
}

fn monday_on_or_before(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

fn friday_on_or_before(date: NaiveDate) -> NaiveDate {
    let back =
        (7 + date.weekday().num_days_from_monday() - Weekday::Fri.num_days_from_monday()) % 7;
    date - Days::new(u64::from(back))
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = r#"
authority = "Fenbridge City Council"

[[year]]
year = "2026/27"
autumn = { start = 2026-09-03, half_term_break = [2026-10-26, 2026-10-30], end = 2026-12-18 }
spring = { start = 2027-01-05, half_term_break = [2027-02-15, 2027-02-19], end = 2027-03-25 }
summer = { start = 2027-04-12, half_term_break = [2027-05-31, 2027-06-04], end = 2027-07-21 }
"#;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        ymd(y, m, d)
    }

    #[test]
    fn academic_years_start_on_the_first_of_september() {
        assert_eq!(AcademicYear::of(date(2026, 8, 31)), AcademicYear(2025));
        assert_eq!(AcademicYear::of(date(2026, 9, 1)), AcademicYear(2026));
        assert_eq!(AcademicYear(2026).to_string(), "2026/27");
        assert_eq!(AcademicYear(1999).to_string(), "1999/00");
        assert_eq!(AcademicYear::parse("2026/27"), Some(AcademicYear(2026)));
        assert_eq!(AcademicYear::parse("1999-00"), Some(AcademicYear(1999)));
        assert_eq!(AcademicYear::parse("2026/28"), None);
    }

    #[test]
    fn easter_falls_on_known_dates() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    }

    #[test]
    fn the_authoritys_dates_place_each_day() {
        let calendar = TermCalendar::from_toml(SAMPLE).expect("sample parses");
        let at = |y, m, d| calendar.locate(date(y, m, d));
        assert_eq!(at(2026, 9, 1).half_term.number(), 1);
        assert!(!at(2026, 9, 1).term_time, "before term starts");
        assert!(at(2026, 9, 3).term_time);
        assert_eq!(
            at(2026, 10, 28).half_term.number(),
            1,
            "break belongs to the half before"
        );
        assert!(!at(2026, 10, 28).term_time);
        assert_eq!(at(2026, 11, 2).half_term.number(), 2);
        assert_eq!(
            at(2026, 12, 24).term,
            Term::Autumn,
            "holiday belongs to the term before"
        );
        assert_eq!(at(2027, 1, 5).half_term.number(), 3);
        assert_eq!(at(2027, 2, 22).half_term.number(), 4);
        assert_eq!(at(2027, 4, 1).term, Term::Spring, "Easter holiday");
        assert_eq!(at(2027, 4, 12).half_term.number(), 5);
        assert_eq!(at(2027, 6, 7).half_term.number(), 6);
        assert_eq!(at(2027, 8, 20).term, Term::Summer);
        assert_eq!(at(2027, 8, 20).year, AcademicYear(2026));
    }

    #[test]
    fn years_without_data_follow_the_default_rule() {
        let calendar = TermCalendar::default();
        let dates = calendar.year_dates(AcademicYear(2025));
        assert_eq!(dates.autumn.start, date(2025, 9, 1));
        assert_eq!(
            dates.autumn.half_term_break,
            (date(2025, 10, 27), date(2025, 10, 31))
        );
        assert_eq!(dates.autumn.end, date(2025, 12, 19));
        assert_eq!(dates.spring.start, date(2026, 1, 2));
        assert_eq!(dates.spring.half_term_break.0, date(2026, 2, 16));
        assert_eq!(dates.spring.end, date(2026, 4, 2), "Maundy Thursday");
        assert_eq!(dates.summer.start, date(2026, 4, 13));
        assert_eq!(
            dates.summer.half_term_break.0,
            date(2026, 5, 25),
            "late-May bank holiday"
        );
        assert_eq!(dates.summer.end, date(2026, 7, 22));
        assert_eq!(
            calendar.locate(date(2025, 11, 23)).label(),
            "Autumn term 2025/26, second half-term"
        );
    }

    #[test]
    fn malformed_term_dates_name_the_line_and_the_problem() {
        let swapped = SAMPLE.replace("end = 2027-03-25", "end = 2027-02-01");
        let error = TermCalendar::from_toml(&swapped).expect_err("spring ends before its break");
        assert_eq!(
            error.to_string(),
            "line 4: year 2026/27: spring: expected start < half_term_break (first, last day off) < end"
        );
        let overlap = SAMPLE.replace("start = 2027-01-05", "start = 2026-12-10");
        let error = TermCalendar::from_toml(&overlap).expect_err("spring overlaps autumn");
        assert!(error
            .to_string()
            .contains("spring starts on 2026-12-10 before the autumn term ends"));
        let typo = SAMPLE.replace("half_term_break = [2026", "half_term = [2026");
        let error = TermCalendar::from_toml(&typo).expect_err("unknown field");
        assert!(error.to_string().contains("line 6"), "{error}");
        let bad_year = SAMPLE.replace("\"2026/27\"", "\"2026/28\"");
        assert!(TermCalendar::from_toml(&bad_year).is_err());
    }

    #[test]
    fn the_shipped_term_dates_are_valid() {
        let text = include_str!("../../../assets/term-dates.toml");
        let calendar = TermCalendar::from_toml(text).expect("assets/term-dates.toml parses");
        assert_eq!(
            calendar.locate(date(2026, 11, 23)).label(),
            "Autumn term 2026/27, second half-term"
        );
    }

    proptest! {
        #[test]
        fn every_default_year_is_well_formed(start in 1990i32..2200) {
            let year = AcademicYear(start);
            prop_assert!(YearDates::default_for(year).validate(year).is_ok());
        }

        #[test]
        fn every_date_lies_in_the_span_of_the_half_term_it_falls_in(day in 0u64..36_500) {
            let calendar = TermCalendar::from_toml(include_str!("../../../assets/term-dates.toml"))
                .expect("shipped dates");
            let when = date(2000, 1, 1) + Days::new(day);
            let position = calendar.locate(when);
            let dates = calendar.year_dates(position.year);
            let (first, last) = dates.half_term_span(position.year, position.half_term);
            prop_assert!(first <= when && when <= last, "{when} outside {first}..{last}");
            let (term_first, term_last) = dates.term_span(position.year, position.term);
            prop_assert!(term_first <= first && last <= term_last);
        }

        #[test]
        fn a_later_date_never_falls_in_an_earlier_half_term(day in 0u64..36_500, gap in 0u64..400) {
            let calendar = TermCalendar::default();
            let first = date(2000, 1, 1) + Days::new(day);
            let second = first + Days::new(gap);
            let (a, b) = (calendar.locate(first), calendar.locate(second));
            prop_assert!((a.year, a.half_term) <= (b.year, b.half_term));
            prop_assert_eq!(a.half_term.term(), a.term);
        }
    }
}

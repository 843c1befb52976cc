//! Each school's standing on a day (category, direction, review due, visits
//! owed), gathered from the store in a few queries and judged by
//! `caseload_core::standing`.

use std::collections::{BTreeMap, BTreeSet};

use caseload_core::action::Action;
use caseload_core::review::Review;
use caseload_core::standing::{standing_on, SchoolRecords, Standing};
use caseload_core::visit::VisitOutline;
use caseload_core::{AcademicYear, AdviserId, School, Urn};
use chrono::NaiveDate;
use rusqlite::Connection;
use uuid::Uuid;

use crate::queries::{by_school, term_calendar, urn_list, IN_URN_LIST};
use crate::records::{load_for_counting, load_where};
use crate::views::{SchoolDue, SchoolScope};
use crate::{Store, StoreError};

impl Store {
    /// The standing on `today` of each of `schools`, their records found
    /// through the (urn, date) indexes.
    pub(crate) fn standings_on(
        &self,
        today: NaiveDate,
        schools: &[School],
    ) -> Result<BTreeMap<Urn, Standing>, StoreError> {
        let urns = urn_list(schools);
        let actions = by_school(
            load_where::<Action>(
                self.conn(),
                &format!("urn IN {IN_URN_LIST} AND json_extract(status, '$.state') = 'open'"),
                [&urns],
            )?,
            |action| action.urn,
        );
        let histories = Histories::read(self.conn(), AcademicYear::of(today), Some(&urns))?;
        self.judge(today, schools, &histories, &actions)
    }

    /// The standing on `today` of each of `schools`, from their
    /// `histories`, without their actions (every standing's
    /// `actions_overdue` is 0), for the authority-wide view.
    pub(crate) fn standings_from(
        &self,
        today: NaiveDate,
        schools: &[School],
        histories: &Histories,
    ) -> Result<BTreeMap<Urn, Standing>, StoreError> {
        self.judge(today, schools, histories, &BTreeMap::new())
    }

    /// Each school's standing from its histories, its `actions` and
    /// whether it is on this year's enhanced offer.
    fn judge(
        &self,
        today: NaiveDate,
        schools: &[School],
        histories: &Histories,
        actions: &BTreeMap<Urn, Vec<Action>>,
    ) -> Result<BTreeMap<Urn, Standing>, StoreError> {
        let calendar = term_calendar()?;
        let offers: BTreeSet<Urn> = self
            .enhanced_offers(AcademicYear::of(today))?
            .into_iter()
            .collect();
        Ok(schools
            .iter()
            .map(|school| {
                let records = SchoolRecords {
                    school,
                    reviews: histories.reviews.of(school.urn),
                    visits: histories.visits.of(school.urn),
                    actions: actions.get(&school.urn).map_or(&[], Vec::as_slice),
                    enhanced_offer: offers.contains(&school.urn),
                };
                (school.urn, standing_on(today, records, &calendar))
            })
            .collect())
    }

    /// What each school of `scope` is owed on `today`: visits due, done and
    /// overdue, ordered by name.
    pub fn visits_due_on(
        &self,
        today: NaiveDate,
        scope: SchoolScope,
    ) -> Result<Vec<SchoolDue>, StoreError> {
        let schools = self.schools(scope)?;
        let mut standings = self.standings_on(today, &schools)?;
        Ok(schools
            .iter()
            .filter_map(|school| {
                let standing = standings.remove(&school.urn)?;
                Some(SchoolDue::new(school, standing))
            })
            .collect())
    }
}

/// What a standing reads of schools' histories in an academic year: their
/// agreed reviews (without the marks, criteria set and adviser, which a
/// standing never reads) and the outlines of the year's visits, by school.
pub(crate) struct Histories {
    reviews: BySchool<Review>,
    visits: BySchool<VisitOutline>,
}

impl Histories {
    /// Read on `conn`: with `urns` (a [`urn_list`]), of those schools only;
    /// without, of every school, the tables read through in order, which
    /// for most of the store is much faster than a lookup per school.
    pub(crate) fn read(
        conn: &Connection,
        year: AcademicYear,
        urns: Option<&str>,
    ) -> Result<Histories, StoreError> {
        let of_schools = match urns {
            Some(_) => format!("urn IN {IN_URN_LIST}"),
            None => "?1 IS NULL".to_owned(),
        };
        Ok(Histories {
            reviews: BySchool::new(load_for_counting::<Review>(
                conn,
                &format!("status = 'agreed' AND {of_schools}"),
                [urns],
                &[
                    ("marks", "'[]'"),
                    ("criteria_set", "''"),
                    ("adviser", "NULL"),
                ],
            )?),
            visits: BySchool::new(visit_outlines(conn, &of_schools, urns, year.first_day())?),
        })
    }
}

/// Records sorted by school, with where each school's lie: for a national
/// store's hundreds of thousands of records, one allocation rather than a
/// growing vector per school in a map.
struct BySchool<R> {
    records: Vec<R>,
    /// The start and end in `records` of each school's.
    ranges: BTreeMap<Urn, (usize, usize)>,
}

/// A record of one school.
trait OfSchool {
    fn school(&self) -> Urn;
}

impl OfSchool for Review {
    fn school(&self) -> Urn {
        self.urn
    }
}

impl OfSchool for VisitOutline {
    fn school(&self) -> Urn {
        self.urn
    }
}

impl<R: OfSchool> BySchool<R> {
    fn new(mut records: Vec<R>) -> BySchool<R> {
        // Stable: each school's records stay in the order they were read.
        // The reviews are read in order of school already.
        if !records.is_sorted_by_key(R::school) {
            records.sort_by_key(R::school);
        }
        let mut ranges = BTreeMap::new();
        let mut start = 0;
        for school in records.chunk_by(|a, b| a.school() == b.school()) {
            ranges.insert(school[0].school(), (start, start + school.len()));
            start += school.len();
        }
        BySchool { records, ranges }
    }

    fn of(&self, school: Urn) -> &[R] {
        self.ranges
            .get(&school)
            .map_or(&[], |&(start, end)| &self.records[start..end])
    }
}

/// The outlines of the visits of `of_schools` (bound to `urns` as ?1)
/// from `first_day`: one narrow query through the `visit_for_counting`
/// index, each row five plain columns rather than a whole visit.
fn visit_outlines(
    conn: &Connection,
    of_schools: &str,
    urns: Option<&str>,
    first_day: NaiveDate,
) -> Result<Vec<VisitOutline>, StoreError> {
    let sql = format!(
        "SELECT urn, adviser, visited_on, status, addendum_to IS NOT NULL FROM visit \
         WHERE visited_on >= ?2 AND deleted = 0 AND {of_schools}"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(rusqlite::params![urns, first_day.to_string()])?;
    let mut outlines = Vec::new();
    while let Some(row) = rows.next()? {
        outlines.push(visit_outline(row)?);
    }
    Ok(outlines)
}

/// One row of [`visit_outlines`].
fn visit_outline(row: &rusqlite::Row<'_>) -> Result<VisitOutline, StoreError> {
    let urn = Urn(row.get(0)?);
    let corrupt = |what: &str, text: &str| {
        StoreError::Corrupt(format!("a stored visit of {urn} has {what} {text:?}"))
    };
    let text = |index: usize, what: &str| -> Result<Option<&str>, StoreError> {
        row.get_ref(index)?
            .as_str_or_null()
            .map_err(|error| corrupt(what, &error.to_string()))
    };
    let adviser = text(1, "the adviser")?
        .map(|text| Uuid::parse_str(text).map_err(|_| corrupt("the adviser", text)))
        .transpose()?
        .map(AdviserId);
    let visited_on = text(2, "the date")?.unwrap_or_default();
    let status = text(3, "the status")?.unwrap_or_default();
    Ok(VisitOutline {
        urn,
        adviser,
        visited_on: stored_date(visited_on).map_err(|_| corrupt("the date", visited_on))?,
        status: status.parse().map_err(|_| corrupt("the status", status))?,
        addendum: row.get(4)?,
    })
}

/// A stored date, as `NaiveDate` writes it (YYYY-MM-DD), read without
/// chrono's general parser, which took more time than the rest of a
/// visit's outline; any other text goes to that parser.
fn stored_date(text: &str) -> Result<NaiveDate, chrono::ParseError> {
    if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *text.as_bytes() {
        let number = |digits: &[u8]| {
            digits.iter().try_fold(0u32, |sum, digit| {
                digit
                    .is_ascii_digit()
                    .then(|| sum * 10 + u32::from(digit - b'0'))
            })
        };
        let parts = (
            number(&[y1, y2, y3, y4]),
            number(&[m1, m2]),
            number(&[d1, d2]),
        );
        if let (Some(year), Some(month), Some(day)) = parts {
            let year = i32::try_from(year).expect("four digits");
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
                return Ok(date);
            }
        }
    }
    text.parse()
}

#[cfg(test)]
mod tests {
    use super::stored_date;

    #[test]
    fn a_stored_date_reads_as_chrono_reads_it() {
        for text in [
            "2026-09-08",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "2023-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-08",
            "2026/09/08",
            "2026-09-0x",
            "+2026-09-08",
            "",
        ] {
            assert_eq!(
                stored_date(text).ok(),
                text.parse::<chrono::NaiveDate>().ok(),
                "{text:?}"
            );
        }
    }
}

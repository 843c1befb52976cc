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
use uuid::Uuid;

use crate::queries::{by_school, term_calendar, urn_list, IN_URN_LIST};
use crate::records::{load_for_counting, load_where};
use crate::views::{SchoolDue, SchoolScope};
use crate::{Store, StoreError};

impl Store {
    /// The standing on `today` of each of `schools`.
    pub(crate) fn standings_on(
        &self,
        today: NaiveDate,
        schools: &[School],
    ) -> Result<BTreeMap<Urn, Standing>, StoreError> {
        let actions = by_school(
            load_where::<Action>(
                self.conn(),
                &format!("urn IN {IN_URN_LIST} AND json_extract(status, '$.state') = 'open'"),
                [urn_list(schools)],
            )?,
            |action| action.urn,
        );
        self.standings_with(today, schools, &actions, Some(&urn_list(schools)))
    }

    /// The standing on `today` of every school of `schools`, which are all
    /// the open schools of the store, without reading actions (every
    /// standing's `actions_overdue` is 0), for the authority-wide view.
    pub(crate) fn standings_of_all(
        &self,
        today: NaiveDate,
        schools: &[School],
    ) -> Result<BTreeMap<Urn, Standing>, StoreError> {
        self.standings_with(today, schools, &BTreeMap::new(), None)
    }

    /// With `urns` (a [`urn_list`]), only those schools' records are read,
    /// found through the (urn, date) indexes; without, the tables are read
    /// through in order, which for most of the store is much faster than a
    /// lookup per school.
    fn standings_with(
        &self,
        today: NaiveDate,
        schools: &[School],
        actions: &BTreeMap<Urn, Vec<Action>>,
        urns: Option<&str>,
    ) -> Result<BTreeMap<Urn, Standing>, StoreError> {
        let calendar = term_calendar()?;
        let year = AcademicYear::of(today);
        let of_schools = match urns {
            Some(_) => format!("urn IN {IN_URN_LIST}"),
            None => "?1 IS NULL".to_owned(),
        };
        // Without the marks and notes a standing never reads.
        let reviews = by_school(
            load_for_counting::<Review>(
                self.conn(),
                &format!("status = 'agreed' AND {of_schools}"),
                [urns],
                &[("marks", "'[]'")],
            )?,
            |review| review.urn,
        );
        let visits = by_school(
            self.visit_outlines(&of_schools, urns, year.first_day())?,
            |visit| visit.urn,
        );
        let offers: BTreeSet<Urn> = self.enhanced_offers(year)?.into_iter().collect();
        Ok(schools
            .iter()
            .map(|school| {
                let records = SchoolRecords {
                    school,
                    reviews: reviews.get(&school.urn).map_or(&[], Vec::as_slice),
                    visits: visits.get(&school.urn).map_or(&[], Vec::as_slice),
                    actions: actions.get(&school.urn).map_or(&[], Vec::as_slice),
                    enhanced_offer: offers.contains(&school.urn),
                };
                (school.urn, standing_on(today, records, &calendar))
            })
            .collect())
    }

    /// The outlines of the visits of `of_schools` (bound to `urns` as ?1)
    /// from `first_day`: one narrow query through the `visit_for_counting`
    /// index, each row five plain columns rather than a whole visit.
    fn visit_outlines(
        &self,
        of_schools: &str,
        urns: Option<&str>,
        first_day: NaiveDate,
    ) -> Result<Vec<VisitOutline>, StoreError> {
        let sql = format!(
            "SELECT urn, adviser, visited_on, status, addendum_to IS NOT NULL FROM visit \
             WHERE visited_on >= ?2 AND deleted = 0 AND {of_schools}"
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params![urns, first_day.to_string()])?;
        let mut outlines = Vec::new();
        while let Some(row) = rows.next()? {
            outlines.push(visit_outline(row)?);
        }
        Ok(outlines)
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

/// One row of [`Store::visit_outlines`].
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
        visited_on: visited_on
            .parse()
            .map_err(|_| corrupt("the date", visited_on))?,
        status: status.parse().map_err(|_| corrupt("the status", status))?,
        addendum: row.get(4)?,
    })
}

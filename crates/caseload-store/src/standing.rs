//! Each school's standing on a day (category, direction, review due, visits
//! owed), gathered from the store in a few queries and judged by
//! `caseload_core::standing`.

use std::collections::{BTreeMap, BTreeSet};

use caseload_core::action::Action;
use caseload_core::review::Review;
use caseload_core::standing::{standing_on, SchoolRecords, Standing};
use caseload_core::visit::Visit;
use caseload_core::{AcademicYear, School, Urn};
use chrono::NaiveDate;

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
            load_for_counting::<Visit>(
                self.conn(),
                &format!("{of_schools} AND visited_on >= ?2"),
                rusqlite::params![urns, year.first_day().to_string()],
                &[
                    ("purpose", "''"),
                    ("activities", "'[]'"),
                    ("notes", "'[]'"),
                    ("strengths", "''"),
                    ("development", "''"),
                ],
            )?,
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

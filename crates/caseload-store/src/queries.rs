//! The reads behind the app's screens and the CLI's listings.

use std::collections::BTreeMap;

use caseload_core::authority::may_see;
use caseload_core::ofsted::{latest, OfstedInspection};
use caseload_core::{Adviser, AdviserId, Contact, School, TermCalendar, Urn};
use chrono::NaiveDate;

use crate::records::load_where;
use crate::views::{
    AdviserView, ContactView, InspectionView, SchoolProfile, SchoolRow, SchoolScope, StoreStatus,
};
use crate::{Store, StoreError};

const TERM_DATES: &str = include_str!("../../../assets/term-dates.toml");

/// The authority's term dates shipped in `assets/term-dates.toml`.
pub fn term_calendar() -> Result<TermCalendar, StoreError> {
    TermCalendar::from_toml(TERM_DATES)
        .map_err(|error| StoreError::Corrupt(format!("assets/term-dates.toml: {error}")))
}

/// Today on this computer's clock: what the adviser means by "this term".
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

impl Store {
    /// Counts, the current adviser, and where `today` falls in the school year.
    pub fn status_on(&self, today: NaiveDate) -> Result<StoreStatus, StoreError> {
        let adviser = self.current_adviser()?;
        let open = "deleted = 0 AND status <> 'closed'";
        let schools = self.count(&format!("SELECT COUNT(*) FROM school WHERE {open}"), [])?;
        let caseload = match &adviser {
            Some(adviser) => self.count(
                &format!("SELECT COUNT(*) FROM school WHERE {open} AND link_sia = ?1"),
                [adviser.id.to_string()],
            )?,
            None => 0,
        };
        Ok(StoreStatus {
            path: self.path().display().to_string(),
            schools,
            caseload,
            authority_view: adviser
                .as_ref()
                .is_some_and(|adviser| may_see(adviser.role)),
            adviser: adviser.as_ref().map(AdviserView::from),
            term: term_calendar()?.locate(today).label(),
            demo_advisers: self.demo_advisers()?,
        })
    }

    pub(crate) fn count(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<usize, StoreError> {
        let count: i64 = self.conn().query_row(sql, params, |row| row.get(0))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// [`Store::status_on`] for today's date.
    pub fn status(&self) -> Result<StoreStatus, StoreError> {
        self.status_on(today())
    }

    pub fn current_adviser(&self) -> Result<Option<Adviser>, StoreError> {
        let Some(id) = self.current_adviser_id()? else {
            return Ok(None);
        };
        Ok(
            load_where::<Adviser>(self.conn(), "id = ?1", [id.to_string()])?
                .into_iter()
                .next(),
        )
    }

    /// The schools of a scope, ordered by name.
    pub fn schools(&self, scope: SchoolScope) -> Result<Vec<School>, StoreError> {
        let mut schools = match (scope, self.current_adviser_id()?) {
            (SchoolScope::All, _) => load_where::<School>(self.conn(), "1 = 1", [])?,
            (SchoolScope::Caseload, Some(adviser)) => load_where::<School>(
                self.conn(),
                "link_sia = ?1 AND status <> 'closed'",
                [adviser.to_string()],
            )?,
            (SchoolScope::Caseload, None) => Vec::new(),
        };
        schools.sort_by(|a, b| a.name.cmp(&b.name).then(a.urn.cmp(&b.urn)));
        Ok(schools)
    }

    /// The caseload table's rows for a scope, as they stand today.
    pub fn school_rows(&self, scope: SchoolScope) -> Result<Vec<SchoolRow>, StoreError> {
        self.school_rows_on(today(), scope)
    }

    /// The caseload table's rows for a scope, as they stand on `today`.
    pub fn school_rows_on(
        &self,
        today: NaiveDate,
        scope: SchoolScope,
    ) -> Result<Vec<SchoolRow>, StoreError> {
        let schools = self.schools(scope)?;
        let advisers = self.advisers_by_id()?;
        let inspections = by_school(
            load_where::<OfstedInspection>(
                self.conn(),
                &format!("urn IN {IN_URN_LIST}"),
                [urn_list(&schools)],
            )?,
            |inspection| inspection.urn,
        );
        let standings = self.standings_on(today, &schools)?;
        Ok(schools
            .iter()
            .map(|school| {
                let latest = inspections.get(&school.urn).and_then(|list| latest(list));
                let link = school.link_sia.and_then(|id| advisers.get(&id));
                SchoolRow::new(school, latest, link, standings.get(&school.urn))
            })
            .collect())
    }

    /// Fails with [`StoreError::SchoolNotFound`] unless the store holds `urn`.
    pub(crate) fn check_school(&self, urn: Urn) -> Result<(), StoreError> {
        let held = self
            .conn()
            .prepare_cached("SELECT 1 FROM school WHERE urn = ?1 AND deleted = 0")?
            .exists([urn.0])?;
        if held {
            Ok(())
        } else {
            Err(StoreError::SchoolNotFound(urn))
        }
    }

    pub fn school(&self, urn: Urn) -> Result<School, StoreError> {
        load_where::<School>(self.conn(), "urn = ?1", [urn.0])?
            .into_iter()
            .next()
            .ok_or(StoreError::SchoolNotFound(urn))
    }

    /// Everything the school page shows.
    pub fn school_profile(&self, urn: Urn) -> Result<SchoolProfile, StoreError> {
        let school = self.school(urn)?;
        let mut contacts = load_where::<Contact>(self.conn(), "urn = ?1", [urn.0])?;
        contacts.sort_by(|a, b| {
            a.role
                .cmp(&b.role)
                .then(a.name.last_name.cmp(&b.name.last_name))
        });
        let mut inspections = load_where::<OfstedInspection>(self.conn(), "urn = ?1", [urn.0])?;
        inspections.sort_by_key(|inspection| std::cmp::Reverse(inspection.inspected_on));
        let link_sia = match school.link_sia {
            Some(id) => load_where::<Adviser>(self.conn(), "id = ?1", [id.to_string()])?
                .into_iter()
                .next(),
            None => None,
        };
        let standing = self
            .standings_on(today(), std::slice::from_ref(&school))?
            .remove(&urn);
        Ok(SchoolProfile {
            row: SchoolRow::new(
                &school,
                inspections.first(),
                link_sia.as_ref(),
                standing.as_ref(),
            ),
            la_code: school.la_code.to_string(),
            address_lines: school
                .address_lines()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            headteacher: school.headteacher.as_ref().map(|name| name.full()),
            telephone: school.telephone.clone(),
            website: school.website.clone(),
            pupils: school.pupils,
            percentage_fsm: school.percentage_fsm,
            open_date: school.open_date,
            close_date: school.close_date,
            link_sia: link_sia.as_ref().map(AdviserView::from),
            contacts: contacts.iter().map(ContactView::from).collect(),
            inspections: inspections.iter().map(InspectionView::from).collect(),
        })
    }

    fn advisers_by_id(&self) -> Result<BTreeMap<AdviserId, Adviser>, StoreError> {
        Ok(load_where::<Adviser>(self.conn(), "1 = 1", [])?
            .into_iter()
            .map(|adviser| (adviser.id, adviser))
            .collect())
    }
}

/// Records grouped by the school they belong to.
pub(crate) fn by_school<R>(records: Vec<R>, urn: impl Fn(&R) -> Urn) -> BTreeMap<Urn, Vec<R>> {
    let mut grouped: BTreeMap<Urn, Vec<R>> = BTreeMap::new();
    for record in records {
        grouped.entry(urn(&record)).or_default().push(record);
    }
    grouped
}

/// `urn IN` this, bound to [`urn_list`] as `?1`.
pub(crate) const IN_URN_LIST: &str = "(SELECT value FROM json_each(?1))";

/// The schools' URNs as a JSON array, one parameter however many there are.
pub(crate) fn urn_list(schools: &[School]) -> String {
    let urns: Vec<u32> = schools.iter().map(|school| school.urn.0).collect();
    serde_json::Value::from(urns).to_string()
}

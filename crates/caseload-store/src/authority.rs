//! The authority-wide view: every open school's records gathered in one
//! query per kind of record, whatever the number of schools, and counted by
//! `caseload_core::authority`. Nothing here decides what counts.

use std::collections::BTreeMap;

use caseload_core::academy::AcademyConcern;
use caseload_core::authority::{
    authority_view_on, check_viewer, AuthoritySchool, AuthorityTarget, AuthorityView,
};
use caseload_core::letter::Letter;
use caseload_core::msp::MspGroup;
use caseload_core::ofsted::OfstedInspection;
use caseload_core::{Adviser, Record, School, Urn};
use chrono::NaiveDate;

use crate::queries::{by_school, term_calendar};
use crate::records::{load_for_counting, load_where};
use crate::{Store, StoreError};

/// Where the authority's target lives, as errors name it.
const AUTHORITY_FILE: &str = "assets/authority.toml";
const AUTHORITY_TOML: &str = include_str!("../../../assets/authority.toml");

/// What the view never shows of a school (its address, head, contacts,
/// trust and dates), not read: a national store's schools are read whole
/// on every look, and these are most of a school's text.
const UNSHOWN: &[(&str, &str)] = &[
    ("trust", "NULL"),
    ("street", "NULL"),
    ("locality", "NULL"),
    ("town", "NULL"),
    ("postcode", "NULL"),
    ("headteacher", "NULL"),
    ("telephone", "NULL"),
    ("website", "NULL"),
    ("percentage_fsm", "NULL"),
    ("open_date", "NULL"),
    ("close_date", "NULL"),
];

/// The authority's target shipped in `assets/authority.toml`.
fn authority_target() -> Result<AuthorityTarget, StoreError> {
    AuthorityTarget::from_toml(AUTHORITY_TOML).map_err(|error| StoreError::AuthorityTarget {
        file: AUTHORITY_FILE,
        error,
    })
}

impl Store {
    /// The authority-wide view on `today`, for a current adviser who may
    /// see it (a Senior SIA, the Strategic Lead for Governance or an
    /// administrator); anyone else is refused.
    pub fn authority_view_on(&self, today: NaiveDate) -> Result<AuthorityView, StoreError> {
        check_viewer(self.current_adviser()?.as_ref())?;
        let target = authority_target()?;
        let schools: Vec<School> = load_for_counting::<School>(self.conn(), "1 = 1", [], UNSHOWN)?
            .into_iter()
            .filter(School::in_caseload)
            .collect();
        let mut standings = self.standings_of_all(today, &schools)?;
        let mut inspections =
            self.all_by_school("1 = 1", &[], |inspection: &OfstedInspection| inspection.urn)?;
        let mut groups = self.all_by_school("1 = 1", &[], |group: &MspGroup| group.urn)?;
        // The notices' terms and dates count, not their text.
        let mut letters = self.all_by_school(
            "kind = 'warning-notice' AND status = 'issued'",
            &[
                ("body", "''"),
                ("recipients", "'[]'"),
                ("copies_to", "'[]'"),
            ],
            |letter: &Letter| letter.urn,
        )?;
        let mut concerns =
            self.all_by_school("1 = 1", &[], |concern: &AcademyConcern| concern.urn)?;
        let advisers = load_where::<Adviser>(self.conn(), "1 = 1", [])?;
        let mut gathered = Vec::with_capacity(schools.len());
        for school in schools {
            let urn = school.urn;
            let Some(standing) = standings.remove(&urn) else {
                continue;
            };
            gathered.push(AuthoritySchool {
                standing,
                // The latest, as `ofsted::latest` picks it, taken rather than copied.
                inspection: inspections
                    .remove(&urn)
                    .and_then(|list| list.into_iter().max_by_key(|i| i.inspected_on)),
                msp_groups: groups.remove(&urn).unwrap_or_default(),
                letters: letters.remove(&urn).unwrap_or_default(),
                concerns: concerns.remove(&urn).unwrap_or_default(),
                school,
            });
        }
        Ok(authority_view_on(
            today,
            &gathered,
            &advisers,
            &target,
            &term_calendar()?,
        ))
    }

    /// Every record of kind `R` that meets `condition`, by school, without
    /// its `spared` columns (see [`load_for_counting`]): one query.
    fn all_by_school<R: Record>(
        &self,
        condition: &str,
        spared: &[(&str, &str)],
        urn: impl Fn(&R) -> Urn,
    ) -> Result<BTreeMap<Urn, Vec<R>>, StoreError> {
        let records = load_for_counting::<R>(self.conn(), condition, [], spared)?;
        Ok(by_school(records, urn))
    }
}

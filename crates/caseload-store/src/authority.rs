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
use caseload_core::standing::Standing;
use caseload_core::{AcademicYear, Adviser, Record, School, Urn};
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::queries::{by_school, term_calendar};
use crate::records::{load_for_counting, load_where};
use crate::standing::Histories;
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
        // The reviews and visits, half of what the view reads, are read on
        // the second connection while this one reads the rest.
        let (histories, records) = self.read_beside(
            |conn| Histories::read(conn, AcademicYear::of(today), None),
            || ViewRecords::read(self.conn()),
        )?;
        let records = records?;
        let standings = self.standings_from(today, &records.schools, &histories?)?;
        let advisers = load_where::<Adviser>(self.conn(), "1 = 1", [])?;
        Ok(authority_view_on(
            today,
            &records.gather(standings),
            &advisers,
            &target,
            &term_calendar()?,
        ))
    }
}

/// The open schools, without what the view never shows of them, and the
/// records of theirs it reads besides their histories, by school.
struct ViewRecords {
    schools: Vec<School>,
    inspections: BTreeMap<Urn, Vec<OfstedInspection>>,
    groups: BTreeMap<Urn, Vec<MspGroup>>,
    /// The issued warning notices.
    letters: BTreeMap<Urn, Vec<Letter>>,
    concerns: BTreeMap<Urn, Vec<AcademyConcern>>,
}

impl ViewRecords {
    /// One query for each kind of record.
    fn read(conn: &Connection) -> Result<ViewRecords, StoreError> {
        Ok(ViewRecords {
            schools: load_for_counting::<School>(conn, "1 = 1", [], UNSHOWN)?
                .into_iter()
                .filter(School::in_caseload)
                .collect(),
            inspections: all_by_school(conn, "1 = 1", &[], |inspection: &OfstedInspection| {
                inspection.urn
            })?,
            groups: all_by_school(conn, "1 = 1", &[], |group: &MspGroup| group.urn)?,
            // The notices' terms and dates count, not their text.
            letters: all_by_school(
                conn,
                "kind = 'warning-notice' AND status = 'issued'",
                &[
                    ("body", "''"),
                    ("recipients", "'[]'"),
                    ("copies_to", "'[]'"),
                ],
                |letter: &Letter| letter.urn,
            )?,
            concerns: all_by_school(conn, "1 = 1", &[], |concern: &AcademyConcern| concern.urn)?,
        })
    }

    /// Each school with its standing and its records, taken rather than
    /// copied.
    fn gather(mut self, mut standings: BTreeMap<Urn, Standing>) -> Vec<AuthoritySchool> {
        let mut gathered = Vec::with_capacity(self.schools.len());
        for school in self.schools {
            let urn = school.urn;
            let Some(standing) = standings.remove(&urn) else {
                continue;
            };
            gathered.push(AuthoritySchool {
                standing,
                // The latest, as `ofsted::latest` picks it.
                inspection: self
                    .inspections
                    .remove(&urn)
                    .and_then(|list| list.into_iter().max_by_key(|i| i.inspected_on)),
                msp_groups: self.groups.remove(&urn).unwrap_or_default(),
                letters: self.letters.remove(&urn).unwrap_or_default(),
                concerns: self.concerns.remove(&urn).unwrap_or_default(),
                school,
            });
        }
        gathered
    }
}

/// Every record of kind `R` that meets `condition`, by school, without its
/// `spared` columns (see [`load_for_counting`]): one query.
fn all_by_school<R: Record>(
    conn: &Connection,
    condition: &str,
    spared: &[(&str, &str)],
    urn: impl Fn(&R) -> Urn,
) -> Result<BTreeMap<Urn, Vec<R>>, StoreError> {
    let records = load_for_counting::<R>(conn, condition, [], spared)?;
    Ok(by_school(records, urn))
}

//! Half-day visits and the enhanced offer: stored, found, and checked
//! against what is already stored (a finalised visit never changes).

use caseload_core::entitlement::EnhancedOffer;
use caseload_core::visit::{Visit, VisitError, VisitStatus};
use caseload_core::{AcademicYear, School, Urn};

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use uuid::Uuid;

use crate::records::load_where;
use crate::{Store, StoreError};

impl Store {
    /// Visits, oldest first: one school's, or every school's.
    pub fn visits(&self, urn: Option<Urn>) -> Result<Vec<Visit>, StoreError> {
        let mut visits = match urn {
            Some(urn) => load_where::<Visit>(self.conn(), "urn = ?1", [urn.0])?,
            None => load_where::<Visit>(self.conn(), "1 = 1", [])?,
        };
        visits.sort_by_key(|visit| (visit.visited_on, visit.session, visit.id));
        Ok(visits)
    }

    /// Writes a planned or draft visit, or one being finalised; refuses to
    /// change a visit that was finalised before, and an addendum to a visit
    /// that is not finalised.
    pub fn save_visit(&mut self, visit: &Visit) -> Result<(), StoreError> {
        // Autosave calls this on every pause in typing: the checks read two
        // columns, not whole records.
        self.check_school(visit.urn)?;
        if let Some((VisitStatus::Finalised, visited_on)) = self.visit_status(visit.id)? {
            return Err(VisitError::Finalised(visited_on).into());
        }
        if let Some(original) = visit.addendum_to {
            match self.visit_status(original)? {
                Some((VisitStatus::Finalised, _)) => {}
                Some((_, visited_on)) => {
                    return Err(VisitError::AddendumToUnfinished(visited_on).into())
                }
                None => return Err(StoreError::VisitNotFound(original)),
            }
        }
        self.write(|writer| writer.save(visit))?;
        Ok(())
    }

    fn visit_status(&self, id: Uuid) -> Result<Option<(VisitStatus, NaiveDate)>, StoreError> {
        let stored: Option<(String, String)> = self
            .conn()
            .prepare_cached("SELECT status, visited_on FROM visit WHERE id = ?1 AND deleted = 0")?
            .query_row([id.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        stored
            .map(|(status, visited_on)| {
                let status = status.parse().map_err(StoreError::Corrupt)?;
                let visited_on = visited_on
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("visit {id}: date {visited_on:?}")))?;
                Ok((status, visited_on))
            })
            .transpose()
    }

    /// Visits still planned, soonest first, each with its school.
    pub fn planned_visits(&self) -> Result<Vec<(Visit, School)>, StoreError> {
        let visits = load_where::<Visit>(self.conn(), "status = 'planned'", [])?;
        let mut planned = visits
            .into_iter()
            .map(|visit| {
                let school = self.school(visit.urn)?;
                Ok((visit, school))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        planned.sort_by_key(|(visit, _)| (visit.visited_on, visit.session, visit.id));
        Ok(planned)
    }

    pub fn visit(&self, id: Uuid) -> Result<Option<Visit>, StoreError> {
        Ok(
            load_where::<Visit>(self.conn(), "id = ?1", [id.to_string()])?
                .into_iter()
                .next(),
        )
    }

    /// Puts the school on the enhanced offer for `year`; doing it twice is
    /// one offer.
    pub fn add_enhanced_offer(&mut self, urn: Urn, year: AcademicYear) -> Result<(), StoreError> {
        self.check_school(urn)?;
        self.write(|writer| writer.save(&EnhancedOffer::new(urn, year)))?;
        Ok(())
    }

    /// The schools on the enhanced offer in `year`.
    pub fn enhanced_offers(&self, year: AcademicYear) -> Result<Vec<Urn>, StoreError> {
        Ok(
            load_where::<EnhancedOffer>(self.conn(), "year = ?1", [year.0])?
                .into_iter()
                .map(|offer| offer.urn)
                .collect(),
        )
    }
}

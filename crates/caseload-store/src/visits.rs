//! Half-day visits and the enhanced offer: stored, found, and checked
//! against what is already stored (a finalised visit never changes).

use caseload_core::entitlement::EnhancedOffer;
use caseload_core::visit::{Visit, VisitError, VisitStatus};
use caseload_core::{AcademicYear, School, Urn};

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
        self.school(visit.urn)?;
        if let Some(stored) = self.visit(visit.id)? {
            if stored.status == VisitStatus::Finalised {
                return Err(VisitError::Finalised(stored.visited_on).into());
            }
        }
        if let Some(original) = visit.addendum_to {
            match self.visit(original)? {
                Some(original) if original.status == VisitStatus::Finalised => {}
                Some(original) => {
                    return Err(VisitError::AddendumToUnfinished(original.visited_on).into())
                }
                None => return Err(StoreError::VisitNotFound(original)),
            }
        }
        self.write(|writer| writer.save(visit))?;
        Ok(())
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

    pub fn visit(&self, id: uuid::Uuid) -> Result<Option<Visit>, StoreError> {
        Ok(
            load_where::<Visit>(self.conn(), "id = ?1", [id.to_string()])?
                .into_iter()
                .next(),
        )
    }

    /// Puts the school on the enhanced offer for `year`; doing it twice is
    /// one offer.
    pub fn add_enhanced_offer(&mut self, urn: Urn, year: AcademicYear) -> Result<(), StoreError> {
        self.school(urn)?;
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

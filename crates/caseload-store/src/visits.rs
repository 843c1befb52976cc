//! Half-day visits and the enhanced offer: stored, found, and checked
//! against what is already stored (a finalised visit never changes).

use caseload_core::action::{agreed_at, carried_into, Action};
use caseload_core::criteria::Area;
use caseload_core::entitlement::EnhancedOffer;
use caseload_core::visit::{Session, Visit, VisitError, VisitKind, VisitStatus};
use caseload_core::{AcademicYear, School, Urn};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use uuid::Uuid;

use crate::records::load_where;
use crate::{ActionOnDay, Store, StoreError};

/// A visit with what its editor shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitSheet {
    pub visit: Visit,
    pub school: String,
    /// The areas of the criteria set in use: the notes' sections.
    pub areas: Vec<Area>,
    /// The actions agreed at this visit.
    pub agreed: Vec<ActionOnDay>,
    /// The school's open actions agreed elsewhere, to review at this visit.
    pub to_review: Vec<ActionOnDay>,
    /// Addenda written to this visit, oldest first.
    pub addenda: Vec<Visit>,
}

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

    /// Plans a visit to `urn` for the adviser this installation belongs to.
    pub fn plan_visit(
        &mut self,
        urn: Urn,
        visited_on: NaiveDate,
        session: Session,
        kind: VisitKind,
    ) -> Result<Visit, StoreError> {
        let mut visit = Visit::plan(Uuid::now_v7(), urn, visited_on, session, kind);
        visit.adviser = self.current_adviser_id()?;
        self.save_visit(&visit)?;
        Ok(visit)
    }

    /// Saves what the adviser has written so far, as they type: a planned
    /// visit becomes a draft; a finalised one is refused.
    pub fn save_visit_draft(&mut self, mut visit: Visit) -> Result<Visit, StoreError> {
        // `visit` already holds what was typed; the edit checks it may
        // change and marks it begun.
        visit.edit(|_| {})?;
        self.save_visit(&visit)?;
        Ok(visit)
    }

    /// Finalises the visit: from now on it never changes.
    pub fn finalise_visit(&mut self, id: Uuid) -> Result<Visit, StoreError> {
        let mut visit = self.stored_visit(id)?;
        visit.finalise()?;
        self.save_visit(&visit)?;
        Ok(visit)
    }

    /// Starts an addendum, written on `written_on`, to the finalised visit `id`.
    pub fn add_addendum(&mut self, id: Uuid, written_on: NaiveDate) -> Result<Visit, StoreError> {
        let addendum = self
            .stored_visit(id)?
            .addendum(Uuid::now_v7(), written_on)?;
        self.save_visit(&addendum)?;
        Ok(addendum)
    }

    /// The visit `id` with its school's name, the areas to write under, its
    /// actions and those to review (overdue as on `today`), and its addenda.
    pub fn visit_sheet(&self, id: Uuid, today: NaiveDate) -> Result<VisitSheet, StoreError> {
        let visit = self.stored_visit(id)?;
        let actions = self.actions(Some(visit.urn))?;
        let on_day = |found: Vec<&Action>| -> Vec<ActionOnDay> {
            found
                .into_iter()
                .map(|action| ActionOnDay::new(action.clone(), today))
                .collect()
        };
        Ok(VisitSheet {
            school: self.school(visit.urn)?.name,
            areas: self.criteria(None)?.areas,
            agreed: on_day(agreed_at(&actions, visit.id)),
            to_review: on_day(carried_into(&actions, &visit)),
            addenda: load_where::<Visit>(self.conn(), "addendum_to = ?1", [id.to_string()])?,
            visit,
        })
    }

    fn stored_visit(&self, id: Uuid) -> Result<Visit, StoreError> {
        self.visit(id)?.ok_or(StoreError::VisitNotFound(id))
    }

    /// Writes a planned or draft visit, or one being finalised; refuses to
    /// change a visit that was finalised before, and an addendum to a visit
    /// that is not finalised.
    pub fn save_visit(&mut self, visit: &Visit) -> Result<(), StoreError> {
        // Autosave calls this on every pause in typing: the checks read two
        // columns, not whole records, inside the write's own transaction, so
        // they see what the write changes and take no read lock of their own.
        self.write(|writer| {
            check_visit(&writer.tx, visit)?;
            writer.save(visit)
        })?;
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

/// Refuses a visit to a school the store does not hold, a change to a visit
/// finalised before, and an addendum to a visit not yet finalised.
fn check_visit(conn: &Connection, visit: &Visit) -> Result<(), StoreError> {
    let held = conn
        .prepare_cached("SELECT 1 FROM school WHERE urn = ?1 AND deleted = 0")?
        .exists([visit.urn.0])?;
    if !held {
        return Err(StoreError::SchoolNotFound(visit.urn));
    }
    if let Some((VisitStatus::Finalised, visited_on)) = visit_status(conn, visit.id)? {
        return Err(VisitError::Finalised(visited_on).into());
    }
    if let Some(original) = visit.addendum_to {
        match visit_status(conn, original)? {
            Some((VisitStatus::Finalised, _)) => {}
            Some((_, visited_on)) => {
                return Err(VisitError::AddendumToUnfinished(visited_on).into())
            }
            None => return Err(StoreError::VisitNotFound(original)),
        }
    }
    Ok(())
}

fn visit_status(
    conn: &Connection,
    id: Uuid,
) -> Result<Option<(VisitStatus, NaiveDate)>, StoreError> {
    let stored: Option<(String, String)> = conn
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

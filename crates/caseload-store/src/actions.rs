//! Agreed actions in the store: each belongs to a school and to the visit
//! (or, later, the MSP meeting or letter) it was agreed at.

use caseload_core::action::{Action, ActionSource};
use caseload_core::Urn;
use chrono::NaiveDate;

use crate::records::load_where;
use crate::{Store, StoreError};

impl Store {
    /// Writes a new or changed action, checking its school and the visit it came from.
    pub fn save_action(&mut self, action: &Action) -> Result<(), StoreError> {
        self.check_school(action.urn)?;
        if let ActionSource::Visit(visit) = action.source {
            self.visit(visit)?.ok_or(StoreError::VisitNotFound(visit))?;
        }
        self.write(|writer| writer.save(action))?;
        Ok(())
    }

    /// Actions, soonest due first: one school's, or every school's.
    pub fn actions(&self, urn: Option<Urn>) -> Result<Vec<Action>, StoreError> {
        let mut actions = match urn {
            Some(urn) => load_where::<Action>(self.conn(), "urn = ?1", [urn.0])?,
            None => load_where::<Action>(self.conn(), "1 = 1", [])?,
        };
        actions.sort_by_key(|action| (action.due_on, action.id));
        Ok(actions)
    }

    /// Open actions past their due date on `today`, soonest due first.
    pub fn overdue_actions(&self, today: NaiveDate) -> Result<Vec<Action>, StoreError> {
        let mut actions = self.actions(None)?;
        actions.retain(|action| action.is_overdue(today));
        Ok(actions)
    }
}

//! Agreed actions in the store: each belongs to a school and to the visit
//! (or, later, the MSP meeting or letter) it was agreed at.

use caseload_core::action::{Action, ActionError, ActionSource};
use caseload_core::Urn;
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::records::load_where;
use crate::{Store, StoreError};

/// An action as a list shows it on a day: with whether it is overdue then.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionOnDay {
    #[serde(flatten)]
    pub action: Action,
    pub overdue: bool,
}

impl ActionOnDay {
    pub fn new(action: Action, today: NaiveDate) -> Self {
        let overdue = action.is_overdue(today);
        ActionOnDay { action, overdue }
    }
}

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

    /// Agrees a new open action at the visit `visit`.
    pub fn agree_action(
        &mut self,
        visit: Uuid,
        text: &str,
        owner: &str,
        due_on: NaiveDate,
    ) -> Result<Action, StoreError> {
        let urn = self
            .visit(visit)?
            .ok_or(StoreError::VisitNotFound(visit))?
            .urn;
        let source = ActionSource::Visit(visit);
        let action = Action::agree(Uuid::now_v7(), urn, text, owner, due_on, source)?;
        self.save_action(&action)?;
        Ok(action)
    }

    /// Marks the action done on `on`.
    pub fn complete_action(&mut self, id: Uuid, on: NaiveDate) -> Result<Action, StoreError> {
        self.change_action(id, |action| action.complete(on))
    }

    /// Drops the action on `on`, for the reason given.
    pub fn drop_action(
        &mut self,
        id: Uuid,
        on: NaiveDate,
        reason: &str,
    ) -> Result<Action, StoreError> {
        self.change_action(id, |action| action.drop_with_reason(on, reason))
    }

    fn change_action(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut Action) -> Result<(), ActionError>,
    ) -> Result<Action, StoreError> {
        let mut action = self.action(id)?;
        change(&mut action)?;
        self.save_action(&action)?;
        Ok(action)
    }

    pub fn action(&self, id: Uuid) -> Result<Action, StoreError> {
        load_where::<Action>(self.conn(), "id = ?1", [id.to_string()])?
            .into_iter()
            .next()
            .ok_or(StoreError::ActionNotFound(id))
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

    /// The school's actions, soonest due first, each flagged when overdue on `today`.
    pub fn school_actions(
        &self,
        urn: Urn,
        today: NaiveDate,
    ) -> Result<Vec<ActionOnDay>, StoreError> {
        Ok(self
            .actions(Some(urn))?
            .into_iter()
            .map(|action| ActionOnDay::new(action, today))
            .collect())
    }

    /// Open actions past their due date on `today`, soonest due first.
    pub fn overdue_actions(&self, today: NaiveDate) -> Result<Vec<Action>, StoreError> {
        let mut actions = self.actions(None)?;
        actions.retain(|action| action.is_overdue(today));
        Ok(actions)
    }
}

//! Agreed actions: what a school or the authority agreed to do, by when,
//! and where it was agreed.
//!
//! An action is open until it is done or dropped; dropping one needs a
//! reason, because an action log is evidence of what was followed up. An
//! open action past its due date is overdue, and every open action of a
//! school is carried into its next visit to be reviewed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::school::Urn;
use crate::visit::Visit;

/// Red, amber, green: how the action stands in the adviser's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum ActionStatus {
    Open,
    Done { on: NaiveDate },
    Dropped { on: NaiveDate, reason: String },
}

/// Where the action was agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum ActionSource {
    Visit(Uuid),
    MspMeeting(Uuid),
    Letter(Uuid),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub id: Uuid,
    pub urn: Urn,
    pub text: String,
    /// A named person at the school or the authority.
    pub owner: String,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    pub rag: Rag,
    pub source: ActionSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActionError {
    #[error("an action needs {0}")]
    Missing(&'static str),
    #[error("the action is already {0}; reopen it first")]
    Closed(&'static str),
    #[error("a dropped action needs the reason it was dropped")]
    NoReason,
}

impl Action {
    /// A new open action, checked for the words it needs.
    pub fn agree(
        id: Uuid,
        urn: Urn,
        text: &str,
        owner: &str,
        due_on: NaiveDate,
        source: ActionSource,
    ) -> Result<Action, ActionError> {
        let text = required(text, "its text")?;
        let owner = required(owner, "a named owner")?;
        Ok(Action {
            id,
            urn,
            text,
            owner,
            due_on,
            status: ActionStatus::Open,
            rag: Rag::Amber,
            source,
        })
    }

    pub fn is_open(&self) -> bool {
        self.status == ActionStatus::Open
    }

    /// Open and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.due_on < today
    }

    pub fn complete(&mut self, on: NaiveDate) -> Result<(), ActionError> {
        self.check_open()?;
        self.status = ActionStatus::Done { on };
        self.rag = Rag::Green;
        Ok(())
    }

    pub fn drop_with_reason(&mut self, on: NaiveDate, reason: &str) -> Result<(), ActionError> {
        self.check_open()?;
        let reason = required(reason, "").map_err(|_| ActionError::NoReason)?;
        self.status = ActionStatus::Dropped { on, reason };
        Ok(())
    }

    /// Opens a done or dropped action again, as when a review finds it was not done after all.
    pub fn reopen(&mut self) {
        self.status = ActionStatus::Open;
    }

    fn check_open(&self) -> Result<(), ActionError> {
        match self.status {
            ActionStatus::Open => Ok(()),
            ActionStatus::Done { .. } => Err(ActionError::Closed("done")),
            ActionStatus::Dropped { .. } => Err(ActionError::Closed("dropped")),
        }
    }
}

fn required(text: &str, what: &'static str) -> Result<String, ActionError> {
    let text = text.trim();
    if text.is_empty() {
        Err(ActionError::Missing(what))
    } else {
        Ok(text.to_owned())
    }
}

/// The school's open actions, soonest due first: what its next visit reviews.
pub fn to_review_at_next_visit(actions: &[Action], urn: Urn) -> Vec<&Action> {
    soonest_due(actions, |action| action.urn == urn && action.is_open())
}

/// What `visit` reviews: its school's open actions agreed anywhere but at
/// the visit itself, soonest due first.
pub fn carried_into<'a>(actions: &'a [Action], visit: &Visit) -> Vec<&'a Action> {
    let mut carried = to_review_at_next_visit(actions, visit.urn);
    carried.retain(|action| action.source != ActionSource::Visit(visit.id));
    carried
}

/// The actions agreed at the visit `visit`, whatever their state, soonest due first.
pub fn agreed_at(actions: &[Action], visit: Uuid) -> Vec<&Action> {
    soonest_due(actions, |action| {
        action.source == ActionSource::Visit(visit)
    })
}

fn soonest_due(actions: &[Action], keep: impl Fn(&Action) -> bool) -> Vec<&Action> {
    let mut kept: Vec<&Action> = actions.iter().filter(|action| keep(action)).collect();
    kept.sort_by_key(|action| (action.due_on, action.id));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
    }

    fn action(id: u128, urn: u32, due: NaiveDate) -> Action {
        Action::agree(
            Uuid::from_u128(id),
            Urn(urn),
            "Map the writing curriculum from Year 3 to Year 6",
            "Mrs Okafor (deputy head)",
            due,
            ActionSource::Visit(Uuid::from_u128(100)),
        )
        .expect("a valid action")
    }

    #[test]
    fn an_action_needs_text_and_an_owner() {
        let agree = |text, owner| {
            Action::agree(
                Uuid::from_u128(1),
                Urn(1),
                text,
                owner,
                date(12, 1),
                ActionSource::Letter(Uuid::from_u128(2)),
            )
        };
        assert_eq!(agree(" ", "Head"), Err(ActionError::Missing("its text")));
        assert_eq!(
            agree("Do it", ""),
            Err(ActionError::Missing("a named owner"))
        );
        assert_eq!(agree("  Do it ", "Head").expect("valid").text, "Do it");
    }

    #[test]
    fn an_open_action_past_its_date_is_overdue_until_done() {
        let mut action = action(1, 1, date(11, 20));
        assert!(!action.is_overdue(date(11, 20)));
        assert!(action.is_overdue(date(11, 21)));
        action.complete(date(11, 22)).expect("open");
        assert!(!action.is_overdue(date(11, 23)));
        assert_eq!(action.rag, Rag::Green);
        assert_eq!(
            action.complete(date(11, 23)),
            Err(ActionError::Closed("done"))
        );
    }

    #[test]
    fn dropping_needs_a_reason_and_reopening_makes_it_open_again() {
        let mut action = action(1, 1, date(11, 20));
        assert_eq!(
            action.drop_with_reason(date(11, 21), "  "),
            Err(ActionError::NoReason)
        );
        assert!(action.is_open());
        action
            .drop_with_reason(date(11, 21), "Superseded by the MSP action plan")
            .expect("open");
        assert!(!action.is_overdue(date(12, 1)));
        action.reopen();
        assert!(action.is_overdue(date(12, 1)));
    }

    #[test]
    fn the_next_visit_reviews_every_open_action_of_its_school_soonest_due_first() {
        let mut done = action(3, 1, date(10, 1));
        done.complete(date(10, 2)).expect("open");
        let actions = [
            action(1, 1, date(12, 10)),
            action(2, 1, date(10, 15)),
            done,
            action(4, 2, date(10, 1)),
        ];
        let ids: Vec<u128> = to_review_at_next_visit(&actions, Urn(1))
            .iter()
            .map(|action| action.id.as_u128())
            .collect();
        assert_eq!(ids, [2, 1]);
    }

    #[test]
    fn a_visit_reviews_the_open_actions_agreed_elsewhere_and_lists_its_own() {
        let visit = Visit::plan(
            Uuid::from_u128(100),
            Urn(1),
            date(11, 2),
            crate::visit::Session::Am,
            crate::visit::VisitKind::Bespoke,
        );
        let earlier = |id, due| Action {
            source: ActionSource::Visit(Uuid::from_u128(99)),
            ..action(id, 1, due)
        };
        let mut done_here = action(3, 1, date(10, 1));
        done_here.complete(date(10, 2)).expect("open");
        let actions = [
            earlier(1, date(12, 10)),
            action(2, 1, date(12, 1)),
            done_here,
            earlier(4, date(10, 15)),
            Action {
                source: ActionSource::MspMeeting(Uuid::from_u128(7)),
                ..action(5, 2, date(10, 1))
            },
        ];
        let ids = |found: Vec<&Action>| -> Vec<u128> {
            found.iter().map(|action| action.id.as_u128()).collect()
        };
        assert_eq!(ids(carried_into(&actions, &visit)), [4, 1]);
        assert_eq!(ids(agreed_at(&actions, visit.id)), [3, 2]);
    }
}

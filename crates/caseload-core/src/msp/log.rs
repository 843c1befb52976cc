//! The action log an MSP group carries from meeting to meeting.
//!
//! The actions are the school's ordinary [`Action`] records, agreed at a
//! meeting (`ActionSource::MspMeeting`), so the school's page lists them
//! with the actions of its visits. The *live* log is the group's open
//! actions; each meeting keeps its own rows, as the actions stood at the
//! meeting (owner, due date, RAG, done or dropped), so the history of an
//! action across meetings survives its later changes. A closed action drops
//! off the live log and is not carried again; it stays in the history.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::meeting::MspMeeting;
use super::MspError;
use crate::action::{Action, ActionSource, ActionStatus, Rag};

/// One row of a meeting's action log, as the action stood at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedAction {
    pub action: Uuid,
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub rag: Rag,
    pub status: ActionStatus,
    /// Agreed at this meeting, rather than carried from an earlier one.
    pub agreed_here: bool,
}

impl LoggedAction {
    pub fn of(action: &Action, agreed_here: bool) -> LoggedAction {
        LoggedAction {
            action: action.id,
            text: action.text.clone(),
            owner: action.owner.clone(),
            due_on: action.due_on,
            rag: action.rag,
            status: action.status.clone(),
            agreed_here,
        }
    }

    pub fn is_open(&self) -> bool {
        self.status == ActionStatus::Open
    }

    /// "Open", "Done on 2026-11-18", "Dropped: superseded".
    pub fn status_label(&self) -> String {
        match &self.status {
            ActionStatus::Open => "Open".to_owned(),
            ActionStatus::Done { on } => format!("Done {on}"),
            ActionStatus::Dropped { reason, .. } => format!("Dropped: {reason}"),
        }
    }
}

/// How an action was closed at the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Done,
    /// Needs the update's `reason`.
    Dropped,
}

/// What the meeting decided about one action on its log: its RAG, a new
/// owner or due date, or closing it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionUpdate {
    pub action: Uuid,
    #[serde(default)]
    pub rag: Option<Rag>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Why a dropped action was dropped.
    #[serde(default)]
    pub reason: Option<String>,
}

/// An action agreed at the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
    /// Amber unless the meeting says otherwise.
    #[serde(default)]
    pub rag: Option<Rag>,
}

/// Whether `action` was agreed at one of `meetings`.
fn agreed_at_any(action: &Action, meetings: &[&MspMeeting]) -> bool {
    match action.source {
        ActionSource::MspMeeting(id) => meetings.iter().any(|meeting| meeting.id == id),
        _ => false,
    }
}

/// The group's live log: open actions agreed at `meetings` (the group's),
/// soonest due first.
pub fn live<'a>(actions: &'a [Action], meetings: &[MspMeeting]) -> Vec<&'a Action> {
    let meetings: Vec<&MspMeeting> = meetings.iter().collect();
    soonest_due(actions, |action| {
        action.is_open() && agreed_at_any(action, &meetings)
    })
}

/// Every action agreed at the group's meetings, open or closed, soonest
/// due first: the log's history.
pub fn history<'a>(actions: &'a [Action], meetings: &[MspMeeting]) -> Vec<&'a Action> {
    let meetings: Vec<&MspMeeting> = meetings.iter().collect();
    soonest_due(actions, |action| agreed_at_any(action, &meetings))
}

/// The rows of `meeting`'s log as the actions stand now: what it already
/// logged, the open actions carried from the group's earlier meetings, and
/// those agreed at it; carried rows first, each part soonest due first.
pub fn rows_for(
    meeting: &MspMeeting,
    actions: &[Action],
    group_meetings: &[MspMeeting],
) -> Vec<LoggedAction> {
    let earlier: Vec<&MspMeeting> = group_meetings
        .iter()
        .filter(|other| other.id != meeting.id && other.is_before(meeting))
        .collect();
    let here = ActionSource::MspMeeting(meeting.id);
    let logged = |action: &Action| meeting.action_log.iter().any(|row| row.action == action.id);
    let carried = soonest_due(actions, |action| {
        action.source != here
            && (logged(action) || (action.is_open() && agreed_at_any(action, &earlier)))
    });
    let agreed = soonest_due(actions, |action| action.source == here);
    let mut rows: Vec<LoggedAction> = carried
        .into_iter()
        .map(|action| LoggedAction::of(action, false))
        .chain(
            agreed
                .into_iter()
                .map(|action| LoggedAction::of(action, true)),
        )
        .collect();
    // A logged action that has since been deleted keeps its row.
    for row in &meeting.action_log {
        if !rows.iter().any(|kept| kept.action == row.action) {
            rows.push(row.clone());
        }
    }
    rows
}

/// Applies what the meeting of `on` decided about `action`.
pub fn apply(action: &mut Action, update: &ActionUpdate, on: NaiveDate) -> Result<(), MspError> {
    if let Some(rag) = update.rag {
        action.rag = rag;
    }
    if let Some(owner) = &update.owner {
        let owner = owner.trim();
        if owner.is_empty() {
            return Err(crate::action::ActionError::Missing("a named owner").into());
        }
        action.owner = owner.to_owned();
    }
    if let Some(due_on) = update.due_on {
        action.due_on = due_on;
    }
    match (update.outcome, update.reason.as_deref()) {
        (None, None) => {}
        (Some(Outcome::Done), None) => action.complete(on)?,
        (Some(Outcome::Dropped), reason) => {
            action.drop_with_reason(on, reason.unwrap_or_default())?
        }
        (_, Some(_)) => return Err(MspError::ReasonWithoutDrop(action.text.clone())),
    }
    Ok(())
}

/// Actions open and red on both logs: red at two meetings running.
pub fn red_on_both(earlier: &[LoggedAction], later: &[LoggedAction]) -> Vec<Uuid> {
    let red = |row: &LoggedAction| row.is_open() && row.rag == Rag::Red;
    later
        .iter()
        .filter(|row| red(row))
        .filter(|row| {
            earlier
                .iter()
                .any(|before| before.action == row.action && red(before))
        })
        .map(|row| row.action)
        .collect()
}

fn soonest_due(actions: &[Action], keep: impl Fn(&Action) -> bool) -> Vec<&Action> {
    let mut kept: Vec<&Action> = actions.iter().filter(|action| keep(action)).collect();
    kept.sort_by_key(|action| (action.due_on, action.id));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msp::meeting::tests::{day, group, meeting};
    use crate::school::Urn;

    fn action(id: u128, meeting: Uuid, due: NaiveDate) -> Action {
        Action::agree(
            Uuid::from_u128(id),
            Urn(990_101),
            &format!("Action {id}"),
            "Mrs Okafor",
            due,
            ActionSource::MspMeeting(meeting),
        )
        .expect("valid")
    }

    #[test]
    fn open_actions_come_forward_and_closed_ones_drop_off_the_live_log() {
        let group = group();
        let first = meeting(&group, 0x10, day(10, 7));
        let second = meeting(&group, 0x11, day(11, 18));
        let mut done = action(2, first.id, day(11, 1));
        done.complete(day(11, 18)).expect("open");
        let elsewhere = Action {
            source: ActionSource::Visit(Uuid::from_u128(9)),
            ..action(3, first.id, day(10, 30))
        };
        let actions = vec![
            action(1, first.id, day(12, 1)),
            done,
            elsewhere,
            action(4, second.id, day(12, 15)),
        ];
        let meetings = [first.clone(), second.clone()];
        let ids = |found: Vec<&Action>| -> Vec<u128> {
            found.iter().map(|action| action.id.as_u128()).collect()
        };
        assert_eq!(ids(live(&actions, &meetings)), [1, 4]);
        assert_eq!(ids(history(&actions, &meetings)), [2, 1, 4]);

        let rows = rows_for(&second, &actions, &meetings);
        let summary: Vec<(u128, bool)> = rows
            .iter()
            .map(|row| (row.action.as_u128(), row.agreed_here))
            .collect();
        assert_eq!(
            summary,
            [(1, false), (4, true)],
            "the done action is not carried"
        );

        // The first meeting's log does not take in what a later one agreed.
        let rows = rows_for(&first, &actions, &meetings);
        let ids: Vec<u128> = rows.iter().map(|row| row.action.as_u128()).collect();
        assert_eq!(
            ids,
            [2, 1],
            "what it agreed, done since or not, and nothing later"
        );
    }

    #[test]
    fn an_action_closed_at_a_meeting_stays_on_that_meetings_log() {
        let group = group();
        let first = meeting(&group, 0x10, day(10, 7));
        let mut second = meeting(&group, 0x11, day(11, 18));
        let mut actions = vec![action(1, first.id, day(11, 1))];
        let meetings = [first.clone(), second.clone()];
        second.action_log = rows_for(&second, &actions, &meetings);
        let update = ActionUpdate {
            action: Uuid::from_u128(1),
            outcome: Some(Outcome::Done),
            ..ActionUpdate::default()
        };
        apply(&mut actions[0], &update, second.meets_on).expect("applies");
        let rows = rows_for(&second, &actions, &meetings);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].status_label(), "Done 2026-11-18");
        assert_eq!(rows[0].rag, Rag::Green);
        assert!(live(&actions, &meetings).is_empty());
    }

    #[test]
    fn a_meeting_updates_rag_owner_and_due_date_and_closing_needs_what_closing_needs() {
        let mut action = action(1, Uuid::from_u128(0x10), day(11, 1));
        let update = ActionUpdate {
            action: action.id,
            rag: Some(Rag::Red),
            owner: Some(" Mr Mensah (headteacher) ".to_owned()),
            due_on: Some(day(12, 18)),
            ..ActionUpdate::default()
        };
        apply(&mut action, &update, day(11, 18)).expect("applies");
        assert_eq!(
            (action.rag, action.owner.as_str(), action.due_on),
            (Rag::Red, "Mr Mensah (headteacher)", day(12, 18))
        );
        let dropped = ActionUpdate {
            action: action.id,
            outcome: Some(Outcome::Dropped),
            reason: Some(" ".to_owned()),
            ..ActionUpdate::default()
        };
        assert!(apply(&mut action, &dropped, day(11, 18)).is_err());
        let reason_alone = ActionUpdate {
            action: action.id,
            reason: Some("Because".to_owned()),
            ..ActionUpdate::default()
        };
        assert!(matches!(
            apply(&mut action, &reason_alone, day(11, 18)),
            Err(MspError::ReasonWithoutDrop(_))
        ));
        let blank_owner = ActionUpdate {
            action: action.id,
            owner: Some(String::new()),
            ..ActionUpdate::default()
        };
        assert!(apply(&mut action, &blank_owner, day(11, 18)).is_err());
    }

    #[test]
    fn red_at_two_meetings_running_means_open_and_red_on_both_logs() {
        let row = |id: u128, rag: Rag| LoggedAction {
            action: Uuid::from_u128(id),
            text: "x".to_owned(),
            owner: "y".to_owned(),
            due_on: day(12, 1),
            rag,
            status: ActionStatus::Open,
            agreed_here: false,
        };
        let earlier = [row(1, Rag::Red), row(2, Rag::Amber), row(3, Rag::Red)];
        let mut closed = row(3, Rag::Red);
        closed.status = ActionStatus::Dropped {
            on: day(11, 18),
            reason: "Superseded".to_owned(),
        };
        let later = [row(1, Rag::Red), row(2, Rag::Red), closed];
        assert_eq!(red_on_both(&earlier, &later), [Uuid::from_u128(1)]);
    }

    proptest::proptest! {
        #[test]
        fn a_meeting_carries_each_earlier_open_action_once_and_no_closed_one(
            specs in proptest::collection::vec((0u8..3, proptest::bool::ANY, 0u64..90), 0..30),
        ) {
            let group = group();
            let meetings = [
                meeting(&group, 0x10, day(10, 7)),
                meeting(&group, 0x11, day(11, 18)),
                meeting(&group, 0x12, day(12, 16)),
            ];
            let actions: Vec<Action> = specs
                .iter()
                .enumerate()
                .map(|(index, (at, open, due))| {
                    let mut action = action(
                        index as u128 + 1,
                        meetings[usize::from(*at)].id,
                        day(10, 1) + chrono::Days::new(*due),
                    );
                    if !open {
                        action.complete(day(11, 30)).expect("open");
                    }
                    action
                })
                .collect();
            let latest = &meetings[2];
            let rows = rows_for(latest, &actions, &meetings);
            let mut seen = std::collections::BTreeSet::new();
            for row in &rows {
                proptest::prop_assert!(seen.insert(row.action), "logged twice");
            }
            for action in &actions {
                let here = action.source == ActionSource::MspMeeting(latest.id);
                let logged = rows.iter().find(|row| row.action == action.id);
                match logged {
                    Some(row) => {
                        proptest::prop_assert!(here || action.is_open());
                        proptest::prop_assert_eq!(row.agreed_here, here);
                        proptest::prop_assert_eq!(row, &LoggedAction::of(action, here));
                    }
                    None => proptest::prop_assert!(!here && !action.is_open()),
                }
            }
            let carried: Vec<NaiveDate> = rows
                .iter()
                .filter(|row| !row.agreed_here)
                .map(|row| row.due_on)
                .collect();
            proptest::prop_assert!(carried.windows(2).all(|pair| pair[0] <= pair[1]));
        }
    }

    #[test]
    fn an_update_reads_from_toml_and_a_misspelt_outcome_is_refused() {
        let update: ActionUpdate = toml::from_str(
            r#"
action = "00000000-0000-0000-0000-000000000001"
rag = "red"
outcome = "dropped"
reason = "Replaced by the trust's plan"
"#,
        )
        .expect("parses");
        assert_eq!(update.outcome, Some(Outcome::Dropped));
        assert_eq!(
            update.reason.as_deref(),
            Some("Replaced by the trust's plan")
        );
        let misspelt = toml::from_str::<ActionUpdate>(
            "action = \"00000000-0000-0000-0000-000000000001\"\noutcome = \"finished\"",
        );
        assert!(misspelt.is_err());
    }
}

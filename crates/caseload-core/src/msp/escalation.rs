//! When concerns remain: "If concerns remain, a Formal Warning Notice may be
//! issued ... Elected Members are alerted if a school in their ward is
//! causing significant concern."
//!
//! Concerns remain when an action was red at the group's two latest
//! meetings, or when the chair recorded at the latest meeting that they
//! do. The app then proposes the letters (a warning notice, or for an
//! academy a letter of concern to its trust, and an alert to the ward's
//! elected members) with the indicators to cite and the outstanding
//! actions; it never sends anything itself: the adviser drafts each letter
//! through the letters engine, where the open actions fill the notice's
//! table of actions.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::group::MspGroup;
use super::log::{red_on_both, LoggedAction};
use super::meeting::MspMeeting;
use crate::letter::{Letter, LetterKind, LetterStatus};
use crate::school::{Governance, Urn};

/// The catalogue indicator a warning notice proposed by the MSP cites.
pub const WARNING_INDICATOR: &str = "insufficient-progress";
/// For an academy: the indicator its trust's letter of concern cites.
pub const ACADEMY_INDICATOR: &str = "academy-inadequate-progress";
/// The indicator the alert to ward members cites.
pub const MEMBER_INDICATOR: &str = "member-msp-concerns";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Concern {
    /// These actions were open and red at both of the two latest meetings.
    RedTwice {
        earlier: NaiveDate,
        later: NaiveDate,
        actions: Vec<Uuid>,
    },
    /// The chair recorded at the latest meeting that concerns remain.
    ConcernsRemain { meeting: Uuid, meets_on: NaiveDate },
}

/// A letter to propose, with the indicators to cite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposedLetter {
    pub kind: LetterKind,
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub group: Uuid,
    pub urn: Urn,
    pub concerns: Vec<Concern>,
    /// Empty when each letter has been issued since the latest meeting.
    pub letters: Vec<ProposedLetter>,
    /// The open actions of the latest meeting's log, red first, then
    /// soonest due.
    pub outstanding: Vec<LoggedAction>,
}

/// What to propose for `group`, given its meetings, its school's
/// governance and the school's letters; None while no concern remains.
pub fn escalation(
    group: &MspGroup,
    meetings: &[MspMeeting],
    governance: Governance,
    letters: &[Letter],
) -> Option<Escalation> {
    let mut held: Vec<&MspMeeting> = meetings
        .iter()
        .filter(|meeting| meeting.msp_group == group.id && meeting.is_held())
        .collect();
    held.sort_by_key(|meeting| (meeting.meets_on, meeting.id));
    let latest = *held.last()?;
    let mut concerns = Vec::new();
    if let [.., earlier, later] = held.as_slice() {
        let actions = red_on_both(&earlier.action_log, &later.action_log);
        if !actions.is_empty() {
            concerns.push(Concern::RedTwice {
                earlier: earlier.meets_on,
                later: later.meets_on,
                actions,
            });
        }
    }
    if latest.concerns_remain {
        concerns.push(Concern::ConcernsRemain {
            meeting: latest.id,
            meets_on: latest.meets_on,
        });
    }
    if concerns.is_empty() {
        return None;
    }
    let issued_since = |kind: LetterKind| {
        letters.iter().any(|letter| {
            letter.kind == kind
                && letter.status == LetterStatus::Issued
                && letter.dated >= latest.meets_on
        })
    };
    let proposed = [
        (LetterKind::WarningNotice, WARNING_INDICATOR),
        (LetterKind::AcademyConcern, ACADEMY_INDICATOR),
        (LetterKind::MemberAlert, MEMBER_INDICATOR),
    ];
    let letters = proposed
        .into_iter()
        .filter(|(kind, _)| kind.suits(governance) && !issued_since(*kind))
        .map(|(kind, indicator)| ProposedLetter {
            kind,
            indicators: vec![indicator.to_owned()],
        })
        .collect();
    let mut outstanding: Vec<LoggedAction> = latest
        .action_log
        .iter()
        .filter(|row| row.is_open())
        .cloned()
        .collect();
    outstanding.sort_by_key(|row| (row.rag, row.due_on, row.action));
    Some(Escalation {
        group: group.id,
        urn: group.urn,
        concerns,
        letters,
        outstanding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{ActionStatus, Rag};
    use crate::msp::meeting::tests::{day, group, meeting};
    use crate::msp::meeting::MeetingStatus;
    use crate::samples;

    fn row(id: u128, rag: Rag) -> LoggedAction {
        LoggedAction {
            action: Uuid::from_u128(id),
            text: format!("Action {id}"),
            owner: "Mr Mensah".to_owned(),
            due_on: day(12, 1) + chrono::Days::new(id as u64),
            rag,
            status: ActionStatus::Open,
            agreed_here: false,
        }
    }

    fn held(id: u128, on: NaiveDate, log: Vec<LoggedAction>) -> MspMeeting {
        let mut meeting = meeting(&group(), id, on);
        meeting.status = MeetingStatus::Approved;
        meeting.action_log = log;
        meeting
    }

    fn kinds(escalation: &Escalation) -> Vec<LetterKind> {
        escalation
            .letters
            .iter()
            .map(|letter| letter.kind)
            .collect()
    }

    #[test]
    fn an_action_red_at_two_meetings_running_proposes_a_warning_notice_and_a_member_alert() {
        let meetings = [
            held(1, day(10, 7), vec![row(1, Rag::Red), row(2, Rag::Amber)]),
            held(
                2,
                day(11, 18),
                vec![row(1, Rag::Red), row(2, Rag::Red), row(3, Rag::Green)],
            ),
        ];
        let found =
            escalation(&group(), &meetings, Governance::Maintained, &[]).expect("concerns remain");
        assert_eq!(
            found.concerns,
            [Concern::RedTwice {
                earlier: day(10, 7),
                later: day(11, 18),
                actions: vec![Uuid::from_u128(1)],
            }]
        );
        assert_eq!(
            kinds(&found),
            [LetterKind::WarningNotice, LetterKind::MemberAlert]
        );
        assert_eq!(found.letters[0].indicators, [WARNING_INDICATOR]);
        let outstanding: Vec<u128> = found
            .outstanding
            .iter()
            .map(|row| row.action.as_u128())
            .collect();
        assert_eq!(outstanding, [1, 2, 3], "red first, then soonest due");
    }

    #[test]
    fn red_at_meetings_that_are_not_consecutive_or_a_lapsed_plan_is_no_concern() {
        let mut lapsed = meeting(&group(), 4, day(11, 25));
        lapsed.concerns_remain = true;
        let meetings = [
            held(1, day(9, 30), vec![row(1, Rag::Red)]),
            held(2, day(10, 7), vec![row(1, Rag::Amber)]),
            held(3, day(11, 18), vec![row(1, Rag::Red)]),
            lapsed,
        ];
        assert_eq!(
            escalation(&group(), &meetings, Governance::Maintained, &[]),
            None
        );
    }

    #[test]
    fn the_chair_recording_that_concerns_remain_is_enough() {
        let mut latest = held(2, day(11, 18), vec![row(1, Rag::Amber)]);
        latest.concerns_remain = true;
        let found =
            escalation(&group(), &[latest], Governance::Maintained, &[]).expect("concerns remain");
        assert!(matches!(
            found.concerns[..],
            [Concern::ConcernsRemain { .. }]
        ));
    }

    #[test]
    fn an_academy_gets_a_letter_to_its_trust_and_issued_letters_are_not_proposed_again() {
        let mut latest = held(2, day(11, 18), vec![]);
        latest.concerns_remain = true;
        let meetings = [latest];
        let found = escalation(&group(), &meetings, Governance::Academy, &[]).expect("concerns");
        assert_eq!(
            kinds(&found),
            [LetterKind::AcademyConcern, LetterKind::MemberAlert]
        );

        let mut notice = samples::letter();
        notice.status = LetterStatus::Issued;
        notice.dated = day(11, 20);
        let found = escalation(
            &group(),
            &meetings,
            Governance::Maintained,
            &[notice.clone()],
        )
        .expect("concerns");
        assert_eq!(kinds(&found), [LetterKind::MemberAlert]);
        notice.dated = day(11, 1);
        let found =
            escalation(&group(), &meetings, Governance::Maintained, &[notice]).expect("concerns");
        assert_eq!(
            kinds(&found),
            [LetterKind::WarningNotice, LetterKind::MemberAlert]
        );
    }
}

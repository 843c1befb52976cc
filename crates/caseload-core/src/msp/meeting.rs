//! One meeting of an MSP group: planned, then written up (a draft), then
//! approved by the chair, after which it never changes, as an issued letter
//! never does.
//!
//! A meeting records who attended and who sent apologies (members of the
//! group), confidential minutes under each item of its agenda, its
//! decisions, whether concerns remain, its action log (see [`super::log`])
//! and the summary key points shared with the whole governing body, which
//! must never repeat the minutes (see [`super::summary`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::group::MspGroup;
use super::log::{self, ActionUpdate, LoggedAction, NewAction};
use super::{summary, MspError};
use crate::action::{Action, ActionSource};
use crate::school::Urn;

/// The agenda every meeting starts from, in the strategy's order: the MSP
/// discusses the impact of leaders' actions and of the support the school
/// receives, which may be refocused.
pub const STANDARD_AGENDA: [&str; 5] = [
    "Minutes of the previous meeting and the action log",
    "Impact of leaders' actions",
    "Support received, and whether to refocus it",
    "Data",
    "Next steps",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MeetingStatus {
    Planned,
    /// Held and being written up.
    Draft,
    /// Approved by the chair: frozen.
    Approved,
}

/// A member present or sending apologies, as named on the day: the minutes
/// keep the name even if the member later leaves the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub member: Uuid,
    pub name: String,
    pub role: String,
}

/// An item of the agenda and its confidential minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub title: String,
    #[serde(default)]
    pub minutes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MspMeeting {
    pub id: Uuid,
    pub msp_group: Uuid,
    /// The group's school, so the school's records find its meetings.
    pub urn: Urn,
    pub meets_on: NaiveDate,
    pub place: String,
    pub status: MeetingStatus,
    pub attendees: Vec<Attendee>,
    pub apologies: Vec<Attendee>,
    pub agenda: Vec<AgendaItem>,
    pub decisions: Vec<String>,
    /// The chair's judgement that concerns remain after this meeting.
    pub concerns_remain: bool,
    pub action_log: Vec<LoggedAction>,
    /// The key points for the whole governing body: never the minutes.
    pub summary: String,
    pub approved_on: Option<NaiveDate>,
}

/// What the chair writes up. A part left out (None) keeps what is there;
/// agenda items are matched by title, and a new title adds an item.
/// Attendees and apologies name members by id or by full name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesEdit {
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub attendees: Option<Vec<String>>,
    #[serde(default)]
    pub apologies: Option<Vec<String>>,
    #[serde(default)]
    pub items: Vec<AgendaItem>,
    #[serde(default)]
    pub decisions: Option<Vec<String>>,
    #[serde(default)]
    pub concerns_remain: Option<bool>,
    #[serde(default)]
    pub summary: Option<String>,
}

/// Everything recorded about a meeting at once: the write-up, and what was
/// decided about the actions on its log and the new ones agreed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Recording<'a> {
    pub edit: Option<&'a MinutesEdit>,
    pub updates: &'a [ActionUpdate],
    pub new_actions: &'a [NewAction],
}

impl MspMeeting {
    /// A meeting of `group` planned for `meets_on`, its agenda the standard one.
    pub fn schedule(
        id: Uuid,
        group: &MspGroup,
        meets_on: NaiveDate,
        place: &str,
    ) -> Result<MspMeeting, MspError> {
        group.check_open()?;
        if meets_on < group.opened_on {
            return Err(MspError::BeforeOpening {
                meets_on,
                opened_on: group.opened_on,
            });
        }
        Ok(MspMeeting {
            id,
            msp_group: group.id,
            urn: group.urn,
            meets_on,
            place: place.trim().to_owned(),
            status: MeetingStatus::Planned,
            attendees: Vec::new(),
            apologies: Vec::new(),
            agenda: STANDARD_AGENDA
                .iter()
                .map(|title| AgendaItem {
                    title: (*title).to_owned(),
                    minutes: String::new(),
                })
                .collect(),
            decisions: Vec::new(),
            concerns_remain: false,
            action_log: Vec::new(),
            summary: String::new(),
            approved_on: None,
        })
    }

    /// Held: written up or approved (a planned meeting may have lapsed).
    pub fn is_held(&self) -> bool {
        self.status != MeetingStatus::Planned
    }

    /// Earlier than `other` in the group's order of meetings.
    pub fn is_before(&self, other: &MspMeeting) -> bool {
        (self.meets_on, self.id) < (other.meets_on, other.id)
    }

    pub fn check_editable(&self) -> Result<(), MspError> {
        match self.status {
            MeetingStatus::Approved => Err(MspError::Approved(self.meets_on)),
            _ => Ok(()),
        }
    }

    /// The confidential texts: each item's minutes and each decision.
    pub fn confidential_texts(&self) -> impl Iterator<Item = &str> {
        self.agenda
            .iter()
            .map(|item| item.minutes.as_str())
            .chain(self.decisions.iter().map(String::as_str))
    }

    /// Records the write-up and the action decisions whole, or nothing: on
    /// any error the meeting is as it was. Returns the actions to write
    /// (changed or newly agreed); `actions` are the school's, and
    /// `group_meetings` the group's meetings, this one among them or not.
    pub fn record(
        &mut self,
        group: &MspGroup,
        recording: Recording<'_>,
        actions: &[Action],
        group_meetings: &[MspMeeting],
        mut fresh_id: impl FnMut() -> Uuid,
    ) -> Result<Vec<Action>, MspError> {
        self.check_editable()?;
        if self.msp_group != group.id || self.urn != group.urn {
            return Err(MspError::OtherGroup);
        }
        let mut meeting = self.clone();
        if let Some(edit) = recording.edit {
            meeting.write(group, edit)?;
        }
        meeting.action_log = log::rows_for(&meeting, actions, group_meetings);
        let mut changed: Vec<Action> = Vec::new();
        for update in recording.updates {
            let on_log = meeting
                .action_log
                .iter()
                .any(|row| row.action == update.action);
            let current = changed
                .iter()
                .chain(actions)
                .find(|action| action.id == update.action)
                .filter(|_| on_log)
                .cloned();
            let mut action =
                current.ok_or_else(|| MspError::NotOnLog(update.action.to_string()))?;
            log::apply(&mut action, update, meeting.meets_on)?;
            changed.retain(|other| other.id != action.id);
            changed.push(action);
        }
        for new in recording.new_actions {
            let mut action = Action::agree(
                fresh_id(),
                meeting.urn,
                &new.text,
                &new.owner,
                new.due_on,
                ActionSource::MspMeeting(meeting.id),
            )?;
            if let Some(rag) = new.rag {
                action.rag = rag;
            }
            changed.push(action);
        }
        let merged: Vec<Action> = actions
            .iter()
            .filter(|action| !changed.iter().any(|other| other.id == action.id))
            .chain(&changed)
            .cloned()
            .collect();
        meeting.action_log = log::rows_for(&meeting, &merged, group_meetings);
        let recorded = recording.edit.is_some()
            || !recording.updates.is_empty()
            || !recording.new_actions.is_empty();
        if recorded {
            meeting.status = MeetingStatus::Draft;
        }
        *self = meeting;
        Ok(changed)
    }

    /// Applies the write-up, checked; the caller keeps the old meeting on error.
    fn write(&mut self, group: &MspGroup, edit: &MinutesEdit) -> Result<(), MspError> {
        if let Some(place) = &edit.place {
            self.place = place.trim().to_owned();
        }
        let attendees = match &edit.attendees {
            Some(names) => attendance(group, names)?,
            None => self.attendees.clone(),
        };
        let apologies = match &edit.apologies {
            Some(names) => attendance(group, names)?,
            None => self.apologies.clone(),
        };
        if let Some(both) = attendees
            .iter()
            .find(|present| apologies.iter().any(|sent| sent.member == present.member))
        {
            return Err(MspError::PresentAndApologies(both.name.clone()));
        }
        self.attendees = attendees;
        self.apologies = apologies;
        for item in &edit.items {
            let title = item.title.trim();
            if title.is_empty() {
                return Err(MspError::UntitledItem);
            }
            let minutes = item.minutes.trim().to_owned();
            match self
                .agenda
                .iter_mut()
                .find(|existing| existing.title.trim().eq_ignore_ascii_case(title))
            {
                Some(existing) => existing.minutes = minutes,
                None => self.agenda.push(AgendaItem {
                    title: title.to_owned(),
                    minutes,
                }),
            }
        }
        if let Some(decisions) = &edit.decisions {
            self.decisions = decisions
                .iter()
                .map(|decision| decision.trim().to_owned())
                .filter(|decision| !decision.is_empty())
                .collect();
        }
        if let Some(concerns_remain) = edit.concerns_remain {
            self.concerns_remain = concerns_remain;
        }
        if let Some(summary) = &edit.summary {
            self.summary = summary.trim().to_owned();
        }
        summary::check(&self.summary, self.confidential_texts())
    }

    /// Approves the minutes on `on`: from then on the meeting never changes.
    pub fn approve(&mut self, on: NaiveDate) -> Result<(), MspError> {
        self.check_editable()?;
        let incomplete = |why| Err(MspError::Incomplete(self.meets_on, why));
        if self.status == MeetingStatus::Planned {
            return incomplete("nothing has been written up yet");
        }
        if self.attendees.is_empty() {
            return incomplete("record who attended");
        }
        if self
            .agenda
            .iter()
            .all(|item| item.minutes.trim().is_empty())
        {
            return incomplete("write the minutes of at least one agenda item");
        }
        if self.summary.trim().is_empty() {
            return incomplete("write the summary key points for the governing body");
        }
        if on < self.meets_on {
            return Err(MspError::ApprovedBeforeMeeting {
                approved: on,
                meets_on: self.meets_on,
            });
        }
        summary::check(&self.summary, self.confidential_texts())?;
        self.status = MeetingStatus::Approved;
        self.approved_on = Some(on);
        Ok(())
    }
}

/// The members named in `names`, once each, as they are named today.
fn attendance(group: &MspGroup, names: &[String]) -> Result<Vec<Attendee>, MspError> {
    let mut found: Vec<Attendee> = Vec::new();
    for name in names {
        let member = group
            .find_member(name)
            .ok_or_else(|| MspError::NotMember(name.trim().to_owned()))?;
        if !found.iter().any(|attendee| attendee.member == member.id) {
            found.push(Attendee {
                member: member.id,
                name: member.name.clone(),
                role: member.role_label(),
            });
        }
    }
    Ok(found)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::action::Rag;
    use crate::msp::group::{Member, MemberRole};
    use crate::msp::log::Outcome;
    use crate::people::AdviserId;

    pub(crate) fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a date")
    }

    pub(crate) fn group() -> MspGroup {
        let member = |id: u128, name: &str, role| Member {
            id: Uuid::from_u128(id),
            name: name.to_owned(),
            roles: vec![role],
            organisation: None,
            email: None,
        };
        MspGroup {
            id: Uuid::from_u128(0x60),
            urn: Urn(990_101),
            chair: AdviserId(Uuid::from_u128(0x50)),
            members: vec![
                member(0x50, "Margaret Okonjo", MemberRole::Chair),
                member(0x51, "Priya Raman", MemberRole::LinkSia),
                member(0x52, "Mr Kwame Mensah", MemberRole::Headteacher),
                member(0x53, "Mr Geoffrey Lambert", MemberRole::ChairOfGovernors),
            ],
            opened_on: day(9, 28),
            closed: None,
        }
    }

    pub(crate) fn meeting(group: &MspGroup, id: u128, on: NaiveDate) -> MspMeeting {
        MspMeeting::schedule(Uuid::from_u128(id), group, on, "Northgate Primary School")
            .expect("schedules")
    }

    fn edit() -> MinutesEdit {
        MinutesEdit {
            place: None,
            attendees: Some(vec![
                "Margaret Okonjo".to_owned(),
                "mr kwame mensah".to_owned(),
                "Priya Raman".to_owned(),
            ]),
            apologies: Some(vec!["Mr Geoffrey Lambert".to_owned()]),
            items: vec![AgendaItem {
                title: "Impact of leaders' actions".to_owned(),
                minutes: "The interim head described the new behaviour policy. Staff turnover in Year 5 remains a worry for governors.".to_owned(),
            }],
            decisions: Some(vec![
                "Refocus the English support on Year 4 reading.".to_owned()
            ]),
            concerns_remain: Some(false),
            summary: Some(
                "Leaders have made a start on behaviour; reading in Year 4 is the next priority."
                    .to_owned(),
            ),
        }
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut next = 0x1000;
        move || {
            next += 1;
            Uuid::from_u128(next)
        }
    }

    #[test]
    fn a_meeting_starts_from_the_five_standard_agenda_items() {
        let meeting = meeting(&group(), 1, day(10, 7));
        let titles: Vec<&str> = meeting
            .agenda
            .iter()
            .map(|item| item.title.as_str())
            .collect();
        assert_eq!(titles, STANDARD_AGENDA);
        assert_eq!(meeting.status, MeetingStatus::Planned);
        assert!(MspMeeting::schedule(Uuid::from_u128(2), &group(), day(9, 1), "").is_err());
    }

    #[test]
    fn writing_up_names_members_fills_items_by_title_and_makes_a_draft() {
        let group = group();
        let mut meeting = meeting(&group, 1, day(10, 7));
        let mut edit = edit();
        edit.items.push(AgendaItem {
            title: "Any other business".to_owned(),
            minutes: "None.".to_owned(),
        });
        let recording = Recording {
            edit: Some(&edit),
            ..Recording::default()
        };
        meeting
            .record(&group, recording, &[], &[], ids())
            .expect("records");
        assert_eq!(meeting.status, MeetingStatus::Draft);
        let present: Vec<&str> = meeting.attendees.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(
            present,
            ["Margaret Okonjo", "Mr Kwame Mensah", "Priya Raman"]
        );
        assert_eq!(meeting.apologies[0].role, "Chair of governors");
        assert!(meeting.agenda[1].minutes.starts_with("The interim head"));
        assert_eq!(meeting.agenda.len(), 6);
    }

    #[test]
    fn bad_attendance_or_a_summary_quoting_the_minutes_changes_nothing() {
        let group = group();
        let mut meeting = meeting(&group, 1, day(10, 7));
        let before = meeting.clone();
        let mut stranger = edit();
        if let Some(attendees) = stranger.attendees.as_mut() {
            attendees.push("Someone Else".to_owned());
        }
        let record = |meeting: &mut MspMeeting, edit: &MinutesEdit| {
            let recording = Recording {
                edit: Some(edit),
                ..Recording::default()
            };
            meeting.record(&group, recording, &[], &[], ids())
        };
        assert_eq!(
            record(&mut meeting, &stranger),
            Err(MspError::NotMember("Someone Else".to_owned()))
        );
        let mut both = edit();
        if let Some(apologies) = both.apologies.as_mut() {
            apologies.push("Priya Raman".to_owned());
        }
        assert_eq!(
            record(&mut meeting, &both),
            Err(MspError::PresentAndApologies("Priya Raman".to_owned()))
        );
        let mut leaky = edit();
        leaky.summary =
            Some("Key points: staff turnover in Year 5 remains a worry for governors!".to_owned());
        let error = record(&mut meeting, &leaky).expect_err("quotes the minutes");
        assert_eq!(
            error,
            MspError::SummaryQuotesMinutes(
                "Staff turnover in Year 5 remains a worry for governors".to_owned()
            )
        );
        assert_eq!(meeting, before);
    }

    #[test]
    fn approved_minutes_are_frozen() {
        let group = group();
        let mut meeting = meeting(&group, 1, day(10, 7));
        assert!(matches!(
            meeting.approve(day(10, 8)),
            Err(MspError::Incomplete(_, "nothing has been written up yet"))
        ));
        let edit = edit();
        let recording = Recording {
            edit: Some(&edit),
            ..Recording::default()
        };
        meeting
            .record(&group, recording, &[], &[], ids())
            .expect("records");
        assert!(matches!(
            meeting.approve(day(10, 6)),
            Err(MspError::ApprovedBeforeMeeting { .. })
        ));
        meeting.approve(day(10, 9)).expect("approves");
        assert_eq!(meeting.approved_on, Some(day(10, 9)));
        let frozen = meeting.clone();
        assert_eq!(
            meeting.record(&group, recording, &[], &[], ids()),
            Err(MspError::Approved(day(10, 7)))
        );
        assert_eq!(
            meeting.approve(day(10, 10)),
            Err(MspError::Approved(day(10, 7)))
        );
        assert_eq!(meeting, frozen);
    }

    #[test]
    fn a_meeting_needs_attendees_minutes_and_a_summary_to_be_approved() {
        let group = group();
        let mut meeting = meeting(&group, 1, day(10, 7));
        let mut edit = edit();
        edit.summary = None;
        let recording = Recording {
            edit: Some(&edit),
            ..Recording::default()
        };
        meeting
            .record(&group, recording, &[], &[], ids())
            .expect("records");
        let error = meeting.approve(day(10, 8)).expect_err("no summary");
        assert!(error.to_string().contains("summary key points"), "{error}");
    }

    #[test]
    fn actions_are_agreed_updated_and_carried_through_the_meetings_log() {
        let group = group();
        let mut first = meeting(&group, 0x10, day(10, 7));
        let new = [NewAction {
            text: "Publish a curriculum map for every subject".to_owned(),
            owner: "Mr Mensah".to_owned(),
            due_on: day(11, 13),
            rag: None,
        }];
        let recording = Recording {
            new_actions: &new,
            ..Recording::default()
        };
        let mut actions = first
            .record(&group, recording, &[], &[], ids())
            .expect("records");
        assert_eq!(actions.len(), 1);
        assert_eq!(actions[0].source, ActionSource::MspMeeting(first.id));
        assert_eq!(first.action_log.len(), 1);
        assert!(first.action_log[0].agreed_here);

        let mut second = meeting(&group, 0x11, day(11, 18));
        let meetings = [first.clone(), second.clone()];
        let updates = [ActionUpdate {
            action: actions[0].id,
            rag: Some(Rag::Red),
            due_on: Some(day(12, 11)),
            ..ActionUpdate::default()
        }];
        let recording = Recording {
            updates: &updates,
            ..Recording::default()
        };
        let changed = second
            .record(&group, recording, &actions, &meetings, ids())
            .expect("records");
        assert_eq!(changed[0].rag, Rag::Red);
        assert_eq!(second.action_log[0].due_on, day(12, 11));
        assert!(!second.action_log[0].agreed_here, "carried, not new");
        actions = changed;

        // An action that is not on the log is refused, and nothing changes.
        let before = second.clone();
        let stray = [
            ActionUpdate {
                action: actions[0].id,
                outcome: Some(Outcome::Done),
                ..ActionUpdate::default()
            },
            ActionUpdate {
                action: Uuid::from_u128(0xdead),
                ..ActionUpdate::default()
            },
        ];
        let recording = Recording {
            updates: &stray,
            ..Recording::default()
        };
        assert!(matches!(
            second.record(&group, recording, &actions, &meetings, ids()),
            Err(MspError::NotOnLog(_))
        ));
        assert_eq!(second, before);
    }
}

//! MSP groups and their meetings in the store.
//!
//! Every change is read and checked inside the transaction that writes it,
//! so two windows (or the app and the CLI) cannot both open a group for a
//! school, and an approved meeting is refused even if it was approved a
//! moment ago elsewhere. A meeting's write-up and the actions it changes
//! land together or not at all. The rules are `caseload_core::msp`'s; this
//! module gathers what they read and keeps what they decide.

use std::collections::BTreeMap;

use caseload_core::action::Action;
use caseload_core::msp::group::{check_chair, offered};
use caseload_core::msp::log::{live, rows_for, LoggedAction};
use caseload_core::msp::meeting::Recording;
use caseload_core::msp::{
    cadence, escalation, ActionUpdate, Cadence, Escalation, MeetingStatus, Member, MinutesEdit,
    MinutesFile, MspGroup, MspMeeting, NewAction, Opening,
};
use caseload_core::review::{history, Review};
use caseload_core::school::SchoolStatus;
use caseload_core::{Adviser, AdviserId, Contact, Record, School, Urn};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::hash::sha256_hex;
use crate::queries::term_calendar;
use crate::records::load_where;
use crate::records::Writer;
use crate::{ActionOnDay, Store, StoreError};

/// The two documents of a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MspDocument {
    /// Confidential: to the group's members only.
    Minutes,
    /// The summary key points, for the whole governing body.
    Summary,
}

impl MspDocument {
    pub fn name(self) -> &'static str {
        match self {
            MspDocument::Minutes => "minutes",
            MspDocument::Summary => "summary",
        }
    }
}

/// A meeting as a group's list of meetings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MspMeetingRow {
    pub id: Uuid,
    pub meets_on: NaiveDate,
    pub place: String,
    pub status: MeetingStatus,
    pub concerns_remain: bool,
}

/// A group as its page shows it, on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MspGroupView {
    pub group: MspGroup,
    pub school: String,
    pub chair: String,
    /// Oldest first.
    pub meetings: Vec<MspMeetingRow>,
    /// None once the group is closed.
    pub cadence: Option<Cadence>,
    /// Open actions agreed at the group's meetings, soonest due first.
    pub live_log: Vec<ActionOnDay>,
    pub escalation: Option<Escalation>,
    /// Why the group might close now, when the school's records say so.
    pub close_suggested: Option<&'static str>,
}

/// A school in high support with no open group: one should be offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MspOffer {
    pub urn: Urn,
    pub school: String,
    /// The date of the agreed review that placed it in high support.
    pub high_since: NaiveDate,
}

/// A meeting as its page shows it, on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MspMeetingSheet {
    pub meeting: MspMeeting,
    /// Its group as the group's page shows it on the day: members,
    /// meetings, live log, any escalation.
    pub view: MspGroupView,
    /// The meeting's action log: as it stood when approved; before then,
    /// as the actions stand now, with the open ones carried from the
    /// group's earlier meetings.
    pub log: Vec<LoggedAction>,
}

/// Everything a meeting's documents are made from.
#[derive(Debug, Clone, PartialEq)]
pub struct MspPapers {
    pub meeting: MspMeeting,
    pub group: MspGroup,
    pub school: School,
    pub chair: Option<Adviser>,
    /// The group's next planned meeting after this one.
    pub next_meeting: Option<NaiveDate>,
}

impl Store {
    /// Opens an MSP group for the school `urn`, chaired by the adviser
    /// whose email or id is `chair`.
    pub fn open_msp_group(
        &mut self,
        urn: Urn,
        chair: &str,
        opened_on: NaiveDate,
    ) -> Result<MspGroup, StoreError> {
        let chair = self.adviser_by(chair)?;
        self.write(|writer| open_group_in(writer, urn, &chair, opened_on))
    }

    /// MSP groups, oldest first: one school's, or every school's.
    pub fn msp_groups(&self, urn: Option<Urn>) -> Result<Vec<MspGroup>, StoreError> {
        let mut groups = match urn {
            Some(urn) => load_where::<MspGroup>(self.conn(), "urn = ?1", [urn.0])?,
            None => load_where::<MspGroup>(self.conn(), "1 = 1", [])?,
        };
        groups.sort_by_key(|group| (group.opened_on, group.id));
        Ok(groups)
    }

    pub fn msp_group(&self, id: Uuid) -> Result<MspGroup, StoreError> {
        one::<MspGroup>(self.conn(), id)?.ok_or(StoreError::MspGroupNotFound(id))
    }

    /// The group's meetings, oldest first.
    pub fn msp_meetings(&self, group: Uuid) -> Result<Vec<MspMeeting>, StoreError> {
        meetings_of(self.conn(), group)
    }

    pub fn msp_meeting(&self, id: Uuid) -> Result<MspMeeting, StoreError> {
        one::<MspMeeting>(self.conn(), id)?.ok_or(StoreError::MspMeetingNotFound(id))
    }

    /// Every group as its page shows it on `today`; only open ones unless `all`.
    pub fn msp_group_views_on(
        &self,
        today: NaiveDate,
        all: bool,
    ) -> Result<Vec<MspGroupView>, StoreError> {
        self.msp_groups(None)?
            .into_iter()
            .filter(|group| all || group.is_open())
            .map(|group| self.group_view(group, today))
            .collect()
    }

    /// One group as its page shows it on `today`.
    pub fn msp_group_view_on(
        &self,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<MspGroupView, StoreError> {
        let group = self.msp_group(id)?;
        self.group_view(group, today)
    }

    fn group_view(&self, group: MspGroup, today: NaiveDate) -> Result<MspGroupView, StoreError> {
        let school = self.school(group.urn)?;
        let chair = self
            .adviser_by(&group.chair.to_string())
            .map_or_else(|_| group.chair.to_string(), |adviser| adviser.name);
        let meetings = self.msp_meetings(group.id)?;
        let actions = load_where::<Action>(self.conn(), "urn = ?1", [group.urn.0])?;
        let letters = self.letters(Some(group.urn))?;
        let category = self.category_of(group.urn)?;
        Ok(MspGroupView {
            school: school.name.clone(),
            chair,
            meetings: meetings
                .iter()
                .map(|meeting| MspMeetingRow {
                    id: meeting.id,
                    meets_on: meeting.meets_on,
                    place: meeting.place.clone(),
                    status: meeting.status,
                    concerns_remain: meeting.concerns_remain,
                })
                .collect(),
            cadence: cadence(&group, &meetings, today, &term_calendar()?),
            live_log: live(&actions, &meetings)
                .into_iter()
                .map(|action| ActionOnDay::new(action.clone(), today))
                .collect(),
            escalation: escalation(&group, &meetings, school.governance(), &letters),
            close_suggested: group.close_suggested(category, school.governance()),
            group,
        })
    }

    /// The meeting as its page shows it on `today`.
    pub fn msp_meeting_sheet(
        &self,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<MspMeetingSheet, StoreError> {
        let meeting = self.msp_meeting(id)?;
        let view = self.msp_group_view_on(meeting.msp_group, today)?;
        let log = if meeting.status == MeetingStatus::Approved {
            meeting.action_log.clone()
        } else {
            let actions = load_where::<Action>(self.conn(), "urn = ?1", [meeting.urn.0])?;
            rows_for(&meeting, &actions, &self.msp_meetings(meeting.msp_group)?)
        };
        Ok(MspMeetingSheet { meeting, view, log })
    }

    /// The offer of a group to the school `urn`, when it should have one.
    pub fn msp_offer(&self, urn: Urn) -> Result<Option<MspOffer>, StoreError> {
        let school = self.school(urn)?;
        if school.status == SchoolStatus::Closed {
            return Ok(None);
        }
        let Some(latest) = history(&self.reviews(urn)?, &term_calendar()?).pop() else {
            return Ok(None);
        };
        Ok(
            offered(Some(latest.category), &self.msp_groups(Some(urn))?).then_some(MspOffer {
                urn,
                school: school.name,
                high_since: latest.reviewed_on,
            }),
        )
    }

    /// The advisers who may chair a group, by name.
    pub fn msp_chairs(&self) -> Result<Vec<Adviser>, StoreError> {
        let mut chairs: Vec<Adviser> = load_where::<Adviser>(self.conn(), "1 = 1", [])?
            .into_iter()
            .filter(|adviser| check_chair(adviser).is_ok())
            .collect();
        chairs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(chairs)
    }

    /// Open schools in high support that have no open MSP group, by name.
    pub fn msp_offers(&self) -> Result<Vec<MspOffer>, StoreError> {
        let calendar = term_calendar()?;
        let mut reviews: BTreeMap<Urn, Vec<Review>> = BTreeMap::new();
        for review in load_where::<Review>(self.conn(), "status = 'agreed'", [])? {
            reviews.entry(review.urn).or_default().push(review);
        }
        let mut offers = Vec::new();
        for (urn, reviews) in reviews {
            let Some(latest) = history(&reviews, &calendar).pop() else {
                continue;
            };
            let school = self.school(urn)?;
            if school.status == SchoolStatus::Closed {
                continue;
            }
            if offered(Some(latest.category), &self.msp_groups(Some(urn))?) {
                offers.push(MspOffer {
                    urn,
                    school: school.name,
                    high_since: latest.reviewed_on,
                });
            }
        }
        offers.sort_by(|a, b| a.school.cmp(&b.school));
        Ok(offers)
    }

    /// Adds a member the chair invites (from the trust, the diocese, another team).
    pub fn invite_msp_member(
        &mut self,
        group: Uuid,
        name: &str,
        organisation: &str,
        email: Option<&str>,
    ) -> Result<MspGroup, StoreError> {
        self.change_group(group, |group| {
            group.invite(Member {
                id: Uuid::now_v7(),
                name: name.trim().to_owned(),
                roles: Vec::new(),
                organisation: Some(organisation.trim().to_owned()),
                email: email.map(|email| email.trim().to_owned()),
            })
        })
    }

    /// Takes a member off the group; the headteacher, a governor, the link
    /// SIA and the chair stay.
    pub fn remove_msp_member(&mut self, group: Uuid, member: Uuid) -> Result<MspGroup, StoreError> {
        self.change_group(group, |group| group.remove_member(member))
    }

    /// Closes the group on `on`, for `reason`.
    pub fn close_msp_group(
        &mut self,
        group: Uuid,
        on: NaiveDate,
        reason: &str,
    ) -> Result<MspGroup, StoreError> {
        self.change_group(group, |group| group.close(on, reason))
    }

    fn change_group(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut MspGroup) -> Result<(), caseload_core::msp::MspError>,
    ) -> Result<MspGroup, StoreError> {
        self.write(|writer| {
            let mut group =
                one::<MspGroup>(&writer.tx, id)?.ok_or(StoreError::MspGroupNotFound(id))?;
            change(&mut group)?;
            writer.save(&group)?;
            Ok(group)
        })
    }

    /// Plans a meeting of `group` on `meets_on`; at the school when no
    /// place is given.
    pub fn schedule_msp_meeting(
        &mut self,
        group: Uuid,
        meets_on: NaiveDate,
        place: Option<&str>,
    ) -> Result<MspMeeting, StoreError> {
        self.write(|writer| schedule_in(writer, group, meets_on, place))
    }

    /// Records a meeting's write-up (when given), what it decided about the
    /// actions on its log and the actions it agreed, all in one transaction.
    pub fn record_msp_meeting(
        &mut self,
        id: Uuid,
        edit: Option<&MinutesEdit>,
        updates: &[ActionUpdate],
        new_actions: &[NewAction],
    ) -> Result<MspMeeting, StoreError> {
        let recording = Recording {
            edit,
            updates,
            new_actions,
        };
        self.write(|writer| record_in(writer, id, |_| Ok(recording)))
    }

    /// Records a meeting written up in a minutes file, its actions named by
    /// id or text among the school's.
    pub fn record_msp_minutes_file(
        &mut self,
        id: Uuid,
        file: &MinutesFile,
    ) -> Result<MspMeeting, StoreError> {
        self.write(|writer| record_file_in(writer, id, file))
    }

    /// Approves the meeting's minutes on `on`: it never changes again.
    pub fn approve_msp_meeting(
        &mut self,
        id: Uuid,
        on: NaiveDate,
    ) -> Result<MspMeeting, StoreError> {
        self.write(|writer| approve_in(writer, id, on))
    }

    /// Keeps the PDF of an approved meeting's document as first printed,
    /// and returns the kept bytes: those just given, or those kept before.
    pub fn keep_msp_pdf(
        &mut self,
        id: Uuid,
        document: MspDocument,
        pdf: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        self.write(|writer| {
            let meeting =
                one::<MspMeeting>(&writer.tx, id)?.ok_or(StoreError::MspMeetingNotFound(id))?;
            if meeting.status != MeetingStatus::Approved {
                return Err(StoreError::MspNotApproved(meeting.meets_on));
            }
            writer.tx.execute(
                "INSERT OR IGNORE INTO msp_pdf (meeting, document, sha256, pdf) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![id.to_string(), document.name(), sha256_hex(pdf), pdf],
            )?;
            kept_pdf(&writer.tx, id, document)?.ok_or(StoreError::MspMeetingNotFound(id))
        })
    }

    /// The kept PDF of an approved meeting's document, if one was kept;
    /// refuses bytes whose SHA-256 is not the one recorded with them.
    pub fn kept_msp_pdf(
        &self,
        id: Uuid,
        document: MspDocument,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        kept_pdf(self.conn(), id, document)
    }

    /// What the meeting's minutes and summary are made from.
    pub fn msp_papers(&self, id: Uuid) -> Result<MspPapers, StoreError> {
        let meeting = self.msp_meeting(id)?;
        let group = self.msp_group(meeting.msp_group)?;
        let next_meeting = self
            .msp_meetings(group.id)?
            .iter()
            .filter(|other| {
                other.status == MeetingStatus::Planned && other.meets_on > meeting.meets_on
            })
            .map(|other| other.meets_on)
            .min();
        Ok(MspPapers {
            school: self.school(group.urn)?,
            chair: self.adviser_by(&group.chair.to_string()).ok(),
            next_meeting,
            meeting,
            group,
        })
    }

    /// The adviser whose id or email (in any case) is `text`.
    pub fn adviser_by(&self, text: &str) -> Result<Adviser, StoreError> {
        let text = text.trim();
        let found = match Uuid::parse_str(text) {
            Ok(id) => load_where::<Adviser>(self.conn(), "id = ?1", [AdviserId(id).to_string()])?,
            Err(_) => load_where::<Adviser>(self.conn(), "lower(email) = lower(?1)", [text])?,
        };
        found
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::AdviserNotFound(text.to_owned()))
    }

    /// The school's category from its latest agreed review.
    fn category_of(
        &self,
        urn: Urn,
    ) -> Result<Option<caseload_core::criteria::SupportCategory>, StoreError> {
        Ok(history(&self.reviews(urn)?, &term_calendar()?)
            .pop()
            .map(|entry| entry.category))
    }
}

/// Opens a group inside `writer`'s transaction, reading what the rules
/// need there, so a second group cannot slip in beside it.
pub(crate) fn open_group_in(
    writer: &mut Writer<'_>,
    urn: Urn,
    chair: &Adviser,
    opened_on: NaiveDate,
) -> Result<MspGroup, StoreError> {
    let conn: &Connection = &writer.tx;
    let school = one_school(conn, urn)?;
    let link_sia = match school.link_sia {
        Some(id) => load_where::<Adviser>(conn, "id = ?1", [id.to_string()])?
            .into_iter()
            .next(),
        None => None,
    };
    let contacts = load_where::<Contact>(conn, "urn = ?1", [urn.0])?;
    let reviews = load_where::<Review>(conn, "urn = ?1", [urn.0])?;
    let category = history(&reviews, &term_calendar()?)
        .pop()
        .map(|entry| entry.category);
    let groups = load_where::<MspGroup>(conn, "urn = ?1", [urn.0])?;
    let opening = Opening {
        school: &school,
        category,
        chair,
        link_sia: link_sia.as_ref(),
        contacts: &contacts,
        groups: &groups,
        opened_on,
    };
    let group = MspGroup::open(Uuid::now_v7(), opening, Uuid::now_v7)?;
    writer.save(&group)?;
    Ok(group)
}

pub(crate) fn schedule_in(
    writer: &mut Writer<'_>,
    group: Uuid,
    meets_on: NaiveDate,
    place: Option<&str>,
) -> Result<MspMeeting, StoreError> {
    let group = one::<MspGroup>(&writer.tx, group)?.ok_or(StoreError::MspGroupNotFound(group))?;
    let place = match place.map(str::trim).filter(|place| !place.is_empty()) {
        Some(place) => place.to_owned(),
        None => one_school(&writer.tx, group.urn)?.name,
    };
    let meeting = MspMeeting::schedule(Uuid::now_v7(), &group, meets_on, &place)?;
    writer.save(&meeting)?;
    Ok(meeting)
}

/// Records what `recording` makes of the school's actions, inside
/// `writer`'s transaction: the meeting, its group, the group's meetings and
/// the school's actions are read there, and the meeting and every action it
/// changes are written there.
fn record_in<'r>(
    writer: &mut Writer<'_>,
    id: Uuid,
    recording: impl FnOnce(&[Action]) -> Result<Recording<'r>, StoreError>,
) -> Result<MspMeeting, StoreError> {
    let conn: &Connection = &writer.tx;
    let mut meeting = one::<MspMeeting>(conn, id)?.ok_or(StoreError::MspMeetingNotFound(id))?;
    let group = one::<MspGroup>(conn, meeting.msp_group)?
        .ok_or(StoreError::MspGroupNotFound(meeting.msp_group))?;
    let meetings = meetings_of(conn, group.id)?;
    let actions = load_where::<Action>(conn, "urn = ?1", [meeting.urn.0])?;
    let recording = recording(&actions)?;
    let changed = meeting.record(&group, recording, &actions, &meetings, Uuid::now_v7)?;
    for action in &changed {
        writer.save(action)?;
    }
    writer.save(&meeting)?;
    Ok(meeting)
}

pub(crate) fn record_file_in(
    writer: &mut Writer<'_>,
    id: Uuid,
    file: &MinutesFile,
) -> Result<MspMeeting, StoreError> {
    let edit = file.edit();
    let new_actions = file.new_actions();
    let mut updates = Vec::new();
    record_in(writer, id, |actions| {
        updates = file.updates(actions)?;
        Ok(Recording {
            edit: edit.as_ref(),
            updates: &updates,
            new_actions: &new_actions,
        })
    })
}

pub(crate) fn approve_in(
    writer: &mut Writer<'_>,
    id: Uuid,
    on: NaiveDate,
) -> Result<MspMeeting, StoreError> {
    let mut meeting =
        one::<MspMeeting>(&writer.tx, id)?.ok_or(StoreError::MspMeetingNotFound(id))?;
    meeting.approve(on)?;
    writer.save(&meeting)?;
    Ok(meeting)
}

pub(crate) fn one<R: Record>(conn: &Connection, id: Uuid) -> Result<Option<R>, StoreError> {
    Ok(load_where::<R>(conn, "id = ?1", [id.to_string()])?
        .into_iter()
        .next())
}

pub(crate) fn one_school(conn: &Connection, urn: Urn) -> Result<School, StoreError> {
    load_where::<School>(conn, "urn = ?1", [urn.0])?
        .into_iter()
        .next()
        .ok_or(StoreError::SchoolNotFound(urn))
}

fn meetings_of(conn: &Connection, group: Uuid) -> Result<Vec<MspMeeting>, StoreError> {
    let mut meetings = load_where::<MspMeeting>(conn, "msp_group = ?1", [group.to_string()])?;
    meetings.sort_by_key(|meeting| (meeting.meets_on, meeting.id));
    Ok(meetings)
}

fn kept_pdf(
    conn: &Connection,
    id: Uuid,
    document: MspDocument,
) -> Result<Option<Vec<u8>>, StoreError> {
    let kept: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT sha256, pdf FROM msp_pdf WHERE meeting = ?1 AND document = ?2",
            [id.to_string(), document.name().to_owned()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    match kept {
        Some((sha256, pdf)) if sha256 == sha256_hex(&pdf) => Ok(Some(pdf)),
        Some(_) => Err(StoreError::MspPdfAltered {
            meeting: id,
            document: document.name(),
        }),
        None => Ok(None),
    }
}

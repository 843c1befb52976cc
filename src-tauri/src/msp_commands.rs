//! The Tauri commands of MSP groups: the offer of a group to a school in
//! high support, opening and closing one, its members, planning meetings,
//! writing a meeting up as the chair types (autosave), approving it, its
//! two documents (the confidential minutes and the summary key points for
//! governors) as PDF, the diary of planned meetings, and drafting the
//! letters proposed when concerns remain.
//!
//! Thin like the others: who may chair, the cadence, what is carried on
//! the action log, what the summary may say and when to escalate are
//! `caseload_core::msp`'s rules, applied by the store; this file calls
//! them in order and turns their errors into messages. It must never
//! decide anything about a group or a meeting itself.
//!
//! The documents are laid out by the letters' own [`LetterDesk`]: one
//! typesetter and one letter set (the letterhead) for the whole app.

use std::path::PathBuf;

use caseload_core::letter::{Letter, LetterKind};
use caseload_core::msp::{
    ActionUpdate, MeetingStatus, Member, MinutesEdit, MspError, MspGroup, MspMeeting, NewAction,
};
use caseload_core::{AdviserId, Urn};
use caseload_docs::document::Document;
use caseload_docs::letters::{DraftRequest, LetterSet};
use caseload_docs::msp::{minutes_document, summary_document, MeetingPapers};
use caseload_store::{
    MspDocument, MspGroupView, MspMeetingSheet, MspOffer, MspPapers, Store, StoreError,
};
use chrono::NaiveDate;
use serde::Serialize;
use tauri::ipc::Response;
use tauri::State;
use uuid::Uuid;

use crate::commands::{absolute, message, save_file, today, OpenStore};
use crate::letter_commands::{
    default_letter_folder, letter_set, texts_of, IndicatorText, LetterDesk,
};

/// A member as the group's pages list them.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRow {
    #[serde(flatten)]
    pub member: Member,
    /// "Chair; Link School Improvement Adviser", or where an invited member comes from.
    pub role_label: String,
    /// Whether the group may lose them: the members the strategy names stay.
    pub removable: bool,
}

/// A letter the escalation proposes, with the wording of what it would cite.
#[derive(Debug, Clone, Serialize)]
pub struct ProposedLetterText {
    pub kind: LetterKind,
    pub indicators: Vec<IndicatorText>,
}

/// A group as its page shows it today.
#[derive(Debug, Clone, Serialize)]
pub struct GroupPage {
    #[serde(flatten)]
    pub view: MspGroupView,
    pub members: Vec<MemberRow>,
    /// The escalation's letters, when concerns remain.
    pub proposed: Vec<ProposedLetterText>,
}

/// An adviser who may chair a group.
#[derive(Debug, Clone, Serialize)]
pub struct ChairChoice {
    pub id: AdviserId,
    pub name: String,
    pub role_label: &'static str,
}

/// The MSP part of a school's page.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolMsp {
    /// Set when the school is in high support with no open group.
    pub offer: Option<MspOffer>,
    /// Who may chair the group offered.
    pub chairs: Vec<ChairChoice>,
    /// The school's groups, oldest first.
    pub groups: Vec<MspGroupView>,
}

/// Where a meeting's documents are saved unless the adviser says otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingFiles {
    pub minutes: String,
    pub summary: String,
}

/// A meeting as its page shows it today.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingPage {
    pub meeting: MspMeeting,
    /// Its action log: carried and agreed rows as they stand now, or as
    /// they stood when it was approved.
    pub log: Vec<caseload_core::msp::LoggedAction>,
    pub group: GroupPage,
    /// Why the minutes cannot be approved today; None when they can.
    pub unapproved: Option<String>,
    pub files: MeetingFiles,
}

/// A refusal, with the part of the meeting's page it is about, so the
/// window shows it beside the field that caused it.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub message: String,
    /// "summary", "attendance" or "actions"; None for the page as a whole.
    pub field: Option<&'static str>,
}

fn refusal(error: StoreError) -> Refusal {
    let field = match &error {
        StoreError::Msp(MspError::SummaryQuotesMinutes(_)) => Some("summary"),
        StoreError::Msp(MspError::NotMember(_) | MspError::PresentAndApologies(_)) => {
            Some("attendance")
        }
        StoreError::Msp(
            MspError::NotOnLog(_) | MspError::ReasonWithoutDrop(_) | MspError::Action(_),
        ) => Some("actions"),
        _ => None,
    };
    Refusal {
        message: error.to_string(),
        field,
    }
}

fn unplaced(message: String) -> Refusal {
    Refusal {
        message,
        field: None,
    }
}

fn members_of(group: &MspGroup) -> Vec<MemberRow> {
    group
        .members
        .iter()
        .map(|member| MemberRow {
            role_label: member.role_label(),
            removable: group.clone().remove_member(member.id).is_ok(),
            member: member.clone(),
        })
        .collect()
}

fn group_page(set: &LetterSet, view: MspGroupView) -> GroupPage {
    let proposed = view
        .escalation
        .iter()
        .flat_map(|escalation| &escalation.letters)
        .map(|letter| ProposedLetterText {
            kind: letter.kind,
            indicators: texts_of(set, &letter.indicators),
        })
        .collect();
    GroupPage {
        members: members_of(&view.group),
        proposed,
        view,
    }
}

fn group_page_of(store: &Store, desk: &LetterDesk, id: Uuid) -> Result<GroupPage, String> {
    let view = store.msp_group_view_on(id, today()).map_err(message)?;
    Ok(group_page(&*letter_set(store, desk)?, view))
}

fn meeting_page(store: &Store, desk: &LetterDesk, id: Uuid) -> Result<MeetingPage, String> {
    let day = today();
    let MspMeetingSheet { meeting, view, log } =
        store.msp_meeting_sheet(id, day).map_err(message)?;
    let unapproved = match meeting.status {
        MeetingStatus::Approved => None,
        _ => meeting.clone().approve(day).err().map(message),
    };
    let folder = PathBuf::from(default_letter_folder()?);
    let file = |document: MspDocument| {
        folder
            .join(format!(
                "{}-msp-{}-{}.pdf",
                meeting.urn,
                document.name(),
                meeting.meets_on
            ))
            .display()
            .to_string()
    };
    Ok(MeetingPage {
        files: MeetingFiles {
            minutes: file(MspDocument::Minutes),
            summary: file(MspDocument::Summary),
        },
        group: group_page(&*letter_set(store, desk)?, view),
        unapproved,
        log,
        meeting,
    })
}

/// The MSP part of a school's page: the offer of a group, or its groups.
#[tauri::command(async)]
pub fn school_msp(store: State<'_, OpenStore>, urn: u32) -> Result<SchoolMsp, String> {
    let store = store.lock()?;
    let day = today();
    let offer = store.msp_offer(Urn(urn)).map_err(message)?;
    let chairs = match offer {
        Some(_) => store
            .msp_chairs()
            .map_err(message)?
            .into_iter()
            .map(|adviser| ChairChoice {
                id: adviser.id,
                role_label: adviser.role.label(),
                name: adviser.name,
            })
            .collect(),
        None => Vec::new(),
    };
    let groups = store
        .msp_groups(Some(Urn(urn)))
        .map_err(message)?
        .into_iter()
        .map(|group| store.msp_group_view_on(group.id, day))
        .collect::<Result<_, _>>()
        .map_err(message)?;
    Ok(SchoolMsp {
        offer,
        chairs,
        groups,
    })
}

/// Schools in high support that have no open group, by name.
#[tauri::command(async)]
pub fn msp_offers(store: State<'_, OpenStore>) -> Result<Vec<MspOffer>, String> {
    store.lock()?.msp_offers().map_err(message)
}

/// Opens a group for the school today, chaired by the adviser `chair` (an id).
#[tauri::command(async)]
pub fn open_msp_group(
    store: State<'_, OpenStore>,
    urn: u32,
    chair: String,
) -> Result<MspGroup, String> {
    store
        .lock()?
        .open_msp_group(Urn(urn), &chair, today())
        .map_err(message)
}

/// Every group as its page shows it today: the open ones, or all.
#[tauri::command(async)]
pub fn msp_groups(store: State<'_, OpenStore>, all: bool) -> Result<Vec<MspGroupView>, String> {
    store
        .lock()?
        .msp_group_views_on(today(), all)
        .map_err(message)
}

#[tauri::command(async)]
pub fn msp_group(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
) -> Result<GroupPage, String> {
    group_page_of(&*store.lock()?, &desk, id)
}

/// Adds a member the chair invites; returns the group's page.
#[tauri::command(async)]
pub fn invite_msp_member(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    group: Uuid,
    name: String,
    organisation: String,
    email: Option<String>,
) -> Result<GroupPage, String> {
    let mut store = store.lock()?;
    let email = email.filter(|email| !email.trim().is_empty());
    store
        .invite_msp_member(group, &name, &organisation, email.as_deref())
        .map_err(message)?;
    group_page_of(&store, &desk, group)
}

#[tauri::command(async)]
pub fn remove_msp_member(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    group: Uuid,
    member: Uuid,
) -> Result<GroupPage, String> {
    let mut store = store.lock()?;
    store.remove_msp_member(group, member).map_err(message)?;
    group_page_of(&store, &desk, group)
}

/// Closes the group today, for `reason`.
#[tauri::command(async)]
pub fn close_msp_group(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    group: Uuid,
    reason: String,
) -> Result<GroupPage, String> {
    let mut store = store.lock()?;
    store
        .close_msp_group(group, today(), &reason)
        .map_err(message)?;
    group_page_of(&store, &desk, group)
}

/// Plans a meeting; at the school when no place is given.
#[tauri::command(async, rename_all = "snake_case")]
pub fn schedule_msp_meeting(
    store: State<'_, OpenStore>,
    group: Uuid,
    meets_on: NaiveDate,
    place: Option<String>,
) -> Result<MspMeeting, String> {
    store
        .lock()?
        .schedule_msp_meeting(group, meets_on, place.as_deref())
        .map_err(message)
}

#[tauri::command(async)]
pub fn msp_meeting(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
) -> Result<MeetingPage, String> {
    meeting_page(&*store.lock()?, &desk, id)
}

/// Autosave of the meeting's write-up (left out: unchanged), with what the
/// meeting decided about the actions on its log and those it agreed, all
/// recorded at once or not at all.
#[tauri::command(async, rename_all = "snake_case")]
pub fn save_msp_meeting(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
    edit: Option<MinutesEdit>,
    updates: Vec<ActionUpdate>,
    new_actions: Vec<NewAction>,
) -> Result<MeetingPage, Refusal> {
    let mut store = store.lock().map_err(|message| Refusal {
        message,
        field: None,
    })?;
    store
        .record_msp_meeting(id, edit.as_ref(), &updates, &new_actions)
        .map_err(refusal)?;
    meeting_page(&store, &desk, id).map_err(unplaced)
}

fn papers_of(papers: &MspPapers) -> MeetingPapers<'_> {
    MeetingPapers {
        meeting: &papers.meeting,
        group: &papers.group,
        school: &papers.school,
        chair: papers.chair.as_ref(),
        next_meeting: papers.next_meeting,
    }
}

fn document_of(
    set: &LetterSet,
    papers: &MspPapers,
    which: MspDocument,
) -> Result<Document, String> {
    let papers = papers_of(papers);
    match which {
        MspDocument::Minutes => minutes_document(papers, set),
        MspDocument::Summary => summary_document(papers, set),
    }
    .map_err(message)
}

/// Approves the minutes today, after printing both documents as approved,
/// so nothing is approved that cannot be printed; the prints are kept.
#[tauri::command(async)]
pub fn approve_msp_meeting(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
) -> Result<MeetingPage, String> {
    let day = today();
    let (set, papers) = {
        let store = store.lock()?;
        let mut papers = store.msp_papers(id).map_err(message)?;
        papers.meeting.approve(day).map_err(message)?;
        (letter_set(&store, &desk)?, papers)
    };
    // Laid out with the store unlocked.
    let typesetter = desk.typesetter()?;
    let minutes = typesetter
        .render(&document_of(&set, &papers, MspDocument::Minutes)?)
        .map_err(message)?;
    let summary = typesetter
        .render(&document_of(&set, &papers, MspDocument::Summary)?)
        .map_err(message)?;
    let mut store = store.lock()?;
    let approved = store.approve_msp_meeting(id, day).map_err(message)?;
    // Printed from exactly what was approved: keep those prints. Otherwise
    // the first print asked for is made from the approved record and kept.
    if approved == papers.meeting {
        store
            .keep_msp_pdf(id, MspDocument::Minutes, &minutes)
            .map_err(message)?;
        store
            .keep_msp_pdf(id, MspDocument::Summary, &summary)
            .map_err(message)?;
    }
    meeting_page(&store, &desk, id)
}

/// The document as kept when approved (printed and kept the first time),
/// a fresh print of the draft otherwise.
fn pdf_of(
    store: &OpenStore,
    desk: &LetterDesk,
    id: Uuid,
    which: MspDocument,
) -> Result<Vec<u8>, String> {
    let (set, papers) = {
        let store = store.lock()?;
        if let Some(kept) = store.kept_msp_pdf(id, which).map_err(message)? {
            return Ok(kept);
        }
        (
            letter_set(&store, desk)?,
            store.msp_papers(id).map_err(message)?,
        )
    };
    let pdf = desk
        .typesetter()?
        .render(&document_of(&set, &papers, which)?)
        .map_err(message)?;
    if papers.meeting.status == MeetingStatus::Approved {
        store.lock()?.keep_msp_pdf(id, which, &pdf).map_err(message)
    } else {
        Ok(pdf)
    }
}

/// The confidential minutes or the summary key points: the PDF's bytes.
#[tauri::command(async)]
pub fn msp_pdf(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
    document: MspDocument,
) -> Result<Response, String> {
    Ok(Response::new(pdf_of(&store, &desk, id, document)?))
}

/// Writes the document's PDF to `path`; returns where it was written.
#[tauri::command(async)]
pub fn save_msp_pdf(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
    document: MspDocument,
    path: String,
) -> Result<String, String> {
    let path = absolute(&path, &format!("msp-{}.pdf", document.name()))?;
    save_file(&path, &pdf_of(&store, &desk, id, document)?)
}

/// Drafts the letter of `kind` the group's escalation proposes, citing its
/// indicators, and saves it for the letter editor to take over.
#[tauri::command(async)]
pub fn draft_msp_letter(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    group: Uuid,
    kind: LetterKind,
) -> Result<Letter, String> {
    let mut store = store.lock()?;
    let day = today();
    let view = store.msp_group_view_on(group, day).map_err(message)?;
    let proposed = view
        .escalation
        .iter()
        .flat_map(|escalation| &escalation.letters)
        .find(|letter| letter.kind == kind)
        .ok_or_else(|| {
            format!(
                "no {} is proposed for this group now: concerns no longer remain, or one was issued since its latest meeting",
                kind.label().to_lowercase()
            )
        })?;
    let set = letter_set(&store, &desk)?;
    let material = store.letter_material(view.group.urn).map_err(message)?;
    let request = DraftRequest {
        id: Uuid::now_v7(),
        kind,
        today: day,
        visit: None,
        indicators: Some(proposed.indicators.clone()),
        terms: None,
    };
    let letter = set.draft(&material, request).map_err(message)?;
    store.save_letter_draft(&letter).map_err(message)?;
    Ok(letter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_field_the_window_shows_it_beside() {
        let summary = refusal(StoreError::Msp(MspError::SummaryQuotesMinutes(
            "Curriculum plans are still missing".to_owned(),
        )));
        assert_eq!(summary.field, Some("summary"));
        assert!(summary
            .message
            .contains("reword them for the governing body"));
        let attendance = refusal(StoreError::Msp(MspError::NotMember("Mr Smith".to_owned())));
        assert_eq!(attendance.field, Some("attendance"));
        let whole = refusal(StoreError::Msp(MspError::Approved(
            NaiveDate::from_ymd_opt(2026, 11, 18).expect("a date"),
        )));
        assert_eq!(whole.field, None);
    }
}

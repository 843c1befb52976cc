//! `caseload msp`: Monitoring Support Partnership groups from a terminal:
//! opening and closing a group, planning meetings, recording a meeting's
//! write-up from a minutes file, approving it, printing its confidential
//! minutes and its summary key points, the diary of planned meetings, and
//! the letters proposed when concerns remain.
//!
//! Approved minutes are printed once and kept: printing them again gives
//! the same bytes, checked against the SHA-256 kept with them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use caseload_core::msp::{MinutesFile, MspMeeting};
use caseload_core::Urn;
use caseload_docs::document::Document;
use caseload_docs::letters::context::long_date;
use caseload_docs::letters::LetterSet;
use caseload_docs::msp::{minutes_document, summary_document, MeetingPapers};
use caseload_docs::typeset::Typesetter;
use caseload_store::{letters_folder, MspDocument, MspGroupView, MspPapers, Store};
use chrono::NaiveDate;
use clap::Subcommand;
use uuid::Uuid;

use crate::letters::{self, write_atomically, LetterOrder};
use crate::{emit, today};

#[derive(Subcommand)]
pub enum MspCommand {
    /// Open an MSP group for a school in high support
    Open {
        #[arg(long)]
        urn: Urn,
        /// The chair: a Senior SIA or the Strategic Lead for Governance, by email or id
        #[arg(long, value_name = "EMAIL|ID")]
        chair: String,
        /// The day it opens [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List the MSP groups with their members, next meeting, live action log
    /// and any escalation proposed
    #[command(alias = "list")]
    Groups {
        /// Closed groups too
        #[arg(long)]
        all: bool,
        /// The day to look from [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Schools in high support that have no open MSP group
    Offers {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Invite someone to sit on a group (the trust, the diocese, another team)
    Invite {
        /// The group's id, or the URN of the school whose open group it is
        #[arg(long, value_name = "ID|URN")]
        group: String,
        #[arg(long)]
        name: String,
        /// Whom they come from
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        email: Option<String>,
    },
    /// Plan and show meetings
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Record a meeting's write-up from a minutes file (--file), or print its
    /// confidential minutes as PDF (--out)
    Minutes {
        #[arg(long, value_name = "ID")]
        meeting: Uuid,
        /// A TOML minutes file: attendees, apologies, [[item]] minutes by agenda
        /// title, decisions, concerns_remain, summary, [[action]] decisions on the
        /// log (by id or text: rag, owner, due_on, outcome = done|dropped, reason)
        /// and [[new_action]]s (text, owner, due_on, rag)
        #[arg(
            long,
            value_name = "MINUTES.toml",
            required_unless_present = "out",
            conflicts_with = "out"
        )]
        file: Option<PathBuf>,
        #[arg(long, value_name = "FILE.pdf")]
        out: Option<PathBuf>,
        /// Print JSON instead of text (with --file)
        #[arg(long)]
        json: bool,
    },
    /// Approve a meeting's minutes: from then on they never change
    Approve {
        #[arg(long, value_name = "ID")]
        meeting: Uuid,
        /// The day of approval [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// Write a meeting's confidential minutes as PDF (to the group's members only)
    MinutesPdf {
        #[arg(long, value_name = "ID")]
        meeting: Uuid,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Write a meeting's summary key points for the governing body as PDF
    #[command(alias = "summary")]
    SummaryPdf {
        #[arg(long, value_name = "ID")]
        meeting: Uuid,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Close a group, saying why
    Close {
        #[arg(long, value_name = "ID|URN")]
        group: String,
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// The day it closes [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
    },
    /// The letters proposed when concerns remain; --draft writes their previews
    Escalation {
        #[arg(long, value_name = "ID|URN")]
        group: String,
        /// A folder to write a preview PDF of each proposed letter into
        #[arg(long, value_name = "DIR")]
        draft: Option<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// Plan a meeting of a group, its agenda the five standard items
    Add {
        #[arg(long, value_name = "ID|URN")]
        group: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// Where it meets [default: the school]
        #[arg(long, value_name = "TEXT")]
        place: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Show a meeting: attendance, agenda, action log (with action ids)
    Show {
        #[arg(long, value_name = "ID")]
        meeting: Uuid,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: MspCommand, path: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let open = || crate::open_store(path);
    match command {
        MspCommand::Open {
            urn,
            chair,
            date,
            json,
        } => {
            let group = open()?.open_msp_group(urn, &chair, date.unwrap_or_else(today))?;
            emit(out, json, &group, || {
                format!(
                    "MSP group {} opened for URN {urn} on {}, with {} members.\n",
                    group.id,
                    long_date(group.opened_on),
                    group.members.len()
                )
            })?;
        }
        MspCommand::Groups { all, date, json } => {
            let day = date.unwrap_or_else(today);
            let views = open()?.msp_group_views_on(day, all)?;
            emit(out, json, &views, || groups_text(&views))?;
        }
        MspCommand::Offers { json } => {
            let offers = open()?.msp_offers()?;
            emit(out, json, &offers, || {
                if offers.is_empty() {
                    return "Every school in high support has an open MSP group.\n".to_owned();
                }
                offers
                    .iter()
                    .map(|offer| {
                        format!(
                            "{} (URN {}): high support since {}; open a group with `caseload msp open --urn {} --chair EMAIL`\n",
                            offer.school, offer.urn, long_date(offer.high_since), offer.urn
                        )
                    })
                    .collect()
            })?;
        }
        MspCommand::Invite {
            group,
            name,
            organisation,
            email,
        } => {
            let mut store = open()?;
            let id = group_id(&store, &group)?;
            let group = store.invite_msp_member(id, &name, &organisation, email.as_deref())?;
            writeln!(
                out,
                "{} ({}) now sits on the group; it has {} members.",
                name.trim(),
                organisation.trim(),
                group.members.len()
            )?;
        }
        MspCommand::Meeting(MeetingCommand::Add {
            group,
            date,
            place,
            json,
        }) => {
            let mut store = open()?;
            let id = group_id(&store, &group)?;
            let meeting = store.schedule_msp_meeting(id, date, place.as_deref())?;
            emit(out, json, &meeting, || {
                format!(
                    "Meeting {} planned for {} at {}.\n",
                    meeting.id,
                    long_date(meeting.meets_on),
                    meeting.place
                )
            })?;
        }
        MspCommand::Meeting(MeetingCommand::Show { meeting, json }) => {
            let meeting = open()?.msp_meeting(meeting)?;
            emit(out, json, &meeting, || meeting_text(&meeting))?;
        }
        MspCommand::Minutes {
            meeting,
            file: Some(file),
            json,
            ..
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the minutes file {}", file.display()))?;
            let minutes = MinutesFile::parse(&text)
                .map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
            let recorded = open()?
                .record_msp_minutes_file(meeting, &minutes)
                .with_context(|| format!("{}: nothing was recorded", file.display()))?;
            emit(out, json, &recorded, || {
                format!(
                    "Meeting of {} written up: {} present, {} actions on its log.\n",
                    long_date(recorded.meets_on),
                    recorded.attendees.len(),
                    recorded.action_log.len()
                )
            })?;
        }
        MspCommand::Minutes {
            meeting,
            out: Some(file),
            ..
        }
        | MspCommand::MinutesPdf { meeting, out: file } => {
            let mut store = open()?;
            print(&mut store, path, meeting, MspDocument::Minutes, &file)?;
            writeln!(out, "Confidential minutes written to {}.", file.display())?;
        }
        MspCommand::Minutes { .. } => bail!("give --file to record minutes or --out to print them"),
        MspCommand::SummaryPdf { meeting, out: file } => {
            let mut store = open()?;
            print(&mut store, path, meeting, MspDocument::Summary, &file)?;
            writeln!(out, "Summary key points written to {}.", file.display())?;
        }
        MspCommand::Approve { meeting, date } => {
            let mut store = open()?;
            let on = date.unwrap_or_else(today);
            let approved = approve(&mut store, path, meeting, on)?;
            writeln!(
                out,
                "The minutes of the meeting of {} are approved on {}; they no longer change.",
                long_date(approved.meets_on),
                long_date(on)
            )?;
        }
        MspCommand::Close {
            group,
            reason,
            date,
        } => {
            let mut store = open()?;
            let id = group_id(&store, &group)?;
            let closed = store.close_msp_group(id, date.unwrap_or_else(today), &reason)?;
            writeln!(
                out,
                "MSP group {} closed on {}.",
                closed.id,
                closed.closed.map_or_else(String::new, |c| long_date(c.on))
            )?;
        }
        MspCommand::Escalation { group, draft, json } => {
            let mut store = open()?;
            let id = group_id(&store, &group)?;
            let view = store.msp_group_view_on(id, today())?;
            emit(out, json, &view.escalation, || escalation_text(&view))?;
            if let (Some(folder), Some(escalation)) = (draft, &view.escalation) {
                let set = LetterSet::with_folder(&letters_folder(path))?;
                std::fs::create_dir_all(&folder)
                    .with_context(|| format!("cannot create the folder {}", folder.display()))?;
                for letter in &escalation.letters {
                    let order = LetterOrder {
                        kind: letter.kind,
                        today: today(),
                        visit: None,
                        indicators: letter.indicators.clone(),
                        issue: false,
                    };
                    let file = folder.join(format!("{}-{}.pdf", view.group.urn, letter.kind));
                    letters::one(&mut store, &set, view.group.urn, &order, &file)?;
                    writeln!(
                        out,
                        "Draft {} written to {}.",
                        letter.kind.label(),
                        file.display()
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The group named by its id, or by the URN of the school whose open group it is.
fn group_id(store: &Store, text: &str) -> anyhow::Result<Uuid> {
    if let Ok(id) = Uuid::parse_str(text.trim()) {
        return Ok(store.msp_group(id)?.id);
    }
    let urn: Urn = text
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("{text:?} is neither a group's id nor a school's URN"))?;
    store
        .msp_groups(Some(urn))?
        .into_iter()
        .find(|group| group.is_open())
        .map(|group| group.id)
        .with_context(|| format!("the school with URN {urn} has no open MSP group"))
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

fn document(set: &LetterSet, papers: &MspPapers, which: MspDocument) -> anyhow::Result<Document> {
    let papers = papers_of(papers);
    Ok(match which {
        MspDocument::Minutes => minutes_document(papers, set)?,
        MspDocument::Summary => summary_document(papers, set)?,
    })
}

/// Writes the document: as kept when approved (printed and kept the first
/// time), a fresh draft print otherwise.
fn print(
    store: &mut Store,
    path: &Path,
    meeting: Uuid,
    which: MspDocument,
    file: &Path,
) -> anyhow::Result<()> {
    let papers = store.msp_papers(meeting)?;
    let approved = papers.meeting.status == caseload_core::msp::MeetingStatus::Approved;
    let pdf = match store.kept_msp_pdf(meeting, which)? {
        Some(kept) => kept,
        None => {
            let set = LetterSet::with_folder(&letters_folder(path))?;
            let pdf = Typesetter::new()?.render(&document(&set, &papers, which)?)?;
            if approved {
                store.keep_msp_pdf(meeting, which, &pdf)?
            } else {
                pdf
            }
        }
    };
    write_atomically(file, &pdf)
}

/// Approves the meeting after printing both its documents as approved, so
/// nothing is approved that cannot be printed; the prints are kept.
fn approve(
    store: &mut Store,
    path: &Path,
    meeting: Uuid,
    on: NaiveDate,
) -> anyhow::Result<MspMeeting> {
    let mut papers = store.msp_papers(meeting)?;
    papers.meeting.approve(on)?;
    let set = LetterSet::with_folder(&letters_folder(path))?;
    let typesetter = Typesetter::new()?;
    let minutes = typesetter.render(&document(&set, &papers, MspDocument::Minutes)?)?;
    let summary = typesetter.render(&document(&set, &papers, MspDocument::Summary)?)?;
    let approved = store.approve_msp_meeting(meeting, on)?;
    if approved == papers.meeting {
        store.keep_msp_pdf(meeting, MspDocument::Minutes, &minutes)?;
        store.keep_msp_pdf(meeting, MspDocument::Summary, &summary)?;
    }
    Ok(approved)
}

fn groups_text(views: &[MspGroupView]) -> String {
    if views.is_empty() {
        return "No MSP groups.\n".to_owned();
    }
    views.iter().map(group_text).collect::<Vec<_>>().join("\n")
}

fn group_text(view: &MspGroupView) -> String {
    let group = &view.group;
    let mut text = format!(
        "{} (URN {}): MSP group {}\n  Chair: {}; opened {}\n",
        view.school,
        group.urn,
        group.id,
        view.chair,
        long_date(group.opened_on)
    );
    if let Some(closed) = &group.closed {
        text.push_str(&format!(
            "  Closed {}: {}\n",
            long_date(closed.on),
            closed.reason
        ));
    }
    text.push_str("  Members:\n");
    for member in &group.members {
        text.push_str(&format!("    {} ({})\n", member.name, member.role_label()));
    }
    text.push_str("  Meetings:\n");
    if view.meetings.is_empty() {
        text.push_str("    none yet\n");
    }
    for meeting in &view.meetings {
        let concerns = if meeting.concerns_remain {
            ", concerns remain"
        } else {
            ""
        };
        text.push_str(&format!(
            "    {}  {:?}{concerns}  {}\n",
            meeting.meets_on, meeting.status, meeting.id
        ));
    }
    if let Some(cadence) = &view.cadence {
        let next = cadence
            .next_planned
            .map_or_else(|| "none planned".to_owned(), long_date);
        let flag = if cadence.overdue {
            " OVERDUE"
        } else if cadence.planned_late {
            " (planned after the due date)"
        } else {
            ""
        };
        text.push_str(&format!(
            "  Next meeting: {next}; due by {}{flag}; proposed {}\n",
            long_date(cadence.due_by),
            long_date(cadence.proposed)
        ));
    }
    text.push_str("  Live action log:\n");
    if view.live_log.is_empty() {
        text.push_str("    no open actions\n");
    }
    for entry in &view.live_log {
        let action = &entry.action;
        let overdue = if entry.overdue { " (overdue)" } else { "" };
        text.push_str(&format!(
            "    {:<5}  due {}{overdue}  {} ({})  {}\n",
            format!("{:?}", action.rag).to_uppercase(),
            action.due_on,
            action.text,
            action.owner,
            action.id
        ));
    }
    if let Some(reason) = view.close_suggested {
        text.push_str(&format!("  Consider closing it: {reason}\n"));
    }
    if view.escalation.is_some() {
        text.push_str(&escalation_text(view));
    }
    text
}

fn escalation_text(view: &MspGroupView) -> String {
    use caseload_core::msp::Concern;
    let Some(escalation) = &view.escalation else {
        return "No concerns remain: no escalation is proposed.\n".to_owned();
    };
    let mut text = String::from("  Concerns remain:\n");
    for concern in &escalation.concerns {
        text.push_str(&match concern {
            Concern::RedTwice {
                earlier,
                later,
                actions,
            } => format!(
                "    {} action(s) red at the meetings of {earlier} and {later}\n",
                actions.len()
            ),
            Concern::ConcernsRemain { meets_on, .. } => {
                format!(
                    "    the chair recorded at the meeting of {meets_on} that concerns remain\n"
                )
            }
        });
    }
    if escalation.letters.is_empty() {
        text.push_str("  The proposed letters have been issued since the latest meeting.\n");
    }
    for letter in &escalation.letters {
        let indicators: String = letter
            .indicators
            .iter()
            .map(|id| format!(" --indicator {id}"))
            .collect();
        text.push_str(&format!(
            "  Proposed, {}: caseload letter --urn {} --kind {}{indicators} --out FILE.pdf\n",
            letter.kind.label(),
            escalation.urn,
            letter.kind
        ));
    }
    if !escalation.outstanding.is_empty() {
        text.push_str("  Outstanding actions:\n");
        for row in &escalation.outstanding {
            text.push_str(&format!(
                "    {:<5}  due {}  {} ({})\n",
                format!("{:?}", row.rag).to_uppercase(),
                row.due_on,
                row.text,
                row.owner
            ));
        }
    }
    text
}

fn meeting_text(meeting: &MspMeeting) -> String {
    let names = |people: &[caseload_core::msp::Attendee]| {
        if people.is_empty() {
            "none recorded".to_owned()
        } else {
            people
                .iter()
                .map(|person| person.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let mut text = format!(
        "Meeting {} on {} at {} ({:?})\n  Present: {}\n  Apologies: {}\n  Agenda:\n",
        meeting.id,
        long_date(meeting.meets_on),
        meeting.place,
        meeting.status,
        names(&meeting.attendees),
        names(&meeting.apologies)
    );
    for (number, item) in meeting.agenda.iter().enumerate() {
        let minuted = if item.minutes.trim().is_empty() {
            ""
        } else {
            " (minuted)"
        };
        text.push_str(&format!("    {}. {}{minuted}\n", number + 1, item.title));
    }
    text.push_str("  Action log:\n");
    if meeting.action_log.is_empty() {
        text.push_str("    empty until the meeting is written up\n");
    }
    for row in &meeting.action_log {
        text.push_str(&format!(
            "    {:<5}  due {}  {}  {} ({})  {}\n",
            format!("{:?}", row.rag).to_uppercase(),
            row.due_on,
            row.status_label(),
            row.text,
            row.owner,
            row.action
        ));
    }
    text
}

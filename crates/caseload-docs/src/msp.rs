//! The two documents of an MSP meeting, as [`Document`]s the typesetter
//! lays out like any letter, under the authority's letterhead:
//!
//! - the **minutes**, marked CONFIDENTIAL on every page and addressed to
//!   the members of the group only: attendance, the minutes under each
//!   agenda item, the action log as it stood at the meeting, decisions;
//! - the **summary key points** for the whole governing body: the chair's
//!   separate text and the date of the next meeting.
//!
//! The summary is built without reading the minutes, the decisions or the
//! action log, and refused if its text repeats a sentence of the minutes
//! (the check the meeting passed when it was written, made again here in
//! case the record reached this device some other way).

use chrono::NaiveDate;
use thiserror::Error;

use caseload_core::action::ActionStatus;
use caseload_core::msp::log::LoggedAction;
use caseload_core::msp::{summary, MeetingStatus, MspError, MspGroup, MspMeeting};
use caseload_core::{Adviser, School};

use crate::document::{Address, Block, Document, Signature, Span, Table};
use crate::letters::context::long_date;
use crate::letters::markdown;
use crate::letters::LetterSet;

#[derive(Debug, Error)]
pub enum MspDocError {
    #[error("{0}")]
    Meeting(#[from] MspError),
    #[error(
        "the meeting of {0} has no summary key points yet: write them before printing the summary"
    )]
    NoSummary(NaiveDate),
    #[error("{what} of the meeting of {meets_on}: {problem}")]
    Text {
        what: &'static str,
        meets_on: NaiveDate,
        problem: String,
    },
}

/// What a meeting's documents are made from.
#[derive(Debug, Clone, Copy)]
pub struct MeetingPapers<'a> {
    pub meeting: &'a MspMeeting,
    pub group: &'a MspGroup,
    pub school: &'a School,
    pub chair: Option<&'a Adviser>,
    /// The group's next planned meeting, for the summary.
    pub next_meeting: Option<NaiveDate>,
}

impl MeetingPapers<'_> {
    fn approved(&self) -> bool {
        self.meeting.status == MeetingStatus::Approved
    }

    /// Approved minutes are dated the day they were approved.
    fn dated(&self) -> String {
        long_date(self.meeting.approved_on.unwrap_or(self.meeting.meets_on))
    }

    fn chair_name(&self) -> String {
        match (self.chair, self.group.chair_member()) {
            (Some(adviser), _) => adviser.name.clone(),
            (None, Some(member)) => member.name.clone(),
            (None, None) => "The chair".to_owned(),
        }
    }

    fn signature(&self, closing: &str, letters: &LetterSet) -> Signature {
        Signature {
            closing: closing.to_owned(),
            name: self.chair_name(),
            role: "Chair of the Monitoring Support Partnership".to_owned(),
            organisation: letters.letterhead.authority.clone(),
        }
    }

    fn reference(&self, document: &str) -> String {
        format!(
            "MSP/{}/{}/{document}",
            self.school.urn, self.meeting.meets_on
        )
    }

    fn text_blocks(&self, what: &'static str, text: &str) -> Result<Vec<Block>, MspDocError> {
        markdown::blocks(text, &Default::default()).map_err(|problem| MspDocError::Text {
            what,
            meets_on: self.meeting.meets_on,
            problem,
        })
    }
}

/// The confidential minutes: to the group's members only.
pub fn minutes_document(
    papers: MeetingPapers<'_>,
    letters: &LetterSet,
) -> Result<Document, MspDocError> {
    let meeting = papers.meeting;
    let school = papers.school;
    let when = long_date(meeting.meets_on);
    let mut blocks = vec![
        Block::Heading {
            text: "Monitoring Support Partnership: confidential minutes".to_owned(),
        },
        paragraph(format!(
            "Meeting of the Monitoring Support Partnership for {} (URN {}), held on {when} at {}.",
            school.name, school.urn, meeting.place
        )),
        Block::Paragraph {
            spans: vec![
                Span::strong("Confidential. "),
                Span::plain(
                    "These minutes are for the members of the group only and are not to be shared beyond it. The summary key points are shared with the whole governing body.",
                ),
            ],
        },
        Block::Paragraph {
            spans: vec![
                Span::strong("Status: "),
                Span::plain(match meeting.approved_on {
                    Some(on) if papers.approved() => {
                        format!("approved by the chair on {}.", long_date(on))
                    }
                    _ => "draft, not yet approved by the chair.".to_owned(),
                }),
            ],
        },
        Block::Heading {
            text: "Present".to_owned(),
        },
        people(&meeting.attendees),
        Block::Heading {
            text: "Apologies".to_owned(),
        },
        people(&meeting.apologies),
    ];
    for (number, item) in meeting.agenda.iter().enumerate() {
        blocks.push(Block::Heading {
            text: format!("{}. {}", number + 1, item.title),
        });
        if item.minutes.trim().is_empty() {
            blocks.push(paragraph("Nothing was minuted under this item."));
        } else {
            blocks.extend(papers.text_blocks("the minutes", &item.minutes)?);
        }
    }
    blocks.push(Block::Heading {
        text: "Action log".to_owned(),
    });
    blocks.push(action_log(&meeting.action_log));
    blocks.push(Block::Heading {
        text: "Decisions".to_owned(),
    });
    blocks.push(if meeting.decisions.is_empty() {
        paragraph("No decisions were recorded.")
    } else {
        Block::Numbered {
            items: meeting
                .decisions
                .iter()
                .map(|decision| vec![Span::plain(decision.clone())])
                .collect(),
        }
    });
    if meeting.concerns_remain {
        blocks.push(Block::Paragraph {
            spans: vec![
                Span::strong("Concerns remain. "),
                Span::plain("The chair recorded that concerns remain after this meeting."),
            ],
        });
    }
    let marking = if papers.approved() {
        "CONFIDENTIAL"
    } else {
        "CONFIDENTIAL: DRAFT MINUTES"
    };
    Ok(Document {
        title: format!(
            "Confidential minutes: {}, MSP meeting of {when}",
            school.name
        ),
        letterhead: letters.letterhead_with(papers.chair),
        marking: Some(marking.to_owned()),
        recipients: vec![Address {
            lines: vec![
                "The members of the Monitoring Support Partnership".to_owned(),
                school.name.clone(),
            ],
        }],
        date: papers.dated(),
        reference: Some(papers.reference("M")),
        blocks,
        signature: papers
            .approved()
            .then(|| papers.signature("Approved as a true record", letters)),
        copies_to: papers
            .group
            .members
            .iter()
            .map(|member| format!("{} ({})", member.name, member.role_label()))
            .collect(),
    })
}

/// The summary key points for the whole governing body.
pub fn summary_document(
    papers: MeetingPapers<'_>,
    letters: &LetterSet,
) -> Result<Document, MspDocError> {
    let meeting = papers.meeting;
    let school = papers.school;
    if meeting.summary.trim().is_empty() {
        return Err(MspDocError::NoSummary(meeting.meets_on));
    }
    summary::check(&meeting.summary, meeting.confidential_texts())?;
    let when = long_date(meeting.meets_on);
    let mut blocks = vec![
        Block::Heading {
            text: "Monitoring Support Partnership: summary key points".to_owned(),
        },
        paragraph(format!(
            "The Monitoring Support Partnership for {} met on {when}. These key points are shared with the whole governing body; the minutes of the meeting are confidential to the members of the group.",
            school.name
        )),
    ];
    blocks.extend(papers.text_blocks("the summary key points", &meeting.summary)?);
    if let Some(next) = papers.next_meeting {
        blocks.push(paragraph(format!(
            "The group next meets on {}.",
            long_date(next)
        )));
    }
    Ok(Document {
        title: format!("Summary key points: {}, MSP meeting of {when}", school.name),
        letterhead: letters.letterhead_with(papers.chair),
        marking: (!papers.approved()).then(|| "DRAFT".to_owned()),
        recipients: vec![Address {
            lines: vec!["The Governing Body".to_owned(), school.name.clone()],
        }],
        date: papers.dated(),
        reference: Some(papers.reference("S")),
        blocks,
        signature: Some(
            papers.signature("On behalf of the Monitoring Support Partnership", letters),
        ),
        copies_to: Vec::new(),
    })
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph {
        spans: vec![Span::plain(text)],
    }
}

fn people(attendees: &[caseload_core::msp::Attendee]) -> Block {
    if attendees.is_empty() {
        return paragraph("None.");
    }
    Block::Bullets {
        items: attendees
            .iter()
            .map(|attendee| vec![Span::plain(format!("{}, {}", attendee.name, attendee.role))])
            .collect(),
    }
}

fn action_log(rows: &[LoggedAction]) -> Block {
    if rows.is_empty() {
        return paragraph("No actions are on the log.");
    }
    Block::Table(Table {
        header: ["Action", "Owner", "Due", "RAG", "Status"]
            .map(str::to_owned)
            .to_vec(),
        rows: rows
            .iter()
            .map(|row| {
                let carried = if row.agreed_here { "new" } else { "carried" };
                let status = match &row.status {
                    ActionStatus::Open => "Open".to_owned(),
                    ActionStatus::Done { on } => format!("Done {}", long_date(*on)),
                    ActionStatus::Dropped { on, reason } => {
                        format!("Dropped {}: {reason}", long_date(*on))
                    }
                };
                vec![
                    row.text.clone(),
                    row.owner.clone(),
                    long_date(row.due_on),
                    rag_label(row.rag).to_owned(),
                    format!("{status} ({carried})"),
                ]
            })
            .collect(),
        widths: vec![5.0, 3.0, 2.2, 1.3, 2.5],
    })
}

fn rag_label(rag: caseload_core::action::Rag) -> &'static str {
    match rag {
        caseload_core::action::Rag::Red => "Red",
        caseload_core::action::Rag::Amber => "Amber",
        caseload_core::action::Rag::Green => "Green",
    }
}

#[cfg(test)]
mod tests {
    use caseload_core::samples;

    use super::*;

    fn papers_of<'a>(
        meeting: &'a MspMeeting,
        group: &'a MspGroup,
        school: &'a School,
    ) -> MeetingPapers<'a> {
        MeetingPapers {
            meeting,
            group,
            school,
            chair: None,
            next_meeting: None,
        }
    }

    #[test]
    fn the_minutes_are_marked_confidential_and_go_to_members_only() {
        let letters = LetterSet::shipped().expect("shipped letters");
        let (meeting, group, school) = (
            samples::msp_meeting(),
            samples::msp_group(),
            samples::school(),
        );
        let doc = minutes_document(papers_of(&meeting, &group, &school), &letters).expect("builds");
        assert_eq!(doc.marking.as_deref(), Some("CONFIDENTIAL"));
        assert_eq!(
            doc.recipients[0].lines[0],
            "The members of the Monitoring Support Partnership"
        );
        assert_eq!(doc.copies_to.len(), group.members.len());
        assert!(doc.signature.is_some(), "approved minutes are signed off");
        let mut draft = meeting.clone();
        draft.status = MeetingStatus::Draft;
        draft.approved_on = None;
        let doc = minutes_document(papers_of(&draft, &group, &school), &letters).expect("builds");
        assert_eq!(doc.marking.as_deref(), Some("CONFIDENTIAL: DRAFT MINUTES"));
        assert!(doc.signature.is_none());
    }

    #[test]
    fn a_summary_that_repeats_the_minutes_or_is_empty_is_not_printed() {
        let letters = LetterSet::shipped().expect("shipped letters");
        let (group, school) = (samples::msp_group(), samples::school());
        let mut meeting = samples::msp_meeting();
        meeting.summary = format!("In brief: {}", meeting.agenda[1].minutes);
        let error = summary_document(papers_of(&meeting, &group, &school), &letters)
            .expect_err("repeats the minutes");
        assert!(matches!(
            error,
            MspDocError::Meeting(MspError::SummaryQuotesMinutes(_))
        ));
        meeting.summary = " ".to_owned();
        assert!(matches!(
            summary_document(papers_of(&meeting, &group, &school), &letters),
            Err(MspDocError::NoSummary(_))
        ));
    }
}

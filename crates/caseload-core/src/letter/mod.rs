//! Letters to schools: the kinds the strategy lists, the letter record and
//! the rule that an issued letter never changes.
//!
//! A letter is drafted from a template, edited by the adviser and then
//! issued: its text, recipients, date and the SHA-256 of its PDF are frozen.
//! A mistake in an issued letter is put right by a new letter that names
//! the one it corrects.

pub mod catalogue;
pub mod facts;
pub mod kind;
pub mod material;
pub mod suggest;
pub mod warning;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::people::AdviserId;
use crate::school::Urn;
pub use kind::LetterKind;
pub use warning::WarningTerms;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LetterStatus {
    Draft,
    Issued,
}

/// A person or body a letter is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    /// "Mrs Ada Okafor" or "The Governing Body".
    pub name: String,
    /// "Headteacher", "Chair of governors".
    pub role: String,
    /// Postal address lines after the name and role.
    pub address: Vec<String>,
}

/// Who signs a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signatory {
    pub name: String,
    /// "School Improvement Adviser", "Director of Education".
    pub role: String,
}

/// A letter to a school, drafted or issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    pub id: Uuid,
    pub urn: Urn,
    pub kind: LetterKind,
    pub status: LetterStatus,
    /// The date printed on the letter; the day it was issued once issued.
    pub dated: NaiveDate,
    pub reference: String,
    pub recipients: Vec<Recipient>,
    pub copies_to: Vec<String>,
    pub subject: String,
    /// The text as the adviser left it: Markdown with headings and lists.
    pub body: String,
    /// "CONFIDENTIAL", printed on every page.
    pub marking: Option<String>,
    /// Ids of the catalogue's indicators the letter cites.
    pub indicators: Vec<String>,
    /// For a warning notice: its ground, compliance period and the powers
    /// the authority is minded to use.
    pub terms: Option<WarningTerms>,
    /// For a note of visit: the finalised visit it records.
    pub visit: Option<Uuid>,
    /// For a correction: the issued letter it puts right.
    pub corrects: Option<Uuid>,
    pub author: Option<AdviserId>,
    pub signatory: Signatory,
    /// SHA-256 of the issued PDF, in hex; None while a draft.
    pub pdf_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LetterError {
    #[error("the {kind} dated {dated} is issued and cannot change: write a correction instead")]
    Issued {
        kind: &'static str,
        dated: NaiveDate,
    },
    #[error("only an issued letter can be corrected; this {0} is still a draft")]
    CorrectingDraft(&'static str),
    #[error("a {0} needs at least one recipient")]
    NoRecipient(&'static str),
    #[error("recipient {index}: {field} is empty")]
    BlankRecipient { index: usize, field: &'static str },
    #[error("a {kind} must have a section headed \"{heading}\"")]
    MissingSection {
        kind: &'static str,
        heading: &'static str,
    },
    #[error("a {kind} must be copied to {whom}")]
    MissingCopy {
        kind: &'static str,
        whom: &'static str,
    },
    #[error("a warning notice needs its terms: ground, compliance period and the powers the authority is minded to use")]
    MissingTerms,
    #[error("this notice was drafted on {drafted} and its compliance date counts from then: draft it again today to issue it")]
    StaleTerms { drafted: NaiveDate },
    #[error("a note of visit needs the finalised visit it records")]
    MissingVisit,
    #[error("{0}")]
    Terms(#[from] warning::TermsError),
}

impl Letter {
    /// Checks the draft may change: an issued letter never does.
    pub fn check_editable(&self) -> Result<(), LetterError> {
        match self.status {
            LetterStatus::Draft => Ok(()),
            LetterStatus::Issued => Err(LetterError::Issued {
                kind: self.kind.label(),
                dated: self.dated,
            }),
        }
    }

    /// Checks a draft is complete enough to send.
    pub fn check_complete(&self) -> Result<(), LetterError> {
        let kind = self.kind.label();
        if self.recipients.is_empty() {
            return Err(LetterError::NoRecipient(kind));
        }
        for (index, recipient) in self.recipients.iter().enumerate() {
            if recipient.name.trim().is_empty() {
                let index = index + 1;
                return Err(LetterError::BlankRecipient {
                    index,
                    field: "name",
                });
            }
        }
        for heading in self.kind.required_sections() {
            if !has_heading(&self.body, heading) {
                return Err(LetterError::MissingSection { kind, heading });
            }
        }
        for whom in self.kind.required_copies() {
            if !self.copies_to.iter().any(|copy| copy.contains(whom)) {
                return Err(LetterError::MissingCopy { kind, whom });
            }
        }
        if self.kind == LetterKind::WarningNotice {
            self.terms
                .as_ref()
                .ok_or(LetterError::MissingTerms)?
                .check()?;
        }
        if self.kind == LetterKind::VisitNote && self.visit.is_none() {
            return Err(LetterError::MissingVisit);
        }
        Ok(())
    }

    /// Dates the draft `on`, the day it is to be issued. A warning notice
    /// drafted on another day is refused: its compliance date was counted
    /// from that day and is written in its text.
    pub fn date_for_issue(&mut self, on: NaiveDate) -> Result<(), LetterError> {
        self.check_editable()?;
        if self.dated != on && self.terms.is_some() {
            return Err(LetterError::StaleTerms {
                drafted: self.dated,
            });
        }
        self.dated = on;
        Ok(())
    }

    /// Freezes the draft as sent on `on`, with the SHA-256 of its PDF.
    pub fn issue(&mut self, on: NaiveDate, pdf_sha256: String) -> Result<(), LetterError> {
        self.check_editable()?;
        self.check_complete()?;
        self.dated = on;
        self.status = LetterStatus::Issued;
        self.pdf_sha256 = Some(pdf_sha256);
        Ok(())
    }

    /// A new draft that puts this issued letter right, starting from its text.
    pub fn correction(&self, id: Uuid, on: NaiveDate) -> Result<Letter, LetterError> {
        if self.status != LetterStatus::Issued {
            return Err(LetterError::CorrectingDraft(self.kind.label()));
        }
        Ok(Letter {
            id,
            status: LetterStatus::Draft,
            dated: on,
            reference: format!("{} (correction)", self.reference),
            corrects: Some(self.id),
            pdf_sha256: None,
            ..self.clone()
        })
    }
}

/// Whether a Markdown heading line of `body` reads `heading`.
fn has_heading(body: &str, heading: &str) -> bool {
    body.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with('#')
            && line
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case(heading)
    })
}

#[cfg(test)]
mod tests;

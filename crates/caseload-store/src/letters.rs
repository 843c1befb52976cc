//! Letters in the store: drafts the adviser edits, and issued letters that
//! never change, each with its PDF kept beside it and checked on re-print.

use caseload_core::action::Action;
use caseload_core::letter::catalogue::Catalogue;
use caseload_core::letter::material::LetterMaterial;
use caseload_core::letter::suggest::LetterSuggestion;
use caseload_core::letter::{Letter, LetterKind, LetterStatus};
use caseload_core::performance::PerformanceFigure;
use caseload_core::{Contact, OfstedInspection, Urn};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use serde::Serialize;
use uuid::Uuid;

use crate::hash::sha256_hex;
use crate::records::load_where;
use crate::views::SchoolScope;
use crate::{Store, StoreError};

/// The letters the records say a school is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LettersDue {
    pub urn: Urn,
    pub school: String,
    pub letters: Vec<LetterSuggestion>,
}

impl Store {
    /// For each of `urns` with a letter due, what is due and what to cite.
    pub fn letters_due(
        &self,
        catalogue: &Catalogue,
        urns: &[Urn],
        today: NaiveDate,
    ) -> Result<Vec<LettersDue>, StoreError> {
        let mut due = Vec::new();
        for urn in urns {
            let material = self.letter_material(*urn)?;
            let letters = material.suggestions(catalogue, today);
            if !letters.is_empty() {
                due.push(LettersDue {
                    urn: *urn,
                    school: material.school.name,
                    letters,
                });
            }
        }
        Ok(due)
    }

    /// The letters of one school, or of every school, newest first.
    pub fn letters(&self, urn: Option<Urn>) -> Result<Vec<Letter>, StoreError> {
        let mut letters = match urn {
            Some(urn) => load_where::<Letter>(self.conn(), "urn = ?1", [urn.0])?,
            None => load_where::<Letter>(self.conn(), "1", [])?,
        };
        letters.sort_by_key(|letter| std::cmp::Reverse((letter.dated, letter.id)));
        Ok(letters)
    }

    /// The caseload's schools a letter of `kind` is due for (for the school
    /// on a page, every school it suits).
    pub fn letters_eligible(
        &self,
        catalogue: &Catalogue,
        kind: LetterKind,
        today: NaiveDate,
    ) -> Result<Vec<Urn>, StoreError> {
        let mut urns = Vec::new();
        for school in self.schools(SchoolScope::Caseload)? {
            if !kind.suits(school.governance()) {
                continue;
            }
            let due = kind == LetterKind::SchoolOnAPage
                || self
                    .letter_material(school.urn)?
                    .suggestions(catalogue, today)
                    .iter()
                    .any(|suggestion| suggestion.kind == kind);
            if due {
                urns.push(school.urn);
            }
        }
        Ok(urns)
    }

    pub fn letter(&self, id: Uuid) -> Result<Letter, StoreError> {
        load_where::<Letter>(self.conn(), "id = ?1", [id.to_string()])?
            .into_iter()
            .next()
            .ok_or(StoreError::LetterNotFound(id))
    }

    /// Writes a new or edited draft; an issued letter is never rewritten.
    pub fn save_letter_draft(&mut self, letter: &Letter) -> Result<(), StoreError> {
        self.check_school(letter.urn)?;
        letter.check_editable()?;
        if let Some(stored) = self.stored_letter(letter.id)? {
            stored.check_editable()?;
        }
        self.write(|writer| writer.save(letter))?;
        Ok(())
    }

    /// Issues the draft `letter`, whose PDF is `pdf`.
    pub fn issue_letter(&mut self, letter: &Letter, pdf: &[u8]) -> Result<Letter, StoreError> {
        let mut issued = self.issue_letters(&[(letter, pdf)])?;
        issued.pop().ok_or(StoreError::LetterNotFound(letter.id))
    }

    /// Issues each letter with its PDF, all in one transaction or none. A
    /// letter already stored must be that draft exactly, so the PDF shows
    /// what is recorded; a new one is recorded as it is issued.
    pub fn issue_letters(
        &mut self,
        letters: &[(&Letter, &[u8])],
    ) -> Result<Vec<Letter>, StoreError> {
        let mut issued = Vec::with_capacity(letters.len());
        for (letter, pdf) in letters {
            match self.stored_letter(letter.id)? {
                Some(stored) if stored != **letter => {
                    stored.check_editable()?;
                    return Err(StoreError::LetterChanged);
                }
                Some(_) => {}
                None => self.check_school(letter.urn)?,
            }
            let mut letter = (*letter).clone();
            letter.issue(letter.dated, sha256_hex(pdf))?;
            issued.push(letter);
        }
        self.write(|writer| {
            for (letter, (_, pdf)) in issued.iter().zip(letters) {
                writer.save(letter)?;
                writer.tx.execute(
                    "INSERT INTO letter_pdf (letter, sha256, pdf) VALUES (?1, ?2, ?3)",
                    rusqlite::params![letter.id.to_string(), letter.pdf_sha256, pdf],
                )?;
            }
            Ok(())
        })?;
        Ok(issued)
    }

    /// The PDF of an issued letter, exactly as issued; refuses bytes whose
    /// SHA-256 differs from the one the letter recorded.
    pub fn issued_pdf(&self, id: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
        let letter = self.letter(id)?;
        if letter.status != LetterStatus::Issued {
            return Ok(None);
        }
        let pdf: Option<Vec<u8>> = self
            .conn()
            .query_row(
                "SELECT pdf FROM letter_pdf WHERE letter = ?1",
                [id.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        match pdf {
            Some(pdf) if Some(sha256_hex(&pdf)) == letter.pdf_sha256 => Ok(Some(pdf)),
            Some(_) => Err(StoreError::PdfAltered(id)),
            None => Ok(None),
        }
    }

    fn stored_letter(&self, id: Uuid) -> Result<Option<Letter>, StoreError> {
        Ok(
            load_where::<Letter>(self.conn(), "id = ?1", [id.to_string()])?
                .into_iter()
                .next(),
        )
    }

    /// Everything recorded about a school that its letters may draw on,
    /// written by the adviser this installation belongs to.
    pub fn letter_material(&self, urn: Urn) -> Result<LetterMaterial, StoreError> {
        let conn = self.conn();
        Ok(LetterMaterial {
            school: self.school(urn)?,
            contacts: load_where::<Contact>(conn, "urn = ?1", [urn.0])?,
            author: self.current_adviser()?,
            inspections: load_where::<OfstedInspection>(conn, "urn = ?1", [urn.0])?,
            reviews: self.reviews(urn)?,
            figures: load_where::<PerformanceFigure>(conn, "urn = ?1", [urn.0])?,
            actions: load_where::<Action>(conn, "urn = ?1", [urn.0])?,
            visits: self.visits(Some(urn))?,
            letters: self.letters(Some(urn))?,
        })
    }
}

//! Academy concerns and reports in the store.
//!
//! Each change reads the record, and what its rules need, inside the
//! transaction that writes it, so a step taken a moment ago in another
//! window is seen before the next is checked. The rules are
//! `caseload_core::academy`'s; this module gathers what they read and keeps
//! what they decide.

use caseload_core::academy::{
    AcademyConcern, AcademyReport, Body, ConcernGround, ReportKind, Stage, Step,
};
use caseload_core::letter::{Letter, LetterKind, LetterStatus};
use caseload_core::Urn;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use crate::msp::{one, one_school};
use crate::records::{load_where, Writer};
use crate::{Store, StoreError};

/// A concern as a school's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcernRow {
    pub id: Uuid,
    pub raised_on: NaiveDate,
    pub grounds: Vec<ConcernGround>,
    pub stage: Stage,
    /// The latest step taken, and when.
    pub latest: Option<(Step, NaiveDate)>,
}

/// Everything the academy section of a school's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcademyCase {
    pub urn: Urn,
    pub school: String,
    pub trust: Option<String>,
    /// Newest first.
    pub concerns: Vec<ConcernRow>,
    /// Newest first.
    pub reports: Vec<AcademyReport>,
}

/// An issued letter of concern that a concern may record as its formal step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterChoice {
    pub id: Uuid,
    pub dated: NaiveDate,
    pub reference: String,
    pub subject: String,
}

/// A concern as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConcernSheet {
    pub concern: AcademyConcern,
    pub school: String,
    pub trust: Option<String>,
    pub raised_by: Option<String>,
    pub stage: Stage,
    /// The steps the escalation allows now.
    pub next_steps: Vec<Step>,
    /// The indicators a letter to the chair of the trust cites.
    pub indicators: Vec<String>,
    /// Issued letters of concern to this academy's trust that no concern
    /// has recorded yet, newest first: offered when the letter is next.
    pub letters: Vec<LetterChoice>,
}

impl Store {
    /// Raises a concern about the academy `urn` on `grounds`, each with its
    /// evidence, by the adviser this installation belongs to.
    pub fn raise_academy_concern(
        &mut self,
        urn: Urn,
        raised_on: NaiveDate,
        grounds: &[(ConcernGround, String)],
        today: NaiveDate,
    ) -> Result<AcademyConcern, StoreError> {
        let raised_by = self.current_adviser_id()?;
        self.write(|writer| {
            let school = one_school(&writer.tx, urn)?;
            let concern = AcademyConcern::raise(
                Uuid::now_v7(),
                &school,
                raised_by,
                raised_on,
                grounds,
                today,
            )?;
            writer.save(&concern)?;
            Ok(concern)
        })
    }

    pub fn add_concern_evidence(
        &mut self,
        id: Uuid,
        ground: ConcernGround,
        text: &str,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<AcademyConcern, StoreError> {
        self.change_concern(id, |concern, _| {
            Ok(concern.add_evidence(ground, text, on, today)?)
        })
    }

    /// Records a meeting or a referral.
    pub fn take_escalation_step(
        &mut self,
        id: Uuid,
        step: Step,
        on: NaiveDate,
        note: &str,
        today: NaiveDate,
    ) -> Result<AcademyConcern, StoreError> {
        self.change_concern(id, |concern, _| {
            Ok(concern.take_step(step, on, note, today)?)
        })
    }

    /// Records the issued letter `letter` as the concern's formal step.
    pub fn record_concern_letter(
        &mut self,
        id: Uuid,
        letter: Uuid,
        today: NaiveDate,
    ) -> Result<AcademyConcern, StoreError> {
        self.change_concern(id, |concern, conn| {
            let letter = one::<Letter>(conn, letter)?.ok_or(StoreError::LetterNotFound(letter))?;
            Ok(concern.record_letter(&letter, today)?)
        })
    }

    pub fn record_step_outcome(
        &mut self,
        id: Uuid,
        step: Step,
        on: NaiveDate,
        text: &str,
        today: NaiveDate,
    ) -> Result<AcademyConcern, StoreError> {
        self.change_concern(id, |concern, _| {
            Ok(concern.record_outcome(step, on, text, today)?)
        })
    }

    pub fn resolve_academy_concern(
        &mut self,
        id: Uuid,
        on: NaiveDate,
        how: &str,
        today: NaiveDate,
    ) -> Result<AcademyConcern, StoreError> {
        self.change_concern(id, |concern, _| Ok(concern.resolve(on, how, today)?))
    }

    /// Concerns, newest first: one school's or every school's.
    pub fn academy_concerns(&self, urn: Option<Urn>) -> Result<Vec<AcademyConcern>, StoreError> {
        let mut concerns = match urn {
            Some(urn) => load_where::<AcademyConcern>(self.conn(), "urn = ?1", [urn.0])?,
            None => load_where::<AcademyConcern>(self.conn(), "1 = 1", [])?,
        };
        concerns.sort_by_key(|concern| std::cmp::Reverse((concern.raised_on, concern.id)));
        Ok(concerns)
    }

    pub fn academy_concern(&self, id: Uuid) -> Result<AcademyConcern, StoreError> {
        one::<AcademyConcern>(self.conn(), id)?.ok_or(StoreError::AcademyConcernNotFound(id))
    }

    /// The concern as its page shows it.
    pub fn academy_concern_sheet(&self, id: Uuid) -> Result<ConcernSheet, StoreError> {
        let concern = self.academy_concern(id)?;
        let school = self.school(concern.urn)?;
        let raised_by = match concern.raised_by {
            Some(adviser) => self
                .adviser_by(&adviser.to_string())
                .ok()
                .map(|adviser| adviser.name),
            None => None,
        };
        let recorded: Vec<Uuid> = self
            .academy_concerns(Some(concern.urn))?
            .iter()
            .flat_map(|other| other.steps.iter().filter_map(|taken| taken.letter))
            .collect();
        let letters = self
            .letters(Some(concern.urn))?
            .into_iter()
            .filter(|letter| {
                letter.kind == LetterKind::AcademyConcern
                    && letter.status == LetterStatus::Issued
                    && !recorded.contains(&letter.id)
            })
            .map(|letter| LetterChoice {
                id: letter.id,
                dated: letter.dated,
                reference: letter.reference,
                subject: letter.subject,
            })
            .collect();
        Ok(ConcernSheet {
            school: school.name,
            trust: school.trust,
            raised_by,
            stage: concern.stage(),
            next_steps: concern.next_steps(),
            indicators: concern.indicators(),
            letters,
            concern,
        })
    }

    /// The academy section of the school `urn`'s page.
    pub fn academy_case(&self, urn: Urn) -> Result<AcademyCase, StoreError> {
        let school = self.school(urn)?;
        caseload_core::academy::check_academy(&school)?;
        let concerns = self
            .academy_concerns(Some(urn))?
            .into_iter()
            .map(|concern| ConcernRow {
                id: concern.id,
                raised_on: concern.raised_on,
                grounds: concern.grounds(),
                stage: concern.stage(),
                latest: concern
                    .steps
                    .last()
                    .map(|taken| (taken.step, taken.taken_on)),
            })
            .collect();
        Ok(AcademyCase {
            urn,
            school: school.name,
            trust: school.trust,
            concerns,
            reports: self.academy_reports(Some(urn))?,
        })
    }

    /// Logs a complaint, whistleblowing or a safeguarding concern about the
    /// academy `urn`, with the strategy's redirection.
    pub fn log_academy_report(
        &mut self,
        urn: Urn,
        kind: ReportKind,
        received_on: NaiveDate,
        summary: &str,
        today: NaiveDate,
    ) -> Result<AcademyReport, StoreError> {
        let logged_by = self.current_adviser_id()?;
        self.write(|writer| {
            let school = one_school(&writer.tx, urn)?;
            let report = AcademyReport::log(
                Uuid::now_v7(),
                &school,
                kind,
                received_on,
                summary,
                logged_by,
                today,
            )?;
            writer.save(&report)?;
            Ok(report)
        })
    }

    /// Records that `person` at `to` was told of a safeguarding concern.
    pub fn pass_on_academy_report(
        &mut self,
        id: Uuid,
        to: Body,
        person: &str,
        on: NaiveDate,
        today: NaiveDate,
    ) -> Result<AcademyReport, StoreError> {
        self.write(|writer| {
            let mut report = one::<AcademyReport>(&writer.tx, id)?
                .ok_or(StoreError::AcademyReportNotFound(id))?;
            report.pass_on(to, person, on, today)?;
            writer.save(&report)?;
            Ok(report)
        })
    }

    /// Reports, newest first: one school's or every school's.
    pub fn academy_reports(&self, urn: Option<Urn>) -> Result<Vec<AcademyReport>, StoreError> {
        let mut reports = match urn {
            Some(urn) => load_where::<AcademyReport>(self.conn(), "urn = ?1", [urn.0])?,
            None => load_where::<AcademyReport>(self.conn(), "1 = 1", [])?,
        };
        reports.sort_by_key(|report| std::cmp::Reverse((report.received_on, report.id)));
        Ok(reports)
    }

    fn change_concern(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&mut AcademyConcern, &Connection) -> Result<(), StoreError>,
    ) -> Result<AcademyConcern, StoreError> {
        self.write(|writer| change_concern_in(writer, id, change))
    }
}

/// Reads the concern `id`, applies `change` and writes it, all inside
/// `writer`'s transaction.
fn change_concern_in(
    writer: &mut Writer<'_>,
    id: Uuid,
    change: impl FnOnce(&mut AcademyConcern, &Connection) -> Result<(), StoreError>,
) -> Result<AcademyConcern, StoreError> {
    let mut concern =
        one::<AcademyConcern>(&writer.tx, id)?.ok_or(StoreError::AcademyConcernNotFound(id))?;
    change(&mut concern, &writer.tx)?;
    writer.save(&concern)?;
    Ok(concern)
}

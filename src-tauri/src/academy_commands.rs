//! The Tauri commands of academy concerns: the academy section of a school's
//! page, raising a concern with its evidence, the escalation step by step
//! (the issued letter of concern recorded as the formal step), outcomes,
//! resolving; and complaints, whistleblowing and safeguarding concerns
//! logged with the strategy's redirection and who was told.
//!
//! Thin like the others: that only academies qualify and the strategy's
//! order are `caseload_core::academy`'s rules, applied by the store; this
//! file calls them and turns their errors into messages. The letter itself
//! is drafted through the letters' own `draft_letter`.

use caseload_core::academy::{
    vocabulary, AcademyReport, Body, ConcernGround, ReportKind, Step, Vocabulary,
};
use caseload_core::Urn;
use caseload_store::{AcademyCase, ConcernSheet, Store, StoreError};
use chrono::NaiveDate;
use serde::Deserialize;
use tauri::State;
use uuid::Uuid;

use crate::commands::{message, today, OpenStore};

/// A ground of a new concern and what shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct GroundEvidence {
    pub ground: ConcernGround,
    pub text: String,
}

/// The strategy's words for grounds, steps, stages, reports and bodies.
#[tauri::command]
pub fn academy_vocabulary() -> Vocabulary {
    vocabulary()
}

/// The academy section of a school's page; refused for a maintained school.
#[tauri::command(async)]
pub fn academy_case(store: State<'_, OpenStore>, urn: u32) -> Result<AcademyCase, String> {
    store.lock()?.academy_case(Urn(urn)).map_err(message)
}

#[tauri::command(async)]
pub fn academy_concern(store: State<'_, OpenStore>, id: Uuid) -> Result<ConcernSheet, String> {
    store.lock()?.academy_concern_sheet(id).map_err(message)
}

#[tauri::command(async)]
pub fn raise_academy_concern(
    store: State<'_, OpenStore>,
    urn: u32,
    raised_on: NaiveDate,
    grounds: Vec<GroundEvidence>,
) -> Result<ConcernSheet, String> {
    let grounds: Vec<(ConcernGround, String)> = grounds
        .into_iter()
        .map(|given| (given.ground, given.text))
        .collect();
    change(&store, |store| {
        Ok(store
            .raise_academy_concern(Urn(urn), raised_on, &grounds, today())?
            .id)
    })
}

#[tauri::command(async)]
pub fn add_concern_evidence(
    store: State<'_, OpenStore>,
    id: Uuid,
    ground: ConcernGround,
    text: String,
    on: NaiveDate,
) -> Result<ConcernSheet, String> {
    change(&store, |store| {
        Ok(store
            .add_concern_evidence(id, ground, &text, on, today())?
            .id)
    })
}

/// Records a meeting or a referral.
#[tauri::command(async)]
pub fn take_escalation_step(
    store: State<'_, OpenStore>,
    id: Uuid,
    step: Step,
    on: NaiveDate,
    note: String,
) -> Result<ConcernSheet, String> {
    change(&store, |store| {
        Ok(store.take_escalation_step(id, step, on, &note, today())?.id)
    })
}

/// Records an issued letter of concern as the formal step.
#[tauri::command(async)]
pub fn record_concern_letter(
    store: State<'_, OpenStore>,
    id: Uuid,
    letter: Uuid,
) -> Result<ConcernSheet, String> {
    change(&store, |store| {
        Ok(store.record_concern_letter(id, letter, today())?.id)
    })
}

#[tauri::command(async)]
pub fn record_step_outcome(
    store: State<'_, OpenStore>,
    id: Uuid,
    step: Step,
    on: NaiveDate,
    text: String,
) -> Result<ConcernSheet, String> {
    change(&store, |store| {
        Ok(store.record_step_outcome(id, step, on, &text, today())?.id)
    })
}

#[tauri::command(async)]
pub fn resolve_academy_concern(
    store: State<'_, OpenStore>,
    id: Uuid,
    on: NaiveDate,
    how: String,
) -> Result<ConcernSheet, String> {
    change(&store, |store| {
        Ok(store.resolve_academy_concern(id, on, &how, today())?.id)
    })
}

#[tauri::command(async)]
pub fn log_academy_report(
    store: State<'_, OpenStore>,
    urn: u32,
    kind: ReportKind,
    received_on: NaiveDate,
    summary: String,
) -> Result<AcademyReport, String> {
    store
        .lock()?
        .log_academy_report(Urn(urn), kind, received_on, &summary, today())
        .map_err(message)
}

/// Records who was told of a safeguarding concern, and when.
#[tauri::command(async)]
pub fn pass_on_academy_report(
    store: State<'_, OpenStore>,
    id: Uuid,
    to: Body,
    person: String,
    on: NaiveDate,
) -> Result<AcademyReport, String> {
    store
        .lock()?
        .pass_on_academy_report(id, to, &person, on, today())
        .map_err(message)
}

/// Makes a change to a concern and answers with its page as it now stands.
fn change(
    store: &OpenStore,
    work: impl FnOnce(&mut Store) -> Result<Uuid, StoreError>,
) -> Result<ConcernSheet, String> {
    let mut store = store.lock()?;
    let id = work(&mut store).map_err(message)?;
    store.academy_concern_sheet(id).map_err(message)
}

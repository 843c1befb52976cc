//! The Tauri commands of half-day visits, their agreed actions and search
//! (their calendar is `calendar_commands.rs`).
//!
//! Thin like the others in `commands.rs`: each calls `caseload-store` and
//! turns its error into the message the window shows. Argument names are
//! snake_case in `ui/src/lib/api.ts` too.

use caseload_core::action::Action;
use caseload_core::visit::{Session, Visit, VisitKind};
use caseload_core::{School, Urn};
use caseload_store::{ActionOnDay, SearchHit, VisitSheet};
use chrono::NaiveDate;
use tauri::State;
use uuid::Uuid;

use crate::commands::{message, today, OpenStore};

#[tauri::command(async, rename_all = "snake_case")]
pub fn plan_visit(
    store: State<'_, OpenStore>,
    urn: u32,
    visited_on: NaiveDate,
    session: Session,
    kind: VisitKind,
) -> Result<Visit, String> {
    store
        .lock()?
        .plan_visit(Urn(urn), visited_on, session, kind)
        .map_err(message)
}

/// The school's visits, oldest first.
#[tauri::command(async)]
pub fn school_visits(store: State<'_, OpenStore>, urn: u32) -> Result<Vec<Visit>, String> {
    store.lock()?.visits(Some(Urn(urn))).map_err(message)
}

/// The school's actions, soonest due first, flagged when overdue today.
#[tauri::command(async)]
pub fn school_actions(store: State<'_, OpenStore>, urn: u32) -> Result<Vec<ActionOnDay>, String> {
    store
        .lock()?
        .school_actions(Urn(urn), today())
        .map_err(message)
}

/// The visit with its school, the areas to write under, its actions and
/// the open ones it reviews.
#[tauri::command(async)]
pub fn visit_sheet(store: State<'_, OpenStore>, id: Uuid) -> Result<VisitSheet, String> {
    store.lock()?.visit_sheet(id, today()).map_err(message)
}

/// Autosave: what the adviser has typed so far.
#[tauri::command(async)]
pub fn save_visit_draft(store: State<'_, OpenStore>, visit: Visit) -> Result<Visit, String> {
    store.lock()?.save_visit_draft(visit).map_err(message)
}

#[tauri::command(async)]
pub fn finalise_visit(store: State<'_, OpenStore>, id: Uuid) -> Result<Visit, String> {
    store.lock()?.finalise_visit(id).map_err(message)
}

#[tauri::command(async)]
pub fn add_addendum(store: State<'_, OpenStore>, id: Uuid) -> Result<Visit, String> {
    store.lock()?.add_addendum(id, today()).map_err(message)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn agree_action(
    store: State<'_, OpenStore>,
    visit: Uuid,
    text: String,
    owner: String,
    due_on: NaiveDate,
) -> Result<Action, String> {
    store
        .lock()?
        .agree_action(visit, &text, &owner, due_on)
        .map_err(message)
}

#[tauri::command(async)]
pub fn complete_action(store: State<'_, OpenStore>, id: Uuid) -> Result<Action, String> {
    store.lock()?.complete_action(id, today()).map_err(message)
}

#[tauri::command(async)]
pub fn drop_action(
    store: State<'_, OpenStore>,
    id: Uuid,
    reason: String,
) -> Result<Action, String> {
    store
        .lock()?
        .drop_action(id, today(), &reason)
        .map_err(message)
}

/// Visit notes and actions matching what is typed, newest first.
#[tauri::command(async)]
pub fn search(store: State<'_, OpenStore>, text: String) -> Result<Vec<SearchHit>, String> {
    store.lock()?.search(&text).map_err(message)
}

/// Planned visits, soonest first, each with its school.
#[tauri::command(async)]
pub fn planned_visits(store: State<'_, OpenStore>) -> Result<Vec<(Visit, School)>, String> {
    store.lock()?.planned_visits().map_err(message)
}

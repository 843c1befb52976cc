//! The Tauri commands of the authority-wide view, its exports for the
//! scrutiny committee (a CSV of every school, a PDF report), and opening the
//! demo as another of its advisers (a newcomer sees the view as the demo's
//! Senior SIA). Thin: the store gathers and refuses, `caseload-core`
//! counts, `caseload-docs` writes the files.

use caseload_core::authority::AuthorityView;
use caseload_docs::authority::{csv, report_document};
use caseload_store::views::StoreStatus;
use tauri::ipc::Response;
use tauri::State;

use crate::commands::{absolute, message, save_file, today, OpenStore};
use crate::letter_commands::{letter_set, LetterDesk};

/// Every open school of the authority on today's date; refused unless the
/// current adviser may see it.
#[tauri::command(async)]
pub fn authority_view(store: State<'_, OpenStore>) -> Result<AuthorityView, String> {
    store.lock()?.authority_view_on(today()).map_err(message)
}

/// The report for the scrutiny committee: the PDF's bytes.
#[tauri::command(async)]
pub fn authority_report_pdf(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
) -> Result<Response, String> {
    Ok(Response::new(report_pdf(&store, &desk)?))
}

/// Writes the report's PDF to `path`; returns where it was written.
#[tauri::command(async)]
pub fn save_authority_report(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    path: String,
) -> Result<String, String> {
    let path = absolute(&path, "authority-report.pdf")?;
    save_file(&path, &report_pdf(&store, &desk)?)
}

/// Writes every open school, one row each, as CSV to `path`.
#[tauri::command(async)]
pub fn save_authority_csv(store: State<'_, OpenStore>, path: String) -> Result<String, String> {
    let path = absolute(&path, "authority-schools.csv")?;
    let view = store.lock()?.authority_view_on(today()).map_err(message)?;
    save_file(&path, &csv(&view).map_err(message)?)
}

/// Opens the demo store as the demo adviser `adviser` (email or id).
#[tauri::command(async)]
pub fn switch_demo_adviser(
    store: State<'_, OpenStore>,
    adviser: String,
) -> Result<StoreStatus, String> {
    store.lock()?.switch_demo_adviser(&adviser).map_err(message)
}

fn report_pdf(store: &OpenStore, desk: &LetterDesk) -> Result<Vec<u8>, String> {
    let (view, set) = {
        let store = store.lock()?;
        (
            store.authority_view_on(today()).map_err(message)?,
            letter_set(&store, desk)?,
        )
    };
    desk.typesetter()?
        .render(&report_document(&view, &set))
        .map_err(message)
}

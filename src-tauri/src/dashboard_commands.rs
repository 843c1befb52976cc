//! The Tauri command of the adviser's dashboard, the app's home page.
//!
//! Thin: the store gathers the caseload's records and `caseload-core`
//! counts them; this only hands over the letter catalogue in use and today.

use caseload_core::dashboard::Dashboard;
use tauri::State;

use crate::commands::{message, today, OpenStore};
use crate::letter_commands::{letter_set, LetterDesk};

/// This term's figures for the current adviser's caseload, each with its list.
#[tauri::command(async)]
pub fn dashboard(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
) -> Result<Dashboard, String> {
    let store = store.lock()?;
    let set = letter_set(&store, &desk)?;
    store.dashboard_on(today(), &set.catalogue).map_err(message)
}

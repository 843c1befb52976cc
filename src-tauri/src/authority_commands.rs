//! The Tauri commands of the authority-wide view, and of opening the demo
//! as another of its advisers (a newcomer sees the view as the demo's
//! Senior SIA). Thin: the store gathers and refuses, `caseload-core` counts.

use caseload_core::authority::AuthorityView;
use caseload_store::views::StoreStatus;
use tauri::State;

use crate::commands::{message, today, OpenStore};

/// Every open school of the authority on today's date; refused unless the
/// current adviser may see it.
#[tauri::command(async)]
pub fn authority_view(store: State<'_, OpenStore>) -> Result<AuthorityView, String> {
    store.lock()?.authority_view_on(today()).map_err(message)
}

/// Opens the demo store as the demo adviser `adviser` (email or id).
#[tauri::command(async)]
pub fn switch_demo_adviser(
    store: State<'_, OpenStore>,
    adviser: String,
) -> Result<StoreStatus, String> {
    store.lock()?.switch_demo_adviser(&adviser).map_err(message)
}

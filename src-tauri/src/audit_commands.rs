//! The audit trail of a school, for its History section: a thin adapter
//! over `Store::school_history`.

use caseload_core::Urn;
use caseload_store::HistoryPage;
use tauri::State;

use crate::commands::{message, OpenStore};

/// Entries the History section shows at a time.
const PAGE: u32 = 50;

/// One page of the school's history, newest first; `before` is the `next`
/// of the page before it.
#[tauri::command(async)]
pub fn school_audit(
    store: State<'_, OpenStore>,
    urn: u32,
    before: Option<i64>,
) -> Result<HistoryPage, String> {
    store
        .lock()?
        .school_history(Urn(urn), before, PAGE)
        .map_err(message)
}

//! The Tauri commands: the whole contract between `ui/` and the Rust side.
//!
//! Each command takes plain serde arguments, calls one function of
//! `caseload-store`, and maps its error to the message the UI shows. Command
//! and argument names are the contract with `ui/src/lib/api.ts`; change both
//! together. Nothing here decides anything about schools.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use caseload_core::{LaCode, Urn};
use caseload_store::views::{ImportSummary, SchoolProfile, SchoolRow, SchoolScope, StoreStatus};
use caseload_store::Store;
use tauri::State;

/// The adviser's store, opened at start-up. `Store` is `Send` but not `Sync`,
/// so commands (which run on the async runtime's threads) take turns.
#[derive(Debug)]
pub struct OpenStore(Mutex<Store>);

impl OpenStore {
    pub fn new(store: Store) -> Self {
        Self(Mutex::new(store))
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite half-written (its
        // transactions roll back), so the store is still safe to use.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn message(error: impl std::fmt::Display) -> String {
    error.to_string()
}

// `async` runs each command on the async runtime rather than the main thread,
// so a long import never freezes the window.

#[tauri::command(async)]
pub fn store_status(store: State<'_, OpenStore>) -> Result<StoreStatus, String> {
    store.lock().status().map_err(message)
}

#[tauri::command(async)]
pub fn list_schools(
    store: State<'_, OpenStore>,
    scope: SchoolScope,
) -> Result<Vec<SchoolRow>, String> {
    store.lock().school_rows(scope).map_err(message)
}

#[tauri::command(async)]
pub fn school_profile(store: State<'_, OpenStore>, urn: u32) -> Result<SchoolProfile, String> {
    store.lock().school_profile(Urn(urn)).map_err(message)
}

#[tauri::command(async)]
pub fn load_demo(store: State<'_, OpenStore>) -> Result<StoreStatus, String> {
    store.lock().load_demo().map_err(message)
}

#[tauri::command(async)]
pub fn import_gias(
    store: State<'_, OpenStore>,
    path: String,
    la: Option<u16>,
) -> Result<ImportSummary, String> {
    let la = la.map(LaCode::new).transpose()?;
    store
        .lock()
        .import_gias_file(Path::new(&path), la)
        .map_err(message)
}

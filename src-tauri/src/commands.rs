//! The Tauri commands: the whole contract between `ui/` and the Rust side.
//!
//! Each command takes plain serde arguments, calls one function of
//! `caseload-store`, and maps its error to the message the UI shows. Command
//! and argument names are the contract with `ui/src/lib/api.ts`; change both
//! together. Nothing here decides anything about schools.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use caseload_core::criteria::CriteriaSet;
use caseload_core::review::{HistoryEntry, Review};
use caseload_core::scoring::{Mark, Scorecard};
use caseload_core::{LaCode, Urn};
use caseload_docs::files::write_whole;
use caseload_store::performance::PerformancePanel;
use caseload_store::views::{ImportSummary, SchoolProfile, SchoolRow, SchoolScope, StoreStatus};
use caseload_store::{MarkedReview, Store};
use chrono::NaiveDate;
use tauri::State;

/// The adviser's store while it is open: empty until it is unlocked and
/// again once the app locks, so its key is not kept in memory then. `Store`
/// is `Send` but not `Sync`, so commands (which run on the async runtime's
/// threads) take turns.
#[derive(Debug)]
pub struct OpenStore {
    store: Mutex<Option<Store>>,
    /// Set the moment the app locks: commands refuse from then on, while a
    /// sync under way finishes with the store before it is closed.
    sealed: AtomicBool,
}

/// What every command that needs the store says while the app is locked.
pub(crate) const LOCKED: &str = "Caseload is locked: unlock it to carry on";

impl OpenStore {
    pub fn new(mut store: Option<Store>) -> Self {
        if let Some(store) = store.as_mut() {
            crate::calendar_commands::keep_subscription(store);
        }
        Self {
            store: Mutex::new(store),
            sealed: AtomicBool::new(false),
        }
    }

    /// The open store, or [`LOCKED`].
    pub(crate) fn lock(&self) -> Result<StoreGuard<'_>, String> {
        if self.sealed.load(Ordering::SeqCst) {
            return Err(LOCKED.to_owned());
        }
        self.during_sync()
    }

    /// The store for the sync under way, sealed or not; [`LOCKED`] once closed.
    pub(crate) fn during_sync(&self) -> Result<StoreGuard<'_>, String> {
        let guard = self.guard();
        if guard.is_some() {
            Ok(StoreGuard(guard))
        } else {
            Err(LOCKED.to_owned())
        }
    }

    /// Holds the store just unlocked.
    pub(crate) fn put(&self, mut store: Store) {
        crate::calendar_commands::keep_subscription(&mut store);
        let mut guard = self.guard();
        *guard = Some(store);
        self.sealed.store(false, Ordering::SeqCst);
    }

    /// Refuses every command from now on; [`OpenStore::close`] follows.
    pub(crate) fn seal(&self) {
        self.sealed.store(true, Ordering::SeqCst);
    }

    /// Closes the store (its connection, and with it SQLCipher's key), once
    /// the command using it has finished.
    pub(crate) fn close(&self) {
        drop(self.guard().take());
    }

    fn guard(&self) -> MutexGuard<'_, Option<Store>> {
        // A panic while holding the lock cannot leave SQLite half-written (its
        // transactions roll back), so the store is still safe to use.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The open store, for as long as a command holds it.
#[derive(Debug)]
pub(crate) struct StoreGuard<'a>(MutexGuard<'a, Option<Store>>);

impl std::ops::Deref for StoreGuard<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        // `OpenStore::lock` made the guard only over an open store, and
        // holding the guard keeps anyone from closing it.
        self.0.as_ref().expect("a StoreGuard holds an open store")
    }
}

impl std::ops::DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.0.as_mut().expect("a StoreGuard holds an open store")
    }
}

pub(crate) fn message(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// The adviser's own calendar day: the date a review is saved or agreed on,
/// an action done or dropped, and the day that decides what is overdue.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

// `async` runs each command on the async runtime rather than the main thread,
// so a long import never freezes the window.

#[tauri::command(async)]
pub fn store_status(store: State<'_, OpenStore>) -> Result<StoreStatus, String> {
    store.lock()?.status().map_err(message)
}

#[tauri::command(async)]
pub fn list_schools(
    store: State<'_, OpenStore>,
    scope: SchoolScope,
) -> Result<Vec<SchoolRow>, String> {
    store.lock()?.school_rows(scope).map_err(message)
}

#[tauri::command(async)]
pub fn school_profile(store: State<'_, OpenStore>, urn: u32) -> Result<SchoolProfile, String> {
    store.lock()?.school_profile(Urn(urn)).map_err(message)
}

#[tauri::command(async)]
pub fn load_demo(store: State<'_, OpenStore>) -> Result<StoreStatus, String> {
    store.lock()?.load_demo().map_err(message)
}

#[tauri::command(async)]
pub fn import_gias(
    store: State<'_, OpenStore>,
    path: String,
    la: Option<u16>,
) -> Result<ImportSummary, String> {
    let la = la.map(LaCode::new).transpose()?;
    store
        .lock()?
        .import_gias_file(Path::new(&path), la)
        .map_err(message)
}

/// The criteria set `set`, or the authority's default set when none is named.
#[tauri::command(async)]
pub fn criteria_set(
    store: State<'_, OpenStore>,
    set: Option<String>,
) -> Result<CriteriaSet, String> {
    store.lock()?.criteria(set.as_deref()).map_err(message)
}

#[tauri::command(async)]
pub fn criteria_sets(store: State<'_, OpenStore>) -> Result<Vec<CriteriaSet>, String> {
    store.lock()?.all_criteria().map_err(message)
}

/// The best fit of the ticked statements, asked for on every tick.
#[tauri::command(async)]
pub fn score_marks(
    store: State<'_, OpenStore>,
    set: String,
    marks: Vec<Mark>,
) -> Result<Scorecard, String> {
    store.lock()?.score_marks(&set, &marks).map_err(message)
}

#[tauri::command(async)]
pub fn review_draft(store: State<'_, OpenStore>, urn: u32) -> Result<Option<Review>, String> {
    store.lock()?.current_draft(Urn(urn)).map_err(message)
}

/// Saves the ticks, notes and any override being written as the school's draft.
#[tauri::command(async)]
pub fn save_review_draft(
    store: State<'_, OpenStore>,
    urn: u32,
    review: MarkedReview,
) -> Result<Review, String> {
    store
        .lock()?
        .save_draft(Urn(urn), review, today())
        .map_err(message)
}

#[tauri::command(async)]
pub fn agree_review(
    store: State<'_, OpenStore>,
    urn: u32,
    review: MarkedReview,
) -> Result<Review, String> {
    store
        .lock()?
        .agree_review(Urn(urn), review, today())
        .map_err(message)
}

/// The school's figures by measure and year, and the "[See data]" statements
/// they suggest from the set `set`, or the authority's default set when none is named.
#[tauri::command(async)]
pub fn performance_panel(
    store: State<'_, OpenStore>,
    urn: u32,
    set: Option<String>,
) -> Result<PerformancePanel, String> {
    let store = store.lock()?;
    let set = store.criteria(set.as_deref()).map_err(message)?;
    store.performance_panel(Urn(urn), &set).map_err(message)
}

#[tauri::command(async)]
pub fn review_history(store: State<'_, OpenStore>, urn: u32) -> Result<Vec<HistoryEntry>, String> {
    store.lock()?.review_history(Urn(urn)).map_err(message)
}

/// The file the adviser named, which must be a full path: `example` (a file
/// name) shows them one when it is not.
pub(crate) fn absolute(path: &str, example: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(path.trim());
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(format!(
            "Enter the full path of the file, such as /home/you/Documents/{example}; {:?} is not one",
            path.display().to_string()
        ))
    }
}

/// Writes `bytes` to `path` whole or not at all, creating its folder;
/// returns where it was written.
pub(crate) fn save_file(path: &Path, bytes: &[u8]) -> Result<String, String> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create the folder {}: {error}", folder.display()))?;
    }
    write_whole(path, bytes)
        .map(|written| written.display().to_string())
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}

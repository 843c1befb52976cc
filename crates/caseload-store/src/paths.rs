//! Where the store lives: the same file for the desktop app and the CLI.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// The store's file in the platform's data folder
/// (`~/.local/share/caseload/caseload.sqlite3` on Linux).
pub fn default_store_path() -> Result<PathBuf, StoreError> {
    dirs::data_dir()
        .map(|folder| folder.join("caseload").join("caseload.sqlite3"))
        .ok_or(StoreError::NoDataFolder)
}

/// `CASELOAD_DB` when it is set and not empty, else [`default_store_path`].
pub fn store_path_from_env() -> Result<PathBuf, StoreError> {
    match std::env::var_os("CASELOAD_DB") {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => default_store_path(),
    }
}

/// A folder beside the store where an authority keeps files that replace
/// the shipped ones without a rebuild (`criteria`, `letters`).
pub fn folder_beside(store_path: &Path, name: &str) -> PathBuf {
    store_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(name)
}

/// The authority's own letter templates for the store at `store_path`.
pub fn letters_folder(store_path: &Path) -> PathBuf {
    folder_beside(store_path, "letters")
}

/// The calendar file a calendar app can subscribe to, beside the store at
/// `store_path` (`~/.local/share/caseload/calendar.ics` on Linux): one
/// stable path, so the subscription outlives every rewrite.
pub fn calendar_file(store_path: &Path) -> PathBuf {
    folder_beside(store_path, "calendar.ics")
}

//! The unlock screen's commands: when neither `CASELOAD_PASSPHRASE` nor the
//! operating system's keyring gives the store's key, the window asks the
//! adviser for the passphrase before anything of the caseload is shown.
//!
//! Until the store opens, `OpenStore` is not managed, so every command that
//! reads the caseload fails: nothing of it can reach the window. Which key
//! to try, and the rule for a new passphrase, are `caseload_store::keys`'s.

use std::path::PathBuf;
use std::sync::Mutex;

use caseload_store::keys::{self, Ask};
use caseload_store::{Store, StoreError, StoreKey};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};

use crate::commands::{message, OpenStore};
use crate::sync_commands;

/// The store waiting for its passphrase, or `None` once it is open.
#[derive(Debug, Default)]
pub struct Lock(Mutex<Option<Locked>>);

/// Why and where a passphrase is needed.
#[derive(Debug, Clone)]
pub struct Locked {
    pub path: PathBuf,
    pub ask: Ask,
    /// Why a key at hand did not open the store, if one was tried.
    pub note: Option<String>,
}

impl Lock {
    pub fn new(locked: Option<Locked>) -> Self {
        Lock(Mutex::new(locked))
    }

    fn guard(&self) -> std::sync::MutexGuard<'_, Option<Locked>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What the window shows before anything else.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum LockView {
    Open,
    Locked {
        ask: Ask,
        store: String,
        note: Option<String>,
        min_chars: usize,
    },
}

#[tauri::command]
pub fn store_lock(lock: State<'_, Lock>) -> LockView {
    match &*lock.guard() {
        None => LockView::Open,
        Some(locked) => LockView::Locked {
            ask: locked.ask,
            store: locked.path.display().to_string(),
            note: locked.note.clone(),
            min_chars: keys::MIN_PASSPHRASE_CHARS,
        },
    }
}

/// Opens the store with `passphrase` (encrypting a new or unencrypted one
/// with it). A wrong passphrase says so and leaves the store locked, to try
/// again.
#[tauri::command]
pub async fn unlock_store(app: AppHandle, passphrase: String) -> Result<(), String> {
    tauri::async_runtime::spawn_blocking(move || unlock(&app, passphrase))
        .await
        .map_err(message)?
}

fn unlock(app: &AppHandle, passphrase: String) -> Result<(), String> {
    let lock = app.state::<Lock>();
    // Held while the key is derived and the store opened: one try at a time.
    let mut guard = lock.guard();
    let Some(locked) = guard.clone() else {
        return Ok(());
    };
    if passphrase.is_empty() {
        return Err("Enter the passphrase".to_owned());
    }
    if locked.ask != Ask::Unlock {
        keys::check_new_passphrase(&passphrase).map_err(|problem| capitalised(&problem))?;
    }
    let store =
        Store::open(&locked.path, &StoreKey::Passphrase(passphrase)).map_err(
            |error| match error {
                StoreError::WrongKey(_) => {
                    "That passphrase does not open the store. Check it and try again.".to_owned()
                }
                error => message(error),
            },
        )?;
    app.manage(OpenStore::new(store));
    *guard = None;
    drop(guard);
    sync_commands::start(app);
    Ok(())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

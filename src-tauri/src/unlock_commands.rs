//! The lock screen's commands: before anything of the caseload is shown
//! when neither `CASELOAD_PASSPHRASE` nor the operating system's keyring
//! gives the store's key, and again whenever the app locks
//! (`lock_commands`), the window asks for what opens the store.
//!
//! While locked, `OpenStore` holds no store, so every command that reads
//! the caseload refuses: nothing of it can reach the window. Which key to
//! try and the rule for a new passphrase are `caseload_store::keys`'s; how
//! a locked store opens again is `caseload_store::app_lock`'s; when to lock
//! and how long a wrong try waits are `caseload_core::app_lock`'s.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use caseload_core::app_lock::{AppLock, IdleLimit, UnlockAttempts};
use caseload_store::app_lock::{self, UnlockError, Unlocker};
use caseload_store::device_settings::DeviceSettings;
use caseload_store::keys::{self, Ask, OsKeyring};
use caseload_store::{Store, StoreError, StoreKey};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};

use crate::commands::{message, OpenStore};
use crate::sync_commands::SyncDesk;

/// Overrides the idle time with a number of seconds, for the window tests
/// only (a minute is the shortest an adviser can choose).
pub const IDLE_SECONDS_VAR: &str = "CASELOAD_IDLE_SECONDS";

/// The app lock: the store's path, what the lock screen asks for while
/// locked, when the adviser was last active, and this device's settings.
#[derive(Debug)]
pub struct Lock(Mutex<Gate>);

#[derive(Debug)]
pub(crate) struct Gate {
    pub path: PathBuf,
    /// What the lock screen asks for; `None` while the store is open.
    pub screen: Option<Locked>,
    pub rule: AppLock,
    pub settings: DeviceSettings,
    /// What opens the store again after the app locks it.
    pub unlocker: Unlocker,
    /// `CASELOAD_IDLE_SECONDS`, which wins over the adviser's choice.
    pub idle_override: Option<Duration>,
    started: Instant,
}

/// Why and where the store is locked.
#[derive(Debug, Clone)]
pub struct Locked {
    pub ask: Ask,
    /// Why a key at hand did not open the store, or why the app locked.
    pub note: Option<String>,
}

impl Gate {
    /// The time since start-up: the lock rule's clock.
    pub fn now(&self) -> Duration {
        self.started.elapsed()
    }

    /// The idle time in force.
    pub fn limit(&self) -> IdleLimit {
        self.idle_override
            .map_or(self.settings.lock_after, IdleLimit::After)
    }

    /// Whether the store can be opened again once locked.
    pub fn can_unlock(&self) -> bool {
        self.unlocker == Unlocker::Passphrase || self.settings.has_lock_password()
    }
}

impl Lock {
    /// The lock at start-up: `screen` is `Some` when the store waits for its
    /// passphrase; `unlocker` says what opens it again once the app locks.
    pub fn new(
        path: PathBuf,
        screen: Option<Locked>,
        unlocker: Unlocker,
        settings: DeviceSettings,
    ) -> Self {
        let idle_override = std::env::var(IDLE_SECONDS_VAR).ok().and_then(|seconds| {
            let parsed = seconds.parse().ok().map(Duration::from_secs);
            if parsed.is_none() {
                eprintln!(
                    "Caseload: {IDLE_SECONDS_VAR}={seconds:?} is not a whole number of seconds; \
                     the idle time chosen in Lock settings is kept"
                );
            }
            parsed
        });
        let mut gate = Gate {
            path,
            screen: None,
            rule: AppLock::locked(IdleLimit::Never, Duration::ZERO),
            settings,
            unlocker,
            idle_override,
            started: Instant::now(),
        };
        gate.rule = if screen.is_some() {
            AppLock::locked(gate.limit(), gate.now())
        } else {
            AppLock::open(gate.limit(), gate.can_unlock(), gate.now())
        };
        gate.screen = screen;
        Lock(Mutex::new(gate))
    }

    pub(crate) fn guard(&self) -> MutexGuard<'_, Gate> {
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
        /// The lock password is asked for instead of the passphrase.
        lock_password: bool,
        store: String,
        note: Option<String>,
        min_chars: usize,
    },
}

#[tauri::command]
pub fn store_lock(lock: State<'_, Lock>) -> LockView {
    let gate = lock.guard();
    match &gate.screen {
        None => LockView::Open,
        Some(locked) => LockView::Locked {
            ask: locked.ask,
            lock_password: locked.ask == Ask::Unlock && gate.unlocker == Unlocker::LockPassword,
            store: gate.path.display().to_string(),
            note: locked.note.clone(),
            min_chars: keys::MIN_PASSPHRASE_CHARS,
        },
    }
}

/// Opens the store with `passphrase` — the store's passphrase (encrypting a
/// new or unencrypted store with it), or the lock password once the app
/// has locked a store whose key is the keyring's. A wrong one says so and
/// leaves the store locked, to try again after a wait that grows.
#[tauri::command]
pub async fn unlock_store(app: AppHandle, passphrase: String) -> Result<(), String> {
    tauri::async_runtime::spawn_blocking(move || unlock(&app, passphrase))
        .await
        .map_err(message)?
}

fn unlock(app: &AppHandle, passphrase: String) -> Result<(), String> {
    let lock = app.state::<Lock>();
    // Held while the key is derived and the store opened: one try at a time.
    let mut gate = lock.guard();
    let Some(locked) = gate.screen.clone() else {
        return Ok(());
    };
    if passphrase.is_empty() {
        return Err("Enter the passphrase".to_owned());
    }
    gate.settings
        .unlock_attempts()
        .may_try(wall_clock())
        .map_err(|wait| wait.to_string())?;
    let opened = if locked.ask == Ask::Unlock {
        app_lock::reopen(
            &gate.path,
            gate.unlocker,
            &gate.settings,
            &passphrase,
            &OsKeyring,
        )
    } else {
        encrypt_with(&gate.path, passphrase)
    };
    let store = match opened {
        Ok(store) => store,
        Err(error) => {
            if error.is_wrong_secret() {
                let mut attempts = gate.settings.unlock_attempts().clone();
                attempts.failed(wall_clock());
                keep_attempts(&mut gate, attempts);
            }
            return Err(error.to_string());
        }
    };
    if gate.settings.unlock_attempts().failures() > 0 {
        keep_attempts(&mut gate, UnlockAttempts::default());
    }
    app.state::<OpenStore>().put(store);
    gate.screen = None;
    let now = gate.now();
    gate.rule.unlocked(now);
    drop(gate);
    app.state::<SyncDesk>().wake();
    Ok(())
}

/// The wall clock, which wrong unlock tries are timed by (they outlive the app).
fn wall_clock() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Keeps the wrong tries in the device's settings; in memory at least, when
/// the file cannot be written (the waits then begin again with the app).
fn keep_attempts(gate: &mut Gate, attempts: UnlockAttempts) {
    gate.settings.set_unlock_attempts(attempts);
    if let Err(error) = gate.settings.write(&gate.path) {
        eprintln!("Caseload could not keep the wrong unlock tries: {error}");
    }
}

/// A new store, or one from before encryption, encrypted with `passphrase`.
fn encrypt_with(path: &std::path::Path, passphrase: String) -> Result<Store, UnlockError> {
    keys::check_new_passphrase(&passphrase)
        .map_err(|problem| UnlockError::Store(StoreError::Key(capitalised(&problem))))?;
    Ok(Store::open(path, &StoreKey::Passphrase(passphrase))?)
}

pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

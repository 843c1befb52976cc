//! Locking the app: after the adviser's chosen idle time, or when they lock
//! it themselves. The window reports activity; a task here keeps the clock
//! and asks the rule (`caseload_core::app_lock`) what to do. It first asks
//! the window to save its drafts and lock ([`LOCK_EVENT`]); a window that
//! does not within the grace is locked all the same ([`LOCKED_EVENT`]).
//!
//! Locking refuses every command at once and shows the lock screen; the
//! store itself (and with it SQLCipher's copy of the key) closes as soon as
//! a sync under way has ended. The lock screen asks for what opens it again
//! (`unlock_commands`). The settings are this device's own, kept
//! beside the store (`caseload_store::device_settings`), never synced.

use std::time::Duration;

use caseload_core::app_lock::{IdleLimit, LockStep};
use caseload_store::app_lock::Unlocker;
use caseload_store::device_settings::MIN_LOCK_PASSWORD_CHARS;
use caseload_store::keys::Ask;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::commands::{message, OpenStore};
use crate::sync_commands::SyncDesk;
use crate::unlock_commands::{capitalised, Gate, Lock, Locked};

/// Asks the window to save what it holds and call `lock_app`.
pub const LOCK_EVENT: &str = "app-lock://lock";
/// The app locked without the window: it shows the lock screen at once.
pub const LOCKED_EVENT: &str = "app-lock://locked";

/// How often the idle clock is read.
const TICK: Duration = Duration::from_secs(1);

/// The lock settings as the window shows them.
#[derive(Debug, Clone, Serialize)]
pub struct LockSettings {
    /// Minutes idle before the app locks; `None` for never.
    pub lock_after: Option<u64>,
    pub choices: Vec<u64>,
    /// Seconds from `CASELOAD_IDLE_SECONDS`, in force instead (tests only).
    pub test_seconds: Option<u64>,
    /// The store's key is the keyring's: a lock password unlocks it.
    pub uses_lock_password: bool,
    pub has_lock_password: bool,
    pub min_password_chars: usize,
    /// A way back in exists, so the app can be locked.
    pub can_lock: bool,
}

fn settings_view(lock: &Lock) -> LockSettings {
    let gate = lock.guard();
    LockSettings {
        lock_after: gate.settings.lock_after.as_minutes(),
        choices: IdleLimit::MINUTE_CHOICES.to_vec(),
        test_seconds: gate.idle_override.map(|seconds| seconds.as_secs()),
        uses_lock_password: gate.unlocker == Unlocker::LockPassword,
        has_lock_password: gate.settings.has_lock_password(),
        min_password_chars: MIN_LOCK_PASSWORD_CHARS,
        can_lock: gate.can_unlock(),
    }
}

#[tauri::command]
pub fn lock_settings(lock: State<'_, Lock>) -> LockSettings {
    settings_view(&lock)
}

/// Locks after `minutes` idle from now on; `None` for never.
#[tauri::command]
pub fn set_lock_after(lock: State<'_, Lock>, minutes: Option<u64>) -> Result<LockSettings, String> {
    let limit = match minutes {
        None => IdleLimit::Never,
        Some(minutes) => IdleLimit::minutes(minutes).map_err(message)?,
    };
    {
        let mut gate = lock.guard();
        let mut settings = gate.settings.clone();
        settings.lock_after = limit;
        settings.write(&gate.path).map_err(message)?;
        gate.settings = settings;
        let (limit, now) = (gate.limit(), gate.now());
        gate.rule.set_limit(limit, now);
    }
    Ok(settings_view(&lock))
}

/// Sets (or changes) the lock password; hashed off the window's thread.
#[tauri::command]
pub async fn set_lock_password(app: AppHandle, password: String) -> Result<LockSettings, String> {
    tauri::async_runtime::spawn_blocking(move || {
        let lock = app.state::<Lock>();
        let mut gate = lock.guard();
        if gate.unlocker == Unlocker::Passphrase {
            return Err(
                "This store unlocks with its passphrase: it needs no lock password".to_owned(),
            );
        }
        let mut settings = gate.settings.clone();
        settings
            .set_lock_password(&password)
            .map_err(|error| capitalised(&error.to_string()))?;
        settings.write(&gate.path).map_err(message)?;
        gate.settings = settings;
        let can_unlock = gate.can_unlock();
        gate.rule.set_can_unlock(can_unlock);
        drop(gate);
        Ok(settings_view(&lock))
    })
    .await
    .map_err(message)?
}

/// The adviser typed, clicked or moved the pointer (the window throttles).
#[tauri::command]
pub fn note_activity(lock: State<'_, Lock>) {
    let mut gate = lock.guard();
    let now = gate.now();
    gate.rule.note_activity(now);
}

/// Locks now: the window has saved its drafts. Refused while nothing could
/// open the store again (a keyring key and no lock password yet).
#[tauri::command]
pub fn lock_app(app: AppHandle) -> Result<(), String> {
    lock_now(&app)
}

/// Starts the idle clock, once, at start-up.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(TICK).await;
            let step = {
                let lock = app.state::<Lock>();
                let mut gate = lock.guard();
                let now = gate.now();
                gate.rule.step(now)
            };
            match step {
                LockStep::Wait => {}
                LockStep::AskWindow => {
                    let _ = app.emit(LOCK_EVENT, ());
                }
                LockStep::LockNow => {
                    if lock_now(&app).is_ok() {
                        let _ = app.emit(LOCKED_EVENT, ());
                    }
                }
            }
        }
    });
}

/// What the lock screen says about why it locked.
fn note(gate: &Gate) -> String {
    if !gate.rule.idle_lock_asked() {
        return "Caseload was locked.".to_owned();
    }
    match gate.limit() {
        IdleLimit::After(idle) if idle.as_secs() % 60 != 0 => {
            format!(
                "Caseload locked after {} seconds without use.",
                idle.as_secs()
            )
        }
        limit => format!("Caseload locked after {limit} without use."),
    }
}

/// Shows the lock screen and refuses every command now; closes the store
/// on a blocking thread once a sync under way has ended.
fn lock_now(app: &AppHandle) -> Result<(), String> {
    {
        let lock = app.state::<Lock>();
        let mut gate = lock.guard();
        if gate.screen.is_some() {
            return Ok(());
        }
        if !gate.can_unlock() {
            return Err(
                "Set a lock password first: nothing else could unlock Caseload on this computer"
                    .to_owned(),
            );
        }
        app.state::<OpenStore>().seal();
        let note = note(&gate);
        gate.rule.lock();
        gate.screen = Some(Locked {
            ask: Ask::Unlock,
            note: Some(note),
        });
    }
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let desk = app.state::<SyncDesk>();
        let _between_syncs = desk.between_syncs();
        let lock = app.state::<Lock>();
        // Held while closing, so an unlock cannot slip in between.
        let gate = lock.guard();
        // Unlocked again meanwhile: the store now open is the new one.
        if gate.screen.is_some() {
            app.state::<OpenStore>().close();
        }
    });
    Ok(())
}

//! Sync in the desktop app: a background task that syncs the store with the
//! office once it is enrolled — at start, every few minutes, and whenever
//! the adviser asks — and the status the header shows at a glance.
//!
//! The sync itself is `caseload_store::sync_client::sync`, run on a
//! blocking thread (it waits on the network); it borrows the store only
//! between requests, so autosave carries on meanwhile. While the app is
//! locked the task skips its turns, and the app locks only between two
//! syncs ([`SyncDesk::between_syncs`]), so a sync never holds the store open
//! past a lock. Nothing here decides anything about records.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use caseload_store::sync_client::{self, Progress, Retry, StoreAccess, SyncOptions, SyncReport};
use caseload_store::{FieldConflict, RefusedOperation, Store, WithdrawnNotice};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};
use tokio::sync::Notify;

use crate::commands::{message, OpenStore};

/// The event the window listens to for status changes.
pub const STATUS_EVENT: &str = "sync-status";

/// Between syncs when the last one worked, and when the office was not there.
const EVERY: Duration = Duration::from_secs(5 * 60);
const AFTER_FAILURE: Duration = Duration::from_secs(60);

/// What the header shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum SyncStatus {
    /// No office yet: the adviser enrols with a code.
    NotEnrolled,
    /// Enrolled; the first sync of this session has not run yet.
    Waiting,
    /// Sending (`done` of `total` changes) or receiving (`done` records so far).
    Syncing {
        stage: &'static str,
        done: u64,
        total: Option<u64>,
    },
    /// The last sync finished at `at` (RFC 3339, UTC).
    UpToDate {
        at: String,
        /// Records the sync brought: the window refreshes what it shows.
        received: usize,
        conflicts: usize,
        refused: usize,
        /// Schools the sync took off this device (reassigned away): the
        /// window leaves any page of theirs.
        withdrawn: Vec<u32>,
    },
    /// The office could not be reached; changes wait on this device.
    Offline { reason: String, pending: u64 },
    /// The office answered with an error, or the store refused its answer.
    Error { message: String, pending: u64 },
}

/// The sync task's state, shared with the commands.
#[derive(Debug)]
pub struct SyncDesk {
    status: Mutex<SyncStatus>,
    wake: Notify,
    /// Held for the whole of one sync.
    syncing: Mutex<()>,
}

impl Default for SyncDesk {
    fn default() -> Self {
        SyncDesk {
            status: Mutex::new(SyncStatus::Waiting),
            wake: Notify::new(),
            syncing: Mutex::new(()),
        }
    }
}

impl SyncDesk {
    /// Waits for a sync under way to end, and keeps the next from starting
    /// while the guard is held.
    pub fn between_syncs(&self) -> MutexGuard<'_, ()> {
        self.syncing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Syncs now (or right after the sync under way).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    fn status(&self) -> SyncStatus {
        self.status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

fn publish(app: &AppHandle, status: SyncStatus) {
    let desk = app.state::<SyncDesk>();
    *desk
        .status
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = status.clone();
    let _ = app.emit(STATUS_EVENT, status);
}

/// The store as the sync client borrows it.
struct Shared<'a>(&'a OpenStore);

impl StoreAccess for Shared<'_> {
    fn with_store<R>(&mut self, work: impl FnOnce(&mut Store) -> R) -> R {
        // `sync_once` holds the sync's turn throughout, and the app locks
        // only between syncs: the store it found open stays open.
        work(
            &mut self
                .0
                .during_sync()
                .expect("the store stays open during a sync"),
        )
    }
}

/// Starts the background task, once, at start-up. Needs `OpenStore` and
/// `SyncDesk` managed.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let handle = app.clone();
            let worked = tauri::async_runtime::spawn_blocking(move || sync_once(&handle))
                .await
                .unwrap_or(false);
            let pause = if worked { EVERY } else { AFTER_FAILURE };
            let desk = app.state::<SyncDesk>();
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = desk.wake.notified() => {}
            }
        }
    });
}

/// One sync, if the store is open and enrolled; true when it finished.
fn sync_once(app: &AppHandle) -> bool {
    let desk = app.state::<SyncDesk>();
    let _turn = desk.between_syncs();
    let store = app.state::<OpenStore>();
    let enrolled = match store.lock() {
        Ok(open) => open.enrolment(),
        // Locked: nothing to sync until the adviser unlocks (which wakes the task).
        Err(_) => return true,
    };
    match enrolled {
        Ok(Some(_)) => {}
        Ok(None) => {
            publish(app, SyncStatus::NotEnrolled);
            return true;
        }
        Err(error) => {
            publish(
                app,
                SyncStatus::Error {
                    message: message(error),
                    pending: 0,
                },
            );
            return false;
        }
    }
    let options = SyncOptions {
        // The header says "offline" within seconds rather than after a
        // patient minute; the next try is a minute away anyway.
        retry: Retry {
            attempts: 3,
            ..Retry::default()
        },
        ..SyncOptions::default()
    };
    let progress = |progress: Progress| {
        publish(
            app,
            match progress {
                Progress::Pushing { done, total } => SyncStatus::Syncing {
                    stage: "sending",
                    done,
                    total: Some(total),
                },
                Progress::Pulling { records } => SyncStatus::Syncing {
                    stage: "receiving",
                    done: records,
                    total: None,
                },
            },
        );
    };
    let result = sync_client::sync(Shared(&store), &options, progress);
    let pending = store
        .lock()
        .map_or(0, |open| open.outbox_len().unwrap_or(0));
    let (status, worked) = match result {
        Ok(SyncReport {
            synced_at,
            pulled,
            conflicts,
            refused,
            withdrawn,
            ..
        }) => {
            let refused = store
                .lock()
                .and_then(|open| open.refusals().map_err(message))
                .map_or(refused.len(), |all| all.len());
            (
                SyncStatus::UpToDate {
                    at: synced_at,
                    received: pulled,
                    conflicts,
                    refused,
                    withdrawn: withdrawn
                        .iter()
                        .filter(|notice| notice.msp_group.is_none())
                        .filter_map(|notice| notice.urn)
                        .collect(),
                },
                true,
            )
        }
        Err(error) if error.is_offline() => (
            SyncStatus::Offline {
                reason: error.to_string(),
                pending,
            },
            false,
        ),
        Err(error) => (
            SyncStatus::Error {
                message: error.to_string(),
                pending,
            },
            false,
        ),
    };
    publish(app, status);
    worked
}

#[tauri::command]
pub fn sync_status(desk: State<'_, SyncDesk>) -> SyncStatus {
    desk.status()
}

/// Syncs now (or right after the sync under way).
#[tauri::command]
pub fn sync_now(desk: State<'_, SyncDesk>) {
    desk.wake.notify_one();
}

#[tauri::command(async)]
pub fn sync_conflicts(store: State<'_, OpenStore>) -> Result<Vec<FieldConflict>, String> {
    store.lock()?.conflicts().map_err(message)
}

#[tauri::command(async)]
pub fn sync_refusals(store: State<'_, OpenStore>) -> Result<Vec<RefusedOperation>, String> {
    store.lock()?.refusals().map_err(message)
}

#[tauri::command(async)]
pub fn dismiss_sync_refusal(store: State<'_, OpenStore>, op_id: String) -> Result<(), String> {
    store
        .lock()?
        .dismiss_refusal(&op_id)
        .map(|_| ())
        .map_err(message)
}

/// The schools and MSP groups the office took off this device, unread.
#[tauri::command(async)]
pub fn sync_withdrawn(store: State<'_, OpenStore>) -> Result<Vec<WithdrawnNotice>, String> {
    store.lock()?.withdrawn_scopes().map_err(message)
}

#[tauri::command(async)]
pub fn dismiss_sync_withdrawn(store: State<'_, OpenStore>, id: i64) -> Result<(), String> {
    store.lock()?.dismiss_withdrawn(id).map_err(message)
}

/// Who the store now belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct EnrolledAs {
    pub name: String,
    pub role_label: &'static str,
}

/// Enrols the store with the office using the adviser's one-time code, then
/// starts a first sync. The request runs on a blocking thread.
#[tauri::command]
pub async fn enrol_with_office(
    app: AppHandle,
    server: String,
    code: String,
) -> Result<EnrolledAs, String> {
    tauri::async_runtime::spawn_blocking(move || enrol(&app, &server, &code))
        .await
        .map_err(message)?
}

fn enrol(app: &AppHandle, server: &str, code: &str) -> Result<EnrolledAs, String> {
    let name = std::env::var("HOSTNAME")
        .map(|host| format!("Caseload on {host}"))
        .unwrap_or_else(|_| "Caseload desktop".to_owned());
    let store = app.state::<OpenStore>();
    // Held across the request: enrolment happens once, and the store must
    // not be half-enrolled if the adviser saves meanwhile.
    let enrolled = sync_client::enrol(&mut *store.lock()?, server, code, &name, Retry::default())
        .map_err(message)?;
    app.state::<SyncDesk>().wake.notify_one();
    Ok(EnrolledAs {
        name: enrolled.adviser.name,
        role_label: enrolled.adviser.role.label(),
    })
}

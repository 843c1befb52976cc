//! The Caseload desktop shell.
//!
//! A room of thin adapters: each Tauri command takes plain serde arguments,
//! calls one function of `caseload-store` and turns its error into a message
//! the window can show. No business rule lives here; one found in this crate is
//! in the wrong room and belongs in `caseload-core` or `caseload-store`.
//!
//! At start-up the shell opens the adviser's store (the same file the
//! `caseload` CLI uses) with its key — `CASELOAD_PASSPHRASE`, else the key in
//! the operating system's keyring — and then creates the main window. When
//! neither gives a key that opens it, the window asks for the passphrase
//! first (`unlock_commands`). After the adviser's chosen idle time, or when
//! they lock it, the app closes the store and asks again (`lock_commands`).
//! If the store cannot be opened at all, the window shows why instead of
//! the app: it must never vanish silently.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod academy_commands;
mod audit_commands;
mod authority_commands;
mod calendar_commands;
mod commands;
mod dashboard_commands;
mod letter_commands;
mod lock_commands;
mod msp_commands;
mod print_commands;
mod startup_error;
mod sync_commands;
mod unlock_commands;
mod visit_commands;

use std::error::Error;
use std::path::PathBuf;

use caseload_store::app_lock::Unlocker;
use caseload_store::device_settings::DeviceSettings;
use caseload_store::keys::{self, Ask, KeySource, Resolved};
use caseload_store::{Store, StoreError};
use tauri::{WebviewUrl, WebviewWindowBuilder};

use crate::commands::OpenStore;
use crate::letter_commands::LetterDesk;
use crate::sync_commands::SyncDesk;
use crate::unlock_commands::{Lock, Locked};

/// The window declared in tauri.conf.json; it is created here, not by Tauri,
/// so that a store that failed to open can be shown in it.
const MAIN_WINDOW: &str = "main";

fn main() {
    let opened = open_store();
    let failure = match &opened {
        Opening::Failed(failure) => Some(failure.clone()),
        _ => None,
    };
    let store_at_hand = !matches!(opened, Opening::Failed(_));

    let mut builder = tauri::Builder::default()
        .manage(LetterDesk::default())
        .manage(SyncDesk::default());
    match opened {
        Opening::Open(store, lock) => {
            builder = builder.manage(OpenStore::new(Some(*store))).manage(lock);
        }
        Opening::Locked(lock) => builder = builder.manage(OpenStore::new(None)).manage(lock),
        Opening::Failed(failure) => {
            eprintln!("Caseload could not open its store: {}", failure.message);
            let page = startup_error::page(failure.path.as_deref(), &failure.message);
            builder = builder
                .register_uri_scheme_protocol(startup_error::SCHEME, move |_context, request| {
                    startup_error::respond(&page, request)
                });
        }
    }
    let result = builder
        .invoke_handler(tauri::generate_handler![
            unlock_commands::store_lock,
            unlock_commands::unlock_store,
            lock_commands::lock_settings,
            lock_commands::set_lock_after,
            lock_commands::set_lock_password,
            lock_commands::note_activity,
            lock_commands::lock_app,
            commands::store_status,
            dashboard_commands::dashboard,
            authority_commands::authority_view,
            authority_commands::authority_report_pdf,
            authority_commands::save_authority_report,
            authority_commands::save_authority_csv,
            authority_commands::switch_demo_adviser,
            commands::list_schools,
            commands::school_profile,
            audit_commands::school_audit,
            commands::performance_panel,
            commands::load_demo,
            commands::import_gias,
            commands::criteria_set,
            commands::criteria_sets,
            commands::score_marks,
            commands::review_draft,
            commands::save_review_draft,
            commands::agree_review,
            commands::review_history,
            visit_commands::plan_visit,
            visit_commands::school_visits,
            visit_commands::school_actions,
            visit_commands::visit_sheet,
            visit_commands::save_visit_draft,
            visit_commands::finalise_visit,
            visit_commands::add_addendum,
            visit_commands::agree_action,
            visit_commands::complete_action,
            visit_commands::drop_action,
            visit_commands::search,
            visit_commands::planned_visits,
            calendar_commands::export_calendar,
            calendar_commands::calendar_subscription,
            calendar_commands::keep_calendar_subscription,
            print_commands::print_setup,
            print_commands::print_pdf,
            print_commands::print_files,
            letter_commands::letters_due,
            letter_commands::school_letters,
            letter_commands::letter_catalogue,
            letter_commands::letter_sheet,
            letter_commands::draft_letter,
            letter_commands::save_letter,
            letter_commands::preview_letter,
            letter_commands::issue_letter,
            letter_commands::issued_letter_pdf,
            letter_commands::correct_letter,
            letter_commands::letters_eligible,
            letter_commands::default_letter_folder,
            letter_commands::start_letter_batch,
            letter_commands::cancel_letter_batch,
            msp_commands::school_msp,
            msp_commands::msp_offers,
            msp_commands::open_msp_group,
            msp_commands::msp_groups,
            msp_commands::msp_group,
            msp_commands::invite_msp_member,
            msp_commands::remove_msp_member,
            msp_commands::close_msp_group,
            msp_commands::schedule_msp_meeting,
            msp_commands::msp_meeting,
            msp_commands::save_msp_meeting,
            msp_commands::approve_msp_meeting,
            msp_commands::msp_pdf,
            msp_commands::save_msp_pdf,
            msp_commands::draft_msp_letter,
            academy_commands::academy_vocabulary,
            academy_commands::academy_case,
            academy_commands::academy_concern,
            academy_commands::raise_academy_concern,
            academy_commands::add_concern_evidence,
            academy_commands::take_escalation_step,
            academy_commands::record_concern_letter,
            academy_commands::record_step_outcome,
            academy_commands::resolve_academy_concern,
            academy_commands::log_academy_report,
            academy_commands::pass_on_academy_report,
            sync_commands::sync_status,
            sync_commands::sync_now,
            sync_commands::sync_conflicts,
            sync_commands::sync_refusals,
            sync_commands::dismiss_sync_refusal,
            sync_commands::sync_withdrawn,
            sync_commands::dismiss_sync_withdrawn,
            sync_commands::enrol_with_office,
        ])
        .setup(move |app| {
            if store_at_hand {
                sync_commands::start(app.handle());
                lock_commands::start(app.handle());
            }
            create_main_window(app, failure.is_some())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Caseload could not start: {error}");
        std::process::exit(1);
    }
}

/// Why the store could not be opened, and where it was looked for.
#[derive(Debug, Clone)]
struct StoreFailure {
    path: Option<PathBuf>,
    message: String,
}

/// The store at start-up: open, waiting for its passphrase, or not to be opened.
enum Opening {
    // Boxed: a store is far larger than the other variants.
    Open(Box<Store>, Lock),
    Locked(Lock),
    Failed(StoreFailure),
}

fn open_store() -> Opening {
    let path = match caseload_store::store_path_from_env() {
        Ok(path) => path,
        Err(error) => {
            return Opening::Failed(StoreFailure {
                path: None,
                message: error.to_string(),
            })
        }
    };
    let failed = |error: StoreError, path: PathBuf| {
        Opening::Failed(StoreFailure {
            message: error.to_string(),
            path: Some(path),
        })
    };
    // This device's lock settings: a damaged file is said, not ignored.
    let settings = match DeviceSettings::read(&path) {
        Ok(settings) => settings,
        Err(error) => {
            return Opening::Failed(StoreFailure {
                message: error.to_string(),
                path: Some(path),
            })
        }
    };
    let asking = |path: PathBuf, locked: Locked, settings: DeviceSettings| {
        Opening::Locked(Lock::new(
            path,
            Some(locked),
            Unlocker::Passphrase,
            settings,
        ))
    };
    let (key, source) = match keys::resolve(&path, keys::passphrase_from_env(), &keys::OsKeyring) {
        Ok(Resolved::Key { key, source }) => (key, source),
        Ok(Resolved::AskPassphrase(ask)) => {
            return asking(path, Locked { ask, note: None }, settings)
        }
        Err(error) => return failed(error, path),
    };
    match Store::open(&path, &key) {
        // Once locked, a store opened with a passphrase asks for it again;
        // one opened with the keyring's key asks for the lock password.
        Ok(store) => {
            let unlocker = match source {
                KeySource::Environment => Unlocker::Passphrase,
                KeySource::Keyring => Unlocker::LockPassword,
            };
            // Where a lock password guards the keyring's key, it is asked for
            // at start-up too: quitting and starting again must not step
            // around the lock. The store opened, so the key is right.
            if unlocker == Unlocker::LockPassword && settings.has_lock_password() {
                drop(store);
                let locked = Locked {
                    ask: Ask::Unlock,
                    note: None,
                };
                return Opening::Locked(Lock::new(path, Some(locked), unlocker, settings));
            }
            Opening::Open(Box::new(store), Lock::new(path, None, unlocker, settings))
        }
        // The key at hand is not this store's: its passphrase may be.
        Err(StoreError::WrongKey(_)) => asking(
            path,
            Locked {
                note: Some(match source {
                    KeySource::Keyring => "The key kept in this computer's keyring does not open \
                                       this store: it was encrypted with a passphrase."
                        .to_owned(),
                    KeySource::Environment => {
                        "The passphrase in CASELOAD_PASSPHRASE does not open this store.".to_owned()
                    }
                }),
                ask: Ask::Unlock,
            },
            settings,
        ),
        Err(error) => failed(error, path),
    }
}

/// Creates the window declared in tauri.conf.json, on the startup error
/// page instead of the UI when the store could not be opened.
fn create_main_window(app: &mut tauri::App, store_failed: bool) -> Result<(), Box<dyn Error>> {
    let mut config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN_WINDOW)
        .cloned()
        .ok_or("tauri.conf.json declares no window labelled \"main\"")?;
    if store_failed {
        config.url = WebviewUrl::CustomProtocol(startup_error::url()?);
    }
    WebviewWindowBuilder::from_config(app.handle(), &config)?.build()?;
    Ok(())
}

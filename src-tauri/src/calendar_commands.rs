//! The Tauri commands of the adviser's calendar: planned visits and planned
//! MSP meetings as one iCalendar file, written once where the adviser says,
//! or kept beside the store for a calendar app to subscribe to.
//!
//! Thin like the others: the diary comes from `caseload-store`, the file
//! from `caseload-docs`. The subscription file is rewritten by the store's
//! diary watch, set here whenever a store opens, after every change to a
//! visit, a meeting, a group or a school, whether typed or pulled by a sync.

use std::path::Path;

use caseload_docs::calendar::{diary_calendar, subscription_listener, write_subscription};
use caseload_docs::files::write_whole;
use caseload_store::{calendar_file, Store};
use serde::Serialize;
use tauri::State;

use crate::commands::{message, OpenStore};

/// The subscription file, for the page that offers it.
#[derive(Debug, Serialize)]
pub struct CalendarSubscription {
    /// Where the file is (or would be) kept.
    pub path: String,
    /// True once the adviser has started it: the app keeps it up to date.
    pub kept: bool,
}

/// How many events a calendar file holds, of each kind.
#[derive(Debug, Serialize)]
pub struct CalendarCount {
    pub visits: usize,
    pub meetings: usize,
}

/// Writes the calendar to `path`; says how many events it holds.
#[tauri::command(async)]
pub fn export_calendar(store: State<'_, OpenStore>, path: String) -> Result<CalendarCount, String> {
    // The app's working folder is nowhere the adviser would look.
    if !Path::new(&path).is_absolute() {
        return Err(format!(
            "Enter the full path of the calendar file, such as /home/you/visits.ics; {path:?} is not one"
        ));
    }
    let diary = store.lock()?.diary().map_err(message)?;
    write_whole(Path::new(&path), diary_calendar(&diary).as_bytes())
        .map_err(|error| format!("cannot write the calendar to {path}: {error}"))?;
    Ok(CalendarCount {
        visits: diary.visits.len(),
        meetings: diary.meetings.len(),
    })
}

/// Where the subscription file is, and whether it is kept.
#[tauri::command(async)]
pub fn calendar_subscription(store: State<'_, OpenStore>) -> Result<CalendarSubscription, String> {
    let path = calendar_file(store.lock()?.path());
    Ok(CalendarSubscription {
        kept: path.exists(),
        path: path.display().to_string(),
    })
}

/// Writes the subscription file now; from then on every change to the
/// diary rewrites it.
#[tauri::command(async)]
pub fn keep_calendar_subscription(
    store: State<'_, OpenStore>,
) -> Result<CalendarSubscription, String> {
    let store = store.lock()?;
    let path = calendar_file(store.path());
    write_subscription(&path, &store.diary().map_err(message)?)
        .map_err(|error| format!("cannot write the calendar to {}: {error}", path.display()))?;
    Ok(CalendarSubscription {
        kept: true,
        path: path.display().to_string(),
    })
}

/// Sets the store's diary watch that keeps the subscription file, if the
/// adviser has one, up to date.
pub fn keep_subscription(store: &mut Store) {
    let file = calendar_file(store.path());
    store.watch_diary(subscription_listener(file, Store::diary, |problem| {
        eprintln!("caseload: {problem}")
    }));
}

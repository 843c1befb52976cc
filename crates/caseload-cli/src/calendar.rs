//! `caseload calendar`: the adviser's diary (planned visits and planned MSP
//! meetings) as one iCalendar file, written once with `--out` or kept beside
//! the store with `--subscription` for a calendar app to subscribe to.
//!
//! Once the subscription file exists, every command that changes the diary
//! rewrites it, as the desktop app does.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use caseload_docs::calendar::{diary_calendar, subscription_listener, write_subscription};
use caseload_store::{calendar_file, Store};

use crate::letters::write_atomically;

/// Writes the diary to `file`; says how many events it holds.
pub fn export(store: &Store, file: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let diary = store.diary()?;
    write_atomically(file, diary_calendar(&diary).as_bytes())
        .with_context(|| format!("cannot write the calendar to {}", file.display()))?;
    writeln!(
        out,
        "{} written to {}.",
        events(diary.visits.len(), diary.meetings.len()),
        file.display()
    )?;
    Ok(())
}

/// Writes the subscription file now (starting the subscription if it is
/// new) and prints its path alone on stdout, for scripts and for pasting
/// into a calendar app.
pub fn subscribe(store: &Store, out: &mut impl Write) -> anyhow::Result<()> {
    let file = calendar_file(store.path());
    write_subscription(&file, &store.diary()?)
        .with_context(|| format!("cannot write the calendar to {}", file.display()))?;
    writeln!(out, "{}", file.display())?;
    Ok(())
}

/// Keeps the subscription file, if the adviser has one, up to date with
/// every change this run makes to the diary. A file that cannot be
/// rewritten is a warning: the change itself is already saved.
pub fn keep_subscription(store: &mut Store) {
    let file = calendar_file(store.path());
    store.watch_diary(subscription_listener(file, Store::diary, |problem| {
        eprintln!("warning: {problem}")
    }));
}

fn events(visits: usize, meetings: usize) -> String {
    let visits = match visits {
        1 => "1 planned visit".to_owned(),
        n => format!("{n} planned visits"),
    };
    let meetings = match meetings {
        1 => "1 planned MSP meeting".to_owned(),
        n => format!("{n} planned MSP meetings"),
    };
    format!("{visits} and {meetings}")
}

//! `caseload audit --urn URN`: a school's audit trail, newest first —
//! who changed which of its records, when, on which device, from what to
//! what.

use std::io::Write;
use std::path::Path;

use caseload_core::Urn;
use caseload_store::{AuditOrigin, HistoryEntry, Store, HISTORY_PAGE_MAX};
use serde_json::Value;

/// Values longer than this are shortened in the text listing; `--json`
/// keeps them whole.
const SHOWN_CHARS: usize = 120;

pub fn school_audit(path: &Path, urn: Urn, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let store = crate::open_store(path)?;
    store.school(urn)?;
    let entries = every_entry(&store, urn)?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &entries)?;
        writeln!(out)?;
        return Ok(());
    }
    if entries.is_empty() {
        writeln!(out, "No changes to school {} are recorded.", urn.0)?;
    }
    for entry in &entries {
        write_entry(out, entry)?;
    }
    Ok(())
}

/// The whole history, page by page.
fn every_entry(store: &Store, urn: Urn) -> anyhow::Result<Vec<HistoryEntry>> {
    let mut entries = Vec::new();
    let mut before = None;
    loop {
        let page = store.school_history(urn, before, HISTORY_PAGE_MAX)?;
        entries.extend(page.entries);
        match page.next {
            Some(next) => before = Some(next),
            None => return Ok(entries),
        }
    }
}

fn write_entry(out: &mut impl Write, entry: &HistoryEntry) -> anyhow::Result<()> {
    let when = if entry.first_at == entry.last_at {
        entry.first_at.clone()
    } else {
        format!("{} to {}", entry.first_at, entry.last_at)
    };
    writeln!(
        out,
        "{when}  {} {}  {}",
        entry.entity,
        entry.key,
        author(entry)
    )?;
    for change in &entry.changes {
        writeln!(
            out,
            "    {}: {} -> {}",
            change.field,
            shown(&change.before),
            shown(&change.after)
        )?;
    }
    Ok(())
}

/// Who made the change, how, and on which device.
fn author(entry: &HistoryEntry) -> String {
    let who = match (&entry.adviser_name, entry.adviser) {
        (Some(name), _) => name.clone(),
        (None, Some(id)) => format!("adviser {id}"),
        (None, None) => "the office".to_owned(),
    };
    let how = match entry.origin {
        AuditOrigin::Edit => "edited",
        AuditOrigin::Import => "imported",
        AuditOrigin::Pulled => "synced from the office",
        AuditOrigin::Refused => "put back: the office refused the edit",
    };
    let device = if entry.this_device {
        "this device".to_owned()
    } else {
        format!("device {}", entry.device)
    };
    format!("{how} by {who} on {device}")
}

fn shown(value: &Value) -> String {
    let text = match value {
        Value::Null => return "(empty)".to_owned(),
        Value::String(text) => format!("{text:?}"),
        other => other.to_string(),
    };
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

//! `caseload enrol`, `caseload sync` and `caseload conflicts`: the store's
//! sync client from a terminal.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use caseload_store::sync_client::{self, Progress, Retry, SyncOptions, SyncReport};
use caseload_store::FieldConflict;
use indicatif::ProgressBar;
use serde_json::{json, Value};

use crate::emit;

/// Enrols the store with the office, spending the one-time code.
pub fn enrol(
    path: &Path,
    server: &str,
    code: &str,
    name: Option<String>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut store = crate::open_store(path)?;
    let name = name.unwrap_or_else(|| "caseload (terminal)".to_owned());
    let enrolled = sync_client::enrol(&mut store, server, code, &name, Retry::default())
        .with_context(|| format!("enrolling with {server}"))?;
    let adviser = &enrolled.adviser;
    let shown = json!({
        "device": enrolled.device,
        "server": store.enrolment()?.map(|enrolment| enrolment.url),
        "adviser": {"id": adviser.id, "name": adviser.name, "email": adviser.email, "role": adviser.role},
    });
    emit(out, json, &shown, || {
        format!(
            "Enrolled as {} ({}), device {}. Run `caseload sync` to bring your caseload.\n",
            adviser.name,
            adviser.role.label(),
            enrolled.device
        )
    })
}

/// Pushes the outbox and pulls what changed.
pub fn sync(
    path: &Path,
    server: Option<String>,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut store = crate::open_store(path)?;
    let options = SyncOptions {
        server,
        ..SyncOptions::default()
    };
    // On standard error, and only on a terminal: scripts read standard output.
    let bar = ProgressBar::new_spinner();
    let report = sync_client::sync(&mut store, &options, |progress| {
        bar.set_message(match progress {
            Progress::Pushing { done, total } => format!("sending {done} of {total} changes"),
            Progress::Pulling { records } => format!("{records} records received"),
        });
        bar.tick();
    });
    bar.finish_and_clear();
    let report = report?;
    emit(out, json, &report, || sync_report(&report))
}

fn sync_report(report: &SyncReport) -> String {
    let mut text = format!(
        "Pushed {} ({} applied, {} already applied, {} refused); pulled {}.\n",
        report.pushed,
        report.applied,
        report.duplicate,
        report.refused.len(),
        report.pulled
    );
    for refused in &report.refused {
        text.push_str(&format!(
            "Refused: {} {}: {}\n",
            refused.entity, refused.key, refused.message
        ));
    }
    for withdrawn in &report.withdrawn {
        text.push_str(&format!("{}.\n", withdrawn.message));
    }
    if report.conflicts > 0 {
        text.push_str(&format!(
            "{} conflicting value(s) kept: see `caseload conflicts`.\n",
            report.conflicts
        ));
    }
    text
}

/// The values kept as conflicts.
pub fn conflicts(path: &Path, json: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let conflicts = crate::open_store(path)?.conflicts()?;
    emit(out, json, &conflicts, || conflict_list(&conflicts))
}

fn conflict_list(conflicts: &[FieldConflict]) -> String {
    if conflicts.is_empty() {
        return "No conflicts.\n".to_owned();
    }
    let shown = |value: &Value| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let mut text = String::new();
    for conflict in conflicts {
        let school = conflict
            .urn
            .map(|urn| format!(" (school {urn})"))
            .unwrap_or_default();
        text.push_str(&format!(
            "{} {}{school}, {}: kept {:?}; also written {:?}{}\n",
            conflict.entity,
            conflict.key,
            conflict.field,
            shown(&conflict.kept.value),
            shown(&conflict.lost.value),
            if conflict.lost.this_device {
                " on this device"
            } else {
                ""
            }
        ));
    }
    text.push_str("Edit the field to resolve a conflict.\n");
    text
}

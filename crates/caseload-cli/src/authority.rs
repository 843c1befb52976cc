//! `caseload authority`: the authority-wide view as text or JSON, and its
//! exports for the scrutiny committee (a CSV of every school, a PDF
//! report). Both files are made in memory first and moved into place only
//! when both are written, so a failure leaves neither behind.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use caseload_core::authority::{AuthorityView, CategoryRow, Share};
use caseload_docs::authority::{csv, report_document};
use caseload_docs::files::Staged;
use caseload_docs::letters::LetterSet;
use caseload_docs::typeset::Typesetter;
use caseload_store::Store;
use chrono::NaiveDate;

/// Where to write the exports, if anywhere.
pub struct Exports {
    pub csv: Option<PathBuf>,
    pub pdf: Option<PathBuf>,
    /// The `letters` folder beside the store: its letterhead heads the report.
    pub letters: PathBuf,
}

pub fn run(
    out: &mut impl Write,
    store: &Store,
    today: NaiveDate,
    json: bool,
    exports: &Exports,
) -> anyhow::Result<()> {
    let view = store.authority_view_on(today)?;
    let mut staged = Vec::new();
    if let Some(path) = &exports.csv {
        let bytes = csv(&view).context("cannot make the CSV")?;
        staged.push(stage(path, &bytes)?);
    }
    if let Some(path) = &exports.pdf {
        let letters = LetterSet::with_folder(&exports.letters)?;
        let bytes = Typesetter::new()?.render(&report_document(&view, &letters))?;
        staged.push(stage(path, &bytes)?);
    }
    let written: Vec<PathBuf> = staged
        .into_iter()
        .map(|file| file.persist().context("cannot move an export into place"))
        .collect::<anyhow::Result<_>>()?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &view)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", text(&view))?;
    }
    for path in written {
        eprintln!("Wrote {}", path.display());
    }
    Ok(())
}

fn stage(path: &Path, bytes: &[u8]) -> anyhow::Result<Staged> {
    Staged::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn share(what: &str, share: &Share, target: f64) -> String {
    let percent = share
        .percent
        .map_or("none judged".to_owned(), |percent| format!("{percent:.1}%"));
    let met = match share.meets_target {
        Some(true) => "target met",
        Some(false) => "target not met",
        None => "no target to meet yet",
    };
    format!(
        "  {what}: {} of {} ({percent}) against {target}%: {met}\n",
        share.good_or_better, share.judged
    )
}

fn table(text: &mut String, title: &str, rows: &[CategoryRow]) {
    let _ = writeln!(text, "{title} (low / medium / high / not yet categorised):");
    for row in rows {
        let counts: Vec<String> = row
            .categories
            .iter()
            .map(|cell| cell.schools.len().to_string())
            .collect();
        let _ = writeln!(
            text,
            "  {}: {} ({} schools)",
            row.label,
            counts.join(" / "),
            row.schools.len()
        );
    }
}

pub fn text(view: &AuthorityView) -> String {
    let measure = &view.good_or_better;
    let mut text = format!(
        "{} — {} open schools, on {}\nGood or better (maintained schools with an inspection):\n",
        view.term,
        view.schools.len(),
        view.today
    );
    text.push_str(&share("schools", &measure.schools, measure.target_percent));
    text.push_str(&share("pupils", &measure.pupils, measure.target_percent));
    let _ = writeln!(text, "  not inspected yet: {}", measure.not_inspected.len());
    table(&mut text, "By phase", &view.by_phase);
    table(&mut text, "By ward", &view.by_ward);
    table(&mut text, "By link SIA", &view.by_adviser);
    text.push_str("Direction of travel this term:\n");
    for count in &view.direction {
        let _ = writeln!(text, "  {}: {}", count.label, count.schools.len());
    }
    text.push_str("Visits overdue by adviser:\n");
    for row in &view.visits_overdue {
        let _ = writeln!(
            text,
            "  {}: {} overdue at {} of {} schools",
            row.name,
            row.periods,
            row.schools.len(),
            row.caseload
        );
    }
    let _ = writeln!(text, "MSP groups open: {}", view.msp_groups_open.len());
    for group in &view.msp_groups_open {
        let _ = writeln!(
            text,
            "  {} ({}), chaired by {}, opened {}",
            group.school, group.urn, group.chair, group.opened_on
        );
    }
    let _ = writeln!(
        text,
        "Warning notices open: {}",
        view.warning_notices_open.len()
    );
    for notice in &view.warning_notices_open {
        let _ = writeln!(
            text,
            "  {} ({}), issued {}",
            notice.school, notice.urn, notice.dated
        );
    }
    text.push_str("Academy concerns by stage:\n");
    for at in &view.academy_concerns {
        let _ = writeln!(text, "  {}: {}", at.label, at.concerns.len());
    }
    text
}

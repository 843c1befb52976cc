//! `caseload letter`, `letters`, `letters-due` and `reprint`: letters drafted
//! from the authority's templates, printed to PDF, and issued into the store.
//!
//! A batch is drafted whole before anything is written, laid out on every
//! core, and its files appear only once every one has rendered: a bad
//! school stops the batch with nothing left behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::{bail, Context};
use caseload_core::letter::{Letter, LetterKind};
use caseload_core::Urn;
use caseload_docs::files::{write_whole, Staged};
use caseload_docs::letters::batch::Printable;
use caseload_docs::letters::{DraftRequest, LetterSet};
use caseload_docs::typeset::Typesetter;
use caseload_store::Store;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use uuid::Uuid;

/// What the adviser asked to print.
pub struct LetterOrder {
    pub kind: LetterKind,
    pub today: NaiveDate,
    pub visit: Option<Uuid>,
    pub indicators: Vec<String>,
    pub issue: bool,
}

impl LetterOrder {
    fn request(&self) -> DraftRequest {
        DraftRequest {
            id: Uuid::now_v7(),
            kind: self.kind,
            today: self.today,
            visit: self.visit,
            indicators: (!self.indicators.is_empty()).then(|| self.indicators.clone()),
            terms: None,
        }
    }
}

/// Drafts, prints and (when asked) issues one letter; returns it.
pub fn one(
    store: &mut Store,
    set: &LetterSet,
    urn: Urn,
    order: &LetterOrder,
    out: &Path,
) -> anyhow::Result<Letter> {
    let drafted = draft(store, set, urn, order)?;
    let typesetter = Typesetter::new()?;
    let pdf = set.print(&typesetter, &drafted)?;
    let staged = stage(out, &pdf)?;
    let letter = record(store, vec![drafted.letter], &[pdf], order.issue)?.remove(0);
    persist(staged)?;
    Ok(letter)
}

/// One letter per school into `folder`, named `URN-kind.pdf`.
pub fn batch(
    store: &mut Store,
    set: &LetterSet,
    schools: &[Urn],
    order: &LetterOrder,
    folder: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let drafted = schools
        .iter()
        .map(|urn| draft(store, set, *urn, order))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let progress = progress_bar(drafted.len());
    let typesetter = Typesetter::new()?;
    let pdfs = set.print_all(
        &typesetter,
        &drafted,
        &|| progress.inc(1),
        &AtomicBool::new(false),
    )?;
    progress.finish_and_clear();
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    let staged = drafted
        .iter()
        .zip(&pdfs)
        .map(|(drafted, pdf)| {
            let name = format!("{}-{}.pdf", drafted.letter.urn, drafted.letter.kind);
            stage(&folder.join(name), pdf)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let letters = drafted.into_iter().map(|drafted| drafted.letter).collect();
    record(store, letters, &pdfs, order.issue)?;
    staged.into_iter().map(persist).collect()
}

/// URNs from a file, one per line; blank lines and `#` comments are skipped.
pub fn read_schools(file: &Path) -> anyhow::Result<Vec<Urn>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut urns = Vec::new();
    let mut seen = BTreeSet::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let urn: Urn = line
            .parse()
            .map_err(|error| anyhow::anyhow!("{}, line {}: {error}", file.display(), index + 1))?;
        if seen.insert(urn) {
            urns.push(urn);
        }
    }
    if urns.is_empty() {
        bail!("{} lists no schools (one URN per line)", file.display());
    }
    Ok(urns)
}

fn draft(
    store: &Store,
    set: &LetterSet,
    urn: Urn,
    order: &LetterOrder,
) -> anyhow::Result<Printable> {
    let material = store.letter_material(urn)?;
    let letter = set.draft(&material, order.request())?;
    if order.issue {
        let school = &material.school;
        letter
            .check_complete()
            .with_context(|| format!("{} (URN {})", school.name, school.urn))?;
    }
    Ok(Printable { letter, material })
}

/// Keeps the letters: issued, with their PDFs, in one transaction; or not
/// at all for previews (a draft lives in the app, where it is edited).
fn record(
    store: &mut Store,
    letters: Vec<Letter>,
    pdfs: &[Vec<u8>],
    issue: bool,
) -> anyhow::Result<Vec<Letter>> {
    if !issue {
        return Ok(letters);
    }
    let batch: Vec<(&Letter, &[u8])> = letters
        .iter()
        .zip(pdfs)
        .map(|(letter, pdf)| (letter, pdf.as_slice()))
        .collect();
    Ok(store.issue_letters(&batch)?)
}

fn progress_bar(count: usize) -> ProgressBar {
    let bar = ProgressBar::new(count as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} letters, {eta} left") {
        bar.set_style(style);
    }
    bar
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_whole(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn stage(path: &Path, bytes: &[u8]) -> anyhow::Result<Staged> {
    Staged::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn persist(staged: Staged) -> anyhow::Result<PathBuf> {
    staged
        .persist()
        .context("cannot move a written letter into place")
}

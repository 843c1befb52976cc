//! The Tauri commands of letters: what is due, drafting from the
//! authority's templates, the adviser's edits, a PDF preview, issuing, and
//! printing a batch on a background thread.
//!
//! Thin like the others: the rules (what is due, whether a letter is
//! complete, that an issued letter never changes) live in `caseload-core`,
//! the store and `caseload-docs`; this file only calls them, in order, and
//! turns their errors into messages. It must never decide anything about a
//! letter itself.
//!
//! One `Typesetter` (its fonts parsed once) and the `LetterSet` (reloaded
//! when a file in the `letters` folder beside the store changes) are kept
//! in [`LetterDesk`], with the flags of the batch under way.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use caseload_core::letter::warning::{Ground, Power};
use caseload_core::letter::{Letter, LetterKind, Recipient, WarningTerms};
use caseload_core::Urn;
use caseload_docs::files::Staged;
use caseload_docs::letters::batch::Printable;
use caseload_docs::letters::{DraftRequest, LetterSet};
use caseload_docs::typeset::Typesetter;
use caseload_store::views::SchoolScope;
use caseload_store::{letters_folder, Store};
use serde::{Deserialize, Serialize};
use tauri::ipc::Response;
use tauri::{AppHandle, Emitter, Manager, State};
use uuid::Uuid;

use crate::commands::{message, today, OpenStore};

/// Emitted after each letter of a batch is laid out: [`BatchProgress`].
const PROGRESS_EVENT: &str = "letters://progress";
/// Emitted once when a batch ends, however it ends: [`BatchEnd`].
const FINISHED_EVENT: &str = "letters://finished";

/// The letters' machinery the commands share.
#[derive(Debug, Default)]
pub struct LetterDesk {
    typesetter: Mutex<Option<Arc<Typesetter>>>,
    set: Mutex<Option<LoadedSet>>,
    batch: Arc<BatchFlags>,
}

/// The letter set as loaded, with what its folder held then.
#[derive(Debug)]
struct LoadedSet {
    folder: PathBuf,
    stamp: Vec<FileStamp>,
    set: Arc<LetterSet>,
}

/// A file of the `letters` folder: its name, when it changed and its size.
type FileStamp = (std::ffi::OsString, Option<SystemTime>, u64);

#[derive(Debug, Default)]
struct BatchFlags {
    running: AtomicBool,
    cancel: AtomicBool,
}

impl LetterDesk {
    pub(crate) fn typesetter(&self) -> Result<Arc<Typesetter>, String> {
        let mut held = lock(&self.typesetter);
        if let Some(typesetter) = held.as_ref() {
            return Ok(Arc::clone(typesetter));
        }
        let typesetter = Arc::new(Typesetter::new().map_err(message)?);
        *held = Some(Arc::clone(&typesetter));
        Ok(typesetter)
    }

    /// The authority's letters for the store at `store_path`: the shipped
    /// set with the `letters` folder's files in place of theirs, read again
    /// whenever a file there was added, removed or changed.
    fn letter_set(&self, store_path: &Path) -> Result<Arc<LetterSet>, String> {
        let folder = letters_folder(store_path);
        let stamp = folder_stamp(&folder);
        let mut held = lock(&self.set);
        if let Some(loaded) = held.as_ref() {
            if loaded.folder == folder && loaded.stamp == stamp {
                return Ok(Arc::clone(&loaded.set));
            }
        }
        let set = Arc::new(LetterSet::with_folder(&folder).map_err(message)?);
        *held = Some(LoadedSet {
            folder,
            stamp,
            set: Arc::clone(&set),
        });
        Ok(set)
    }

    /// The PDF of `printable` as it reads now.
    fn print(&self, set: &LetterSet, printable: &Printable) -> Result<Vec<u8>, String> {
        set.print(&*self.typesetter()?, printable).map_err(message)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // What the mutex guards is a cache: after a panic it is still usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn folder_stamp(folder: &Path) -> Vec<FileStamp> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut stamp: Vec<FileStamp> = entries
        .flatten()
        .map(|entry| {
            let meta = entry.metadata().ok();
            (
                entry.file_name(),
                meta.as_ref().and_then(|meta| meta.modified().ok()),
                meta.map_or(0, |meta| meta.len()),
            )
        })
        .collect();
    stamp.sort();
    stamp
}

pub(crate) fn letter_set(store: &Store, desk: &LetterDesk) -> Result<Arc<LetterSet>, String> {
    desk.letter_set(store.path())
}

/// An indicator a letter may cite, as the strategy words it.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorText {
    pub id: String,
    pub text: String,
}

fn indicators_of(set: &LetterSet, kind: LetterKind) -> Vec<IndicatorText> {
    set.catalogue
        .of_kind(kind)
        .map(|indicator| IndicatorText {
            id: indicator.id.clone(),
            text: indicator.text.clone(),
        })
        .collect()
}

pub(crate) fn texts_of(set: &LetterSet, ids: &[String]) -> Vec<IndicatorText> {
    ids.iter()
        .map(|id| IndicatorText {
            id: id.clone(),
            text: set
                .catalogue
                .get(id)
                .map_or_else(|| id.clone(), |indicator| indicator.text.clone()),
        })
        .collect()
}

/// A letter the records say is due, with the wording of what it would cite.
#[derive(Debug, Clone, Serialize)]
pub struct DueLetter {
    pub kind: LetterKind,
    pub indicators: Vec<IndicatorText>,
    /// For a note of visit: the visit it records.
    pub visit: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SchoolDue {
    pub urn: Urn,
    pub school: String,
    pub letters: Vec<DueLetter>,
}

/// What is due for one school, or for every school of the caseload.
#[tauri::command(async)]
pub fn letters_due(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    urn: Option<u32>,
) -> Result<Vec<SchoolDue>, String> {
    let store = store.lock()?;
    let set = letter_set(&store, &desk)?;
    let urns = match urn {
        Some(urn) => vec![Urn(urn)],
        None => store
            .schools(SchoolScope::Caseload)
            .map_err(message)?
            .iter()
            .map(|school| school.urn)
            .collect(),
    };
    let due = store
        .letters_due(&set.catalogue, &urns, today())
        .map_err(message)?;
    Ok(due
        .into_iter()
        .map(|school| SchoolDue {
            urn: school.urn,
            school: school.school,
            letters: school
                .letters
                .into_iter()
                .map(|due| DueLetter {
                    kind: due.kind,
                    indicators: texts_of(&set, &due.indicators),
                    visit: due.visit,
                })
                .collect(),
        })
        .collect())
}

/// A school's letters, newest first, and the kinds it may be sent.
#[derive(Debug, Clone, Serialize)]
pub struct SchoolLetters {
    pub letters: Vec<Letter>,
    pub kinds: Vec<LetterKind>,
}

#[tauri::command(async)]
pub fn school_letters(store: State<'_, OpenStore>, urn: u32) -> Result<SchoolLetters, String> {
    let store = store.lock()?;
    let governance = store.school(Urn(urn)).map_err(message)?.governance();
    Ok(SchoolLetters {
        letters: store.letters(Some(Urn(urn))).map_err(message)?,
        kinds: LetterKind::ALL
            .into_iter()
            .filter(|kind| kind.suits(governance))
            .collect(),
    })
}

/// The indicators a letter of `kind` may cite, in the strategy's order.
#[tauri::command(async)]
pub fn letter_catalogue(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    kind: LetterKind,
) -> Result<Vec<IndicatorText>, String> {
    let set = letter_set(&*store.lock()?, &desk)?;
    Ok(indicators_of(&set, kind))
}

/// One choice of a warning notice's terms, with the wording it prints.
#[derive(Debug, Clone, Serialize)]
pub struct Choice<T> {
    pub id: T,
    pub statement: &'static str,
}

/// A letter opened in the editor: the letter, its school, what it may cite,
/// the choices of a warning notice's terms, and why it cannot be issued yet.
#[derive(Debug, Clone, Serialize)]
pub struct LetterSheet {
    pub letter: Letter,
    pub school: String,
    pub indicators: Vec<IndicatorText>,
    pub grounds: Vec<Choice<Ground>>,
    pub powers: Vec<Choice<Power>>,
    /// Why the letter is not complete enough to send; None when it is.
    pub incomplete: Option<String>,
}

#[tauri::command(async)]
pub fn letter_sheet(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
) -> Result<LetterSheet, String> {
    let store = store.lock()?;
    let set = letter_set(&store, &desk)?;
    let letter = store.letter(id).map_err(message)?;
    let school = store.school(letter.urn).map_err(message)?.name;
    let grounds = [
        Ground::LowStandards,
        Ground::ManagementBreakdown,
        Ground::SafetyThreat,
    ];
    let powers = [
        Power::AdditionalGovernors,
        Power::InterimExecutiveBoard,
        Power::SuspendDelegatedBudget,
    ];
    Ok(LetterSheet {
        indicators: indicators_of(&set, letter.kind),
        grounds: grounds
            .into_iter()
            .map(|id| Choice {
                id,
                statement: id.statement(),
            })
            .collect(),
        powers: powers
            .into_iter()
            .map(|id| Choice {
                id,
                statement: id.statement(),
            })
            .collect(),
        incomplete: letter.check_complete().err().map(message),
        school,
        letter,
    })
}

/// Drafts a letter of `kind` from the records and saves it. Indicators and
/// terms left out are the ones the records and the template suggest.
#[tauri::command(async)]
pub fn draft_letter(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    urn: u32,
    kind: LetterKind,
    visit: Option<Uuid>,
    indicators: Option<Vec<String>>,
    terms: Option<WarningTerms>,
) -> Result<Letter, String> {
    let mut store = store.lock()?;
    let set = letter_set(&store, &desk)?;
    let material = store.letter_material(Urn(urn)).map_err(message)?;
    let request = DraftRequest {
        id: Uuid::now_v7(),
        kind,
        today: today(),
        visit,
        indicators,
        terms,
    };
    let letter = set.draft(&material, request).map_err(message)?;
    store.save_letter_draft(&letter).map_err(message)?;
    Ok(letter)
}

/// What the adviser may change in a draft; the rest stays as drafted.
#[derive(Debug, Clone, Deserialize)]
pub struct LetterEdits {
    pub id: Uuid,
    pub subject: String,
    pub body: String,
    pub recipients: Vec<Recipient>,
    pub copies_to: Vec<String>,
    pub indicators: Vec<String>,
    pub terms: Option<WarningTerms>,
}

/// A draft as saved, and why it cannot be issued yet (None when it can).
#[derive(Debug, Clone, Serialize)]
pub struct SavedLetter {
    pub letter: Letter,
    pub incomplete: Option<String>,
}

/// Autosave of the editor; the store refuses an issued letter.
#[tauri::command(async)]
pub fn save_letter(
    store: State<'_, OpenStore>,
    letter: LetterEdits,
) -> Result<SavedLetter, String> {
    let mut store = store.lock()?;
    let mut saved = store.letter(letter.id).map_err(message)?;
    saved.subject = letter.subject;
    saved.body = letter.body;
    saved.recipients = letter.recipients;
    saved.copies_to = letter.copies_to;
    saved.indicators = letter.indicators;
    saved.terms = letter.terms;
    store.save_letter_draft(&saved).map_err(message)?;
    Ok(SavedLetter {
        incomplete: saved.check_complete().err().map(message),
        letter: saved,
    })
}

/// The stored draft printed as it reads now: the PDF's bytes.
#[tauri::command(async)]
pub fn preview_letter(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
) -> Result<Response, String> {
    let (set, printable) = {
        let store = store.lock()?;
        let set = letter_set(&store, &desk)?;
        (set, printable(&store, id)?)
    };
    // Laid out with the store unlocked: autosaves go on meanwhile.
    Ok(Response::new(desk.print(&set, &printable)?))
}

fn printable(store: &Store, id: Uuid) -> Result<Printable, String> {
    let letter = store.letter(id).map_err(message)?;
    let material = store.letter_material(letter.urn).map_err(message)?;
    Ok(Printable { letter, material })
}

/// Dates the stored draft today, prints it and issues it with that PDF.
#[tauri::command(async)]
pub fn issue_letter(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    id: Uuid,
) -> Result<Letter, String> {
    let (set, printable) = {
        let mut store = store.lock()?;
        let mut printable = printable(&store, id)?;
        printable.letter.date_for_issue(today()).map_err(message)?;
        printable.letter.check_complete().map_err(message)?;
        store
            .save_letter_draft(&printable.letter)
            .map_err(message)?;
        (letter_set(&store, &desk)?, printable)
    };
    let pdf = desk.print(&set, &printable)?;
    // The store refuses it if the draft changed while it was printed.
    store
        .lock()?
        .issue_letter(&printable.letter, &pdf)
        .map_err(message)
}

/// The PDF of an issued letter, exactly as issued.
#[tauri::command(async)]
pub fn issued_letter_pdf(store: State<'_, OpenStore>, id: Uuid) -> Result<Response, String> {
    match store.lock()?.issued_pdf(id).map_err(message)? {
        Some(pdf) => Ok(Response::new(pdf)),
        None => Err(format!(
            "letter {id} has not been issued: only an issued letter has a PDF kept"
        )),
    }
}

/// A new draft putting the issued letter `id` right, saved.
#[tauri::command(async)]
pub fn correct_letter(store: State<'_, OpenStore>, id: Uuid) -> Result<Letter, String> {
    let mut store = store.lock()?;
    let issued = store.letter(id).map_err(message)?;
    let correction = issued
        .correction(Uuid::now_v7(), today())
        .map_err(message)?;
    store.save_letter_draft(&correction).map_err(message)?;
    Ok(correction)
}

/// A school a batch may print for.
#[derive(Debug, Clone, Serialize)]
pub struct EligibleSchool {
    pub urn: Urn,
    pub name: String,
}

/// The caseload's schools a letter of `kind` is due for.
#[tauri::command(async)]
pub fn letters_eligible(
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    kind: LetterKind,
) -> Result<Vec<EligibleSchool>, String> {
    let store = store.lock()?;
    let set = letter_set(&store, &desk)?;
    store
        .letters_eligible(&set.catalogue, kind, today())
        .map_err(message)?
        .into_iter()
        .map(|urn| {
            Ok(EligibleSchool {
                urn,
                name: store.school(urn).map_err(message)?.name,
            })
        })
        .collect()
}

/// Where a batch writes unless told otherwise: "Caseload letters" in the
/// adviser's Documents folder.
#[tauri::command(async)]
pub fn default_letter_folder() -> Result<String, String> {
    dirs::document_dir()
        .or_else(dirs::home_dir)
        .map(|folder| folder.join("Caseload letters").display().to_string())
        .ok_or_else(|| "this system names no Documents or home folder".to_owned())
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchStarted {
    /// How many letters the batch prints.
    pub total: usize,
    pub folder: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchProgress {
    pub done: usize,
    pub total: usize,
}

/// How a batch ended.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum BatchEnd {
    /// Every file written (and, when asked, every letter issued).
    Written {
        paths: Vec<String>,
        folder: String,
        issued: bool,
    },
    /// Stopped by the adviser: nothing written, nothing issued.
    Cancelled,
    /// Stopped by a problem: nothing written, nothing issued.
    Failed { message: String },
}

/// Prints a letter of `kind` for each of `urns` (every school it is due for
/// when None) into `folder`, issuing them when `issue`, on a background
/// thread. Progress and the end come as events; files appear only once
/// every letter has been laid out.
#[tauri::command(async)]
pub fn start_letter_batch(
    app: AppHandle,
    store: State<'_, OpenStore>,
    desk: State<'_, LetterDesk>,
    kind: LetterKind,
    urns: Option<Vec<u32>>,
    folder: Option<String>,
    issue: bool,
) -> Result<BatchStarted, String> {
    let folder = match folder.map(|folder| folder.trim().to_owned()) {
        Some(folder) if !folder.is_empty() => PathBuf::from(folder),
        _ => PathBuf::from(default_letter_folder()?),
    };
    if !folder.is_absolute() {
        return Err(format!(
            "Enter the full path of a folder, such as /home/you/Documents/Caseload letters; {:?} is not one",
            folder.display().to_string()
        ));
    }
    let urns: Vec<Urn> = {
        let store = store.lock()?;
        let chosen = match urns {
            Some(urns) => urns.into_iter().map(Urn).collect(),
            None => {
                let set = letter_set(&store, &desk)?;
                store
                    .letters_eligible(&set.catalogue, kind, today())
                    .map_err(message)?
            }
        };
        let mut seen = BTreeSet::new();
        chosen.into_iter().filter(|urn| seen.insert(*urn)).collect()
    };
    if urns.is_empty() {
        return Err("Choose at least one school".to_owned());
    }
    let flags = Arc::clone(&desk.batch);
    if flags
        .running
        .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return Err(
            "A batch of letters is already being printed: wait for it or cancel it".to_owned(),
        );
    }
    flags.cancel.store(false, Ordering::SeqCst);
    let started = BatchStarted {
        total: urns.len(),
        folder: folder.display().to_string(),
    };
    let order = BatchOrder {
        kind,
        urns,
        folder,
        issue,
    };
    std::thread::spawn(move || {
        let running = Running(Arc::clone(&flags));
        let end = run_batch(&app, &flags.cancel, order);
        drop(running);
        tell(&app, FINISHED_EVENT, end);
    });
    Ok(started)
}

/// Asks the batch under way to stop before its next letter.
#[tauri::command(async)]
pub fn cancel_letter_batch(desk: State<'_, LetterDesk>) {
    desk.batch.cancel.store(true, Ordering::SeqCst);
}

/// Lets the next batch start once this one has ended, even by a panic.
struct Running(Arc<BatchFlags>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.running.store(false, Ordering::SeqCst);
    }
}

struct BatchOrder {
    kind: LetterKind,
    urns: Vec<Urn>,
    folder: PathBuf,
    issue: bool,
}

fn run_batch(app: &AppHandle, cancel: &AtomicBool, order: BatchOrder) -> BatchEnd {
    match print_batch(app, cancel, &order) {
        Ok(Some(paths)) => BatchEnd::Written {
            paths: paths
                .iter()
                .map(|path| path.display().to_string())
                .collect(),
            folder: order.folder.display().to_string(),
            issued: order.issue,
        },
        Ok(None) => BatchEnd::Cancelled,
        Err(message) => BatchEnd::Failed { message },
    }
}

/// The written files, or None when cancelled.
fn print_batch(
    app: &AppHandle,
    cancel: &AtomicBool,
    order: &BatchOrder,
) -> Result<Option<Vec<PathBuf>>, String> {
    let store = app.state::<OpenStore>();
    let desk = app.state::<LetterDesk>();
    let set = letter_set(&*store.lock()?, &desk)?;
    let day = today();
    let total = order.urns.len();
    tell(app, PROGRESS_EVENT, BatchProgress { done: 0, total });

    // Drafted school by school, so the window's own commands get the store
    // between two schools.
    let mut drafted = Vec::with_capacity(total);
    for urn in &order.urns {
        if cancel.load(Ordering::SeqCst) {
            return Ok(None);
        }
        let material = store.lock()?.letter_material(*urn).map_err(message)?;
        let named = |error: String| format!("{} (URN {}): {error}", material.school.name, urn);
        let request = DraftRequest {
            id: Uuid::now_v7(),
            kind: order.kind,
            today: day,
            visit: None,
            indicators: None,
            terms: None,
        };
        let letter = set
            .draft(&material, request)
            .map_err(message)
            .map_err(named)?;
        if order.issue {
            letter.check_complete().map_err(message).map_err(named)?;
        }
        drafted.push(Printable { letter, material });
    }

    let done = AtomicUsize::new(0);
    let printed = || {
        let done = done.fetch_add(1, Ordering::SeqCst) + 1;
        tell(app, PROGRESS_EVENT, BatchProgress { done, total });
    };
    let typesetter = desk.typesetter()?;
    let pdfs = match set.print_all(&typesetter, &drafted, &printed, cancel) {
        Ok(pdfs) => pdfs,
        Err(caseload_docs::letters::batch::BatchError::Cancelled) => return Ok(None),
        Err(error) => return Err(message(error)),
    };
    if cancel.load(Ordering::SeqCst) {
        return Ok(None);
    }

    std::fs::create_dir_all(&order.folder).map_err(|error| {
        format!(
            "cannot create the folder {}: {error}",
            order.folder.display()
        )
    })?;
    let staged = drafted
        .iter()
        .zip(&pdfs)
        .map(|(printable, pdf)| {
            let letter = &printable.letter;
            let name = format!("{}-{}-{}.pdf", letter.urn, letter.kind, letter.dated);
            let path = order.folder.join(name);
            Staged::write(&path, pdf)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if order.issue {
        let letters: Vec<(&Letter, &[u8])> = drafted
            .iter()
            .zip(&pdfs)
            .map(|(printable, pdf)| (&printable.letter, pdf.as_slice()))
            .collect();
        store.lock()?.issue_letters(&letters).map_err(message)?;
    }
    staged
        .into_iter()
        .map(|staged| {
            staged
                .persist()
                .map_err(|error| format!("cannot move a written letter into place: {error}"))
        })
        .collect::<Result<Vec<_>, String>>()
        .map(Some)
}

/// Sends an event to the window; one it cannot take is only logged.
fn tell<T: Serialize + Clone>(app: &AppHandle, event: &str, payload: T) {
    if let Err(error) = app.emit(event, payload) {
        eprintln!("Caseload could not tell the window {event}: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_set_is_read_again_once_a_file_beside_the_store_changes() {
        let home = std::env::temp_dir().join(format!("caseload-desk-{}", Uuid::now_v7()));
        let folder = home.join("letters");
        std::fs::create_dir_all(&folder).expect("letters folder");
        let store = home.join("caseload.sqlite3");
        let desk = LetterDesk::default();

        let shipped = desk.letter_set(&store).expect("the shipped letters");
        let again = desk.letter_set(&store).expect("the same letters");
        assert!(
            Arc::ptr_eq(&shipped, &again),
            "read again with nothing changed"
        );

        let broken = folder.join("indicators.toml");
        std::fs::write(&broken, "[[indicator]\nid = ").expect("a broken file");
        let error = desk
            .letter_set(&store)
            .expect_err("a broken file beside the store is reported");
        assert!(error.contains("indicators.toml"), "{error}");

        std::fs::remove_file(&broken).expect("removed");
        let mended = desk.letter_set(&store).expect("the shipped letters again");
        assert_eq!(mended.catalogue, shipped.catalogue);
        std::fs::remove_dir_all(&home).expect("cleaned up");
    }
}

//! `caseload`: the adviser's store from a terminal.
//!
//! The same store and rules as the desktop app, for importing, listing and
//! exporting in scripts, and for driving the app's data in tests. Every
//! command is a thin layer over `caseload-store`; errors go to stderr with a
//! non-zero exit status.

mod academy;
mod audit;
mod authority;
mod calendar;
mod dashboard;
mod letters;
mod msp;
mod performance;
mod scoring;
mod sync;
mod text;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use caseload_core::criteria::SupportCategory;
use caseload_core::letter::LetterKind;
use caseload_core::review::Review;
use caseload_core::scoring::{score, Override};
use caseload_core::visit::{AreaNote, Session, Visit, VisitKind};
use caseload_core::{AcademicYear, LaCode, Urn};
use caseload_docs::letters::LetterSet;
use caseload_store::keys::{self, KeySource, Resolved};
use caseload_store::views::SchoolScope;
use caseload_store::{
    criteria_folder, criteria_set, default_store_path, letters_folder, Store, StoreError, StoreKey,
    DEFAULT_CRITERIA_SET,
};
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use uuid::Uuid;

#[derive(Parser)]
#[command(
    name = "caseload",
    version,
    about = "A School Improvement Adviser's caseload, from the terminal"
)]
struct Cli {
    /// The store file [default: the desktop app's store in the platform data folder]
    #[arg(long, global = true, env = "CASELOAD_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the store if it does not exist, and say where it is
    Init,
    /// Load the demo caseload (Fenbridge City Council) into an empty store
    Demo {
        /// Open the demo as this of its advisers (email or id), e.g.
        /// margaret.okonjo@fenbridge.example, its Senior SIA; on a store
        /// already holding the demo, only switches adviser
        #[arg(long = "as", value_name = "ADVISER")]
        as_adviser: Option<String>,
    },
    /// Import records from a file
    #[command(subcommand)]
    Import(Import),
    /// List schools
    Schools {
        /// Only the open schools linked to the current adviser
        #[arg(long)]
        caseload: bool,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show one school's profile, contacts and inspections
    School {
        urn: Urn,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// List the statements of a criteria set, with their ids
    Criteria {
        /// The set's id [default: the authority's own criteria, peterborough-2022]
        #[arg(long, value_name = "ID")]
        set: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Score marked statements by best fit: FILE is {"set": ID, "marked": [statement id, ...]}
    Score {
        file: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Record a review of a school's support category from marked statements
    /// (FILE as for `score`): a draft, or agreed at once with --agree
    Review {
        urn: Urn,
        file: PathBuf,
        /// The review's date [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Agree the review now: it is scored, kept, and never changes again
        #[arg(long)]
        agree: bool,
        /// Overrule the computed category (low, medium or high); needs --rationale
        #[arg(
            long,
            value_name = "CATEGORY",
            requires = "rationale",
            requires = "agree"
        )]
        overrule: Option<SupportCategory>,
        /// Why the computed category is overruled
        #[arg(long, value_name = "TEXT", requires = "overrule")]
        rationale: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// A school's agreed reviews, oldest first, with the direction of travel
    History {
        urn: Urn,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Visits owed on a day: per school, each term or half-term due, done or overdue
    Due {
        /// The day to look from [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Every school in the store, not only the current adviser's caseload
        #[arg(long)]
        all: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// This term's figures for the caseload, each with the schools behind it (the app's home page)
    Dashboard {
        /// The day to look from [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// The authority-wide view, for Senior SIAs, the Strategic Lead for Governance and
    /// administrators: every school by category, phase, ward and link SIA, direction of travel,
    /// good or better against the target, overdue visits, MSP groups, warning notices, academy
    /// concerns
    Authority {
        /// The day to look from [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Also write every school's row to this CSV file, for the scrutiny committee
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Also write the report for the scrutiny committee to this PDF file
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
    /// Record half-day visits
    #[command(subcommand)]
    Visit(VisitCommand),
    /// List visits, oldest first
    Visits {
        /// Only this school's visits
        #[arg(long)]
        urn: Option<Urn>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Record agreed actions
    #[command(subcommand)]
    Action(ActionCommand),
    /// List agreed actions, soonest due first
    Actions {
        /// Only this school's actions
        #[arg(long)]
        urn: Option<Urn>,
        /// Only open actions past their due date
        #[arg(long)]
        overdue: bool,
        /// The day that decides what is overdue [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Search visit notes and actions
    Search {
        text: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write the planned visits and MSP meetings as one iCalendar file, or
    /// keep one beside the store for a calendar app to subscribe to
    #[command(group(clap::ArgGroup::new("where").required(true)))]
    Calendar {
        /// Write the calendar once to this file
        #[arg(long, value_name = "FILE.ics", group = "where")]
        out: Option<PathBuf>,
        /// Keep the calendar file beside the store up to date from now on
        /// (every change to the diary rewrites it) and print its path
        #[arg(long, group = "where")]
        subscription: bool,
    },
    /// Put a school on the enhanced offer (up to six visits in the year)
    EnhancedOffer {
        urn: Urn,
        /// The academic year, as 2026/27 [default: this year]
        #[arg(long, value_name = "YYYY/YY", value_parser = parse_academic_year)]
        year: Option<AcademicYear>,
    },
    /// Write a letter or document for one school as PDF (a preview unless --issue)
    Letter {
        #[arg(long)]
        urn: Urn,
        /// congratulations, significant-concerns, warning-notice, academy-concern,
        /// visit-note, member-alert or school-on-a-page
        #[arg(long)]
        kind: LetterKind,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// For a note of visit: the finalised visit [default: the latest]
        #[arg(long)]
        visit: Option<Uuid>,
        #[command(flatten)]
        options: LetterOptions,
    },
    /// Write one letter per school as PDF into a folder
    Letters {
        #[arg(long)]
        kind: LetterKind,
        /// A file of URNs, one per line
        #[arg(long, value_name = "FILE", required_unless_present = "all_eligible")]
        schools: Option<PathBuf>,
        /// Every school in the caseload the records say the letter is due for
        #[arg(long, conflicts_with = "schools")]
        all_eligible: bool,
        /// The folder to write URN-kind.pdf files into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        options: LetterOptions,
    },
    /// The letters the records say are due, with the indicators to cite
    LettersDue {
        /// Only this school [default: the caseload]
        #[arg(long)]
        urn: Option<Urn>,
        /// The day to look from [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<NaiveDate>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write an issued letter's PDF again, byte for byte as issued
    Reprint {
        /// The letter's id
        id: Uuid,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Write a consistent copy of the store to FILE, even while the app is open
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Replace the store with a backup, once the backup is checked (close the app first);
    /// the replaced store is kept beside it as STORE.before-restore
    Restore {
        file: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Monitoring Support Partnership groups for schools in high support:
    /// meetings, confidential minutes, summary key points for governors
    #[command(subcommand)]
    Msp(msp::MspCommand),
    /// Concerns about academies and free schools and their escalation;
    /// complaints, whistleblowing and safeguarding concerns raised with the authority
    #[command(subcommand, name = "academy-concern")]
    AcademyConcern(academy::AcademyCommand),
    /// Enrol this store with the office, with the one-time code the office gave you
    Enrol {
        /// The office's address, as https://office.example
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long)]
        code: String,
        /// How the office lists this device [default: caseload (terminal)]
        #[arg(long)]
        name: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Push this store's changes to the office and pull what changed there
    Sync {
        /// The office's address, if it has moved since enrolment (kept for next time)
        #[arg(long, value_name = "URL")]
        server: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// A school's audit trail: who changed it and its records (visits,
    /// actions, reviews, letters, MSP records), when, on which device, from
    /// what to what, newest first
    Audit {
        #[arg(long)]
        urn: Urn,
        /// Print JSON instead of text (values whole)
        #[arg(long)]
        json: bool,
    },
    /// Values kept because someone else changed the same field at the same time
    Conflicts {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write the whole store as JSON to standard output
    Export {
        /// JSON is the export's only format; the flag says so in scripts
        #[arg(long, required = true)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct LetterOptions {
    /// Cite this indicator (an id from assets/letters/indicators.toml); repeat
    /// for more [default: those the records make apply]
    #[arg(long = "indicator", value_name = "ID")]
    indicators: Vec<String>,
    /// The letter's date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<NaiveDate>,
    /// Issue it: record the letter, frozen, with its PDF and SHA-256
    #[arg(long)]
    issue: bool,
}

impl LetterOptions {
    fn order(self, kind: LetterKind, visit: Option<Uuid>) -> letters::LetterOrder {
        letters::LetterOrder {
            kind,
            today: self.date.unwrap_or_else(today),
            visit,
            indicators: self.indicators,
            issue: self.issue,
        }
    }
}

#[derive(Subcommand)]
enum Import {
    /// The DfE "Get Information about Schools" establishment file (edubasealldata*.csv)
    Schools {
        file: PathBuf,
        /// Keep only this local authority's establishments (three-digit code)
        #[arg(long, value_name = "CODE")]
        la: Option<LaCode>,
    },
    /// School performance figures: a DfE performance-table file (england_ks2final.csv,
    /// england_ks4final.csv, england_abs.csv ...) or the long layout
    /// urn,year,measure,value,la,national
    Performance {
        file: PathBuf,
        /// The academic year of a file without a year column, as 2023/24 or 202324
        #[arg(long, value_name = "YEAR", value_parser = caseload_core::performance::parse_year)]
        year: Option<AcademicYear>,
    },
}

#[derive(Subcommand)]
enum VisitCommand {
    /// Plan a visit, or record one that took place by giving its notes
    Add {
        #[arg(long)]
        urn: Urn,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
        /// am or pm
        #[arg(long)]
        session: Session,
        /// core, bespoke, enhanced-offer, monitoring or external-review
        #[arg(long)]
        kind: VisitKind,
        /// A text file of the visit's notes: the visit is then under way (a draft)
        #[arg(long, value_name = "FILE")]
        notes: Option<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Replace a visit's notes with a text file, as the app's autosave does
    Notes {
        /// The visit's id (as `caseload visits` lists it)
        #[arg(long)]
        visit: Uuid,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Finalise a visit: from then on it never changes
    Finalise {
        #[arg(long)]
        visit: Uuid,
    },
}

#[derive(Subcommand)]
enum ActionCommand {
    /// Record an action agreed at a visit
    Add {
        /// The visit's id (as `caseload visits` lists it)
        #[arg(long)]
        visit: Uuid,
        #[arg(long)]
        text: String,
        /// A named person at the school or the authority
        #[arg(long)]
        owner: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        due: NaiveDate,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

fn parse_academic_year(text: &str) -> Result<AcademicYear, String> {
    AcademicYear::parse(text)
        .ok_or_else(|| format!("{text:?} is not an academic year like 2026/27"))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caseload: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints `value` as JSON, or as the text `render` makes of it.
fn emit(
    out: &mut impl Write,
    json: bool,
    value: &impl serde::Serialize,
    render: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, value)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", render())?;
    }
    Ok(())
}

/// The store's key: `CASELOAD_PASSPHRASE`, else this computer's keyring
/// (see `caseload_store::keys`). A terminal is never asked for a passphrase.
fn store_key(path: &Path) -> anyhow::Result<(StoreKey, KeySource)> {
    match keys::resolve(path, keys::passphrase_from_env(), &keys::OsKeyring)? {
        Resolved::Key { key, source } => Ok((key, source)),
        Resolved::AskPassphrase(ask) => bail!(keys::how_to_give_a_key(path, ask)),
    }
}

/// The store at `path`, opened with its key; a wrong key is explained with
/// where the key came from, and the file is left as it was.
pub(crate) fn open_store(path: &Path) -> anyhow::Result<Store> {
    let (key, source) = store_key(path)?;
    let mut store = Store::open(path, &key).map_err(|error| match error {
        StoreError::WrongKey(_) => {
            let remedy = match source {
                KeySource::Keyring => format!(
                    "If it was encrypted with a passphrase, set {} to it",
                    keys::PASSPHRASE_VAR
                ),
                KeySource::Environment => {
                    format!("Set {} to the store's passphrase", keys::PASSPHRASE_VAR)
                }
            };
            anyhow::anyhow!(
                "cannot open the store {}: {} does not open it (or the file is not a Caseload \
                 store); the file was not changed. {remedy}",
                path.display(),
                source.describe(),
            )
        }
        error => error.into(),
    })?;
    calendar::keep_subscription(&mut store);
    Ok(store)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let path = match cli.db {
        Some(path) => path,
        None => default_store_path()?,
    };
    let open = || open_store(&path);
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Init => {
            let device = open()?.device();
            writeln!(out, "Store ready at {} (device {device})", path.display())?;
        }
        Command::Demo { as_adviser } => {
            let mut store = open()?;
            let switched = as_adviser.is_some();
            let status = match as_adviser {
                None => store.load_demo()?,
                Some(adviser) => {
                    if !store.holds_demo()? {
                        store.load_demo()?;
                    }
                    store.switch_demo_adviser(&adviser)?
                }
            };
            writeln!(out, "{}", text::demo_loaded(&status))?;
            if let Some(adviser) = status.adviser.as_ref().filter(|_| switched) {
                writeln!(out, "Opened as {}, {}.", adviser.name, adviser.role_label)?;
            }
        }
        Command::Import(Import::Schools { file, la }) => {
            let summary = open()?
                .import_gias_file(&file, la)
                .with_context(|| format!("importing schools into {}", path.display()))?;
            for warning in &summary.warnings {
                eprintln!("warning: {warning}");
            }
            writeln!(out, "{}", text::import_summary(&summary))?;
        }
        Command::Import(Import::Performance { file, year }) => {
            let summary = open()?
                .import_performance_file(&file, year)
                .with_context(|| {
                    format!("importing performance figures into {}", path.display())
                })?;
            writeln!(out, "{}", performance::import_summary(&summary))?;
        }
        Command::Schools { caseload, json } => {
            let scope = if caseload {
                SchoolScope::Caseload
            } else {
                SchoolScope::All
            };
            let rows = open()?.school_rows(scope)?;
            emit(&mut out, json, &rows, || text::school_table(&rows))?;
        }
        Command::School { urn, json } => {
            let profile = open()?.school_profile(urn)?;
            emit(&mut out, json, &profile, || text::school_profile(&profile))?;
        }
        Command::Criteria { set, json } => {
            let set = criteria_set(
                &criteria_folder(&path),
                set.as_deref().unwrap_or(DEFAULT_CRITERIA_SET),
            )?;
            emit(&mut out, json, &set, || text::criteria(&set))?;
        }
        Command::Score { file, json } => {
            let request = scoring::read_request(&file)?;
            let set = criteria_set(&criteria_folder(&path), &request.set)?;
            let card = score(&set, &request.marks())
                .with_context(|| format!("scoring {}", file.display()))?;
            emit(&mut out, json, &card, || text::scorecard(&card))?;
        }
        Command::Review {
            urn,
            file,
            date,
            agree,
            overrule,
            rationale,
            json,
        } => {
            let request = scoring::read_request(&file)?;
            let mut review = Review::draft(
                Uuid::now_v7(),
                urn,
                &request.set,
                date.unwrap_or_else(today),
            );
            let mut store = open()?;
            review.adviser = store.current_adviser_id()?;
            review.remark(request.marks())?;
            if agree {
                let set = criteria_set(&criteria_folder(&path), &request.set)?;
                let overridden = overrule.map(|category| Override {
                    category,
                    rationale: rationale.unwrap_or_default(),
                });
                review.agree(&set, overridden)?;
            }
            store.save_review(&review)?;
            emit(&mut out, json, &review, || text::review_saved(&review))?;
        }
        Command::History { urn, json } => {
            let entries = open()?.review_history(urn)?;
            emit(&mut out, json, &entries, || text::history(&entries))?;
        }
        Command::Due { date, all, json } => {
            let scope = if all {
                SchoolScope::All
            } else {
                SchoolScope::Caseload
            };
            let day = date.unwrap_or_else(today);
            let due = open()?.visits_due_on(day, scope)?;
            emit(&mut out, json, &due, || text::visits_due(day, &due))?;
        }
        Command::Authority {
            date,
            json,
            csv,
            pdf,
        } => {
            let exports = authority::Exports {
                csv,
                pdf,
                letters: letters_folder(&path),
            };
            let day = date.unwrap_or_else(today);
            authority::run(&mut out, &open()?, day, json, &exports)?;
        }
        Command::Dashboard { date, json } => {
            let store = open()?;
            let set = LetterSet::with_folder(&letters_folder(&path))?;
            let board = store.dashboard_on(date.unwrap_or_else(today), &set.catalogue)?;
            emit(&mut out, json, &board, || dashboard::text(&board))?;
        }
        Command::Visit(VisitCommand::Add {
            urn,
            date,
            session,
            kind,
            notes,
            json,
        }) => {
            let mut store = open()?;
            let mut visit = Visit::plan(Uuid::now_v7(), urn, date, session, kind);
            visit.adviser = store.current_adviser_id()?;
            if let Some(file) = notes {
                let notes = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read the notes file {}", file.display()))?;
                visit.edit(|visit| visit.notes = vec![AreaNote::general(notes)])?;
            }
            store.save_visit(&visit)?;
            emit(&mut out, json, &visit, || text::visit_saved(&visit))?;
        }
        Command::Visit(VisitCommand::Notes { visit, file }) => {
            let notes = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read the notes file {}", file.display()))?;
            let mut store = open()?;
            let mut saved = store
                .visit(visit)?
                .with_context(|| format!("no visit {visit} in the store"))?;
            saved.notes = vec![AreaNote::general(notes)];
            store.save_visit_draft(saved)?;
            writeln!(out, "Notes of visit {visit} saved.")?;
        }
        Command::Visit(VisitCommand::Finalise { visit }) => {
            open()?.finalise_visit(visit)?;
            writeln!(out, "Visit {visit} finalised.")?;
        }
        Command::Visits { urn, json } => {
            let visits = open()?.visits(urn)?;
            emit(&mut out, json, &visits, || text::visits(&visits))?;
        }
        Command::Action(ActionCommand::Add {
            visit,
            text,
            owner,
            due,
            json,
        }) => {
            let action = open()?.agree_action(visit, &text, &owner, due)?;
            emit(&mut out, json, &action, || text::action_saved(&action))?;
        }
        Command::Actions {
            urn,
            overdue,
            date,
            json,
        } => {
            let day = date.unwrap_or_else(today);
            let mut actions = open()?.actions(urn)?;
            if overdue {
                actions.retain(|action| action.is_overdue(day));
            }
            emit(&mut out, json, &actions, || text::actions(&actions, day))?;
        }
        Command::Search { text, json } => {
            let hits = open()?.search(&text)?;
            emit(&mut out, json, &hits, || text::search_hits(&hits))?;
        }
        Command::Calendar {
            out: Some(file), ..
        } => calendar::export(&open()?, &file, &mut out)?,
        Command::Calendar { out: None, .. } => calendar::subscribe(&open()?, &mut out)?,
        Command::Letter {
            urn,
            kind,
            out: file,
            visit,
            options,
        } => {
            let mut store = open()?;
            let set = LetterSet::with_folder(&letters_folder(&path))?;
            let order = options.order(kind, visit);
            let letter = letters::one(&mut store, &set, urn, &order, &file)?;
            writeln!(out, "{}", text::letter_written(&letter, &file, order.issue))?;
        }
        Command::Letters {
            kind,
            schools,
            out: folder,
            options,
            ..
        } => {
            let mut store = open()?;
            let set = LetterSet::with_folder(&letters_folder(&path))?;
            let order = options.order(kind, None);
            let urns = match schools {
                Some(file) => letters::read_schools(&file)?,
                None => store.letters_eligible(&set.catalogue, kind, order.today)?,
            };
            let written = letters::batch(&mut store, &set, &urns, &order, &folder)?;
            writeln!(
                out,
                "{}",
                text::letters_written(written.len(), &folder, order.issue)
            )?;
        }
        Command::LettersDue { urn, date, json } => {
            let store = open()?;
            let set = LetterSet::with_folder(&letters_folder(&path))?;
            let scope = match urn {
                Some(urn) => vec![urn],
                None => store
                    .schools(SchoolScope::Caseload)?
                    .iter()
                    .map(|school| school.urn)
                    .collect(),
            };
            let due = store.letters_due(&set.catalogue, &scope, date.unwrap_or_else(today))?;
            emit(&mut out, json, &due, || text::letters_due(&due))?;
        }
        Command::Reprint { id, out: file } => {
            let store = open()?;
            let pdf = store.issued_pdf(id)?.with_context(|| {
                format!("letter {id} has not been issued: only issued letters are re-printed")
            })?;
            letters::write_atomically(&file, &pdf)?;
            writeln!(out, "Letter {id} written to {} as issued.", file.display())?;
        }
        Command::Backup { out: file, json } => {
            let summary = open()?.backup_to(&file)?;
            emit(&mut out, json, &summary, || {
                text::backup("Backed up", &summary)
            })?;
        }
        Command::Restore { file, json } => {
            let (key, _) = store_key(&path)?;
            let summary = caseload_store::restore(&path, &file, &key)?;
            emit(&mut out, json, &summary, || {
                text::backup("Restored", &summary)
            })?;
        }
        Command::EnhancedOffer { urn, year } => {
            let year = year.unwrap_or_else(|| AcademicYear::of(today()));
            open()?.add_enhanced_offer(urn, year)?;
            writeln!(out, "School {urn} is on the enhanced offer for {year}.")?;
        }
        Command::Msp(command) => msp::run(command, &path, &mut out)?,
        Command::AcademyConcern(command) => academy::run(command, &path, &mut out)?,
        Command::Enrol {
            server,
            code,
            name,
            json,
        } => sync::enrol(&path, &server, &code, name, json, &mut out)?,
        Command::Sync { server, json } => sync::sync(&path, server, json, &mut out)?,
        Command::Audit { urn, json } => audit::school_audit(&path, urn, json, &mut out)?,
        Command::Conflicts { json } => sync::conflicts(&path, json, &mut out)?,
        Command::Export { json: _ } => {
            serde_json::to_writer_pretty(&mut out, &open()?.export()?)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

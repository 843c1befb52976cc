//! Everything that can go wrong in the store, worded for the person who
//! has to act on it.

use std::path::PathBuf;

use caseload_core::academy::AcademyError;
use caseload_core::action::ActionError;
use caseload_core::authority::{AuthorityError, TargetError};
use caseload_core::criteria::CriteriaError;
use caseload_core::gias::GiasError;
use caseload_core::letter::LetterError;
use caseload_core::msp::MspError;
use caseload_core::performance::PerformanceError;
use caseload_core::review::ReviewError;
use caseload_core::visit::VisitError;
use caseload_core::Urn;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "cannot open the store {0}: it is encrypted and the key or passphrase given does not \
         open it (or the file is not a Caseload store); the file was not changed. Give the \
         store's passphrase in CASELOAD_PASSPHRASE, or in the window when the app asks for it"
    )]
    WrongKey(PathBuf),
    #[error("cannot encrypt the unencrypted store {path}: {problem}; it is as it was")]
    Encrypt { path: PathBuf, problem: String },
    #[error("{0}")]
    Key(String),
    #[error("cannot create the folder {path}: {source}")]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no data folder is known on this system: set CASELOAD_DB to the store's path")]
    NoDataFolder,
    #[error("this store was written by a newer version of Caseload (schema version {version}): update the app")]
    NewerSchema { version: u32 },
    #[error(
        "schema migration {version} ({name}) has changed since it was applied to this store; \
         refusing to open a store whose schema may differ from this version's"
    )]
    MigrationChanged { version: u32, name: &'static str },
    #[error("schema migration {version} failed; the store is unchanged: {source}")]
    MigrationFailed {
        version: u32,
        source: rusqlite::Error,
    },
    #[error("{file}: {error}; nothing was imported")]
    Import { file: String, error: GiasError },
    #[error("{file}: {error}; nothing was imported")]
    Performance {
        file: String,
        error: PerformanceError,
    },
    #[error("{file}: {error}")]
    Criteria { file: String, error: CriteriaError },
    #[error("there is no criteria set {id:?}; the sets are: {known}")]
    UnknownCriteriaSet { id: String, known: String },
    #[error("the demo caseload is damaged: {0}")]
    Demo(String),
    #[error("the store already holds {schools} schools; the demo caseload loads only into an empty store")]
    NotEmpty { schools: usize },
    #[error("this store does not hold the demo caseload: its adviser is the one it was enrolled for and cannot be switched")]
    NotDemo,
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Visit(#[from] VisitError),
    #[error("no visit {0} in the store")]
    VisitNotFound(uuid::Uuid),
    #[error(transparent)]
    Action(#[from] ActionError),
    #[error("no action {0} in the store")]
    ActionNotFound(uuid::Uuid),
    #[error(transparent)]
    Letter(#[from] LetterError),
    #[error("no letter {0} in the store")]
    LetterNotFound(uuid::Uuid),
    #[error("the letter changed since its PDF was made: preview it again before issuing")]
    LetterChanged,
    #[error("the stored PDF of letter {0} does not match the SHA-256 recorded when it was issued")]
    PdfAltered(uuid::Uuid),
    #[error("backup {file}: {problem}; nothing was changed")]
    Backup { file: PathBuf, problem: String },
    #[error(
        "the store {0} is in use by another program (is the app open?): close it and try again"
    )]
    InUse(PathBuf),
    #[error(transparent)]
    Msp(#[from] MspError),
    #[error("no MSP group {0} in the store")]
    MspGroupNotFound(uuid::Uuid),
    #[error("no MSP meeting {0} in the store")]
    MspMeetingNotFound(uuid::Uuid),
    #[error("no adviser {0:?} in the store: give an adviser's email or id")]
    AdviserNotFound(String),
    #[error("the minutes of the meeting of {0} are not approved: only approved minutes and summaries are kept")]
    MspNotApproved(chrono::NaiveDate),
    #[error("the kept {document} PDF of MSP meeting {meeting} does not match the SHA-256 recorded when it was kept")]
    MspPdfAltered {
        meeting: uuid::Uuid,
        document: &'static str,
    },
    #[error(transparent)]
    Academy(#[from] AcademyError),
    #[error("no academy concern {0} in the store")]
    AcademyConcernNotFound(uuid::Uuid),
    #[error("no academy report {0} in the store")]
    AcademyReportNotFound(uuid::Uuid),
    #[error("no school with URN {0} in the store")]
    SchoolNotFound(Urn),
    #[error("no notice {0} of a school or MSP group leaving this device is waiting to be read")]
    WithdrawnNoticeNotFound(i64),
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    #[error("{file}: {error}")]
    AuthorityTarget {
        file: &'static str,
        error: TargetError,
    },
    #[error("{entity} has no field {field:?}")]
    UnknownField { entity: String, field: String },
    #[error("{entity}.{field}: {value} is not of the declared type")]
    FieldType {
        entity: String,
        field: &'static str,
        value: String,
    },
    #[error(
        "this store is not enrolled with an office: enrol it with a code from the office first"
    )]
    NotEnrolled,
    #[error(
        "this store holds the demo caseload, which must not reach the office: enrol a new, empty store (another --store folder) instead"
    )]
    HoldsDemo,
    #[error(
        "this store is connected to the office, so the demo caseload cannot be loaded into it: \
         its made-up records would reach the office. Your caseload arrives with the sync"
    )]
    DemoWhenEnrolled,
    #[error("the office's answer cannot be applied, so nothing was changed: {0}")]
    SyncAnswer(String),
    #[error("the store is damaged: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

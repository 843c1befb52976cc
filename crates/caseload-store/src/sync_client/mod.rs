//! The sync client: enrolment with a one-time code, and a sync — push the
//! outbox, then pull every page — over HTTP(S) to the office.
//!
//! A sync can stop at any byte and start again: operations keep their ids
//! (the office applies each once), the outbox loses an operation only in the
//! transaction that keeps the office's answer to it, and the cursor moves
//! only in the transaction that applies its page. The store is held only
//! while a batch is read or an answer written, never across a request, so
//! the app keeps saving while a sync waits on the network.
//!
//! It reports progress through a callback and prints nothing: the CLI and
//! the desktop app draw it.

mod http;

use std::sync::{mpsc, Mutex, PoisonError};

use caseload_core::sync::{EnrolRequest, Enrolled, PullResponse, PROTOCOL_VERSION};
use serde::Serialize;
use thiserror::Error;

pub use http::{office_url, OfficeClient, Retry};

use crate::{RefusedOperation, Store, StoreError, WithdrawnNotice};

/// Why a sync or an enrolment did not finish. What had been applied stays.
#[derive(Debug, Error)]
pub enum SyncError {
    /// No answer after every try: the device is offline, or the office down.
    #[error("the office at {url} cannot be reached: {reason}")]
    Unreachable { url: String, reason: String },
    /// The office answered with an error (`unauthorised`, `protocol-version`...).
    #[error("the office refused: {message}")]
    Office {
        status: u16,
        code: String,
        message: String,
    },
    /// Something answered, but not in Caseload's protocol.
    #[error("the office at {url} answered something Caseload cannot read ({reason})")]
    BadAnswer { url: String, reason: String },
    #[error("{0}")]
    BadUrl(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// True when the office could not be reached at all: the app says
    /// "offline", not "error".
    pub fn is_offline(&self) -> bool {
        matches!(self, SyncError::Unreachable { .. })
    }
}

/// How far a sync has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "kebab-case")]
pub enum Progress {
    /// Outbox rows answered so far, of those waiting when the sync began.
    Pushing { done: u64, total: u64 },
    /// Records pulled so far (the office does not say how many remain).
    Pulling { records: u64 },
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// Operations sent.
    pub pushed: usize,
    pub applied: usize,
    /// Applied by an earlier sync whose answer was lost.
    pub duplicate: usize,
    /// Refused by the office, with why: the adviser sees these.
    pub refused: Vec<RefusedOperation>,
    /// Records pulled.
    pub pulled: usize,
    /// Schools and MSP groups the office took away, gone from this device.
    pub withdrawn: Vec<WithdrawnNotice>,
    /// Fields with a value kept as a conflict, after the sync.
    pub conflicts: usize,
    /// When it finished (RFC 3339, UTC).
    pub synced_at: String,
}

/// Settings of one sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The office's address, when it has moved since enrolment (kept).
    pub server: Option<String>,
    pub retry: Retry,
    /// Operations per push.
    pub push_batch: usize,
    /// Changes per pulled page (the office caps it at 1,000).
    pub pull_limit: u32,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            server: None,
            retry: Retry::default(),
            push_batch: 500,
            pull_limit: 500,
        }
    }
}

/// Somewhere a sync can borrow the store from for a moment: the CLI's own
/// store, or the desktop app's, shared behind a mutex.
pub trait StoreAccess {
    fn with_store<R>(&mut self, work: impl FnOnce(&mut Store) -> R) -> R;
}

impl StoreAccess for &mut Store {
    fn with_store<R>(&mut self, work: impl FnOnce(&mut Store) -> R) -> R {
        work(self)
    }
}

impl StoreAccess for &Mutex<Store> {
    fn with_store<R>(&mut self, work: impl FnOnce(&mut Store) -> R) -> R {
        // A panic elsewhere left no half-written transaction: SQLite rolled
        // it back, so the store is still good to use.
        let mut store = self.lock().unwrap_or_else(PoisonError::into_inner);
        work(&mut store)
    }
}

/// Enrols the store with the office at `server` using the one-time `code`
/// its adviser was given; `name` is how the office lists this device.
pub fn enrol(
    store: &mut Store,
    server: &str,
    code: &str,
    name: &str,
    retry: Retry,
) -> Result<Enrolled, SyncError> {
    // Refused before the code is spent, so the adviser can use it on a new store.
    if store.holds_demo()? {
        return Err(StoreError::HoldsDemo.into());
    }
    let client = OfficeClient::new(server, retry)?;
    let enrolled = client.enrol(&EnrolRequest {
        protocol: PROTOCOL_VERSION,
        code: code.to_owned(),
        device: store.device(),
        name: name.to_owned(),
    })?;
    store.record_enrolment(client.url(), &enrolled)?;
    Ok(enrolled)
}

/// Pushes the outbox (the operations waiting when it starts, oldest first),
/// then pulls every page after the cursor.
pub fn sync(
    mut access: impl StoreAccess,
    options: &SyncOptions,
    mut progress: impl FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    let enrolment = access
        .with_store(|store| store.enrolment())?
        .ok_or(StoreError::NotEnrolled)?;
    let client = OfficeClient::new(
        options.server.as_deref().unwrap_or(&enrolment.url),
        options.retry,
    )?;
    if client.url() != enrolment.url {
        access.with_store(|store| store.set_office_url(client.url()))?;
    }
    let token = enrolment.token;
    let (mark, total) = access
        .with_store(|store| Ok::<_, StoreError>((store.outbox_mark()?, store.outbox_len()?)))?;
    let mut report = SyncReport::default();
    let mut done = 0;
    progress(Progress::Pushing { done, total });
    loop {
        let batch = access.with_store(|store| store.push_batch(options.push_batch, mark))?;
        if batch.is_empty() {
            break;
        }
        let results = if batch.operations.is_empty() {
            Vec::new()
        } else {
            client.push(&token, &batch.operations)?.results
        };
        let tally = access.with_store(|store| store.record_push_results(&batch, &results))?;
        report.pushed += batch.operations.len();
        report.applied += tally.applied;
        report.duplicate += tally.duplicate;
        report.refused.extend(tally.refused);
        done += batch.rows() as u64;
        progress(Progress::Pushing {
            done: done.min(total),
            total,
        });
    }
    let mut after = access
        .with_store(|store| store.enrolment())?
        .ok_or(StoreError::NotEnrolled)?
        .cursor;
    access.with_store(|store| store.begin_pull())?;
    let pulled = (|| {
        for page in prefetch_pages(client, token, after, options.pull_limit) {
            let page = page?;
            let tally = access.with_store(|store| store.apply_pull_page(after, &page))?;
            report.pulled += tally.changes;
            progress(Progress::Pulling {
                records: report.pulled as u64,
            });
            after = tally.cursor;
            report.withdrawn.extend(tally.withdrawn);
        }
        Ok::<_, SyncError>(())
    })();
    // Ended whether or not every page came, so the store checkpoints again.
    let ended = access.with_store(|store| store.end_pull());
    pulled?;
    ended?;
    report.synced_at = access.with_store(|store| store.record_synced())?;
    report.conflicts = access.with_store(|store| store.conflicts())?.len();
    Ok(report)
}

/// Every page after `after`, in order, fetched on a thread of their own one
/// page ahead of the caller, so the office serves the next page while the
/// store applies this one (a first sync takes the longer of the two, not
/// their sum). The cursor still moves only as the caller applies a page;
/// a page fetched but never applied is fetched again by the next sync. A
/// failed fetch ends the pages; the caller stopping early ends the thread
/// at its next page.
fn prefetch_pages(
    client: OfficeClient,
    token: String,
    mut after: u64,
    limit: u32,
) -> mpsc::IntoIter<Result<PullResponse, SyncError>> {
    let (pages, fetched) = mpsc::sync_channel(1);
    std::thread::spawn(move || loop {
        let page = client.pull(&token, after, limit);
        let last = page.as_ref().map_or(true, |page| !page.more);
        if let Ok(page) = &page {
            after = page.cursor;
        }
        if pages.send(page).is_err() || last {
            break;
        }
    });
    fetched.into_iter()
}

//! Everything the office does, written once over the storage trait: the
//! server's endpoints and the admin commands both call these.
//!
//! Each call is one transaction on a blocking thread; what a write changes
//! is decided in [`crate::plan`].

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

use caseload_core::record;
use caseload_core::sync::{Change, OpResult, Operation, Withdrawal};
use caseload_core::{Adviser, AdviserId, AdviserRole, DeviceId, School, Urn};
use serde::Serialize;
use uuid::Uuid;

mod pushes;

use self::pushes::{write_pushes, Push, PushQueue};
use crate::access::Sender;
use crate::plan::{plan_adviser, plan_import, plan_link, Batch, ImportReport};
use crate::secrets::{EnrolCode, PresentedToken, Token};
use crate::storage::{
    self, now_millis, now_seconds, page_size, Account, AccountRow, AuditRow, Backend, DeviceRow,
    Mode, StorageError, StorageTarget, Tx,
};

/// How long an enrolment code stays good.
pub const CODE_LIFETIME_SECONDS: i64 = 14 * 24 * 60 * 60;

/// The office, over whichever backend it was opened on.
#[derive(Debug, Clone)]
pub struct Office {
    backend: Arc<dyn Backend>,
    pushes: Arc<PushQueue>,
}

/// One page of a device's pull.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub withdrawn: Vec<Withdrawal>,
    pub more: bool,
    pub cursor: u64,
}

/// How an enrolment went.
#[derive(Debug)]
pub enum Enrolment {
    Enrolled {
        adviser: Adviser,
        token: Token,
    },
    /// Unknown, used or expired, or its adviser removed: the device is told
    /// the same in every case, so a guess learns nothing.
    CodeRefused,
    /// The device id is enrolled for another adviser.
    DeviceTaken,
}

/// A new adviser and their first enrolment code.
#[derive(Debug)]
pub struct NewAdviser {
    pub adviser: Adviser,
    pub code: EnrolCode,
}

/// What removing an adviser did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Removal {
    pub devices_revoked: usize,
    pub schools_unlinked: usize,
}

impl Office {
    pub async fn open(target: &StorageTarget) -> Result<Office, StorageError> {
        Ok(Office {
            backend: storage::open(target).await?,
            pushes: Arc::default(),
        })
    }

    /// Runs `work` in one transaction on a blocking thread.
    async fn run<T, F>(&self, mode: Mode, mut work: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<T, StorageError> + Send + 'static,
    {
        let backend = Arc::clone(&self.backend);
        tokio::task::spawn_blocking(move || {
            let mut out = None;
            backend.transaction(mode, &mut |tx| {
                out = Some(work(tx)?);
                Ok(())
            })?;
            out.ok_or_else(|| StorageError::Task("the transaction gave no result".to_owned()))
        })
        .await
        .map_err(|error| StorageError::Task(error.to_string()))?
    }

    /// Answers when the store can be reached.
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.run(Mode::Read, |tx| tx.counters().map(|_| ())).await
    }

    /// The device a bearer token names, if the token is its current one and
    /// neither the device nor its adviser has been removed.
    pub async fn authenticate(
        &self,
        token: PresentedToken,
    ) -> Result<Option<Sender>, StorageError> {
        self.run(Mode::Read, move |tx| signed_in(tx, &token)).await
    }

    /// Applies a batch of operations from one device, in one transaction
    /// with whichever other devices' pushes are waiting (see [`pushes`]).
    pub async fn push(
        &self,
        sender: Sender,
        ops: Vec<Operation>,
    ) -> Result<Vec<OpResult>, StorageError> {
        let office = self.clone();
        let write = move |group: Arc<Vec<Push>>| {
            let office = office.clone();
            async move {
                office
                    .run(Mode::Write, move |tx| write_pushes(tx, &group))
                    .await
            }
        };
        self.pushes.push(Push { sender, ops }, write).await
    }

    /// The changes after `after` in the reader's scope, one page of them.
    pub async fn pull(
        &self,
        reader: Sender,
        after: u64,
        limit: u32,
    ) -> Result<PullPage, StorageError> {
        self.run(Mode::Read, move |tx| pull_page(tx, reader, after, limit))
            .await
    }

    /// A pull by whichever device the token names, its token checked in
    /// the same transaction (None if it does not check out): a device's
    /// pull costs the office one transaction, not two, and a revoked
    /// device is still refused from its next request on.
    pub async fn pull_signed_in(
        &self,
        token: PresentedToken,
        after: u64,
        limit: u32,
    ) -> Result<Option<(Sender, PullPage)>, StorageError> {
        self.run(Mode::Read, move |tx| {
            let Some(reader) = signed_in(tx, &token)? else {
                return Ok(None);
            };
            Ok(Some((reader, pull_page(tx, reader, after, limit)?)))
        })
        .await
    }

    /// The audit log of one record, oldest first: every operation a device
    /// pushed (with its account and device) and every write the office made
    /// itself (with the command), each with the values it replaced.
    pub async fn audit(&self, entity: &str, key: &str) -> Result<Vec<AuditRow>, StorageError> {
        let declared = record::entity(entity).ok_or_else(|| {
            StorageError::NotFound(format!(
                "{entity:?} is not a record type: one of {}",
                record::ENTITIES
                    .iter()
                    .map(|entity| entity.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let key = key.to_owned();
        self.run(Mode::Read, move |tx| {
            let rows = tx.audit(declared.name, &key)?;
            if rows.is_empty() && tx.record(declared.name, &key)?.is_none() {
                return Err(StorageError::NotFound(format!(
                    "the office has no {} with key {key}",
                    declared.name
                )));
            }
            Ok(rows)
        })
        .await
    }

    /// Spends a one-time code on a device.
    pub async fn enrol(
        &self,
        code: &str,
        device: DeviceId,
        name: &str,
    ) -> Result<Enrolment, StorageError> {
        let code_hash = EnrolCode::hash(code);
        let (token, token_hash) = Token::new(device)?;
        let name = match name.trim() {
            "" => "unnamed device".to_owned(),
            name => name.chars().take(100).collect(),
        };
        let outcome = self
            .run(Mode::Write, move |tx| {
                let now = now_seconds();
                let Some(code) = tx
                    .code(&code_hash)?
                    .filter(|code| code.used_at.is_none() && code.expires_at > now)
                else {
                    return Ok(Err(false));
                };
                let Some(account) = tx.account(code.adviser)?.filter(|account| account.active)
                else {
                    return Ok(Err(false));
                };
                if let Some(existing) = tx.device(device)? {
                    if existing.adviser != account.adviser.id {
                        return Ok(Err(true));
                    }
                }
                tx.spend_code(&code_hash, now)?;
                tx.put_device(&DeviceRow {
                    id: device,
                    adviser: account.adviser.id,
                    name: name.clone(),
                    enrolled_at: now,
                    revoked_at: None,
                    token_hash: token_hash.clone(),
                })?;
                Ok(Ok(account.adviser))
            })
            .await?;
        Ok(match outcome {
            Ok(adviser) => Enrolment::Enrolled { adviser, token },
            Err(false) => Enrolment::CodeRefused,
            Err(true) => Enrolment::DeviceTaken,
        })
    }

    /// Opens an account, writes the adviser into the directory, and makes
    /// their first enrolment code.
    pub async fn add_adviser(
        &self,
        name: &str,
        email: &str,
        role: AdviserRole,
    ) -> Result<NewAdviser, StorageError> {
        let name = name.trim().to_owned();
        let email = email.trim().to_owned();
        if name.is_empty() {
            return Err(StorageError::Refused("an adviser needs a name".to_owned()));
        }
        if !email.contains('@') {
            return Err(StorageError::Refused(format!(
                "{email:?} is not an email address"
            )));
        }
        let adviser = Adviser {
            id: AdviserId(Uuid::now_v7()),
            name,
            email,
            role,
        };
        let (code, code_hash) = EnrolCode::new()?;
        let written = adviser.clone();
        self.run(Mode::Write, move |tx| {
            if tx.account_with_email(&written.email)?.is_some() {
                return Err(StorageError::Refused(format!(
                    "an adviser with the email address {} already has an account",
                    written.email
                )));
            }
            let now = now_seconds();
            tx.insert_account(&written, now)?;
            tx.insert_code(&code_hash, written.id, now + CODE_LIFETIME_SECONDS)?;
            let existing = tx.record(record::ADVISER.name, &written.id.to_string())?;
            let mut batch = Batch::new(tx.counters()?, now_millis());
            plan_adviser(&written, existing.as_ref(), &mut batch);
            let (counters, writes) = batch.finish();
            tx.save(counters, &writes)
        })
        .await?;
        Ok(NewAdviser { adviser, code })
    }

    /// A further enrolment code for a current adviser.
    pub async fn add_code(&self, adviser: AdviserId) -> Result<EnrolCode, StorageError> {
        let (code, code_hash) = EnrolCode::new()?;
        self.run(Mode::Write, move |tx| {
            current_account(tx, adviser)?;
            tx.insert_code(&code_hash, adviser, now_seconds() + CODE_LIFETIME_SECONDS)
        })
        .await?;
        Ok(code)
    }

    /// Makes `adviser` the school's link SIA.
    pub async fn assign(&self, adviser: AdviserId, urn: Urn) -> Result<(), StorageError> {
        self.run(Mode::Write, move |tx| {
            let account = current_account(tx, adviser)?;
            if account.adviser.role == AdviserRole::Admin {
                return Err(StorageError::Refused(format!(
                    "{} is an office administrator, who holds no caseload",
                    account.adviser.name
                )));
            }
            let school = tx
                .record(record::SCHOOL.name, &urn.0.to_string())?
                .filter(|school| school.state.exists() && !school.state.is_deleted())
                .ok_or_else(|| {
                    StorageError::NotFound(format!(
                        "the office has no school with URN {}: import the school list first \
                         (caseload-office import schools FILE --la CODE)",
                        urn.0
                    ))
                })?;
            let groups = tx.records_of(record::MSP_GROUP.name)?;
            let mut batch = Batch::new(tx.counters()?, now_millis());
            plan_link(
                &school,
                Some(&account.adviser),
                &groups,
                "adviser assign",
                &mut batch,
            );
            let (counters, writes) = batch.finish();
            tx.save(counters, &writes)
        })
        .await
    }

    /// Closes an adviser's account: devices revoked, codes spent, schools
    /// left without a link SIA. Their directory record stays, so names on
    /// old visits still read.
    pub async fn remove_adviser(&self, adviser: AdviserId) -> Result<Removal, StorageError> {
        self.run(Mode::Write, move |tx| {
            if tx.account(adviser)?.is_none() {
                return Err(no_adviser(adviser));
            }
            let now = now_seconds();
            tx.deactivate_account(adviser)?;
            let devices_revoked = tx.revoke_devices_of(adviser, now)?;
            tx.spend_codes_of(adviser, now)?;
            let groups = tx.records_of(record::MSP_GROUP.name)?;
            let mut batch = Batch::new(tx.counters()?, now_millis());
            let mut schools_unlinked = 0;
            for urn in tx.caseload(adviser)? {
                if let Some(school) = tx.record(record::SCHOOL.name, &urn.0.to_string())? {
                    plan_link(&school, None, &groups, "adviser remove", &mut batch);
                    schools_unlinked += 1;
                }
            }
            let (counters, writes) = batch.finish();
            tx.save(counters, &writes)?;
            Ok(Removal {
                devices_revoked,
                schools_unlinked,
            })
        })
        .await
    }

    /// Refuses the device from its next request on.
    pub async fn revoke_device(&self, device: DeviceId) -> Result<(), StorageError> {
        self.run(Mode::Write, move |tx| {
            if tx.device(device)?.is_none() {
                return Err(StorageError::NotFound(format!(
                    "no device with id {device} is enrolled"
                )));
            }
            tx.revoke_device(device, now_seconds())?;
            Ok(())
        })
        .await
    }

    pub async fn advisers(&self) -> Result<Vec<AccountRow>, StorageError> {
        self.run(Mode::Read, |tx| tx.accounts()).await
    }

    pub async fn devices(
        &self,
        adviser: Option<AdviserId>,
    ) -> Result<Vec<DeviceRow>, StorageError> {
        self.run(Mode::Read, move |tx| tx.devices(adviser)).await
    }

    /// Writes the school list in one transaction.
    pub async fn import_schools(&self, schools: Vec<School>) -> Result<ImportReport, StorageError> {
        self.run(Mode::Write, move |tx| {
            let existing: HashMap<String, _> = tx
                .records_of(record::SCHOOL.name)?
                .into_iter()
                .map(|school| (school.key.clone(), school))
                .collect();
            let mut batch = Batch::new(tx.counters()?, now_millis());
            let report = plan_import(&schools, &existing, &mut batch);
            let (counters, writes) = batch.finish();
            tx.save(counters, &writes)?;
            Ok(report)
        })
        .await
    }
}

/// The device a token names, if the token is its current one and neither
/// the device nor its adviser has been removed.
fn signed_in(tx: &mut dyn Tx, token: &PresentedToken) -> Result<Option<Sender>, StorageError> {
    let Some((row, account)) = tx.device_account(token.device)? else {
        return Ok(None);
    };
    Ok(match account {
        Some(account)
            if token.matches(&row.token_hash) && row.revoked_at.is_none() && account.active =>
        {
            Some(Sender {
                device: token.device,
                adviser: account.adviser.id,
                role: account.adviser.role,
            })
        }
        _ => None,
    })
}

/// One page of the changes after `after` in the reader's scope.
fn pull_page(
    tx: &mut dyn Tx,
    reader: Sender,
    after: u64,
    limit: u32,
) -> Result<PullPage, StorageError> {
    let limit = page_size(limit);
    let last_seq = tx.counters()?.last_seq;
    let mut changes = tx.changes(&reader, after, limit + 1)?;
    let mut withdrawn = tx.withdrawals(&reader, after, limit + 1)?;
    // The page is the first `limit` of both, merged by sequence number: the
    // cursor then never passes a withdrawal the page does not carry.
    let page_end = last_of_page(&changes, &withdrawn, limit as usize);
    let more = page_end.is_some();
    if let Some(end) = page_end {
        changes.retain(|change| change.seq <= end);
        withdrawn.retain(|withdrawal| withdrawal.seq <= end);
    }
    name_authors(tx, &mut changes)?;
    let cursor = if let Some(end) = page_end {
        end
    } else {
        // Nothing else in scope up to the office's latest change: the next
        // pull need not look through what lies before it.
        last_seq.max(after)
    };
    Ok(PullPage {
        changes,
        withdrawn,
        more,
        cursor,
    })
}

/// The sequence number of the `limit`th of the changes and withdrawals
/// together, when there are more than `limit` (each list in order).
fn last_of_page(changes: &[Change], withdrawn: &[Withdrawal], limit: usize) -> Option<u64> {
    if changes.len() + withdrawn.len() <= limit {
        return None;
    }
    let mut seqs: Vec<u64> = changes
        .iter()
        .map(|change| change.seq)
        .chain(withdrawn.iter().map(|withdrawal| withdrawal.seq))
        .collect();
    seqs.sort_unstable();
    seqs.get(limit.checked_sub(1)?).copied()
}

/// Names the adviser of every enrolled device whose values the changes
/// hold, so each device's audit trail says who wrote what it pulls. The
/// office's own device belongs to no account and stays unnamed.
fn name_authors(tx: &mut dyn Tx, changes: &mut [Change]) -> Result<(), StorageError> {
    let mut advisers: HashMap<DeviceId, Option<AdviserId>> = HashMap::new();
    for change in changes {
        for device in change.state.devices() {
            let adviser = match advisers.entry(device) {
                Entry::Occupied(known) => *known.get(),
                Entry::Vacant(slot) => *slot.insert(tx.device(device)?.map(|row| row.adviser)),
            };
            if let Some(adviser) = adviser {
                change.authors.insert(device, adviser);
            }
        }
    }
    Ok(())
}

fn no_adviser(adviser: AdviserId) -> StorageError {
    StorageError::NotFound(format!("no adviser with id {adviser} has an account"))
}

fn current_account(tx: &mut dyn Tx, adviser: AdviserId) -> Result<Account, StorageError> {
    match tx.account(adviser)? {
        Some(account) if account.active => Ok(account),
        Some(account) => Err(StorageError::Refused(format!(
            "{} has been removed",
            account.adviser.name
        ))),
        None => Err(no_adviser(adviser)),
    }
}

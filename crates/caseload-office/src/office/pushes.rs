//! Group commit of pushes: the pushes that arrive while one is being
//! written wait for the write slot together, and the next writer takes them
//! all into one transaction. Each is still planned on its own, in the order
//! they arrived, against what the ones before it wrote, so each gets the
//! answer it would have got alone; the transaction's fixed costs (the write
//! lock, the counters, the commit: on PostgreSQL each a round trip under the
//! lock) are paid once for the group rather than once for each push.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use caseload_core::sync::{OpResult, Operation};
use caseload_core::{AdviserId, Urn};
use tokio::sync::oneshot;
use tracing::warn;
use uuid::Uuid;

use crate::access::Sender;
use crate::plan::{
    groups_named, plan_push, records_named, Batch, PushContext, RecordId, StoredRecord, Writes,
};
use crate::storage::{now_millis, StorageError, Tx};

/// A push's answer: each operation's outcome.
pub type Answer = Result<Vec<OpResult>, StorageError>;

/// One device's push, as it waits to be written.
#[derive(Debug, Clone)]
pub struct Push {
    pub sender: Sender,
    pub ops: Vec<Operation>,
}

#[derive(Debug)]
struct Queued {
    push: Push,
    reply: oneshot::Sender<Answer>,
}

/// The pushes waiting to be written, and the slot one writer holds at a time.
#[derive(Debug, Default)]
pub struct PushQueue {
    waiting: Mutex<Vec<Queued>>,
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl PushQueue {
    /// Queues `push` and answers it once written: by a writer already at
    /// work that takes it with others, or by this caller, which then takes
    /// the write slot and writes every push waiting through `write` (one
    /// transaction for a group, each push's outcomes in order).
    pub async fn push<W, Fut>(&self, push: Push, write: W) -> Answer
    where
        W: Fn(Arc<Vec<Push>>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Vec<Vec<OpResult>>, StorageError>> + Send,
    {
        let (reply, mut answer) = oneshot::channel();
        self.waiting().push(Queued { push, reply });
        let slot = tokio::select! {
            biased;
            answered = &mut answer => return answered.unwrap_or_else(lost),
            slot = Arc::clone(&self.writer).lock_owned() => slot,
        };
        // The writer before may have taken this push: it answers every push
        // it took before it gives up the slot.
        if let Ok(answered) = answer.try_recv() {
            return answered;
        }
        let group = std::mem::take(&mut *self.waiting());
        // A task of its own, so that a caller that goes away (its device
        // hung up) does not leave the others it took unanswered.
        tokio::spawn(async move {
            write_group(group, write).await;
            drop(slot);
        });
        answer.await.unwrap_or_else(lost)
    }

    fn waiting(&self) -> MutexGuard<'_, Vec<Queued>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn lost(_: oneshot::error::RecvError) -> Answer {
    Err(StorageError::Task(
        "the push's writer stopped before it answered".to_owned(),
    ))
}

/// Writes a group and answers each push in it. If the group's transaction
/// fails, each push is written again on its own, so that one push's failure
/// is not its neighbours'.
async fn write_group<W, Fut>(group: Vec<Queued>, write: W)
where
    W: Fn(Arc<Vec<Push>>) -> Fut,
    Fut: Future<Output = Result<Vec<Vec<OpResult>>, StorageError>>,
{
    let (pushes, replies): (Vec<Push>, Vec<_>) = group
        .into_iter()
        .map(|queued| (queued.push, queued.reply))
        .unzip();
    let pushes = Arc::new(pushes);
    match write(Arc::clone(&pushes)).await {
        Ok(answers) => {
            for (reply, answer) in replies.into_iter().zip(answers) {
                let _ = reply.send(Ok(answer));
            }
        }
        Err(error) if replies.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(error));
            }
        }
        Err(error) => {
            warn!(%error, pushes = replies.len(), "a group of pushes failed: writing each alone");
            for (push, reply) in pushes.iter().zip(replies) {
                let answer = write(Arc::new(vec![push.clone()]))
                    .await
                    .map(|mut answers| answers.pop().unwrap_or_default());
                let _ = reply.send(answer);
            }
        }
    }
}

/// Plans each push in turn, against the stored records and what the pushes
/// before it in the group wrote, and writes them all in this transaction.
pub fn write_pushes(tx: &mut dyn Tx, pushes: &[Push]) -> Result<Vec<Vec<OpResult>>, StorageError> {
    let mut stored = Stored::load(tx, pushes)?;
    let mut batch = Batch::new(tx.counters()?, now_millis());
    let mut answers = Vec::with_capacity(pushes.len());
    for push in pushes {
        let context = stored.context(tx, push, &batch.writes)?;
        answers.push(plan_push(&push.sender, context, &push.ops, &mut batch));
    }
    let (counters, writes) = batch.finish();
    tx.save(counters, &writes)?;
    Ok(answers)
}

/// What the group's pushes need from the store, read for all of them at
/// once: the records their operations name (None: not stored), which of
/// their operations were applied before, and their senders' caseloads.
struct Stored {
    records: HashMap<RecordId, Option<StoredRecord>>,
    applied: HashMap<Uuid, u64>,
    caseloads: HashMap<AdviserId, BTreeSet<Urn>>,
}

impl Stored {
    fn load(tx: &mut dyn Tx, pushes: &[Push]) -> Result<Stored, StorageError> {
        let ops: Vec<&Operation> = pushes.iter().flat_map(|push| &push.ops).collect();
        let named: BTreeSet<RecordId> = pushes
            .iter()
            .flat_map(|push| records_named(&push.ops))
            .collect();
        let named: Vec<RecordId> = named.into_iter().collect();
        let mut records: HashMap<_, _> = named.iter().map(|id| (id.clone(), None)).collect();
        for record in tx.records_in(&named)? {
            records.insert(record.id(), Some(record));
        }
        let op_ids: Vec<Uuid> = ops.iter().map(|op| op.op_id).collect();
        let advisers: BTreeSet<AdviserId> = pushes.iter().map(|push| push.sender.adviser).collect();
        let advisers: Vec<AdviserId> = advisers.into_iter().collect();
        Ok(Stored {
            records,
            applied: tx.applied_seqs(&op_ids)?,
            caseloads: tx.caseloads(&advisers)?,
        })
    }

    /// What planning `push` needs: the records it names and its meetings'
    /// groups, the operations among its own applied before, and the
    /// sender's caseload; as stored, or as an earlier push in the group
    /// left them. (No push changes a caseload: link-SIA assignments are
    /// the office's.)
    fn context(
        &mut self,
        tx: &mut dyn Tx,
        push: &Push,
        written: &Writes,
    ) -> Result<PushContext, StorageError> {
        let mut context = PushContext::default();
        for id in records_named(&push.ops) {
            if let Some(record) = self.record(tx, written, &id)? {
                context.records.insert(id, record);
            }
        }
        for id in groups_named(&push.ops, &context.records) {
            if let Entry::Vacant(slot) = context.records.entry(id) {
                if let Some(group) = self.record(tx, written, slot.key())? {
                    slot.insert(group);
                }
            }
        }
        let applied_here: HashMap<_, _> = written
            .applied
            .iter()
            .map(|applied| (applied.op.op_id, applied.seq))
            .collect();
        for op in &push.ops {
            if let Some(seq) = applied_here.get(&op.op_id).or(self.applied.get(&op.op_id)) {
                context.applied.insert(op.op_id, *seq);
            }
        }
        context.caseload = self
            .caseloads
            .get(&push.sender.adviser)
            .cloned()
            .unwrap_or_default();
        Ok(context)
    }

    /// A record as an earlier push in the group left it, or as stored
    /// (read now if the group's first reading did not include it: an MSP
    /// group a meeting names).
    fn record(
        &mut self,
        tx: &mut dyn Tx,
        written: &Writes,
        id: &RecordId,
    ) -> Result<Option<StoredRecord>, StorageError> {
        if let Some(record) = written.records.get(id) {
            return Ok(Some(record.clone()));
        }
        if let Some(stored) = self.records.get(id) {
            return Ok(stored.clone());
        }
        let stored = tx.record(&id.0, &id.1)?;
        self.records.insert(id.clone(), stored.clone());
        Ok(stored)
    }
}

#[cfg(test)]
mod tests {
    use caseload_core::sync::Outcome;
    use caseload_core::{AdviserRole, DeviceId, Hlc, Urn};
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::office::Office;
    use crate::storage::{Mode, StorageTarget};

    const URNS: [u32; 2] = [990_201, 990_202];

    /// An office with two schools, each with its own link SIA; their devices.
    async fn office(folder: &tempfile::TempDir) -> (Office, [Sender; 2]) {
        let office = Office::open(&StorageTarget::Folder(folder.path().to_owned()))
            .await
            .expect("opened");
        let schools = URNS
            .iter()
            .map(|urn| {
                let mut school = caseload_core::samples::school();
                school.urn = Urn(*urn);
                school
            })
            .collect();
        office.import_schools(schools).await.expect("imported");
        let mut senders = Vec::new();
        for (n, urn) in URNS.iter().enumerate() {
            let new = office
                .add_adviser(
                    &format!("Adviser {n}"),
                    &format!("a{n}@la.example"),
                    AdviserRole::LinkSia,
                )
                .await
                .expect("added");
            office
                .assign(new.adviser.id, Urn(*urn))
                .await
                .expect("assigned");
            senders.push(Sender {
                device: DeviceId(Uuid::now_v7()),
                adviser: new.adviser.id,
                role: AdviserRole::LinkSia,
            });
        }
        (office, [senders[0], senders[1]])
    }

    fn visit_op(sender: &Sender, key: &str, hlc: u64, fields: serde_json::Value) -> Operation {
        Operation {
            op_id: Uuid::now_v7(),
            entity: "visit".to_owned(),
            key: key.to_owned(),
            hlc: Hlc(hlc),
            device: sender.device,
            seen: 0,
            fields: fields.as_object().cloned().unwrap_or_default(),
            deleted: false,
        }
    }

    /// Pushes that depend on each other: a new visit, another adviser's
    /// edit of it (out of their scope), its own adviser's edit (of the
    /// record the first push wrote) and the first operation sent again.
    fn dependent_pushes(senders: &[Sender; 2]) -> Vec<Push> {
        let [own, other] = senders;
        let key = Uuid::now_v7().to_string();
        let first = visit_op(
            own,
            &key,
            1 << 20,
            json!({"urn": URNS[0], "adviser": own.adviser.to_string(), "visited_on": "2026-10-07",
                   "session": "am", "kind": "core", "status": "draft", "purpose": "First"}),
        );
        vec![
            Push {
                sender: *own,
                ops: vec![first.clone()],
            },
            Push {
                sender: *other,
                ops: vec![visit_op(
                    other,
                    &key,
                    2 << 20,
                    json!({"purpose": "Not mine"}),
                )],
            },
            Push {
                sender: *own,
                ops: vec![visit_op(own, &key, 3 << 20, json!({"purpose": "Second"}))],
            },
            Push {
                sender: *own,
                ops: vec![first],
            },
        ]
    }

    /// Each push's outcomes, the pushes written by `write`.
    fn outcomes(answers: &[Vec<OpResult>]) -> Vec<Vec<Outcome>> {
        answers
            .iter()
            .map(|answer| answer.iter().map(|result| result.outcome.clone()).collect())
            .collect()
    }

    #[tokio::test]
    async fn a_group_answers_each_push_as_if_it_were_written_alone() {
        let folder = tempfile::tempdir().expect("a folder");
        let (grouped, senders) = office(&folder).await;
        let group = Arc::new(dependent_pushes(&senders));
        let together = grouped
            .run(Mode::Write, move |tx| write_pushes(tx, &group))
            .await
            .expect("written");

        let folder = tempfile::tempdir().expect("a folder");
        let (alone, senders) = office(&folder).await;
        let mut one_by_one = Vec::new();
        for push in dependent_pushes(&senders) {
            let one = vec![push];
            one_by_one.extend(
                alone
                    .run(Mode::Write, move |tx| write_pushes(tx, &one))
                    .await
                    .expect("written"),
            );
        }
        let together = outcomes(&together);
        assert_eq!(together, outcomes(&one_by_one));
        let Outcome::Applied { seq: first } = together[0][0] else {
            panic!("the new visit is applied: {together:?}")
        };
        assert!(
            matches!(together[1][0], Outcome::Refused(_)),
            "{together:?}"
        );
        assert_eq!(together[2][0], Outcome::Applied { seq: first + 1 });
        assert_eq!(together[3][0], Outcome::Duplicate { seq: first });
    }

    #[tokio::test]
    async fn concurrent_pushes_are_each_answered_and_each_applied_once() {
        let folder = tempfile::tempdir().expect("a folder");
        let (office, senders) = office(&folder).await;
        let tasks: Vec<_> = (0..40)
            .map(|n| {
                let office = office.clone();
                let sender = senders[n % 2];
                let op = visit_op(
                    &sender,
                    &Uuid::now_v7().to_string(),
                    1 << 20,
                    json!({"urn": URNS[n % 2], "adviser": sender.adviser.to_string(),
                           "visited_on": "2026-10-07", "session": "am", "kind": "core",
                           "status": "draft", "purpose": format!("Visit {n}")}),
                );
                tokio::spawn(async move { office.push(sender, vec![op]).await })
            })
            .collect();
        let mut seqs = BTreeSet::new();
        for task in tasks {
            let answer = task.await.expect("ran").expect("written");
            match answer[0].outcome {
                Outcome::Applied { seq } => assert!(seqs.insert(seq), "seq {seq} given twice"),
                ref other => panic!("expected applied, got {other:?}"),
            }
        }
        assert_eq!(seqs.len(), 40);
    }
}

//! The messages between a device and the office, as JSON over HTTPS.
//!
//! Every request carries the protocol version its sender speaks; the office
//! answers one it does not speak with a message saying which side to update
//! ([`check_version`]). Endpoints (the office's `server.rs`):
//!
//! - `POST /enrol`: [`EnrolRequest`] → [`Enrolled`] (a one-time code buys a
//!   device token);
//! - `POST /sync/push`: [`PushRequest`] → [`PushResponse`], one [`OpResult`]
//!   per operation, in order;
//! - `POST /sync/pull`: [`PullRequest`] → [`PullResponse`], a page of
//!   [`Change`]s after a sequence number.
//!
//! Errors are an [`ErrorBody`] with a non-2xx status.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::merge::{RecordState, Write};
use crate::hlc::{DeviceId, Hlc};
use crate::people::{AdviserId, AdviserRole};
use crate::school::Urn;

/// The protocol this build speaks. Version 2 adds [`PullResponse::withdrawn`].
pub const PROTOCOL_VERSION: u32 = 2;

/// The oldest protocol this build still answers. A version 1 device would
/// read a page and ignore its withdrawals, so it would keep a school (or a
/// group's minutes) its adviser no longer has; it is told to update instead.
pub const OLDEST_PROTOCOL: u32 = 2;

/// A request in a protocol the office does not speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionMismatch {
    /// The device must update Caseload.
    ClientTooOld { client: u32, oldest: u32 },
    /// The office must be updated.
    ClientTooNew { client: u32, newest: u32 },
}

impl fmt::Display for VersionMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VersionMismatch::ClientTooOld { client, oldest } => write!(
                f,
                "this copy of Caseload speaks sync protocol {client}, which the office no longer \
                 accepts (it needs {oldest} or later): update Caseload, then sync again"
            ),
            VersionMismatch::ClientTooNew { client, newest } => write!(
                f,
                "this copy of Caseload speaks sync protocol {client}, newer than the office's \
                 ({newest}): the office server needs updating; your changes stay on this \
                 device until it is"
            ),
        }
    }
}

impl std::error::Error for VersionMismatch {}

/// Whether a device speaking `client` may talk to this build.
pub fn check_version(client: u32) -> Result<(), VersionMismatch> {
    if client < OLDEST_PROTOCOL {
        Err(VersionMismatch::ClientTooOld {
            client,
            oldest: OLDEST_PROTOCOL,
        })
    } else if client > PROTOCOL_VERSION {
        Err(VersionMismatch::ClientTooNew {
            client,
            newest: PROTOCOL_VERSION,
        })
    } else {
        Ok(())
    }
}

/// A device asks to join with the one-time code the office gave its adviser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub protocol: u32,
    /// As printed: `ABCD-EFGH-JKMN` (case, spaces and dashes do not matter).
    pub code: String,
    /// The store's own device id: the one its writes carry.
    pub device: DeviceId,
    /// A name the office lists the device under ("Priya's laptop").
    #[serde(default)]
    pub name: String,
}

/// The office's answer to a good code. The token is shown only here: the
/// office keeps a hash of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub protocol: u32,
    pub device: DeviceId,
    /// Sent as `Authorization: Bearer TOKEN` with every sync request.
    pub token: String,
    pub adviser: EnrolledAdviser,
}

/// Whom the device now belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledAdviser {
    pub id: AdviserId,
    pub name: String,
    pub email: String,
    pub role: AdviserRole,
}

/// A batch of the device's outbox, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    pub operations: Vec<Operation>,
}

/// One local write of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// A UUIDv7 made when the write was made: the office applies each id once.
    pub op_id: Uuid,
    /// The record type's declared name (`visit`, `letter`, ...).
    pub entity: String,
    /// The record's key as text (a UUID, or a URN for a school).
    pub key: String,
    /// The stamp of the values carried.
    pub hlc: Hlc,
    pub device: DeviceId,
    /// The office sequence number of this record's state the device held
    /// when it wrote ([`Change::seq`] of the last pulled change of the
    /// record); 0 if it held none. It decides which values the write
    /// supersedes and which it races (see [`super::merge`]).
    #[serde(default)]
    pub seen: u64,
    /// The fields written, by declared name, with their values as the
    /// declarations type them. Empty for a delete.
    #[serde(default)]
    pub fields: Map<String, Value>,
    /// A delete: the record becomes a tombstone.
    #[serde(default)]
    pub deleted: bool,
}

impl Operation {
    /// The write as the merge sees it.
    pub fn write(&self) -> Write<'_> {
        Write {
            hlc: self.hlc,
            device: self.device,
            seen: self.seen,
            fields: &self.fields,
            deleted: self.deleted,
        }
    }
}

/// One result per pushed operation, in the order pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    pub results: Vec<OpResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What the office did with one operation. Applied and duplicate alike mean
/// the device may drop it from its outbox; refused means it never will
/// apply, and the device shows the message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Applied {
        seq: u64,
    },
    /// Applied by an earlier push (a retry after a lost answer).
    Duplicate {
        seq: u64,
    },
    Refused(Refusal),
}

/// Why an operation was refused, and what to tell the adviser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub reason: RefusalReason,
    pub message: String,
}

impl Refusal {
    pub fn new(reason: RefusalReason, message: impl Into<String>) -> Refusal {
        Refusal {
            reason,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefusalReason {
    /// Not a well-formed operation on a declared record type.
    Invalid,
    /// The record belongs to a school, adviser or MSP group outside the
    /// sender's scope.
    OutOfScope,
    /// The record is frozen: an issued letter, a finalised visit, approved
    /// minutes.
    Frozen,
    /// Only the office writes this (accounts, link-SIA assignments).
    OfficeOwned,
}

/// Asks for the changes after `after`, at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullRequest {
    pub protocol: u32,
    /// The `cursor` of the previous page; 0 for a first sync.
    #[serde(default)]
    pub after: u64,
    /// Page size; the office caps it (1,000) and picks one when 0 (500).
    #[serde(default)]
    pub limit: u32,
}

/// One page of changes, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    pub changes: Vec<Change>,
    /// Scopes the device's adviser has lost within the page, oldest first:
    /// applied in sequence order among `changes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<Withdrawal>,
    /// More changes wait after this page: pull again from `cursor` now.
    pub more: bool,
    /// Where the next pull starts. It may pass the last change's `seq` when
    /// the changes after it are outside the device's scope.
    pub cursor: u64,
}

/// A record's whole state at the office after its latest change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub entity: String,
    pub key: String,
    #[serde(flatten)]
    pub state: RecordState,
    /// The adviser whose device wrote each of the state's values, so the
    /// device's audit trail says who changed what it pulls. The office's own
    /// writes (the school list, link-SIA assignments) name no adviser.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub authors: BTreeMap<DeviceId, AdviserId>,
}

/// A scope taken away from the device's adviser: a school reassigned to
/// another link SIA (or left without one), or an MSP group that no longer
/// lists them. The device removes the scope and every record in it; it is
/// not a delete, the office keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// Its place in the office's sequence, among the changes.
    pub seq: u64,
    #[serde(flatten)]
    pub scope: WithdrawnScope,
}

/// What a [`Withdrawal`] takes away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "kebab-case")]
pub enum WithdrawnScope {
    /// The school and every record filed under it.
    School { urn: Urn },
    /// The group's meetings (confidential minutes); the group's own record
    /// belongs to its school.
    MspGroup { group: Uuid },
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A stable code: `unauthorised`, `protocol-version`, `bad-request`,
    /// `too-many-requests`, `unavailable`, `internal`.
    pub error: String,
    /// What to tell the adviser.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_client_too_old_or_too_new_is_told_which_side_to_update() {
        assert_eq!(check_version(PROTOCOL_VERSION), Ok(()));
        let old = check_version(OLDEST_PROTOCOL - 1).expect_err("too old");
        assert!(old.to_string().contains("update Caseload"), "{old}");
        let new = check_version(PROTOCOL_VERSION + 1).expect_err("too new");
        assert!(
            new.to_string().contains("office server needs updating"),
            "{new}"
        );
    }

    #[test]
    fn outcomes_read_as_the_documented_json() {
        let op_id = Uuid::from_u128(7);
        let applied = OpResult {
            op_id,
            outcome: Outcome::Applied { seq: 12 },
        };
        assert_eq!(
            serde_json::to_value(&applied).expect("serializes"),
            json!({"op_id": op_id, "outcome": "applied", "seq": 12})
        );
        let refused = OpResult {
            op_id,
            outcome: Outcome::Refused(Refusal::new(RefusalReason::OutOfScope, "not yours")),
        };
        let value = serde_json::to_value(&refused).expect("serializes");
        assert_eq!(
            value,
            json!({"op_id": op_id, "outcome": "refused", "reason": "out-of-scope", "message": "not yours"})
        );
        let read: OpResult = serde_json::from_value(value).expect("parses");
        assert_eq!(read, refused);
    }

    #[test]
    fn withdrawals_read_as_the_documented_json_and_an_empty_list_is_left_out() {
        let group = Uuid::from_u128(9);
        let page = PullResponse {
            protocol: PROTOCOL_VERSION,
            changes: Vec::new(),
            withdrawn: vec![
                Withdrawal {
                    seq: 4,
                    scope: WithdrawnScope::School { urn: Urn(123456) },
                },
                Withdrawal {
                    seq: 7,
                    scope: WithdrawnScope::MspGroup { group },
                },
            ],
            more: false,
            cursor: 7,
        };
        let value = serde_json::to_value(&page).expect("serializes");
        assert_eq!(
            value["withdrawn"],
            json!([
                {"seq": 4, "scope": "school", "urn": 123456},
                {"seq": 7, "scope": "msp-group", "group": group},
            ])
        );
        let read: PullResponse = serde_json::from_value(value).expect("parses");
        assert_eq!(read, page);

        let quiet = PullResponse {
            withdrawn: Vec::new(),
            ..page
        };
        let value = serde_json::to_value(&quiet).expect("serializes");
        assert!(value.get("withdrawn").is_none(), "{value}");
        let read: PullResponse = serde_json::from_value(value).expect("parses");
        assert_eq!(read, quiet);
    }

    #[test]
    fn a_version_1_device_is_told_to_update_as_it_would_ignore_withdrawals() {
        let refused = check_version(1).expect_err("version 1 ignores withdrawals");
        assert!(refused.to_string().contains("update Caseload"), "{refused}");
    }

    #[test]
    fn an_operation_needs_only_what_it_writes() {
        let op: Operation = serde_json::from_value(json!({
            "op_id": "01900000-0000-7000-8000-000000000001",
            "entity": "visit",
            "key": "01900000-0000-7000-8000-000000000002",
            "hlc": 42,
            "device": "01900000-0000-7000-8000-000000000003",
            "fields": {"purpose": "Core visit"}
        }))
        .expect("parses");
        assert_eq!(op.seen, 0);
        assert!(!op.deleted);
        assert_eq!(op.fields["purpose"], json!("Core visit"));
    }
}

//! The sync protocol between an adviser's store and the office, and the
//! merge every replica applies.
//!
//! - [`protocol`]: the versioned messages (enrolment, push, pull), as JSON;
//! - [`merge`]: a record's state as a register of heads per field, and the
//!   rule that merges a write into it: last writer by HLC among concurrent
//!   writes, the losing values kept as conflicts, deletes that race an edit
//!   kept as conflicts too;
//! - [`rules`]: what the declarations say about an operation: is it well
//!   formed, which school, adviser or MSP group it belongs to, and whether
//!   the record it writes is frozen (an issued letter, a finalised visit,
//!   approved minutes).
//!
//! Pure like the rest of this crate: no sockets, no SQL, no clock. The
//! office and the store's sync client both build on these types, so a
//! record type syncs by being declared in `record.rs`, never by new code here.

pub mod merge;
pub mod protocol;
pub mod rules;

pub use merge::{Conflict, RecordState, Register, Version, Write};
pub use protocol::{
    check_version, Change, EnrolRequest, Enrolled, ErrorBody, OpResult, Operation, Outcome,
    PullRequest, PullResponse, PushRequest, PushResponse, Refusal, RefusalReason, VersionMismatch,
    Withdrawal, WithdrawnScope, OLDEST_PROTOCOL, PROTOCOL_VERSION,
};
pub use rules::{check_freezing, check_operation, frozen, scope_of, Scope};

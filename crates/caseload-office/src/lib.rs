//! `caseload-office`, the central office server: the authority's school
//! list, advisers' accounts and devices, who sees which school, and the
//! sync endpoints every adviser's device pushes to and pulls from.
//!
//! - [`server`]: HTTP(S) with axum and rustls, graceful shutdown;
//! - [`office`]: what the office does, over either backend;
//! - [`plan`]: what a write changes (merge, scope, frozen records), pure;
//! - [`access`]: the scope rules;
//! - [`storage`]: the storage trait and its SQLite and PostgreSQL backends;
//! - [`secrets`]: tokens and enrolment codes, stored only as hashes;
//! - [`limits`]: rate limits on enrolment and sign-in.
//!
//! The protocol's types and the merge rule itself live in
//! `caseload_core::sync`, shared with the devices.

#![forbid(unsafe_code)]

pub mod access;
pub mod limits;
pub mod office;
pub mod plan;
pub mod secrets;
pub mod server;
pub mod storage;
pub mod tls;

pub use office::Office;
pub use storage::StorageTarget;

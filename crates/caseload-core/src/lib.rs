//! The domain of Caseload and its rules.
//!
//! This crate is the centre of the house: schools, advisers, contacts, Ofsted
//! records, the school calendar, the GIAS establishment-file parser and the
//! declarations that let the store and the office sync every record type.
//!
//! It must never do I/O: no files, no SQL, no HTTP, no clocks it was not
//! handed. Callers pass bytes and times in; rules come out.

pub mod academy;
pub mod action;
pub mod app_lock;
pub mod authority;
pub mod calendar;
pub mod criteria;
pub mod dashboard;
pub mod diary;
pub mod entitlement;
pub mod file_error;
pub mod gias;
pub mod hlc;
pub mod letter;
pub mod msp;
pub mod ofsted;
pub mod people;
pub mod performance;
pub mod record;
pub mod review;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
pub mod school;
pub mod scoring;
pub mod search;
pub mod standing;
pub mod sync;
pub mod toml_date;
pub mod visit;

pub use calendar::{AcademicYear, HalfTerm, Term, TermCalendar, TermPosition};
pub use hlc::{DeviceId, Hlc, HlcClock};
pub use ofsted::{OfstedInspection, OfstedOutcome};
pub use people::{Adviser, AdviserId, AdviserRole, Contact, ContactRole, PersonName};
pub use record::{EntityDef, FieldDef, FieldKind, Record, ScopeKey, ENTITIES};
pub use school::{EstablishmentType, Governance, LaCode, Phase, School, SchoolStatus, Urn};

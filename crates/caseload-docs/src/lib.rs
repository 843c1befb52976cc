//! Documents Caseload makes for people and programs outside it.
//!
//! This room turns records into files: planned visits as an iCalendar file
//! that Outlook and Google Calendar import, and letters filled from the
//! authority's templates. The typesetter lays a letter's `Document` out on
//! A4 pages itself and draws it to PDF with printpdf and the embedded
//! Liberation Sans. It reads what it is given and
//! returns bytes; it never opens the store and holds no rule of its own.

pub mod calendar;
pub mod document;
pub mod files;
pub mod letters;
pub mod typeset;

//! Documents Caseload makes for people and programs outside it.
//!
//! This room turns records into files: planned visits and MSP meetings as
//! iCalendar files that Outlook and Google Calendar import, letters filled
//! from the authority's templates, and an MSP meeting's confidential
//! minutes and summary key points. The typesetter lays a letter's `Document` out on
//! A4 pages itself and draws it to PDF with printpdf and the embedded
//! Liberation Sans. It reads what it is given and
//! returns bytes; it never opens the store and holds no rule of its own.
//! `print` hands finished PDFs to CUPS (`lp`), the one place it runs a
//! program.

pub mod authority;
pub mod calendar;
pub mod document;
pub mod files;
pub mod letters;
pub mod msp;
pub mod print;
pub mod typeset;

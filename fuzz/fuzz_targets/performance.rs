//! Any bytes as a school performance file, in either layout.
#![no_main]

use caseload_core::AcademicYear;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = caseload_core::performance::parse(bytes, None);
    let _ = caseload_core::performance::parse(bytes, Some(AcademicYear(2024)));
});

//! Any text as a criteria set.
#![no_main]

use caseload_core::criteria::CriteriaSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = CriteriaSet::from_toml(text);
});

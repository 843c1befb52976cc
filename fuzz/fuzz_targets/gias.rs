//! Any bytes as a GIAS establishment file: refused with an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = caseload_core::gias::parse(bytes, None);
});

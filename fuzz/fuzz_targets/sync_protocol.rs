//! Any bytes as a device's push, as the office decodes and checks it: each
//! operation the rules accept is merged into a record's state, which must
//! survive the JSON the office stores it as. Any bytes as the office's pull
//! answer, as a device decodes it.
#![no_main]

use caseload_core::sync::{
    check_freezing, check_operation, PullResponse, PushRequest, RecordState,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = serde_json::from_slice::<PullResponse>(bytes);
    let Ok(push) = serde_json::from_slice::<PushRequest>(bytes) else {
        return;
    };
    let mut state = RecordState::default();
    for (seq, operation) in (1..).zip(&push.operations) {
        let Ok(entity) = check_operation(operation) else {
            continue;
        };
        if check_freezing(entity, operation).is_ok() {
            state.apply(&operation.write(), seq);
        }
    }
    let _ = (state.values(), state.conflicts(), state.is_deleted());
    let stored = serde_json::to_string(&state).expect("a record's state serialises");
    let read: RecordState = serde_json::from_str(&stored).expect("a stored state reads back");
    assert_eq!(read, state, "a record's state changed through its stored JSON");
});

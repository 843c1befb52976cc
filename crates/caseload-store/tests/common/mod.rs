//! What the store's tests share: a store holding the demo caseload, and dates.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

use std::path::Path;

use caseload_core::samples;
use caseload_core::sync::protocol::EnrolledAdviser;
use caseload_core::sync::{Enrolled, PROTOCOL_VERSION};
use caseload_core::AdviserRole;
use caseload_store::{Store, StoreKey};
use chrono::NaiveDate;

/// The key the tests' stores on disk are encrypted with.
pub fn key() -> StoreKey {
    StoreKey::Raw([0x42; 32])
}

/// A store on disk, encrypted with [`key`].
pub fn open(path: &Path) -> Store {
    Store::open(path, &key()).expect("the store opens")
}

/// A bare SQLite connection to a store on disk, keyed as SQLCipher needs,
/// for tests that reach under the store.
pub fn connection(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("opens the file");
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\"",
        "42".repeat(32)
    ))
    .expect("keyed");
    conn
}

/// A store in memory holding the demo caseload (Fenbridge, LA 990).
pub fn demo_store() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store.load_demo().expect("demo");
    store
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// `store` enrolled with an office as the sample adviser's device (a link
/// SIA), as a sync test's device starts.
pub fn enrolled(store: Store) -> Store {
    enrolled_with_token(store, "device.secret")
}

/// The same, the office having given the device `token`.
pub fn enrolled_with_token(mut store: Store, token: &str) -> Store {
    let enrolled = Enrolled {
        protocol: PROTOCOL_VERSION,
        device: store.device(),
        token: token.to_owned(),
        adviser: EnrolledAdviser {
            id: samples::adviser().id,
            name: "Priya Raman".to_owned(),
            email: "priya.raman@fenbridge.gov.uk".to_owned(),
            role: AdviserRole::LinkSia,
        },
    };
    store
        .record_enrolment("http://127.0.0.1:8440/", &enrolled)
        .expect("enrolled");
    store
}

//! What the store's tests share: a store holding the demo caseload, and dates.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

use caseload_store::Store;
use chrono::NaiveDate;

/// A store in memory holding the demo caseload (Fenbridge, LA 990).
pub fn demo_store() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    store.load_demo().expect("demo");
    store
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

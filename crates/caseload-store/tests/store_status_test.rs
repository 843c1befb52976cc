//! What the window's header reads of the store: whether its adviser may
//! see the authority-wide view, and the demo's advisers to open it as.

mod common;

use caseload_store::Store;
use common::demo_store;

#[test]
fn the_demo_offers_its_advisers_and_only_a_senior_sia_sees_the_authority_view() {
    let mut store = demo_store();
    let status = store.status().expect("status");
    assert!(!status.authority_view, "Priya Raman is a link SIA");
    let names: Vec<&str> = status
        .demo_advisers
        .iter()
        .map(|adviser| adviser.name.as_str())
        .collect();
    assert_eq!(names, ["Margaret Okonjo", "Priya Raman", "Tom Gallagher"]);

    let status = store
        .switch_demo_adviser("margaret.okonjo@fenbridge.example")
        .expect("switched");
    assert!(status.authority_view, "Margaret Okonjo is a Senior SIA");
    assert_eq!(status.caseload, 4);
}

#[test]
fn a_store_that_is_not_the_demo_offers_no_one_to_switch_to() {
    let store = Store::open_in_memory().expect("store");
    let status = store.status().expect("status");
    assert!(status.demo_advisers.is_empty());
    assert!(!status.authority_view, "no adviser, no view");
}

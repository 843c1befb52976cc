//! `caseload dashboard` on the demo caseload: the JSON the app's home page
//! is drawn from, and the same figures as text.

mod common;

use common::Scratch;
use serde_json::Value;

fn count(board: &Value, pointer: &str) -> usize {
    board
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no list at {pointer}: {board}"))
        .len()
}

#[test]
fn the_dashboard_lists_what_each_figure_counts() {
    let scratch = Scratch::demo();
    let board = scratch.json(&["dashboard", "--date", "2026-12-02", "--json"]);
    assert_eq!(board["term"], "Autumn term 2026/27");
    assert_eq!(board["schools"], 12);
    // Northgate, in high support, owes the second half-term's visit; five
    // schools still owe the term's.
    assert_eq!(count(&board, "/visits/due"), 6);
    assert_eq!(count(&board, "/visits/done"), 5);
    assert_eq!(board["categories"]["declined"][0]["school"]["urn"], 990007);
    assert_eq!(board["categories"]["improved"][0]["school"]["urn"], 990009);

    let text = scratch.ok(&["dashboard", "--date", "2026-12-02"]);
    assert!(text.contains("Visits due this term: 6"), "{text}");
    assert!(
        text.contains(&format!(
            "Not reviewed this term: {}",
            count(&board, "/not_reviewed")
        )),
        "{text}"
    );
    assert!(
        text.contains("990007 Northgate Primary School: High support"),
        "{text}"
    );
}

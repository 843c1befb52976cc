//! `caseload import performance` as a user runs it: the summary it prints,
//! and a malformed file refused with its line and field, a non-zero exit
//! and an unchanged store.

mod common;

use common::{arg, Scratch};

#[test]
fn a_long_file_imports_and_says_what_it_did() {
    let scratch = Scratch::demo();
    let file = scratch.file(
        "performance.csv",
        "urn,year,measure,value,la,national\n\
         990001,2025/26,ks2-rwm-expected,72%,61,63\n\
         990009,2024/25,ks2-rwm-expected,49,60,62\n\
         123456,2025/26,ks2-rwm-expected,70,61,63\n",
    );
    let out = scratch.ok(&["import", "performance", arg(&file)]);
    assert_eq!(
        out.trim(),
        "Imported performance figures (long layout) for 2024/25 and 2025/26: \
         1 added, 1 updated, 0 unchanged, for 2 schools. 1 school not in the store left out."
    );
    let again = scratch.ok(&["import", "performance", arg(&file)]);
    assert!(again.contains("0 added, 0 updated, 2 unchanged"), "{again}");
}

#[test]
fn a_dfe_file_takes_the_year_from_the_command_line() {
    let scratch = Scratch::demo();
    let file = scratch.file(
        "england_ks4final.csv",
        "RECTYPE,LEA,URN,ATT8SCR,P8MEA\n\
         1,990,990015,46.8,0.09\n\
         4,990,,44.9,-0.07\n\
         7,,,46.1,-0.02\n",
    );
    let out = scratch.ok(&["import", "performance", arg(&file), "--year", "202526"]);
    assert_eq!(
        out.trim(),
        "Imported performance figures (DfE layout) for 2025/26: 2 added, 0 updated, \
         0 unchanged, for 1 school."
    );
    let output = scratch.run(&["import", "performance", arg(&file), "--year", "2025"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("\"2025\" is not an academic year"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_malformed_file_is_refused_with_its_line_and_field_and_changes_nothing() {
    let scratch = Scratch::demo();
    let before = scratch.ok(&["export", "--json"]);
    let file = scratch.file(
        "performance.csv",
        "urn,year,measure,value,la,national\n\
         990001,2025/26,ks2-rwm-expected,72,61,63\n\
         990001,2025/26,ks2-maths-expected,seventy,61,63\n",
    );
    let output = scratch.run(&["import", "performance", arg(&file)]);
    assert!(!output.status.success(), "a refused import exits non-zero");
    assert_ne!(output.status.code(), Some(0));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains(&format!(
            "{}: line 3, field value: \"seventy\" is not a number",
            file.display()
        )),
        "{message}"
    );
    assert!(
        message.trim_end().ends_with("nothing was imported"),
        "{message}"
    );
    assert_eq!(scratch.ok(&["export", "--json"]), before);
}

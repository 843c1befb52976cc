//! A school reassigned away from its link SIA leaves their device: the
//! real `caseload-office` on a loopback port (SQLite, and PostgreSQL when
//! `CASELOAD_TEST_POSTGRES` names a server), two link SIAs enrolled with
//! `caseload enrol`, syncing with `caseload sync` around the office's
//! `adviser assign`.

mod common;

use common::office::{Office, OfficeStore, Replica};
use serde_json::Value;

const ST_MARYS: u64 = 990001;

fn assign(office: &Office, account: &Value) {
    office.admin(&[
        "adviser",
        "assign",
        "--adviser",
        account["id"].as_str().expect("an id"),
        "--urn",
        &ST_MARYS.to_string(),
    ]);
}

/// The URNs of the schools a replica holds.
fn schools(replica: &Replica) -> Vec<u64> {
    replica.export()["school"]
        .as_array()
        .map(|schools| {
            schools
                .iter()
                .filter_map(|school| school["urn"].as_u64())
                .collect()
        })
        .unwrap_or_default()
}

/// How many records of `entity` a replica holds.
fn count(replica: &Replica, entity: &str) -> usize {
    replica.export()[entity].as_array().map_or(0, Vec::len)
}

fn reassigned_school_leaves_its_former_link_sia(office: Office) {
    let backend = office.backend();
    office.import_demo_schools();
    let priya_account =
        office.add_adviser("Priya Raman", "priya.raman@fenbridge.gov.uk", "link-sia");
    let tom_account = office.add_adviser("Tom Ashby", "tom.ashby@fenbridge.gov.uk", "link-sia");
    assign(&office, &priya_account);
    let priya = Replica::enrol(&office, "Priya", &priya_account, Some(ST_MARYS));
    let tom = Replica::enrol(&office, "Tom", &tom_account, None);
    priya.sync();
    let visit = priya.add_visit(ST_MARYS, "Core visit: phonics in Reception");
    priya.add_action(&visit, "Share the phonics scheme with parents");
    priya.sync();
    tom.sync();
    assert_eq!(schools(&tom), Vec::<u64>::new(), "{backend}");

    // Offline, Priya adds to her notes; meanwhile the office hands the
    // school to Tom.
    priya.write_notes(&visit, "Core visit: phonics in Reception and Year 1");
    assign(&office, &tom_account);
    let report = priya.sync();
    let withdrawn = report["withdrawn"].as_array().cloned().unwrap_or_default();
    assert_eq!(withdrawn.len(), 1, "{backend}: {report}");
    let message = withdrawn[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("(URN {ST_MARYS}) is no longer in your caseload")),
        "{backend}: {message}"
    );
    // Her edit went first: refused, and kept with what she typed.
    let refused = report["refused"].as_array().cloned().unwrap_or_default();
    assert_eq!(refused.len(), 1, "{backend}: {report}");
    assert!(
        refused[0]["fields"].to_string().contains("and Year 1"),
        "{backend}: {refused:?}"
    );
    assert_eq!(schools(&priya), Vec::<u64>::new(), "{backend}");
    assert_eq!(count(&priya, "visit"), 0, "{backend}");
    assert_eq!(count(&priya, "action"), 0, "{backend}");
    assert_eq!(
        count(&priya, "adviser"),
        2,
        "{backend}: the directory stays"
    );
    priya.sync();
    assert_eq!(
        schools(&priya),
        Vec::<u64>::new(),
        "{backend}: it stays gone"
    );

    tom.sync();
    assert_eq!(schools(&tom), vec![ST_MARYS], "{backend}");
    assert!(tom.visit_ids().contains(&visit), "{backend}");
    assert_eq!(count(&tom, "action"), 1, "{backend}");

    // Back to Priya: she has it all again, and Tom's sync says it left him.
    assign(&office, &priya_account);
    priya.sync();
    assert_eq!(schools(&priya), vec![ST_MARYS], "{backend}");
    assert!(priya.visit_ids().contains(&visit), "{backend}");
    assert_eq!(count(&priya, "action"), 1, "{backend}");
    let said = tom.store.ok(&["sync"]);
    assert!(
        said.contains(&format!("(URN {ST_MARYS}) is no longer in your caseload")),
        "{backend}: {said}"
    );
    assert_eq!(schools(&tom), Vec::<u64>::new(), "{backend}");
    assert_eq!(count(&tom, "visit"), 0, "{backend}");
}

#[test]
fn a_reassigned_school_leaves_its_former_link_sia_on_sqlite() {
    reassigned_school_leaves_its_former_link_sia(Office::start());
}

#[test]
fn a_reassigned_school_leaves_its_former_link_sia_on_postgres() {
    if let Some(store) =
        OfficeStore::postgres("a_reassigned_school_leaves_its_former_link_sia_on_postgres")
    {
        reassigned_school_leaves_its_former_link_sia(Office::start_on(store));
    }
}

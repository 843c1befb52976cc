//! Three advisers' stores syncing through the real office: the
//! `caseload-office` binary on a loopback port with an SQLite data folder
//! (the convergence story also on a PostgreSQL database, when
//! `CASELOAD_TEST_POSTGRES` names a server; skipped with a notice otherwise),
//! two link SIAs and a Senior SIA enrolled with `caseload enrol`, editing
//! offline and syncing with `caseload sync` in every order. Every replica
//! ends with the same records (for what each may see) and every edit is in
//! the records or kept as a conflict on every replica that sees it.

mod common;

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::office::{Office, OfficeStore, Replica};
use common::proxy::{Counts, Fault, Proxy};
use common::Scratch;
use serde_json::{json, Value};

const ST_MARYS: u64 = 990001;
const CASTLE_HILL: u64 = 990002;

/// The records of `full` that `replica` may see.
fn visible(replica: &Replica, full: &Value) -> Value {
    let mut records = serde_json::Map::new();
    for (entity, list) in full.as_object().expect("records by type") {
        let kept: Vec<Value> = list
            .as_array()
            .expect("a list")
            .iter()
            .filter(|record| replica.sees(entity, record))
            .cloned()
            .collect();
        records.insert(entity.clone(), Value::Array(kept));
    }
    Value::Object(records)
}

/// A conflict as every replica sees it: which device wrote it aside.
fn conflict_key(conflict: &Value) -> (String, String, String, String, String) {
    (
        conflict["entity"].as_str().unwrap_or_default().to_owned(),
        conflict["key"].as_str().unwrap_or_default().to_owned(),
        conflict["field"].as_str().unwrap_or_default().to_owned(),
        conflict["kept"]["value"].to_string(),
        conflict["lost"]["value"].to_string(),
    )
}

fn notes_of(records: &Value, visit: &str) -> String {
    records["visit"]
        .as_array()
        .expect("visits")
        .iter()
        .find(|record| record["id"] == json!(visit))
        .unwrap_or_else(|| panic!("visit {visit} is there"))["notes"]
        .to_string()
}

fn permutations() -> Vec<[usize; 3]> {
    vec![
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ]
}

#[test]
fn three_advisers_edit_offline_and_every_sync_order_converges_on_sqlite() {
    three_advisers_edit_offline_and_every_sync_order_converges(Office::start());
}

#[test]
fn three_advisers_edit_offline_and_every_sync_order_converges_on_postgres() {
    if let Some(store) = OfficeStore::postgres(
        "three_advisers_edit_offline_and_every_sync_order_converges_on_postgres",
    ) {
        three_advisers_edit_offline_and_every_sync_order_converges(Office::start_on(store));
    }
}

/// With no edit lost: each is in the records or kept as a conflict.
fn three_advisers_edit_offline_and_every_sync_order_converges(office: Office) {
    office.import_demo_schools();
    let account = |name: &str, email: &str, role: &str| {
        office.admin_json(&[
            "adviser", "add", "--name", name, "--email", email, "--role", role,
        ])
    };
    let priya_account = account("Priya Raman", "priya.raman@fenbridge.gov.uk", "link-sia");
    let tom_account = account("Tom Ashby", "tom.ashby@fenbridge.gov.uk", "link-sia");
    let margaret_account = account(
        "Margaret Okonjo",
        "margaret.okonjo@fenbridge.gov.uk",
        "senior-sia",
    );
    for (adviser, urn) in [(&priya_account, ST_MARYS), (&tom_account, CASTLE_HILL)] {
        office.admin(&[
            "adviser",
            "assign",
            "--adviser",
            adviser["id"].as_str().expect("an id"),
            "--urn",
            &urn.to_string(),
        ]);
    }
    let priya = Replica::enrol(&office, "Priya", &priya_account, Some(ST_MARYS));
    let tom = Replica::enrol(&office, "Tom", &tom_account, Some(CASTLE_HILL));
    let margaret = Replica::enrol(&office, "Margaret", &margaret_account, None);
    let replicas = [&priya, &tom, &margaret];

    // A first sync brings each adviser their caseload and the directory.
    for replica in replicas {
        let report = replica.sync();
        assert!(report["pulled"].as_u64().expect("a count") > 0, "{report}");
    }
    assert_eq!(priya.export()["school"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        margaret.export()["school"].as_array().map(Vec::len),
        Some(30)
    );
    assert_eq!(priya.export()["adviser"].as_array().map(Vec::len), Some(3));

    // Each link SIA's visit, which the Senior SIA will also write to.
    let st_marys_visit = priya.add_visit(ST_MARYS, "Core visit: phonics");
    let castle_hill_visit = tom.add_visit(CASTLE_HILL, "Core visit: attendance");
    for replica in replicas {
        replica.sync();
    }
    for replica in replicas {
        replica.sync();
    }

    let mut new_visits = Vec::new();
    for (round, order) in permutations().into_iter().enumerate() {
        // Offline, all at once: Priya and Margaret rewrite the same notes;
        // Tom rewrites his notes while Margaret agrees an action on his
        // visit; Priya and Tom each plan a new visit.
        let priya_notes = format!("Round {round}: Priya's notes");
        let margaret_notes = format!("Round {round}: Margaret's notes");
        let tom_notes = format!("Round {round}: Tom's notes");
        let action = format!("Round {round}: review attendance with the governors");
        priya.write_notes(&st_marys_visit, &priya_notes);
        margaret.write_notes(&st_marys_visit, &margaret_notes);
        tom.write_notes(&castle_hill_visit, &tom_notes);
        margaret.add_action(&castle_hill_visit, &action);
        new_visits.push(priya.add_visit(ST_MARYS, &format!("Round {round}: planned by Priya")));
        new_visits.push(tom.add_visit(CASTLE_HILL, &format!("Round {round}: planned by Tom")));

        // Everyone syncs in this round's order, then again in the same order.
        let mut refused = 0;
        for _ in 0..2 {
            for index in order {
                let report = replicas[index].sync();
                refused += report["refused"].as_array().map_or(0, Vec::len);
            }
        }
        assert_eq!(refused, 0, "round {round}, order {order:?}");

        // Every replica holds exactly what the Senior SIA holds, in its scope.
        let full = margaret.export();
        for replica in [&priya, &tom] {
            assert_eq!(
                replica.export(),
                visible(replica, &full),
                "round {round}, order {order:?}: {} differs from the Senior SIA",
                replica.name
            );
        }

        // Tom's notes and Margaret's action arrived everywhere they may.
        assert!(notes_of(&full, &castle_hill_visit).contains(&tom_notes));
        assert!(
            tom.export()["action"]
                .as_array()
                .expect("actions")
                .iter()
                .any(|record| record["text"] == json!(action)),
            "round {round}: Margaret's action reached Tom"
        );

        // One of the rival notes shows; the other is a conflict both see.
        let shown = notes_of(&full, &st_marys_visit);
        let (winner, loser) = if shown.contains(&priya_notes) {
            (&priya_notes, &margaret_notes)
        } else {
            assert!(shown.contains(&margaret_notes), "round {round}: {shown}");
            (&margaret_notes, &priya_notes)
        };
        let seen_by = |replica: &Replica| -> BTreeSet<_> {
            replica.conflicts().iter().map(conflict_key).collect()
        };
        let priya_conflicts = seen_by(&priya);
        assert_eq!(priya_conflicts, seen_by(&margaret), "round {round}");
        assert_eq!(
            priya_conflicts.len(),
            1,
            "round {round}: {priya_conflicts:?}"
        );
        let (entity, key, field, kept, lost) =
            priya_conflicts.iter().next().expect("one conflict").clone();
        assert_eq!(
            (entity.as_str(), key.as_str(), field.as_str()),
            ("visit", st_marys_visit.as_str(), "notes")
        );
        assert!(kept.contains(winner.as_str()) && lost.contains(loser.as_str()));
        assert!(tom.conflicts().is_empty(), "a conflict Tom may not see");
    }

    // Every visit planned offline is on every replica entitled to it.
    let full = margaret.export();
    let ids: BTreeSet<&str> = full["visit"]
        .as_array()
        .expect("visits")
        .iter()
        .filter_map(|record| record["id"].as_str())
        .collect();
    for visit in &new_visits {
        assert!(
            ids.contains(visit.as_str()),
            "visit {visit} reached the office"
        );
    }

    // Margaret resolves the conflict by an ordinary edit; it goes everywhere.
    margaret.write_notes(&st_marys_visit, "Agreed notes");
    assert!(margaret.conflicts().is_empty());
    for replica in [&margaret, &priya] {
        replica.sync();
    }
    assert!(priya.conflicts().is_empty());
    assert!(notes_of(&priya.export(), &st_marys_visit).contains("Agreed notes"));

    // Priya finalises a visit while Margaret, offline, edits it: the office
    // refuses Margaret's edit, she is told why, and her store shows the
    // finalised note again.
    let finalised = &new_visits[new_visits.len() - 2];
    priya.store.ok(&["visit", "finalise", "--visit", finalised]);
    margaret.write_notes(finalised, "A late thought");
    priya.sync();
    let report = margaret.sync();
    let refusals = report["refused"].as_array().expect("refusals");
    assert_eq!(refusals.len(), 1, "{report}");
    assert_eq!(refusals[0]["reason"], "frozen");
    assert!(refusals[0]["message"]
        .as_str()
        .is_some_and(|message| message.contains("finalised")));
    let text = margaret.store.ok(&["sync"]);
    assert!(text.contains("Pushed 0"), "{text}");
    assert_eq!(priya.export(), visible(&priya, &margaret.export()));
    assert!(!notes_of(&margaret.export(), finalised).contains("A late thought"));
}

#[test]
fn enrolment_needs_a_good_code_and_sync_needs_an_enrolment() {
    let office = Office::start();
    let store = Scratch::new();
    let output = store.run(&["sync"]);
    assert!(!output.status.success());
    assert!(common::stderr(&output).contains("not enrolled"));
    let output = store.run(&["enrol", "--server", &office.url, "--code", "ABCD-EFGH-JKMN"]);
    assert!(!output.status.success());
    let message = common::stderr(&output);
    assert!(message.contains("the office refused"), "{message}");
    let output = store.run(&[
        "enrol",
        "--server",
        "http://office.example",
        "--code",
        "ABCD-EFGH-JKMN",
    ]);
    assert!(common::stderr(&output).contains("unencrypted"));
}

#[test]
fn a_store_holding_the_demo_caseload_is_never_enrolled() {
    let office = Office::start();
    office.import_demo_schools();
    let account = office.admin_json(&[
        "adviser",
        "add",
        "--name",
        "Priya Raman",
        "--email",
        "priya.raman@fenbridge.gov.uk",
        "--role",
        "link-sia",
    ]);
    let code = account["enrol_code"].as_str().expect("a code");
    let demo = Scratch::new();
    assert!(demo.run(&["demo"]).status.success());
    let output = demo.run(&["enrol", "--server", &office.url, "--code", code]);
    assert!(!output.status.success());
    let message = common::stderr(&output);
    assert!(message.contains("demo caseload"), "{message}");
    assert!(demo.run(&["sync"]).status.code() != Some(0));
    // The refusal did not spend the code: a new store enrols with it, and
    // the office holds none of the demo's made-up records.
    let replica = Replica::enrol(&office, "Priya", &account, None);
    let report = replica.sync();
    assert_eq!(report["pushed"], 0, "{report}");
    let visits = replica.export()["visit"].as_array().map_or(0, Vec::len);
    assert_eq!(visits, 0, "the office holds demo visits");
}

#[test]
fn a_sync_cut_mid_answer_is_retried_and_applies_nothing_twice() {
    let office = Office::start();
    office.import_demo_schools();
    let account = office.admin_json(&[
        "adviser",
        "add",
        "--name",
        "Margaret Okonjo",
        "--email",
        "margaret.okonjo@fenbridge.gov.uk",
        "--role",
        "senior-sia",
    ]);
    let margaret = Replica::enrol(&office, "Margaret", &account, None);
    // Every other connection's answer cut a few bytes into its body.
    let proxy = Proxy::start(&office.url, |connection| {
        if connection % 2 == 0 {
            Fault::CutAnswer { keep: 10 }
        } else {
            Fault::None
        }
    });

    // A first sync through the proxy: its first pull is cut, then retried.
    let first = margaret
        .store
        .json(&["sync", "--server", &proxy.url, "--json"]);
    assert_eq!(first["pulled"], 31, "{first}");
    let visits: Vec<String> = (0..3)
        .map(|n| margaret.add_visit(ST_MARYS, &format!("Visit {n}")))
        .collect();
    // The push reaches the office but its answer is cut: the retry finds
    // every operation applied already.
    let report = margaret.sync();
    assert_eq!(report["pushed"], 3, "{report}");
    assert_eq!(report["duplicate"], 3, "{report}");
    assert_eq!(report["applied"], 0, "{report}");
    assert!(Counts::get(&proxy.counts.cuts) >= 2);
    assert_eq!(margaret.store.json(&["sync", "--json"])["pushed"], 0);

    // A second device pulls exactly the three visits, once each.
    let second_code = office.admin_json(&[
        "adviser",
        "code",
        "--adviser",
        account["id"].as_str().expect("an id"),
    ]);
    let laptop = Replica::enrol(
        &office,
        "Margaret's laptop",
        &json!({
            "id": account["id"],
            "enrol_code": second_code["enrol_code"],
        }),
        None,
    );
    laptop
        .store
        .json(&["sync", "--server", &proxy.url, "--json"]);
    assert_eq!(laptop.export(), margaret.export());
    let pulled: BTreeSet<String> = laptop.export()["visit"]
        .as_array()
        .expect("visits")
        .iter()
        .filter_map(|visit| visit["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(pulled, visits.into_iter().collect());
}

/// Starts `caseload sync` through the slow proxy at `server` and kills it
/// (SIGKILL) as soon as the proxy holds the office's first answer to it.
fn kill_sync_when_answered(replica: &Replica, proxy: &Proxy) {
    let held = &proxy.counts.held;
    let before = Counts::get(held);
    let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(&replica.store.db)
        .args(["sync", "--server", &proxy.url])
        .env_remove("CASELOAD_DB")
        .env("CASELOAD_PASSPHRASE", common::PASSPHRASE)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("caseload sync starts");
    for _ in 0..600 {
        if Counts::get(held) > before {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(Counts::get(held) > before, "the office never answered");
    let still_running = matches!(child.try_wait(), Ok(None));
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "the sync ended before it could be killed");
}

#[test]
fn a_client_killed_mid_push_or_mid_pull_loses_nothing_and_applies_nothing_twice() {
    let office = Office::start();
    office.import_demo_schools();
    let account = |email: &str| {
        office.admin_json(&[
            "adviser",
            "add",
            "--name",
            "Margaret Okonjo",
            "--email",
            email,
            "--role",
            "senior-sia",
        ])
    };
    let margaret = Replica::enrol(
        &office,
        "Margaret",
        &account("margaret.okonjo@fenbridge.gov.uk"),
        None,
    );
    let helen = Replica::enrol(
        &office,
        "Helen",
        &account("helen.price@fenbridge.gov.uk"),
        None,
    );
    margaret.sync();
    let proxy = Proxy::start(&office.url, |_| Fault::HoldAnswer(Duration::from_secs(30)));

    // Killed while the office's answer to its push is held: the office has
    // the visits, the store still has them waiting.
    let visits: BTreeSet<String> = (0..3)
        .map(|n| margaret.add_visit(ST_MARYS, &format!("Visit {n}")))
        .collect();
    kill_sync_when_answered(&margaret, &proxy);
    let report = margaret
        .store
        .json(&["sync", "--server", &office.url, "--json"]);
    assert_eq!(report["pushed"], 3, "{report}");
    assert_eq!(
        report["duplicate"], 3,
        "applied once, before the kill: {report}"
    );

    // Killed while its first pull's answer is held: nothing is half-applied,
    // and the next sync brings everything.
    kill_sync_when_answered(&helen, &proxy);
    assert!(helen.export()["school"]
        .as_array()
        .is_some_and(Vec::is_empty));
    helen
        .store
        .json(&["sync", "--server", &office.url, "--json"]);
    assert_eq!(helen.export(), margaret.export());
    let pulled: BTreeSet<String> = helen.export()["visit"]
        .as_array()
        .expect("visits")
        .iter()
        .filter_map(|visit| visit["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(pulled, visits);
}

//! The office killed (SIGKILL) mid-push and mid-pull and started again on
//! the same store, while a loopback proxy cuts three connections in ten
//! mid-answer: `caseload sync` retries what failed, and in the end no edit
//! is lost, none is applied twice, and no outbox is left holding anything.
//!
//! On SQLite always; on PostgreSQL when `CASELOAD_TEST_POSTGRES` names a
//! server (./scripts/with-postgres starts one), skipped with a notice
//! otherwise.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::office::{Office, OfficeStore, Replica};
use common::proxy::{thirty_percent_cut, Counts, Fault, Proxy};
use serde_json::Value;

const ST_MARYS: u64 = 990001;

/// A sync through the proxy.
fn sync(replica: &Replica, proxy: &Proxy) -> Value {
    replica
        .store
        .json(&["sync", "--server", &proxy.url, "--json"])
}

/// Starts a sync through the proxy with `fault` on its first connection,
/// kills the office once the fault has struck, starts it again on its
/// store and lets the sync's retries find it; what the sync reported.
fn sync_as_the_office_dies(
    replica: &Replica,
    office: &mut Office,
    proxy: &Proxy,
    fault: Fault,
) -> Value {
    let stalled = Counts::get(&proxy.counts.stalled);
    proxy.fault_next(fault);
    let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(&replica.store.db)
        .args(["sync", "--server", &proxy.url, "--json"])
        .env_remove("CASELOAD_DB")
        .env("CASELOAD_PASSPHRASE", common::PASSPHRASE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("caseload sync starts");
    let waiting = Instant::now();
    while Counts::get(&proxy.counts.stalled) == stalled {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "{fault:?} never struck"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    office.kill();
    office.restart();
    proxy.retarget(&office.url);
    let status = child.wait().expect("the sync ends");
    let (mut out, mut err) = (String::new(), String::new());
    child
        .stdout
        .take()
        .expect("its output")
        .read_to_string(&mut out)
        .expect("read");
    child
        .stderr
        .take()
        .expect("its errors")
        .read_to_string(&mut err)
        .expect("read");
    assert!(
        status.success(),
        "the sync gave up on the restarted office ({fault:?}): {err}"
    );
    serde_json::from_str(&out).expect("a JSON report")
}

fn count(report: &Value, what: &str) -> u64 {
    report[what]
        .as_u64()
        .unwrap_or_else(|| panic!("{what} in {report}"))
}

fn no_refusals(report: &Value) -> bool {
    report["refused"].as_array().is_some_and(Vec::is_empty)
}

fn office_killed_mid_sync_loses_and_repeats_nothing(store: OfficeStore) {
    let backend = store.name();
    let mut office = Office::start_on(store);
    office.import_demo_schools();
    let margaret = Replica::enrol(
        &office,
        "Margaret",
        &office.add_adviser(
            "Margaret Okonjo",
            "margaret.okonjo@fenbridge.gov.uk",
            "senior-sia",
        ),
        None,
    );
    let helen = Replica::enrol(
        &office,
        "Helen",
        &office.add_adviser(
            "Helen Price",
            "helen.price@fenbridge.gov.uk",
            "governance-lead",
        ),
        None,
    );
    let proxy = Proxy::start(&office.url, thirty_percent_cut);
    for replica in [&margaret, &helen] {
        assert_eq!(count(&sync(replica, &proxy), "pulled"), 32, "{backend}");
    }

    // Killed while the push is still arriving: the office applied nothing;
    // the upload fails and is sent again to the restarted office.
    let mut visits: BTreeSet<String> = (0..3)
        .map(|n| margaret.add_visit(ST_MARYS, &format!("Visit {n}, pushed as the office dies")))
        .collect();
    let report = sync_as_the_office_dies(
        &margaret,
        &mut office,
        &proxy,
        Fault::StallRequest { keep: 64 },
    );
    assert_eq!(count(&report, "pushed"), 3, "{backend}: {report}");
    assert_eq!(
        count(&report, "applied") + count(&report, "duplicate"),
        3,
        "{backend}: each operation applied once: {report}"
    );
    assert!(no_refusals(&report), "{backend}: {report}");

    // Killed once it had applied the push, its answer lost with it: the
    // restarted office finds every operation in its store.
    visits.extend(
        (3..6).map(|n| margaret.add_visit(ST_MARYS, &format!("Visit {n}, applied as it dies"))),
    );
    let report = sync_as_the_office_dies(&margaret, &mut office, &proxy, Fault::StallAnswer);
    assert_eq!(
        (
            count(&report, "pushed"),
            count(&report, "applied"),
            count(&report, "duplicate")
        ),
        (3, 0, 3),
        "{backend}: applied before the kill, kept through it: {report}"
    );

    // Killed while a pull's request arrives, then while its answer does:
    // nothing half-applied, and the retried pull brings everything.
    let report =
        sync_as_the_office_dies(&helen, &mut office, &proxy, Fault::StallRequest { keep: 8 });
    assert_eq!(count(&report, "pulled"), 6, "{backend}: {report}");
    assert_eq!(helen.visit_ids(), visits, "{backend}");
    helen.write_notes(
        visits.first().expect("a visit"),
        "Helen's notes, pulled as the office dies",
    );
    sync(&helen, &proxy);
    let report = sync_as_the_office_dies(&margaret, &mut office, &proxy, Fault::StallAnswer);
    assert_eq!(count(&report, "pulled"), 1, "{backend}: {report}");

    // Both edit and sync through the cutting proxy until nothing waits.
    for round in 0..4 {
        visits.insert(margaret.add_visit(ST_MARYS, &format!("Round {round}: Margaret's")));
        visits.insert(helen.add_visit(ST_MARYS, &format!("Round {round}: Helen's")));
        for replica in [&margaret, &helen] {
            let report = sync(replica, &proxy);
            assert!(no_refusals(&report), "{backend}: {report}");
        }
    }
    for replica in [&margaret, &helen] {
        let report = sync(replica, &proxy);
        assert_eq!(
            count(&report, "pushed"),
            0,
            "{backend}: {}'s outbox is empty: {report}",
            replica.name
        );
    }
    assert_eq!(margaret.visit_ids(), visits, "{backend}: no edit lost");
    assert_eq!(helen.export(), margaret.export(), "{backend}");
    assert!(
        Counts::get(&proxy.counts.cuts) >= 3,
        "{backend}: the proxy cut {} answers",
        Counts::get(&proxy.counts.cuts)
    );
}

#[test]
fn the_office_killed_mid_push_and_mid_pull_on_sqlite() {
    office_killed_mid_sync_loses_and_repeats_nothing(OfficeStore::sqlite());
}

#[test]
fn the_office_killed_mid_push_and_mid_pull_on_postgres() {
    if let Some(store) =
        OfficeStore::postgres("the_office_killed_mid_push_and_mid_pull_on_postgres")
    {
        office_killed_mid_sync_loses_and_repeats_nothing(store);
    }
}

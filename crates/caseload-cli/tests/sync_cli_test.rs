//! Three advisers' stores syncing through the real office: the
//! `caseload-office` binary on a loopback port with an SQLite data folder,
//! two link SIAs and a Senior SIA enrolled with `caseload enrol`, editing
//! offline and syncing with `caseload sync` in every order. Every replica
//! ends with the same records (for what each may see) and every edit is in
//! the records or kept as a conflict on every replica that sees it.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use common::{arg, Scratch};
use serde_json::{json, Value};

const ST_MARYS: u64 = 990001;
const CASTLE_HILL: u64 = 990002;

/// The office binary: built beside `caseload` by a workspace build (CI's),
/// or built here for a run of this crate's tests alone.
fn office_binary() -> PathBuf {
    let caseload = Path::new(env!("CARGO_BIN_EXE_caseload"));
    let office =
        caseload.with_file_name(format!("caseload-office{}", std::env::consts::EXE_SUFFIX));
    if !office.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "caseload-office", "--bin", "caseload-office"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build -p caseload-office failed");
    }
    office
}

/// A running `caseload-office serve` on an SQLite data folder.
struct Office {
    binary: PathBuf,
    data: tempfile::TempDir,
    child: Child,
    url: String,
}

impl Office {
    fn start() -> Office {
        let binary = office_binary();
        let data = tempfile::tempdir().expect("a data folder");
        let mut child = Command::new(&binary)
            .env_remove("CASELOAD_OFFICE_DATABASE")
            .arg("--data")
            .arg(data.path())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("caseload-office starts");
        let stdout = child.stdout.take().expect("its output");
        let (found, listening) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("caseload-office listening on ") {
                    let _ = found.send(url.to_owned());
                }
            }
        });
        let url = listening
            .recv_timeout(Duration::from_secs(60))
            .expect("the office says where it listens");
        Office {
            binary,
            data,
            child,
            url,
        }
    }

    /// Runs an admin command beside the server; what it printed.
    fn admin(&self, args: &[&str]) -> String {
        let output = Command::new(&self.binary)
            .env_remove("CASELOAD_OFFICE_DATABASE")
            .arg("--data")
            .arg(self.data.path())
            .args(args)
            .output()
            .expect("caseload-office runs");
        assert!(
            output.status.success(),
            "caseload-office {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn admin_json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.admin(&args)).expect("JSON")
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One adviser's enrolled store.
struct Replica {
    name: &'static str,
    store: Scratch,
    /// The schools it may see (None: every school).
    scope: Option<u64>,
}

impl Replica {
    fn enrol(office: &Office, name: &'static str, account: &Value, scope: Option<u64>) -> Replica {
        let store = Scratch::new();
        let code = account["enrol_code"].as_str().expect("a code");
        let enrolled = store.json(&["enrol", "--server", &office.url, "--code", code, "--json"]);
        assert_eq!(enrolled["adviser"]["id"], account["id"], "{name}");
        Replica { name, store, scope }
    }

    fn sync(&self) -> Value {
        self.store.json(&["sync", "--json"])
    }

    fn export(&self) -> Value {
        self.store.json(&["export", "--json"])["records"].clone()
    }

    fn conflicts(&self) -> Vec<Value> {
        self.store
            .json(&["conflicts", "--json"])
            .as_array()
            .cloned()
            .expect("a list")
    }

    fn add_visit(&self, urn: u64, notes: &str) -> String {
        let file = self.store.file("notes.txt", notes);
        let visit = self.store.json(&[
            "visit",
            "add",
            "--urn",
            &urn.to_string(),
            "--date",
            "2026-10-07",
            "--session",
            "am",
            "--kind",
            "core",
            "--notes",
            arg(&file),
            "--json",
        ]);
        visit["id"].as_str().expect("an id").to_owned()
    }

    fn write_notes(&self, visit: &str, notes: &str) {
        let file = self.store.file("notes.txt", notes);
        self.store
            .ok(&["visit", "notes", "--visit", visit, "--file", arg(&file)]);
    }

    fn add_action(&self, visit: &str, text: &str) {
        self.store.ok(&[
            "action",
            "add",
            "--visit",
            visit,
            "--text",
            text,
            "--owner",
            "Mrs Okafor",
            "--due",
            "2026-12-01",
        ]);
    }

    /// Whether this replica may see a record of `entity` as exported.
    fn sees(&self, entity: &str, record: &Value) -> bool {
        let Some(urn) = self.scope else {
            return true;
        };
        match entity {
            "adviser" => true,
            "school" => record["urn"] == json!(urn),
            _ => record["urn"] == json!(urn),
        }
    }
}

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
fn three_advisers_edit_offline_and_every_sync_order_converges_with_no_edit_lost() {
    let office = Office::start();
    let schools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/schools.csv");
    office.admin_json(&["import", "schools", arg(&schools), "--la", "990"]);
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

/// A loopback proxy to the office that cuts every other connection after
/// the first `keep` bytes of the office's answer: the request has reached
/// the office, the answer never arrives whole. Returns its URL and the
/// number of connections cut so far.
fn cutting_proxy(office: &str, keep: usize) -> (String, Arc<AtomicUsize>) {
    let target = office
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("its address");
    let cuts = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&cuts);
    std::thread::spawn(move || {
        for (index, client) in listener.incoming().enumerate() {
            let (Ok(client), Ok(server)) = (client, TcpStream::connect(&target)) else {
                continue;
            };
            let (Ok(mut from_client), Ok(mut to_server)) = (client.try_clone(), server.try_clone())
            else {
                continue;
            };
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut from_client, &mut to_server);
                let _ = to_server.shutdown(Shutdown::Write);
            });
            let cut = index % 2 == 0;
            let counted = Arc::clone(&counted);
            std::thread::spawn(move || {
                let (mut from_server, mut to_client) = (server, client);
                if !cut {
                    let _ = std::io::copy(&mut from_server, &mut to_client);
                    let _ = to_client.shutdown(Shutdown::Both);
                    return;
                }
                let mut buffer = vec![0; keep];
                let mut sent = 0;
                while sent < keep {
                    match from_server.read(&mut buffer[sent..]) {
                        Ok(0) | Err(_) => break,
                        Ok(read) => {
                            let _ = to_client.write_all(&buffer[sent..sent + read]);
                            sent += read;
                        }
                    }
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = to_client.shutdown(Shutdown::Both);
                let _ = from_server.shutdown(Shutdown::Both);
            });
        }
    });
    (format!("http://{address}"), cuts)
}

#[test]
fn a_sync_cut_mid_answer_is_retried_and_applies_nothing_twice() {
    let office = Office::start();
    let schools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/schools.csv");
    office.admin_json(&["import", "schools", arg(&schools), "--la", "990"]);
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
    let (proxy, cuts) = cutting_proxy(&office.url, 120);

    // A first sync through the proxy: its first pull is cut, then retried.
    let first = margaret.store.json(&["sync", "--server", &proxy, "--json"]);
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
    assert!(cuts.load(Ordering::SeqCst) >= 2);
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
    laptop.store.json(&["sync", "--server", &proxy, "--json"]);
    assert_eq!(laptop.export(), margaret.export());
    let pulled: BTreeSet<String> = laptop.export()["visit"]
        .as_array()
        .expect("visits")
        .iter()
        .filter_map(|visit| visit["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(pulled, visits.into_iter().collect());
}

/// A loopback proxy to the office that holds each answer for `delay`
/// before passing it on: a client killed meanwhile has been heard but not
/// answered. Returns its URL and how many answers it has begun to hold.
fn slow_proxy(office: &str, delay: Duration) -> (String, Arc<AtomicUsize>) {
    let target = office
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("its address");
    let held = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&held);
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let (Ok(client), Ok(server)) = (client, TcpStream::connect(&target)) else {
                continue;
            };
            let (Ok(mut from_client), Ok(mut to_server)) = (client.try_clone(), server.try_clone())
            else {
                continue;
            };
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut from_client, &mut to_server);
                let _ = to_server.shutdown(Shutdown::Write);
            });
            let counted = Arc::clone(&counted);
            std::thread::spawn(move || {
                let (mut from_server, mut to_client) = (server, client);
                let mut buffer = [0; 16 * 1024];
                loop {
                    match from_server.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(read) => {
                            counted.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(delay);
                            if to_client.write_all(&buffer[..read]).is_err() {
                                break;
                            }
                        }
                    }
                }
                let _ = to_client.shutdown(Shutdown::Both);
            });
        }
    });
    (format!("http://{address}"), held)
}

/// Starts `caseload sync` through the slow proxy at `server` and kills it
/// (SIGKILL) as soon as the proxy holds the office's first answer to it.
fn kill_sync_when_answered(replica: &Replica, server: &str, held: &AtomicUsize) {
    let before = held.load(Ordering::SeqCst);
    let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(&replica.store.db)
        .args(["sync", "--server", server])
        .env_remove("CASELOAD_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("caseload sync starts");
    for _ in 0..600 {
        if held.load(Ordering::SeqCst) > before {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        held.load(Ordering::SeqCst) > before,
        "the office never answered"
    );
    let still_running = matches!(child.try_wait(), Ok(None));
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "the sync ended before it could be killed");
}

#[test]
fn a_client_killed_mid_push_or_mid_pull_loses_nothing_and_applies_nothing_twice() {
    let office = Office::start();
    let schools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/schools.csv");
    office.admin_json(&["import", "schools", arg(&schools), "--la", "990"]);
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
    let (proxy, held) = slow_proxy(&office.url, Duration::from_secs(30));

    // Killed while the office's answer to its push is held: the office has
    // the visits, the store still has them waiting.
    let visits: BTreeSet<String> = (0..3)
        .map(|n| margaret.add_visit(ST_MARYS, &format!("Visit {n}")))
        .collect();
    kill_sync_when_answered(&margaret, &proxy, &held);
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
    kill_sync_when_answered(&helen, &proxy, &held);
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

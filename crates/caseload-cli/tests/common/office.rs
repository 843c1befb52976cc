//! The real `caseload-office` binary beside `caseload`: its store (an SQLite
//! folder, or a database of its own on the PostgreSQL server
//! `CASELOAD_TEST_POSTGRES` names), the server on a loopback port, killed
//! and started again on the same store, and advisers' CLI stores enrolled
//! with it.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

use super::{arg, Scratch};

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

/// Where the office keeps its store; a PostgreSQL database is dropped
/// when this is.
pub enum OfficeStore {
    Sqlite(tempfile::TempDir),
    Postgres {
        server: String,
        name: String,
        url: String,
    },
}

/// Runs SQL on the PostgreSQL server at `url` with psql.
fn psql(url: &str, sql: &str) {
    let output = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qc", sql])
        .output()
        .expect("psql runs (PostgreSQL's client: ./scripts/setup installs it)");
    assert!(
        output.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl OfficeStore {
    pub fn sqlite() -> OfficeStore {
        OfficeStore::Sqlite(tempfile::tempdir().expect("a data folder"))
    }

    /// A new database on the server `CASELOAD_TEST_POSTGRES` names, or
    /// None (with a notice) when it names none.
    pub fn postgres(test: &str) -> Option<OfficeStore> {
        let Ok(server) = std::env::var("CASELOAD_TEST_POSTGRES") else {
            eprintln!(
                "{test}: skipped on PostgreSQL: set CASELOAD_TEST_POSTGRES to a server's URL \
                 (./scripts/with-postgres starts a throwaway one)"
            );
            return None;
        };
        let name = format!("caseload_cli_test_{}", uuid::Uuid::now_v7().simple());
        psql(&server, &format!("CREATE DATABASE {name}"));
        let (base, query) = match server.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (server.as_str(), String::new()),
        };
        let (scheme, rest) = base.split_once("://").expect("a postgres:// URL");
        let authority = rest.split('/').next().unwrap_or(rest);
        let url = format!("{scheme}://{authority}/{name}{query}");
        Some(OfficeStore::Postgres { server, name, url })
    }

    pub fn name(&self) -> &'static str {
        match self {
            OfficeStore::Sqlite(_) => "SQLite",
            OfficeStore::Postgres { .. } => "PostgreSQL",
        }
    }

    fn args(&self) -> Vec<OsString> {
        match self {
            OfficeStore::Sqlite(folder) => vec!["--data".into(), folder.path().into()],
            OfficeStore::Postgres { url, .. } => vec!["--database".into(), url.into()],
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(office_binary());
        // The store is the one given here, whatever the environment says.
        command
            .env_remove("CASELOAD_OFFICE_DATABASE")
            .env_remove("CASELOAD_OFFICE_DATA")
            .args(self.args());
        command
    }
}

impl Drop for OfficeStore {
    fn drop(&mut self) {
        if let OfficeStore::Postgres { server, name, .. } = self {
            psql(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// A running `caseload-office serve`, with its store.
pub struct Office {
    store: OfficeStore,
    child: Option<Child>,
    pub url: String,
}

impl Office {
    /// An office on a new SQLite data folder.
    pub fn start() -> Office {
        Office::start_on(OfficeStore::sqlite())
    }

    pub fn start_on(store: OfficeStore) -> Office {
        let mut office = Office {
            store,
            child: None,
            url: String::new(),
        };
        office.restart();
        office
    }

    pub fn backend(&self) -> &'static str {
        self.store.name()
    }

    /// Starts the server on its store (on a new port) and waits until it
    /// says where it listens.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the office is already running");
        let mut child = self
            .store
            .command()
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
        self.url = listening
            .recv_timeout(Duration::from_secs(60))
            .expect("the office says where it listens");
        self.child = Some(child);
    }

    /// Kills the server with SIGKILL: no shutdown, no flush, nothing.
    pub fn kill(&mut self) {
        let mut child = self.child.take().expect("the office is running");
        child.kill().expect("SIGKILL is sent");
        child.wait().expect("the office ends");
    }

    /// Runs an admin command beside the server; what it printed.
    pub fn admin(&self, args: &[&str]) -> String {
        let output = self
            .store
            .command()
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

    pub fn admin_json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        serde_json::from_str(&self.admin(&args)).expect("JSON")
    }

    /// Imports the demo school list (30 schools, URNs from 990001).
    pub fn import_demo_schools(&self) {
        let schools = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/schools.csv");
        self.admin_json(&["import", "schools", arg(&schools), "--la", "990"]);
    }

    /// Opens an account: its id and first enrolment code.
    pub fn add_adviser(&self, name: &str, email: &str, role: &str) -> Value {
        self.admin_json(&[
            "adviser", "add", "--name", name, "--email", email, "--role", role,
        ])
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// One adviser's enrolled store.
pub struct Replica {
    pub name: &'static str,
    pub store: Scratch,
    /// The school it may see (None: every school).
    pub scope: Option<u64>,
}

impl Replica {
    pub fn enrol(
        office: &Office,
        name: &'static str,
        account: &Value,
        scope: Option<u64>,
    ) -> Replica {
        let store = Scratch::new();
        let code = account["enrol_code"].as_str().expect("a code");
        let enrolled = store.json(&["enrol", "--server", &office.url, "--code", code, "--json"]);
        assert_eq!(enrolled["adviser"]["id"], account["id"], "{name}");
        Replica { name, store, scope }
    }

    pub fn sync(&self) -> Value {
        self.store.json(&["sync", "--json"])
    }

    pub fn export(&self) -> Value {
        self.store.json(&["export", "--json"])["records"].clone()
    }

    pub fn conflicts(&self) -> Vec<Value> {
        self.store
            .json(&["conflicts", "--json"])
            .as_array()
            .cloned()
            .expect("a list")
    }

    pub fn add_visit(&self, urn: u64, notes: &str) -> String {
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

    pub fn write_notes(&self, visit: &str, notes: &str) {
        let file = self.store.file("notes.txt", notes);
        self.store
            .ok(&["visit", "notes", "--visit", visit, "--file", arg(&file)]);
    }

    pub fn add_action(&self, visit: &str, text: &str) {
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

    /// The ids of the visits it holds.
    pub fn visit_ids(&self) -> std::collections::BTreeSet<String> {
        self.export()["visit"]
            .as_array()
            .expect("visits")
            .iter()
            .filter_map(|visit| visit["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// Whether this replica may see a record of `entity` as exported.
    pub fn sees(&self, entity: &str, record: &Value) -> bool {
        let Some(urn) = self.scope else {
            return true;
        };
        entity == "adviser" || record["urn"] == json!(urn)
    }
}

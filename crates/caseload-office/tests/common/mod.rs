//! The harness for tests of the real `caseload-office` binary: a store on
//! either backend, the server started on an ephemeral loopback port, the
//! admin commands run beside it, and devices that enrol, push and pull over
//! HTTP as the app will.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use caseload_core::sync::{
    Enrolled, ErrorBody, OpResult, Operation, PullResponse, PushResponse, PROTOCOL_VERSION,
};
use caseload_core::{DeviceId, Hlc, HlcClock};
use serde_json::{json, Value};
use uuid::Uuid;

pub const BINARY: &str = env!("CARGO_BIN_EXE_caseload-office");

/// The folder of the workspace's shipped assets.
pub fn assets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets")
}

/// Where an office keeps its store in a test.
pub enum Backend {
    Sqlite(tempfile::TempDir),
    Postgres {
        /// The database made for this test.
        url: String,
        /// The server it lives on, for dropping it afterwards.
        server: String,
        name: String,
    },
}

impl Backend {
    pub fn sqlite() -> Backend {
        Backend::Sqlite(tempfile::tempdir().expect("a temporary folder"))
    }

    /// A new, empty database on the server `CASELOAD_TEST_POSTGRES` names,
    /// or None (with a notice) when it names none.
    pub async fn postgres(test: &str) -> Option<Backend> {
        let Ok(server) = std::env::var("CASELOAD_TEST_POSTGRES") else {
            eprintln!(
                "{test}: skipped on PostgreSQL: set CASELOAD_TEST_POSTGRES to a server's URL \
                 (scripts/test starts a throwaway one)"
            );
            return None;
        };
        let name = format!("caseload_test_{}", Uuid::now_v7().simple());
        execute(&server, &format!("CREATE DATABASE {name}")).await;
        Some(Backend::Postgres {
            url: with_database(&server, &name),
            server,
            name,
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "SQLite",
            Backend::Postgres { .. } => "PostgreSQL",
        }
    }

    pub fn store_args(&self) -> Vec<String> {
        match self {
            Backend::Sqlite(folder) => vec!["--data".into(), folder.path().display().to_string()],
            Backend::Postgres { url, .. } => vec!["--database".into(), url.clone()],
        }
    }

    /// Drops a PostgreSQL test database (SQLite's folder goes by itself).
    pub async fn clean_up(self) {
        if let Backend::Postgres { server, name, .. } = self {
            execute(
                &server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

async fn execute(server: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(server, tokio_postgres::NoTls)
        .await
        .expect("CASELOAD_TEST_POSTGRES names a server that answers");
    let connection = tokio::spawn(connection);
    client.batch_execute(sql).await.expect(sql);
    drop(client);
    let _ = connection.await;
}

/// `server` with its database replaced by `name`.
pub fn with_database(server: &str, name: &str) -> String {
    let (scheme, rest) = server.split_once("://").expect("a postgres:// URL");
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, format!("?{query}")),
        None => (rest, String::new()),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{name}{query}")
}

/// Runs an admin command on the backend's store; its standard output.
pub fn admin(backend: &Backend, args: &[&str]) -> String {
    let output = Command::new(BINARY)
        .args(backend.store_args())
        .args(args)
        .output()
        .expect("caseload-office runs");
    assert!(
        output.status.success(),
        "caseload-office {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs an admin command with `--json` and reads its answer.
pub fn admin_json(backend: &Backend, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    let out = admin(backend, &args);
    serde_json::from_str(&out).unwrap_or_else(|error| panic!("{args:?} printed {out:?}: {error}"))
}

/// A running `caseload-office serve`.
pub struct OfficeProcess {
    child: Child,
    pub base: String,
    log: PathBuf,
    _log_folder: tempfile::TempDir,
}

impl OfficeProcess {
    /// Starts the office on an ephemeral loopback port and waits until it
    /// says where it listens.
    pub fn start(backend: &Backend, extra: &[&str]) -> OfficeProcess {
        // A workspace build gives the tests' reqwest the store's rustls
        // without a crypto provider, and a client built without one panics:
        // name ring, as the store's sync client does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let folder = tempfile::tempdir().expect("a temporary folder");
        let log = folder.path().join("office.log");
        let mut child = Command::new(BINARY)
            .args(backend.store_args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("caseload-office starts");
        let stdout = child.stdout.take().expect("its standard output");
        let (found, listening) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("caseload-office listening on ") {
                    let _ = found.send(url.to_owned());
                }
            }
        });
        let base = match listening.recv_timeout(Duration::from_secs(60)) {
            Ok(base) => base,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "caseload-office did not start: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        OfficeProcess {
            child,
            base,
            log,
            _log_folder: folder,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for the office to finish.
    pub fn stop(mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("caseload-office did not stop within 10 s of SIGTERM");
    }
}

impl Drop for OfficeProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            let mut log = String::new();
            if let Ok(mut file) = std::fs::File::open(&self.log) {
                let _ = file.read_to_string(&mut log);
            }
            eprintln!("--- caseload-office's log ---\n{log}");
        }
    }
}

/// An error answer: its status and body.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: ErrorBody,
}

async fn answer<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T, Refused> {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    if (200..300).contains(&status) {
        Ok(serde_json::from_str(&text).unwrap_or_else(|error| panic!("{text}: {error}")))
    } else {
        Err(Refused {
            status,
            body: serde_json::from_str(&text).unwrap_or_else(|error| panic!("{text}: {error}")),
        })
    }
}

/// POSTs JSON to the office, with a bearer token if given.
pub async fn post<T: serde::de::DeserializeOwned>(
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> Result<T, Refused> {
    let mut request = reqwest::Client::new().post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    answer(request.send().await.expect("the office answers")).await
}

/// An enrolled device, as the app would be.
pub struct Device {
    pub id: DeviceId,
    pub token: String,
    pub adviser: Uuid,
    base: String,
    clock: HlcClock,
    /// Where its next pull starts.
    pub cursor: u64,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("id", &self.id)
            .field("adviser", &self.adviser)
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}

/// Enrols a new device with `code`.
pub async fn enrol(office: &OfficeProcess, code: &str) -> Result<Device, Refused> {
    Ok(enrol_answer(office, code).await?.0)
}

/// Enrols a new device with `code`; the device and the office's answer as
/// it came, for tests of what the answer reveals.
pub async fn enrol_answer(office: &OfficeProcess, code: &str) -> Result<(Device, Value), Refused> {
    let id = DeviceId(Uuid::now_v7());
    let answer: Value = post(
        &office.url("/enrol"),
        None,
        &json!({"protocol": PROTOCOL_VERSION, "code": code, "device": id, "name": "test laptop"}),
    )
    .await?;
    let enrolled: Enrolled =
        serde_json::from_value(answer.clone()).unwrap_or_else(|error| panic!("{answer}: {error}"));
    assert_eq!(enrolled.device, id);
    let device = Device {
        id,
        token: enrolled.token,
        adviser: enrolled.adviser.id.0,
        base: office.base.clone(),
        clock: HlcClock::resume(Hlc(0)),
        cursor: 0,
    };
    Ok((device, answer))
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

impl Device {
    /// An operation by this device: `fields` written, having seen the
    /// record's state numbered `seen`.
    pub fn op(&mut self, entity: &str, key: &str, seen: u64, fields: Value) -> Operation {
        Operation {
            op_id: Uuid::now_v7(),
            entity: entity.to_owned(),
            key: key.to_owned(),
            hlc: self.clock.tick(now_millis()),
            device: self.id,
            seen,
            fields: fields.as_object().cloned().unwrap_or_default(),
            deleted: false,
        }
    }

    pub fn delete(&mut self, entity: &str, key: &str, seen: u64) -> Operation {
        Operation {
            deleted: true,
            ..self.op(entity, key, seen, json!({}))
        }
    }

    pub async fn push(&self, operations: &[Operation]) -> Result<Vec<OpResult>, Refused> {
        let response: PushResponse = post(
            &format!("{}/sync/push", self.base),
            Some(&self.token),
            &json!({"protocol": PROTOCOL_VERSION, "operations": operations}),
        )
        .await?;
        assert_eq!(response.results.len(), operations.len());
        Ok(response.results)
    }

    /// One page after `after`.
    pub async fn pull_page(&self, after: u64, limit: u32) -> Result<PullResponse, Refused> {
        post(
            &format!("{}/sync/pull", self.base),
            Some(&self.token),
            &json!({"protocol": PROTOCOL_VERSION, "after": after, "limit": limit}),
        )
        .await
    }

    /// Every change after the device's cursor, page by page; moves the cursor.
    pub async fn pull(&mut self) -> Result<Vec<caseload_core::sync::Change>, Refused> {
        let mut changes = Vec::new();
        loop {
            let page = self.pull_page(self.cursor, 0).await?;
            for change in &page.changes {
                for register in change.state.fields.values() {
                    for head in register.heads() {
                        self.clock.observe(head.hlc, now_millis());
                    }
                }
            }
            changes.extend(page.changes);
            self.cursor = page.cursor;
            if !page.more {
                return Ok(changes);
            }
        }
    }
}

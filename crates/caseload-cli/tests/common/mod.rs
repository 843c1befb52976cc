//! Running the `caseload` binary against a store of its own, for the tests.

// Each test file uses its own share of these helpers.
#![allow(dead_code)]

pub mod office;
pub mod proxy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The passphrase every store of these tests is encrypted with, given to
/// `caseload` as a person at a terminal would: in `CASELOAD_PASSPHRASE`.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// A temporary folder holding the store the binary is pointed at.
pub struct Scratch {
    folder: tempfile::TempDir,
    pub db: PathBuf,
}

impl Scratch {
    /// No store yet: its folder does not exist either.
    pub fn new() -> Scratch {
        let folder = tempfile::tempdir().expect("temp dir");
        let db = folder.path().join("nested").join("caseload.sqlite3");
        Scratch { folder, db }
    }

    /// A store holding the demo caseload.
    pub fn demo() -> Scratch {
        let scratch = Scratch::new();
        scratch.ok(&["demo"]);
        scratch
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_passphrase(args, Some(PASSPHRASE))
    }

    /// Runs `caseload` with `passphrase` in `CASELOAD_PASSPHRASE`, or with
    /// none and no keyring within reach (the Secret Service is found on the
    /// session bus, pointed nowhere here): a computer where nothing gives a key.
    pub fn run_with_passphrase(&self, args: &[&str], passphrase: Option<&str>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_caseload"));
        command
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("CASELOAD_DB");
        match passphrase {
            Some(passphrase) => command.env("CASELOAD_PASSPHRASE", passphrase),
            None => command.env_remove("CASELOAD_PASSPHRASE").env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/caseload-test-bus",
            ),
        };
        command.output().expect("caseload runs")
    }

    /// Runs a command that must succeed, and returns what it printed.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            stderr(&output)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("JSON output")
    }

    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Writes a file into the scratch folder and returns its path.
    pub fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.folder().join(name);
        std::fs::write(&path, contents).expect("fixture written");
        path
    }
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

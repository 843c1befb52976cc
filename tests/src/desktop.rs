//! The desktop app in a real window, driven over WebDriver.
//!
//! `tauri-driver` speaks W3C WebDriver and starts `WebKitWebDriver`, which
//! starts the app; all three share one process group so that dropping the
//! [`Desktop`] ends every one of them, even when the test panicked.

use std::ffi::OsString;
use std::fs::File;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use thirtyfour::{Capabilities, WebDriver};

/// How long tauri-driver may take to listen, and the app to open its window.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The passphrase the app's store is encrypted with in these tests, given
/// as headless use gives it: in `CASELOAD_PASSPHRASE`.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// A running tauri-driver and the app it launches, with a private store.
#[derive(Debug)]
pub struct Desktop {
    driver: Child,
    port: u16,
    native_port: u16,
    log: PathBuf,
    /// Holds the app's store; removed when the test ends.
    _home: tempfile::TempDir,
}

impl Desktop {
    /// Starts tauri-driver on free ports with `CASELOAD_DB` pointing at a
    /// store in a fresh temporary folder (the app inherits the environment).
    pub fn start() -> anyhow::Result<Self> {
        Self::start_with_store(None)
    }

    /// As [`Desktop::start`], with the app told to use `store` instead.
    pub fn start_with_store(store: Option<&Path>) -> anyhow::Result<Self> {
        Self::start_keyed(store, Some(PASSPHRASE), &[])
    }

    /// As [`Desktop::start_with_store`], with `vars` also set for the app
    /// (`CASELOAD_IDLE_SECONDS`, say).
    pub fn start_with_env(store: &Path, vars: &[(&str, &str)]) -> anyhow::Result<Self> {
        Self::start_keyed(Some(store), Some(PASSPHRASE), vars)
    }

    /// As [`Desktop::start_with_store`], with nothing to give the store's key:
    /// no `CASELOAD_PASSPHRASE` and no keyring within reach (the Secret
    /// Service is found on the session bus, pointed nowhere here), so the
    /// window asks for the passphrase.
    pub fn start_locked(store: &Path) -> anyhow::Result<Self> {
        Self::start_keyed(Some(store), None, &[])
    }

    fn start_keyed(
        store: Option<&Path>,
        passphrase: Option<&str>,
        vars: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let home = tempfile::Builder::new().prefix("caseload-e2e-").tempdir()?;
        let store = store.map_or_else(|| home.path().join("caseload.sqlite3"), Path::to_path_buf);
        let port = free_port()?;
        let native_port = free_port()?;
        let log = home.path().join("tauri-driver.log");
        let log_file = File::create(&log)?;
        let mut driver = Command::new(tauri_driver()?);
        match passphrase {
            Some(passphrase) => driver.env("CASELOAD_PASSPHRASE", passphrase),
            None => driver.env_remove("CASELOAD_PASSPHRASE").env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/caseload-e2e-bus",
            ),
        };
        let driver = driver
            .envs(vars.iter().copied())
            .arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .env("CASELOAD_DB", store)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .process_group(0)
            .spawn()
            .context("could not start tauri-driver")?;
        let mut desktop = Self {
            driver,
            port,
            native_port,
            log,
            _home: home,
        };
        desktop.wait_until_listening()?;
        Ok(desktop)
    }

    /// Opens a WebDriver session, which launches the app and its window.
    pub async fn open(&self, app: &Path) -> anyhow::Result<WebDriver> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app }),
        );
        let caps = Capabilities::from(caps);
        let url = format!("http://127.0.0.1:{}", self.port);
        // A workspace build gives reqwest (under thirtyfour) the store's
        // rustls without a crypto provider, and a client built without one
        // panics: name ring, as the store's sync client does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        tokio::time::timeout(START_TIMEOUT, WebDriver::new(url, caps))
            .await
            .map_err(|_| anyhow::anyhow!("the app did not open a window within {START_TIMEOUT:?}"))?
            .with_context(|| format!("no WebDriver session with the app\n{}", self.log_tail()))
    }

    /// Ends tauri-driver, WebKitWebDriver and the app at once with SIGKILL,
    /// as a crash or a flat battery would: nothing gets to save or clean up.
    /// Returns once none of them is left.
    pub fn kill(mut self) -> anyhow::Result<()> {
        let leader = self.driver.id();
        let group = format!("-{leader}");
        signal_group("KILL", &group);
        self.driver.wait()?;
        let deadline = Instant::now() + START_TIMEOUT;
        while group_running(leader) {
            if Instant::now() > deadline {
                bail!("processes of group {group} outlived SIGKILL for {START_TIMEOUT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// The end of what tauri-driver and WebKitWebDriver printed, for failure messages.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("--- tauri-driver log (last lines) ---\n{tail}")
    }

    /// Waits for tauri-driver and for the WebKitWebDriver it starts: tauri-driver
    /// listens first, and a session asked for before WebKitWebDriver listens fails.
    fn wait_until_listening(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let listening = |port: u16| TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok();
            if listening(self.port) && listening(self.native_port) {
                return Ok(());
            }
            if let Some(status) = self.driver.try_wait()? {
                bail!(
                    "tauri-driver exited ({status}) before listening\n{}",
                    self.log_tail()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "tauri-driver (port {}) and WebKitWebDriver (port {}) were not both \
                     listening within {START_TIMEOUT:?}\n{}",
                    self.port,
                    self.native_port,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // tauri-driver, WebKitWebDriver and the app share the process group
        // led by tauri-driver: ask them all to stop, then make sure.
        let group = format!("-{}", self.driver.id());
        signal_group("TERM", &group);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if matches!(self.driver.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        signal_group("KILL", &group);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn signal_group(signal: &str, group: &str) {
    // kill(1) rather than libc: this workspace forbids unsafe code.
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), "--", group])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// True while a process of the group led by `leader` still runs. A killed
/// process stays a zombie until its new parent reaps it, which some
/// containers' first process never does, so zombies do not count.
fn group_running(leader: u32) -> bool {
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return false;
    };
    processes.flatten().any(|process| {
        std::fs::read_to_string(process.path().join("stat"))
            .is_ok_and(|stat| runs_in_group(&stat, leader))
    })
}

/// Reads `/proc/<pid>/stat`: "pid (name) state ppid pgrp …", where the name
/// may hold spaces and brackets, so the fields are read after the last ')'.
fn runs_in_group(stat: &str, leader: u32) -> bool {
    let Some((_, fields)) = stat.rsplit_once(')') else {
        return false;
    };
    let fields: Vec<&str> = fields.split_whitespace().take(3).collect();
    matches!(fields.as_slice(), [state, _, group] if *state != "Z" && *group == leader.to_string())
}

/// `TAURI_DRIVER` if set, else `tauri-driver` on PATH, else `~/.cargo/bin/tauri-driver`.
fn tauri_driver() -> anyhow::Result<OsString> {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return Ok(path);
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo/bin")))
        .map(|dir| dir.join("tauri-driver"))
        .find(|candidate| candidate.is_file());
    match on_path {
        Some(path) => Ok(path.into_os_string()),
        None => bail!(
            "tauri-driver is not installed: run `cargo install tauri-driver --locked` \
             (./scripts/setup does)"
        ),
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::runs_in_group;

    #[test]
    fn a_zombie_or_a_process_of_another_group_is_not_running_in_the_group() {
        let stat =
            |state: &str, group: u32| format!("4242 (Web (Content) 1) {state} 1 {group} 4242 0 -1");
        assert!(runs_in_group(&stat("S", 900), 900));
        assert!(!runs_in_group(&stat("Z", 900), 900));
        assert!(!runs_in_group(&stat("R", 901), 900));
        assert!(!runs_in_group("garbage", 900));
    }
}

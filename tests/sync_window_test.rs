//! Sync in a real window, against a real `caseload-office` on loopback: an
//! adviser connects an empty app with the office's address and a one-time
//! code, watches the first sync bring their caseload, plans a visit, syncs
//! it to the office, sees a concurrent edit from another adviser kept as a
//! conflict, and sees "Offline" once the office has stopped. A link SIA
//! whose school the office hands to someone else sees it leave the app, and
//! reads why in the sync details.
//!
//! Needs the built app and office, tauri-driver and a display (Xvfb on CI),
//! so it is ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, ensure, Context as _};
use caseload_e2e::desktop::PASSPHRASE;
use caseload_e2e::paths;
use caseload_e2e::window::{click, eventually, rows, run_story, save_screenshot, wait_for};
use serde_json::Value;
use thirtyfour::prelude::*;

const TEST: &str = "an_adviser_connects_to_the_office_and_syncs_from_the_window";

/// The demo school list's first URNs: the adviser's caseload.
const CASELOAD: [&str; 3] = ["990001", "990002", "990003"];

/// Schools beyond the demo's thirty, so that the first sync (a Senior SIA
/// receives every school) runs in pages long enough to watch.
const MORE_SCHOOLS: u32 = 3_000;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn an_adviser_connects_to_the_office_and_syncs_from_the_window() {
    let mut office = Office::start().expect("the office starts");
    let adviser = office
        .json(&[
            "adviser",
            "add",
            "--name",
            "Priya Shah",
            "--email",
            "priya.shah@fenbridge.example",
            "--role",
            "senior-sia",
            "--json",
        ])
        .expect("an adviser");
    let id = adviser["id"].as_str().expect("an id").to_owned();
    for urn in CASELOAD {
        office
            .admin(&["adviser", "assign", "--adviser", &id, "--urn", urn])
            .expect("assigned");
    }
    let code = adviser["enrol_code"].as_str().expect("a code").to_owned();
    run_story(TEST, None, |driver, shots| async move {
        story(driver, shots, &mut office, &code).await
    })
    .await;
}

async fn story(
    driver: WebDriver,
    shots: PathBuf,
    office: &mut Office,
    code: &str,
) -> anyhow::Result<()> {
    fill_in_connection(&driver, office, code).await?;
    save_screenshot(&driver, &shots, TEST, "connect").await?;

    // Every status the header shows from here on, kept by the page itself:
    // a progress that passes between two polls is still seen.
    driver
        .execute(
            r#"
            window.syncStates = [];
            const note = () => {
                const state = document.getElementById('sync-state');
                const text = state ? state.textContent.trim() : '';
                if (text !== window.syncStates[window.syncStates.length - 1]) {
                    window.syncStates.push(text);
                }
            };
            new MutationObserver(note).observe(document.body,
                { subtree: true, childList: true, characterData: true });
            "#,
            Vec::new(),
        )
        .await?;
    click(&driver, ".enrol button[type=\"submit\"]").await?;
    let progress = sync_state_where(&driver, "Syncing: N received", |state| {
        state.starts_with("Syncing: ") && state.ends_with(" received")
    })
    .await?;
    println!("first sync under way: {progress}");
    save_screenshot(&driver, &shots, TEST, "first-sync-progress").await?;
    let done = sync_state(&driver, "Up to date at ").await?;
    ensure!(
        is_clock(done.trim_start_matches("Up to date at ")),
        "the time of the sync as HH:MM: {done:?}"
    );
    let seen: Vec<String> = serde_json::from_value(
        driver
            .execute("return window.syncStates;", Vec::new())
            .await?
            .json()
            .clone(),
    )?;
    println!("statuses shown: {seen:?}");
    ensure!(
        seen.iter()
            .any(|state| state.starts_with("Syncing: ") && state.ends_with(" received")),
        "the first sync showed its progress: {seen:?}"
    );

    // The caseload arrived: the app shows the adviser's three schools.
    click(&driver, "#open-caseload").await?;
    let caseload = eventually("the three schools of the caseload in #schools", || async {
        let rows = rows(&driver).await?;
        Ok((rows.len() == CASELOAD.len()).then_some(rows))
    })
    .await?;
    let mut urns: Vec<&str> = caseload.iter().map(|row| row.urn.as_str()).collect();
    urns.sort_unstable();
    ensure!(urns == CASELOAD, "the caseload's URNs: {urns:?}");
    save_screenshot(&driver, &shots, TEST, "up-to-date").await?;

    // An edit in the app reaches the office with "Sync now".
    click(
        &driver,
        &format!("tr[data-urn=\"{}\"] .school-link", CASELOAD[0]),
    )
    .await?;
    click(&driver, "#plan-visit").await?;
    click(&driver, "#plan-submit").await?;
    wait_for(&driver, "h1#visit-heading", "the new visit's editor").await?;
    let url = driver.current_url().await?;
    let visit = url
        .as_str()
        .rsplit('/')
        .next()
        .context("no visit id in the URL")?
        .to_owned();
    ensure!(
        office.audit_of_visit(&visit)?.is_empty(),
        "the office has no visit {visit} before the sync"
    );
    click(&driver, "#sync-now").await?;
    let audit = eventually(&format!("the office to hold visit {visit}"), || async {
        let rows = office.audit_of_visit(&visit)?;
        Ok((!rows.is_empty()).then_some(rows))
    })
    .await?;
    ensure!(
        audit[0]["account_name"] == "Priya Shah",
        "the office names who pushed the visit: {audit:?}"
    );
    sync_state(&driver, "Up to date at ").await?;
    save_screenshot(&driver, &shots, TEST, "visit-synced").await?;

    // Another Senior SIA rewrites the visit's notes from the CLI and syncs;
    // meanwhile the app writes them too, not having heard: the app's later
    // edit wins, and the CLI's text is kept as a conflict the window lists.
    let other = Adviser::enrol(office, "Sam Okafor")?;
    other.run(&[
        "visit",
        "notes",
        "--visit",
        &visit,
        "--file",
        &other.notes("From the CLI.")?,
    ])?;
    other.run(&["sync"])?;
    let evidence = wait_for(&driver, "textarea[id^=\"evidence-\"]", "an area's evidence").await?;
    evidence.send_keys("Written in the app.").await?;
    eventually("the editor to say \"Saved\"", || async {
        let state = driver.find(By::Css("#save-state")).await?;
        Ok((state.attr("data-state").await?.as_deref() == Some("saved")).then_some(()))
    })
    .await?;
    click(&driver, "#sync-now").await?;
    let conflicted = sync_state(&driver, "Up to date at ").await?;
    let listed = eventually("a conflict in the sync details", || async {
        let rows = driver.find_all(By::Css("table.conflicts tbody tr")).await?;
        match rows.first() {
            Some(row) => Ok(Some(row.text().await?)),
            None => Ok(None),
        }
    })
    .await?;
    println!("{conflicted}; the conflict listed: {listed}");
    ensure!(
        listed.contains("Written in the app.") && listed.contains("From the CLI."),
        "the value shown and the one also written: {listed:?}"
    );
    save_screenshot(&driver, &shots, TEST, "conflict").await?;

    // The office stops: the next sync finds it gone.
    office.stop()?;
    click(&driver, "#sync-now").await?;
    let offline = sync_state(&driver, "Offline").await?;
    println!("after the office stopped: {offline}");
    // The details have stayed open since connecting.
    let details = wait_for(&driver, "#sync-details", "the sync details button").await?;
    if details.attr("aria-expanded").await?.as_deref() != Some("true") {
        details.click().await?;
    }
    let explained = wait_for(&driver, ".sync-panel", "the sync details")
        .await?
        .text()
        .await?;
    ensure!(
        explained.contains("cannot be reached: nothing answers at that address"),
        "the details say why, in words: {explained:?}"
    );
    save_screenshot(&driver, &shots, TEST, "offline").await?;
    Ok(())
}

/// An empty app, not connected: opens the sync details and fills in the
/// office's address and the one-time code, ready to connect.
async fn fill_in_connection(driver: &WebDriver, office: &Office, code: &str) -> anyhow::Result<()> {
    let state = sync_state(driver, "Not connected to the office").await?;
    ensure!(state == "Not connected to the office", "{state:?}");
    click(driver, "#sync-details").await?;
    wait_for(driver, "#office-server", "the office address field")
        .await?
        .send_keys(&office.url)
        .await?;
    wait_for(driver, "#office-code", "the code field")
        .await?
        .send_keys(code)
        .await?;
    Ok(())
}

const REASSIGNED: &str = "a_school_reassigned_by_the_office_leaves_the_window";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_school_reassigned_by_the_office_leaves_the_window() {
    let started = Office::start().expect("the office starts");
    let office = &started;
    let link_sia = |name: &str, email: &str| {
        office
            .json(&[
                "adviser", "add", "--name", name, "--email", email, "--role", "link-sia", "--json",
            ])
            .expect("an adviser")
    };
    let priya = link_sia("Priya Shah", "priya.shah@fenbridge.example");
    let sam = link_sia("Sam Okafor", "sam.okafor@fenbridge.example");
    let assign = |adviser: &Value, urn: &str| {
        let id = adviser["id"].as_str().expect("an id");
        office
            .admin(&["adviser", "assign", "--adviser", id, "--urn", urn])
            .expect("assigned");
    };
    for urn in &CASELOAD[..2] {
        assign(&priya, urn);
    }
    let code = priya["enrol_code"].as_str().expect("a code").to_owned();
    run_story(REASSIGNED, None, |driver, shots| async move {
        fill_in_connection(&driver, office, &code).await?;
        click(&driver, ".enrol button[type=\"submit\"]").await?;
        sync_state(&driver, "Up to date at ").await?;
        ensure!(
            caseload_urns(&driver, 2).await? == CASELOAD[..2],
            "the first sync brings both schools"
        );

        // The office hands the first school to Sam; the next sync takes it
        // off this device and says so.
        assign(&sam, CASELOAD[0]);
        click(&driver, "#sync-now").await?;
        sync_state(&driver, "Up to date at ").await?;
        ensure!(
            caseload_urns(&driver, 1).await? == CASELOAD[1..2],
            "only the school still hers stays"
        );
        let details = wait_for(&driver, "#sync-details", "the sync details button").await?;
        if details.attr("aria-expanded").await?.as_deref() != Some("true") {
            details.click().await?;
        }
        let notice = wait_for(
            &driver,
            ".withdrawn li",
            "the notice of the school that left",
        )
        .await?
        .text()
        .await?;
        ensure!(
            notice.contains(&format!(
                "(URN {}) is no longer in your caseload",
                CASELOAD[0]
            )),
            "the notice names the school: {notice:?}"
        );
        save_screenshot(&driver, &shots, REASSIGNED, "school-withdrawn").await?;
        click(&driver, ".withdrawn li button").await?;
        eventually("the notice to go once dismissed", || async {
            Ok(driver
                .find_all(By::Css(".withdrawn li"))
                .await?
                .is_empty()
                .then_some(()))
        })
        .await
    })
    .await;
}

/// Opens the caseload and waits for `count` schools; their URNs, sorted.
async fn caseload_urns(driver: &WebDriver, count: usize) -> anyhow::Result<Vec<String>> {
    click(driver, "#open-caseload").await?;
    let rows = eventually(&format!("{count} schools in #schools"), || async {
        let rows = rows(driver).await?;
        Ok((rows.len() == count).then_some(rows))
    })
    .await?;
    let mut urns: Vec<String> = rows.into_iter().map(|row| row.urn).collect();
    urns.sort_unstable();
    Ok(urns)
}

/// Waits until the header's sync status starts with `prefix`; returns it.
async fn sync_state(driver: &WebDriver, prefix: &str) -> anyhow::Result<String> {
    sync_state_where(driver, &format!("{prefix}…"), |state| {
        state.starts_with(prefix)
    })
    .await
}

/// Waits until the header's sync status is one `wanted` accepts; returns it.
async fn sync_state_where(
    driver: &WebDriver,
    what: &str,
    wanted: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    eventually(&format!("the sync status to read {what:?}"), || async {
        let text = driver.find(By::Css("#sync-state")).await?.text().await?;
        let text = text.trim();
        Ok(wanted(text).then(|| text.to_owned()))
    })
    .await
}

fn is_clock(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() == 5 && bytes[2] == b':' && [0, 1, 3, 4].iter().all(|&at| bytes[at].is_ascii_digit())
}

/// Another adviser's store, driven through the `caseload` CLI.
struct Adviser {
    folder: tempfile::TempDir,
}

impl Adviser {
    /// A new Senior SIA's store, enrolled with `office` and synced.
    fn enrol(office: &Office, name: &str) -> anyhow::Result<Adviser> {
        let email = format!(
            "{}@fenbridge.example",
            name.to_lowercase().replace(' ', ".")
        );
        let account = office.json(&[
            "adviser",
            "add",
            "--name",
            name,
            "--email",
            &email,
            "--role",
            "senior-sia",
            "--json",
        ])?;
        let code = account["enrol_code"].as_str().context("a code")?;
        let adviser = Adviser {
            folder: tempfile::tempdir()?,
        };
        adviser.run(&["enrol", "--server", &office.url, "--code", code])?;
        adviser.run(&["sync"])?;
        Ok(adviser)
    }

    fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        let output = Command::new(paths::cli_binary()?)
            .arg("--db")
            .arg(self.folder.path().join("caseload.sqlite3"))
            .args(args)
            .env_remove("CASELOAD_DB")
            .env("CASELOAD_PASSPHRASE", PASSPHRASE)
            .output()?;
        if !output.status.success() {
            bail!(
                "caseload {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8(output.stdout)?)
    }

    /// A notes file holding `text`; its path.
    fn notes(&self, text: &str) -> anyhow::Result<String> {
        let file = self.folder.path().join("notes.txt");
        std::fs::write(&file, text)?;
        Ok(file.display().to_string())
    }
}

/// A `caseload-office serve` on loopback, its SQLite store in a folder of
/// its own holding the demo school list and more.
struct Office {
    data: tempfile::TempDir,
    child: Option<Child>,
    url: String,
}

impl Office {
    fn start() -> anyhow::Result<Office> {
        let data = tempfile::tempdir()?;
        let mut office = Office {
            data,
            child: None,
            url: String::new(),
        };
        let schools = office.data.path().join("schools.csv");
        write_school_list(&schools)?;
        office.admin(&[
            "import",
            "schools",
            &schools.display().to_string(),
            "--la",
            "990",
        ])?;
        let mut child = office
            .command()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("caseload-office starts")?;
        let stdout = child.stdout.take().context("its output")?;
        office.child = Some(child);
        let (found, listening) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("caseload-office listening on ") {
                    let _ = found.send(url.to_owned());
                }
            }
        });
        office.url = listening
            .recv_timeout(Duration::from_secs(60))
            .context("the office did not say where it listens")?;
        Ok(office)
    }

    fn command(&self) -> Command {
        let binary = paths::office_binary().unwrap_or_else(|error| panic!("{error:#}"));
        let mut command = Command::new(binary);
        command
            .env_remove("CASELOAD_OFFICE_DATABASE")
            .env_remove("CASELOAD_OFFICE_DATA")
            .arg("--data")
            .arg(self.data.path());
        command
    }

    /// Runs an administrator's command beside the server; what it printed.
    fn admin(&self, args: &[&str]) -> anyhow::Result<String> {
        let output = self.command().args(args).output()?;
        if !output.status.success() {
            bail!(
                "caseload-office {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8(output.stdout)?)
    }

    fn json(&self, args: &[&str]) -> anyhow::Result<Value> {
        Ok(serde_json::from_str(&self.admin(args)?)?)
    }

    /// The pushed operations the office applied to the visit, oldest first.
    fn audit_of_visit(&self, visit: &str) -> anyhow::Result<Vec<Value>> {
        match self.json(&["audit", "--entity", "visit", "--key", visit, "--json"]) {
            Ok(Value::Array(rows)) => Ok(rows),
            Ok(other) => bail!("the audit printed {other}"),
            // The office has no such visit yet.
            Err(error) if format!("{error:#}").contains("has no visit") => Ok(Vec::new()),
            Err(error) => Err(error),
        }
    }

    /// Stops the server and waits for it to end.
    fn stop(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.kill()?;
            child.wait()?;
        }
        Ok(())
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The demo school list (thirty schools, URNs from 990001) and
/// [`MORE_SCHOOLS`] more like its second, numbered from 991001.
fn write_school_list(path: &Path) -> anyhow::Result<()> {
    let demo = paths::workspace_root().join("assets/demo/schools.csv");
    let bytes = std::fs::read(&demo).with_context(|| format!("reading {}", demo.display()))?;
    let mut list = bytes.clone();
    let text = String::from_utf8_lossy(&bytes);
    let model = text
        .lines()
        .find(|line| line.starts_with("990002,"))
        .context("the demo list's second school")?;
    let fields: Vec<&str> = model.split(',').collect();
    if !list.ends_with(b"\n") {
        list.push(b'\n');
    }
    for n in 1..=MORE_SCHOOLS {
        let mut school: Vec<String> = fields.iter().map(|field| (*field).to_owned()).collect();
        school[0] = (991_000 + n).to_string();
        school[3] = (5000 + n).to_string();
        school[4] = format!("Fenbridge School {n}");
        list.extend_from_slice(school.join(",").as_bytes());
        list.push(b'\n');
    }
    std::fs::write(path, list)?;
    Ok(())
}

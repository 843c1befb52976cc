//! The app lock in the real window. The adviser chooses the idle time in
//! Lock settings (kept in this computer's settings file beside the store);
//! text typed in a visit and locked at once with Ctrl+L is saved before
//! the store closes; the locked window holds no school's name in its page
//! source, and the store refuses every command; a wrong passphrase is
//! refused and the right one brings back the same visit with the text in
//! it; left idle, the window locks by itself.
//!
//! The app runs with `CASELOAD_IDLE_SECONDS=15` (a minute, the shortest an
//! adviser can choose, would make the test slow) and its store keyed by
//! `CASELOAD_PASSPHRASE`, which is then what unlocks it.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{ensure, Context as _};
use caseload_e2e::desktop::{Desktop, PASSPHRASE};
use caseload_e2e::paths;
use caseload_e2e::visits::{plan_a_visit, type_into};
use caseload_e2e::window::{
    click, eventually, explained, load_demo_caseload, save_screenshot, wait_for, Row,
};
use thirtyfour::prelude::*;

const TEST: &str =
    "the_window_locks_idle_or_on_ctrl_l_showing_nothing_and_unlocks_to_the_same_visit";
const IDLE_SECONDS: u64 = 15;
const TYPED: &str = "Phonics groups are matched to what pupils know.";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn the_window_locks_idle_or_on_ctrl_l_showing_nothing_and_unlocks_to_the_same_visit() {
    let home = tempfile::tempdir().expect("temp dir");
    let store = home.path().join("caseload.sqlite3");
    if let Err(error) = in_window(&store).await {
        panic!("{TEST} failed: {error:#}");
    }
}

async fn in_window(store: &Path) -> anyhow::Result<()> {
    let app = paths::desktop_binary()?;
    let shots = paths::screenshot_dir()?;
    let seconds = IDLE_SECONDS.to_string();
    let desktop = Desktop::start_with_env(store, &[("CASELOAD_IDLE_SECONDS", &seconds)])?;
    let driver = desktop.open(&app).await?;
    let result = lock_story(&driver, store, &shots).await;
    explained(TEST, &desktop, &driver, result).await?;
    driver.quit().await.context("closing the WebDriver session")
}

async fn lock_story(driver: &WebDriver, store: &Path, shots: &Path) -> anyhow::Result<()> {
    let caseload = load_demo_caseload(driver).await?;
    choose_the_shortest_idle_time(driver, store, shots).await?;

    let school = caseload[0].clone();
    plan_a_visit(driver, &school).await?;
    let visit_url = driver.current_url().await?;
    type_into(driver, "textarea[id^=\"evidence-\"]", TYPED).await?;
    // Locked at once, before the editor's pause: the lock saves the draft first.
    driver
        .active_element()
        .await?
        .send_keys(Key::Control + "l")
        .await?;
    locked_with_nothing_showing(driver, &caseload, shots, "ctrl-l").await?;

    let field = wait_for(driver, "#passphrase", "the passphrase field").await?;
    field.send_keys("not the passphrase").await?;
    click(driver, "#unlock").await?;
    let alert = wait_for(driver, ".error-summary", "the wrong passphrase's message").await?;
    let said = alert.text().await?;
    ensure!(
        said.contains("That passphrase does not open the store"),
        "{said:?}"
    );
    save_screenshot(driver, shots, TEST, "wrong-passphrase").await?;

    unlock(driver).await?;
    ensure!(
        driver.current_url().await? == visit_url,
        "unlocking goes back to the visit"
    );
    let evidence = wait_for(
        driver,
        "textarea[id^=\"evidence-\"]",
        "the visit's evidence",
    )
    .await?;
    let kept = evidence.prop("value").await?.unwrap_or_default();
    ensure!(
        kept.contains(TYPED),
        "the text typed just before the lock was lost: {kept:?}"
    );
    save_screenshot(driver, shots, TEST, "unlocked").await?;

    // Hands off: the window locks by itself once the idle time has passed.
    let idle_from = Instant::now();
    let note = locked_with_nothing_showing(driver, &caseload, shots, "idle").await?;
    let idle_for = idle_from.elapsed();
    ensure!(
        idle_for >= Duration::from_secs(IDLE_SECONDS / 2),
        "locked after {idle_for:?}, before the idle time"
    );
    ensure!(
        note.contains(&format!("locked after {IDLE_SECONDS} seconds without use")),
        "{note:?}"
    );
    unlock(driver).await?;
    wait_for(driver, "textarea[id^=\"evidence-\"]", "the visit again").await?;
    Ok(())
}

/// Lock settings: "1 minute idle", kept in this computer's settings file.
async fn choose_the_shortest_idle_time(
    driver: &WebDriver,
    store: &Path,
    shots: &Path,
) -> anyhow::Result<()> {
    click(driver, "#lock-settings-toggle").await?;
    click(driver, "#lock-after option[value=\"1\"]").await?;
    let saved = wait_for(driver, "#lock-settings .saved", "the setting saved").await?;
    ensure!(saved.text().await?.contains("Saved for this computer"));
    let file = settings_file(store);
    let kept = std::fs::read_to_string(&file)
        .with_context(|| format!("the device's settings {}", file.display()))?;
    ensure!(kept.contains("lock_after = \"1 minute\""), "{kept}");
    save_screenshot(driver, shots, TEST, "lock-settings").await?;
    click(driver, "#lock-settings-toggle").await?;
    Ok(())
}

fn settings_file(store: &Path) -> PathBuf {
    store.with_file_name("caseload.sqlite3.device.toml")
}

/// Waits for the lock screen, then checks that nothing of the caseload is in
/// the page and that the store refuses commands; returns the screen's note.
async fn locked_with_nothing_showing(
    driver: &WebDriver,
    caseload: &[Row],
    shots: &Path,
    step: &str,
) -> anyhow::Result<String> {
    // The page reloads as it locks: a query that meets the reload is tried again.
    let heading = eventually("the lock screen", || async {
        let heading = driver.find(By::Css("h1#unlock-heading")).await?;
        Ok(Some(heading.text().await?))
    })
    .await?;
    ensure!(heading == "Unlock your store", "{heading:?}");
    let source = driver.source().await?;
    for school in caseload {
        ensure!(
            !source.contains(&school.name),
            "{} is in the locked window's page source",
            school.name
        );
    }
    let answer = driver
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               window.__TAURI_INTERNALS__.invoke('list_schools', { scope: 'all' })
                 .then(() => done('answered'), (error) => done(String(error)));"#,
            Vec::new(),
        )
        .await?
        .json()
        .clone();
    ensure!(
        answer.as_str() == Some("Caseload is locked: unlock it to carry on"),
        "the locked store answered a command: {answer}"
    );
    save_screenshot(driver, shots, TEST, &format!("locked-{step}")).await?;
    let note = driver.find(By::Css(".unlock .note")).await?.text().await?;
    Ok(note)
}

async fn unlock(driver: &WebDriver) -> anyhow::Result<()> {
    wait_for(driver, "#passphrase", "the passphrase field")
        .await?
        .send_keys(PASSPHRASE)
        .await?;
    click(driver, "#unlock").await?;
    wait_for(driver, "h1#visit-heading", "the visit after unlocking").await?;
    Ok(())
}

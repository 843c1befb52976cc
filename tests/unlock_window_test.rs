//! The unlock screen in the real window: on a computer where no keyring
//! runs and `CASELOAD_PASSPHRASE` is not set, the app asks for the store's
//! passphrase before it shows anything of the caseload; a wrong one says so
//! and can be retried; the right one opens the caseload. A new store is
//! encrypted with a passphrase the adviser chooses, typed twice.
//!
//! Needs the built app and CLI, tauri-driver and a display (Xvfb on CI), so
//! it is ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::path::Path;
use std::process::Command;

use anyhow::{ensure, Context as _};
use caseload_e2e::desktop::{Desktop, PASSPHRASE};
use caseload_e2e::paths;
use caseload_e2e::window::{
    clear, click, eventually, explained, load_demo_caseload, rows, save_screenshot, wait_for,
};
use thirtyfour::prelude::*;

const UNLOCK_TEST: &str = "a_wrong_passphrase_is_refused_and_the_right_one_opens_the_caseload";
const CHOOSE_TEST: &str = "a_new_store_is_encrypted_with_a_passphrase_chosen_in_the_window";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_wrong_passphrase_is_refused_and_the_right_one_opens_the_caseload() {
    let home = tempfile::tempdir().expect("temp dir");
    let store = home.path().join("caseload.sqlite3");
    demo_store_through_the_cli(&store).expect("the demo store");
    if let Err(error) = in_locked_window(UNLOCK_TEST, &store, unlock_story).await {
        panic!("{UNLOCK_TEST} failed: {error:#}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_new_store_is_encrypted_with_a_passphrase_chosen_in_the_window() {
    let home = tempfile::tempdir().expect("temp dir");
    let store = home.path().join("caseload.sqlite3");
    if let Err(error) = in_locked_window(CHOOSE_TEST, &store, choose_story).await {
        panic!("{CHOOSE_TEST} failed: {error:#}");
    }
    let header = std::fs::read(&store).expect("the store was made");
    assert!(
        !header.starts_with(b"SQLite format 3\0"),
        "the new store is encrypted"
    );
}

/// `caseload demo` into `store`, encrypted with [`PASSPHRASE`].
fn demo_store_through_the_cli(store: &Path) -> anyhow::Result<()> {
    let output = Command::new(paths::cli_binary()?)
        .arg("--db")
        .arg(store)
        .arg("demo")
        .env("CASELOAD_PASSPHRASE", PASSPHRASE)
        .output()
        .context("caseload runs")?;
    ensure!(
        output.status.success(),
        "caseload demo failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// Starts the app on `store` with nothing to give its key, runs `story`.
async fn in_locked_window<F, Fut>(test: &str, store: &Path, story: F) -> anyhow::Result<()>
where
    F: FnOnce(WebDriver, std::path::PathBuf) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let app = paths::desktop_binary()?;
    let shots = paths::screenshot_dir()?;
    let desktop = Desktop::start_locked(store)?;
    let driver = desktop.open(&app).await?;
    let result = story(driver.clone(), shots).await;
    explained(test, &desktop, &driver, result).await?;
    driver.quit().await.context("closing the WebDriver session")
}

async fn unlock_story(driver: WebDriver, shots: std::path::PathBuf) -> anyhow::Result<()> {
    let heading = wait_for(&driver, "h1#unlock-heading", "the unlock screen").await?;
    ensure!(heading.text().await? == "Unlock your store");
    ensure!(
        driver.find_all(By::Css("#schools")).await?.is_empty(),
        "the caseload shows behind the unlock screen"
    );
    let body = driver.find(By::Css("body")).await?.text().await?;
    ensure!(
        !body.contains("Westfield"),
        "a school's name shows before the store is unlocked: {body:?}"
    );
    save_screenshot(&driver, &shots, UNLOCK_TEST, "locked").await?;

    let field = wait_for(&driver, "#passphrase", "the passphrase field").await?;
    ensure!(field.attr("type").await?.as_deref() == Some("password"));
    field.send_keys("not the passphrase").await?;
    click(&driver, "#unlock").await?;
    let alert = wait_for(&driver, ".error-summary", "the wrong passphrase's message").await?;
    let said = alert.text().await?;
    ensure!(
        said.contains("That passphrase does not open the store"),
        "{said:?}"
    );
    save_screenshot(&driver, &shots, UNLOCK_TEST, "wrong-passphrase").await?;

    let field = wait_for(&driver, "#passphrase", "the passphrase field").await?;
    field.send_keys(PASSPHRASE).await?;
    click(&driver, "#unlock").await?;
    // The dashboard is the home page; the caseload is one click away.
    click(&driver, "#open-caseload").await?;
    let caseload = eventually("the caseload after unlocking", || async {
        let rows = rows(&driver).await?;
        Ok((rows.len() > 5).then_some(rows))
    })
    .await?;
    ensure!(
        caseload.iter().any(|row| row.name.contains("Westfield")),
        "the demo caseload is shown: {caseload:?}"
    );
    save_screenshot(&driver, &shots, UNLOCK_TEST, "unlocked").await?;
    Ok(())
}

async fn choose_story(driver: WebDriver, shots: std::path::PathBuf) -> anyhow::Result<()> {
    let heading = wait_for(&driver, "h1#unlock-heading", "the passphrase screen").await?;
    ensure!(heading.text().await? == "Choose a passphrase");
    wait_for(&driver, "#passphrase", "the passphrase field")
        .await?
        .send_keys("kestrel whitby abbey")
        .await?;
    wait_for(&driver, "#passphrase-again", "the second passphrase field")
        .await?
        .send_keys("kestrel whitby abbye")
        .await?;
    click(&driver, "#unlock").await?;
    let error = wait_for(&driver, "#passphrase-again-error", "the mismatch").await?;
    ensure!(error
        .text()
        .await?
        .contains("The two passphrases are not the same"));
    save_screenshot(&driver, &shots, CHOOSE_TEST, "mismatch").await?;

    let again = wait_for(&driver, "#passphrase-again", "the second passphrase field").await?;
    clear(&again).await?;
    again.send_keys("kestrel whitby abbey").await?;
    click(&driver, "#unlock").await?;
    // The new store is empty: the first-run page, then the demo.
    load_demo_caseload(&driver).await?;
    save_screenshot(&driver, &shots, CHOOSE_TEST, "opened").await?;
    Ok(())
}

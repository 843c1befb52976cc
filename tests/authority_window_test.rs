//! The authority-wide view in a real window: the demo's link SIA is not
//! offered it; opened as the demo's Senior SIA, every count opens a list of
//! exactly that many schools, a school of the list opens its page, and the
//! CSV and report for the scrutiny committee are saved and previewed.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context as _};
use caseload_e2e::window::{
    clear, click, load_demo_dashboard, run_story, save_screenshot, wait_for,
};
use thirtyfour::prelude::*;

const TEST: &str = "a_senior_sia_opens_the_list_behind_each_count_of_the_authority";
const SENIOR_SIA: &str = "margaret.okonjo@fenbridge.example";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_senior_sia_opens_the_list_behind_each_count_of_the_authority() {
    run_story(TEST, None, story).await;
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    load_demo_dashboard(&driver).await?;
    ensure!(
        driver
            .find_all(By::Css("#open-authority"))
            .await?
            .is_empty(),
        "the demo's link SIA is offered the authority-wide view"
    );
    let switch = wait_for(&driver, "#demo-adviser", "the demo's adviser switch").await?;
    switch
        .find(By::Css(format!("option[value=\"{SENIOR_SIA}\"]")))
        .await?
        .click()
        .await?;
    click(&driver, "#open-authority").await?;
    let term = wait_for(&driver, "#authority-term", "the view's term line")
        .await?
        .text()
        .await?;
    let open: usize = term
        .split(" · ")
        .nth(1)
        .and_then(|part| part.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .with_context(|| format!("no school count in {term:?}"))?;
    ensure!(open >= 28, "the demo authority has {open} open schools");
    let adviser = driver.find(By::Css(".adviser .name")).await?.text().await?;
    ensure!(adviser == "Margaret Okonjo", "the header names {adviser:?}");
    save_screenshot(&driver, &shots, TEST, "view").await?;

    for figure in [
        "good",
        "not-good",
        "not-inspected",
        "category-high",
        "category-none",
        "direction-not-reviewed",
    ] {
        let button = wait_for(
            &driver,
            &format!("button[data-figure=\"{figure}\"]"),
            figure,
        )
        .await?;
        let count = leading_number(&button.text().await?)?;
        button.click().await?;
        let listed = listed(&driver).await?;
        println!("{figure}: {count}");
        ensure!(
            listed == count,
            "{figure}: the figure says {count}, its list holds {listed}"
        );
    }

    // The tables: every phase's total opens its schools, and they add up.
    let totals = driver
        .find_all(By::Css("#by-phase tbody button[data-category=\"all\"]"))
        .await?;
    let mut all = 0;
    for total in totals {
        let count = leading_number(&total.text().await?)?;
        total.click().await?;
        ensure!(
            listed(&driver).await? == count,
            "a phase's total and its list differ"
        );
        all += count;
    }
    ensure!(all == open, "the phases hold {all} schools of {open}");

    let groups = wait_for(&driver, "#msp-groups-open", "the MSP groups open").await?;
    ensure!(
        groups.text().await?.contains("Northgate"),
        "Northgate's MSP group is not listed as open"
    );

    save_exports(&driver, &shots, open).await?;

    click(&driver, "button[data-figure=\"category-high\"]").await?;
    let first = wait_for(
        &driver,
        "#authority-list tbody tr th a",
        "a school of the list",
    )
    .await?;
    let name = first.text().await?;
    save_screenshot(&driver, &shots, TEST, "high-support-list").await?;
    first.click().await?;
    let heading = wait_for(&driver, "h1#school-name", "the school's page").await?;
    ensure!(
        heading.text().await?.contains(&name),
        "the list opened another school than {name:?}"
    );
    Ok(())
}

/// Saves the CSV and the report where the test says, finds them whole, and
/// previews the report with its Print button.
async fn save_exports(driver: &WebDriver, shots: &Path, open: usize) -> anyhow::Result<()> {
    let folder = tempfile::tempdir()?;
    let csv = folder.path().join("schools.csv");
    let pdf = folder.path().join("report.pdf");
    for (field, path, button, saved) in [
        ("#csv-path", &csv, "#save-csv", "#csv-saved"),
        ("#pdf-path", &pdf, "#save-pdf", "#pdf-saved"),
    ] {
        let input = wait_for(driver, field, field).await?;
        clear(&input).await?;
        input.send_keys(path.display().to_string()).await?;
        click(driver, button).await?;
        wait_for(driver, saved, "the file saved").await?;
    }
    let rows = std::fs::read_to_string(&csv)?.lines().count();
    ensure!(
        rows == open + 1,
        "the CSV holds {rows} lines for {open} schools and a header"
    );
    ensure!(
        std::fs::read(&pdf)?.starts_with(b"%PDF"),
        "the report saved is not a PDF"
    );
    click(driver, "#show-report").await?;
    wait_for(driver, "#report-preview canvas", "the report's pages").await?;
    wait_for(driver, "#print-report", "the report's Print button").await?;
    driver
        .execute(
            "document.getElementById('exports-heading').scrollIntoView()",
            Vec::new(),
        )
        .await?;
    save_screenshot(driver, shots, TEST, "report").await
}

fn leading_number(text: &str) -> anyhow::Result<usize> {
    text.split_whitespace()
        .next()
        .and_then(|number| number.parse().ok())
        .with_context(|| format!("no count in {text:?}"))
}

/// The number of schools in the list just opened.
async fn listed(driver: &WebDriver) -> anyhow::Result<usize> {
    wait_for(driver, "#authority-list-heading", "the list opened").await?;
    Ok(driver
        .find_all(By::Css("#authority-list tbody tr"))
        .await?
        .len())
}

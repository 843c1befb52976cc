//! The adviser's dashboard in a real window: the demo caseload opens on it,
//! each figure opens the list it counts, and a row of that list opens the
//! page it names.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::path::PathBuf;

use anyhow::{bail, ensure, Context as _};
use caseload_e2e::window::{
    click, eventually, load_demo_dashboard, rows, run_story, save_screenshot, wait_for,
};
use serde_json::Value;
use thirtyfour::prelude::*;

const TEST: &str = "the_dashboard_opens_the_list_behind_each_number";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn the_dashboard_opens_the_list_behind_each_number() {
    run_story(TEST, None, story).await;
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    load_demo_dashboard(&driver).await?;
    let heading = wait_for(&driver, "h1#dashboard-heading", "the dashboard's heading").await?;
    ensure!(heading.text().await? == "Your caseload this term");
    let term = driver
        .find(By::Css("#dashboard-term"))
        .await?
        .text()
        .await?;
    ensure!(
        term.contains("12 schools in your caseload"),
        "the demo adviser has 12 schools: {term:?}"
    );
    let chart = wait_for(&driver, "svg#category-chart", "the category chart").await?;
    ensure!(
        chart.find_all(By::Css("a[data-bar]")).await?.len() == 8,
        "two bars for each of the four categories"
    );
    save_screenshot(&driver, &shots, TEST, "dashboard").await?;

    // Every figure opens a list exactly as long as the figure says.
    for figure in [
        "not-reviewed",
        "visits-due",
        "visits-done",
        "letters",
        "declined",
        "now-none",
    ] {
        let count = figure_count(&driver, figure).await?;
        click(&driver, &format!("a[data-figure=\"{figure}\"]")).await?;
        let listed = list_rows(&driver, figure).await?;
        ensure!(
            listed.len() == count,
            "{figure}: the figure says {count}, its list holds {}: {listed:?}",
            listed.len()
        );
        println!("{figure}: {count}");
    }

    // The schools not reviewed this term, and one of them opens its scoring screen.
    click(&driver, "a[data-figure=\"not-reviewed\"]").await?;
    let listed = list_rows(&driver, "not-reviewed").await?;
    let (school, href) = listed
        .first()
        .context("the demo has schools not reviewed this term")?;
    ensure!(
        href.ends_with("/review"),
        "a row opens the school's review: {href}"
    );
    save_screenshot(&driver, &shots, TEST, "not-reviewed-list").await?;
    click(&driver, "#dashboard-list tbody tr .open-link").await?;
    wait_for(
        &driver,
        "h1#review-heading",
        "the scoring screen of the school listed",
    )
    .await?;
    let shown = driver.find(By::Css("main")).await?.text().await?;
    ensure!(
        shown.contains(school.as_str()),
        "the scoring screen is not {school:?}'s"
    );

    // Back returns to the list; the caseload table is one click away in the header.
    driver.back().await?;
    list_rows(&driver, "not-reviewed").await?;
    click(&driver, "#open-caseload").await?;
    eventually("the caseload table from the header", || async {
        Ok((rows(&driver).await?.len() == 12).then_some(()))
    })
    .await?;
    click(&driver, "#open-dashboard").await?;
    wait_for(&driver, "a[data-figure]", "the dashboard again").await?;
    Ok(())
}

/// The number a figure shows.
async fn figure_count(driver: &WebDriver, figure: &str) -> anyhow::Result<usize> {
    let text = wait_for(
        driver,
        &format!("a[data-figure=\"{figure}\"]"),
        &format!("the {figure} figure"),
    )
    .await?
    .text()
    .await?;
    text.split_whitespace()
        .next()
        .and_then(|number| number.parse().ok())
        .with_context(|| format!("the {figure} figure reads {text:?}"))
}

/// The list opened for `figure`: each row's school and the page it opens.
async fn list_rows(driver: &WebDriver, figure: &str) -> anyhow::Result<Vec<(String, String)>> {
    wait_for(
        driver,
        &format!("#dashboard-list[data-list=\"{figure}\"]"),
        &format!("the list behind {figure}"),
    )
    .await?;
    let script = r#"
        return Array.from(document.querySelectorAll('#dashboard-list tbody tr')).map(row =>
            [row.querySelector('th a').textContent.trim(), row.querySelector('.open-link').getAttribute('href')]);
    "#;
    let value = driver.execute(script, Vec::new()).await?.json().clone();
    let Value::Array(items) = value else {
        bail!("the list script returned {value}");
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::Array(cells) => match cells.as_slice() {
                [Value::String(school), Value::String(href)] => Ok((school.clone(), href.clone())),
                _ => bail!("unexpected row {cells:?}"),
            },
            other => bail!("unexpected row {other}"),
        })
        .collect()
}

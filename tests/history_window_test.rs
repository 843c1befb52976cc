//! A school's history in a real window: a visit written up on its page
//! shows there as who changed what, on this device, with the words typed
//! and the adviser named.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::path::PathBuf;

use anyhow::{ensure, Context as _};
use caseload_e2e::visits::{plan_a_visit, type_into};
use caseload_e2e::window::{
    click, eventually, load_demo_caseload, run_story, save_screenshot, saved, wait_for,
};
use thirtyfour::prelude::*;

const TEST: &str = "a_visit_written_up_shows_in_the_schools_history";
const STRENGTH: &str = "Phonics teaching is consistent across Key Stage 1.";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_visit_written_up_shows_in_the_schools_history() {
    run_story(TEST, None, story).await;
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    let caseload = load_demo_caseload(&driver).await?;
    let school = caseload.first().context("the demo caseload is empty")?;
    plan_a_visit(&driver, school).await?;
    type_into(&driver, "#visit-strengths", STRENGTH).await?;
    saved(&driver).await?;

    click(&driver, "#back").await?;
    wait_for(&driver, "h1#school-name", "the school's page").await?;
    click(&driver, "#school-history summary").await?;
    let history = wait_for(
        &driver,
        "#school-history ol.entries",
        "the history's entries",
    )
    .await?;
    let newest = history
        .find(By::Css("li.entry"))
        .await
        .context("the history lists no change")?;
    let text = eventually("the visit's strengths in the newest entry", || async {
        let text = newest.text().await?;
        Ok(text.contains(STRENGTH).then_some(text))
    })
    .await?;
    ensure!(
        text.starts_with("Visit"),
        "the newest change is not the visit's: {text}"
    );
    ensure!(
        text.contains("Edited by Priya Raman on this device"),
        "the entry does not say who changed it, and where: {text}"
    );
    let mut adviser = None;
    for row in newest.find_all(By::Css("tbody tr")).await? {
        if row.find(By::Css("th")).await?.text().await? == "Adviser" {
            adviser = Some(row.find(By::Css("td:last-child")).await?.text().await?);
        }
    }
    ensure!(
        adviser.as_deref() == Some("Priya Raman"),
        "the visit's adviser does not read as a name: {adviser:?}"
    );
    newest.scroll_into_view().await?;
    save_screenshot(&driver, &shots, TEST, "history").await
}

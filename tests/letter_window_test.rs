//! Letters in the real window: from Northgate Primary's page, drafting the
//! significant concerns letter its records call for, rewording a sentence,
//! watching the preview draw the PDF, issuing it after the confirmation,
//! and finding it listed as issued, frozen with its SHA-256; and printing a
//! school on a page for every school of the caseload into a folder.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use anyhow::{ensure, Context as _};
use caseload_e2e::window::{
    clear, click, eventually, load_demo_caseload, open_school, run_story, save_screenshot, saved,
    wait_for,
};
use serde_json::Value;
use std::path::PathBuf;
use thirtyfour::prelude::*;

const TEST: &str = "draft_a_significant_concerns_letter_edit_it_and_issue_it";
const BATCH_TEST: &str = "print_a_school_on_a_page_for_every_school_into_a_folder";

/// Northgate Primary: in the demo its records call for a significant
/// concerns letter.
const NORTHGATE: &str = "990007";
const KIND: &str = "significant-concerns";
/// Words of the template's body the adviser rewords, and their new wording.
const WAS: &str = "within the next four weeks";
const NOW: &str = "before the end of the autumn term";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn draft_a_significant_concerns_letter_edit_it_and_issue_it() {
    run_story(TEST, None, story).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn print_a_school_on_a_page_for_every_school_into_a_folder() {
    run_story(BATCH_TEST, None, batch_story).await;
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    let caseload = load_demo_caseload(&driver).await?;
    let northgate = caseload
        .iter()
        .find(|row| row.urn == NORTHGATE)
        .context("Northgate Primary is not in the demo caseload")?;
    open_school(&driver, northgate).await?;

    // The school's page says the letter is due, and what it would cite.
    let due = wait_for(
        &driver,
        &format!("#letters-due [data-due=\"{KIND}\"]"),
        "the significant concerns letter among the letters due",
    )
    .await?;
    let cites = due.find_all(By::Css("[data-indicator]")).await?;
    ensure!(
        !cites.is_empty(),
        "the due letter cites nothing: {:?}",
        due.text().await?
    );
    due.scroll_into_view().await?;
    save_screenshot(&driver, &shots, TEST, "school-letters").await?;
    click(&driver, &format!("button[data-draft=\"{KIND}\"]")).await?;

    // The draft opens in the editor with its preview drawn beside it.
    let heading = wait_for(&driver, "h1#letter-heading", "the letter editor").await?;
    ensure!(
        heading
            .text()
            .await?
            .contains("Significant concerns letter"),
        "the editor is headed {:?}",
        heading.text().await?
    );
    let id = letter_id(&driver).await?;
    println!("drafted letter {id}");
    let first_page = preview_drawn(&driver).await?;

    // A sentence reworded, as a person does: select the words, type over them.
    let body = wait_for(&driver, "#letter-body", "the letter's text").await?;
    let text = body.prop("value").await?.unwrap_or_default();
    let start = text
        .find(WAS)
        .with_context(|| format!("the drafted text lacks {WAS:?}: {text:?}"))?;
    let (from, to) = (
        text[..start].encode_utf16().count(),
        text[..start + WAS.len()].encode_utf16().count(),
    );
    body.click().await?;
    driver
        .execute(
            "arguments[0].focus(); arguments[0].setSelectionRange(arguments[1], arguments[2]);",
            vec![body.to_json()?, from.into(), to.into()],
        )
        .await?;
    body.send_keys(NOW).await?;
    saved(&driver).await?;
    let edited = body.prop("value").await?.unwrap_or_default();
    ensure!(
        edited.contains(&format!("Adviser {NOW} to agree")) && !edited.contains(WAS),
        "the text reads {edited:?}"
    );

    // The preview is drawn again from what was saved.
    eventually("the preview to be drawn again after the edit", || async {
        let page = preview_drawn(&driver).await?;
        Ok((page != first_page).then_some(()))
    })
    .await?;
    save_screenshot(&driver, &shots, TEST, "editor").await?;

    // Issued after the confirmation, which says it can never change.
    click(&driver, "#issue-letter").await?;
    let confirm = wait_for(&driver, "#confirm-issue-heading", "the confirmation").await?;
    let panel = confirm.find(By::XPath("..")).await?.text().await?;
    ensure!(
        panel.contains("can never be changed"),
        "the confirmation says {panel:?}"
    );
    save_screenshot(&driver, &shots, TEST, "confirm").await?;
    click(&driver, "#confirm-issue").await?;

    // Read only now, with the PDF as issued and its SHA-256.
    wait_for(&driver, "#letter-record", "the issued letter").await?;
    ensure!(
        driver.find_all(By::Css("textarea")).await?.is_empty(),
        "an issued letter still has fields to type in"
    );
    let sha = wait_for(&driver, "#letter-sha256", "the PDF's SHA-256")
        .await?
        .text()
        .await?;
    ensure!(
        sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()),
        "not a SHA-256: {sha:?}"
    );
    let kept = wait_for(&driver, "#letter-text", "the text of the issued letter")
        .await?
        .prop("textContent")
        .await?
        .unwrap_or_default();
    ensure!(
        kept.contains(NOW),
        "the issued text lacks the edit: {kept:?}"
    );
    preview_drawn(&driver).await?;
    wait_for(&driver, "#write-correction", "Write a correction").await?;
    save_screenshot(&driver, &shots, TEST, "issued").await?;

    // The school's page lists it issued.
    click(&driver, "#back").await?;
    let row = wait_for(
        &driver,
        &format!("#school-letters tr[data-letter=\"{id}\"]"),
        "the letter on the school's page",
    )
    .await?;
    ensure!(
        row.attr("data-status").await?.as_deref() == Some("issued"),
        "the school's page shows {:?}",
        row.text().await?
    );
    row.scroll_into_view().await?;
    save_screenshot(&driver, &shots, TEST, "listed").await
}

/// From the header's Letters: every school of the caseload chosen, a
/// folder typed in, previews printed, and the files listed and there.
async fn batch_story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    load_demo_caseload(&driver).await?;
    click(&driver, "#open-letters").await?;
    wait_for(&driver, "h1#letters-heading", "the letters page").await?;
    let kind = wait_for(&driver, "#batch-kind", "the kind of letter").await?;
    kind.find(By::Css("option[value=\"school-on-a-page\"]"))
        .await?
        .click()
        .await?;
    let schools = eventually("the schools a school on a page is for", || async {
        let boxes = driver
            .find_all(By::Css("#batch-schools input[data-urn]"))
            .await?;
        Ok((boxes.len() > 1).then_some(boxes.len()))
    })
    .await?;
    println!("{schools} schools listed");

    let folder = tempfile::Builder::new()
        .prefix("caseload-letters-")
        .tempdir()?;
    let target = folder.path().join("School pages");
    let path = wait_for(&driver, "#batch-folder", "the folder field").await?;
    clear(&path).await?;
    path.send_keys(target.display().to_string()).await?;
    save_screenshot(&driver, &shots, BATCH_TEST, "chosen").await?;
    click(&driver, "#start-batch").await?;

    let outcome = wait_for(
        &driver,
        "#batch-outcome[data-outcome]",
        "the end of the batch",
    )
    .await?;
    ensure!(
        outcome.attr("data-outcome").await?.as_deref() == Some("written"),
        "the batch ended {:?}",
        outcome.text().await?
    );
    let listed = driver.find_all(By::Css("#batch-written li")).await?;
    ensure!(
        listed.len() == schools,
        "{} files listed for {schools} schools",
        listed.len()
    );
    let written: Vec<_> = std::fs::read_dir(&target)
        .with_context(|| format!("the folder {}", target.display()))?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    ensure!(
        written.len() == schools
            && written
                .iter()
                .all(|name| name.contains("-school-on-a-page-") && name.ends_with(".pdf")),
        "the folder holds {written:?}"
    );
    let first = std::fs::read(target.join(&written[0]))?;
    ensure!(first.starts_with(b"%PDF"), "{} is not a PDF", written[0]);
    save_screenshot(&driver, &shots, BATCH_TEST, "written").await?;

    // A warning notice for Northgate opens with its terms to set.
    driver
        .goto(format!(
            "{}#/school/{NORTHGATE}",
            driver
                .current_url()
                .await?
                .as_str()
                .split('#')
                .next()
                .unwrap_or_default()
        ))
        .await?;
    click(&driver, "button[data-draft=\"warning-notice\"]").await?;
    let terms = wait_for(&driver, "#warning-terms", "the warning notice's terms").await?;
    preview_drawn(&driver).await?;
    terms.scroll_into_view().await?;
    save_screenshot(&driver, &shots, BATCH_TEST, "warning-terms").await
}

/// The letter's id, from the editor's address.
async fn letter_id(driver: &WebDriver) -> anyhow::Result<String> {
    let url = driver.current_url().await?;
    let id = url
        .as_str()
        .rsplit('/')
        .next()
        .context("no letter id in the URL")?
        .to_owned();
    ensure!(
        url.as_str()
            .contains(&format!("/school/{NORTHGATE}/letter/")),
        "the editor's address is {url}"
    );
    Ok(id)
}

/// Waits until the preview shows drawn pages; returns the first page's canvas.
async fn preview_drawn(driver: &WebDriver) -> anyhow::Result<WebElement> {
    eventually("the preview to draw the letter's pages", || async {
        let preview = driver.find(By::Css("#letter-preview")).await?;
        if preview.attr("data-state").await?.as_deref() != Some("ready") {
            return Ok(None);
        }
        // Something was drawn: the canvas holds more than blank white.
        let inked = "const canvas = arguments[0].querySelector('[data-page=\"1\"] canvas');\
                     if (!canvas || canvas.width === 0) return false;\
                     const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;\
                     for (let i = 0; i < data.length; i += 4) {\
                       if (data[i + 3] > 0 && data[i] < 128) return true;\
                     }\
                     return false;";
        let drawn = driver.execute(inked, vec![preview.to_json()?]).await?;
        if drawn.json() != &Value::Bool(true) {
            return Ok(None);
        }
        Ok(Some(
            preview
                .find(By::Css("[data-page=\"1\"] canvas"))
                .await?,
        ))
    })
    .await
}

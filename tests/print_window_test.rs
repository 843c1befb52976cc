//! Printing in the real window: Northgate Primary's draft significant
//! concerns letter, from its preview, through the app's print dialog (its
//! pages shown, the printers CUPS lists, copies) to the test printer; the
//! job is found completed in CUPS and the printer's file is the letter.
//!
//! Needs the built app, tauri-driver, a display (Xvfb on CI) and a CUPS
//! scheduler with the `caseload-test` printer that `scripts/with-cups`
//! starts, so it is ignored by a plain `cargo test`; `./scripts/test` runs
//! it under both.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{ensure, Context as _};
use caseload_e2e::window::{
    click, eventually, load_demo_caseload, open_school, run_story, save_screenshot, wait_for,
};
use thirtyfour::prelude::*;

const TEST: &str = "print_a_draft_letter_from_its_preview_to_a_cups_printer";
const NORTHGATE: &str = "990007";
const KIND: &str = "significant-concerns";
/// Words of the template's body, read back from the printed PDF.
const WORDS: &str = "within the next four weeks";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver, the built app and scripts/with-cups: run ./scripts/test"]
async fn print_a_draft_letter_from_its_preview_to_a_cups_printer() {
    let Some(output) = std::env::var_os("CASELOAD_TEST_PRINTER_OUTPUT").map(PathBuf::from) else {
        eprintln!("{TEST}: skipped: run under scripts/with-cups, which starts the test printer");
        return;
    };
    run_story(TEST, None, |driver, shots| story(driver, shots, output)).await;
}

async fn story(driver: WebDriver, shots: PathBuf, output: PathBuf) -> anyhow::Result<()> {
    let caseload = load_demo_caseload(&driver).await?;
    let northgate = caseload
        .iter()
        .find(|row| row.urn == NORTHGATE)
        .context("Northgate Primary is not in the demo caseload")?;
    open_school(&driver, northgate).await?;
    let draft = format!("button[data-draft=\"{KIND}\"]");
    wait_for(&driver, &draft, "the letter due").await?;
    click(&driver, &draft).await?;
    wait_for(
        &driver,
        "#letter-preview[data-state=\"ready\"]",
        "the letter's preview",
    )
    .await?;

    // The dialog shows the pages again beside the printers CUPS lists.
    click(&driver, "#print").await?;
    wait_for(&driver, "#print-dialog", "the print dialog").await?;
    let printer = wait_for(&driver, "#print-printer", "the printers").await?;
    let offered = printer.text().await?;
    ensure!(
        offered.contains("caseload-test (default)"),
        "the printers offered: {offered:?}"
    );
    wait_for(
        &driver,
        "#print-preview[data-state=\"ready\"]",
        "the pages in the print dialog",
    )
    .await?;
    save_screenshot(&driver, &shots, TEST, "print-dialog").await?;

    click(&driver, "#print-submit").await?;
    let sent = wait_for(&driver, "#print-sent", "CUPS taking the job").await?;
    let said = sent.text().await?;
    let job = said
        .split_whitespace()
        .find(|word| word.starts_with("caseload-test-"))
        .map(|word| word.trim_end_matches('.').to_owned())
        .with_context(|| format!("no job id in {said:?}"))?;
    save_screenshot(&driver, &shots, TEST, "sent").await?;

    eventually(&format!("job {job} to complete in CUPS"), || async {
        let listed = Command::new("lpstat")
            .args(["-W", "completed", "-o", "caseload-test"])
            .output()?;
        let text = String::from_utf8_lossy(&listed.stdout).into_owned();
        Ok(text
            .lines()
            .any(|line| line.split_whitespace().next() == Some(job.as_str()))
            .then_some(()))
    })
    .await?;
    let printed = std::fs::read(&output).context("the printer's file")?;
    ensure!(
        printed.starts_with(b"%PDF-"),
        "the printer was not sent a PDF: {} bytes starting {:?}",
        printed.len(),
        String::from_utf8_lossy(&printed[..printed.len().min(40)])
    );
    let text = Command::new("pdftotext")
        .arg(&output)
        .arg("-")
        .output()
        .context("pdftotext")?;
    let text = String::from_utf8_lossy(&text.stdout);
    ensure!(
        text.contains("Northgate") && text.contains(WORDS),
        "the printed PDF is not the letter: {text:?}"
    );
    click(&driver, "#print-close").await?;
    Ok(())
}

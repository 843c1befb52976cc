//! Academy concerns in the real window: on a demo academy's page (Westfield
//! Park Primary Academy) the adviser records a concern on one of the
//! strategy's grounds with its evidence, lands on the concern's page with
//! the escalation not yet begun, records the first step — the meeting with
//! the principal and the trust's chief executive — and sees it dated on the
//! timeline with its outcome asked for before the letter to the chair.
//! Then Old Town Academy's page shows the demo's concern, its meeting held.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use anyhow::{ensure, Context as _};
use caseload_e2e::window::{
    click, eventually, load_demo_caseload, open_school, run_story, save_screenshot, wait_for,
};
use std::path::PathBuf;
use thirtyfour::prelude::*;

const TEST: &str = "record_a_concern_about_an_academy_and_take_the_first_step";
const REFERRAL_TEST: &str = "follow_the_demo_concern_through_the_letter_to_a_referral";

/// Old Town Academy, whose demo concern waits for the letter to the trust.
const OLD_TOWN: &str = "990031";
/// Westfield Park Primary Academy, in the demo adviser's caseload.
const WESTFIELD: &str = "990032";
const EVIDENCE: &str = "Fixed-term exclusions doubled between 2024/25 and 2025/26.";
const NOTE: &str = "The Director met Mrs Patel (principal) and the trust's chief executive.";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn record_a_concern_about_an_academy_and_take_the_first_step() {
    run_story(TEST, None, story).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn follow_the_demo_concern_through_the_letter_to_a_referral() {
    run_story(REFERRAL_TEST, None, referral_story).await;
}

/// From Old Town's concern (its meeting held): evidence added, the letter to
/// the chair of the trust drafted from the concern and issued, back from the
/// letter to the concern, the letter recorded as the formal step, its
/// outcome, then the referral to the Regional Director.
async fn referral_story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    load_demo_caseload(&driver).await?;
    go_to(&driver, &format!("#/school/{OLD_TOWN}")).await?;
    click(&driver, "#academy-concern-list a").await?;
    add_evidence(&driver).await?;
    click(&driver, "#draft-trust-letter").await?;
    click(&driver, "#issue-letter").await?;
    click(&driver, "#confirm-issue").await?;
    wait_for(&driver, "#letter-record", "the issued letter").await?;

    // The issued letter leads back to the concern it answers.
    click(&driver, ".concern-link").await?;
    click(&driver, "#record-letter").await?;
    wait_for(
        &driver,
        "#escalation-timeline li.taken[data-step=\"trust-letter\"]",
        "the letter on the timeline",
    )
    .await?;
    wait_for(&driver, "#outcome-text", "the letter's outcome")
        .await?
        .send_keys("The trust did not reply within 20 working days.")
        .await?;
    click(&driver, "#save-outcome").await?;
    let step = wait_for(&driver, "#next-step", "the referrals offered").await?;
    step.find(By::Css("option[value=\"regional-director\"]"))
        .await?
        .click()
        .await?;
    click(&driver, "#take-step").await?;
    let referral = wait_for(
        &driver,
        "#escalation-timeline li.taken[data-step=\"regional-director\"]",
        "the referral on the timeline",
    )
    .await?;
    ensure!(
        referral.text().await?.contains("Outcome not yet recorded"),
        "the referral does not ask for its outcome"
    );
    let stage = wait_for(&driver, "#concern-stage", "the concern's stage").await?;
    ensure!(
        stage.text().await? == "Referred",
        "the stage did not move to \"Referred\""
    );
    driver
        .execute(
            "document.getElementById('escalation-heading').scrollIntoView()",
            Vec::new(),
        )
        .await?;
    save_screenshot(&driver, &shots, REFERRAL_TEST, "referred").await?;
    Ok(())
}

/// Evidence found after the concern was raised, added on its page.
async fn add_evidence(driver: &WebDriver) -> anyhow::Result<()> {
    const LATER: &str = "Fixed-term exclusions doubled again this half-term.";
    click(driver, "#add-evidence summary").await?;
    wait_for(driver, "#evidence-ground", "the evidence's ground")
        .await?
        .find(By::Css("option[value=\"high-exclusions\"]"))
        .await?
        .click()
        .await?;
    wait_for(driver, "#evidence-text", "the evidence's text")
        .await?
        .send_keys(LATER)
        .await?;
    click(driver, "#save-evidence").await?;
    let evidence = wait_for(driver, "#concern-evidence", "the concern's evidence").await?;
    eventually("the evidence added on the concern's page", || async {
        Ok(evidence.text().await?.contains(LATER).then_some(()))
    })
    .await
}

/// Follows an in-app link, as the hash, without a click.
async fn go_to(driver: &WebDriver, hash: &str) -> anyhow::Result<()> {
    driver
        .execute(
            "window.location.hash = arguments[0]",
            vec![serde_json::json!(hash)],
        )
        .await?;
    Ok(())
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    let caseload = load_demo_caseload(&driver).await?;
    let academy = caseload
        .iter()
        .find(|row| row.urn == WESTFIELD)
        .context("Westfield Park Primary Academy is not in the demo caseload")?;
    open_school(&driver, academy).await?;
    let section = wait_for(
        &driver,
        "#academy-concerns",
        "the academy's concerns section",
    )
    .await?;
    ensure!(
        section.text().await?.contains("No concerns are recorded."),
        "the demo already holds a concern about {}",
        academy.name
    );

    click(&driver, "#new-concern").await?;
    click(&driver, "#ground-high-exclusions").await?;
    wait_for(
        &driver,
        "#evidence-high-exclusions",
        "the evidence box of the ground ticked",
    )
    .await?
    .send_keys(EVIDENCE)
    .await?;
    click(&driver, "#save-concern").await?;

    // The school page's own h1 stays a moment: read the heading afresh each time.
    eventually("the concern's page heading", || async {
        let heading = driver.find(By::Css("h1")).await?;
        let text = heading.text().await?;
        Ok(text.contains("Concern about Westfield Park").then_some(()))
    })
    .await?;
    let stage = wait_for(&driver, "#concern-stage", "the concern's stage").await?;
    ensure!(
        stage.text().await? == "Raised",
        "a new concern is not at \"Raised\""
    );
    let evidence = wait_for(&driver, "#concern-evidence", "the concern's evidence").await?;
    ensure!(
        evidence.text().await?.contains(EVIDENCE),
        "the evidence typed is not on the concern's page"
    );
    ensure!(
        driver.find_all(By::Css("#letter-step")).await?.is_empty(),
        "the letter to the chair is offered before the meeting"
    );

    let step = wait_for(&driver, "#next-step", "the next step's choice").await?;
    ensure!(
        step.prop("value").await?.as_deref() == Some("meeting"),
        "the first step offered is not the meeting"
    );
    wait_for(&driver, "#step-note", "the step's note")
        .await?
        .send_keys(NOTE)
        .await?;
    click(&driver, "#take-step").await?;

    let meeting = wait_for(
        &driver,
        "#escalation-timeline li.taken[data-step=\"meeting\"]",
        "the meeting taken on the timeline",
    )
    .await?;
    let text = meeting.text().await?;
    ensure!(
        text.contains(NOTE),
        "the meeting's note is not on the timeline: {text}"
    );
    ensure!(
        text.contains("Outcome not yet recorded"),
        "the meeting does not ask for its outcome: {text}"
    );
    wait_for(
        &driver,
        "#outcome-form",
        "the form for the meeting's outcome",
    )
    .await?;
    ensure!(
        driver.find_all(By::Css("#step-form")).await?.is_empty(),
        "another step is offered before the meeting's outcome"
    );
    let stage = wait_for(&driver, "#concern-stage", "the concern's stage").await?;
    ensure!(
        stage.text().await? == "Meeting held",
        "the stage did not move to \"Meeting held\""
    );
    // The heading, the stage and the whole timeline in one picture.
    driver
        .execute("document.querySelector('h1').scrollIntoView()", Vec::new())
        .await?;
    save_screenshot(&driver, &shots, TEST, "first-step").await?;

    // The demo's own concern, partway along, as a newcomer first meets it.
    go_to(&driver, &format!("#/school/{OLD_TOWN}")).await?;
    let list = wait_for(&driver, "#academy-concern-list", "Old Town's concerns").await?;
    let text = eventually("Old Town's concern at \"Meeting held\"", || async {
        let text = list.text().await?;
        Ok(text.contains("Meeting held").then_some(text))
    })
    .await?;
    ensure!(
        text.contains("A drop in Ofsted rating"),
        "the demo concern's grounds are not listed: {text}"
    );
    driver
        .execute(
            "document.getElementById('academy-concerns').scrollIntoView()",
            Vec::new(),
        )
        .await?;
    save_screenshot(&driver, &shots, TEST, "demo-concern").await?;
    Ok(())
}

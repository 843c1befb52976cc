//! The scoring screen as a story drives it: its statements, ticking them,
//! the live best fit the back end works out, and the review history.

use thirtyfour::prelude::*;

use anyhow::Context as _;

use crate::window::{click, eventually, load_demo_caseload, open_school, Row};

/// Loads the demo caseload and opens the page of a school due a review this term.
pub async fn open_school_due_a_review(driver: &WebDriver) -> anyhow::Result<Row> {
    let caseload = load_demo_caseload(driver).await?;
    let school = caseload
        .into_iter()
        .find(|row| row.text.contains("Due this term"))
        .context("no caseload school is flagged \"Due this term\"")?;
    open_school(driver, &school).await?;
    Ok(school)
}

/// A statement on the scoring screen, as its checkbox describes it.
#[derive(Debug, Clone)]
pub struct StatementBox {
    pub id: String,
    pub level: String,
    pub decisive: bool,
}

/// Unticks every statement on the scoring screen, should the demo have left a draft.
pub async fn untick_all(driver: &WebDriver) -> anyhow::Result<()> {
    for checked in driver
        .find_all(By::Css("input[data-statement]:checked"))
        .await?
    {
        checked.click().await?;
    }
    overall_becomes(driver, "Nothing ticked yet").await
}

/// Ticks or unticks a statement's checkbox.
pub async fn tick(driver: &WebDriver, statement: &str) -> anyhow::Result<()> {
    click(driver, &format!("input[data-statement=\"{statement}\"]")).await
}

/// Waits until the live best fit, worked out by the back end, reads `words`.
pub async fn overall_becomes(driver: &WebDriver, words: &str) -> anyhow::Result<()> {
    eventually(&format!("#overall-category to read {words:?}"), || async {
        let text = driver
            .find(By::Css("#overall-category"))
            .await?
            .text()
            .await?;
        Ok((text.trim() == words).then_some(()))
    })
    .await
}

/// The scoring screen's statements, read in one round trip.
pub async fn statement_boxes(driver: &WebDriver) -> anyhow::Result<Vec<StatementBox>> {
    let script = r#"
        return Array.from(document.querySelectorAll('input[data-statement]')).map(input =>
            [input.dataset.statement, input.dataset.level, input.dataset.decisive === 'true']);
    "#;
    let value = driver.execute(script, Vec::new()).await?.json().clone();
    let items: Vec<(String, String, bool)> = serde_json::from_value(value)?;
    Ok(items
        .into_iter()
        .map(|(id, level, decisive)| StatementBox {
            id,
            level,
            decisive,
        })
        .collect())
}

/// The rows of the review history, latest first, as "category|row text".
pub async fn history_rows(driver: &WebDriver) -> anyhow::Result<Vec<String>> {
    let script = r#"
        return Array.from(document.querySelectorAll('#history tbody tr')).map(row =>
            row.dataset.category + '|' + row.innerText);
    "#;
    let value = driver.execute(script, Vec::new()).await?.json().clone();
    Ok(serde_json::from_value(value)?)
}

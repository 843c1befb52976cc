//! The visit editor as stories drive it: planning a visit from a school's
//! page, typing into its sections, and waiting for the autosave.

use anyhow::Context as _;
use thirtyfour::prelude::*;

use crate::window::{click, eventually, open_school, wait_for, Row};

/// From the school's page, plans a visit for today and opens it; returns its id.
pub async fn plan_a_visit(driver: &WebDriver, school: &Row) -> anyhow::Result<String> {
    open_school(driver, school).await?;
    click(driver, "#plan-visit").await?;
    click(driver, "#plan-submit").await?;
    wait_for(driver, "h1#visit-heading", "the new visit's editor").await?;
    let url = driver.current_url().await?;
    let id = url
        .as_str()
        .rsplit('/')
        .next()
        .context("no visit id in the URL")?
        .to_owned();
    println!("planned visit {id} at {}", school.name);
    Ok(id)
}

/// Clicks into `css` and types `text` after what it holds.
pub async fn type_into(driver: &WebDriver, css: &str, text: &str) -> anyhow::Result<()> {
    let field = wait_for(driver, css, css).await?;
    field.click().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Waits until the editor says every change is saved.
pub async fn saved(driver: &WebDriver) -> anyhow::Result<()> {
    eventually("#save-state to read \"Saved\"", || async {
        let state = driver.find(By::Css("#save-state")).await?;
        let text = state.text().await?;
        Ok(
            (state.attr("data-state").await?.as_deref() == Some("saved") && text.trim() == "Saved")
                .then_some(()),
        )
    })
    .await
}

//! The visit editor as stories drive it: planning a visit from a school's
//! page and typing into its sections.

use anyhow::Context as _;
use thirtyfour::prelude::*;

use crate::window::{click, open_school, wait_for, Row};

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

//! Driving the app's window in a story: starting it, waiting for what it
//! shows, clicking and typing, and screenshots for a person to look at.
//! Shared by the window tests; what is particular to one story stays in it.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use serde_json::Value;
use thirtyfour::prelude::*;

use crate::desktop::Desktop;
use crate::paths;

/// Long enough for a cold WebKit start under Xvfb on a busy CI machine.
pub const WAIT: Duration = Duration::from_secs(30);

/// One row of the school table as the window shows it.
#[derive(Debug, Clone)]
pub struct Row {
    pub urn: String,
    pub name: String,
    pub text: String,
    pub closed: bool,
}

/// Starts the app (on an empty store unless `store` names one), runs `story`,
/// and on failure saves a screenshot and names it in the panic message.
/// Processes end in any case.
pub async fn run_story<F, Fut>(test: &str, store: Option<&Path>, story: F)
where
    F: FnOnce(WebDriver, PathBuf) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let outcome = async {
        let app = paths::desktop_binary()?;
        let shots = paths::screenshot_dir()?;
        let desktop = Desktop::start_with_store(store)?;
        let driver = desktop.open(&app).await?;
        let result = story(driver.clone(), shots).await;
        explained(test, &desktop, &driver, result).await?;
        driver.quit().await.context("closing the WebDriver session")
    }
    .await;
    if let Err(error) = outcome {
        panic!("{test} failed: {error:#}");
    }
}

/// Passes `result` on. A failure closes the session and comes back with a
/// screenshot of the window (`<test>.png`) and the end of the driver's log.
pub async fn explained<T>(
    test: &str,
    desktop: &Desktop,
    driver: &WebDriver,
    result: anyhow::Result<T>,
) -> anyhow::Result<T> {
    let error = match result {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let shot = paths::screenshot_dir()?.join(format!("{test}.png"));
    let saved = match screenshot(driver, &shot).await {
        Ok(()) => format!("screenshot of the window: {}", shot.display()),
        Err(shot_error) => format!("no screenshot either: {shot_error}"),
    };
    let _ = driver.clone().quit().await;
    bail!("{error:#}\n{saved}\n{}", desktop.log_tail());
}

/// On an empty store, loads the demo caseload from the first-run page and
/// waits for the dashboard, the home page it lands on.
pub async fn load_demo_dashboard(driver: &WebDriver) -> anyhow::Result<()> {
    click(driver, "#load-demo").await?;
    wait_for(driver, "a[data-figure]", "the dashboard's figures").await?;
    Ok(())
}

/// On an empty store, loads the demo caseload from the first-run page, opens
/// the caseload table from the header and returns its rows.
pub async fn load_demo_caseload(driver: &WebDriver) -> anyhow::Result<Vec<Row>> {
    load_demo_dashboard(driver).await?;
    click(driver, "#open-caseload").await?;
    eventually("more than 5 caseload rows in #schools", || async {
        let rows = rows(driver).await?;
        Ok((rows.len() > 5).then_some(rows))
    })
    .await
}

/// Follows a school's link in the table; returns the name its page shows.
pub async fn open_school(driver: &WebDriver, school: &Row) -> anyhow::Result<String> {
    click(
        driver,
        &format!("tr[data-urn=\"{}\"] .school-link", school.urn),
    )
    .await?;
    let heading = wait_for(driver, "h1#school-name", "the school page's h1#school-name").await?;
    eventually(
        &format!("h1#school-name to read {:?}", school.name),
        || async {
            let text = heading.text().await?;
            Ok((text.trim() == school.name).then_some(text))
        },
    )
    .await
}

/// Waits for `css` and clicks it.
pub async fn click(driver: &WebDriver, css: &str) -> anyhow::Result<()> {
    wait_for(driver, css, css).await?.click().await?;
    Ok(())
}

/// Saves a screenshot of a step of a story as `<test>-<step>.png`, for a person to look at.
pub async fn save_screenshot(
    driver: &WebDriver,
    shots: &Path,
    test: &str,
    step: &str,
) -> anyhow::Result<()> {
    let shot = shots.join(format!("{test}-{step}.png"));
    screenshot(driver, &shot)
        .await
        .with_context(|| format!("saving the {step} screenshot"))?;
    println!("{step}: {}", shot.display());
    Ok(())
}

/// Saves what the window shows now. WebKit's snapshot can lag behind the
/// page, so first let it paint two frames.
pub async fn screenshot(driver: &WebDriver, path: &Path) -> anyhow::Result<()> {
    let painted = "const done = arguments[arguments.length - 1];\
                   requestAnimationFrame(() => requestAnimationFrame(() => done()));";
    driver.execute_async(painted, Vec::new()).await?;
    driver.screenshot(path).await?;
    Ok(())
}

/// The rows of `#schools`, read in one round trip.
pub async fn rows(driver: &WebDriver) -> anyhow::Result<Vec<Row>> {
    let script = r#"
        return Array.from(document.querySelectorAll('#schools tr[data-urn]')).map(row => {
            const link = row.querySelector('.school-link');
            return [row.dataset.urn, link ? link.textContent.trim() : '', row.innerText,
                    row.classList.contains('closed')];
        });
    "#;
    let value = driver.execute(script, Vec::new()).await?.json().clone();
    let Value::Array(items) = value else {
        bail!("the row script returned {value}");
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::Array(cells) => match cells.as_slice() {
                [Value::String(urn), Value::String(name), Value::String(text), Value::Bool(closed)] => {
                    Ok(Row {
                        urn: urn.clone(),
                        name: name.clone(),
                        text: text.clone(),
                        closed: *closed,
                    })
                }
                _ => bail!("unexpected row {cells:?}"),
            },
            other => bail!("unexpected row {other}"),
        })
        .collect()
}

pub async fn wait_for(driver: &WebDriver, css: &str, what: &str) -> anyhow::Result<WebElement> {
    driver
        .query(By::Css(css))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await
        .with_context(|| format!("waited {WAIT:?} for {what}"))
}

/// Empties an input the way a person does, so the page sees input events.
pub async fn clear(input: &WebElement) -> anyhow::Result<()> {
    let length = input
        .prop("value")
        .await?
        .map_or(0, |value| value.chars().count());
    input.click().await?;
    input.send_keys(Key::End).await?;
    input
        .send_keys(Key::Backspace.value().to_string().repeat(length))
        .await?;
    Ok(())
}

/// Polls `check` until it yields a value, or fails after [`WAIT`] with what it
/// was waiting for and the last error seen.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + WAIT;
    let mut last_error = None;
    loop {
        match check().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(error) => last_error = Some(error),
        }
        if Instant::now() > deadline {
            let cause =
                last_error.map_or(String::new(), |error| format!(" (last error: {error:#})"));
            bail!("waited {WAIT:?} for {what}{cause}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the editor on screen (a visit, a letter, MSP minutes) says
/// every change is saved.
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

//! The desktop app in a real window: first run, the demo caseload, the
//! school table and a school's page, as an adviser would click through them.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _};
use caseload_e2e::desktop::Desktop;
use caseload_e2e::paths;
use serde_json::Value;
use thirtyfour::prelude::*;

/// Long enough for a cold WebKit start under Xvfb on a busy CI machine.
const WAIT: Duration = Duration::from_secs(30);

const TEST: &str = "first_run_demo_caseload_filter_and_school_page";

/// One row of the school table as the window shows it.
#[derive(Debug, Clone)]
struct Row {
    urn: String,
    name: String,
    text: String,
    closed: bool,
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn first_run_demo_caseload_filter_and_school_page() {
    run_story(TEST, None, story).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_store_that_cannot_be_opened_is_explained_in_the_window() {
    // A folder cannot be created under /proc, so the store cannot be opened.
    let store = Path::new("/proc/caseload-e2e/caseload.sqlite3");
    run_story(
        "a_store_that_cannot_be_opened_is_explained_in_the_window",
        Some(store),
        |driver, _| async move {
            let heading = wait_for(&driver, "h1#startup-error", "the startup error page").await?;
            ensure!(heading.text().await? == "Caseload could not open its store");
            let body = driver.find(By::Css("body")).await?.text().await?;
            ensure!(
                body.contains("/proc/caseload-e2e/caseload.sqlite3"),
                "the page does not name the store file: {body:?}"
            );
            Ok(())
        },
    )
    .await;
}

/// Starts the app (on an empty store unless `store` names one), runs `story`,
/// and on failure saves a screenshot and names it in the panic message.
/// Processes end in any case.
async fn run_story<F, Fut>(test: &str, store: Option<&Path>, story: F)
where
    F: FnOnce(WebDriver, PathBuf) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let outcome = async {
        let app = paths::desktop_binary()?;
        let shots = paths::screenshot_dir()?;
        let desktop = Desktop::start_with_store(store)?;
        let driver = desktop.open(&app).await?;
        let result = story(driver.clone(), shots.clone()).await;
        if let Err(error) = result {
            let shot = shots.join(format!("{test}.png"));
            let saved = match screenshot(&driver, &shot).await {
                Ok(()) => format!("screenshot of the window: {}", shot.display()),
                Err(shot_error) => format!("no screenshot either: {shot_error}"),
            };
            let _ = driver.quit().await;
            bail!("{error:#}\n{saved}\n{}", desktop.log_tail());
        }
        driver
            .quit()
            .await
            .context("closing the WebDriver session")?;
        Ok::<(), anyhow::Error>(())
    }
    .await;
    if let Err(error) = outcome {
        panic!("{test} failed: {error:#}");
    }
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    // An empty store: the first-run page offers the demo caseload.
    let load_demo = wait_for(
        &driver,
        "#load-demo",
        "the first-run page's #load-demo button",
    )
    .await?;
    load_demo.click().await?;

    // The demo caseload fills the table.
    let caseload = eventually("more than 5 caseload rows in #schools", || async {
        let rows = rows(&driver).await?;
        Ok((rows.len() > 5).then_some(rows))
    })
    .await?;

    // Filtering narrows the table to the schools that match, and says how many.
    let word =
        filter_word(&caseload).context("no word in the caseload's names narrows the table")?;
    let expected: Vec<String> = matching(&caseload, &word)
        .map(|row| row.urn.clone())
        .collect();
    let filter = driver
        .find(By::Css("#filter"))
        .await
        .context("the #filter box")?;
    filter.send_keys(&word).await?;
    let narrowed = eventually(
        &format!("the table narrowed to {expected:?} for {word:?}"),
        || async {
            let urns: Vec<String> = rows(&driver)
                .await?
                .into_iter()
                .map(|row| row.urn)
                .collect();
            Ok((urns == expected).then_some(urns))
        },
    )
    .await?;
    let count_text = driver.find(By::Css("#result-count")).await?.text().await?;
    println!(
        "filter {word:?}: {} of {} caseload rows, #result-count {count_text:?}",
        narrowed.len(),
        caseload.len()
    );
    ensure!(
        count_text
            .split(|c: char| !c.is_ascii_digit())
            .any(|number| number == narrowed.len().to_string()),
        "#result-count says {count_text:?} while {} rows match {word:?}",
        narrowed.len()
    );

    // Clearing the filter brings every caseload school back.
    clear(&filter).await?;
    eventually(
        "the whole caseload back after clearing the filter",
        || async { Ok((rows(&driver).await?.len() == caseload.len()).then_some(())) },
    )
    .await?;

    // "All schools" shows more than the caseload, closed schools included.
    driver
        .find(By::Css("#tab-all"))
        .await
        .context("the #tab-all tab")?
        .click()
        .await?;
    let all = eventually("more rows under #tab-all than in the caseload", || async {
        let rows = rows(&driver).await?;
        Ok((rows.len() > caseload.len()).then_some(rows))
    })
    .await?;
    ensure!(
        all.iter().any(|row| row.closed),
        "no closed school among the {} rows of all schools",
        all.len()
    );

    // A school's link opens its page: its name and its contacts.
    let school = &caseload[0];
    let link = driver
        .find(By::Css(format!(
            "tr[data-urn=\"{}\"] .school-link",
            school.urn
        )))
        .await
        .with_context(|| format!("the .school-link of {}", school.name))?;
    link.click().await?;
    let heading = wait_for(
        &driver,
        "h1#school-name",
        "the school page's h1#school-name",
    )
    .await?;
    let shown = eventually(
        &format!("h1#school-name to read {:?}", school.name),
        || async {
            let text = heading.text().await?;
            Ok((text.trim() == school.name).then_some(text))
        },
    )
    .await?;
    let contacts = wait_for(
        &driver,
        "section[aria-labelledby=contacts-heading]",
        "the school page's contacts section",
    )
    .await?;
    let listed = contacts.find_all(By::Css("tbody tr")).await?.len();
    ensure!(
        listed > 0,
        "no contacts listed for {}: {:?}",
        school.name,
        contacts.text().await?
    );
    let shot = shots.join(format!("{TEST}-school-page.png"));
    screenshot(&driver, &shot)
        .await
        .context("saving the school page screenshot")?;
    println!("school page for {shown:?}: {}", shot.display());

    // Back returns to the table.
    driver
        .find(By::Css("#back"))
        .await
        .context("the #back link")?
        .click()
        .await?;
    eventually("the school table after #back", || async {
        Ok((!rows(&driver).await?.is_empty()).then_some(()))
    })
    .await?;
    Ok(())
}

/// Saves what the window shows now. WebKit's snapshot can lag behind the
/// page, so first let it paint two frames.
async fn screenshot(driver: &WebDriver, path: &Path) -> anyhow::Result<()> {
    let painted = "const done = arguments[arguments.length - 1];\
                   requestAnimationFrame(() => requestAnimationFrame(() => done()));";
    driver.execute_async(painted, Vec::new()).await?;
    driver.screenshot(path).await?;
    Ok(())
}

/// The rows of `#schools`, read in one round trip.
async fn rows(driver: &WebDriver) -> anyhow::Result<Vec<Row>> {
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

fn matching<'a>(rows: &'a [Row], word: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
    let word = word.to_lowercase();
    rows.iter()
        .filter(move |row| row.text.to_lowercase().contains(&word))
}

/// A word from the schools' names that matches a few rows but not all, and
/// only rows whose name holds it (not, say, their type), so the filter
/// visibly narrows the table to those schools. Chosen from what the window
/// shows, so the test does not pin the demo data's names.
fn filter_word(rows: &[Row]) -> Option<String> {
    let mut words: Vec<String> = rows
        .iter()
        .flat_map(|row| row.name.split(|c: char| !c.is_alphabetic()))
        .filter(|word| word.chars().count() >= 4)
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
        .into_iter()
        .filter(|word| {
            let lower = word.to_lowercase();
            matching(rows, word).all(|row| row.name.to_lowercase().contains(&lower))
        })
        .map(|word| (matching(rows, &word).count(), word))
        .filter(|(count, _)| (1..rows.len()).contains(count))
        .min_by_key(|(count, word)| (count.abs_diff(3), word.clone()))
        .map(|(_, word)| word)
}

async fn wait_for(driver: &WebDriver, css: &str, what: &str) -> anyhow::Result<WebElement> {
    driver
        .query(By::Css(css))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await
        .with_context(|| format!("waited {WAIT:?} for {what}"))
}

/// Empties an input the way a person does, so the page sees input events.
async fn clear(input: &WebElement) -> anyhow::Result<()> {
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
async fn eventually<T, F, Fut>(what: &str, mut check: F) -> anyhow::Result<T>
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

//! MSP groups in the real window: from Northgate Primary's page to its
//! group (the demo's, with two approved meetings and concerns that remain),
//! drafting the alert to ward members the escalation proposes; planning a
//! meeting for today and holding it (attendance, minutes under an agenda
//! item, a carried action rated again, a summary that repeats the minutes
//! refused beside it and then reworded); approving it behind the
//! confirmation and finding both documents drawn and the summary saved as
//! a PDF; and the carried action, as rated, on the next meeting's log.
//!
//! A second story opens a group: a school scored into high support on its
//! scoring screen is offered one on its page, and opening it brings the
//! headteacher, the chair of governors and the link SIA in as members.
//!
//! Needs the built app, tauri-driver and a display (Xvfb on CI), so it is
//! ignored by a plain `cargo test`; `./scripts/test` runs it.

use anyhow::{ensure, Context as _};
use caseload_e2e::scoring::{
    open_school_due_a_review, overall_becomes, statement_boxes, tick, untick_all,
};
use caseload_e2e::window::{
    click, eventually, load_demo_caseload, open_school, run_story, save_screenshot, saved, wait_for,
};
use serde_json::Value;
use std::path::PathBuf;
use thirtyfour::prelude::*;

const TEST: &str = "hold_an_msp_meeting_approve_it_and_carry_its_action";
const OPEN_TEST: &str = "a_school_placed_in_high_support_opens_an_msp_group";

/// Northgate Primary: in high support, with the demo's MSP group.
const NORTHGATE: &str = "990007";
/// The carried action whose RAG the meeting changes (red in the demo).
const CARRIED: &str = "Publish a sequenced curriculum map";
/// Minutes typed under "Impact of leaders' actions".
const MINUTES: &str = "Mr Mensah showed the group finished maps for history, geography and art.";
/// A summary that repeats a sentence of those minutes, which the back end refuses.
const REPEATING: &str = "Mr Mensah showed the group finished maps for history, geography and art";
const SUMMARY: &str = "Curriculum planning has moved on since November. Governors will see the remaining plans at their next meeting.";
const PLACE: &str = "Fenbridge Civic Centre, Room 2";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn hold_an_msp_meeting_approve_it_and_carry_its_action() {
    run_story(TEST, None, story).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and the built app: run ./scripts/test"]
async fn a_school_placed_in_high_support_opens_an_msp_group() {
    run_story(OPEN_TEST, None, open_story).await;
}

async fn open_story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    // A caseload school due a review, scored high on a decisive statement.
    let school = open_school_due_a_review(&driver).await?;
    let school = &school;
    ensure!(
        driver.find_all(By::Css("#msp-offer")).await?.is_empty(),
        "{} is offered a group before it is in high support",
        school.name
    );
    // Its headteacher and link SIA in its facts, its chair of governors in its contacts.
    let mut people = wait_for(&driver, "dl.facts", "the school's facts")
        .await?
        .text()
        .await?;
    people += &wait_for(&driver, "table.contacts", "the school's contacts")
        .await?
        .text()
        .await?;
    click(&driver, "#open-review").await?;
    wait_for(
        &driver,
        "input[data-statement]",
        "the statements' checkboxes",
    )
    .await?;
    untick_all(&driver).await?;
    let decisive = statement_boxes(&driver)
        .await?
        .into_iter()
        .find(|statement| statement.decisive)
        .context("no decisive statement on the scoring screen")?;
    tick(&driver, &decisive.id).await?;
    overall_becomes(&driver, "High support").await?;
    click(&driver, "#agree-review").await?;
    click(&driver, "#confirm-agree").await?;
    wait_for(
        &driver,
        "#agreed-notice",
        "the notice that the review was agreed",
    )
    .await?;

    // Back on its page, the school is offered a group.
    click(&driver, "#back").await?;
    let offer = wait_for(&driver, "#msp-offer", "the offer of an MSP group").await?;
    let offer_text = offer.text().await?;
    ensure!(
        offer_text.contains("high support since"),
        "the offer reads {offer_text:?}"
    );
    let chair = driver
        .find(By::Css("#msp-chair option:checked"))
        .await
        .context("no chair offered")?
        .text()
        .await?;
    offer.scroll_into_view().await?;
    save_screenshot(&driver, &shots, OPEN_TEST, "offer").await?;
    click(&driver, "#open-msp-group").await?;

    // The group's page: its chair, and the school's people as members.
    let heading = wait_for(&driver, "h1#msp-group-heading", "the new group's page").await?;
    ensure!(
        heading.text().await?.contains(&school.name),
        "the group's page is headed {:?}",
        heading.text().await?
    );
    let members = eventually("the group's members", || async {
        let names = driver.find_all(By::Css("#msp-members li .name")).await?;
        let mut read = Vec::new();
        for name in names {
            read.push(name.text().await?);
        }
        Ok((read.len() >= 3).then_some(read))
    })
    .await?;
    println!("chair {chair:?}; members {members:?}");
    let chair_name = chair.split(',').next().unwrap_or_default();
    ensure!(
        members.iter().any(|member| member == chair_name),
        "the chair {chair_name:?} is not among the members {members:?}"
    );
    let from_school = members
        .iter()
        .filter(|member| people.contains(member.as_str()))
        .count();
    ensure!(
        from_school >= 3,
        "the headteacher, the chair of governors and the link SIA ({people:?}) are not all among the members {members:?}"
    );
    ensure!(
        driver
            .find_all(By::Css("#msp-meetings tr[data-status]"))
            .await?
            .is_empty(),
        "a new group already lists meetings"
    );
    wait_for(
        &driver,
        "#schedule-meeting",
        "the form to plan its first meeting",
    )
    .await?;
    save_screenshot(&driver, &shots, OPEN_TEST, "group").await?;
    Ok(())
}

async fn story(driver: WebDriver, shots: PathBuf) -> anyhow::Result<()> {
    let caseload = load_demo_caseload(&driver).await?;
    let northgate = caseload
        .iter()
        .find(|row| row.urn == NORTHGATE)
        .context("Northgate Primary is not in the demo caseload")?;
    open_school(&driver, northgate).await?;

    // The school's page shows its group at a glance.
    let glance = wait_for(&driver, "#school-msp #msp-glance", "the school's MSP group").await?;
    let text = glance.text().await?;
    ensure!(
        text.contains("Margaret Okonjo") && text.contains(CARRIED),
        "the school's MSP section reads {text:?}"
    );
    glance.scroll_into_view().await?;
    save_screenshot(&driver, &shots, TEST, "school").await?;
    click(&driver, "#open-msp-group-page").await?;

    // The group: concerns remain, so the escalation proposes letters.
    wait_for(&driver, "h1#msp-group-heading", "the group's page").await?;
    let meetings = driver
        .find_all(By::Css("#msp-meetings tr[data-status=\"approved\"]"))
        .await?;
    ensure!(
        meetings.len() == 2,
        "{} approved meetings listed",
        meetings.len()
    );
    wait_for(
        &driver,
        "#msp-escalation [data-proposed=\"warning-notice\"]",
        "the warning notice the escalation proposes",
    )
    .await?;
    save_screenshot(&driver, &shots, TEST, "group").await?;

    // The alert to ward members drafts in the letter editor.
    click(&driver, "button[data-draft-msp=\"member-alert\"]").await?;
    let heading = wait_for(&driver, "h1#letter-heading", "the letter editor").await?;
    eventually("the editor to show the alert to ward members", || async {
        Ok(heading
            .text()
            .await?
            .contains("Alert to ward members")
            .then_some(()))
    })
    .await?;
    driver.back().await?;
    wait_for(&driver, "h1#msp-group-heading", "the group's page again").await?;

    // A meeting planned for today, in another place.
    let today = today(&driver).await?;
    set_date(&driver, "#schedule-date", &today).await?;
    type_into(&driver, "#schedule-place", PLACE).await?;
    click(&driver, "#schedule-submit").await?;
    let heading = wait_for(&driver, "h1#meeting-heading", "the meeting editor").await?;
    let meeting = id_from_url(&driver).await?;
    ensure!(
        heading.text().await?.contains("Planned"),
        "the new meeting is headed {:?}",
        heading.text().await?
    );

    // Attendance: four present, the invited member sends apologies.
    let members = driver
        .find_all(By::Css("#meeting-attendance tr[data-member]"))
        .await?;
    ensure!(
        members.len() == 5,
        "{} members to mark present",
        members.len()
    );
    for (index, member) in members.iter().enumerate() {
        let presence = if index == 4 { "apologies" } else { "present" };
        member
            .find(By::Css(format!("input[value=\"{presence}\"]")))
            .await?
            .click()
            .await?;
    }
    type_into(&driver, "#minutes-2", MINUTES).await?;
    type_into(
        &driver,
        "#meeting-decisions",
        "The maps for the remaining subjects are due by the spring meeting.",
    )
    .await?;

    // The carried action, red in the demo, is rated amber at this meeting.
    let row = carried_row(&driver).await?;
    let action = row
        .attr("data-action")
        .await?
        .context("the carried row has no action id")?;
    ensure!(
        row.attr("data-rag").await?.as_deref() == Some("red"),
        "the carried action comes forward {:?}",
        row.attr("data-rag").await?
    );
    let rag = wait_for(
        &driver,
        &format!("select[data-rag-for=\"{action}\"]"),
        "the carried action's RAG",
    )
    .await?;
    rag.scroll_into_view().await?;
    rag.find(By::Css("option[value=\"amber\"]"))
        .await?
        .click()
        .await?;
    eventually("the carried action to be rated amber", || async {
        let row = driver
            .find(By::Css(format!(
                "#meeting-log tr[data-action=\"{action}\"]"
            )))
            .await?;
        Ok((row.attr("data-rag").await?.as_deref() == Some("amber")).then_some(()))
    })
    .await?;

    // A summary repeating the minutes is refused beside it; reworded, it saves.
    type_into(&driver, "#meeting-summary", REPEATING).await?;
    let refusal = wait_for(
        &driver,
        "#summary-error",
        "the refusal of a summary that repeats the minutes",
    )
    .await?;
    ensure!(
        refusal
            .text()
            .await?
            .contains("repeat the confidential minutes"),
        "the summary's error reads {:?}",
        refusal.text().await?
    );
    refusal.scroll_into_view().await?;
    save_screenshot(&driver, &shots, TEST, "summary-refused").await?;
    let summary = wait_for(&driver, "#meeting-summary", "the summary").await?;
    driver
        .execute("arguments[0].select();", vec![summary.to_json()?])
        .await?;
    summary.send_keys(SUMMARY).await?;
    saved(&driver).await?;
    ensure!(
        driver.find_all(By::Css("#summary-error")).await?.is_empty(),
        "the refusal stays after the summary was reworded"
    );
    driver.execute("window.scrollTo(0, 0);", Vec::new()).await?;
    save_screenshot(&driver, &shots, TEST, "meeting").await?;
    wait_for(&driver, "#section-log", "the action log")
        .await?
        .scroll_into_view()
        .await?;
    save_screenshot(&driver, &shots, TEST, "meeting-log").await?;

    // Approved after the confirmation: frozen, with both documents drawn.
    let readiness = wait_for(&driver, "#meeting-readiness", "whether it may be approved").await?;
    eventually("the meeting to be ready to approve", || async {
        Ok((readiness.text().await?.trim() == "Ready to approve").then_some(()))
    })
    .await?;
    click(&driver, "#approve-meeting").await?;
    wait_for(&driver, "#confirm-approve-heading", "the confirmation").await?;
    save_screenshot(&driver, &shots, TEST, "confirm").await?;
    click(&driver, "#confirm-approve").await?;
    wait_for(&driver, "#meeting-record", "the approved meeting").await?;
    ensure!(
        driver.find_all(By::Css("textarea")).await?.is_empty(),
        "approved minutes still have fields to type in"
    );
    let status = wait_for(&driver, "h1#meeting-heading [data-status]", "the status")
        .await?
        .attr("data-status")
        .await?;
    ensure!(
        status.as_deref() == Some("approved"),
        "the meeting is {status:?}"
    );
    drawn(&driver, "#minutes-preview").await?;
    drawn(&driver, "#summary-preview").await?;
    save_screenshot(&driver, &shots, TEST, "approved").await?;
    wait_for(&driver, "#minutes-preview", "the minutes' pages")
        .await?
        .scroll_into_view()
        .await?;
    save_screenshot(&driver, &shots, TEST, "documents").await?;

    // The summary for governors saved as a PDF where the adviser says.
    let folder = tempfile::Builder::new().prefix("caseload-msp-").tempdir()?;
    let file = folder.path().join("summary for governors.pdf");
    let path = wait_for(&driver, "#summary-path", "where to save the summary").await?;
    driver
        .execute("arguments[0].select();", vec![path.to_json()?])
        .await?;
    path.send_keys(file.display().to_string()).await?;
    click(&driver, "#save-summary").await?;
    wait_for(&driver, "#summary-saved", "the summary saved").await?;
    let pdf = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    ensure!(pdf.starts_with(b"%PDF"), "{} is not a PDF", file.display());

    // Back on the group: the meeting approved, no concern left to escalate.
    click(&driver, "#back").await?;
    let listed = wait_for(
        &driver,
        &format!("#msp-meetings tr[data-meeting=\"{meeting}\"]"),
        "the meeting on the group's page",
    )
    .await?;
    ensure!(
        listed.attr("data-status").await?.as_deref() == Some("approved"),
        "the group lists the meeting {:?}",
        listed.text().await?
    );
    ensure!(
        driver
            .find_all(By::Css("#msp-escalation"))
            .await?
            .is_empty(),
        "concerns still shown as remaining after a meeting that lifted them"
    );

    // The next meeting, on the date proposed, carries the action as rated.
    click(&driver, "#schedule-submit").await?;
    eventually("the next meeting's editor", || async {
        let id = id_from_url(&driver).await?;
        Ok((id != meeting).then_some(id))
    })
    .await?;
    wait_for(&driver, "h1#meeting-heading", "the next meeting").await?;
    let carried = carried_row(&driver).await?;
    ensure!(
        carried.attr("data-rag").await?.as_deref() == Some("amber"),
        "the next meeting carries the action as {:?}",
        carried.attr("data-rag").await?
    );
    ensure!(
        carried.attr("data-action").await?.as_deref() == Some(action.as_str()),
        "another action came forward"
    );
    carried.scroll_into_view().await?;
    save_screenshot(&driver, &shots, TEST, "next-meeting").await?;

    // The MSP groups page: Northgate's group, its next meeting planned.
    click(&driver, "#open-msp").await?;
    let group = wait_for(&driver, "#msp-groups tr[data-group]", "the MSP groups").await?;
    let row = group.text().await?;
    ensure!(
        row.contains("Northgate Primary School") && !row.contains("None planned"),
        "the MSP groups page lists {row:?}"
    );
    ensure!(
        group.attr("data-overdue").await?.as_deref() == Some("false"),
        "the group is flagged overdue"
    );
    save_screenshot(&driver, &shots, TEST, "groups").await
}

/// The row of the meeting's log holding the carried action.
async fn carried_row(driver: &WebDriver) -> anyhow::Result<WebElement> {
    eventually("the carried action on the meeting's log", || async {
        for row in driver
            .find_all(By::Css("#meeting-log tr[data-action]"))
            .await?
        {
            if row.text().await?.contains(CARRIED) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    })
    .await
}

/// Today in the window's own time zone, as the app's date fields hold it.
async fn today(driver: &WebDriver) -> anyhow::Result<String> {
    let script = "const d = new Date(); const p = n => String(n).padStart(2, '0');\
                  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;";
    match driver.execute(script, Vec::new()).await?.json() {
        Value::String(day) => Ok(day.clone()),
        other => anyhow::bail!("the window's date is {other}"),
    }
}

/// The last part of the window's address: the meeting's id.
async fn id_from_url(driver: &WebDriver) -> anyhow::Result<String> {
    let url = driver.current_url().await?;
    ensure!(
        url.as_str().contains("/meeting/"),
        "the window shows {url}, not a meeting"
    );
    Ok(url
        .as_str()
        .rsplit('/')
        .next()
        .context("no meeting id in the address")?
        .to_owned())
}

/// Clicks into `css` and types `text` after what it holds.
async fn type_into(driver: &WebDriver, css: &str, text: &str) -> anyhow::Result<()> {
    let field = wait_for(driver, css, css).await?;
    field.click().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Sets a date field as its picker would: typing into one is locale-bound.
async fn set_date(driver: &WebDriver, css: &str, iso: &str) -> anyhow::Result<()> {
    let field = wait_for(driver, css, css).await?;
    let script = "arguments[0].value = arguments[1];\
                  arguments[0].dispatchEvent(new Event('input', { bubbles: true }));";
    driver
        .execute(script, vec![field.to_json()?, serde_json::json!(iso)])
        .await?;
    Ok(())
}

/// Waits until the preview `css` shows its first page drawn with ink on it.
async fn drawn(driver: &WebDriver, css: &str) -> anyhow::Result<()> {
    eventually(&format!("{css} to draw its pages"), || async {
        let preview = driver.find(By::Css(css)).await?;
        if preview.attr("data-state").await?.as_deref() != Some("ready") {
            return Ok(None);
        }
        let inked = "const canvas = arguments[0].querySelector('[data-page=\"1\"] canvas');\
                     if (!canvas || canvas.width === 0) return false;\
                     const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;\
                     for (let i = 0; i < data.length; i += 4) {\
                       if (data[i + 3] > 0 && data[i] < 128) return true;\
                     }\
                     return false;";
        let drawn = driver.execute(inked, vec![preview.to_json()?]).await?;
        Ok((drawn.json() == &Value::Bool(true)).then_some(()))
    })
    .await
}

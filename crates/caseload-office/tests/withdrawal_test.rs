//! Scopes taken away: a school reassigned away from its link SIA, and an
//! adviser left off an MSP group, reach the devices that held them as
//! withdrawals in the pull, in sequence order among the changes, against
//! the real `caseload-office` binary on SQLite and (when
//! `CASELOAD_TEST_POSTGRES` names a server) on PostgreSQL.

mod common;

use caseload_core::sync::{Outcome, PullResponse, Withdrawal, WithdrawnScope};
use caseload_core::Urn;
use common::{admin, admin_json, enrol, Backend, Device, OfficeProcess};
use serde_json::{json, Value};
use uuid::Uuid;

const URN: u32 = 990001;

fn id_of(account: &Value) -> String {
    account["id"].as_str().expect("an id").to_owned()
}

fn code_of(account: &Value) -> String {
    account["enrol_code"].as_str().expect("a code").to_owned()
}

fn assign(backend: &Backend, adviser: &str) {
    admin(
        backend,
        &[
            "adviser",
            "assign",
            "--adviser",
            adviser,
            "--urn",
            &URN.to_string(),
        ],
    );
}

/// Every page after `after`, `limit` at a time: the changes' keys and the
/// withdrawals, each page's checked to lie within its cursor.
async fn pull_all(device: &Device, mut after: u64, limit: u32) -> (Vec<String>, Vec<Withdrawal>) {
    let (mut keys, mut withdrawn) = (Vec::new(), Vec::new());
    loop {
        let page: PullResponse = device.pull_page(after, limit).await.expect("pulls");
        assert!(
            page.changes.len() + page.withdrawn.len() <= limit as usize,
            "a page of {limit} holds {} changes and {} withdrawals",
            page.changes.len(),
            page.withdrawn.len()
        );
        for withdrawal in &page.withdrawn {
            assert!(withdrawal.seq > after && withdrawal.seq <= page.cursor);
        }
        keys.extend(page.changes.iter().map(|change| change.key.clone()));
        withdrawn.extend(page.withdrawn);
        after = page.cursor;
        if !page.more {
            return (keys, withdrawn);
        }
    }
}

fn school_withdrawn() -> WithdrawnScope {
    WithdrawnScope::School { urn: Urn(URN) }
}

async fn story(backend: Backend) {
    let office = OfficeProcess::start(&backend, &[]);
    let schools = common::assets().join("demo/schools.csv");
    admin_json(
        &backend,
        &[
            "import",
            "schools",
            &schools.display().to_string(),
            "--la",
            "990",
        ],
    );
    let account = |name: &str, email: &str, role: &str| {
        admin_json(
            &backend,
            &[
                "adviser", "add", "--name", name, "--email", email, "--role", role,
            ],
        )
    };
    let priya = account("Priya Raman", "priya@fenbridge.gov.uk", "link-sia");
    let sam = account("Sam Whitfield", "sam@fenbridge.gov.uk", "link-sia");
    let margaret = account("Margaret Okonjo", "margaret@fenbridge.gov.uk", "senior-sia");
    assign(&backend, &id_of(&priya));
    let mut priya_laptop = enrol(&office, &code_of(&priya)).await.expect("enrols");
    let mut sam_laptop = enrol(&office, &code_of(&sam)).await.expect("enrols");
    let mut senior = enrol(&office, &code_of(&margaret)).await.expect("enrols");

    // Priya writes a visit at her school, and chairs its MSP group, which
    // lists Sam and Margaret, with confidential minutes.
    let (visit, group, minutes) = (
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
        Uuid::now_v7().to_string(),
    );
    let listed = |ids: &[Uuid]| -> Vec<Value> {
        ids.iter()
            .map(|id| {
                json!({"id": id.to_string(), "name": "Member", "roles": ["member"],
                       "organisation": null, "email": null})
            })
            .collect()
    };
    let members = [sam_laptop.adviser, senior.adviser];
    let ops = [
        priya_laptop.op(
            "visit",
            &visit,
            0,
            json!({"urn": URN, "adviser": priya_laptop.adviser.to_string(),
                   "visited_on": "2026-10-07", "session": "am", "kind": "core",
                   "status": "draft", "purpose": "Core visit"}),
        ),
        priya_laptop.op(
            "msp_group",
            &group,
            0,
            json!({"urn": URN, "chair": priya_laptop.adviser.to_string(),
                   "members": listed(&members), "opened_on": "2026-09-28"}),
        ),
        priya_laptop.op(
            "msp_meeting",
            &minutes,
            0,
            json!({"msp_group": group, "urn": URN, "meets_on": "2026-10-12",
                   "status": "draft", "decisions": ["the head's capability procedure"]}),
        ),
    ];
    let results = priya_laptop.push(&ops).await.expect("pushes");
    assert!(
        results
            .iter()
            .all(|result| matches!(result.outcome, Outcome::Applied { .. })),
        "{results:?}"
    );
    let before_reassignment = priya_laptop.pull().await.expect("pulls");
    assert!(before_reassignment.iter().any(|change| change.key == visit));
    let priya_cursor = priya_laptop.cursor;
    let sam_minutes = sam_laptop.pull().await.expect("pulls");
    assert!(sam_minutes.iter().any(|change| change.key == minutes));
    senior.pull().await.expect("pulls");

    // The office reassigns the school to Sam.
    assign(&backend, &id_of(&sam));
    let (keys, withdrawn) = pull_all(&priya_laptop, priya_cursor, 500).await;
    assert_eq!(
        withdrawn.iter().map(|w| w.scope).collect::<Vec<_>>(),
        vec![school_withdrawn()],
        "{}: Priya's device is told the school left her caseload",
        backend.name()
    );
    assert!(
        !keys.contains(&visit),
        "{}: nothing of the school reaches Priya again: {keys:?}",
        backend.name()
    );
    // A page at a time: the withdrawal comes once, and no cursor passes it.
    let (_, one_at_a_time) = pull_all(&priya_laptop, 0, 1).await;
    assert_eq!(one_at_a_time, withdrawn, "{}", backend.name());
    let (sam_keys, sam_withdrawn) = pull_all(&sam_laptop, sam_laptop.cursor, 500).await;
    assert!(sam_withdrawn.is_empty(), "{}", backend.name());
    assert!(
        sam_keys.contains(&visit) && sam_keys.contains(&URN.to_string()),
        "{}: Sam receives the school and its visit: {sam_keys:?}",
        backend.name()
    );
    let (_, senior_withdrawn) = pull_all(&senior, senior.cursor, 500).await;
    assert!(
        senior_withdrawn.is_empty(),
        "{}: a Senior SIA sees every school, and loses none",
        backend.name()
    );

    // Assigned back: no withdrawal any more, and the records come again,
    // after the cursor that carried the withdrawal and from before it alike.
    assign(&backend, &id_of(&priya));
    let (keys, withdrawn) = pull_all(&priya_laptop, priya_cursor, 500).await;
    assert!(withdrawn.is_empty(), "{}: {withdrawn:?}", backend.name());
    assert!(keys.contains(&visit), "{}: {keys:?}", backend.name());
    let (keys, withdrawn) = pull_all(&priya_laptop, 0, 2).await;
    assert!(withdrawn.is_empty(), "{}: {withdrawn:?}", backend.name());
    assert!(keys.contains(&visit), "{}: {keys:?}", backend.name());

    // Assigned back, the link SIA's seat on the group went back to Priya
    // too, so Sam lost the group's minutes with the school. Priya then
    // leaves Margaret off the group: Margaret's device loses its minutes.
    priya_laptop.pull().await.expect("pulls");
    let group_seq = priya_laptop
        .pull_page(0, 1000)
        .await
        .expect("pulls")
        .changes
        .iter()
        .find(|change| change.key == group)
        .map(|change| change.seq)
        .expect("Priya holds the group");
    let drop_margaret = priya_laptop.op(
        "msp_group",
        &group,
        group_seq,
        json!({"members": listed(&[priya_laptop.adviser])}),
    );
    let results = priya_laptop.push(&[drop_margaret]).await.expect("pushes");
    assert!(
        matches!(results[0].outcome, Outcome::Applied { .. }),
        "{results:?}"
    );
    let (keys, withdrawn) = pull_all(&sam_laptop, sam_laptop.cursor, 500).await;
    let group_id = Uuid::parse_str(&group).expect("a UUID");
    assert_eq!(
        withdrawn.iter().map(|w| w.scope).collect::<Vec<_>>(),
        vec![
            school_withdrawn(),
            WithdrawnScope::MspGroup { group: group_id }
        ],
        "{}: Sam lost the school to Priya, and its group's seat with it",
        backend.name()
    );
    assert!(!keys.contains(&minutes), "{}: {keys:?}", backend.name());
    let (keys, senior_withdrawn) = pull_all(&senior, senior.cursor, 500).await;
    assert_eq!(
        senior_withdrawn.iter().map(|w| w.scope).collect::<Vec<_>>(),
        vec![WithdrawnScope::MspGroup { group: group_id }],
        "{}: Margaret was left off the group",
        backend.name()
    );
    assert!(!keys.contains(&minutes), "{}: {keys:?}", backend.name());
    office.stop();
    backend.clean_up().await;
}

/// The strategy puts the school's link SIA on its MSP group: reassigning
/// the school gives the former link SIA's seat to the new one.
async fn the_link_sias_seat(backend: Backend) {
    let office = OfficeProcess::start(&backend, &[]);
    let schools = common::assets().join("demo/schools.csv");
    let path = schools.display().to_string();
    admin_json(&backend, &["import", "schools", &path, "--la", "990"]);
    let account = |name: &str, email: &str, role: &str| {
        admin_json(
            &backend,
            &[
                "adviser", "add", "--name", name, "--email", email, "--role", role,
            ],
        )
    };
    let priya = account("Priya Raman", "priya@fenbridge.gov.uk", "link-sia");
    let sam = account("Sam Whitfield", "sam@fenbridge.gov.uk", "link-sia");
    let margaret = account("Margaret Okonjo", "margaret@fenbridge.gov.uk", "senior-sia");
    assign(&backend, &id_of(&priya));
    let mut priya_laptop = enrol(&office, &code_of(&priya)).await.expect("enrols");
    let mut sam_laptop = enrol(&office, &code_of(&sam)).await.expect("enrols");
    let mut senior = enrol(&office, &code_of(&margaret)).await.expect("enrols");

    // Margaret chairs the school's group, with Priya as its link SIA, and
    // records a meeting.
    let (group, meeting) = (Uuid::now_v7().to_string(), Uuid::now_v7().to_string());
    let member = |id: Uuid, name: &str, role: &str| {
        json!({"id": id.to_string(), "name": name, "roles": [role],
               "organisation": null, "email": null})
    };
    let head = member(Uuid::now_v7(), "Mrs Zoë Okafor", "headteacher");
    let ops = [
        senior.op(
            "msp_group",
            &group,
            0,
            json!({"urn": URN, "chair": senior.adviser.to_string(),
                   "members": [member(senior.adviser, "Margaret Okonjo", "chair"),
                               member(priya_laptop.adviser, "Priya Raman", "link-sia"),
                               head],
                   "opened_on": "2026-09-28", "closed": null}),
        ),
        senior.op(
            "msp_meeting",
            &meeting,
            0,
            json!({"msp_group": group, "urn": URN, "meets_on": "2026-10-12",
                   "status": "draft", "decisions": ["the head's capability procedure"]}),
        ),
    ];
    let results = senior.push(&ops).await.expect("pushes");
    assert!(
        results
            .iter()
            .all(|result| matches!(result.outcome, Outcome::Applied { .. })),
        "{results:?}"
    );
    let held = priya_laptop.pull().await.expect("pulls");
    assert!(held.iter().any(|change| change.key == meeting));
    sam_laptop.pull().await.expect("pulls");
    let (priya_cursor, sam_cursor) = (priya_laptop.cursor, sam_laptop.cursor);

    assign(&backend, &id_of(&sam));
    let group_id = Uuid::parse_str(&group).expect("a UUID");
    let (_, withdrawn) = pull_all(&priya_laptop, priya_cursor, 500).await;
    assert_eq!(
        withdrawn.iter().map(|w| w.scope).collect::<Vec<_>>(),
        vec![
            school_withdrawn(),
            WithdrawnScope::MspGroup { group: group_id }
        ],
        "{}: Priya loses the school and the group's meetings",
        backend.name()
    );
    let (keys, _) = pull_all(&priya_laptop, 0, 500).await;
    assert!(
        !keys.contains(&meeting) && !keys.contains(&group),
        "{}: nothing of the group reaches Priya again: {keys:?}",
        backend.name()
    );

    let page = sam_laptop.pull_page(sam_cursor, 1000).await.expect("pulls");
    assert!(page.withdrawn.is_empty(), "{}", backend.name());
    assert!(
        page.changes.iter().any(|change| change.key == meeting),
        "{}: Sam receives the group's meeting",
        backend.name()
    );
    let pulled = page
        .changes
        .iter()
        .find(|change| change.key == group)
        .expect("Sam receives the group");
    let seats: Vec<(String, Value)> = pulled
        .state
        .value("members")
        .and_then(Value::as_array)
        .expect("members")
        .iter()
        .map(|member| {
            (
                member["name"].as_str().unwrap_or_default().to_owned(),
                member["roles"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seats,
        vec![
            ("Margaret Okonjo".to_owned(), json!(["chair"])),
            ("Sam Whitfield".to_owned(), json!(["link-sia"])),
            ("Mrs Zoë Okafor".to_owned(), json!(["headteacher"])),
        ],
        "{}",
        backend.name()
    );
    let log = admin_json(
        &backend,
        &["audit", "--entity", "msp_group", "--key", &group],
    );
    let actions: Vec<&Value> = log
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| &row["office_action"])
        .collect();
    assert_eq!(
        actions,
        [&Value::Null, &json!("adviser assign")],
        "{}: {log}",
        backend.name()
    );
    office.stop();
    backend.clean_up().await;
}

#[tokio::test]
async fn a_reassigned_schools_group_seats_its_new_link_sia_on_sqlite() {
    the_link_sias_seat(Backend::sqlite()).await;
}

#[tokio::test]
async fn a_reassigned_schools_group_seats_its_new_link_sia_on_postgres() {
    if let Some(backend) =
        Backend::postgres("a_reassigned_schools_group_seats_its_new_link_sia_on_postgres").await
    {
        the_link_sias_seat(backend).await;
    }
}

#[tokio::test]
async fn a_reassigned_school_and_a_left_group_are_withdrawn_on_sqlite() {
    story(Backend::sqlite()).await;
}

#[tokio::test]
async fn a_reassigned_school_and_a_left_group_are_withdrawn_on_postgres() {
    if let Some(backend) =
        Backend::postgres("a_reassigned_school_and_a_left_group_are_withdrawn_on_postgres").await
    {
        story(backend).await;
    }
}

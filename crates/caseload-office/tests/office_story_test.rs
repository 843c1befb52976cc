//! One story of the office, told against both backends: the real
//! `caseload-office` binary on a loopback port, the admin commands beside
//! it, and devices enrolling, pushing and pulling over HTTP.
//!
//! SQLite always; PostgreSQL when `CASELOAD_TEST_POSTGRES` names a server
//! (scripts/test starts a throwaway one), skipped with a notice otherwise.

mod common;

use std::collections::BTreeSet;

use caseload_core::record;
use caseload_core::sync::rules::scope_field;
use caseload_core::sync::{Change, Outcome, RefusalReason, PROTOCOL_VERSION};
use common::{admin, admin_json, enrol, post, Backend, OfficeProcess};
use serde_json::{json, Map, Value};
use uuid::Uuid;

const ST_MARYS: u32 = 990001;
const CASTLE_HILL: u32 = 990002;
const THIRD_SCHOOL: u32 = 990003;

fn applied_seq(outcome: &Outcome) -> u64 {
    match outcome {
        Outcome::Applied { seq } => *seq,
        other => panic!("expected the operation applied, got {other:?}"),
    }
}

fn refusal(outcome: &Outcome) -> (RefusalReason, String) {
    match outcome {
        Outcome::Refused(refusal) => (refusal.reason, refusal.message.clone()),
        other => panic!("expected the operation refused, got {other:?}"),
    }
}

fn keys(changes: &[Change], entity: &str) -> BTreeSet<String> {
    changes
        .iter()
        .filter(|change| change.entity == entity)
        .map(|change| change.key.clone())
        .collect()
}

fn find<'a>(changes: &'a [Change], entity: &str, key: &str) -> Option<&'a Change> {
    changes
        .iter()
        .rev()
        .find(|change| change.entity == entity && change.key == key)
}

fn new_visit(urn: u32, adviser: Uuid, purpose: &str) -> Value {
    json!({
        "urn": urn,
        "adviser": adviser.to_string(),
        "visited_on": "2026-10-07",
        "session": "am",
        "kind": "core",
        "status": "draft",
        "purpose": purpose,
    })
}

/// Every field of a letter, as the write that issues it carries them.
fn issued_letter(urn: u32, author: Uuid) -> Value {
    let mut fields: Map<String, Value> = record::LETTER
        .fields
        .iter()
        .map(|field| (field.name.to_owned(), Value::Null))
        .collect();
    fields.insert("urn".into(), json!(urn));
    fields.insert("kind".into(), json!("significant-concerns"));
    fields.insert("status".into(), json!("issued"));
    fields.insert("dated".into(), json!("2026-10-09"));
    fields.insert("subject".into(), json!("Significant concerns"));
    fields.insert("body".into(), json!("Dear Mrs O'Connor, ..."));
    fields.insert("author".into(), json!(author.to_string()));
    fields.insert("pdf_sha256".into(), json!("ab".repeat(32)));
    Value::Object(fields)
}

async fn story(backend: Backend) {
    let name = backend.name();
    let office = OfficeProcess::start(&backend, &[]);

    // The office answers its health check.
    let health: Value = reqwest::get(office.url("/health"))
        .await
        .expect("health answers")
        .json()
        .await
        .expect("health is JSON");
    assert_eq!(health["status"], "ok", "{name}");
    assert_eq!(health["protocol"]["newest"], PROTOCOL_VERSION);

    // The administrator loads the school list and opens accounts while it serves.
    let schools = assets().join("demo/schools.csv");
    let imported = admin_json(
        &backend,
        &[
            "import",
            "schools",
            &schools.display().to_string(),
            "--la",
            "990",
        ],
    );
    assert_eq!(imported["added"], 30, "{name}: {imported}");
    let again = admin_json(
        &backend,
        &[
            "import",
            "schools",
            &schools.display().to_string(),
            "--la",
            "990",
        ],
    );
    assert_eq!(
        again["unchanged"], 30,
        "{name}: a re-import changes nothing"
    );
    let account = |name: &str, email: &str, role: &str| {
        admin_json(
            &backend,
            &[
                "adviser", "add", "--name", name, "--email", email, "--role", role,
            ],
        )
    };
    let priya = account("Priya Raman", "priya.raman@fenbridge.gov.uk", "link-sia");
    let tom = account("Tom Ashby", "tom.ashby@fenbridge.gov.uk", "link-sia");
    let margaret = account(
        "Margaret Okonjo",
        "margaret.okonjo@fenbridge.gov.uk",
        "senior-sia",
    );
    let helen = account(
        "Helen Price",
        "helen.price@fenbridge.gov.uk",
        "governance-lead",
    );
    let id =
        |account: &Value| Uuid::parse_str(account["id"].as_str().expect("an id")).expect("a UUID");
    let code = |account: &Value| account["enrol_code"].as_str().expect("a code").to_owned();
    admin(
        &backend,
        &[
            "adviser",
            "assign",
            "--adviser",
            &id(&priya).to_string(),
            "--urn",
            &ST_MARYS.to_string(),
        ],
    );
    admin(
        &backend,
        &[
            "adviser",
            "assign",
            "--adviser",
            &id(&tom).to_string(),
            "--urn",
            &CASTLE_HILL.to_string(),
        ],
    );

    // A code enrols one device, once; a second use is refused exactly like a
    // code that never existed.
    let mut priya_laptop = enrol(&office, &code(&priya)).await.expect("Priya enrols");
    assert_eq!(priya_laptop.adviser, id(&priya));
    let reused = enrol(&office, &code(&priya)).await.expect_err("refused");
    let invented = enrol(&office, "ABCD-EFGH-JKMN").await.expect_err("refused");
    assert_eq!(reused.status, 401, "{name}");
    assert_eq!(
        (reused.status, &reused.body),
        (invented.status, &invented.body)
    );
    let mut tom_laptop = enrol(&office, &code(&tom)).await.expect("Tom enrols");
    let mut margaret_laptop = enrol(&office, &code(&margaret))
        .await
        .expect("Margaret enrols");
    let mut helen_laptop = enrol(&office, &code(&helen)).await.expect("Helen enrols");

    // A first sync brings the caseload and the directory, and nothing else.
    let first = priya_laptop.pull().await.expect("Priya pulls");
    assert_eq!(
        keys(&first, "school"),
        BTreeSet::from([ST_MARYS.to_string()]),
        "{name}"
    );
    assert_eq!(keys(&first, "adviser").len(), 4, "{name}: the directory");
    let senior_first = margaret_laptop.pull().await.expect("Margaret pulls");
    assert_eq!(
        keys(&senior_first, "school").len(),
        30,
        "{name}: a Senior SIA sees every school"
    );
    tom_laptop.pull().await.expect("Tom pulls");
    helen_laptop.pull().await.expect("Helen pulls");

    // Push and pull: Priya's visit reaches the Senior SIA, not another link SIA.
    let visit = Uuid::now_v7().to_string();
    let create = priya_laptop.op(
        "visit",
        &visit,
        0,
        new_visit(ST_MARYS, id(&priya), "Core visit"),
    );
    let results = priya_laptop
        .push(std::slice::from_ref(&create))
        .await
        .expect("pushed");
    let created_at = applied_seq(&results[0].outcome);
    let seen_by_margaret = margaret_laptop.pull().await.expect("pulled");
    let pulled = find(&seen_by_margaret, "visit", &visit).expect("the visit reached Margaret");
    assert_eq!(pulled.seq, created_at);
    assert_eq!(
        pulled.state.value("purpose"),
        Some(&json!("Core visit")),
        "{name}"
    );
    assert!(find(&tom_laptop.pull().await.expect("pulled"), "visit", &visit).is_none());

    // A retried push (its answer lost) applies nothing twice.
    let retried = priya_laptop
        .push(std::slice::from_ref(&create))
        .await
        .expect("pushed");
    assert_eq!(
        retried[0].outcome,
        Outcome::Duplicate { seq: created_at },
        "{name}"
    );
    assert!(
        margaret_laptop.pull().await.expect("pulled").is_empty(),
        "{name}"
    );

    // Writing outside the caseload is refused for that operation only.
    let theirs = priya_laptop.op(
        "visit",
        &Uuid::now_v7().to_string(),
        0,
        new_visit(CASTLE_HILL, id(&priya), "Not my school"),
    );
    let action = Uuid::now_v7().to_string();
    let mine = priya_laptop.op(
        "action",
        &action,
        0,
        json!({"urn": ST_MARYS, "text": "Review the phonics scheme", "owner": "Headteacher", "due_on": "2026-12-01"}),
    );
    let results = priya_laptop.push(&[theirs, mine]).await.expect("pushed");
    let (reason, message) = refusal(&results[0].outcome);
    assert_eq!(reason, RefusalReason::OutOfScope, "{name}");
    assert!(message.contains("not in your caseload"), "{message}");
    applied_seq(&results[1].outcome);

    // Two advisers edit the same field offline: one value, the other a conflict.
    let priya_edit = priya_laptop.op(
        "visit",
        &visit,
        created_at,
        json!({"purpose": "Core visit: phonics"}),
    );
    let margaret_edit = margaret_laptop.op(
        "visit",
        &visit,
        created_at,
        json!({"purpose": "Core visit: reading"}),
    );
    applied_seq(
        &margaret_laptop
            .push(&[margaret_edit])
            .await
            .expect("pushed")[0]
            .outcome,
    );
    applied_seq(&priya_laptop.push(&[priya_edit]).await.expect("pushed")[0].outcome);
    let merged = margaret_laptop.pull().await.expect("pulled");
    let merged = find(&merged, "visit", &visit).expect("the visit changed");
    let conflicts = merged.state.conflicts();
    assert_eq!(conflicts.len(), 1, "{name}: {conflicts:?}");
    let values: BTreeSet<String> = [&conflicts[0].kept.value, &conflicts[0].lost.value]
        .into_iter()
        .map(Value::to_string)
        .collect();
    assert_eq!(
        values,
        BTreeSet::from([
            json!("Core visit: phonics").to_string(),
            json!("Core visit: reading").to_string()
        ]),
        "{name}: both edits are kept"
    );

    // An issued letter never changes again, from any device.
    let letter = Uuid::now_v7().to_string();
    let issue = priya_laptop.op("letter", &letter, 0, issued_letter(ST_MARYS, id(&priya)));
    let issued_at = applied_seq(&priya_laptop.push(&[issue]).await.expect("pushed")[0].outcome);
    let reword = priya_laptop.op("letter", &letter, issued_at, json!({"body": "Reworded"}));
    let (reason, message) =
        refusal(&priya_laptop.push(&[reword]).await.expect("pushed")[0].outcome);
    assert_eq!(reason, RefusalReason::Frozen, "{name}");
    assert!(message.contains("correction"), "{message}");
    let withdraw = margaret_laptop.delete("letter", &letter, issued_at);
    let (reason, _) = refusal(&margaret_laptop.push(&[withdraw]).await.expect("pushed")[0].outcome);
    assert_eq!(reason, RefusalReason::Frozen, "{name}");

    // Confidential minutes reach the MSP group's members only.
    let group = Uuid::now_v7().to_string();
    let member = |id: Uuid, name: &str, role: &str| json!({"id": id.to_string(), "name": name, "roles": [role], "organisation": null, "email": null});
    let open_group = margaret_laptop.op(
        "msp_group",
        &group,
        0,
        json!({
            "urn": ST_MARYS,
            "chair": id(&margaret).to_string(),
            "members": [member(id(&margaret), "Margaret Okonjo", "chair"), member(id(&priya), "Priya Raman", "link-sia")],
            "opened_on": "2026-09-28",
        }),
    );
    let meeting = Uuid::now_v7().to_string();
    let mut minutes = Map::new();
    minutes.insert(scope_field(&record::MSP_MEETING).to_owned(), json!(group));
    minutes.insert("urn".into(), json!(ST_MARYS));
    minutes.insert("meets_on".into(), json!("2026-10-12"));
    minutes.insert("status".into(), json!("draft"));
    minutes.insert(
        "decisions".into(),
        json!(["Confidential: the deputy head's capability"]),
    );
    let write_minutes = margaret_laptop.op("msp_meeting", &meeting, 0, Value::Object(minutes));
    let results = margaret_laptop
        .push(&[open_group, write_minutes])
        .await
        .expect("pushed");
    applied_seq(&results[0].outcome);
    let minutes_at = applied_seq(&results[1].outcome);
    let priya_sees = priya_laptop.pull().await.expect("pulled");
    assert!(
        find(&priya_sees, "msp_meeting", &meeting).is_some(),
        "{name}: a member"
    );
    let helen_sees = helen_laptop.pull().await.expect("pulled");
    assert!(
        find(&helen_sees, "msp_group", &group).is_some(),
        "{name}: the group itself"
    );
    assert!(
        find(&helen_sees, "msp_meeting", &meeting).is_none(),
        "{name}: the Strategic Lead is not a member of this group"
    );
    let helen_writes = helen_laptop.op(
        "msp_meeting",
        &meeting,
        minutes_at,
        json!({"place": "Town hall"}),
    );
    let (reason, _) =
        refusal(&helen_laptop.push(&[helen_writes]).await.expect("pushed")[0].outcome);
    assert_eq!(reason, RefusalReason::OutOfScope, "{name}");

    // Linking a school brings its earlier records to the new link SIA.
    let earlier = Uuid::now_v7().to_string();
    let before_linking = margaret_laptop.op(
        "visit",
        &earlier,
        0,
        new_visit(THIRD_SCHOOL, id(&margaret), "Before Tom"),
    );
    applied_seq(
        &margaret_laptop
            .push(&[before_linking])
            .await
            .expect("pushed")[0]
            .outcome,
    );
    assert!(find(&tom_laptop.pull().await.expect("pulled"), "visit", &earlier).is_none());
    admin(
        &backend,
        &[
            "adviser",
            "assign",
            "--adviser",
            &id(&tom).to_string(),
            "--urn",
            &THIRD_SCHOOL.to_string(),
        ],
    );
    let linked = tom_laptop.pull().await.expect("pulled");
    assert!(
        find(&linked, "visit", &earlier).is_some(),
        "{name}: the earlier visit reached Tom"
    );
    assert!(
        find(&linked, "school", &THIRD_SCHOOL.to_string()).is_some(),
        "{name}"
    );

    // A revoked device is refused at its next request.
    admin(
        &backend,
        &["device", "revoke", "--device", &priya_laptop.id.to_string()],
    );
    let refused = priya_laptop.pull().await.expect_err("refused");
    assert_eq!(refused.status, 401, "{name}");
    assert_eq!(refused.body.error, "unauthorised");
    let late = priya_laptop.op("action", &action, 0, json!({"rag": "green"}));
    assert_eq!(
        priya_laptop
            .push(&[late])
            .await
            .expect_err("refused")
            .status,
        401
    );
    // A new code enrols the same device again, with a new token.
    let fresh = admin_json(
        &backend,
        &["adviser", "code", "--adviser", &id(&priya).to_string()],
    );
    let re_enrolled: Value = post(
        &office.url("/enrol"),
        None,
        &json!({"protocol": PROTOCOL_VERSION, "code": code(&fresh), "device": priya_laptop.id}),
    )
    .await
    .expect("re-enrolled");
    assert_ne!(re_enrolled["token"], json!(priya_laptop.token));

    // Removing an adviser revokes their devices and unlinks their schools.
    let removed = admin_json(
        &backend,
        &["adviser", "remove", "--adviser", &id(&tom).to_string()],
    );
    assert_eq!(removed["devices_revoked"], 1, "{name}: {removed}");
    assert_eq!(removed["schools_unlinked"], 2, "{name}: {removed}");
    assert_eq!(tom_laptop.pull().await.expect_err("refused").status, 401);
    let advisers = admin_json(&backend, &["adviser", "list"]);
    let tom_listed = advisers
        .as_array()
        .and_then(|advisers| {
            advisers
                .iter()
                .find(|adviser| adviser["id"] == json!(id(&tom)))
        })
        .expect("Tom is still listed");
    assert_eq!(tom_listed["active"], false, "{name}");
    assert_eq!(tom_listed["schools"], json!([]), "{name}");

    // Stopped with SIGTERM and started again on its store, the office holds
    // everything it applied.
    let everything: Vec<Change> = margaret_laptop
        .pull_page(0, 1_000)
        .await
        .expect("pulled")
        .changes;
    let status = office.stop();
    assert!(
        status.success(),
        "{name}: SIGTERM ends the office cleanly ({status})"
    );
    let office = OfficeProcess::start(&backend, &[]);
    let client = reqwest::Client::new();
    let again: caseload_core::sync::PullResponse = client
        .post(office.url("/sync/pull"))
        .bearer_auth(&margaret_laptop.token)
        .json(&json!({"protocol": PROTOCOL_VERSION, "after": 0, "limit": 1000}))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("a page");
    assert_eq!(again.changes, everything, "{name}");
    assert!(office.stop().success());
    backend.clean_up().await;
}

fn assets() -> std::path::PathBuf {
    common::assets()
}

#[tokio::test]
async fn the_office_story_on_sqlite() {
    story(Backend::sqlite()).await;
}

#[tokio::test]
async fn the_office_story_on_postgres() {
    if let Some(backend) = Backend::postgres("the_office_story_on_postgres").await {
        story(backend).await;
    }
}

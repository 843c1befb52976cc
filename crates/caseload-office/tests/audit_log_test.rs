//! The office's audit log of a record, exported with `caseload-office
//! audit`: every pushed operation applied to it, oldest first, with the
//! account and device that pushed it and the values as pushed; nothing it
//! refused; and, in their places among them, the office's own writes (an
//! import, an assignment, a removal) under its command, each write with the
//! values it replaced. Pulls name each device's adviser, for the devices'
//! own trails. On SQLite, and on PostgreSQL when `CASELOAD_TEST_POSTGRES`
//! names a server.

mod common;

use std::process::Command;

use caseload_core::sync::Outcome;
use caseload_core::AdviserId;
use common::{admin, admin_json, assets, enrol, Backend, OfficeProcess, BINARY};
use serde_json::{json, Value};
use uuid::Uuid;

/// A school the first adviser is linked to, and one nobody is.
const LINKED: &str = "990001";
const UNLINKED: &str = "990002";

fn add_adviser(backend: &Backend, name: &str, email: &str, role: &str) -> Value {
    admin_json(
        backend,
        &[
            "adviser", "add", "--name", name, "--email", email, "--role", role,
        ],
    )
}

fn adviser_id(added: &Value) -> AdviserId {
    AdviserId(
        added["id"]
            .as_str()
            .and_then(|id| Uuid::parse_str(id).ok())
            .expect("an adviser id"),
    )
}

/// `caseload-office audit` run to fail: its standard error.
fn audit_refused(backend: &Backend, entity: &str, key: &str) -> String {
    let output = Command::new(BINARY)
        .args(backend.store_args())
        .args(["audit", "--entity", entity, "--key", key])
        .output()
        .expect("caseload-office runs");
    assert!(!output.status.success(), "{entity} {key} was exported");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn import_schools(backend: &Backend) {
    let schools = assets().join("demo/schools.csv");
    admin(
        backend,
        &[
            "import",
            "schools",
            &schools.display().to_string(),
            "--la",
            "990",
        ],
    );
}

async fn story(backend: Backend) {
    let name = backend.name();
    let office = OfficeProcess::start(&backend, &[]);
    import_schools(&backend);
    let priya = add_adviser(
        &backend,
        "Priya Raman",
        "priya.raman@fenbridge.gov.uk",
        "link-sia",
    );
    let margaret = add_adviser(
        &backend,
        "Margaret Okonjo",
        "margaret.okonjo@fenbridge.gov.uk",
        "senior-sia",
    );
    let tom = add_adviser(
        &backend,
        "Tom Ashby",
        "tom.ashby@fenbridge.gov.uk",
        "link-sia",
    );
    admin(
        &backend,
        &[
            "adviser",
            "assign",
            "--adviser",
            priya["id"].as_str().expect("id"),
            "--urn",
            LINKED,
        ],
    );
    let code = |added: &Value| added["enrol_code"].as_str().expect("a code").to_owned();
    let mut priyas_laptop = enrol(&office, &code(&priya)).await.expect("enrolled");
    let mut margarets_laptop = enrol(&office, &code(&margaret)).await.expect("enrolled");
    let mut toms_laptop = enrol(&office, &code(&tom)).await.expect("enrolled");

    // Priya plans a visit and types its purpose; Margaret corrects it.
    let visit = Uuid::now_v7().to_string();
    let planned = priyas_laptop.op(
        "visit",
        &visit,
        0,
        json!({"urn": 990001, "visited_on": "2026-11-03", "purpose": "Core visit"}),
    );
    let typed = priyas_laptop.op(
        "visit",
        &visit,
        0,
        json!({"purpose": "Core visit: reading"}),
    );
    let results = priyas_laptop
        .push(&[planned.clone(), typed.clone()])
        .await
        .expect("pushed");
    let Outcome::Applied { seq: typed_seq } = results[1].outcome else {
        panic!("{name}: {results:?}");
    };
    margarets_laptop.pull().await.expect("pulled");
    let corrected = margarets_laptop.op(
        "visit",
        &visit,
        typed_seq,
        json!({"purpose": "Core visit: reading and phonics"}),
    );
    margarets_laptop
        .push(std::slice::from_ref(&corrected))
        .await
        .expect("pushed");
    // Tom's write is refused: the school is not his. It is no part of the log.
    let refused = toms_laptop.op("visit", &visit, 0, json!({"purpose": "Not mine"}));
    let results = toms_laptop.push(&[refused]).await.expect("answered");
    assert!(
        matches!(results[0].outcome, Outcome::Refused(_)),
        "{name}: {results:?}"
    );

    // A pull names who wrote each value it brings.
    let changes = margarets_laptop.pull().await.expect("pulled");
    let change = changes
        .iter()
        .find(|change| change.key == visit)
        .expect("the visit");
    assert_eq!(
        change.authors.get(&priyas_laptop.id),
        Some(&adviser_id(&priya)),
        "{name}: {change:?}"
    );
    assert_eq!(
        change.authors.get(&margarets_laptop.id),
        Some(&adviser_id(&margaret)),
        "{name}"
    );

    let log = admin_json(&backend, &["audit", "--entity", "visit", "--key", &visit]);
    let rows = log.as_array().expect("a list");
    let lines: Vec<(&str, &str, &Value)> = rows
        .iter()
        .map(|row| {
            (
                row["account_name"].as_str().unwrap_or_default(),
                row["device"].as_str().unwrap_or_default(),
                &row["fields"],
            )
        })
        .collect();
    let priyas_device = priyas_laptop.id.to_string();
    let margarets_device = margarets_laptop.id.to_string();
    assert_eq!(
        lines,
        [
            (
                "Priya Raman",
                priyas_device.as_str(),
                &json!({"urn": 990001, "visited_on": "2026-11-03", "purpose": "Core visit"})
            ),
            (
                "Priya Raman",
                priyas_device.as_str(),
                &json!({"purpose": "Core visit: reading"})
            ),
            (
                "Margaret Okonjo",
                margarets_device.as_str(),
                &json!({"purpose": "Core visit: reading and phonics"})
            ),
        ],
        "{name}: {log:#}"
    );
    assert_eq!(rows[0]["account"], json!(adviser_id(&priya)));
    assert_eq!(rows[2]["account"], json!(adviser_id(&margaret)));
    assert_eq!(rows[0]["op_id"], json!(planned.op_id));
    assert_eq!(rows[2]["hlc"], json!(corrected.hlc));
    assert_eq!(rows[2]["before"], json!({"purpose": "Core visit: reading"}));
    assert_eq!(rows[2]["office_action"], Value::Null);
    assert_eq!(rows[0]["device_name"], "test laptop");
    assert_eq!(rows[1]["seq"], json!(typed_seq));
    let applied_at = rows[2]["applied_at"].as_str().expect("a time");
    let applied_at = chrono::DateTime::parse_from_rfc3339(applied_at).expect("RFC 3339");
    let age = chrono::Utc::now().signed_duration_since(applied_at);
    assert!(
        age >= chrono::Duration::zero() && age < chrono::Duration::minutes(5),
        "{name}: applied {age} ago"
    );

    // As text: one line per operation, then each field before and after.
    let text = admin(&backend, &["audit", "--entity", "visit", "--key", &visit]);
    assert!(
        text.contains("Margaret Okonjo")
            && text.contains(
                "purpose: \"Core visit: reading\" -> \"Core visit: reading and phonics\""
            ),
        "{name}: {text}"
    );

    // A school the office imported but no device wrote has its import
    // alone; an unknown record or record type is an error that says so.
    let log = admin_json(
        &backend,
        &["audit", "--entity", "school", "--key", UNLINKED],
    );
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{name}: {log:#}");
    assert_eq!(log[0]["office_action"], "import schools", "{name}");
    let missing = audit_refused(&backend, "visit", &Uuid::now_v7().to_string());
    assert!(missing.contains("has no visit"), "{name}: {missing}");
    let unknown = audit_refused(&backend, "gossip", "1");
    assert!(unknown.contains("not a record type"), "{name}: {unknown}");

    the_offices_own_writes_among_the_pushed(&backend, &mut priyas_laptop, &priya).await;
    office.stop();
    backend.clean_up().await;
}

/// The linked school's log: its import and its assignment by the office,
/// then Priya's correction from her laptop, then her removal, in order,
/// each with the values it replaced. Importing the same list again adds
/// nothing.
async fn the_offices_own_writes_among_the_pushed(
    backend: &Backend,
    priyas_laptop: &mut common::Device,
    priya: &Value,
) {
    let name = backend.name();
    import_schools(backend);
    let changes = priyas_laptop.pull().await.expect("pulled");
    let school = changes
        .iter()
        .find(|change| change.entity == "school" && change.key == LINKED)
        .expect("her school");
    let office_device = school.state.fields["name"]
        .winner()
        .expect("a name")
        .device
        .to_string();
    let correction = priyas_laptop.op(
        "school",
        LINKED,
        school.seq,
        json!({"telephone": "01632 960 999"}),
    );
    let results = priyas_laptop
        .push(std::slice::from_ref(&correction))
        .await
        .expect("pushed");
    assert!(
        matches!(results[0].outcome, Outcome::Applied { .. }),
        "{name}: {results:?}"
    );
    admin(
        backend,
        &[
            "adviser",
            "remove",
            "--adviser",
            priya["id"].as_str().expect("id"),
        ],
    );

    let log = admin_json(backend, &["audit", "--entity", "school", "--key", LINKED]);
    let rows = log.as_array().expect("a list");
    let who: Vec<(&Value, &Value, &str)> = rows
        .iter()
        .map(|row| {
            (
                &row["office_action"],
                &row["account"],
                row["device"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let priyas_device = priyas_laptop.id.to_string();
    assert_eq!(
        who,
        [
            (
                &json!("import schools"),
                &Value::Null,
                office_device.as_str()
            ),
            (
                &json!("adviser assign"),
                &Value::Null,
                office_device.as_str()
            ),
            (&Value::Null, &priya["id"], priyas_device.as_str()),
            (
                &json!("adviser remove"),
                &Value::Null,
                office_device.as_str()
            ),
        ],
        "{name}: {log:#}"
    );
    let seqs: Vec<u64> = rows.iter().filter_map(|row| row["seq"].as_u64()).collect();
    assert!(
        seqs.windows(2).all(|pair| pair[0] < pair[1]),
        "{name}: {seqs:?}"
    );
    let imported = &rows[0];
    assert!(
        imported["fields"]["name"]
            .as_str()
            .is_some_and(|school| school.contains("Mary")),
        "{name}: {imported:#}"
    );
    assert_eq!(imported["before"]["name"], Value::Null, "{name}");
    assert_eq!(imported["account_name"], Value::Null, "{name}");
    assert_eq!(imported["device_name"], Value::Null, "{name}");
    assert_eq!(rows[1]["before"], json!({"link_sia": null}), "{name}");
    assert_eq!(
        rows[1]["fields"],
        json!({"link_sia": priya["id"]}),
        "{name}"
    );
    assert_eq!(
        rows[2]["before"],
        json!({"telephone": imported["fields"]["telephone"]}),
        "{name}"
    );
    assert_eq!(rows[2]["fields"], json!({"telephone": "01632 960 999"}));
    assert_eq!(rows[2]["account_name"], "Priya Raman", "{name}");
    assert_eq!(
        rows[3]["before"],
        json!({"link_sia": priya["id"]}),
        "{name}"
    );
    assert_eq!(rows[3]["fields"], json!({"link_sia": null}), "{name}");

    // Her directory record: the office wrote it when it opened her account.
    let log = admin_json(
        backend,
        &[
            "audit",
            "--entity",
            "adviser",
            "--key",
            priya["id"].as_str().expect("id"),
        ],
    );
    assert_eq!(log.as_array().map(Vec::len), Some(1), "{name}: {log:#}");
    assert_eq!(log[0]["office_action"], "adviser add", "{name}");
    assert_eq!(log[0]["fields"]["name"], "Priya Raman", "{name}");
    assert_eq!(log[0]["before"]["name"], Value::Null, "{name}");

    let text = admin(backend, &["audit", "--entity", "school", "--key", LINKED]);
    let assigned = format!("link_sia: null -> {}", priya["id"]);
    assert!(
        text.contains("the office: adviser assign") && text.contains(&assigned),
        "{name}: {text}"
    );
}

#[tokio::test]
async fn a_records_audit_log_on_sqlite() {
    story(Backend::sqlite()).await;
}

#[tokio::test]
async fn a_records_audit_log_on_postgres() {
    if let Some(backend) = Backend::postgres("a_records_audit_log_on_postgres").await {
        story(backend).await;
    }
}

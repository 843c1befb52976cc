//! The scope matrix: every role × every endpoint the office serves × a
//! school in scope and one out of it, against the real `caseload-office`
//! binary, on SQLite and (when `CASELOAD_TEST_POSTGRES` names a server) on
//! PostgreSQL, whose pull queries are the same rules in other SQL.
//!
//! Two schools hold the same records, written by an MSP chair: the school
//! itself, a visit, its MSP group and confidential minutes. The in-scope
//! school is the link SIA's, and its group lists the link SIA, the Senior
//! SIA and the Strategic Lead; the out-of-scope school is nobody's caseload
//! and its group lists only its chair. Each row of [`MATRIX`] says what one
//! role receives and may write at one school; every failing cell is named
//! ("link-sia × /sync/pull × out-of-scope school: ...") and all are listed
//! together.

mod common;

use std::fmt;

use caseload_core::sync::{Change, OpResult, Outcome, RefusalReason};
use common::{admin, admin_json, enrol_answer, Backend, Device, OfficeProcess};
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    LinkSia,
    SeniorSia,
    GovernanceLead,
    Admin,
}

impl Role {
    const ALL: [Role; 4] = [
        Role::LinkSia,
        Role::SeniorSia,
        Role::GovernanceLead,
        Role::Admin,
    ];

    /// As `caseload-office adviser add --role` spells it.
    fn flag(self) -> &'static str {
        match self {
            Role::LinkSia => "link-sia",
            Role::SeniorSia => "senior-sia",
            Role::GovernanceLead => "governance-lead",
            Role::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SchoolCase {
    InScope,
    OutOfScope,
}

impl SchoolCase {
    fn urn(self) -> u32 {
        match self {
            SchoolCase::InScope => 990001,
            SchoolCase::OutOfScope => 990002,
        }
    }
}

impl fmt::Display for SchoolCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SchoolCase::InScope => "in-scope school",
            SchoolCase::OutOfScope => "out-of-scope school",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Health,
    Enrol,
    Pull,
    Push,
}

impl Endpoint {
    const ALL: [Endpoint; 4] = [
        Endpoint::Health,
        Endpoint::Enrol,
        Endpoint::Pull,
        Endpoint::Push,
    ];
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Endpoint::Health => "GET /health",
            Endpoint::Enrol => "POST /enrol",
            Endpoint::Pull => "POST /sync/pull",
            Endpoint::Push => "POST /sync/push",
        })
    }
}

/// Which of a school's records a pull brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Receives {
    school: bool,
    visit: bool,
    msp_group: bool,
    minutes: bool,
}

/// Which writes at a school a push applies (the rest are refused as out of
/// scope), and whether a write in the role's own scope, later in the same
/// batch, is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Writes {
    visit: bool,
    minutes: bool,
    rest_of_batch: bool,
}

struct Row {
    role: Role,
    school: SchoolCase,
    receives: Receives,
    writes: Writes,
}

const EVERYTHING: Receives = Receives {
    school: true,
    visit: true,
    msp_group: true,
    minutes: true,
};
const NOTHING: Receives = Receives {
    school: false,
    visit: false,
    msp_group: false,
    minutes: false,
};
/// Every school's records, but not the minutes of a group they do not sit on.
const ALL_BUT_MINUTES: Receives = Receives {
    minutes: false,
    ..EVERYTHING
};
const WRITES_BOTH: Writes = Writes {
    visit: true,
    minutes: true,
    rest_of_batch: true,
};

const WRITES_NOTHING: Writes = Writes {
    visit: false,
    minutes: false,
    rest_of_batch: false,
};

const MATRIX: &[Row] = &[
    Row {
        role: Role::LinkSia,
        school: SchoolCase::InScope,
        receives: EVERYTHING,
        writes: WRITES_BOTH,
    },
    Row {
        role: Role::LinkSia,
        school: SchoolCase::OutOfScope,
        receives: NOTHING,
        writes: Writes {
            visit: false,
            minutes: false,
            rest_of_batch: true,
        },
    },
    Row {
        role: Role::SeniorSia,
        school: SchoolCase::InScope,
        receives: EVERYTHING,
        writes: WRITES_BOTH,
    },
    Row {
        role: Role::SeniorSia,
        school: SchoolCase::OutOfScope,
        receives: ALL_BUT_MINUTES,
        writes: Writes {
            minutes: false,
            ..WRITES_BOTH
        },
    },
    Row {
        role: Role::GovernanceLead,
        school: SchoolCase::InScope,
        receives: EVERYTHING,
        writes: WRITES_BOTH,
    },
    Row {
        role: Role::GovernanceLead,
        school: SchoolCase::OutOfScope,
        receives: ALL_BUT_MINUTES,
        writes: Writes {
            minutes: false,
            ..WRITES_BOTH
        },
    },
    // An administrator's device receives the directory only and writes
    // nothing, not even in a batch's other operations.
    Row {
        role: Role::Admin,
        school: SchoolCase::InScope,
        receives: NOTHING,
        writes: WRITES_NOTHING,
    },
    Row {
        role: Role::Admin,
        school: SchoolCase::OutOfScope,
        receives: NOTHING,
        writes: WRITES_NOTHING,
    },
];

/// The records the chair wrote at one school.
struct SchoolRecords {
    visit: String,
    msp_group: String,
    minutes: String,
    /// In the minutes: text only the group's members may read.
    confidential: String,
}

impl SchoolRecords {
    /// Every key and text of these records, none of which an answer that
    /// carries no record of the school may hold.
    fn traces(&self, school: SchoolCase) -> [String; 4] {
        [
            self.visit.clone(),
            self.msp_group.clone(),
            self.minutes.clone(),
            format!("{school}: {}", self.confidential),
        ]
    }
}

/// One role's enrolled device and what enrolling answered.
struct Enrolled {
    role: Role,
    adviser: Uuid,
    device: Device,
    answer: Value,
}

struct Fixture {
    office: OfficeProcess,
    chair: Device,
    devices: Vec<Enrolled>,
    in_scope: SchoolRecords,
    out_of_scope: SchoolRecords,
}

fn id_of(account: &Value) -> Uuid {
    Uuid::parse_str(account["id"].as_str().expect("an id")).expect("a UUID")
}

fn member(id: Uuid) -> Value {
    json!({"id": id.to_string(), "name": "Member", "roles": ["member"], "organisation": null, "email": null})
}

fn applied(result: &OpResult) -> bool {
    matches!(result.outcome, Outcome::Applied { .. })
}

/// The chair opens a group at `school` listing `members` and writes a
/// visit and confidential minutes there.
async fn write_school_records(
    chair: &mut Device,
    school: SchoolCase,
    members: &[Uuid],
) -> SchoolRecords {
    let urn = school.urn();
    let records = SchoolRecords {
        visit: Uuid::now_v7().to_string(),
        msp_group: Uuid::now_v7().to_string(),
        minutes: Uuid::now_v7().to_string(),
        confidential: "the deputy head's capability procedure".to_owned(),
    };
    let listed: Vec<Value> = [chair.adviser]
        .iter()
        .chain(members)
        .map(|id| member(*id))
        .collect();
    let ops = [
        chair.op(
            "visit",
            &records.visit,
            0,
            json!({"urn": urn, "adviser": chair.adviser.to_string(), "visited_on": "2026-10-07",
                   "session": "am", "kind": "core", "status": "draft", "purpose": "Core visit"}),
        ),
        chair.op(
            "msp_group",
            &records.msp_group,
            0,
            json!({"urn": urn, "chair": chair.adviser.to_string(), "members": listed,
                   "opened_on": "2026-09-28"}),
        ),
        chair.op(
            "msp_meeting",
            &records.minutes,
            0,
            json!({"msp_group": records.msp_group, "urn": urn, "meets_on": "2026-10-12",
                   "status": "draft",
                   "decisions": [format!("{school}: {}", records.confidential)]}),
        ),
    ];
    let results = chair.push(&ops).await.expect("the chair pushes");
    assert!(
        results.iter().all(applied),
        "the chair's writes: {results:?}"
    );
    records
}

/// The office, an MSP chair (a Senior SIA who sits on both groups), one
/// enrolled device per role, and the chair's records at both schools.
async fn set_up(backend: &Backend) -> Fixture {
    let office = OfficeProcess::start(backend, &[]);
    let schools = common::assets().join("demo/schools.csv");
    admin_json(
        backend,
        &[
            "import",
            "schools",
            &schools.display().to_string(),
            "--la",
            "990",
        ],
    );
    let account = |name: &str, role: &str| {
        let email = format!("{}@fenbridge.gov.uk", name.to_lowercase().replace(' ', "."));
        admin_json(
            backend,
            &[
                "adviser", "add", "--name", name, "--email", &email, "--role", role,
            ],
        )
    };
    let chair_account = account("Margaret Okonjo", "senior-sia");
    let names = ["Priya Raman", "Sam Whitfield", "Helen Price", "Olu Adeyemi"];
    let accounts: Vec<(Role, Value)> = Role::ALL
        .into_iter()
        .zip(names)
        .map(|(role, name)| (role, account(name, role.flag())))
        .collect();
    admin(
        backend,
        &[
            "adviser",
            "assign",
            "--adviser",
            &id_of(&accounts[0].1).to_string(),
            "--urn",
            &SchoolCase::InScope.urn().to_string(),
        ],
    );

    let code = |account: &Value| account["enrol_code"].as_str().expect("a code").to_owned();
    let (mut chair, _) = enrol_answer(&office, &code(&chair_account))
        .await
        .expect("the chair enrols");
    let mut devices = Vec::new();
    for (role, account) in &accounts {
        let (device, answer) = enrol_answer(&office, &code(account))
            .await
            .unwrap_or_else(|refused| panic!("{} enrols: {refused:?}", role.flag()));
        devices.push(Enrolled {
            role: *role,
            adviser: id_of(account),
            device,
            answer,
        });
    }
    // The in-scope school's group lists every adviser but the administrator.
    let members: Vec<Uuid> = devices
        .iter()
        .filter(|enrolled| enrolled.role != Role::Admin)
        .map(|enrolled| enrolled.adviser)
        .collect();
    let in_scope = write_school_records(&mut chair, SchoolCase::InScope, &members).await;
    let out_of_scope = write_school_records(&mut chair, SchoolCase::OutOfScope, &[]).await;
    Fixture {
        office,
        chair,
        devices,
        in_scope,
        out_of_scope,
    }
}

/// Every change in the device's scope, from the beginning.
async fn pull_everything(device: &mut Device) -> Vec<Change> {
    device.cursor = 0;
    device.pull().await.expect("the device pulls")
}

fn find<'a>(changes: &'a [Change], entity: &str, key: &str) -> Option<&'a Change> {
    changes
        .iter()
        .rev()
        .find(|change| change.entity == entity && change.key == key)
}

/// The traces of a school's records that `text` holds.
fn leaks(text: &str, traces: &[String]) -> Vec<String> {
    traces
        .iter()
        .filter(|trace| text.contains(trace.as_str()))
        .cloned()
        .collect()
}

/// Collects the failures of the matrix, each named by its cell.
struct Cell<'a> {
    name: String,
    failures: &'a mut Vec<String>,
}

impl Cell<'_> {
    fn expect(&mut self, holds: bool, what: impl fmt::Display) {
        if !holds {
            self.failures.push(format!("{}: {what}", self.name));
        }
    }
}

async fn check_health(office: &OfficeProcess, traces: &[String], cell: &mut Cell<'_>) {
    let answer = reqwest::get(office.url("/health"))
        .await
        .expect("health answers")
        .text()
        .await
        .expect("a body");
    cell.expect(answer.contains("\"status\":\"ok\""), &answer);
    let leaked = leaks(&answer, traces);
    cell.expect(leaked.is_empty(), format!("the answer holds {leaked:?}"));
}

fn check_enrol(enrolled: &Enrolled, traces: &[String], cell: &mut Cell<'_>) {
    let adviser = &enrolled.answer["adviser"];
    cell.expect(
        adviser["id"] == json!(enrolled.adviser) && adviser["role"] == json!(enrolled.role.flag()),
        format!("the answer names another adviser: {adviser}"),
    );
    let leaked = leaks(&enrolled.answer.to_string(), traces);
    cell.expect(leaked.is_empty(), format!("the answer holds {leaked:?}"));
}

/// The directory: the chair and the four advisers under test.
const DIRECTORY: usize = 5;

fn check_pull(changes: &[Change], row: &Row, records: &SchoolRecords, cell: &mut Cell<'_>) {
    let received = Receives {
        school: find(changes, "school", &row.school.urn().to_string()).is_some(),
        visit: find(changes, "visit", &records.visit).is_some(),
        msp_group: find(changes, "msp_group", &records.msp_group).is_some(),
        minutes: find(changes, "msp_meeting", &records.minutes).is_some(),
    };
    cell.expect(
        received == row.receives,
        format!("received {received:?}, expected {:?}", row.receives),
    );
    // Nothing else of the school arrives by another record type.
    let leaked = leaks(
        &serde_json::to_string(changes).expect("JSON"),
        &[format!("{}: {}", row.school, records.confidential)],
    );
    cell.expect(
        row.receives.minutes || leaked.is_empty(),
        format!("the minutes' confidential text arrived: {leaked:?}"),
    );
    let advisers = changes
        .iter()
        .filter(|change| change.entity == "adviser")
        .count();
    cell.expect(
        advisers == DIRECTORY,
        format!("{advisers} advisers of the directory's {DIRECTORY}"),
    );
}

/// A write a push cell sent, and whether the office should hold it.
struct Sent {
    cell: String,
    entity: &'static str,
    key: String,
    /// Text the write put in the record.
    text: String,
    lands: bool,
}

/// One push: a visit at the cell's school, an edit of its minutes, then an
/// action at the link SIA's school (the rest of the batch).
async fn check_push(
    device: &mut Device,
    row: &Row,
    records: &SchoolRecords,
    sent: &mut Vec<Sent>,
    cell: &mut Cell<'_>,
) {
    let by = format!("written by {} at the {}", row.role.flag(), row.school);
    let writes = [
        Sent {
            cell: cell.name.clone(),
            entity: "visit",
            key: Uuid::now_v7().to_string(),
            text: format!("a visit {by}"),
            lands: row.writes.visit,
        },
        Sent {
            cell: cell.name.clone(),
            entity: "msp_meeting",
            key: records.minutes.clone(),
            text: format!("minutes {by}"),
            lands: row.writes.minutes,
        },
        Sent {
            cell: cell.name.clone(),
            entity: "action",
            key: Uuid::now_v7().to_string(),
            text: format!("an action {by}"),
            lands: row.writes.rest_of_batch,
        },
    ];
    let fields = [
        json!({"urn": row.school.urn(), "adviser": device.adviser.to_string(),
               "visited_on": "2026-11-04", "session": "pm", "kind": "bespoke",
               "status": "draft", "purpose": writes[0].text}),
        json!({"place": writes[1].text}),
        json!({"urn": SchoolCase::InScope.urn(), "text": writes[2].text,
               "owner": "Headteacher", "due_on": "2026-12-01"}),
    ];
    let ops: Vec<_> = writes
        .iter()
        .zip(fields)
        .map(|(write, fields)| device.op(write.entity, &write.key, 0, fields))
        .collect();
    let results = device.push(&ops).await.expect("the push is answered");
    for (write, result) in writes.iter().zip(&results) {
        match (&result.outcome, write.lands) {
            (Outcome::Applied { .. }, true) => {}
            (Outcome::Refused(refusal), false) => cell.expect(
                refusal.reason == RefusalReason::OutOfScope && !refusal.message.is_empty(),
                format!(
                    "{}: refused as {refusal:?}, expected out of scope with a reason",
                    write.entity
                ),
            ),
            (outcome, lands) => cell.expect(
                false,
                format!(
                    "{}: {outcome:?}, expected {}",
                    write.entity,
                    if lands { "applied" } else { "refused" }
                ),
            ),
        }
    }
    sent.extend(writes);
}

/// Whether each write landed on the office as its cell expected, as the
/// chair (who sees every school and sits on both groups) pulls it.
fn check_landed(everything: &[Change], sent: &[Sent], failures: &mut Vec<String>) {
    for write in sent {
        let landed = find(everything, write.entity, &write.key).is_some_and(|change| {
            serde_json::to_string(&change.state)
                .expect("JSON")
                .contains(&write.text)
        });
        if landed != write.lands {
            failures.push(format!(
                "{}: {} {} on the office afterwards",
                write.cell,
                write.entity,
                if landed { "is" } else { "is not" }
            ));
        }
    }
}

async fn matrix(backend: Backend) {
    let name = backend.name();
    let Fixture {
        office,
        mut chair,
        mut devices,
        in_scope,
        out_of_scope,
    } = set_up(&backend).await;
    let mut failures = Vec::new();
    let mut sent = Vec::new();
    // Pushes last, so every earlier cell sees only the chair's records.
    for endpoint in Endpoint::ALL {
        for row in MATRIX {
            let records = match row.school {
                SchoolCase::InScope => &in_scope,
                SchoolCase::OutOfScope => &out_of_scope,
            };
            let traces = records.traces(row.school);
            let enrolled = devices
                .iter_mut()
                .find(|enrolled| enrolled.role == row.role)
                .expect("every role enrolled");
            let mut cell = Cell {
                name: format!("{name}: {} × {endpoint} × {}", row.role.flag(), row.school),
                failures: &mut failures,
            };
            match endpoint {
                Endpoint::Health => check_health(&office, &traces, &mut cell).await,
                Endpoint::Enrol => check_enrol(enrolled, &traces, &mut cell),
                Endpoint::Pull => {
                    let changes = pull_everything(&mut enrolled.device).await;
                    check_pull(&changes, row, records, &mut cell);
                }
                Endpoint::Push => {
                    check_push(&mut enrolled.device, row, records, &mut sent, &mut cell).await;
                }
            }
        }
    }
    check_landed(&pull_everything(&mut chair).await, &sent, &mut failures);
    assert!(
        failures.is_empty(),
        "{} of the scope matrix's cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(office.stop().success());
    backend.clean_up().await;
}

#[tokio::test]
async fn every_role_endpoint_and_school_gets_only_its_scope_on_sqlite() {
    matrix(Backend::sqlite()).await;
}

#[tokio::test]
async fn every_role_endpoint_and_school_gets_only_its_scope_on_postgres() {
    if let Some(backend) =
        Backend::postgres("every_role_endpoint_and_school_gets_only_its_scope_on_postgres").await
    {
        matrix(backend).await;
    }
}

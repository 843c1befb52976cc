//! The office under load, each figure beside a baseline measured in the
//! same run on the same machine:
//!
//! - the office's cost per pushed operation (`Office::push`: scope, merge,
//!   sequence numbers, one transaction per batch) against a bare insert of
//!   the same operations' JSON into a table of the same database;
//! - 500 clients, each with its own connection, syncing incrementally (push
//!   one edit, pull what changed) against one real `caseload-office serve`
//!   process, each once a second from a random start, against `GET /health`
//!   on the same schedule;
//! - the office's share of an initial sync of a 10,000-record caseload:
//!   every page pulled over loopback and read into protocol types.
//!
//! SQLite always; PostgreSQL too when `CASELOAD_TEST_POSTGRES` names a
//! server: `./scripts/with-postgres cargo bench -p caseload-office --bench
//! sync_load`. `CASELOAD_BENCH_CLIENTS` and `CASELOAD_BENCH_ROUNDS` make the
//! load smaller (`./scripts/test` runs a quick one). Figures in
//! docs/benchmarks.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use caseload_core::sync::{Operation, PullResponse, PushResponse, PROTOCOL_VERSION};
use caseload_core::{AdviserRole, DeviceId, Hlc, HlcClock, Urn};
use caseload_office::access::Sender;
use caseload_office::office::Enrolment;
use caseload_office::secrets::PresentedToken;
use caseload_office::{Office, StorageTarget};
use common::Backend;
use serde_json::{json, Value};
use uuid::Uuid;

const FIRST_URN: u32 = 900_000;
/// Operations per push in the cost comparison, and pushes timed.
const BATCH: usize = 100;
const BATCHES: usize = 30;
const CASELOAD: usize = 10_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // A workspace build gives reqwest the store's rustls without a crypto
    // provider: name ring, as the office and the store do.
    let _ = rustls::crypto::ring::default_provider().install_default();
    runtime.block_on(async {
        let clients = setting("CASELOAD_BENCH_CLIENTS", 500);
        let rounds = setting("CASELOAD_BENCH_ROUNDS", 10);
        bench(Backend::sqlite(), clients, rounds).await;
        if let Some(backend) = Backend::postgres("sync_load").await {
            bench(backend, clients, rounds).await;
        }
    });
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Where the office keeps its store, as the office's tests make it.
fn target(backend: &Backend) -> StorageTarget {
    match backend {
        Backend::Sqlite(folder) => StorageTarget::Folder(folder.path().to_owned()),
        Backend::Postgres { url, .. } => StorageTarget::Postgres(url.clone()),
    }
}

async fn bench(backend: Backend, clients: usize, rounds: usize) {
    println!("\n== {} ==", backend.name());
    let office = Office::open(&target(&backend))
        .await
        .expect("the office opens");
    let schools: Vec<_> = (0..clients.max(1) as u32)
        .map(|n| {
            let mut school = caseload_core::samples::school();
            school.urn = Urn(FIRST_URN + n);
            school.name = format!("Bench School {n}");
            school
        })
        .collect();
    office
        .import_schools(schools)
        .await
        .expect("schools imported");

    let (senior, senior_token) = enrol(&office, "Senior Bench", AdviserRole::SeniorSia, None).await;
    push_cost(&office, &backend, senior).await;
    let server = Server::start(&backend);
    initial_sync(&office, &server, senior, &senior_token).await;
    let mut devices = Vec::new();
    for n in 0..clients {
        let urn = Urn(FIRST_URN + n as u32);
        let (sender, token) = enrol(
            &office,
            &format!("Adviser {n}"),
            AdviserRole::LinkSia,
            Some(urn),
        )
        .await;
        devices.push(Client::new(&server.base, sender, token, urn));
    }
    many_clients(devices, rounds).await;
    drop((server, office));
    backend.clean_up().await;
}

/// An adviser with one enrolled device: how the office sees it, and its token.
async fn enrol(
    office: &Office,
    name: &str,
    role: AdviserRole,
    urn: Option<Urn>,
) -> (Sender, String) {
    let email = format!("{}@bench.example", name.to_lowercase().replace(' ', "."));
    let added = office
        .add_adviser(name, &email, role)
        .await
        .expect("an adviser");
    if let Some(urn) = urn {
        office
            .assign(added.adviser.id, urn)
            .await
            .expect("assigned");
    }
    let device = DeviceId(Uuid::now_v7());
    let Enrolment::Enrolled { token, .. } = office
        .enrol(added.code.reveal(), device, "bench")
        .await
        .expect("enrolment answered")
    else {
        panic!("the bench's code was refused");
    };
    let presented = PresentedToken::parse(token.reveal()).expect("a token");
    let sender = office
        .authenticate(presented)
        .await
        .expect("answered")
        .expect("the token is good");
    (sender, token.reveal().to_owned())
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as u64)
}

/// A new visit at `urn` with a page of notes, as a device writes it.
fn new_visit(clock: &mut HlcClock, sender: &Sender, urn: Urn) -> Operation {
    let fields = json!({
        "urn": urn.0, "adviser": sender.adviser.to_string(), "visited_on": "2026-10-07",
        "session": "am", "kind": "core", "status": "draft", "purpose": "Core visit",
        "notes": {"text": "Phonics is taught daily and consistently. ".repeat(25)},
    });
    operation(clock, sender, "visit", &Uuid::now_v7().to_string(), fields)
}

fn operation(
    clock: &mut HlcClock,
    sender: &Sender,
    entity: &str,
    key: &str,
    fields: Value,
) -> Operation {
    Operation {
        op_id: Uuid::now_v7(),
        entity: entity.to_owned(),
        key: key.to_owned(),
        hlc: clock.tick(now_millis()),
        device: sender.device,
        seen: 0,
        fields: fields.as_object().cloned().unwrap_or_default(),
        deleted: false,
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(sorted: &[Duration], percent: usize) -> Duration {
    sorted[(sorted.len() * percent / 100).min(sorted.len() - 1)]
}

/// One pushed operation's cost against a bare insert of its JSON, batch by
/// batch, the two alternating so that both see the same machine.
async fn push_cost(office: &Office, backend: &Backend, sender: Sender) {
    let mut clock = HlcClock::resume(Hlc(0));
    let mut bare = BareTable::open(backend).await;
    let (mut pushed, mut inserted) = (Vec::new(), Vec::new());
    for _ in 0..BATCHES {
        let batch: Vec<Operation> = (0..BATCH)
            .map(|n| new_visit(&mut clock, &sender, Urn(FIRST_URN + (n % 7) as u32)))
            .collect();
        let rows: Vec<(String, String)> = batch
            .iter()
            .map(|op| {
                (
                    op.op_id.to_string(),
                    serde_json::to_string(op).expect("JSON"),
                )
            })
            .collect();
        let started = Instant::now();
        bare.insert(rows).await;
        inserted.push(started.elapsed());
        let started = Instant::now();
        office.push(sender, batch).await.expect("pushed");
        pushed.push(started.elapsed());
    }
    let (pushed, inserted) = (median(pushed), median(inserted));
    let per = |batch: Duration| batch / BATCH as u32;
    println!(
        "push, {BATCH} new visits (~1 KB each) per transaction, median of {BATCHES}: \
         office {:.1} µs per operation, bare insert {:.1} µs: {:.2}×",
        per(pushed).as_secs_f64() * 1e6,
        per(inserted).as_secs_f64() * 1e6,
        pushed.as_secs_f64() / inserted.as_secs_f64()
    );
}

/// A one-table baseline in the office's own database.
enum BareTable {
    Sqlite(rusqlite::Connection),
    Postgres(tokio_postgres::Client),
}

impl BareTable {
    async fn open(backend: &Backend) -> BareTable {
        const CREATE: &str = "CREATE TABLE bench_bare (op_id TEXT PRIMARY KEY, body TEXT NOT NULL)";
        match backend {
            Backend::Sqlite(folder) => {
                let conn = rusqlite::Connection::open(folder.path().join("office.sqlite3"))
                    .expect("opened");
                // As the office sets its connection.
                conn.pragma_update(None, "journal_mode", "WAL")
                    .expect("WAL");
                conn.pragma_update(None, "synchronous", "NORMAL")
                    .expect("NORMAL");
                conn.execute(CREATE, []).expect("created");
                BareTable::Sqlite(conn)
            }
            Backend::Postgres { url, .. } => {
                let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                    .await
                    .expect("connected");
                tokio::spawn(connection);
                client.batch_execute(CREATE).await.expect("created");
                BareTable::Postgres(client)
            }
        }
    }

    /// Inserts the rows in one transaction.
    async fn insert(&mut self, rows: Vec<(String, String)>) {
        match self {
            BareTable::Sqlite(conn) => {
                let tx = conn.transaction().expect("begun");
                {
                    let mut insert = tx
                        .prepare_cached("INSERT INTO bench_bare (op_id, body) VALUES (?1, ?2)")
                        .expect("prepared");
                    for (id, body) in &rows {
                        insert.execute([id, body]).expect("inserted");
                    }
                }
                tx.commit().expect("committed");
            }
            // One statement for all the rows, as the office writes a push:
            // a row a round trip would make the baseline, not the office,
            // the slow side.
            BareTable::Postgres(client) => {
                let (ids, bodies): (Vec<String>, Vec<String>) = rows.into_iter().unzip();
                let tx = client.transaction().await.expect("begun");
                tx.execute(
                    "INSERT INTO bench_bare (op_id, body) SELECT * FROM unnest($1::text[], $2::text[])",
                    &[&ids, &bodies],
                )
                .await
                .expect("inserted");
                tx.commit().await.expect("committed");
            }
        }
    }
}

/// A running `caseload-office serve` (a release build, as benches are).
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(backend: &Backend) -> Server {
        let mut child = Command::new(common::BINARY)
            .args(backend.store_args())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("caseload-office starts");
        let stdout = child.stdout.take().expect("its output");
        let mut lines = BufReader::new(stdout).lines();
        let base = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("caseload-office listening on ")
                    .map(str::to_owned)
            })
            .expect("the office says where it listens");
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The office's share of an initial sync: a Senior SIA's device pulls a
/// caseload of `CASELOAD` records (schools and visits) over loopback, every
/// page read into protocol types; against the same pages read from the
/// store in-process, without HTTP.
async fn initial_sync(office: &Office, server: &Server, senior: Sender, token: &str) {
    let mut clock = HlcClock::resume(Hlc(0));
    let held = count_in_scope(office, senior).await;
    let missing = CASELOAD.saturating_sub(held);
    for chunk in 0..missing.div_ceil(1_000) {
        let batch = (chunk * 1_000..missing.min((chunk + 1) * 1_000))
            .map(|n| new_visit(&mut clock, &senior, Urn(FIRST_URN + (n % 7) as u32)))
            .collect();
        office.push(senior, batch).await.expect("pushed");
    }
    let records = count_in_scope(office, senior).await;
    let http = reqwest::Client::new();
    let (mut over_http, mut in_process) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        let (mut after, mut pulled) = (0, 0);
        loop {
            let page: PullResponse = http
                .post(format!("{}/sync/pull", server.base))
                .bearer_auth(token)
                .json(&json!({"protocol": PROTOCOL_VERSION, "after": after, "limit": PAGE}))
                .send()
                .await
                .expect("answered")
                .json()
                .await
                .expect("a page");
            pulled += page.changes.len();
            after = page.cursor;
            if !page.more {
                break;
            }
        }
        over_http.push(started.elapsed());
        assert_eq!(pulled, records, "every record pulled");
        let started = Instant::now();
        assert_eq!(count_in_scope(office, senior).await, records);
        in_process.push(started.elapsed());
    }
    let (over_http, in_process) = (median(over_http), median(in_process));
    println!(
        "initial sync of {records} records, pages of {PAGE} over loopback, median of 5: \
         {:.0} ms (goal < 1 s for the whole sync, the device's store included); \
         the same pages read in-process {:.0} ms: {:.2}×",
        over_http.as_secs_f64() * 1e3,
        in_process.as_secs_f64() * 1e3,
        over_http.as_secs_f64() / in_process.as_secs_f64()
    );
}

/// As the device's sync client asks for them.
const PAGE: u32 = 500;

/// How many records reach `reader`, pulled page by page in-process.
async fn count_in_scope(office: &Office, reader: Sender) -> usize {
    let (mut after, mut count) = (0, 0);
    loop {
        let page = office.pull(reader, after, PAGE).await.expect("pulled");
        count += page.changes.len();
        after = page.cursor;
        if !page.more {
            return count;
        }
    }
}

/// One adviser's device syncing over its own connection.
struct Client {
    http: reqwest::Client,
    base: String,
    sender: Sender,
    token: String,
    urn: Urn,
    clock: HlcClock,
    cursor: u64,
    visit: Option<String>,
}

impl Client {
    fn new(base: &str, sender: Sender, token: String, urn: Urn) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: base.to_owned(),
            sender,
            token,
            urn,
            clock: HlcClock::resume(Hlc(0)),
            cursor: 0,
            visit: None,
        }
    }

    async fn post<T: serde::de::DeserializeOwned>(&self, path: &str, body: Value) -> T {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("the office answers");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.expect("JSON")
    }

    /// Every page after the cursor.
    async fn pull(&mut self) {
        loop {
            let page: PullResponse = self
                .post(
                    "/sync/pull",
                    json!({"protocol": PROTOCOL_VERSION, "after": self.cursor, "limit": PAGE}),
                )
                .await;
            self.cursor = page.cursor;
            if !page.more {
                return;
            }
        }
    }

    /// An incremental sync: one edit pushed (the first makes a visit), then
    /// whatever changed pulled.
    async fn sync(&mut self, round: usize) {
        let op = match &self.visit {
            None => {
                let op = new_visit(&mut self.clock, &self.sender, self.urn);
                self.visit = Some(op.key.clone());
                op
            }
            Some(visit) => Operation {
                seen: self.cursor,
                ..operation(
                    &mut self.clock,
                    &self.sender,
                    "visit",
                    visit,
                    json!({"purpose": format!("Round {round}")}),
                )
            },
        };
        let pushed: PushResponse = self
            .post(
                "/sync/push",
                json!({"protocol": PROTOCOL_VERSION, "operations": [op]}),
            )
            .await;
        assert_eq!(pushed.results.len(), 1);
        self.pull().await;
    }

    async fn health(&self) {
        let response = self
            .http
            .get(format!("{}/health", self.base))
            .send()
            .await
            .expect("the office answers");
        assert!(response.status().is_success());
        response.bytes().await.expect("a body");
    }
}

/// Every client, each on its own task, acting once a second for `rounds`
/// seconds from a start spread over the first second; how long each took.
async fn on_schedule<F, Fut>(
    clients: Vec<Client>,
    rounds: usize,
    act: F,
) -> (Vec<Client>, Vec<Duration>)
where
    F: Fn(Client, usize) -> Fut + Send + Sync + Copy + 'static,
    Fut: std::future::Future<Output = Client> + Send,
{
    let count = clients.len().max(1);
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(n, mut client)| {
            let offset = Duration::from_millis((n * 1_000 / count) as u64);
            tokio::spawn(async move {
                let mut took = Vec::with_capacity(rounds);
                for round in 0..rounds {
                    tokio::time::sleep_until(start + offset + Duration::from_secs(round as u64))
                        .await;
                    let started = Instant::now();
                    client = act(client, round).await;
                    took.push(started.elapsed());
                }
                (client, took)
            })
        })
        .collect();
    let (mut back, mut took) = (Vec::new(), Vec::new());
    for task in tasks {
        let (client, times) = task.await.expect("a client ran");
        back.push(client);
        took.extend(times);
    }
    took.sort();
    (back, took)
}

/// 500 clients syncing incrementally, once a second each, against the same
/// clients asking for `/health` on the same schedule.
async fn many_clients(mut clients: Vec<Client>, rounds: usize) {
    let count = clients.len();
    let started = Instant::now();
    for client in &mut clients {
        client.pull().await;
    }
    println!(
        "{count} devices' first pulls, one after another: {:.1} s (setting up)",
        started.elapsed().as_secs_f64()
    );
    let (clients, health) = on_schedule(clients, rounds, |client, _| async move {
        client.health().await;
        client
    })
    .await;
    let (_, syncs) = on_schedule(clients, rounds, |mut client, round| async move {
        client.sync(round).await;
        client
    })
    .await;
    let show = |took: &[Duration]| {
        format!(
            "p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            percentile(took, 50).as_secs_f64() * 1e3,
            percentile(took, 99).as_secs_f64() * 1e3,
            took.last().map_or(0.0, |last| last.as_secs_f64() * 1e3),
        )
    };
    println!(
        "{count} clients, each an incremental sync (push one edit, pull) once a second for \
         {rounds} s: {} (goal p99 < 100 ms)",
        show(&syncs)
    );
    println!(
        "  the same clients' GET /health on that schedule: {}",
        show(&health)
    );
    println!(
        "  p99 of a sync against p99 of a health check: {:.1}×",
        percentile(&syncs, 99).as_secs_f64() / percentile(&health, 99).as_secs_f64()
    );
}

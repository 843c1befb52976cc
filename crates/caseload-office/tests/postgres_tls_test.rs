//! The office keeps its store on a PostgreSQL server over TLS, verifying the
//! server's certificate against the CA the URL's `sslrootcert` names, and
//! says why when it cannot. Needs `scripts/with-postgres`, whose server takes
//! the role in `CASELOAD_TEST_POSTGRES_TLS` over TLS only (skipped with a
//! notice otherwise).

mod common;

use std::process::Command;

use common::{admin_json, enrol, with_database, Backend, OfficeProcess, BINARY};

/// The office's error when run on `url`, which must fail.
fn refusal(url: &str) -> String {
    let output = Command::new(BINARY)
        .args(["--database", url, "adviser", "list"])
        .output()
        .expect("caseload-office runs");
    assert!(!output.status.success(), "the office used {url}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn the_office_keeps_its_store_over_verified_tls() {
    let Ok(tls_server) = std::env::var("CASELOAD_TEST_POSTGRES_TLS") else {
        eprintln!(
            "postgres_tls_test: skipped: set CASELOAD_TEST_POSTGRES_TLS (scripts/with-postgres does)"
        );
        return;
    };
    let Some(Backend::Postgres { server, name, .. }) = Backend::postgres("postgres_tls_test").await
    else {
        return;
    };
    let url = with_database(&tls_server, &name);

    // The role is refused in the clear: whatever works below went over TLS.
    let in_the_clear = url.replace("sslmode=require", "sslmode=disable");
    let message = refusal(&in_the_clear);
    assert!(message.contains("no encryption"), "{message}");

    // Without the throwaway CA the server's certificate is not trusted.
    let untrusted = url
        .split_once("&sslrootcert=")
        .expect("the URL names its CA")
        .0
        .to_owned();
    let message = refusal(&untrusted);
    assert!(message.to_lowercase().contains("certificate"), "{message}");

    let backend = Backend::Postgres { url, server, name };
    let account = admin_json(
        &backend,
        &[
            "adviser",
            "add",
            "--name",
            "Priya Shah",
            "--email",
            "priya@example.org",
            "--role",
            "senior-sia",
        ],
    );
    let office = OfficeProcess::start(&backend, &[]);
    let code = account["enrol_code"].as_str().expect("an enrolment code");
    let mut device = enrol(&office, code).await.expect("the device enrols");
    let changes = device.pull().await.expect("the device pulls");
    assert!(
        changes.iter().any(|change| change.entity == "adviser"),
        "the directory reaches the device: {changes:?}"
    );
    office.stop();
    backend.clean_up().await;
}

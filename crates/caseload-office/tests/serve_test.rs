//! How the office serves: HTTPS with the given certificate, plain HTTP only
//! on loopback, clear answers to a client of another protocol version, and
//! guessing enrolment codes held back.

mod common;

use std::process::Command;
use std::sync::Arc;

use caseload_core::sync::{ErrorBody, PROTOCOL_VERSION};
use common::{post, Backend, OfficeProcess, BINARY};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

#[test]
fn plain_http_off_loopback_is_refused_before_anything_is_opened() {
    let backend = Backend::sqlite();
    let output = Command::new(BINARY)
        .args(backend.store_args())
        .args(["serve", "--listen", "0.0.0.0:0"])
        .output()
        .expect("caseload-office runs");
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("refusing to serve plain HTTP"),
        "{message}"
    );
    assert!(message.contains("--tls-cert"), "{message}");
}

#[tokio::test]
async fn https_serves_with_the_given_certificate() {
    let backend = Backend::sqlite();
    let folder = tempfile::tempdir().expect("a folder");
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("a certificate");
    let cert_file = folder.path().join("office.crt");
    let key_file = folder.path().join("office.key");
    std::fs::write(&cert_file, certified.cert.pem()).expect("written");
    std::fs::write(&key_file, certified.signing_key.serialize_pem()).expect("written");
    let office = OfficeProcess::start(
        &backend,
        &[
            "--tls-cert",
            &cert_file.display().to_string(),
            "--tls-key",
            &key_file.display().to_string(),
        ],
    );
    let address = office
        .base
        .strip_prefix("https://")
        .expect("the office says it serves HTTPS")
        .to_owned();

    let mut roots = rustls::RootCertStore::empty();
    roots.add(certified.cert.der().clone()).expect("a root");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connects");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("a name");
    let mut tls = connector
        .connect(name, tcp)
        .await
        .expect("the handshake succeeds");
    tls.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .expect("sent");
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\"ok\""), "{answer}");
    assert!(office.stop().success());
}

#[tokio::test]
async fn other_protocol_versions_unknown_paths_and_guessed_codes_get_clear_answers() {
    let backend = Backend::sqlite();
    let office = OfficeProcess::start(&backend, &[]);
    let enrol = office.url("/enrol");
    let attempt = |protocol: u32, code: &str| json!({"protocol": protocol, "code": code, "device": Uuid::now_v7()});

    let too_new = post::<Value>(&enrol, None, &attempt(PROTOCOL_VERSION + 1, "X"))
        .await
        .expect_err("refused");
    assert_eq!(
        (too_new.status, too_new.body.error.as_str()),
        (400, "protocol-version")
    );
    assert!(
        too_new
            .body
            .message
            .contains("office server needs updating"),
        "{too_new:?}"
    );
    let too_old = post::<Value>(&enrol, None, &attempt(0, "X"))
        .await
        .expect_err("refused");
    assert!(
        too_old.body.message.contains("update Caseload"),
        "{too_old:?}"
    );

    let unknown = reqwest::get(office.url("/sync/everything"))
        .await
        .expect("answers");
    assert_eq!(unknown.status().as_u16(), 404);
    let body: ErrorBody = unknown.json().await.expect("JSON");
    assert_eq!(body.error, "not-found");

    let no_token = post::<Value>(
        &office.url("/sync/pull"),
        None,
        &json!({"protocol": PROTOCOL_VERSION, "after": 0}),
    )
    .await
    .expect_err("refused");
    assert_eq!(
        (no_token.status, no_token.body.error.as_str()),
        (401, "unauthorised")
    );

    // Ten attempts at once, then the address waits.
    let mut held_back = None;
    for guess in 0..12 {
        let code = format!("GUES-S000-{guess:04}");
        match post::<Value>(&enrol, None, &attempt(PROTOCOL_VERSION, &code)).await {
            Err(refused) if refused.status == 429 => {
                held_back = Some(guess);
                break;
            }
            Err(refused) => assert_eq!(refused.body.error, "enrol-refused"),
            Ok(enrolled) => panic!("a guessed code enrolled: {enrolled}"),
        }
    }
    assert!(
        held_back.is_some_and(|guess| guess <= 10),
        "guessing was not held back: {held_back:?}"
    );
    assert!(office.stop().success());
}

//! The office's three endpoints over HTTP(S), with retries.
//!
//! Push and pull are safe to repeat (the office applies each operation id
//! once; a pull only reads), so a cut connection, a lost answer, a busy or
//! restarting office is retried with a growing wait. Enrolment spends a
//! one-time code, so it is retried only when the request never left.
//!
//! Tokens go only over HTTPS, or plain HTTP to this computer (an office on
//! loopback, or a TLS proxy in front of it).

use std::time::Duration;

use caseload_core::sync::{
    EnrolRequest, Enrolled, ErrorBody, Operation, PullRequest, PullResponse, PushResponse,
    PROTOCOL_VERSION,
};
use reqwest::blocking::{Client, Response};
use reqwest::header::RETRY_AFTER;
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::SyncError;

/// How often and how patiently a request is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait after the first failure; doubled after each.
    pub first_wait: Duration,
    /// The longest wait between tries, and the most a `Retry-After` is obeyed.
    pub max_wait: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 6,
            first_wait: Duration::from_millis(250),
            max_wait: Duration::from_secs(8),
        }
    }
}

/// The client of one office.
#[derive(Debug, Clone)]
pub struct OfficeClient {
    base: Url,
    http: Client,
    retry: Retry,
}

/// A failed try: worth another, or final.
enum Failure {
    Again(SyncError, Option<Duration>),
    Final(SyncError),
}

impl OfficeClient {
    /// A client of the office at `base` (`https://office.example`).
    pub fn new(base: &str, retry: Retry) -> Result<OfficeClient, SyncError> {
        let base = office_url(base)?;
        // ring, as the office uses: no second crypto library in the build.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("caseload/", env!("CARGO_PKG_VERSION")));
        // An authority's own certificate authority, for an office whose
        // certificate the system does not trust.
        if let Some(path) = std::env::var_os("CASELOAD_OFFICE_CA") {
            let pem = std::fs::read(&path).map_err(|error| {
                SyncError::BadUrl(format!(
                    "CASELOAD_OFFICE_CA names {}, which cannot be read: {error}",
                    std::path::Path::new(&path).display()
                ))
            })?;
            let certificate = reqwest::Certificate::from_pem(&pem).map_err(|error| {
                SyncError::BadUrl(format!(
                    "CASELOAD_OFFICE_CA is not a PEM certificate: {error}"
                ))
            })?;
            builder = builder.add_root_certificate(certificate);
        }
        let http = builder.build().map_err(|error| SyncError::Unreachable {
            url: base.to_string(),
            reason: format!("cannot set up HTTPS: {error}"),
        })?;
        Ok(OfficeClient { base, http, retry })
    }

    /// The office's address, as given.
    pub fn url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// Spends a one-time code for a device token.
    pub fn enrol(&self, request: &EnrolRequest) -> Result<Enrolled, SyncError> {
        self.post("enrol", None, request, false)
    }

    /// Pushes operations; one result per operation, in order.
    pub fn push(&self, token: &str, operations: &[Operation]) -> Result<PushResponse, SyncError> {
        /// A [`caseload_core::sync::PushRequest`] that borrows its operations.
        #[derive(Serialize)]
        struct Borrowed<'a> {
            protocol: u32,
            operations: &'a [Operation],
        }
        let response: PushResponse = self.post(
            "sync/push",
            Some(token),
            &Borrowed {
                protocol: PROTOCOL_VERSION,
                operations,
            },
            true,
        )?;
        if response.results.len() != operations.len() {
            return Err(self.bad(format!(
                "{} results for {} operations pushed",
                response.results.len(),
                operations.len()
            )));
        }
        Ok(response)
    }

    /// One page of changes after `after`.
    pub fn pull(&self, token: &str, after: u64, limit: u32) -> Result<PullResponse, SyncError> {
        self.post(
            "sync/pull",
            Some(token),
            &PullRequest {
                protocol: PROTOCOL_VERSION,
                after,
                limit,
            },
            true,
        )
    }

    fn bad(&self, reason: String) -> SyncError {
        SyncError::BadAnswer {
            url: self.url().to_owned(),
            reason,
        }
    }

    fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
        repeatable: bool,
    ) -> Result<T, SyncError> {
        let url = self
            .base
            .join(path)
            .map_err(|error| SyncError::BadUrl(format!("{}{path}: {error}", self.base)))?;
        let body = serde_json::to_vec(body).map_err(|error| self.bad(error.to_string()))?;
        let mut wait = self.retry.first_wait;
        let mut attempt = 1;
        loop {
            let mut request = self
                .http
                .post(url.clone())
                .header("content-type", "application/json")
                .body(body.clone());
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let failure = match request.send() {
                Ok(response) => match self.answer(response) {
                    Ok(value) => return Ok(value),
                    Err(failure) => failure,
                },
                Err(error) => {
                    let unreachable = SyncError::Unreachable {
                        url: self.url().to_owned(),
                        reason: describe(&error),
                    };
                    if repeatable || error.is_connect() {
                        Failure::Again(unreachable, None)
                    } else {
                        Failure::Final(unreachable)
                    }
                }
            };
            match failure {
                Failure::Final(error) => return Err(error),
                Failure::Again(error, _) if attempt >= self.retry.attempts => return Err(error),
                Failure::Again(_, asked) => {
                    std::thread::sleep(asked.unwrap_or(wait).min(self.retry.max_wait));
                    wait = (wait * 2).min(self.retry.max_wait);
                    attempt += 1;
                }
            }
        }
    }

    /// Reads an answer: the value, or whether trying again may help.
    fn answer<T: DeserializeOwned>(&self, response: Response) -> Result<T, Failure> {
        let status = response.status();
        let asked = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = response.bytes().map_err(|error| {
            // The body was cut: the request may have been applied, and the
            // endpoints that are retried are the ones safe to repeat.
            Failure::Again(
                SyncError::Unreachable {
                    url: self.url().to_owned(),
                    reason: describe(&error),
                },
                None,
            )
        })?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|error| {
                // A proxy's page, or a body cut where JSON cannot tell.
                Failure::Again(self.bad(format!("{status}: {error}")), None)
            });
        }
        let error = match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => SyncError::Office {
                status: status.as_u16(),
                code: body.error,
                message: body.message,
            },
            Err(_) => self.bad(format!(
                "{status}: {}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
            )),
        };
        let transient = status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::BAD_GATEWAY
            || status == StatusCode::SERVICE_UNAVAILABLE
            || status == StatusCode::GATEWAY_TIMEOUT
            || status == StatusCode::INTERNAL_SERVER_ERROR;
        Err(if transient {
            Failure::Again(error, asked)
        } else {
            Failure::Final(error)
        })
    }
}

/// Checks an office address: HTTPS, or plain HTTP to this computer only.
pub fn office_url(text: &str) -> Result<Url, SyncError> {
    let trimmed = text.trim();
    let mut url = Url::parse(trimmed).map_err(|error| {
        SyncError::BadUrl(format!(
            "{trimmed:?} is not an office address like https://office.example: {error}"
        ))
    })?;
    let loopback = url.host_str().is_some_and(|host| {
        host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|address| address.is_loopback())
    });
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(SyncError::BadUrl(format!(
                "{trimmed} is plain HTTP: the device token and school records would cross the \
                 network unencrypted. Use the office's https:// address"
            )))
        }
        other => {
            return Err(SyncError::BadUrl(format!(
                "{trimmed}: {other}:// is not an office address; use https://"
            )))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SyncError::BadUrl(format!("{trimmed} names no host")));
    }
    // Endpoints are joined onto the base: it must end in a slash.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// A transport error in words, with its causes.
/// Why a request got no answer, in the adviser's words, with the system's
/// own last: the sync status shows it as the reason the app is offline.
fn describe(error: &reqwest::Error) -> String {
    let mut causes: Vec<&(dyn std::error::Error + 'static)> = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause);
        source = cause.source();
    }
    let refused = causes.iter().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
    });
    let looked_up = causes
        .iter()
        .any(|cause| cause.to_string().starts_with("dns error"));
    let plain = if error.is_timeout() {
        "it did not answer in time"
    } else if refused {
        "nothing answers at that address: the office is not running there, or the address is wrong"
    } else if looked_up {
        "its name could not be looked up: this computer may be offline, or the address is wrong"
    } else if error.is_connect() {
        "no connection could be made: this computer may be offline"
    } else if error.is_body() || error.is_decode() {
        "the connection was cut while its answer came"
    } else {
        "the request failed"
    };
    match causes.last() {
        Some(cause) => format!("{plain} ({cause})"),
        None => format!("{plain} ({error})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_office_not_running_is_said_in_words() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().expect("address").port()
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        let error = Client::new()
            .get(format!("http://127.0.0.1:{port}/health"))
            .send()
            .expect_err("nothing listens there");
        let said = describe(&error);
        assert!(
            said.starts_with("nothing answers at that address: the office is not running"),
            "{said}"
        );
        assert!(
            said.ends_with(')'),
            "the system's own words close it: {said}"
        );
    }

    #[test]
    fn tokens_go_only_over_https_or_to_this_computer() {
        assert!(office_url("https://office.fenbridge.gov.uk").is_ok());
        assert!(office_url("http://127.0.0.1:8440").is_ok());
        assert!(office_url("http://localhost:8440/").is_ok());
        assert!(office_url("http://[::1]:8440").is_ok());
        let plain = office_url("http://office.fenbridge.gov.uk").expect_err("refused");
        assert!(plain.to_string().contains("unencrypted"), "{plain}");
        assert!(office_url("ftp://office").is_err());
        assert!(office_url("office.fenbridge.gov.uk").is_err());
    }

    #[test]
    fn endpoints_join_onto_an_office_under_a_path() {
        let base = office_url("https://gateway.example/caseload").expect("an address");
        assert_eq!(
            base.join("sync/pull").expect("joined").as_str(),
            "https://gateway.example/caseload/sync/pull"
        );
    }
}

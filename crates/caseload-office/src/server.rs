//! The office's HTTP(S) server: the health check, enrolment, push and pull.
//!
//! Every answer is JSON; an error is an [`ErrorBody`] whose message the app
//! can show as it is. Sign-in failures never say whether an account, a
//! device or a code exists: the answer is the same for each.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use caseload_core::sync::protocol::EnrolledAdviser;
use caseload_core::sync::{
    check_version, EnrolRequest, Enrolled, ErrorBody, Outcome, PullRequest, PullResponse,
    PushRequest, PushResponse, VersionMismatch, OLDEST_PROTOCOL, PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tracing::{error, info, warn};

use crate::access::Sender;
use crate::limits::RateLimit;
use crate::office::{Enrolment, Office};
use crate::secrets::PresentedToken;
use crate::storage::StorageError;

/// The most operations one push may carry.
pub const MAX_BATCH: usize = 5_000;
/// The largest request body: a batch of long visit notes.
const MAX_BODY: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
struct AppState {
    office: Office,
    enrol_limit: Arc<RateLimit>,
    auth_limit: Arc<RateLimit>,
}

/// What `caseload-office serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: String,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

/// The routes, over an opened office.
pub fn router(office: Office) -> Router {
    let state = AppState {
        office,
        // Ten enrolment attempts at once, then one a minute.
        enrol_limit: Arc::new(RateLimit::new(10, Duration::from_secs(60))),
        // Twenty failed sign-ins at once, then one every ten seconds.
        auth_limit: Arc::new(RateLimit::new(20, Duration::from_secs(10))),
    };
    Router::new()
        .route("/health", get(health))
        .route("/enrol", post(enrol))
        .route("/sync/push", post(push))
        .route("/sync/pull", post(pull))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Where and how to listen, checked before the store is opened.
#[derive(Debug)]
pub struct Listener {
    address: SocketAddr,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
}

impl Listener {
    /// Resolves the address and loads the certificate; refuses plain HTTP
    /// anywhere but loopback.
    pub fn prepare(options: &ServeOptions) -> anyhow::Result<Listener> {
        let address = resolve(&options.listen)?;
        let tls = match (&options.tls_cert, &options.tls_key) {
            (Some(cert), Some(key)) => Some(crate::tls::server_config(cert, key)?),
            (None, None) => None,
            _ => bail!("--tls-cert and --tls-key go together: give both, or neither on loopback"),
        };
        if tls.is_none() && !address.ip().is_loopback() {
            bail!(
                "refusing to serve plain HTTP on {address}: device tokens and school records \
                 would cross the network unencrypted. Give --tls-cert FILE and --tls-key FILE, \
                 or listen on loopback (127.0.0.1) behind a TLS proxy"
            );
        }
        Ok(Listener { address, tls })
    }
}

/// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
pub async fn serve(office: Office, listener: Listener) -> anyhow::Result<()> {
    let Listener { address, tls } = listener;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let app = router(office).into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::<SocketAddr>::new();
    tokio::spawn(shut_down_on_signal(handle.clone()));
    let listening = handle.clone();
    tokio::spawn(async move {
        if let Some(bound) = listening.listening().await {
            // Tests and scripts read this line for the port.
            println!("caseload-office listening on {scheme}://{bound}");
            info!(%bound, scheme, "listening");
        }
    });
    let served = match tls {
        Some(config) => {
            axum_server::bind_rustls(address, config)
                .handle(handle)
                .serve(app)
                .await
        }
        None => axum_server::bind(address).handle(handle).serve(app).await,
    };
    served.with_context(|| format!("cannot serve on {address}"))?;
    info!("stopped");
    Ok(())
}

fn resolve(listen: &str) -> anyhow::Result<SocketAddr> {
    listen
        .to_socket_addrs()
        .with_context(|| {
            format!("--listen {listen:?} is not an address and port (127.0.0.1:8440)")
        })?
        .next()
        .with_context(|| format!("--listen {listen:?} names no address"))
}

async fn shut_down_on_signal(handle: axum_server::Handle<SocketAddr>) {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    info!("shutting down: finishing the requests in flight");
    handle.graceful_shutdown(Some(Duration::from_secs(10)));
}

/// An answer other than success.
#[derive(Debug)]
enum ApiError {
    Unauthorised,
    EnrolRefused,
    DeviceTaken,
    Protocol(VersionMismatch),
    BadRequest(String),
    TooMany(Duration),
    NotFound,
    Storage(StorageError),
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        ApiError::Storage(error)
    }
}

impl From<VersionMismatch> for ApiError {
    fn from(mismatch: VersionMismatch) -> Self {
        ApiError::Protocol(mismatch)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            ApiError::Unauthorised => (
                StatusCode::UNAUTHORIZED,
                "unauthorised",
                "this device is not enrolled with the office, or its enrolment was revoked: \
                 enrol it again with a new code from the office"
                    .to_owned(),
            ),
            ApiError::EnrolRefused => (
                StatusCode::UNAUTHORIZED,
                "enrol-refused",
                "this enrolment code is not valid: it may be mistyped, already used or expired. \
                 Ask the office for a new one"
                    .to_owned(),
            ),
            ApiError::DeviceTaken => (
                StatusCode::CONFLICT,
                "device-taken",
                "this device is enrolled for another adviser: a device's store belongs to one \
                 adviser. Ask the office to revoke it, or use a new store"
                    .to_owned(),
            ),
            ApiError::Protocol(mismatch) => (
                StatusCode::BAD_REQUEST,
                "protocol-version",
                mismatch.to_string(),
            ),
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, "bad-request", message),
            ApiError::TooMany(wait) => {
                let seconds = wait.as_secs().max(1);
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(ErrorBody {
                        error: "too-many-requests".to_owned(),
                        message: format!(
                            "too many attempts from this address: try again in {seconds} s"
                        ),
                    }),
                )
                    .into_response();
                if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(RETRY_AFTER, value);
                }
                return response;
            }
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not-found",
                "the office has no such endpoint".to_owned(),
            ),
            ApiError::Storage(error) => {
                error!(%error, "storage failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the office could not reach its store: nothing was lost, try again later"
                        .to_owned(),
                )
            }
        };
        (
            status,
            Json(ErrorBody {
                error: code.to_owned(),
                message,
            }),
        )
            .into_response()
    }
}

/// Reads a request body: first its protocol version, then the message.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::BadRequest(format!("the request is not JSON: {error}")))?;
    let protocol = value
        .get("protocol")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            ApiError::BadRequest(
                "the request names no protocol version: update Caseload".to_owned(),
            )
        })?;
    check_version(u32::try_from(protocol).unwrap_or(u32::MAX))?;
    serde_json::from_value(value).map_err(|error| {
        ApiError::BadRequest(format!(
            "the request does not read as sync protocol {PROTOCOL_VERSION}: {error}"
        ))
    })
}

async fn health(State(state): State<AppState>) -> Response {
    match state.office.ping().await {
        Ok(()) => Json(json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "protocol": {"oldest": OLDEST_PROTOCOL, "newest": PROTOCOL_VERSION},
        }))
        .into_response(),
        Err(error) => ApiError::Storage(error).into_response(),
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn enrol(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Result<Json<Enrolled>, ApiError> {
    let now = Instant::now();
    let address = peer.ip();
    if let Some(wait) = state.enrol_limit.wait(address, now) {
        warn!(%address, "enrolment attempts held back");
        return Err(ApiError::TooMany(wait));
    }
    state.enrol_limit.spend(address, now);
    let request: EnrolRequest = parse(&body)?;
    match state
        .office
        .enrol(&request.code, request.device, &request.name)
        .await?
    {
        Enrolment::Enrolled { adviser, token } => {
            info!(device = %request.device, adviser = %adviser.id, "device enrolled");
            Ok(Json(Enrolled {
                protocol: PROTOCOL_VERSION,
                device: request.device,
                token: token.reveal().to_owned(),
                adviser: EnrolledAdviser {
                    id: adviser.id,
                    name: adviser.name,
                    email: adviser.email,
                    role: adviser.role,
                },
            }))
        }
        Enrolment::CodeRefused => {
            warn!(%address, "enrolment refused");
            Err(ApiError::EnrolRefused)
        }
        Enrolment::DeviceTaken => {
            warn!(%address, device = %request.device, "enrolment of another adviser's device refused");
            Err(ApiError::DeviceTaken)
        }
    }
}

/// The device behind the request's bearer token. Failures count against the
/// address's sign-in limit.
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    address: IpAddr,
) -> Result<Sender, ApiError> {
    let now = Instant::now();
    if let Some(wait) = state.auth_limit.wait(address, now) {
        return Err(ApiError::TooMany(wait));
    }
    let sender = match bearer_token(headers) {
        Some(token) => state.office.authenticate(token).await?,
        None => None,
    };
    sender.ok_or_else(|| refuse_sign_in(state, address, now))
}

fn bearer_token(headers: &HeaderMap) -> Option<PresentedToken> {
    headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .and_then(PresentedToken::parse)
}

/// A refused sign-in, counted against the address's limit.
fn refuse_sign_in(state: &AppState, address: IpAddr, now: Instant) -> ApiError {
    warn!(%address, "sign-in refused");
    state.auth_limit.spend(address, now);
    ApiError::Unauthorised
}

async fn push(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PushResponse>, ApiError> {
    let sender = authenticate(&state, &headers, peer.ip()).await?;
    let request: PushRequest = parse(&body)?;
    if request.operations.len() > MAX_BATCH {
        return Err(ApiError::BadRequest(format!(
            "a push carries at most {MAX_BATCH} operations; this one carried {}: send the rest \
             in another push",
            request.operations.len()
        )));
    }
    let results = state.office.push(sender, request.operations).await?;
    let refused = results
        .iter()
        .filter(|result| matches!(result.outcome, Outcome::Refused(_)))
        .count();
    let duplicates = results
        .iter()
        .filter(|result| matches!(result.outcome, Outcome::Duplicate { .. }))
        .count();
    info!(
        device = %sender.device,
        operations = results.len(),
        refused,
        duplicates,
        "push"
    );
    Ok(Json(PushResponse {
        protocol: PROTOCOL_VERSION,
        results,
    }))
}

async fn pull(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PullResponse>, ApiError> {
    let address = peer.ip();
    let request: PullRequest = match parse(&body) {
        Ok(request) => request,
        Err(error) => {
            // A sign-in failure is answered first, as for any request.
            authenticate(&state, &headers, address).await?;
            return Err(error);
        }
    };
    let now = Instant::now();
    if let Some(wait) = state.auth_limit.wait(address, now) {
        return Err(ApiError::TooMany(wait));
    }
    // The token is checked in the pull's own transaction.
    let pulled = match bearer_token(&headers) {
        Some(token) => {
            state
                .office
                .pull_signed_in(token, request.after, request.limit)
                .await?
        }
        None => None,
    };
    let Some((sender, page)) = pulled else {
        return Err(refuse_sign_in(&state, address, now));
    };
    info!(
        device = %sender.device,
        after = request.after,
        changes = page.changes.len(),
        withdrawn = page.withdrawn.len(),
        more = page.more,
        "pull"
    );
    Ok(Json(PullResponse {
        protocol: PROTOCOL_VERSION,
        changes: page.changes,
        withdrawn: page.withdrawn,
        more: page.more,
        cursor: page.cursor,
    }))
}

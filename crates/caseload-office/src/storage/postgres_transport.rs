//! How the office reaches PostgreSQL: over TLS (rustls, the ring provider),
//! the server's certificate verified against the system's roots and the
//! URL's `sslrootcert`, and in the clear only on loopback or a local socket,
//! as the office serves devices in plain HTTP only on loopback.
//!
//! URLs are libpq's: `sslmode` and `sslrootcert` mean what they mean to
//! `psql`, except that every TLS connection is verified (libpq's `require`
//! does not check the certificate; here it does, like `verify-full`).

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::Config;
use tokio_postgres_rustls::MakeRustlsConnect;
use url::Url;

use super::{redact_url, StorageError};

/// The connection settings of a `--database` URL and the TLS they connect
/// with, or why the office will not use them.
pub fn transport(url: &str) -> Result<(Config, MakeRustlsConnect), StorageError> {
    let shown = redact_url(url);
    let not_a_url =
        |why: String| StorageError::Refused(format!("{shown} is not a PostgreSQL URL: {why}"));
    let mut parsed = Url::parse(url).map_err(|error| not_a_url(error.to_string()))?;
    let root_file = take_query_parameter(&mut parsed, "sslrootcert");
    let mode = take_query_parameter(&mut parsed, "sslmode");
    let mut config: Config = parsed
        .as_str()
        .parse()
        .map_err(|error: tokio_postgres::Error| not_a_url(error.to_string()))?;
    config.ssl_mode(ssl_mode(mode.as_deref(), &shown)?);
    insist_on_tls_beyond_loopback(&mut config, &shown)?;
    let roots = trusted_roots(root_file.as_deref().map(Path::new))?;
    let tls =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|error| StorageError::Refused(format!("TLS for PostgreSQL: {error}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok((config, MakeRustlsConnect::new(tls)))
}

/// Removes `name` from the URL's query, giving its value: tokio-postgres
/// knows neither `sslrootcert` nor libpq's verifying modes.
fn take_query_parameter(url: &mut Url, name: &str) -> Option<String> {
    let mut value = None;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter_map(|(key, found)| {
            if key == name {
                value = Some(found.into_owned());
                None
            } else {
                Some((key.into_owned(), found.into_owned()))
            }
        })
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    value
}

/// libpq's `sslmode` as tokio-postgres knows it. `verify-ca` and
/// `verify-full` are what every TLS connection here does anyway; `allow`
/// (TLS only if the server insists) is read as `prefer`.
fn ssl_mode(mode: Option<&str>, shown: &str) -> Result<SslMode, StorageError> {
    Ok(match mode.unwrap_or("prefer") {
        "disable" => SslMode::Disable,
        "allow" | "prefer" => SslMode::Prefer,
        "require" | "verify-ca" | "verify-full" => SslMode::Require,
        other => {
            return Err(StorageError::Refused(format!(
                "{shown}: sslmode={other} is not one of disable, allow, prefer, require, \
                 verify-ca, verify-full"
            )));
        }
    })
}

/// Beyond loopback, the records of every school cross a network: refuse
/// `sslmode=disable`, and turn `prefer` (which falls back to the clear when
/// the server offers no TLS) into `require`.
fn insist_on_tls_beyond_loopback(config: &mut Config, shown: &str) -> Result<(), StorageError> {
    let local = config.get_hosts().iter().all(is_local);
    match config.get_ssl_mode() {
        _ if local => {}
        SslMode::Disable => {
            return Err(StorageError::Refused(format!(
                "{shown}: the office does not send its store in the clear beyond this machine; \
                 remove sslmode=disable (TLS is required for a PostgreSQL server elsewhere)"
            )));
        }
        _ => {
            config.ssl_mode(SslMode::Require);
        }
    }
    Ok(())
}

fn is_local(host: &Host) -> bool {
    match host {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            name.eq_ignore_ascii_case("localhost")
                || name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok_and(|address| address.is_loopback())
        }
    }
}

/// The system's trusted roots, and the certificates in `root_file` (an
/// authority's own CA, as libpq's `sslrootcert`).
fn trusted_roots(root_file: Option<&Path>) -> Result<RootCertStore, StorageError> {
    let mut roots = RootCertStore::empty();
    // A system store that cannot be read leaves only `sslrootcert` to trust:
    // the handshake then says the server's certificate is not trusted.
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    let Some(file) = root_file else {
        return Ok(roots);
    };
    let unreadable =
        |why: String| StorageError::Refused(format!("sslrootcert={}: {why}", file.display()));
    let certificates = CertificateDer::pem_file_iter(file)
        .map_err(|error| unreadable(format!("cannot be read ({error})")))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| unreadable(format!("holds no readable PEM certificate ({error})")))?;
    if certificates.is_empty() {
        return Err(unreadable("holds no PEM certificate".to_owned()));
    }
    for certificate in certificates {
        roots
            .add(certificate)
            .map_err(|error| unreadable(format!("holds a certificate rustls refuses ({error})")))?;
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(url: &str) -> String {
        match transport(url) {
            Err(error) => error.to_string(),
            Ok(_) => panic!("{url} was accepted"),
        }
    }

    #[test]
    fn loopback_may_go_in_the_clear_and_prefers_tls_otherwise() {
        for url in [
            "postgres://office@127.0.0.1:5432/caseload?sslmode=disable",
            "postgres://office@localhost/caseload?sslmode=disable",
            "postgres://office@[::1]/caseload?sslmode=disable",
        ] {
            let (config, _) = transport(url).expect(url);
            assert_eq!(config.get_ssl_mode(), SslMode::Disable, "{url}");
        }
        let (config, _) =
            transport("postgres://office@127.0.0.1/caseload").expect("a loopback URL");
        assert_eq!(config.get_ssl_mode(), SslMode::Prefer);
    }

    #[test]
    fn a_server_elsewhere_is_reached_over_tls_only() {
        let message = refusal("postgres://office:secret@db.example.org/caseload?sslmode=disable");
        assert!(
            message.contains("not send its store in the clear"),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
        let (config, _) =
            transport("postgres://office@db.example.org/caseload").expect("a URL elsewhere");
        assert_eq!(config.get_ssl_mode(), SslMode::Require);
    }

    #[test]
    fn libpq_urls_are_read_as_psql_reads_them() {
        let (config, _) = transport(
            "postgres://office@db.example.org:6543/caseload?sslmode=verify-full&application_name=office",
        )
        .expect("a libpq URL");
        assert_eq!(config.get_ssl_mode(), SslMode::Require);
        assert_eq!(config.get_ports(), [6543]);
        assert_eq!(config.get_dbname(), Some("caseload"));
        assert_eq!(config.get_application_name(), Some("office"));
    }

    #[test]
    fn bad_settings_say_which() {
        let message = refusal("postgres://office@db.example.org/caseload?sslmode=maybe");
        assert!(message.contains("sslmode=maybe"), "{message}");
        let message =
            refusal("postgres://office@db.example.org/caseload?sslrootcert=/nowhere/ca.pem");
        assert!(
            message.contains("sslrootcert=/nowhere/ca.pem: cannot be read"),
            "{message}"
        );
        let empty = tempfile::NamedTempFile::new().expect("a temporary file");
        let message = refusal(&format!(
            "postgres://office@db.example.org/caseload?sslrootcert={}",
            empty.path().display()
        ));
        assert!(message.contains("holds no PEM certificate"), "{message}");
        let message = refusal("mysql:/nothing here");
        assert!(message.contains("is not a PostgreSQL URL"), "{message}");
    }
}

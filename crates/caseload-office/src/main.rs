//! `caseload-office`: serve the office, or administer it from a terminal.
//! Every subcommand takes the same `--data DIR` (SQLite) or `--database URL`
//! (PostgreSQL), so the admin commands work on the store a running office
//! serves.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use caseload_core::{AdviserId, AdviserRole, DeviceId, LaCode, Urn};
use caseload_office::server::{serve, Listener, ServeOptions};
use caseload_office::storage::AuditRow;
use caseload_office::{Office, StorageTarget};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Parser)]
#[command(
    name = "caseload-office",
    version,
    about = "The Caseload central office server"
)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct StoreArgs {
    /// Keep the office's store in this folder (SQLite, office.sqlite3).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "CASELOAD_OFFICE_DATA",
        conflicts_with = "database"
    )]
    data: Option<PathBuf>,
    /// Keep the office's store in this PostgreSQL database (postgres://user:password@host/db).
    /// Beyond loopback only over TLS, the server's certificate verified against the system's
    /// CAs and the one named by `sslrootcert=FILE` in the URL (libpq's parameters).
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "CASELOAD_OFFICE_DATABASE",
        hide_env_values = true
    )]
    database: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve devices: health, enrolment, push and pull.
    Serve {
        /// Address and port to listen on; plain HTTP only on loopback.
        #[arg(long, default_value = "127.0.0.1:8440")]
        listen: String,
        /// PEM certificate chain for HTTPS.
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key for HTTPS.
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Import the authority's school list.
    #[command(subcommand)]
    Import(Import),
    /// Advisers' accounts and their schools.
    #[command(subcommand)]
    Adviser(AdviserCommand),
    /// Enrolled devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Export the audit log of one record, oldest first: every operation
    /// pushed to it (with the account and device) and every write the
    /// office made itself (with the command), each with the values before.
    Audit {
        /// The record type (school, visit, action, review, letter, msp_meeting, ...).
        #[arg(long)]
        entity: String,
        /// The record's key: its id, or a school's URN.
        #[arg(long)]
        key: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum Import {
    /// A GIAS establishment file (edubasealldata*.csv): the fields GIAS owns.
    Schools {
        file: PathBuf,
        /// Keep only this local authority's establishments.
        #[arg(long, value_name = "CODE")]
        la: u16,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Role {
    LinkSia,
    SeniorSia,
    GovernanceLead,
    Admin,
}

impl From<Role> for AdviserRole {
    fn from(role: Role) -> Self {
        match role {
            Role::LinkSia => AdviserRole::LinkSia,
            Role::SeniorSia => AdviserRole::SeniorSia,
            Role::GovernanceLead => AdviserRole::GovernanceLead,
            Role::Admin => AdviserRole::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
enum AdviserCommand {
    /// Open an account and print its first one-time enrolment code.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: Role,
        #[arg(long)]
        json: bool,
    },
    /// A further enrolment code (another device, or after a revocation).
    Code {
        #[arg(long, value_name = "ID")]
        adviser: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Make the adviser the school's link SIA.
    Assign {
        #[arg(long, value_name = "ID")]
        adviser: Uuid,
        #[arg(long)]
        urn: u32,
    },
    /// Close the account: devices revoked, schools left without a link SIA.
    Remove {
        #[arg(long, value_name = "ID")]
        adviser: Uuid,
        #[arg(long)]
        json: bool,
    },
    /// Every account with its schools.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// Refuse the device from its next request on.
    Revoke {
        #[arg(long, value_name = "ID")]
        device: Uuid,
    },
    /// Enrolled devices, with when they enrolled and any revocation.
    List {
        #[arg(long, value_name = "ID")]
        adviser: Option<Uuid>,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level)),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("caseload-office: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caseload-office: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn target(store: StoreArgs) -> anyhow::Result<StorageTarget> {
    match (store.data, store.database) {
        (Some(folder), None) => Ok(StorageTarget::Folder(folder)),
        (None, Some(url)) => Ok(StorageTarget::Postgres(url)),
        (None, None) => bail!(
            "say where the office keeps its store: --data DIR (SQLite) or --database \
             postgres://USER:PASSWORD@HOST/DATABASE"
        ),
        (Some(_), Some(_)) => bail!("give --data or --database, not both"),
    }
}

fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let target = target(cli.store)?;
    let listener = match &cli.command {
        Command::Serve {
            listen,
            tls_cert,
            tls_key,
        } => Some(Listener::prepare(&ServeOptions {
            listen: listen.clone(),
            tls_cert: tls_cert.clone(),
            tls_key: tls_key.clone(),
        })?),
        _ => None,
    };
    let office = Office::open(&target)
        .await
        .with_context(|| format!("cannot open the office's store ({target})"))?;
    match cli.command {
        Command::Serve { .. } => {
            tracing::info!(store = %target, "opened the office's store");
            let listener = listener.context("the listener was not prepared")?;
            serve(office, listener).await
        }
        Command::Import(Import::Schools { file, la, json }) => {
            let la = LaCode::new(la).map_err(anyhow::Error::msg)?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let parsed = caseload_core::gias::parse(&bytes, Some(la))
                .map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
            let warnings = parsed.warnings.len();
            for warning in &parsed.warnings {
                tracing::warn!("{}: {warning}", file.display());
            }
            let schools = parsed.schools.len();
            let report = office.import_schools(parsed.schools).await?;
            if json {
                print_json(&json!({
                    "schools": schools,
                    "added": report.added,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "warnings": warnings,
                }))?;
            } else {
                println!(
                    "{schools} schools of LA {la}: {} added, {} updated, {} unchanged; {warnings} \
                     values left out (see the warnings above)",
                    report.added,
                    report.updated,
                    report.unchanged,
                    la = la.0,
                );
            }
            Ok(())
        }
        Command::Adviser(AdviserCommand::Add {
            name,
            email,
            role,
            json,
        }) => {
            let added = office.add_adviser(&name, &email, role.into()).await?;
            if json {
                print_json(&json!({
                    "id": added.adviser.id,
                    "enrol_code": added.code.reveal(),
                }))?;
            } else {
                println!(
                    "{} ({}) has id {}.\nOne-time enrolment code, valid for 14 days: {}",
                    added.adviser.name,
                    added.adviser.role.label(),
                    added.adviser.id,
                    added.code.reveal()
                );
            }
            Ok(())
        }
        Command::Adviser(AdviserCommand::Code { adviser, json }) => {
            let code = office.add_code(AdviserId(adviser)).await?;
            if json {
                print_json(&json!({"id": adviser, "enrol_code": code.reveal()}))?;
            } else {
                println!(
                    "One-time enrolment code, valid for 14 days: {}",
                    code.reveal()
                );
            }
            Ok(())
        }
        Command::Adviser(AdviserCommand::Assign { adviser, urn }) => {
            office.assign(AdviserId(adviser), Urn(urn)).await?;
            println!("school {urn} is now linked to adviser {adviser}");
            Ok(())
        }
        Command::Adviser(AdviserCommand::Remove { adviser, json }) => {
            let removal = office.remove_adviser(AdviserId(adviser)).await?;
            if json {
                print_json(&serde_json::to_value(removal)?)?;
            } else {
                println!(
                    "adviser {adviser} removed: {} devices revoked, {} schools left without a \
                     link SIA",
                    removal.devices_revoked, removal.schools_unlinked
                );
            }
            Ok(())
        }
        Command::Adviser(AdviserCommand::List { json }) => {
            let advisers = office.advisers().await?;
            if json {
                print_json(&serde_json::to_value(advisers)?)?;
            } else {
                for adviser in advisers {
                    println!(
                        "{}  {:<28} {:<34} {}{}  schools: {:?}",
                        adviser.id,
                        adviser.name,
                        adviser.email,
                        adviser.role.label(),
                        if adviser.active { "" } else { " (removed)" },
                        adviser.schools
                    );
                }
            }
            Ok(())
        }
        Command::Device(DeviceCommand::Revoke { device }) => {
            office.revoke_device(DeviceId(device)).await?;
            println!("device {device} revoked: its next request is refused");
            Ok(())
        }
        Command::Audit { entity, key, json } => {
            let rows = office.audit(&entity, &key).await?;
            if json {
                print_json(&serde_json::to_value(rows)?)?;
            } else if rows.is_empty() {
                println!("nothing has been logged against {entity} {key}");
            } else {
                for row in rows {
                    print_audit_row(&row)?;
                }
            }
            Ok(())
        }
        Command::Device(DeviceCommand::List { adviser, json }) => {
            let devices = office.devices(adviser.map(AdviserId)).await?;
            if json {
                print_json(&serde_json::to_value(devices)?)?;
            } else {
                for device in devices {
                    println!(
                        "{}  adviser {}  {:<24} enrolled {}{}",
                        device.id,
                        device.adviser,
                        device.name,
                        device.enrolled_at,
                        device
                            .revoked_at
                            .map(|at| format!(", revoked {at}"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
    }
}

/// One write: when, who on which device (or the office, at which
/// command), and what it changed: each field's value before and after.
fn print_audit_row(row: &AuditRow) -> anyhow::Result<()> {
    let unnamed = "(unnamed)";
    let who = match (&row.account, &row.office_action) {
        (Some(account), _) => format!(
            "{} ({account})",
            row.account_name.as_deref().unwrap_or(unnamed)
        ),
        (None, action) => format!("the office: {}", action.as_deref().unwrap_or(unnamed)),
    };
    let device = match (&row.device_name, &row.account) {
        (Some(name), _) => name.as_str(),
        (None, None) => "the office's own",
        (None, Some(_)) => unnamed,
    };
    println!(
        "#{} {}  {who}  device {device} ({})",
        row.seq, row.applied_at, row.device
    );
    if row.deleted {
        println!("    deleted");
    }
    for (field, value) in &row.fields {
        let after = serde_json::to_string(value)?;
        match row.before.as_ref().and_then(|before| before.get(field)) {
            Some(before) => println!("    {field}: {} -> {after}", serde_json::to_string(before)?),
            None => println!("    {field} = {after}"),
        }
    }
    Ok(())
}

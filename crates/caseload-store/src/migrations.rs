//! Schema migrations: an ordered list of SQL texts, each applied once in its
//! own transaction and recorded with the SHA-256 of its text.
//!
//! A migration that has run must never change: if its recorded hash differs
//! from the text in this build, opening the store fails loudly rather than
//! letting two installations silently hold different schemas.

use crate::hash::sha256_hex;
use rusqlite::{params, Connection, OptionalExtension};

use crate::StoreError;

/// One step of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Add new ones at the end; never edit one.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial schema: schools, advisers, contacts, Ofsted, outbox",
        sql: include_str!("migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "reviews of support categories",
        sql: include_str!("migrations/0002_reviews.sql"),
    },
    Migration {
        version: 3,
        name: "school performance figures",
        sql: include_str!("migrations/0003_performance.sql"),
    },
    Migration {
        version: 4,
        name: "half-day visits and the enhanced offer",
        sql: include_str!("migrations/0004_visits.sql"),
    },
    Migration {
        version: 5,
        name: "agreed actions; full-text search over visit notes and actions",
        sql: include_str!("migrations/0005_actions_search.sql"),
    },
    Migration {
        version: 6,
        name: "search indexing deferred from each write to the next search",
        sql: include_str!("migrations/0006_search_pending.sql"),
    },
    Migration {
        version: 7,
        name: "search indexes that complete half-typed words; judgements searchable",
        sql: include_str!("migrations/0007_search_as_typed.sql"),
    },
    Migration {
        version: 8,
        name: "a leaner outbox: no unique index on op_id, no AUTOINCREMENT",
        sql: include_str!("migrations/0008_lean_outbox.sql"),
    },
    Migration {
        version: 9,
        name: "outbox operations name their fields; values are read from the record",
        sql: include_str!("migrations/0009_outbox_names_fields.sql"),
    },
    Migration {
        version: 10,
        name: "letters, and the PDFs of issued letters",
        sql: include_str!("migrations/0010_letters.sql"),
    },
    Migration {
        version: 11,
        name: "letters are searched with visit notes and actions",
        sql: include_str!("migrations/0011_letter_search.sql"),
    },
    Migration {
        version: 12,
        name: "MSP groups and meetings, and the PDFs of approved minutes and summaries",
        sql: include_str!("migrations/0012_msp.sql"),
    },
    Migration {
        version: 13,
        name: "the sync client: the office, each record's pulled state, refusals",
        sql: include_str!("migrations/0013_sync_client.sql"),
    },
    Migration {
        version: 14,
        name: "the audit trail: who changed which record, when, on which device, and what",
        sql: include_str!("migrations/0014_audit.sql"),
    },
    Migration {
        version: 15,
        name: "academy concerns and their escalation; complaints, whistleblowing, safeguarding",
        sql: include_str!("migrations/0015_academy_concerns.sql"),
    },
    Migration {
        version: 16,
        name: "indexes holding what the authority-wide view counts",
        sql: include_str!("migrations/0016_counting_indexes.sql"),
    },
    Migration {
        version: 17,
        name: "notices of schools and MSP groups the office took away from this device",
        sql: include_str!("migrations/0017_withdrawn_scopes.sql"),
    },
];

const LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migration (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
)";

fn digest(sql: &str) -> String {
    sha256_hex(sql.as_bytes())
}

/// Brings the schema up to date with `migrations`, checking what already ran.
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<(), StoreError> {
    conn.execute_batch(LEDGER)?;
    check_applied(conn, migrations)?;
    for migration in migrations {
        let applied: Option<u32> = conn
            .query_row(
                "SELECT version FROM schema_migration WHERE version = ?1",
                [migration.version],
                |row| row.get(0),
            )
            .optional()?;
        if applied.is_none() {
            apply(conn, migration)?;
        }
    }
    Ok(())
}

pub(crate) fn check_applied(conn: &Connection, migrations: &[Migration]) -> Result<(), StoreError> {
    let mut statement =
        conn.prepare("SELECT version, sha256 FROM schema_migration ORDER BY version")?;
    let applied = statement.query_map([], |row| {
        Ok((row.get::<_, u32>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in applied {
        let (version, recorded) = row?;
        let Some(known) = migrations.iter().find(|m| m.version == version) else {
            return Err(StoreError::NewerSchema { version });
        };
        if digest(known.sql) != recorded {
            return Err(StoreError::MigrationChanged {
                version,
                name: known.name,
            });
        }
    }
    Ok(())
}

fn apply(conn: &mut Connection, migration: &Migration) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute_batch(migration.sql)
        .map_err(|source| StoreError::MigrationFailed {
            version: migration.version,
            source,
        })?;
    tx.execute(
        "INSERT INTO schema_migration (version, name, sha256) VALUES (?1, ?2, ?3)",
        params![migration.version, migration.name, digest(migration.sql)],
    )?;
    tx.commit()?;
    Ok(())
}

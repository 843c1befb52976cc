//! Importing the authority's school list from a GIAS establishment file.
//!
//! The whole file is parsed before anything is written, and every school is
//! written in one transaction: a file that cannot be read as a whole changes
//! nothing. Re-importing updates schools by URN, field by field, and never
//! overwrites a field an adviser has edited (see [`Origin`]).

use std::path::Path;

use caseload_core::gias::{self, GiasFile};
use caseload_core::record::SCHOOL;
use caseload_core::{LaCode, School};
use serde_json::{Map, Value};

use crate::records::{Origin, Writer, Written};
use crate::views::ImportSummary;
use crate::{Store, StoreError};

impl Store {
    /// Imports a GIAS file from disk, keeping only `la`'s schools if given.
    pub fn import_gias_file(
        &mut self,
        path: &Path,
        la: Option<LaCode>,
    ) -> Result<ImportSummary, StoreError> {
        let bytes = std::fs::read(path).map_err(|source| StoreError::ReadFile {
            path: path.to_owned(),
            source,
        })?;
        self.import_gias_bytes(&bytes, &path.display().to_string(), la)
    }

    /// Imports GIAS file contents; `source` names the file in messages.
    pub fn import_gias_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
        la: Option<LaCode>,
    ) -> Result<ImportSummary, StoreError> {
        let file = gias::parse(bytes, la).map_err(|error| StoreError::Import {
            file: source.to_owned(),
            error,
        })?;
        self.write(|writer| write_schools(writer, &file, source))
    }
}

/// Writes the schools of a parsed file and counts what changed.
pub(crate) fn write_schools(
    writer: &mut Writer<'_>,
    file: &GiasFile,
    source: &str,
) -> Result<ImportSummary, StoreError> {
    let mut summary = ImportSummary {
        other_la: file.other_la,
        warnings: file
            .warnings
            .iter()
            .map(|warning| format!("{source}: {warning}"))
            .collect(),
        ..ImportSummary::default()
    };
    for school in &file.schools {
        let fields = gias_fields(school)?;
        match writer.write_fields(&SCHOOL, &Value::from(school.urn.0), &fields, Origin::Import)? {
            Written::Inserted => summary.added += 1,
            Written::Updated => summary.updated += 1,
            Written::Unchanged => summary.unchanged += 1,
        }
        summary.closed += usize::from(school.status.is_closed());
    }
    Ok(summary)
}

/// The fields of a school that the GIAS file owns.
fn gias_fields(school: &School) -> Result<Map<String, Value>, StoreError> {
    let Value::Object(mut all) = serde_json::to_value(school)? else {
        return Err(StoreError::Corrupt(
            "a school is not a JSON object".to_owned(),
        ));
    };
    all.retain(|name, _| School::GIAS_FIELDS.contains(&name.as_str()));
    Ok(all)
}

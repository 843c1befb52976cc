//! Importing the authority's school list from a GIAS establishment file.
//!
//! The whole file is parsed before anything is written, and every school is
//! written in one transaction: a file that cannot be read as a whole changes
//! nothing. Re-importing updates schools by URN, field by field, and never
//! overwrites a field an adviser has edited (see [`Origin`]).

use std::path::Path;
use std::sync::mpsc;
use std::thread;

use caseload_core::gias;
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
    ///
    /// The file is read on a second thread while this one writes, all in
    /// one transaction: if the file turns out to be broken part-way, the
    /// transaction is rolled back and the store is as it was.
    pub fn import_gias_bytes(
        &mut self,
        bytes: &[u8],
        source: &str,
        la: Option<LaCode>,
    ) -> Result<ImportSummary, StoreError> {
        let (send, receive) = mpsc::sync_channel::<Vec<School>>(BATCHES_IN_FLIGHT);
        thread::scope(|scope| {
            let reading = scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                let read = gias::parse_each(bytes, la, |school| {
                    batch.push(school);
                    if batch.len() == BATCH {
                        // A failed send means the writer stopped; its error is the one reported.
                        drop(send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))));
                    }
                });
                drop(send.send(batch));
                read
            });
            self.write(|writer| {
                let mut summary = ImportSummary::default();
                for school in receive.into_iter().flatten() {
                    write_school(writer, &school, &mut summary)?;
                }
                let read = reading
                    .join()
                    .map_err(|_| {
                        StoreError::Corrupt(format!("reading {source} failed unexpectedly"))
                    })?
                    .map_err(|error| StoreError::Import {
                        file: source.to_owned(),
                        error,
                    })?;
                summary.other_la = read.other_la;
                summary.warnings = read
                    .warnings
                    .iter()
                    .map(|warning| format!("{source}: {warning}"))
                    .collect();
                Ok(summary)
            })
        })
    }
}

/// Schools are handed from the reading thread to the writing one in batches,
/// so the threads rarely wait on each other.
const BATCH: usize = 256;
const BATCHES_IN_FLIGHT: usize = 8;

/// Writes one school's GIAS fields and counts what changed.
pub(crate) fn write_school(
    writer: &mut Writer<'_>,
    school: &School,
    summary: &mut ImportSummary,
) -> Result<(), StoreError> {
    let fields = gias_fields(school)?;
    match writer.write_fields(&SCHOOL, &Value::from(school.urn.0), &fields, Origin::Import)? {
        Written::Inserted => summary.added += 1,
        Written::Updated => summary.updated += 1,
        Written::Unchanged => summary.unchanged += 1,
    }
    summary.closed += usize::from(school.status.is_closed());
    Ok(())
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

//! The criteria sets the app scores against: the ones shipped in
//! `assets/criteria/`, and any an authority adds or edits in the `criteria`
//! folder beside the store, which need no rebuild. A set in that folder
//! replaces a shipped set with the same id.

use std::path::{Path, PathBuf};

use caseload_core::criteria::CriteriaSet;

use crate::paths::folder_beside;
use crate::StoreError;

/// The sets built into the app, with the file each came from.
const SHIPPED: &[(&str, &str)] = &[
    (
        "assets/criteria/peterborough-2022.toml",
        include_str!("../../../assets/criteria/peterborough-2022.toml"),
    ),
    (
        "assets/criteria/report-card-2025.toml",
        include_str!("../../../assets/criteria/report-card-2025.toml"),
    ),
];

/// The set used when none is named: the authority's own prioritisation criteria.
pub const DEFAULT_CRITERIA_SET: &str = "peterborough-2022";

/// The folder of an authority's own sets for the store at `store_path`.
pub fn criteria_folder(store_path: &Path) -> PathBuf {
    folder_beside(store_path, "criteria")
}

/// Every criteria set: shipped ones, then those in `folder` (if it exists),
/// each replacing a set of the same id. A malformed file is an error that
/// names it, its line and what is wrong.
pub fn criteria_sets(folder: &Path) -> Result<Vec<CriteriaSet>, StoreError> {
    let mut sets = Vec::new();
    for (file, text) in SHIPPED {
        add(&mut sets, parse(file, text)?);
    }
    for file in authority_files(folder)? {
        let text = std::fs::read_to_string(&file).map_err(|source| StoreError::ReadFile {
            path: file.clone(),
            source,
        })?;
        add(&mut sets, parse(&file.display().to_string(), &text)?);
    }
    Ok(sets)
}

/// The set with `id`, or an error listing the sets there are.
pub fn criteria_set(folder: &Path, id: &str) -> Result<CriteriaSet, StoreError> {
    let sets = criteria_sets(folder)?;
    let known: Vec<String> = sets.iter().map(|set| set.id.clone()).collect();
    sets.into_iter()
        .find(|set| set.id == id)
        .ok_or_else(|| StoreError::UnknownCriteriaSet {
            id: id.to_owned(),
            known: known.join(", "),
        })
}

/// The shipped set with `id`, whatever the authority's folder holds: the
/// demo caseload's reviews are marked against these statements.
pub(crate) fn shipped_criteria_set(id: &str) -> Result<CriteriaSet, StoreError> {
    let (file, text) = SHIPPED
        .iter()
        .find(|(file, _)| file.ends_with(&format!("/{id}.toml")))
        .ok_or_else(|| StoreError::UnknownCriteriaSet {
            id: id.to_owned(),
            known: "the shipped sets".to_owned(),
        })?;
    parse(file, text)
}

fn parse(file: &str, text: &str) -> Result<CriteriaSet, StoreError> {
    CriteriaSet::from_toml(text).map_err(|error| StoreError::Criteria {
        file: file.to_owned(),
        error,
    })
}

fn add(sets: &mut Vec<CriteriaSet>, set: CriteriaSet) {
    sets.retain(|existing| existing.id != set.id);
    sets.push(set);
}

/// `*.toml` files in the folder, in name order; none if it does not exist.
fn authority_files(folder: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(StoreError::ReadFile {
                path: folder.to_owned(),
                source,
            })
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

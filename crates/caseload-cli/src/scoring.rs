//! Reading a scoring request: `{"set": ID, "marked": [...]}`, where each
//! marked entry is a statement id or `{"statement": ID, "evidence": TEXT}`.

use std::path::Path;

use anyhow::Context;
use caseload_core::scoring::Mark;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    pub set: String,
    marked: Vec<MarkEntry>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum MarkEntry {
    Id(String),
    WithEvidence(Mark),
}

impl ScoreRequest {
    pub fn marks(&self) -> Vec<Mark> {
        self.marked
            .iter()
            .map(|entry| match entry {
                MarkEntry::Id(id) => Mark::new(id.clone()),
                MarkEntry::WithEvidence(mark) => mark.clone(),
            })
            .collect()
    }
}

pub fn read_request(file: &Path) -> anyhow::Result<ScoreRequest> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not a scoring request ({{\"set\": ID, \"marked\": [statement id, ...]}})",
            file.display()
        )
    })
}

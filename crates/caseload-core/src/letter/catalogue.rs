//! The indicators letters cite, from the strategy's lists, kept as data
//! (`assets/letters/indicators.toml`) with the facts that make each apply.

use std::collections::BTreeSet;

use serde::Deserialize;
use thiserror::Error;

use super::facts::Fact;
use super::LetterKind;

/// One indicator as the strategy words it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub letter: LetterKind,
    pub text: String,
    /// Facts any one of which makes the indicator apply; none means the
    /// adviser alone decides (finances, complaints).
    #[serde(default)]
    pub when: Vec<Fact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogueError {
    #[error("{0}")]
    Toml(String),
    #[error("indicator \"{0}\" is listed twice")]
    Duplicate(String),
    #[error("indicator {index} has an empty {field}")]
    Empty { index: usize, field: &'static str },
}

impl Catalogue {
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let catalogue: Catalogue =
            toml::from_str(text).map_err(|error| CatalogueError::Toml(error.to_string()))?;
        let mut seen = BTreeSet::new();
        for (index, indicator) in catalogue.indicators.iter().enumerate() {
            for (field, value) in [("id", &indicator.id), ("text", &indicator.text)] {
                if value.trim().is_empty() {
                    return Err(CatalogueError::Empty {
                        index: index + 1,
                        field,
                    });
                }
            }
            if !seen.insert(indicator.id.as_str()) {
                return Err(CatalogueError::Duplicate(indicator.id.clone()));
            }
        }
        Ok(catalogue)
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|indicator| indicator.id == id)
    }

    /// The indicators a letter of `kind` may cite, in the strategy's order.
    pub fn of_kind(&self, kind: LetterKind) -> impl Iterator<Item = &Indicator> {
        self.indicators
            .iter()
            .filter(move |indicator| indicator.letter == kind)
    }

    /// The indicators of `kind` that the `facts` make apply.
    pub fn applying<'c>(&'c self, kind: LetterKind, facts: &BTreeSet<Fact>) -> Vec<&'c Indicator> {
        self.of_kind(kind)
            .filter(|indicator| indicator.when.iter().any(|fact| facts.contains(fact)))
            .collect()
    }
}

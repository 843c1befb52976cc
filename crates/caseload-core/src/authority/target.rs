//! The authority's own target for the share of maintained schools judged
//! good or better, kept as data (`assets/authority.toml`) so that a new
//! year's target is an edit of a file, not of code.

use serde::Serialize;
use thiserror::Error;

/// The field of `assets/authority.toml` that holds the target.
pub const TARGET_FIELD: &str = "target.good_or_better_percent";

/// What the authority aims for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AuthorityTarget {
    /// The percentage of maintained schools, and of their pupils, the
    /// authority aims to see judged good or better (0 to 100).
    pub good_or_better_percent: f64,
}

/// Why the target cannot be read; the caller names the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TargetError {
    #[error("not valid TOML: {0}")]
    Syntax(String),
    #[error("{TARGET_FIELD} is missing")]
    Missing,
    #[error("{TARGET_FIELD} must be a number from 0 to 100, not {0}")]
    Invalid(String),
}

impl AuthorityTarget {
    /// Reads the target from the text of the authority's file.
    pub fn from_toml(text: &str) -> Result<AuthorityTarget, TargetError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|error| TargetError::Syntax(error.message().into()))?;
        let value = table
            .get("target")
            .and_then(|target| target.get("good_or_better_percent"))
            .ok_or(TargetError::Missing)?;
        let percent = match value {
            toml::Value::Integer(whole) => *whole as f64,
            toml::Value::Float(number) => *number,
            other => return Err(TargetError::Invalid(other.to_string())),
        };
        if !(0.0..=100.0).contains(&percent) {
            return Err(TargetError::Invalid(value.to_string()));
        }
        Ok(AuthorityTarget {
            good_or_better_percent: percent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_target_reads() {
        let shipped = include_str!("../../../../assets/authority.toml");
        let target = AuthorityTarget::from_toml(shipped).expect("the shipped target");
        assert!((0.0..=100.0).contains(&target.good_or_better_percent));
    }

    #[test]
    fn whole_and_decimal_percentages_read() {
        let whole = AuthorityTarget::from_toml("[target]\ngood_or_better_percent = 90\n");
        assert_eq!(whole.map(|t| t.good_or_better_percent), Ok(90.0));
        let decimal = AuthorityTarget::from_toml("[target]\ngood_or_better_percent = 87.5\n");
        assert_eq!(decimal.map(|t| t.good_or_better_percent), Ok(87.5));
    }

    #[test]
    fn a_missing_or_ill_formed_target_names_the_field() {
        let missing = AuthorityTarget::from_toml("[target]\n").expect_err("missing");
        assert_eq!(
            missing.to_string(),
            "target.good_or_better_percent is missing"
        );
        let text = AuthorityTarget::from_toml("[target]\ngood_or_better_percent = \"most\"\n")
            .expect_err("text");
        assert_eq!(
            text.to_string(),
            "target.good_or_better_percent must be a number from 0 to 100, not \"most\""
        );
        let too_big = AuthorityTarget::from_toml("[target]\ngood_or_better_percent = 120\n")
            .expect_err("over 100");
        assert!(too_big.to_string().ends_with("not 120"), "{too_big}");
        assert!(matches!(
            AuthorityTarget::from_toml("[target"),
            Err(TargetError::Syntax(_))
        ));
    }
}

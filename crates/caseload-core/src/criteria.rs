//! Prioritisation criteria: the statements an adviser marks to place a
//! school in low, medium or high support.
//!
//! A criteria set is data (`assets/criteria/*.toml`): areas, and statements
//! that each belong to one area and one level of support. An authority can
//! edit a set or add one without rebuilding the app; a set that is
//! malformed is refused with the line and what is wrong.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::line_of;

/// The level of support a school is offered, from the strategy's
/// categorisation. Ordered by how much support: `Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SupportCategory {
    /// Performing well.
    Low,
    /// Requiring improvement and/or vulnerable.
    Medium,
    /// Significant cause for concern.
    High,
}

impl SupportCategory {
    pub const ALL: [SupportCategory; 3] = [
        SupportCategory::Low,
        SupportCategory::Medium,
        SupportCategory::High,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SupportCategory::Low => "Low support",
            SupportCategory::Medium => "Medium support",
            SupportCategory::High => "High support",
        }
    }
}

impl std::str::FromStr for SupportCategory {
    type Err = String;

    /// Reads "low", "medium" or "high", in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        SupportCategory::ALL
            .into_iter()
            .find(|level| format!("{level:?}").eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| format!("{text:?} is not a support category (low, medium or high)"))
    }
}

impl fmt::Display for SupportCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// School performance measures a statement can read ("[See data]").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    Attainment,
    Progress,
    Attendance,
    Suspensions,
    DisadvantagedGap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub area: String,
    pub level: SupportCategory,
    pub text: String,
    /// The performance measure the statement reads, where it says "[See data]".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    /// Marked, it places the school in high support on its own (statutory
    /// safeguarding not met; a warning notice or significant concerns letter).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decisive: bool,
}

/// One set of criteria, as an authority publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriteriaSet {
    pub id: String,
    pub name: String,
    pub source: Option<String>,
    pub areas: Vec<Area>,
    pub statements: Vec<Statement>,
}

/// Why a criteria set was refused. The caller adds the file name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {problem}")]
pub struct CriteriaError {
    pub line: usize,
    pub problem: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaFile {
    id: String,
    name: String,
    source: Option<String>,
    area: Vec<toml::Spanned<Area>>,
    statement: Vec<toml::Spanned<Statement>>,
}

impl CriteriaSet {
    /// Reads and checks a criteria set (see `assets/criteria/` for the format).
    pub fn from_toml(text: &str) -> Result<CriteriaSet, CriteriaError> {
        let file: CriteriaFile = toml::from_str(text).map_err(|error| CriteriaError {
            line: error.span().map_or(1, |span| line_of(text, span.start)),
            problem: error.message().trim().to_owned(),
        })?;
        let at = |span: std::ops::Range<usize>, problem: String| CriteriaError {
            line: line_of(text, span.start),
            problem,
        };
        let mut area_ids = BTreeSet::new();
        for area in &file.area {
            if !area_ids.insert(area.get_ref().id.as_str()) {
                return Err(at(
                    area.span(),
                    format!("area {:?} is declared twice", area.get_ref().id),
                ));
            }
        }
        let mut statement_ids = BTreeSet::new();
        for spanned in &file.statement {
            let statement = spanned.get_ref();
            check_statement(statement, &area_ids, &mut statement_ids)
                .map_err(|problem| at(spanned.span(), problem))?;
        }
        for area in &file.area {
            let area_ref = area.get_ref();
            for level in SupportCategory::ALL {
                let has_level = file.statement.iter().any(|statement| {
                    statement.get_ref().area == area_ref.id && statement.get_ref().level == level
                });
                if !has_level {
                    let problem = format!(
                        "area {:?} has no statement for {}",
                        area_ref.id,
                        level.label().to_lowercase()
                    );
                    return Err(at(area.span(), problem));
                }
            }
        }
        Ok(CriteriaSet {
            id: file.id,
            name: file.name,
            source: file.source,
            areas: file
                .area
                .into_iter()
                .map(toml::Spanned::into_inner)
                .collect(),
            statements: file
                .statement
                .into_iter()
                .map(toml::Spanned::into_inner)
                .collect(),
        })
    }

    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.statements.iter().find(|statement| statement.id == id)
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.areas.iter().find(|area| area.id == id)
    }
}

fn check_statement<'s>(
    statement: &'s Statement,
    areas: &BTreeSet<&str>,
    seen: &mut BTreeSet<&'s str>,
) -> Result<(), String> {
    if statement.id.trim().is_empty() {
        return Err("a statement has an empty id".to_owned());
    }
    if !seen.insert(statement.id.as_str()) {
        return Err(format!("statement id {:?} is used twice", statement.id));
    }
    if !areas.contains(statement.area.as_str()) {
        return Err(format!(
            "statement {:?} belongs to area {:?}, which is not declared",
            statement.id, statement.area
        ));
    }
    if statement.text.trim().is_empty() {
        return Err(format!("statement {:?} has no text", statement.id));
    }
    if statement.decisive && statement.level != SupportCategory::High {
        return Err(format!(
            "statement {:?} is decisive, so it must be a high-support statement",
            statement.id
        ));
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small set: two areas, one statement per level each, and a decisive one.
    pub const SMALL: &str = r#"
id = "small"
name = "A small set"

[[area]]
id = "leadership"
name = "Leadership"

[[area]]
id = "teaching"
name = "Teaching"

[[statement]]
id = "l-low"
area = "leadership"
level = "low"
text = "Leaders are strong"

[[statement]]
id = "l-medium"
area = "leadership"
level = "medium"
text = "Leaders need support"

[[statement]]
id = "l-high"
area = "leadership"
level = "high"
text = "Leadership is of serious concern"

[[statement]]
id = "l-safeguarding"
area = "leadership"
level = "high"
text = "Safeguarding statutory responsibilities are not met"
decisive = true

[[statement]]
id = "t-low"
area = "teaching"
level = "low"
text = "Teaching is good"

[[statement]]
id = "t-medium"
area = "teaching"
level = "medium"
text = "Teaching is inconsistent"

[[statement]]
id = "t-high"
area = "teaching"
level = "high"
text = "Too much teaching is inadequate"
measure = "attainment"
"#;

    #[test]
    fn support_categories_read_their_names() {
        assert_eq!("High".parse::<SupportCategory>(), Ok(SupportCategory::High));
        assert_eq!(" low ".parse::<SupportCategory>(), Ok(SupportCategory::Low));
        assert!("severe".parse::<SupportCategory>().is_err());
    }

    #[test]
    fn a_well_formed_set_reads() {
        let set = CriteriaSet::from_toml(SMALL).expect("parses");
        assert_eq!(set.areas.len(), 2);
        assert_eq!(set.statements.len(), 7);
        assert_eq!(
            set.statement("t-high").and_then(|s| s.measure),
            Some(Measure::Attainment)
        );
        assert!(set.statement("l-safeguarding").is_some_and(|s| s.decisive));
    }

    fn refused(text: &str) -> String {
        CriteriaSet::from_toml(text)
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn malformed_sets_name_the_line_and_the_problem() {
        assert_eq!(
            refused(&SMALL.replace("id = \"t-medium\"", "id = \"t-low\"")),
            "line 44: statement id \"t-low\" is used twice"
        );
        assert_eq!(
            refused(&SMALL.replace(
                "area = \"teaching\"\nlevel = \"high\"",
                "area = \"maths\"\nlevel = \"high\""
            )),
            "line 50: statement \"t-high\" belongs to area \"maths\", which is not declared"
        );
        assert!(refused(&SMALL.replace(
            "level = \"medium\"\ntext = \"Teaching",
            "level = \"middling\"\ntext = \"Teaching"
        ))
        .starts_with("line 47: unknown variant `middling`"));
        assert_eq!(
            refused(&SMALL.replace("\"Leaders need support\"", "\" \"")),
            "line 19: statement \"l-medium\" has no text"
        );
        assert_eq!(
            refused(&SMALL.replace(
                "text = \"Leaders are strong\"",
                "text = \"Leaders are strong\"\ndecisive = true"
            )),
            "line 13: statement \"l-low\" is decisive, so it must be a high-support statement"
        );
        assert!(
            refused(&SMALL.replace("measure = \"attainment\"", "measure = \"vibes\""))
                .starts_with("line 55")
        );
        assert!(refused(
            &SMALL.replace("text = \"Teaching is good\"", "txt = \"Teaching is good\"")
        )
        .starts_with("line 42: unknown field `txt`"));
    }

    #[test]
    fn every_area_needs_a_statement_at_every_level() {
        let without = SMALL.replace(
            "level = \"medium\"\ntext = \"Teaching is inconsistent\"",
            "level = \"low\"\ntext = \"Teaching is inconsistent\"",
        );
        assert_eq!(
            refused(&without),
            "line 9: area \"teaching\" has no statement for medium support"
        );
    }
}

//! A letter template: a TOML file in `assets/letters/` holding the
//! authority's wording for one kind of letter, with `{{ fields }}` filled
//! from the school's records. An unknown field is an error that names the
//! file and line, never a blank in a sent letter.

use minijinja::{Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

use caseload_core::letter::LetterKind;

/// Who a template addresses, resolved from the school's contacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Addressee {
    Headteacher,
    ChairOfGovernors,
    /// The governing body as a whole, care of its chair.
    GoverningBody,
    TrustChair,
    TrustCeo,
    WardCouncillors,
}

/// Who signs: the adviser writing, or the authority's director.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignedBy {
    #[default]
    Author,
    Director,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    kind: LetterKind,
    subject: Spanned<String>,
    #[serde(default)]
    marking: Option<String>,
    recipients: Vec<Addressee>,
    #[serde(default)]
    copies_to: Vec<String>,
    #[serde(default)]
    signed_by: SignedBy,
    body: Spanned<String>,
}

/// One kind's template, read and checked.
#[derive(Debug, Clone)]
pub struct LetterTemplate {
    /// Where it came from, for messages: "assets/letters/congratulations.toml".
    pub file: String,
    pub kind: LetterKind,
    pub marking: Option<String>,
    pub recipients: Vec<Addressee>,
    pub copies_to: Vec<String>,
    pub signed_by: SignedBy,
    subject: Fragment,
    body: Fragment,
}

/// A Jinja source and the file line it starts on.
#[derive(Debug, Clone)]
struct Fragment {
    source: String,
    first_line: usize,
}

/// What is wrong with a template, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}{}: {field}: {problem}", line.map(|line| format!(", line {line}")).unwrap_or_default())]
pub struct TemplateError {
    pub file: String,
    pub line: Option<usize>,
    pub field: &'static str,
    pub problem: String,
}

/// The subject and body a template gives for one school.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub subject: String,
    pub body: String,
}

impl LetterTemplate {
    pub fn parse(file: &str, text: &str) -> Result<LetterTemplate, TemplateError> {
        let parsed: TemplateFile = toml::from_str(text).map_err(|error| TemplateError {
            file: file.to_owned(),
            line: error.span().map(|span| line_of(text, span.start)),
            field: "toml",
            problem: error.message().to_owned(),
        })?;
        let template = LetterTemplate {
            file: file.to_owned(),
            kind: parsed.kind,
            marking: parsed.marking,
            recipients: parsed.recipients,
            copies_to: parsed.copies_to,
            signed_by: parsed.signed_by,
            subject: Fragment::of(text, parsed.subject),
            body: Fragment::of(text, parsed.body),
        };
        if template.recipients.is_empty() {
            return Err(template.error(
                None,
                "recipients",
                "name at least one recipient".to_owned(),
            ));
        }
        for (field, fragment) in [("subject", &template.subject), ("body", &template.body)] {
            environment()
                .template_from_str(&fragment.source)
                .map_err(|error| template.jinja_error(field, fragment, &error))?;
        }
        Ok(template)
    }

    /// Fills the subject and body from `context`.
    pub fn fill<C: Serialize>(&self, context: &C) -> Result<Filled, TemplateError> {
        Ok(Filled {
            subject: self
                .render("subject", &self.subject, context)?
                .trim()
                .to_owned(),
            body: self.render("body", &self.body, context)?.trim().to_owned(),
        })
    }

    fn render<C: Serialize>(
        &self,
        field: &'static str,
        fragment: &Fragment,
        context: &C,
    ) -> Result<String, TemplateError> {
        environment()
            .render_str(&fragment.source, context)
            .map_err(|error| self.jinja_error(field, fragment, &error))
    }

    fn jinja_error(
        &self,
        field: &'static str,
        fragment: &Fragment,
        error: &minijinja::Error,
    ) -> TemplateError {
        let line = error.line().map(|line| fragment.first_line + line - 1);
        let culprit = error
            .range()
            .and_then(|range| fragment.source.get(range))
            .map(|text| format!(" `{}`", text.trim()))
            .unwrap_or_default();
        let problem = match error.detail() {
            Some(detail) => format!("{}{culprit}: {detail}", error.kind()),
            None => format!("{}{culprit}", error.kind()),
        };
        self.error(line, field, problem)
    }

    fn error(&self, line: Option<usize>, field: &'static str, problem: String) -> TemplateError {
        TemplateError {
            file: self.file.clone(),
            line,
            field,
            problem,
        }
    }
}

impl Fragment {
    /// A TOML string value and the line its text starts on (a multi-line
    /// string's first newline belongs to its opening quotes).
    fn of(text: &str, value: Spanned<String>) -> Fragment {
        let start = value.span().start;
        let opens_with_newline = text
            .get(start..)
            .is_some_and(|rest| rest.starts_with("\"\"\"\n") || rest.starts_with("'''\n"));
        Fragment {
            source: value.into_inner(),
            first_line: line_of(text, start) + usize::from(opens_with_newline),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// Templates fail on any field the context lacks, and offer `cell` to put
/// text in a Markdown table cell.
fn environment() -> Environment<'static> {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    environment.add_filter("cell", |text: String| {
        text.replace('|', "\\|").replace('\n', " ")
    });
    environment
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const TEMPLATE: &str = r#"kind = "congratulations"
subject = "Congratulations, {{ school.name }}"
recipients = ["headteacher", "chair-of-governors"]
body = """
Dear {{ salutation }}

We write about {{ school.name }}.
{% for action in actions %}| {{ action | cell }} |
{% endfor %}
"""
"#;

    #[test]
    fn fills_subject_and_body_from_the_context() {
        let template = LetterTemplate::parse("congratulations.toml", TEMPLATE).expect("parses");
        let filled = template
            .fill(&json!({"school": {"name": "Fenbridge Primary"}, "salutation": "Mrs Okafor", "actions": ["a | b"]}))
            .expect("fills");
        assert_eq!(filled.subject, "Congratulations, Fenbridge Primary");
        assert!(filled
            .body
            .starts_with("Dear Mrs Okafor\n\nWe write about Fenbridge Primary."));
        assert!(filled.body.contains("| a \\| b |"), "{}", filled.body);
    }

    #[test]
    fn an_unknown_field_names_the_file_line_and_field() {
        let misspelt = TEMPLATE.replace(
            "We write about {{ school.name }}",
            "We write about {{ school.nme }}",
        );
        let template = LetterTemplate::parse("congratulations.toml", &misspelt).expect("parses");
        let error = template
            .fill(&json!({"school": {"name": "Fenbridge Primary"}, "salutation": "Mrs Okafor", "actions": []}))
            .expect_err("unknown field");
        assert_eq!(error.line, Some(7), "{error}");
        assert_eq!(error.field, "body");
        assert!(error.to_string().contains("school.nme"), "{error}");
        assert!(
            error
                .to_string()
                .starts_with("congratulations.toml, line 7: body: undefined value"),
            "{error}"
        );
    }

    #[test]
    fn broken_files_are_refused_with_their_line() {
        let unknown_kind = TEMPLATE.replace("\"congratulations\"", "\"thanks\"");
        let error = LetterTemplate::parse("x.toml", &unknown_kind).expect_err("unknown kind");
        assert_eq!((error.line, error.field), (Some(1), "toml"));

        let unclosed = TEMPLATE.replace("{% endfor %}", "");
        let error = LetterTemplate::parse("x.toml", &unclosed).expect_err("unclosed loop");
        assert_eq!(error.field, "body");
        assert!(error.line.is_some_and(|line| line >= 8), "{error}");

        let nobody = TEMPLATE.replace(r#"["headteacher", "chair-of-governors"]"#, "[]");
        assert_eq!(
            LetterTemplate::parse("x.toml", &nobody)
                .expect_err("no one")
                .field,
            "recipients"
        );
    }
}

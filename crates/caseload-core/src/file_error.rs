//! Why an imported file was refused, and where: the one error shape every
//! file reader in the app reports, so each message reads "line 7, field
//! URN: problem" and the caller adds the file's name.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// 1-based physical line where the record (or the faulty field) starts.
    pub line: Option<usize>,
    /// The header name of the column at fault.
    pub field: Option<String>,
    pub problem: String,
}

impl FileError {
    pub(crate) fn at(line: usize, field: &str, problem: impl Into<String>) -> Self {
        FileError {
            line: Some(line),
            field: Some(field.to_owned()),
            problem: problem.into(),
        }
    }

    pub(crate) fn on_line(line: usize, problem: impl Into<String>) -> Self {
        FileError {
            line: Some(line),
            field: None,
            problem: problem.into(),
        }
    }
}

/// "line 7, field URN: problem", leaving out what is not known.
impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.field) {
            (Some(line), Some(field)) => write!(f, "line {line}, field {field}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            (None, Some(field)) => write!(f, "field {field}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.problem)
    }
}

impl std::error::Error for FileError {}

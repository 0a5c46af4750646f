//! The one finding type every check returns and every printer renders.
//!
//! Checks never print: they return `Diagnostic`s, and `report` turns them into human text, JSON
//! or GitHub annotations. A diagnostic may carry a mechanical `Fix` that `--fix` applies.

use serde::Serialize;
use std::ops::Range;
use std::path::PathBuf;

use crate::line_index::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// Where a finding is: a file relative to the guide root, and a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// Serialised lossily: a file name that is not UTF-8 must not break the JSON report.
    #[serde(serialize_with = "path_as_text")]
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// A replacement of `range` (bytes of `Location::file`) by `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    #[serde(skip)]
    pub range: Range<usize>,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The check that found it, e.g. `settings`, `yaml`, `summary`.
    pub check: &'static str,
    pub severity: Severity,
    #[serde(flatten)]
    pub location: Option<Location>,
    pub message: String,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub hint: Option<String>,
    /// More lines to show under the message, such as a diff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The source line the location points into, and how many characters to underline.
    #[serde(skip)]
    pub snippet: Option<Snippet>,
    #[serde(skip)]
    pub fix: Option<Fix>,
}

fn path_as_text<S: serde::Serializer>(
    path: &std::path::Path,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&path.to_string_lossy())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub line_text: String,
    pub underline: usize,
}

impl Diagnostic {
    pub fn error(check: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            check,
            severity: Severity::Error,
            location: None,
            message: message.into(),
            expected: None,
            found: None,
            hint: None,
            detail: None,
            snippet: None,
            fix: None,
        }
    }

    pub fn warning(check: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(check, message)
        }
    }

    /// Places the diagnostic at `span` of `text` (the contents of `file`), with the source line.
    pub fn at_span(mut self, file: impl Into<PathBuf>, text: &str, span: Range<usize>) -> Self {
        let index = LineIndex::new(text);
        let (line, column) = index.line_col(text, span.start);
        let line_text = index.line_text(text, line).to_string();
        let span_chars = text
            .get(span.clone())
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1);
        let room = line_text.chars().count().saturating_sub(column - 1);
        self.location = Some(Location {
            file: file.into(),
            line,
            column,
        });
        self.snippet = Some(Snippet {
            line_text,
            underline: span_chars.clamp(1, room.max(1)),
        });
        self
    }

    pub fn at_line_col(mut self, file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        self.location = Some(Location {
            file: file.into(),
            line,
            column,
        });
        self
    }

    pub fn in_file(self, file: impl Into<PathBuf>) -> Self {
        self.at_line_col(file, 1, 1)
    }

    pub fn expected_found(mut self, expected: impl Into<String>, found: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_fix(mut self, range: Range<usize>, replacement: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            range,
            replacement: replacement.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, line and column so output is deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.location, a.check, &a.message).cmp(&(&b.location, b.check, &b.message))
    });
}

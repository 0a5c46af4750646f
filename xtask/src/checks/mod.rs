//! Every check is a function over the loaded guide that returns diagnostics; none does I/O.

pub mod includes;
pub mod snippets;
pub mod summary;

use crate::diagnostic::Diagnostic;

/// What one check found, and a one-line account of what it looked at.
#[derive(Debug, Default)]
pub struct Outcome {
    pub summary: String,
    pub diagnostics: Vec<Diagnostic>,
}

//! `--format json`: one JSON document with every diagnostic, for tools and dashboards.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Debug, Serialize)]
pub struct CheckTiming {
    pub check: String,
    pub passed: bool,
    pub elapsed_ms: u128,
}

#[derive(Serialize)]
struct Document<'a> {
    errors: usize,
    warnings: usize,
    checks: &'a [CheckTiming],
    diagnostics: &'a [Diagnostic],
}

pub fn render(diagnostics: &[Diagnostic], checks: &[CheckTiming]) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let document = Document {
        errors,
        warnings: diagnostics.len() - errors,
        checks,
        diagnostics,
    };
    serde_json::to_string_pretty(&document).expect("diagnostics always serialise") + "\n"
}

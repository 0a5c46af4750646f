//! `verify --fix`: writes guide.yaml's value over drifted text, and nothing else.
//!
//! Each fix replaces exactly the bytes of one labelled value. Before writing, the bytes are
//! compared with what the check saw, so a file edited in between is left alone; files are
//! written atomically, so a failure leaves each file either untouched or fully fixed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::fsutil::write_in;

/// One file's fixes were applied.
#[derive(Debug)]
pub struct FixedFile {
    pub path: PathBuf,
    pub fixes: usize,
}

/// Applies the fixes of `diagnostics` (all about one file) to its `text`. A fix is skipped when
/// its bytes no longer hold what was found, or when it overlaps another. Returns the new text
/// and the diagnostics whose fixes were applied, last in the file first.
pub fn apply_to_text<'d>(
    text: &str,
    diagnostics: &[&'d Diagnostic],
) -> (String, Vec<&'d Diagnostic>) {
    let mut fixable: Vec<&Diagnostic> = diagnostics
        .iter()
        .copied()
        .filter(|d| d.fix.is_some())
        .collect();
    fixable.sort_by_key(|d| std::cmp::Reverse(d.fix.as_ref().map_or(0, |f| f.range.start)));
    let mut text = text.to_string();
    let mut applied = Vec::new();
    let mut previous_start = usize::MAX;
    for diagnostic in fixable {
        let Some(fix) = &diagnostic.fix else { continue };
        let still_there = text.get(fix.range.clone()) == diagnostic.found.as_deref();
        if !still_there || fix.range.end > previous_start {
            continue;
        }
        text.replace_range(fix.range.clone(), &fix.replacement);
        previous_start = fix.range.start;
        applied.push(diagnostic);
    }
    (text, applied)
}

/// Applies the fixes carried by `diagnostics`; prints one line per change to `out`.
pub fn apply(
    root: &Path,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> Result<Vec<FixedFile>, Diagnostic> {
    let mut by_file: BTreeMap<&Path, Vec<&Diagnostic>> = BTreeMap::new();
    for diagnostic in diagnostics {
        if let (Some(_), Some(location)) = (&diagnostic.fix, &diagnostic.location) {
            by_file.entry(&location.file).or_default().push(diagnostic);
        }
    }
    let mut fixed = Vec::new();
    for (path, file_diagnostics) in by_file {
        let full_path = root.join(path);
        let text = std::fs::read_to_string(&full_path).map_err(|error| {
            Diagnostic::error("fix", format!("cannot read {}: {error}", path.display()))
                .in_file(path)
        })?;
        let (new_text, applied) = apply_to_text(&text, &file_diagnostics);
        if applied.is_empty() {
            continue;
        }
        write_in(root, path, new_text.as_bytes()).map_err(|error| {
            Diagnostic::error("fix", format!("cannot write {}: {error}", path.display()))
                .in_file(path)
                .hint("nothing was changed in this file; make it writable and run again")
        })?;
        for diagnostic in applied.iter().rev() {
            if let (Some(location), Some(fix)) = (&diagnostic.location, &diagnostic.fix) {
                let _ = writeln!(
                    out,
                    "fixed {}:{}:{}: {:?} → {:?}",
                    path.display(),
                    location.line,
                    location.column,
                    diagnostic.found.as_deref().unwrap_or(""),
                    fix.replacement
                );
            }
        }
        fixed.push(FixedFile {
            path: path.to_path_buf(),
            fixes: applied.len(),
        });
    }
    Ok(fixed)
}

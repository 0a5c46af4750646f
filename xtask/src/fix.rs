//! `verify --fix`: writes guide.yaml's value over drifted text, and nothing else.
//!
//! Each fix replaces exactly the bytes of one labelled value. Before writing, the bytes are
//! compared with what the check saw, so a file edited in between is left alone; files are
//! written atomically, so a failure leaves each file either untouched or fully fixed.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Fix};
use crate::fsutil::write_atomically;

/// One file's fixes were applied.
#[derive(Debug)]
pub struct FixedFile {
    pub path: PathBuf,
    pub fixes: usize,
}

/// Applies the fixes carried by `diagnostics`; prints one line per change to `out`.
pub fn apply(
    root: &Path,
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> Result<Vec<FixedFile>, Diagnostic> {
    let mut by_file: BTreeMap<&Path, Vec<(&Diagnostic, &Fix)>> = BTreeMap::new();
    for diagnostic in diagnostics {
        if let (Some(fix), Some(location)) = (&diagnostic.fix, &diagnostic.location) {
            by_file
                .entry(&location.file)
                .or_default()
                .push((diagnostic, fix));
        }
    }
    let mut fixed = Vec::new();
    for (path, mut fixes) in by_file {
        let full_path = root.join(path);
        let mut text = std::fs::read_to_string(&full_path).map_err(|error| {
            Diagnostic::error("fix", format!("cannot read {}: {error}", path.display()))
                .in_file(path)
        })?;
        fixes.sort_by_key(|(_, fix)| std::cmp::Reverse(fix.range.start));
        let mut applied = 0;
        let mut previous_start = usize::MAX;
        for (diagnostic, fix) in &fixes {
            let still_there = text.get(fix.range.clone()) == diagnostic.found.as_deref();
            if !still_there || fix.range.end > previous_start {
                continue;
            }
            text.replace_range(fix.range.clone(), &fix.replacement);
            previous_start = fix.range.start;
            applied += 1;
            if let Some(location) = &diagnostic.location {
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
        if applied == 0 {
            continue;
        }
        write_atomically(&full_path, text.as_bytes()).map_err(|error| {
            Diagnostic::error("fix", format!("cannot write {}: {error}", path.display()))
                .in_file(path)
                .hint("nothing was changed in this file; make it writable and run again")
        })?;
        fixed.push(FixedFile {
            path: path.to_path_buf(),
            fixes: applied,
        });
    }
    Ok(fixed)
}

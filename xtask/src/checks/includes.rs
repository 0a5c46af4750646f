//! Every file directive (`{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}`) must name a
//! file that exists inside the guide tree, in chapters and in included files alike.
//!
//! mdBook only logs a missing include and renders the page without it; a directive that leaves
//! the repository (by `..`, an absolute path or a symbolic link) could publish any file of the
//! machine that builds the site.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::GuideTree;

const CHECK: &str = "include";

pub fn check(tree: &GuideTree) -> Vec<Diagnostic> {
    let real_root = tree
        .root
        .canonicalize()
        .unwrap_or_else(|_| tree.root.clone());
    let mut diagnostics = Vec::new();
    for include in &tree.includes {
        let Some(file) = tree
            .book
            .chapter(&include.from)
            .or_else(|| tree.included.iter().find(|f| f.path == include.from))
        else {
            continue;
        };
        let problem = match &include.target {
            None => Some((
                format!("`{}` points outside the repository", include.written),
                "include only files of this repository, with a path relative to the file",
            )),
            Some(target) if !tree.root.join(target).is_file() => Some((
                format!("`{}` does not exist (looked for {})", include.written, target.display()),
                "fix the path (it is relative to the file that includes it), or run `cargo xtask snippets` if it is a generated snippet",
            )),
            Some(target) if !really_inside(&real_root, &tree.root.join(target)) => Some((
                format!("`{}` leads outside the repository through a symbolic link", include.written),
                "include the file itself, not a link to a file elsewhere",
            )),
            Some(_) => None,
        };
        if let Some((message, hint)) = problem {
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    format!("{} file {message}", directive_label(&include.directive)),
                )
                .at_span(&include.from, &file.text, include.span.clone())
                .hint(hint),
            );
        }
    }
    diagnostics
}

/// "included file", or "{{#playground}} file" for the directives that are not includes.
fn directive_label(directive: &str) -> String {
    match directive {
        "include" => "included".to_string(),
        other => format!("{{{{#{other}}}}}"),
    }
}

fn really_inside(real_root: &Path, path: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|real| real.starts_with(real_root))
}

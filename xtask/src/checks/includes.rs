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

/// mdBook expands directives in a file's raw text, before the markdown is read. Inside a code
/// span, a code block or raw HTML, the named file's text lands where a backtick, a fence or a
/// quote of its own ends the code or the attribute, and what follows is live HTML on the page.
/// So a directive stands outside code and raw HTML, where mdBook's own parsing keeps it plain.
pub fn directives_in_code(tree: &GuideTree) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for file in tree.book.chapters.iter().chain(tree.included.iter()) {
        let directives = crate::model::includes::directive_spans(&file.text);
        if directives.is_empty() {
            continue;
        }
        let inside = crate::markdown::code_and_html(&file.text, tree.book.flavour);
        for directive in directives {
            let line_start = file.text[..directive.start]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            let line_end = file.text[directive.end..]
                .find('\n')
                .map_or(file.text.len(), |at| directive.end + at);
            let alone = file.text[line_start..directive.start].trim().is_empty()
                && file.text[directive.end..line_end].trim().is_empty();
            let found = inside
                .iter()
                .find(|(range, _)| range.start <= directive.start && directive.end <= range.end)
                .map(|(_, what)| *what);
            let Some(what) = found.or((!alone).then_some("a line of text")) else {
                continue;
            };
            let message = if found.is_some() {
                format!("a directive inside {what}: mdBook pastes the file's text there before the markdown is read, so that text can end it and run as HTML")
            } else {
                "a directive inside a line of text: mdBook pastes the file's text there before the markdown is read, so that text can end a link or an attribute and run as HTML".to_string()
            };
            diagnostics.push(
                Diagnostic::error(CHECK, message)
                .at_span(&file.path, &file.text, directive.clone())
                .hint("put the directive on a line of its own, outside code and HTML; to show it as text, escape it: \\{{#include …}}"),
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

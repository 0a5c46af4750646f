//! Every `{{#include}}` must name a file that exists inside the guide tree.
//!
//! mdBook only logs a missing include and renders the page without it; an include that climbs
//! out of the repository could publish any file of the machine that builds the site.

use crate::diagnostic::Diagnostic;
use crate::model::GuideTree;

const CHECK: &str = "include";

pub fn check(tree: &GuideTree) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for include in &tree.includes {
        let Some(chapter) = tree.book.chapter(&include.from) else {
            continue;
        };
        let problem = match &include.target {
            None => Some((
                format!("`{}` points outside the repository", include.written),
                "include only files of this repository, with a path relative to the chapter",
            )),
            Some(target) if !tree.root.join(target).is_file() => Some((
                format!("`{}` does not exist (looked for {})", include.written, target.display()),
                "fix the path (it is relative to the chapter), or run `cargo xtask snippets` if it is a generated snippet",
            )),
            Some(_) => None,
        };
        if let Some((message, hint)) = problem {
            diagnostics.push(
                Diagnostic::error(CHECK, format!("included file {message}"))
                    .at_span(&include.from, &chapter.text, include.span.clone())
                    .hint(hint),
            );
        }
    }
    diagnostics
}

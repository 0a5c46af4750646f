//! SUMMARY.md and the chapter files must agree: every listed chapter exists, every chapter is listed.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Tag};

use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::model::book::{normalize, BookTree};

const CHECK: &str = "summary";

pub fn check(book: &BookTree) -> Vec<Diagnostic> {
    let summary = &book.summary;
    let mut diagnostics = Vec::new();
    let mut listed = BTreeSet::new();
    for (event, span) in
        markdown::parser(&summary.text, markdown::Flavour::default()).into_offset_iter()
    {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let target = dest_url.split('#').next().unwrap_or("");
        if target.is_empty() || markdown::is_external(target) {
            continue;
        }
        let chapter = normalize(&book.src_dir.join(target));
        if book.chapter(&chapter).is_none() {
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    format!("SUMMARY.md lists `{target}`, which does not exist"),
                )
                .at_span(&summary.path, &summary.text, span)
                .expected_found(format!("a file {}", chapter.display()), "no such file")
                .hint("create the chapter, fix the path, or remove the line"),
            );
        }
        listed.insert(chapter);
    }
    for chapter in &book.chapters {
        if !listed.contains(&chapter.path) {
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    "this chapter is not listed in SUMMARY.md, so readers never see it",
                )
                .in_file(&chapter.path)
                .hint(format!(
                    "add `- [Title]({})` to SUMMARY.md, or delete the file",
                    chapter
                        .path
                        .strip_prefix(&book.src_dir)
                        .unwrap_or(&chapter.path)
                        .display()
                )),
            );
        }
    }
    diagnostics
}

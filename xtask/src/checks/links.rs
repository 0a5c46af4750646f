//! Links between pages of the book. mdbook-linkcheck2 (in-process) finds links to chapters that
//! do not exist; it does not look at `#anchors`, so `check_anchors` compares every `#fragment`
//! with the `id`s of the rendered page it points to.
//!
//! Both run on the chapters as written (not after `{{#include}}` expansion), so every line and
//! column is the one in the file a contributor edits.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codespan::Files;
use codespan_reporting::diagnostic::Severity as LinkSeverity;

use crate::checks::extract;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::model::paths::normalize;
use crate::model::GuideTree;
use crate::suggest;

/// Broken links between chapters, found by mdbook-linkcheck2.
pub fn check_internal(tree: &GuideTree) -> Vec<Diagnostic> {
    let src_dir = match tree.root.join(&tree.book.src_dir).canonicalize() {
        Ok(dir) => dir,
        Err(error) => {
            return vec![Diagnostic::error(
                "links",
                format!("cannot open the book folder: {error}"),
            )]
        }
    };
    let config = mdbook_linkcheck2::Config {
        require_md_extension: true,
        ..mdbook_linkcheck2::Config::default()
    };
    let mut files: Files<String> = Files::new();
    let mut chapter_of = BTreeMap::new();
    let ids: Vec<_> = tree
        .book
        .chapters
        .iter()
        .map(|chapter| {
            let relative = chapter
                .path
                .strip_prefix(&tree.book.src_dir)
                .unwrap_or(&chapter.path);
            let id = files.add(relative.as_os_str().to_os_string(), chapter.text.clone());
            chapter_of.insert(id, chapter);
            id
        })
        .collect();
    let (links, incomplete) = mdbook_linkcheck2::extract_links(&config, ids.clone(), &files);
    let mut cache = Default::default();
    let outcome = match mdbook_linkcheck2::validate(
        &links,
        &config,
        &src_dir,
        &mut cache,
        &files,
        &[],
        &ids,
        incomplete,
    ) {
        Ok(outcome) => outcome,
        Err(error) => {
            return vec![Diagnostic::error(
                "links",
                format!("the link checker failed: {error:#}"),
            )]
        }
    };
    let mut diagnostics = Vec::new();
    for found in outcome.generate_diagnostics(&files, mdbook_linkcheck2::WarningPolicy::Error) {
        let Some(label) = found.labels.first() else {
            continue;
        };
        let Some(chapter) = chapter_of.get(&label.file_id) else {
            continue;
        };
        let message = found.message.trim_end_matches('.').to_string();
        if is_generated_download(tree, chapter, &message) {
            continue;
        }
        let diagnostic = match found.severity {
            LinkSeverity::Error | LinkSeverity::Bug => Diagnostic::error("links", message),
            _ => Diagnostic::warning("links", message),
        };
        diagnostics.push(
            diagnostic
                .at_span(&chapter.path, &chapter.text, label.range.clone())
                .hint("link to another chapter with its relative .md path, e.g. ../glossary.md"),
        );
    }
    diagnostics
}

/// Files the build writes beside the pages (the administrators' profile) are not in the book's
/// sources, so the link checker cannot see them: a link to one is fine when the guide generates it.
fn is_generated_download(
    tree: &GuideTree,
    chapter: &crate::model::book::SourceFile,
    message: &str,
) -> bool {
    let Some(target) = message.strip_prefix("File not found: ") else {
        return false;
    };
    let chapter_dir = chapter
        .path
        .strip_prefix(&tree.book.src_dir)
        .unwrap_or(&chapter.path)
        .parent()
        .unwrap_or(Path::new(""));
    let resolved = normalize(&chapter_dir.join(target.split('#').next().unwrap_or(target)));
    tree.yaml.guide.profile.is_some() && resolved == Path::new(crate::profile::PUBLISHED_PATH)
}

/// The `id` attributes of every rendered page, by path relative to the HTML folder.
pub fn html_ids(html_dir: &Path) -> std::io::Result<BTreeMap<PathBuf, BTreeSet<String>>> {
    let id_attribute = regex::Regex::new(r#"\sid="([^"]+)""#).expect("a valid pattern");
    let mut pages = BTreeMap::new();
    let mut folders = vec![html_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path)?;
                let ids = id_attribute
                    .captures_iter(&html)
                    .map(|c| c[1].to_string())
                    .collect();
                let relative = path.strip_prefix(html_dir).unwrap_or(&path).to_path_buf();
                pages.insert(relative, ids);
            }
        }
    }
    Ok(pages)
}

/// Every `page.md#fragment` and `#fragment` link must name an `id` on the rendered page.
pub fn check_anchors(
    tree: &GuideTree,
    ids: &BTreeMap<PathBuf, BTreeSet<String>>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for chapter in &tree.book.chapters {
        let relative = chapter
            .path
            .strip_prefix(&tree.book.src_dir)
            .unwrap_or(&chapter.path);
        for link in extract::extract_with(&chapter.text, tree.book.flavour).links {
            let Some((page, fragment)) = link.target.split_once('#') else {
                continue;
            };
            if markdown::is_external(&link.target) || fragment.is_empty() {
                continue;
            }
            let target = if page.is_empty() {
                relative.to_path_buf()
            } else {
                normalize(&relative.parent().unwrap_or(Path::new("")).join(page))
            };
            let html_page = if target.file_name().is_some_and(|n| n == "README.md") {
                target.with_file_name("index.html")
            } else {
                target.with_extension("html")
            };
            let Some(known) = ids.get(&html_page) else {
                continue; // a missing page is check_internal's to report
            };
            if known.contains(fragment) {
                continue;
            }
            let hint = match suggest::closest(fragment, known.iter().map(String::as_str)) {
                Some(best) => format!("did you mean #{best}? Heading ids are the heading text in lowercase with dashes"),
                None => "link to an existing heading: its id is the heading text in lowercase with dashes".to_string(),
            };
            diagnostics.push(
                Diagnostic::error(
                    "links",
                    format!("`{}` has no anchor `#{fragment}`", html_page.display()),
                )
                .at_span(&chapter.path, &chapter.text, link.span.clone())
                .hint(hint),
            );
        }
    }
    diagnostics
}

//! mdBook's file directives: `{{#include}}`, `{{#rustdoc_include}}` and `{{#playground}}` (and
//! its old name `{{#playpen}}`), wherever they are and whatever they pull in.
//!
//! mdBook accepts any spacing inside the braces, a `:lines` or `:anchor` suffix after an include
//! path, and properties after a playground path, and it expands directives inside included files
//! too (ten levels deep, relative to the included file). The guide loader follows the same rules,
//! so every file a reader could see is checked, and a path that leaves the repository is caught
//! however it is spelt.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use crate::model::book::{normalize, SourceFile};

/// How deep mdBook expands directives inside included files.
pub const MAX_DEPTH: usize = 10;

/// One file directive in a markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The file that contains it (a chapter, or a file included by one).
    pub from: PathBuf,
    /// The directive's bytes in that file.
    pub span: Range<usize>,
    /// `include`, `rustdoc_include`, `playground` or `playpen`.
    pub directive: String,
    /// The path as written, without a `:lines`/`:anchor` suffix or playground properties.
    pub written: String,
    /// The file it names, relative to the guide root; `None` when the path leaves the root.
    pub target: Option<PathBuf>,
}

/// `{{ #name argument }}`, or an escaped `\{{#…}}` that mdBook prints as text.
fn directive_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"\\\{\{#.*\}\}|\{\{\s*#([A-Za-z0-9_]+)\s+([^}]+)\}\}")
            .expect("the directive pattern is valid")
    })
}

/// The byte range of every directive mdBook would expand in `text` (any name, `title` too),
/// escaped ones left out.
pub fn directive_spans(text: &str) -> Vec<Range<usize>> {
    directive_pattern()
        .captures_iter(text)
        .filter(|found| found.get(1).is_some())
        .filter_map(|found| found.get(0).map(|whole| whole.range()))
        .collect()
}

/// Every file directive of `file`, except escaped ones.
pub fn find_includes(file: &SourceFile) -> Vec<Include> {
    let dir = file.path.parent().unwrap_or(Path::new(""));
    let mut includes = Vec::new();
    for found in directive_pattern().captures_iter(&file.text) {
        let (Some(whole), Some(name), Some(argument)) = (found.get(0), found.get(1), found.get(2))
        else {
            continue; // escaped
        };
        let directive = name.as_str();
        let first = argument.as_str().split_whitespace().next().unwrap_or("");
        let written = match directive {
            "include" | "rustdoc_include" => first.split(':').next().unwrap_or(""),
            "playground" | "playpen" => first,
            _ => continue, // `title` and unknown names read no file
        };
        includes.push(Include {
            from: file.path.clone(),
            span: whole.range(),
            directive: directive.to_string(),
            written: written.to_string(),
            target: resolve(dir, written),
        });
    }
    includes
}

/// `written` relative to `dir`, or `None` if it is absolute or climbs above the guide root.
fn resolve(dir: &Path, written: &str) -> Option<PathBuf> {
    let path = Path::new(written);
    if path.is_absolute() || written.is_empty() {
        return None;
    }
    let joined = dir.join(path);
    let mut level = 0usize;
    for component in joined.components() {
        match component {
            Component::ParentDir => level = level.checked_sub(1)?,
            Component::Normal(_) => level += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(normalize(&joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn includes(path: &str, text: &str) -> Vec<(String, Option<PathBuf>)> {
        let file = SourceFile {
            path: PathBuf::from(path),
            text: text.to_string(),
        };
        find_includes(&file)
            .into_iter()
            .map(|include| (include.written, include.target))
            .collect()
    }

    fn target(path: &str) -> Option<PathBuf> {
        Some(PathBuf::from(path))
    }

    #[test]
    fn include_resolves_relative_to_the_file() {
        assert_eq!(
            includes(
                "book/current/add-account.md",
                "a\n{{#include ../../snippets/current/steps.md}}\n"
            ),
            [(
                "../../snippets/current/steps.md".to_string(),
                target("snippets/current/steps.md")
            )]
        );
    }

    #[test]
    fn every_spelling_mdbook_accepts_is_found() {
        let text = "{{ #include a.md }}\n{{#include\tb.md:3:10}}\n{{#include c.md:anchor}}\n\
                    {{#rustdoc_include d.rs:2}}\n{{#playground e.rs editable}}\n{{#playpen f.rs}}\n\
                    {{#include\n  g.md}}\n{{#title Not a file}}\n";
        let found: Vec<String> = includes("book/x.md", text)
            .into_iter()
            .map(|(written, _)| written)
            .collect();
        assert_eq!(
            found,
            ["a.md", "b.md", "c.md", "d.rs", "e.rs", "f.rs", "g.md"]
        );
    }

    #[test]
    fn escaped_directives_are_not_includes() {
        assert!(includes("book/a.md", "write \\{{#include x.md}} like this").is_empty());
        // mdBook escapes only `\{{#`; with a space the directive is still expanded.
        assert_eq!(
            includes("book/a.md", "write \\{{ #playground x.rs }} too").len(),
            1
        );
    }

    #[test]
    fn a_path_above_the_root_has_no_target() {
        assert_eq!(
            includes("book/a.md", "{{#include ../../etc/passwd}}"),
            [("../../etc/passwd".to_string(), None)]
        );
        assert_eq!(
            includes("book/a.md", "{{#playground /etc/passwd}}"),
            [("/etc/passwd".to_string(), None)]
        );
        assert_eq!(
            includes("book/a.md", "{{ #rustdoc_include ../../../x:1}}"),
            [("../../../x".to_string(), None)]
        );
    }
}

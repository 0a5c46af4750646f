//! mdBook `{{#include FILE}}` directives: where they are and which file they pull in.

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use crate::model::book::{normalize, SourceFile};

/// One `{{#include …}}` in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The chapter that contains it.
    pub from: PathBuf,
    /// The directive's bytes in that chapter.
    pub span: Range<usize>,
    /// The path as written, without a `:lines` or `:anchor` suffix.
    pub written: String,
    /// The file it names, relative to the guide root; `None` when the path leaves the root.
    pub target: Option<PathBuf>,
}

const OPEN: &str = "{{#include";

/// Every include directive of `chapter`, except escaped ones (`\{{#include …}}`).
pub fn find_includes(chapter: &SourceFile) -> Vec<Include> {
    let text = &chapter.text;
    let mut includes = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find(OPEN) {
        let start = from + found;
        from = start + OPEN.len();
        if text[..start].ends_with('\\') {
            continue;
        }
        let Some(close) = text[from..].find("}}") else {
            break;
        };
        let end = from + close + 2;
        let argument = text[from..from + close].trim();
        let written = argument.split(':').next().unwrap_or("").trim().to_string();
        let chapter_dir = chapter.path.parent().unwrap_or(Path::new(""));
        includes.push(Include {
            from: chapter.path.clone(),
            span: start..end,
            target: resolve(chapter_dir, &written),
            written,
        });
        from = end;
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
        let chapter = SourceFile {
            path: PathBuf::from(path),
            text: text.to_string(),
        };
        find_includes(&chapter)
            .into_iter()
            .map(|include| (include.written, include.target))
            .collect()
    }

    #[test]
    fn include_resolves_relative_to_the_chapter() {
        assert_eq!(
            includes(
                "book/current/add-account.md",
                "a\n{{#include ../../snippets/current/steps.md}}\n"
            ),
            [(
                "../../snippets/current/steps.md".to_string(),
                Some(PathBuf::from("snippets/current/steps.md"))
            )]
        );
    }

    #[test]
    fn line_ranges_and_anchors_are_not_part_of_the_path() {
        assert_eq!(
            includes("book/a.md", "{{#include ../CHANGELOG.md:3:10}}"),
            [(
                "../CHANGELOG.md".to_string(),
                Some(PathBuf::from("CHANGELOG.md"))
            )]
        );
    }

    #[test]
    fn escaped_directives_are_not_includes() {
        assert!(includes("book/a.md", "write \\{{#include x.md}} like this").is_empty());
    }

    #[test]
    fn a_path_above_the_root_has_no_target() {
        assert_eq!(
            includes("book/a.md", "{{#include ../../etc/passwd}}"),
            [("../../etc/passwd".to_string(), None)]
        );
        assert_eq!(
            includes("book/a.md", "{{#include /etc/passwd}}"),
            [("/etc/passwd".to_string(), None)]
        );
    }
}

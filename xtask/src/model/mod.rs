//! The guide loaded once: the YAML source of truth and the book's markdown. Checks read this.

pub mod book;
pub mod book_toml;
pub mod facts;
pub mod includes;
pub mod load;
pub mod problems;
pub mod schema;
pub mod settings;
pub mod yaml_spans;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use book::{BookTree, SourceFile};
use includes::Include;
use load::LoadedGuide;

/// The folder generated snippets live in, relative to the guide root.
pub const SNIPPETS_DIR: &str = "snippets";

/// A file generated from `guide.yaml`: its path relative to the guide root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub contents: String,
}

#[derive(Debug, Clone)]
pub struct GuideTree {
    pub root: PathBuf,
    pub yaml: LoadedGuide,
    pub book: BookTree,
    /// Every file directive (`{{#include}}` and the like) of every chapter and included file.
    pub includes: Vec<Include>,
    /// The files those directives name that exist inside the root, at any depth, each once.
    pub included: Vec<SourceFile>,
    /// The files under `snippets/`, as committed.
    pub snippets: Vec<SourceFile>,
}

impl GuideTree {
    /// Loads the whole tree; any problem here means the checks cannot run (exit code 2).
    pub fn load(root: &Path) -> Result<GuideTree, Vec<Diagnostic>> {
        let yaml = load::load_guide(root);
        let book = BookTree::load(root);
        match (yaml, book) {
            (Ok(yaml), Ok(book)) => {
                let mut problems = Vec::new();
                problems.extend(new_issue_problem(&yaml, &book));
                let (includes, included) = follow_includes(root, &book.chapters, &mut problems);
                let snippets =
                    book::read_tree(root, Path::new(SNIPPETS_DIR)).unwrap_or_else(|problem| {
                        problems.push(problem);
                        Vec::new()
                    });
                if !problems.is_empty() {
                    return Err(problems);
                }
                Ok(GuideTree {
                    root: root.to_path_buf(),
                    yaml,
                    book,
                    includes,
                    included,
                    snippets,
                })
            }
            (yaml, book) => {
                let mut problems = Vec::new();
                if let Err(problem) = yaml {
                    problems.push(problem);
                }
                if let Err(more) = book {
                    problems.extend(more);
                }
                Err(problems)
            }
        }
    }
}

/// The Tell us link is built from book.toml's repository address; a `new_issue` address that
/// guide.yaml declares (for the URL check) must be that very address, so a look-alike host
/// declared there cannot pass for the real one.
fn new_issue_problem(yaml: &LoadedGuide, book: &BookTree) -> Option<Diagnostic> {
    let declared = yaml
        .guide
        .urls
        .iter()
        .find(|u| u.id == crate::site::NEW_ISSUE_URL_ID)?;
    let expected = book
        .repository_url
        .as_deref()
        .and_then(|repository| crate::site::new_issue_address(repository).ok());
    if expected.as_deref() == Some(declared.url.as_str()) {
        return None;
    }
    let path = [
        yaml_spans::Step::Key("urls"),
        yaml_spans::Step::ItemWith("id", crate::site::NEW_ISSUE_URL_ID),
        yaml_spans::Step::Key("url"),
    ];
    let span = yaml_spans::scalar_span(&yaml.text, &path).unwrap_or(0..1);
    let diagnostic = Diagnostic::error(
        "yaml",
        format!(
            "urls `{}` is not the new-issue form of book.toml's git-repository-url",
            crate::site::NEW_ISSUE_URL_ID
        ),
    )
    .at_span(load::GUIDE_FILE, &yaml.text, span);
    Some(match expected {
        Some(expected) => diagnostic
            .expected_found(expected.clone(), crate::escape::terminal(&declared.url))
            .hint(format!("the Tell us link opens {expected}; declare that address, or change git-repository-url in book.toml")),
        None => diagnostic.hint("set [output.html] git-repository-url in book.toml, or remove this entry: the Tell us link is built from the repository address"),
    })
}

/// Every directive of the chapters and, as mdBook expands them, of the files they pull in (up
/// to `includes::MAX_DEPTH` levels). A target is read only when it really lies inside the root
/// (symbolic links followed), so nothing outside the repository is ever loaded.
fn follow_includes(
    root: &Path,
    chapters: &[SourceFile],
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Include>, Vec<SourceFile>) {
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut includes = Vec::new();
    let mut included: Vec<SourceFile> = Vec::new();
    let mut level: Vec<Include> = chapters.iter().flat_map(includes::find_includes).collect();
    for _ in 0..includes::MAX_DEPTH {
        let mut next = Vec::new();
        for include in &level {
            let Some(target) = &include.target else {
                continue;
            };
            let seen = chapters
                .iter()
                .chain(included.iter())
                .any(|f| &f.path == target);
            let really_inside = root
                .join(target)
                .canonicalize()
                .is_ok_and(|real| real.starts_with(&real_root));
            if seen || !really_inside || !root.join(target).is_file() {
                continue;
            }
            match book::read_source(root, target) {
                Ok(file) => {
                    next.extend(includes::find_includes(&file));
                    included.push(file);
                }
                Err(problem) => problems.push(problem),
            }
        }
        includes.append(&mut level);
        if next.is_empty() {
            break;
        }
        level = next;
    }
    (includes, included)
}

//! The guide loaded once: the YAML source of truth and the book's markdown. Checks read this.

pub mod book;
pub mod includes;
pub mod load;
pub mod schema;
pub mod settings;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use book::{BookTree, SourceFile};
use includes::Include;
use load::LoadedGuide;

#[derive(Debug, Clone)]
pub struct GuideTree {
    pub root: PathBuf,
    pub yaml: LoadedGuide,
    pub book: BookTree,
    /// Every `{{#include}}` of every chapter.
    pub includes: Vec<Include>,
    /// The files those includes name that exist inside the root, each once.
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
                let includes: Vec<Include> = book
                    .chapters
                    .iter()
                    .flat_map(includes::find_includes)
                    .collect();
                let mut problems = Vec::new();
                let mut included: Vec<SourceFile> = Vec::new();
                for target in includes.iter().filter_map(|i| i.target.as_ref()) {
                    if included.iter().any(|file| &file.path == target)
                        || !root.join(target).is_file()
                    {
                        continue;
                    }
                    match book::read_source(root, target) {
                        Ok(file) => included.push(file),
                        Err(problem) => problems.push(problem),
                    }
                }
                let snippets = book::read_tree(root, Path::new(crate::snippets::SNIPPETS_DIR))
                    .unwrap_or_else(|problem| {
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

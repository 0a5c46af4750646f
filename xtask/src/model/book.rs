//! The markdown side of a guide tree: `book.toml`, `SUMMARY.md` and every chapter file.

use std::path::{Path, PathBuf};

use mdbook_driver::config::Config;

use crate::diagnostic::Diagnostic;

/// A text file of the guide tree, with its path relative to the root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct BookTree {
    /// The markdown folder (`[book] src`), relative to the root.
    pub src_dir: PathBuf,
    pub summary: SourceFile,
    /// Every `.md` file under the markdown folder except `SUMMARY.md`, sorted by path.
    pub chapters: Vec<SourceFile>,
    /// The markdown extensions `[output.html]` turns on, so checks parse as mdBook renders.
    pub flavour: crate::markdown::Flavour,
    /// `[output.html] git-repository-url`: the one source of the Tell us link's address.
    pub repository_url: Option<String>,
}

pub const SUMMARY_FILE: &str = "SUMMARY.md";

impl BookTree {
    pub fn load(root: &Path) -> Result<BookTree, Vec<Diagnostic>> {
        let config = load_config(root)?;
        let src_dir = config.book.src.clone();
        let summary_path = src_dir.join(SUMMARY_FILE);
        let summary = read_source(root, &summary_path).map_err(|d| vec![d])?;
        let mut chapter_paths = Vec::new();
        collect_markdown(root, &src_dir, &mut chapter_paths).map_err(|d| vec![d])?;
        chapter_paths.retain(|path| path != &summary_path);
        chapter_paths.sort();
        let mut chapters = Vec::new();
        let mut problems = Vec::new();
        for path in chapter_paths {
            match read_source(root, &path) {
                Ok(file) => chapters.push(file),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.is_empty() {
            Ok(BookTree {
                src_dir,
                summary,
                chapters,
                flavour: crate::markdown::Flavour::from_config(&config),
                repository_url: config
                    .html_config()
                    .and_then(|html| html.git_repository_url),
            })
        } else {
            Err(problems)
        }
    }

    /// The chapter at `path` (chapters are sorted by path, so this is a binary search).
    pub fn chapter(&self, path: &Path) -> Option<&SourceFile> {
        self.chapters
            .binary_search_by(|chapter| chapter.path.as_path().cmp(path))
            .ok()
            .map(|index| &self.chapters[index])
    }
}

/// Reads `book.toml` and refuses settings that would destroy or leak files (`book_toml`).
pub fn load_config(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join("book.toml");
    if !path.is_file() {
        return Err(vec![Diagnostic::error(
            "book",
            format!("there is no book.toml in {}", root.display()),
        )
        .hint("run from the repository root, or pass --root DIR")]);
    }
    let config = Config::from_disk(&path).map_err(|error| {
        vec![Diagnostic::error("book", format!("book.toml: {error:#}"))
            .in_file("book.toml")
            .hint("mdBook 0.5 rejects unknown keys; compare with the repository's book.toml")]
    })?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let problems = crate::model::book_toml::check(root, &config, &text);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(config)
}

/// Reads a file of the tree as UTF-8, naming the first bad byte's line and column if it is not.
pub fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(root.join(path)).map_err(|error| {
        Diagnostic::error("book", format!("cannot read {}: {error}", path.display())).in_file(path)
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            path: path.to_path_buf(),
            text,
        }),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            Err(Diagnostic::error("book", "the file is not valid UTF-8")
                .at_span(path, &lossy, valid..valid + 1)
                .hint("save the file as UTF-8 (mdBook reads nothing else)"))
        }
    }
}

/// Every generated file under `dir` (markdown and the SVG pictures, relative to `root`), sorted;
/// an absent folder has none.
pub fn read_tree(root: &Path, dir: &Path) -> Result<Vec<SourceFile>, Diagnostic> {
    if !root.join(dir).is_dir() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    collect_files(root, dir, &["md", "svg"], &mut paths)?;
    paths.sort();
    paths.iter().map(|path| read_source(root, path)).collect()
}

fn collect_markdown(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    collect_files(root, dir, &["md"], out)
}

/// Every file under `dir` whose extension is one of `extensions`.
fn collect_files(
    root: &Path,
    dir: &Path,
    extensions: &[&str],
    out: &mut Vec<PathBuf>,
) -> Result<(), Diagnostic> {
    let entries = std::fs::read_dir(root.join(dir)).map_err(|error| {
        Diagnostic::error("book", format!("cannot list {}: {error}", dir.display()))
            .hint("check [book] src in book.toml")
    })?;
    for entry in entries {
        let entry = entry.map_err(|error| Diagnostic::error("book", error.to_string()))?;
        let relative = dir.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|error| Diagnostic::error("book", error.to_string()))?;
        if kind.is_dir() {
            collect_files(root, &relative, extensions, out)?;
        } else if relative
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| extensions.contains(&ext))
        {
            out.push(relative);
        }
    }
    Ok(())
}

pub use crate::model::paths::normalize;

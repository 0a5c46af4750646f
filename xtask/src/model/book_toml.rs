//! What `book.toml` may say. mdBook trusts its configuration completely: it empties the build
//! folder before writing, runs any command named in a `[preprocessor]` or `[output]` table, copies
//! any file named in `additional-css`, `additional-js` or `theme` into the published site, and
//! writes redirect pages wherever their names point. A contributor's typo must not delete the
//! repository or publish a file of the machine that builds the site, so every path is resolved
//! (`.`/`..`, symbolic links, the longest part that exists) and compared, never its spelling.

use std::path::{Component, Path, PathBuf};

use mdbook_driver::config::Config;

use crate::diagnostic::Diagnostic;

const CHECK: &str = "book";
const FILE: &str = "book.toml";

/// The only build folder a build may empty: disposable, inside the repository, away from sources.
pub const BUILD_DIR: &str = "target/book";

/// Everything in `config` that could destroy or leak files; empty when the configuration is safe.
pub fn check(root: &Path, config: &Config, text: &str) -> Vec<Diagnostic> {
    let root = match root.canonicalize() {
        Ok(root) => root,
        Err(error) => {
            return vec![Diagnostic::error(
                CHECK,
                format!("cannot open {}: {error}", root.display()),
            )]
        }
    };
    let mut problems = Vec::new();
    let mut refuse = |needle: &str, message: String, hint: &str| {
        problems.push(located(text, needle, message).hint(hint.to_string()));
    };
    let src = resolve(&root, &config.book.src);
    let build = resolve(&root, &config.build.build_dir);
    if let Some(problem) = build_dir_problem(&root, &src, &build) {
        refuse(
            "build-dir",
            format!(
                "[build] build-dir `{}` {problem}; mdBook empties that folder before every build",
                config.build.build_dir.display()
            ),
            "set [build] build-dir = \"target/book\"",
        );
    }
    if !inside(&root, &src) || src == root {
        refuse(
            "src",
            format!(
                "[book] src `{}` is not a folder inside the repository",
                config.book.src.display()
            ),
            "set [book] src = \"book\"",
        );
    }
    if let Ok(outputs) = config.outputs::<serde::de::IgnoredAny>() {
        for name in outputs.keys().filter(|name| name.as_str() != "html") {
            refuse(
                &format!("output.{name}"),
                format!("[output.{name}] would run a renderer other than mdBook's HTML (a command of its own)"),
                "remove the table: the guide is published as HTML only, and builds run no outside commands",
            );
        }
    }
    if let Ok(preprocessors) = config.preprocessors::<serde::de::IgnoredAny>() {
        for name in preprocessors.keys() {
            refuse(
                &format!("preprocessor.{name}"),
                format!("[preprocessor.{name}] would run a command during every build"),
                "remove the table: the guide's own preprocessor runs in-process, and builds run no outside commands",
            );
        }
    }
    if let Some(html) = config.html_config() {
        let copied = html
            .theme
            .iter()
            .map(|path| ("theme", path))
            .chain(html.additional_css.iter().map(|p| ("additional-css", p)))
            .chain(html.additional_js.iter().map(|p| ("additional-js", p)));
        for (key, path) in copied {
            let resolved = resolve(&root, path);
            if !inside(&root, &resolved) || inside(&build, &resolved) {
                refuse(
                    &path.display().to_string(),
                    format!(
                        "[output.html] {key} `{}` resolves outside the repository's sources ({}); mdBook would publish it",
                        path.display(),
                        resolved.display()
                    ),
                    "name a file of the repository, e.g. theme/extra.css",
                );
            }
        }
        for page in html.redirect.keys() {
            if !is_plain_relative(page.trim_start_matches('/')) {
                refuse(
                    page,
                    format!("[output.html.redirect] `{page}` would write a page outside the site"),
                    "name the old page by its path inside the site, e.g. /old/page.html",
                );
            }
        }
    }
    let theme = config
        .html_config()
        .and_then(|html| html.theme)
        .unwrap_or_else(|| PathBuf::from("theme"));
    problems.extend(theme_links_out(&root, &build, &theme));
    problems
}

/// The files mdBook reads from the theme folder (its own or the default `theme/`) end up in
/// every page or in the site: none may be a symbolic link out of the repository's sources.
fn theme_links_out(root: &Path, build: &Path, theme: &Path) -> Vec<Diagnostic> {
    theme_files(&root.join(theme))
        .into_iter()
        .filter_map(|file| {
            let resolved = resolve(root, &file);
            if inside(root, &resolved) && !inside(build, &resolved) {
                return None;
            }
            let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
            Some(
                Diagnostic::error(
                    CHECK,
                    format!(
                        "the theme file {shown} resolves outside the repository's sources ({}); mdBook would publish it",
                        resolved.display()
                    ),
                )
                .in_file(shown)
                .hint("replace the symbolic link with the file itself"),
            )
        })
        .collect()
}

/// The files mdBook reads from a theme folder: its templates, scripts and style sheets by
/// name, and everything in `fonts/`. Missing files are left out (mdBook uses its own).
fn theme_files(theme: &Path) -> Vec<PathBuf> {
    const NAMED: [&str; 16] = [
        "index.hbs",
        "head.hbs",
        "redirect.hbs",
        "header.hbs",
        "toc.js.hbs",
        "toc.html.hbs",
        "book.js",
        "css/chrome.css",
        "css/general.css",
        "css/print.css",
        "css/variables.css",
        "highlight.js",
        "clipboard.min.js",
        "highlight.css",
        "tomorrow-night.css",
        "ayu-highlight.css",
    ];
    let mut files: Vec<PathBuf> = NAMED
        .iter()
        .map(|name| theme.join(name))
        .chain(
            ["favicon.png", "favicon.svg"]
                .iter()
                .map(|name| theme.join(name)),
        )
        .filter(|path| path.symlink_metadata().is_ok())
        .collect();
    if let Ok(fonts) = std::fs::read_dir(theme.join("fonts")) {
        files.extend(fonts.flatten().map(|entry| entry.path()));
    }
    files.sort();
    files
}

/// Why `build` may not be emptied, if it may not.
fn build_dir_problem(root: &Path, src: &Path, build: &Path) -> Option<&'static str> {
    if inside(build, root) {
        Some("is the repository or a folder above it")
    } else if inside(src, build) {
        Some("is the markdown folder or inside it")
    } else if inside(build, src) {
        Some("holds the markdown folder")
    } else if !inside(root, build) {
        Some("is outside the repository")
    } else if !inside(&resolve(root, Path::new(BUILD_DIR)), build) {
        Some("is not target/book or a folder inside it (everything else of the repository is source)")
    } else {
        None
    }
}

/// `path` (relative to `root`, or absolute) as the file system will reach it: the longest part
/// that exists with its symbolic links followed, then the rest with `.` and `..` applied.
pub fn resolve(root: &Path, path: &Path) -> PathBuf {
    let joined = crate::model::book::normalize(&root.join(path));
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut resolved = real;
            for part in rest.iter().rev() {
                resolved.push(part);
            }
            return crate::model::book::normalize(&resolved);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return joined,
        }
    }
}

/// True when `path` is `dir` or below it.
pub fn inside(dir: &Path, path: &Path) -> bool {
    path.starts_with(dir)
}

fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A diagnostic at the first line of `text` that mentions `needle`, or at the top of the file.
fn located(text: &str, needle: &str, message: String) -> Diagnostic {
    let diagnostic = Diagnostic::error(CHECK, message);
    match text.find(needle) {
        Some(offset) => diagnostic.at_span(FILE, text, offset..offset + needle.len()),
        None => diagnostic.in_file(FILE),
    }
}

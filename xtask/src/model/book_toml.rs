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
        for (page, target) in &html.redirect {
            let shown = crate::escape::terminal(page);
            let (path, fragment) = page.split_once('#').unwrap_or((page, ""));
            if crate::escape::holds_markup_characters(page) {
                refuse(
                    page,
                    format!("[output.html.redirect] `{shown}` holds whitespace, a quote, a backslash or an angle bracket; it lands in the page's script"),
                    "name the old page by its plain path, e.g. /old/page.html or /page.html#old-section",
                );
            } else if !is_plain_relative(path.trim_start_matches('/')) || fragment.contains('#') {
                refuse(
                    page,
                    format!("[output.html.redirect] `{shown}` would write a page outside the site"),
                    "name the old page by its path inside the site, e.g. /old/page.html",
                );
            }
            if let Some(why) = redirect_target_problem(target) {
                refuse(
                    target,
                    format!(
                        "[output.html.redirect] the target `{}` of `{shown}` {why}",
                        crate::escape::terminal(target)
                    ),
                    "send readers to a page of the site (a relative path such as ../current/index.html) or to an http(s) address",
                );
            }
        }
        let addresses = [
            ("git-repository-url", html.git_repository_url.as_deref()),
            ("edit-url-template", html.edit_url_template.as_deref()),
        ];
        for (key, address) in addresses {
            let Some(address) = address else { continue };
            // `{path}` is mdBook's placeholder, filled with a chapter's path.
            if let Some(why) =
                crate::model::load::web_address_problem(&address.replace("{path}", "path"))
            {
                refuse(
                    key,
                    format!(
                        "[output.html] {key} `{}` {why}; it is a link on every page",
                        crate::escape::terminal(address)
                    ),
                    "write the repository's https:// address",
                );
            }
        }
        if let Some(repository) = html.git_repository_url.as_deref() {
            if let Err(why) = crate::site::new_issue_address(repository) {
                refuse(
                    "git-repository-url",
                    format!(
                        "[output.html] git-repository-url `{}` {why}; every page's Tell us link opens a new issue there",
                        crate::escape::terminal(repository)
                    ),
                    "write the repository's own address, e.g. https://github.com/OWNER/NAME, with no query or fragment",
                );
            }
        }
        if let Some(site_url) = html.site_url.as_deref() {
            if crate::escape::holds_markup_characters(site_url)
                || !site_url.starts_with('/')
                || site_url.starts_with("//")
            {
                refuse(
                    "site-url",
                    format!(
                        "[output.html] site-url `{}` is not a plain path such as /calsync-guide/",
                        crate::escape::terminal(site_url)
                    ),
                    "write the path the site is published under, starting and ending with /",
                );
            }
        }
    }
    let theme = config
        .html_config()
        .and_then(|html| html.theme)
        .unwrap_or_else(|| PathBuf::from("theme"));
    problems.extend(theme_links_out(&root, &build, &theme));
    let mut watched = vec![
        PathBuf::from("guide.yaml"),
        PathBuf::from("book.toml"),
        config.book.src.clone(),
        PathBuf::from(crate::model::SNIPPETS_DIR),
        theme,
        config.build.build_dir.clone(),
    ];
    watched.dedup();
    problems.extend(links_out(&root, &watched));
    problems
}

/// Most entries a folder walk looks at: a tree far larger than a guide is not walked to the end.
const MAX_WALKED: usize = 100_000;

/// Every symbolic link under `folders` (relative to `root`, itself canonical) that resolves
/// outside the repository, into its `.git` folder, or nowhere. mdBook follows links when it
/// copies the book and reads chapters; the preview follows them when it serves; a pull request
/// can add a link to `/proc/self/environ` as easily as a chapter. Links are not descended into.
pub fn links_out(root: &Path, folders: &[PathBuf]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut pending: Vec<PathBuf> = folders.iter().map(|folder| root.join(folder)).collect();
    let mut walked = 0;
    while let Some(path) = pending.pop() {
        walked += 1;
        if walked > MAX_WALKED {
            break;
        }
        let Ok(metadata) = path.symlink_metadata() else {
            continue;
        };
        if metadata.file_type().is_symlink() {
            let shown = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let problem = match path.canonicalize() {
                Err(_) => Some("points at nothing".to_string()),
                Ok(real) if !inside(root, &real) => Some(format!(
                    "resolves outside the repository ({})",
                    real.display()
                )),
                Ok(real) if inside(&root.join(".git"), &real) => {
                    Some("resolves into the repository's .git folder".to_string())
                }
                Ok(_) => None,
            };
            if let Some(problem) = problem {
                problems.push(
                    Diagnostic::error(
                        CHECK,
                        format!(
                            "the symbolic link {} {problem}; mdBook would read and publish what it points at",
                            crate::escape::terminal(&shown)
                        ),
                    )
                    .in_file(shown)
                    .hint("replace the link with the file itself, or remove it"),
                );
            }
        } else if metadata.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                children.sort();
                children.reverse();
                pending.extend(children);
            }
        }
    }
    problems.sort_by(|a, b| a.message.cmp(&b.message));
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
    let joined = crate::model::paths::normalize(&root.join(path));
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut resolved = real;
            for part in rest.iter().rev() {
                resolved.push(part);
            }
            return crate::model::paths::normalize(&resolved);
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

/// Why a redirect may not send readers to `target`, if it may not: it must be a path inside
/// the site (no scheme, no `//host`) or a valid http(s) address. `javascript:`, `data:` and
/// the like would run in the reader's browser.
fn redirect_target_problem(target: &str) -> Option<&'static str> {
    if crate::escape::holds_markup_characters(target) {
        return Some("holds whitespace, a quote, a backslash or an angle bracket");
    }
    if crate::markdown::browser_scheme(target).is_some() {
        return crate::model::load::web_address_problem(target);
    }
    if target.starts_with("//") {
        return Some("names another host without a scheme");
    }
    if target.is_empty() {
        return Some("is empty");
    }
    None
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

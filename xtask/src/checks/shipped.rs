//! What ships: every page of the built site, read as a browser reads it. The other checks look
//! at each source file on its own; readers get the page mdBook assembles from chapters, included
//! files, generated snippets and the theme, where text from one file can end the code or
//! attribute of another. So after the build, every page is read with html5ever and nothing that
//! runs is let through unless the theme put it there (`Allowed`), and every id on a page is
//! unique. This is the net under the input-side checks, not a replacement for them.
//!
//! A finding is reported at the source that produced it when it can be found (the chapter or
//! a file it includes, or `guide.yaml` for a generated id), else at the built page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::html::Element;
use crate::model::load::GUIDE_FILE;
use crate::model::yaml_spans::{Spans, Step};
use crate::model::GuideTree;

const CHECK: &str = "shipped";

/// One page of the built site.
#[derive(Debug, Clone)]
pub struct BuiltPage {
    /// Relative to the build folder, e.g. `current/index.html`.
    pub path: PathBuf,
    pub text: String,
}

/// What the theme may put on a page and a chapter may not, in one place.
pub struct Allowed {
    /// Inline scripts of the theme's templates (`theme/*.hbs`), as patterns: each template
    /// value (`{{ path_to_root }}`, `{{ resource "x" }}`) may be any text that cannot end a
    /// string or the script, and each `{{#if}}` block may be there or not.
    inline_scripts: Vec<Regex>,
    /// `<base href>` of the 404 page (the only page with one): book.toml's `site-url`.
    base_href: Option<String>,
    /// Pages that are redirects (the root page, book.toml's moved pages): they alone may refresh.
    refresh_pages: Vec<PathBuf>,
    /// False for a tree without its own `theme/` (the test fixtures, on mdBook's default
    /// theme): only what lies inside `<main>`, the chapter's content, is held to the rules.
    own_theme: bool,
}

/// The theme's script files, by name before mdBook's content hash (`toc-1a2b3c4d.js`): the
/// contents and the page script. `book.js` loads the search scripts by the addresses the
/// theme's inline script lists.
pub const THEME_SCRIPT_FILES: &[&str] = &["toc", "book"];
/// The theme's only form: the search box (no `action`, so it never sends anything).
pub const THEME_FORM_IDS: &[&str] = &["mdbook-searchbar-outer"];
/// The theme's one `<noscript>` comes straight after the element with this id.
pub const THEME_NOSCRIPT_AFTER: &str = "toc-list";
/// The theme's templates whose inline scripts are allowed.
pub const THEME_TEMPLATES: &[&str] = &["index.hbs", "redirect.hbs", "toc.html.hbs"];

/// Elements that load or run another document, or send the page somewhere: never in a chapter.
const EMBEDDING: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "form", "base",
];

/// Attributes that hold an address a browser follows or loads.
const ADDRESS_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "srcset",
    "imagesrcset",
    "poster",
    "cite",
    "data",
    "background",
    "ping",
    "longdesc",
    "codebase",
    "manifest",
    "icon",
    "lowsrc",
    "dynsrc",
    "to",
    "from",
    "values",
    "by",
];

impl Allowed {
    /// The allow-list for the tree at `root`, built from its theme and book.toml.
    pub fn for_tree(tree: &GuideTree) -> Allowed {
        let theme_dir = tree.root.join("theme");
        let mut inline_scripts = Vec::new();
        for template in THEME_TEMPLATES {
            let Ok(text) = std::fs::read_to_string(theme_dir.join(template)) else {
                continue;
            };
            for body in inline_script_bodies(&text) {
                if let Ok(pattern) = Regex::new(&template_pattern(body)) {
                    inline_scripts.push(pattern);
                }
            }
        }
        let config = crate::model::book::load_config(&tree.root).ok();
        let html = config.as_ref().and_then(|c| c.html_config());
        // mdBook writes the 404 page's base as `site-url`, or `/` when book.toml names none.
        let base_href = Some(
            html.as_ref()
                .and_then(|h| h.site_url.clone())
                .unwrap_or_else(|| "/".to_string()),
        );
        let mut refresh_pages = vec![PathBuf::from("index.html")];
        if let Some(html) = html {
            for page in html.redirect.keys() {
                if !page.contains('#') {
                    refresh_pages.push(PathBuf::from(page.trim_start_matches('/')));
                }
            }
        }
        Allowed {
            inline_scripts,
            base_href,
            refresh_pages,
            own_theme: theme_dir.join("index.hbs").is_file(),
        }
    }
}

/// The text between `<script>` and `</script>` of each inline script of a template.
fn inline_script_bodies(template: &str) -> Vec<&str> {
    let mut bodies = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("<script>") {
        let after = &rest[start + "<script>".len()..];
        let Some(end) = after.find("</script>") else {
            break;
        };
        bodies.push(&after[..end]);
        rest = &after[end..];
    }
    bodies
}

/// A regular expression for what a template's script renders to (see [`Allowed`]).
fn template_pattern(body: &str) -> String {
    let mut pattern = String::from(r"\A\s*");
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        let tag = rest[start + 2..start + length].trim();
        let mut after = &rest[start + length + 2..];
        let block = tag.starts_with('#') || tag.starts_with('/') || tag == "else";
        let mut literal = &rest[..start];
        // Handlebars drops a block tag's line when the tag stands alone on it.
        let line_start = literal.rfind('\n').map_or(0, |at| at + 1);
        let alone_before = literal[line_start..].trim().is_empty();
        let alone_after = after.trim_start_matches([' ', '\t']).starts_with('\n');
        if block && alone_before && alone_after {
            literal = &literal[..line_start];
            after = &after.trim_start_matches([' ', '\t'])[1..];
        }
        pattern.push_str(&regex::escape(literal));
        if tag.starts_with("#if") || tag.starts_with("#unless") {
            pattern.push_str("(?:");
        } else if tag == "else" {
            pattern.push('|');
        } else if tag.starts_with("/if") || tag.starts_with("/unless") {
            pattern.push_str("|)");
        } else if !tag.starts_with('!') {
            // A value: Handlebars escapes quotes and angle brackets, so it cannot end the
            // string it stands in, or the script.
            pattern.push_str(r#"[^"'`<>\\\n]*"#);
        }
        rest = after;
    }
    pattern.push_str(&regex::escape(rest.trim_end()));
    pattern.push_str(r"\s*\z");
    pattern
}

/// The check over the build folder `html_dir`, for `verify` and `build` alike.
pub fn outcome(tree: &GuideTree, html_dir: &Path) -> super::Outcome {
    match read_pages(html_dir) {
        Ok(pages) => {
            let allowed = Allowed::for_tree(tree);
            let shown_dir = html_dir.strip_prefix(&tree.root).unwrap_or(html_dir);
            super::Outcome::with(
                format!(
                    "{} built pages: no script, handler or embedded document but the theme's; every id once",
                    pages.len()
                ),
                check(tree, &allowed, shown_dir, &pages),
            )
        }
        Err(error) => super::Outcome::with(
            String::new(),
            vec![Diagnostic::error(
                CHECK,
                format!("cannot read the built pages: {error}"),
            )],
        ),
    }
}

/// Reads every HTML page under the build folder.
pub fn read_pages(html_dir: &Path) -> std::io::Result<Vec<BuiltPage>> {
    fn walk(dir: &Path, base: &Path, pages: &mut Vec<BuiltPage>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(std::fs::DirEntry::path);
        for entry in entries {
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&path, base, pages)?;
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "html") {
                pages.push(BuiltPage {
                    path: path.strip_prefix(base).unwrap_or(&path).to_path_buf(),
                    text: std::fs::read_to_string(&path)?,
                });
            }
        }
        Ok(())
    }
    let mut pages = Vec::new();
    walk(html_dir, html_dir, &mut pages)?;
    Ok(pages)
}

/// Everything on `pages` that runs, loads another document or repeats an id, unless the theme
/// put it there. `html_dir` is the build folder relative to the root, for findings no source
/// can be found for.
pub fn check(
    tree: &GuideTree,
    allowed: &Allowed,
    html_dir: &Path,
    pages: &[BuiltPage],
) -> Vec<Diagnostic> {
    let spans = Spans::parse(&tree.yaml.text);
    let locate = Locator {
        tree,
        spans: spans.as_ref(),
        html_dir,
    };
    let mut diagnostics = Vec::new();
    for page in pages {
        let elements = crate::html::page_elements(&page.text);
        for (index, element) in elements.iter().enumerate() {
            if !allowed.own_theme && !element.in_main {
                continue;
            }
            let after = index.checked_sub(1).map(|i| &elements[i]);
            if let Some((message, needle)) = refusal(allowed, page, element, after) {
                diagnostics.push(locate.finding(page, element.tag.line, &needle, message));
            }
        }
        diagnostics.extend(duplicate_ids(&locate, page, &elements));
    }
    diagnostics
}

/// Why `element` may not ship on `page`, and the text to look for in its source.
fn refusal(
    allowed: &Allowed,
    page: &BuiltPage,
    element: &Element,
    after: Option<&Element>,
) -> Option<(String, String)> {
    let tag = &element.tag;
    let name = tag.name.as_str();
    let attribute = |wanted: &str| {
        tag.attributes
            .iter()
            .find(|(n, _)| n == wanted)
            .map(|(_, v)| v.as_str())
    };
    // An SVG animation can set an attribute: an event handler, or an address.
    if matches!(
        name,
        "set" | "animate" | "animatetransform" | "animatemotion"
    ) {
        if let Some(target) = attribute("attributename") {
            let target = target.trim().to_ascii_lowercase();
            if target.starts_with("on") || target.ends_with("href") {
                return Some((
                    format!("`<{name} attributeName=\"{target}\">`: an animation that sets an event handler or an address"),
                    format!("<{name}"),
                ));
            }
        }
    }
    if element.in_content {
        if let Some(id) = attribute("id").filter(|id| crate::reserved_ids::is_theme_owned(id)) {
            return Some((
                format!("the id `{}` belongs to the theme or its scripts: an element of the chapter with it takes the theme's place (a script writes into it, or it stands in for a global)", crate::escape::terminal(id)),
                id.to_string(),
            ));
        }
    }
    for (attribute_name, value) in &tag.attributes {
        if attribute_name.starts_with("on") {
            return Some((
                format!("`<{name} {attribute_name}=…>`: an event handler runs script in the reader's browser"),
                attribute_name.clone(),
            ));
        }
        if let Some(scheme) = dangerous_address(attribute_name, value) {
            return Some((
                format!("`<{name} {attribute_name}=\"{scheme}…\">`: a {scheme} address runs or smuggles content"),
                scheme.to_string(),
            ));
        }
    }
    let theirs = match name {
        "script" => match attribute("src") {
            Some(src) => is_theme_script_file(src) && element.script.trim().is_empty(),
            None => allowed
                .inline_scripts
                .iter()
                .any(|pattern| pattern.is_match(&element.script)),
        },
        "form" => {
            attribute("id").is_some_and(|id| THEME_FORM_IDS.contains(&id))
                && attribute("action").is_none()
        }
        "base" => {
            page.path == Path::new("404.html") && attribute("href") == allowed.base_href.as_deref()
        }
        "meta" => match attribute("http-equiv") {
            None => true,
            Some(equiv) => {
                equiv.eq_ignore_ascii_case("refresh") && allowed.refresh_pages.contains(&page.path)
            }
        },
        // The contents for readers without scripts, straight after the list the script fills.
        // What a noscript holds is markup only to a browser without scripts, and text to this
        // reader, so no other is let through.
        "noscript" => after.is_some_and(|previous| {
            previous.tag.name == "div"
                && previous
                    .tag
                    .attributes
                    .iter()
                    .any(|(n, v)| n == "id" && v == THEME_NOSCRIPT_AFTER)
        }),
        _ if EMBEDDING.contains(&name) => false,
        _ => true,
    };
    if theirs {
        return None;
    }
    let what = match name {
        "script" => "a script the theme did not write".to_string(),
        "meta" => "`<meta http-equiv>` outside the theme's redirect pages".to_string(),
        _ => format!("`<{name}>` outside the theme"),
    };
    Some((
        format!("{what}: pages carry no script, embedded document or form but the theme's"),
        format!("<{name}"),
    ))
}

/// `toc-1a2b3c4d.js` or `../book.js`: a theme script in the site, by a relative path.
fn is_theme_script_file(src: &str) -> bool {
    let mut rest = src;
    while let Some(up) = rest.strip_prefix("../") {
        rest = up;
    }
    let Some(stem) = rest.strip_suffix(".js") else {
        return false;
    };
    let name = match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            name
        }
        _ => stem,
    };
    THEME_SCRIPT_FILES.contains(&name)
}

/// The scheme of an address attribute that runs script or smuggles a document, read as a
/// browser reads it (spaces, tabs and line breaks inside the scheme ignored).
fn dangerous_address(attribute: &str, value: &str) -> Option<&'static str> {
    let holds_address = ADDRESS_ATTRIBUTES.contains(&attribute)
        || attribute.ends_with("href")
        || attribute == "content";
    if !holds_address {
        return None;
    }
    // A refresh's content is `0; url=ADDRESS`; a srcset is a list of addresses.
    let candidates: Vec<&str> = match attribute {
        "content" => value
            .split(';')
            .map(|part| {
                let part = part.trim();
                part.get(..4)
                    .filter(|p| p.eq_ignore_ascii_case("url="))
                    .map_or(part, |_| &part[4..])
            })
            .collect(),
        "srcset" | "imagesrcset" | "values" => value.split([',', ';']).collect(),
        _ => vec![value],
    };
    candidates.into_iter().find_map(|candidate| {
        let compact: String = candidate
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        ["javascript:", "vbscript:", "data:"]
            .into_iter()
            .find(|scheme| compact.starts_with(scheme))
    })
}

/// Two elements of one page with the same id: a link or a script finds the first, and the
/// theme's scripts write into theirs.
fn duplicate_ids(locate: &Locator<'_>, page: &BuiltPage, elements: &[Element]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for element in elements {
        let Some(id) = element
            .tag
            .attributes
            .iter()
            .find(|(n, _)| n == "id")
            .map(|(_, v)| v.as_str())
        else {
            continue;
        };
        match seen.get(id) {
            None => {
                seen.insert(id, element.tag.line);
            }
            Some(first) => {
                let message = format!(
                    "the id `{}` is on two elements of {} (lines {first} and {})",
                    crate::escape::terminal(id),
                    page.path.display(),
                    element.tag.line
                );
                diagnostics.push(locate.duplicate_id(page, element.tag.line, id, message));
            }
        }
    }
    diagnostics
}

/// Finds the source of a finding.
struct Locator<'t> {
    tree: &'t GuideTree,
    spans: Option<&'t Spans>,
    html_dir: &'t Path,
}

impl Locator<'_> {
    /// The chapter a page was rendered from and every file it includes, chapter first.
    fn sources(&self, page: &BuiltPage) -> Vec<&crate::model::book::SourceFile> {
        let chapter_path = self.tree.book.src_dir.join(page.path.with_extension("md"));
        let Some(chapter) = self.tree.book.chapter(&chapter_path) else {
            return Vec::new();
        };
        let mut files = vec![chapter];
        let mut at = 0;
        while at < files.len() {
            let from = files[at].path.clone();
            for include in self.tree.includes.iter().filter(|i| i.from == from) {
                let Some(target) = &include.target else {
                    continue;
                };
                if let Some(file) = self.tree.included.iter().find(|f| &f.path == target) {
                    if !files.iter().any(|f| f.path == file.path) {
                        files.push(file);
                    }
                }
            }
            at += 1;
        }
        files
    }

    /// At `needle` in the page's sources (case ignored), else at the page's line.
    fn finding(&self, page: &BuiltPage, line: usize, needle: &str, message: String) -> Diagnostic {
        let diagnostic = Diagnostic::error(CHECK, message);
        let lowered = needle.to_ascii_lowercase();
        for file in self.sources(page) {
            if let Some(at) = file.text.to_ascii_lowercase().find(&lowered) {
                return diagnostic
                    .at_span(&file.path, &file.text, at..at + needle.len())
                    .hint(format!(
                        "the built page {} carries it; remove it from this file (or from the file whose text it includes), or escape it as text",
                        page.path.display()
                    ));
            }
        }
        self.at_page(diagnostic, page, line).hint(
            "no source file holds it as written: look for text that an include or a template turns into it",
        )
    }

    /// A generated id at its line of guide.yaml, a written `{#id}` at its place, else the page.
    fn duplicate_id(&self, page: &BuiltPage, line: usize, id: &str, message: String) -> Diagnostic {
        let diagnostic = Diagnostic::error(CHECK, message);
        for list in ["problems", "problem_kinds", "admin_checks"] {
            let path = [Step::Key(list), Step::ItemWith("id", id), Step::Key("id")];
            if let Some(span) = self.spans.and_then(|s| s.scalar(&path)) {
                return diagnostic
                    .at_span(GUIDE_FILE, &self.tree.yaml.text, span)
                    .hint("this id becomes an anchor on a page that already has an element with that id (a heading written by hand, or another generated one); rename the id, and keep the old address working with a redirect in book.toml");
            }
        }
        let written = format!("{{#{id}}}");
        for file in self.sources(page) {
            if let Some(at) = file.text.find(&written) {
                return diagnostic
                    .at_span(&file.path, &file.text, at..at + written.len())
                    .hint("give this heading another anchor: every id of a page must be unique");
            }
        }
        self.at_page(diagnostic, page, line)
            .hint("two headings with the same words get the same anchor: reword one, or give it an anchor of its own with {#another-id}")
    }

    fn at_page(&self, diagnostic: Diagnostic, page: &BuiltPage, line: usize) -> Diagnostic {
        let path = self.html_dir.join(&page.path);
        let offset = page
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        diagnostic.at_span(path, &page.text, offset..offset + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_script_matches_its_renderings_and_nothing_added() {
        let template = "\nconst path_to_root = \"{{ path_to_root }}\";\nwindow.x = {{#if search_js}}[\"{{ resource \"a.js\" }}\"]{{else}}[]{{/if}};\n";
        let pattern = Regex::new(&template_pattern(template)).unwrap();
        assert!(pattern
            .is_match("\nconst path_to_root = \"../\";\nwindow.x = [\"../a-12345678.js\"];\n"));
        assert!(pattern.is_match("\nconst path_to_root = \"\";\nwindow.x = [];\n"));
        assert!(!pattern.is_match("\nconst path_to_root = \"\";alert(1);\"\";\nwindow.x = [];\n"));
        assert!(!pattern.is_match("\nconst path_to_root = \"\";\nwindow.x = [];\nalert(1)\n"));
    }

    #[test]
    fn theme_script_files_are_known_by_name_and_hash() {
        assert!(is_theme_script_file("../toc-e802ae93.js"));
        assert!(is_theme_script_file("book.js"));
        assert!(!is_theme_script_file("https://evil.example/toc.js"));
        assert!(!is_theme_script_file("/toc.js"));
        assert!(!is_theme_script_file("../evil-e802ae93.js"));
    }

    #[test]
    fn addresses_are_read_as_a_browser_reads_them() {
        assert_eq!(
            dangerous_address("href", " jav\tascript:alert(1)"),
            Some("javascript:")
        );
        assert_eq!(dangerous_address("src", "DATA:text/html,x"), Some("data:"));
        assert_eq!(
            dangerous_address("xlink:href", "vbscript:x"),
            Some("vbscript:")
        );
        assert_eq!(
            dangerous_address("content", "0; URL=javascript:x"),
            Some("javascript:")
        );
        assert_eq!(
            dangerous_address("srcset", "a.png 1x, data:x 2x"),
            Some("data:")
        );
        assert_eq!(dangerous_address("href", "https://example.com/"), None);
        assert_eq!(dangerous_address("title", "javascript:"), None);
    }
}

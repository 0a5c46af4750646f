//! What every published page carries: the edition switcher, the legacy banner, the release and
//! the edition's "last verified" date. An in-process mdBook preprocessor adds them, so the
//! markdown stays clean and the facts come from `guide.yaml`.
//!
//! The switcher is plain links (no JavaScript): it works with a keyboard and without scripts.
//! A page links to the same page in another edition when that edition has it, else to the
//! edition's start page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mdbook_driver::book::{Book, BookItem};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};

use crate::model::schema::{EditionStatus, Guide};

pub struct EditionPreprocessor {
    guide: Guide,
    settings: crate::model::settings::Settings,
}

impl EditionPreprocessor {
    pub fn new(loaded: &crate::model::load::LoadedGuide) -> EditionPreprocessor {
        EditionPreprocessor {
            guide: loaded.guide.clone(),
            settings: loaded.settings.clone(),
        }
    }
}

impl Preprocessor for EditionPreprocessor {
    fn name(&self) -> &str {
        "calsync-editions"
    }

    fn run(&self, context: &PreprocessorContext, mut book: Book) -> anyhow::Result<Book> {
        // The Tell us link comes from the repository address, its one source of truth; book.toml
        // was checked before the build, so an address that is not a repository's is never used.
        let new_issue = context
            .config
            .html_config()
            .and_then(|html| html.git_repository_url)
            .and_then(|repository| new_issue_address(&repository).ok());
        let pages: BTreeSet<PathBuf> = book
            .iter()
            .filter_map(|item| match item {
                BookItem::Chapter(chapter) => chapter.path.clone(),
                _ => None,
            })
            .collect();
        let shown = shown_on(&book);
        let evidence = Path::new(crate::evidence::EVIDENCE_PAGE);
        let evidence_link = pages.contains(evidence);
        let mut refused = Vec::new();
        book.for_each_chapter_mut(|chapter| {
            if let Some(path) = &chapter.path {
                if path == evidence {
                    let generated = crate::evidence::evidence_markdown(
                        &self.guide,
                        &self.settings,
                        &shown,
                        path,
                    );
                    if crate::escape::holds_directive(&generated) {
                        refused.push(path.display().to_string());
                    }
                    chapter.content = chapter
                        .content
                        .replace(crate::evidence::EVIDENCE_MARKER, &generated);
                }
                let header = page_header(&self.guide, &pages, path);
                let to_evidence = evidence_link.then(|| {
                    format!(
                        "{}{}",
                        "../".repeat(path.components().count() - 1),
                        crate::evidence::EVIDENCE_PAGE
                    )
                });
                let sources =
                    sources_section(&self.guide, &chapter.content, to_evidence.as_deref());
                let footer = page_footer(&self.guide, new_issue.as_deref(), path);
                // Text this preprocessor adds never holds a directive (all of it is escaped;
                // this is the guard if an escape is ever missed).
                for added in [&header, &sources, &footer] {
                    if crate::escape::holds_directive(added) {
                        refused.push(path.display().to_string());
                    }
                }
                chapter.content = format!("{header}\n\n{}\n\n{sources}{footer}\n", chapter.content);
            }
        });
        if !refused.is_empty() {
            anyhow::bail!(
                "the text generated for {} holds `{{{{`, which mdBook would expand as a directive",
                refused.join(", ")
            );
        }
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> anyhow::Result<bool> {
        Ok(renderer == "html")
    }
}

/// For each fact key, the pages whose text (includes expanded) shows it, by a setting or a
/// fact marker; the evidence page links to them.
fn shown_on(book: &Book) -> std::collections::BTreeMap<String, Vec<crate::evidence::ShownOn>> {
    let mut shown: std::collections::BTreeMap<String, Vec<crate::evidence::ShownOn>> =
        Default::default();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else {
            continue;
        };
        let Some(path) = &chapter.path else {
            continue;
        };
        for key in shown_keys(&chapter.content) {
            shown
                .entry(key)
                .or_default()
                .push(crate::evidence::ShownOn {
                    page: path.clone(),
                    title: chapter.name.clone(),
                });
        }
    }
    shown
}

/// The fact keys a page's text (includes expanded) shows: by setting markers and fact markers.
fn shown_keys(content: &str) -> BTreeSet<String> {
    let found = crate::checks::extract::extract(content);
    found
        .labelled
        .into_iter()
        .map(|l| l.key)
        .chain(found.fact_markers.into_iter().map(|m| m.key))
        .collect()
}

/// The edition a page belongs to: its first folder names an edition's `dir`.
pub fn edition_of<'g>(guide: &'g Guide, page: &Path) -> Option<&'g crate::model::schema::Edition> {
    let first = page.components().next()?.as_os_str().to_str()?;
    if page.components().count() < 2 {
        return None;
    }
    guide.editions.iter().find(|edition| edition.dir == first)
}

/// The switcher, plus the legacy banner on legacy pages.
pub fn page_header(guide: &Guide, pages: &BTreeSet<PathBuf>, page: &Path) -> String {
    let here = edition_of(guide, page);
    let to_root = "../".repeat(page.components().count() - 1);
    let mut html = String::from(
        "<nav class=\"edition-switcher\" aria-label=\"Guide edition\">\n<span class=\"edition-label\">Edition:</span>\n<ul>\n",
    );
    for edition in &guide.editions {
        let same_page = here.and_then(|_| page.strip_prefix(page.components().next()?).ok());
        let same = same_page
            .map(|rest| Path::new(&edition.dir).join(rest))
            .filter(|candidate| pages.contains(candidate));
        let same_attribute = if same.is_some() {
            " data-same-page"
        } else {
            ""
        };
        let target = same.unwrap_or_else(|| Path::new(&edition.dir).join("index.md"));
        let href = escape(&format!(
            "{to_root}{}",
            target.with_extension("html").display()
        ));
        let current = here.is_some_and(|h| h.id == edition.id);
        let aria = if current {
            " aria-current=\"page\""
        } else {
            ""
        };
        let legacy = if edition.status == EditionStatus::Legacy {
            " class=\"legacy\""
        } else {
            ""
        };
        html.push_str(&format!(
            "<li><a href=\"{href}\"{aria}{legacy}{same_attribute} data-edition=\"{}\" data-edition-dir=\"{}\">{}</a></li>\n",
            escape(&edition.id),
            escape(&edition.dir),
            escape(&edition.title)
        ));
    }
    html.push_str("</ul>\n</nav>");
    if let Some(edition) = here.filter(|e| e.status == EditionStatus::Legacy) {
        let current = &guide.editions[0];
        html.push_str(&format!(
            "\n\n<div class=\"legacy-banner\" role=\"note\">\n<p><strong>Legacy edition: this no longer works with Exchange Online.</strong> \
             These are the {year} steps for {ios}, kept so you can recognise old instructions. \
             Microsoft started disabling Basic authentication on {began}, and since {gone} nobody can switch it back on: \
             the 2018 steps cannot connect the iPhone to {product} any more.</p>\n\
             <p><a href=\"{to_root}{dir}/index.html\">Use the current edition ({title}) instead</a>.</p>\n</div>",
            year = "2018",
            ios = escape(&edition.ios),
            began = escape(&guide.history.basic_auth_disabling_began),
            gone = escape(&guide.history.basic_auth_gone_for_good),
            product = escape(&guide.service.product),
            dir = escape(&current.dir),
            title = escape(&current.title),
        ));
    }
    html
}

/// The release, and what was last checked for this edition, and when.
pub fn page_footer(guide: &Guide, new_issue: Option<&str>, page: &Path) -> String {
    let checked = edition_of(guide, page)
        .map(|edition| {
            let device = edition
                .device_checked
                .as_ref()
                .map(|check| {
                    format!(
                        " · Steps last followed on an iPhone with {} on {}",
                        escape(&check.ios),
                        escape(&check.date)
                    )
                })
                .unwrap_or_default();
            format!(
                " · Sources of this edition last checked on {}{device}",
                escape(&edition.sources_checked)
            )
        })
        .unwrap_or_default();
    let tell_us = new_issue
        .map(|base| tell_us_link(guide, base, page))
        .map(|href| {
            format!(
                "\n<p><a href=\"{}\">Tell us if this page differs from what your iPhone shows</a> (opens a new issue on the guide's repository, with this page, its edition and the release filled in).</p>",
                escape(&href)
            )
        })
        .unwrap_or_default();
    format!(
        "<footer class=\"guide-release\">\n<p>Guide release {}{checked}.</p>{tell_us}\n</footer>",
        escape(&guide.release)
    )
}

/// The id of the `urls:` entry that declares the new-issue address for the URL check; when
/// present it must equal [`new_issue_address`] of the repository (checked when the tree loads).
pub const NEW_ISSUE_URL_ID: &str = "new_issue";

/// The path under a repository's address where its new-issue form lives.
pub const NEW_ISSUE_PATH: &str = "/issues/new";

/// The new-issue form of the repository at `repository` (`[output.html] git-repository-url`):
/// the repository's own scheme, host and path, then `/issues/new`. A base with a query or
/// fragment would corrupt the query the Tell us link adds, and one with a user name could send
/// readers somewhere else than it seems, so they are refused.
pub fn new_issue_address(repository: &str) -> Result<String, String> {
    if let Some(why) = crate::model::load::web_address_problem(repository) {
        return Err(why.to_string());
    }
    let parsed = url::Url::parse(repository).map_err(|error| error.to_string())?;
    if parsed.query().is_some() || repository.contains('?') {
        return Err("has a query (`?`)".into());
    }
    if parsed.fragment().is_some() || repository.contains('#') {
        return Err("has a fragment (`#`)".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("carries a user name or password".into());
    }
    let path = parsed.path().trim_end_matches('/');
    if path.split('/').filter(|part| !part.is_empty()).count() < 2 {
        return Err("does not name a repository (an owner and a name after the host)".into());
    }
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!(
        "{}://{host}{port}{path}{NEW_ISSUE_PATH}",
        parsed.scheme()
    ))
}

/// A plain link that opens a new issue on the form at `base` with the page, its edition and the
/// guide's release filled in: no script and no tracking, only the address's query.
pub fn tell_us_link(guide: &Guide, base: &str, page: &Path) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let edition = edition_of(guide, page)
        .map(|edition| edition.title.as_str())
        .unwrap_or("all editions");
    let shown = page.with_extension("html");
    let title = format!("The page {} differs from my iPhone", shown.display());
    let body = format!(
        "Page: {}\nEdition: {edition}\nGuide release: {}\n\nWhat does your iPhone show (its iOS version, the menu names, the message)? Please leave out any password or code.\n",
        shown.display(),
        guide.release
    );
    let encode = |text: &str| utf8_percent_encode(text, NON_ALPHANUMERIC).to_string();
    format!("{base}?title={}&body={}", encode(&title), encode(&body))
}

/// The generated "Sources" section: every source of the facts `content` shows (by its setting
/// and fact markers, includes already expanded), each once, with its retrieval date. Empty when
/// the page shows no sourced fact.
/// `evidence`, when the book has the evidence page, is the relative link to it.
pub fn sources_section(guide: &Guide, content: &str, evidence: Option<&str>) -> String {
    let keys = shown_keys(content);
    // Each source once, with the latest day one of its quotes was copied.
    let mut cited: std::collections::BTreeMap<crate::model::facts::Cited, String> =
        std::collections::BTreeMap::new();
    for key in keys {
        let Some(fact) = crate::model::facts::fact_for(guide, &key) else {
            continue;
        };
        for source in &fact.sources {
            if let Some(entry) = crate::model::facts::cited(guide, source) {
                let date = cited.entry(entry).or_default();
                if source.retrieved > *date {
                    *date = source.retrieved.clone();
                }
            }
        }
    }
    if cited.is_empty() {
        return String::new();
    }
    // Collapsed at the foot of the page: the evidence layer, one tap away, out of the search
    // index (`search_index` leaves out the element with id `sources`).
    let mut section =
        String::from("<details id=\"sources\" class=\"sources\">\n<summary>Sources</summary>\n\n");
    if let Some(evidence) = evidence {
        section.push_str(&format!(
            "Each fact on this page, with the exact words of its sources: [How we know](<{evidence}>).\n\n"
        ));
    }
    for (source, retrieved) in cited {
        let second_hand = if source.secondary {
            " (second-hand)"
        } else {
            ""
        };
        // Markdown that renders as the title's own characters; the address (validated when
        // the guide loads: no spaces, quotes or angle brackets) in angle brackets, so no
        // character of it can end the link early.
        let title = crate::escape::markdown(&source.title);
        let retrieved = crate::escape::markdown(&retrieved);
        let line = match &source.url {
            Some(url) => format!("- [{title}](<{url}>){second_hand}, quoted on {retrieved}\n"),
            None => format!("- {title}{second_hand}, quoted on {retrieved}\n"),
        };
        section.push_str(&line);
    }
    section.push_str("\n</details>\n\n");
    section
}

use crate::escape::html as escape;

/// The site root opens the current edition. mdBook would copy the first chapter to
/// `index.html`, but with the relative links of `current/`, which break one folder up; a small
/// redirect page (that works without JavaScript) replaces it.
/// `icons` are the rendered favicon files (their names carry a content hash), so the browser
/// asks for those instead of a missing `/favicon.ico`.
pub fn root_redirect(guide: &Guide, icons: &[String]) -> String {
    let target = escape(&format!("{}/index.html", guide.editions[0].dir));
    let icon_links: String = icons
        .iter()
        .map(|icon| format!("<link rel=\"icon\" href=\"{}\">\n", escape(icon)))
        .collect();
    let title = escape(&guide.editions[0].title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Sync your iPhone Calendar with Microsoft 365</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         <link rel=\"canonical\" href=\"{target}\">\n{icon_links}\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n<body>\n\
         <p>The guide opens on its current edition: <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Every page a reader can open in the built site, relative to its root and sorted: each
/// chapter of each edition and the contents page, without the root redirect and the 404 page
/// (which is written for the published address). The browser tests and `bench site` visit these.
pub fn reader_pages(html_dir: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    let mut folders = vec![html_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                if let Ok(relative) = path.strip_prefix(html_dir) {
                    let relative = relative.to_string_lossy().into_owned();
                    if relative != "index.html" && relative != "404.html" {
                        pages.push(relative);
                    }
                }
            }
        }
    }
    pages.sort();
    pages
}

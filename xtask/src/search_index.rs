//! The site's search index, written in place of mdBook's after the build, for mdBook's own
//! search script (same fields, same tokenizer, same file). It differs in what it holds:
//!
//! - only what a reader reads: the chapter's text, without the edition switcher, the Sources
//!   list, the footer, or the words drawn in the pictures of the steps;
//! - the words readers use (`reader_words:` in `guide.yaml`), in a field of their own, so "my
//!   boss's calendar" finds the answer about a manager's calendar;
//! - the search options of `book.toml` (`use-boolean-and = false` ranks pages by how many words
//!   they hold rather than dropping every page that lacks one).
//!
//! Pages left out by `[output.html.search.chapter]` stay out, as mdBook would leave them.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use elasticlunr::config::{SearchBool, SearchOptions, SearchOptionsField};
use elasticlunr::IndexBuilder;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{TagKind, Token, TokenSink, TokenSinkResult};
use serde::Serialize;

use crate::model::schema::Guide;

/// Longer tokens are not words a reader types (mdBook's limit).
const MAX_WORD_LENGTH: usize = 80;

/// A chapter as the index needs it.
#[derive(Debug, Clone)]
pub struct IndexedChapter {
    /// The chapter's path under the book's folder, e.g. `current/troubleshooting.md`.
    pub source: PathBuf,
    /// Its parts' and its own names, for the breadcrumbs of each result.
    pub names: Vec<String>,
}

/// Elements whose text is not the chapter's: the switcher, the Sources list, the footer,
/// drawings, scripts.
const SKIPPED: &[&str] = &[
    "nav", "footer", "figure", "svg", "script", "style", "template",
];

/// One section of a page: from a heading with an id to the next.
#[derive(Debug, Default)]
struct Section {
    id: String,
    heading: String,
    body: String,
}

/// Reads a built page's chapter text into sections.
#[derive(Default)]
struct Sections {
    sections: RefCell<Vec<Section>>,
    in_content: RefCell<bool>,
    skipping: RefCell<Option<(String, usize)>>,
    in_heading: RefCell<bool>,
    split_level: u8,
}

impl TokenSink for Sections {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let attribute = |wanted: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| &*a.name.local == wanted)
                        .map(|a| a.value.to_string())
                };
                let start = tag.kind == TagKind::StartTag;
                if start && attribute("id").as_deref() == Some("mdbook-content") {
                    *self.in_content.borrow_mut() = true;
                    return TokenSinkResult::Continue;
                }
                if !*self.in_content.borrow() {
                    return TokenSinkResult::Continue;
                }
                {
                    let mut skipping = self.skipping.borrow_mut();
                    if let Some((open, depth)) = skipping.as_mut() {
                        if open == name && !tag.self_closing {
                            if start {
                                *depth += 1;
                            } else {
                                *depth -= 1;
                                if *depth == 0 {
                                    *skipping = None;
                                }
                            }
                        }
                        return TokenSinkResult::Continue;
                    }
                    let hidden_list = attribute("id").as_deref() == Some("sources")
                        || attribute("class")
                            .is_some_and(|c| c.split_whitespace().any(|c| c == "legacy-banner"));
                    if start && !tag.self_closing && (SKIPPED.contains(&name) || hidden_list) {
                        *skipping = Some((name.to_string(), 1));
                        return match name {
                            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                            "style" => TokenSinkResult::RawData(RawKind::Rawtext),
                            _ => TokenSinkResult::Continue,
                        };
                    }
                }
                let level = name
                    .strip_prefix('h')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=6).contains(n));
                match (level, start) {
                    (Some(level), true) if level <= self.split_level => {
                        let id = attribute("id").unwrap_or_default();
                        self.sections.borrow_mut().push(Section {
                            id,
                            ..Section::default()
                        });
                        *self.in_heading.borrow_mut() = true;
                    }
                    (Some(_), false) => *self.in_heading.borrow_mut() = false,
                    _ => self.text(" "),
                }
            }
            Token::CharacterTokens(text)
                if *self.in_content.borrow() && self.skipping.borrow().is_none() =>
            {
                self.text(&text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Sections {
    fn text(&self, text: &str) {
        let mut sections = self.sections.borrow_mut();
        if sections.is_empty() {
            if text.trim().is_empty() {
                return;
            }
            sections.push(Section::default());
        }
        let section = sections.last_mut().expect("one section at least");
        if *self.in_heading.borrow() {
            section.heading.push_str(text);
        } else {
            section.body.push_str(text);
        }
    }
}

fn sections_of(html: &str, split_level: u8) -> Vec<Section> {
    let sink = Sections {
        split_level,
        ..Sections::default()
    };
    crate::html::run(sink, html).sections.into_inner()
}

/// The text a reader reads on a built page: the chapter, without the switcher, the Sources list,
/// the footer or the drawings (what search indexes, and what `bench readability` scores).
pub fn reader_text(html: &str) -> String {
    sections_of(html, 6)
        .into_iter()
        .map(|s| format!("{}\n{}\n", s.heading, s.body))
        .collect()
}

/// mdBook's tokenizer for the index: whitespace and hyphens split words.
fn tokenize(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|s| !s.is_empty())
        .map(|s| s.trim().to_lowercase())
        .filter(|s| s.len() <= MAX_WORD_LENGTH)
        .collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `[output.html.search.chapter]` leaves `source` in: the longest matching key decides.
fn enabled(search: &mdbook_driver::config::Search, source: &Path) -> bool {
    search
        .chapter
        .iter()
        .filter(|(key, _)| source.starts_with(key.as_str()))
        .max_by_key(|(key, _)| key.len())
        .and_then(|(_, settings)| settings.enable)
        .unwrap_or(true)
}

/// Builds the index from the pages in `html_dir` and writes it over mdBook's `searchindex-*.js`.
/// Returns the number of sections indexed.
pub fn write(
    html_dir: &Path,
    search: &mdbook_driver::config::Search,
    chapters: &[IndexedChapter],
    guide: &Guide,
) -> Result<usize, String> {
    let mut index = IndexBuilder::new()
        .add_field_with_tokenizer("title", Box::new(&tokenize))
        .add_field_with_tokenizer("body", Box::new(&tokenize))
        .add_field_with_tokenizer("breadcrumbs", Box::new(&tokenize))
        .add_field_with_tokenizer("words", Box::new(&tokenize))
        .build();
    let mut doc_urls = Vec::new();
    for chapter in chapters.iter().filter(|c| enabled(search, &c.source)) {
        let url = chapter.source.with_extension("html");
        let url = url.to_string_lossy().replace('\\', "/");
        let html = std::fs::read_to_string(html_dir.join(&url))
            .map_err(|error| format!("cannot read {url}: {error}"))?;
        let page_words = words_for(guide, &chapter.source.to_string_lossy());
        let mut breadcrumbs = chapter.names.clone();
        for (position, section) in sections_of(&html, search.heading_split_level)
            .into_iter()
            .enumerate()
        {
            let heading = collapse(&section.heading);
            let body = collapse(&section.body);
            if heading.is_empty() && body.is_empty() {
                continue;
            }
            let title = if heading.is_empty() {
                chapter.names.last().cloned().unwrap_or_default()
            } else {
                heading.clone()
            };
            let mut words = words_for(guide, &section.id);
            if position == 0 {
                words.push_str(&page_words);
            }
            let doc_url = if section.id.is_empty() {
                url.clone()
            } else {
                format!("{url}#{}", section.id)
            };
            if position > 0 && !heading.is_empty() {
                breadcrumbs.truncate(chapter.names.len());
                breadcrumbs.push(heading.clone());
            }
            let doc_ref = doc_urls.len().to_string();
            doc_urls.push(doc_url);
            index.add_doc(
                &doc_ref,
                [title, body, breadcrumbs.join(" » "), collapse(&words)],
            );
        }
    }
    let count = doc_urls.len();
    let json = to_json(index, search, doc_urls)?;
    let target = std::fs::read_dir(html_dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("searchindex") && name.ends_with(".js"))
        .ok_or("mdBook wrote no searchindex*.js (is [output.html.search] enabled?)")?;
    // The same wrapper as mdBook's: single quotes, so the JSON's double quotes stay unescaped.
    let script = format!(
        "window.search = Object.assign(window.search, JSON.parse('{}'));",
        json.replace('\\', "\\\\").replace('\'', "\\'")
    );
    crate::fsutil::write_in(html_dir, Path::new(&target), script.as_bytes())
        .map_err(|error| format!("cannot write {target}: {error}"))?;
    Ok(count)
}

/// The reader's words for an answer (problem id) or a page (chapter path), space-separated:
/// what readers were heard to say, and for an answer its symptom, which `guide.yaml` writes in
/// the reader's words too.
fn words_for(guide: &Guide, target: &str) -> String {
    let mut words = String::new();
    if let Some(problem) = guide.problems.iter().find(|p| p.id == target) {
        words.push(' ');
        words.push_str(&problem.symptom);
    }
    for heard in guide.reader_words.get(target).into_iter().flatten() {
        words.push(' ');
        words.push_str(&heard.said);
    }
    words
}

fn to_json(
    index: elasticlunr::Index,
    search: &mdbook_driver::config::Search,
    doc_urls: Vec<String>,
) -> Result<String, String> {
    #[derive(Serialize)]
    struct ResultsOptions {
        limit_results: u32,
        teaser_word_count: u32,
    }
    #[derive(Serialize)]
    struct SearchIndex {
        results_options: ResultsOptions,
        search_options: SearchOptions,
        doc_urls: Vec<String>,
        index: elasticlunr::Index,
    }
    let mut fields = BTreeMap::new();
    for (field, boost) in [
        ("title", search.boost_title),
        ("body", search.boost_paragraph),
        ("breadcrumbs", search.boost_hierarchy),
        // What readers say weighs like a heading: it names the problem in their words.
        ("words", search.boost_title),
    ] {
        let options = SearchOptionsField {
            boost: Some(boost),
            ..SearchOptionsField::default()
        };
        fields.insert(field.to_string(), options);
    }
    let document = SearchIndex {
        results_options: ResultsOptions {
            limit_results: search.limit_results,
            teaser_word_count: search.teaser_word_count,
        },
        search_options: SearchOptions {
            bool: if search.use_boolean_and {
                SearchBool::And
            } else {
                SearchBool::Or
            },
            expand: search.expand,
            fields,
        },
        doc_urls,
        index,
    };
    // Through serde_json::Value, so map keys come out in a stable order.
    let value = serde_json::to_value(&document).map_err(|e| e.to_string())?;
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_leave_out_the_switcher_sources_footer_and_pictures() {
        let html = r#"<nav>Edition: Current</nav><div id="mdbook-content" class="content">
<nav class="edition-switcher">Edition: iOS 14</nav>
<h1 id="title">Title</h1><p>Intro words.</p>
<h3 id="an-answer">An answer</h3><p>Do this.</p><figure><svg><text>9:41</text></svg></figure>
<details id="sources"><summary>Sources</summary><ul><li>A page</li></ul></details>
<footer>Guide release</footer></div>"#;
        let sections = sections_of(html, 3);
        assert_eq!(sections.len(), 2, "{sections:?}");
        assert_eq!(sections[0].id, "title");
        assert_eq!(collapse(&sections[0].body), "Intro words.");
        assert_eq!(sections[1].id, "an-answer");
        assert_eq!(collapse(&sections[1].heading), "An answer");
        assert_eq!(collapse(&sections[1].body), "Do this.");
    }

    #[test]
    fn words_split_like_mdbooks() {
        assert_eq!(tokenize("Don't  re-add it"), ["don't", "re", "add", "it"]);
    }
}

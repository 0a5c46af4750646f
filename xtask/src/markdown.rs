//! pulldown-cmark set up exactly as mdBook sets it up (through mdBook's own constructor,
//! `mdbook_markdown::new_cmark_parser`, and the book's `[output.html]` switches), so what the
//! checks see is what readers see: smart punctuation turns `"` into curly quotes and `--` into
//! a dash, definition lists and admonitions change the structure.

use mdbook_driver::config::Config;
use mdbook_markdown::MarkdownOptions;
use pulldown_cmark::Parser;

/// The markdown extensions a book turns on; `Default` is mdBook 0.5's defaults (all on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flavour {
    pub smart_punctuation: bool,
    pub definition_lists: bool,
    pub admonitions: bool,
}

impl Default for Flavour {
    fn default() -> Flavour {
        let defaults = MarkdownOptions::default();
        Flavour {
            smart_punctuation: defaults.smart_punctuation,
            definition_lists: defaults.definition_lists,
            admonitions: defaults.admonitions,
        }
    }
}

impl Flavour {
    /// The switches of `[output.html]` in `book.toml`.
    pub fn from_config(config: &Config) -> Flavour {
        match config.html_config() {
            Some(html) => Flavour {
                smart_punctuation: html.smart_punctuation,
                definition_lists: html.definition_lists,
                admonitions: html.admonitions,
            },
            None => Flavour::default(),
        }
    }
}

pub fn parser(text: &str, flavour: Flavour) -> Parser<'_> {
    let mut options = MarkdownOptions::default();
    options.smart_punctuation = flavour.smart_punctuation;
    options.definition_lists = flavour.definition_lists;
    options.admonitions = flavour.admonitions;
    mdbook_markdown::new_cmark_parser(text, &options)
}

/// Where a markdown file holds code (spans and blocks) or raw HTML: byte ranges, each with what
/// it is ("a code span", "a code block", "raw HTML"). Text there is not prose: mdBook pastes
/// directives into it unread, and a menu path in it is an example.
pub fn code_and_html(text: &str, flavour: Flavour) -> Vec<(std::ops::Range<usize>, &'static str)> {
    use pulldown_cmark::{Event, Tag};
    parser(text, flavour)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let what = match event {
                Event::Code(_) => "a code span",
                Event::Start(Tag::CodeBlock(_)) => "a code block",
                Event::Html(_) | Event::InlineHtml(_) => "raw HTML",
                _ => return None,
            };
            Some((range, what))
        })
        .collect()
}

/// True when `target` names another site (has a URL scheme) rather than a file of the book.
pub fn is_external(target: &str) -> bool {
    match target.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => target.starts_with("//"),
    }
}

/// The scheme a browser would use for `target`, lowercased, if it has one. Browsers drop tabs
/// and line breaks anywhere in a URL and spaces and control characters around it, so
/// `java\tscript:` and ` javascript:` are `javascript`.
pub fn browser_scheme(target: &str) -> Option<String> {
    let cleaned: String = target
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_external_paths_are_not() {
        assert!(is_external("https://outlook.office.com/calendar/"));
        assert!(is_external("mailto:you@contoso.com"));
        assert!(is_external("javascript:alert(1)"));
        assert!(!is_external("current/add-account.md"));
        assert!(!is_external("../glossary.md#mfa"));
    }

    #[test]
    fn browser_schemes_ignore_what_browsers_ignore() {
        assert_eq!(
            browser_scheme("JavaScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            browser_scheme(" \u{1}java\tscr\nipt:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            browser_scheme("file:///etc/passwd").as_deref(),
            Some("file")
        );
        assert_eq!(browser_scheme("../page.md#a:b"), None);
        assert_eq!(browser_scheme("page.html"), None);
    }

    #[test]
    fn smart_punctuation_is_on_as_in_mdbook() {
        let text: String = parser("\"a\" -- b", Flavour::default())
            .filter_map(|event| match event {
                pulldown_cmark::Event::Text(t) => Some(t.into_string()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "\u{201c}a\u{201d} \u{2013} b");
    }
}

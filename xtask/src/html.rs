//! Reading HTML with html5ever's tokenizer (the parser mdBook's renderer uses), never with a
//! regular expression: raw HTML in the markdown (for its links) and fetched source pages (for
//! their text). The tokenizer decodes entities and handles quoting the way browsers do, so
//! `jav&#x61;script:` is seen as what a browser would follow.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// A start tag as the browser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// Lowercase tag name.
    pub name: String,
    /// Lowercase attribute names with their decoded values.
    pub attributes: Vec<(String, String)>,
    /// 1-based line of the input on which the tag ends.
    pub line: usize,
}

/// Which start tags a pass keeps: all of them (raw HTML in chapters), or only form fields
/// (fetched pages, where only a password field matters and speed does).
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Keep {
    #[default]
    AllTags,
    FormFields,
}

/// What one pass of the tokenizer collects.
#[derive(Default)]
struct Collector {
    keep: Keep,
    tags: RefCell<Vec<StartTag>>,
    text: RefCell<String>,
    /// Inside `<script>`, `<style>`, `<noscript>` or `<template>`: text nobody reads on the page.
    hidden_depth: RefCell<usize>,
}

/// Elements whose text is not part of what a reader sees.
const HIDDEN: [&str; 4] = ["script", "style", "noscript", "template"];
/// Elements that break the text into separate blocks.
const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "blockquote",
    "pre",
    "dd",
];

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let hidden = HIDDEN.contains(&name);
                match tag.kind {
                    TagKind::StartTag => {
                        if self.keep == Keep::AllTags || name == "input" {
                            self.tags.borrow_mut().push(StartTag {
                                name: name.to_string(),
                                attributes: tag
                                    .attrs
                                    .iter()
                                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                                    .collect(),
                                line: usize::try_from(line_number).unwrap_or(usize::MAX),
                            });
                        }
                        if BLOCKS.contains(&name) {
                            self.text.borrow_mut().push('\n');
                        }
                        if hidden && !tag.self_closing {
                            *self.hidden_depth.borrow_mut() += 1;
                            return match name {
                                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                                "style" | "noscript" => TokenSinkResult::RawData(RawKind::Rawtext),
                                _ => TokenSinkResult::Continue,
                            };
                        }
                    }
                    TagKind::EndTag => {
                        if hidden {
                            let mut depth = self.hidden_depth.borrow_mut();
                            *depth = depth.saturating_sub(1);
                        }
                        if BLOCKS.contains(&name) {
                            self.text.borrow_mut().push('\n');
                        }
                    }
                }
            }
            Token::CharacterTokens(text) if *self.hidden_depth.borrow() == 0 => {
                self.text.borrow_mut().push_str(&text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str, keep: Keep) -> Collector {
    let collector = Collector {
        keep,
        ..Collector::default()
    };
    let tokenizer = Tokenizer::new(collector, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Tokenizer { sink, .. } = tokenizer;
    sink
}

/// The form fields (`<input>`) and the visible text of a page, in one pass.
pub fn read_page(html: &str) -> (Vec<StartTag>, String) {
    let collector = tokenize(html, Keep::FormFields);
    (collector.tags.into_inner(), collector.text.into_inner())
}

/// Every start tag of `html`, with decoded attribute values.
pub fn start_tags(html: &str) -> Vec<StartTag> {
    tokenize(html, Keep::AllTags).tags.into_inner()
}

/// The text a reader sees: tags and hidden elements removed, entities decoded, blocks on
/// lines of their own.
pub fn visible_text(html: &str) -> String {
    tokenize(html, Keep::FormFields).text.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_decoded_like_a_browser_decodes_them() {
        let tags =
            start_tags(r#"<a HREF="jav&#x61;script:alert(1)">x</a><img src=file:///etc/passwd>"#);
        assert_eq!(tags[0].name, "a");
        assert_eq!(
            tags[0].attributes,
            [("href".to_string(), "javascript:alert(1)".to_string())]
        );
        assert_eq!(tags[1].attributes[0].1, "file:///etc/passwd");
    }

    #[test]
    fn text_skips_scripts_and_styles_and_decodes_entities() {
        let text = visible_text(
            "<p>One &amp; <b>two</b></p><script>var x = '<p>no</p>';</script><style>p{}</style><p>three&nbsp;four</p>",
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["One", "&", "two", "three", "four"]);
    }
}

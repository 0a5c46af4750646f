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
    /// Inside an element its attributes hide (`hidden`, `display:none`, …): its name, and how
    /// many elements of that name are open inside it.
    hidden_by_attribute: RefCell<Option<(String, usize)>>,
}

/// Elements that have no end tag, so they never open a hidden stretch.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// True when the attributes hide the element from a reader: `hidden`, `aria-hidden="true"`, or
/// a style with `display: none` or `visibility: hidden`. A quote found only in such text is
/// not on the page as people read it.
fn hides(attributes: &[html5ever::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        let value = attribute.value.to_ascii_lowercase();
        match &*attribute.name.local {
            "hidden" => true,
            "aria-hidden" => value.trim() == "true",
            "style" => {
                let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                compact.contains("display:none") || compact.contains("visibility:hidden")
            }
            _ => false,
        }
    })
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
                let opens = !tag.self_closing && !VOID.contains(&name);
                {
                    let mut hidden_by = self.hidden_by_attribute.borrow_mut();
                    match (&mut *hidden_by, tag.kind) {
                        (Some((open, depth)), TagKind::StartTag) if open == name && opens => {
                            *depth += 1;
                        }
                        (Some((open, depth)), TagKind::EndTag) if open == name => {
                            *depth -= 1;
                            if *depth == 0 {
                                *hidden_by = None;
                            }
                        }
                        (None, TagKind::StartTag) if opens && hides(&tag.attrs) => {
                            *hidden_by = Some((name.to_string(), 1));
                        }
                        _ => {}
                    }
                }
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
            Token::CharacterTokens(text)
                if *self.hidden_depth.borrow() == 0
                    && self.hidden_by_attribute.borrow().is_none() =>
            {
                self.text.borrow_mut().push_str(&text);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str, keep: Keep) -> Collector {
    run(
        Collector {
            keep,
            ..Collector::default()
        },
        html,
    )
}

/// Feeds the whole of `html` through html5ever's tokenizer into `sink`, and hands it back.
pub fn run<S: TokenSink>(sink: S, html: &str) -> S {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
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

/// The most attributes a tag of a fetched page may have. html5ever checks each new attribute
/// against the tag's others, so one tag with a few hundred thousand takes minutes; real pages
/// stay far below this.
pub const MAX_ATTRIBUTES: usize = 256;

/// The largest number of attributes on one tag of `html`, counted in one linear pass (an
/// upper bound: a stray `<` in text may count a few words), without looking inside
/// `<script>`, `<style>` or comments. Callers refuse pages above `MAX_ATTRIBUTES` before
/// tokenising them.
pub fn most_attributes(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut most = 0;
    let mut at = 0;
    while let Some(offset) = memchr_lt(&bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            at = start + 1;
            continue;
        }
        let (count, end) = count_attributes(bytes, start + 1);
        most = most.max(count);
        at = end;
        let name: Vec<u8> = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect();
        if name == b"script" || name == b"style" {
            let close = if name == b"script" {
                &b"</script"[..]
            } else {
                &b"</style"[..]
            };
            at = find_ignoring_case(bytes, at, close).unwrap_or(bytes.len());
        }
    }
    most
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|at| from + at)
}

/// Counts the attributes of the tag whose name starts at `from`; returns the count and the
/// offset after the tag's `>`.
fn count_attributes(bytes: &[u8], from: usize) -> (usize, usize) {
    let mut count = 0;
    let mut at = from;
    // Skip the tag name.
    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
        at += 1;
    }
    let mut after_equals = false;
    while at < bytes.len() {
        match bytes[at] {
            b'>' => return (count, at + 1),
            b if b.is_ascii_whitespace() || b == b'/' => at += 1,
            b'=' => {
                after_equals = true;
                at += 1;
            }
            quote @ (b'"' | b'\'') => {
                at = find(bytes, at + 1, &[quote]).map_or(bytes.len(), |end| end + 1);
                after_equals = false;
            }
            _ => {
                if !after_equals {
                    count += 1;
                }
                after_equals = false;
                while at < bytes.len()
                    && !bytes[at].is_ascii_whitespace()
                    && !matches!(bytes[at], b'>' | b'=')
                {
                    at += 1;
                }
            }
        }
    }
    (count, at)
}

/// Every start tag of `html`, with decoded attribute values.
pub fn start_tags(html: &str) -> Vec<StartTag> {
    tokenize(html, Keep::AllTags).tags.into_inner()
}

/// An element of a built page as a browser meets it: its start tag, and for a `<script>` the
/// text inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub tag: StartTag,
    /// The script's text (a `<script>` only; empty for every other element).
    pub script: String,
    /// Inside `<main>`: the chapter's own content in every theme.
    pub in_main: bool,
    /// Inside the element with id `mdbook-content`: what the chapter (and the site's
    /// preprocessor) wrote, as opposed to the theme's template.
    pub in_content: bool,
}

/// Collects every start tag of a built page, and each script's text.
///
/// Text elements are read as a browser with scripting on reads them: in HTML, `<script>`,
/// `<style>`, `<noscript>`, `<xmp>`, `<iframe>`, `<noembed>` and `<noframes>` hold raw text and
/// `<title>` and `<textarea>` escapable text, so a `</noscript>` inside an attribute ends the
/// element there, as in the browser. Inside SVG or MathML the same names are markup, and an
/// HTML element such as `<img>` or `<p>` leaves the foreign content again.
#[derive(Default)]
struct PageSink {
    elements: RefCell<Vec<Element>>,
    in_script: RefCell<bool>,
    main_depth: RefCell<usize>,
    /// The open elements since `#mdbook-content` opened (0: outside it).
    content_depth: RefCell<usize>,
    /// Open `<svg>` and `<math>` elements, and open integration points inside them
    /// (`<foreignObject>`, `<desc>`, `<title>`, MathML's text elements) where HTML rules return.
    foreign: RefCell<Vec<&'static str>>,
}

/// Elements whose start tag in SVG or MathML makes the browser leave foreign content.
const BREAKS_OUT_OF_FOREIGN: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
    "font",
];

impl PageSink {
    /// True when the next start tag is read by HTML's rules.
    fn in_html(&self) -> bool {
        matches!(self.foreign.borrow().last(), None | Some(&"integration"))
    }
}

impl TokenSink for PageSink {
    type Handle = ();

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                let html_rules = self.in_html();
                if !html_rules && BREAKS_OUT_OF_FOREIGN.contains(&name.as_str()) {
                    self.foreign.borrow_mut().clear();
                }
                let html_rules = self.in_html();
                if name == "main" && !tag.self_closing {
                    *self.main_depth.borrow_mut() += 1;
                }
                let in_content = *self.content_depth.borrow() > 0;
                let opens = !tag.self_closing && !VOID.contains(&name.as_str());
                if in_content && opens {
                    *self.content_depth.borrow_mut() += 1;
                }
                if !in_content
                    && tag
                        .attrs
                        .iter()
                        .any(|a| &*a.name.local == "id" && &*a.value == "mdbook-content")
                {
                    *self.content_depth.borrow_mut() = 1;
                }
                self.elements.borrow_mut().push(Element {
                    tag: StartTag {
                        name: name.clone(),
                        attributes: tag
                            .attrs
                            .iter()
                            .map(|a| (attribute_name(a), a.value.to_string()))
                            .collect(),
                        line: usize::try_from(line_number).unwrap_or(usize::MAX),
                    },
                    script: String::new(),
                    in_main: *self.main_depth.borrow() > 0,
                    in_content,
                });
                if tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                if html_rules {
                    match name.as_str() {
                        "svg" => self.foreign.borrow_mut().push("svg"),
                        "math" => self.foreign.borrow_mut().push("math"),
                        "script" => {
                            *self.in_script.borrow_mut() = true;
                            return TokenSinkResult::RawData(RawKind::ScriptData);
                        }
                        "style" | "noscript" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            return TokenSinkResult::RawData(RawKind::Rawtext);
                        }
                        "title" | "textarea" => {
                            return TokenSinkResult::RawData(RawKind::Rcdata);
                        }
                        "plaintext" => return TokenSinkResult::Plaintext,
                        _ => {}
                    }
                } else {
                    let integration = matches!(
                        name.as_str(),
                        "foreignobject"
                            | "desc"
                            | "title"
                            | "mi"
                            | "mo"
                            | "mn"
                            | "ms"
                            | "mtext"
                            | "annotation-xml"
                    );
                    self.foreign.borrow_mut().push(if integration {
                        "integration"
                    } else {
                        "element"
                    });
                }
            }
            Token::TagToken(tag) => {
                if &*tag.name == "main" {
                    let mut depth = self.main_depth.borrow_mut();
                    *depth = depth.saturating_sub(1);
                }
                {
                    let mut depth = self.content_depth.borrow_mut();
                    if *depth > 0 && !VOID.contains(&&*tag.name) {
                        *depth -= 1;
                    }
                }
                if &*tag.name == "script" {
                    *self.in_script.borrow_mut() = false;
                }
                let mut foreign = self.foreign.borrow_mut();
                if !foreign.is_empty() {
                    if matches!(&*tag.name, "svg" | "math") {
                        while let Some(top) = foreign.pop() {
                            if top == "svg" || top == "math" {
                                break;
                            }
                        }
                    } else if foreign
                        .last()
                        .is_some_and(|top| *top != "svg" && *top != "math")
                    {
                        foreign.pop();
                    }
                }
            }
            Token::CharacterTokens(text) if *self.in_script.borrow() => {
                if let Some(last) = self.elements.borrow_mut().last_mut() {
                    last.script.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// `xlink:href` keeps its prefix, so a check for addresses sees it as the link it is.
fn attribute_name(attribute: &html5ever::Attribute) -> String {
    match &attribute.name.prefix {
        Some(prefix) => format!("{prefix}:{}", attribute.name.local),
        None => attribute.name.local.to_string(),
    }
}

/// Every element of a built page, in order (see [`PageSink`] for how text elements are read).
pub fn page_elements(html: &str) -> Vec<Element> {
    run(PageSink::default(), html).elements.into_inner()
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

    #[test]
    fn hidden_elements_are_not_read() {
        let text = visible_text(
            "<p>shown</p><div hidden><div>nested</div>still hidden</div><span style=\"display: none\">none</span><p aria-hidden=\"true\">aria</p><p style=\"visibility:hidden\">invisible</p><img hidden><p>after</p>",
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["shown", "after"]);
    }

    #[test]
    fn attributes_are_counted_in_one_pass() {
        assert_eq!(most_attributes("<p>text</p>"), 0);
        assert_eq!(
            most_attributes("<a href=\"x y\" class=a id = b hidden>x</a><br a b c d>"),
            4
        );
        assert_eq!(
            most_attributes("<script>if (a <b c d e f) {}</script><!-- <x a b c d e> --><p a>"),
            1
        );
        let many = format!("<div {}>", "a ".repeat(300_000));
        assert_eq!(most_attributes(&many), 300_000);
    }
}

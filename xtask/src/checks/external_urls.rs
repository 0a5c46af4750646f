//! Every external address in the book must be declared in `guide.yaml` (so the URL check sees
//! the full list), and readers must only ever be sent to `http(s)` addresses without a user
//! name or password in them. A declared address no page uses is a warning.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::PathBuf;

use crate::checks::extract::{Extracted, RawHtml};
use crate::diagnostic::Diagnostic;
use crate::html;
use crate::line_index::LineIndex;
use crate::markdown;
use crate::model::book::SourceFile;
use crate::model::load::GUIDE_FILE;
use crate::suggest;

const CHECK: &str = "urls";

/// Where the book uses an external address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlUse {
    pub url: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

/// Schemes a link may use: the web, and mail to example addresses.
const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Every `http://` or `https://` address in `text`, wherever it stands (link, code, HTML, prose).
pub fn find_urls(text: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("http") {
        let start = from + offset;
        let rest = &text[start..];
        let scheme_len = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            from = start + 4;
            continue;
        };
        let preceded_by_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let end = start + url_length(rest);
        from = end.max(start + scheme_len);
        if !preceded_by_word && end > start + scheme_len {
            found.push((text[start..end].to_string(), start..end));
        }
    }
    found
}

/// How far a URL starting at `rest` runs: to whitespace or markup, minus trailing punctuation
/// and a closing parenthesis that belongs to the surrounding markdown.
fn url_length(rest: &str) -> usize {
    let mut end = rest
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`' | '[' | ']' | '|' | '*')
        })
        .unwrap_or(rest.len());
    loop {
        let candidate = &rest[..end];
        let Some(last) = candidate.chars().next_back() else {
            return 0;
        };
        let unbalanced_paren =
            last == ')' && candidate.matches(')').count() > candidate.matches('(').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?') || unbalanced_paren {
            end -= last.len_utf8();
        } else {
            return end;
        }
    }
}

/// The address without its `#fragment`: the resource the URL check requests.
pub fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Checks one file's addresses against the declared ones; returns findings and the uses.
pub fn check_file(
    file: &SourceFile,
    found: &Extracted,
    declared: &BTreeSet<&str>,
) -> (Vec<Diagnostic>, Vec<UrlUse>) {
    let mut diagnostics = Vec::new();
    let mut uses = Vec::new();
    let index = LineIndex::new(&file.text);
    for link in &found.links {
        if let Some(scheme) = markdown::browser_scheme(&link.target) {
            if !ALLOWED_SCHEMES.contains(&scheme.as_str()) {
                diagnostics.push(unsafe_scheme(file, link.span.clone(), &scheme));
            }
        }
    }
    for raw in &found.raw_html {
        diagnostics.extend(check_raw_html(file, raw, declared));
    }
    for (url, span) in find_urls(&file.text) {
        if has_userinfo(&url) {
            diagnostics.push(
                Diagnostic::error(CHECK, "this address carries a user name or password (user@host)")
                    .at_span(&file.path, &file.text, span.clone())
                    .hint("remove the part before @: never publish credentials, and such links can disguise where they lead"),
            );
            continue;
        }
        let resource = without_fragment(&url);
        if is_example_host(resource) && !declared.contains(resource) {
            continue;
        }
        if !declared.contains(resource) {
            let hint = match suggest::closest(resource, declared.iter().copied()) {
                Some(best) => format!("did you mean {best}? Otherwise declare it under urls: in {GUIDE_FILE} (id, url, purpose, expect)"),
                None => format!("declare it under urls: in {GUIDE_FILE} with an id, a purpose and what it should answer (expect)"),
            };
            diagnostics.push(
                Diagnostic::error(CHECK, format!("{resource} is not declared in {GUIDE_FILE}"))
                    .at_span(&file.path, &file.text, span.clone())
                    .hint(hint),
            );
        }
        let (line, column) = index.line_col(&file.text, span.start);
        uses.push(UrlUse {
            url: resource.to_string(),
            file: file.path.clone(),
            line,
            column,
        });
    }
    (diagnostics, uses)
}

fn unsafe_scheme(file: &SourceFile, span: Range<usize>, scheme: &str) -> Diagnostic {
    Diagnostic::error(
        CHECK,
        format!("link to a `{scheme}:` address; readers may only be sent to http(s) pages"),
    )
    .at_span(&file.path, &file.text, span)
    .hint("link to an https:// page, or to a chapter of the book with a relative path")
}

/// Attributes whose value a browser loads or follows as an address.
const URL_ATTRIBUTES: [&str; 14] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "srcset",
    "xlink:href",
    "longdesc",
    "manifest",
    "codebase",
];

/// Raw HTML is followed by the reader's browser just like a markdown link: the same schemes
/// are refused in every attribute that holds an address, and nothing may run script.
fn check_raw_html(file: &SourceFile, raw: &RawHtml, declared: &BTreeSet<&str>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for tag in html::start_tags(&raw.html) {
        let at = |needle: &str| {
            let line_start = raw.offset_of_line(tag.line);
            let rest = &file.text[line_start.min(file.text.len())..];
            let offset = rest
                .to_ascii_lowercase()
                .find(needle)
                .map_or(line_start, |found| line_start + found);
            offset..offset + needle.len()
        };
        if tag.name == "script" {
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    "a <script> element runs code in every reader's browser",
                )
                .at_span(&file.path, &file.text, at("<script"))
                .hint("remove it: the guide needs no script of its own in a chapter"),
            );
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                diagnostics.push(
                    Diagnostic::error(
                        CHECK,
                        format!("the `{name}` attribute runs code in the reader's browser"),
                    )
                    .at_span(&file.path, &file.text, at(name))
                    .hint("remove the event handler"),
                );
                continue;
            }
            let addresses: Vec<&str> = if name == "srcset" {
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .collect()
            } else if URL_ATTRIBUTES.contains(&name.as_str()) {
                vec![value.as_str()]
            } else if tag.name == "meta" && name == "content" {
                value
                    .to_ascii_lowercase()
                    .find("url=")
                    .map(|at| vec![value[at + 4..].trim_matches(['\'', '"', ' '])])
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            for address in addresses {
                match markdown::browser_scheme(address) {
                    Some(scheme) if !ALLOWED_SCHEMES.contains(&scheme.as_str()) => {
                        diagnostics.push(
                            unsafe_scheme(file, at(name), &scheme)
                                .hint(format!("the `{name}` of <{}> is followed like a link; use an https:// address or a relative path", tag.name)),
                        );
                    }
                    // An address spelt with entities is invisible to the text scan: check it here.
                    Some(_) if !file.text.contains(address) && !is_example_host(address) => {
                        let resource = without_fragment(address);
                        if !declared.contains(resource) {
                            diagnostics.push(
                                Diagnostic::error(CHECK, format!("{resource} is not declared in {GUIDE_FILE}"))
                                    .at_span(&file.path, &file.text, at(name))
                                    .hint(format!("write the address plainly, and declare it under urls: in {GUIDE_FILE}")),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    diagnostics
}

/// Warnings for declared addresses that no page uses.
pub fn unused(yaml_text: &str, declared: &[&str], uses: &[UrlUse]) -> Vec<Diagnostic> {
    declared
        .iter()
        .filter(|url| !uses.iter().any(|u| u.url == **url))
        .map(|url| {
            let offset = yaml_text.find(*url).unwrap_or(0);
            Diagnostic::warning(CHECK, format!("{url} is declared but no page uses it"))
                .at_span(GUIDE_FILE, yaml_text, offset..offset + url.len())
                .hint("link it from a chapter, or remove it from guide.yaml")
        })
        .collect()
}

/// Addresses on loopback or reserved example domains are examples for contributors, not links
/// for readers: they need no declaration and are never requested.
pub fn is_example_host(url: &str) -> bool {
    let authority = authority(url);
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                host
            } else {
                authority
            }
        });
    let host = host.to_ascii_lowercase();
    matches!(host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
        || host.ends_with(".example")
        || host.ends_with(".test")
}

fn has_userinfo(url: &str) -> bool {
    authority(url).contains('@')
}

/// The `user@host:port` part of a URL.
fn authority(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.split(['/', '?', '#']).next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        find_urls(text).into_iter().map(|(url, _)| url).collect()
    }

    #[test]
    fn urls_in_links_autolinks_code_and_prose() {
        let text = "[a](https://a.example/x) <https://b.example/> `https://c.example/q?x=1` see https://d.example/page.";
        assert_eq!(
            urls(text),
            [
                "https://a.example/x",
                "https://b.example/",
                "https://c.example/q?x=1",
                "https://d.example/page"
            ]
        );
    }

    #[test]
    fn balanced_parentheses_stay_in_the_url() {
        assert_eq!(
            urls("(see https://en.example/wiki/A_(b))"),
            ["https://en.example/wiki/A_(b)"]
        );
    }

    #[test]
    fn userinfo_is_detected() {
        assert!(has_userinfo("https://user:pw@host.example/"));
        assert!(!has_userinfo("https://host.example/a@b"));
    }

    #[test]
    fn loopback_and_example_domains_are_examples() {
        assert!(is_example_host("http://127.0.0.1:3000/"));
        assert!(is_example_host("https://www.example.com/x"));
        assert!(is_example_host("https://b.example/"));
        assert!(!is_example_host("https://outlook.office.com/calendar/"));
        assert!(!is_example_host("https://example.com.evil.net/"));
    }

    #[test]
    fn a_scheme_alone_is_not_a_url() {
        assert_eq!(
            urls("the https:// prefix and httpx://a"),
            Vec::<String>::new()
        );
    }
}

//! The drift extractor: finds every setting marker in a markdown file, with the value it labels
//! and the byte spans of both, by walking pulldown-cmark's events with their source offsets.
//!
//! A marker is `<!-- setting: KEY -->` placed directly after (no space) an inline code span, a
//! bold or an italic span. It comes *after* the value because an HTML comment at the start of a
//! line opens an HTML block in CommonMark and would swallow the value. A marker that labels
//! nothing, or has no key, is reported rather than ignored.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown;

/// A value labelled by a marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub key: String,
    /// The value as readers see it (code span contents, or the text of a bold/italic span).
    pub value: String,
    /// The bytes holding the value, without the backticks or asterisks around it.
    pub value_span: Range<usize>,
    /// Whether `value_span` holds exactly `value`, so a fix can replace it byte for byte.
    pub plain: bool,
    pub kind: ValueKind,
    pub marker_span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    Code,
    Emphasis,
}

/// A marker that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadMarker {
    pub span: Range<usize>,
    pub problem: MarkerProblem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerProblem {
    /// No code, bold or italic span ends right where the marker starts.
    LabelsNothing,
    /// `<!-- setting: -->` without a key.
    NoKey,
    /// The marker opens a line, so CommonMark read it as an HTML block.
    StartsALine,
}

/// A link, image or autolink target with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkTarget {
    pub target: String,
    pub span: Range<usize>,
}

/// Raw HTML as written in the markdown (a block, or one inline tag), with where each of its
/// lines starts in the file, so findings inside it get a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHtml {
    pub html: String,
    /// Byte offset in the file of each line of `html`.
    pub line_starts: Vec<usize>,
}

impl RawHtml {
    /// The file offset of 1-based `line` of `html`.
    pub fn offset_of_line(&self, line: usize) -> usize {
        let index = line
            .saturating_sub(1)
            .min(self.line_starts.len().saturating_sub(1));
        self.line_starts.get(index).copied().unwrap_or(0)
    }
}

/// `<!-- fact: claims.name -->`: the text before it states the fact `claims.name`. Unlike a
/// setting marker it labels no value, so it may stand anywhere, even at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactMarker {
    pub key: String,
    pub span: Range<usize>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub labelled: Vec<Labelled>,
    pub fact_markers: Vec<FactMarker>,
    pub bad_markers: Vec<BadMarker>,
    pub links: Vec<LinkTarget>,
    pub raw_html: Vec<RawHtml>,
}

const MARKER_WORD: &str = "setting:";
const FACT_WORD: &str = "fact:";

/// Every `<!-- fact: KEY -->` in a piece of HTML, with its offset in the piece.
fn fact_keys(html: &str) -> Vec<(String, Range<usize>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = html[from..].find("<!--").map(|at| from + at) {
        // The comment's end comes after its opening (`<!-->` is no comment of ours).
        let Some(end) = html[start + 4..].find("-->").map(|at| start + 4 + at + 3) else {
            break;
        };
        let inner = html[start + 4..end - 3].trim();
        if let Some(key) = inner.strip_prefix(FACT_WORD) {
            found.push((key.trim().to_string(), start..end));
        }
        from = end;
    }
    found
}

/// The key of a marker comment, `Some("")` for a marker without a key, `None` for other HTML.
pub fn marker_key(html: &str) -> Option<&str> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let key = inner.strip_prefix(MARKER_WORD)?.trim();
    Some(key)
}

/// The value span an inline element leaves behind, for a marker that may follow it.
struct Candidate {
    end: usize,
    value: String,
    value_span: Range<usize>,
    plain: bool,
    kind: ValueKind,
}

/// Extracts with mdBook's default markdown extensions.
pub fn extract(text: &str) -> Extracted {
    extract_with(text, markdown::Flavour::default())
}

/// Extracts with the extensions the book turns on, as mdBook will render it.
pub fn extract_with(text: &str, flavour: markdown::Flavour) -> Extracted {
    let mut out = Extracted::default();
    // An HTML block arrives as one event per line; its lines are gathered into one piece.
    let mut html_block: Option<RawHtml> = None;
    let mut last: Option<Candidate> = None;
    // Text collected inside the currently open bold/italic spans, innermost last.
    let mut open_emphasis: Vec<(Range<usize>, String)> = Vec::new();
    for (event, span) in markdown::parser(text, flavour).into_offset_iter() {
        match event {
            Event::Code(code) => {
                for (_, collected) in &mut open_emphasis {
                    collected.push_str(&code);
                }
                let inner = code_inner_span(text, span.clone());
                last = Some(Candidate {
                    end: span.end,
                    plain: text[inner.clone()] == *code,
                    value: code.into_string(),
                    value_span: inner,
                    kind: ValueKind::Code,
                });
            }
            Event::Start(Tag::Strong | Tag::Emphasis) => {
                open_emphasis.push((span, String::new()));
            }
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => {
                // Text already went to every open span, the enclosing ones included.
                if let Some((outer, collected)) = open_emphasis.pop() {
                    let inner = emphasis_inner_span(text, outer.clone());
                    last = Some(Candidate {
                        end: outer.end,
                        plain: text[inner.clone()] == collected,
                        value: collected,
                        value_span: inner,
                        kind: ValueKind::Emphasis,
                    });
                }
            }
            Event::Text(piece) => {
                for (_, collected) in &mut open_emphasis {
                    collected.push_str(&piece);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                for (_, collected) in &mut open_emphasis {
                    collected.push(' ');
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some(RawHtml {
                    html: String::new(),
                    line_starts: Vec::new(),
                });
            }
            Event::End(TagEnd::HtmlBlock) => out.raw_html.extend(html_block.take()),
            Event::InlineHtml(html) if !fact_keys(&html).is_empty() => {
                for (key, at) in fact_keys(&html) {
                    out.fact_markers.push(FactMarker {
                        key,
                        span: span.start + at.start..span.start + at.end,
                    });
                }
            }
            Event::InlineHtml(html) => match marker_key(&html) {
                Some("") => out.bad_markers.push(BadMarker {
                    span,
                    problem: MarkerProblem::NoKey,
                }),
                Some(key) => match last.take().filter(|c| c.end == span.start) {
                    Some(candidate) => out.labelled.push(Labelled {
                        key: key.to_string(),
                        value: candidate.value,
                        value_span: candidate.value_span,
                        plain: candidate.plain,
                        kind: candidate.kind,
                        marker_span: span,
                    }),
                    None => out.bad_markers.push(BadMarker {
                        span,
                        problem: MarkerProblem::LabelsNothing,
                    }),
                },
                None => out.raw_html.push(RawHtml {
                    line_starts: line_starts(&html, span.start),
                    html: html.into_string(),
                }),
            },
            Event::Html(html) => {
                for (key, at) in fact_keys(&html) {
                    out.fact_markers.push(FactMarker {
                        key,
                        span: span.start + at.start..span.start + at.end,
                    });
                }
                if let Some(block) = &mut html_block {
                    block.line_starts.extend(line_starts(&html, span.start));
                    block.html.push_str(&html);
                }
                if let Some(at) = html.find("<!--") {
                    let end = html[at..].find("-->").map_or(html.len(), |e| at + e + 3);
                    if marker_key(&html[at..end]).is_some() {
                        out.bad_markers.push(BadMarker {
                            span: span.start + at..span.start + end,
                            problem: MarkerProblem::StartsALine,
                        });
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                out.links.push(LinkTarget {
                    target: dest_url.into_string(),
                    span,
                });
            }
            _ => {}
        }
    }
    out
}

/// The file offsets at which each line of `piece` (found at `start`) begins.
fn line_starts(piece: &str, start: usize) -> Vec<usize> {
    std::iter::once(start)
        .chain(piece.match_indices('\n').map(|(at, _)| start + at + 1))
        .filter(|&offset| offset < start + piece.len() || offset == start)
        .collect()
}

/// The bytes between the backticks of a code span, minus the one space CommonMark strips.
fn code_inner_span(text: &str, span: Range<usize>) -> Range<usize> {
    let raw = &text[span.clone()];
    let ticks = raw.bytes().take_while(|&b| b == b'`').count();
    let mut start = span.start + ticks;
    let mut end = span.end - ticks.min(raw.len() - ticks);
    let inner = &text[start..end];
    if inner.len() >= 2 && inner.starts_with(' ') && inner.ends_with(' ') && inner.trim() != "" {
        start += 1;
        end -= 1;
    }
    start..end
}

/// The bytes between the `**`/`*`/`_` delimiters of a bold or italic span.
fn emphasis_inner_span(text: &str, span: Range<usize>) -> Range<usize> {
    let raw = text[span.clone()].as_bytes();
    let delimiter = raw[0];
    let open = raw.iter().take_while(|&&b| b == delimiter).count();
    let close = raw.iter().rev().take_while(|&&b| b == delimiter).count();
    let width = open.min(close).min(raw.len() / 2);
    span.start + width..span.end - width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_after_a_code_span_labels_it() {
        let text = "Server: `outlook.office365.com`<!-- setting: service.exchange_server -->.";
        let found = extract(text);
        assert_eq!(found.bad_markers, []);
        let labelled = &found.labelled[0];
        assert_eq!(labelled.key, "service.exchange_server");
        assert_eq!(labelled.value, "outlook.office365.com");
        assert_eq!(&text[labelled.value_span.clone()], "outlook.office365.com");
        assert!(labelled.plain);
    }

    #[test]
    fn a_marker_after_bold_text_labels_the_whole_text() {
        let text = "Open **Settings → Apps**<!-- setting: k --> now";
        let labelled = &extract(text).labelled[0];
        assert_eq!(labelled.value, "Settings → Apps");
        assert_eq!(&text[labelled.value_span.clone()], "Settings → Apps");
        assert_eq!(labelled.kind, ValueKind::Emphasis);
    }

    #[test]
    fn a_space_before_the_marker_means_it_labels_nothing() {
        let found = extract("`a` <!-- setting: k -->");
        assert_eq!(found.labelled, []);
        assert_eq!(found.bad_markers[0].problem, MarkerProblem::LabelsNothing);
    }

    #[test]
    fn a_marker_opening_a_line_is_reported() {
        let found = extract("<!-- setting: k -->`a`\n");
        assert_eq!(found.labelled, []);
        assert_eq!(found.bad_markers[0].problem, MarkerProblem::StartsALine);
    }

    #[test]
    fn a_marker_without_a_key_is_reported() {
        let found = extract("`a`<!-- setting: -->");
        assert_eq!(found.bad_markers[0].problem, MarkerProblem::NoKey);
    }

    #[test]
    fn double_backticks_and_padding_spaces() {
        let text = "``  `x` ``<!-- setting: k -->";
        let labelled = &extract(text).labelled[0];
        assert_eq!(labelled.value, " `x`");
        assert!(labelled.plain);
    }

    #[test]
    fn nested_emphasis_collects_each_text_once() {
        let text = "***a** b*<!-- setting: k -->";
        assert_eq!(extract(text).labelled[0].value, "a b");
    }

    #[test]
    fn deeply_nested_emphasis_stays_linear() {
        // Found by the fuzzer: text was copied into every enclosing span on each close, which
        // doubled it per level of nesting.
        let text = format!("{}x{}<!-- setting: k -->", "_".repeat(60), "_".repeat(60));
        let found = extract(&text);
        assert!(found.labelled.iter().all(|l| l.value.len() <= text.len()));
    }

    #[test]
    fn markers_in_table_cells_work() {
        let text = "| a | b |\n| --- | --- |\n| Server | `x.example`<!-- setting: k --> |\n";
        assert_eq!(extract(text).labelled[0].value, "x.example");
    }

    #[test]
    fn a_comment_that_closes_inside_its_opening_is_not_a_fact_marker() {
        // Found by the property tests.
        assert_eq!(fact_keys("<!-->"), []);
        assert!(fact_keys("<!---->").is_empty());
    }

    #[test]
    fn fact_markers_stand_anywhere() {
        let found = extract("Accounts keep their sign-in.<!-- fact: claims.no_migration -->\n\n<!-- fact: claims.other -->\n");
        let keys: Vec<&str> = found.fact_markers.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["claims.no_migration", "claims.other"]);
        assert_eq!(found.bad_markers, []);
    }

    #[test]
    fn other_comments_are_not_markers() {
        let found = extract("`a`<!-- just a note -->");
        assert_eq!(found.labelled, []);
        assert_eq!(found.bad_markers, []);
    }

    #[test]
    fn links_are_collected() {
        let found = extract("[x](https://a.example/) <https://b.example/>");
        let targets: Vec<&str> = found.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["https://a.example/", "https://b.example/"]);
    }
}

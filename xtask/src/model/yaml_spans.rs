//! Where a value sits in `guide.yaml`, found by a YAML parser (saphyr-parser, which reports the
//! span of every event), not by searching the text. A tool that edits the file in place
//! (`sources --stamp`) changes exactly the bytes of one scalar, whatever the file's line endings,
//! quoting or layout: a search for `- id: current\n` misses a CRLF file and a quoted id.

use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

/// A parsed node with the byte span of its scalars; enough of YAML for finding values.
#[derive(Debug)]
enum Node {
    Scalar(String, Range<usize>),
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    /// An alias, or anything this walker does not look into.
    Other,
}

/// One step from a node to a child: a mapping key, or the sequence item whose mapping has
/// `field: value`.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    ItemWith(&'a str, &'a str),
    /// The sequence item at this 0-based position.
    Index(usize),
}

/// `guide.yaml` parsed once into nodes with spans, for any number of lookups: loading asks for
/// the span of every id that is wrong, and re-parsing the file per lookup made loading grow
/// with the square of the guide.
#[derive(Debug)]
pub struct Spans {
    root: Node,
}

impl Spans {
    /// Parses `text`; `None` when it is not YAML this walker can read.
    pub fn parse(text: &str) -> Option<Spans> {
        let offsets = CharOffsets::new(text);
        let mut events = Parser::new_from_str(text).map(|event| event.ok());
        let root = loop {
            match events.next()?? {
                (Event::StreamStart | Event::DocumentStart(_), _) => continue,
                (event, span) => break read_node(event, span, &mut events, &offsets)?,
            }
        };
        Some(Spans { root })
    }

    /// The byte span of the scalar at `path` (quotes included when it is quoted).
    pub fn scalar(&self, path: &[Step<'_>]) -> Option<Range<usize>> {
        let mut node = &self.root;
        for step in path {
            node = child(node, *step)?;
        }
        match node {
            Node::Scalar(_, span) => Some(span.clone()),
            _ => None,
        }
    }

    /// The first scalar, key or value, in document order whose parsed text (escapes decoded,
    /// folded lines joined) satisfies `matches`, with its span.
    pub fn find_scalar(&self, matches: impl Fn(&str) -> bool) -> Option<(&str, Range<usize>)> {
        fn walk<'n>(
            node: &'n Node,
            matches: &dyn Fn(&str) -> bool,
        ) -> Option<(&'n str, Range<usize>)> {
            match node {
                Node::Scalar(value, span) => matches(value).then(|| (value.as_str(), span.clone())),
                Node::Sequence(items) => items.iter().find_map(|item| walk(item, matches)),
                Node::Mapping(entries) => entries
                    .iter()
                    .find_map(|(key, value)| walk(key, matches).or_else(|| walk(value, matches))),
                Node::Other => None,
            }
        }
        walk(&self.root, &matches)
    }

    /// Where the setting `key` (`model::settings`' dotted name) is written: a scalar's span, or
    /// a menu path's from its first word to its last. Mappings match a segment by key, lists
    /// of items by an item's `id` or its 1-based position, as `Settings` names them.
    pub fn setting(&self, key: &str) -> Option<Range<usize>> {
        let mut node = &self.root;
        for segment in key.split('.') {
            node = match node {
                Node::Mapping(entries) => entries
                    .iter()
                    .find(|(k, _)| matches!(k, Node::Scalar(name, _) if name == segment))
                    .map(|(_, value)| value)?,
                Node::Sequence(items) => items
                    .iter()
                    .find(|item| {
                        let Node::Mapping(entries) = item else {
                            return false;
                        };
                        entries.iter().any(|(k, v)| {
                            matches!(k, Node::Scalar(name, _) if name == "id")
                                && matches!(v, Node::Scalar(id, _) if id == segment)
                        })
                    })
                    .or_else(|| {
                        let position: usize = segment.parse().ok()?;
                        items.get(position.checked_sub(1)?)
                    })?,
                _ => return None,
            };
        }
        match node {
            Node::Scalar(_, span) => Some(span.clone()),
            Node::Sequence(items) => {
                let spans: Vec<&Range<usize>> = items
                    .iter()
                    .filter_map(|item| match item {
                        Node::Scalar(_, span) => Some(span),
                        _ => None,
                    })
                    .collect();
                Some(spans.first()?.start..spans.last()?.end)
            }
            _ => None,
        }
    }

    /// The first key written twice in one mapping, anywhere in the file: its text and the span
    /// of its second occurrence, which is where the mistake is.
    pub fn first_duplicate_key(&self) -> Option<(String, Range<usize>)> {
        fn walk(node: &Node) -> Option<(String, Range<usize>)> {
            match node {
                Node::Scalar(..) | Node::Other => None,
                Node::Sequence(items) => items.iter().find_map(walk),
                Node::Mapping(entries) => {
                    let mut seen = std::collections::HashSet::new();
                    for (key, value) in entries {
                        if let Node::Scalar(name, span) = key {
                            if !seen.insert(name.as_str()) {
                                return Some((name.clone(), span.clone()));
                            }
                        }
                        if let Some(found) = walk(value) {
                            return Some(found);
                        }
                    }
                    None
                }
            }
        }
        walk(&self.root)
    }
}

/// The byte span of the scalar at `path` in `text`, or `None` when the file does not parse or
/// holds no such scalar. One lookup: for many, parse once with [`Spans::parse`].
pub fn scalar_span(text: &str, path: &[Step<'_>]) -> Option<Range<usize>> {
    Spans::parse(text)?.scalar(path)
}

fn child<'n>(node: &'n Node, step: Step<'_>) -> Option<&'n Node> {
    match (node, step) {
        (Node::Mapping(entries), Step::Key(name)) => entries
            .iter()
            .find(|(key, _)| matches!(key, Node::Scalar(k, _) if k == name))
            .map(|(_, value)| value),
        (Node::Sequence(items), Step::ItemWith(field, wanted)) => items.iter().find(|item| {
            let Node::Mapping(entries) = item else {
                return false;
            };
            entries.iter().any(|(key, value)| {
                matches!(key, Node::Scalar(k, _) if k == field)
                    && matches!(value, Node::Scalar(v, _) if v == wanted)
            })
        }),
        (Node::Sequence(items), Step::Index(position)) => items.get(position),
        _ => None,
    }
}

fn read_node<'e>(
    event: Event<'e>,
    span: Span,
    events: &mut impl Iterator<Item = Option<(Event<'e>, Span)>>,
    offsets: &CharOffsets,
) -> Option<Node> {
    Some(match event {
        Event::Scalar(value, ..) => Node::Scalar(
            value.into_owned(),
            offsets.byte(span.start.index())..offsets.byte(span.end.index()),
        ),
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            loop {
                match events.next()?? {
                    (Event::SequenceEnd, _) => break,
                    (event, span) => items.push(read_node(event, span, events, offsets)?),
                }
            }
            Node::Sequence(items)
        }
        Event::MappingStart(..) => {
            let mut entries = Vec::new();
            loop {
                let key = match events.next()?? {
                    (Event::MappingEnd, _) => break,
                    (event, span) => read_node(event, span, events, offsets)?,
                };
                let (event, span) = events.next()??;
                entries.push((key, read_node(event, span, events, offsets)?));
            }
            Node::Mapping(entries)
        }
        _ => Node::Other,
    })
}

/// The parser counts characters; edits need bytes.
struct CharOffsets {
    starts: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        let mut starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        starts.push(text.len());
        CharOffsets { starts }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.starts
            .get(char_index)
            .copied()
            .unwrap_or_else(|| *self.starts.last().unwrap_or(&0))
    }
}

/// `text` with the scalar at `span` replaced by `value`, written in the scalar's own quoting.
pub fn replace_scalar(text: &str, span: Range<usize>, value: &str) -> String {
    let old = &text[span.clone()];
    let quote = old
        .chars()
        .next()
        .filter(|c| *c == '\'' || *c == '"' && old.len() > 1 && old.ends_with(*c));
    let written = match quote {
        Some(q) => format!("{q}{value}{q}"),
        None => value.to_string(),
    };
    let mut out = String::with_capacity(text.len() + written.len());
    out.push_str(&text[..span.start]);
    out.push_str(&written);
    out.push_str(&text[span.end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: [Step<'static>; 3] = [
        Step::Key("editions"),
        Step::ItemWith("id", "ios-14-17"),
        Step::Key("sources_checked"),
    ];

    fn stamped(text: &str) -> String {
        let span = scalar_span(text, &PATH).expect("the scalar is found");
        replace_scalar(text, span, "2026-12-01")
    }

    #[test]
    fn plain_quoted_and_crlf_files_change_only_the_date() {
        let plain = "editions:\n  - id: current\n    sources_checked: 2026-01-01\n  - id: ios-14-17\n    sources_checked: 2026-01-01\n";
        let (before, after) = plain.rsplit_once("2026-01-01").unwrap();
        assert_eq!(stamped(plain), format!("{before}2026-12-01{after}"));
        let crlf = plain.replace('\n', "\r\n");
        assert_eq!(stamped(&crlf), stamped(plain).replace('\n', "\r\n"));
        let quoted = "editions:\n  - id: current\n    sources_checked: 2026-01-01\n  - id: \"ios-14-17\"\n    sources_checked: '2026-01-01'\n";
        assert!(stamped(quoted).ends_with("sources_checked: '2026-12-01'\n"));
        assert!(stamped(quoted).contains("id: current\n    sources_checked: 2026-01-01\n"));
    }

    #[test]
    fn a_missing_path_is_none() {
        assert_eq!(scalar_span("editions: []\n", &PATH), None);
        assert_eq!(scalar_span("editions: [\n", &PATH), None);
    }

    #[test]
    fn a_duplicate_key_is_found_at_its_second_occurrence_even_inside_a_list_item() {
        let text = "problems:\n  - id: a\n    title: one\n    kind: x\n    title: two\n";
        let (key, span) = Spans::parse(text).unwrap().first_duplicate_key().unwrap();
        assert_eq!(key, "title");
        assert_eq!(span.start, text.rfind("title").unwrap());
        assert_eq!(
            Spans::parse("a: 1\nb: 2\n").unwrap().first_duplicate_key(),
            None
        );
    }

    #[test]
    fn spans_are_bytes_after_multibyte_text() {
        let text = "title: “Où”\neditions:\n  - id: ios-14-17\n    sources_checked: 2026-01-01\n";
        let span = scalar_span(text, &PATH).unwrap();
        assert_eq!(&text[span], "2026-01-01");
    }
}

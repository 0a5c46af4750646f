//! Finding a quote in a page's text, the way a reader would: the same words, whatever the
//! markup, line breaks, entities, curly or straight quotes, kinds of dash, or letter case.
//! Pure functions over strings, so they are tested and benchmarked without a network.

use unicode_normalization::UnicodeNormalization;

/// Text in the form quotes are compared in: Unicode NFKC, straight quotes, one kind of dash,
/// single spaces, lower case. Text that is already NFKC (most pages) skips the decomposition,
/// and ASCII takes a fast path: a 5 MB page must cost milliseconds.
pub fn normalise(text: &str) -> String {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut pending_space = false;
    let push_char = |c: char, out: &mut Vec<u8>, pending_space: &mut bool| {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => {
                '\''
            }
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
            | '\u{00bb}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => '-',
            '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => return,
            // Escape sequences and bidirectional controls from a page never reach a terminal
            // or a report: they read as a space.
            c if crate::escape::is_hidden_control(c) => ' ',
            other => other,
        };
        if c.is_whitespace() {
            *pending_space = !out.is_empty();
            return;
        }
        if *pending_space {
            out.push(b' ');
            *pending_space = false;
        }
        let mut buffer = [0u8; 4];
        for lower in c.to_lowercase() {
            out.extend_from_slice(lower.encode_utf8(&mut buffer).as_bytes());
        }
    };
    let already_nfkc = text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes;
    if already_nfkc {
        // ASCII bytes are handled as bytes; anything else as a char.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            if byte.is_ascii() && byte != b'`' {
                if byte == b' ' || byte.is_ascii_control() {
                    pending_space = !out.is_empty();
                } else {
                    if pending_space {
                        out.push(b' ');
                        pending_space = false;
                    }
                    out.push(byte.to_ascii_lowercase());
                }
                at += 1;
            } else {
                let c = text[at..].chars().next().expect("at is a char boundary");
                push_char(c, &mut out, &mut pending_space);
                at += c.len_utf8();
            }
        }
    } else {
        for c in text.nfkc() {
            push_char(c, &mut out, &mut pending_space);
        }
    }
    String::from_utf8(out).expect("only whole characters were written")
}

/// A fast hash for the handful of quote words looked up once per page word (SipHash, the
/// standard map's, costs more than the rest of the search together).
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

type WordMap<'w> =
    std::collections::HashMap<&'w str, usize, std::hash::BuildHasherDefault<WordHasher>>;

/// The passage of a page most like a quote that is not on it, and how alike they are (0–1).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Closest {
    pub passage: String,
    pub similarity: f64,
}

/// Whether `quote` is on the page, both already normalised.
pub fn contains(page: &str, quote: &str) -> bool {
    !quote.is_empty() && page.contains(quote)
}

/// The run of words of `page` most like `quote` (both normalised). Windows as long as the quote
/// are ranked first by the quote's words they share (one pass over the page, keeping the best
/// few), then those by edit distance, so a 5 MB page costs milliseconds, not a quadratic search.
pub fn closest(page: &str, quote: &str) -> Option<Closest> {
    const KEEP: usize = 8;
    let quote_words: Vec<&str> = quote.split(' ').filter(|w| !w.is_empty()).collect();
    if quote_words.is_empty() || page.is_empty() {
        return None;
    }
    // Each distinct quote word gets an id; `limit[id]` is how often the quote has it.
    let mut ids = WordMap::default();
    let mut limit: Vec<usize> = Vec::new();
    for word in &quote_words {
        let next = ids.len();
        let id = *ids.entry(word).or_insert(next);
        if id == limit.len() {
            limit.push(0);
        }
        limit[id] += 1;
    }
    let width = quote_words.len();
    // The window: the offset of each of its words and its quote word id, if any.
    let mut window: std::collections::VecDeque<(usize, Option<usize>)> = Default::default();
    let mut in_window = vec![0usize; limit.len()];
    let mut shared = 0usize;
    // The best windows so far, as (shared words, start offset, end offset).
    let mut best: Vec<(usize, usize, usize)> = Vec::with_capacity(KEEP + 1);
    let mut last_end = None;
    for (offset, word) in word_spans(page) {
        let id = ids.get(word).copied();
        if let Some(id) = id {
            in_window[id] += 1;
            if in_window[id] <= limit[id] {
                shared += 1;
            }
        }
        window.push_back((offset, id));
        last_end = Some(offset + word.len());
        if window.len() > width {
            if let Some((_, Some(leaving))) = window.pop_front() {
                if in_window[leaving] <= limit[leaving] {
                    shared -= 1;
                }
                in_window[leaving] -= 1;
            }
        }
        if window.len() == width || best.is_empty() {
            let worst = best.last().map_or(0, |b| b.0);
            if best.len() < KEEP || shared > worst {
                let start = window.front().map_or(0, |w| w.0);
                best.push((shared, start, offset + word.len()));
                best.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                best.truncate(KEEP);
            }
        }
    }
    // A page shorter than the quote: the whole page is the one window there is.
    if window.len() < width {
        if let (Some(&(start, _)), Some(end)) = (window.front(), last_end) {
            best = vec![(shared, start, end)];
        }
    }
    best.iter()
        .map(|&(_, start, end)| {
            let passage = &page[start..end];
            Closest {
                passage: passage.to_string(),
                similarity: strsim::normalized_levenshtein(passage, quote),
            }
        })
        .max_by(|a, b| a.similarity.total_cmp(&b.similarity))
}

/// Each word of `text` (split on single spaces, as `normalise` leaves it) with its offset.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split(' ').filter_map(move |word| {
        let start = offset;
        offset += word.len() + 1;
        (!word.is_empty()).then_some((start, word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_quotes_dashes_spaces_and_case_do_not_matter() {
        assert_eq!(
            normalise("It\u{2019}s  \u{201c}Modern\u{a0}auth\u{201d} \u{2014}\nOK"),
            "it's \"modern auth\" - ok"
        );
        assert_eq!(normalise("ﬁle \u{2026}"), "file ...");
    }

    #[test]
    fn a_page_shorter_than_the_quote_is_its_own_closest_passage() {
        let page = normalise("Basic authentication is retired.");
        let quote = normalise("Basic authentication is now disabled in all tenants, for good.");
        assert_eq!(
            closest(&page, &quote).unwrap().passage,
            "basic authentication is retired."
        );
    }

    #[test]
    fn control_and_bidi_characters_read_as_spaces() {
        assert_eq!(normalise("a\u{1b}[31mb"), "a [31mb");
        assert_eq!(normalise("caf\u{e9}\u{202e}x\u{1b}y"), "caf\u{e9} x y");
    }

    #[test]
    fn the_closest_passage_is_the_changed_sentence() {
        let page = normalise("Intro text here. There's a limit of 50 app passwords per user. More text follows after that.");
        let quote = normalise("There's a limit of 40 app passwords per user.");
        assert!(!contains(&page, &quote));
        let closest = closest(&page, &quote).unwrap();
        assert_eq!(
            closest.passage,
            "there's a limit of 50 app passwords per user."
        );
        assert!(
            closest.similarity > 0.9 && closest.similarity < 1.0,
            "{closest:?}"
        );
    }
}

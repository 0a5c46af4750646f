//! Finding a quote in a page's text, the way a reader would: the same words, whatever the
//! markup, line breaks, entities, curly or straight quotes, kinds of dash, or letter case.
//! Pure functions over strings, so they are tested and benchmarked without a network.

use unicode_normalization::UnicodeNormalization;

/// Text in the form quotes are compared in: Unicode NFKC, straight quotes, one kind of dash,
/// single spaces, lower case.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{00b4}' | '`' => {
                '\''
            }
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{00ab}'
            | '\u{00bb}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => '-',
            '\u{00ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => continue,
            other => other,
        };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

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
/// are ranked first by the quote's words they share (one pass over the page), then the best few
/// by edit distance, so a 5 MB page costs milliseconds, not a quadratic search.
pub fn closest(page: &str, quote: &str) -> Option<Closest> {
    let quote_words: Vec<&str> = quote.split(' ').filter(|w| !w.is_empty()).collect();
    let page_words: Vec<(usize, &str)> = word_spans(page);
    let width = quote_words.len();
    if width == 0 || page_words.is_empty() {
        return None;
    }
    let width = width.min(page_words.len());
    let wanted: std::collections::HashMap<&str, usize> =
        quote_words
            .iter()
            .fold(Default::default(), |mut counts, w| {
                *counts.entry(*w).or_insert(0) += 1;
                counts
            });
    // Shared words of the window starting at each position, updated as the window slides.
    let mut in_window: std::collections::HashMap<&str, usize> = Default::default();
    let mut shared = 0usize;
    fn add<'p>(
        word: &'p str,
        wanted: &std::collections::HashMap<&str, usize>,
        in_window: &mut std::collections::HashMap<&'p str, usize>,
        shared: &mut usize,
    ) {
        if let Some(&limit) = wanted.get(word) {
            let count = in_window.entry(word).or_insert(0);
            *count += 1;
            if *count <= limit {
                *shared += 1;
            }
        }
    }
    for &(_, word) in &page_words[..width] {
        add(word, &wanted, &mut in_window, &mut shared);
    }
    let mut scores = vec![(shared, 0usize)];
    for start in 1..=page_words.len() - width {
        let leaving = page_words[start - 1].1;
        if let Some(&limit) = wanted.get(leaving) {
            let count = in_window
                .get_mut(leaving)
                .expect("a word in the window was counted");
            if *count <= limit {
                shared -= 1;
            }
            *count -= 1;
        }
        add(
            page_words[start + width - 1].1,
            &wanted,
            &mut in_window,
            &mut shared,
        );
        scores.push((shared, start));
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scores
        .iter()
        .take(8)
        .map(|&(_, start)| {
            let from = page_words[start].0;
            let last = page_words[start + width - 1];
            let passage = &page[from..last.0 + last.1.len()];
            Closest {
                passage: passage.to_string(),
                similarity: strsim::normalized_levenshtein(passage, quote),
            }
        })
        .max_by(|a, b| a.similarity.total_cmp(&b.similarity))
}

/// Each word of `text` with its byte offset.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c == ' ', start) {
            (true, Some(from)) => {
                words.push((from, &text[from..at]));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        words.push((from, &text[from..]));
    }
    words
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

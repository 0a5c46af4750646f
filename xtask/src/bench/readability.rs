//! How easy the reader's pages are to read: Flesch reading ease (206.835 − 1.015 × words per
//! sentence − 84.6 × syllables per word; 60–70 is plain English, higher is easier), over the
//! text a reader reads on each built page (`search_index::reader_text`). Syllables are counted
//! by vowel groups, the usual approximation; the figure is for comparing versions of the guide,
//! not an absolute grade.

use std::path::Path;

use super::Row;

/// The pages for readers: every chapter but those for contributors and the evidence layer.
const NOT_FOR_READERS: &[&str] = &[
    "contributing.html",
    "changelog.html",
    "evidence.html",
    "toc.html",
    "404.html",
];

/// Words, sentences and syllables of `text`.
pub fn counts(text: &str) -> (usize, usize, usize) {
    let mut words = 0;
    let mut syllables = 0;
    for word in text.split_whitespace() {
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.is_empty() {
            continue;
        }
        words += 1;
        syllables += syllables_of(&letters.to_lowercase());
    }
    let sentences = text
        .split(['.', '!', '?', '\n', ':', ';'])
        .filter(|s| {
            s.split_whitespace()
                .any(|w| w.chars().any(char::is_alphabetic))
        })
        .count();
    (words, sentences.max(1), syllables)
}

fn syllables_of(word: &str) -> usize {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous = false;
    for c in word.chars() {
        let is = vowel(c);
        if is && !previous {
            groups += 1;
        }
        previous = is;
    }
    if word.ends_with('e') && !word.ends_with("le") && groups > 1 {
        groups -= 1;
    }
    groups.max(1)
}

pub fn flesch(words: usize, sentences: usize, syllables: usize) -> f64 {
    let words = words.max(1) as f64;
    206.835 - 1.015 * (words / sentences.max(1) as f64) - 84.6 * (syllables as f64 / words)
}

/// The reading ease of every reader page of the site built in `html_dir`, and of all of them.
pub fn of_site(html_dir: &Path) -> Vec<(String, f64, usize)> {
    let mut pages = Vec::new();
    let mut stack = vec![html_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let relative = path
                    .strip_prefix(html_dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                if relative == "index.html" || NOT_FOR_READERS.iter().any(|n| relative.ends_with(n))
                {
                    continue;
                }
                if let Ok(html) = std::fs::read_to_string(&path) {
                    pages.push((relative, crate::search_index::reader_text(&html)));
                }
            }
        }
    }
    pages.sort();
    let mut rows = Vec::new();
    let (mut all_w, mut all_s, mut all_y) = (0, 0, 0);
    for (page, text) in pages {
        let (w, s, y) = counts(&text);
        all_w += w;
        all_s += s;
        all_y += y;
        rows.push((page, flesch(w, s, y), w));
    }
    rows.push((
        "all reader pages".to_string(),
        flesch(all_w, all_s, all_y),
        all_w,
    ));
    rows
}

pub fn run(root: &Path, guide: &crate::model::load::LoadedGuide) -> Vec<Row> {
    let html_dir = match crate::render::build_book(root, guide) {
        Ok(dir) => dir,
        Err(_) => return vec![Row::failed("readability", "the book did not build")],
    };
    of_site(&html_dir)
        .into_iter()
        .map(|(page, ease, words)| {
            let all = page == "all reader pages";
            Row::new(
                format!("readability: {page}"),
                format!("{ease:.0}"),
                if all {
                    "≥ 50 (fairly difficult or easier)"
                } else {
                    "-"
                },
                format!("Flesch reading ease, {words} words"),
                !all || ease >= 50.0,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sentences_score_higher_than_long_technical_ones() {
        let (w, s, y) = counts("Open Settings. Tap Calendar. Turn it on.");
        let plain = flesch(w, s, y);
        let (w, s, y) = counts("Authentication configuration necessitates administrative intervention regarding organisational conditional access policies.");
        assert!(plain > 60.0 && flesch(w, s, y) < 0.0, "{plain}");
        assert_eq!(syllables_of("calendar"), 3);
        assert_eq!(syllables_of("tap"), 1);
    }
}

//! A synthetic guide for benchmarks: many chapters of realistic markdown with setting markers,
//! declared URLs and a few drifted values, generated deterministically from a seed.

use std::fmt::Write as _;

use crate::model::book::SourceFile;
use crate::model::settings::Settings;

/// Words to build sentences from (the guide's own vocabulary).
const WORDS: &[&str] = &[
    "iPhone",
    "calendar",
    "account",
    "Microsoft",
    "sign",
    "in",
    "tap",
    "open",
    "Settings",
    "the",
    "your",
    "work",
    "meeting",
    "sync",
    "Exchange",
    "Outlook",
    "web",
    "page",
    "organisation",
    "administrator",
    "password",
    "second",
    "step",
    "choose",
    "turn",
    "on",
    "Calendars",
    "and",
    "then",
    "after",
    "minute",
    "event",
    "recurring",
    "check",
    "list",
    "menu",
    "button",
    "Save",
];

/// A synthetic guide and how many drifted values were planted in it, so a benchmark can check
/// that the check found exactly those.
pub struct Synthetic {
    pub chapters: Vec<SourceFile>,
    pub planted_drifts: usize,
}

impl Synthetic {
    pub fn bytes(&self) -> usize {
        self.chapters.iter().map(|c| c.text.len()).sum()
    }
}

/// Chapters of about 5 KB each; every 50th marked value is drifted on purpose.
pub fn chapters(count: usize, settings: &Settings, urls: &[String], seed: u64) -> Synthetic {
    // Values that read the same after mdBook's smart punctuation and inside a table cell, so
    // that exactly the planted drifts are drifts.
    let keyed: Vec<(&str, &str)> = settings
        .iter()
        .filter(|(_, v)| !v.contains(['`', '*', '\n', '\'', '"', '|', '_', '<', '[', '\\']))
        .filter(|(_, v)| !v.contains("--") && !v.contains("...") && !v.is_empty() && v.trim() == *v)
        .collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut marker_count = 0usize;
    let mut planted_drifts = 0usize;
    let chapters = (0..count)
        .map(|index| {
            let mut text = format!("# Synthetic chapter {index}\n\n");
            while text.len() < 5 * 1024 {
                match rng.usize(0..6) {
                    0 => {
                        let _ = writeln!(text, "## {}\n", sentence(&mut rng, 4));
                    }
                    1 | 2 => {
                        let (key, value) = keyed[rng.usize(0..keyed.len())];
                        marker_count += 1;
                        let shown = if marker_count.is_multiple_of(50) {
                            planted_drifts += 1;
                            "drifted value"
                        } else {
                            value
                        };
                        let _ = writeln!(
                            text,
                            "{} `{shown}`<!-- setting: {key} --> {}.\n",
                            sentence(&mut rng, 8),
                            sentence(&mut rng, 6)
                        );
                    }
                    3 => {
                        let url = &urls[rng.usize(0..urls.len())];
                        let _ = writeln!(
                            text,
                            "See [{}]({url}) and <{url}>.\n",
                            sentence(&mut rng, 3)
                        );
                    }
                    4 => {
                        for item in 1..=4 {
                            let _ = writeln!(
                                text,
                                "{item}. **{}.** {}",
                                sentence(&mut rng, 3),
                                sentence(&mut rng, 10)
                            );
                        }
                        text.push('\n');
                    }
                    _ => {
                        let _ = writeln!(text, "| Field | Value |\n| --- | --- |");
                        for _ in 0..3 {
                            let (key, value) = keyed[rng.usize(0..keyed.len())];
                            let _ = writeln!(
                                text,
                                "| {} | **{value}**<!-- setting: {key} --> |",
                                sentence(&mut rng, 2)
                            );
                        }
                        text.push('\n');
                    }
                }
            }
            SourceFile {
                path: format!("book/synthetic/chapter-{index:05}.md").into(),
                text,
            }
        })
        .collect();
    Synthetic {
        chapters,
        planted_drifts,
    }
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.usize(0..WORDS.len())]);
    }
    out
}

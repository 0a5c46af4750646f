//! The evidence, offline: every fact readers are told cites a source (a declared page and a
//! quote copied from it) or says why it has none; every source is well-formed; dates are real;
//! facts about days still to come are looked at again once the day has passed; and every fact
//! marker in the prose names a fact. The online half (`crate::sources`) re-reads the pages.

use std::collections::BTreeSet;

use jiff::civil::Date;

use crate::diagnostic::Diagnostic;
use crate::model::facts::{self, Shown, CLAIM_PREFIX};
use crate::model::load::GUIDE_FILE;
use crate::model::schema::Guide;
use crate::model::settings::Settings;
use crate::suggest;

const CHECK: &str = "sources";

/// The most characters a quote may have: a sentence, not a page.
pub const MAX_QUOTE_CHARS: usize = 300;

/// An edition whose sources were last checked longer ago than this gets a warning.
pub const STALE_AFTER_DAYS: i32 = 180;

/// How many facts have what kind of evidence.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    pub facts: usize,
    /// Facts with at least one primary source.
    pub primary: usize,
    /// Facts whose only sources are second-hand.
    pub secondary: usize,
    pub unsourced: usize,
    /// The keys of the unsourced facts.
    pub unsourced_keys: Vec<String>,
}

impl Coverage {
    pub fn summary(&self) -> String {
        format!(
            "{} facts: {} with a primary source, {} second-hand only, {} unsourced",
            self.facts, self.primary, self.secondary, self.unsourced
        )
    }
}

/// Checks the evidence of `guide`; `shown` are the places in the book that show each fact.
pub fn check(
    guide: &Guide,
    settings: &Settings,
    yaml: &str,
    shown: &[Shown],
    today: Date,
) -> (Vec<Diagnostic>, Coverage) {
    let mut diagnostics = Vec::new();
    let mut coverage = Coverage::default();
    let facts_start = yaml.find("\nfacts:").map_or(0, |at| at + 1);
    let at = |needle: &str| {
        let offset = yaml[facts_start..]
            .find(needle)
            .map_or(facts_start, |found| facts_start + found);
        offset..offset + needle.len().max(1)
    };
    let error = |message: String, needle: &str, hint: &str| {
        Diagnostic::error(CHECK, message)
            .at_span(GUIDE_FILE, yaml, at(needle))
            .hint(hint.to_string())
    };
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    for fact in &guide.facts {
        let first_key = fact.keys.first().map_or("", String::as_str);
        coverage.facts += 1;
        if fact.keys.is_empty() {
            diagnostics.push(error(
                "a fact names no keys".into(),
                "keys: []",
                "list the setting keys (or the one claims.<name> key) this evidence is for",
            ));
        }
        for key in &fact.keys {
            if !covered.insert(key) {
                diagnostics.push(error(
                    format!("`{key}` is covered by two facts"),
                    key,
                    "merge the two entries: each key has one set of evidence",
                ));
            }
            if key.starts_with(CLAIM_PREFIX) {
                if fact.keys.len() > 1 || fact.claim.as_deref().is_none_or(str::is_empty) {
                    diagnostics.push(error(
                        format!("`{key}` is a claim: it stands alone and says what it claims"),
                        key,
                        "give a claims.<name> fact its own entry with `claim: <one sentence>`",
                    ));
                }
            } else if settings.get(key).is_none() {
                let hint = suggest::closest(key, settings.keys())
                    .map(|best| format!("did you mean `{best}`?"))
                    .unwrap_or_else(|| {
                        "a fact key is a setting key of guide.yaml, or claims.<name>".to_string()
                    });
                diagnostics.push(error(
                    format!("`{key}` is not a setting of guide.yaml"),
                    key,
                    &hint,
                ));
            }
        }
        match (fact.sources.is_empty(), &fact.unsourced) {
            (true, None) => diagnostics.push(error(
                format!("`{first_key}` names no source and no reason why not"),
                first_key,
                "add sources (url, quote copied from the page, retrieved), or unsourced: \"<why>\" and make the prose say less",
            )),
            (false, Some(_)) => diagnostics.push(error(
                format!("`{first_key}` has sources and is marked unsourced"),
                first_key,
                "keep one: the sources, or the reason there are none",
            )),
            (true, Some(reason)) => {
                coverage.unsourced += 1;
                coverage.unsourced_keys.extend(fact.keys.iter().cloned());
                if reason.trim().is_empty() {
                    diagnostics.push(error(
                        format!("`{first_key}` is unsourced without a reason"),
                        first_key,
                        "say why no source could be found",
                    ));
                } else {
                    diagnostics.push(
                        Diagnostic::warning(
                            CHECK,
                            format!("`{first_key}` is unsourced: {reason}"),
                        )
                        .at_span(GUIDE_FILE, yaml, at(first_key))
                        .hint("the prose that shows it must hedge it or leave it out; add a source when one is found"),
                    );
                }
            }
            (false, None) => {
                if fact.sources.iter().any(|s| !s.secondary) {
                    coverage.primary += 1;
                } else {
                    coverage.secondary += 1;
                }
            }
        }
        for source in &fact.sources {
            diagnostics.extend(check_source(guide, source, yaml, &at, today));
        }
        if let Some(problem) = reading_problem(fact, settings, shown, yaml, &at, today) {
            diagnostics.push(problem);
        }
        if let Some(review_by) = &fact.review_by {
            match crate::dates::parse(review_by) {
                None => diagnostics.push(error(
                    format!("review_by `{review_by}` is not a date"),
                    review_by,
                    "write YYYY-MM-DD",
                )),
                Some(day) if today > day => {
                    diagnostics.extend(overdue(fact, review_by, shown, yaml, &at));
                }
                Some(_) => {}
            }
        }
    }
    for key in facts::required_keys(settings) {
        if !covered.contains(key) {
            let offset = setting_offset(yaml, key);
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    format!("`{key}` is a fact readers are told, but no fact entry covers it"),
                )
                .at_span(GUIDE_FILE, yaml, offset..offset + 1)
                .hint(
                    "add it to a fact under facts: with its sources, or with unsourced: \"<why>\"",
                ),
            );
        }
    }
    let claims: BTreeSet<&str> = covered
        .iter()
        .copied()
        .filter(|k| k.starts_with(CLAIM_PREFIX))
        .collect();
    for place in shown.iter().filter(|s| s.key.starts_with(CLAIM_PREFIX)) {
        if !claims.contains(place.key.as_str()) {
            let hint = suggest::closest(&place.key, claims.iter().copied())
                .map(|best| format!("did you mean `{best}`?"))
                .unwrap_or_else(|| {
                    "add the claim under facts: in guide.yaml, with its sources".to_string()
                });
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    format!("fact marker `{}`: guide.yaml has no such claim", place.key),
                )
                .at_line_col(&place.file, place.line, place.column)
                .hint(hint),
            );
        }
    }
    for edition in &guide.editions {
        if let Some(checked) = crate::dates::parse(&edition.sources_checked) {
            let age = (today - checked).get_days();
            if age > STALE_AFTER_DAYS {
                let offset = yaml
                    .find(&format!("sources_checked: {}", edition.sources_checked))
                    .unwrap_or(0);
                diagnostics.push(
                    Diagnostic::warning(
                        CHECK,
                        format!("the sources of edition `{}` were last checked {age} days ago", edition.id),
                    )
                    .at_span(GUIDE_FILE, yaml, offset..offset + 15)
                    .hint("run `cargo xtask sources --stamp` online (the weekly workflow does) to check them again"),
                );
            }
        }
    }
    (diagnostics, coverage)
}

fn check_source(
    guide: &Guide,
    source: &crate::model::schema::Source,
    yaml: &str,
    at: &dyn Fn(&str) -> std::ops::Range<usize>,
    today: Date,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let quote_start = source.quote.chars().take(30).collect::<String>();
    let mut problem = |message: String, needle: &str, hint: &str| {
        problems.push(
            Diagnostic::error(CHECK, message)
                .at_span(GUIDE_FILE, yaml, at(needle))
                .hint(hint.to_string()),
        );
    };
    match (&source.url, &source.document) {
        (Some(id), None) => match guide.urls.iter().find(|u| &u.id == id) {
            None => problem(
                format!("source url `{id}` is not declared under urls:"),
                &format!("url: {id}"),
                "declare the page under urls: (id, url, title, purpose, expect) and cite it by id",
            ),
            Some(entry) if entry.title.as_deref().is_none_or(str::is_empty) => problem(
                format!("url `{id}` is cited as a source but has no title"),
                &format!("url: {id}"),
                "add title: <the page's own title> to its urls: entry; readers see it under Sources",
            ),
            Some(_) => {}
        },
        (None, Some(id)) => {
            if !guide.documents.iter().any(|d| &d.id == id) {
                problem(
                    format!("source document `{id}` is not declared under documents:"),
                    &format!("document: {id}"),
                    "declare it under documents: (id, title, local_copy)",
                );
            }
        }
        _ => problem(
            "a source names neither a url nor a document, or both".into(),
            &quote_start,
            "cite exactly one: url: <id> or document: <id>",
        ),
    }
    let length = source.quote.chars().count();
    if source.quote.trim().is_empty() {
        problem(
            "a source has an empty quote".into(),
            "quote: \"\"",
            "copy the words that support the fact from the page, or mark the fact unsourced",
        );
    } else if length > MAX_QUOTE_CHARS {
        problem(
            format!("a quote has {length} characters, more than {MAX_QUOTE_CHARS}"),
            &quote_start,
            "quote the one sentence that supports the fact",
        );
    }
    match (&source.language, &source.translation) {
        (Some(_), None) => problem(
            "a quote not in English has no translation".into(),
            &quote_start,
            "add translation: the quote in English, so every reader can weigh it",
        ),
        (None, Some(_)) => problem(
            "a translated quote does not say its language".into(),
            &quote_start,
            "add language: the language the page was read in (Japanese, German, …)",
        ),
        _ => {}
    }
    match crate::dates::parse(&source.retrieved) {
        None => problem(
            format!("retrieved `{}` is not a date", source.retrieved),
            &format!("retrieved: {}", source.retrieved),
            "write the day the quote was copied, YYYY-MM-DD",
        ),
        Some(day) if day > today => problem(
            format!("retrieved `{}` is in the future", source.retrieved),
            &format!("retrieved: {}", source.retrieved),
            "write the day the quote was copied",
        ),
        Some(_) => {}
    }
    problems
}

/// A fact nobody has read against its quotes, or whose claim, values or quotes changed since
/// the last reading: a true quote under a broader claim is a false claim, and only a person
/// reading both side by side can tell. The expected value is the record to write once read.
fn reading_problem(
    fact: &crate::model::schema::Fact,
    settings: &Settings,
    shown: &[Shown],
    yaml: &str,
    at: &dyn Fn(&str) -> std::ops::Range<usize>,
    today: Date,
) -> Option<Diagnostic> {
    let key = fact.keys.first().map_or("", String::as_str);
    let digest = facts::reading_digest(fact, settings, shown);
    // No record to paste: the reading is made, and written, by `cargo xtask read`.
    let hint = format!(
        "read it side by side: `cargo xtask read {key}` shows the claim, its quotes and every sentence marked with it, and records the reading when you confirm; narrow the claim or the prose where the quotes do not say all of it"
    );
    match &fact.read {
        None => Some(
            Diagnostic::error(
                CHECK,
                format!("`{key}` has not been read against its quotes"),
            )
            .at_span(GUIDE_FILE, yaml, at(key))
            .hint(hint),
        ),
        Some(reading) if crate::dates::parse(&reading.on).is_none_or(|day| day > today) => Some(
            Diagnostic::error(
                CHECK,
                format!("`{key}`: read on `{}` is not a past date", reading.on),
            )
            .at_span(GUIDE_FILE, yaml, at(&format!("digest: {}", reading.digest)))
            .hint("write the day the fact was read, YYYY-MM-DD"),
        ),
        Some(reading) if reading.digest != digest => Some(
            Diagnostic::error(
                CHECK,
                format!(
                    "`{key}` changed since it was read against its quotes on {}: not read since",
                    reading.on
                ),
            )
            .at_span(GUIDE_FILE, yaml, at(&format!("digest: {}", reading.digest)))
            .hint(hint),
        ),
        Some(_) => None,
    }
}

/// A fact whose `review_by` day has passed, reported at every place that shows it.
fn overdue(
    fact: &crate::model::schema::Fact,
    review_by: &str,
    shown: &[Shown],
    yaml: &str,
    at: &dyn Fn(&str) -> std::ops::Range<usize>,
) -> Vec<Diagnostic> {
    let key = fact.keys.first().map_or("", String::as_str);
    let message = format!("`{key}` was to be reviewed by {review_by}, and that day has passed");
    let hint = "check the fact against its sources (it may be about a date that is now past), update the prose and the tense, then move review_by on or remove it";
    let mut found: Vec<Diagnostic> = shown
        .iter()
        .filter(|place| fact.keys.contains(&place.key))
        .map(|place| {
            Diagnostic::warning(CHECK, message.clone())
                .at_line_col(&place.file, place.line, place.column)
                .hint(hint)
        })
        .collect();
    found.push(
        Diagnostic::warning(CHECK, message)
            .at_span(GUIDE_FILE, yaml, at(&format!("review_by: {review_by}")))
            .hint(hint),
    );
    found
}

/// Where a setting's value is written in guide.yaml, as near as its last segment tells.
fn setting_offset(yaml: &str, key: &str) -> usize {
    let last = key.rsplit('.').next().unwrap_or(key);
    yaml.find(&format!("{last}:")).unwrap_or(0)
}

//! "How we know": the evidence page, generated from `guide.yaml` like the Sources sections.
//!
//! Every fact the guide tells readers, with the exact quote(s) beside it, the page each was
//! copied from, the day, whether the page is first- or second-hand, its `review_by`, when it
//! was last read against its quotes, and links to the pages that show it; the facts without a
//! source with their reason. A reviewer reads claim and quote side by side in one place; a
//! reader who doubts a sentence sees why the guide says it.
//!
//! The chapter `book/evidence.md` holds `EVIDENCE_MARKER` on a line of its own; the site's
//! preprocessor replaces it with `evidence_markdown`. Every string from the YAML is escaped
//! where it lands (`crate::escape`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::escape;
use crate::model::facts::{self, CLAIM_PREFIX};
use crate::model::schema::{Fact, Guide};
use crate::model::settings::Settings;

/// The line of `book/evidence.md` that the generated evidence replaces.
pub const EVIDENCE_MARKER: &str = "<!-- evidence: generated from guide.yaml -->";

/// The chapter that holds the evidence, relative to the book's source folder.
pub const EVIDENCE_PAGE: &str = "evidence.md";

/// A page of the book that shows a fact: its path (relative to the book's source) and title.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ShownOn {
    pub page: PathBuf,
    pub title: String,
}

/// The anchor of a fact on the evidence page: `fact-` and its first key as written. Keys are
/// dotted plain ids, so they are kept verbatim (dots, dashes and underscores all stay: folding
/// any of them together gave `a-b` and `a_b` one anchor); any other character is written as
/// `~hex~`, which no key holds, so two keys never share an anchor.
pub fn anchor(fact: &Fact) -> String {
    let key = fact.keys.first().map_or("", String::as_str);
    let mut slug = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_') {
            slug.push(c);
        } else {
            slug.push_str(&format!("~{:x}~", c as u32));
        }
    }
    format!("fact-{slug}")
}

/// A markdown link, from a page one folder below the book's root (an edition's page), to the
/// evidence page's entry for the fact that covers `key`; `None` when no fact covers it.
pub fn link_from_edition(guide: &Guide, key: &str, text: &str) -> Option<String> {
    let fact = facts::fact_for(guide, key)?;
    Some(format!("[{text}](../{EVIDENCE_PAGE}#{})", anchor(fact)))
}

/// What a fact says, as a reader meets it: a claim's sentence, or the distinct values of its
/// settings (a menu path shown by two keys reads once).
fn statement(fact: &Fact, settings: &Settings) -> String {
    if let Some(claim) = &fact.claim {
        return claim.clone();
    }
    let mut values: Vec<&str> = Vec::new();
    for key in &fact.keys {
        let value = settings.get(key).unwrap_or(key);
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values.join(" · ")
}

/// The generated part of the evidence page. `shown` maps each fact key to the pages that show
/// it; `from` is the evidence page's own path, so links are relative to it.
pub fn evidence_markdown(
    guide: &Guide,
    settings: &Settings,
    shown: &BTreeMap<String, Vec<ShownOn>>,
    from: &Path,
) -> String {
    let to_root = "../".repeat(from.components().count().saturating_sub(1));
    let (sourced, unsourced): (Vec<&Fact>, Vec<&Fact>) = guide
        .facts
        .iter()
        .partition(|fact| !fact.sources.is_empty());
    let (claims, values): (Vec<&Fact>, Vec<&Fact>) = sourced
        .into_iter()
        .partition(|fact| fact.keys.iter().any(|k| k.starts_with(CLAIM_PREFIX)));
    let read = guide.facts.iter().filter(|f| f.read.is_some()).count();
    let mut out = format!(
        "{} facts: {} statements in the prose, {} values the steps and tables show, {} without a source; {} read against their quotes.\n\n",
        guide.facts.len(),
        claims.len(),
        values.len(),
        unsourced.len(),
        read
    );
    for (heading, group) in [
        ("What the guide states", &claims),
        ("Values the steps and tables show", &values),
        ("Without a source", &unsourced),
    ] {
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("## {heading}\n\n"));
        for fact in group.iter() {
            // Each fact in a box of its own, so a phone lays out only the ones on screen
            // (`content-visibility` in theme/head.hbs): the page holds every fact of the guide.
            out.push_str("<div class=\"fact\">\n\n");
            write_fact(&mut out, guide, settings, shown, fact, &to_root);
            out.push_str("</div>\n\n");
        }
    }
    out
}

fn write_fact(
    out: &mut String,
    guide: &Guide,
    settings: &Settings,
    shown: &BTreeMap<String, Vec<ShownOn>>,
    fact: &Fact,
    to_root: &str,
) {
    out.push_str(&format!(
        "### {} {{#{}}}\n\n",
        escape::markdown(&statement(fact, settings)),
        anchor(fact)
    ));
    let keys: Vec<String> = fact.keys.iter().map(|k| escape::code_span(k)).collect();
    let mut about = vec![format!("Key: {}", keys.join(", "))];
    match &fact.read {
        Some(reading) => about.push(format!(
            "read against its quotes on {}",
            escape::markdown(&reading.on)
        )),
        None => about.push("not yet read against its quotes".to_string()),
    }
    if let Some(review_by) = &fact.review_by {
        about.push(format!(
            "to be checked again by {}",
            escape::markdown(review_by)
        ));
    }
    let mut pages: Vec<&ShownOn> = fact
        .keys
        .iter()
        .filter_map(|key| shown.get(key))
        .flatten()
        .collect();
    pages.sort();
    pages.dedup();
    if !pages.is_empty() {
        let links: Vec<String> = pages
            .iter()
            .map(|on| {
                format!(
                    "[{}](<{to_root}{}>)",
                    escape::markdown(&on.title),
                    on.page.display()
                )
            })
            .collect();
        about.push(format!("shown on {}", links.join(", ")));
    }
    out.push_str(&format!("{}.\n\n", about.join("; ")));
    if let Some(reason) = &fact.unsourced {
        out.push_str(&format!("No source: {}\n\n", escape::markdown(reason)));
    }
    for source in &fact.sources {
        let Some(cited) = facts::cited(guide, source) else {
            continue;
        };
        let title = escape::markdown(&cited.title);
        let from = match &cited.url {
            Some(url) => format!("[{title}](<{url}>)"),
            None => title,
        };
        let hand = if cited.secondary {
            "second-hand"
        } else {
            "first-hand"
        };
        let read_in = source
            .read_in
            .as_deref()
            .map(|place| format!("; read in {}", escape::markdown(place)))
            .unwrap_or_default();
        let translation = match (&source.language, &source.translation) {
            (Some(language), Some(english)) => format!(
                ">\n> In English ({} original): “{}”\n",
                escape::markdown(language),
                escape::markdown(english)
            ),
            _ => String::new(),
        };
        out.push_str(&format!(
            "> “{}”\n{translation}>\n> — {from} ({hand}), quoted on {}{read_in}\n\n",
            escape::markdown(&source.quote),
            escape::markdown(&source.retrieved)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_plain() {
        let fact: Fact =
            serde_yaml::from_str("keys: [claims.ropc_switch]\nclaim: x\nunsourced: y\n").unwrap();
        assert_eq!(anchor(&fact), "fact-claims.ropc_switch");
    }

    #[test]
    fn keys_that_differ_only_by_dash_underscore_dot_or_case_get_different_anchors() {
        let keys = [
            "claims.a-b",
            "claims.a_b",
            "claims-a.b",
            "claims.A_b",
            "claims.a~5f~b",
        ];
        let anchors: std::collections::BTreeSet<String> = keys
            .iter()
            .map(|key| {
                let fact: Fact =
                    serde_yaml::from_str(&format!("keys: ['{key}']\nclaim: x\nunsourced: y\n"))
                        .unwrap();
                anchor(&fact)
            })
            .collect();
        assert_eq!(anchors.len(), keys.len(), "{anchors:?}");
    }
}

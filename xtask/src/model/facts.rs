//! Which settings are facts, and where each fact is shown.
//!
//! A reader acts on or is told the values under `service`, `history` and `app_passwords`, and
//! each edition's iOS versions, way of signing in and menu paths: those are facts and need
//! evidence. Examples (`service.example_*`), titles, step wording and the release are the guide's
//! own words, not facts about the world. Statements made in prose are `claims.<name>` facts.
//! Of a problem (`problems:`), its cause, the messages it quotes and its steps are facts; its
//! title and symptom (the reader's words) and what to tell IT are not. An edition's `menus`
//! and the administrators' checks are facts too.

use std::path::PathBuf;

use crate::model::settings::Settings;

/// The prefix of a fact stated in prose rather than held in a setting.
pub const CLAIM_PREFIX: &str = "claims.";

/// Edition fields that are facts.
const EDITION_FACTS: [&str; 5] = [
    "ios",
    "auth",
    "add_account_path",
    "accounts_path",
    "mail_accounts_path",
];

/// True when the setting `key` states a fact about the world, which must cite a source.
pub fn is_fact_setting(key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["service", field] => !field.starts_with("example_"),
        ["history", _] | ["app_passwords", _] => true,
        ["editions", _, field] => EDITION_FACTS.contains(field),
        ["editions", _, "steps", _, "menu"] => true,
        ["editions", _, "menus", _] => true,
        ["problems", _, "cause"] => true,
        ["problems", _, "messages", _, "text"] => true,
        ["problems", _, "steps", _, "text"] => true,
        ["admin_checks", _, "text"] => true,
        ["admin_checks", _, "steps", _, "text" | "command"] => true,
        ["day_to_day", _, "iphone" | "outlook_app" | "outlook_web", "text"] => true,
        ["day_to_day", _, "steps", _, "text"] => true,
        _ => false,
    }
}

/// Every setting key that must be covered by a fact entry, in key order.
pub fn required_keys(settings: &Settings) -> Vec<&str> {
    settings.keys().filter(|key| is_fact_setting(key)).collect()
}

/// A place in the book that shows a fact: a setting marker or a fact marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub key: String,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// For a fact marker in prose a person wrote (not a generated file): the sentence it marks,
    /// the text of its line before the marker (and after any earlier marker on that line).
    pub sentence: Option<String>,
}

/// The sentence a fact marker at `marker_start` marks: its line's text before the marker and
/// after any earlier fact marker, without the setting markers inside it (readers never see
/// those) or a list item's or quote's leading markup.
pub fn marked_sentence(text: &str, marker_start: usize) -> String {
    let line_start = text[..marker_start].rfind('\n').map_or(0, |at| at + 1);
    let mut before = &text[line_start..marker_start];
    if let Some(at) = before.rfind("<!-- fact:") {
        before = before[at..]
            .find("-->")
            .map_or("", |end| &before[at + end + 3..]);
    }
    let mut sentence = String::with_capacity(before.len());
    let mut rest = before;
    while let Some(at) = rest.find("<!--") {
        sentence.push_str(&rest[..at]);
        rest = rest[at..]
            .find("-->")
            .map_or("", |end| &rest[at + end + 3..]);
    }
    sentence.push_str(rest);
    let trimmed = sentence.trim();
    let trimmed = trimmed
        .trim_start_matches(['-', '*', '+', '>'])
        .trim_start();
    trimmed
        .split_once(". ")
        .filter(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .map_or(trimmed, |(_, rest)| rest)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::is_fact_setting;

    #[test]
    fn facts_are_the_values_readers_act_on() {
        assert!(is_fact_setting("service.exchange_server"));
        assert!(is_fact_setting("history.basic_auth_disabling_began"));
        assert!(is_fact_setting("editions.current.accounts_path"));
        assert!(is_fact_setting("editions.current.steps.1.menu"));
        assert!(!is_fact_setting("service.example_email"));
        assert!(!is_fact_setting("editions.current.title"));
        assert!(!is_fact_setting("editions.current.steps.1.text"));
        assert!(!is_fact_setting("urls.semver.url"));
        assert!(!is_fact_setting("release"));
        assert!(is_fact_setting("editions.current.menus.default_calendar"));
        assert!(is_fact_setting("problems.quarantined.cause"));
        assert!(is_fact_setting("problems.quarantined.messages.1.text"));
        assert!(is_fact_setting("problems.quarantined.steps.2.text"));
        assert!(!is_fact_setting("problems.quarantined.title"));
        assert!(!is_fact_setting("problems.quarantined.symptom"));
        assert!(!is_fact_setting("problems.quarantined.tell_it"));
        assert!(is_fact_setting("admin_checks.quarantine.steps.1.command"));
        assert!(is_fact_setting("day_to_day.rooms.outlook_app.text"));
        assert!(is_fact_setting("day_to_day.rooms.steps.1.text"));
        assert!(!is_fact_setting("day_to_day.rooms.outlook_app.can"));
        assert!(!is_fact_setting("day_to_day.rooms.question"));
    }
}

use crate::model::schema::{Fact, Guide, Source};

/// The fact entry that covers `key`, if any.
pub fn fact_for<'g>(guide: &'g Guide, key: &str) -> Option<&'g Fact> {
    guide
        .facts
        .iter()
        .find(|fact| fact.keys.iter().any(|k| k == key))
}

/// A source as readers see it: its title, and its address when it has one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cited {
    pub title: String,
    pub url: Option<String>,
    pub secondary: bool,
}

/// The title and address of `source`, from the `urls:` or `documents:` entry it names.
pub fn cited(guide: &Guide, source: &Source) -> Option<Cited> {
    if let Some(id) = &source.url {
        let entry = guide.urls.iter().find(|u| &u.id == id)?;
        return Some(Cited {
            title: entry.title.clone().unwrap_or_else(|| entry.purpose.clone()),
            url: Some(entry.url.clone()),
            secondary: source.secondary,
        });
    }
    let id = source.document.as_ref()?;
    let document = guide.documents.iter().find(|d| &d.id == id)?;
    Some(Cited {
        title: document.title.clone(),
        url: None,
        secondary: source.secondary,
    })
}

/// The source to show first for `key`: a primary one if there is one.
pub fn best_source<'g>(guide: &'g Guide, key: &str) -> Option<&'g Source> {
    let fact = fact_for(guide, key)?;
    fact.sources
        .iter()
        .find(|s| !s.secondary)
        .or_else(|| fact.sources.first())
}

/// The sentences of the prose that `fact`'s markers mark, sorted and each once.
pub fn marked_sentences<'s>(fact: &Fact, shown: &'s [Shown]) -> Vec<&'s str> {
    let mut sentences: Vec<&str> = shown
        .iter()
        .filter(|place| fact.keys.contains(&place.key))
        .filter_map(|place| place.sentence.as_deref())
        .collect();
    sentences.sort_unstable();
    sentences.dedup();
    sentences
}

/// A fingerprint of what a reader of `fact` reads: its keys, its claim (or, for settings, their
/// values as the guide shows them), its reason when unsourced, each source's page and quote,
/// and every sentence of the prose marked with it (`shown`), which is what readers see.
/// Sixteen hex digits of 64-bit FNV-1a: stable across runs and machines, and meant to notice a
/// change, not to resist a forger (the file is reviewed in every pull request).
pub fn reading_digest(fact: &Fact, settings: &Settings, shown: &[Shown]) -> String {
    let mut read = String::new();
    for sentence in marked_sentences(fact, shown) {
        read.push_str(sentence);
        read.push('\u{1d}');
    }
    for key in &fact.keys {
        read.push_str(key);
        read.push('\u{1f}');
        if let Some(value) = settings.get(key) {
            read.push_str(value);
        }
        read.push('\u{1e}');
    }
    read.push_str(fact.claim.as_deref().unwrap_or(""));
    read.push('\u{1e}');
    read.push_str(fact.unsourced.as_deref().unwrap_or(""));
    for source in &fact.sources {
        read.push('\u{1e}');
        read.push_str(
            source
                .url
                .as_deref()
                .or(source.document.as_deref())
                .unwrap_or(""),
        );
        read.push('\u{1f}');
        read.push_str(&source.quote);
        read.push('\u{1f}');
        read.push_str(if source.secondary {
            "second-hand"
        } else {
            "first-hand"
        });
        // Only when present, so the records of English quotes keep their digests.
        if let Some(translation) = &source.translation {
            read.push('\u{1f}');
            read.push_str(translation);
        }
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in read.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

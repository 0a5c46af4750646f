//! `cargo xtask sources`: does every fact still have the evidence it cites?
//!
//! Offline, the evidence is checked for shape (`checks::sources`). Online, every cited page is
//! fetched once, through the URL checker's client, limits, retries and cache, its visible text
//! extracted with html5ever and normalised (`text`), and each quote looked for: `found`;
//! `missing`, with the closest passage now on the page; `unreadable` (a sign-in page, not text,
//! or cut at the size limit); or the address's own outcome (`broken`, `timeout`…). Quotes of a
//! document without a public address are checked against its local copy when there is one.

pub mod pages;
pub mod text;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::checks::sources::Coverage;
use crate::console::Console;
use crate::diagnostic::{self, Diagnostic};
use crate::exit;
use crate::model::facts::Shown;
use crate::model::load::GUIDE_FILE;
use crate::model::schema::{Fact, Guide, Source};
use crate::model::GuideTree;
use crate::report::{self, Format};
use pages::PageText;

const CHECK: &str = "sources";

#[derive(Debug, Clone)]
pub struct SourcesOptions {
    /// The network settings, shared with `urls`; `online.offline` checks shape only.
    pub online: crate::urls::UrlsOptions,
    pub today: jiff::civil::Date,
    /// Only these facts (any of their keys); all when empty.
    pub keys: Vec<String>,
    /// After an online run, write today as `sources_checked` of every edition whose quotes
    /// were all found.
    pub stamp: bool,
}

/// What became of one quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteOutcome {
    Found,
    Missing,
    Unreadable,
    Broken,
    Timeout,
    Unreachable,
    Excluded,
    /// A document with no local copy to read.
    Unchecked,
}

impl QuoteOutcome {
    pub fn is_finding(self) -> bool {
        !matches!(
            self,
            QuoteOutcome::Found | QuoteOutcome::Excluded | QuoteOutcome::Unchecked
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            QuoteOutcome::Found => "found",
            QuoteOutcome::Missing => "missing",
            QuoteOutcome::Unreadable => "unreadable",
            QuoteOutcome::Broken => "broken",
            QuoteOutcome::Timeout => "timeout",
            QuoteOutcome::Unreachable => "unreachable",
            QuoteOutcome::Excluded => "excluded",
            QuoteOutcome::Unchecked => "unchecked",
        }
    }
}

/// One quote's row of the report (and of the JSON document).
#[derive(Debug, Clone, Serialize)]
pub struct QuoteRow {
    pub key: String,
    /// The page's address, or `document:<id>`.
    pub url: String,
    pub quote: String,
    pub outcome: QuoteOutcome,
    pub closest: Option<String>,
    pub similarity: Option<f64>,
    /// Why it is unreadable, or how the address failed.
    pub detail: Option<String>,
    /// `file:line` of every marker that shows the fact.
    pub used_in: Vec<String>,
}

/// The cited address of `source`, or `document:<id>`.
fn source_address(guide: &Guide, source: &Source) -> Option<String> {
    match (&source.url, &source.document) {
        (Some(id), _) => guide
            .urls
            .iter()
            .find(|u| &u.id == id)
            .map(|u| u.url.clone()),
        (None, Some(id)) => Some(format!("document:{id}")),
        _ => None,
    }
}

/// Why the facts asked for cannot be checked as asked, if they cannot: a key no fact has (a
/// typo would otherwise check nothing and succeed), or `--stamp` with a key filter or
/// `--exclude`: a stamp says every quote of the edition was found, so every one must be read.
fn key_filter_problem(guide: &Guide, options: &SourcesOptions) -> Option<String> {
    let known: Vec<&str> = guide
        .facts
        .iter()
        .flat_map(|fact| fact.keys.iter().map(String::as_str))
        .collect();
    if let Some(unknown) = options
        .keys
        .iter()
        .find(|key| !known.contains(&key.as_str()))
    {
        let hint = crate::suggest::closest(unknown, known.iter().copied())
            .map(|best| format!(" (did you mean `{best}`?)"))
            .unwrap_or_default();
        return Some(format!(
            "no fact has the key `{}`{hint}",
            crate::escape::terminal(unknown)
        ));
    }
    if options.stamp && (!options.keys.is_empty() || !options.online.config.excludes.is_empty()) {
        return Some(
            "--stamp dates an edition whose every quote was found, so it checks every fact: leave out the keys and --exclude"
                .to_string(),
        );
    }
    None
}

/// The facts selected by `keys` (all when empty).
fn selected<'g>(guide: &'g Guide, keys: &[String]) -> Vec<&'g Fact> {
    guide
        .facts
        .iter()
        .filter(|fact| keys.is_empty() || fact.keys.iter().any(|k| keys.contains(k)))
        .collect()
}

/// Looks for every quote of `facts` in the pages and documents read.
pub fn judge_quotes(
    guide: &Guide,
    facts: &[&Fact],
    pages: &BTreeMap<String, PageText>,
    shown: &[Shown],
) -> Vec<QuoteRow> {
    let mut rows = Vec::new();
    for fact in facts {
        let key = fact.keys.first().cloned().unwrap_or_default();
        let used_in: Vec<String> = shown
            .iter()
            .filter(|place| fact.keys.contains(&place.key))
            .map(|place| format!("{}:{}", place.file.display(), place.line))
            .collect();
        for source in &fact.sources {
            let Some(address) = source_address(guide, source) else {
                continue;
            };
            let mut row = QuoteRow {
                key: key.clone(),
                url: address.clone(),
                quote: source.quote.clone(),
                outcome: QuoteOutcome::Unchecked,
                closest: None,
                similarity: None,
                detail: None,
                used_in: used_in.clone(),
            };
            match pages.get(&address) {
                Some(PageText::Text(page)) => {
                    let quote = text::normalise(&source.quote);
                    if text::contains(page, &quote) {
                        row.outcome = QuoteOutcome::Found;
                    } else {
                        row.outcome = QuoteOutcome::Missing;
                        if let Some(closest) = text::closest(page, &quote) {
                            row.similarity = Some((closest.similarity * 1000.0).round() / 1000.0);
                            row.closest = Some(closest.passage);
                        }
                    }
                }
                Some(PageText::Unreadable(why)) => {
                    row.outcome = QuoteOutcome::Unreadable;
                    row.detail = Some(why.clone());
                }
                Some(PageText::Failed(outcome, why)) => {
                    row.outcome = *outcome;
                    row.detail = Some(why.clone());
                }
                None => {}
            }
            rows.push(row);
        }
    }
    rows
}

/// The rows of the quotes from documents with a local copy, read without the network.
pub fn document_rows(
    root: &Path,
    guide: &Guide,
    facts: &[&Fact],
    shown: &[Shown],
) -> Vec<QuoteRow> {
    let documents = pages::read_documents(root, guide, facts);
    judge_quotes(guide, facts, &documents, shown)
        .into_iter()
        .filter(|row| row.url.starts_with("document:"))
        .collect()
}

/// A diagnostic for every quote that was not found, at the quote in guide.yaml.
pub fn diagnostics(rows: &[QuoteRow], yaml: &str) -> Vec<Diagnostic> {
    rows.iter()
        .filter(|row| row.outcome.is_finding())
        .map(|row| {
            let needle: String = row.quote.chars().take(40).collect();
            let offset = yaml.find(&needle).unwrap_or(0);
            let mut diagnostic = Diagnostic::error(
                CHECK,
                format!("{}: quote {} on {}", row.key, row.outcome.label(), row.url),
            )
            .at_span(GUIDE_FILE, yaml, offset..offset + needle.len().max(1));
            diagnostic = match (&row.closest, row.similarity) {
                (Some(closest), Some(similarity)) => diagnostic
                    .expected_found(&row.quote, closest)
                    .detail(format!("the closest passage on the page now is {:.0} % alike", similarity * 100.0))
                    .hint("read the page: if the fact changed, update guide.yaml and the prose; if only the words did, copy the new sentence exactly"),
                _ => diagnostic
                    .detail(row.detail.clone().unwrap_or_default())
                    .hint("open the page in a browser; replace the source if it is gone or behind a sign-in, or mark the fact unsourced and say less"),
            };
            if !row.used_in.is_empty() {
                let detail = format!(
                    "{}\nshown at {}",
                    diagnostic.detail.clone().unwrap_or_default(),
                    row.used_in.join(", ")
                );
                diagnostic = diagnostic.detail(detail);
            }
            diagnostic
        })
        .collect()
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    coverage: &'a Coverage,
    quotes: &'a [QuoteRow],
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub const NETWORK_DOWN: &str =
    "every source page was unreachable: the network looks down (use --offline to check the evidence without it)";

/// `cargo xtask sources`.
pub fn command(root: &Path, options: &SourcesOptions, console: &mut Console<'_>) -> u8 {
    let human = options.online.format == Format::Human;
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            report::human::print_all(console.err, &problems, console.colour);
            return exit::CANNOT_RUN;
        }
    };
    let shown = crate::checks::check_markdown(&tree).shown;
    let guide = &tree.yaml.guide;
    let (mut found, coverage) = crate::checks::sources::check(
        guide,
        &tree.yaml.settings,
        &tree.yaml.text,
        &shown,
        options.today,
    );
    if let Some(problem) = key_filter_problem(guide, options) {
        let _ = writeln!(console.err, "sources: {problem}");
        return exit::CANNOT_RUN;
    }
    let facts = selected(guide, &options.keys);
    let rows;
    if options.online.offline {
        // Documents have local copies: their quotes are checked without the network.
        rows = document_rows(root, guide, &facts, &shown);
        found.extend(diagnostics(&rows, &tree.yaml.text));
    } else {
        let pages = match pages::read_all(root, guide, &facts, &options.online, console.colour) {
            Ok(pages) => pages,
            Err(error) => {
                let _ = writeln!(console.err, "sources: {error}");
                return exit::CANNOT_RUN;
            }
        };
        if pages::network_is_down(&pages) {
            let _ = writeln!(console.err, "sources: {NETWORK_DOWN}");
            return exit::CANNOT_RUN;
        }
        rows = judge_quotes(guide, &facts, &pages, &shown);
        found.extend(diagnostics(&rows, &tree.yaml.text));
        if options.stamp {
            if let Err(error) = stamp(
                root,
                guide,
                &tree.yaml.text,
                &rows,
                &shown,
                options.today,
                console,
            ) {
                let _ = writeln!(console.err, "sources: {error}");
                return exit::CANNOT_RUN;
            }
        }
    }
    diagnostic::sort(&mut found);
    let errors = found.iter().filter(|d| d.is_error()).count();
    let warnings = found.len() - errors;
    if human {
        let out = &mut *console.out;
        for row in rows.iter().filter(|r| r.outcome != QuoteOutcome::Found) {
            let _ = writeln!(
                out,
                "  {:<11} {}  {}",
                row.outcome.label(),
                row.key,
                row.url
            );
        }
        for diagnostic in &found {
            let _ = write!(
                out,
                "\n{}",
                report::human::render(diagnostic, console.colour)
            );
        }
        let _ = writeln!(out, "\nsources: {}", coverage.summary());
        if !coverage.unsourced_keys.is_empty() {
            let _ = writeln!(
                out,
                "sources: unsourced: {}",
                coverage.unsourced_keys.join(", ")
            );
        }
        if !options.online.offline {
            let found_count = rows
                .iter()
                .filter(|r| r.outcome == QuoteOutcome::Found)
                .count();
            let _ = writeln!(
                out,
                "sources: {found_count} of {} quotes found on their pages",
                rows.len()
            );
        }
        let _ = writeln!(out, "sources: {errors} error(s), {warnings} warning(s)");
        if console.github {
            for diagnostic in &found {
                let _ = out.write_all(report::github::render(diagnostic).as_bytes());
            }
        }
    } else {
        let document = JsonDocument {
            coverage: &coverage,
            quotes: &rows,
            errors,
            warnings,
            diagnostics: &found,
        };
        let json = serde_json::to_string_pretty(&document)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        let _ = writeln!(console.out, "{json}");
    }
    if errors > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// Writes today as `sources_checked` of every edition whose pages' quotes were all found
/// (only that date's bytes change; the file is written atomically).
fn stamp(
    root: &Path,
    guide: &Guide,
    yaml: &str,
    rows: &[QuoteRow],
    shown: &[Shown],
    today: jiff::civil::Date,
    console: &mut Console<'_>,
) -> Result<(), String> {
    let mut text = yaml.to_string();
    for edition in &guide.editions {
        let prefixes = [
            format!("book/{}/", edition.dir),
            format!("snippets/{}/", edition.dir),
        ];
        let keys: Vec<&str> = shown
            .iter()
            .filter(|place| {
                let file = place.file.to_string_lossy();
                prefixes
                    .iter()
                    .any(|prefix| file.starts_with(prefix.as_str()))
            })
            .map(|place| place.key.as_str())
            .collect();
        let edition_rows: Vec<&QuoteRow> = rows
            .iter()
            .filter(|row| {
                guide.facts.iter().any(|fact| {
                    fact.keys.contains(&row.key)
                        && fact.keys.iter().any(|k| keys.contains(&k.as_str()))
                })
            })
            .collect();
        // Every quote compared and found: a page that could not be read, a document with no
        // copy, or a quote left out was never compared, and a stamp would say it was.
        let all_found = edition_rows
            .iter()
            .all(|row| row.outcome == QuoteOutcome::Found);
        if !all_found {
            let _ = writeln!(
                console.err,
                "sources: edition {} keeps its date (not every quote was compared and found)",
                edition.id
            );
            continue;
        }
        use crate::model::yaml_spans::{replace_scalar, scalar_span, Step};
        let path = [
            Step::Key("editions"),
            Step::ItemWith("id", &edition.id),
            Step::Key("sources_checked"),
        ];
        let Some(span) = scalar_span(&text, &path) else {
            return Err(format!(
                "cannot find sources_checked of edition {} in {GUIDE_FILE}; nothing was written",
                edition.id
            ));
        };
        text = replace_scalar(&text, span, &today.to_string());
        let _ = writeln!(
            console.err,
            "sources: edition {} sources checked on {today}",
            edition.id
        );
    }
    if text != yaml {
        crate::fsutil::write_in(root, std::path::Path::new(GUIDE_FILE), text.as_bytes())
            .map_err(|error| format!("cannot write {GUIDE_FILE}: {error}"))?;
        // The settings tables show the date: keep the generated snippets in step.
        crate::snippets::command::refresh(root, &mut |line| {
            let _ = writeln!(console.err, "sources: snippets: {line}");
        })?;
    }
    Ok(())
}

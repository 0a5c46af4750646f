//! Every check is a function over the loaded guide that returns diagnostics; none does I/O.

pub mod app_password;
pub mod english_pairs;
pub mod english_words;
pub mod external_urls;
pub mod extract;
pub mod includes;
pub mod links;
pub mod secrets;
pub mod settings;
pub mod shipped;
pub mod snippets;
pub mod sources;
pub mod summary;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::model::book::SourceFile;
use crate::model::load::GUIDE_FILE;
use crate::model::GuideTree;
use external_urls::UrlUse;

/// What one check found, and a one-line account of what it looked at.
#[derive(Debug, Default)]
pub struct Outcome {
    pub summary: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// A check that found nothing.
    pub fn clean(summary: String) -> Outcome {
        Outcome {
            summary,
            diagnostics: Vec::new(),
        }
    }

    pub fn with(summary: String, diagnostics: Vec<Diagnostic>) -> Outcome {
        Outcome {
            summary,
            diagnostics,
        }
    }
}

/// The findings of the checks that read the markdown, from one extraction per file.
#[derive(Debug, Default)]
pub struct MarkdownFindings {
    pub settings: Vec<Diagnostic>,
    pub urls: Vec<Diagnostic>,
    pub secrets: Vec<Diagnostic>,
    /// Where each external address is used, for the URL report.
    pub uses: Vec<UrlUse>,
    /// Where each fact is shown (setting and fact markers), for the sources report.
    pub shown: Vec<crate::model::facts::Shown>,
    pub markers: usize,
    pub files: usize,
    /// Time spent per check (the shared extraction counts for settings).
    pub settings_time: Duration,
    pub urls_time: Duration,
    pub secrets_time: Duration,
}

/// The markdown readers see: every chapter and every file a chapter includes.
pub fn markdown_sources(tree: &GuideTree) -> impl Iterator<Item = &SourceFile> {
    tree.book.chapters.iter().chain(tree.included.iter())
}

/// Runs the settings, external-URL and secrets checks over every markdown source.
pub fn check_markdown(tree: &GuideTree) -> MarkdownFindings {
    let declared_list: Vec<&str> = tree
        .yaml
        .guide
        .urls
        .iter()
        .map(|u| u.url.as_str())
        .collect();
    let declared: BTreeSet<&str> = declared_list.iter().copied().collect();
    let mut findings = MarkdownFindings::default();
    let yaml = SourceFile {
        path: GUIDE_FILE.into(),
        text: tree.yaml.text.clone(),
    };
    for file in markdown_sources(tree) {
        let started = Instant::now();
        let found = extract::extract_with(&file.text, tree.book.flavour);
        findings.markers += found.labelled.len();
        let index = crate::line_index::LineIndex::new(&file.text);
        let generated = file.text.starts_with(crate::model::GENERATED_HEADER);
        let places = found
            .labelled
            .iter()
            .map(|l| (&l.key, l.marker_span.start, false))
            .chain(
                found
                    .fact_markers
                    .iter()
                    .map(|m| (&m.key, m.span.start, !generated)),
            );
        for (key, offset, marks_prose) in places {
            let (line, column) = index.line_col(&file.text, offset);
            findings.shown.push(crate::model::facts::Shown {
                key: key.clone(),
                file: file.path.clone(),
                line,
                column,
                sentence: marks_prose
                    .then(|| crate::model::facts::marked_sentence(&file.text, offset)),
            });
        }
        findings.files += 1;
        // A generated file's values are guide.yaml's by construction; when it is stale, the
        // snippets check reports it once, and `cargo xtask snippets` (never --fix) mends it.
        if !file.text.starts_with(crate::model::GENERATED_HEADER) {
            findings
                .settings
                .extend(settings::check_file(file, &found, &tree.yaml.settings));
            findings.settings.extend(settings::unmarked_menu_paths(
                file,
                &found,
                tree.book.flavour,
            ));
        }
        let extracted = Instant::now();
        let (diagnostics, uses) = external_urls::check_file(file, &found, &declared);
        findings.urls.extend(diagnostics);
        findings.uses.extend(uses);
        let urls_checked = Instant::now();
        findings.secrets.extend(secrets::check(file));
        findings.settings_time += extracted - started;
        findings.urls_time += urls_checked - extracted;
        findings.secrets_time += urls_checked.elapsed();
    }
    // A page a fact cites is used too: readers reach it from the generated Sources sections.
    let cited: BTreeSet<&str> = tree
        .yaml
        .guide
        .facts
        .iter()
        .flat_map(|fact| &fact.sources)
        .filter_map(|source| source.url.as_deref())
        .filter_map(|id| tree.yaml.guide.urls.iter().find(|u| u.id == id))
        .map(|entry| entry.url.as_str())
        .collect();
    let uncited: Vec<&str> = declared_list
        .iter()
        .copied()
        .filter(|url| !cited.contains(url))
        .collect();
    findings.urls.extend(external_urls::unused(
        &tree.yaml.text,
        &uncited,
        &findings.uses,
    ));
    findings.secrets.extend(secrets::check(&yaml));
    findings
}

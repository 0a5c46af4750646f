//! Rendering the guide with mdBook used as a library, so nobody installs mdBook by hand.
//!
//! mdBook only *logs* some real problems (a missing `{{#include}}` file, for one) and still
//! succeeds; as a library it logs into the void. We collect its warnings and errors and fail the
//! build on them, so a broken include can never be published.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use mdbook_driver::MDBook;
use tracing::field::{Field, Visit};
use tracing::{span, Event, Level, Metadata, Subscriber};

use crate::diagnostic::Diagnostic;
use crate::model::load::LoadedGuide;

const CHECK: &str = "build";

/// Renders the book under `root` and returns the folder holding its HTML.
pub fn build_book(root: &Path, guide: &LoadedGuide) -> Result<PathBuf, Vec<Diagnostic>> {
    // Build with exactly the configuration that was checked: `MDBook::load` would also apply
    // MDBOOK_* environment variables, which could move the build folder over the sources.
    let config = crate::model::book::load_config(root)?;
    let root = root.canonicalize().map_err(|error| {
        vec![Diagnostic::error(
            CHECK,
            format!("cannot open {}: {error}", root.display()),
        )]
    })?;
    let search = config.html_config().and_then(|html| html.search);
    let collector = MdBookLog::default();
    let logged = collector.messages.clone();
    let mut chapters = Vec::new();
    let outcome = tracing::subscriber::with_default(collector, || -> anyhow::Result<PathBuf> {
        let mut book = MDBook::load_with_config(&root, config)?;
        book.with_preprocessor(crate::site::EditionPreprocessor::new(guide));
        // mdBook panics on some broken HTML (an include pasted into an attribute): a finding,
        // not a crash of the tool.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| book.build())).map_err(
            |panic| {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_else(|| "no message".to_string());
                anyhow::anyhow!("mdBook stopped while rendering: {why}")
            },
        )??;
        for item in book.book.iter() {
            if let mdbook_driver::book::BookItem::Chapter(chapter) = item {
                if let Some(path) = &chapter.path {
                    let mut names = chapter.parent_names.clone();
                    names.push(chapter.name.clone());
                    chapters.push(crate::search_index::IndexedChapter {
                        source: path.clone(),
                        names,
                    });
                }
            }
        }
        Ok(book.build_dir_for("html"))
    });
    let mut problems: Vec<Diagnostic> = logged
        .lock()
        .expect("the log collector never panics while holding its lock")
        .iter()
        .map(|message| {
            Diagnostic::error(CHECK, format!("mdBook: {message}"))
                .hint("mdBook only logged this, but a published book must not hide it")
        })
        .collect();
    match outcome {
        Ok(html_dir) if problems.is_empty() => {
            // Search finds what readers read, in their words (`search_index`).
            if let Some(search) = search.filter(|s| s.enable) {
                crate::search_index::write(&html_dir, &search, &chapters, &guide.guide).map_err(
                    |error| {
                        vec![Diagnostic::error(
                            CHECK,
                            format!("cannot write the search index: {error}"),
                        )]
                    },
                )?;
            }
            let icons = favicons(&html_dir);
            let redirect = crate::site::root_redirect(&guide.guide, &icons);
            crate::fsutil::write_in(&html_dir, Path::new("index.html"), redirect.as_bytes())
                .map_err(|error| {
                    vec![Diagnostic::error(
                        CHECK,
                        format!("cannot write the root index.html: {error}"),
                    )]
                })?;
            // The administrators' profile is published beside the pages that link it.
            crate::profile::write_into(&html_dir, &guide.guide).map_err(|error| {
                vec![Diagnostic::error(
                    CHECK,
                    format!("cannot write {}: {error}", crate::profile::PUBLISHED_PATH),
                )]
            })?;
            Ok(html_dir)
        }
        Ok(_) => Err(problems),
        Err(error) => {
            problems.insert(
                0,
                Diagnostic::error(CHECK, format!("mdBook could not build the book: {error:#}"))
                    .hint("see the message above; a chapter listed in SUMMARY.md may be missing"),
            );
            Err(problems)
        }
    }
}

/// The favicon files mdBook wrote, SVG first.
fn favicons(html_dir: &Path) -> Vec<String> {
    let mut icons: Vec<String> = std::fs::read_dir(html_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| {
            name.starts_with("favicon") && (name.ends_with(".svg") || name.ends_with(".png"))
        })
        .collect();
    icons.sort_by_key(|name| (!name.ends_with(".svg"), name.clone()));
    icons
}

/// A `tracing` subscriber that keeps mdBook's warnings and errors.
#[derive(Default)]
struct MdBookLog {
    messages: Arc<Mutex<Vec<String>>>,
}

impl Subscriber for MdBookLog {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= Level::WARN
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut message = MessageText::default();
        event.record(&mut message);
        if let Ok(mut messages) = self.messages.lock() {
            messages.push(message.0);
        }
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

#[derive(Default)]
struct MessageText(String);

impl Visit for MessageText {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

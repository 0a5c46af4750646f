//! `cargo xtask verify`: every check in one run, one line per check with its time, exit code
//! 0 (clean), 1 (findings) or 2 (the tool could not run: bad YAML, missing files).
//!
//! `verify` reads like the list of checks; each step records an `Outcome`. With `--format json`
//! standard output carries exactly one JSON document, and every line for people (the check list,
//! `--fix` notes) goes to standard error instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::checks::{self, MarkdownFindings, Outcome};
use crate::console::Console;
use crate::diagnostic::{self, Diagnostic};
use crate::exit;
use crate::model::GuideTree;
use crate::render;
use crate::report::{self, json::CheckTiming, Format};

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The URL check's settings; `online.offline` skips it.
    pub online: crate::urls::UrlsOptions,
    /// The day date checks count from.
    pub today: jiff::civil::Date,
    /// Rewrite drifted values to guide.yaml's before checking.
    pub fix: bool,
    /// Render the book and check its links (off for a quick check of the sources only).
    pub build: bool,
    pub format: Format,
}

/// What an online step gave: findings, a network that is down, or a failure to start.
enum Online {
    Checked(Outcome),
    NetworkDown(Diagnostic),
    Failed(Diagnostic),
}

/// Collects check results and prints them the way the chosen format wants.
struct Run<'o, 'c> {
    options: &'o VerifyOptions,
    console: &'o mut Console<'c>,
    timings: Vec<CheckTiming>,
    diagnostics: Vec<Diagnostic>,
    started: Instant,
}

impl Run<'_, '_> {
    fn human(&self) -> bool {
        self.options.format == Format::Human
    }

    /// Where lines for people go: the report itself, or stderr beside a JSON document.
    fn people(&mut self) -> &mut dyn Write {
        if self.options.format == Format::Human {
            &mut *self.console.out
        } else {
            &mut *self.console.err
        }
    }

    fn record(&mut self, check: &str, elapsed: Duration, outcome: Outcome) {
        let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = outcome.diagnostics.len() - errors;
        let status = if errors > 0 { "FAIL" } else { "ok" };
        let detail = match (errors, warnings) {
            (0, 0) => outcome.summary,
            (0, w) => format!("{}; {w} warning(s)", outcome.summary),
            (e, w) => format!("{e} error(s), {w} warning(s)"),
        };
        let _ = writeln!(
            self.people(),
            "  {status:<5} {check:<9} {detail} ({} ms)",
            elapsed.as_millis()
        );
        self.timings.push(CheckTiming {
            check: check.to_string(),
            passed: errors == 0,
            elapsed_ms: elapsed.as_millis(),
        });
        self.diagnostics.extend(outcome.diagnostics);
    }

    /// Times `check` and records its outcome.
    fn run(&mut self, name: &str, check: impl FnOnce() -> Outcome) {
        let started = Instant::now();
        let outcome = check();
        self.record(name, started.elapsed(), outcome);
    }

    /// Records an online step; true when it could not run (the network is down, or it failed).
    fn record_online(&mut self, check: &str, started: Instant, result: Online) -> bool {
        match result {
            Online::Checked(outcome) => {
                self.record(check, started.elapsed(), outcome);
                false
            }
            Online::NetworkDown(down) => {
                self.record(
                    check,
                    started.elapsed(),
                    Outcome::with(String::new(), vec![down]),
                );
                true
            }
            Online::Failed(problem) => {
                self.diagnostics.push(problem);
                true
            }
        }
    }

    fn skip(&mut self, check: &str, why: &str) {
        let _ = writeln!(self.people(), "  {:<5} {check:<9} {why}", "skip");
    }

    fn finish(mut self, could_not_run: bool) -> u8 {
        diagnostic::sort(&mut self.diagnostics);
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        if self.human() {
            let colour = self.console.colour;
            for diagnostic in &self.diagnostics {
                let rendered = report::human::render(diagnostic, colour);
                let _ = write!(self.console.out, "\n{rendered}");
            }
            let _ = writeln!(
                self.console.out,
                "\nverify: {errors} error(s), {warnings} warning(s) in {} ms",
                self.started.elapsed().as_millis()
            );
            // Annotations would break a JSON document, so they go with human output only.
            if self.console.github {
                for diagnostic in &self.diagnostics {
                    let _ = self
                        .console
                        .out
                        .write_all(report::github::render(diagnostic).as_bytes());
                }
            }
        } else {
            let document = report::json::render(&self.diagnostics, &self.timings);
            let _ = self.console.out.write_all(document.as_bytes());
        }
        if could_not_run {
            exit::CANNOT_RUN
        } else if errors > 0 {
            exit::FINDINGS
        } else {
            exit::CLEAN
        }
    }
}

/// Runs every check on the guide tree at `root` and returns the process exit code.
pub fn verify(root: &Path, options: &VerifyOptions, console: &mut Console<'_>) -> u8 {
    let mut run = Run {
        options,
        console,
        timings: Vec::new(),
        diagnostics: Vec::new(),
        started: Instant::now(),
    };
    let _ = writeln!(run.people(), "verify: guide at {}", root.display());
    if options.fix {
        if let Err(problem) = fix_first(root, &mut run) {
            run.diagnostics.push(problem);
            return run.finish(true);
        }
    }
    let Some(tree) = load(&mut run, root) else {
        return run.finish(true);
    };
    check_summary(&mut run, &tree);
    check_includes(&mut run, &tree);
    let markdown = check_markdown(&mut run, &tree);
    check_sources(&mut run, &tree, &markdown);
    check_snippets(&mut run, &tree);
    check_profile(&mut run, &tree);
    if options.build {
        let html_dir = build(&mut run, root, &tree);
        check_shipped(&mut run, &tree, html_dir.as_deref());
        check_links(&mut run, &tree, html_dir.as_deref());
    } else {
        run.skip("build", "--no-build: the book is not rendered");
        run.skip(
            "links",
            "--no-build: links are checked against the rendered pages",
        );
    }
    if options.online.offline {
        run.skip("online", "--offline: the URL check needs the network");
        return run.finish(false);
    }
    let urls_could_not_run = check_urls_online(&mut run, root, &tree, &markdown);
    let sources_could_not_run = check_sources_online(&mut run, root, &tree, &markdown);
    run.finish(urls_could_not_run || sources_could_not_run)
}

/// Loads guide.yaml and the book; `None` when they cannot be read (exit code 2).
fn load(run: &mut Run<'_, '_>, root: &Path) -> Option<GuideTree> {
    let started = Instant::now();
    match GuideTree::load(root) {
        Ok(tree) => {
            let guide = &tree.yaml.guide;
            let summary = format!(
                "guide.yaml ({} settings, {} URLs, {} editions), {} chapters",
                tree.yaml.settings.keys().count(),
                guide.urls.len(),
                guide.editions.len(),
                tree.book.chapters.len()
            );
            run.record("load", started.elapsed(), Outcome::clean(summary));
            Some(tree)
        }
        Err(problems) => {
            run.record(
                "load",
                started.elapsed(),
                Outcome::with(String::new(), problems),
            );
            None
        }
    }
}

fn check_summary(run: &mut Run<'_, '_>, tree: &GuideTree) {
    run.run("summary", || {
        Outcome::with(
            format!(
                "{} chapters, all listed in SUMMARY.md",
                tree.book.chapters.len()
            ),
            checks::summary::check(&tree.book),
        )
    });
}

fn check_includes(run: &mut Run<'_, '_>, tree: &GuideTree) {
    run.run("include", || {
        Outcome::with(
            format!(
                "{} includes, all present inside the repository",
                tree.includes.len()
            ),
            {
                let mut found = checks::includes::check(tree);
                found.extend(checks::includes::directives_in_code(tree));
                found
            },
        )
    });
}

/// The checks that read the markdown share one extraction per file; each is recorded apart.
fn check_markdown(run: &mut Run<'_, '_>, tree: &GuideTree) -> MarkdownFindings {
    let mut markdown = checks::check_markdown(tree);
    let files = markdown.files;
    run.record(
        "settings",
        markdown.settings_time,
        Outcome::with(
            format!(
                "{} marked values in {files} files match guide.yaml",
                markdown.markers
            ),
            std::mem::take(&mut markdown.settings),
        ),
    );
    run.record(
        "urls",
        markdown.urls_time,
        Outcome::with(
            format!(
                "{} addresses in {files} files, all declared in guide.yaml; no unsafe link",
                markdown.uses.len()
            ),
            std::mem::take(&mut markdown.urls),
        ),
    );
    run.record(
        "secrets",
        markdown.secrets_time,
        Outcome::with(
            format!("nothing credential-shaped in {files} files and guide.yaml"),
            std::mem::take(&mut markdown.secrets),
        ),
    );
    markdown
}

/// The evidence, offline: every fact cites a well-formed source or says why it has none.
fn check_sources(run: &mut Run<'_, '_>, tree: &GuideTree, markdown: &MarkdownFindings) {
    let today = run.options.today;
    run.run("sources", || {
        let guide = &tree.yaml.guide;
        let (mut diagnostics, coverage) = checks::sources::check(
            guide,
            &tree.yaml.settings,
            &tree.yaml.text,
            &markdown.shown,
            today,
        );
        // Quotes of documents with a local copy (the 2018 post) need no network.
        let facts: Vec<&crate::model::schema::Fact> = guide.facts.iter().collect();
        let rows = crate::sources::document_rows(&tree.root, guide, &facts, &markdown.shown);
        diagnostics.extend(crate::sources::diagnostics(&rows, &tree.yaml.text));
        Outcome::with(coverage.summary(), diagnostics)
    });
}

/// The evidence, online: every quote is still on its page. True when it could not run.
fn check_sources_online(
    run: &mut Run<'_, '_>,
    root: &Path,
    tree: &GuideTree,
    markdown: &MarkdownFindings,
) -> bool {
    let started = Instant::now();
    let guide = &tree.yaml.guide;
    let facts: Vec<&crate::model::schema::Fact> = guide.facts.iter().collect();
    let colour = run.console.colour;
    let result =
        match crate::sources::pages::read_all(root, guide, &facts, &run.options.online, colour) {
            Ok(pages) if crate::sources::pages::network_is_down(&pages) => {
                Online::NetworkDown(Diagnostic::error("sources", crate::sources::NETWORK_DOWN))
            }
            Ok(pages) => {
                let rows = crate::sources::judge_quotes(guide, &facts, &pages, &markdown.shown);
                let found = rows
                    .iter()
                    .filter(|r| r.outcome == crate::sources::QuoteOutcome::Found)
                    .count();
                Online::Checked(Outcome::with(
                    format!("{found} of {} quotes found on their pages", rows.len()),
                    crate::sources::diagnostics(&rows, &tree.yaml.text),
                ))
            }
            Err(error) => Online::Failed(Diagnostic::error("sources", error)),
        };
    run.record_online("quotes", started, result)
}

/// The administrators' profile, generated in memory and held against Apple's schema.
fn check_profile(run: &mut Run<'_, '_>, tree: &GuideTree) {
    run.run("profile", || {
        let guide = &tree.yaml.guide;
        let summary = match crate::profile::generate(guide) {
            Some(profile) => format!(
                "{} keys, all in Apple's schema for iOS {}",
                count_keys(&profile),
                crate::profile::min_ios(guide)
                    .map_or("?".to_string(), |v| format!("{}.{}", v.0, v.1))
            ),
            None => "no profile: section".to_string(),
        };
        Outcome::with(summary, crate::profile::check(guide, &tree.yaml.text))
    });
}

/// Keys of a profile, its payloads' included.
fn count_keys(profile: &plist::Dictionary) -> usize {
    profile.len()
        + profile
            .get("PayloadContent")
            .and_then(plist::Value::as_array)
            .map_or(0, |payloads| {
                payloads
                    .iter()
                    .filter_map(plist::Value::as_dictionary)
                    .map(plist::Dictionary::len)
                    .sum()
            })
}

fn check_snippets(run: &mut Run<'_, '_>, tree: &GuideTree) {
    run.run("snippets", || {
        let generated = crate::snippets::generate(&tree.yaml.guide);
        Outcome::with(
            format!("{} generated snippets match guide.yaml", generated.len()),
            checks::snippets::check(&generated, &tree.snippets),
        )
    });
    // The snapshot tests follow guide.yaml too: say here which will fail, not in `cargo test`.
    run.run("snapshots", || {
        let count = crate::snapshots::of_guide(&tree.yaml.guide).len();
        let stale = crate::snapshots::stale(&tree.root, &tree.yaml.guide);
        let summary = if tree.root.join(crate::snapshots::SNAPSHOTS_DIR).is_dir() {
            format!("{count} snapshots of generated text match guide.yaml")
        } else {
            "no tests/snapshots/ in this tree".to_string()
        };
        Outcome::with(summary, stale)
    });
}

/// Renders the book; returns the folder of its HTML when the build succeeded.
fn build(run: &mut Run<'_, '_>, root: &Path, tree: &GuideTree) -> Option<PathBuf> {
    let mut built = None;
    run.run("build", || match render::build_book(root, &tree.yaml) {
        Ok(html_dir) => {
            let summary = format!("rendered {}", html_dir.display());
            built = Some(html_dir);
            Outcome::clean(summary)
        }
        Err(problems) => Outcome::with(String::new(), problems),
    });
    built
}

/// The pages as built: nothing runs but the theme's scripts, every id once.
fn check_shipped(run: &mut Run<'_, '_>, tree: &GuideTree, html_dir: Option<&Path>) {
    let Some(html_dir) = html_dir else {
        run.skip("shipped", "the book did not build");
        return;
    };
    run.run("shipped", || checks::shipped::outcome(tree, html_dir));
}

/// Links between chapters, and their #anchors in the rendered pages.
fn check_links(run: &mut Run<'_, '_>, tree: &GuideTree, html_dir: Option<&Path>) {
    run.run("links", || {
        let mut diagnostics = checks::links::check_internal(tree);
        match html_dir.map(checks::links::html_ids) {
            Some(Ok(ids)) => diagnostics.extend(checks::links::check_anchors(tree, &ids)),
            Some(Err(error)) => diagnostics.push(Diagnostic::error(
                "links",
                format!("cannot read the rendered pages: {error}"),
            )),
            None => {}
        }
        Outcome::with(
            "links between chapters and their #anchors resolve".to_string(),
            diagnostics,
        )
    });
}

/// The live URL check; returns true when it could not run (the network is down).
fn check_urls_online(
    run: &mut Run<'_, '_>,
    root: &Path,
    tree: &GuideTree,
    markdown: &MarkdownFindings,
) -> bool {
    let started = Instant::now();
    let targets = crate::urls::guide_targets(&tree.yaml.guide);
    let result =
        match crate::urls::run_checks(root, &targets, &run.options.online, run.console.colour) {
            Ok(checked) if crate::urlcheck::run::network_is_down(&checked) => {
                Online::NetworkDown(Diagnostic::error("online", crate::urls::NETWORK_DOWN))
            }
            Ok(checked) => Online::Checked(Outcome::with(
                crate::urls::summary_line(&checked, started.elapsed()),
                crate::urls::diagnostics(&checked, &markdown.uses),
            )),
            Err(error) => Online::Failed(Diagnostic::error("online", error)),
        };
    run.record_online("online", started, result)
}

/// The `--fix` pass: applies mechanical fixes before the checks run.
fn fix_first(root: &Path, run: &mut Run<'_, '_>) -> Result<(), Diagnostic> {
    let Ok(tree) = GuideTree::load(root) else {
        // The checks below report why the tree does not load.
        return Ok(());
    };
    let findings = checks::check_markdown(&tree);
    let fixed = crate::fix::apply(root, &findings.settings, run.people())?;
    let count: usize = fixed.iter().map(|f| f.fixes).sum();
    let _ = writeln!(
        run.people(),
        "fix: {count} value(s) rewritten in {} file(s)",
        fixed.len()
    );
    // Generated files are never fixed by hand: they are regenerated.
    let generated = crate::snippets::generate(&tree.yaml.guide);
    if !checks::snippets::check(&generated, &tree.snippets).is_empty() {
        let _ = writeln!(
            run.people(),
            "fix: the generated snippets are out of date; --fix never edits them: run `cargo xtask snippets`"
        );
    }
    Ok(())
}

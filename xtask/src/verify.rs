//! `cargo xtask verify`: every check in one run, one line per check with its time, exit code
//! 0 (clean), 1 (findings) or 2 (the tool could not run: bad YAML, missing files).

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::checks::{self, Outcome};
use crate::diagnostic::{self, Diagnostic};
use crate::model::GuideTree;
use crate::render;
use crate::report::{self, json::CheckTiming, Format};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_CANNOT_RUN: u8 = 2;

#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The URL check's settings; `online.offline` skips it.
    pub online: crate::urls::UrlsOptions,
    /// Rewrite drifted values to guide.yaml's before checking.
    pub fix: bool,
    /// Render the book and check its links (off for a quick check of the sources only).
    pub build: bool,
    pub format: Format,
    pub colour: bool,
}

/// Collects check results and prints them the way the chosen format wants.
struct Run<'o> {
    options: &'o VerifyOptions,
    out: &'o mut dyn Write,
    timings: Vec<CheckTiming>,
    diagnostics: Vec<Diagnostic>,
    started: Instant,
}

impl Run<'_> {
    fn human(&self) -> bool {
        self.options.format == Format::Human
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
        if self.human() {
            let _ = writeln!(
                self.out,
                "  {status:<5} {check:<9} {detail} ({} ms)",
                elapsed.as_millis()
            );
        }
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

    fn skip(&mut self, check: &str, why: &str) {
        if self.human() {
            let _ = writeln!(self.out, "  {:<5} {check:<9} {why}", "skip");
        }
    }

    fn finish(mut self, could_not_run: bool) -> u8 {
        diagnostic::sort(&mut self.diagnostics);
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        if self.human() {
            for diagnostic in &self.diagnostics {
                let rendered = report::human::render(diagnostic, self.options.colour);
                let _ = write!(self.out, "\n{rendered}");
            }
            let _ = writeln!(
                self.out,
                "\nverify: {errors} error(s), {warnings} warning(s) in {} ms",
                self.started.elapsed().as_millis()
            );
        } else {
            let document = report::json::render(&self.diagnostics, &self.timings);
            let _ = self.out.write_all(document.as_bytes());
        }
        // Annotations would break the JSON document, so they go with human output only.
        if report::github::enabled() && self.human() {
            for diagnostic in &self.diagnostics {
                let _ = self
                    .out
                    .write_all(report::github::render(diagnostic).as_bytes());
            }
        }
        if could_not_run {
            EXIT_CANNOT_RUN
        } else if errors > 0 {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    }
}

/// Runs every check on the guide tree at `root` and returns the process exit code.
pub fn verify(root: &Path, options: &VerifyOptions, out: &mut dyn Write) -> u8 {
    let mut run = Run {
        options,
        out,
        timings: Vec::new(),
        diagnostics: Vec::new(),
        started: Instant::now(),
    };
    if run.human() {
        let _ = writeln!(run.out, "verify: guide at {}", root.display());
    }
    if options.fix {
        if let Err(problem) = fix_first(root, &mut run) {
            run.diagnostics.push(problem);
            return run.finish(true);
        }
    }

    let started = Instant::now();
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            run.record(
                "load",
                started.elapsed(),
                Outcome {
                    summary: String::new(),
                    diagnostics: problems,
                },
            );
            return run.finish(true);
        }
    };
    let guide = &tree.yaml.guide;
    run.record(
        "load",
        started.elapsed(),
        Outcome {
            summary: format!(
                "guide.yaml ({} settings, {} URLs, {} editions), {} chapters",
                tree.yaml.settings.keys().count(),
                guide.urls.len(),
                guide.editions.len(),
                tree.book.chapters.len()
            ),
            diagnostics: Vec::new(),
        },
    );

    run.run("summary", || Outcome {
        summary: format!(
            "{} chapters, all listed in SUMMARY.md",
            tree.book.chapters.len()
        ),
        diagnostics: checks::summary::check(&tree.book),
    });
    run.run("include", || Outcome {
        summary: format!(
            "{} includes, all present inside the repository",
            tree.includes.len()
        ),
        diagnostics: checks::includes::check(&tree),
    });

    let markdown = checks::check_markdown(&tree);
    let files = markdown.files;
    let markdown_uses = markdown.uses.clone();
    run.record(
        "settings",
        markdown.settings_time,
        Outcome {
            summary: format!(
                "{} marked values in {files} files match guide.yaml",
                markdown.markers
            ),
            diagnostics: markdown.settings,
        },
    );
    run.record(
        "urls",
        markdown.urls_time,
        Outcome {
            summary: format!(
                "{} addresses in {files} files, all declared in guide.yaml",
                markdown.uses.len()
            ),
            diagnostics: markdown.urls,
        },
    );
    run.record(
        "secrets",
        markdown.secrets_time,
        Outcome {
            summary: format!("nothing credential-shaped in {files} files and guide.yaml"),
            diagnostics: markdown.secrets,
        },
    );

    run.run("snippets", || {
        let generated = crate::snippets::generate(guide);
        Outcome {
            summary: format!("{} generated snippets match guide.yaml", generated.len()),
            diagnostics: checks::snippets::check(&generated, &tree.snippets),
        }
    });
    if options.build {
        build_and_check_links(&mut run, root, &tree);
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
    let started = Instant::now();
    let targets = crate::urls::guide_targets(guide);
    match crate::urls::run_checks(root, &targets, &options.online) {
        Ok(checked) if crate::urlcheck::run::network_is_down(&checked) => {
            run.record(
                "online",
                started.elapsed(),
                Outcome {
                    summary: String::new(),
                    diagnostics: vec![Diagnostic::error("online", crate::urls::NETWORK_DOWN)],
                },
            );
            run.finish(true)
        }
        Ok(checked) => {
            run.record(
                "online",
                started.elapsed(),
                Outcome {
                    summary: crate::urls::summary_line(&checked, started.elapsed()),
                    diagnostics: crate::urls::diagnostics(&checked, &markdown_uses),
                },
            );
            run.finish(false)
        }
        Err(error) => {
            run.diagnostics.push(Diagnostic::error("online", error));
            run.finish(true)
        }
    }
}

/// Renders the book, then checks links between chapters and their anchors in the result.
fn build_and_check_links(run: &mut Run<'_>, root: &Path, tree: &GuideTree) {
    let mut built = None;
    run.run("build", || match render::build_book(root, &tree.yaml) {
        Ok(html_dir) => {
            let summary = format!("rendered {}", html_dir.display());
            built = Some(html_dir);
            Outcome {
                summary,
                diagnostics: Vec::new(),
            }
        }
        Err(problems) => Outcome {
            summary: String::new(),
            diagnostics: problems,
        },
    });
    run.run("links", || {
        let mut diagnostics = checks::links::check_internal(tree);
        match built.as_deref().map(checks::links::html_ids) {
            Some(Ok(ids)) => diagnostics.extend(checks::links::check_anchors(tree, &ids)),
            Some(Err(error)) => diagnostics.push(Diagnostic::error(
                "links",
                format!("cannot read the rendered pages: {error}"),
            )),
            None => {}
        }
        Outcome {
            summary: "links between chapters and their #anchors resolve".to_string(),
            diagnostics,
        }
    });
}

/// The `--fix` pass: applies mechanical fixes before the checks run.
fn fix_first(root: &Path, run: &mut Run<'_>) -> Result<(), Diagnostic> {
    let Ok(tree) = GuideTree::load(root) else {
        // The checks below report why the tree does not load.
        return Ok(());
    };
    let findings = checks::check_markdown(&tree);
    let fixed = crate::fix::apply(root, &findings.settings, run.out)?;
    if run.human() {
        let count: usize = fixed.iter().map(|f| f.fixes).sum();
        let _ = writeln!(
            run.out,
            "fix: {count} value(s) rewritten in {} file(s)",
            fixed.len()
        );
    }
    Ok(())
}

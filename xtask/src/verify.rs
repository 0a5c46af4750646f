//! `cargo xtask verify`: every check in one run, one line per check with its time, exit code
//! 0 (clean), 1 (findings) or 2 (the tool could not run: bad YAML, missing files).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

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
    /// Skip checks that need the network.
    pub offline: bool,
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
    fn record(&mut self, check: &str, started: Instant, outcome: Outcome) {
        let elapsed = started.elapsed();
        let errors = outcome.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = outcome.diagnostics.len() - errors;
        let status = if errors > 0 { "FAIL" } else { "ok" };
        let detail = match (errors, warnings) {
            (0, 0) => outcome.summary,
            (0, w) => format!("{}; {w} warning(s)", outcome.summary),
            (e, w) => format!("{e} error(s), {w} warning(s)"),
        };
        if self.options.format == Format::Human {
            let _ = writeln!(
                self.out,
                "  {status:<5} {check:<10} {detail} ({} ms)",
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

    fn skip(&mut self, check: &str, why: &str) {
        if self.options.format == Format::Human {
            let _ = writeln!(self.out, "  {:<5} {check:<10} {why}", "skip");
        }
    }

    fn finish(mut self, could_not_run: bool) -> u8 {
        diagnostic::sort(&mut self.diagnostics);
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        match self.options.format {
            Format::Json => {
                let _ = self
                    .out
                    .write_all(report::json::render(&self.diagnostics, &self.timings).as_bytes());
            }
            Format::Human => {
                for diagnostic in &self.diagnostics {
                    let _ = writeln!(self.out);
                    let _ = self.out.write_all(
                        report::human::render(diagnostic, self.options.colour).as_bytes(),
                    );
                }
                let _ = writeln!(
                    self.out,
                    "\nverify: {errors} error(s), {warnings} warning(s) in {} ms",
                    self.started.elapsed().as_millis()
                );
            }
        }
        if report::github::enabled() {
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
    if options.format == Format::Human {
        let _ = writeln!(run.out, "verify: guide at {}", root.display());
    }

    let started = Instant::now();
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            run.record(
                "load",
                started,
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
        started,
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

    let started = Instant::now();
    let summary = checks::summary::check(&tree.book);
    run.record(
        "summary",
        started,
        Outcome {
            summary: format!(
                "{} chapters, all listed in SUMMARY.md",
                tree.book.chapters.len()
            ),
            diagnostics: summary,
        },
    );

    let started = Instant::now();
    run.record(
        "include",
        started,
        Outcome {
            summary: format!(
                "{} includes, all inside the repository and present",
                tree.includes.len()
            ),
            diagnostics: checks::includes::check(&tree),
        },
    );

    let started = Instant::now();
    let generated = crate::snippets::generate(guide);
    run.record(
        "snippets",
        started,
        Outcome {
            summary: format!("{} generated snippets match guide.yaml", generated.len()),
            diagnostics: checks::snippets::check(&generated, &tree.snippets),
        },
    );

    let started = Instant::now();
    let outcome = match render::build_book(root, &tree.yaml) {
        Ok(html_dir) => Outcome {
            summary: format!(
                "rendered to {}",
                html_dir
                    .strip_prefix(root.canonicalize().unwrap_or_default())
                    .unwrap_or(&html_dir)
                    .display()
            ),
            diagnostics: Vec::new(),
        },
        Err(problems) => Outcome {
            summary: String::new(),
            diagnostics: problems,
        },
    };
    run.record("build", started, outcome);

    if options.offline {
        run.skip("urls", "--offline: the online URL check needs the network");
    }
    run.finish(false)
}

//! `cargo xtask urls`: checks that every external address still does what the guide says, and
//! the online step of `cargo xtask verify`. The checking itself is `urlcheck`; this module picks
//! the targets, prints, and maps results to diagnostics and exit codes.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::checks::external_urls::UrlUse;
use crate::console::Console;
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::model::schema::{Expectation, Guide};
use crate::model::GuideTree;
use crate::report::{self, Format};
use crate::urlcheck::cache::{cache_path, Cache};
use crate::urlcheck::expect::Verdict;
use crate::urlcheck::run::{check_all, network_is_down, Checked, Target};
use crate::urlcheck::{CheckConfig, Outcome, UrlReport};

const CHECK: &str = "online";

#[derive(Debug, Clone)]
pub struct UrlsOptions {
    pub offline: bool,
    pub format: Format,
    pub use_cache: bool,
    pub max_cache_age: Duration,
    pub config: CheckConfig,
    /// Check exactly these instead of the guide's URLs.
    pub urls: Vec<String>,
}

/// The guide's declared URLs with what each should do.
pub fn guide_targets(guide: &Guide) -> Vec<Target> {
    guide
        .urls
        .iter()
        .map(|entry| Target {
            url: entry.url.clone(),
            expectation: entry.expect,
            redirect_to: entry.redirect_to.clone(),
        })
        .collect()
}

/// The target for `url`: the guide's declaration of it (the same address, compared as the
/// `url` crate normalises it), else a plain `ok`.
pub fn declared_target(declared: &[Target], url: &str) -> Target {
    let normal = |address: &str| url::Url::parse(address).map(|u| u.to_string()).ok();
    let wanted = normal(url);
    declared
        .iter()
        .find(|target| target.url == url || (wanted.is_some() && normal(&target.url) == wanted))
        .map(|target| Target {
            url: url.to_string(),
            ..target.clone()
        })
        .unwrap_or_else(|| Target {
            url: url.to_string(),
            expectation: Expectation::Ok,
            redirect_to: None,
        })
}

/// Checks `targets`, using and updating the cache under `root` when asked.
pub fn run_checks(
    root: &Path,
    targets: &[Target],
    options: &UrlsOptions,
    colour: bool,
) -> Result<Vec<Checked>, String> {
    let mut cache = options
        .use_cache
        .then(|| Cache::load(&cache_path(root), options.max_cache_age));
    let bar = progress_bar(
        targets.len() as u64,
        colour && options.format == Format::Human,
    );
    let checked = check_all(
        targets,
        &options.config,
        cache.as_mut(),
        &|report: &UrlReport| {
            bar.set_message(report.url.clone());
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    if let Some(cache) = cache {
        // A cache that cannot be written only costs time on the next run.
        let _ = cache.save();
    }
    Ok(checked)
}

/// A progress bar on standard error, only when it is a terminal and colour is on.
pub fn progress_bar(length: u64, visible: bool) -> indicatif::ProgressBar {
    if !visible || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(length);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// `7 ok, 1 redirected, 0 broken in 1.4 s`
pub fn summary_line(checked: &[Checked], elapsed: Duration) -> String {
    let count = |outcome: Outcome| {
        checked
            .iter()
            .filter(|c| c.report.outcome == outcome)
            .count()
    };
    let mut parts = vec![
        format!("{} ok", count(Outcome::Ok)),
        format!("{} redirected", count(Outcome::Redirected)),
        format!("{} broken", count(Outcome::Broken)),
    ];
    for outcome in [
        Outcome::Timeout,
        Outcome::Unreachable,
        Outcome::Cached,
        Outcome::Excluded,
    ] {
        if count(outcome) > 0 {
            parts.push(format!("{} {}", count(outcome), outcome.label()));
        }
    }
    format!("{} in {:.1} s", parts.join(", "), elapsed.as_secs_f64())
}

/// One diagnostic per failed or noteworthy URL, placed where the book first uses it.
pub fn diagnostics(checked: &[Checked], uses: &[UrlUse]) -> Vec<Diagnostic> {
    checked
        .iter()
        .filter_map(|c| {
            let (mut diagnostic, hint) = match &c.verdict {
                Verdict::Pass => return None,
                Verdict::Note(note) => (
                    Diagnostic::warning(CHECK, format!("{} {note}", c.target.url)),
                    "check the page still says what the guide says it does",
                ),
                Verdict::Fail(why) => (
                    Diagnostic::error(CHECK, format!("{} is {}: {why}", c.target.url, c.report.outcome.label())),
                    "fix or replace the link in guide.yaml and the chapters, or set expect: report if the page is known to be retiring",
                ),
            };
            diagnostic = diagnostic.hint(hint);
            if let Some(first) = uses.iter().find(|u| u.url == c.target.url) {
                diagnostic = diagnostic.at_line_col(&first.file, first.line, first.column);
            } else {
                diagnostic = diagnostic.in_file(crate::model::load::GUIDE_FILE);
            }
            Some(diagnostic)
        })
        .collect()
}

#[derive(Serialize)]
struct JsonRow<'a> {
    url: &'a str,
    outcome: Outcome,
    http_status: Option<u16>,
    final_url: Option<&'a str>,
    attempts: u32,
    elapsed_ms: u64,
    verdict: &'static str,
    message: Option<&'a str>,
    used_in: Vec<String>,
}

fn json(checked: &[Checked], uses: &[UrlUse]) -> String {
    let rows: Vec<JsonRow> = checked
        .iter()
        .map(|c| JsonRow {
            url: &c.target.url,
            outcome: c.report.outcome,
            http_status: c.report.http_status,
            final_url: c.report.final_url.as_deref(),
            attempts: c.report.attempts,
            elapsed_ms: c.report.elapsed_ms,
            verdict: match c.verdict {
                Verdict::Pass => "pass",
                Verdict::Note(_) => "note",
                Verdict::Fail(_) => "fail",
            },
            message: match &c.verdict {
                Verdict::Pass => None,
                Verdict::Note(text) | Verdict::Fail(text) => Some(text),
            },
            used_in: uses
                .iter()
                .filter(|u| u.url == c.target.url)
                .map(|u| format!("{}:{}", u.file.display(), u.line))
                .collect(),
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("rows always serialise") + "\n"
}

pub const NETWORK_DOWN: &str =
    "every URL was unreachable: the network looks down, not the links (use --offline to skip the URL check)";

/// `cargo xtask urls`.
pub fn command(root: &Path, options: &UrlsOptions, console: &mut Console<'_>) -> u8 {
    // With JSON on standard output, every line for people goes to standard error.
    let human = options.format == Format::Human;
    if options.offline {
        let people: &mut dyn Write = if human { console.out } else { console.err };
        let _ = writeln!(
            people,
            "urls: skipped (--offline): checking addresses needs the network"
        );
        if !human {
            let _ = console.out.write_all(b"[]\n");
        }
        return exit::CLEAN;
    }
    let (targets, uses) = if options.urls.is_empty() {
        match GuideTree::load(root) {
            Ok(tree) => (
                guide_targets(&tree.yaml.guide),
                crate::checks::check_markdown(&tree).uses,
            ),
            Err(problems) => {
                report::human::print_all(console.err, &problems, console.colour);
                return exit::CANNOT_RUN;
            }
        }
    } else {
        // A URL the guide declares is checked against what the guide expects of it (a sign-in
        // page that suddenly answers directly is news); any other is expected to answer `ok`.
        let declared = crate::model::load::load_guide(root)
            .map(|loaded| guide_targets(&loaded.guide))
            .unwrap_or_default();
        let targets = options
            .urls
            .iter()
            .map(|url| declared_target(&declared, url))
            .collect();
        (targets, Vec::new())
    };
    let started = Instant::now();
    let checked = match run_checks(root, &targets, options, console.colour) {
        Ok(checked) => checked,
        Err(error) => {
            let _ = writeln!(console.err, "urls: {error}");
            return exit::CANNOT_RUN;
        }
    };
    if network_is_down(&checked) {
        let _ = writeln!(console.err, "urls: {NETWORK_DOWN}");
        return exit::CANNOT_RUN;
    }
    let found = diagnostics(&checked, &uses);
    match options.format {
        Format::Json => {
            let _ = console.out.write_all(json(&checked, &uses).as_bytes());
        }
        Format::Human => {
            print_human(&checked, &found, started.elapsed(), console);
        }
    }
    if found.iter().any(Diagnostic::is_error) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

fn print_human(
    checked: &[Checked],
    found: &[Diagnostic],
    elapsed: Duration,
    console: &mut Console<'_>,
) {
    let out = &mut *console.out;
    let mut by_outcome: BTreeMap<&str, Vec<&Checked>> = BTreeMap::new();
    for c in checked.iter().filter(|c| c.verdict != Verdict::Pass) {
        by_outcome
            .entry(c.report.outcome.label())
            .or_default()
            .push(c);
    }
    for (label, rows) in by_outcome {
        for c in rows {
            let status = c
                .report
                .http_status
                .map_or("-".to_string(), |s| s.to_string());
            let message = match &c.verdict {
                Verdict::Note(text) | Verdict::Fail(text) => text.as_str(),
                Verdict::Pass => "",
            };
            let _ = writeln!(
                out,
                "  {label:<11} {status:>3}  {:>2} tries  {}  {message}",
                c.report.attempts, c.target.url
            );
        }
    }
    for diagnostic in found {
        let _ = write!(
            out,
            "\n{}",
            report::human::render(diagnostic, console.colour)
        );
    }
    let _ = writeln!(out, "urls: {}", summary_line(checked, elapsed));
    // Annotations would break a JSON document, so they go with human output only.
    if console.github {
        for diagnostic in found {
            let _ = out.write_all(report::github::render(diagnostic).as_bytes());
        }
    }
}

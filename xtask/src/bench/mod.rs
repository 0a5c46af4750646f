//! `cargo xtask bench [drift|urls|all]`: every benchmark of the project, printed as one table.
//! Figures are measured in a release build: a debug build re-runs itself with `--release`.

mod drift;
mod load;
mod process;
mod readability;
pub mod search;
mod secrets;
mod site;
mod sources;
mod synthetic;
mod urls;

use std::io::Write;
use std::path::Path;

use crate::model::load::load_guide;
use crate::report;

/// Set in a child's environment to make it print its peak memory on standard error.
pub const REPORT_PEAK_MEMORY: &str = "CALSYNC_REPORT_PEAK_MEMORY";
pub const PEAK_MEMORY_PREFIX: &str = "calsync-peak-rss-kb: ";

/// This process's peak resident memory (VmHWM), in kilobytes.
pub fn own_peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Which benchmarks to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Everything but the cold start
    All,
    Drift,
    /// Loading guide.yaml, as it is and with 1,000 and 5,000 synthetic problems
    Load,
    /// How easy the reader's pages are to read (Flesch reading ease per page)
    Readability,
    /// Search in the reader's words: top-3 answers of the reader queries, index bytes (needs Node)
    Search,
    Urls,
    /// Peak memory on a 5,000-chapter guide and on the real guide, warm verify time, and how
    /// mdBook's renderer scales
    Verify,
    /// The app-password detector: share caught, false alarms
    Secrets,
    /// The evidence check: page reading speed, and fetching many pages on loopback hosts
    Sources,
    /// The site on a phone: Lighthouse mobile scores, FCP, LCP and bytes (needs Node and Chromium)
    Site,
    /// The same on every page of the site, not one per edition (takes minutes)
    SiteEveryPage,
    /// A fresh clone built from a cold target folder (takes minutes)
    ColdStart,
}

/// One line of the results table.
#[derive(Debug)]
pub struct Row {
    what: String,
    measured: String,
    target: String,
    detail: String,
    met: bool,
}

impl Row {
    fn new(
        what: impl Into<String>,
        measured: impl Into<String>,
        target: impl Into<String>,
        detail: impl Into<String>,
        met: bool,
    ) -> Row {
        Row {
            what: what.into(),
            measured: measured.into(),
            target: target.into(),
            detail: detail.into(),
            met,
        }
    }

    fn failed(what: &str, why: impl Into<String>) -> Row {
        Row::new(what, "-", "-", why, false)
    }
}

pub fn command(root: &Path, which: Which, console: &mut crate::console::Console<'_>) -> u8 {
    let out: &mut dyn Write = &mut *console.out;
    if cfg!(debug_assertions) {
        return rerun_in_release(root, which, out);
    }
    let guide = match load_guide(root) {
        Ok(guide) => guide,
        Err(problem) => {
            let _ = out.write_all(report::human::render(&problem, false).as_bytes());
            return 2;
        }
    };
    let mut rows = Vec::new();
    if matches!(which, Which::All | Which::Drift) {
        rows.extend(drift::run(&guide, &[500, 5_000]));
    }
    if matches!(which, Which::All | Which::Load) {
        rows.extend(load::run(root));
    }
    if which == Which::Readability {
        rows.extend(readability::run(root, &guide));
    }
    if which == Which::Search {
        rows.extend(search::run(root, &guide));
    }
    if matches!(which, Which::All | Which::Urls) {
        rows.extend(urls::run());
    }
    if matches!(which, Which::All | Which::Sources) {
        rows.extend(sources::run());
    }
    if matches!(which, Which::All | Which::Secrets) {
        rows.extend(secrets::run(root));
    }
    if matches!(which, Which::All | Which::Verify) {
        rows.extend(process::warm_verify(root));
        rows.extend(process::memory(root, &guide));
        rows.extend(process::mdbook_scaling(root, &guide));
    }
    if matches!(which, Which::Site | Which::SiteEveryPage) {
        rows.extend(site::run(root, &guide, which == Which::SiteEveryPage));
    }
    if which == Which::ColdStart {
        rows.extend(process::cold_start(root));
    }
    print_table(&rows, out);
    u8::from(rows.iter().any(|row| !row.met))
}

fn print_table(rows: &[Row], out: &mut dyn Write) {
    let header = ["benchmark", "measured", "target", "met", "detail"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.what.clone(),
                r.measured.clone(),
                r.target.clone(),
                if r.met { "yes" } else { "NO" }.to_string(),
                r.detail.clone(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let _ = writeln!(out, "{}", line(&header));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(
        out,
        "{}",
        line(&rule.iter().map(String::as_str).collect::<Vec<_>>())
    );
    for row in &cells {
        let _ = writeln!(
            out,
            "{}",
            line(&row.iter().map(String::as_str).collect::<Vec<_>>())
        );
    }
}

/// Benchmarks of a debug build measure the wrong thing: build and run the release binary.
fn rerun_in_release(root: &Path, which: Which, out: &mut dyn Write) -> u8 {
    let _ = writeln!(out, "bench: building xtask in release mode first");
    let which = clap::ValueEnum::to_possible_value(&which)
        .map(|value| value.get_name().to_string())
        .unwrap_or_else(|| "all".to_string());
    let output =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "run",
                "--release",
                "--quiet",
                "--package",
                "xtask",
                "--bin",
                "xtask",
                "--",
                "bench",
                &which,
                "--root",
            ])
            .arg(root)
            .current_dir(crate::project_root())
            .output();
    match output {
        Ok(output) => {
            let _ = out.write_all(&output.stdout);
            let _ = out.write_all(&output.stderr);
            output
                .status
                .code()
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(2)
        }
        Err(error) => {
            let _ = writeln!(out, "bench: cannot run cargo: {error}");
            2
        }
    }
}

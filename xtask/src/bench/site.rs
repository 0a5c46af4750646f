//! The site on a phone, measured with Lighthouse in its default mobile mode (simulated slow 4G,
//! a mid-range phone): the guide is built and served with gzip on 127.0.0.1, as GitHub Pages
//! serves it, and Lighthouse (npm package `lighthouse`, installed into `target/lighthouse` the
//! first time) runs Debian's Chromium on the root and one page per edition.
//!
//! A benchmark, not a test: it needs Node, npm and Chromium, says what it could not run, and
//! never runs under `cargo test`. The targets are those of the "Phone first" issue.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Row;

const CHROMIUM: &str = "/usr/bin/chromium";
const LIGHTHOUSE_VERSION: &str = "12";

/// The pages measured: the root and one step page per edition, or every page a reader opens.
fn pages(guide: &crate::model::schema::Guide, html_dir: &Path, every_page: bool) -> Vec<String> {
    let mut pages = vec![String::new()];
    if every_page {
        pages.extend(crate::site::reader_pages(html_dir));
    } else {
        pages.extend(
            guide
                .editions
                .iter()
                .map(|e| format!("{}/add-account.html", e.dir)),
        );
    }
    pages
}

pub fn run(root: &Path, guide: &crate::model::load::LoadedGuide, every_page: bool) -> Vec<Row> {
    const WHAT: &str = "Lighthouse, mobile";
    let lighthouse = match install(root) {
        Ok(path) => path,
        Err(why) => return vec![Row::failed(WHAT, format!("could not run: {why}"))],
    };
    if !Path::new(CHROMIUM).exists() {
        return vec![Row::failed(
            WHAT,
            format!("could not run: {CHROMIUM} is missing (apt-get install chromium)"),
        )];
    }
    let html_dir = match crate::render::build_book(root, guide) {
        Ok(dir) => dir,
        Err(problems) => {
            return vec![Row::failed(
                WHAT,
                format!("the guide does not build: {}", problems[0].message),
            )]
        }
    };
    let config = crate::serve::ServeConfig {
        live_reload: false,
        gzip: true,
        ..crate::serve::ServeConfig::default()
    };
    let server = match crate::serve::start_with(&html_dir, 0, config) {
        Ok(server) => server,
        Err(error) => return vec![Row::failed(WHAT, format!("cannot serve the site: {error}"))],
    };
    let reports = root.join("target/lighthouse/reports");
    let _ = std::fs::create_dir_all(&reports);
    let mut rows = Vec::new();
    let mut step_page_bytes = None;
    for page in pages(&guide.guide, &html_dir, every_page) {
        // Three runs per page, one per page when measuring every page (which takes minutes).
        let runs = if every_page { 1 } else { 3 };
        let (row, bytes) = measure(&lighthouse, &reports, server.address, &page, runs);
        if page == "current/add-account.html" {
            step_page_bytes = bytes;
        }
        rows.push(row);
    }
    rows.push(search_on_first_use(&html_dir, step_page_bytes));
    rows
}

/// Search loads its scripts and index when a reader first opens it, so Lighthouse's first
/// visit does not include them. This row adds them (compressed, as served) to the first visit
/// of the current edition's step page: the most a reader downloads before finding anything.
fn search_on_first_use(html_dir: &Path, page_bytes: Option<f64>) -> Row {
    const WHAT: &str = "first visit to /current/add-account.html, then one search";
    let Some(page_bytes) = page_bytes else {
        return Row::failed(WHAT, "the page was not measured");
    };
    let mut files = Vec::new();
    let mut search_bytes = 0usize;
    for entry in std::fs::read_dir(html_dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let search_file = ["elasticlunr-", "mark-", "searcher-", "searchindex-"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            && name.ends_with(".js");
        if search_file {
            let body = std::fs::read(entry.path()).unwrap_or_default();
            let sent = crate::serve::gzip(&body).len();
            search_bytes += sent;
            files.push(format!("{name} {:.1} KiB", sent as f64 / 1024.0));
        }
    }
    files.sort();
    if files.len() != 4 {
        return Row::failed(WHAT, format!("expected 4 search files, found {files:?}"));
    }
    let total = page_bytes + search_bytes as f64 / 1024.0;
    Row::new(
        WHAT,
        format!("{total:.0} KiB"),
        "≤ 100 KiB",
        format!("page {page_bytes:.0} KiB + search {}", files.join(", ")),
        total <= 100.0,
    )
}

/// Lighthouse's command, installing the npm package into target/ when it is not there yet.
fn install(root: &Path) -> Result<PathBuf, String> {
    let prefix = root.join("target/lighthouse");
    let binary = prefix.join("node_modules/.bin/lighthouse");
    if binary.exists() {
        return Ok(binary);
    }
    std::fs::create_dir_all(&prefix).map_err(|e| e.to_string())?;
    let status = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg(format!("lighthouse@{LIGHTHOUSE_VERSION}"))
        .status()
        .map_err(|e| format!("npm does not run ({e}); install Node.js and npm"))?;
    if status.success() && binary.exists() {
        Ok(binary)
    } else {
        Err("npm could not install lighthouse".to_string())
    }
}

/// One page's Lighthouse row, and the bytes its first visit transferred. Lighthouse's scores
/// vary from run to run (mostly total blocking time), so the page is measured `runs` times and
/// the run with the median performance score is reported, as Lighthouse's own advice goes.
fn measure(
    lighthouse: &Path,
    reports: &Path,
    address: std::net::SocketAddr,
    page: &str,
    runs: usize,
) -> (Row, Option<f64>) {
    let label = format!("Lighthouse mobile, /{page}");
    let name = if page.is_empty() { "root" } else { page }.replace('/', "_");
    let mut reports_read = Vec::new();
    for run in 1..=runs {
        let report = reports.join(format!("{name}.{run}.json"));
        match run_lighthouse(lighthouse, &report, address, page) {
            Ok(json) => reports_read.push(json),
            Err(why) => return (Row::failed(&label, why), None),
        }
    }
    let performance_of = |json: &serde_json::Value| {
        json["categories"]["performance"]["score"]
            .as_f64()
            .unwrap_or(0.0)
    };
    let mut all_scores: Vec<String> = reports_read
        .iter()
        .map(|json| format!("{:.2}", performance_of(json)))
        .collect();
    reports_read.sort_by(|a, b| performance_of(a).total_cmp(&performance_of(b)));
    all_scores.sort();
    let json = &reports_read[reports_read.len() / 2];
    let score = |category: &str| {
        json["categories"][category]["score"]
            .as_f64()
            .unwrap_or(0.0)
    };
    let audit = |name: &str| {
        json["audits"][name]["numericValue"]
            .as_f64()
            .unwrap_or(f64::MAX)
    };
    let (performance, accessibility, practices, seo) = (
        score("performance"),
        score("accessibility"),
        score("best-practices"),
        score("seo"),
    );
    let (fcp, lcp, bytes) = (
        audit("first-contentful-paint") / 1000.0,
        audit("largest-contentful-paint") / 1000.0,
        audit("total-byte-weight") / 1024.0,
    );
    let failing: Vec<String> = json["audits"]
        .as_object()
        .map(|audits| {
            audits
                .iter()
                .filter(|(_, a)| {
                    a["scoreDisplayMode"] == "binary" && a["score"].as_f64() == Some(0.0)
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    let row = Row::new(
        label,
        format!("{performance:.2} / {accessibility:.2} / {practices:.2} / {seo:.2}"),
        "≥ 0.98 / 1.00 / 1.00 / 1.00; FCP ≤ 1.2 s, LCP ≤ 1.5 s, ≤ 100 KiB",
        format!(
            "{} (performance {}): FCP {fcp:.1} s, LCP {lcp:.1} s, {bytes:.0} KiB; failing: {}",
            if runs == 1 {
                "one run".to_string()
            } else {
                format!("median of {runs} runs")
            },
            all_scores.join(", "),
            if failing.is_empty() {
                "none".to_string()
            } else {
                failing.join(", ")
            }
        ),
        performance >= 0.98
            && accessibility >= 1.0
            && practices >= 1.0
            && seo >= 1.0
            && fcp <= 1.2
            && lcp <= 1.5
            && bytes <= 100.0,
    );
    (row, Some(bytes))
}

/// Runs Lighthouse once on `page` in mobile mode and reads its JSON report.
fn run_lighthouse(
    lighthouse: &Path,
    report: &Path,
    address: std::net::SocketAddr,
    page: &str,
) -> Result<serde_json::Value, String> {
    let profile = tempfile::tempdir().ok();
    let mut flags = String::from("--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-quic");
    if let Some(profile) = &profile {
        flags.push_str(&format!(" --user-data-dir={}", profile.path().display()));
    }
    let output = Command::new(lighthouse)
        .arg(format!("http://{address}/{page}"))
        .args(["--quiet", "--output=json", "--output-path"])
        .arg(report)
        .arg(format!("--chrome-flags={flags}"))
        .env("CHROME_PATH", CHROMIUM)
        .output()
        .map_err(|error| format!("lighthouse does not run: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "lighthouse failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    std::fs::read(report)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| "lighthouse wrote no report".to_string())
}

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

/// The pages measured: the root and one step page per edition.
fn pages(guide: &crate::model::schema::Guide) -> Vec<String> {
    let mut pages = vec![String::new()];
    pages.extend(
        guide
            .editions
            .iter()
            .map(|e| format!("{}/add-account.html", e.dir)),
    );
    pages
}

pub fn run(root: &Path, guide: &crate::model::load::LoadedGuide) -> Vec<Row> {
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
    pages(&guide.guide)
        .iter()
        .map(|page| measure(&lighthouse, &reports, server.address, page))
        .collect()
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

fn measure(lighthouse: &Path, reports: &Path, address: std::net::SocketAddr, page: &str) -> Row {
    let label = format!("Lighthouse mobile, /{page}");
    let report = reports
        .join(format!("{}.json", if page.is_empty() { "root" } else { page }).replace('/', "_"));
    let profile = tempfile::tempdir().ok();
    let mut flags = String::from("--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-quic");
    if let Some(profile) = &profile {
        flags.push_str(&format!(" --user-data-dir={}", profile.path().display()));
    }
    let output = Command::new(lighthouse)
        .arg(format!("http://{address}/{page}"))
        .args(["--quiet", "--output=json", "--output-path"])
        .arg(&report)
        .arg(format!("--chrome-flags={flags}"))
        .env("CHROME_PATH", CHROMIUM)
        .output();
    match output {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            return Row::failed(
                &label,
                format!(
                    "lighthouse failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                ),
            )
        }
        Err(error) => return Row::failed(&label, format!("lighthouse does not run: {error}")),
    }
    let Some(json) = std::fs::read(&report)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    else {
        return Row::failed(&label, "lighthouse wrote no report");
    };
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
    Row::new(
        label,
        format!("{performance:.2} / {accessibility:.2} / {practices:.2} / {seo:.2}"),
        "≥ 0.98 / 1.00 / 1.00 / 1.00; FCP ≤ 1.2 s, LCP ≤ 1.5 s, ≤ 100 KiB",
        format!(
            "FCP {fcp:.1} s, LCP {lcp:.1} s, {bytes:.0} KiB; failing: {}",
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
    )
}

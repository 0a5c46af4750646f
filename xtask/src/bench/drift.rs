//! Throughput of the drift check (and of all markdown checks) on synthetic guides.

use std::time::{Duration, Instant};

use super::synthetic;
use super::Row;
use crate::checks::{external_urls, extract, secrets, settings};
use crate::model::load::LoadedGuide;

/// Best of `runs` timings of `work`.
fn best_of(runs: usize, mut work: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut findings = 0;
    for _ in 0..runs {
        let started = Instant::now();
        findings = work();
        best = best.min(started.elapsed());
    }
    (best, findings)
}

pub fn run(guide: &LoadedGuide, sizes: &[usize]) -> Vec<Row> {
    let urls: Vec<String> = guide.guide.urls.iter().map(|u| u.url.clone()).collect();
    let declared = urls.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for &count in sizes {
        let synthetic = synthetic::chapters(count, &guide.settings, &urls, 2018);
        let planted = synthetic.planted_drifts;
        let chapters = synthetic.chapters;
        let bytes: usize = chapters.iter().map(|c| c.text.len()).sum();
        let megabytes = bytes as f64 / 1e6;
        let (drift_time, drift_findings) = best_of(3, || {
            chapters
                .iter()
                .map(|file| {
                    settings::check_file(file, &extract::extract(&file.text), &guide.settings).len()
                })
                .sum()
        });
        let (all_time, all_findings) = best_of(3, || {
            chapters
                .iter()
                .map(|file| {
                    let found = extract::extract(&file.text);
                    settings::check_file(file, &found, &guide.settings).len()
                        + external_urls::check_file(file, &found, &declared).0.len()
                        + secrets::check(file).len()
                })
                .sum()
        });
        // A fast check that misses what was planted has measured nothing.
        let found_all = drift_findings == planted;
        rows.push(Row::new(
            format!("drift check, {count} chapters ({megabytes:.1} MB)"),
            format!("{:.0} MB/s", megabytes / drift_time.as_secs_f64()),
            "≥ 50 MB/s, every planted drift found",
            format!(
                "{} ms, {drift_findings} of {planted} planted drifts found",
                drift_time.as_millis()
            ),
            megabytes / drift_time.as_secs_f64() >= 50.0 && found_all,
        ));
        rows.push(Row::new(
            format!("all markdown checks, {count} chapters"),
            format!("{:.0} MB/s", megabytes / all_time.as_secs_f64()),
            "exactly the planted drifts found",
            format!("{} ms, {all_findings} findings", all_time.as_millis()),
            all_findings == planted,
        ));
    }
    rows
}

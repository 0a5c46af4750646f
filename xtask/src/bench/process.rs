//! Whole-command figures: peak memory of `verify` on a synthetic 5,000-chapter guide, warm
//! `verify --offline` on the real guide, and (on request) a cold start from a fresh clone.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::synthetic;
use super::Row;
use crate::model::load::LoadedGuide;

/// Runs `command` to completion; returns its wall time, its own peak resident memory in bytes
/// (it reports it when `REPORT_PEAK_MEMORY` is set) and its exit code.
fn run_measured(command: &mut Command) -> std::io::Result<(Duration, u64, i32)> {
    let started = Instant::now();
    let output = command
        .env(super::REPORT_PEAK_MEMORY, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let wall = started.elapsed();
    let peak_kb = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|line| {
            line.strip_prefix(super::PEAK_MEMORY_PREFIX)?
                .trim()
                .parse::<u64>()
                .ok()
        })
        .unwrap_or(0);
    Ok((wall, peak_kb * 1024, output.status.code().unwrap_or(-1)))
}

/// Writes a guide tree with `count` synthetic chapters under `dir`.
fn write_synthetic_tree(
    root: &Path,
    guide: &LoadedGuide,
    dir: &Path,
    count: usize,
) -> std::io::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("book/synthetic"))?;
    for file in ["book.toml", "guide.yaml"] {
        std::fs::copy(root.join(file), dir.join(file))?;
    }
    if root.join("theme").is_dir() {
        std::fs::create_dir_all(dir.join("theme"))?;
        for entry in std::fs::read_dir(root.join("theme"))? {
            let entry = entry?;
            std::fs::copy(entry.path(), dir.join("theme").join(entry.file_name()))?;
        }
    }
    for file in crate::snippets::generate(&guide.guide) {
        std::fs::create_dir_all(dir.join(&file.path).parent().unwrap_or(dir))?;
        std::fs::write(dir.join(&file.path), file.contents)?;
    }
    let urls: Vec<String> = guide.guide.urls.iter().map(|u| u.url.clone()).collect();
    let chapters = synthetic::chapters(count, &guide.settings, &urls, 2018);
    let mut summary = String::from("# Summary\n\n");
    for (index, chapter) in chapters.iter().enumerate() {
        std::fs::write(dir.join(&chapter.path), &chapter.text)?;
        summary.push_str(&format!(
            "- [Synthetic chapter {index}](synthetic/chapter-{index:05}.md)\n"
        ));
    }
    std::fs::write(dir.join("book/SUMMARY.md"), summary)
}

pub fn memory(root: &Path, guide: &LoadedGuide) -> Vec<Row> {
    let dir = root.join("target/bench/synthetic-5000");
    if let Err(error) = write_synthetic_tree(root, guide, &dir, 5_000) {
        return vec![Row::failed(
            "verify peak memory",
            format!("cannot write the synthetic guide: {error}"),
        )];
    }
    let Ok(exe) = std::env::current_exe() else {
        return vec![Row::failed(
            "verify peak memory",
            "cannot find the xtask binary",
        )];
    };
    let mut rows = Vec::new();
    for (label, extra) in [
        ("checks only (--no-build)", Some("--no-build")),
        ("with the mdBook build", None),
    ] {
        let mut command = Command::new(&exe);
        command
            .args(["verify", "--offline", "--root"])
            .arg(&dir)
            .args(extra);
        rows.push(match run_measured(&mut command) {
            Ok((wall, peak, code)) => Row::new(
                format!("verify --offline, 5000 synthetic chapters (26 MB), {label}: peak memory"),
                format!("{} MB", peak / 1_000_000),
                "< 200 MB",
                format!(
                    "{:.1} s wall, exit {code} (drifted values on purpose)",
                    wall.as_secs_f64()
                ),
                peak < 200_000_000,
            ),
            Err(error) => Row::failed("verify peak memory", error.to_string()),
        });
    }
    rows
}

pub fn warm_verify(root: &Path) -> Vec<Row> {
    let Ok(exe) = std::env::current_exe() else {
        return vec![Row::failed("warm verify", "cannot find the xtask binary")];
    };
    let verify = || {
        run_measured(
            Command::new(&exe)
                .args(["verify", "--offline", "--root"])
                .arg(root),
        )
    };
    let _ = verify();
    let mut best = Duration::MAX;
    let mut last_code = 0;
    for _ in 0..3 {
        match verify() {
            Ok((wall, _, code)) => {
                best = best.min(wall);
                last_code = code;
            }
            Err(error) => return vec![Row::failed("warm verify", error.to_string())],
        }
    }
    vec![Row::new(
        "warm verify --offline on the guide (book build included)",
        format!("{} ms", best.as_millis()),
        "< 1 s",
        format!("best of 3, exit {last_code}"),
        best < Duration::from_secs(1) && last_code == 0,
    )]
}

/// A fresh clone, a cold target folder, then `cargo xtask verify --offline`. Crates already
/// downloaded are reused (the registry is the network's part, not the build's).
pub fn cold_start(root: &Path) -> Vec<Row> {
    let scratch = std::env::temp_dir().join(format!("calsync-cold-start-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let clone = scratch.join("clone");
    let cloned = Command::new("git")
        .args(["clone", "--quiet"])
        .arg(root)
        .arg(&clone)
        .status();
    if !cloned.is_ok_and(|s| s.success()) {
        return vec![Row::failed("cold start", "git clone failed")];
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let result = run_measured(
        Command::new(cargo)
            .args(["xtask", "verify", "--offline"])
            .current_dir(&clone)
            .env("CARGO_TARGET_DIR", scratch.join("target")),
    );
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok((wall, _, code)) => vec![Row::new(
            "fresh clone to passing verify --offline, cold target folder",
            format!("{:.0} s", wall.as_secs_f64()),
            "< 4 min",
            format!(
                "exit {code}, {} cores",
                std::thread::available_parallelism().map_or(1, |n| n.get())
            ),
            wall < Duration::from_secs(240) && code == 0,
        )],
        Err(error) => vec![Row::failed("cold start", error.to_string())],
    }
}

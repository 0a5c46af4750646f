//! Whole-command figures: peak memory of `verify` on a synthetic 5,000-chapter guide and on the
//! real guide, warm `verify --offline`, how mdBook's own renderer scales with the chapter count,
//! and (on request) a cold start from a fresh clone.
//!
//! A run that fails, reports no memory figure, or finds the wrong answer is a failed row: a
//! benchmark must never pass without measuring.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::synthetic;
use super::Row;
use crate::model::load::LoadedGuide;

/// The memory budget of the project's own checks.
const MEMORY_BUDGET: u64 = 200_000_000;

/// What one child process did.
struct Measured {
    wall: Duration,
    /// Its own peak resident memory, in bytes, as it reported it.
    peak: Option<u64>,
    code: Option<i32>,
    stdout: String,
}

/// Runs `command` to completion and measures it (the child reports its own peak memory when
/// `REPORT_PEAK_MEMORY` is set).
fn run_measured(command: &mut Command) -> std::io::Result<Measured> {
    let started = Instant::now();
    let output = command
        .env(super::REPORT_PEAK_MEMORY, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()?;
    let wall = started.elapsed();
    let peak = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|line| {
            line.strip_prefix(super::PEAK_MEMORY_PREFIX)?
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kb| kb * 1024);
    Ok(Measured {
        wall,
        peak,
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    })
}

/// Writes a guide tree with `count` synthetic chapters under `dir`; returns what was planted.
fn write_synthetic_tree(
    root: &Path,
    guide: &LoadedGuide,
    dir: &Path,
    count: usize,
) -> std::io::Result<synthetic::Synthetic> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("book/synthetic"))?;
    for file in ["book.toml", "guide.yaml"] {
        std::fs::copy(root.join(file), dir.join(file))?;
    }
    if root.join("theme").is_dir() {
        copy_folder(&root.join("theme"), &dir.join("theme"))?;
    }
    for file in crate::snippets::generate(&guide.guide) {
        std::fs::create_dir_all(dir.join(&file.path).parent().unwrap_or(dir))?;
        std::fs::write(dir.join(&file.path), file.contents)?;
    }
    let urls: Vec<String> = guide.guide.urls.iter().map(|u| u.url.clone()).collect();
    let synthetic = synthetic::chapters(count, &guide.settings, &urls, 2018);
    let mut summary = String::from("# Summary\n\n");
    for (index, chapter) in synthetic.chapters.iter().enumerate() {
        std::fs::write(dir.join(&chapter.path), &chapter.text)?;
        summary.push_str(&format!(
            "- [Synthetic chapter {index}](synthetic/chapter-{index:05}.md)\n"
        ));
    }
    std::fs::write(dir.join("book/SUMMARY.md"), summary)?;
    Ok(synthetic)
}

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / 1_000_000)
}

/// The project's own checks on 5,000 chapters, and the full `verify` of the real guide: both
/// within the memory budget, and both with the right answer.
pub fn memory(root: &Path, guide: &LoadedGuide) -> Vec<Row> {
    const WHAT: &str = "verify peak memory";
    let Ok(exe) = std::env::current_exe() else {
        return vec![Row::failed(WHAT, "cannot find the xtask binary")];
    };
    let dir = root.join("target/bench/synthetic-5000");
    let synthetic = match write_synthetic_tree(root, guide, &dir, 5_000) {
        Ok(synthetic) => synthetic,
        Err(error) => {
            return vec![Row::failed(
                WHAT,
                format!("cannot write the synthetic guide: {error}"),
            )]
        }
    };
    let mut rows = Vec::new();
    let label = format!(
        "verify --offline --no-build, {} synthetic chapters ({:.0} MB): peak memory",
        synthetic.chapters.len(),
        synthetic.bytes() as f64 / 1e6
    );
    let mut command = Command::new(&exe);
    command
        .args([
            "verify",
            "--offline",
            "--no-build",
            "--format",
            "json",
            "--root",
        ])
        .arg(&dir);
    rows.push(match run_measured(&mut command) {
        Err(error) => Row::failed(&label, error.to_string()),
        Ok(run) => {
            let errors = serde_json::from_str::<serde_json::Value>(&run.stdout)
                .ok()
                .and_then(|document| document["errors"].as_u64());
            let right_answer =
                run.code == Some(1) && errors == Some(synthetic.planted_drifts as u64);
            match run.peak {
                None => Row::failed(&label, "the run reported no peak memory"),
                Some(peak) => Row::new(
                    &label,
                    megabytes(peak),
                    "< 200 MB, exactly the planted drifts found",
                    format!(
                        "{:.1} s wall, exit {:?}, {} of {} planted drifts reported",
                        run.wall.as_secs_f64(),
                        run.code,
                        errors.map_or("no".to_string(), |e| e.to_string()),
                        synthetic.planted_drifts
                    ),
                    peak < MEMORY_BUDGET && right_answer,
                ),
            }
        }
    });
    let label = "verify --offline of the real guide (mdBook build included): peak memory";
    let mut command = Command::new(&exe);
    command.args(["verify", "--offline", "--root"]).arg(root);
    rows.push(match run_measured(&mut command) {
        Err(error) => Row::failed(label, error.to_string()),
        Ok(Measured { peak: None, .. }) => Row::failed(label, "the run reported no peak memory"),
        Ok(Measured {
            peak: Some(peak),
            wall,
            code,
            ..
        }) => Row::new(
            label,
            megabytes(peak),
            "< 200 MB, exit 0",
            format!("{:.1} s wall, exit {code:?}", wall.as_secs_f64()),
            peak < MEMORY_BUDGET && code == Some(0),
        ),
    });
    let _ = std::fs::remove_dir_all(&dir);
    rows
}

/// mdBook's renderer, not this project's code: how its time and memory grow with chapters, and
/// the chapter count at which it passes 1 s and 200 MB.
pub fn mdbook_scaling(root: &Path, guide: &LoadedGuide) -> Vec<Row> {
    const WHAT: &str = "mdBook's renderer (not ours): build of N synthetic chapters";
    let Ok(exe) = std::env::current_exe() else {
        return vec![Row::failed(WHAT, "cannot find the xtask binary")];
    };
    let dir = root.join("target/bench/synthetic-scaling");
    let mut points = Vec::new();
    let mut over_a_second = None;
    let mut over_budget = None;
    for count in [125, 250, 500, 1_000, 2_000, 4_000] {
        if let Err(error) = write_synthetic_tree(root, guide, &dir, count) {
            return vec![Row::failed(WHAT, error.to_string())];
        }
        let run = match run_measured(Command::new(&exe).args(["build", "--root"]).arg(&dir)) {
            Ok(run) => run,
            Err(error) => return vec![Row::failed(WHAT, error.to_string())],
        };
        // mdBook warns about a search index over 10 MB, and the build refuses any warning:
        // that refusal is the guide's rule, not a failure of the renderer being measured.
        let only_big_index = run.code == Some(1)
            && run.stdout.lines().filter(|l| l.contains("error[")).count() == 1
            && run.stdout.contains("search index is very large");
        let code = if only_big_index { Some(0) } else { run.code };
        let (Some(peak), Some(0)) = (run.peak, code) else {
            return vec![Row::failed(
                WHAT,
                format!(
                    "the build of {count} chapters failed (exit {:?}) or reported no memory",
                    run.code
                ),
            )];
        };
        points.push(format!(
            "{count}: {:.1} s, {}",
            run.wall.as_secs_f64(),
            megabytes(peak)
        ));
        if over_a_second.is_none() && run.wall > Duration::from_secs(1) {
            over_a_second = Some(count);
        }
        if over_budget.is_none() && peak > MEMORY_BUDGET {
            over_budget = Some(count);
        }
        if over_a_second.is_some() && over_budget.is_some() {
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let passes =
        |count: Option<usize>| count.map_or("beyond 4000".to_string(), |c| format!("at {c}"));
    vec![Row::new(
        WHAT,
        format!(
            "1 s {} chapters, 200 MB {} chapters",
            passes(over_a_second),
            passes(over_budget)
        ),
        "reported, not a target",
        points.join("; "),
        true,
    )]
}

pub fn warm_verify(root: &Path) -> Vec<Row> {
    const WHAT: &str = "warm verify --offline on the guide (book build included)";
    let Ok(exe) = std::env::current_exe() else {
        return vec![Row::failed(WHAT, "cannot find the xtask binary")];
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
    for _ in 0..3 {
        match verify() {
            Ok(run) if run.code == Some(0) => best = best.min(run.wall),
            Ok(run) => {
                return vec![Row::failed(
                    WHAT,
                    format!("verify exited {:?}: the guide must be clean", run.code),
                )]
            }
            Err(error) => return vec![Row::failed(WHAT, error.to_string())],
        }
    }
    vec![Row::new(
        WHAT,
        format!("{} ms", best.as_millis()),
        "< 1 s",
        "best of 3, each exit 0",
        best < Duration::from_secs(1),
    )]
}

/// A fresh clone, a cold target folder, then `cargo xtask verify --offline`. Crates already
/// downloaded are reused (the registry is the network's part, not the build's).
pub fn cold_start(root: &Path) -> Vec<Row> {
    const WHAT: &str = "fresh clone to passing verify --offline, cold target folder";
    let scratch = std::env::temp_dir().join(format!("calsync-cold-start-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let clone = scratch.join("clone");
    let cloned = Command::new("git")
        .args(["clone", "--quiet"])
        .arg(root)
        .arg(&clone)
        .status();
    if !cloned.is_ok_and(|s| s.success()) {
        return vec![Row::failed(WHAT, "git clone failed")];
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let result = run_measured(
        Command::new(cargo)
            .args(["xtask", "verify", "--offline"])
            .current_dir(&clone)
            .env_remove("CARGO_MANIFEST_DIR")
            .env("CARGO_TARGET_DIR", scratch.join("target")),
    );
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(run) => vec![Row::new(
            WHAT,
            format!("{:.0} s", run.wall.as_secs_f64()),
            "< 4 min, exit 0",
            format!(
                "exit {:?}, {} cores",
                run.code,
                std::thread::available_parallelism().map_or(1, |n| n.get())
            ),
            run.wall < Duration::from_secs(240) && run.code == Some(0),
        )],
        Err(error) => vec![Row::failed(WHAT, error.to_string())],
    }
}

/// Copies a folder and everything in it (the theme has a `fonts/` folder).
fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_folder(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

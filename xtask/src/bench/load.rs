//! Loading `guide.yaml`: every command pays it first. The guide as it is, then with 1,000 and
//! 5,000 synthetic problems (copies of its first one under new ids). Loading must grow in step
//! with the file: it once re-parsed the whole file per problem id, and grew with its square.

use std::time::{Duration, Instant};

use super::Row;

/// Times `parse_guide` on the guide at `root` and on synthetic guides built from it.
pub fn run(root: &std::path::Path) -> Vec<Row> {
    let text = match std::fs::read_to_string(root.join(crate::model::load::GUIDE_FILE)) {
        Ok(text) => text,
        Err(error) => return vec![Row::failed("load guide.yaml", error.to_string())],
    };
    let Some(item) = first_problem(&text) else {
        return vec![Row::failed(
            "load guide.yaml",
            "no problems: list to copy from",
        )];
    };
    let mut rows = Vec::new();
    let mut timed = Vec::new();
    for extra in [0usize, 1_000, 5_000] {
        let guide = with_problems(&text, item, extra);
        match time_load(&guide) {
            Ok(elapsed) => timed.push((extra, elapsed, guide.len())),
            Err(why) => {
                rows.push(Row::failed(&format!("load, +{extra} problems"), why));
                return rows;
            }
        }
    }
    let base = timed[0].1.as_secs_f64();
    let per_problem =
        |extra: usize, elapsed: Duration| (elapsed.as_secs_f64() - base).max(1e-9) / extra as f64;
    let small = per_problem(timed[1].0, timed[1].1);
    for (extra, elapsed, bytes) in &timed {
        let (target, met, detail) = if *extra == 0 {
            (
                "< 1 s".to_string(),
                elapsed.as_secs_f64() < 1.0,
                format!("{} KiB", bytes / 1024),
            )
        } else {
            let ratio = per_problem(*extra, *elapsed) / small;
            (
                "linear: per problem ≤ 1.5 × the +1,000 figure".to_string(),
                ratio <= 1.5,
                format!(
                    "{} KiB; {:.0} µs per added problem ({ratio:.2} × the +1,000 figure)",
                    bytes / 1024,
                    per_problem(*extra, *elapsed) * 1e6
                ),
            )
        };
        rows.push(Row::new(
            format!("load guide.yaml, +{extra} problems"),
            format!("{:.0} ms", elapsed.as_secs_f64() * 1e3),
            target,
            detail,
            met,
        ));
    }
    rows
}

/// The median of three loads.
fn time_load(text: &str) -> Result<Duration, String> {
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        crate::model::load::parse_guide(text).map_err(|d| d.message)?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[1])
}

/// The text of the first item of `problems:`, from its `- id:` line to the next item.
fn first_problem(text: &str) -> Option<&str> {
    let list = text.find("\nproblems:\n")? + "\nproblems:\n".len();
    let start = list + text[list..].find("  - id: ")?;
    let end = start + 1 + text[start + 1..].find("\n  - id: ")? + 1;
    Some(&text[start..end])
}

/// `text` with `extra` copies of `item` at the top of `problems:`, each under its own id.
fn with_problems(text: &str, item: &str, extra: usize) -> String {
    let id_line = item.lines().next().unwrap_or_default();
    let mut copies = String::with_capacity(item.len() * extra);
    for index in 0..extra {
        copies.push_str(&item.replacen(id_line, &format!("  - id: synthetic-{index}"), 1));
    }
    text.replacen("\nproblems:\n", &format!("\nproblems:\n{copies}"), 1)
}

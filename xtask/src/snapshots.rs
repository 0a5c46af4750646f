//! The insta snapshots that are pure functions of `guide.yaml`: the steps, settings tables,
//! pictures, answers, message index, administrators' checks and profile. One list, used twice:
//! the snapshot tests assert each entry, and `verify` and `cargo xtask snippets` compare each
//! with its file under `tests/snapshots/`, so a contributor learns from the tool, not from a
//! failed `cargo test`, which snapshots a change of `guide.yaml` moves, and how to accept them.
//!
//! (The snapshots of built pages, such as the evidence page's text, need a build and a browser's
//! reading; `cargo test` alone holds them.)

use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::diagnostic::Diagnostic;
use crate::model::schema::Guide;

/// Where insta keeps the snapshots, relative to the repository root.
pub const SNAPSHOTS_DIR: &str = "tests/snapshots";

/// How to look at changed snapshots and accept them.
pub const REVIEW_HINT: &str = "run `cargo test`, then `cargo insta review` to read each change and accept it (`cargo install cargo-insta` once); accepted snapshots are committed with the change";

/// One snapshot: the test file that asserts it (insta's prefix), its name, and its text.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The test file's name without `.rs`: `snippets`, `troubleshooting`, `pictures`, `profile`.
    pub test: &'static str,
    pub name: String,
    pub contents: String,
}

impl Snapshot {
    /// `tests/snapshots/<test>__<name>.snap`, as insta names it.
    pub fn path(&self) -> PathBuf {
        Path::new(SNAPSHOTS_DIR).join(format!("{}__{}.snap", self.test, self.name))
    }
}

/// Every snapshot `guide.yaml` determines, in a stable order.
pub fn of_guide(guide: &Guide) -> Vec<Snapshot> {
    let mut all = Vec::new();
    let mut add = |test: &'static str, name: String, contents: String| {
        all.push(Snapshot {
            test,
            name,
            contents,
        });
    };
    for edition in &guide.editions {
        add(
            "snippets",
            format!("steps_{}", edition.id),
            crate::snippets::steps(edition),
        );
        add(
            "snippets",
            format!("settings_{}", edition.id),
            crate::snippets::settings_table(guide, edition),
        );
        let pictures: String = crate::pictures::pictures(edition)
            .iter()
            .enumerate()
            .map(|(i, p)| format!("--- step {} ({})\n{}", i + 1, p.alt, p.svg))
            .collect();
        add("pictures", format!("pictures_{}", edition.id), pictures);
        add(
            "troubleshooting",
            format!("problems_{}", edition.id),
            crate::troubleshooting::answers(guide, edition),
        );
        if !guide.day_to_day.is_empty() {
            add(
                "day_to_day",
                format!("day_to_day_{}", edition.id),
                crate::day_to_day::chapter(guide, edition),
            );
        }
    }
    add(
        "troubleshooting",
        "messages".into(),
        crate::troubleshooting::messages(guide),
    );
    add(
        "troubleshooting",
        "admin_checks".into(),
        crate::troubleshooting::admin_checks(guide),
    );
    if let Some(profile) = crate::profile::generate(guide) {
        add(
            "profile",
            "calsync_exchange_mobileconfig".into(),
            String::from_utf8_lossy(&crate::profile::to_xml(&profile)).into_owned(),
        );
    }
    all
}

/// The text of a `.snap` file after insta's header.
fn body(snap: &str) -> &str {
    let snap = snap.strip_prefix("---\n").unwrap_or(snap);
    match snap.find("\n---\n") {
        Some(end) => &snap[end + "\n---\n".len()..],
        None => snap,
    }
}

/// Every snapshot under `root` that no longer matches what `guide` generates: each file once,
/// with the diff. Nothing when `root` has no snapshots folder (a fixture guide).
pub fn stale(root: &Path, guide: &Guide) -> Vec<Diagnostic> {
    if !root.join(SNAPSHOTS_DIR).is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for snapshot in of_guide(guide) {
        let path = snapshot.path();
        let committed = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        let committed = body(&committed).trim_end();
        let generated = snapshot.contents.trim_end();
        if committed == generated {
            continue;
        }
        let message = if committed.is_empty() {
            "a snapshot test has no snapshot yet: guide.yaml generates it".to_string()
        } else {
            "this snapshot no longer matches what guide.yaml generates: its test will fail"
                .to_string()
        };
        let diff = TextDiff::from_lines(committed, generated)
            .unified_diff()
            .context_radius(1)
            .header(
                &format!("{} (committed)", path.display()),
                &format!("{} (generated from guide.yaml)", path.display()),
            )
            .to_string();
        found.push(
            Diagnostic::error("snapshots", message)
                .in_file(&path)
                .detail(diff)
                .hint(REVIEW_HINT),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_body_follows_insta_header() {
        let snap = "---\nsource: tests/x.rs\nexpression: y\n---\nline one\nline two\n";
        assert_eq!(super::body(snap), "line one\nline two\n");
    }
}

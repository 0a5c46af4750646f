//! Checks of the repository itself, so `cargo test` is the one entry point (rust-analyzer's
//! tidy habit): docs exist and are current, sources say why they exist, nothing is left half-done.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    xtask::project_root()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_xtask_module_opens_with_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&root().join("xtask/src"), &mut files);
    let missing: Vec<_> = files
        .iter()
        .filter(|path| !path.ends_with("main.rs"))
        .filter(|path| !std::fs::read_to_string(path).unwrap().starts_with("//!"))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a `//!` comment saying why they exist: {missing:?}"
    );
}

#[test]
fn no_unfinished_work_markers_or_debug_prints() {
    let mut files = Vec::new();
    for dir in ["xtask/src", "tests"] {
        rust_files(&root().join(dir), &mut files);
    }
    let markers = [
        concat!("TO", "DO"),
        concat!("FIX", "ME"),
        concat!("dbg", "!("),
        concat!("todo", "!("),
    ];
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for marker in markers {
            assert!(
                !text.contains(marker),
                "{} contains {marker}",
                path.display()
            );
        }
    }
}

#[test]
fn the_readme_names_every_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    xtask::cli::run(
        ["--help"],
        &mut xtask::console::Console::new(&mut out, &mut err),
    );
    let help = String::from_utf8(out).unwrap();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|command| *command != "help")
        .collect();
    assert!(commands.len() >= 6, "{help}");
    for command in commands {
        assert!(
            readme.contains(&format!("cargo xtask {command}")),
            "README.md does not mention `cargo xtask {command}`"
        );
    }
}

#[test]
fn the_readme_gives_the_two_commands_and_ci_runs_them() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(readme.contains("cargo xtask verify ") && readme.contains("cargo test --workspace"));
    assert!(ci.contains("cargo test --workspace") && ci.contains("cargo xtask verify --offline"));
}

#[test]
fn architecture_names_every_top_level_module() {
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let lib = std::fs::read_to_string(root().join("xtask/src/lib.rs")).unwrap();
    for module in lib
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod ")?.strip_suffix(';'))
    {
        assert!(
            architecture.contains(&format!("`{module}")),
            "ARCHITECTURE.md does not mention `{module}`"
        );
    }
}

#[test]
fn the_changelog_has_the_release_that_guide_yaml_names() {
    let guide = xtask::model::load::load_guide(&root()).unwrap();
    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("## [{}]", guide.guide.release)),
        "CHANGELOG.md has no entry for release {}",
        guide.guide.release
    );
}

#[test]
fn pull_requests_run_what_ci_runs() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/ci.yml")).unwrap();
    assert!(
        workflow.contains("pull_request:"),
        "the workflow must run on pull requests"
    );
    assert!(
        workflow.contains("bash .ci/run"),
        "the workflow must run .ci/run itself"
    );
    assert!(
        workflow.contains("Swatinem/rust-cache"),
        "the workflow caches the cargo build"
    );
}

#[test]
fn the_weekly_sources_workflow_reports_and_proposes_dates() {
    let workflow = std::fs::read_to_string(root().join(".github/workflows/sources.yml")).unwrap();
    assert!(workflow.contains("schedule:"));
    assert!(workflow.contains("cargo xtask sources --no-cache --stamp --format json"));
    assert!(workflow.contains("gh issue create") && workflow.contains("gh issue edit"));
    assert!(workflow.contains("create-pull-request"));
}

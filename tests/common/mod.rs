//! Helpers shared by the integration tests: fixture guide trees and running xtask in-process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tempfile::TempDir;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fresh copy of `tests/fixtures/base` with each named overlay copied over it, so a test can
/// write, fix and build without touching the repository.
pub fn fixture(overlays: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&fixtures_dir().join("base"), dir.path());
    for overlay in overlays {
        copy_tree(&fixtures_dir().join(overlay), dir.path());
    }
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What one in-process run of `cargo xtask` printed, and its exit code.
pub struct Printed {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cargo xtask ARGS` in-process, keeping standard output and standard error apart.
pub fn xtask_split(args: &[&str]) -> Printed {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = {
        let mut console = xtask::console::Console::new(&mut out, &mut err);
        xtask::cli::run(args.iter().copied(), &mut console)
    };
    Printed {
        code,
        stdout: String::from_utf8(out).expect("xtask prints UTF-8"),
        stderr: String::from_utf8(err).expect("xtask prints UTF-8"),
    }
}

/// Runs `cargo xtask ARGS` in-process; returns the exit code and everything printed
/// (standard output, then standard error).
pub fn xtask(args: &[&str]) -> (u8, String) {
    let printed = xtask_split(args);
    (printed.code, printed.stdout + &printed.stderr)
}

/// `cargo xtask verify --offline --root DIR` plus `extra` arguments.
pub fn verify(root: &Path, extra: &[&str]) -> (u8, String) {
    let root = root.to_str().unwrap();
    let mut args = vec!["verify", "--offline", "--root", root];
    args.extend_from_slice(extra);
    xtask(&args)
}

/// The `file:line:col: severity[check]: message` lines of human output.
pub fn diagnostic_lines(output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|line| {
            line.contains(": error[")
                || line.contains(": warning[")
                || line.starts_with("error[")
                || line.starts_with("warning[")
        })
        .map(str::to_string)
        .collect()
}

/// A temporary copy of the files the repository's guide is built from.
pub fn copy_of_repository_guide() -> TempDir {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    for folder in ["book", "snippets", "theme"] {
        copy_tree(&root.join(folder), &dir.path().join(folder));
    }
    for file in ["book.toml", "guide.yaml", "CHANGELOG.md"] {
        std::fs::copy(root.join(file), dir.path().join(file)).unwrap();
    }
    dir
}

/// Builds a copy of the repository's guide; returns the copy and its HTML folder.
pub fn built_repository_guide() -> (TempDir, PathBuf) {
    let tree = copy_of_repository_guide();
    let (code, output) = xtask(&["build", "--root", tree.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    let html = tree.path().join("target/book");
    (tree, html)
}

/// Rewrites the text file at `path` with `change` (the tests' way to break a fixture).
pub fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    std::fs::write(path, change(text)).unwrap();
}

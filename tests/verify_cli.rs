//! `cargo xtask verify` end to end on fixture guide trees: exit codes and what it prints.

mod common;

use common::{diagnostic_lines, fixture, verify, xtask};

#[test]
fn a_clean_guide_exits_zero_with_one_line_per_check() {
    let tree = fixture(&[]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    for check in [
        "load", "summary", "include", "settings", "urls", "secrets", "snippets", "build",
    ] {
        assert!(
            output
                .lines()
                .any(|line| line.trim_start().starts_with("ok") && line.contains(check)),
            "no ok line for {check}:\n{output}"
        );
    }
    assert!(output.contains("skip  online"), "{output}");
    assert!(tree.path().join("target/book/index.html").is_file());
}

#[test]
fn a_finding_exits_one() {
    let tree = fixture(&["drifted-value"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
}

#[test]
fn bad_yaml_exits_two() {
    let tree = fixture(&[]);
    std::fs::write(tree.path().join("guide.yaml"), "release: [unclosed\n").unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("guide.yaml:"), "{output}");
}

#[test]
fn a_missing_book_toml_exits_two() {
    let tree = fixture(&[]);
    std::fs::remove_file(tree.path().join("book.toml")).unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("there is no book.toml"), "{output}");
}

#[test]
fn a_chapter_missing_from_disk_is_reported_at_its_summary_line() {
    let tree = fixture(&["missing-chapter"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        diagnostic_lines(&output).contains(
            &"book/SUMMARY.md:6:3: error[summary]: SUMMARY.md lists `current/troubleshooting.md`, which does not exist".to_string()
        ),
        "{output}"
    );
    assert!(output.contains("FAIL  build"), "{output}");
}

#[test]
fn a_chapter_missing_from_summary_is_reported() {
    let tree = fixture(&["unlisted-chapter"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains(
            "book/current/orphan.md:1:1: error[summary]: this chapter is not listed in SUMMARY.md"
        ),
        "{output}"
    );
    assert!(
        output.contains("add `- [Title](current/orphan.md)` to SUMMARY.md"),
        "{output}"
    );
}

#[test]
fn a_missing_include_fails_the_check_and_the_build() {
    let tree = fixture(&["missing-include"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("book/current/add-account.md:3:1: error[include]: included file `../../snippets/current/stepz.md` does not exist"),
        "{output}"
    );
    // mdBook itself only logs this; the build step must still fail on it.
    assert!(output.contains("FAIL  build"), "{output}");
}

#[test]
fn json_format_prints_one_document_with_every_diagnostic() {
    let tree = fixture(&["drifted-value"]);
    let printed = common::xtask_split(&[
        "verify",
        "--offline",
        "--format",
        "json",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 1);
    let document: serde_json::Value =
        serde_json::from_str(&printed.stdout).expect("stdout is one JSON document");
    let diagnostic = &document["diagnostics"][0];
    assert_eq!(diagnostic["file"], "book/current/add-account.md");
    assert_eq!(diagnostic["line"], 5);
    assert_eq!(diagnostic["column"], 16);
    assert_eq!(diagnostic["check"], "settings");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["expected"], "outlook.office365.com");
    assert_eq!(diagnostic["found"], "outlook.office.com");
    assert!(diagnostic["hint"].as_str().unwrap().contains("--fix"));
    assert_eq!(document["errors"], 1);
}

#[test]
fn help_lists_every_command_on_one_line() {
    let (code, output) = xtask(&["--help"]);
    assert_eq!(code, 0);
    for command in ["build", "serve", "snippets", "verify"] {
        assert!(
            output
                .lines()
                .any(|line| line.trim_start().starts_with(command)),
            "{command} missing from:\n{output}"
        );
    }
}

#[test]
fn an_unknown_flag_exits_two() {
    let (code, output) = xtask(&["verify", "--no-such-flag"]);
    assert_eq!(code, 2);
    assert!(output.contains("--no-such-flag"), "{output}");
}

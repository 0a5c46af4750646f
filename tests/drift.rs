//! The drift check and its friends (undeclared URLs, credentials, markers), one fixture per rule,
//! and `verify --fix`.

mod common;

use common::{diagnostic_lines, fixture, verify};

#[test]
fn matching_values_pass() {
    let tree = fixture(&[]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains("5 marked values in 5 files match guide.yaml"),
        "{output}"
    );
}

#[test]
fn a_drifted_value_names_file_line_column_expected_and_found() {
    let tree = fixture(&["drifted-value"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("drifted_value", report_without_timings(&output));
}

#[test]
fn an_unknown_key_suggests_the_closest_key() {
    let tree = fixture(&["unknown-key"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostic_lines(&output),
        ["book/current/index.md:3:56: error[settings]: unknown setting `editions.current.acounts_path`: guide.yaml has no such key"]
    );
    assert!(
        output.contains("hint: did you mean `editions.current.accounts_path`?"),
        "{output}"
    );
}

#[test]
fn an_undeclared_url_is_an_error() {
    let tree = fixture(&["undeclared-url"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostic_lines(&output),
        ["book/current/index.md:5:12: error[urls]: https://login.microsoftonline.com/ is not declared in guide.yaml"]
    );
}

#[test]
fn a_declared_url_no_page_uses_and_no_fact_cites_is_a_warning() {
    let tree = fixture(&[]);
    let yaml_path = tree.path().join("guide.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    std::fs::write(
        &yaml_path,
        yaml.replace(
            "\neditions:\n",
            "  - id: spare\n    url: https://learn.microsoft.com/spare\n    purpose: Not linked\n    expect: ok\n\neditions:\n",
        ),
    )
    .unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 0, "warnings do not fail: {output}");
    assert!(
        output.contains("guide.yaml:36:10: warning[urls]: https://learn.microsoft.com/spare is declared but no page uses it"),
        "{output}"
    );
    // The fixture's own address is cited by a fact, so removing its last link is no warning:
    // readers still reach it from the page's Sources section.
    let chapter = tree.path().join("book/current/index.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        text.replace("Then test in <https://outlook.office.com/calendar/>.\n", ""),
    )
    .unwrap();
    let (_, output) = verify(tree.path(), &[]);
    assert!(
        !output.contains("outlook.office.com/calendar/ is declared but"),
        "{output}"
    );
}

#[test]
fn credential_shaped_text_is_reported() {
    let tree = fixture(&["credential"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostic_lines(&output),
        [
            "book/current/index.md:5:5: error[secrets]: `jane.doe@fabrikam-industries.com` looks like a real email address",
            "book/current/index.md:5:65: error[secrets]: `qwkrtzplmnbvcxdf` looks like an app password",
        ]
    );
}

/// A generated snippet edited by hand is reported once, at its line, by the snippets check
/// (with the diff), not a second time as drift of each value it shows.
#[test]
fn drift_inside_a_generated_snippet_is_reported_once_at_the_snippet_line() {
    let tree = fixture(&["drift-in-snippet"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    let lines: Vec<String> = diagnostic_lines(&output)
        .into_iter()
        .filter(|l| l.starts_with("snippets/current/steps.md") && !l.contains("error[secrets]"))
        .collect();
    let text = std::fs::read_to_string(tree.path().join("snippets/current/steps.md")).unwrap();
    let line = text[..text.find("you@contoso.co`").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(
        lines,
        [format!("snippets/current/steps.md:{line}:1: error[snippets]: this snippet differs from what guide.yaml generates")],
        "{output}"
    );
    assert!(
        output.contains("you@contoso.co"),
        "the diff shows the edit: {output}"
    );
}

#[test]
fn misplaced_and_empty_markers_are_reported() {
    let tree = fixture(&["bad-marker"]);
    let (_, output) = verify(tree.path(), &[]);
    assert_eq!(
        diagnostic_lines(&output),
        [
            // The path the misplaced marker fails to mark is then a path written by hand.
            "book/current/index.md:3:8: error[settings]: the menu path `Settings → Apps → Calendar → Calendar Accounts` is written by hand",
            "book/current/index.md:3:57: error[settings]: this setting marker does not directly follow a value",
            "book/current/index.md:4:1: error[settings]: this setting marker starts a line, so it opens an HTML block and labels nothing",
            "book/current/index.md:5:26: error[settings]: this setting marker names no key",
        ]
    );
}

#[test]
fn dangerous_links_are_refused() {
    let tree = fixture(&["bad-link"]);
    let (_, output) = verify(tree.path(), &[]);
    let lines = diagnostic_lines(&output);
    assert!(
        lines.contains(&"book/current/index.md:5:8: error[urls]: link to a `javascript:` address; readers may only be sent to http(s) pages".to_string()),
        "{output}"
    );
    assert!(
        lines.contains(&"book/current/index.md:5:52: error[urls]: this address carries a user name or password (user@host)".to_string()),
        "{output}"
    );
}

#[test]
fn fix_rewrites_only_the_drifted_bytes_and_a_second_run_is_a_no_op() {
    let tree = fixture(&["drifted-value"]);
    let chapter = tree.path().join("book/current/add-account.md");
    let before = std::fs::read_to_string(&chapter).unwrap();

    let (code, output) = verify(tree.path(), &["--fix"]);
    assert_eq!(code, 0, "after fixing, the guide is clean:\n{output}");
    assert!(
        output.contains("fixed book/current/add-account.md:5:16: \"outlook.office.com\" → \"outlook.office365.com\""),
        "{output}"
    );
    let after = std::fs::read_to_string(&chapter).unwrap();
    assert_eq!(
        after,
        before.replace("`outlook.office.com`", "`outlook.office365.com`")
    );
    insta::assert_snapshot!("fixed_add_account", after);

    let (code, output) = verify(tree.path(), &["--fix"]);
    assert_eq!(code, 0);
    assert!(
        output.contains("fix: 0 value(s) rewritten in 0 file(s)"),
        "{output}"
    );
    assert_eq!(std::fs::read_to_string(&chapter).unwrap(), after);
}

#[test]
fn fix_keeps_crlf_line_endings_and_other_bytes() {
    let tree = fixture(&["drifted-value"]);
    let chapter = tree.path().join("book/current/add-account.md");
    let crlf = std::fs::read_to_string(&chapter)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&chapter, &crlf).unwrap();
    let (code, output) = verify(tree.path(), &["--fix"]);
    assert_eq!(code, 0, "{output}");
    assert_eq!(
        std::fs::read_to_string(&chapter).unwrap(),
        crlf.replace("`outlook.office.com`", "`outlook.office365.com`")
    );
}

#[test]
fn fix_on_a_read_only_file_fails_cleanly_and_writes_nothing() {
    let tree = fixture(&["drifted-value"]);
    let chapter = tree.path().join("book/current/add-account.md");
    let before = std::fs::read(&chapter).unwrap();
    let mut permissions = std::fs::metadata(&chapter).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&chapter, permissions).unwrap();

    let (code, output) = verify(tree.path(), &["--fix"]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("cannot write book/current/add-account.md"),
        "{output}"
    );
    assert!(
        output.contains("nothing was changed in this file"),
        "{output}"
    );
    assert_eq!(std::fs::read(&chapter).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(chapter.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
}

/// The diagnostics part of the human report (check lines carry timings, which vary).
fn report_without_timings(output: &str) -> String {
    output
        .split_once("\n\n")
        .map(|(_, diagnostics)| diagnostics)
        .unwrap_or("")
        .lines()
        .filter(|line| !line.starts_with("verify: "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renames cannot leak: a Settings path written by hand in the prose is refused at its place,
/// so every menu path comes from guide.yaml, marked, and a renamed menu is caught everywhere.
#[test]
fn a_menu_path_written_by_hand_is_refused_and_a_rename_reaches_every_marked_one() {
    let tree = common::copy_of_repository_guide();
    let root = tree.path();
    common::edit(&root.join("book/ipad.md"), |text| {
        text + "\nOn an old iPad, open Settings → Calendar → Accounts.\n"
    });
    let (code, output) = common::verify(root, &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    let text = std::fs::read_to_string(root.join("book/ipad.md")).unwrap();
    let at = text.rfind("Settings → Calendar → Accounts.").unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = text[text[..at].rfind('\n').unwrap() + 1..at]
        .chars()
        .count()
        + 1;
    assert!(
        output.contains(&format!(
            "book/ipad.md:{line}:{column}: error[settings]: the menu path `Settings → Calendar → Accounts` is written by hand"
        )),
        "{output}"
    );
    // In code, it is an example, not a path readers follow.
    let tree = common::copy_of_repository_guide();
    let root = tree.path();
    common::edit(&root.join("book/contributing.md"), |text| {
        text + "\nA marker looks like `**Settings → Mail**<!-- setting: x -->`.\n"
    });
    let (code, output) = common::verify(root, &["--no-build"]);
    assert_eq!(code, 0, "{output}");
    // A rename in guide.yaml: the marked paths in the iPad and legacy pages now fail.
    let tree = common::copy_of_repository_guide();
    let root = tree.path();
    common::edit(&root.join("guide.yaml"), |text| {
        text.replacen(
            "accounts_path: [Settings, Apps, Calendar, Calendar Accounts]",
            "accounts_path: [Settings, Apps, Calendar, Accounts]",
            1,
        )
    });
    let (_, output) = common::verify(root, &["--no-build"]);
    for page in ["book/ipad.md", "book/what-changed.md"] {
        assert!(
            common::diagnostic_lines(&output)
                .iter()
                .any(|l| l.starts_with(page) && l.contains("error[settings]")),
            "{page}: {output}"
        );
    }
}

//! Correct answers whatever the flags: `--format json` prints exactly one JSON document, huge
//! flag values and odd file names are errors rather than overflows or panics, and the checks
//! read markdown exactly as mdBook renders it.

mod common;

use common::{fixture, verify, xtask_split};

/// Parses the whole of `stdout` as one JSON value (trailing text is an error).
fn one_document(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"))
}

#[test]
fn json_output_is_one_document_whatever_the_flags() {
    let tree = fixture(&["drifted-value"]);
    let root = tree.path().to_str().unwrap();
    let printed = xtask_split(&[
        "verify",
        "--offline",
        "--fix",
        "--format",
        "json",
        "--root",
        root,
    ]);
    assert_eq!(printed.code, 0, "{}{}", printed.stdout, printed.stderr);
    let document = one_document(&printed.stdout);
    assert_eq!(document["errors"], 0);
    assert!(
        printed
            .stderr
            .contains("fixed book/current/add-account.md:5:16"),
        "{}",
        printed.stderr
    );
    assert!(
        printed.stderr.contains("verify: guide at"),
        "{}",
        printed.stderr
    );

    for args in [
        vec![
            "verify",
            "--offline",
            "--no-build",
            "--format",
            "json",
            "--root",
            root,
        ],
        vec![
            "verify",
            "--offline",
            "--fix",
            "--no-build",
            "--format",
            "json",
            "--root",
            root,
        ],
        vec!["urls", "--offline", "--format", "json", "--root", root],
    ] {
        let printed = xtask_split(&args);
        one_document(&printed.stdout);
    }
}

#[test]
fn json_output_stays_one_document_with_github_annotations_on() {
    let tree = fixture(&["drifted-value"]);
    let root = tree.path().to_str().unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = {
        let mut console = xtask::console::Console::new(&mut out, &mut err);
        console.github = true;
        xtask::cli::run(
            ["verify", "--offline", "--format", "json", "--root", root],
            &mut console,
        )
    };
    assert_eq!(code, 1);
    let document = one_document(&String::from_utf8(out).unwrap());
    assert_eq!(document["errors"], 1);
}

#[test]
fn json_output_is_one_document_when_the_tool_cannot_run() {
    let tree = fixture(&[]);
    std::fs::write(tree.path().join("guide.yaml"), "release: [unclosed\n").unwrap();
    let printed = xtask_split(&[
        "verify",
        "--offline",
        "--format",
        "json",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 2);
    let document = one_document(&printed.stdout);
    assert_eq!(document["diagnostics"][0]["file"], "guide.yaml");
}

#[test]
fn huge_durations_are_errors_not_overflows() {
    for args in [
        [
            "verify",
            "--offline",
            "--max-cache-age",
            "18446744073709551615d",
        ],
        [
            "verify",
            "--offline",
            "--max-cache-age",
            "99999999999999999999999",
        ],
        ["urls", "--offline", "--timeout", "18446744073709551615s"],
        ["urls", "--offline", "--timeout", "213503982334601d"],
    ] {
        let printed = xtask_split(&args);
        assert_eq!(printed.code, 2, "{args:?}");
        assert!(
            printed.stderr.contains("is too long"),
            "{args:?}: {}",
            printed.stderr
        );
        assert!(printed.stdout.is_empty());
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported_in_valid_json() {
    use std::os::unix::ffi::OsStrExt;
    let tree = fixture(&[]);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(tree.path().join("book/current").join(name), "# Stray\n").unwrap();
    let printed = xtask_split(&[
        "verify",
        "--offline",
        "--no-build",
        "--format",
        "json",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 1, "{}", printed.stderr);
    let document = one_document(&printed.stdout);
    let files: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert!(files.contains(&"book/current/caf\u{fffd}.md"), "{files:?}");
}

#[test]
fn marked_values_next_to_quotes_and_dashes_are_read_as_mdbook_renders_them() {
    let tree = fixture(&[]);
    let chapter = tree.path().join("book/current/index.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    common::edit(&chapter, |text| {
        format!("{text}Type \"`outlook.office365.com`<!-- setting: service.exchange_server -->\"--it's the server.\n")
    });
    let (code, output) = verify(tree.path(), &["--no-build"]);
    assert_eq!(
        code, 0,
        "quotes and dashes around a value leave it alone:\n{output}"
    );

    // Inside bold text, smart punctuation changes what readers see: -- becomes an en dash.
    common::edit(&tree.path().join("guide.yaml"), |yaml| {
        yaml.replace(
            "  product: Microsoft 365",
            "  product: Microsoft 365 -- Business",
        )
    });
    std::fs::write(
        &chapter,
        format!("{text}Use **Microsoft 365 -- Business**<!-- setting: service.product -->.\n"),
    )
    .unwrap();
    common::record_readings(tree.path());
    let (code, output) = verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("found \"Microsoft 365 \u{2013} Business\""),
        "the check sees the en dash readers see:\n{output}"
    );

    // With smart punctuation off in book.toml, the text is read as written.
    common::edit(&tree.path().join("book.toml"), |toml| {
        format!("{toml}\n[output.html]\nsmart-punctuation = false\n")
    });
    let (code, output) = verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 0, "{output}");
}

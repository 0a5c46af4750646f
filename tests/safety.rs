//! Nothing a contributor writes may destroy or leak files: every spelling of a dangerous
//! `book.toml`, every directive that reads a file, every way raw HTML can send a reader to a
//! `javascript:` or `file:` address. Each test checks the whole class, and that the tree is intact.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{diagnostic_lines, fixture, verify, xtask};

/// Every file under `dir` (following no links) with its bytes, to prove nothing was lost.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if path.strip_prefix(dir).unwrap().starts_with("target") {
                continue;
            }
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn set_build_dir(root: &Path, build_dir: &str) {
    let line = format!("build-dir = {}", toml_string(build_dir));
    common::edit(&root.join("book.toml"), |toml| {
        toml.replace("build-dir = \"target/book\"", &line)
    });
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn no_spelling_of_a_build_folder_over_the_sources_is_accepted_and_nothing_is_lost() {
    let spellings = [
        "book",
        "./book",
        "book/",
        "book/.",
        "./book/./",
        "book//",
        "target/../book",
        "./target/../book/",
        "book/current",
        "book/../book",
        "book/current/..",
        ".",
        "./",
        "",
        "..",
        "../",
        "target/..",
        "target/../..",
        "/",
        "xtask",
        "snippets",
        "theme",
        ".git",
        "target",
        "target/debug",
        "target/book/../../book",
        "target/./..",
    ];
    for spelling in spellings {
        let tree = fixture(&[]);
        set_build_dir(tree.path(), spelling);
        let before = snapshot(tree.path());
        let root = tree.path().to_str().unwrap();
        for args in [
            vec!["build", "--root", root],
            vec!["verify", "--offline", "--root", root],
        ] {
            let (code, output) = xtask(&args);
            assert_eq!(
                code, 2,
                "build-dir = {spelling:?} must be refused:\n{output}"
            );
            assert!(
                output.contains("book.toml:") && output.contains("build-dir"),
                "{spelling:?}: {output}"
            );
        }
        assert_eq!(
            snapshot(tree.path()),
            before,
            "files changed with build-dir = {spelling:?}"
        );
    }
}

#[test]
fn an_absolute_spelling_of_the_sources_is_refused() {
    let tree = fixture(&[]);
    let absolute = tree.path().join("book");
    set_build_dir(tree.path(), absolute.to_str().unwrap());
    let before = snapshot(tree.path());
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("is the markdown folder or inside it"),
        "{output}"
    );
    assert_eq!(snapshot(tree.path()), before);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_to_the_sources_is_followed_and_refused() {
    let tree = fixture(&[]);
    std::os::unix::fs::symlink(tree.path().join("book"), tree.path().join("out")).unwrap();
    set_build_dir(tree.path(), "out");
    let before = snapshot(tree.path());
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert_eq!(snapshot(tree.path()), before);

    // target/book itself a link back to the repository.
    let tree = fixture(&[]);
    std::fs::create_dir_all(tree.path().join("target")).unwrap();
    std::os::unix::fs::symlink(tree.path(), tree.path().join("target/book")).unwrap();
    let before = snapshot(tree.path());
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("is the repository or a folder above it"),
        "{output}"
    );
    assert_eq!(snapshot(tree.path()), before);
}

#[test]
fn a_theme_file_linked_from_outside_the_repository_is_refused_and_never_published() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.txt"),
        "a secret of the machine\n",
    )
    .unwrap();
    for (file, theme_setting) in [
        ("theme/fonts/open-sans.woff2", None),
        ("theme/head.hbs", None),
        ("style/index.hbs", Some("style")),
    ] {
        let tree = fixture(&[]);
        let link = tree.path().join(file);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
        if let Some(theme) = theme_setting {
            // The fixture's book.toml has no [output.html] table of its own yet.
            common::edit(&tree.path().join("book.toml"), |toml| {
                format!("{toml}\n[output.html]\ntheme = \"{theme}\"\n")
            });
        }
        let before = snapshot(tree.path());
        let (code, output) = verify(tree.path(), &[]);
        assert_eq!(code, 2, "{file}: {output}");
        assert!(
            output.contains(&format!("the theme file {file} resolves outside")),
            "{file}: {output}"
        );
        assert_eq!(snapshot(tree.path()), before, "{file}");
        assert!(!tree.path().join("target/book").exists(), "{file}");
    }
}

#[test]
fn the_sources_may_not_be_the_repository_itself() {
    let tree = fixture(&[]);
    let toml = std::fs::read_to_string(tree.path().join("book.toml")).unwrap();
    std::fs::write(
        tree.path().join("book.toml"),
        toml.replace("src = \"book\"", "src = \".\""),
    )
    .unwrap();
    let before = snapshot(tree.path());
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 2, "{output}");
    assert_eq!(snapshot(tree.path()), before);
}

#[test]
fn equivalent_spellings_of_target_book_are_accepted() {
    for spelling in ["./target/book/", "target/x/../book", "target/book/html"] {
        let tree = fixture(&[]);
        set_build_dir(tree.path(), spelling);
        let (code, output) = xtask(&["build", "--root", tree.path().to_str().unwrap()]);
        assert_eq!(code, 0, "build-dir = {spelling:?}:\n{output}");
    }
}

#[test]
fn book_toml_may_not_run_commands() {
    for table in ["[preprocessor.evil]", "[output.evil]"] {
        let tree = fixture(&[]);
        let marker = tree.path().join("pwned");
        let toml = std::fs::read_to_string(tree.path().join("book.toml")).unwrap();
        std::fs::write(
            tree.path().join("book.toml"),
            format!(
                "{toml}\n{table}\ncommand = \"touch {}\"\n",
                marker.display()
            ),
        )
        .unwrap();
        let (code, output) = xtask(&["build", "--root", tree.path().to_str().unwrap()]);
        assert_eq!(code, 2, "{table}:\n{output}");
        assert!(output.contains("would run"), "{output}");
        assert!(!marker.exists(), "{table} ran its command");
    }
}

#[test]
fn book_toml_may_not_publish_or_write_files_outside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.css"), "/* secret */").unwrap();
    let secret = outside.path().join("secret.css");
    let cases = [
        format!(
            "additional-css = [{}]",
            toml_string(secret.to_str().unwrap())
        ),
        "additional-js = [\"../../../../../../etc/hostname\"]".to_string(),
        "theme = \"/etc\"".to_string(),
    ];
    for case in cases {
        let tree = fixture(&[]);
        let toml = std::fs::read_to_string(tree.path().join("book.toml")).unwrap();
        std::fs::write(
            tree.path().join("book.toml"),
            format!("{toml}\n[output.html]\n{case}\n"),
        )
        .unwrap();
        let (code, output) = xtask(&["build", "--root", tree.path().to_str().unwrap()]);
        assert_eq!(code, 2, "{case}:\n{output}");
        assert!(
            output.contains("resolves outside the repository"),
            "{output}"
        );
    }
    let tree = fixture(&[]);
    let toml = std::fs::read_to_string(tree.path().join("book.toml")).unwrap();
    std::fs::write(
        tree.path().join("book.toml"),
        format!(
            "{toml}\n[output.html.redirect]\n\"../../../escaped.html\" = \"current/index.html\"\n"
        ),
    )
    .unwrap();
    let (code, output) = xtask(&["build", "--root", tree.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{output}");
    assert!(!tree.path().join("escaped.html").exists());
}

/// The fixture with `text` appended to its first chapter.
fn with_chapter_text(text: &str) -> tempfile::TempDir {
    let tree = fixture(&[]);
    common::edit(&tree.path().join("book/current/index.md"), |existing| {
        format!("{existing}\n{text}\n")
    });
    tree
}

#[test]
fn every_directive_that_reads_a_file_is_held_to_the_repository() {
    let cases = [
        "{{ #include ../../../../../etc/hostname }}",
        "{{#include\t../../../../../etc/hostname:2:3}}",
        "{{#include ../../../../../etc/hostname:anchor}}",
        "{{#rustdoc_include ../../../../../etc/hostname:1}}",
        "{{#playground /etc/hostname editable}}",
        "{{#playpen ../../../../../etc/hostname}}",
        "{{#include\n   /etc/hostname}}",
    ];
    for case in cases {
        let tree = with_chapter_text(case);
        let (code, output) = verify(tree.path(), &[]);
        assert_eq!(code, 1, "{case}:\n{output}");
        assert!(
            output.contains("error[include]") && output.contains("points outside the repository"),
            "{case}:\n{output}"
        );
    }
}

#[test]
fn included_files_are_followed_at_any_depth_and_checked() {
    let tree = with_chapter_text("{{#include ../../notes/first.md}}");
    std::fs::create_dir_all(tree.path().join("notes")).unwrap();
    std::fs::write(
        tree.path().join("notes/first.md"),
        "First.\n\n{{#include second.md}}\n",
    )
    .unwrap();
    std::fs::write(
        tree.path().join("notes/second.md"),
        "Mail jane.doe@fabrikam-industries.com.\n\n{{#include ../../../../../etc/hostname}}\n",
    )
    .unwrap();
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    let lines = diagnostic_lines(&output);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("notes/second.md:1:6: error[secrets]")),
        "a file included by an included file is scanned:\n{output}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("notes/second.md:3:1: error[include]")
                && l.contains("points outside")),
        "{output}"
    );
}

#[cfg(unix)]
#[test]
fn an_include_through_a_symbolic_link_out_of_the_repository_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("private.md"), "private\n").unwrap();
    let tree = with_chapter_text("{{#include ../../snippets/private.md}}");
    std::os::unix::fs::symlink(
        outside.path().join("private.md"),
        tree.path().join("snippets/private.md"),
    )
    .unwrap();
    let (code, output) = verify(tree.path(), &["--no-build"]);
    assert_ne!(code, 0, "{output}");
    assert!(output.contains("symbolic link"), "{output}");
}

#[test]
fn javascript_and_file_addresses_are_refused_in_links_and_raw_html() {
    let cases = [
        ("[click](javascript:alert(1))", "javascript"),
        ("[click](JavaScript:alert(1))", "javascript"),
        ("<javascript:alert(1)>", "javascript"),
        ("[file](file:///etc/passwd)", "file"),
        ("![x](file:///etc/passwd)", "file"),
        ("[ref]\n\n[ref]: javascript:alert(1)", "javascript"),
        (
            "Inline <a href=\"javascript:alert(1)\">link</a> here.",
            "javascript",
        ),
        (
            "<a href=\"jav&#x61;script:alert(1)\">entity</a>",
            "javascript",
        ),
        ("<a href=\" java\tscript:alert(1)\">tab</a>", "javascript"),
        ("<img src=\"file:///etc/passwd\">", "file"),
        (
            "<div>\n<iframe src=\"JAVASCRIPT:alert(1)\"></iframe>\n</div>",
            "javascript",
        ),
        (
            "<form action=\"file:///etc/\"><button>go</button></form>",
            "file",
        ),
        (
            "<video poster=\"javascript:alert(1)\"></video>",
            "javascript",
        ),
        ("<img srcset=\"a.png 1x, file:///etc/passwd 2x\">", "file"),
        (
            "<meta http-equiv=\"refresh\" content=\"0; url=javascript:alert(1)\">",
            "javascript",
        ),
        (
            "<svg><a xlink:href=\"javascript:alert(1)\">x</a></svg>",
            "javascript",
        ),
        (
            "<a href=\"data:text/html,<script>alert(1)</script>\">data</a>",
            "data",
        ),
    ];
    for (markdown, scheme) in cases {
        let tree = with_chapter_text(markdown);
        let (code, output) = verify(tree.path(), &["--no-build"]);
        assert_eq!(code, 1, "{markdown}:\n{output}");
        assert!(
            output.contains(&format!("link to a `{scheme}:` address")),
            "{markdown}:\n{output}"
        );
    }
}

#[test]
fn scripts_and_event_handlers_in_raw_html_are_refused() {
    for markdown in [
        "<script>alert(1)</script>",
        "Text <img src=\"x.png\" onerror=\"alert(1)\"> more.",
        "<div onclick=\"alert(1)\">\nclick\n</div>",
    ] {
        let tree = with_chapter_text(markdown);
        let (code, output) = verify(tree.path(), &["--no-build"]);
        assert_eq!(code, 1, "{markdown}:\n{output}");
        assert!(output.contains("runs code"), "{markdown}:\n{output}");
    }
}

#[test]
fn safe_raw_html_passes_and_findings_point_at_the_attribute() {
    let tree = with_chapter_text("<a href=\"https://outlook.office.com/calendar/\">web</a> and <a href=\"../legacy-2018/index.md\">old</a>");
    let (code, output) = verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 0, "{output}");

    let tree = with_chapter_text(
        "<div>\n<p>See\n<a class=\"x\" href=\"javascript:alert(1)\">this</a></p>\n</div>",
    );
    let (_, output) = verify(tree.path(), &["--no-build"]);
    assert!(
        diagnostic_lines(&output)
            .iter()
            .any(|l| l.starts_with("book/current/index.md:8:14: error[urls]")),
        "{output}"
    );
}

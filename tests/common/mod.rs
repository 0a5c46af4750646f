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

/// The repository's own `guide.yaml`, loaded (the tests of what it generates start here).
pub fn repository_guide() -> xtask::model::schema::Guide {
    xtask::model::load::load_guide(&xtask::project_root())
        .expect("guide.yaml loads")
        .guide
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

/// Text that runs script or reads a file wherever it lands unescaped: an HTML tag with a
/// handler, a markdown link to `javascript:`, a script that closes the one it lands in, an
/// mdBook include. Every run of it sets `window.pwned`.
pub const PAYLOAD: &str = " <img src=x onerror=\"window.pwned=1\"> [x](javascript:window.pwned=2) </script><script>window.pwned=3</script> `<b onmouseover=window.pwned=4>` \"'><svg onload=window.pwned=5>";

/// The fields of guide.yaml that are validated rather than free text (ids, addresses, dates,
/// enumerations, paths): a payload there is refused at load, which `tests/untrusted.rs` checks.
pub const STRUCTURED_FIELDS: [&str; 25] = [
    "id",
    "at",
    "dir",
    "url",
    "redirect_to",
    "expect",
    "status",
    "retrieved",
    "sources_checked",
    "date",
    "release",
    "keys",
    "document",
    "review_by",
    "local_copy",
    "edition",
    "identifier",
    "exchange_server",
    "secondary",
    "kind",
    "fixed_by",
    "menu",
    "see",
    "admin",
    "can",
];

/// `guide.yaml` with `PAYLOAD` appended to every free-text string (every string not under a
/// structured field), so a build shows where any of them lands unescaped.
pub fn hostile_guide_yaml(yaml: &str) -> String {
    fn poison(value: &mut serde_yaml::Value, field: Option<&str>) {
        match value {
            serde_yaml::Value::String(text)
                if !field.is_some_and(|f| STRUCTURED_FIELDS.contains(&f)) =>
            {
                text.push_str(PAYLOAD);
            }
            // A step's `menu` is a list of words (free text); a problem step's `menu` is a
            // menu's name (validated), a plain string.
            serde_yaml::Value::Sequence(items) => items
                .iter_mut()
                .for_each(|item| poison(item, field.filter(|f| *f != "menu"))),
            serde_yaml::Value::Mapping(map) => {
                for (key, item) in map.iter_mut() {
                    poison(item, key.as_str());
                }
            }
            _ => {}
        }
    }
    let mut value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    poison(&mut value, None);
    serde_yaml::to_string(&value).unwrap()
}

/// A copy of the repository's guide with `PAYLOAD` in every free-text field of guide.yaml and
/// in book.toml's title and description, its snippets regenerated, built; returns the copy and
/// its HTML folder.
pub fn built_hostile_guide() -> (TempDir, PathBuf) {
    let tree = copy_of_repository_guide();
    edit(&tree.path().join("guide.yaml"), |yaml| {
        hostile_guide_yaml(&yaml)
    });
    let quoted = PAYLOAD.replace('\\', "\\\\").replace('"', "\\\"");
    edit(&tree.path().join("book.toml"), |toml| {
        toml.replacen("title = \"", &format!("title = \"{quoted}"), 1)
            .replacen("description = \"", &format!("description = \"{quoted}"), 1)
    });
    let root = tree.path().to_str().unwrap();
    let (code, output) = xtask(&["snippets", "--root", root]);
    assert_eq!(code, 0, "{output}");
    let (code, output) = xtask(&["build", "--root", root]);
    assert_eq!(code, 0, "{output}");
    let html = tree.path().join("target/book");
    (tree, html)
}

/// Answers GET `at` on the loopback mock `server` with `response`.
pub async fn serve_get(
    server: &wiremock::MockServer,
    at: &str,
    response: wiremock::ResponseTemplate,
) {
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Records, in `root`'s guide.yaml, the reading of every fact a test added or changed, as a
/// person would after reading the claim against its quotes with `cargo xtask read`. For tests
/// whose subject is something else.
pub fn record_readings(root: &Path) {
    xtask::reading::record_all_for_tests(root, xtask::dates::today()).expect("readings recorded");
}

/// Asserts, as insta snapshots of the calling test file, every entry of `xtask::snapshots` (the
/// one list `verify` also reads) that belongs to test file `$test`. A macro, so that insta names
/// the snapshots after the calling file.
#[macro_export]
macro_rules! assert_snapshots_of {
    ($test:expr) => {{
        let guide = $crate::common::repository_guide();
        let mut count = 0;
        for snapshot in xtask::snapshots::of_guide(&guide) {
            if snapshot.test == $test {
                insta::assert_snapshot!(snapshot.name, snapshot.contents);
                count += 1;
            }
        }
        assert!(count > 0, "no snapshot for {}", $test);
    }};
}

/// Edits, in a copy of the repository's guide, the generated menu path marked `marker` in
/// `snippet` (a path under the root) to `replacement`, and asserts that `verify` reports it once,
/// by the snippets check, at its line, with `expected` (the generated path) in the diff.
/// Returns the copy, the snippet's path and its edited text.
pub fn assert_hand_edited_menu_reported_once(
    snippet: &str,
    marker: &str,
    replacement: &str,
    expected: &str,
) -> (TempDir, PathBuf, String) {
    let tree = copy_of_repository_guide();
    let path = tree.path().join(snippet);
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find(marker)
        .expect("the snippet shows the marked menu");
    let before = &text[..at];
    let start = before.rfind("**Settings").unwrap() + 2;
    let line = before.matches('\n').count() + 1;
    let edited = format!("{}{replacement}{}", &text[..start], &text[at - 2..]);
    std::fs::write(&path, &edited).unwrap();
    let (code, output) = verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    let findings: Vec<String> = diagnostic_lines(&output)
        .into_iter()
        .filter(|l| l.starts_with(snippet))
        .collect();
    assert_eq!(findings.len(), 1, "reported once: {findings:#?}");
    assert!(
        findings[0].starts_with(&format!("{snippet}:{line}:")),
        "{findings:?}"
    );
    assert!(output.contains(expected), "the diff: {output}");
    assert!(output.contains("cargo xtask snippets"), "{output}");
    (tree, path, edited)
}

/// Asserts the legacy edition's rule on its generated `page`: each `(id, answered_here)` is
/// either answered on the page or points to the current edition's `current_page#id`, never
/// both; some of each; and no current menu (`Settings → Apps`) is printed.
pub fn assert_legacy_answers_or_points<'a>(
    page: &str,
    current_page: &str,
    items: impl IntoIterator<Item = (&'a str, bool)>,
) {
    let (mut answered, mut pointed) = (0, 0);
    for (id, here) in items {
        let pointer = format!("(../current/{current_page}#{id})");
        assert_eq!(!page.contains(&pointer), here, "{id}");
        if here {
            answered += 1;
        } else {
            pointed += 1;
        }
    }
    assert!(answered > 0 && pointed > 0, "{answered} {pointed}");
    assert!(!page.contains("Settings → Apps"));
}

/// The ids of every element of a built page.
pub fn ids_of(html: &Path) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(html).unwrap();
    xtask::html::start_tags(&text)
        .into_iter()
        .filter_map(|tag| tag.attributes.into_iter().find(|(n, _)| n == "id"))
        .map(|(_, value)| value)
        .collect()
}

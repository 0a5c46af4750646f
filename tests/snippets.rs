//! Generated instructions: snapshots of every edition's steps and settings table, the committed
//! files kept in step with the YAML, and the rendered HTML of one step list.

mod common;

use common::repository_guide;
use xtask::model::load::parse_guide;
use xtask::snippets::generate;

#[test]
fn every_edition_has_snapshotted_steps_and_settings() {
    assert_snapshots_of!("snippets");
}

#[test]
fn committed_snippets_match_the_yaml() {
    // Read-only on purpose: other tests copy snippets/ while this runs, so it never writes there.
    let root = xtask::project_root();
    let stale: Vec<String> = generate(&repository_guide())
        .into_iter()
        .filter(|file| {
            std::fs::read_to_string(root.join(&file.path))
                .ok()
                .as_deref()
                != Some(file.contents.as_str())
        })
        .map(|file| file.path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "snippets are out of date with guide.yaml: {stale:?}\nrun `cargo xtask snippets` and commit them"
    );
}

#[test]
fn generation_is_deterministic_across_runs_and_copies() {
    // Two separate trees, each written by its own `cargo xtask snippets` run from a fresh parse:
    // byte-identical files, and identical to what is committed.
    let first = common::copy_of_repository_guide();
    let second = common::copy_of_repository_guide();
    for tree in [&first, &second] {
        std::fs::remove_dir_all(tree.path().join("snippets")).unwrap();
        let (code, output) = common::xtask(&["snippets", "--root", tree.path().to_str().unwrap()]);
        assert_eq!(code, 0, "{output}");
    }
    let root = xtask::project_root();
    for file in generate(&repository_guide()) {
        let a = std::fs::read(first.path().join(&file.path)).unwrap();
        let b = std::fs::read(second.path().join(&file.path)).unwrap();
        assert_eq!(a, b, "{} differs between two runs", file.path.display());
        assert_eq!(
            a,
            std::fs::read(root.join(&file.path)).unwrap(),
            "{}",
            file.path.display()
        );
    }
}

#[test]
fn renaming_one_menu_label_changes_exactly_the_lines_that_show_it() {
    let root = xtask::project_root();
    let yaml = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
    let before = generate(&parse_guide(&yaml).unwrap().guide);
    let renamed = yaml.replacen(
        "    steps:\n      - title: Open the list of calendar accounts\n        menu: [Settings, Apps, Calendar, Calendar Accounts]",
        "    steps:\n      - title: Open the list of calendar accounts\n        menu: [Settings, Apps, Calendar, Accounts]",
        1,
    );
    assert_ne!(yaml, renamed, "the test's YAML edit must apply");
    let after = generate(&parse_guide(&renamed).unwrap().guide);

    // The text of the steps (the pictures, inline and as files, are tests/pictures.rs's).
    let mut changed = Vec::new();
    for (old, new) in before.iter().zip(&after) {
        if old.path.extension().is_some_and(|e| e == "svg") {
            continue;
        }
        for (line_number, (a, b)) in old.contents.lines().zip(new.contents.lines()).enumerate() {
            if a != b && !b.trim_start().starts_with('<') {
                changed.push(format!("{}:{}: {b}", old.path.display(), line_number + 1));
            }
        }
    }
    assert_eq!(
        changed,
        ["snippets/current/steps.md:6:    **Settings → Apps → Calendar → Accounts**<!-- setting: editions.current.steps.1.menu -->"]
    );
}

#[test]
fn verify_fails_until_snippets_are_regenerated() {
    let tree = common::fixture(&[]);
    let yaml_path = tree.path().join("guide.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    std::fs::write(
        &yaml_path,
        yaml.replace("text: Open Settings.", "text: Open the Settings app."),
    )
    .unwrap();

    let (code, output) = common::verify(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("snippets/current/steps.md:4:1: error[snippets]: this snippet differs"),
        "{output}"
    );
    assert!(
        output.contains("-   Open Settings."),
        "the report shows a diff:\n{output}"
    );
    assert!(output.contains("+   Open the Settings app."), "{output}");
    assert!(output.contains("run `cargo xtask snippets`"), "{output}");

    let root = tree.path().to_str().unwrap();
    assert_eq!(common::xtask(&["snippets", "--check", "--root", root]).0, 1);
    assert_eq!(common::xtask(&["snippets", "--root", root]).0, 0);
    let (code, output) = common::verify(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn snippets_removes_files_no_edition_generates() {
    let tree = common::fixture(&[]);
    let orphan = tree.path().join("snippets/retired-edition/steps.md");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, format!("{}\n\nold\n", xtask::snippets::HEADER)).unwrap();
    let (_, output) = common::verify(tree.path(), &[]);
    assert!(output.contains("snippets/retired-edition/steps.md:1:1: error[snippets]: guide.yaml generates no such snippet"), "{output}");
    let (code, _) = common::xtask(&["snippets", "--root", tree.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(!orphan.exists());
}

#[test]
fn the_rendered_html_of_the_current_steps() {
    let tree = common::copy_of_repository_guide();
    let (code, output) = common::xtask(&["build", "--root", tree.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    let html =
        std::fs::read_to_string(tree.path().join("target/book/current/add-account.html")).unwrap();
    let start = html.find("<ol>").expect("the steps are an ordered list");
    let end = html[start..].find("</ol>").unwrap() + start + "</ol>".len();
    insta::assert_snapshot!("current_steps_html", normalise_html(&html[start..end]));
}

/// Removes what changes between builds without a change in rendering (none today but asset
/// hashes, which step lists do not contain); keeps one element per line for readable diffs.
fn normalise_html(html: &str) -> String {
    let hashed_asset = regex::Regex::new(r"-[0-9a-f]{8}\.(css|js|png|svg)").unwrap();
    hashed_asset
        .replace_all(html, ".$1")
        .replace("><", ">\n<")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// One truth for generated text: after a rename in guide.yaml, verify names every generated
/// file and every snapshot it moves, each once, and `cargo xtask snippets` regenerates the
/// files and lists the snapshots to review, with how to accept them.
#[test]
fn a_rename_is_reported_once_per_file_snapshots_included() {
    let tree = common::copy_of_repository_guide();
    let root = tree.path();
    common::copy_tree(
        &xtask::project_root().join("tests/snapshots"),
        &root.join("tests/snapshots"),
    );
    common::edit(&root.join("guide.yaml"), |text| {
        text.replacen(
            "accounts_path: [Settings, Apps, Calendar, Calendar Accounts]",
            "accounts_path: [Settings, Apps, Calendar, Accounts]",
            1,
        )
    });
    let (code, output) = common::verify(root, &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    let lines = common::diagnostic_lines(&output);
    let mut files: Vec<String> = lines
        .iter()
        .filter(|l| l.starts_with("snippets/") || l.starts_with("tests/snapshots/"))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    let count = files.len();
    files.sort();
    files.dedup();
    assert_eq!(files.len(), count, "each file once: {lines:#?}");
    assert!(
        files.contains(&"snippets/current/problems.md".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"tests/snapshots/troubleshooting__problems_current.snap".to_string()),
        "{files:?}"
    );
    assert!(output.contains("cargo insta review"), "{output}");

    let (code, printed) = common::xtask(&["snippets", "--root", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{printed}");
    assert!(
        printed.contains(
            "snapshot tests/snapshots/troubleshooting__problems_current.snap no longer matches"
        ),
        "{printed}"
    );
    assert!(printed.contains("snapshot(s) to review"), "{printed}");
    // The snippets are mended; only the snapshots (and the reading record) are left.
    let (_, output) = common::verify(root, &["--no-build"]);
    assert!(
        !common::diagnostic_lines(&output)
            .iter()
            .any(|l| l.starts_with("snippets/")),
        "{output}"
    );
}

//! Untrusted input: what a pull request writes (guide.yaml, book.toml, links, symbolic links)
//! never runs in a reader's browser, leaks a file, or deletes one. One test per class, each on
//! the whole class (every free-text field, every kind of link), loopback servers only.
//! The browser half (no payload runs in Chromium) is in `tests/browser.rs`.

mod common;

use std::path::Path;

use common::{fixture, verify, xtask, PAYLOAD};
use xtask::html::{start_tags, visible_text};

/// Every HTML page under `dir`, relative path and text.
fn pages(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                found.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

/// The tags of `html` that would run script: a handler attribute, a `javascript:` (or any
/// non-web) address, or the payload's own `<img src=x>`. (The payload's words inside an
/// attribute value, escaped, are text and harmless.)
fn running_markup(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for tag in start_tags(html) {
        for (name, value) in &tag.attributes {
            let address = matches!(name.as_str(), "href" | "src" | "action" | "formaction");
            if name.starts_with("on")
                || (address
                    && xtask::markdown::browser_scheme(value)
                        .is_some_and(|s| s != "http" && s != "https"))
            {
                found.push(format!("<{} {name}={value:?}>", tag.name));
            }
        }
        if tag.name == "img" && tag.attributes.iter().any(|(n, v)| n == "src" && v == "x") {
            found.push("<img src=x>".into());
        }
    }
    found
}

/// The number of `<script>` elements of each page: a payload that opens one adds to it.
fn script_counts(dir: &Path) -> Vec<(String, usize)> {
    pages(dir)
        .into_iter()
        .map(|(page, html)| {
            let scripts = start_tags(&html)
                .iter()
                .filter(|t| t.name == "script")
                .count();
            (page, scripts)
        })
        .collect()
}

#[test]
fn every_free_text_field_of_guide_yaml_and_book_toml_is_escaped_where_it_lands() {
    let (_clean_tree, clean) = common::built_repository_guide();
    let (_tree, hostile) = common::built_hostile_guide();
    let hostile_pages = pages(&hostile);
    assert!(hostile_pages.len() >= 15, "{hostile_pages:?}");
    for (page, html) in &hostile_pages {
        assert_eq!(running_markup(html), Vec::<String>::new(), "{page}");
        assert!(
            !html.contains("build-dir"),
            "{page}: an include in a field read book.toml into the page"
        );
    }
    assert_eq!(
        script_counts(&clean),
        script_counts(&hostile),
        "a payload opened a script element"
    );
    // The payload is there, as text a reader can see: every field was rendered, escaped.
    let add_account = std::fs::read_to_string(hostile.join("current/add-account.html")).unwrap();
    let text = visible_text(&add_account);
    assert!(text.contains("<img src=x onerror="), "{text}");
    assert!(text.contains("[x](javascript:window.pwned=2)"), "{text}");
    let sources = text
        .find("Sources")
        .expect("the page has a Sources section");
    assert!(
        text[sources..].contains("</script><script>window.pwned=3</script>"),
        "a source's title shows as text: {}",
        &text[sources..]
    );
    // Pictures are SVG files of their own too.
    for entry in std::fs::read_dir(_tree.path().join("snippets/current"))
        .unwrap()
        .flatten()
    {
        let svg = std::fs::read_to_string(entry.path()).unwrap();
        if entry.path().extension().is_some_and(|e| e == "svg") {
            assert_eq!(
                running_markup(&svg),
                Vec::<String>::new(),
                "{}",
                entry.path().display()
            );
        }
    }
}

/// Replaces the first `field: value` line of the fixture's guide.yaml.
fn with_yaml(root: &Path, from: &str, to: &str) {
    common::edit(&root.join("guide.yaml"), |yaml| {
        assert!(yaml.contains(from), "the fixture has {from:?}");
        yaml.replacen(from, to, 1)
    });
}

#[test]
fn ids_addresses_and_hidden_characters_are_refused_at_their_line() {
    let cases: [(&str, &str, &str); 14] = [
        (
            "product: Microsoft 365",
            "product: \"{{#include ../../book.toml}}\"",
            "mdBook would read it as a directive",
        ),
        (
            "product: Microsoft 365",
            "product: \"{{ #include /etc/passwd }}\"",
            "mdBook would read it as a directive",
        ),
        (
            "id: current",
            "id: \"current\\\" onmouseover=x\"",
            "edition id",
        ),
        ("id: current", "id: Current", "edition id"),
        ("id: web_calendar", "id: \"web<b>\"", "URL id"),
        (
            "url: https://outlook.office.com/calendar/",
            "url: \"https://outlook.office.com/ onclick=x\"",
            "holds whitespace",
        ),
        (
            "url: https://outlook.office.com/calendar/",
            "url: \"https://outlook.office.com/\\\"><img>\"",
            "holds whitespace, a quote",
        ),
        (
            "url: https://outlook.office.com/calendar/",
            "url: javascript:alert(1)",
            "is not http(s)",
        ),
        (
            "url: https://outlook.office.com/calendar/",
            "url: \"https:semver.org\"",
            "is not written as http",
        ),
        (
            "url: https://outlook.office.com/calendar/",
            "url: \"https://\"",
            "not a valid address",
        ),
        (
            "product: Microsoft 365",
            "product: \"Microsoft\\e[31m 365\"",
            "control or bidirectional",
        ),
        (
            "product: Microsoft 365",
            "product: \"Microsoft \\u202e365\"",
            "control or bidirectional",
        ),
        (
            "product: Microsoft 365",
            "product: \"Microsoft\\u0000365\"",
            "control or bidirectional",
        ),
        (
            "product: Microsoft 365",
            "product: \"two\\nlines\"",
            "control or bidirectional",
        ),
    ];
    for (from, to, expected) in cases {
        let tree = fixture(&[]);
        with_yaml(tree.path(), from, to);
        let (code, output) = verify(tree.path(), &[]);
        assert_eq!(code, 2, "{to}: {output}");
        let line = common::diagnostic_lines(&output);
        assert!(
            line.iter()
                .any(|l| l.starts_with("guide.yaml:") && l.contains(expected)),
            "{to}: {output}"
        );
        assert!(
            !output.contains('\u{1b}'),
            "no escape sequence reaches the terminal: {output:?}"
        );
        assert!(
            !output.contains('\u{202e}'),
            "no bidi control reaches the terminal"
        );
    }
}

#[test]
fn a_local_copy_outside_the_repository_and_shared_is_refused() {
    for path in [
        "/etc/passwd",
        "../../etc/passwd",
        "../shared/../../etc/passwd",
        "book/../../x",
    ] {
        let tree = fixture(&[]);
        common::edit(&tree.path().join("guide.yaml"), |yaml| {
            format!(
                "{}\ndocuments:\n  - id: leak\n    title: A leak\n    local_copy: \"{path}\"\n",
                yaml.replace("\ndocuments:\n", "\ndocuments_unused:\n")
            )
        });
        let (code, output) = verify(tree.path(), &[]);
        assert_eq!(code, 2, "{path}: {output}");
        assert!(
            output.contains("is not a file of the repository or of ../shared/"),
            "{path}: {output}"
        );
    }
    assert!(xtask::model::load::is_allowed_local_copy(
        "../shared/post-2018.txt"
    ));
    assert!(xtask::model::load::is_allowed_local_copy("docs/copy.txt"));
}

fn set_book_toml(root: &Path, extra: &str) {
    common::edit(&root.join("book.toml"), |toml| format!("{toml}\n{extra}\n"));
}

#[test]
fn redirects_and_repository_links_that_could_run_script_are_refused() {
    let cases = [
        ("[output.html.redirect]\n\"/old.html\" = \"javascript:alert(1)\"", "target `javascript:alert(1)`"),
        ("[output.html.redirect]\n\"/old.html\" = \" JavaScript:alert(1)\"", "holds whitespace"),
        ("[output.html.redirect]\n\"/old.html\" = \"data:text/html,<script>x</script>\"", "holds whitespace, a quote"),
        ("[output.html.redirect]\n\"/old.html\" = \"//evil.example/\"", "names another host"),
        ("[output.html.redirect]\n\"/old.html#</script><script>alert(1)//\" = \"current/index.html\"", "angle bracket"),
        ("[output.html.redirect]\n\"/old.html#a\\\"b\" = \"current/index.html\"", "a quote"),
    ];
    for (table, expected) in cases {
        let tree = fixture(&[]);
        set_book_toml(tree.path(), table);
        let (code, output) = verify(tree.path(), &[]);
        assert_ne!(code, 0, "{table}: {output}");
        assert!(
            output.contains("book.toml:") && output.contains(expected),
            "{table}: {output}"
        );
    }
    let tree = fixture(&[]);
    set_book_toml(
        tree.path(),
        "[output.html]\ngit-repository-url = \"javascript:alert(1)\"",
    );
    let (code, output) = verify(tree.path(), &[]);
    assert_ne!(code, 0, "{output}");
    assert!(
        output.contains("git-repository-url `javascript:alert(1)` is not http(s)"),
        "{output}"
    );
}

#[test]
fn moved_sections_are_data_in_an_attribute_never_script() {
    let tree = fixture(&[]);
    common::copy_tree(
        &xtask::project_root().join("theme"),
        &tree.path().join("theme"),
    );
    set_book_toml(
        tree.path(),
        "[output.html.redirect]\n\"/current/index.html#old-part\" = \"index.html#new-part\"\n\"/moved.html\" = \"current/index.html\"",
    );
    let root = tree.path().to_str().unwrap();
    let (code, output) = xtask(&["build", "--root", root]);
    assert_eq!(code, 0, "{output}");
    for page in ["current/index.html", "moved.html"] {
        let html = std::fs::read_to_string(tree.path().join("target/book").join(page)).unwrap();
        let holder = start_tags(&html)
            .into_iter()
            .find(|tag| {
                tag.attributes
                    .iter()
                    .any(|(n, v)| n == "id" && v == "calsync-moved")
            })
            .unwrap_or_else(|| panic!("{page} holds the map in an element: {html}"));
        let map = &holder
            .attributes
            .iter()
            .find(|(n, _)| n == "data-map")
            .unwrap()
            .1;
        let parsed: serde_json::Value = serde_json::from_str(map).unwrap();
        assert!(parsed.is_object(), "{page}: {map}");
        assert!(
            html.contains("url.protocol === \"https:\""),
            "{page} checks the protocol"
        );
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_repository_are_refused_before_mdbook_runs() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Secret\n\nTOKEN=hunter2\n",
    )
    .unwrap();
    let links: [(&str, std::path::PathBuf); 5] = [
        ("book/current/leak.md", outside.path().join("secret.md")),
        ("book/current/folder", outside.path().to_path_buf()),
        ("book/environ.md", "/proc/self/environ".into()),
        (
            "snippets/current/extra.md",
            outside.path().join("secret.md"),
        ),
        ("book/dangling.md", outside.path().join("gone.md")),
    ];
    for (link, target) in links {
        let tree = fixture(&[]);
        std::os::unix::fs::symlink(&target, tree.path().join(link)).unwrap();
        let (code, output) = verify(tree.path(), &[]);
        assert_eq!(code, 2, "{link}: {output}");
        assert!(
            output.contains(&format!("the symbolic link {link}")),
            "{link}: {output}"
        );
        assert!(
            !tree.path().join("target/book/current/index.html").exists(),
            "mdBook did not run"
        );
        assert!(!output.contains("hunter2"));
    }
    // A link that stays inside the repository is a contributor's choice.
    let tree = fixture(&[]);
    std::os::unix::fs::symlink("index.md", tree.path().join("book/current/alias.md")).unwrap();
    let (_, output) = verify(tree.path(), &[]);
    assert!(!output.contains("symbolic link"), "{output}");
}

#[cfg(unix)]
#[test]
fn nothing_writes_through_or_replaces_a_link() {
    // snippets: a linked edition folder is not written through.
    let tree = fixture(&[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let snippets = tree.path().join("snippets/current");
    std::fs::remove_dir_all(&snippets).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &snippets).unwrap();
    let (code, output) = xtask(&["snippets", "--root", tree.path().to_str().unwrap()]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("symbolic link"), "{output}");
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "nothing written elsewhere"
    );

    // verify --fix: a linked chapter is neither replaced nor written through.
    let tree = fixture(&["drifted-value"]);
    let chapters = tree.path().join("book/current");
    let drifted = common::diagnostic_lines(&verify(tree.path(), &[]).1)
        .into_iter()
        .find(|l| l.contains("error[settings]"))
        .expect("the overlay drifts a value");
    let file = drifted.split(':').next().unwrap().to_string();
    let real = tree.path().join("real-chapter.md");
    std::fs::rename(tree.path().join(&file), &real).unwrap();
    std::os::unix::fs::symlink(&real, tree.path().join(&file)).unwrap();
    let before = std::fs::read(&real).unwrap();
    let (code, output) = verify(tree.path(), &["--fix"]);
    assert_ne!(code, 0, "{output}");
    assert!(output.contains("symbolic link"), "{output}");
    assert!(tree
        .path()
        .join(&file)
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&real).unwrap(), before);
    let _ = chapters;
}

#[test]
fn snippets_removes_only_files_it_generated() {
    let tree = fixture(&[]);
    let root = tree.path().to_str().unwrap();
    let draft = tree.path().join("snippets/current/draft.md");
    std::fs::write(&draft, "My notes for a new step.\n").unwrap();
    let picture = tree.path().join("snippets/current/my-drawing.svg");
    std::fs::write(
        &picture,
        "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n",
    )
    .unwrap();
    let stale = tree.path().join("snippets/current/old.md");
    std::fs::write(
        &stale,
        format!("{}\n\nold steps\n", xtask::snippets::HEADER),
    )
    .unwrap();
    let stale_picture = tree.path().join("snippets/current/step-99.svg");
    std::fs::write(
        &stale_picture,
        format!("{}viewBox=\"0 0 1 1\"></svg>\n", xtask::pictures::SVG_START),
    )
    .unwrap();
    let (code, output) = xtask(&["snippets", "--root", root]);
    assert_eq!(code, 0, "{output}");
    assert!(
        draft.exists() && picture.exists(),
        "a contributor's files stay"
    );
    assert!(
        output.contains("left snippets/current/draft.md alone"),
        "{output}"
    );
    assert!(
        output.contains("left snippets/current/my-drawing.svg alone"),
        "{output}"
    );
    assert!(
        !stale.exists() && !stale_picture.exists(),
        "its own stale files go: {output}"
    );
}

#[cfg(unix)]
#[test]
fn new_files_get_the_umask_permissions_the_published_profile_included() {
    use std::os::unix::fs::PermissionsExt;
    let (tree, html) = common::built_repository_guide();
    std::fs::write(tree.path().join("plain"), b"").unwrap();
    let expected = std::fs::metadata(tree.path().join("plain"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    for file in ["index.html", xtask::profile::PUBLISHED_PATH] {
        let mode = std::fs::metadata(html.join(file))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, expected, "{file}: {mode:o}");
    }
}

#[test]
fn the_profile_is_refused_with_a_bad_identifier_or_host() {
    for (from, to, expected) in [
        (
            "identifier: ",
            "identifier: not-reverse-dns #",
            "is not reverse-DNS",
        ),
        (
            "exchange_server: outlook.office365.com",
            "exchange_server: outlook_office365",
            "is not a host name",
        ),
    ] {
        // The fixture has no profile: it takes the repository's.
        let tree = fixture(&[]);
        let repository = std::fs::read_to_string(xtask::project_root().join("guide.yaml")).unwrap();
        let start = repository.find("\nprofile:").unwrap() + 1;
        let length = repository[start..]
            .find("\n\n")
            .unwrap_or(repository.len() - start);
        let profile = &repository[start..start + length];
        common::edit(&tree.path().join("guide.yaml"), |yaml| {
            format!("{yaml}\n{profile}\n")
        });
        with_yaml(tree.path(), from, to);
        let (code, output) = xtask(&["profile", "--root", tree.path().to_str().unwrap()]);
        assert_ne!(code, 0, "{to}: {output}");
        assert!(output.contains(expected), "{to}: {output}");
    }
}

#[test]
fn markdown_escaping_leaves_no_markup_for_any_text() {
    use proptest::prelude::*;
    let mut runner = proptest::test_runner::TestRunner::default();
    let text =
        proptest::string::string_regex("[ -~\\n\\t\u{e9}\u{2192}\u{202e}\u{1b}]{0,60}").unwrap();
    runner
        .run(&text, |text| {
            let escaped = xtask::escape::markdown(&text);
            let mut html = String::new();
            pulldown_cmark::html::push_html(
                &mut html,
                xtask::markdown::parser(
                    &format!("- {escaped}"),
                    xtask::markdown::Flavour {
                        smart_punctuation: true,
                        definition_lists: true,
                        admonitions: true,
                    },
                ),
            );
            let tags: Vec<String> = start_tags(&html).into_iter().map(|t| t.name).collect();
            prop_assert!(
                tags.iter().all(|t| t == "ul" || t == "li"),
                "{text:?} gave {html}"
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn addresses_with_markup_characters_are_never_accepted() {
    use proptest::prelude::*;
    let mut runner = proptest::test_runner::TestRunner::default();
    let address =
        proptest::string::string_regex("(https?|javascript|data|file)://[a-z.]{0,10}[ -~]{0,20}")
            .unwrap();
    runner
        .run(&address, |address| {
            if xtask::model::load::web_address_problem(&address).is_none() {
                prop_assert!(address.starts_with("http://") || address.starts_with("https://"));
                prop_assert!(!address
                    .chars()
                    .any(|c| c.is_whitespace() || "\"'<>`\\".contains(c)));
                let attribute = format!("<a href=\"{}\">x</a>", xtask::escape::html(&address));
                let tags = start_tags(&attribute);
                prop_assert_eq!(tags.len(), 1);
                prop_assert_eq!(tags[0].attributes.len(), 1);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_payload_is_escaped_by_every_generator_alone() {
    let escaped = xtask::escape::html(PAYLOAD);
    assert!(start_tags(&escaped).is_empty(), "{escaped}");
}

#[test]
fn an_accepted_id_needs_no_escaping_anywhere() {
    use proptest::prelude::*;
    let mut runner = proptest::test_runner::TestRunner::default();
    let id = proptest::string::string_regex("[ -~\u{e9}\u{202e}]{0,12}").unwrap();
    runner
        .run(&id, |id| {
            if xtask::model::load::is_plain_id(&id) {
                prop_assert_eq!(xtask::escape::html(&id), id.clone());
                prop_assert_eq!(xtask::escape::markdown(&id).replace("\\_", "_"), id.clone());
                prop_assert!(id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'));
            }
            Ok(())
        })
        .unwrap();
    assert!(xtask::model::load::is_plain_id("ios-14-17"));
    assert!(!xtask::model::load::is_plain_id("-x"));
    assert!(!xtask::model::load::is_plain_id(""));
}

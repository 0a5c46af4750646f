//! What ships is safe: each class of hostile input found against the assembled site, with a
//! test that fails without its fix. The pages as built are read (`checks::shipped`); directives
//! reach a page only where a person wrote them; every id is unique and no generated id takes
//! the theme's; the Tell us link has one source; invisible characters are refused.

mod common;

use std::path::Path;

use common::{copy_of_repository_guide, diagnostic_lines, edit, verify, xtask};

/// `guide.yaml` of `root` with `from` replaced by `to` once (the test's hostile change).
fn change_yaml(root: &Path, from: &str, to: &str) {
    edit(&root.join("guide.yaml"), |text| {
        assert!(text.contains(from), "guide.yaml holds {from:?}");
        text.replacen(from, to, 1)
    });
}

/// The 1-based line of the first occurrence of `needle` in `root`'s file.
fn line_of(root: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{file} holds {needle:?}"));
    text[..at].matches('\n').count() + 1
}

/// Verify (offline, with the build) fails with a finding at `file:line:`.
fn assert_refused_at(root: &Path, file: &str, line: usize, words: &str) {
    let (code, output) = verify(root, &[]);
    assert_ne!(code, 0, "{output}");
    let lines = diagnostic_lines(&output);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{file}:{line}:")) && l.contains(words)),
        "expected {file}:{line}: … {words}\n{output}"
    );
}

#[test]
fn an_include_inside_a_code_span_is_refused_at_its_place() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    std::fs::write(
        root.join("book/closes-the-span.txt"),
        "x` <img src=x onerror=\"window.pwned=1\"> `",
    )
    .unwrap();
    edit(&root.join("book/mac.md"), |text| {
        text + "\nSee `{{#include closes-the-span.txt}}` here.\n"
    });
    let line = line_of(root, "book/mac.md", "{{#include closes-the-span");
    assert_refused_at(root, "book/mac.md", line, "a directive inside a code span");
}

#[test]
fn an_include_inside_a_code_block_or_raw_html_is_refused() {
    for (written, words) in [
        ("```text\n{{#include ../guide.yaml}}\n```\n", "a code block"),
        (
            "<p title=\"{{#include ../guide.yaml}}\">x</p>\n",
            "raw HTML",
        ),
    ] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        edit(&root.join("book/mac.md"), |text| {
            format!("{text}\n{written}")
        });
        let line = line_of(root, "book/mac.md", "{{#include ../guide.yaml");
        assert_refused_at(root, "book/mac.md", line, words);
    }
}

#[test]
fn a_directive_inside_a_line_of_text_or_a_link_is_refused() {
    for written in [
        "See [this]({{#include ../guide.yaml}}) now.\n",
        "Some words {{#include ../guide.yaml}} more words.\n",
    ] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        edit(&root.join("book/mac.md"), |text| {
            format!("{text}\n{written}")
        });
        let line = line_of(root, "book/mac.md", "{{#include ../guide.yaml");
        assert_refused_at(root, "book/mac.md", line, "a line of text");
    }
}

#[test]
fn an_escaped_directive_in_code_is_text_and_passes() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("book/mac.md"), |text| {
        text + "\nWrite `\\{{#include file.md}}` to include a file.\n"
    });
    let (code, output) = verify(root, &[]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn a_double_brace_spelled_with_yaml_escapes_is_refused_at_its_value() {
    for spelled in [
        r#""\x7b\x7b#title Pwned}}""#,
        r#""{\u007b#include ../../guide.yaml}}""#,
        "\"{\\\n          {#title Pwned}}\"",
    ] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        change_yaml(
            root,
            "      - text: Cannot Get Mail\n",
            &format!("      - text: {spelled}\n"),
        );
        let line = line_of(root, "guide.yaml", spelled.lines().next().unwrap());
        let (code, output) = verify(root, &["--no-build"]);
        assert_eq!(code, 2, "{spelled}: {output}");
        assert!(
            output.contains(&format!("guide.yaml:{line}:"))
                && output.contains("`{{` in guide.yaml"),
            "{spelled}: {output}"
        );
    }
}

#[test]
fn generated_ids_may_not_take_the_themes_ids() {
    for taken in [
        "toc-list",
        "content",
        "mdbook-searchbar",
        "sources",
        "fact-x",
    ] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        change_yaml(
            root,
            "  - id: old-events-missing\n",
            &format!("  - id: {taken}\n"),
        );
        let line = line_of(root, "guide.yaml", &format!("  - id: {taken}\n"));
        let (code, output) = verify(root, &["--no-build"]);
        assert_eq!(code, 2, "{taken}: {output}");
        assert!(
            output.contains(&format!("guide.yaml:{line}:9:"))
                && output.contains("the site's theme uses"),
            "{taken}: {output}"
        );
    }
}

#[test]
fn a_problem_id_equal_to_a_written_heading_on_its_page_is_reported_at_the_yaml_id() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("book/current/troubleshooting.md"), |text| {
        text.replacen(
            "{{#include",
            "## Old events are missing {#old-events-missing}\n\n{{#include",
            1,
        )
    });
    let line = line_of(root, "guide.yaml", "  - id: old-events-missing\n");
    assert_refused_at(
        root,
        "guide.yaml",
        line,
        "the id `old-events-missing` is on two elements",
    );
}

#[test]
fn two_written_headings_with_one_anchor_are_reported_at_the_second() {
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("book/mac.md"), |text| {
        text + "\n## One {#twice}\n\n## Two {#twice}\n"
    });
    let line = line_of(root, "book/mac.md", "## One {#twice}");
    assert_refused_at(
        root,
        "book/mac.md",
        line,
        "the id `twice` is on two elements",
    );
}

#[test]
fn the_tell_us_link_comes_from_the_repository_address_only() {
    // A look-alike form declared in guide.yaml is refused at its line.
    let tree = copy_of_repository_guide();
    let root = tree.path();
    let real = "url: https://github.com/calsync-guide/calsync-guide/issues/new";
    let line = line_of(root, "guide.yaml", real);
    change_yaml(
        root,
        real,
        "url: https://github.com/calsync-gulde/calsync-guide/issues/new",
    );
    let (code, output) = verify(root, &["--no-build"]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains(&format!("guide.yaml:{line}:"))
            && output.contains("not the new-issue form"),
        "{output}"
    );

    // A repository address with a query or fragment would corrupt the link's own query.
    for suffix in ["?x=1", "#top", "/?a"] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        edit(&root.join("book.toml"), |text| {
            text.replacen(
                "git-repository-url = \"https://github.com/calsync-guide/calsync-guide\"",
                &format!("git-repository-url = \"https://github.com/calsync-guide/calsync-guide{suffix}\""),
                1,
            )
        });
        let (code, output) = verify(root, &["--no-build"]);
        assert_eq!(code, 2, "{suffix}: {output}");
        assert!(output.contains("git-repository-url"), "{suffix}: {output}");
    }

    // The link follows book.toml: another repository there, and its form in guide.yaml.
    let tree = copy_of_repository_guide();
    let root = tree.path();
    edit(&root.join("book.toml"), |text| {
        text.replace("calsync-guide/calsync-guide", "someone/fork")
    });
    change_yaml(
        root,
        real,
        "url: https://github.com/someone/fork/issues/new",
    );
    let (code, output) = xtask(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    let page = std::fs::read_to_string(root.join("target/book/mac.html")).unwrap();
    assert!(
        page.contains("https://github.com/someone/fork/issues/new?title="),
        "{page}"
    );
    assert!(!page.contains("calsync-guide/calsync-guide/issues/new"));
}

#[test]
fn the_new_issue_address_is_the_repository_form() {
    use xtask::site::new_issue_address;
    assert_eq!(
        new_issue_address("https://github.com/calsync-guide/calsync-guide/").unwrap(),
        "https://github.com/calsync-guide/calsync-guide/issues/new"
    );
    for bad in [
        "https://github.com/a/b?x",
        "https://github.com/a/b#x",
        "https://user@github.com/a/b",
        "https://github.com/",
        "javascript:alert(1)//github.com/a/b",
        "ftp://github.com/a/b",
    ] {
        assert!(new_issue_address(bad).is_err(), "{bad}");
    }
}

#[test]
fn invisible_characters_in_a_message_are_refused_at_their_place() {
    for hidden in [
        '\u{200b}',
        '\u{2060}',
        '\u{feff}',
        '\u{00ad}',
        '\u{3164}',
        '\u{115f}',
        '\u{e0041}',
    ] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        change_yaml(
            root,
            "      - text: Cannot Get Mail\n",
            &format!("      - text: Cannot Get{hidden} Mail\n"),
        );
        let line = line_of(root, "guide.yaml", &format!("Cannot Get{hidden} Mail"));
        let (code, output) = verify(root, &["--no-build"]);
        assert_eq!(code, 2, "{hidden:?}: {output}");
        assert!(
            output.contains(&format!("guide.yaml:{line}:")) && output.contains("invisible"),
            "{hidden:?}: {output}"
        );
        assert!(
            output.contains(&format!("\\u{{{:x}}}", hidden as u32)),
            "the character is shown, not obeyed: {output}"
        );
    }
}

#[test]
fn a_duplicate_key_is_reported_at_its_own_line_in_every_list() {
    // (the list, a line of one of its items, the key added again two lines below it)
    for (list, anchor_line, key) in [
        (
            "problems",
            "  - id: old-events-missing\n",
            "    kind: missing\n",
        ),
        ("urls", "  - id: security_info\n", "    purpose: again\n"),
        ("editions", "  - id: current\n", "    status: current\n"),
        (
            "facts",
            "  - keys: [service.sync_delay]\n",
            "    unsourced: twice\n",
        ),
    ] {
        let tree = copy_of_repository_guide();
        let root = tree.path();
        edit(&root.join("guide.yaml"), |text| {
            let at = text
                .find(anchor_line)
                .unwrap_or_else(|| panic!("{list}: {anchor_line}"));
            // After the item's first two lines.
            let first = at + anchor_line.len();
            let second = first + text[first..].find('\n').unwrap() + 1;
            format!("{}{key}{}", &text[..second], &text[second..])
        });
        // The duplicate is the later of the two, wherever the original stood in the item.
        let text = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
        let item = text.find(anchor_line).unwrap();
        let end = item + 1 + text[item + 1..].find("\n  - ").unwrap();
        let name = key.split(':').next().unwrap();
        let first = item + text[item..end].find(&format!("{name}:")).unwrap();
        let second = first
            + name.len()
            + text[first + name.len()..end]
                .find(&format!("{name}:"))
                .unwrap();
        let line = text[..second].matches('\n').count() + 1;
        let (code, output) = verify(root, &["--no-build"]);
        assert_eq!(code, 2, "{list}: {output}");
        let key_name = key.trim().split(':').next().unwrap();
        assert!(
            output.contains(&format!("guide.yaml:{line}:5:"))
                && output.contains(&format!("`{key_name}` is written twice")),
            "{list}: expected line {line}\n{output}"
        );
    }
}

/// The net itself, fed pages with what the input-side checks exist to stop: each is refused
/// on its own, and the real built pages are clean.
#[test]
fn the_built_pages_check_refuses_script_handlers_and_embedded_documents() {
    use xtask::checks::shipped::{check, read_pages, Allowed, BuiltPage};
    let (tree_dir, html) = common::built_repository_guide();
    let tree = xtask::model::GuideTree::load(tree_dir.path()).unwrap();
    let allowed = Allowed::for_tree(&tree);
    let pages = read_pages(&html).unwrap();
    assert!(pages.len() > 20);
    let clean = check(&tree, &allowed, Path::new("target/book"), &pages);
    assert!(clean.is_empty(), "{clean:#?}");

    let mac = pages
        .iter()
        .find(|p| p.path == Path::new("mac.html"))
        .unwrap();
    let hostile = [
        ("<script>window.pwned=1</script>", "a script the theme did not write"),
        ("<img src=x onerror=\"window.pwned=1\">", "event handler"),
        ("<svg><a xlink:href=\"jav&#x61;script:alert(1)\">x</a></svg>", "javascript:"),
        ("<a href=\" JaVa\tScRiPt:alert(1)\">x</a>", "javascript:"),
        ("<a href=\"vbscript:x\">x</a>", "vbscript:"),
        ("<object data=\"data:text/html,x\"></object>", "data:"),
        ("<iframe src=\"https://example.com/\"></iframe>", "`<iframe>`"),
        ("<embed src=\"https://example.com/x.swf\">", "`<embed>`"),
        ("<form action=\"https://example.com/\"><input></form>", "`<form>`"),
        ("<form id=\"mdbook-searchbar-outer\" action=\"https://example.com/\"></form>", "belongs to the theme"),
        ("<base href=\"https://example.com/\">", "`<base>`"),
        ("<meta http-equiv=\"refresh\" content=\"0; url=https://example.com/\">", "`<meta http-equiv>`"),
        ("<script src=\"https://example.com/toc.js\"></script>", "a script the theme did not write"),
        ("<script src=\"toc-e802ae93.js\">window.pwned=1</script>", "a script the theme did not write"),
        ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></p></noscript>", "event handler"),
        ("<noscript><meta http-equiv=refresh content=\"0; url=https://example.com/\"></noscript>", "`<noscript>`"),
        ("<style><p title=\"</style><img src=x onerror=alert(1)>\"></p></style>", "event handler"),
        ("<svg><style><img src=x onerror=alert(1)></style></svg>", "event handler"),
        ("<math><mi><script>window.pwned=1</script></mi></math>", "a script the theme did not write"),
        ("<svg><set attributeName=\"onclick\" to=\"alert(1)\"/></svg>", "an animation that sets an event handler"),
        ("<svg><a><animate attributeName=\"href\" from=\"#\" to=\"https://example.com/\"/></a></svg>", "an animation that sets an event handler or an address"),
        ("<h2 id=\"toc-list\">Contents</h2>", "belongs to the theme"),
        ("<img id=\"search\" alt=\"\">", "belongs to the theme"),
        ("<form id=\"calsync\"></form>", "belongs to the theme"),
    ];
    for (html_text, words) in hostile {
        let page = BuiltPage {
            path: mac.path.clone(),
            // Inside the chapter's content, where a chapter's own HTML lands.
            text: mac.text.replacen("</h1>", &format!("</h1>{html_text}"), 1),
        };
        let found = check(&tree, &allowed, Path::new("target/book"), &[page]);
        assert!(
            found.iter().any(|d| d.message.contains(words)),
            "{html_text}: {found:#?}"
        );
    }

    // The theme's own first script, with one statement added, is no longer the theme's.
    let start = mac.text.find("<script>").unwrap() + "<script>".len();
    let mut changed = mac.text.clone();
    changed.insert_str(start, "window.pwned=1;\n");
    let page = BuiltPage {
        path: mac.path.clone(),
        text: changed,
    };
    let found = check(&tree, &allowed, Path::new("target/book"), &[page]);
    assert!(
        found
            .iter()
            .any(|d| d.message.contains("a script the theme did not write")),
        "{found:#?}"
    );
}

/// Every id on every built page of the repository's guide is unique.
#[test]
fn every_id_of_every_built_page_is_unique() {
    let (_tree, html) = common::built_repository_guide();
    for page in xtask::checks::shipped::read_pages(&html).unwrap() {
        let mut ids = std::collections::BTreeSet::new();
        for element in xtask::html::page_elements(&page.text) {
            if let Some((_, id)) = element.tag.attributes.iter().find(|(n, _)| n == "id") {
                assert!(
                    ids.insert(id.clone()),
                    "{}: {id} twice",
                    page.path.display()
                );
            }
        }
    }
}

/// Generated text is held to the same rule as the YAML: no `{{`, and nothing is written.
#[test]
fn generated_text_with_a_double_brace_is_refused_and_not_written() {
    let generated = vec![xtask::model::Generated {
        path: "snippets/current/steps.md".into(),
        contents: "<!-- generated -->\n{{#include ../../guide.yaml}}\n".into(),
    }];
    let found = xtask::checks::snippets::check(&generated, &[]);
    assert!(
        found.iter().any(|d| d.message.contains("holds `{{`")),
        "{found:#?}"
    );
    let tree = copy_of_repository_guide();
    let before = std::fs::read_to_string(tree.path().join("snippets/current/steps.md")).unwrap();
    let written = xtask::snippets::command::write(tree.path(), &generated, &[], &mut |_| {});
    assert!(written.is_err());
    let after = std::fs::read_to_string(tree.path().join("snippets/current/steps.md")).unwrap();
    assert_eq!(before, after, "nothing was written");
}

//! "How we know", the evidence page: every fact of guide.yaml exactly once, with every quote,
//! its page and whether it is first- or second-hand, the day it was last read against its
//! quotes, and links to the pages that show it. Checked on a fixture with a second-hand claim
//! and an unsourced fact added, and on the repository's guide (with a snapshot of its text).

mod common;

use std::path::Path;

use xtask::html::{start_tags, visible_text};

/// The ids of the fact headings of a built evidence page, and its visible text.
fn evidence_page(html_dir: &Path) -> (Vec<String>, String) {
    let html = std::fs::read_to_string(html_dir.join("evidence.html")).unwrap();
    let start = html.find("<main").expect("the page has a main element");
    let end = html.find("</main>").unwrap();
    let main = &html[start..end];
    let ids = start_tags(main)
        .into_iter()
        .filter(|tag| tag.name == "h3")
        .filter_map(|tag| {
            tag.attributes
                .into_iter()
                .find(|(n, _)| n == "id")
                .map(|(_, v)| v)
        })
        .collect();
    (ids, visible_text(main))
}

/// Every fact once, every quote of it after its heading and before the next.
fn assert_every_fact_once_with_its_quotes(guide: &xtask::model::schema::Guide, html_dir: &Path) {
    let (ids, text) = evidence_page(html_dir);
    assert_eq!(ids.len(), guide.facts.len(), "{ids:?}");
    for fact in &guide.facts {
        let id = xtask::evidence::anchor(fact);
        assert_eq!(ids.iter().filter(|i| **i == id).count(), 1, "{id} once");
        let page = xtask::sources::text::normalise(&text);
        for source in &fact.sources {
            let quote = xtask::sources::text::normalise(&source.quote);
            assert!(
                page.contains(&quote),
                "{id}: the quote {quote:?} is on the page"
            );
        }
        if let Some(reason) = &fact.unsourced {
            let reason = xtask::sources::text::normalise(reason);
            assert!(page.contains(&reason), "{id}: {reason}");
        }
    }
}

#[test]
fn the_evidence_page_of_a_fixture_lists_every_fact_once_with_all_its_quotes() {
    let tree = common::fixture(&["evidence-page"]);
    common::edit(&tree.path().join("guide.yaml"), |yaml| {
        format!(
            "{yaml}  - keys: [claims.second_hand]\n    claim: A claim a second-hand page supports.\n    sources:\n      - url: web_calendar\n        quote: \"A second quote of the fixture.\"\n        retrieved: 2026-11-24\n        secondary: true\n        language: German\n        translation: \"The English words of the fixture.\"\n  - keys: [claims.no_page]\n    claim: A claim no page supports.\n    unsourced: No page could be read for the fixture's claim.\n"
        )
    });
    common::edit(&tree.path().join("book/current/index.md"), |text| {
        format!("{text}\nA claim.<!-- fact: claims.second_hand -->\n")
    });
    let root = tree.path().to_str().unwrap();
    let (code, output) = common::xtask(&["build", "--root", root]);
    assert_eq!(code, 0, "{output}");
    let guide = xtask::model::load::load_guide(tree.path()).unwrap().guide;
    let html_dir = tree.path().join("target/book");
    assert_every_fact_once_with_its_quotes(&guide, &html_dir);
    let (_, text) = evidence_page(&html_dir);
    assert!(
        text.contains("(second-hand)") && text.contains("(first-hand)"),
        "{text}"
    );
    assert!(text.contains("not yet read against its quotes"), "{text}");
    // A quote read in another language keeps its words, with the English beside them.
    assert!(
        text.contains("In English (German original): “The English words of the fixture.”"),
        "{text}"
    );
    assert!(
        text.contains("read against its quotes on 2026-12-01"),
        "{text}"
    );
    // The claim links to the page that shows it; every page's Sources section links here.
    let evidence = std::fs::read_to_string(html_dir.join("evidence.html")).unwrap();
    assert!(
        evidence.contains("href=\"current/index.html\""),
        "the claim links to its page"
    );
    let page = std::fs::read_to_string(html_dir.join("current/index.html")).unwrap();
    assert!(
        page.contains("href=\"../evidence.html\""),
        "Sources links the evidence page"
    );
}

#[test]
fn the_evidence_page_of_the_guide_lists_every_fact_once_with_all_its_quotes() {
    let (tree, html_dir) = common::built_repository_guide();
    let guide = xtask::model::load::load_guide(tree.path()).unwrap().guide;
    assert_every_fact_once_with_its_quotes(&guide, &html_dir);
    let (_, text) = evidence_page(&html_dir);
    let text: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    insta::assert_snapshot!("evidence_page_text", text.join("\n"));
}

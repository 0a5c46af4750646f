//! Search in the reader's words, over the whole query list: each of the reader queries of
//! `tests/search/reader-queries.yaml` is run against the built site's own index with the site's
//! own elasticlunr.js (in Node, as `cargo xtask bench search` does), and at least nine in ten
//! find their answer in the top three. Sources, the evidence page, the changelog and the
//! contributors' page never come up. Skipped, saying so, where Node is not installed.

mod common;

#[test]
fn nine_in_ten_reader_queries_find_their_answer_in_the_top_three() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the search test: scripts/install-test-browsers installs Node"
        );
        eprintln!("skipped: node is not installed (scripts/install-test-browsers installs it)");
        return;
    }
    let (_tree, html) = common::built_repository_guide();
    let list = xtask::bench::search::read_queries(&xtask::project_root()).unwrap();
    assert!(list.queries.len() >= 40);
    let texts: Vec<String> = list.queries.iter().map(|q| q.query.clone()).collect();
    let results = xtask::bench::search::run_queries(&html, &texts, 10).unwrap();
    let mut misses = Vec::new();
    for (query, urls) in list.queries.iter().zip(&results) {
        for url in urls {
            assert!(
                !url.ends_with("#sources")
                    && !["evidence.html", "changelog.html", "contributing.html"]
                        .iter()
                        .any(|page| url.starts_with(page)),
                "{}: {url}",
                query.query
            );
        }
        if !urls
            .iter()
            .take(3)
            .any(|url| xtask::bench::search::answers(url, &query.expect))
        {
            misses.push(format!(
                "{} → {:?}",
                query.query,
                &urls[..urls.len().min(3)]
            ));
        }
    }
    let rate = 1.0 - misses.len() as f64 / list.queries.len() as f64;
    assert!(rate >= 0.9, "{:.0}%: {misses:#?}", rate * 100.0);
    // An extra word the guide never uses does not empty the results.
    let extra = xtask::bench::search::run_queries(&html, &["cannot get mail zzyzx".to_string()], 3)
        .unwrap();
    assert!(
        extra[0].iter().any(|url| url.ends_with("#cannot-get-mail")),
        "{extra:?}"
    );
}

//! The evidence: `cargo xtask sources` against pages served on 127.0.0.1 (one per outcome),
//! the offline coverage rules, `review_by` with an injected today, `--stamp`, and a snapshot of
//! a rendered Sources section. Never the internet.

mod common;

use std::path::Path;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The fixture guide with its one cited page moved to `page_url`, and `extra` appended to its
/// facts (YAML list items) and `urls` (YAML list items).
fn guide_citing(root: &Path, page_url: &str, extra_urls: &str, extra_facts: &str) {
    let yaml_path = root.join("guide.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    let yaml = yaml
        .replace("https://outlook.office.com/calendar/", page_url)
        .replace("\neditions:\n", &format!("{extra_urls}\neditions:\n"));
    std::fs::write(&yaml_path, format!("{yaml}{extra_facts}")).unwrap();
    let chapter = root.join("book/current/index.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        text.replace("https://outlook.office.com/calendar/", page_url),
    )
    .unwrap();
}

fn url_entry(id: &str, url: &str) -> String {
    format!("  - id: {id}\n    url: {url}\n    title: Page {id}\n    purpose: A test page\n    expect: ok\n")
}

fn claim(name: &str, url_id: &str, quote: &str) -> String {
    format!(
        "  - keys: [claims.{name}]\n    claim: A claim for the test.\n    sources:\n      - url: {url_id}\n        quote: \"{quote}\"\n        retrieved: 2026-11-24\n"
    )
}

use common::serve_get as serve;

fn html(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(format!("<!DOCTYPE html><html><head><title>t</title><script>var hidden = 'Fixture quote';</script></head><body>{body}</body></html>"), "text/html; charset=utf-8")
}

#[test]
fn every_outcome_of_a_quote_on_loopback_pages() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    let base = server.uri();
    runtime.block_on(async {
        serve(&server, "/calendar/", html("<p>Fixture quote: the tests serve their own pages.</p>")).await;
        serve(&server, "/split", html("<p>An account <b>uses Modern</b>\n   auth only if it\n<i>was added</i> later.</p>")).await;
        serve(&server, "/entities", html("<p>Basic &amp; modern authentication &mdash; both&nbsp;named.</p>")).await;
        serve(&server, "/curly", html("<p>It\u{2019}s one of the most \u{201c}common\u{201d} vectors.</p>")).await;
        serve(&server, "/changed", html("<p>Intro.</p><p>There's a limit of 50 app passwords per user.</p><p>Outro text here.</p>")).await;
        serve(&server, "/huge", ResponseTemplate::new(200).set_body_raw(vec![b'a'; 6 * 1024 * 1024], "text/html")).await;
        serve(&server, "/pdf", ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7".to_vec(), "application/pdf")).await;
        serve(&server, "/login", html("<form><input type=\"text\" name=\"user\"><input type=\"password\" name=\"pw\"></form>")).await;
        serve(&server, "/gone", ResponseTemplate::new(404)).await;
        serve(&server, "/plain", ResponseTemplate::new(200).set_body_raw("Plain text says hello.", "text/plain")).await;
    });
    let tree = common::fixture(&[]);
    let ids = [
        "split", "entities", "curly", "changed", "huge", "pdf", "login", "gone", "plain",
    ];
    let urls: String = ids
        .iter()
        .map(|id| url_entry(id, &format!("{base}/{id}")))
        .collect();
    let facts = [
        claim("split", "split", "uses Modern auth only if it was added"),
        claim(
            "entities",
            "entities",
            "Basic & modern authentication — both named.",
        ),
        claim(
            "curly",
            "curly",
            "It's one of the most \\\"common\\\" vectors.",
        ),
        claim(
            "changed",
            "changed",
            "There's a limit of 40 app passwords per user.",
        ),
        claim("huge", "huge", "anything"),
        claim("pdf", "pdf", "anything"),
        claim("login", "login", "anything"),
        claim("gone", "gone", "anything"),
        claim("plain", "plain", "PLAIN TEXT says hello."),
    ]
    .concat();
    guide_citing(tree.path(), &format!("{base}/calendar/"), &urls, &facts);

    let printed = common::xtask_split(&[
        "sources",
        "--no-cache",
        "--format",
        "json",
        "--timeout",
        "5s",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    let document: serde_json::Value = serde_json::from_str(&printed.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", printed.stdout, printed.stderr));
    let outcome = |key: &str| -> serde_json::Value {
        document["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["key"] == key)
            .unwrap_or_else(|| panic!("no row for {key}: {document}"))
            .clone()
    };
    assert_eq!(outcome("service.product")["outcome"], "found");
    let used_in = outcome("service.product")["used_in"].clone();
    assert!(
        used_in
            .as_array()
            .unwrap()
            .iter()
            .any(|place| place == "book/current/index.md:3"),
        "{used_in}"
    );
    assert_eq!(
        outcome("claims.split")["outcome"],
        "found",
        "split across tags and lines"
    );
    assert_eq!(
        outcome("claims.entities")["outcome"],
        "found",
        "entities decoded"
    );
    assert_eq!(outcome("claims.curly")["outcome"], "found", "curly quotes");
    assert_eq!(
        outcome("claims.plain")["outcome"],
        "found",
        "plain text, any case"
    );
    let changed = outcome("claims.changed");
    assert_eq!(changed["outcome"], "missing");
    assert_eq!(
        changed["closest"],
        "there's a limit of 50 app passwords per user."
    );
    assert!(changed["similarity"].as_f64().unwrap() > 0.9, "{changed}");
    assert_eq!(outcome("claims.huge")["outcome"], "unreadable");
    assert!(outcome("claims.huge")["detail"]
        .as_str()
        .unwrap()
        .contains("larger than 5 MiB"));
    assert_eq!(outcome("claims.pdf")["outcome"], "unreadable");
    assert!(outcome("claims.pdf")["detail"]
        .as_str()
        .unwrap()
        .contains("not text"));
    assert_eq!(outcome("claims.login")["outcome"], "unreadable");
    assert!(outcome("claims.login")["detail"]
        .as_str()
        .unwrap()
        .contains("password"));
    assert_eq!(outcome("claims.gone")["outcome"], "broken");
    assert_eq!(
        printed.code, 1,
        "missing and unreadable quotes are findings"
    );
    assert_eq!(document["coverage"]["facts"], 10);
}

#[test]
fn a_redirect_to_a_sign_in_host_is_unreadable() {
    let page = xtask::urlcheck::client::Page {
        report: xtask::urlcheck::UrlReport {
            final_url: Some("https://login.microsoftonline.com/common/oauth2/authorize".into()),
            ..xtask::urlcheck::UrlReport::new(
                "https://learn.example/page",
                xtask::urlcheck::Outcome::Redirected,
            )
        },
        body: Some(xtask::urlcheck::client::Body {
            bytes: b"<p>Sign in</p>".to_vec(),
            content_type: Some("text/html".into()),
            truncated: false,
            content_encoding: None,
        }),
    };
    match xtask::sources::pages::page_text(&page) {
        xtask::sources::pages::PageText::Unreadable(why) => {
            assert!(why.contains("sign-in"), "{why}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn with_the_network_down_sources_exits_two_with_one_line() {
    // Privileged ports nothing here listens on: a freed ephemeral port could be taken by another
    // test's server running in parallel, and then the network would not look down.
    let ports: [u16; 2] = [1, 9];
    let tree = common::fixture(&[]);
    let urls = url_entry("second", &format!("http://127.0.0.1:{}/", ports[1]));
    guide_citing(
        tree.path(),
        &format!("http://127.0.0.1:{}/", ports[0]),
        &urls,
        &claim("second", "second", "x"),
    );
    let printed = common::xtask_split(&[
        "sources",
        "--no-cache",
        "--timeout",
        "2s",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 2, "{}{}", printed.stdout, printed.stderr);
    assert_eq!(printed.stderr.lines().count(), 1, "{}", printed.stderr);
    assert!(printed.stderr.contains("--offline"));
}

/// `verify --offline --no-build` with the fixture's guide.yaml edited by `edit`.
fn verify_with(edit: impl Fn(String) -> String, extra: &[&str]) -> (u8, String) {
    let tree = common::fixture(&[]);
    common::edit(&tree.path().join("guide.yaml"), edit);
    let mut args = vec!["--no-build"];
    args.extend_from_slice(extra);
    common::verify(tree.path(), &args)
}

#[test]
fn every_fact_readers_are_told_needs_evidence() {
    let (code, output) = verify_with(|y| y.replace("service.sync_delay, ", ""), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("error[sources]: `service.sync_delay` is a fact readers are told, but no fact entry covers it"), "{output}");
}

#[test]
fn an_unsourced_fact_is_a_warning_and_is_listed() {
    let tree = common::fixture(&[]);
    common::edit(&tree.path().join("guide.yaml"), |y| {
        format!(
            "{}  - keys: [claims.unsure]\n    claim: Something.\n    unsourced: No page says it.\n",
            y.replace("service.sync_delay, ", "")
        ) + "  - keys: [service.sync_delay]\n    unsourced: No page gives a time.\n"
    });
    common::record_readings(tree.path());
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 0, "{output}");
    assert!(
        output
            .contains("warning[sources]: `service.sync_delay` is unsourced: No page gives a time."),
        "{output}"
    );
    assert!(output.contains("2 unsourced"), "{output}");
}

#[test]
fn a_changed_quote_is_not_read_since_until_it_is_read_again() {
    let tree = common::fixture(&[]);
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 0, "the fixture's facts are read: {output}");
    common::edit(&tree.path().join("guide.yaml"), |y| {
        y.replace(
            "Fixture quote: the tests serve their own pages.",
            "Fixture quote: the tests serve pages.",
        )
    });
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    let line = common::diagnostic_lines(&output)
        .into_iter()
        .find(|l| l.contains("not read since"))
        .unwrap_or_else(|| panic!("{output}"));
    assert!(
        line.starts_with("guide.yaml:")
            && line.contains("changed since it was read against its quotes on 2026-12-01"),
        "{line}"
    );
    assert!(
        output.contains("cargo xtask read "),
        "the command to read it: {output}"
    );
    // A claim that changes is not read either; a new fact has never been read.
    common::edit(&tree.path().join("guide.yaml"), |y| {
        format!(
            "{y}  - keys: [claims.new_one]\n    claim: A new claim.\n    unsourced: None yet.\n"
        )
    });
    let (_, output) = common::verify(tree.path(), &["--no-build"]);
    assert!(
        output.contains("`claims.new_one` has not been read against its quotes"),
        "{output}"
    );
    // Reading them again (what `cargo xtask read` records on a yes) clears both.
    common::record_readings(tree.path());
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 0, "{output}");
}

#[test]
fn malformed_sources_are_errors_at_their_line() {
    let cases = [
        (
            "        quote: \"Fixture quote: the tests serve their own pages.\"",
            "        quote: \"\"",
            "a source has an empty quote",
        ),
        (
            "        quote: \"Fixture quote: the tests serve their own pages.\"",
            &format!("        quote: \"{}\"", "x".repeat(301)),
            "a quote has 301 characters, more than 300",
        ),
        (
            "        retrieved: 2026-11-24",
            "        retrieved: 2026-11-24\n        language: German",
            "a quote not in English has no translation",
        ),
        (
            "        retrieved: 2026-11-24",
            "        retrieved: 2026-11-24\n        translation: \"In English.\"",
            "a translated quote does not say its language",
        ),
        (
            "        retrieved: 2026-11-24",
            "        retrieved: 2026-02-31",
            "retrieved `2026-02-31` is not a date",
        ),
        (
            "        retrieved: 2026-11-24",
            "        retrieved: 2027-01-01",
            "retrieved `2027-01-01` is in the future",
        ),
        (
            "      - url: web_calendar",
            "      - url: web_calender",
            "source url `web_calender` is not declared under urls:",
        ),
        (
            "    title: Outlook on the web\n",
            "",
            "url `web_calendar` is cited as a source but has no title",
        ),
    ];
    for (from, to, message) in cases {
        let (code, output) = verify_with(|y| y.replacen(from, to, 1), &["--today", "2026-11-25"]);
        assert_eq!(code, 1, "{message}: {output}");
        let line = output
            .lines()
            .find(|l| l.contains(message))
            .unwrap_or_else(|| panic!("{message}: {output}"));
        assert!(line.starts_with("guide.yaml:"), "{line}");
    }
}

#[test]
fn a_fact_marker_must_name_a_claim() {
    let tree = common::fixture(&[]);
    let chapter = tree.path().join("book/current/index.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}Accounts keep their sign-in.<!-- fact: claims.no_such -->\n"),
    )
    .unwrap();
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("book/current/index.md:5:29: error[sources]: fact marker `claims.no_such`: guide.yaml has no such claim"), "{output}");
}

#[test]
fn review_by_is_reported_at_every_marker_once_the_day_has_passed() {
    let edit = |y: String| {
        y.replace(
            "    sources:\n      - url: web_calendar",
            "    review_by: 2026-12-31\n    sources:\n      - url: web_calendar",
        )
    };
    let (code, output) = verify_with(edit, &["--today", "2026-12-31"]);
    assert_eq!(code, 0, "{output}");
    assert!(!output.contains("was to be reviewed"), "not yet: {output}");
    let (_, output) = verify_with(edit, &["--today", "2027-01-01"]);
    let lines = common::diagnostic_lines(&output);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("book/current/index.md:3:")
                && l.contains("was to be reviewed by 2026-12-31")),
        "{output}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("snippets/current/steps.md:6:")
                && l.contains("was to be reviewed")),
        "{output}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("guide.yaml:") && l.contains("was to be reviewed")),
        "{output}"
    );
}

#[test]
fn an_edition_whose_sources_were_checked_long_ago_gets_a_warning() {
    let (_, output) = verify_with(|y| y, &["--today", "2027-05-23"]);
    assert!(
        !output.contains("days ago"),
        "180 days is not stale yet: {output}"
    );
    let (code, output) = verify_with(|y| y, &["--today", "2027-05-24"]);
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains(
            "warning[sources]: the sources of edition `current` were last checked 181 days ago"
        ),
        "{output}"
    );
}

/// The fixture guide citing one page on a loopback server that holds its quote.
fn guide_citing_a_loopback_page() -> (tokio::runtime::Runtime, MockServer, tempfile::TempDir) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(serve(
        &server,
        "/calendar/",
        html("<p>Fixture quote: the tests serve their own pages.</p>"),
    ));
    let tree = common::fixture(&[]);
    guide_citing(tree.path(), &format!("{}/calendar/", server.uri()), "", "");
    (runtime, server, tree)
}

#[test]
fn stamp_writes_todays_date_only_for_editions_whose_quotes_were_all_found() {
    let (runtime, server, tree) = guide_citing_a_loopback_page();
    let root = tree.path().to_str().unwrap();
    let printed = common::xtask_split(&[
        "sources",
        "--no-cache",
        "--stamp",
        "--today",
        "2026-12-01",
        "--root",
        root,
    ]);
    assert_eq!(printed.code, 0, "{}{}", printed.stdout, printed.stderr);
    let yaml = std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap();
    assert_eq!(
        yaml.matches("sources_checked: 2026-12-01").count(),
        2,
        "{yaml}"
    );

    // A quote that is no longer on the page: the date stays.
    runtime.block_on(server.reset());
    runtime.block_on(serve(
        &server,
        "/calendar/",
        html("<p>Another text now.</p>"),
    ));
    let printed = common::xtask_split(&[
        "sources",
        "--no-cache",
        "--stamp",
        "--today",
        "2026-12-08",
        "--root",
        root,
    ]);
    assert_eq!(printed.code, 1);
    let yaml = std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap();
    let current =
        &yaml[yaml.find("- id: current").unwrap()..yaml.find("- id: legacy-2018").unwrap()];
    assert!(
        current.contains("sources_checked: 2026-12-01"),
        "the current edition keeps its date: {yaml}"
    );
    assert!(
        printed.stderr.contains("edition current keeps its date"),
        "{}",
        printed.stderr
    );
}

/// A stamp says every quote of the edition was compared and found: a quote of a document with
/// no copy to read was never compared, so the edition keeps its date.
#[test]
fn stamp_leaves_an_edition_with_a_quote_never_compared() {
    let (_runtime, _server, tree) = guide_citing_a_loopback_page();
    let root = tree.path().to_str().unwrap();
    common::edit(&tree.path().join("guide.yaml"), |yaml| {
        let yaml = yaml.replacen(
            "\nfacts:\n",
            "\ndocuments:\n  - id: no_copy\n    title: A letter nobody kept\nfacts:\n",
            1,
        );
        yaml.replacen(
            "        quote: \"Fixture quote: the tests serve their own pages.\"\n        retrieved: 2026-11-24\n",
            "        quote: \"Fixture quote: the tests serve their own pages.\"\n        retrieved: 2026-11-24\n      - document: no_copy\n        quote: \"Words nobody can compare.\"\n        retrieved: 2026-11-24\n",
            1,
        )
    });
    common::record_readings(tree.path());
    let before = std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap();
    assert!(before.contains("document: no_copy"), "{before}");
    let printed = common::xtask_split(&[
        "sources",
        "--no-cache",
        "--stamp",
        "--today",
        "2026-12-01",
        "--root",
        root,
    ]);
    let yaml = std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap();
    let current =
        &yaml[yaml.find("- id: current").unwrap()..yaml.find("- id: legacy-2018").unwrap()];
    assert!(
        !current.contains("sources_checked: 2026-12-01"),
        "{}{}\n{current}",
        printed.stdout,
        printed.stderr
    );
    assert!(
        printed.stderr.contains("edition current keeps its date"),
        "{}",
        printed.stderr
    );
}

#[test]
fn stamp_edits_only_the_date_in_a_crlf_file_with_quoted_ids() {
    let (_runtime, _server, tree) = guide_citing_a_loopback_page();
    let yaml_path = tree.path().join("guide.yaml");
    common::edit(&yaml_path, |yaml| {
        yaml.replace("- id: current\n", "- id: \"current\"\n")
            .replace("- id: legacy-2018\n", "- id: 'legacy-2018'\n")
            .replace('\n', "\r\n")
    });
    let before = std::fs::read_to_string(&yaml_path).unwrap();
    let printed = common::xtask_split(&[
        "sources",
        "--no-cache",
        "--stamp",
        "--today",
        "2026-12-01",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 0, "{}{}", printed.stdout, printed.stderr);
    let after = std::fs::read_to_string(&yaml_path).unwrap();
    assert_eq!(
        after.matches("sources_checked: 2026-12-01\r\n").count(),
        2,
        "{after}"
    );
    // Nothing but the dates changed: every line ending and quote is as it was.
    let old_dates: Vec<&str> = before
        .lines()
        .filter(|l| l.trim_start().starts_with("sources_checked:"))
        .collect();
    let mut expected = before.clone();
    for date in old_dates {
        expected = expected.replacen(date, "    sources_checked: 2026-12-01", 1);
    }
    assert_eq!(after, expected);
}

#[test]
fn stamp_checks_every_fact_and_unknown_keys_are_errors() {
    let tree = common::fixture(&[]);
    let root = tree.path().to_str().unwrap();
    let yaml = std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap();
    for args in [
        vec!["sources", "--stamp", "--root", root, "claims.no_such_key"],
        vec![
            "sources",
            "--stamp",
            "--root",
            root,
            "urls.web_calendar.url",
        ],
        vec![
            "sources",
            "--stamp",
            "--exclude",
            "https://outlook.office.com/",
            "--root",
            root,
        ],
        vec!["sources", "--no-cache", "--root", root, "no.such.key"],
    ] {
        let printed = common::xtask_split(&args);
        assert_eq!(
            printed.code, 2,
            "{args:?}: {}{}",
            printed.stdout, printed.stderr
        );
        assert!(
            printed.stderr.contains("no fact has the key")
                || printed.stderr.contains("--stamp dates an edition"),
            "{args:?}: {}",
            printed.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap(),
        yaml,
        "nothing stamped"
    );
}

#[test]
fn the_rendered_sources_section_of_a_page() {
    let (_tree, html_dir) = common::built_repository_guide();
    let page = std::fs::read_to_string(html_dir.join("legacy-2018/app-password.html")).unwrap();
    let start = page
        .find("<details id=\"sources\"")
        .expect("a Sources section, folded");
    let end = page[start..].find("</ul>").unwrap() + start + "</ul>".len();
    insta::assert_snapshot!(
        "legacy_app_password_sources_html",
        page[start..end].replace("><", ">\n<")
    );
}

#[test]
fn verify_online_rereads_the_quotes_and_checks_the_urls() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(async {
        serve(
            &server,
            "/calendar/",
            html("<p>Fixture quote: the tests serve their own pages.</p>"),
        )
        .await;
        // The URL check asks with HEAD: a sign-in hop, then the page, as `login-redirect` expects.
        Mock::given(method("HEAD"))
            .and(path("/calendar/"))
            .respond_with(ResponseTemplate::new(302).insert_header("Location", "/signin"))
            .mount(&server)
            .await;
        Mock::given(method("HEAD"))
            .and(path("/signin"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
    });
    let tree = common::fixture(&[]);
    guide_citing(tree.path(), &format!("{}/calendar/", server.uri()), "", "");
    let root = tree.path().to_str().unwrap();
    // The settings tables link the cited page, which moved.
    assert_eq!(common::xtask(&["snippets", "--root", root]).0, 0);
    let (code, output) = common::xtask(&["verify", "--no-build", "--no-cache", "--root", root]);
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains("ok    quotes    1 of 1 quotes found on their pages"),
        "{output}"
    );
    assert!(
        output
            .lines()
            .any(|l| l.trim_start().starts_with("ok    online")),
        "{output}"
    );

    // The page changed: verify fails at the quote, and shows the closest passage.
    runtime.block_on(server.reset());
    runtime.block_on(serve(
        &server,
        "/calendar/",
        html("<p>Fixture quote: the tests serve other pages.</p>"),
    ));
    let (code, output) = common::xtask(&["verify", "--no-build", "--no-cache", "--root", root]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("error[sources]: service.product: quote missing on"),
        "{output}"
    );
    assert!(
        output.contains("fixture quote: the tests serve other pages."),
        "{output}"
    );
}

//! Reading fetched pages is bounded and honest: a page's text is read in its own character
//! encoding, a compressed body is not read as text, hidden text does not count, a tag with a
//! flood of attributes is refused before the tokenizer sees it, terminal escapes never come
//! back, and redirects go neither to other schemes nor from public space back inside.
//! Servers on loopback only (127.0.0.2 stands in for a public site where a test needs one).

mod common;

use std::time::{Duration, Instant};

use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::sources::pages::{page_text, PageText, MAX_PAGE_BYTES};
use xtask::urlcheck::client::Page;
use xtask::urlcheck::{CheckConfig, Outcome};

fn config() -> CheckConfig {
    CheckConfig {
        timeout: Duration::from_secs(5),
        attempts: 3,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(200),
        ..CheckConfig::default()
    }
}

async fn fetch(url: &str, config: &CheckConfig) -> (Page, PageText) {
    fn both(page: Page) -> (Page, PageText) {
        let text = page_text(&page);
        (page, text)
    }
    let mut results = xtask::urlcheck::run::fetch_pages_async(
        &[url.to_string()],
        config,
        MAX_PAGE_BYTES,
        both,
        &|_| {},
    )
    .await
    .unwrap();
    results.remove(0)
}

use common::serve_get as serve;

fn text_of(read: &PageText) -> &str {
    match read {
        PageText::Text(text) => text,
        other => panic!("the page was not read as text: {other:?}"),
    }
}

#[tokio::test]
async fn a_page_is_read_in_its_own_character_encoding() {
    let server = MockServer::start().await;
    // "It’s “modern” authentication" in windows-1252: curly quotes are single bytes there.
    let body = b"<p>It\x92s \x93modern\x94 authentication</p>".to_vec();
    serve(
        &server,
        "/header",
        ResponseTemplate::new(200).set_body_raw(body.clone(), "text/html; charset=windows-1252"),
    )
    .await;
    let mut with_meta = b"<html><head><meta charset=\"windows-1252\"></head><body>".to_vec();
    with_meta.extend_from_slice(&body);
    serve(
        &server,
        "/meta",
        ResponseTemplate::new(200).set_body_raw(with_meta, "text/html"),
    )
    .await;
    for at in ["/header", "/meta"] {
        let (_, read) = fetch(&format!("{}{at}", server.uri()), &config()).await;
        assert!(
            text_of(&read).contains("it's \"modern\" authentication"),
            "{at}: {read:?}"
        );
    }
}

#[tokio::test]
async fn a_compressed_body_is_unreadable_not_read_as_text() {
    let server = MockServer::start().await;
    let gzipped = xtask::serve::gzip(b"<p>Fixture quote</p>");
    serve(
        &server,
        "/gz",
        ResponseTemplate::new(200)
            .insert_header("Content-Encoding", "gzip")
            .set_body_raw(gzipped, "text/html"),
    )
    .await;
    let (_, read) = fetch(&format!("{}/gz", server.uri()), &config()).await;
    match read {
        PageText::Unreadable(why) => assert!(why.contains("compressed (gzip)"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn hidden_text_and_terminal_escapes_do_not_count_as_the_page() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/hidden",
        ResponseTemplate::new(200).set_body_raw(
            "<p>Shown words.</p><div hidden>Fixture quote in a hidden block.</div><p style=\"display: none\">Another hidden quote.</p><p>Red \u{1b}[31mtext\u{1b}[0m and \u{202e}reversed.</p>",
            "text/html; charset=utf-8",
        ),
    )
    .await;
    let (_, read) = fetch(&format!("{}/hidden", server.uri()), &config()).await;
    let text = text_of(&read);
    assert!(text.contains("shown words."), "{text}");
    assert!(!text.contains("fixture quote"), "{text}");
    assert!(!text.contains("another hidden quote"), "{text}");
    assert!(
        !text.chars().any(xtask::escape::is_hidden_control),
        "{text:?}"
    );
}

#[tokio::test]
async fn a_tag_with_a_flood_of_attributes_is_refused_within_the_bound() {
    let server = MockServer::start().await;
    let flood = format!(
        "<html><body><div {}>Fixture quote</div></body></html>",
        "a ".repeat(2_400_000)
    );
    assert!(flood.len() > 4_800_000);
    serve(
        &server,
        "/flood",
        ResponseTemplate::new(200).set_body_raw(flood, "text/html"),
    )
    .await;
    let config = config();
    let started = Instant::now();
    let (page, read) = fetch(&format!("{}/flood", server.uri()), &config).await;
    let took = started.elapsed();
    assert_eq!(page.report.outcome, Outcome::Ok);
    match read {
        PageText::Unreadable(why) => assert!(why.contains("attributes"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Not a timing assertion: the bound is the checker's own promise, far above what it takes.
    assert!(took < config.bound_per_url(), "{took:?}");
}

#[tokio::test]
async fn a_redirect_to_another_scheme_is_broken_without_retries() {
    let server = MockServer::start().await;
    for (at, target) in [
        ("/file", "file:///etc/passwd"),
        ("/js", "javascript:alert(1)"),
        ("/ftp", "ftp://example.com/x"),
    ] {
        serve(
            &server,
            at,
            ResponseTemplate::new(302).insert_header("Location", target),
        )
        .await;
        let (page, _) = fetch(&format!("{}{at}", server.uri()), &config()).await;
        assert_eq!(page.report.outcome, Outcome::Broken, "{at}");
        assert_eq!(page.report.attempts, 1, "{at}: no retry");
        assert!(
            page.report
                .error
                .as_deref()
                .unwrap_or("")
                .contains("not a web page"),
            "{at}: {:?}",
            page.report
        );
    }
}

#[tokio::test]
async fn a_public_page_may_not_redirect_the_checker_inside() {
    // The service inside: on 127.0.0.1, with a secret.
    let inside = MockServer::start().await;
    serve(
        &inside,
        "/secret",
        ResponseTemplate::new(200).set_body_raw("<p>TOKEN=hunter2</p>", "text/html"),
    )
    .await;
    // The "public" site: on 127.0.0.2, which this test counts as public.
    let listener = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
    let public = MockServer::builder().listener(listener).start().await;
    let secret = format!("{}/secret", inside.uri());
    serve(
        &public,
        "/page",
        ResponseTemplate::new(302).insert_header("Location", secret.as_str()),
    )
    .await;
    let page_url = format!("{}/page", public.uri());

    let public_config = CheckConfig {
        treat_as_public: vec!["127.0.0.2".parse().unwrap()],
        ..config()
    };
    let (page, read) = fetch(&page_url, &public_config).await;
    assert_eq!(page.report.outcome, Outcome::Broken);
    assert!(
        page.report
            .error
            .as_deref()
            .unwrap_or("")
            .contains("from a public address"),
        "{:?}",
        page.report
    );
    assert!(!format!("{read:?}").contains("hunter2"));

    // Loopback to loopback (the tests' own servers) is followed as before.
    let (page, read) = fetch(&page_url, &config()).await;
    assert_eq!(
        page.report.outcome,
        Outcome::Redirected,
        "{:?}",
        page.report
    );
    assert!(text_of(&read).contains("hunter2"));
}

#[test]
fn a_declared_url_is_checked_against_its_declared_expectation() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    // A sign-in page that now answers directly: `login-redirect` expects a redirect first.
    runtime.block_on(
        Mock::given(path("/calendar/"))
            .respond_with(ResponseTemplate::new(200).set_body_raw("<p>hi</p>", "text/html"))
            .mount(&server),
    );
    let tree = common::fixture(&[]);
    let url = format!("{}/calendar/", server.uri());
    let yaml_path = tree.path().join("guide.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    let yaml = yaml.replace("https://outlook.office.com/calendar/", &url);
    assert!(
        yaml.contains("expect: login-redirect"),
        "the fixture declares a sign-in page"
    );
    std::fs::write(&yaml_path, yaml).unwrap();
    let root = tree.path().to_str().unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = {
        let mut console = xtask::console::Console::new(&mut out, &mut err);
        xtask::cli::run(
            ["urls", "--no-cache", "--root", root, url.as_str()],
            &mut console,
        )
    };
    let printed = String::from_utf8_lossy(&out).to_string() + &String::from_utf8_lossy(&err);
    assert_eq!(code, 1, "{printed}");
    assert!(
        printed.contains("expected a redirect to a sign-in page"),
        "{printed}"
    );
    // Any other address is expected to answer `ok`, and does.
    let other = format!("{}/other", server.uri());
    runtime.block_on(
        Mock::given(path("/other"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server),
    );
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = {
        let mut console = xtask::console::Console::new(&mut out, &mut err);
        xtask::cli::run(
            ["urls", "--no-cache", "--root", root, other.as_str()],
            &mut console,
        )
    };
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
}

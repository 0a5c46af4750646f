//! The URL checker against real HTTP servers on 127.0.0.1 (wiremock, or a raw socket where a
//! behaviour needs one). Never the internet. Each test asserts the outcome and the attempts.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wiremock::matchers::{header_regex, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use xtask::model::schema::Expectation;
use xtask::urlcheck::cache::Cache;
use xtask::urlcheck::expect::Verdict;
use xtask::urlcheck::run::{check_all_async, network_is_down, Checked, Target};
use xtask::urlcheck::{CheckConfig, Outcome};

/// Privileged loopback ports nothing here listens on. A port freed by dropping a listener could
/// be taken by another test's server running in parallel, and then it would answer.
const CLOSED_PORTS: [u16; 2] = [1, 9];

/// Short timeouts and backoffs so failure paths finish in milliseconds.
fn config() -> CheckConfig {
    CheckConfig {
        timeout: Duration::from_millis(500),
        attempts: 3,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(1500),
        ..CheckConfig::default()
    }
}

fn target(url: &str, expectation: Expectation) -> Target {
    Target {
        url: url.to_string(),
        expectation,
        redirect_to: None,
    }
}

async fn check(url: &str) -> Checked {
    check_with(target(url, Expectation::Ok), &config(), None).await
}

async fn check_with(target: Target, config: &CheckConfig, cache: Option<&mut Cache>) -> Checked {
    let mut checked = check_all_async(&[target], config, cache, &|_| {})
        .await
        .unwrap();
    checked.remove(0)
}

async fn respond(server: &MockServer, http_method: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test]
async fn ok_200() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/page", ResponseTemplate::new(200)).await;
    let c = check(&format!("{}/page", server.uri())).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts, c.report.http_status),
        (Outcome::Ok, 1, Some(200))
    );
    assert_eq!(c.verdict, Verdict::Pass);
}

#[tokio::test]
async fn sends_a_user_agent_naming_the_project() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(header_regex(
            "user-agent",
            "^calsync-guide-urlcheck/.+ \\(\\+https://",
        ))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let c = check(&format!("{}/", server.uri())).await;
    assert_eq!(c.report.outcome, Outcome::Ok, "{:?}", c.report);
}

#[tokio::test]
async fn head_405_falls_back_to_get() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/no-head", ResponseTemplate::new(405)).await;
    respond(
        &server,
        "GET",
        "/no-head",
        ResponseTemplate::new(200).set_body_string("hello"),
    )
    .await;
    let c = check(&format!("{}/no-head", server.uri())).await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Ok, 2));
}

#[tokio::test]
async fn not_found_404_is_broken_without_retries() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/gone", ResponseTemplate::new(404)).await;
    let c = check(&format!("{}/gone", server.uri())).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts, c.report.http_status),
        (Outcome::Broken, 1, Some(404))
    );
    assert!(matches!(c.verdict, Verdict::Fail(_)));
}

#[tokio::test]
async fn gone_410_is_broken() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/retired", ResponseTemplate::new(410)).await;
    let c = check(&format!("{}/retired", server.uri())).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts, c.report.http_status),
        (Outcome::Broken, 1, Some(410))
    );
}

#[tokio::test]
async fn server_error_500_is_broken_after_the_retries() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/down", ResponseTemplate::new(500)).await;
    let c = check(&format!("{}/down", server.uri())).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts, c.report.http_status),
        (Outcome::Broken, 3, Some(500))
    );
}

#[tokio::test]
async fn moved_301_to_a_200_is_redirected_and_noted_as_permanent() {
    let server = MockServer::start().await;
    respond(
        &server,
        "HEAD",
        "/old",
        ResponseTemplate::new(301).insert_header("Location", "/new"),
    )
    .await;
    respond(&server, "HEAD", "/new", ResponseTemplate::new(200)).await;
    let c = check(&format!("{}/old", server.uri())).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts),
        (Outcome::Redirected, 2)
    );
    assert_eq!(c.report.final_url, Some(format!("{}/new", server.uri())));
    assert!(c.report.permanent_redirect);
    assert!(
        matches!(&c.verdict, Verdict::Note(note) if note.contains("moved permanently") && note.contains("update the url in guide.yaml"))
    );
}

#[tokio::test]
async fn found_302_to_a_404_is_broken() {
    let server = MockServer::start().await;
    respond(
        &server,
        "HEAD",
        "/moved",
        ResponseTemplate::new(302).insert_header("Location", "/missing"),
    )
    .await;
    respond(&server, "HEAD", "/missing", ResponseTemplate::new(404)).await;
    let c = check(&format!("{}/moved", server.uri())).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts, c.report.http_status),
        (Outcome::Broken, 2, Some(404))
    );
}

#[tokio::test]
async fn a_redirect_loop_is_broken_not_a_hang() {
    let server = MockServer::start().await;
    respond(
        &server,
        "HEAD",
        "/a",
        ResponseTemplate::new(302).insert_header("Location", "/b"),
    )
    .await;
    respond(
        &server,
        "HEAD",
        "/b",
        ResponseTemplate::new(302).insert_header("Location", "/a"),
    )
    .await;
    let c = check(&format!("{}/a", server.uri())).await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Broken, 2));
    assert!(
        c.report.error.as_deref().unwrap().contains("redirect loop"),
        "{:?}",
        c.report
    );
}

#[tokio::test]
async fn a_chain_longer_than_ten_redirects_is_broken() {
    let server = MockServer::start().await;
    for hop in 0..12 {
        let next = format!("/hop{}", hop + 1);
        respond(
            &server,
            "HEAD",
            &format!("/hop{hop}"),
            ResponseTemplate::new(302).insert_header("Location", next.as_str()),
        )
        .await;
    }
    let c = check(&format!("{}/hop0", server.uri())).await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Broken, 11));
    assert_eq!(c.report.error.as_deref(), Some("more than 10 redirects"));
}

#[tokio::test]
async fn service_unavailable_once_then_200_succeeds_by_retry() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    respond(&server, "HEAD", "/flaky", ResponseTemplate::new(200)).await;
    let c = check(&format!("{}/flaky", server.uri())).await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Ok, 2));
}

#[tokio::test]
async fn too_many_requests_honours_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    respond(&server, "HEAD", "/busy", ResponseTemplate::new(200)).await;
    let started = Instant::now();
    let c = check(&format!("{}/busy", server.uri())).await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Ok, 2));
    // The 10 ms backoff would have retried at once; waiting a second shows Retry-After won.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_bound() {
    let server = MockServer::start().await;
    respond(
        &server,
        "HEAD",
        "/slow",
        ResponseTemplate::new(200).set_delay(Duration::from_secs(30)),
    )
    .await;
    let config = config();
    let c = check_with(
        target(&format!("{}/slow", server.uri()), Expectation::Ok),
        &config,
        None,
    )
    .await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Timeout, 1));
    // It gave up at its own timeout, not when the server finally answered 30 s later.
    let elapsed = Duration::from_millis(c.report.elapsed_ms);
    assert!(elapsed >= config.timeout, "{elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(30),
        "waited for the server: {elapsed:?}"
    );
}

#[tokio::test]
async fn a_connection_reset_is_unreachable_after_the_retries() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut first = [0u8; 1];
            // Read one byte and drop the rest unread: the kernel answers with a reset.
            let _ = stream.read(&mut first);
        }
    });
    let c = check(&format!("http://{address}/")).await;
    assert_eq!(c.report.outcome, Outcome::Unreachable, "{:?}", c.report);
    // Three attempts, each a HEAD that fails and a GET that fails.
    assert_eq!(c.report.attempts, 6);
}

#[tokio::test]
async fn a_body_of_gigabytes_is_not_downloaded() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (sent_tx, sent_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                request.push(byte[0]);
            }
            // This server answers one request per connection, and says so: a client that
            // reused the HEAD's connection for its GET would find it closed and retry.
            if request.starts_with(b"HEAD") {
                let _ = stream.write_all(
                    b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            }
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 8589934592\r\n\r\n");
            let chunk = vec![0u8; 64 * 1024];
            let mut sent: u64 = 0;
            while stream.write_all(&chunk).is_ok() {
                sent += chunk.len() as u64;
            }
            let _ = sent_tx.send(sent);
        }
    });
    let c = check(&format!("http://{address}/huge")).await;
    assert_eq!((c.report.outcome, c.report.attempts), (Outcome::Ok, 2));
    let sent = sent_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the server saw the client leave");
    assert!(
        sent < 64 * 1024 * 1024,
        "the client read {sent} bytes of an 8 GiB body"
    );
}

#[tokio::test]
async fn a_port_with_nothing_listening_is_unreachable() {
    let c = check(&format!("http://127.0.0.1:{}/", CLOSED_PORTS[0])).await;
    assert_eq!(
        (c.report.outcome, c.report.attempts),
        (Outcome::Unreachable, 6)
    );
}

#[tokio::test]
async fn a_second_run_is_answered_from_the_cache() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(path("/cached"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let cache_file = dir.path().join("cache.json");
    let url = format!("{}/cached", server.uri());

    let mut cache = Cache::load(&cache_file, Duration::from_secs(3600));
    let first = check_with(target(&url, Expectation::Ok), &config(), Some(&mut cache)).await;
    cache.save().unwrap();
    assert_eq!(
        (first.report.outcome, first.report.attempts),
        (Outcome::Ok, 1)
    );

    let mut cache = Cache::load(&cache_file, Duration::from_secs(3600));
    let second = check_with(target(&url, Expectation::Ok), &config(), Some(&mut cache)).await;
    assert_eq!(
        (second.report.outcome, second.report.attempts),
        (Outcome::Cached, 0)
    );
    assert_eq!(second.report.http_status, Some(200));
    assert_eq!(second.verdict, Verdict::Pass);
    // Dropping the server verifies it saw exactly one request.
}

#[tokio::test]
async fn failures_are_never_cached() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .and(path("/broken"))
        .respond_with(ResponseTemplate::new(404))
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/broken", server.uri());
    for _ in 0..2 {
        let mut cache = Cache::load(&dir.path().join("cache.json"), Duration::from_secs(3600));
        let c = check_with(target(&url, Expectation::Ok), &config(), Some(&mut cache)).await;
        cache.save().unwrap();
        assert_eq!(c.report.outcome, Outcome::Broken);
    }
}

#[tokio::test]
async fn an_unexpected_redirect_target_fails_and_says_what_changed() {
    let server = MockServer::start().await;
    respond(
        &server,
        "HEAD",
        "/legacy",
        ResponseTemplate::new(302).insert_header("Location", "/elsewhere"),
    )
    .await;
    respond(&server, "HEAD", "/elsewhere", ResponseTemplate::new(200)).await;
    let expected = Target {
        url: format!("{}/legacy", server.uri()),
        expectation: Expectation::Redirect,
        redirect_to: Some(format!("{}/security-info", server.uri())),
    };
    let c = check_with(expected, &config(), None).await;
    match c.verdict {
        Verdict::Fail(why) => assert!(
            why.contains("but it redirects to") && why.contains("/elsewhere"),
            "{why}"
        ),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_report_only_url_never_fails_but_says_what_happens() {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/retiring", ResponseTemplate::new(404)).await;
    let c = check_with(
        target(&format!("{}/retiring", server.uri()), Expectation::Report),
        &config(),
        None,
    )
    .await;
    assert_eq!(c.report.outcome, Outcome::Broken);
    assert!(
        matches!(&c.verdict, Verdict::Note(note) if note.contains("now is broken: HTTP 404")),
        "{:?}",
        c.verdict
    );
}

#[tokio::test]
async fn excluded_urls_are_not_requested() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let config = CheckConfig {
        excludes: vec![server.uri()],
        ..config()
    };
    let c = check_with(
        target(&format!("{}/x", server.uri()), Expectation::Ok),
        &config,
        None,
    )
    .await;
    assert_eq!(
        (c.report.outcome, c.report.attempts),
        (Outcome::Excluded, 0)
    );
}

#[tokio::test]
async fn every_url_unreachable_means_the_network_is_down() {
    let targets: Vec<Target> = CLOSED_PORTS
        .iter()
        .map(|port| target(&format!("http://127.0.0.1:{port}/"), Expectation::Ok))
        .collect();
    let checked = check_all_async(&targets, &config(), None, &|_| {})
        .await
        .unwrap();
    assert!(network_is_down(&checked));
}

#[test]
fn the_urls_command_prints_one_line_and_exits_two_when_the_network_is_down() {
    let ports: Vec<String> = CLOSED_PORTS
        .iter()
        .map(|port| format!("http://127.0.0.1:{port}/"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, output) =
        common::xtask(&["urls", "--no-cache", "--root", root, &ports[0], &ports[1]]);
    assert_eq!(code, 2, "{output}");
    assert_eq!(output.lines().count(), 1, "{output}");
    assert!(output.contains("--offline"), "{output}");
}

#[test]
fn the_urls_command_reports_json_with_where_each_url_is_used() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    // The fixture expects a login redirect for this address: a sign-in hop, then the page.
    runtime.block_on(respond(
        &server,
        "HEAD",
        "/calendar/",
        ResponseTemplate::new(302).insert_header("Location", "/signin"),
    ));
    runtime.block_on(respond(
        &server,
        "HEAD",
        "/signin",
        ResponseTemplate::new(200),
    ));
    let tree = common::fixture(&[]);
    let yaml_path = tree.path().join("guide.yaml");
    let chapter = tree.path().join("book/current/index.md");
    let local = format!("{}/calendar/", server.uri());
    for file in [&yaml_path, &chapter] {
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(
            file,
            text.replace("https://outlook.office.com/calendar/", &local),
        )
        .unwrap();
    }
    let printed = common::xtask_split(&[
        "urls",
        "--format",
        "json",
        "--no-cache",
        "--root",
        tree.path().to_str().unwrap(),
    ]);
    assert_eq!(printed.code, 0, "{}{}", printed.stdout, printed.stderr);
    let rows: serde_json::Value = serde_json::from_str(&printed.stdout).unwrap();
    let row = &rows[0];
    assert_eq!(row["url"], local.as_str());
    assert_eq!(row["outcome"], "redirected");
    assert_eq!(row["verdict"], "pass");
    assert_eq!(row["http_status"], 200);
    assert_eq!(row["attempts"], 2);
    assert!(row["elapsed_ms"].is_u64());
    assert_eq!(row["used_in"][0], "book/current/index.md:4");
}

#[test]
fn the_urls_command_excludes_by_prefix_without_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let (code, output) = common::xtask(&[
        "urls",
        "--no-cache",
        "--root",
        root,
        "--exclude",
        "http://127.0.0.1:9/",
        "http://127.0.0.1:9/private",
    ]);
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains("urls: 0 ok, 0 redirected, 0 broken, 1 excluded in"),
        "{output}"
    );
}

#[test]
fn offline_skips_with_a_notice() {
    let (code, output) = common::xtask(&["urls", "--offline", "http://127.0.0.1:9/"]);
    assert_eq!(code, 0);
    assert!(output.contains("skipped (--offline)"), "{output}");
}

/// Serves `/direct` with 200, `/hop` as a 302 to `/direct`, `/hop-broken` as a 302 to `/gone`,
/// and `/gone` with 404.
async fn expectation_server() -> MockServer {
    let server = MockServer::start().await;
    respond(&server, "HEAD", "/direct", ResponseTemplate::new(200)).await;
    respond(
        &server,
        "HEAD",
        "/hop",
        ResponseTemplate::new(302).insert_header("Location", "/direct"),
    )
    .await;
    respond(
        &server,
        "HEAD",
        "/hop-broken",
        ResponseTemplate::new(302).insert_header("Location", "/gone"),
    )
    .await;
    respond(&server, "HEAD", "/gone", ResponseTemplate::new(404)).await;
    server
}

async fn verdict(
    server: &MockServer,
    at: &str,
    expectation: Expectation,
    redirect_to: Option<&str>,
) -> Verdict {
    let target = Target {
        url: format!("{}{at}", server.uri()),
        expectation,
        redirect_to: redirect_to.map(|prefix| format!("{}{prefix}", server.uri())),
    };
    check_with(target, &config(), None).await.verdict
}

#[tokio::test]
async fn every_expectation_passes_and_fails_as_the_schema_says() {
    let server = expectation_server().await;
    let fails = |v: &Verdict| matches!(v, Verdict::Fail(_));
    // ok: a 2xx, with or without redirects; anything broken fails.
    assert_eq!(
        verdict(&server, "/direct", Expectation::Ok, None).await,
        Verdict::Pass
    );
    assert_eq!(
        verdict(&server, "/hop", Expectation::Ok, None).await,
        Verdict::Pass
    );
    assert!(fails(
        &verdict(&server, "/gone", Expectation::Ok, None).await
    ));
    // login-redirect: a redirect, then a 2xx; a direct answer is no longer behind a sign-in.
    assert_eq!(
        verdict(&server, "/hop", Expectation::LoginRedirect, None).await,
        Verdict::Pass
    );
    match verdict(&server, "/direct", Expectation::LoginRedirect, None).await {
        Verdict::Fail(why) => assert!(
            why.contains("expected a redirect to a sign-in page"),
            "{why}"
        ),
        other => panic!("a direct 200 must fail login-redirect, got {other:?}"),
    }
    assert!(fails(
        &verdict(&server, "/hop-broken", Expectation::LoginRedirect, None).await
    ));
    // redirect: the final address starts with redirect_to.
    assert_eq!(
        verdict(&server, "/hop", Expectation::Redirect, Some("/direct")).await,
        Verdict::Pass
    );
    assert!(fails(
        &verdict(&server, "/hop", Expectation::Redirect, Some("/elsewhere")).await
    ));
    assert!(fails(
        &verdict(&server, "/direct", Expectation::Redirect, Some("/direct")).await
    ));
    // report: never a failure, whatever happens.
    assert!(matches!(
        verdict(&server, "/direct", Expectation::Report, None).await,
        Verdict::Note(_)
    ));
    assert!(matches!(
        verdict(&server, "/gone", Expectation::Report, None).await,
        Verdict::Note(_)
    ));
}

//! The evidence check's two costs: reading a page (HTML to text, normalising, finding quotes)
//! on a 5 MB page, target ≥ 50 MB/s; and fetching many pages, 200 quotes over 20 pages on ten
//! loopback hosts whose answers take 200 ms, within 1.25 × the ideal the concurrency limits set.
//! Both also check the answer: every planted quote must be found, the changed one must not.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use super::Row;
use crate::sources::pages::{page_text, PageText};
use crate::sources::text;
use crate::urlcheck::CheckConfig;

const LATENCY: Duration = Duration::from_millis(200);
const HOSTS: u8 = 10;
const PAGES_PER_HOST: usize = 2;
const QUOTES_PER_PAGE: usize = 10;

/// A sentence only page `page` holds, for quote `index`.
fn quote(page: usize, index: usize) -> String {
    format!("Planted sentence {index} of page {page} says the calendar syncs within minutes.")
}

/// An HTML page of about `bytes`, with markup, entities and curly quotes, holding `quotes`.
fn synthetic_page(bytes: usize, quotes: &[String]) -> String {
    let mut rng = fastrand::Rng::with_seed(7);
    let words = [
        "calendar",
        "account",
        "Exchange",
        "sign",
        "in",
        "the",
        "iPhone",
        "Microsoft",
        "settings",
        "tap",
        "&amp;",
        "it\u{2019}s",
        "\u{201c}Sign In\u{201d}",
        "—",
    ];
    let mut html = String::from("<!DOCTYPE html><html><head><title>Synthetic</title><style>p { margin: 0 }</style><script>var x = '<p>not text</p>';</script></head><body><main>\n");
    let mut next_quote = 0;
    while html.len() < bytes {
        html.push_str("<p>");
        for _ in 0..40 {
            html.push_str(words[rng.usize(0..words.len())]);
            html.push(' ');
        }
        if next_quote < quotes.len() && rng.usize(0..20) == 0 {
            // Split across a tag and a line break, as real pages do.
            let q = &quotes[next_quote];
            let middle = q.len() / 2;
            let cut = q[..middle].rfind(' ').unwrap_or(middle);
            let _ = write!(html, "<b>{}</b>\n {}", &q[..cut], &q[cut + 1..]);
            next_quote += 1;
        }
        html.push_str("</p>\n");
    }
    for q in &quotes[next_quote..] {
        let _ = writeln!(html, "<p>{q}</p>");
    }
    html.push_str("</main></body></html>\n");
    html
}

pub fn run() -> Vec<Row> {
    let mut rows = vec![reading_speed(), attribute_flood(), attributes_at_the_cap()];
    rows.extend(fetching());
    rows
}

fn reading_speed() -> Row {
    const WHAT: &str = "reading a 5 MB page: HTML to text, normalise, find 10 quotes and the closest passage of a changed one";
    let quotes: Vec<String> = (0..10).map(|i| quote(0, i)).collect();
    let html = synthetic_page(5 * 1024 * 1024, &quotes);
    let megabytes = html.len() as f64 / 1e6;
    let changed = text::normalise(&quote(0, 3).replace("within minutes", "within hours"));
    let mut best = Duration::MAX;
    let mut found = 0;
    let mut closest_ok = false;
    for _ in 0..3 {
        let started = Instant::now();
        let page = text::normalise(&crate::html::visible_text(&html));
        found = quotes
            .iter()
            .filter(|q| text::contains(&page, &text::normalise(q)))
            .count();
        let closest = text::closest(&page, &changed);
        closest_ok = !text::contains(&page, &changed)
            && closest.is_some_and(|c| c.passage == text::normalise(&quote(0, 3)));
        best = best.min(started.elapsed());
    }
    let speed = megabytes / best.as_secs_f64();
    Row::new(
        WHAT,
        format!("{speed:.0} MB/s"),
        "≥ 50 MB/s, every quote found, the right closest passage",
        format!(
            "{:.1} MB in {} ms (best of 3); {found} of 10 found; closest passage {}",
            megabytes,
            best.as_millis(),
            if closest_ok { "right" } else { "WRONG" }
        ),
        speed >= 50.0 && found == quotes.len() && closest_ok,
    )
}

/// A fetched page as `sources` reads it, from its body alone.
fn read_body(html: String) -> (Duration, crate::sources::pages::PageText) {
    let page = crate::urlcheck::client::Page {
        report: crate::urlcheck::UrlReport::new("http://127.0.0.1/", crate::urlcheck::Outcome::Ok),
        body: Some(crate::urlcheck::client::Body {
            bytes: html.into_bytes(),
            content_type: Some("text/html; charset=utf-8".into()),
            truncated: false,
            content_encoding: None,
        }),
    };
    let started = Instant::now();
    let text = crate::sources::pages::page_text(&page);
    (started.elapsed(), text)
}

/// The hostile page of the untrusted-input review: one tag with millions of attributes made
/// html5ever's tokenising quadratic (a 4.9 MB page took 338 s). The linear pre-pass refuses it.
fn attribute_flood() -> Row {
    const WHAT: &str = "an adversarial 4.8 MB page: one tag with 2.4 million attributes";
    let html = format!(
        "<html><body><div {}>x</div></body></html>",
        "a ".repeat(2_400_000)
    );
    let (took, text) = read_body(html);
    let refused = matches!(&text, crate::sources::pages::PageText::Unreadable(why) if why.contains("attributes"));
    Row::new(
        WHAT,
        format!("{} ms", took.as_millis()),
        "refused as unreadable in under 1 s (the per-URL bound is 25 s)",
        if refused {
            "refused: unreadable"
        } else {
            "NOT refused"
        },
        refused && took < Duration::from_secs(1),
    )
}

/// The worst page the cap lets through: 5 MB of tags with the most attributes allowed each.
fn attributes_at_the_cap() -> Row {
    const WHAT: &str = "a 5 MB page of tags with 256 attributes each (the most allowed)";
    let tag = format!(
        "<i {}>w</i>\n",
        (0..crate::html::MAX_ATTRIBUTES)
            .map(|i| format!("a{i} "))
            .collect::<String>()
    );
    let html = format!(
        "<html><body><p>{}</p></body></html>",
        tag.repeat(5 * 1024 * 1024 / tag.len())
    );
    let megabytes = html.len() as f64 / 1e6;
    let (took, text) = read_body(html);
    let read = matches!(text, crate::sources::pages::PageText::Text(_));
    Row::new(
        WHAT,
        format!("{} ms", took.as_millis()),
        "read as text in under 5 s (the per-URL bound is 25 s)",
        format!(
            "{megabytes:.1} MB; {}",
            if read { "read" } else { "NOT read" }
        ),
        read && took < Duration::from_secs(5),
    )
}

fn fetching() -> Vec<Row> {
    const WHAT: &str = "200 quotes over 20 pages on 10 loopback hosts, 200 ms per answer";
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return vec![Row::failed(WHAT, format!("no runtime: {error}"))],
    };
    runtime.block_on(async {
        let config = CheckConfig::default();
        let mut urls = Vec::new();
        let mut planted: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for host in 0..HOSTS {
            let address = format!("127.0.0.{}:0", host + 2);
            let listener = match TcpListener::bind(&address).await {
                Ok(listener) => listener,
                Err(error) => {
                    return vec![Row::failed(WHAT, format!("cannot bind {address}: {error}"))]
                }
            };
            let local = listener
                .local_addr()
                .expect("a bound listener has an address");
            let mut bodies = Vec::new();
            for page in 0..PAGES_PER_HOST {
                let number = usize::from(host) * PAGES_PER_HOST + page;
                let quotes: Vec<String> = (0..QUOTES_PER_PAGE).map(|i| quote(number, i)).collect();
                bodies.push(synthetic_page(64 * 1024, &quotes));
                let url = format!("http://{local}/page/{page}");
                planted.insert(url.clone(), quotes);
                urls.push(url);
            }
            tokio::spawn(serve_pages(listener, bodies));
        }
        let per_host_rounds = PAGES_PER_HOST.div_ceil(config.per_host);
        let global_rounds = urls.len().div_ceil(config.concurrency);
        let ideal = LATENCY * per_host_rounds.max(global_rounds) as u32;
        let started = Instant::now();
        let pages = match crate::urlcheck::run::fetch_pages_async(
            &urls,
            &config,
            crate::sources::pages::MAX_PAGE_BYTES,
            |page| page_text(&page),
            &|_| {},
        )
        .await
        {
            Ok(pages) => pages,
            Err(error) => return vec![Row::failed(WHAT, error)],
        };
        let fetched_in = started.elapsed();
        let mut found = 0;
        for (url, page) in urls.iter().zip(&pages) {
            if let PageText::Text(page) = page {
                found += planted[url]
                    .iter()
                    .filter(|q| text::contains(page, &text::normalise(q)))
                    .count();
            }
        }
        let wall = started.elapsed();
        let total = urls.len() * QUOTES_PER_PAGE;
        let ratio = wall.as_secs_f64() / ideal.as_secs_f64();
        vec![Row::new(
            WHAT,
            format!("{} ms", wall.as_millis()),
            format!("≤ 1.25 × ideal {} ms, every quote found", ideal.as_millis()),
            format!(
                "{ratio:.2} × ideal ({} ms fetching and reading, the rest matching); {found} of {total} quotes found; {} in flight, {} per host",
                fetched_in.as_millis(),
                config.concurrency,
                config.per_host
            ),
            ratio <= 1.25 && found == total,
        )]
    })
}

/// Answers `GET /page/N` with body N after `LATENCY`: the latency is the server's, by design.
async fn serve_pages(listener: TcpListener, bodies: Vec<String>) {
    let bodies = std::sync::Arc::new(bodies);
    while let Ok((mut stream, _)) = listener.accept().await {
        let bodies = bodies.clone();
        tokio::spawn(async move {
            let Some(request) = super::urls::read_request_head(&mut stream).await else {
                return;
            };
            let line = String::from_utf8_lossy(&request);
            let page: usize = line
                .split_whitespace()
                .nth(1)
                .and_then(|target| target.rsplit('/').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            tokio::time::sleep(LATENCY).await;
            let body = bodies.get(page).map_or("", String::as_str);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
        });
    }
}

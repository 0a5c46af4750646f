//! Checking one URL: HEAD first, GET (reading only a prefix of the body) when HEAD is refused,
//! redirects followed by hand (to count them, see loops, and note permanent ones), and retries
//! with exponential backoff and jitter for 429, 5xx and connection errors.

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

use reqwest::{Method, StatusCode, Url};

use super::{CheckConfig, Outcome, UrlReport};

/// Builds the HTTP client every check of a run shares.
pub fn build_client(config: &CheckConfig) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .connect_timeout(config.timeout)
        .user_agent(config.user_agent.clone())
        .build()
}

/// What one request produced.
enum Answer {
    Status {
        status: StatusCode,
        location: Option<String>,
        retry_after: Option<Duration>,
        body: Option<Body>,
    },
    TimedOut,
    Failed(String),
}

/// What a request is for: whether the address answers, or the page itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// HEAD, GET when HEAD is refused, reading only a prefix of the body.
    Probe,
    /// GET, keeping up to this many bytes of the body.
    Page { max_bytes: usize },
}

/// A page's body as far as it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    /// The page was longer than the limit and was cut there.
    pub truncated: bool,
    /// The `Content-Encoding` the server declared (the client decodes none).
    pub content_encoding: Option<String>,
}

/// A fetched page: how the address answered, and the body of its final answer.
#[derive(Debug, Clone)]
pub struct Page {
    pub report: UrlReport,
    pub body: Option<Body>,
}

/// Checks `url` and returns its report. Never takes longer than `config.bound_per_url()`.
pub async fn check_url(client: &reqwest::Client, config: &CheckConfig, url: &str) -> UrlReport {
    request(client, config, url, Mode::Probe).await.report
}

/// Fetches the page at `url` (redirects, retries and limits as for a check), keeping at most
/// `max_bytes` of its body.
pub async fn fetch_page(
    client: &reqwest::Client,
    config: &CheckConfig,
    url: &str,
    max_bytes: usize,
) -> Page {
    request(client, config, url, Mode::Page { max_bytes }).await
}

async fn request(client: &reqwest::Client, config: &CheckConfig, url: &str, mode: Mode) -> Page {
    let started = Instant::now();
    let mut report = UrlReport::new(url, Outcome::Broken);
    let mut body = None;
    let bound = config.bound_per_url();
    if tokio::time::timeout(
        bound,
        follow(client, config, url, mode, &mut report, &mut body),
    )
    .await
    .is_err()
    {
        report.outcome = Outcome::Timeout;
        report.error = Some(format!("no result within {} ms", bound.as_millis()));
        body = None;
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Page { report, body }
}

/// Follows redirects from `start`, filling in `report`.
async fn follow(
    client: &reqwest::Client,
    config: &CheckConfig,
    start: &str,
    mode: Mode,
    report: &mut UrlReport,
    page_body: &mut Option<Body>,
) {
    let mut current = match Url::parse(start) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        Ok(url) => {
            report.error = Some(format!("`{}:` addresses are not checked", url.scheme()));
            return;
        }
        Err(error) => {
            report.error = Some(format!("not a valid URL: {error}"));
            return;
        }
    };
    let mut visited = BTreeSet::from([current.to_string()]);
    // Once the chain has been on a public address it may not come back inside: a public page
    // could otherwise redirect the checker to a service on loopback or the private network
    // and have its answer read back as the "closest passage" in a report.
    let mut been_public = is_public_url(&current, config).await;
    for hop in 0..=config.max_redirects {
        match request_with_retries(client, config, &current, mode, report).await {
            Answer::TimedOut => {
                report.outcome = Outcome::Timeout;
                report.error = Some(format!(
                    "no answer within {} ms",
                    config.timeout.as_millis()
                ));
                return;
            }
            Answer::Failed(why) => {
                report.outcome = Outcome::Unreachable;
                report.error = Some(why);
                return;
            }
            Answer::Status {
                status,
                location,
                body,
                ..
            } => {
                report.http_status = Some(status.as_u16());
                if status.is_redirection() {
                    let Some(next) = location.and_then(|l| current.join(&l).ok()) else {
                        report.outcome = Outcome::Broken;
                        report.error = Some(format!("{status} without a usable Location header"));
                        return;
                    };
                    if !matches!(next.scheme(), "http" | "https") {
                        // Not retried: a `file:` or `javascript:` target never becomes a page.
                        report.outcome = Outcome::Broken;
                        report.final_url = Some(next.to_string());
                        report.error = Some(format!(
                            "redirect to a `{}:` address, which is not a web page",
                            next.scheme()
                        ));
                        return;
                    }
                    let next_is_public = is_public_url(&next, config).await;
                    if been_public && !next_is_public {
                        report.outcome = Outcome::Broken;
                        report.final_url = Some(next.to_string());
                        report.error = Some(
                            "redirect from a public address to a loopback, private or link-local one: not followed"
                                .to_string(),
                        );
                        return;
                    }
                    been_public |= next_is_public;
                    report.permanent_redirect |= matches!(
                        status,
                        StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                    );
                    if !visited.insert(next.to_string()) {
                        report.outcome = Outcome::Broken;
                        report.final_url = Some(next.to_string());
                        report.error = Some(format!("redirect loop back to {next}"));
                        return;
                    }
                    report.final_url = Some(next.to_string());
                    current = next;
                    continue;
                }
                if status.is_success() {
                    *page_body = body;
                    report.outcome = if hop == 0 {
                        Outcome::Ok
                    } else {
                        Outcome::Redirected
                    };
                } else {
                    report.outcome = Outcome::Broken;
                    report.error = Some(match status {
                        StatusCode::TOO_MANY_REQUESTS => {
                            format!(
                                "still rate limited (429) after {} attempts",
                                report.attempts
                            )
                        }
                        _ => format!("HTTP {status}"),
                    });
                }
                return;
            }
        }
    }
    report.outcome = Outcome::Broken;
    report.error = Some(format!("more than {} redirects", config.max_redirects));
}

/// One URL without following redirects, retrying what may succeed later.
async fn request_with_retries(
    client: &reqwest::Client,
    config: &CheckConfig,
    url: &Url,
    mode: Mode,
    report: &mut UrlReport,
) -> Answer {
    let mut retry = 0;
    loop {
        let answer = match mode {
            Mode::Probe => head_then_get(client, config, url, report).await,
            Mode::Page { max_bytes } => {
                send(client, config, Method::GET, url, Some(max_bytes), report).await
            }
        };
        let retryable_wait = match &answer {
            Answer::Status {
                status,
                retry_after,
                ..
            } if *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() => {
                Some(retry_after.unwrap_or_else(|| backoff(config, retry)))
            }
            Answer::Failed(_) => Some(backoff(config, retry)),
            _ => None,
        };
        retry += 1;
        match retryable_wait {
            Some(wait) if retry < config.attempts => {
                tokio::time::sleep(wait.min(config.backoff_cap)).await;
            }
            _ => return answer,
        }
    }
}

/// HEAD, and GET when the server refuses HEAD or HEAD fails outright.
async fn head_then_get(
    client: &reqwest::Client,
    config: &CheckConfig,
    url: &Url,
    report: &mut UrlReport,
) -> Answer {
    let head = send(client, config, Method::HEAD, url, None, report).await;
    let try_get = match &head {
        Answer::Status { status, .. } => matches!(
            *status,
            StatusCode::METHOD_NOT_ALLOWED | StatusCode::FORBIDDEN | StatusCode::NOT_IMPLEMENTED
        ),
        Answer::Failed(_) => true,
        Answer::TimedOut => false,
    };
    if try_get {
        send(client, config, Method::GET, url, None, report).await
    } else {
        head
    }
}

/// One request. With `keep` set, up to that many bytes of the body are kept (and one more is
/// read, to tell a page of exactly that size from a longer one); otherwise only a prefix is read.
async fn send(
    client: &reqwest::Client,
    config: &CheckConfig,
    method: Method,
    url: &Url,
    keep: Option<usize>,
    report: &mut UrlReport,
) -> Answer {
    report.attempts += 1;
    let is_get = method == Method::GET;
    let response = match client.request(method, url.clone()).send().await {
        Ok(response) => response,
        Err(error) if error.is_timeout() => return Answer::TimedOut,
        Err(error) => return Answer::Failed(describe(&error)),
    };
    let status = response.status();
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };
    let location = header(reqwest::header::LOCATION);
    let content_type = header(reqwest::header::CONTENT_TYPE);
    let content_encoding = header(reqwest::header::CONTENT_ENCODING);
    let retry_after =
        header(reqwest::header::RETRY_AFTER).and_then(|v| parse_retry_after(&v, SystemTime::now()));
    let mut body = None;
    if is_get {
        // Read what is needed (a prefix for a check, the page up to its limit for a fetch),
        // then drop the connection: a multi-gigabyte body costs neither time nor memory.
        let limit = keep.unwrap_or(config.body_prefix);
        let mut response = response;
        let mut kept = Vec::new();
        let mut read = 0;
        while read <= limit {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    read += chunk.len();
                    if keep.is_some() {
                        let room = (limit + 1).saturating_sub(kept.len());
                        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                }
                Ok(None) => break,
                Err(error) if error.is_timeout() => return Answer::TimedOut,
                Err(_) => break,
            }
        }
        if keep.is_some() {
            let truncated = kept.len() > limit;
            kept.truncate(limit);
            body = Some(Body {
                bytes: kept,
                content_type,
                truncated,
                content_encoding,
            });
        }
    }
    Answer::Status {
        status,
        location,
        retry_after,
        body,
    }
}

/// True when every address `url`'s host stands for is public: not loopback, private,
/// link-local, unique-local, shared (CGNAT), unspecified, broadcast or documentation space.
/// A name that does not resolve counts as not public (the request will fail on its own).
async fn is_public_url(url: &Url, config: &CheckConfig) -> bool {
    let addresses: Vec<std::net::IpAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![ip.into()],
        Some(url::Host::Ipv6(ip)) => vec![ip.into()],
        Some(url::Host::Domain(name)) => {
            if name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost") {
                return false;
            }
            let port = url.port_or_known_default().unwrap_or(443);
            match tokio::net::lookup_host((name, port)).await {
                Ok(found) => found.map(|socket| socket.ip()).collect(),
                Err(_) => Vec::new(),
            }
        }
        None => Vec::new(),
    };
    !addresses.is_empty()
        && addresses
            .iter()
            .all(|ip| config.treat_as_public.contains(ip) || is_public_ip(*ip))
}

/// True for an address on the public internet.
pub fn is_public_ip(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0)
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(mapped) = v6.to_ipv4_mapped() {
                return is_public_ip(IpAddr::V4(mapped));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// `base × 2^retry`, plus up to 50 % jitter so many checkers do not retry in step.
fn backoff(config: &CheckConfig, retry: u32) -> Duration {
    let exponential = config.backoff_base.saturating_mul(1 << retry.min(16));
    let jitter = exponential.mul_f64(fastrand::f64() * 0.5);
    (exponential + jitter).min(config.backoff_cap)
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A short reason for a failed request, from the innermost error.
fn describe(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(inner) = source.source() {
        source = inner;
    }
    let kind = if error.is_connect() {
        "cannot connect"
    } else if error.is_request() {
        "request failed"
    } else {
        "failed"
    };
    format!("{kind}: {source}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_inside_addresses() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public_ip(inside.parse().unwrap()), "{inside}");
        }
        for public in ["20.190.128.1", "2603:1036::1", "8.8.8.8"] {
            assert!(is_public_ip(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = httpdate::parse_http_date("Tue, 24 Nov 2026 20:00:00 GMT").unwrap();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 20:00:05 GMT", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 19:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_grows_and_stays_under_the_cap() {
        let config = CheckConfig {
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_millis(350),
            ..CheckConfig::default()
        };
        let first = backoff(&config, 0);
        assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(150));
        assert_eq!(backoff(&config, 5), Duration::from_millis(350));
    }
}

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

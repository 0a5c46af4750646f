//! The URL checker: does every address still do what the guide says?
//!
//! Like lychee's library, this module has no terminal I/O: it returns one typed `UrlReport` per
//! address, and `urls_command` prints them. `client` checks one address (HEAD, GET fallback,
//! redirects, retries), `run` checks many with bounded concurrency, `cache` remembers good
//! answers, and `expect` compares an answer with what `guide.yaml` expects.

pub mod cache;
pub mod client;
pub mod expect;
pub mod run;

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a URL answered. Every URL gets exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// 2xx with no redirect.
    Ok,
    /// 2xx at the end of one or more redirects.
    Redirected,
    /// 4xx (other than 429), 5xx or 429 after the retries, a redirect loop or a chain too long.
    Broken,
    /// No answer within the timeout.
    Timeout,
    /// DNS, connection or TLS failure after the retries.
    Unreachable,
    /// Matched an exclude pattern; not requested.
    Excluded,
    /// A good answer from the cache, younger than the maximum age; not requested.
    Cached,
}

impl Outcome {
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Outcome::Broken | Outcome::Timeout | Outcome::Unreachable
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Redirected => "redirected",
            Outcome::Broken => "broken",
            Outcome::Timeout => "timeout",
            Outcome::Unreachable => "unreachable",
            Outcome::Excluded => "excluded",
            Outcome::Cached => "cached",
        }
    }
}

/// What happened to one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlReport {
    pub url: String,
    pub outcome: Outcome,
    /// The last HTTP status seen, if any answer came.
    pub http_status: Option<u16>,
    /// Where the redirects ended, if there were any.
    pub final_url: Option<String>,
    /// Whether any redirect on the way was permanent (301/308): the YAML should be updated.
    pub permanent_redirect: bool,
    /// Requests made (HEAD and GET each count); 0 when cached or excluded.
    pub attempts: u32,
    pub elapsed_ms: u64,
    /// Why it failed, in words.
    pub error: Option<String>,
}

impl UrlReport {
    /// A report for `url` with nothing requested yet.
    pub fn new(url: &str, outcome: Outcome) -> UrlReport {
        UrlReport {
            url: url.to_string(),
            outcome,
            http_status: None,
            final_url: None,
            permanent_redirect: false,
            attempts: 0,
            elapsed_ms: 0,
            error: None,
        }
    }
}

/// The knobs of a check run; `Default` is what `cargo xtask urls` uses.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Per request (connect + answer).
    pub timeout: Duration,
    /// Tries per URL for retryable failures (429, 5xx, connection errors).
    pub attempts: u32,
    /// First backoff; doubles each retry, plus up to 50 % jitter.
    pub backoff_base: Duration,
    /// No single wait (backoff or Retry-After) is longer than this.
    pub backoff_cap: Duration,
    pub max_redirects: usize,
    pub concurrency: usize,
    pub per_host: usize,
    /// A GET reads at most this many bytes of the body.
    pub body_prefix: usize,
    pub user_agent: String,
    /// URLs starting with one of these are `excluded`.
    pub excludes: Vec<String>,
    /// Addresses counted as public although they are not (tests only: a loopback server
    /// standing in for a public site, to show that its redirect to loopback is refused).
    pub treat_as_public: Vec<std::net::IpAddr>,
}

impl Default for CheckConfig {
    fn default() -> CheckConfig {
        CheckConfig {
            timeout: Duration::from_secs(10),
            attempts: 3,
            backoff_base: Duration::from_millis(500),
            backoff_cap: Duration::from_secs(10),
            max_redirects: 10,
            concurrency: 32,
            per_host: 4,
            body_prefix: 64 * 1024,
            user_agent: format!(
                "calsync-guide-urlcheck/{} (+{})",
                env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_REPOSITORY")
            ),
            excludes: Vec::new(),
            treat_as_public: Vec::new(),
        }
    }
}

impl CheckConfig {
    /// The longest one URL may take, redirects and retries included: `timeout × attempts +
    /// backoff cap`. The check is cut off there and reported as a timeout.
    pub fn bound_per_url(&self) -> Duration {
        self.timeout * self.attempts + self.backoff_cap
    }
}

//! Checking many URLs at once: at most `concurrency` requests in flight, at most `per_host` to
//! one host, answers from the cache where fresh, results in the order the URLs were given.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::Semaphore;

use super::cache::Cache;
use super::client::{build_client, check_url, fetch_page, Page};
use super::expect::{judge, Verdict};
use super::{CheckConfig, Outcome, UrlReport};
use crate::model::schema::Expectation;

/// A URL to check and what it should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub expectation: Expectation,
    pub redirect_to: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Checked {
    pub target: Target,
    pub report: UrlReport,
    pub verdict: Verdict,
}

/// Checks every target on a small runtime of its own (2 worker threads), calling `progress`
/// after each URL. Blocks until all are done.
pub fn check_all(
    targets: &[Target],
    config: &CheckConfig,
    cache: Option<&mut Cache>,
    progress: &(dyn Fn(&UrlReport) + Sync),
) -> Result<Vec<Checked>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(check_all_async(targets, config, cache, progress))
}

pub async fn check_all_async(
    targets: &[Target],
    config: &CheckConfig,
    mut cache: Option<&mut Cache>,
    progress: &(dyn Fn(&UrlReport) + Sync),
) -> Result<Vec<Checked>, String> {
    let client =
        build_client(config).map_err(|error| format!("cannot build the HTTP client: {error}"))?;
    let mut limits = Limits::new(config);
    let mut reports: Vec<Option<UrlReport>> = vec![None; targets.len()];
    let mut tasks = tokio::task::JoinSet::new();
    let now = SystemTime::now();

    for (index, target) in targets.iter().enumerate() {
        if config
            .excludes
            .iter()
            .any(|prefix| target.url.starts_with(prefix.as_str()))
        {
            let report = UrlReport::new(&target.url, Outcome::Excluded);
            progress(&report);
            reports[index] = Some(report);
            continue;
        }
        if let Some(stored) = cache.as_deref().and_then(|c| c.fresh(&target.url, now)) {
            progress(stored);
            reports[index] = Some(stored.clone());
            continue;
        }
        let (host_limit, global) = limits.for_url(&target.url);
        let client = client.clone();
        let config = config.clone();
        let url = target.url.clone();
        tasks.spawn(async move {
            let _host = host_limit.acquire_owned().await;
            let _slot = global.acquire_owned().await;
            (index, check_url(&client, &config, &url).await)
        });
    }
    let mut fresh = vec![false; targets.len()];
    while let Some(joined) = tasks.join_next().await {
        let (index, report) = joined.map_err(|error| format!("a check task failed: {error}"))?;
        progress(&report);
        fresh[index] = true;
        reports[index] = Some(report);
    }

    let mut checked = Vec::with_capacity(targets.len());
    for ((target, report), was_requested) in targets.iter().zip(reports).zip(fresh) {
        let mut report = report.expect("every target gets a report");
        let verdict = judge(&report, target.expectation, target.redirect_to.as_deref());
        if let Some(cache) = cache.as_deref_mut() {
            match (&verdict, was_requested) {
                (Verdict::Pass, true) => cache.remember(&report, now),
                (Verdict::Fail(_), _) => cache.forget(&target.url),
                _ => {}
            }
        }
        if !was_requested && report.outcome != Outcome::Excluded {
            report.outcome = Outcome::Cached;
            report.attempts = 0;
            report.elapsed_ms = 0;
        }
        checked.push(Checked {
            target: target.clone(),
            report,
            verdict,
        });
    }
    Ok(checked)
}

/// The concurrency limits of a run: `concurrency` requests in flight, `per_host` to one host.
struct Limits {
    global: Arc<Semaphore>,
    per_host: HashMap<String, Arc<Semaphore>>,
    per_host_limit: usize,
}

impl Limits {
    fn new(config: &CheckConfig) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(config.concurrency.max(1))),
            per_host: HashMap::new(),
            per_host_limit: config.per_host.max(1),
        }
    }

    /// The semaphores a request to `url` must hold: its host's, then the global one.
    fn for_url(&mut self, url: &str) -> (Arc<Semaphore>, Arc<Semaphore>) {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_string))
            .unwrap_or_default();
        let limit = self.per_host_limit;
        let host_limit = self
            .per_host
            .entry(host)
            .or_insert_with(|| Arc::new(Semaphore::new(limit)))
            .clone();
        (host_limit, self.global.clone())
    }
}

/// Fetches every page of `urls` (each once) under the same limits as a check run, keeping at
/// most `max_bytes` of each body, and hands each page to `read` as soon as it arrives (on the
/// runtime's workers, so reading one page overlaps waiting for the others). Results come in the
/// order of `urls`; `progress` hears each address as it is done.
pub async fn fetch_pages_async<T: Send + 'static>(
    urls: &[String],
    config: &CheckConfig,
    max_bytes: usize,
    read: fn(Page) -> T,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Vec<T>, String> {
    let client =
        build_client(config).map_err(|error| format!("cannot build the HTTP client: {error}"))?;
    let mut limits = Limits::new(config);
    let mut tasks = tokio::task::JoinSet::new();
    for (index, url) in urls.iter().enumerate() {
        let (host_limit, global) = limits.for_url(url);
        let client = client.clone();
        let config = config.clone();
        let url = url.clone();
        tasks.spawn(async move {
            let page = {
                let _host = host_limit.acquire_owned().await;
                let _slot = global.acquire_owned().await;
                fetch_page(&client, &config, &url, max_bytes).await
            };
            (index, read(page))
        });
    }
    let mut results: Vec<Option<T>> = (0..urls.len()).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (index, result) = joined.map_err(|error| format!("a fetch task failed: {error}"))?;
        progress(&urls[index]);
        results[index] = Some(result);
    }
    Ok(results
        .into_iter()
        .map(|result| result.expect("every URL gets a result"))
        .collect())
}

/// True when every URL that was requested failed to connect: the network is down, not the links.
pub fn network_is_down(checked: &[Checked]) -> bool {
    let requested: Vec<&Checked> = checked
        .iter()
        .filter(|c| !matches!(c.report.outcome, Outcome::Excluded | Outcome::Cached))
        .collect();
    requested.len() >= 2
        && requested
            .iter()
            .all(|c| c.report.outcome == Outcome::Unreachable)
}

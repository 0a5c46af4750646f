//! Remembers good answers in `target/urlcheck-cache.json`, so repeated local runs are instant.
//! Failures are never cached (a network hiccup must not stick), and entries expire.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::UrlReport;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    entries: BTreeMap<String, Entry>,
    #[serde(skip)]
    path: PathBuf,
    #[serde(skip)]
    max_age: Duration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    checked_at: u64,
    report: UrlReport,
}

/// The cache file of the guide tree at `root`.
pub fn cache_path(root: &Path) -> PathBuf {
    root.join("target").join("urlcheck-cache.json")
}

fn now_secs(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Loads the cache; a missing or unreadable file is an empty cache.
    pub fn load(path: &Path, max_age: Duration) -> Cache {
        let mut cache: Cache = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        cache.path = path.to_path_buf();
        cache.max_age = max_age;
        cache
    }

    /// The stored report for `url`, if it is younger than the maximum age at `now`.
    pub fn fresh(&self, url: &str, now: SystemTime) -> Option<&UrlReport> {
        let entry = self.entries.get(url)?;
        let age = now_secs(now).saturating_sub(entry.checked_at);
        (age <= self.max_age.as_secs()).then_some(&entry.report)
    }

    /// Stores a report that passed; the caller decides what passed.
    pub fn remember(&mut self, report: &UrlReport, now: SystemTime) {
        self.entries.insert(
            report.url.clone(),
            Entry {
                checked_at: now_secs(now),
                report: report.clone(),
            },
        );
    }

    pub fn forget(&mut self, url: &str) {
        self.entries.remove(url);
    }

    /// Writes the cache atomically; a cache that cannot be saved only costs time next run.
    pub fn save(&self) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::fsutil::write_atomically(&self.path, &json)
    }
}

/// Parses `30s`, `15m`, `12h`, `1d` or a number of seconds.
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 30s, 15m, 12h or 1d"))?;
    let seconds = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit `{unit}`; use s, m, h or d")),
    };
    Ok(Duration::from_secs(number * seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urlcheck::Outcome;

    #[test]
    fn ages_parse() {
        assert_eq!(parse_age("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_age("90"), Ok(Duration::from_secs(90)));
        assert!(parse_age("1w").is_err());
        assert!(parse_age("soon").is_err());
    }

    #[test]
    fn entries_expire() {
        let mut cache = Cache::load(
            Path::new("/nonexistent/cache.json"),
            Duration::from_secs(60),
        );
        let report = UrlReport::new("https://a.example/", Outcome::Ok);
        let then = UNIX_EPOCH + Duration::from_secs(1_000_000);
        cache.remember(&report, then);
        assert!(cache
            .fresh("https://a.example/", then + Duration::from_secs(60))
            .is_some());
        assert!(cache
            .fresh("https://a.example/", then + Duration::from_secs(61))
            .is_none());
    }
}

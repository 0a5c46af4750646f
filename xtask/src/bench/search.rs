//! Search in the reader's words: the share of the reader queries in
//! `tests/search/reader-queries.yaml` whose expected answer is among the first three results of
//! the site's own search (its elasticlunr.js and index, run by `scripts/search-eval.mjs` in
//! Node), and the bytes of the index a phone downloads on its first search.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::Row;

/// Where the query list lives, relative to the repository.
pub const QUERIES: &str = "tests/search/reader-queries.yaml";

#[derive(Debug, Deserialize)]
pub struct QueryList {
    pub queries: Vec<ReaderQuery>,
}

/// One query and the answer it should find: a problem id, or a chapter path under book/.
#[derive(Debug, Deserialize)]
pub struct ReaderQuery {
    pub query: String,
    pub expect: String,
    #[allow(dead_code)]
    pub heard_at: String,
}

/// Reads the query list of the repository at `root`.
pub fn read_queries(root: &Path) -> Result<QueryList, String> {
    let text = std::fs::read_to_string(root.join(QUERIES))
        .map_err(|error| format!("cannot read {QUERIES}: {error}"))?;
    serde_yaml::from_str(&text).map_err(|error| format!("{QUERIES}: {error}"))
}

/// True when `url` (a search result, `page.html#anchor`) is the answer `expect` names.
pub fn answers(url: &str, expect: &str) -> bool {
    let (page, anchor) = url.split_once('#').unwrap_or((url, ""));
    match expect.strip_suffix(".md") {
        Some(chapter) => page == format!("{chapter}.html"),
        // An answer to a problem or a day-to-day question: their ids never collide.
        None => {
            anchor == expect
                && (page.ends_with("troubleshooting.html") || page.ends_with("day-to-day.html"))
        }
    }
}

/// The first `top` results of each query, from the site built in `html_dir`.
pub fn run_queries(
    html_dir: &Path,
    queries: &[String],
    top: usize,
) -> Result<Vec<Vec<String>>, String> {
    let script = crate::project_root().join("scripts/search-eval.mjs");
    let input = serde_json::json!({
        "html_dir": html_dir,
        "queries": queries,
        "top": top,
    });
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| {
            format!("cannot run node (scripts/install-test-browsers installs it): {error}")
        })?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(input.to_string().as_bytes())
        .map_err(|error| error.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    #[derive(Deserialize)]
    struct Answer {
        urls: Vec<String>,
    }
    let answers: Vec<Answer> =
        serde_json::from_slice(&output.stdout).map_err(|error| error.to_string())?;
    Ok(answers.into_iter().map(|a| a.urls).collect())
}

pub fn run(root: &Path, guide: &crate::model::load::LoadedGuide) -> Vec<Row> {
    let list = match read_queries(root) {
        Ok(list) => list,
        Err(why) => return vec![Row::failed("search: reader queries", why)],
    };
    let html_dir = match crate::render::build_book(root, guide) {
        Ok(dir) => dir,
        Err(problems) => {
            return vec![Row::failed(
                "search: reader queries",
                problems
                    .first()
                    .map_or("the book did not build".to_string(), |p| p.message.clone()),
            )]
        }
    };
    let texts: Vec<String> = list.queries.iter().map(|q| q.query.clone()).collect();
    let results = match run_queries(&html_dir, &texts, 3) {
        Ok(results) => results,
        Err(why) => return vec![Row::failed("search: reader queries", why)],
    };
    let mut misses = Vec::new();
    for (query, urls) in list.queries.iter().zip(&results) {
        if !urls.iter().any(|url| answers(url, &query.expect)) {
            misses.push(format!("\"{}\"", query.query));
        }
    }
    let hits = list.queries.len() - misses.len();
    let rate = hits as f64 / list.queries.len().max(1) as f64;
    let index_bytes = std::fs::read_dir(&html_dir)
        .ok()
        .and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .find(|e| e.file_name().to_string_lossy().starts_with("searchindex"))
        })
        .and_then(|entry| std::fs::read(entry.path()).ok())
        .map(|bytes| crate::serve::gzip(&bytes).len())
        .unwrap_or(0);
    vec![
        Row::new(
            "search: reader queries answered in the top 3",
            format!("{hits}/{} ({:.0}%)", list.queries.len(), rate * 100.0),
            "≥ 90%",
            if misses.is_empty() {
                "every query".to_string()
            } else {
                format!("missed: {}", misses.join(", "))
            },
            rate >= 0.9,
        ),
        Row::new(
            "search: index a phone downloads (gzip)",
            format!("{:.1} KiB", index_bytes as f64 / 1024.0),
            "≤ 60 KiB",
            "the first search loads it once",
            index_bytes <= 60 * 1024,
        ),
    ]
}

//! Reading the cited pages: each address once, through the URL checker's client, limits,
//! retries and cache rules; bodies up to 5 MiB; text only from HTML or plain text; sign-in
//! pages recognised. Documents without an address are read from their local copy.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{text, QuoteOutcome};
use crate::model::schema::{Fact, Guide};
use crate::urlcheck::client::Page;
use crate::urlcheck::Outcome;

/// The most of a page that is read: enough for any documentation page, bounded for memory.
pub const MAX_PAGE_BYTES: usize = 5 * 1024 * 1024;

/// Hosts that only ever show a sign-in form.
const SIGN_IN_HOSTS: [&str; 5] = [
    "login.microsoftonline.com",
    "login.live.com",
    "login.windows.net",
    "idmsa.apple.com",
    "appleid.apple.com",
];

/// What a page gave: its normalised text, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum PageText {
    Text(String),
    Unreadable(String),
    Failed(QuoteOutcome, String),
}

/// Turns a fetched page into normalised text, or says why it cannot be read.
pub fn page_text(page: &Page) -> PageText {
    let report = &page.report;
    let failed = |outcome| PageText::Failed(outcome, report.error.clone().unwrap_or_default());
    match report.outcome {
        Outcome::Broken => return failed(QuoteOutcome::Broken),
        Outcome::Timeout => return failed(QuoteOutcome::Timeout),
        Outcome::Unreachable => return failed(QuoteOutcome::Unreachable),
        Outcome::Excluded => return PageText::Failed(QuoteOutcome::Excluded, "excluded".into()),
        _ => {}
    }
    let ended_at = report.final_url.as_deref().unwrap_or(&report.url);
    let host = reqwest::Url::parse(ended_at)
        .ok()
        .and_then(|url| url.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    if SIGN_IN_HOSTS.contains(&host.as_str()) {
        return PageText::Unreadable(format!(
            "the page now needs a sign-in (it ends at {ended_at})"
        ));
    }
    let Some(body) = &page.body else {
        return PageText::Unreadable("the answer had no body".into());
    };
    if body.truncated {
        return PageText::Unreadable(format!(
            "the page is larger than {} MiB and was cut at that limit",
            MAX_PAGE_BYTES / (1024 * 1024)
        ));
    }
    if let Some(encoding) = body
        .content_encoding
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("identity"))
    {
        // The client asks for no compression and decodes none: compressed bytes are no text.
        return PageText::Unreadable(format!(
            "the page came compressed ({}) and is not decoded",
            crate::escape::terminal(encoding)
        ));
    }
    let content_type = body
        .content_type
        .as_deref()
        .unwrap_or("text/html")
        .to_ascii_lowercase();
    let is_html =
        content_type.starts_with("text/html") || content_type.starts_with("application/xhtml");
    if !is_html && !content_type.starts_with("text/plain") {
        return PageText::Unreadable(format!(
            "the page is not text ({})",
            crate::escape::terminal(&content_type)
        ));
    }
    let raw = decode(&body.bytes, &content_type, is_html);
    if !is_html {
        return PageText::Text(text::normalise(&raw));
    }
    let attributes = crate::html::most_attributes(&raw);
    if attributes > crate::html::MAX_ATTRIBUTES {
        return PageText::Unreadable(format!(
            "a tag of the page has {attributes} attributes (more than {}): not read, as no real page has that many",
            crate::html::MAX_ATTRIBUTES
        ));
    }
    let (tags, visible) = crate::html::read_page(&raw);
    let asks_for_password = tags.iter().any(|tag| {
        tag.name == "input"
            && tag
                .attributes
                .iter()
                .any(|(name, value)| name == "type" && value.eq_ignore_ascii_case("password"))
    });
    if asks_for_password {
        return PageText::Unreadable("the page now asks for a password (a sign-in form)".into());
    }
    PageText::Text(text::normalise(&visible))
}

/// The page's bytes as text, in its own character encoding: the `charset` of its content type,
/// else a byte order mark, else (HTML) a `<meta charset>` in its first 1024 bytes, else UTF-8.
/// A windows-1252 page read as UTF-8 would lose every curly quote, and its quotes read missing.
pub fn decode(bytes: &[u8], content_type: &str, is_html: bool) -> String {
    let declared = charset_parameter(content_type)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    let encoding = declared
        .or_else(|| encoding_rs::Encoding::for_bom(bytes).map(|(encoding, _)| encoding))
        .or_else(|| {
            is_html
                .then(|| meta_charset(&bytes[..bytes.len().min(1024)]))
                .flatten()
                .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        })
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// `charset=…` of a content type, without quotes.
fn charset_parameter(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("charset"))
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// The label of `<meta charset=…>` or `<meta http-equiv … content="…; charset=…">` in a prefix.
fn meta_charset(prefix: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(prefix).to_ascii_lowercase();
    let at = text.find("charset=")? + "charset=".len();
    let label: String = text[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!label.is_empty()).then_some(label)
}

/// Pages read before, younger than the maximum age: only readable ones are kept.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    pages: BTreeMap<String, CachedPage>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedPage {
    read_at: u64,
    text: String,
}

fn cache_path(root: &Path) -> PathBuf {
    root.join("target").join("sources-cache.json")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Reads every page and document the `facts` cite; keys are addresses or `document:<id>`.
pub fn read_all(
    root: &Path,
    guide: &Guide,
    facts: &[&Fact],
    options: &crate::urls::UrlsOptions,
    colour: bool,
) -> Result<BTreeMap<String, PageText>, String> {
    let mut read = read_documents(root, guide, facts);
    let mut addresses = BTreeSet::new();
    for source in facts.iter().flat_map(|fact| &fact.sources) {
        if let Some(id) = &source.url {
            if let Some(entry) = guide.urls.iter().find(|u| &u.id == id) {
                addresses.insert(entry.url.clone());
            }
        }
    }
    let mut cache: Cache = if options.use_cache {
        std::fs::read(cache_path(root))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    } else {
        Cache::default()
    };
    let max_age = options.max_cache_age.as_secs();
    let mut to_fetch = Vec::new();
    for address in addresses {
        if options
            .config
            .excludes
            .iter()
            .any(|prefix| address.starts_with(prefix.as_str()))
        {
            read.insert(
                address,
                PageText::Failed(QuoteOutcome::Excluded, "excluded".into()),
            );
            continue;
        }
        match cache.pages.get(&address) {
            Some(cached)
                if options.use_cache && now().saturating_sub(cached.read_at) <= max_age =>
            {
                read.insert(address, PageText::Text(cached.text.clone()));
            }
            _ => to_fetch.push(address),
        }
    }
    if !to_fetch.is_empty() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|error| format!("cannot start the async runtime: {error}"))?;
        let bar = crate::urls::progress_bar(to_fetch.len() as u64, colour);
        let fetched = runtime.block_on(crate::urlcheck::run::fetch_pages_async(
            &to_fetch,
            &options.config,
            MAX_PAGE_BYTES,
            |page| page_text(&page),
            &|url| {
                bar.set_message(url.to_string());
                bar.inc(1);
            },
        ))?;
        bar.finish_and_clear();
        for (address, text) in to_fetch.into_iter().zip(fetched) {
            match &text {
                PageText::Text(body) => {
                    cache.pages.insert(
                        address.clone(),
                        CachedPage {
                            read_at: now(),
                            text: body.clone(),
                        },
                    );
                }
                _ => {
                    // Failures are never cached.
                    cache.pages.remove(&address);
                }
            }
            read.insert(address, text);
        }
        if options.use_cache {
            if let Ok(json) = serde_json::to_vec(&cache) {
                // A cache that cannot be written only costs time on the next run.
                let _ = crate::fsutil::write_atomically(&cache_path(root), &json);
            }
        }
    }
    Ok(read)
}

/// The local copies of the documents `facts` cite, keyed `document:<id>`; no network needed.
/// A document whose copy is absent is left out (its quotes stay unchecked).
pub fn read_documents(root: &Path, guide: &Guide, facts: &[&Fact]) -> BTreeMap<String, PageText> {
    let mut read = BTreeMap::new();
    for id in facts
        .iter()
        .flat_map(|fact| &fact.sources)
        .filter_map(|source| source.document.as_ref())
    {
        let copy = guide
            .documents
            .iter()
            .find(|d| &d.id == id)
            .and_then(|d| d.local_copy.as_ref())
            .and_then(|path| allowed_copy(root, path))
            .and_then(|path| std::fs::read_to_string(path).ok());
        if let Some(copy) = copy {
            read.insert(
                format!("document:{id}"),
                PageText::Text(text::normalise(&copy)),
            );
        }
    }
    read
}

/// The real path of a document's local copy, when it lies inside the repository or its
/// `../shared/` folder once every symbolic link is followed.
fn allowed_copy(root: &Path, copy: &str) -> Option<PathBuf> {
    let real = root.join(copy).canonicalize().ok()?;
    let root = root.canonicalize().ok()?;
    let shared = root.parent().map(|parent| parent.join("shared"));
    let inside = real.starts_with(&root)
        || shared
            .and_then(|shared| shared.canonicalize().ok())
            .is_some_and(|shared| real.starts_with(shared));
    (inside && !real.starts_with(root.join(".git"))).then_some(real)
}

/// True when every page that was requested could not be reached: the network is down.
pub fn network_is_down(pages: &BTreeMap<String, PageText>) -> bool {
    let requested: Vec<&PageText> = pages
        .iter()
        .filter(|(address, _)| !address.starts_with("document:"))
        .map(|(_, text)| text)
        .filter(|text| !matches!(text, PageText::Failed(QuoteOutcome::Excluded, _)))
        .collect();
    requested.len() >= 2
        && requested
            .iter()
            .all(|text| matches!(text, PageText::Failed(QuoteOutcome::Unreachable, _)))
}

//! `cargo xtask serve`: the preview contributors know from `mdbook serve`. It renders the guide,
//! serves the HTML on 127.0.0.1 with hyper, watches the sources with notify, rebuilds on every
//! change and reloads open pages by itself.
//!
//! The page learns of a rebuild by long polling: a small script in every served HTML page asks
//! `/__livereload?since=N` and the answer comes when the build number passes N (or after 25 s,
//! to start again). It needs nothing but `fetch`, survives proxies, and costs nothing when idle.
//!
//! The server answers GET and HEAD only (others get 405), serves only files inside the build
//! folder, closes connections whose request head does not arrive in time, and keeps at most a
//! fixed number of connections open at once.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{watch, Semaphore};

use crate::console::Console;
use crate::exit;
use crate::report;

/// The path the reload script polls.
pub const LIVE_RELOAD_PATH: &str = "/__livereload";

/// How the server treats its clients.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// A connection whose request head has not arrived by then is closed.
    pub header_timeout: Duration,
    /// Connections open at once; more wait until one closes.
    pub max_connections: usize,
    /// How long one long poll waits for a rebuild before answering anyway.
    pub poll_wait: Duration,
    /// Long polls waiting at once. They hold their connection while they wait, so they get a
    /// budget of their own, below `max_connections`: past it a poll is answered at once (503),
    /// and page requests always find a free connection.
    pub max_polls: usize,
    /// Add the reload script to HTML pages and forbid caching (the preview); off to serve the
    /// site as published, cached for ten minutes.
    pub live_reload: bool,
    /// Compress text answers with gzip when the client accepts it, as GitHub Pages does.
    pub gzip: bool,
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            header_timeout: Duration::from_secs(10),
            max_connections: 64,
            poll_wait: Duration::from_secs(25),
            max_polls: 16,
            live_reload: true,
            gzip: false,
        }
    }
}

/// What one rebuild of the preview did, for the terminal: the rebuild thread never prints
/// itself (standard output belongs to the command's thread, which holds its lock for the whole
/// run; a second writer would wait on it forever, and the preview would stop after one change).
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// 1 for the first rebuild after the start, then 2, 3…: the number open pages wait for.
    pub number: u64,
    /// The build's exit code (0 clean, 1 findings, 2 could not run).
    pub code: u8,
    /// What the build and, after a `guide.yaml` change, the snippets printed.
    pub output: String,
}

/// A running server; it stops when this is dropped.
pub struct Server {
    pub address: SocketAddr,
    /// Each rebuild's report, in order (a preview only).
    rebuilds: Option<std::sync::mpsc::Receiver<Rebuild>>,
    /// Bumped after every rebuild; open pages reload when it changes.
    build_number: watch::Sender<u64>,
    _stop: tokio::sync::oneshot::Sender<()>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Server {
    /// Waits up to `limit` for the next rebuild's report; `None` when none came (or this server
    /// does not watch).
    pub fn next_rebuild(&self, limit: Duration) -> Option<Rebuild> {
        self.rebuilds.as_ref()?.recv_timeout(limit).ok()
    }

    /// Tells open pages that the site changed.
    pub fn reload(&self) {
        self.build_number.send_modify(|number| *number += 1);
    }
}

pub fn serve(root: &Path, port: u16, console: &mut Console<'_>) -> u8 {
    let html_dir = match crate::model::book::load_config(root) {
        Ok(config) => root.join(config.build.build_dir),
        Err(problems) => {
            report::human::print_all(console.out, &problems, console.colour);
            return exit::CANNOT_RUN;
        }
    };
    crate::build::build(root, console);
    let server = match start_preview(root, &html_dir, port, ServeConfig::default()) {
        Ok(server) => server,
        Err(error) => {
            let _ = writeln!(
                console.err,
                "serve: cannot listen on 127.0.0.1:{port}: {error}"
            );
            return exit::CANNOT_RUN;
        }
    };
    let _ = writeln!(
        console.out,
        "serve: http://{}/ (Ctrl-C to stop; pages reload by themselves after each rebuild)",
        server.address
    );
    let _ = console.out.flush();
    // Serving and watching run on their own threads until the process is stopped; this thread
    // prints what each rebuild reports, through the command's own console.
    loop {
        match server.next_rebuild(Duration::from_secs(3600)) {
            Some(rebuild) => {
                let _ = write!(console.out, "{}", rebuild.output);
                let _ = writeln!(
                    console.out,
                    "serve: rebuild {} {}; open pages reload",
                    rebuild.number,
                    if rebuild.code == exit::CLEAN {
                        "done"
                    } else {
                        "found problems (above)"
                    }
                );
                let _ = console.out.flush();
            }
            None if server.rebuilds.is_none() => std::thread::park(),
            None => {}
        }
    }
}

/// Serves `html_dir` without watching anything (tests, and the browser test's site).
pub fn start(html_dir: &Path, port: u16) -> std::io::Result<Server> {
    start_with(html_dir, port, ServeConfig::default())
}

pub fn start_with(html_dir: &Path, port: u16, config: ServeConfig) -> std::io::Result<Server> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let (build_number, numbers) = watch::channel(0u64);
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let site = Arc::new(Site {
        html_dir: html_dir.to_path_buf(),
        port: address.port(),
        polls: Arc::new(Semaphore::new(
            config.max_polls.clamp(1, config.max_connections.max(2) - 1),
        )),
        numbers,
        poll_wait: config.poll_wait,
        live_reload: config.live_reload,
        gzip: config.gzip,
    });
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the preview server");
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            let serving = tokio::spawn(accept_loop(listener, site, config));
            // The server stops when its handle is dropped (the sender goes with it).
            let _ = stopped.await;
            serving.abort();
        });
    });
    Ok(Server {
        address,
        rebuilds: None,
        build_number,
        _stop: stop,
        _watcher: None,
    })
}

/// Serves the built guide and rebuilds it (then reloads open pages) when a source changes.
pub fn start_preview(
    root: &Path,
    html_dir: &Path,
    port: u16,
    config: ServeConfig,
) -> Result<Server, String> {
    let mut server = start_with(html_dir, port, config).map_err(|e| e.to_string())?;
    let (changed_tx, changed_rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let watched_root = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            // Reading a file is an event too (the build reads them all): only writes count.
            let writes = matches!(
                event.kind,
                notify::EventKind::Create(_)
                    | notify::EventKind::Remove(_)
                    | notify::EventKind::Modify(
                        notify::event::ModifyKind::Data(_)
                            | notify::event::ModifyKind::Name(_)
                            | notify::event::ModifyKind::Any
                    )
            );
            let sources: Vec<PathBuf> = event
                .paths
                .into_iter()
                .filter(|path| is_source(&watched_root, path))
                .collect();
            if writes && !sources.is_empty() {
                let _ = changed_tx.send(sources);
            }
        }
    })
    .map_err(|e| format!("cannot watch the sources: {e}"))?;
    notify::Watcher::watch(&mut watcher, root, notify::RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    server._watcher = Some(watcher);
    let (rebuilt_tx, rebuilt_rx) = std::sync::mpsc::channel();
    server.rebuilds = Some(rebuilt_rx);
    let build_number = server.build_number.clone();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(mut changed) = changed_rx.recv() {
            // An editor's save is several events: wait for them to settle, then build once.
            while let Ok(more) = changed_rx.recv_timeout(Duration::from_millis(150)) {
                changed.extend(more);
            }
            let rebuild = rebuild(&root, &changed);
            let mut number = 0;
            build_number.send_modify(|n| {
                *n += 1;
                number = *n;
            });
            let _ = rebuilt_tx.send(Rebuild { number, ..rebuild });
        }
    });
    Ok(server)
}

/// One rebuild after `changed`: a `guide.yaml` change regenerates the snippets first (the
/// pages include them), then the book is built, printing into a buffer.
fn rebuild(root: &Path, changed: &[PathBuf]) -> Rebuild {
    use std::io::Write;
    let mut output = Vec::new();
    let guide = root.join(crate::model::load::GUIDE_FILE);
    if changed
        .iter()
        .any(|path| path == &guide || path.ends_with(crate::model::load::GUIDE_FILE))
    {
        let mut notes = Vec::new();
        if let Err(problem) = crate::snippets::command::refresh(root, &mut |line| notes.push(line))
        {
            notes.push(format!("cannot regenerate the snippets: {problem}"));
        }
        for note in notes {
            let _ = writeln!(output, "serve: snippets: {note}");
        }
    }
    let mut err = Vec::new();
    let code = crate::build::build(root, &mut Console::new(&mut output, &mut err));
    output.extend(err);
    Rebuild {
        number: 0,
        code,
        output: String::from_utf8_lossy(&output).into_owned(),
    }
}

/// A change under `root` that a build reads: anything but build output and version control.
fn is_source(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    !matches!(
        relative.components().next(),
        Some(Component::Normal(first)) if first == "target" || first == ".git"
    )
}

struct Site {
    html_dir: PathBuf,
    /// The port the server listens on: the only one a `Host` header may name.
    port: u16,
    polls: Arc<Semaphore>,
    numbers: watch::Receiver<u64>,
    poll_wait: Duration,
    live_reload: bool,
    gzip: bool,
}

async fn accept_loop(listener: tokio::net::TcpListener, site: Arc<Site>, config: ServeConfig) {
    let slots = Arc::new(Semaphore::new(config.max_connections.max(1)));
    loop {
        // Wait for a free slot before accepting: past the limit, new clients wait in the backlog.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let site = site.clone();
        let header_timeout = config.header_timeout;
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let site = site.clone();
                async move { Ok::<_, Infallible>(answer(&site, request).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

async fn answer(site: &Site, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let head = request.method() == Method::HEAD;
    if request.method() != Method::GET && !head {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "GET and HEAD only\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if !is_own_host(request.headers().get(hyper::header::HOST), site.port) {
        // A page on another site can make a browser send requests here under a name of its
        // own (DNS rebinding); only the loopback names of this server are answered.
        return plain(
            StatusCode::MISDIRECTED_REQUEST,
            "this preview answers only 127.0.0.1, localhost or [::1] with its own port\n",
        );
    }
    let path = request.uri().path();
    let accepts_gzip = request
        .headers()
        .get(hyper::header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("gzip"));
    let mut response = if path == LIVE_RELOAD_PATH {
        long_poll(site, request.uri().query().unwrap_or("")).await
    } else {
        let (status, content_type, body) = respond(&site.html_dir, path);
        let body = if site.live_reload && content_type.starts_with("text/html") {
            with_reload_script(body, *site.numbers.borrow())
        } else {
            body
        };
        let compress = site.gzip && accepts_gzip && is_text(content_type);
        let body = if compress { gzip(&body) } else { body };
        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        if compress {
            headers.insert(
                hyper::header::CONTENT_ENCODING,
                HeaderValue::from_static("gzip"),
            );
            headers.insert(
                hyper::header::VARY,
                HeaderValue::from_static("Accept-Encoding"),
            );
        }
        response
    };
    // The preview must never show a stale page; the site as published is cached for ten
    // minutes, as GitHub Pages does (which also lets the back button use the browser's cache).
    let cache = if site.live_reload {
        "no-store"
    } else {
        "max-age=600"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if head {
        *response.body_mut() = Full::new(Bytes::new());
    }
    response
}

/// True when `host` is `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT` for this server's port.
pub fn is_own_host(host: Option<&HeaderValue>, port: u16) -> bool {
    let Some(host) = host.and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}"))
}

/// Text is worth compressing; images and fonts are compressed already.
fn is_text(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("image/svg")
}

/// The body as GitHub Pages would send it to a browser that accepts gzip.
pub fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to memory cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default()
}

/// Answers with the build number once it passes `since=N`, or after `poll_wait`.
async fn long_poll(site: &Site, query: &str) -> Response<Full<Bytes>> {
    let since: u64 = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut numbers = site.numbers.clone();
    let Ok(_waiting) = site.polls.clone().try_acquire_owned() else {
        let mut busy = plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many pages are waiting\n",
        );
        busy.headers_mut()
            .insert(hyper::header::RETRY_AFTER, HeaderValue::from_static("1"));
        return busy;
    };
    let _ = tokio::time::timeout(site.poll_wait, numbers.wait_for(|n| *n > since)).await;
    let current = *numbers.borrow();
    plain(StatusCode::OK, &current.to_string())
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Adds the reload script before `</body>` (only in the preview; the published site has none).
fn with_reload_script(body: Vec<u8>, build_number: u64) -> Vec<u8> {
    let script = format!(
        "<script>(async () => {{\n  let seen = {build_number};\n  for (;;) {{\n    try {{\n      const answer = await fetch('{LIVE_RELOAD_PATH}?since=' + seen, {{cache: 'no-store'}});\n      if (!answer.ok) {{ throw new Error('busy'); }}\n      const now = Number(await answer.text());\n      if (now > seen) {{ location.reload(); return; }}\n    }} catch (error) {{\n      await new Promise(resume => setTimeout(resume, 1000));\n    }}\n  }}\n}})();</script>\n"
    );
    let text = String::from_utf8_lossy(&body);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => body,
    }
}

/// The status, content type and body for a request path.
pub fn respond(html_dir: &Path, path: &str) -> (StatusCode, &'static str, Vec<u8>) {
    let Some(relative) = safe_relative(path) else {
        return (
            StatusCode::BAD_REQUEST,
            "text/plain",
            b"bad path\n".to_vec(),
        );
    };
    let mut file = html_dir.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    // Serve only what really lies in the site: a symbolic link in the build folder to a file
    // elsewhere is answered like a missing file.
    let inside_site = match (file.canonicalize(), html_dir.canonicalize()) {
        (Ok(real), Ok(site)) => real.starts_with(site),
        _ => false,
    };
    let read = if inside_site {
        std::fs::read(&file)
    } else {
        Err(std::io::Error::from(std::io::ErrorKind::NotFound))
    };
    match read {
        Ok(body) => (StatusCode::OK, content_type(&file), body),
        Err(_) => (
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            std::fs::read(html_dir.join("404.html")).unwrap_or_else(|_| b"not found\n".to_vec()),
        ),
    }
}

/// The request path as a relative path that cannot leave the served folder.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut out = PathBuf::new();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/%2e%2e/etc/passwd"), None);
        assert_eq!(
            safe_relative("/current/add-account.html"),
            Some(PathBuf::from("current/add-account.html"))
        );
    }

    #[test]
    fn build_output_and_git_are_not_sources() {
        let root = Path::new("/r");
        assert!(is_source(root, Path::new("/r/book/current/index.md")));
        assert!(is_source(root, Path::new("/r/guide.yaml")));
        assert!(!is_source(root, Path::new("/r/target/book/index.html")));
        assert!(!is_source(root, Path::new("/r/.git/index")));
    }
}

//! `cargo xtask serve`: a preview for contributors. Renders the guide, serves the HTML on
//! 127.0.0.1, and rebuilds when a source file changes (polling, so it needs no watcher crate).
//! Reload the page in the browser to see a rebuild.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

use crate::exit;
use crate::report;

/// How often the sources are looked at for changes.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

pub fn serve(root: &Path, port: u16, console: &mut crate::console::Console<'_>) -> u8 {
    let colour = console.colour;
    let out: &mut dyn Write = &mut *console.out;
    let html_dir = match crate::model::book::load_config(root) {
        Ok(config) => root.join(config.build.build_dir),
        Err(problems) => {
            report::human::print_all(out, &problems, colour);
            return exit::CANNOT_RUN;
        }
    };
    rebuild(root, out, colour);
    let (address, server) = match start(&html_dir, port) {
        Ok(started) => started,
        Err(error) => {
            let _ = writeln!(out, "serve: cannot listen on 127.0.0.1:{port}: {error}");
            return exit::CANNOT_RUN;
        }
    };
    let _ = writeln!(
        out,
        "serve: http://{address}/ (Ctrl-C to stop; edits rebuild, then reload the page)"
    );
    let _ = out.flush();
    let watched_root = root.to_path_buf();
    std::thread::spawn(move || watch_and_rebuild(&watched_root, colour));
    let _ = server.join();
    0
}

/// Serves `html_dir` on 127.0.0.1:`port` (0 picks a free port) from a background thread.
pub fn start(html_dir: &Path, port: u16) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let address = listener.local_addr()?;
    let html_dir = html_dir.to_path_buf();
    let server = std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let html_dir = html_dir.clone();
            std::thread::spawn(move || {
                let _ = serve_connection(stream, &html_dir);
            });
        }
    });
    Ok((address, server))
}

/// Renders again, printing what `cargo xtask build` prints; serving goes on whatever it finds.
fn rebuild(root: &Path, out: &mut dyn Write, colour: bool) {
    let mut err = std::io::stderr();
    let mut console = crate::console::Console {
        out: &mut *out,
        err: &mut err,
        colour,
        github: false,
    };
    crate::build::build(root, &mut console);
    let _ = out.flush();
}

fn watch_and_rebuild(root: &Path, colour: bool) {
    let mut last = newest_source_change(root);
    loop {
        std::thread::sleep(POLL_INTERVAL);
        let now = newest_source_change(root);
        if now != last {
            last = now;
            rebuild(root, &mut std::io::stdout(), colour);
        }
    }
}

/// The latest modification time among the files a build reads.
fn newest_source_change(root: &Path) -> Option<SystemTime> {
    fn walk(path: &Path, newest: &mut Option<SystemTime>) {
        let Ok(metadata) = std::fs::metadata(path) else {
            return;
        };
        if let Ok(modified) = metadata.modified() {
            *newest = (*newest).max(Some(modified));
        }
        if metadata.is_dir() {
            for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
                walk(&entry.path(), newest);
            }
        }
    }
    let mut newest = None;
    for source in [
        "book",
        "snippets",
        "theme",
        "guide.yaml",
        "book.toml",
        "CHANGELOG.md",
    ] {
        walk(&root.join(source), &mut newest);
    }
    newest
}

/// Answers one HTTP/1.1 GET with a file of `html_dir`.
pub fn serve_connection(stream: TcpStream, html_dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, content_type, body) = respond(html_dir, target);
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// The status line, content type and body for a request target.
pub fn respond(html_dir: &Path, target: &str) -> (&'static str, &'static str, Vec<u8>) {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(relative) = safe_relative(path) else {
        return ("400 Bad Request", "text/plain", b"bad path\n".to_vec());
    };
    let mut file = html_dir.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => ("200 OK", content_type(&file), body),
        Err(_) => (
            "404 Not Found",
            "text/html; charset=utf-8",
            std::fs::read(html_dir.join("404.html")).unwrap_or_else(|_| b"not found\n".to_vec()),
        ),
    }
}

/// The request path as a relative path that cannot leave the served folder.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
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

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
}

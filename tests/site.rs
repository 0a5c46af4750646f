//! The published site as files: editions under stable paths, the switcher, the legacy banner,
//! release and "last verified" on every page, internal links and anchors, nothing from the network.

mod common;

use std::path::{Path, PathBuf};

use common::{built_repository_guide, diagnostic_lines, fixture, verify};

fn read(html_dir: &Path, page: &str) -> String {
    std::fs::read_to_string(html_dir.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Every chapter page of the built site, relative to the HTML folder.
fn chapter_pages(html_dir: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    let mut folders = vec![html_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let relative = path.strip_prefix(html_dir).unwrap().to_path_buf();
                let name = relative.to_string_lossy();
                if !["index.html", "print.html", "toc.html", "404.html"].contains(&name.as_ref()) {
                    pages.push(relative);
                }
            }
        }
    }
    pages.sort();
    pages
}

#[test]
fn each_edition_has_its_own_stable_path() {
    let (_tree, html) = built_repository_guide();
    for page in [
        "current/index.html",
        "ios-14-17/index.html",
        "legacy-2018/index.html",
        "current/add-account.html",
        "legacy-2018/app-password.html",
    ] {
        assert!(html.join(page).is_file(), "{page} is missing");
    }
}

#[test]
fn the_site_root_opens_the_current_edition() {
    let (_tree, html) = built_repository_guide();
    let root = read(&html, "index.html");
    assert!(
        root.contains(r#"<meta http-equiv="refresh" content="0; url=current/index.html">"#),
        "{root}"
    );
    assert!(
        root.contains(r#"<a href="current/index.html">"#),
        "works without the refresh too: {root}"
    );
}

#[test]
fn every_page_has_the_switcher_and_the_release() {
    let (_tree, html) = built_repository_guide();
    let pages = chapter_pages(&html);
    assert!(pages.len() >= 16, "{pages:?}");
    for page in &pages {
        let text = read(&html, &page.to_string_lossy());
        assert!(
            text.contains(r#"<nav class="edition-switcher" aria-label="Guide edition">"#),
            "{}",
            page.display()
        );
        assert!(text.contains("Guide release 1.0.0"), "{}", page.display());
    }
}

#[test]
fn edition_pages_say_when_their_sources_were_last_checked() {
    let (_tree, html) = built_repository_guide();
    for page in [
        "current/test-sync.html",
        "ios-14-17/index.html",
        "legacy-2018/add-account.html",
    ] {
        assert!(
            read(&html, page).contains(&format!(
                "Sources of this edition last checked on {}",
                xtask::model::load::load_guide(&xtask::project_root())
                    .unwrap()
                    .guide
                    .editions
                    .iter()
                    .find(|e| page.starts_with(&e.dir))
                    .unwrap()
                    .sources_checked
            )),
            "{page}"
        );
    }
}

#[test]
fn the_switcher_links_to_the_same_page_or_the_edition_start() {
    let (_tree, html) = built_repository_guide();
    // A page every edition has: the same page, marked so that the switcher keeps the anchor.
    let page = read(&html, "current/troubleshooting.html");
    assert!(page.contains(r#"<a href="../current/troubleshooting.html" aria-current="page" data-same-page="" data-edition="current" data-edition-dir="current">"#), "{page}");
    assert!(page.contains(
        r#"<a href="../ios-14-17/troubleshooting.html" data-same-page="" data-edition="ios-14-17" data-edition-dir="ios-14-17">"#
    ));
    assert!(page.contains(
        r#"<a href="../legacy-2018/troubleshooting.html" class="legacy" data-same-page="" data-edition="legacy-2018" data-edition-dir="legacy-2018">"#
    ));
    // A page only the current edition has: the other editions' start pages, not marked.
    let page = read(&html, "current/administrators.html");
    assert!(page.contains(r#"<a href="../ios-14-17/index.html" data-edition="ios-14-17" data-edition-dir="ios-14-17">"#));
    assert!(page.contains(
        r#"<a href="../legacy-2018/index.html" class="legacy" data-edition="legacy-2018" data-edition-dir="legacy-2018">"#
    ));
}

#[test]
fn legacy_pages_and_only_legacy_pages_carry_the_banner() {
    let (_tree, html) = built_repository_guide();
    for page in chapter_pages(&html) {
        let name = page.to_string_lossy().to_string();
        let has_banner = read(&html, &name).contains(r#"<div class="legacy-banner" role="note">"#);
        assert_eq!(has_banner, name.starts_with("legacy-2018/"), "{name}");
    }
    let banner = read(&html, "legacy-2018/index.html");
    assert!(banner.contains("this no longer works with Exchange Online"));
    assert!(banner.contains(r#"<a href="../current/index.html">Use the current edition"#));
}

#[test]
fn the_changelog_is_a_page() {
    let (_tree, html) = built_repository_guide();
    assert!(read(&html, "changelog.html").contains("Keep a Changelog"));
}

#[test]
fn search_is_built_and_knows_the_server_name() {
    let (_tree, html) = built_repository_guide();
    let index = std::fs::read_dir(&html)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("searchindex")
                && p.extension().is_some_and(|e| e == "js")
        })
        .expect("a search index");
    assert!(std::fs::read_to_string(index)
        .unwrap()
        .contains("outlook.office365.com"));
}

#[test]
fn nothing_is_loaded_from_the_network() {
    let (_tree, html) = built_repository_guide();
    // Plain links to other sites are fine: nothing is fetched when a page is read.
    let stylesheet_or_script =
        regex::Regex::new(r#"<(?:script|link|img|iframe)\b[^>]*(?:src|href)="(?:https?:)?//"#)
            .unwrap();
    for page in chapter_pages(&html) {
        let text = read(&html, &page.to_string_lossy());
        assert!(
            !stylesheet_or_script.is_match(&text),
            "{} loads something from the network",
            page.display()
        );
    }
    // The theme's own files (the inlined style sheet, the scripts) fetch nothing either.
    for entry in std::fs::read_dir(xtask::project_root().join("theme")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("url(http") && !text.contains("@import") && !text.contains("//cdn"),
                "{} fetches from the network",
                path.display()
            );
        }
    }
}

/// The names of the files a page loads by itself: scripts, style sheets, fonts, images.
fn loaded_files(page: &str) -> Vec<String> {
    let tags = regex::Regex::new(r#"<(?:script|link|img)\b[^>]*>"#).unwrap();
    let address = regex::Regex::new(r#"(?:src|href)="([^"]+)""#).unwrap();
    tags.find_iter(page)
        .filter(|tag| !tag.as_str().contains("rel=\"canonical\""))
        .filter_map(|tag| address.captures(tag.as_str()).map(|c| c[1].to_string()))
        .collect()
}

#[test]
fn a_chapter_loads_only_what_a_phone_needs() {
    let (_tree, html) = built_repository_guide();
    for page in chapter_pages(&html) {
        let text = read(&html, &page.to_string_lossy());
        let files = loaded_files(&text);
        let shown = page.display();
        // Two small deferred scripts and the icons; the style sheet is inline, search loads
        // on first use, and there are no web fonts, highlighting or clipboard scripts.
        let mut kinds: Vec<&str> = files
            .iter()
            .map(|file| {
                let name = file.rsplit('/').next().unwrap();
                name.split(['-', '.']).next().unwrap()
            })
            .collect();
        kinds.sort();
        assert_eq!(
            kinds,
            ["book", "favicon", "favicon", "toc"],
            "{shown}: {files:?}"
        );
        assert!(
            text.contains("<style>"),
            "{shown}: the style sheet is inline"
        );
        for script in ["toc", "book"] {
            assert!(
                regex::Regex::new(&format!(
                    r#"<script src="[^"]*{script}-[0-9a-f]+\.js" defer>"#
                ))
                .unwrap()
                .is_match(&text),
                "{shown}: {script}.js is not deferred"
            );
        }
        assert!(text.contains("<html lang=\"en\""), "{shown}");
        let first_link = &text[text.find("<a ").unwrap()..];
        assert!(
            first_link.starts_with("<a class=\"skip-link\" href=\"#content\">"),
            "{shown}: the first link is not the skip link"
        );
        assert!(text.contains("<main id=\"content\""), "{shown}");
    }
}

#[test]
fn no_page_script_keeps_the_back_button_from_its_cache() {
    // An `unload` handler stops browsers from keeping the page for the back button.
    let (_tree, html) = built_repository_guide();
    let mut scripts = 0;
    for entry in std::fs::read_dir(&html).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if (name.starts_with("book-") || name.starts_with("toc-") || name.starts_with("searcher-"))
            && name.ends_with(".js")
        {
            scripts += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("unload"), "{name} has an unload handler");
        }
    }
    assert_eq!(scripts, 3);
    for page in chapter_pages(&html) {
        assert!(!read(&html, &page.to_string_lossy()).contains("unload"));
    }
}

#[test]
fn a_link_to_a_missing_chapter_fails_verify() {
    let tree = fixture(&["broken-link"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostic_lines(&output),
        ["book/current/index.md:5:7: error[links]: File not found: add-acount.md"]
    );
}

#[test]
fn a_link_to_a_missing_anchor_fails_verify() {
    let tree = fixture(&["missing-anchor"]);
    let (code, output) = verify(tree.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        diagnostic_lines(&output),
        ["book/current/index.md:5:6: error[links]: `legacy-2018/index.html` has no anchor `#legasy`"]
    );
    assert!(output.contains("did you mean #legacy?"), "{output}");
}

/// A raw HTTP/1.1 GET against the preview server; returns the status line and the body.
fn http_get(address: std::net::SocketAddr, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

#[test]
fn the_preview_server_serves_pages_folders_and_a_404() {
    let (_tree, html) = built_repository_guide();
    let server = xtask::serve::start(&html, 0).unwrap();
    let address = server.address;
    let (status, body) = http_get(address, "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("current/index.html"));
    let (status, body) = http_get(address, "/current/add-account.html?x=1");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Add your work account"));
    let (status, _) = http_get(address, "/no/such/page.html");
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    let (status, _) = http_get(address, "/../Cargo.toml");
    assert_eq!(status, "HTTP/1.1 400 Bad Request");
}

/// Sends `request` raw and returns the whole response as text.
fn raw_request(address: std::net::SocketAddr, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
}

#[test]
fn the_preview_server_answers_get_and_head_only() {
    let (_tree, html) = built_repository_guide();
    let server = xtask::serve::start(&html, 0).unwrap();
    let response = raw_request(
        server.address,
        &format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.address
        ),
    );
    assert!(response.starts_with("HTTP/1.1 405"), "{response}");
    assert!(
        response.to_ascii_lowercase().contains("allow: get, head"),
        "{response}"
    );
    let response = raw_request(
        server.address,
        &format!(
            "HEAD /current/index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.address
        ),
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.ends_with("\r\n\r\n"),
        "a HEAD answer has no body: {response}"
    );
}

#[test]
fn the_preview_server_closes_a_connection_that_sends_no_request() {
    use std::io::Read;
    let (_tree, html) = built_repository_guide();
    let config = xtask::serve::ServeConfig {
        header_timeout: std::time::Duration::from_millis(200),
        ..xtask::serve::ServeConfig::default()
    };
    let server = xtask::serve::start_with(&html, 0, config).unwrap();
    let mut idle = std::net::TcpStream::connect(server.address).unwrap();
    idle.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut buffer = [0u8; 512];
    // The server gives up on the silent client and closes (an error answer, then end of stream).
    let mut received = Vec::new();
    loop {
        match idle.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(error) => panic!("the server kept a silent connection open: {error}"),
        }
    }
    let text = String::from_utf8_lossy(&received);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
}

#[test]
fn the_preview_server_keeps_at_most_its_connection_limit_open() {
    use std::io::{Read, Write};
    let (_tree, html) = built_repository_guide();
    let config = xtask::serve::ServeConfig {
        max_connections: 1,
        ..xtask::serve::ServeConfig::default()
    };
    let server = xtask::serve::start_with(&html, 0, config).unwrap();
    let holder = std::net::TcpStream::connect(server.address).unwrap();
    let mut waiting = std::net::TcpStream::connect(server.address).unwrap();
    waiting
        .write_all(
            format!(
                "GET /current/index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                server.address
            )
            .as_bytes(),
        )
        .unwrap();
    waiting
        .set_read_timeout(Some(std::time::Duration::from_millis(300)))
        .unwrap();
    let mut buffer = [0u8; 64];
    assert!(
        waiting.read(&mut buffer).is_err(),
        "a second connection was served while the only slot was taken"
    );
    drop(holder);
    waiting
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let mut response = String::new();
    waiting.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

#[test]
fn the_server_can_serve_the_site_as_published_with_gzip_and_no_reload_script() {
    use std::io::{Read, Write};
    let (_tree, html) = built_repository_guide();
    let config = xtask::serve::ServeConfig {
        live_reload: false,
        gzip: true,
        ..xtask::serve::ServeConfig::default()
    };
    let server = xtask::serve::start_with(&html, 0, config).unwrap();
    let mut stream = std::net::TcpStream::connect(server.address).unwrap();
    stream
        .write_all(format!("GET /current/index.html HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n", server.address).as_bytes())
        .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let mut page = String::new();
    flate2::read::GzDecoder::new(&response[split + 4..])
        .read_to_string(&mut page)
        .unwrap();
    assert!(page.contains("Before you start"));
    assert!(
        !page.contains(xtask::serve::LIVE_RELOAD_PATH),
        "the published site has no reload script"
    );
}

#[test]
fn the_preview_is_never_cached_and_the_published_site_is_cached_as_github_pages_does() {
    let (_tree, html) = built_repository_guide();
    let preview = xtask::serve::start(&html, 0).unwrap();
    let head = raw_request(
        preview.address,
        &format!(
            "GET /current/index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            preview.address
        ),
    )
    .to_ascii_lowercase();
    assert!(head.contains("cache-control: no-store"), "{head}");
    let published = xtask::serve::start_with(
        &html,
        0,
        xtask::serve::ServeConfig {
            live_reload: false,
            gzip: true,
            ..xtask::serve::ServeConfig::default()
        },
    )
    .unwrap();
    let head = raw_request(
        published.address,
        &format!(
            "GET /current/index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            published.address
        ),
    )
    .to_ascii_lowercase();
    assert!(head.contains("cache-control: max-age=600"), "{head}");
    assert!(!head.contains("no-store"), "{head}");
}

#[test]
fn the_preview_answers_only_its_own_loopback_names() {
    let (_tree, html) = built_repository_guide();
    let server = xtask::serve::start(&html, 0).unwrap();
    let port = server.address.port();
    let status = |host: &str| {
        let request = if host.is_empty() {
            "GET /current/index.html HTTP/1.0\r\n\r\n".to_string()
        } else {
            format!("GET /current/index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
        };
        let response = raw_request(server.address, &request);
        response.lines().next().unwrap_or("").to_string()
    };
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(status(&host), "HTTP/1.1 200 OK", "{host}");
    }
    // A DNS-rebinding page reaches the server under its own name; other ports and no name too.
    for host in [
        "attacker.example".to_string(),
        format!("attacker.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        String::new(),
    ] {
        assert!(
            status(&host).contains(" 421 "),
            "{host:?}: {}",
            status(&host)
        );
    }
}

#[test]
fn long_polls_never_starve_page_requests() {
    use std::io::{Read, Write};
    let (_tree, html) = built_repository_guide();
    let config = xtask::serve::ServeConfig {
        poll_wait: std::time::Duration::from_secs(60),
        ..xtask::serve::ServeConfig::default()
    };
    let connections = config.max_connections;
    let server = xtask::serve::start_with(&html, 0, config).unwrap();
    // As many waiting pages as the server has connections, each polling for a reload.
    let polls: Vec<std::net::TcpStream> = (0..connections)
        .map(|_| {
            let mut stream = std::net::TcpStream::connect(server.address).unwrap();
            stream
                .write_all(format!("GET /__livereload?since=0 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", server.address).as_bytes())
                .unwrap();
            stream
        })
        .collect();
    // A page request is still answered, long before any poll would end by itself.
    let mut page = std::net::TcpStream::connect(server.address).unwrap();
    page.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    page.write_all(
        format!(
            "GET /current/index.html HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.address
        )
        .as_bytes(),
    )
    .unwrap();
    let mut response = String::new();
    page.read_to_string(&mut response)
        .expect("the page is answered while the polls wait");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    // Polls past their budget were told to come back later rather than held.
    let mut busy = 0;
    for mut poll in polls {
        poll.set_read_timeout(Some(std::time::Duration::from_millis(500)))
            .unwrap();
        let mut head = [0u8; 12];
        if poll.read_exact(&mut head).is_ok() && &head[9..12] == b"503" {
            busy += 1;
        }
    }
    assert!(
        busy >= connections - xtask::serve::ServeConfig::default().max_polls,
        "{busy}"
    );
}

#[cfg(unix)]
#[test]
fn the_preview_serves_nothing_a_link_in_the_build_folder_points_out_to() {
    let (_tree, html) = built_repository_guide();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOKEN=hunter2").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), html.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path(), html.join("folder")).unwrap();
    let server = xtask::serve::start(&html, 0).unwrap();
    for path in ["/leak.txt", "/folder/secret.txt"] {
        let (status, body) = http_get(server.address, path);
        assert_eq!(status, "HTTP/1.1 404 Not Found", "{path}");
        assert!(!body.contains("hunter2"), "{path}");
    }
}

/// Every page ends with a plain link that opens a new issue with the page, its edition and the
/// release filled in; no script is involved, so the address itself carries everything.
#[test]
fn every_page_has_a_tell_us_link_with_the_page_edition_and_release() {
    let (tree, html) = built_repository_guide();
    let guide = xtask::model::load::load_guide(tree.path()).unwrap().guide;
    // Every chapter; toc.html is the contents for readers without JavaScript, not a chapter.
    for page in xtask::site::reader_pages(&html)
        .into_iter()
        .filter(|p| p != "toc.html")
    {
        let text = std::fs::read_to_string(html.join(&page)).unwrap();
        let href = xtask::html::start_tags(&text)
            .into_iter()
            .filter(|tag| tag.name == "a")
            .filter_map(|tag| {
                tag.attributes
                    .into_iter()
                    .find(|(n, _)| n == "href")
                    .map(|(_, v)| v)
            })
            .find(|href| href.contains("/issues/new?"))
            .unwrap_or_else(|| panic!("{page} has no Tell us link"));
        let url = url::Url::parse(&href).unwrap();
        assert_eq!(url.host_str(), Some("github.com"), "{page}");
        let query: std::collections::BTreeMap<String, String> =
            url.query_pairs().into_owned().collect();
        let body = &query["body"];
        assert!(query["title"].contains(&page), "{page}: {query:?}");
        assert!(body.contains(&format!("Page: {page}")), "{page}: {body}");
        assert!(
            body.contains(&format!("Guide release: {}", guide.release)),
            "{page}: {body}"
        );
        let edition = guide
            .editions
            .iter()
            .find(|e| page.starts_with(&format!("{}/", e.dir)))
            .map_or("all editions", |e| e.title.as_str());
        assert!(
            body.contains(&format!("Edition: {edition}")),
            "{page}: {body}"
        );
    }
}

/// The preview keeps up: three edits in a row (a chapter twice, then guide.yaml) give three
/// rebuilds, each served, each announced to open pages; the guide.yaml edit regenerates the
/// snippets first. The preview once stopped after its first rebuild, which blocked on
/// standard output while the command's thread held it.
#[test]
fn the_preview_rebuilds_and_reloads_after_every_edit() {
    let (tree, html) = built_repository_guide();
    let root = tree.path();
    // As `cargo xtask serve` does, this thread holds standard output for the whole run: a
    // rebuild that printed there itself would wait forever.
    let _stdout = std::io::stdout().lock();
    let server =
        xtask::serve::start_preview(root, &html, 0, xtask::serve::ServeConfig::default()).unwrap();
    let limit = std::time::Duration::from_secs(120);
    let chapter = root.join("book/mac.md");
    let mut last = 0;
    for (round, words) in ["First edit words.", "Second edit words."]
        .iter()
        .enumerate()
    {
        common::edit(&chapter, |text| format!("{text}\n{words}\n"));
        let rebuild = server
            .next_rebuild(limit)
            .unwrap_or_else(|| panic!("edit {} was never rebuilt", round + 1));
        assert_eq!(rebuild.code, 0, "{}", rebuild.output);
        assert!(rebuild.number > last);
        last = rebuild.number;
        let (_, body) = http_get(server.address, "/mac.html");
        assert!(body.contains(words), "edit {}: {body}", round + 1);
        // An open page polling since the previous build is told at once.
        let (_, poll) = http_get(
            server.address,
            &format!("/__livereload?since={}", rebuild.number - 1),
        );
        assert!(poll.contains(&rebuild.number.to_string()), "{poll}");
    }
    // guide.yaml: the answer's title changes in the snippet, then on the page.
    common::edit(&root.join("guide.yaml"), |text| {
        text.replacen(
            "title: Older meetings are missing",
            "title: Older meetings went missing",
            1,
        )
    });
    let deadline = std::time::Instant::now() + limit;
    loop {
        let rebuild = server
            .next_rebuild(deadline.saturating_duration_since(std::time::Instant::now()))
            .expect("the guide.yaml edit was rebuilt");
        assert!(rebuild.number > last);
        last = rebuild.number;
        let (_, body) = http_get(server.address, "/current/troubleshooting.html");
        if body.contains("Older meetings went missing") {
            let snippet =
                std::fs::read_to_string(root.join("snippets/current/problems.md")).unwrap();
            assert!(snippet.contains("Older meetings went missing"));
            break;
        }
    }
}

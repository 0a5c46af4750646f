//! The built site in a real headless Chromium, driven over WebDriver (Debian's chromium and
//! chromium-driver, which `.ci/run` installs). Screenshots land in target/browser-screenshots/.
//!
//! Without Chromium on a developer machine the test prints why and passes; under CI=true a
//! missing browser is a failure, so CI can never skip it silently.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process with one browser session; both end when this is dropped.
struct Browser {
    http: reqwest::Client,
    session_url: String,
    driver: Child,
}

impl Drop for Browser {
    /// chromedriver runs in a process group of its own, with the browser it starts: ending the
    /// whole group leaves no browser running behind a finished (or failed) test.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start(profile: &std::path::Path) -> Browser {
        let mut driver = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        // chromedriver says which port it took; a reader thread passes it on, so a driver that
        // never says it cannot hang the test.
        let stdout = driver.stdout.take().unwrap();
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let port = BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .find_map(|line| {
                    line.split("started successfully on port ")
                        .nth(1)
                        .map(|p| p.trim_end_matches('.').to_string())
                });
            let _ = port_tx.send(port);
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("chromedriver starts within 30 s")
            .expect("chromedriver reports its port");
        // Every WebDriver command has a deadline: a stuck browser fails the test, never hangs it.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", format!("--user-data-dir={}", profile.display()),
                ]
            },
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let base = format!("http://127.0.0.1:{port}");
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .unwrap();
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        let browser = Browser {
            http,
            session_url: format!("{base}/session/{session}"),
            driver,
        };
        browser
            .call(
                reqwest::Method::POST,
                "/timeouts",
                Some(json!({"script": 15_000, "pageLoad": 30_000, "implicit": 0})),
            )
            .await;
        browser
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|error| panic!("WebDriver {path}: {error}"))
    }

    /// A WebDriver command; `Err` carries the driver's error and message.
    async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.session_url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        match answer["value"]["error"].as_str() {
            Some(error) => Err(format!("{error}: {}", answer["value"]["message"])),
            None => Ok(answer["value"].clone()),
        }
    }

    /// Ends the session: the browser quits. Drop then ends chromedriver and anything left.
    async fn quit(self) {
        let _ = self.http.delete(self.session_url.clone()).send().await;
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element for {css}: {found}"))
            .to_string()
    }

    async fn click(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn type_into(&self, element: &str, text: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    async fn displayed(&self, element: &str) -> bool {
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/displayed"),
            None,
        )
        .await
        .as_bool()
        .unwrap()
    }

    async fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    async fn resize(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }

    /// Waits until `condition` (JavaScript returning a boolean) holds. The browser itself
    /// checks on each animation frame and answers when it holds or after 10 s; a navigation
    /// under way ends the script, and then it is asked again, up to an overall deadline.
    async fn wait_for(&self, what: &str, condition: &str) {
        let script = format!(
            "const done = arguments[arguments.length - 1];\n\
             const deadline = performance.now() + 10000;\n\
             const check = () => {{\n\
               let holds = false;\n\
               try {{ holds = Boolean({condition}); }} catch (e) {{}}\n\
               if (holds) done(true);\n\
               else if (performance.now() > deadline) done(false);\n\
               else requestAnimationFrame(check);\n\
             }};\n\
             check();"
        );
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let answer = self
                .try_call(
                    reqwest::Method::POST,
                    "/execute/async",
                    Some(json!({"script": script, "args": []})),
                )
                .await;
            match answer {
                Ok(Value::Bool(true)) => return,
                Ok(_) => panic!("timed out waiting for {what}"),
                // The page navigated while the script ran: ask the new page.
                Err(_) if Instant::now() < deadline => continue,
                Err(error) => panic!("timed out waiting for {what}: {error}"),
            }
        }
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        let data = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        let dir = xtask::project_root().join("target/browser-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Severe messages from the browser console (JavaScript errors, failed loads).
    async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .call(
                reqwest::Method::POST,
                "/se/log",
                Some(json!({"type": "browser"})),
            )
            .await;
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

fn browser_available() -> bool {
    let present =
        std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: install Debian's chromium and chromium-driver (.ci/run does)"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)");
    }
    present
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_finds_their_way_through_the_site() {
    if !browser_available() {
        return;
    }
    let (_tree, html_dir) = common::built_repository_guide();
    let server = xtask::serve::start(&html_dir, 0).unwrap();
    let address = server.address;
    let site = format!("http://{address}");
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(profile.path()).await;
    browser.resize(1280, 900).await;

    // The site root lands on the current edition.
    browser.goto(&format!("{site}/")).await;
    browser
        .wait_for(
            "the redirect to the current edition",
            "location.pathname === '/current/index.html' && document.readyState === 'complete'",
        )
        .await;
    let heading = browser
        .script("return document.querySelector('main h1').textContent;")
        .await;
    assert_eq!(heading, json!("Before you start (iOS 18 and iOS 26)"));
    browser.screenshot("01-root-lands-on-current").await;

    // The switcher moves to the same page in the legacy edition, from the keyboard.
    browser
        .goto(&format!("{site}/current/add-account.html"))
        .await;
    let legacy_link = browser
        .find(r#".edition-switcher a[data-edition="legacy-2018"]"#)
        .await;
    let focused = browser
        .script(r#"const a = document.querySelector('.edition-switcher a[data-edition="legacy-2018"]'); a.focus(); return document.activeElement === a;"#)
        .await;
    assert_eq!(
        focused,
        json!(true),
        "the switcher's links take keyboard focus"
    );
    browser.type_into(&legacy_link, "\u{E007}").await; // Enter
    browser.wait_for("the legacy page", "location.pathname === '/legacy-2018/add-account.html' && document.readyState === 'complete'").await;

    // The legacy banner is visible.
    let banner = browser.find(".legacy-banner").await;
    assert!(browser.displayed(&banner).await);
    let banner_text = browser
        .script("return document.querySelector('.legacy-banner').innerText;")
        .await;
    assert!(banner_text
        .as_str()
        .unwrap()
        .contains("no longer works with Exchange Online"));
    browser.screenshot("02-legacy-banner").await;

    // Search finds the settings page for the server name.
    browser.goto(&format!("{site}/current/index.html")).await;
    let toggle = browser.find("#mdbook-search-toggle").await;
    browser.click(&toggle).await;
    let search = browser.find("#mdbook-searchbar").await;
    browser.type_into(&search, "outlook.office365.com").await;
    browser
        .wait_for(
            "search results",
            "document.querySelectorAll('#mdbook-searchresults a').length > 0",
        )
        .await;
    let results = browser
        .script("return Array.from(document.querySelectorAll('#mdbook-searchresults a')).map(a => a.getAttribute('href'));")
        .await;
    assert!(
        results
            .as_array()
            .unwrap()
            .iter()
            .any(|href| href.as_str().unwrap().contains("current/add-account.html")),
        "results: {results}"
    );
    browser.screenshot("03-search").await;

    // A phone-sized viewport shows the steps without sideways scrolling.
    browser.resize(390, 844).await;
    browser
        .goto(&format!("{site}/current/add-account.html"))
        .await;
    let overflow = browser
        .script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
        )
        .await;
    assert_eq!(
        overflow,
        json!(0),
        "the page scrolls sideways on a 390 px wide screen"
    );
    let steps = browser.find("main ol").await;
    assert!(browser.displayed(&steps).await);
    browser.screenshot("04-phone-steps").await;

    // Every step page: each picture is visible, names its action, and no text leaves its box.
    for page in [
        "current/add-account.html",
        "ios-14-17/add-account.html",
        "legacy-2018/add-account.html",
    ] {
        browser.goto(&format!("{site}/{page}")).await;
        let report = browser
            .script(
                "const figures = Array.from(document.querySelectorAll('figure.step-picture'));\n\
                 return figures.map(figure => {\n\
                   const svg = figure.querySelector('svg');\n\
                   const box = svg.getBoundingClientRect();\n\
                   const width = svg.viewBox.baseVal.width;\n\
                   const rows = Array.from(svg.querySelectorAll('rect.r')).map(r => r.getBBox());\n\
                   const overflowing = Array.from(svg.querySelectorAll('text')).filter(text => {\n\
                     const b = text.getBBox();\n\
                     const row = rows.find(r => b.y >= r.y && b.y + b.height <= r.y + r.height);\n\
                     const [left, right] = row ? [row.x, row.x + row.width] : [0, width];\n\
                     return b.x < left || b.x + b.width > right;\n\
                   }).map(text => text.textContent);\n\
                   return {visible: box.width > 0 && box.height > 0, label: svg.getAttribute('aria-label'),\n\
                           caption: figure.querySelector('figcaption').textContent, overflowing};\n\
                 });",
            )
            .await;
        let figures = report.as_array().unwrap();
        assert!(figures.len() >= 5, "{page}: {report}");
        for figure in figures {
            assert_eq!(figure["visible"], json!(true), "{page}: {figure}");
            assert!(
                figure["label"].as_str().is_some_and(|l| !l.is_empty()),
                "{page}: {figure}"
            );
            assert!(
                figure["caption"]
                    .as_str()
                    .unwrap()
                    .contains("not a screenshot"),
                "{page}: {figure}"
            );
            assert_eq!(
                figure["overflowing"],
                json!([]),
                "{page}: text leaves its box: {figure}"
            );
        }
    }
    // A step page with pictures at phone width, in the light and a dark theme.
    browser.resize(390, 844).await;
    for theme in ["light", "navy"] {
        browser
            .goto(&format!("{site}/current/add-account.html"))
            .await;
        browser
            .script(&format!(
                "localStorage.setItem('mdbook-theme', '{theme}'); return true;"
            ))
            .await;
        browser
            .goto(&format!("{site}/current/add-account.html"))
            .await;
        browser
            .script("document.querySelectorAll('figure.step-picture')[2].scrollIntoView(); return true;")
            .await;
        let overflow = browser
            .script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            .await;
        assert_eq!(
            overflow,
            json!(0),
            "{theme}: the pictures make the page scroll sideways"
        );
        browser
            .screenshot(&format!("05-step-pictures-phone-{theme}"))
            .await;
    }
    browser
        .script("localStorage.removeItem('mdbook-theme'); return true;")
        .await;

    let errors = browser.console_errors().await;
    assert!(
        errors.is_empty(),
        "the browser console shows errors: {errors:?}"
    );
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_reloads_the_page_by_itself_after_an_edit() {
    if !browser_available() {
        return;
    }
    let (tree, html_dir) = common::built_repository_guide();
    let server = xtask::serve::start_preview(
        tree.path(),
        &html_dir,
        0,
        xtask::serve::ServeConfig::default(),
    )
    .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(profile.path()).await;
    browser
        .goto(&format!("http://{}/current/test-sync.html", server.address))
        .await;
    browser
        .wait_for("the page", "document.readyState === 'complete'")
        .await;
    // A mark that only this load of the page carries: a reload removes it.
    browser
        .script("window.beforeTheEdit = true; return true;")
        .await;

    let chapter = tree.path().join("book/current/test-sync.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        text.replace("The best test is", "The very best test is"),
    )
    .unwrap();

    browser
        .wait_for(
            "the page to reload with the edit",
            "!window.beforeTheEdit && document.readyState === 'complete' && document.querySelector('main').innerText.includes('The very best test is')",
        )
        .await;
    browser.quit().await;
}

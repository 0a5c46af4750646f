//! A small WebDriver client for the browser tests, for two engines:
//!
//! - Chromium: Debian's `chromium` driven by `chromedriver`, headless;
//! - WebKit (Safari's engine): WebKitGTK's `MiniBrowser` driven by `WebKitWebDriver`, under
//!   `xvfb-run` (a virtual display).
//!
//! `scripts/install-test-browsers` installs both (`.ci/run` calls it). Each driver runs in a
//! process group of its own with everything it starts; dropping the [`Browser`] ends the group,
//! so no browser outlives its test, failed or not.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const WEBKIT_DRIVER: &str = "/usr/bin/WebKitWebDriver";
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The phone the site is measured on: an iPhone's viewport in CSS pixels.
pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1280, 900);

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Engine {
    Chromium,
    WebKit,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::WebKit => "webkit",
        }
    }

    /// Whether this engine's tools are installed. Without them the test says so and passes,
    /// except under CI, which must never skip a browser silently.
    pub fn available(self) -> bool {
        let tools: &[&str] = match self {
            Engine::Chromium => &[CHROMIUM, CHROMEDRIVER],
            Engine::WebKit => &[WEBKIT_DRIVER, MINIBROWSER, "/usr/bin/xvfb-run"],
        };
        let missing: Vec<&str> = tools
            .iter()
            .copied()
            .filter(|tool| !Path::new(tool).exists())
            .collect();
        if missing.is_empty() {
            return true;
        }
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the {} browser test, but {missing:?} are missing: run scripts/install-test-browsers",
            self.name()
        );
        eprintln!("skipped: {missing:?} missing; scripts/install-test-browsers installs them");
        false
    }
}

/// One browser session and the driver process behind it.
pub struct Browser {
    pub engine: Engine,
    http: reqwest::Client,
    session_url: String,
    driver: Child,
    /// Whether commands act inside a frame of the phone's width: WebKitGTK's MiniBrowser keeps
    /// its toolbar, so its window cannot be as narrow as a phone (see [`Browser::open`]).
    in_frame: bool,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        // TERM first, so xvfb-run stops its X server cleanly (and removes its lock file).
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.driver.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn client() -> reqwest::Client {
    // Every WebDriver command has a deadline: a stuck browser fails the test, never hangs it.
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

impl Browser {
    pub async fn start(engine: Engine, profile: &Path) -> Browser {
        let browser = match engine {
            Engine::Chromium => Browser::chromium(profile).await,
            Engine::WebKit => Browser::webkit().await,
        };
        browser
            .call(
                reqwest::Method::POST,
                "/timeouts",
                Some(json!({"script": 20_000, "pageLoad": 30_000, "implicit": 0})),
            )
            .await;
        browser
    }

    async fn chromium(profile: &Path) -> Browser {
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
        let session = new_session(&client(), &base, &capabilities)
            .await
            .unwrap_or_else(|error| panic!("no Chromium session: {error}"));
        Browser {
            engine: Engine::Chromium,
            http: client(),
            session_url: format!("{base}/session/{session}"),
            driver,
            in_frame: false,
        }
    }

    /// WebKitWebDriver cannot pick its own port, so the test picks a free one; if another
    /// process takes it first, the driver exits (or another driver answers) and it tries again.
    async fn webkit() -> Browser {
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": ["--automation"]}
        }}});
        let mut last_error = String::new();
        for _attempt in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut driver = Command::new("xvfb-run")
                .process_group(0)
                .args(["-a", "--server-args=-screen 0 1280x1024x24", WEBKIT_DRIVER])
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("xvfb-run starts");
            let base = format!("http://127.0.0.1:{port}");
            let http = client();
            let deadline = Instant::now() + Duration::from_secs(30);
            let ready = loop {
                if let Ok(Some(status)) = driver.try_wait() {
                    break Err(format!("WebKitWebDriver exited: {status}"));
                }
                if Instant::now() > deadline {
                    break Err("WebKitWebDriver did not answer within 30 s".to_string());
                }
                // Polls the driver's /status until it answers (a condition, not a fixed wait).
                let answer = http.get(format!("{base}/status")).send().await;
                if let Ok(answer) = answer {
                    if let Ok(status) = answer.json::<Value>().await {
                        if status["value"]["ready"] == json!(true) {
                            break Ok(());
                        }
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            let browser = Browser {
                engine: Engine::WebKit,
                http,
                session_url: String::new(),
                driver,
                in_frame: false,
            };
            if let Err(error) = ready {
                last_error = error;
                continue; // dropping `browser` ends this attempt's processes
            }
            match new_session(&browser.http, &base, &capabilities).await {
                Ok(session) => {
                    let mut browser = browser;
                    browser.session_url = format!("{base}/session/{session}");
                    let name = browser
                        .script("return navigator.userAgent;")
                        .await
                        .as_str()
                        .unwrap_or("")
                        .to_string();
                    if name.contains("AppleWebKit") && !name.contains("Chrome") {
                        return browser;
                    }
                    last_error = format!("another driver answered on port {port}: {name}");
                }
                Err(error) => last_error = error,
            }
        }
        panic!("WebKitWebDriver would not start: {last_error}");
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .await
            .unwrap_or_else(|error| panic!("WebDriver {path}: {error}"))
    }

    /// A WebDriver command; `Err` carries the driver's error and message.
    pub async fn try_call(
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
        let answer = send(request).await?;
        match answer["value"]["error"].as_str() {
            Some(error) => Err(format!("{error}: {}", answer["value"]["message"])),
            None => Ok(answer["value"].clone()),
        }
    }

    /// Ends the session: the browser quits. Drop then ends the driver and anything left.
    pub async fn quit(self) {
        let _ = self.http.delete(self.session_url.clone()).send().await;
    }

    pub async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    /// Opens `url` in a viewport of `size` CSS pixels: the window itself where the engine
    /// allows it, else a frame of exactly that size in a blank page (WebKitGTK's narrowest
    /// window is wider than a phone). Every later command acts inside the frame.
    pub async fn open(&mut self, url: &str, size: (u32, u32)) {
        let (width, height) = size;
        if self.in_frame {
            self.call(reqwest::Method::POST, "/frame", Some(json!({"id": null})))
                .await;
            self.in_frame = false;
        }
        self.resize(width, height).await;
        let inner = self.script("return window.innerWidth;").await;
        if inner.as_u64() != Some(u64::from(width)) {
            let page = format!(
                "data:text/html,<!DOCTYPE html><title>{width} px</title><body style=\"margin:0\">\
                 <iframe src=\"{url}\" width=\"{width}\" height=\"{height}\" style=\"border:0;display:block\"></iframe>"
            );
            self.goto(&page).await;
            self.call(reqwest::Method::POST, "/frame", Some(json!({"id": 0})))
                .await;
            self.in_frame = true;
        } else {
            self.goto(url).await;
        }
        let seen = self.script("return window.innerWidth;").await;
        assert_eq!(
            seen.as_u64(),
            Some(u64::from(width)),
            "{}: {url} is not {width} px wide",
            self.engine.name()
        );
    }

    pub async fn find(&self, css: &str) -> String {
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

    pub async fn click(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn type_into(&self, element: &str, text: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    /// Presses and releases one key (a WebDriver key code such as "\u{E004}", Tab) on
    /// whatever has the focus, as a reader's keyboard does.
    pub async fn press(&self, key: &str) {
        self.call(
            reqwest::Method::POST,
            "/actions",
            Some(
                json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
                    {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
                ]}]}),
            ),
        )
        .await;
        let _ = self
            .try_call(reqwest::Method::DELETE, "/actions", None)
            .await;
    }

    pub async fn displayed(&self, element: &str) -> bool {
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/displayed"),
            None,
        )
        .await
        .as_bool()
        .unwrap()
    }

    pub async fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// Runs `script` with `arguments[0]` = `argument`; the script calls `arguments[1]` with
    /// its answer (for promises, such as axe-core's).
    pub async fn script_async(&self, script: &str, argument: Value) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({"script": script, "args": [argument]})),
        )
        .await
    }

    pub async fn resize(&self, width: u32, height: u32) {
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
    pub async fn wait_for(&self, what: &str, condition: &str) {
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
                Ok(_) => panic!("{}: timed out waiting for {what}", self.engine.name()),
                // The page navigated while the script ran: ask the new page.
                Err(_) if Instant::now() < deadline => continue,
                Err(error) => panic!(
                    "{}: timed out waiting for {what}: {error}",
                    self.engine.name()
                ),
            }
        }
    }

    /// Saves a screenshot under target/browser-screenshots/, named after the engine.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let data = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        save(&format!("{}-{name}.png", self.engine.name()), &png)
    }

    /// Prints the page to PDF (WebDriver's print command), saved beside the screenshots.
    pub async fn print_to_pdf(&self, name: &str) -> Vec<u8> {
        let data = self
            .call(reqwest::Method::POST, "/print", Some(json!({})))
            .await;
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap())
            .unwrap();
        save(&format!("{}-{name}.pdf", self.engine.name()), &pdf);
        pdf
    }

    /// Severe messages from Chromium's console (JavaScript errors, failed loads).
    pub async fn chromium_console_errors(&self) -> Vec<String> {
        assert_eq!(self.engine, Engine::Chromium);
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

    /// A Chrome DevTools Protocol command, through chromedriver (emulating the phone's dark
    /// setting, or paper).
    pub async fn devtools(&self, command: &str, parameters: Value) {
        assert_eq!(self.engine, Engine::Chromium);
        self.call(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({"cmd": command, "params": parameters})),
        )
        .await;
    }

    /// Emulates the phone's appearance setting ("light" or "dark") for every page after this.
    pub async fn prefer_color_scheme(&self, scheme: &str) {
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )
        .await;
    }
}

/// Sends one WebDriver request and reads its JSON answer.
async fn send(request: reqwest::RequestBuilder) -> Result<Value, String> {
    request
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}

async fn new_session(
    http: &reqwest::Client,
    base: &str,
    capabilities: &Value,
) -> Result<String, String> {
    let created = send(http.post(format!("{base}/session")).json(capabilities)).await?;
    created["value"]["sessionId"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("no session: {created}"))
}

fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = xtask::project_root().join("target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

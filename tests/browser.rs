//! The built site in real browsers: Chromium, and WebKit (Safari's engine, which readers on an
//! iPhone use), driven over WebDriver (`browser/webdriver.rs`). Screenshots and printed PDFs
//! land in target/browser-screenshots/.
//!
//! - The reader's walk (root, edition switcher, legacy banner, search, every page at a phone's
//!   width without sideways scrolling, the pictures, a clean console) runs in both engines.
//! - axe-core (installed from npm by `scripts/install-test-browsers`) checks every page against
//!   WCAG 2.2 AA in Chromium, in the light and dark themes, at phone and desktop widths.
//! - The keyboard, the dark theme and printing are checked in Chromium, which can emulate the
//!   phone's dark setting and paper.
//!
//! Without the browsers a test prints what is missing and passes; under CI=true it fails.

mod common;
#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use webdriver::{Browser, Engine, DESKTOP, PHONE};

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";

/// The pages a reader can open (`xtask::site::reader_pages`), checked to be all there.
fn reader_pages(html_dir: &Path) -> Vec<String> {
    let pages = xtask::site::reader_pages(html_dir);
    assert!(pages.len() >= 15, "too few pages found: {pages:?}");
    pages
}

/// Collects, from now on in this page, script errors, failed loads and console.error calls,
/// in every engine (WebKit's driver cannot read the console).
const WATCH_ERRORS: &str = "window.walkErrors = [];\n\
    addEventListener('error', e => walkErrors.push(String(e.message || (e.target && (e.target.src || e.target.href)))), true);\n\
    addEventListener('unhandledrejection', e => walkErrors.push(String(e.reason)));\n\
    const original = console.error;\n\
    console.error = (...parts) => { walkErrors.push(parts.join(' ')); original.apply(console, parts); };\n\
    return true;";

/// What is wrong with the page as loaded: a contents list that did not fill in (toc.js did not
/// run), a theme choice that was not set up (book.js did not run), a file it names that does
/// not load.
const PAGE_HEALTH: &str = "const done = arguments[arguments.length - 1];\n\
    const problems = [];\n\
    const list = document.getElementById('toc-list');\n\
    if (list && !list.querySelector('a[aria-current=\"page\"]')) problems.push('the contents list has no current page (toc.js)');\n\
    const choice = document.getElementById('theme-choice');\n\
    if (choice && !choice.value) problems.push('the theme choice is not set up (book.js)');\n\
    const files = Array.from(document.querySelectorAll('script[src], link[href][rel~=\"icon\"], link[rel=\"stylesheet\"], img[src]')).map(e => e.src || e.href);\n\
    Promise.all(files.map(url => fetch(url).then(r => r.ok ? null : url + ': ' + r.status, e => url + ': ' + e)))\n\
      .then(failed => done(problems.concat(failed.filter(Boolean))));";

fn axe_core() -> Option<String> {
    let path = xtask::project_root().join("target/npm/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run axe-core: {} ({error}); run scripts/install-test-browsers",
                path.display()
            );
            eprintln!(
                "skipped: {} is missing; scripts/install-test-browsers installs it",
                path.display()
            );
            None
        }
    }
}

/// The built site served on 127.0.0.1 as GitHub Pages serves it: without the preview's reload
/// script, whose long polls a reader never makes (and which would hold connections while a
/// walk opens page after page).
fn published_site(html_dir: &Path) -> xtask::serve::Server {
    let config = xtask::serve::ServeConfig {
        live_reload: false,
        ..xtask::serve::ServeConfig::default()
    };
    xtask::serve::start_with(html_dir, 0, config).unwrap()
}

/// A browser on the built repository guide, served on 127.0.0.1.
struct Session {
    browser: Browser,
    site: String,
    html_dir: PathBuf,
    _server: xtask::serve::Server,
    _profile: tempfile::TempDir,
    _tree: tempfile::TempDir,
}

async fn session(engine: Engine) -> Option<Session> {
    if !engine.available() {
        return None;
    }
    let (tree, html_dir) = common::built_repository_guide();
    let server = published_site(&html_dir);
    let site = format!("http://{}", server.address);
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(engine, profile.path()).await;
    Some(Session {
        browser,
        site,
        html_dir,
        _server: server,
        _profile: profile,
        _tree: tree,
    })
}

/// Opens search with the Search button, types `words`, and returns the results' addresses.
async fn search_results(browser: &Browser, words: &str) -> Value {
    let toggle = browser.find("#mdbook-search-toggle").await;
    browser.click(&toggle).await;
    let search = browser.find("#mdbook-searchbar").await;
    browser.type_into(&search, words).await;
    browser
        .wait_for(
            "search results",
            "document.querySelectorAll('#mdbook-searchresults a').length > 0",
        )
        .await;
    browser
        .script("return Array.from(document.querySelectorAll('#mdbook-searchresults a')).map(a => a.getAttribute('href'));")
        .await
}

/// What a reader does, the same in both engines.
async fn reader_walk(engine: Engine) {
    let Some(mut session) = session(engine).await else {
        return;
    };
    let (browser, site, html_dir) = (
        &mut session.browser,
        session.site.clone(),
        session.html_dir.clone(),
    );
    let name = engine.name();

    // The site root lands on the current edition.
    browser.open(&format!("{site}/"), PHONE).await;
    browser
        .wait_for(
            "the redirect to the current edition",
            "location.pathname === '/current/index.html' && document.readyState === 'complete'",
        )
        .await;
    let heading = browser
        .script("return document.querySelector('main h1').textContent;")
        .await;
    assert_eq!(
        heading,
        json!("Before you start (iOS 18 and iOS 26)"),
        "{name}"
    );
    browser.screenshot("01-root-lands-on-current").await;

    // The switcher and the contents say which page this is; the switcher moves to the same
    // page in the legacy edition, from the keyboard.
    browser
        .open(&format!("{site}/current/add-account.html"), PHONE)
        .await;
    browser.script(WATCH_ERRORS).await;
    let current = browser
        .script(
            "return {switcher: Array.from(document.querySelectorAll('.edition-switcher a[aria-current=\"page\"]')).map(a => a.dataset.edition),\n\
                     contents: Array.from(document.querySelectorAll('#toc a[aria-current=\"page\"]')).map(a => a.getAttribute('href'))};",
        )
        .await;
    assert_eq!(current["switcher"], json!(["current"]), "{name}: {current}");
    assert_eq!(
        current["contents"],
        json!(["../current/add-account.html"]),
        "{name}: {current}"
    );
    let legacy_link = browser
        .find(r#".edition-switcher a[data-edition="legacy-2018"]"#)
        .await;
    // Chromium follows it from the keyboard; WebKit, like Safari, does not put links in the
    // Tab order unless the reader turns that on, so there it is a tap.
    match engine {
        Engine::Chromium => browser.type_into(&legacy_link, ENTER).await,
        Engine::WebKit => browser.click(&legacy_link).await,
    }
    browser.wait_for("the legacy page", "location.pathname === '/legacy-2018/add-account.html' && document.readyState === 'complete'").await;
    let banner = browser.find(".legacy-banner").await;
    assert!(browser.displayed(&banner).await, "{name}");
    let banner_text = browser
        .script("return document.querySelector('.legacy-banner').innerText;")
        .await;
    assert!(
        banner_text
            .as_str()
            .unwrap()
            .contains("no longer works with Exchange Online"),
        "{name}: {banner_text}"
    );
    let switcher = browser
        .script("return Array.from(document.querySelectorAll('.edition-switcher a[aria-current=\"page\"]')).map(a => a.dataset.edition);")
        .await;
    assert_eq!(switcher, json!(["legacy-2018"]), "{name}");
    browser.screenshot("02-legacy-banner").await;

    // Search loads on first use and finds the settings page for the server name.
    browser
        .open(&format!("{site}/current/index.html"), PHONE)
        .await;
    browser.script(WATCH_ERRORS).await;
    let loaded_early = browser
        .script("return typeof elasticlunr !== 'undefined' || document.querySelector('script[src*=\"searchindex\"]') !== null;")
        .await;
    assert_eq!(
        loaded_early,
        json!(false),
        "{name}: search loaded before it was used"
    );
    let results = search_results(browser, "outlook.office365.com").await;
    assert!(
        results
            .as_array()
            .unwrap()
            .iter()
            .any(|href| href.as_str().unwrap().contains("current/add-account.html")),
        "{name}: results: {results}"
    );
    let typed = browser
        .script("return document.getElementById('mdbook-searchbar').value;")
        .await;
    assert_eq!(typed, json!("outlook.office365.com"), "{name}");
    browser.screenshot("03-search").await;
    let errors = browser.script("return window.walkErrors;").await;
    assert_eq!(errors, json!([]), "{name}: errors while searching");

    // A result opens its page with the words marked: the page loads search by itself for that.
    let result = browser
        .find("#mdbook-searchresults a[href*=\"current/add-account.html\"]")
        .await;
    browser.click(&result).await;
    browser
        .wait_for(
            "the result's page with the search words marked",
            "location.pathname === '/current/add-account.html' && document.querySelectorAll('#mdbook-content mark').length > 0",
        )
        .await;

    // Every page at a phone's width: nothing scrolls sideways, and everything loaded.
    for page in reader_pages(&html_dir) {
        browser.open(&format!("{site}/{page}"), PHONE).await;
        let overflow = browser
            .script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            .await;
        assert_eq!(
            overflow,
            json!(0),
            "{name}: /{page} scrolls sideways on a 390 px wide screen"
        );
        let problems = browser.script_async(PAGE_HEALTH, json!(null)).await;
        assert_eq!(problems, json!([]), "{name}: /{page}");
    }
    browser
        .open(&format!("{site}/current/add-account.html"), PHONE)
        .await;
    browser.screenshot("04-phone-steps").await;

    // Every step page: each picture is visible, names its action, and no text leaves its box.
    for page in [
        "current/add-account.html",
        "ios-14-17/add-account.html",
        "legacy-2018/add-account.html",
    ] {
        browser.open(&format!("{site}/{page}"), PHONE).await;
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
        assert!(figures.len() >= 5, "{name}: {page}: {report}");
        for figure in figures {
            assert_eq!(figure["visible"], json!(true), "{name}: {page}: {figure}");
            assert!(
                figure["label"].as_str().is_some_and(|l| !l.is_empty()),
                "{name}: {page}: {figure}"
            );
            assert!(
                figure["caption"].as_str().unwrap().starts_with("Drawing"),
                "{name}: {page}: {figure}"
            );
            assert_eq!(
                figure["overflowing"],
                json!([]),
                "{name}: {page}: text leaves its box: {figure}"
            );
        }
    }

    if engine == Engine::Chromium {
        let errors = browser.chromium_console_errors().await;
        assert!(
            errors.is_empty(),
            "the browser console shows errors: {errors:?}"
        );
    }
    session.browser.quit().await;
}

/// The reader who arrives with words on their screen: search finds the message, the index
/// links to its answer in this edition, and the switcher lands on the same answer in another.
async fn message_walk(engine: Engine) {
    let Some(mut session) = session(engine).await else {
        return;
    };
    let (browser, site) = (&mut session.browser, session.site.clone());
    let name = engine.name();

    // Search finds the message index by the message's own words.
    browser
        .open(&format!("{site}/current/index.html"), PHONE)
        .await;
    browser.script(WATCH_ERRORS).await;
    let results = search_results(browser, "register your device").await;
    assert!(
        results
            .as_array()
            .unwrap()
            .iter()
            .any(|href| href.as_str().unwrap().contains("current/messages.html")),
        "{name}: results: {results}"
    );

    // The index lists the message as a link to its answer in this edition.
    browser
        .open(&format!("{site}/current/messages.html"), PHONE)
        .await;
    browser.script(WATCH_ERRORS).await;
    let link = browser
        .find("main a[href=\"troubleshooting.html#couldnt-register-device\"]")
        .await;
    let text = browser
        .script("return document.querySelector('main a[href=\"troubleshooting.html#couldnt-register-device\"]').textContent;")
        .await;
    assert_eq!(text, json!("“Couldn't register your device”"), "{name}");
    // The reader scrolls to it (WebKit's driver does not scroll a link at the screen's edge).
    browser
        .script("document.querySelector('main a[href=\"troubleshooting.html#couldnt-register-device\"]').scrollIntoView({block: 'center'}); return true;")
        .await;
    browser.click(&link).await;
    let in_view = "const target = document.getElementById('couldnt-register-device');\n\
        const top = target ? target.getBoundingClientRect().top : -1;\n\
        return location.hash === '#couldnt-register-device' && top > -2 && top < innerHeight / 2;";
    browser
        .wait_for(
            "the answer, scrolled into view",
            &format!("location.pathname === '/current/troubleshooting.html' && document.readyState === 'complete' && (() => {{ {in_view} }})()"),
        )
        .await;
    let heading = browser
        .script("return document.getElementById('couldnt-register-device').textContent;")
        .await;
    assert!(
        heading.as_str().unwrap().contains("register your device"),
        "{name}: {heading}"
    );
    browser.screenshot("05-answer-from-the-message-index").await;

    // The switcher takes the reader to the same answer in the iOS 14–17 edition.
    let other = browser
        .find(r#".edition-switcher a[data-edition="ios-14-17"]"#)
        .await;
    browser.click(&other).await;
    browser
        .wait_for(
            "the same answer in the iOS 14–17 edition",
            &format!("location.pathname === '/ios-14-17/troubleshooting.html' && document.readyState === 'complete' && (() => {{ {in_view} }})()"),
        )
        .await;
    let menus = browser
        .script("return document.querySelector('main').innerText;")
        .await;
    let menus = menus.as_str().unwrap();
    assert!(menus.contains("Settings → Mail → Accounts"), "{name}");
    assert!(!menus.contains("Settings → Apps → Calendar"), "{name}");
    let errors = browser.script("return window.walkErrors || [];").await;
    assert_eq!(errors, json!([]), "{name}");
    browser.screenshot("06-same-answer-other-edition").await;
    session.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_goes_from_the_message_to_the_answer_in_chromium() {
    message_walk(Engine::Chromium).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_goes_from_the_message_to_the_answer_in_webkit() {
    message_walk(Engine::WebKit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_finds_their_way_in_chromium() {
    reader_walk(Engine::Chromium).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_finds_their_way_in_webkit() {
    reader_walk(Engine::WebKit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_wcag_violation_on_any_page_in_either_theme_at_either_width() {
    let Some(axe) = axe_core() else {
        return;
    };
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let (browser, site, html_dir) = (
        &mut session.browser,
        session.site.clone(),
        session.html_dir.clone(),
    );
    let pages = reader_pages(&html_dir);
    let mut violations = Vec::new();
    let mut checked = 0;
    // axe-core is given to every new page by the browser itself, once, rather than sent with
    // each of the hundred runs (half a megabyte each time).
    browser
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": axe }),
        )
        .await;
    for scheme in ["light", "dark"] {
        browser.prefer_color_scheme(scheme).await;
        for (width, height) in [PHONE, DESKTOP] {
            for page in &pages {
                browser
                    .open(&format!("{site}/{page}"), (width, height))
                    .await;
                let found = browser
                    .script_async(
                        "const done = arguments[arguments.length - 1];\n\
                         axe.run(document, {\n\
                           runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']},\n\
                           resultTypes: ['violations'],\n\
                         }).then(\n\
                           result => done(result.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +\n\
                             v.nodes.map(n => n.target.join(' ')).join(', '))),\n\
                           error => done(['axe-core failed: ' + error]));",
                        json!(null),
                    )
                    .await;
                checked += 1;
                for violation in found.as_array().unwrap() {
                    violations.push(format!(
                        "/{page} ({scheme}, {width} px): {}",
                        violation.as_str().unwrap()
                    ));
                }
            }
        }
    }
    assert_eq!(checked, pages.len() * 4);
    assert!(
        violations.is_empty(),
        "axe-core found WCAG 2.2 AA violations:\n{}",
        violations.join("\n")
    );
    session.browser.quit().await;
}

/// Marks every control a reader can reach (visible links, buttons, fields) with its place, so
/// the walk below can tell which it reached; returns how many there are.
const MARK_CONTROLS: &str = "const controls = Array.from(document.querySelectorAll('a[href], button, select, input, textarea, summary, [tabindex]:not([tabindex=\"-1\"])'))\n\
    .filter(el => !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')\n\
    // What a folded <details> holds is not on the page until it unfolds; its summary is.\n\
    .filter(el => { const closed = el.closest('details:not([open])'); return !closed || (el.tagName === 'SUMMARY' && el.parentElement === closed); });\n\
    controls.forEach((el, index) => el.dataset.control = index);\n\
    return controls.map(el => el.tagName.toLowerCase() + ' ' + (el.textContent || el.id).trim().slice(0, 40));";

/// The focused element: which control, and whether its focus shows.
const FOCUSED: &str = "const el = document.activeElement;\n\
    if (!el || el === document.body) return null;\n\
    const style = getComputedStyle(el);\n\
    const box = el.getBoundingClientRect();\n\
    return {control: el.dataset.control === undefined ? null : Number(el.dataset.control),\n\
            name: el.tagName.toLowerCase() + ' ' + (el.textContent || el.id).trim().slice(0, 40),\n\
            ring: el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,\n\
            inView: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth};";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_reaches_every_control_and_always_shows_the_focus() {
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let (browser, site) = (&mut session.browser, session.site.clone());
    for (page, size) in [
        ("current/add-account.html", PHONE),
        ("current/add-account.html", DESKTOP),
        ("ios-14-17/troubleshooting.html", PHONE),
        ("legacy-2018/add-account.html", PHONE),
    ] {
        let url = format!("{site}/{page}");
        let at = format!("/{page} at {} px", size.0);

        // The first Tab shows the skip link; Enter on it moves the focus to the chapter.
        browser.open(&url, size).await;
        browser.press(TAB).await;
        let first = browser
            .script("const el = document.activeElement; const box = el.getBoundingClientRect(); return [el.textContent, box.top >= 0 && box.bottom <= innerHeight];")
            .await;
        assert_eq!(first, json!(["Skip to content", true]), "{at}");
        browser.press(ENTER).await;
        let landed = browser.script("return document.activeElement.id;").await;
        assert_eq!(landed, json!("content"), "{at}: the skip link");

        // Tab through the whole page: every control is reached, and each shows its focus.
        browser.open(&url, size).await;
        let controls = browser.script(MARK_CONTROLS).await;
        let controls = controls.as_array().unwrap().clone();
        assert!(controls.len() > 20, "{at}: {controls:?}");
        let mut reached = vec![false; controls.len()];
        for _ in 0..controls.len() + 5 {
            browser.press(TAB).await;
            let focused = browser.script(FOCUSED).await;
            if focused.is_null() {
                break; // past the last control
            }
            assert_eq!(
                focused["ring"],
                json!(true),
                "{at}: no visible focus on {focused}"
            );
            assert_eq!(
                focused["inView"],
                json!(true),
                "{at}: focused but off screen: {focused}"
            );
            match focused["control"].as_u64() {
                Some(index) if reached[index as usize] => break, // wrapped around
                Some(index) => reached[index as usize] = true,
                None => {
                    panic!("{at}: the focus went to something that is not a control: {focused}")
                }
            }
        }
        let missed: Vec<&Value> = controls
            .iter()
            .zip(&reached)
            .filter(|(_, reached)| !**reached)
            .map(|(control, _)| control)
            .collect();
        assert!(missed.is_empty(), "{at}: Tab never reaches {missed:?}");
    }
    session.browser.quit().await;
}

/// The theme's colours as the page computes them, and those of the step pictures.
const COLOURS: &str = "const root = getComputedStyle(document.documentElement);\n\
    const picture = getComputedStyle(document.querySelector('svg.cs'));\n\
    return {bg: root.getPropertyValue('--bg').trim(), fg: root.getPropertyValue('--fg').trim(),\n\
            link: root.getPropertyValue('--link').trim(), legacy: root.getPropertyValue('--legacy-bg').trim(),\n\
            body: getComputedStyle(document.body).backgroundColor,\n\
            screen: picture.getPropertyValue('--cs-screen').trim(),\n\
            choice: document.getElementById('theme-choice').value};";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dark_mode_follows_the_phone_until_the_reader_chooses() {
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let (browser, site) = (&mut session.browser, session.site.clone());
    let page = format!("{site}/current/add-account.html");
    let choose = |theme: &'static str| format!("#theme-choice option[value=\"{theme}\"]");

    // First visit, phone in dark mode: the dark theme, and the choice says "follow the phone".
    browser.prefer_color_scheme("dark").await;
    browser.open(&page, PHONE).await;
    let phone_dark = browser.script(COLOURS).await;
    assert_eq!(phone_dark["body"], json!("rgb(21, 23, 26)"), "{phone_dark}");
    assert_eq!(phone_dark["screen"], json!("#000"), "{phone_dark}");
    assert_eq!(phone_dark["choice"], json!("auto"), "{phone_dark}");
    browser.screenshot("06-dark-phone-setting").await;

    browser.prefer_color_scheme("light").await;
    browser.open(&page, PHONE).await;
    let phone_light = browser.script(COLOURS).await;
    assert_eq!(
        phone_light["body"],
        json!("rgb(255, 255, 255)"),
        "{phone_light}"
    );
    assert_eq!(phone_light["screen"], json!("#f2f2f7"), "{phone_light}");

    // The reader picks dark on a light phone: exactly the dark theme, pictures included, and
    // it stays picked on the next page load.
    let dark = browser.find(&choose("dark")).await;
    browser.click(&dark).await;
    let chosen_dark = browser.script(COLOURS).await;
    assert_eq!(
        chosen_dark["bg"], phone_dark["bg"],
        "{chosen_dark} vs {phone_dark}"
    );
    for key in ["fg", "link", "legacy", "body", "screen"] {
        assert_eq!(chosen_dark[key], phone_dark[key], "{key}: {chosen_dark}");
    }
    browser.open(&page, PHONE).await;
    let reloaded = browser.script(COLOURS).await;
    assert_eq!(reloaded["choice"], json!("dark"), "{reloaded}");
    assert_eq!(reloaded["body"], phone_dark["body"], "{reloaded}");

    // Picks light on a dark phone: the light theme; "Auto" hands back to the phone.
    browser.prefer_color_scheme("dark").await;
    let light = browser.find(&choose("light")).await;
    browser.click(&light).await;
    let chosen_light = browser.script(COLOURS).await;
    for key in ["bg", "fg", "link", "legacy", "body", "screen"] {
        assert_eq!(chosen_light[key], phone_light[key], "{key}: {chosen_light}");
    }
    let auto = browser.find(&choose("auto")).await;
    browser.click(&auto).await;
    let back = browser.script(COLOURS).await;
    assert_eq!(back["body"], phone_dark["body"], "{back}");
    browser.open(&page, PHONE).await;
    assert_eq!(browser.script(COLOURS).await["choice"], json!("auto"));
    session.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printed_chapter_is_the_chapter_alone_with_its_addresses_written_out() {
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let (browser, site) = (&mut session.browser, session.site.clone());
    browser
        .open(&format!("{site}/legacy-2018/add-account.html"), DESKTOP)
        .await;
    browser
        .devtools("Emulation.setEmulatedMedia", json!({"media": "print"}))
        .await;
    let paper = browser
        .script(
            "const shown = selector => getComputedStyle(document.querySelector(selector)).display !== 'none';\n\
             const link = document.querySelector('main a[href^=\"http\"]');\n\
             return {chrome: ['.skip-link', '.site-header', '.toc', '.edition-switcher', '.chapter-nav', '.site-footer'].filter(shown),\n\
                     banner: shown('.legacy-banner'),\n\
                     left: Math.round(document.querySelector('main').getBoundingClientRect().left),\n\
                     address: link.href, printed: getComputedStyle(link, '::after').content,\n\
                     ink: getComputedStyle(document.body).color};",
        )
        .await;
    assert_eq!(paper["chrome"], json!([]), "printed: {paper}");
    assert_eq!(
        paper["banner"],
        json!(true),
        "the legacy warning is printed: {paper}"
    );
    assert!(
        paper["left"].as_i64().unwrap() < 20,
        "no sidebar column: {paper}"
    );
    let address = paper["address"].as_str().unwrap();
    assert!(
        paper["printed"].as_str().unwrap().contains(address),
        "the link's address is printed after it: {paper}"
    );
    assert_eq!(paper["ink"], json!("rgb(0, 0, 0)"), "{paper}");
    let pdf = browser.print_to_pdf("07-legacy-add-account").await;
    assert!(pdf.starts_with(b"%PDF"), "WebDriver printed no PDF");
    session.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_reloads_the_page_by_itself_after_an_edit() {
    if !Engine::Chromium.available() {
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
    let browser = Browser::start(Engine::Chromium, profile.path()).await;
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

/// Every free-text field of guide.yaml and book.toml carries a script payload (an `onerror`
/// image, an `onload` SVG, a closed-and-reopened script, a `javascript:` link, a hover
/// handler): on no page of the built site does any of it run, on load or on hover.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_payload_from_guide_yaml_or_book_toml_runs_in_chromium() {
    if !Engine::Chromium.available() {
        return;
    }
    let (_tree, html_dir) = common::built_hostile_guide();
    let server = published_site(&html_dir);
    let profile = tempfile::tempdir().unwrap();
    let mut browser = Browser::start(Engine::Chromium, profile.path()).await;
    let pages = reader_pages(&html_dir);
    for page in &pages {
        browser
            .open(&format!("http://{}/{page}", server.address), DESKTOP)
            .await;
        browser
            .wait_for(page, "document.readyState === 'complete'")
            .await;
        let ran = browser
            .script(
                "for (const element of document.querySelectorAll('body *')) {\n\
                   for (const kind of ['mouseover', 'mouseenter', 'focus', 'click']) {\n\
                     if (kind === 'click' && element.closest('a')) continue;\n\
                     element.dispatchEvent(new Event(kind, {bubbles: true}));\n\
                   }\n\
                 }\n\
                 return [window.pwned === undefined ? null : String(window.pwned), document.title];",
            )
            .await;
        assert_eq!(ran[0], Value::Null, "{page}: a payload ran ({ran})");
        assert!(
            ran[1].as_str().unwrap_or("").contains("<img src=x"),
            "{page}: the payload is in the title, as text: {ran}"
        );
        let javascript_links = browser
            .script("return [...document.querySelectorAll('a[href]')].filter(a => !/^https?:$/.test(new URL(a.href).protocol)).map(a => a.href);")
            .await;
        assert_eq!(javascript_links, json!([]), "{page}");
    }
    browser.quit().await;
}

/// Opens `url` at `size` and waits until the page has loaded.
async fn open_page(browser: &mut Browser, url: &str, size: (u32, u32)) {
    browser.open(url, size).await;
    browser
        .wait_for(url, "document.readyState === 'complete'")
        .await;
}

/// The phone budget of the reader's pages at 390 px (one screen is 844 px tall): the start page
/// shows its three ways in on the first screen, the set-up page is at most five screens, and
/// Troubleshooting opens on its list of problems, whose every group fits in two screens when
/// open. The heights are printed, for the record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reader_pages_fit_a_phone() {
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let site = session.site.clone();
    let browser = &mut session.browser;
    const SCREEN: f64 = 844.0;
    for (page, most_screens) in [
        ("current/index.html", 4.0),
        ("current/add-account.html", 5.0),
        ("ios-14-17/add-account.html", 5.0),
        ("current/test-sync.html", 4.0),
    ] {
        open_page(browser, &format!("{site}/{page}"), PHONE).await;
        // The chapter itself, from the top of the page to the end of its text (the contents and
        // the footer that follow it are the same on every page).
        let heights = browser
            .script("const main = document.querySelector('main'); return [main.getBoundingClientRect().bottom + window.scrollY, document.documentElement.scrollHeight];")
            .await;
        let height = heights[0].as_f64().unwrap();
        println!(
            "{page}: {height} px to the end of the chapter ({:.1} screens); {} px with the contents and footer",
            height / SCREEN,
            heights[1]
        );
        let parts = browser
            .script("const sum = sel => [...document.querySelectorAll(sel)].reduce((t, e) => t + e.getBoundingClientRect().height, 0); return {figures: sum('main figure'), tables: sum('main table'), quotes: sum('main blockquote'), ol: sum('main ol'), switcher: sum('main nav.edition-switcher'), details: sum('main details')};")
            .await;
        println!("  {parts}");
        assert!(height / SCREEN <= most_screens, "{page}: {height} px");
    }
    // The three ways in, above the fold of the start page.
    open_page(browser, &format!("{site}/current/index.html"), PHONE).await;
    let ways = browser
        .script(
            "return ['add-account.html', 'troubleshooting.html', 'messages.html'].map(href => {\n\
               const link = document.querySelector(`main a[href=\"${href}\"]`);\n\
               return link ? link.getBoundingClientRect().bottom : null; });",
        )
        .await;
    for bottom in ways.as_array().unwrap() {
        let bottom = bottom
            .as_f64()
            .expect("each way in is a link on the start page");
        assert!(
            bottom <= SCREEN,
            "a way in is below the first screen: {ways}"
        );
    }
    // Troubleshooting: the list of problems starts on the first screen; opening every group
    // shows all answers' links within two screens of scrolling from the list's top.
    open_page(
        browser,
        &format!("{site}/current/troubleshooting.html"),
        PHONE,
    )
    .await;
    let list = browser
        .script(
            "const lists = [...document.querySelectorAll('details.problem-list')];\n\
             const top = lists[0].getBoundingClientRect().top;\n\
             lists.forEach(d => d.open = true);\n\
             const bottom = lists[lists.length - 1].getBoundingClientRect().bottom;\n\
             const links = lists.flatMap(d => [...d.querySelectorAll('a[href^=\"#\"]')]);\n\
             const answers = links.filter(a => document.getElementById(a.getAttribute('href').slice(1)));\n\
             return [top, bottom - top, links.length, answers.length];",
        )
        .await;
    let values = numbers(&list);
    println!(
        "troubleshooting list: top {} px, {} px open, {} links",
        values[0], values[1], values[2]
    );
    assert!(
        values[0] < SCREEN,
        "the list starts on the first screen: {list}"
    );
    assert!(
        values[1] <= 3.0 * SCREEN,
        "every group open fits in about three screens: {list}"
    );
    assert!(
        values[2] >= 30.0 && values[2] == values[3],
        "every problem is listed and each link lands: {list}"
    );
    // Day to day: the side-by-side table starts on the first screen, fits the
    // phone's width (no sideways scrolling), and every row is a link to an answer on the page.
    for edition in ["current", "ios-14-17"] {
        open_page(browser, &format!("{site}/{edition}/day-to-day.html"), PHONE).await;
        let table = browser
            .script(
                "const t = document.querySelector('.compare table');\n\
                 const r = t.getBoundingClientRect();\n\
                 const rows = [...t.querySelectorAll('tbody tr')];\n\
                 const landed = rows.filter(tr => { const a = tr.querySelector('a[href^=\"#\"]'); return a && document.getElementById(a.getAttribute('href').slice(1)); });\n\
                 return [r.top + window.scrollY, r.height, t.scrollWidth - t.clientWidth, rows.length, landed.length];",
            )
            .await;
        let values = numbers(&table);
        println!(
            "{edition} day to day: table at {} px, {} px tall, {} rows",
            values[0], values[1], values[3]
        );
        assert!(
            values[0] < SCREEN,
            "{edition}: the table starts on the first screen: {table}"
        );
        assert!(
            values[2] <= 0.0,
            "{edition}: the table scrolls sideways: {table}"
        );
        assert!(
            values[3] >= 10.0 && values[3] == values[4],
            "{edition}: every row links to an answer: {table}"
        );
    }
}

/// The numbers a page script returned as an array.
fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect()
}

/// Every answer links to its evidence, and the link lands on a fact of the evidence page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_links_to_how_we_know() {
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let site = session.site.clone();
    let browser = &mut session.browser;
    open_page(
        browser,
        &format!("{site}/current/troubleshooting.html"),
        DESKTOP,
    )
    .await;
    let missing = browser
        .script(
            "return [...document.querySelectorAll('main h3[id]')]\n\
               .filter(h => !document.querySelector(`details.problem-list a[href=\"#${h.id}\"]`) ? false : true)\n\
               .filter(h => {\n\
                 let node = h.nextElementSibling; let found = false;\n\
                 while (node && node.tagName !== 'H3' && node.tagName !== 'H2') {\n\
                   if (node.querySelector('a[href*=\"evidence.html#fact-\"]')) { found = true; }\n\
                   node = node.nextElementSibling;\n\
                 }\n\
                 return !found; }).map(h => h.id);",
        )
        .await;
    assert_eq!(missing, json!([]), "answers without a How we know link");
    let href = browser
        .script("return document.querySelector('a[href*=\"evidence.html#fact-\"]').getAttribute('href');")
        .await;
    let href = href.as_str().unwrap().to_string();
    browser
        .open(&format!("{site}/current/{href}"), DESKTOP)
        .await;
    let landed = browser
        .script(
            "return document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null;",
        )
        .await;
    assert_eq!(landed, json!(true), "{href}");
}

/// Reader queries of `tests/search/reader-queries.yaml`, typed into the site's search box as a
/// reader would (every third of the list: the whole list is run against the same index and
/// search script in `tests/search.rs`): at least nine in ten find their answer in the top
/// three; a result in another edition opens in the reader's own; Sources never come up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_queries_find_their_answer_in_the_top_three() {
    let Some(mut session) = session(Engine::Chromium).await else {
        return;
    };
    let site = session.site.clone();
    let browser = &mut session.browser;
    let list = xtask::bench::search::read_queries(&xtask::project_root()).unwrap();
    assert!(list.queries.len() >= 40, "at least 40 reader queries");
    open_page(browser, &format!("{site}/current/index.html"), PHONE).await;
    let toggle = browser.find("#mdbook-search-toggle").await;
    browser.click(&toggle).await;
    let search = browser.find("#mdbook-searchbar").await;
    let mut misses = Vec::new();
    let typed: Vec<_> = list.queries.iter().step_by(3).collect();
    for query in &typed {
        browser.script("const box = document.getElementById('mdbook-searchbar'); box.value = ''; return true;").await;
        browser.type_into(&search, &query.query).await;
        browser
            .wait_for(
                &query.query,
                "document.getElementById('mdbook-searchresults').children.length > 0 || document.getElementById('mdbook-searchresults-header').textContent.includes('No search results')",
            )
            .await;
        let top: Vec<String> = browser
            .script("return [...document.querySelectorAll('#mdbook-searchresults a')].slice(0, 3).map(a => { const u = new URL(a.href); return u.pathname.split('/').slice(-2).join('/') + u.hash; });")
            .await
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().trim_start_matches('/').to_string())
            .collect();
        assert!(
            !top.iter().any(|url| url.ends_with("#sources")),
            "{}: {top:?}",
            query.query
        );
        if !top
            .iter()
            .any(|url| xtask::bench::search::answers(url, &query.expect))
        {
            misses.push(format!("{} → {top:?}", query.query));
        }
    }
    let rate = 1.0 - misses.len() as f64 / typed.len() as f64;
    println!("top-3 hit rate in Chromium: {:.0}%", rate * 100.0);
    assert!(rate >= 0.9, "{:.0}%: {misses:#?}", rate * 100.0);

    // A reader on an iOS 14 to 17 page lands in that edition.
    open_page(browser, &format!("{site}/ios-14-17/index.html"), PHONE).await;
    let hrefs = search_results(browser, "cannot get mail").await;
    let first = hrefs[0].as_str().unwrap();
    assert!(first.contains("ios-14-17/troubleshooting.html"), "{hrefs}");
    assert!(first.ends_with("#cannot-get-mail"), "{hrefs}");
}

// calsync-guide's page script, in place of mdBook's book.js: the theme choice, and search that
// loads only when a reader first asks for it. Loaded deferred by index.hbs.
"use strict";

(() => {
  const html = document.documentElement;

  // The theme: "auto" follows the phone's setting (CSS does that); "light" and "dark" are kept.
  const choice = document.getElementById("theme-choice");
  if (choice) {
    choice.value = html.dataset.theme || "auto";
    choice.addEventListener("change", () => {
      const theme = choice.value;
      try {
        if (theme === "auto") {
          localStorage.removeItem("calsync-theme");
        } else {
          localStorage.setItem("calsync-theme", theme);
        }
      } catch (e) {
        // Private browsing may refuse storage: the choice then lasts for this page only.
      }
      if (theme === "auto") {
        delete html.dataset.theme;
      } else {
        html.dataset.theme = theme;
      }
    });
  }

  // The edition switcher: a link to the same page in another edition keeps the section the
  // reader is on (#old-events-missing), since every edition gives a problem the same anchor.
  // Only a plain anchor is carried, and only to a page marked as the same one.
  for (const link of document.querySelectorAll(".edition-switcher a[data-same-page]")) {
    link.addEventListener("click", () => {
      const hash = window.location.hash;
      if (/^#[a-z0-9_-]+$/.test(hash)) {
        const target = new URL(link.href);
        target.hash = hash;
        link.href = target.href;
      }
    });
  }

  // Search: mdBook's search scripts (about 55 KB) and index load on first use. Until then this
  // stands in for them: the Search button, the "/" and "s" keys, and a page opened from a search
  // result (?search= or ?highlight= in its address) load them.
  const toggle = document.getElementById("mdbook-search-toggle");
  const wrapper = document.getElementById("mdbook-search-wrapper");
  const searchbar = document.getElementById("mdbook-searchbar");
  const scripts = (window.calsync && window.calsync.searchScripts) || [];
  if (!toggle || !wrapper || !searchbar || scripts.length === 0) {
    return;
  }
  let loading = false;

  function typing(target) {
    return target instanceof HTMLElement
      && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  // Loads the scripts in order; `then` runs once searcher.js has set itself up.
  function loadSearch(then) {
    if (loading) {
      return;
    }
    loading = true;
    toggle.removeEventListener("click", onToggle);
    document.removeEventListener("keydown", onKey);
    scripts.forEach((source, index) => {
      const script = document.createElement("script");
      script.src = source;
      script.async = false; // run in the order given, as mdBook's pages do
      if (index === scripts.length - 1) {
        script.addEventListener("load", then);
      }
      script.addEventListener("error", () => {
        wrapper.classList.remove("opening");
        toggle.textContent = "Search (unavailable)";
        console.error(`search could not load ${source}`);
      });
      document.head.append(script);
    });
  }

  // Opens the search box at once, so the reader can type while the scripts arrive; searcher.js
  // hides it while setting up, and the click handed back to it opens it for good.
  function open() {
    wrapper.classList.add("opening");
    toggle.setAttribute("aria-expanded", "true");
    searchbar.focus();
    loadSearch(() => {
      // searcher.js selects the box's text when it opens; keep what was typed meanwhile.
      const typed = searchbar.value.length;
      toggle.click();
      wrapper.classList.remove("opening");
      searchbar.setSelectionRange(typed, typed);
    });
  }

  function onToggle() {
    open();
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
    }
  }

  // A result opens in the reader's own edition. The index holds each answer once (the current
  // edition's copy); on a page of another edition, a result in any edition's folder is sent to
  // the same page of the reader's edition when the contents list it, and a result that then
  // repeats one above it is dropped.
  const results = document.getElementById("mdbook-searchresults");
  const here = document.querySelector(".edition-switcher a[aria-current=\"page\"]");
  if (results && here && here.dataset.editionDir) {
    const mine = here.dataset.editionDir;
    const dirs = [...document.querySelectorAll(".edition-switcher a[data-edition-dir]")]
      .map((link) => link.dataset.editionDir)
      .filter((dir) => dir !== mine);
    const inOwnEdition = () => {
      const pages = new Set(
        [...document.querySelectorAll("#toc a[href]")].map((link) => new URL(link.href).pathname),
      );
      const seen = new Set();
      for (const item of [...results.children]) {
        const link = item.querySelector("a[href]");
        if (!link) {
          continue;
        }
        const url = new URL(link.href);
        for (const dir of dirs) {
          const at = url.pathname.lastIndexOf(`/${dir}/`);
          if (at < 0) {
            continue;
          }
          const mirror = `${url.pathname.slice(0, at)}/${mine}/${url.pathname.slice(at + dir.length + 2)}`;
          if (pages.has(mirror)) {
            url.pathname = mirror;
            link.href = url.href;
          }
          break;
        }
        const key = url.pathname + url.hash;
        if (seen.has(key)) {
          item.remove();
        } else {
          seen.add(key);
        }
      }
    };
    new MutationObserver(inOwnEdition).observe(results, { childList: true });
  }

  toggle.addEventListener("click", onToggle);
  document.addEventListener("keydown", onKey);
  const parameters = new URLSearchParams(location.search);
  if (parameters.has("search") || parameters.has("highlight")) {
    loadSearch(() => {});
  }
})();

//! The element ids the site's theme owns. The theme's scripts find their elements by id
//! (`toc-list` receives the whole contents, `mdbook-searchbar` the search box), so an answer
//! whose anchor took one of these names would receive the theme's content in its heading, on
//! every edition. Generated ids (problems, their kinds, the administrators' checks) may not use
//! them. `tests/tidy.rs` holds this list to the theme's files, so it cannot fall behind.

/// Every id written in `theme/*.hbs` or looked up by the theme's scripts, and the ids every page
/// gets from the site's preprocessor.
pub const THEME_IDS: &[&str] = &[
    "calsync-moved",
    "content",
    "mdbook-content",
    "mdbook-search-toggle",
    "mdbook-search-wrapper",
    "mdbook-searchbar",
    "mdbook-searchbar-outer",
    "mdbook-searchresults",
    "mdbook-searchresults-header",
    "mdbook-searchresults-outer",
    "sources",
    "theme-choice",
    "toc",
    "toc-list",
    "toc-title",
];

/// Prefixes kept for the theme and mdBook's search script (`mdbook-`), the site's own elements
/// (`calsync-`) and the evidence page's anchors (`fact-`).
pub const RESERVED_PREFIXES: &[&str] = &["mdbook-", "calsync-", "fact-"];

/// Names the theme's scripts and mdBook's search script read as globals (`window.search`,
/// `window.calsync`, `path_to_root`): an element with such an id is a global of the same name
/// until the script assigns it ("DOM clobbering"), so no element of a chapter may take one.
pub const SCRIPT_GLOBALS: &[&str] = &["search", "calsync", "path_to_root", "elasticlunr"];

/// True when a generated id may not be `id`.
pub fn is_reserved(id: &str) -> bool {
    THEME_IDS.contains(&id)
        || SCRIPT_GLOBALS.contains(&id)
        || RESERVED_PREFIXES.iter().any(|p| id.starts_with(p))
}

/// True when no element of a chapter's own content may have the id `id`: the theme's elements
/// and the scripts' globals. (`sources` and `fact-…` are the site's own generated content.)
pub fn is_theme_owned(id: &str) -> bool {
    (THEME_IDS.contains(&id) && id != "sources")
        || SCRIPT_GLOBALS.contains(&id)
        || id.starts_with("mdbook-")
        || id.starts_with("calsync-")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_theme_ids_are_reserved_and_plain_ids_are_not() {
        assert!(super::is_reserved("toc-list"));
        assert!(super::is_reserved("mdbook-help"));
        assert!(super::is_reserved("fact-anything"));
        assert!(!super::is_reserved("cannot-get-mail"));
    }
}

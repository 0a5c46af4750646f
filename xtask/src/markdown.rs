//! pulldown-cmark set up exactly as mdBook sets it up, so what we check is what readers see.

use pulldown_cmark::{Options, Parser};

/// The extensions mdBook 0.5 enables for chapters.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}

/// True when `target` names another site (has a URL scheme) rather than a file of the book.
pub fn is_external(target: &str) -> bool {
    match target.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => target.starts_with("//"),
    }
}

#[cfg(test)]
mod tests {
    use super::is_external;

    #[test]
    fn schemes_are_external_paths_are_not() {
        assert!(is_external("https://outlook.office.com/calendar/"));
        assert!(is_external("mailto:you@contoso.com"));
        assert!(is_external("javascript:alert(1)"));
        assert!(!is_external("current/add-account.md"));
        assert!(!is_external("../glossary.md#mfa"));
    }
}

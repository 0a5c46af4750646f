//! The names every part of the model shares: the guide's file, and what an id may be.

/// The YAML file every guide tree has at its root.
pub const GUIDE_FILE: &str = "guide.yaml";

/// True for an id of lowercase ASCII letters, digits, `-` and `_`, starting with a letter or digit.
pub fn is_plain_id(id: &str) -> bool {
    id.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

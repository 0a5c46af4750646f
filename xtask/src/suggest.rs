//! "Did you mean …?" for misspelt YAML fields and setting keys.

/// The candidate closest to `wrong` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'c>(wrong: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(wrong, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters (strsim's, already in the dependency tree via clap).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_one_letter_typo_finds_the_key() {
        let keys = ["service.exchange_server", "service.product"];
        assert_eq!(
            closest("service.exchange_sever", keys),
            Some("service.exchange_server")
        );
    }

    #[test]
    fn nothing_close_suggests_nothing() {
        assert_eq!(closest("zzzz", ["service.product"]), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("→a", "→b"), 1);
    }
}

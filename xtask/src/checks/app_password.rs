//! Telling a real app password from English. Microsoft's app passwords are random lowercase
//! letters, shown as sixteen in a row or in groups of four. English words of that length follow
//! English letter pairs; random letters do not. The detector scores each candidate by how much
//! likelier its letter pairs are under English (`english_pairs`) than under chance, and calls it
//! random below a threshold. `cargo xtask bench secrets` measures both sides: the share of random
//! app passwords caught (target ≥ 99.5 % per shape) and false alarms on an English word list.

use std::sync::OnceLock;

use super::english_pairs::PAIRS;

/// Mean log-likelihood ratio (English over chance) per letter pair, below which letters are
/// taken for random. Chosen by measurement: random letters score about −0.6 to −1.8, the long
/// English words of Debian's word list −0.25 and above.
pub const THRESHOLD: f64 = -0.3;

/// `ln P(b | a)` under English, with add-half smoothing so unseen pairs are rare, not impossible.
fn log_probabilities() -> &'static [[f64; 26]; 26] {
    static TABLE: OnceLock<[[f64; 26]; 26]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [[0.0; 26]; 26];
        for (a, row) in PAIRS.iter().enumerate() {
            let total: f64 = row.iter().map(|&count| f64::from(count)).sum::<f64>() + 13.0;
            for (b, &count) in row.iter().enumerate() {
                table[a][b] = ((f64::from(count) + 0.5) / total).ln();
            }
        }
        table
    })
}

/// The mean English-over-chance score of the letter pairs inside each group of `groups`.
pub fn englishness(groups: &[&str]) -> f64 {
    let table = log_probabilities();
    let chance = (1.0f64 / 26.0).ln();
    let mut total = 0.0;
    let mut pairs = 0usize;
    for group in groups {
        let letters: Vec<usize> = group
            .bytes()
            .filter(u8::is_ascii_lowercase)
            .map(|b| usize::from(b - b'a'))
            .collect();
        for pair in letters.windows(2) {
            total += table[pair[0]][pair[1]] - chance;
            pairs += 1;
        }
    }
    if pairs == 0 {
        0.0
    } else {
        total / pairs as f64
    }
}

/// True when `candidate` (16 letters, or four groups of four) looks like a generated password.
/// Obvious placeholders (one letter repeated, the alphabet in order) are not passwords.
pub fn looks_generated(candidate: &str) -> bool {
    // Space-separated groups could be four short English words, so pairs are scored inside each
    // group only; dashes join one generated string, so its pairs run across the dashes.
    let groups: Vec<&str> = candidate.split(' ').filter(|g| !g.is_empty()).collect();
    let common_words = groups
        .iter()
        .filter(|g| {
            super::english_words::COMMON_FOUR_LETTER_WORDS
                .binary_search(g)
                .is_ok()
        })
        .count();
    if groups.len() > 1 && common_words >= 2 {
        return false; // four words of English, such as "turn sync page step"
    }
    let letters: Vec<u8> = candidate.bytes().filter(u8::is_ascii_lowercase).collect();
    let distinct = letters
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let alphabetical = letters.windows(2).all(|pair| pair[1] == pair[0] + 1);
    distinct > 3 && !alphabetical && englishness(&groups) < THRESHOLD
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random letters from a fixed seed, so the test is the same on every run.
    fn random_password(rng: &mut fastrand::Rng) -> String {
        (0..16).map(|_| char::from(b'a' + rng.u8(0..26))).collect()
    }

    #[test]
    fn random_letters_are_caught_in_both_shapes() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut caught = [0usize; 2];
        for _ in 0..1000 {
            let password = random_password(&mut rng);
            let grouped = format!(
                "{} {} {} {}",
                &password[..4],
                &password[4..8],
                &password[8..12],
                &password[12..]
            );
            caught[0] += usize::from(looks_generated(&password));
            caught[1] += usize::from(looks_generated(&grouped));
        }
        assert!(
            caught[0] >= 990 && caught[1] >= 990,
            "caught {caught:?} of 1000"
        );
    }

    #[test]
    fn english_is_not_a_password() {
        for words in [
            "responsibilities",
            "hydroelectricity",
            "unscrupulousness",
            "internationalism",
            "your work mail will",
            "that they have been",
            "turn sync page sync",
            "sync turn turn step",
            "xxxxxxxxxxxxxxxx",
            "abcdefghijklmnop",
        ] {
            assert!(!looks_generated(words), "{words} is not a password");
        }
    }
}

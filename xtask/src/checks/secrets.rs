//! Nothing in the guide may look like a real credential: app passwords, tokens, private keys,
//! or a real person's email address. Examples use reserved names (`you@contoso.com`).

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::model::book::SourceFile;

const CHECK: &str = "secrets";

/// Domains reserved for examples (RFC 2606) or Microsoft's documentation tenants.
const EXAMPLE_DOMAINS: [&str; 6] = [
    "example.com",
    "example.org",
    "example.net",
    "contoso.com",
    "fabrikam.com",
    "contoso.onmicrosoft.com",
];
const EXAMPLE_TLDS: [&str; 4] = ["example", "test", "invalid", "localhost"];

struct Patterns {
    email: Regex,
    app_password: Regex,
    tokens: Vec<(&'static str, Regex)>,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let compile = |pattern: &str| Regex::new(pattern).expect("the built-in patterns are valid");
        Patterns {
            email: compile(r"(?i)(?-u:\b)[a-z0-9._%+-]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)"),
            app_password: compile(r"(?-u:\b)(?:[a-z]{16}|[a-z]{4}(?:[ -][a-z]{4}){3})(?-u:\b)"),
            tokens: vec![
                ("a JSON Web Token", compile(r"(?-u:\b)eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")),
                ("a GitHub token", compile(r"(?-u:\b)gh[pousr]_[A-Za-z0-9]{30,}")),
                ("an AWS access key", compile(r"(?-u:\b)AKIA[0-9A-Z]{16}(?-u:\b)")),
                ("a private key", compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
                ("a Slack token", compile(r"(?-u:\b)xox[abprs]-[A-Za-z0-9-]{10,}")),
                ("a bearer token", compile(r"(?i)(?-u:\b)bearer\s+[A-Za-z0-9._~+/-]{20,}")),
                (
                    "a password or key written out",
                    compile(r"(?i)(?-u:\b)(?:password|passwd|pwd|secret|api[_-]?key|token)\s*[:=]\s*[^\s|*`<>]*[0-9][^\s|*`<>]*"),
                ),
            ],
        }
    })
}

pub fn check(file: &SourceFile) -> Vec<Diagnostic> {
    let text = &file.text;
    let patterns = patterns();
    let mut findings: Vec<(Range<usize>, String, &str)> = Vec::new();
    for found in patterns.email.captures_iter(text) {
        let (Some(whole), Some(domain)) = (found.get(0), found.get(1)) else {
            continue;
        };
        if !is_example_domain(domain.as_str()) {
            findings.push((
                whole.range(),
                format!("`{}` looks like a real email address", whole.as_str()),
                "use a reserved example address such as you@contoso.com or user@example.com",
            ));
        }
    }
    for found in patterns.app_password.find_iter(text) {
        if super::app_password::looks_generated(found.as_str()) {
            findings.push((
                found.range(),
                format!("`{}` looks like an app password", found.as_str()),
                "never publish a real app password; show a clearly fake one such as xxxxxxxxxxxxxxxx",
            ));
        }
    }
    for (what, pattern) in &patterns.tokens {
        for found in pattern.find_iter(text) {
            let shown: String = found.as_str().chars().take(12).collect();
            findings.push((
                found.range(),
                format!("`{shown}…` looks like {what}"),
                "remove it, and if it was real, revoke it now: it is in the repository's history",
            ));
        }
    }
    findings
        .into_iter()
        .map(|(span, message, hint)| {
            Diagnostic::error(CHECK, message)
                .at_span(&file.path, text, span)
                .hint(hint)
        })
        .collect()
}

fn is_example_domain(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    EXAMPLE_DOMAINS
        .iter()
        .any(|example| domain == *example || domain.ends_with(&format!(".{example}")))
        || EXAMPLE_TLDS
            .iter()
            .any(|tld| domain.rsplit('.').next() == Some(tld))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(text: &str) -> Vec<String> {
        let file = SourceFile {
            path: "book/a.md".into(),
            text: text.to_string(),
        };
        check(&file).into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn example_addresses_pass_real_ones_fail() {
        assert!(findings("write you@contoso.com or user@example.com or a@b.test").is_empty());
        assert_eq!(
            findings("mail jane.doe@realcompany.co.uk"),
            ["`jane.doe@realcompany.co.uk` looks like a real email address"]
        );
    }

    #[test]
    fn app_password_shapes() {
        assert_eq!(findings("use qwkrtzplmnbvcxdf here").len(), 1);
        assert_eq!(findings("use qwkr tzpl mnbv cxdf here").len(), 1);
        assert_eq!(findings("use qwkr-tzpl-mnbv-cxdf here").len(), 1);
        // Vowel-rich random letters, which the old vowel-share rule let through.
        assert_eq!(findings("your password is ouaieqmoebuatiyz").len(), 1);
        assert_eq!(findings("shown as ouai eqmo ebua tiyz").len(), 1);
        assert!(findings("responsibilities internationally").is_empty());
        assert!(findings("xxxxxxxxxxxxxxxx abcdefghijklmnop").is_empty());
    }

    #[test]
    fn tokens_are_caught() {
        assert_eq!(
            findings("ghp_abcdefghijklmnopqrstuvwxyz0123456789").len(),
            1
        );
        assert_eq!(findings("password: hunter2hunter2").len(), 1);
        assert!(findings("Copy the generated password: it is shown once").is_empty());
    }
}

//! Loading guide.yaml: a good file loads; every kind of bad file names its line and column.

mod common;

use xtask::model::load::{load_guide, parse_guide};
use xtask::report::human;

fn base_yaml() -> String {
    std::fs::read_to_string(common::fixtures_dir().join("base/guide.yaml")).unwrap()
}

/// The first line of the human report for `yaml`, which must fail to load.
fn first_error_line(yaml: &str) -> String {
    let diagnostic = parse_guide(yaml).expect_err("this YAML must be refused");
    human::render(&diagnostic, false)
        .lines()
        .next()
        .unwrap()
        .to_string()
}

fn full_error(yaml: &str) -> String {
    human::render(
        &parse_guide(yaml).expect_err("this YAML must be refused"),
        false,
    )
}

#[test]
fn the_repository_guide_loads() {
    let loaded = load_guide(&xtask::project_root()).expect("guide.yaml loads");
    assert_eq!(loaded.guide.editions[0].id, "current");
    assert_eq!(
        loaded.settings.get("service.exchange_server"),
        Some("outlook.office365.com")
    );
    assert_eq!(
        loaded.settings.get("editions.current.accounts_path"),
        Some("Settings → Apps → Calendar → Calendar Accounts")
    );
}

#[test]
fn malformed_yaml_names_line_and_column() {
    let yaml = base_yaml().replace("  product: Microsoft 365\n", "  product: [Microsoft 365\n");
    let line = first_error_line(&yaml);
    assert!(line.starts_with("guide.yaml:5:"), "{line}");
    assert!(line.contains("error[yaml]"), "{line}");
}

#[test]
fn a_wrong_type_names_the_field() {
    let yaml = base_yaml().replace(
        "  sync_delay: a minute or two",
        "  sync_delay: [a minute, or two]",
    );
    assert_eq!(
        first_error_line(&yaml),
        "guide.yaml:11:15: error[yaml]: service.sync_delay: invalid type: sequence, expected a string"
    );
}

#[test]
fn a_map_where_text_is_expected_is_refused_at_its_position() {
    let yaml = base_yaml().replace("  max_per_user: \"40\"", "  max_per_user: {at_most: 40}");
    assert_eq!(
        first_error_line(&yaml),
        "guide.yaml:24:17: error[yaml]: app_passwords.max_per_user: invalid type: map, expected a string"
    );
}

#[test]
fn an_unknown_key_suggests_the_closest() {
    let yaml = base_yaml().replace("  exchange_server:", "  exchange_sever:");
    let report = full_error(&yaml);
    assert!(
        report
            .starts_with("guide.yaml:7:3: error[yaml]: service: unknown field `exchange_sever`\n"),
        "{report}"
    );
    assert!(
        report.contains("  ^^^^^^^^^^^^^^\n"),
        "the caret underlines the key:\n{report}"
    );
    assert!(
        report.contains("hint: did you mean `exchange_server`?"),
        "{report}"
    );
}

#[test]
fn a_duplicate_key_is_an_error_with_its_position() {
    let yaml = base_yaml().replace(
        "  sync_delay: a minute or two\n",
        "  sync_delay: a minute or two\n  sync_delay: soon\n",
    );
    let report = full_error(&yaml);
    assert!(
        report.starts_with("guide.yaml:12:3: error[yaml]:"),
        "{report}"
    );
    assert!(report.contains("duplicate"), "{report}");
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(
        first_error_line(""),
        "guide.yaml:1:1: error[yaml]: the file is empty"
    );
    assert_eq!(
        first_error_line("# only a comment\n\n"),
        "guide.yaml:1:1: error[yaml]: the file is empty"
    );
}

#[test]
fn a_missing_field_is_named() {
    let yaml = base_yaml().replace("release: 0.1.0\n", "");
    assert!(first_error_line(&yaml).contains("missing field `release`"));
}

#[test]
fn a_bad_date_is_found_in_the_file() {
    for bad in ["24 November 2026", "2026-02-31", "2026-13-01"] {
        let yaml = base_yaml().replacen(
            "sources_checked: 2026-11-24",
            &format!("sources_checked: {bad}"),
            1,
        );
        let report = full_error(&yaml);
        assert!(
            report.starts_with(&format!(
                "guide.yaml:43:5: error[yaml]: sources_checked `{bad}` is not a date"
            )),
            "{report}"
        );
        assert!(report.contains("YYYY-MM-DD"));
    }
}

#[test]
fn a_non_http_url_is_refused() {
    let yaml = base_yaml().replace(
        "url: https://outlook.office.com/calendar/",
        "url: javascript:alert(1)",
    );
    assert!(first_error_line(&yaml).contains("URL `javascript:alert(1)` is not http(s)"));
}

#[test]
fn a_legacy_first_edition_is_refused() {
    let yaml = base_yaml().replacen("status: current", "status: legacy", 1);
    assert!(first_error_line(&yaml).contains("the first edition `current` is not current"));
}

#[test]
fn a_bom_and_crlf_line_endings_load() {
    let yaml = format!("\u{feff}{}", base_yaml().replace('\n', "\r\n"));
    let loaded = parse_guide(&yaml).expect("a BOM and CRLF are fine");
    assert_eq!(
        loaded.settings.get("service.sync_delay"),
        Some("a minute or two")
    );
}

#[test]
fn crlf_errors_still_name_the_right_line() {
    let yaml = base_yaml()
        .replace("  exchange_server:", "  exchange_sever:")
        .replace('\n', "\r\n");
    assert!(first_error_line(&yaml).starts_with("guide.yaml:7:3:"));
}

#[test]
fn non_utf8_bytes_are_refused_with_their_position() {
    let tree = common::fixture(&[]);
    let mut bytes = base_yaml().into_bytes();
    let at = bytes.windows(3).position(|w| w == b"Off").unwrap();
    bytes[at] = 0xff;
    std::fs::write(tree.path().join("guide.yaml"), bytes).unwrap();
    let diagnostic = load_guide(tree.path()).expect_err("not UTF-8");
    let line = human::render(&diagnostic, false)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        line,
        "guide.yaml:6:17: error[yaml]: the file is not valid UTF-8"
    );
}

#[test]
fn an_oversized_file_is_refused_without_parsing() {
    let tree = common::fixture(&[]);
    let mut yaml = base_yaml();
    yaml.push_str(&format!("# {}\n", "x".repeat(5 * 1024 * 1024)));
    std::fs::write(tree.path().join("guide.yaml"), yaml).unwrap();
    let diagnostic = load_guide(tree.path()).expect_err("too large");
    assert!(
        diagnostic.message.contains("more than the"),
        "{}",
        diagnostic.message
    );
}

/// YAML errors in a person's terms: a key out of line is reported at its own line with the
/// indentation its siblings use, wherever serde noticed; a missing key says what to add; no
/// hint sends a contributor into the Rust sources.
#[test]
fn a_misindented_key_is_reported_at_its_own_line_with_its_siblings_indentation() {
    let yaml = base_yaml();
    let line_of =
        |text: &str, needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;
    let cases = [
        // one space too far in a mapping, and in a list item
        (
            "  exchange_server: outlook",
            "   exchange_server: outlook",
            "indented 3 spaces, but the key above it",
            "by 2 spaces",
        ),
        (
            "    url: https://outlook.office.com/calendar/",
            "     url: https://outlook.office.com/calendar/",
            "indented 5 spaces, but the key above it",
            "by 4 spaces",
        ),
        // one space short: serde reports the entry's start, missing the field
        (
            "  exchange_server: outlook",
            " exchange_server: outlook",
            "is indented 1 space, so it is not part of the entry",
            "by 2 spaces",
        ),
        (
            "    purpose: Outlook on the web\n",
            "   purpose: Outlook on the web\n",
            "is indented 3 spaces, so it is not part of the entry",
            "by 4 spaces",
        ),
    ];
    for (from, to, message, hint) in cases {
        let broken = yaml.replacen(from, to, 1);
        assert_ne!(broken, yaml, "{from}");
        let report = full_error(&broken);
        let line = line_of(&broken, to);
        let column = to.len() - to.trim_start().len() + 1;
        assert!(
            report.starts_with(&format!("guide.yaml:{line}:{column}: error[yaml]:")),
            "{to}: {report}"
        );
        assert!(report.contains(message), "{to}: {report}");
        assert!(report.contains(hint), "{to}: {report}");
        assert!(
            !report.contains(".rs"),
            "no Rust file in the hint: {report}"
        );
    }
}

#[test]
fn a_missing_or_unknown_key_names_the_nearest_valid_one() {
    let yaml = base_yaml();
    let report = full_error(&yaml.replacen(
        "    purpose: Outlook on the web",
        "    purpse: Outlook on the web",
        1,
    ));
    assert!(report.contains("did you mean `purpose`?"), "{report}");
    let report = full_error(&yaml.replacen("  exchange_server: outlook.office365.com\n", "", 1));
    assert!(
        report.contains("add `exchange_server:` to the entry that starts here"),
        "{report}"
    );
    for broken in [
        yaml.replacen("release: 0.1.0", "release: [", 1),
        yaml.replacen("  product: Microsoft 365", "  product: {", 1),
        String::new(),
    ] {
        let report = full_error(&broken);
        assert!(
            !report.contains(".rs"),
            "no Rust file in the hint: {report}"
        );
    }
}

/// Reader words belong to an answer or a page that exists, and name a web page; each mistake is
/// reported at its line of guide.yaml.
#[test]
fn reader_words_for_nothing_or_without_a_web_address_are_refused_at_their_line() {
    for (words, expected) in [
        (
            "reader_words:\n  no-such-answer:\n    - {said: \"calendar wont sync\", at: \"https://example.com/q\"}\n",
            "nor a chapter",
        ),
        (
            "reader_words:\n  current/index.md:\n    - {said: \"calendar wont sync\", at: \"javascript:alert(1)\"}\n",
            "reader words' `at`",
        ),
    ] {
        let tree = common::fixture(&[]);
        common::edit(&tree.path().join("guide.yaml"), |text| format!("{text}\n{words}"));
        let text = std::fs::read_to_string(tree.path().join("guide.yaml")).unwrap();
        let needle = if expected.starts_with("nor a chapter") { "no-such-answer:" } else { "at: \"javascript" };
        let line = text[..text.find(needle).unwrap()].matches('\n').count() + 1;
        let (code, output) = common::verify(tree.path(), &["--no-build"]);
        assert_eq!(code, 2, "{output}");
        assert!(
            output.contains(&format!("guide.yaml:{line}:")) && output.contains(expected),
            "{output}"
        );
    }
}

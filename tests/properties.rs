//! Nothing panics, whatever the markdown or YAML: property tests over the drift extractor, the
//! checks built on it, `--fix`, and the YAML loader.

use proptest::prelude::*;
use xtask::checks::{external_urls, extract, secrets, settings};
use xtask::diagnostic::Diagnostic;
use xtask::fix::apply_to_text;
use xtask::line_index::LineIndex;
use xtask::model::book::SourceFile;
use xtask::model::load::{load_guide, parse_guide, LoadedGuide};

/// Loaded once: the properties run thousands of cases.
fn guide() -> &'static LoadedGuide {
    static GUIDE: std::sync::OnceLock<LoadedGuide> = std::sync::OnceLock::new();
    GUIDE.get_or_init(|| {
        load_guide(&xtask::project_root()).expect("the repository's guide.yaml loads")
    })
}

/// Markdown assembled from the pieces that matter to the extractor, plus random text.
fn markdown_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("`".to_string()),
        Just("``".to_string()),
        Just("**".to_string()),
        Just("*".to_string()),
        Just("_".to_string()),
        Just("<!-- setting: service.exchange_server -->".to_string()),
        Just("<!-- setting: editions.current.accounts_path -->".to_string()),
        Just("<!-- setting: -->".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("   ".to_string()),
        Just("| a | b |\n| --- | --- |\n".to_string()),
        Just("[x](https://outlook.office.com/calendar/)".to_string()),
        Just("<https://a.example/(x)>".to_string()),
        Just("[j](javascript:alert(1))".to_string()),
        Just("https://user:pw@host.example/".to_string()),
        Just("{{#include ../x.md}}".to_string()),
        Just("# ".to_string()),
        Just("> ".to_string()),
        Just("1. ".to_string()),
        Just("```\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("→".to_string()),
        Just("you@contoso.com".to_string()),
        Just("outlook.office365.com".to_string()),
        "[a-zA-Z0-9 é→@.:/()\\[\\]<>!-]{0,12}",
    ];
    prop::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

fn in_bounds(text: &str, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000, 500), ..ProptestConfig::default() })]

    #[test]
    fn the_extractor_never_panics_and_spans_stay_in_the_text(text in markdown_like()) {
        let found = extract::extract(&text);
        for labelled in &found.labelled {
            prop_assert!(in_bounds(&text, &labelled.value_span));
            prop_assert!(in_bounds(&text, &labelled.marker_span));
            prop_assert!(labelled.value_span.end <= labelled.marker_span.start);
        }
        for bad in &found.bad_markers {
            prop_assert!(in_bounds(&text, &bad.span));
        }
    }

    #[test]
    fn the_markdown_checks_never_panic_and_locations_exist(text in markdown_like()) {
        let guide = guide();
        let file = SourceFile { path: "book/x.md".into(), text: text.clone() };
        let found = extract::extract(&text);
        let declared = guide.guide.urls.iter().map(|u| u.url.as_str()).collect();
        let mut all: Vec<Diagnostic> = settings::check_file(&file, &found, &guide.settings);
        all.extend(external_urls::check_file(&file, &found, &declared).0);
        all.extend(secrets::check(&file));
        let lines = text.split('\n').count();
        for diagnostic in &all {
            let location = diagnostic.location.as_ref().expect("markdown findings have a location");
            prop_assert!(location.line >= 1 && location.line <= lines);
            prop_assert!(location.column >= 1);
        }
    }

    #[test]
    fn fixing_is_idempotent(text in markdown_like()) {
        let guide = guide();
        let check = |text: &str| {
            let file = SourceFile { path: "book/x.md".into(), text: text.to_string() };
            settings::check(&file, &guide.settings)
        };
        let first = check(&text);
        let (fixed, _) = apply_to_text(&text, &first.iter().collect::<Vec<_>>());
        let second = check(&fixed);
        prop_assert!(second.iter().all(|d| d.fix.is_none()), "a second run still has fixes: {second:?}");
        let (again, applied) = apply_to_text(&fixed, &second.iter().collect::<Vec<_>>());
        prop_assert!(applied.is_empty());
        prop_assert_eq!(again, fixed);
    }

    #[test]
    fn line_index_accepts_any_offset(text in "\\PC{0,40}", offset in 0usize..200) {
        let index = LineIndex::new(&text);
        let (line, column) = index.line_col(&text, offset);
        prop_assert!(line >= 1 && column >= 1);
        let _ = index.line_text(&text, line);
    }

    #[test]
    fn the_yaml_loader_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let _ = parse_guide(&text);
    }
}

/// `yaml` with one random line deleted, duplicated or damaged.
fn mutated(yaml: String) -> impl Strategy<Value = String> {
    let line_count = yaml.lines().count();
    (0..line_count, 0u8..4, "[:\\-\\[\\]{}#'\" a-z0-9]{0,6}").prop_map(move |(line, how, junk)| {
        let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
        match how {
            0 => {
                lines.remove(line);
            }
            1 => lines.insert(line, lines[line].clone()),
            2 => lines[line].push_str(&junk),
            _ => lines[line] = format!("{junk}{}", lines[line].trim_start()),
        }
        lines.join("\n")
    })
}

/// How many damaged copies of the whole repository guide a run tries: a few dozen on every
/// run (each copy is 200 KB), 1,000 in the weekly deep run (`CALSYNC_DEEP_PROPERTIES=1`,
/// `.github/workflows/deep-tests.yml`). The small fixture guide, with every kind of value the
/// schema has, takes 1,000 on every run.
fn repository_cases() -> u32 {
    cases(1_000, 32)
}

/// `deep` cases in the weekly deep run (`CALSYNC_DEEP_PROPERTIES=1`), `everyday` on every run:
/// enough to keep each property's reach (every kind of input it generates is drawn many times)
/// within the minute and a half a contributor waits before a commit.
fn cases(deep: u32, everyday: u32) -> u32 {
    if std::env::var_os("CALSYNC_DEEP_PROPERTIES").is_some() {
        deep
    } else {
        everyday
    }
}

fn read(path: std::path::PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn errors_point_into_the_file(yaml: &str) -> Result<(), TestCaseError> {
    if let Err(diagnostic) = parse_guide(yaml) {
        let location = diagnostic.location.expect("YAML errors have a location");
        prop_assert!(location.line >= 1 && location.line <= yaml.lines().count().max(1));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1_000, 400), ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_fixture_guide_never_panics_and_errors_point_into_the_file(
        yaml in mutated(read(xtask::project_root().join("tests/fixtures/base/guide.yaml")))
    ) {
        errors_point_into_the_file(&yaml)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: repository_cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_damaged_repository_guide_never_panics_and_errors_point_into_the_file(
        yaml in mutated(read(xtask::project_root().join("guide.yaml")))
    ) {
        errors_point_into_the_file(&yaml)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// Any text after a duration flag parses within the flag's bound or is an error; the whole
    /// command line never panics (the same property `fuzz/fuzz_targets/duration.rs` fuzzes).
    #[test]
    fn duration_flags_never_overflow_or_panic(text in "[0-9]{0,30}[smhdx]?|\\PC{0,12}") {
        use xtask::duration::{parse_max_cache_age, parse_timeout, MAX_CACHE_AGE, MAX_TIMEOUT};
        if let Ok(timeout) = parse_timeout(&text) {
            prop_assert!(timeout <= MAX_TIMEOUT && !timeout.is_zero());
        }
        if let Ok(age) = parse_max_cache_age(&text) {
            prop_assert!(age <= MAX_CACHE_AGE);
        }
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut console = xtask::console::Console::new(&mut out, &mut err);
        let code = xtask::cli::run(
            ["urls", "--offline", "--timeout", text.as_str(), "--max-cache-age", text.as_str()],
            &mut console,
        );
        prop_assert!(code == 0 || code == 2);
    }
}

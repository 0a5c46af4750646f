//! Drift: every value labelled with a setting marker must equal its value in `guide.yaml`.

use crate::checks::extract::{self, Extracted, MarkerProblem, ValueKind};
use crate::diagnostic::Diagnostic;
use crate::model::book::SourceFile;
use crate::model::settings::Settings;
use crate::suggest;

const CHECK: &str = "settings";

/// Checks one file, given what the extractor found in it.
pub fn check_file(file: &SourceFile, found: &Extracted, settings: &Settings) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for bad in &found.bad_markers {
        let (message, hint) = match bad.problem {
            MarkerProblem::NoKey => (
                "this setting marker names no key",
                "write the key from guide.yaml, e.g. <!-- setting: service.exchange_server -->",
            ),
            MarkerProblem::LabelsNothing => (
                "this setting marker does not directly follow a value",
                "put it right after the value's closing ` or **, with no space: `value`<!-- setting: key -->",
            ),
            MarkerProblem::StartsALine => (
                "this setting marker starts a line, so it opens an HTML block and labels nothing",
                "write the value first, then the marker: `value`<!-- setting: key -->",
            ),
        };
        diagnostics.push(
            Diagnostic::error(CHECK, message)
                .at_span(&file.path, &file.text, bad.span.clone())
                .hint(hint),
        );
    }
    for labelled in &found.labelled {
        let Some(expected) = settings.get(&labelled.key) else {
            let hint = match suggest::closest(&labelled.key, settings.keys()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "setting keys are dotted paths into guide.yaml; see book/contributing.md"
                    .to_string(),
            };
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    format!(
                        "unknown setting `{}`: guide.yaml has no such key",
                        labelled.key
                    ),
                )
                .at_span(&file.path, &file.text, labelled.marker_span.clone())
                .hint(hint),
            );
            continue;
        };
        if expected == labelled.value {
            continue;
        }
        let mut diagnostic = Diagnostic::error(
            CHECK,
            format!(
                "setting {}: expected {:?}, found {:?}",
                labelled.key, expected, labelled.value
            ),
        )
        .at_span(&file.path, &file.text, labelled.value_span.clone())
        .expected_found(expected, labelled.value.as_str());
        if labelled.plain && replacement_is_safe(expected, labelled.kind) {
            diagnostic = diagnostic
                .with_fix(labelled.value_span.clone(), expected)
                .hint("run `cargo xtask verify --fix` to write guide.yaml's value here, or change guide.yaml if the text is right");
        } else {
            diagnostic = diagnostic.hint("edit the text to match guide.yaml (this one is not fixed automatically), or change guide.yaml if the text is right");
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// Whether `value` can be written between the delimiters without changing the markup.
fn replacement_is_safe(value: &str, kind: ValueKind) -> bool {
    let special: &[char] = match kind {
        ValueKind::Code => &['`', '\n', '\r'],
        ValueKind::Emphasis => &['*', '_', '`', '[', ']', '<', '>', '\\', '\n', '\r'],
    };
    !value.is_empty() && !value.contains(special) && value.trim() == value
}

/// Extracts and checks one file.
pub fn check(file: &SourceFile, settings: &Settings) -> Vec<Diagnostic> {
    check_file(file, &extract::extract(&file.text), settings)
}

/// A menu path written by hand: `Settings → …` (or `Settings > …`) in prose, outside code and
/// outside every marked value. Menu paths come from guide.yaml, marked, so that a renamed menu
/// cannot survive in a sentence nobody thought of: the drift check holds a marked path to its
/// setting, and nothing holds an unmarked one.
pub fn unmarked_menu_paths(
    file: &SourceFile,
    found: &Extracted,
    flavour: crate::markdown::Flavour,
) -> Vec<Diagnostic> {
    let starts: Vec<usize> = ["Settings →", "Settings >", "Settings &gt;"]
        .iter()
        .flat_map(|start| file.text.match_indices(start).map(|(at, _)| at))
        .collect();
    if starts.is_empty() {
        return Vec::new();
    }
    let code: Vec<std::ops::Range<usize>> = crate::markdown::code_and_html(&file.text, flavour)
        .into_iter()
        .map(|(range, _)| range)
        .collect();
    let mut diagnostics = Vec::new();
    for start in starts {
        let inside = |range: &std::ops::Range<usize>| range.start <= start && start < range.end;
        if code.iter().any(inside) || found.labelled.iter().any(|l| inside(&l.value_span)) {
            continue;
        }
        let end = file.text[start..]
            .find(['*', '<', '|', '(', ')', '\n', '`', ';'])
            .map_or(file.text.len(), |at| start + at);
        let path = file.text[start..end].trim_end_matches(['.', ',', ' ']);
        diagnostics.push(
            Diagnostic::error(CHECK, format!("the menu path `{path}` is written by hand"))
                .at_span(&file.path, &file.text, start..start + path.len())
                .hint("write it from guide.yaml with its marker, e.g. **Settings → Apps → Calendar → Calendar Accounts**<!-- setting: editions.current.accounts_path --> (`cargo xtask where KEY` shows a key's value), so a renamed menu is found wherever it is written; a path guide.yaml does not hold is said in words (\"in Settings, tap General, then About\")"),
        );
    }
    diagnostics
}

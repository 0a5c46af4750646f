//! Reading `guide.yaml` into the typed schema, with every error at `guide.yaml:LINE:COL`.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::schema::{EditionStatus, Expectation, Guide};
use crate::model::settings::Settings;
use crate::suggest;

pub use crate::model::names::{is_plain_id, GUIDE_FILE};

/// A source of truth far larger than this is a mistake (or an attack), not a guide.
pub const MAX_GUIDE_BYTES: usize = 4 * 1024 * 1024;

/// `guide.yaml`, parsed, with its text kept for locating values.
#[derive(Debug, Clone)]
pub struct LoadedGuide {
    pub text: String,
    pub guide: Guide,
    pub settings: Settings,
}

/// Reads and parses `ROOT/guide.yaml`.
pub fn load_guide(root: &Path) -> Result<LoadedGuide, Diagnostic> {
    let path = root.join(GUIDE_FILE);
    // Refuse an oversized file before reading it, so memory stays bounded.
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    if size > MAX_GUIDE_BYTES as u64 {
        return Err(too_large(size));
    }
    let bytes = std::fs::read(&path).map_err(|error| {
        Diagnostic::error("yaml", format!("cannot read {GUIDE_FILE}: {error}"))
            .in_file(GUIDE_FILE)
            .hint("every guide tree needs a guide.yaml next to its book.toml; pass --root to point at another tree")
    })?;
    if bytes.len() > MAX_GUIDE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
        Diagnostic::error("yaml", "the file is not valid UTF-8")
            .at_span(GUIDE_FILE, &text, valid..valid + 1)
            .hint("save the file as UTF-8")
    })?;
    parse_guide(&text)
}

fn too_large(size: u64) -> Diagnostic {
    Diagnostic::error(
        "yaml",
        format!("{GUIDE_FILE} is {size} bytes, more than the {MAX_GUIDE_BYTES} this tool reads"),
    )
    .in_file(GUIDE_FILE)
    .hint("the source of truth should be a few kilobytes; check that the right file was saved")
}

/// Parses the text of a `guide.yaml`: YAML syntax, the schema, then rules the schema cannot say.
pub fn parse_guide(text: &str) -> Result<LoadedGuide, Diagnostic> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    if body.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---"
    }) {
        return Err(Diagnostic::error("yaml", "the file is empty")
            .in_file(GUIDE_FILE)
            .hint("start from the guide.yaml in the repository root, and see Contributing in the guide for what each part holds"));
    }
    // Parsed once for every lookup of where a value sits (ids, duplicate keys).
    let spans = crate::model::yaml_spans::Spans::parse(text);
    if let Some((key, span)) = spans.as_ref().and_then(|s| s.first_duplicate_key()) {
        return Err(Diagnostic::error(
            "yaml",
            format!(
                "duplicate key: `{}` is written twice in one mapping",
                crate::escape::terminal(&key)
            ),
        )
        .at_span(GUIDE_FILE, text, span)
        .hint("each key may appear once in a mapping; delete or merge this second one"));
    }
    let guide: Guide = serde_yaml::from_str(body).map_err(|error| yaml_error(text, bom, &error))?;
    let value: serde_yaml::Value =
        serde_yaml::from_str(body).map_err(|error| yaml_error(text, bom, &error))?;
    no_hidden_controls(text, &value)?;
    no_mdbook_directives(text, spans.as_ref(), &value)?;
    validate(text, &guide)?;
    crate::model::problems::validate(text, spans.as_ref(), &guide)?;
    crate::model::day_to_day::validate(text, spans.as_ref(), &guide)?;
    Ok(LoadedGuide {
        text: text.to_string(),
        guide,
        settings: Settings::from_yaml(&value),
    })
}

fn yaml_error(text: &str, bom: usize, error: &serde_yaml::Error) -> Diagnostic {
    let mut message = strip_position_suffix(&error.to_string());
    let mut offset = error
        .location()
        .map_or(0, |location| location.index() + bom);
    let mut width = 1;
    let hint;
    if let Some((wrong, suggestion)) = unknown_field(&message) {
        width = wrong.len();
        message = message[..message.find(", expected").unwrap_or(message.len())].to_string();
        hint = suggestion;
    } else if let Some(key) = duplicate_field(&message) {
        // serde points at the start of the mapping; point at the second occurrence instead.
        if let Some(second) = second_key_occurrence(text, offset, key) {
            offset = second;
            width = key.len();
        }
        hint = "each key may appear once in a mapping; delete or merge the second one".to_string();
    } else if let Some((at, explained, why)) = misindented(text, offset, &message) {
        offset = at;
        width = text[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(1)
            .max(1);
        message = explained;
        hint = why;
    } else if let Some(field) = message
        .split("missing field `")
        .nth(1)
        .and_then(|r| r.split('`').next())
    {
        hint =
            format!("add `{field}:` to the entry that starts here, indented like its other keys");
    } else if message.contains("invalid type") && message.contains("expected a string") {
        hint = "put the value in double quotes, e.g. \"2020\", so it is read as text".to_string();
    } else {
        hint = "compare with an entry of the same kind elsewhere in guide.yaml: keys, their indentation (spaces, never tabs) and `- ` before each item of a list".to_string();
    }
    Diagnostic::error("yaml", message)
        .at_span(GUIDE_FILE, text, offset..offset + width)
        .hint(hint)
}

/// Indentation explains most YAML errors a person meets: a key one space too far ("mapping
/// values are not allowed in this context", at that key) or too short (the mapping it left
/// then misses a field, reported at the mapping's start). Returns the offset of the key that is
/// out of line, a message in the file's own terms, and the indentation its siblings use.
fn misindented(text: &str, offset: usize, message: &str) -> Option<(usize, String, String)> {
    let lines = line_starts(text);
    let line_of = |at: usize| lines.partition_point(|start| *start <= at) - 1;
    if message.contains("mapping values are not allowed") {
        let here = line_of(offset);
        let (indent, key) = key_at(line_text(text, &lines, here))?;
        // The sibling before it: the nearest earlier line that holds a key.
        let (sibling_line, sibling_indent) = (0..here).rev().find_map(|n| {
            let (indent, _) = key_at(line_text(text, &lines, n))?;
            Some((n, indent))
        })?;
        if indent <= sibling_indent {
            return None;
        }
        return Some((
            lines[here] + indent,
            format!(
                "`{key}:` is indented {}, but the key above it (line {}) is indented {}",
                spaces(indent),
                sibling_line + 1,
                spaces(sibling_indent)
            ),
            format!("indent `{key}:` by {} like the keys beside it; if it belongs under the line above, that line must end with a colon and no value", spaces(sibling_indent)),
        ));
    }
    let field = message.split("missing field `").nth(1)?.split('`').next()?;
    let start = line_of(offset);
    let (mapping_indent, _) = key_at(line_text(text, &lines, start))?;
    // Where the field was written, out of line: among the next lines, at another indentation.
    for n in start + 1..(start + 60).min(lines.len()) {
        let Some((indent, key)) = key_at(line_text(text, &lines, n)) else {
            continue;
        };
        if key == field && indent != mapping_indent {
            return Some((
                lines[n] + indent,
                format!(
                    "`{field}:` is indented {}, so it is not part of the entry that starts at line {} (whose keys are indented {}), which now misses it",
                    spaces(indent),
                    start + 1,
                    spaces(mapping_indent)
                ),
                format!("indent `{field}:` by {}, like the keys of its entry", spaces(mapping_indent)),
            ));
        }
    }
    None
}

fn spaces(count: usize) -> String {
    if count == 1 {
        "1 space".to_string()
    } else {
        format!("{count} spaces")
    }
}

/// The byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect()
}

fn line_text<'t>(text: &'t str, lines: &[usize], line: usize) -> &'t str {
    let start = lines[line];
    let end = lines.get(line + 1).map_or(text.len(), |next| next - 1);
    text[start..end].trim_end_matches('\r')
}

/// The column and name of the key a line holds (after `- ` for a list item), if any.
fn key_at(line: &str) -> Option<(usize, &str)> {
    let mut indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    while let Some(item) = rest.strip_prefix("- ") {
        indent += 2;
        rest = item;
    }
    let key = rest.split(':').next()?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (plain && rest[key.len()..].starts_with(':')).then_some((indent, key))
}

/// The key named by serde's "duplicate field `x`".
fn duplicate_field(message: &str) -> Option<&str> {
    let rest = &message[message.find("duplicate field `")? + "duplicate field `".len()..];
    rest.split('`').next()
}

/// The offset of the second `key:` at the indentation of the mapping that starts at `from`.
fn second_key_occurrence(text: &str, from: usize, key: &str) -> Option<usize> {
    let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let indent = from - line_start;
    let mut seen = 0;
    let mut offset = line_start;
    for line in text[line_start..].split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let this_indent = line.len() - trimmed.len();
        if !trimmed.trim().is_empty() && !trimmed.starts_with('#') && this_indent < indent {
            break;
        }
        if this_indent == indent
            && trimmed
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            seen += 1;
            if seen == 2 {
                return Some(offset + this_indent);
            }
        }
        offset += line.len();
    }
    None
}

/// serde_yaml appends " at line L column C"; we print our own location instead.
fn strip_position_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`": the wrong name and a hint.
fn unknown_field(message: &str) -> Option<(&str, String)> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    let (wrong, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let hint = match suggest::closest(wrong, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => "remove it: no fields are allowed here".to_string(),
        None => format!("allowed here: {}", candidates.join(", ")),
    };
    Some((wrong, hint))
}

/// Rules across fields: unique ids, known formats, a current edition first.
fn validate(text: &str, guide: &Guide) -> Result<(), Diagnostic> {
    let problem = |needle: &str, message: String, hint: &str| {
        let offset = text.find(needle).unwrap_or(0);
        Diagnostic::error("yaml", message)
            .at_span(GUIDE_FILE, text, offset..offset + needle.len().max(1))
            .hint(hint.to_string())
    };
    if !is_semver(&guide.release) {
        return Err(problem(
            &guide.release,
            format!("release `{}` is not a semantic version", guide.release),
            "write MAJOR.MINOR.PATCH, e.g. 1.2.0",
        ));
    }
    let mut url_ids = std::collections::BTreeSet::new();
    for entry in &guide.urls {
        if !url_ids.insert(entry.id.as_str()) {
            return Err(problem(
                &format!("id: {}", entry.id),
                format!("two URLs have the id `{}`", entry.id),
                "ids name setting keys (urls.<id>.url) and must be unique",
            ));
        }
        check_id(text, "URL", &entry.id)?;
        if let Some(why) = web_address_problem(&entry.url) {
            return Err(problem(
                &entry.url,
                format!("URL `{}` {why}", entry.url),
                "readers may only be sent to a plain http:// or https:// address; percent-encode spaces and quotes (%20, %22)",
            ));
        }
        if let Some(why) = entry.redirect_to.as_deref().and_then(web_address_problem) {
            return Err(problem(
                entry.redirect_to.as_deref().unwrap_or_default(),
                format!("redirect_to of `{}` {why}", entry.id),
                "write the address the redirect must end at, as http:// or https://",
            ));
        }
        if (entry.expect == Expectation::Redirect) != entry.redirect_to.is_some() {
            return Err(problem(
                &entry.url,
                format!(
                    "URL `{}`: `redirect_to` goes with `expect: redirect`, and only with it",
                    entry.id
                ),
                "add redirect_to: <final address prefix>, or change expect",
            ));
        }
    }
    let mut document_ids = std::collections::BTreeSet::new();
    for document in &guide.documents {
        check_id(text, "document", &document.id)?;
        if let Some(copy) = &document.local_copy {
            if !is_allowed_local_copy(copy) {
                return Err(problem(
                    &format!("local_copy: {copy}"),
                    format!(
                        "local_copy `{}` is not a file of the repository or of ../shared/",
                        crate::escape::terminal(copy)
                    ),
                    "excerpts of the copy are printed; name a file inside the repository, or ../shared/<file>",
                ));
            }
        }
        if !document_ids.insert(document.id.as_str()) {
            return Err(problem(
                &format!("id: {}", document.id),
                format!("two documents have the id `{}`", document.id),
                "ids are cited as `document: <id>` and must be unique",
            ));
        }
    }
    let mut edition_ids = std::collections::BTreeSet::new();
    for edition in &guide.editions {
        check_id(text, "edition", &edition.id)?;
        if !edition_ids.insert(edition.id.as_str()) {
            return Err(problem(
                &format!("id: {}", edition.id),
                format!("two editions have the id `{}`", edition.id),
                "edition ids must be unique",
            ));
        }
        if !is_iso_date(&edition.sources_checked) {
            return Err(problem(
                &format!("sources_checked: {}", edition.sources_checked),
                format!(
                    "sources_checked `{}` is not a date",
                    edition.sources_checked
                ),
                "write YYYY-MM-DD, e.g. 2026-11-24",
            ));
        }
        if let Some(check) = &edition.device_checked {
            if !is_iso_date(&check.date) {
                return Err(problem(
                    &check.date,
                    format!("device_checked date `{}` is not a date", check.date),
                    "write YYYY-MM-DD, e.g. 2026-11-24",
                ));
            }
        }
        if edition.dir.is_empty()
            || !edition
                .dir
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(problem(
                &format!("dir: {}", edition.dir),
                format!(
                    "edition dir `{}` must be lowercase letters, digits and dashes",
                    edition.dir
                ),
                "the dir is a folder under book/ and a published URL path",
            ));
        }
    }
    match guide.editions.first() {
        None => Err(problem(
            "editions",
            "there are no editions".into(),
            "add at least the current edition",
        )),
        Some(first) if first.status != EditionStatus::Current => Err(problem(
            &format!("id: {}", first.id),
            format!("the first edition `{}` is not current", first.id),
            "list editions newest first: the site opens on the first one",
        )),
        Some(_) => Ok(()),
    }
}

/// Ids name setting keys and land in pages (attributes, anchors, file names): lowercase ASCII
/// letters, digits, `-` and `_`, starting with a letter or digit, like an edition's `dir`.
fn check_id(text: &str, what: &str, id: &str) -> Result<(), Diagnostic> {
    if is_plain_id(id) {
        return Ok(());
    }
    let needle = format!("id: {id}");
    let offset = text
        .find(&needle)
        .map(|at| at + 4)
        .or_else(|| text.find(id))
        .unwrap_or(0);
    Err(Diagnostic::error(
        "yaml",
        format!(
            "{what} id `{}` must be lowercase letters, digits, `-` and `_`",
            crate::escape::terminal(id)
        ),
    )
    .at_span(GUIDE_FILE, text, offset..offset + id.len().max(1))
    .hint("ids name setting keys and land in every page's HTML; e.g. security_info or ios-14-17"))
}

/// A document's local copy is read and excerpts of it printed, so it may only be a plain
/// relative path inside the repository, or inside `../shared/` (the material shared beside
/// it). Symbolic links are checked when it is read (`sources::pages::read_documents`).
pub fn is_allowed_local_copy(path: &str) -> bool {
    use std::path::Component;
    let path = std::path::Path::new(path);
    let rest = path.strip_prefix("../shared").unwrap_or(path);
    rest.components().next().is_some()
        && rest
            .components()
            .all(|component| matches!(component, Component::Normal(_)))
}

/// Why `address` may not be published as a link, if it may not: it must parse (the `url`
/// crate, as a browser would), be http(s) with a host, and hold no character that could end an
/// attribute or a markdown link early (whitespace, quotes, angle brackets, backticks).
pub fn web_address_problem(address: &str) -> Option<&'static str> {
    if crate::escape::holds_markup_characters(address) {
        return Some("holds whitespace, a quote, a backslash, a backtick or an angle bracket");
    }
    let Ok(parsed) = url::Url::parse(address) else {
        return Some("is not a valid address");
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Some("is not http(s)");
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Some("has no host");
    }
    if !address
        .get(..parsed.scheme().len() + 3)
        .is_some_and(|start| start.eq_ignore_ascii_case(&format!("{}://", parsed.scheme())))
    {
        return Some("is not written as http:// or https:// followed by a host");
    }
    None
}

/// Everything generated from this file passes through mdBook, which expands `{{#include …}}`
/// anywhere in a chapter, code spans included: a value could read any file into a published
/// page. So no string holds a double brace, as parsed: a double-quoted value can spell one with
/// escapes (`\x7b`, `\u007b`) or an escaped line break between the braces, which a search of the
/// file's text never sees.
fn no_mdbook_directives(
    text: &str,
    spans: Option<&crate::model::yaml_spans::Spans>,
    value: &serde_yaml::Value,
) -> Result<(), Diagnostic> {
    let refuse = |span: std::ops::Range<usize>| {
        Diagnostic::error(
            "yaml",
            "`{{` in guide.yaml: mdBook would read it as a directive (`{{#include …}}`) in every page that shows the value",
        )
        .at_span(GUIDE_FILE, text, span)
        .hint("write the text without a double brace (also not spelled with escapes such as \\x7b or \\u007b)")
    };
    if let Some(at) = text.find("{{") {
        return Err(refuse(at..at + 2));
    }
    if let Some((_, span)) = spans.and_then(|s| s.find_scalar(|v| v.contains("{{"))) {
        return Err(refuse(span));
    }
    // The span walker reads all of YAML this tool accepts; the typed values are the last word.
    if let Some(string) = first_string(value, &|s| s.contains("{{")) {
        let before = &string[..string.find('{').unwrap_or(0)];
        let at = (!before.is_empty())
            .then(|| text.find(before))
            .flatten()
            .unwrap_or(0);
        return Err(refuse(at..at + 1));
    }
    Ok(())
}

/// The first string, key or value, in `value` that satisfies `matches`.
fn first_string<'v>(
    value: &'v serde_yaml::Value,
    matches: &dyn Fn(&str) -> bool,
) -> Option<&'v str> {
    match value {
        serde_yaml::Value::String(s) => matches(s).then_some(s.as_str()),
        serde_yaml::Value::Sequence(items) => items.iter().find_map(|v| first_string(v, matches)),
        serde_yaml::Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| first_string(k, matches).or_else(|| first_string(v, matches))),
        serde_yaml::Value::Tagged(tagged) => first_string(&tagged.value, matches),
        _ => None,
    }
}

/// Every string of the file is shown to readers or printed on a terminal: none may hold a
/// control character (an escape sequence, a NUL that makes a profile's XML ill-formed) or a
/// bidirectional control that makes a reviewer read something other than what is published.
fn no_hidden_controls(text: &str, value: &serde_yaml::Value) -> Result<(), Diagnostic> {
    let Some(string) = first_string(value, &|s| s.chars().any(crate::escape::is_hidden_control))
    else {
        return Ok(());
    };
    let at = string
        .char_indices()
        .find(|(_, c)| crate::escape::is_hidden_control(*c))
        .map_or(0, |(i, _)| i);
    let before = &string[..at];
    // Point at the character itself when it is written raw, else at the text before it.
    let offset = text
        .char_indices()
        .find(|(at, c)| {
            crate::escape::is_hidden_control(*c)
                && !matches!(c, '\n' | '\r' | '\t')
                && !(*at == 0 && *c == '\u{feff}')
        })
        .map(|(i, _)| i)
        .or_else(|| {
            (!before.is_empty())
                .then(|| text.find(before))
                .flatten()
                .map(|i| i + before.len())
        })
        .unwrap_or(0);
    Err(Diagnostic::error(
        "yaml",
        format!(
            "the text {string:?} holds an invisible, control or bidirectional character"
        ),
    )
    .at_span(GUIDE_FILE, text, offset..offset + 1)
    .hint("remove it: it is invisible (search and find-in-page miss the text), reorders what a reviewer sees, or breaks a terminal or the profile's XML; write plain text on one line"))
}

fn is_semver(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_iso_date(text: &str) -> bool {
    crate::dates::parse(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_suffix_is_removed() {
        assert_eq!(
            strip_position_suffix(
                "invalid type: integer `4`, expected a string at line 3 column 7"
            ),
            "invalid type: integer `4`, expected a string"
        );
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let message =
            "service: unknown field `exchange_sever`, expected one of `product`, `exchange_server`";
        assert_eq!(
            unknown_field(message),
            Some((
                "exchange_sever",
                "did you mean `exchange_server`?".to_string()
            ))
        );
    }

    #[test]
    fn the_second_occurrence_of_a_duplicate_key_is_found() {
        let text = "a:\n  b: 1\n  c:\n    b: 9\n  b: 2\nd: 3\n";
        let mapping = text.find("b: 1").unwrap();
        assert_eq!(second_key_occurrence(text, mapping, "b"), text.find("b: 2"));
    }

    #[test]
    fn dates_and_versions() {
        assert!(is_iso_date("2026-11-24"));
        assert!(!is_iso_date("24 Nov 2026"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(
            !is_iso_date("2026-02-31"),
            "a real date, not just digits in range"
        );
        assert!(is_semver("1.0.0"));
        assert!(is_semver("1.2.3-rc.1"));
        assert!(!is_semver("1.0"));
    }
}

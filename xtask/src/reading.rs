//! `cargo xtask read KEY`: a fact read against its quotes, side by side, by a person. It shows
//! the claim (or the values the guide shows), each quote with its page, and every sentence of
//! the prose marked with the fact; it writes the `read:` record only when the person at the
//! terminal answers `yes`. Without a terminal (CI, a pipe) it shows and never writes: a record
//! says somebody read, and a script cannot.

use std::io::{BufRead, Write};
use std::path::Path;

use crate::console::Console;
use crate::exit;
use crate::model::facts::{self, Shown};
use crate::model::load::GUIDE_FILE;
use crate::model::schema::Fact;
use crate::model::yaml_spans::{replace_scalar, Spans, Step};
use crate::model::GuideTree;

/// What the reader answers with: a line typed at a terminal, or nothing (not a terminal).
pub type Answer<'a> = Option<&'a mut dyn BufRead>;

/// The whole command: show `key`'s fact, ask, and record the reading on `yes`.
pub fn command(
    root: &Path,
    key: &str,
    today: jiff::civil::Date,
    answer: Answer<'_>,
    console: &mut Console<'_>,
) -> u8 {
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            crate::report::human::print_all(console.err, &problems, console.colour);
            return exit::CANNOT_RUN;
        }
    };
    let shown = crate::checks::check_markdown(&tree).shown;
    let guide = &tree.yaml.guide;
    let Some(fact) = guide.facts.iter().find(|f| f.keys.iter().any(|k| k == key)) else {
        let known = guide
            .facts
            .iter()
            .flat_map(|f| f.keys.iter().map(String::as_str));
        let hint = crate::suggest::closest(key, known)
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_default();
        let _ = writeln!(
            console.err,
            "read: no fact has the key `{}`{hint}",
            crate::escape::terminal(key)
        );
        return exit::CANNOT_RUN;
    };
    show(&tree, fact, &shown, console.out);
    let digest = facts::reading_digest(fact, &tree.yaml.settings, &shown);
    if fact.read.as_ref().is_some_and(|r| r.digest == digest) {
        let _ = writeln!(
            console.out,
            "\nread: already read as it is now (on {}); nothing to record",
            fact.read.as_ref().map_or("", |r| r.on.as_str())
        );
        return exit::CLEAN;
    }
    let Some(answer) = answer else {
        let _ = writeln!(
            console.out,
            "\nread: not at a terminal, so nothing is recorded: a reading is recorded only when a person confirms it"
        );
        return exit::FINDINGS;
    };
    let _ = write!(
        console.out,
        "\nDo the quotes say all of the claim and of every sentence above, for this edition, today?\nType yes to record the reading in {GUIDE_FILE} (anything else records nothing): "
    );
    let _ = console.out.flush();
    let mut line = String::new();
    if answer.read_line(&mut line).is_err() || line.trim() != "yes" {
        let _ = writeln!(
            console.out,
            "read: nothing recorded; narrow the claim or the prose where the quotes say less, then read again"
        );
        return exit::FINDINGS;
    }
    match record(root, &tree.yaml.text, guide, fact, &digest, today) {
        Ok(()) => {
            let _ = writeln!(
                console.out,
                "read: recorded `read: {{on: {today}, digest: {digest}}}` for `{key}`"
            );
            exit::CLEAN
        }
        Err(error) => {
            let _ = writeln!(console.err, "read: {error}; nothing was written");
            exit::CANNOT_RUN
        }
    }
}

/// The claim, the quotes and the marked sentences, for a person to read side by side.
fn show(tree: &GuideTree, fact: &Fact, shown: &[Shown], out: &mut dyn Write) {
    let t = crate::escape::terminal;
    let settings = &tree.yaml.settings;
    let _ = writeln!(out, "Fact: {}", t(&fact.keys.join(", ")));
    if let Some(claim) = &fact.claim {
        let _ = writeln!(out, "\nThe claim:\n  {}", t(claim));
    }
    let values: Vec<(&String, &str)> = fact
        .keys
        .iter()
        .filter_map(|key| settings.get(key).map(|value| (key, value)))
        .collect();
    if !values.is_empty() {
        let _ = writeln!(out, "\nThe values the guide shows:");
        for (key, value) in values {
            let _ = writeln!(out, "  {key}: {}", t(value));
        }
    }
    let _ = writeln!(out, "\nWhat readers read, marked with it:");
    let places: Vec<&Shown> = shown
        .iter()
        .filter(|place| fact.keys.contains(&place.key) && place.sentence.is_some())
        .collect();
    if places.is_empty() {
        let _ = writeln!(out, "  (no sentence of the prose is marked with it)");
    }
    for place in places {
        let _ = writeln!(
            out,
            "  {}:{}: {}",
            place.file.display(),
            place.line,
            t(place.sentence.as_deref().unwrap_or(""))
        );
    }
    let _ = writeln!(out, "\nWhat the sources say:");
    if let Some(reason) = &fact.unsourced {
        let _ = writeln!(out, "  no source: {}", t(reason));
    }
    for source in &fact.sources {
        // The page's title beside its address: who says it is half of what a quote says.
        let page = crate::model::facts::cited(&tree.yaml.guide, source)
            .map(|cited| match cited.url {
                Some(url) => format!("{} <{url}>", cited.title),
                None => cited.title,
            })
            .unwrap_or_default();
        let hand = if source.secondary {
            "second-hand"
        } else {
            "first-hand"
        };
        let _ = writeln!(
            out,
            "  \"{}\"\n    {} ({hand}, copied {})",
            t(&source.quote),
            t(&page),
            t(&source.retrieved)
        );
        if let (Some(language), Some(english)) = (&source.language, &source.translation) {
            let _ = writeln!(
                out,
                "    in English ({} original): \"{}\"",
                t(language),
                t(english)
            );
        }
    }
}

/// Writes `read: {on: TODAY, digest: DIGEST}` for `fact` into `guide.yaml` (atomically): the
/// scalars of an existing record change; a fact without one gets a line after its keys.
pub fn record(
    root: &Path,
    text: &str,
    guide: &crate::model::schema::Guide,
    fact: &Fact,
    digest: &str,
    today: jiff::civil::Date,
) -> Result<(), String> {
    let index = guide
        .facts
        .iter()
        .position(|f| std::ptr::eq(f, fact))
        .ok_or("the fact is not in the guide")?;
    let spans = Spans::parse(text).ok_or("guide.yaml does not parse")?;
    let at = |field: &'static str| {
        [
            Step::Key("facts"),
            Step::Index(index),
            Step::Key("read"),
            Step::Key(field),
        ]
    };
    let updated = match (spans.scalar(&at("on")), spans.scalar(&at("digest"))) {
        (Some(on), Some(old)) => {
            // The later span first, so the earlier one's offsets still hold.
            let (first, second, first_value, second_value) = if on.start < old.start {
                (on, old, today.to_string(), digest.to_string())
            } else {
                (old, on, digest.to_string(), today.to_string())
            };
            let text = replace_scalar(text, second, &second_value);
            replace_scalar(&text, first, &first_value)
        }
        _ => {
            let last_key = fact
                .keys
                .len()
                .checked_sub(1)
                .ok_or("the fact has no keys")?;
            let key_span = spans
                .scalar(&[
                    Step::Key("facts"),
                    Step::Index(index),
                    Step::Key("keys"),
                    Step::Index(last_key),
                ])
                .ok_or("cannot find the fact's keys")?;
            let first_span = spans
                .scalar(&[
                    Step::Key("facts"),
                    Step::Index(index),
                    Step::Key("keys"),
                    Step::Index(0),
                ])
                .ok_or("cannot find the fact's keys")?;
            let line_start = text[..first_span.start].rfind('\n').map_or(0, |at| at + 1);
            let indent = text[line_start..first_span.start]
                .find("keys:")
                .ok_or("the fact's keys are not written as `keys: [...]`")?;
            let end_of_line = text[key_span.end..]
                .find('\n')
                .map_or(text.len(), |at| key_span.end + at + 1);
            let newline = if text[..end_of_line].ends_with("\r\n") {
                "\r\n"
            } else {
                "\n"
            };
            format!(
                "{}{}read: {{on: {today}, digest: {digest}}}{newline}{}",
                &text[..end_of_line],
                " ".repeat(indent),
                &text[end_of_line..]
            )
        }
    };
    // What is written must load, and hold this very record.
    let loaded = crate::model::load::parse_guide(&updated).map_err(|d| d.message)?;
    let written = loaded.guide.facts.get(index).and_then(|f| f.read.as_ref());
    if written.is_none_or(|r| r.digest != digest || r.on != today.to_string()) {
        return Err("the record did not land where it belongs".into());
    }
    crate::fsutil::write_in(root, Path::new(GUIDE_FILE), updated.as_bytes())
        .map_err(|error| format!("cannot write {GUIDE_FILE}: {error}"))
}

/// Records the reading of every fact whose record is missing or out of date, as if a person
/// had read each and answered yes. For tests whose subject is something else; never called by
/// a command.
pub fn record_all_for_tests(root: &Path, today: jiff::civil::Date) -> Result<usize, String> {
    let mut count = 0;
    loop {
        let tree = GuideTree::load(root).map_err(|p| format!("{p:?}"))?;
        let shown = crate::checks::check_markdown(&tree).shown;
        let next = tree.yaml.guide.facts.iter().find_map(|fact| {
            let digest = facts::reading_digest(fact, &tree.yaml.settings, &shown);
            (fact.read.as_ref().is_none_or(|r| r.digest != digest)).then_some((fact, digest))
        });
        let Some((fact, digest)) = next else {
            return Ok(count);
        };
        record(
            root,
            &tree.yaml.text,
            &tree.yaml.guide,
            fact,
            &digest,
            today,
        )?;
        count += 1;
    }
}

//! The rules that tie `day_to_day:` to the rest of `guide.yaml`: safe, unique ids that no
//! problem or kind shares (reader words and anchors name one or the other), a cell's text
//! exactly when it says something (a "not known" cell is printed as such and needs no fact),
//! and steps that keep the answers' rules (`problems::check_steps`).
//!
//! Errors point at the scalar that is wrong, found by the YAML parser's spans.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::names::GUIDE_FILE;
use crate::model::problems::{check_steps, unique_ids};
use crate::model::schema::{Can, Guide};
use crate::model::yaml_spans::{Spans, Step};

/// The anchor of the side-by-side table on each edition's day-to-day page.
pub const TABLE_ANCHOR: &str = "calendar-or-outlook";

/// Checks `day_to_day:` against the problems and kinds (already checked by
/// `model::problems::validate`) and the editions.
pub fn validate(text: &str, spans: Option<&Spans>, guide: &Guide) -> Result<(), Diagnostic> {
    let kinds: BTreeSet<&str> = guide.problem_kinds.iter().map(|k| k.id.as_str()).collect();
    let problems: BTreeSet<&str> = guide.problems.iter().map(|p| p.id.as_str()).collect();
    unique_ids(
        text,
        spans,
        "day_to_day",
        guide.day_to_day.iter().map(|q| q.id.as_str()),
    )?;
    let at = |path: &[Step<'_>], message: String, hint: &str| {
        let span = spans.and_then(|s| s.scalar(path)).unwrap_or(0..1);
        Diagnostic::error("yaml", message)
            .at_span(GUIDE_FILE, text, span)
            .hint(hint.to_string())
    };
    for question in &guide.day_to_day {
        let id = question.id.as_str();
        let item = Step::ItemWith("id", id);
        if problems.contains(id) || kinds.contains(id) || id == TABLE_ANCHOR {
            return Err(at(
                &[Step::Key("day_to_day"), item, Step::Key("id")],
                format!("day_to_day id `{id}` is already a problem's, a kind's or the table's"),
                "reader words and links name an answer by its id alone; choose another",
            ));
        }
        for (app, cell) in question.cells() {
            let path = [
                Step::Key("day_to_day"),
                item,
                Step::Key(app),
                Step::Key("can"),
            ];
            match (cell.can, &cell.text) {
                (Can::NotSaid, Some(_)) => {
                    return Err(at(
                        &path,
                        format!("`{id}` says nothing is known for {app}, but gives a text"),
                        "set can: to yes, no or partly (the text then needs a fact), or remove the text",
                    ))
                }
                (can, None) if can != Can::NotSaid => {
                    return Err(at(
                        &path,
                        format!("`{id}` answers {app} with `{}`, but gives no text", can.cell()),
                        "add text: what the app does, within its fact's quotes; or can: not-said",
                    ))
                }
                _ => {}
            }
        }
        check_steps(
            text,
            spans,
            guide,
            ("day_to_day", "question", id),
            &question.steps,
            &problems,
        )?;
    }
    Ok(())
}

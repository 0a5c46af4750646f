//! The rules that tie `problems:` to the rest of `guide.yaml`: every id an answer refers to (its
//! kind, the menus of its steps, the answer a step sends to, the administrators' check) exists,
//! and every edition readers follow has each menu, so no edition prints a path it never declared.
//!
//! Errors point at the scalar that is wrong, found by the YAML parser's spans.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::names::{is_plain_id, GUIDE_FILE};
use crate::model::schema::{EditionStatus, FixStep, Guide};
use crate::model::yaml_spans::{Spans, Step};
use crate::suggest;

/// Checks the problems, their kinds and the administrators' checks against each other and the
/// editions.
pub fn validate(text: &str, spans: Option<&Spans>, guide: &Guide) -> Result<(), Diagnostic> {
    let at = |path: &[Step<'_>], message: String, hint: String| {
        let span = spans.and_then(|s| s.scalar(path)).unwrap_or(0..1);
        Diagnostic::error("yaml", message)
            .at_span(GUIDE_FILE, text, span)
            .hint(hint)
    };
    let kinds = unique_ids(
        text,
        spans,
        "problem_kinds",
        guide.problem_kinds.iter().map(|k| k.id.as_str()),
    )?;
    let problems = unique_ids(
        text,
        spans,
        "problems",
        guide.problems.iter().map(|p| p.id.as_str()),
    )?;
    let checks = unique_ids(
        text,
        spans,
        "admin_checks",
        guide.admin_checks.iter().map(|c| c.id.as_str()),
    )?;
    // An anchor of the troubleshooting page is a kind or a problem: they must not collide.
    if let Some(both) = kinds.intersection(&problems).next() {
        return Err(at(
            &[
                Step::Key("problems"),
                Step::ItemWith("id", both),
                Step::Key("id"),
            ],
            format!("`{both}` is both a problem kind and a problem"),
            "each is an anchor of the troubleshooting page; rename the kind".into(),
        ));
    }
    // A menu's name is a setting key: checked before any step may refer to it.
    for edition in &guide.editions {
        for name in edition.menus.keys() {
            if !is_plain_id(name) || name.ends_with("_path") {
                return Err(at(
                    &[Step::Key("editions"), Step::ItemWith("id", &edition.id), Step::Key("id")],
                    format!(
                        "menu name `{}` of edition `{}` must be lowercase letters, digits, `-` and `_`, and not end in _path",
                        crate::escape::terminal(name),
                        edition.id
                    ),
                    "menu names are setting keys (editions.<id>.menus.<name>)".into(),
                ));
            }
        }
    }
    for problem in &guide.problems {
        let item = Step::ItemWith("id", &problem.id);
        let here = |field: &'static str| [Step::Key("problems"), item, Step::Key(field)];
        if !kinds.contains(problem.kind.as_str()) {
            return Err(at(
                &here("kind"),
                format!(
                    "problem `{}` has kind `{}`, which problem_kinds does not list",
                    problem.id,
                    crate::escape::terminal(&problem.kind)
                ),
                did_you_mean(&problem.kind, &kinds, "add it to problem_kinds"),
            ));
        }
        if let Some(admin) = &problem.admin {
            if !checks.contains(admin.as_str()) {
                return Err(at(
                    &here("admin"),
                    format!(
                        "problem `{}` sends IT to `{}`, which admin_checks does not list",
                        problem.id,
                        crate::escape::terminal(admin)
                    ),
                    did_you_mean(admin, &checks, "add it to admin_checks"),
                ));
            }
        }
        if problem.fixed_by != crate::model::schema::FixedBy::Reader && problem.tell_it.is_none() {
            return Err(at(
                &here("fixed_by"),
                format!(
                    "problem `{}` needs IT, but does not say what to tell them",
                    problem.id
                ),
                "add tell_it: one sentence the reader can send their IT team".into(),
            ));
        }
        if problem.steps.is_empty() {
            return Err(at(
                &here("id"),
                format!("problem `{}` has no steps", problem.id),
                "add steps: the answer, even when it is to ask IT".into(),
            ));
        }
        check_steps(
            text,
            spans,
            guide,
            ("problems", "problem", &problem.id),
            &problem.steps,
            &problems,
        )?;
    }
    Ok(())
}

/// The rules every list of steps keeps: a `see` names another problem, and a `menu` is one
/// every edition readers follow defines. `owner` is the list, what an item is called, and its id.
pub(super) fn check_steps(
    text: &str,
    spans: Option<&Spans>,
    guide: &Guide,
    owner: (&'static str, &'static str, &str),
    steps: &[FixStep],
    problems: &BTreeSet<&str>,
) -> Result<(), Diagnostic> {
    let (list, what, id) = owner;
    let followed: Vec<_> = guide
        .editions
        .iter()
        .filter(|e| e.status == EditionStatus::Current)
        .collect();
    for (position, step) in steps.iter().enumerate() {
        let at = |name: &'static str, message: String, hint: String| {
            let path = [
                Step::Key(list),
                Step::ItemWith("id", id),
                Step::Key("steps"),
                Step::Index(position),
                Step::Key(name),
            ];
            let span = spans.and_then(|s| s.scalar(&path)).unwrap_or(0..1);
            Diagnostic::error("yaml", message)
                .at_span(GUIDE_FILE, text, span)
                .hint(hint)
        };
        if let Some(see) = &step.see {
            if !problems.contains(see.as_str()) || (list == "problems" && see == id) {
                return Err(at(
                    "see",
                    format!(
                        "step {} of {what} `{id}` sends to `{}`, which is not another problem",
                        position + 1,
                        crate::escape::terminal(see)
                    ),
                    did_you_mean(see, problems, "name another problem's id"),
                ));
            }
        }
        let Some(menu) = &step.menu else { continue };
        for edition in &followed {
            if edition.menu(menu).is_none() {
                return Err(at(
                    "menu",
                    format!(
                        "step {} of {what} `{id}` opens menu `{}`, which edition `{}` does not define",
                        position + 1,
                        crate::escape::terminal(menu),
                        edition.id
                    ),
                    format!(
                        "add `{}: [Settings, …]` under menus: of edition `{}`, with a fact (or an unsourced reason); a menu is never guessed",
                        crate::escape::terminal(menu),
                        edition.id
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The ids of one list, refusing a repeated or unsafe one (ids are anchors and setting keys).
pub(super) fn unique_ids<'g>(
    text: &str,
    spans: Option<&Spans>,
    list: &'static str,
    ids: impl Iterator<Item = &'g str>,
) -> Result<BTreeSet<&'g str>, Diagnostic> {
    let mut seen = BTreeSet::new();
    for (position, id) in ids.enumerate() {
        let path = [Step::Key(list), Step::Index(position), Step::Key("id")];
        let span = || spans.and_then(|s| s.scalar(&path)).unwrap_or(0..1);
        if !is_plain_id(id) {
            return Err(Diagnostic::error(
                "yaml",
                format!(
                    "{list} id `{}` must be lowercase letters, digits, `-` and `_`",
                    crate::escape::terminal(id)
                ),
            )
            .at_span(GUIDE_FILE, text, span())
            .hint("the id is an anchor in every edition's pages; e.g. old-events-missing"));
        }
        if crate::reserved_ids::is_reserved(id) {
            return Err(Diagnostic::error(
                "yaml",
                format!("{list} id `{id}` is an id the site's theme uses"),
            )
            .at_span(GUIDE_FILE, text, span())
            .hint(format!("the id becomes an element id of the page, and the theme's script would write into it; choose another; taken: ids starting {}, and {}",
                crate::reserved_ids::RESERVED_PREFIXES.join(", "),
                crate::reserved_ids::THEME_IDS.join(", ")
            )));
        }
        if !seen.insert(id) {
            return Err(
                Diagnostic::error("yaml", format!("two {list} have the id `{id}`"))
                    .at_span(GUIDE_FILE, text, span())
                    .hint("ids are anchors and setting keys, and must be unique"),
            );
        }
    }
    Ok(seen)
}

pub(super) fn did_you_mean(wrong: &str, known: &BTreeSet<&str>, otherwise: &str) -> String {
    match suggest::closest(wrong, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => otherwise.to_string(),
    }
}

//! After set-up: each edition's answers, its "What does your screen say?" index, and the
//! administrators' checks, generated from `problems:`, `problem_kinds:` and `admin_checks:`.
//!
//! Pure, like `snippets`: the same YAML gives the same bytes. Every problem keeps its id as its
//! anchor in every edition, so the edition switcher and the message index land on it. Menu
//! paths carry setting markers (the drift check covers them); causes, messages and steps carry
//! fact markers (each page's Sources section and the evidence page list them). A menu whose
//! fact is unsourced is printed with a hedge, never as if a page had named it.

use std::fmt::Write as _;

use crate::escape;
use crate::model::facts::fact_for;
use crate::model::schema::{Edition, EditionStatus, FixStep, FixedBy, Guide, Problem};
use crate::model::settings::MENU_SEPARATOR;
use crate::model::GENERATED_HEADER as HEADER;

/// The chapter each edition's answers are included into, and the file name of its index.
pub const ANSWERS_PAGE: &str = "troubleshooting.md";
pub const MESSAGES_PAGE: &str = "messages.md";
/// The chapter (in the first edition) that holds the administrators' checks.
pub const ADMIN_PAGE: &str = "administrators.md";

/// The mark after a menu path that no page names for the edition; the page says what it means
/// once, at the top, never inside a step.
pub const UNCONFIRMED_MARK: &str = "†";

/// The answers of one edition: first a list of every problem by group (a tap opens a group, a
/// second tap the answer), then the answers, grouped by kind, in the YAML's order.
pub fn answers(guide: &Guide, edition: &Edition) -> String {
    let mut out = format!("{HEADER}\n");
    write_problem_list(&mut out, guide);
    if answers_use_unconfirmed_menus(guide, edition) {
        out.push_str(&unconfirmed_note(edition));
    }
    for kind in &guide.problem_kinds {
        let problems = problems_of(guide, &kind.id);
        if problems.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} {{#{}}}", md(&kind.title), kind.id);
        for problem in problems {
            let _ = writeln!(out, "\n### {} {{#{}}}\n", md(&problem.title), problem.id);
            let _ = writeln!(out, "{}", md(&problem.symptom));
            if answer_here(edition, problem) {
                write_answer(&mut out, guide, edition, problem);
            } else {
                write_pointer(&mut out, guide, edition, problem);
            }
        }
    }
    out
}

/// The problems of one kind, in the YAML's order.
fn problems_of<'g>(guide: &'g Guide, kind: &str) -> Vec<&'g Problem> {
    guide.problems.iter().filter(|p| p.kind == kind).collect()
}

/// What the † mark means, said once per page that uses it.
pub(crate) fn unconfirmed_note(edition: &Edition) -> String {
    format!(
        "\nA menu marked {UNCONFIRMED_MARK} is not yet confirmed for {}: if yours differs, look for the same words nearby, and tell us with the link at the foot of the page.\n",
        md(&edition.ios)
    )
}

/// Every problem's title, by group: on a phone the page opens on this list, and each group
/// unfolds to its problems, each a link to its answer below.
fn write_problem_list(out: &mut String, guide: &Guide) {
    let _ = writeln!(out, "\n**Find your problem:** tap what you see.\n");
    for kind in &guide.problem_kinds {
        let problems = problems_of(guide, &kind.id);
        if problems.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "<details class=\"problem-list\">\n<summary>{} ({})</summary>\n",
            escape::html(&kind.title),
            problems.len()
        );
        for problem in problems {
            let _ = writeln!(out, "- [{}](#{})", md(&problem.title), problem.id);
        }
        let _ = writeln!(out, "\n</details>\n");
    }
}

/// Whether any answer `edition` gives prints a menu no page names for it.
fn answers_use_unconfirmed_menus(guide: &Guide, edition: &Edition) -> bool {
    let steps = guide
        .problems
        .iter()
        .filter(|problem| answer_here(edition, problem))
        .flat_map(|problem| &problem.steps);
    steps_use_unconfirmed_menus(guide, edition, steps)
}

/// Terms an answer may use, and their entry in the glossary: the first use in each answer links
/// there, so a reader who does not know the word is one tap from a plain explanation.
const GLOSSARY_TERMS: &[(&str, &str)] = &[
    ("Exchange ActiveSync", "exchange-activesync"),
    ("Basic authentication", "basic-authentication"),
    ("modern authentication", "modern-authentication"),
    ("Exchange Online", "exchange-online"),
    ("MFA", "mfa-multi-factor-authentication"),
];

/// `text` (markdown, already escaped) with the first use of each glossary term in `seen`'s
/// answer made a link to its entry.
pub(crate) fn link_terms(text: &str, seen: &mut Vec<&'static str>) -> String {
    let mut out = text.to_string();
    for (term, anchor) in GLOSSARY_TERMS {
        if seen.contains(term) {
            continue;
        }
        let Some(at) = out.find(term) else { continue };
        // Whole words only, and never inside a link already made.
        let before = out[..at].chars().last();
        let after = out[at + term.len()..].chars().next();
        if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric) {
            continue;
        }
        if out[..at].matches('[').count() > out[..at].matches(']').count() {
            continue;
        }
        out.replace_range(
            at..at + term.len(),
            &format!("[{term}](../glossary.md#{anchor})"),
        );
        seen.push(term);
    }
    out
}

/// A short link to the evidence page's entry for `key`'s fact: who says it, in their words.
pub(crate) fn how_we_know(guide: &Guide, key: &str, text: &str) -> String {
    crate::evidence::link_from_edition(guide, key, text).unwrap_or_default()
}

/// Whether `edition` answers `problem` itself: the editions readers follow always do; a legacy
/// edition does where every menu of the answer exists in its own (old) menus, and sends the
/// reader to the current answer otherwise.
pub fn answer_here(edition: &Edition, problem: &Problem) -> bool {
    steps_answerable(edition, &problem.steps)
}

/// Whether `edition` can give these steps itself (see `answer_here`).
pub fn steps_answerable(edition: &Edition, steps: &[FixStep]) -> bool {
    match edition.status {
        EditionStatus::Current => true,
        EditionStatus::Legacy => {
            let menus: Vec<&str> = steps.iter().filter_map(|s| s.menu.as_deref()).collect();
            !menus.is_empty() && menus.iter().all(|m| edition.menu(m).is_some())
        }
    }
}

/// Whether any of these steps prints, in `edition`, a menu no page names for it.
pub(crate) fn steps_use_unconfirmed_menus<'s>(
    guide: &Guide,
    edition: &Edition,
    steps: impl IntoIterator<Item = &'s FixStep>,
) -> bool {
    steps
        .into_iter()
        .filter_map(|step| step.menu.as_deref().and_then(|m| edition.menu(m)))
        .any(|(_, key)| fact_for(guide, &key).is_some_and(|fact| fact.unsourced.is_some()))
}

/// The answer under a problem's heading and symptom.
fn write_answer(out: &mut String, guide: &Guide, edition: &Edition, problem: &Problem) {
    let id = &problem.id;
    if !problem.messages.is_empty() {
        let _ = writeln!(out, "\n**On the screen:**\n");
        for (position, message) in problem.messages.iter().enumerate() {
            let _ = writeln!(
                out,
                "- “{}”<!-- fact: problems.{id}.messages.{}.text --> ({})",
                exact(&message.text),
                position + 1,
                md(&message.shown_in)
            );
        }
    }
    let mut seen = Vec::new();
    let _ = writeln!(
        out,
        "\n**Why:** {}<!-- fact: problems.{id}.cause --> {}",
        link_terms(&md(&problem.cause), &mut seen),
        how_we_know(guide, &format!("problems.{id}.cause"), "How we know")
    );
    let who = match problem.fixed_by {
        FixedBy::Reader => "you can do this yourself",
        FixedBy::It => "only your IT team can fix this",
        FixedBy::ReaderThenIt => "start yourself; if that does not help, ask your IT team",
    };
    let _ = writeln!(out, "\n**What to do** ({who}):\n");
    for (position, step) in problem.steps.iter().enumerate() {
        let prefix = format!("problems.{id}");
        write_step(out, guide, edition, &prefix, position, step, &mut seen, "");
    }
    if let Some(tell) = &problem.tell_it {
        let _ = write!(out, "\n**Tell your IT team:** “{}”", md(tell));
        if let Some(check) = problem
            .admin
            .as_ref()
            .and_then(|a| guide.admin_checks.iter().find(|c| &c.id == a))
        {
            let first = &guide.editions[0];
            let _ = write!(
                out,
                " What they check: [{}](../{}/{ADMIN_PAGE}#{}).",
                md(&check.title),
                first.dir,
                check.id
            );
        }
        out.push('\n');
    }
}

/// One numbered step: its menu for `edition` (with the † mark when no page names it there), its
/// text with a fact marker under `prefix` (`problems.<id>` or `day_to_day.<id>`), and the answer
/// it sends to, on `answers_page` (empty for the page being written).
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_step(
    out: &mut String,
    guide: &Guide,
    edition: &Edition,
    prefix: &str,
    position: usize,
    step: &FixStep,
    seen: &mut Vec<&'static str>,
    answers_page: &str,
) {
    let number = position + 1;
    let _ = write!(out, "{number}. ");
    if let Some((path, key)) = step.menu.as_deref().and_then(|m| edition.menu(m)) {
        let _ = write!(
            out,
            "Go to **{}**<!-- setting: {key} -->",
            md(&path.join(MENU_SEPARATOR))
        );
        if fact_for(guide, &key).is_some_and(|fact| fact.unsourced.is_some()) {
            out.push_str(UNCONFIRMED_MARK);
        }
        out.push_str(". ");
    }
    let key = format!("{prefix}.steps.{number}.text");
    let _ = write!(
        out,
        "{}<!-- fact: {key} --> <small>{}</small>",
        link_terms(&md(&step.text), seen),
        how_we_know(guide, &key, "how we know")
    );
    if let Some(other) = step
        .see
        .as_ref()
        .and_then(|see| guide.problems.iter().find(|p| &p.id == see))
    {
        let _ = write!(
            out,
            " See [{}]({answers_page}#{}).",
            md(&other.title),
            other.id
        );
    }
    out.push('\n');
}

/// A legacy edition's entry, under the problem's heading and symptom, for an answer whose
/// menus it does not have: why, and a link to the current answer.
fn write_pointer(out: &mut String, guide: &Guide, edition: &Edition, problem: &Problem) {
    let first = &guide.editions[0];
    let uses_menus = problem.steps.iter().any(|s| s.menu.is_some());
    let why = if uses_menus {
        format!(
            "The answer's menus are those of {}; we found no page naming them for {}.",
            md(&first.ios),
            md(&edition.ios)
        )
    } else {
        format!(
            "The answer names no Settings menu, but its screens are those of {}, and those of {} may differ.",
            md(&first.ios),
            md(&edition.ios)
        )
    };
    let _ = writeln!(
        out,
        "\n{why} [Read the answer in the current edition](../{}/{ANSWERS_PAGE}#{}).",
        first.dir, problem.id
    );
}

/// Every on-screen message, alphabetically, each linking to its answer.
/// The links are relative (`troubleshooting.md#id`), so the same list serves every edition.
pub fn messages(guide: &Guide) -> String {
    let mut rows: Vec<(String, &str, &str, &Problem)> = Vec::new();
    for problem in &guide.problems {
        for message in &problem.messages {
            rows.push((
                sort_key(&message.text),
                &message.text,
                &message.shown_in,
                problem,
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.3.id.cmp(&b.3.id)));
    let mut out = format!("{HEADER}\n\n");
    for (_, text, shown_in, problem) in rows {
        let _ = writeln!(
            out,
            "- [“{}”]({ANSWERS_PAGE}#{}) ({}): {}",
            exact(text),
            problem.id,
            md(shown_in),
            md(&problem.title)
        );
    }
    if guide.problems.iter().all(|p| p.messages.is_empty()) {
        out.push_str("No messages are listed yet.\n");
    }
    out
}

/// Alphabetical as a reader scans: case and leading punctuation ignored.
fn sort_key(text: &str) -> String {
    text.trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The administrators' checks, each with the answers that send IT to it.
pub fn admin_checks(guide: &Guide) -> String {
    let mut out = format!("{HEADER}\n");
    for check in &guide.admin_checks {
        let id = &check.id;
        let _ = writeln!(out, "\n### {} {{#{id}}}\n", md(&check.title));
        let _ = writeln!(
            out,
            "{}<!-- fact: admin_checks.{id}.text -->",
            md(&check.text)
        );
        if !check.steps.is_empty() {
            out.push('\n');
        }
        for (position, step) in check.steps.iter().enumerate() {
            let number = position + 1;
            let _ = write!(
                out,
                "{number}. {}<!-- fact: admin_checks.{id}.steps.{number}.text -->",
                md(&step.text)
            );
            if let Some(command) = &step.command {
                let indent = " ".repeat(format!("{number}. ").len());
                let _ = write!(
                    out,
                    "\n\n{indent}{}<!-- setting: admin_checks.{id}.steps.{number}.command -->",
                    escape::code_span(command)
                );
            }
            out.push('\n');
        }
        let from: Vec<&Problem> = guide
            .problems
            .iter()
            .filter(|p| p.admin.as_deref() == Some(id.as_str()))
            .collect();
        if !from.is_empty() {
            let links: Vec<String> = from
                .iter()
                .map(|p| format!("[{}]({ANSWERS_PAGE}#{})", md(&p.title), p.id))
                .collect();
            let _ = writeln!(out, "\nReaders are sent here from: {}.", links.join("; "));
        }
    }
    out
}

pub(crate) fn md(text: &str) -> String {
    escape::markdown(text)
}

/// Words a screen shows, kept character for character: markdown-escaped, and with straight
/// quotes and apostrophes as entities, which smart punctuation leaves alone (it would turn
/// "Couldn't" into "Couldn’t").
fn exact(text: &str) -> String {
    md(text).replace('\'', "&#39;").replace('"', "&quot;")
}

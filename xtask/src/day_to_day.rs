//! Day to day: each edition's chapter of everyday questions, opening on the side-by-side table
//! "The iPhone's Calendar or Outlook?", generated from `day_to_day:`.
//!
//! Pure, like `troubleshooting`, and built from the same parts: steps print the edition's menus
//! with setting markers (a † where no page names the menu there), and every cell and step
//! carries a fact marker, so the evidence page and each page's Sources list them. A cell no page
//! speaks to says so in words; it is never guessed.

use std::fmt::Write as _;

use crate::model::day_to_day::TABLE_ANCHOR;
use crate::model::schema::{AppAnswer, DailyQuestion, Edition, Guide};
use crate::model::GENERATED_HEADER as HEADER;
use crate::troubleshooting::{
    how_we_know, link_terms, md, steps_answerable, steps_use_unconfirmed_menus, unconfirmed_note,
    write_step, ANSWERS_PAGE,
};

/// The chapter each edition's day-to-day answers are included into.
pub const DAY_TO_DAY_PAGE: &str = "day-to-day.md";

/// What a cell says when no page we could read speaks to it.
pub const NOT_SAID: &str = "No page we could read says.";

/// The words a reader knows each app by, in the order of `DailyQuestion::cells`.
const APP_LABELS: [&str; 3] = [
    "The iPhone’s Calendar",
    "The Outlook app",
    "Outlook on the web",
];

/// One edition's day-to-day snippet: the table, then every answer in the YAML's order.
pub fn chapter(guide: &Guide, edition: &Edition) -> String {
    let mut out = format!("{HEADER}\n");
    write_table(&mut out, guide);
    let answered: Vec<&DailyQuestion> = guide
        .day_to_day
        .iter()
        .filter(|q| steps_answerable(edition, &q.steps))
        .collect();
    if steps_use_unconfirmed_menus(guide, edition, answered.iter().flat_map(|q| &q.steps)) {
        out.push_str(&unconfirmed_note(edition));
    }
    for question in &guide.day_to_day {
        let _ = writeln!(out, "\n### {} {{#{}}}", md(&question.question), question.id);
        if steps_answerable(edition, &question.steps) {
            write_answer(&mut out, guide, edition, question);
        } else {
            write_pointer(&mut out, guide, edition, question);
        }
    }
    out
}

/// The side-by-side table: one row per question, linking to its answer below.
fn write_table(out: &mut String, guide: &Guide) {
    let _ = writeln!(
        out,
        "\n## The iPhone’s Calendar or the Outlook app? {{#{TABLE_ANCHOR}}}\n"
    );
    out.push_str(
        "From the pages we could read. Tap a question for its answer and how to do it.\n\n",
    );
    // In a box of its own, so that the theme can fit four columns on a phone's width.
    out.push_str("<div class=\"compare\">\n\n");
    out.push_str("| Question | iPhone | Outlook app | Web |\n");
    out.push_str("| --- | --- | --- | --- |\n");
    for question in &guide.day_to_day {
        let [iphone, app, web] = question.cells().map(|(_, cell)| cell.can.cell());
        let _ = writeln!(
            out,
            "| [{}](#{}) | {iphone} | {app} | {web} |",
            table_text(&question.row),
            question.id,
        );
    }
    out.push_str("\n</div>\n");
    out.push_str(
        "\n**iPhone**: the iPhone’s own Calendar. **Outlook app**: Microsoft Outlook for iPhone. **Web**: Outlook on the web, in a browser. “Not known” means no page we could read says; it is not a no. The answers below say more, and each links to its evidence.\n",
    );
}

/// A table cell's text: markdown-escaped, which escapes a `|` that would end the cell.
fn table_text(text: &str) -> String {
    md(text)
}

/// The iPhone's answer first (the guide's subject), its steps in this edition's menus, then the
/// two Outlooks.
fn write_answer(out: &mut String, guide: &Guide, edition: &Edition, question: &DailyQuestion) {
    let id = &question.id;
    let mut seen = Vec::new();
    for (position, ((app, cell), label)) in question.cells().into_iter().zip(APP_LABELS).enumerate()
    {
        write_cell(
            out,
            guide,
            &format!("day_to_day.{id}.{app}.text"),
            label,
            cell,
            &mut seen,
        );
        if position == 0 && !question.steps.is_empty() {
            out.push('\n');
            for (step_position, step) in question.steps.iter().enumerate() {
                let prefix = format!("day_to_day.{id}");
                write_step(
                    out,
                    guide,
                    edition,
                    &prefix,
                    step_position,
                    step,
                    &mut seen,
                    ANSWERS_PAGE,
                );
            }
        }
    }
}

fn write_cell(
    out: &mut String,
    guide: &Guide,
    key: &str,
    label: &str,
    cell: &AppAnswer,
    seen: &mut Vec<&'static str>,
) {
    // The verdict is the table's; here the text says it in words, so it is not repeated.
    let _ = write!(out, "\n**{label}:** ");
    match &cell.text {
        Some(text) => {
            let _ = writeln!(
                out,
                "{}<!-- fact: {key} --> <small>{}</small>",
                link_terms(&md(text), seen),
                how_we_know(guide, key, "how we know")
            );
        }
        None => {
            let _ = writeln!(out, "{NOT_SAID}");
        }
    }
}

/// A legacy edition's entry for an answer whose menus it does not have: why, and a link to the
/// current answer.
fn write_pointer(out: &mut String, guide: &Guide, edition: &Edition, question: &DailyQuestion) {
    let first = &guide.editions[0];
    let _ = writeln!(
        out,
        "\nThe answer's screens are those of {}, and those of {} may differ. [Read the answer in the current edition](../{}/{DAY_TO_DAY_PAGE}#{}).",
        md(&first.ios),
        md(&edition.ios),
        first.dir,
        question.id
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_table_cell_cannot_be_ended_early() {
        assert_eq!(super::table_text("a | b"), "a \\| b");
    }

    #[test]
    fn html_in_a_row_is_escaped() {
        assert!(!super::table_text("<img src=x>").contains('<'));
    }
}

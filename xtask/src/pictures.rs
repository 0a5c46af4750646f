//! A picture of every step, drawn from the step's data in `guide.yaml`, so it changes in the
//! same commit as the words and can never show a menu that no longer exists.
//!
//! Each picture is a small SVG schematic in the style of a phone's settings list: a status bar,
//! where the reader came from, the screen's title, and grouped rows. The row, field, button or
//! switch the step acts on is highlighted and carries the step's number. Rows the YAML does not
//! name are drawn as "…", never invented. Text is real SVG text, so it is searchable and takes
//! the page's font; colours are CSS variables with light and dark values, which the site's theme
//! overrides. Output is deterministic: the same step gives the same bytes.

use std::fmt::Write as _;

use crate::model::schema::{Edition, Step};

/// The drawing's width, in CSS pixels: it fits a 320 px wide phone screen.
pub const WIDTH: u32 = 320;
const ROW: u32 = 44;
const MARGIN: u32 = 12;

/// One step's picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The SVG document.
    pub svg: String,
    /// What the reader does, as the picture's text alternative ("Tap Calendar Accounts").
    pub alt: String,
}

/// What a picture shows on its screen.
enum Row {
    /// A row the YAML does not name: "…".
    Elided,
    /// A list row that leads to another screen; `marked` is the one to tap.
    Menu { label: String, marked: bool },
    /// A form field with what to type, or a hint in grey.
    Field {
        label: String,
        value: Option<String>,
        hint: Option<String>,
        marked: bool,
    },
    /// A button to tap.
    Button { label: String },
    /// A switch, drawn on.
    Switch { label: String },
}

/// The pictures of every step of `edition`, in order.
pub fn pictures(edition: &Edition) -> Vec<Picture> {
    // The screen the reader is on: where the last menu path of a step ended.
    let mut screen = "Settings".to_string();
    let mut pictures = Vec::new();
    for (index, step) in edition.steps.iter().enumerate() {
        let number = index + 1;
        let (trail, title, rows, alt) = layout(step, &screen);
        if let Some(menu) = &step.menu {
            if let Some(last) = menu.last() {
                screen = last.clone();
            }
        }
        pictures.push(Picture {
            svg: draw(number, &trail, &title, &rows, &alt),
            alt,
        });
    }
    pictures
}

/// Where the reader came from, the screen's title, its rows and the action, for one step.
fn layout(step: &Step, screen: &str) -> (Vec<String>, String, Vec<Row>, String) {
    if let Some(menu) = step.menu.as_ref().filter(|m| !m.is_empty()) {
        // The last item is tapped on the screen the item before it opened.
        let target = menu[menu.len() - 1].clone();
        let mut trail: Vec<String> = Vec::new();
        if menu.len() == 1 || menu[0] != "Settings" && screen != menu[0] {
            trail.push(screen.to_string());
        }
        trail.extend(menu[..menu.len() - 1].iter().cloned());
        let title = trail.pop().unwrap_or_else(|| screen.to_string());
        // Compact: the row to tap alone, not the rows around it that the YAML does not name.
        let rows = vec![Row::Menu {
            label: target.clone(),
            marked: true,
        }];
        return (trail, title, rows, format!("Tap {target}"));
    }
    if !step.enter.is_empty() {
        let rows = step
            .enter
            .iter()
            .enumerate()
            .map(|(position, entry)| Row::Field {
                label: entry.field.clone(),
                value: entry.value.clone(),
                hint: entry.hint.clone(),
                marked: position == 0,
            })
            .collect();
        let fields: Vec<&str> = step.enter.iter().map(|e| e.field.as_str()).collect();
        return (
            Vec::new(),
            screen.to_string(),
            rows,
            format!("Fill in {}", join_words(&fields)),
        );
    }
    if let Some(button) = &step.tap {
        let rows = vec![Row::Button {
            label: button.clone(),
        }];
        return (
            Vec::new(),
            screen.to_string(),
            rows,
            format!("Tap {button}"),
        );
    }
    if !step.turn_on.is_empty() {
        let rows: Vec<Row> = step
            .turn_on
            .iter()
            .map(|label| Row::Switch {
                label: label.clone(),
            })
            .collect();
        let switches: Vec<&str> = step.turn_on.iter().map(String::as_str).collect();
        return (
            Vec::new(),
            screen.to_string(),
            rows,
            format!("Turn on {}", join_words(&switches)),
        );
    }
    (
        Vec::new(),
        step.title.clone(),
        vec![Row::Elided],
        step.title.clone(),
    )
}

/// "A", "A and B", "A, B and C".
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// How every picture this module draws begins; `snippets` removes only files that do.
pub const SVG_START: &str = "<svg class=\"cs\" xmlns=\"http://www.w3.org/2000/svg\" ";

/// Text safe inside SVG elements and attributes.
use crate::escape::html as escape;

/// The light colours; dark ones follow the phone's setting, and the site's themes override both.
const STYLE: &str = ".cs{--cs-screen:#f2f2f7;--cs-row:#fff;--cs-text:#1c1c1e;--cs-muted:#5c5c63;--cs-line:#c6c6c8;--cs-mark:#0a5cc2;--cs-marked:#e3edfb;--cs-on:#1f7a36}\
@media (prefers-color-scheme:dark){.cs{--cs-screen:#000;--cs-row:#1c1c1e;--cs-text:#f2f2f7;--cs-muted:#a1a1a8;--cs-line:#3a3a3c;--cs-mark:#6cb1ff;--cs-marked:#13294a;--cs-on:#3fbf5f}}\
.cs text{fill:var(--cs-text);font-size:15px}.cs .m{fill:var(--cs-muted);font-size:13px}.cs .t{font-size:20px;font-weight:700}\
.cs .s{fill:var(--cs-screen)}.cs .r{fill:var(--cs-row)}.cs .k{fill:var(--cs-marked);stroke:var(--cs-mark);stroke-width:2}\
.cs .c{fill:var(--cs-mark)}.cs .n{fill:var(--cs-row);font-size:13px;font-weight:700}.cs .l{stroke:var(--cs-line)}\
.cs .v{fill:var(--cs-mark)}.cs .o{fill:var(--cs-on)}.cs .h{fill:none;stroke:var(--cs-muted);stroke-width:2}";

fn draw(number: usize, trail: &[String], title: &str, rows: &[Row], alt: &str) -> String {
    // No status bar: a phone's clock and battery say nothing about the step, and on a phone
    // every line of a drawing is a line of scrolling.
    let top = if trail.is_empty() { 36 } else { 54 };
    let height = top + 16 + ROW * rows.len() as u32 + 16;
    let width = WIDTH - 2 * MARGIN;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"cs\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{label}\" font-family=\"system-ui, -apple-system, sans-serif\">\n<title>{label}</title>\n<style>{STYLE}</style>\n",
        label = escape(alt)
    );
    let _ = writeln!(
        svg,
        "<rect class=\"s\" width=\"{WIDTH}\" height=\"{height}\" rx=\"18\"/>"
    );
    let mut y = 26;
    if !trail.is_empty() {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{y}\" class=\"m\">‹ {}</text>",
            MARGIN,
            escape(&trail.join(" › "))
        );
        y += 20;
    }
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" class=\"t\">{}</text>",
        MARGIN,
        y + 2,
        escape(title)
    );
    let list_top = top + 16;
    let _ = writeln!(
        svg,
        "<rect class=\"r\" x=\"{MARGIN}\" y=\"{list_top}\" width=\"{width}\" height=\"{}\" rx=\"10\"/>",
        ROW * rows.len() as u32
    );
    for (index, row) in rows.iter().enumerate() {
        let row_top = list_top + ROW * index as u32;
        let baseline = row_top + 27;
        let text_x = MARGIN + 16;
        if index > 0 {
            let _ = writeln!(
                svg,
                "<line class=\"l\" x1=\"{text_x}\" y1=\"{row_top}\" x2=\"{}\" y2=\"{row_top}\"/>",
                MARGIN + width
            );
        }
        let marked = match row {
            Row::Menu { marked, .. } | Row::Field { marked, .. } => *marked,
            Row::Button { .. } | Row::Switch { .. } => true,
            Row::Elided => false,
        };
        if marked {
            let _ = writeln!(
                svg,
                "<rect class=\"k\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"/>",
                MARGIN + 1,
                row_top + 1,
                width - 2,
                ROW - 2
            );
        }
        match row {
            Row::Elided => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{text_x}\" y=\"{baseline}\" class=\"m\">…</text>"
                );
            }
            Row::Menu { label, .. } => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{text_x}\" y=\"{baseline}\">{}</text>",
                    escape(label)
                );
                let chevron_x = MARGIN + width - 16;
                let _ = writeln!(
                    svg,
                    "<path class=\"h\" d=\"M{} {} l5 6 l-5 6\"/>",
                    chevron_x,
                    row_top + 16
                );
            }
            Row::Field {
                label, value, hint, ..
            } => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{text_x}\" y=\"{baseline}\">{}</text>",
                    escape(label)
                );
                let (class, shown) = match (value, hint) {
                    (Some(value), _) => ("v", value.clone()),
                    (None, Some(hint)) => ("m", hint.clone()),
                    (None, None) => ("m", String::new()),
                };
                // Room for the value between its label and the callout.
                let shown = shorten(&shown, 16);
                let _ = writeln!(
                    svg,
                    "<text x=\"{}\" y=\"{baseline}\" class=\"{class}\">{}</text>",
                    text_x + 98,
                    escape(&shown)
                );
            }
            Row::Button { label } => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{}\" y=\"{baseline}\" text-anchor=\"middle\" class=\"v\">{}</text>",
                    WIDTH / 2,
                    escape(label)
                );
            }
            Row::Switch { label } => {
                let _ = writeln!(
                    svg,
                    "<text x=\"{text_x}\" y=\"{baseline}\">{}</text>",
                    escape(label)
                );
                let switch_x = MARGIN + width - 96;
                let _ = writeln!(
                    svg,
                    "<rect class=\"o\" x=\"{switch_x}\" y=\"{}\" width=\"46\" height=\"26\" rx=\"13\"/><circle class=\"r\" cx=\"{}\" cy=\"{}\" r=\"11\"/>",
                    row_top + 9,
                    switch_x + 33,
                    row_top + 22
                );
            }
        }
        if marked {
            // The numbered callout: the step this picture belongs to.
            let cx = MARGIN + width
                - 26
                - if matches!(row, Row::Switch { .. }) {
                    0
                } else {
                    12
                };
            let cx = if matches!(row, Row::Menu { .. }) {
                cx - 8
            } else {
                cx
            };
            let _ = writeln!(
                svg,
                "<circle class=\"c\" cx=\"{cx}\" cy=\"{}\" r=\"11\"/><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" class=\"n\">{number}</text>",
                row_top + 22,
                row_top + 27
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// At most `limit` characters, ending in "…" when cut.
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let cut: String = text.chars().take(limit - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

//! The committed `snippets/` must be exactly what `guide.yaml` generates.

use similar::TextDiff;

use crate::diagnostic::Diagnostic;
use crate::model::book::SourceFile;
use crate::model::{Generated, SNIPPETS_DIR};

const CHECK: &str = "snippets";
const HINT: &str = "run `cargo xtask snippets` to regenerate them, review the diff, and commit it";

pub fn check(generated: &[Generated], on_disk: &[SourceFile]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for file in generated {
        if crate::escape::holds_directive(&file.contents) {
            diagnostics.push(
                Diagnostic::error(
                    CHECK,
                    "the text generated from guide.yaml holds `{{`, which mdBook would expand as a directive",
                )
                .in_file(&file.path)
                .hint("find the value of guide.yaml that brings the double brace and remove it"),
            );
        }
        match on_disk.iter().find(|disk| disk.path == file.path) {
            None => diagnostics.push(
                Diagnostic::error(CHECK, "this generated snippet is missing")
                    .in_file(&file.path)
                    .hint(HINT),
            ),
            Some(disk) if disk.text != file.contents => {
                let line = first_different_line(&disk.text, &file.contents);
                let diff = TextDiff::from_lines(&disk.text, &file.contents)
                    .unified_diff()
                    .context_radius(2)
                    .header(
                        &format!("{} (committed)", file.path.display()),
                        &format!("{} (generated from guide.yaml)", file.path.display()),
                    )
                    .to_string();
                diagnostics.push(
                    Diagnostic::error(CHECK, "this snippet differs from what guide.yaml generates")
                        .at_line_col(&file.path, line, 1)
                        .detail(diff)
                        .hint(HINT),
                );
            }
            Some(_) => {}
        }
    }
    for disk in on_disk {
        if !generated.iter().any(|file| file.path == disk.path) {
            diagnostics.push(
                Diagnostic::error(CHECK, "guide.yaml generates no such snippet")
                    .in_file(&disk.path)
                    .hint(format!(
                        "delete it: everything under {}/ is generated (an edition may have been renamed)",
                        SNIPPETS_DIR
                    )),
            );
        }
    }
    diagnostics
}

fn first_different_line(committed: &str, generated: &str) -> usize {
    committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()))
        + 1
}

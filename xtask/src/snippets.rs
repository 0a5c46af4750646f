//! Generated instructions: each edition's steps and settings table, rendered from `guide.yaml`
//! into `snippets/<edition>/…md`, which the chapters `{{#include}}`.
//!
//! Generation is pure (YAML in, strings out) and deterministic (YAML order, no timestamps), so
//! the committed files can be compared byte for byte. Values a reader types carry a setting
//! marker, so the drift check covers generated text like hand-written text.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::model::schema::{Edition, EditionStatus, Guide, Step};
use crate::model::settings::MENU_SEPARATOR;

pub use crate::model::{Generated, SNIPPETS_DIR};

/// The first line of every generated file.
pub const HEADER: &str = crate::model::GENERATED_HEADER;

/// Every snippet the YAML generates, in a stable order.
pub fn generate(guide: &Guide) -> Vec<Generated> {
    let mut files = Vec::new();
    for edition in &guide.editions {
        let dir = PathBuf::from(SNIPPETS_DIR).join(&edition.dir);
        files.push(Generated {
            path: dir.join("steps.md"),
            contents: steps(edition),
        });
        for (index, picture) in crate::pictures::pictures(edition).into_iter().enumerate() {
            files.push(Generated {
                path: dir.join(format!("step-{}.svg", index + 1)),
                contents: picture.svg,
            });
        }
        files.push(Generated {
            path: dir.join("settings.md"),
            contents: settings_table(guide, edition),
        });
        // A guide without problems (an older or a minimal one) has no troubleshooting to include.
        if !guide.problems.is_empty() {
            files.push(Generated {
                path: dir.join("problems.md"),
                contents: crate::troubleshooting::answers(guide, edition),
            });
            files.push(Generated {
                path: dir.join("messages.md"),
                contents: crate::troubleshooting::messages(guide),
            });
        }
        if !guide.day_to_day.is_empty() {
            files.push(Generated {
                path: dir.join("day-to-day.md"),
                contents: crate::day_to_day::chapter(guide, edition),
            });
        }
    }
    if let Some(first) = guide
        .editions
        .first()
        .filter(|_| !guide.admin_checks.is_empty())
    {
        files.push(Generated {
            path: PathBuf::from(SNIPPETS_DIR)
                .join(&first.dir)
                .join("admin-checks.md"),
            contents: crate::troubleshooting::admin_checks(guide),
        });
    }
    files
}

/// The numbered steps of one edition, each with its picture.
pub fn steps(edition: &Edition) -> String {
    let mut out = format!("{HEADER}\n\n");
    let pictures = crate::pictures::pictures(edition);
    for (index, (step, picture)) in edition.steps.iter().zip(&pictures).enumerate() {
        let number = index + 1;
        let key = format!("editions.{}.steps.{number}", edition.id);
        if index > 0 {
            out.push('\n');
        }
        write_step(&mut out, number, &key, step);
        write_figure(&mut out, number, edition, picture);
    }
    out
}

/// The step's picture inline (so its text is the page's, and the site's theme colours it),
/// inside a figure whose caption says it is a drawing. The same SVG is written beside the step
/// list as `step-N.svg`; inline, it needs no namespace declaration.
fn write_figure(
    out: &mut String,
    number: usize,
    edition: &Edition,
    picture: &crate::pictures::Picture,
) {
    let indent = " ".repeat(format!("{number}. ").len());
    let what = match edition.status {
        EditionStatus::Current => "Drawing".to_string(),
        EditionStatus::Legacy => "Drawing of the 2018 screen (this no longer works)".to_string(),
    };
    let _ = writeln!(out, "\n{indent}<figure class=\"step-picture\">");
    for line in picture
        .svg
        .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .lines()
    {
        let _ = writeln!(out, "{indent}{line}");
    }
    let _ = writeln!(
        out,
        "{indent}<figcaption>{what}: {}.</figcaption>\n{indent}</figure>",
        crate::escape::html(&picture.alt)
    );
}

fn write_step(out: &mut String, number: usize, key: &str, step: &Step) {
    let indent = " ".repeat(format!("{number}. ").len());
    let _ = writeln!(out, "{number}. **{}.**", md(&step.title));
    let _ = writeln!(out, "{indent}{}", md(&step.text));
    if let Some(menu) = &step.menu {
        let _ = writeln!(
            out,
            "\n{indent}**{}**<!-- setting: {key}.menu -->",
            md(&menu.join(MENU_SEPARATOR))
        );
    }
    if !step.enter.is_empty() {
        // A list, not a table: on a phone a two-column table wraps every cell.
        out.push('\n');
        for (position, entry) in step.enter.iter().enumerate() {
            let what = match (&entry.value, &entry.hint) {
                (Some(value), Some(hint)) => format!(
                    "{}<!-- setting: {key}.enter.{}.value --> ({})",
                    code(value),
                    position + 1,
                    md(hint)
                ),
                (Some(value), None) => {
                    format!(
                        "{}<!-- setting: {key}.enter.{}.value -->",
                        code(value),
                        position + 1
                    )
                }
                (None, Some(hint)) => format!("*{}*", md(hint)),
                (None, None) => "*leave as it is*".to_string(),
            };
            let _ = writeln!(out, "{indent}- **{}**: {what}", md(&entry.field));
        }
    }
    if let Some(note) = &step.note {
        let _ = writeln!(out, "\n{indent}> **Note:** {}", md(note));
    }
    if let Some(warning) = &step.warning {
        let _ = writeln!(out, "\n{indent}> **Warning:** {}", md(warning));
    }
}

/// The settings of one edition at a glance, each row with the source that supports it.
pub fn settings_table(guide: &Guide, edition: &Edition) -> String {
    let key = format!("editions.{}", edition.id);
    let service = &guide.service;
    // Two columns a phone can show; each row's evidence is one tap away, on the evidence page.
    let mut out = format!("{HEADER}\n\n| What | Setting |\n| --- | --- |\n");
    let mut row = |what: &str, setting: String, fact: Option<&str>| {
        let evidence = fact
            .and_then(|key| crate::evidence::link_from_edition(guide, key, "how we know"))
            .map(|link| format!(" <small>{link}</small>"))
            .unwrap_or_default();
        let _ = writeln!(out, "| {what} | {setting}{evidence} |");
    };
    row(
        "Your iPhone",
        format!("**{}**<!-- setting: {key}.ios -->", md(&edition.ios)),
        Some(&format!("{key}.ios")),
    );
    row(
        "Where to add the account",
        format!(
            "**{}**<!-- setting: {key}.add_account_path -->",
            md(&edition.add_account_path.join(MENU_SEPARATOR))
        ),
        Some(&format!("{key}.add_account_path")),
    );
    row(
        "How you sign in",
        format!("**{}**<!-- setting: {key}.auth -->", md(&edition.auth)),
        Some(&format!("{key}.auth")),
    );
    row(
        "Email",
        format!(
            "**{}**<!-- setting: service.username_rule -->, e.g. {}<!-- setting: service.example_email -->",
            md(&service.username_rule),
            code(&service.example_email)
        ),
        Some("service.username_rule"),
    );
    let (server_note, password, password_fact) = match edition.status {
        EditionStatus::Current => (
            "the 2018 post's server; with Sign In you do not type one",
            "your normal work password, typed on Microsoft's sign-in page, then your second step (MFA)",
            "claims.new_accounts_use_modern_auth",
        ),
        EditionStatus::Legacy => (
            "typed by hand on the manual set-up screen",
            "an app password (Basic authentication), no longer accepted by Exchange Online",
            "claims.eas_basic_auth_retired",
        ),
    };
    row(
        "Server",
        format!(
            "{}<!-- setting: service.exchange_server --> ({server_note})",
            code(&service.exchange_server)
        ),
        Some("service.exchange_server"),
    );
    row("Password", password.to_string(), Some(password_fact));
    row("Sync", "turn **Calendars** on".to_string(), None);
    row(
        "Sources last checked",
        format!(
            "**{}**<!-- setting: {key}.sources_checked -->",
            md(&edition.sources_checked)
        ),
        None,
    );
    out
}

/// True for a file this command writes: markdown that starts with its header, or a step
/// picture by its own name (`step-N.svg`) and its own first bytes. Only such files are ever
/// removed.
pub fn is_generated(file: &crate::model::book::SourceFile) -> bool {
    let name = file.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let picture_name = name
        .strip_prefix("step-")
        .and_then(|rest| rest.strip_suffix(".svg"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    file.text.starts_with(HEADER)
        || (picture_name && file.text.starts_with(crate::pictures::SVG_START))
}

/// Contributor text as inline markdown that shows exactly its characters.
fn md(text: &str) -> String {
    crate::escape::markdown(text)
}

/// A value the reader types, as a code span that shows exactly its characters.
fn code(text: &str) -> String {
    crate::escape::code_span(text)
}

/// `cargo xtask snippets [--check]`: the I/O edge around `generate`.
pub mod command {
    use std::io::Write;
    use std::path::Path;

    use crate::console::Console;
    use crate::exit;
    use crate::model::{book, load};
    use crate::report;

    pub fn run(root: &Path, check_only: bool, console: &mut Console<'_>) -> u8 {
        let colour = console.colour;
        let out: &mut dyn Write = &mut *console.out;
        let print = |out: &mut dyn Write, problems: &[crate::diagnostic::Diagnostic]| {
            report::human::print_all(out, problems, colour);
        };
        let loaded = match load::load_guide(root) {
            Ok(loaded) => loaded,
            Err(problem) => {
                print(out, &[problem]);
                return exit::CANNOT_RUN;
            }
        };
        let on_disk = match book::read_tree(root, Path::new(super::SNIPPETS_DIR)) {
            Ok(files) => files,
            Err(problem) => {
                print(out, &[problem]);
                return exit::CANNOT_RUN;
            }
        };
        let generated = super::generate(&loaded.guide);
        let stale = crate::checks::snippets::check(&generated, &on_disk);
        if check_only {
            print(out, &stale);
            let _ = writeln!(out, "snippets: {} file(s) out of date", stale.len());
            return if stale.is_empty() {
                exit::CLEAN
            } else {
                exit::FINDINGS
            };
        }
        if let Err(error) = write(root, &generated, &on_disk, &mut |line| {
            let _ = writeln!(out, "snippets: {line}");
        }) {
            let _ = writeln!(out, "snippets: {error}");
            return exit::CANNOT_RUN;
        }
        let _ = writeln!(out, "snippets: {} file(s) up to date", generated.len());
        exit::CLEAN
    }

    /// Writes every generated file that differs from `on_disk` (atomically) and removes the
    /// files this command once generated that no edition generates now. A file it did not
    /// generate (a contributor's draft) is never removed: `note` lists it. Nothing is written
    /// through, or over, a symbolic link.
    pub fn write(
        root: &Path,
        generated: &[super::Generated],
        on_disk: &[crate::model::book::SourceFile],
        note: &mut dyn FnMut(String),
    ) -> Result<(), String> {
        // Checked before anything is written: a half-written set of snippets helps nobody.
        if let Some(file) = generated
            .iter()
            .find(|file| crate::escape::holds_directive(&file.contents))
        {
            return Err(format!(
                "{} would hold `{{{{`, which mdBook expands as a directive; nothing was written",
                file.path.display()
            ));
        }
        for file in generated {
            let unchanged = on_disk
                .iter()
                .any(|disk| disk.path == file.path && disk.text == file.contents);
            if unchanged {
                continue;
            }
            crate::fsutil::write_in(root, &file.path, file.contents.as_bytes())
                .map_err(|error| format!("cannot write {}: {error}", file.path.display()))?;
            note(format!("wrote {}", file.path.display()));
        }
        for disk in on_disk {
            if generated.iter().any(|file| file.path == disk.path) {
                continue;
            }
            if !super::is_generated(disk) {
                note(format!(
                    "left {} alone: not generated by this command (move it out of {}/ or delete it yourself)",
                    disk.path.display(),
                    super::SNIPPETS_DIR
                ));
                continue;
            }
            crate::fsutil::refuse_links_below(root, &disk.path)
                .and_then(|()| std::fs::remove_file(root.join(&disk.path)))
                .map_err(|error| format!("cannot remove {}: {error}", disk.path.display()))?;
            note(format!(
                "removed {} (no edition generates it)",
                disk.path.display()
            ));
        }
        Ok(())
    }

    /// Regenerates the snippets of the guide at `root` as it is on disk now (after `--stamp`
    /// moved a date that the settings tables show).
    pub fn refresh(root: &Path, note: &mut dyn FnMut(String)) -> Result<(), String> {
        let loaded = load::load_guide(root).map_err(|problem| problem.message)?;
        let on_disk = book::read_tree(root, Path::new(super::SNIPPETS_DIR))
            .map_err(|problem| problem.message)?;
        write(root, &super::generate(&loaded.guide), &on_disk, note)
    }
}

//! Human output: `file:line:col: error[check]: message`, the source line with a caret under the
//! span, then the expected and found values and a hint. Coloured only when asked (a TTY).

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};

/// Prints every diagnostic to `out`, one after the other.
pub fn print_all(out: &mut dyn std::io::Write, diagnostics: &[Diagnostic], colour: bool) {
    for diagnostic in diagnostics {
        let _ = out.write_all(render(diagnostic, colour).as_bytes());
    }
}

/// Every text of a diagnostic may come from a contributor or a fetched page: its escape
/// sequences and bidirectional controls are shown, never obeyed, by the terminal.
fn safe(text: &str) -> String {
    crate::escape::terminal(text)
}

pub fn render(diagnostic: &Diagnostic, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let (label, code) = match diagnostic.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = String::new();
    if let Some(location) = &diagnostic.location {
        let _ = write!(
            out,
            "{}:{}:{}: ",
            safe(&location.file.display().to_string()),
            location.line,
            location.column
        );
    }
    let _ = writeln!(
        out,
        "{}: {}",
        paint(code, &format!("{label}[{}]", diagnostic.check)),
        safe(&diagnostic.message)
    );
    if let (Some(location), Some(snippet)) = (&diagnostic.location, &diagnostic.snippet) {
        let number = location.line.to_string();
        let gutter = " ".repeat(number.len());
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{number} | {}", safe(&snippet.line_text));
        let _ = writeln!(
            out,
            "{gutter} | {}{}",
            " ".repeat(location.column - 1),
            paint(code, &"^".repeat(snippet.underline))
        );
    }
    let indent = diagnostic
        .location
        .as_ref()
        .map_or(1, |l| l.line.to_string().len() + 1);
    let pad = " ".repeat(indent);
    if let Some(expected) = &diagnostic.expected {
        let _ = writeln!(out, "{pad}= expected: {}", safe(expected));
    }
    if let Some(found) = &diagnostic.found {
        let _ = writeln!(out, "{pad}= found:    {}", safe(found));
    }
    if let Some(detail) = &diagnostic.detail {
        for line in safe(detail).lines() {
            let _ = writeln!(out, "{pad}  {line}");
        }
    }
    if let Some(hint) = &diagnostic.hint {
        let _ = writeln!(out, "{pad}= {}: {}", paint("1;36", "hint"), safe(hint));
    }
    out
}

//! GitHub Actions workflow commands, so findings show up as annotations on the pull request.

use crate::diagnostic::{Diagnostic, Severity};

/// True when running as a GitHub Actions step.
pub fn enabled() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|value| value == "true")
}

pub fn render(diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut properties = vec![format!("title={}", escape_property(diagnostic.check))];
    if let Some(location) = &diagnostic.location {
        properties.insert(0, format!("col={}", location.column));
        properties.insert(0, format!("line={}", location.line));
        properties.insert(
            0,
            format!(
                "file={}",
                escape_property(&location.file.display().to_string())
            ),
        );
    }
    let mut message = diagnostic.message.clone();
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhint: ");
        message.push_str(hint);
    }
    format!(
        "::{command} {}::{}\n",
        properties.join(","),
        escape_data(&message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_names_file_line_and_column() {
        let diagnostic = Diagnostic::error("settings", "50% wrong\nreally")
            .at_line_col("book/a,b.md", 3, 7)
            .hint("fix it");
        assert_eq!(
            render(&diagnostic),
            "::error file=book/a%2Cb.md,line=3,col=7,title=settings::50%25 wrong%0Areally%0Ahint: fix it\n"
        );
    }
}

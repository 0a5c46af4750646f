//! Escaping for each place a contributor's string lands: HTML text and attributes, markdown
//! that mdBook renders, and a terminal.
//!
//! Every string from `guide.yaml` or `book.toml` is untrusted: a pull request can put
//! `<img onerror=…>` in a title. The generators never write such a string raw; they pass it
//! through the function for the context it lands in. One module, so a reviewer checks one place.

/// Text inside an HTML element, or inside a quoted attribute value (`"` and `'` both escaped).
/// Braces become character references too: HTML written into markdown passes through mdBook,
/// which would expand a `{{#include …}}` in it.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline markdown text that renders as exactly `text`: no raw HTML, no link, no emphasis, no
/// table cell break, no block of its own, and on one line (a line break could start a new
/// block, an HTML block among them). Entities for `&`, `<` and `>`; a backslash before every
/// other ASCII punctuation character that markdown gives a meaning to, and before what would
/// open a block at the start of a line (`- `, `+ `, `1. `, `0) `, `---`), since generated text
/// often starts one.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // One line, no indentation (four spaces would start a code block), single spaces: what a
    // browser shows of the text anyway.
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let text = words.join(" ");
    // The character that would make the start of a line a list item, a numbered item or a
    // thematic break: a leading `-`, `+` or `=`, or the `.` or `)` after leading digits.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let block_marker = match text.chars().next() {
        Some('-' | '+' | '=') => Some(0),
        Some(_) if digits > 0 && matches!(text.chars().nth(digits), Some('.' | ')')) => {
            Some(digits)
        }
        _ => None,
    };
    for (position, c) in text.chars().enumerate() {
        if block_marker == Some(position) {
            out.push('\\');
            out.push(c);
            continue;
        }
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '#' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An inline code span showing exactly `text`: the fence is one backtick longer than the
/// longest run of backticks inside, and padded when the text starts or ends with one.
/// Markdown never reads HTML inside a code span, so nothing else needs escaping.
pub fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text that is safe to print on a terminal (or to post as plain text): control characters,
/// including ESC, and the bidirectional controls that reorder what a reader sees, become
/// visible `\u{…}` escapes. Line breaks and tabs are kept.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' || c == '\t' || !is_hidden_control(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// True when generated `text` holds `{{`, which mdBook would read as a directive
/// (`{{#include …}}`) wherever it lands: generated text never may, whatever its source.
pub fn holds_directive(text: &str) -> bool {
    text.contains("{{")
}

/// True when `text` holds a character that could end an attribute, a script string or a
/// markdown link early, or hide in a diff: whitespace, a control or bidi character, a quote, a
/// backslash, a backtick or an angle bracket. Addresses and names that land in markup without
/// escaping (URLs, redirect names and targets) must hold none.
pub fn holds_markup_characters(text: &str) -> bool {
    text.chars().any(|c| {
        c.is_whitespace()
            || is_hidden_control(c)
            || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    })
}

/// A character that changes how text is shown without being seen: C0 and C1 controls, DEL,
/// the bidirectional controls, and every other invisible format character.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Unicode's format characters (general category Cf: zero-width spaces and joiners, the word
/// joiner, the byte-order mark, the soft hyphen, the bidi controls, tags…) and the Hangul
/// fillers, which are letters that draw nothing. Text holding one looks identical to text
/// without it, yet find-in-page and search miss it, so a reader's message would never be found.
/// The table is Unicode 15.1's Cf list (Rust's standard library exposes no general category).
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061c}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
            // Hangul fillers: letters by category, blank on screen.
            | '\u{115f}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{ffa0}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_every_character_that_ends_text_or_an_attribute() {
        assert_eq!(
            html(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn markdown_neutralises_links_html_and_line_breaks() {
        assert_eq!(
            markdown("[x](javascript:alert(1)) <b>\n\n<script>"),
            "\\[x\\](javascript:alert(1)) &lt;b&gt; &lt;script&gt;"
        );
        assert_eq!(markdown("Passwords & Accounts"), "Passwords &amp; Accounts");
    }

    #[test]
    fn markdown_never_opens_a_block_at_the_start_of_a_line() {
        // Found by the property test in tests/untrusted.rs: "0.\t" became a numbered list.
        assert_eq!(markdown("0.\t"), "0\\.");
        assert_eq!(markdown("12) twelve"), "12\\) twelve");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("+ item"), "\\+ item");
        assert_eq!(markdown("---"), "\\---");
        assert_eq!(markdown("=="), "\\==");
        // Inside the text they are plain: no backslashes where none are needed.
        assert_eq!(markdown("iOS 14.5 - or 15"), "iOS 14.5 - or 15");
    }

    #[test]
    fn code_spans_outgrow_the_backticks_inside() {
        assert_eq!(code_span("plain"), "`plain`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
    }

    #[test]
    fn terminal_shows_escape_sequences_instead_of_running_them() {
        assert_eq!(
            terminal("a\u{1b}[31mb\u{202e}c\nd"),
            "a\\u{1b}[31mb\\u{202e}c\nd"
        );
    }
}

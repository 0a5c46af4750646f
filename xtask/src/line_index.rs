//! Byte offsets to 1-based line:column, the way editors count them.
//!
//! pulldown-cmark and serde give byte offsets; people and CI annotations want `line:column`.
//! Columns count Unicode scalar values (not bytes), so a caret lands under the right character
//! after "→" or "é". A CRLF line ending belongs to the line it ends.

/// Precomputed start offsets of every line of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(offset, _)| offset + 1));
        LineIndex { line_starts }
    }

    /// The 1-based (line, column) of `offset`; an offset past the end maps to the last position.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let column = text[self.line_starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_starts[line - 1];
        let end = self.line_starts.get(line).copied().unwrap_or(text.len());
        text[start..end]
            .trim_end_matches('\n')
            .trim_end_matches('\r')
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    fn at(text: &str, offset: usize) -> (usize, usize) {
        LineIndex::new(text).line_col(text, offset)
    }

    #[test]
    fn first_character_is_line_one_column_one() {
        assert_eq!(at("abc", 0), (1, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "Settings → Apps → `x`";
        let offset = text.find('`').unwrap();
        assert_eq!(at(text, offset), (1, 19));
    }

    #[test]
    fn crlf_lines_count_like_lf_lines() {
        let text = "one\r\ntwo\r\nthree";
        assert_eq!(at(text, text.find("two").unwrap()), (2, 1));
        assert_eq!(at(text, text.find("three").unwrap() + 2), (3, 3));
        assert_eq!(LineIndex::new(text).line_text(text, 2), "two");
    }

    #[test]
    fn offset_inside_a_multibyte_character_snaps_back() {
        let text = "é";
        assert_eq!(at(text, 1), (1, 1));
    }

    #[test]
    fn offset_past_the_end_maps_to_the_end() {
        assert_eq!(at("ab\ncd", 99), (2, 3));
    }
}

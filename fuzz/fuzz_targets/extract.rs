//! Fuzzes the drift extractor and the checks that read its output: none may panic, and every
//! span must stay inside the text on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xtask::checks::{extract, secrets};
use xtask::model::book::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = extract::extract(text);
    for labelled in &found.labelled {
        assert!(labelled.value_span.end <= text.len() && text.is_char_boundary(labelled.value_span.start));
        assert!(labelled.marker_span.end <= text.len() && text.is_char_boundary(labelled.marker_span.end));
    }
    let file = SourceFile {
        path: "fuzz.md".into(),
        text: text.to_string(),
    };
    let _ = secrets::check(&file);
    let _ = xtask::checks::external_urls::find_urls(text);
});

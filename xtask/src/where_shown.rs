//! `cargo xtask where KEY`: where a value lives, the fact behind it, and every page that shows
//! it, so a rename starts from the whole list rather than from a search.

use std::path::Path;

use crate::console::Console;
use crate::exit;
use crate::model::load::GUIDE_FILE;
use crate::model::yaml_spans::Spans;
use crate::model::GuideTree;

pub fn command(root: &Path, key: &str, console: &mut Console<'_>) -> u8 {
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            crate::report::human::print_all(console.err, &problems, console.colour);
            return exit::CANNOT_RUN;
        }
    };
    let t = crate::escape::terminal;
    let settings = &tree.yaml.settings;
    let guide = &tree.yaml.guide;
    let fact = guide.facts.iter().find(|f| f.keys.iter().any(|k| k == key));
    let value = settings.get(key);
    if value.is_none() && fact.is_none() {
        let hint = crate::suggest::closest(key, settings.keys())
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_default();
        let _ = writeln!(
            console.err,
            "where: `{}` is neither a setting of {GUIDE_FILE} nor a fact{hint}",
            t(key)
        );
        return exit::CANNOT_RUN;
    }
    let out = &mut *console.out;
    let index = crate::line_index::LineIndex::new(&tree.yaml.text);
    if let Some(value) = value {
        let _ = writeln!(out, "{key} = {}", t(value));
        if let Some(span) = Spans::parse(&tree.yaml.text).and_then(|s| s.setting(key)) {
            let (line, column) = index.line_col(&tree.yaml.text, span.start);
            let _ = writeln!(out, "  written at {GUIDE_FILE}:{line}:{column}");
        }
    }
    match fact {
        Some(fact) => {
            let what = fact.claim.as_deref().unwrap_or("the values above");
            let _ = writeln!(
                out,
                "  fact: {} — {} source(s){}; {}",
                t(&fact.keys.join(", ")),
                fact.sources.len(),
                if fact.unsourced.is_some() {
                    ", unsourced"
                } else {
                    ""
                },
                t(what)
            );
            let _ = writeln!(
                out,
                "  read: {}",
                fact.read
                    .as_ref()
                    .map_or("never".to_string(), |r| format!("on {}", r.on))
            );
        }
        None => {
            let _ = writeln!(out, "  fact: none covers it");
        }
    }
    let shown = crate::checks::check_markdown(&tree).shown;
    let places: Vec<_> = shown.iter().filter(|place| place.key == key).collect();
    let _ = writeln!(out, "  shown at {} place(s):", places.len());
    for place in places {
        let _ = writeln!(
            out,
            "    {}:{}:{}",
            place.file.display(),
            place.line,
            place.column
        );
    }
    exit::CLEAN
}

//! `cargo xtask build`: load the guide and render it, reporting problems like `verify` does.

use std::io::Write;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::GuideTree;
use crate::report;
use crate::verify::{EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_FINDINGS};

pub fn build(root: &Path, out: &mut dyn Write, colour: bool) -> u8 {
    let print = |out: &mut dyn Write, problems: &[Diagnostic]| {
        for problem in problems {
            let _ = out.write_all(report::human::render(problem, colour).as_bytes());
        }
    };
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            print(out, &problems);
            return EXIT_CANNOT_RUN;
        }
    };
    match crate::render::build_book(root, &tree.yaml) {
        Ok(html_dir) => {
            let _ = writeln!(
                out,
                "build: rendered {}",
                html_dir.join("index.html").display()
            );
            EXIT_CLEAN
        }
        Err(problems) => {
            print(out, &problems);
            EXIT_FINDINGS
        }
    }
}

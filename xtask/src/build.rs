//! `cargo xtask build`: load the guide and render it, reporting problems like `verify` does.

use std::io::Write;
use std::path::Path;

use crate::model::GuideTree;
use crate::report::human::print_all;
use crate::verify::{EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_FINDINGS};

pub fn build(root: &Path, out: &mut dyn Write, colour: bool) -> u8 {
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            print_all(out, &problems, colour);
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
            print_all(out, &problems, colour);
            EXIT_FINDINGS
        }
    }
}

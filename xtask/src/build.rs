//! `cargo xtask build`: load the guide and render it, reporting problems like `verify` does.

use std::path::Path;

use crate::console::Console;
use crate::exit;
use crate::model::GuideTree;
use crate::report::human::print_all;

pub fn build(root: &Path, console: &mut Console<'_>) -> u8 {
    let tree = match GuideTree::load(root) {
        Ok(tree) => tree,
        Err(problems) => {
            print_all(console.out, &problems, console.colour);
            return exit::CANNOT_RUN;
        }
    };
    match crate::render::build_book(root, &tree.yaml) {
        Ok(html_dir) => {
            // What is published is checked as built, like verify does.
            let shipped = crate::checks::shipped::outcome(&tree, &html_dir);
            if !shipped.diagnostics.is_empty() {
                print_all(console.out, &shipped.diagnostics, console.colour);
                return exit::FINDINGS;
            }
            let _ = writeln!(
                console.out,
                "build: rendered {}",
                html_dir.join("index.html").display()
            );
            exit::CLEAN
        }
        Err(problems) => {
            print_all(console.out, &problems, console.colour);
            exit::FINDINGS
        }
    }
}

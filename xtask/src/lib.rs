//! `cargo xtask`: renders the calsync guide and keeps it true.
//!
//! The flow mirrors mdBook's: load the guide once (`model`), run checks over it (`checks`), print
//! what they found (`report`). `cli` parses flags; `main.rs` only calls it.

// A Diagnostic is the error type of loading; it is built once per run, so its size does not matter.
#![allow(clippy::result_large_err)]

pub mod bench;
pub mod build;
pub mod checks;
pub mod cli;
pub mod console;
pub mod dates;
pub mod day_to_day;
pub mod diagnostic;
pub mod duration;
pub mod escape;
pub mod evidence;
pub mod exit;
pub mod fix;
pub mod fsutil;
pub mod html;
pub mod line_index;
pub mod markdown;
pub mod model;
pub mod pictures;
pub mod profile;
pub mod reading;
pub mod render;
pub mod report;
pub mod reserved_ids;
pub mod search_index;
pub mod serve;
pub mod site;
pub mod snapshots;
pub mod snippets;
pub mod sources;
pub mod suggest;
pub mod troubleshooting;
pub mod urlcheck;
pub mod urls;
pub mod verify;
pub mod where_shown;

use std::path::{Path, PathBuf};

/// The repository this command works on, found at run time.
///
/// `cargo xtask` sets `CARGO_MANIFEST_DIR` for the run, to the clone cargo was started in; a
/// path baked in at compile time would be wrong whenever two clones share one target folder (a
/// global `CARGO_TARGET_DIR`): the binary built for one would read and write the other. Without
/// that variable (the binary run by hand), the nearest folder above the current one that holds
/// a guide is taken.
pub fn project_root() -> PathBuf {
    project_root_from(
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        std::env::current_dir().ok(),
    )
}

/// `project_root` with its inputs passed in, so both ways of finding the root can be tested.
pub fn project_root_from(manifest_dir: Option<PathBuf>, current_dir: Option<PathBuf>) -> PathBuf {
    let is_guide_root =
        |dir: &Path| dir.join("guide.yaml").is_file() && dir.join("book.toml").is_file();
    if let Some(manifest_dir) = manifest_dir {
        // The xtask crate's folder, or the root package's (integration tests run there).
        if let Some(root) = manifest_dir
            .ancestors()
            .take(2)
            .find(|dir| is_guide_root(dir))
        {
            return root.to_path_buf();
        }
    }
    let current_dir = current_dir.unwrap_or_else(|| PathBuf::from("."));
    current_dir
        .ancestors()
        .find(|dir| is_guide_root(dir))
        .unwrap_or(&current_dir)
        .to_path_buf()
}

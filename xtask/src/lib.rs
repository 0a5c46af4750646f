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
pub mod diagnostic;
pub mod fix;
pub mod fsutil;
pub mod line_index;
pub mod markdown;
pub mod model;
pub mod render;
pub mod report;
pub mod serve;
pub mod site;
pub mod snippets;
pub mod suggest;
pub mod urlcheck;
pub mod urls;
pub mod verify;

use std::path::PathBuf;

/// The repository root: the folder above this crate.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the repository root")
        .to_path_buf()
}

//! The process exit codes every command shares, so CI can tell "the guide has problems" from
//! "the tool could not run" without reading the output.

/// Nothing to report (warnings may have been printed).
pub const CLEAN: u8 = 0;
/// The checks ran and found at least one error.
pub const FINDINGS: u8 = 1;
/// The tool could not run: bad flags, unreadable input, a network that is down.
pub const CANNOT_RUN: u8 = 2;

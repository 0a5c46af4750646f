//! Where a command prints, and how. Results go to `out` (a report, or exactly one JSON
//! document); messages for people go to `err` whenever `out` must stay machine-readable.
//! Tests hand in buffers, `main.rs` the real streams, so nothing reads the environment twice.

use std::io::Write;

pub struct Console<'a> {
    /// Standard output: the report, or the one JSON document of `--format json`.
    pub out: &'a mut dyn Write,
    /// Standard error: progress and messages for people.
    pub err: &'a mut dyn Write,
    /// Colour the human report (only on a terminal).
    pub colour: bool,
    /// Also print GitHub workflow annotations (`GITHUB_ACTIONS=true`).
    pub github: bool,
}

impl<'a> Console<'a> {
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write) -> Console<'a> {
        Console {
            out,
            err,
            colour: false,
            github: false,
        }
    }
}

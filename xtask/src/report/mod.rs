//! Printers for diagnostics. Nothing else in xtask formats a finding.

pub mod github;
pub mod human;
pub mod json;

/// How diagnostics are printed on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

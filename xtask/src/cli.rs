//! Command-line flags and dispatch. `main.rs` only calls `run`; tests call it in-process.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::report::Format;
use crate::verify::{self, VerifyOptions, EXIT_CANNOT_RUN, EXIT_CLEAN};

/// Build, check and preview the calsync guide.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about, long_about = None)]
pub struct Flags {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RootArg {
    /// The guide tree: a folder with book.toml and guide.yaml (default: this repository)
    #[arg(long, value_name = "DIR", default_value_os_t = crate::project_root(), hide_default_value = true)]
    pub root: PathBuf,
}

/// Flags of the URL check, shared by `urls` and `verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct OnlineArgs {
    /// Skip everything that needs the network
    #[arg(long)]
    pub offline: bool,
    /// Ignore the cache of earlier answers (and do not update it)
    #[arg(long)]
    pub no_cache: bool,
    /// Reuse a cached good answer younger than this (e.g. 30m, 12h, 1d)
    #[arg(long, value_name = "AGE", default_value = "1d", value_parser = crate::urlcheck::cache::parse_age)]
    pub max_cache_age: std::time::Duration,
    /// Do not request URLs starting with this prefix; they are reported as `excluded` (repeatable)
    #[arg(long, value_name = "PREFIX")]
    pub exclude: Vec<String>,
    /// Give up on a request after this long (e.g. 10s)
    #[arg(long, value_name = "TIME", default_value = "10s", value_parser = crate::urlcheck::cache::parse_age)]
    pub timeout: std::time::Duration,
}

impl OnlineArgs {
    pub fn options(
        &self,
        format: Format,
        urls: Vec<String>,
        colour: bool,
    ) -> crate::urls::UrlsOptions {
        crate::urls::UrlsOptions {
            offline: self.offline,
            format,
            use_cache: !self.no_cache,
            max_cache_age: self.max_cache_age,
            config: crate::urlcheck::CheckConfig {
                timeout: self.timeout,
                excludes: self.exclude.clone(),
                ..crate::urlcheck::CheckConfig::default()
            },
            urls,
            colour,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the guide to target/book/ with mdBook (no install needed)
    Build {
        #[command(flatten)]
        root: RootArg,
    },
    /// Render the guide and serve it on 127.0.0.1, rebuilding when a source changes
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Regenerate snippets/ from guide.yaml (--check: only report what is out of date)
    Snippets {
        #[command(flatten)]
        root: RootArg,
        /// Change nothing; exit 1 if a snippet differs from what guide.yaml generates
        #[arg(long)]
        check: bool,
    },
    /// Check that the guide's external URLs (or the URLs given) still resolve as guide.yaml expects
    Urls {
        #[command(flatten)]
        root: RootArg,
        #[command(flatten)]
        online: OnlineArgs,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Check exactly these URLs instead of the guide's
        urls: Vec<String>,
    },
    /// Run the benchmarks (in release mode) and print their figures in one table
    Bench {
        #[command(flatten)]
        root: RootArg,
        /// Which benchmarks
        #[arg(value_enum, default_value_t = crate::bench::Which::All)]
        which: crate::bench::Which,
    },
    /// Run every check (YAML, SUMMARY.md, drift, URLs, secrets, snippets, build, links; online unless --offline); exit 0 clean, 1 findings, 2 cannot run
    Verify {
        #[command(flatten)]
        root: RootArg,
        #[command(flatten)]
        online: OnlineArgs,
        /// Rewrite values that drifted from guide.yaml (only those; atomically), then check
        #[arg(long)]
        fix: bool,
        /// Skip rendering the book (and the link check, which reads the rendered pages)
        #[arg(long)]
        no_build: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// Parses `args` (without the program name) and runs the command; returns the exit code.
pub fn run<I, T>(args: I, out: &mut dyn Write, colour: bool) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args =
        std::iter::once(OsString::from("cargo xtask")).chain(args.into_iter().map(Into::into));
    let flags = match Flags::try_parse_from(args) {
        Ok(flags) => flags,
        Err(error) => {
            let _ = write!(out, "{}", error.render());
            return if error.use_stderr() {
                EXIT_CANNOT_RUN
            } else {
                EXIT_CLEAN
            };
        }
    };
    match flags.command {
        Command::Build { root } => crate::build::build(&root.root, out, colour),
        Command::Serve { root, port } => crate::serve::serve(&root.root, port, out, colour),
        Command::Snippets { root, check } => {
            crate::snippets::command::run(&root.root, check, out, colour)
        }
        Command::Bench { root, which } => crate::bench::command(&root.root, which, out),
        Command::Urls {
            root,
            online,
            format,
            urls,
        } => crate::urls::command(&root.root, &online.options(format, urls, colour), out),
        Command::Verify {
            root,
            online,
            fix,
            no_build,
            format,
        } => verify::verify(
            &root.root,
            &VerifyOptions {
                online: online.options(format, Vec::new(), colour),
                fix,
                build: !no_build,
                format,
                colour,
            },
            out,
        ),
    }
}

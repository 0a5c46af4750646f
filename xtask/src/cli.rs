//! Command-line flags and dispatch. `main.rs` only calls `run`; tests call it in-process.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::console::Console;
use crate::exit;
use crate::report::Format;
use crate::verify::{self, VerifyOptions};

/// Build, check and preview the calsync guide.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about, long_about = None)]
pub struct Flags {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, clap::Args)]
pub struct RootArg {
    /// The guide tree: a folder with book.toml and guide.yaml (default: the repository cargo runs in)
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

impl RootArg {
    /// The folder given, or the repository this command was started in (read at run time).
    pub fn dir(&self) -> PathBuf {
        self.root.clone().unwrap_or_else(crate::project_root)
    }
}

/// Flags of the network checks, shared by `urls`, `sources` and `verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct OnlineArgs {
    /// Skip everything that needs the network
    #[arg(long)]
    pub offline: bool,
    /// Ignore the cache of earlier answers (and do not update it)
    #[arg(long)]
    pub no_cache: bool,
    /// Reuse a cached good answer younger than this (e.g. 30m, 12h, 1d; at most 3650d)
    #[arg(long, value_name = "AGE", default_value = "1d", value_parser = crate::duration::parse_max_cache_age)]
    pub max_cache_age: std::time::Duration,
    /// Do not request URLs starting with this prefix; they are reported as `excluded` (repeatable)
    #[arg(long, value_name = "PREFIX")]
    pub exclude: Vec<String>,
    /// Give up on a request after this long (e.g. 10s; at most 10m)
    #[arg(long, value_name = "TIME", default_value = "10s", value_parser = crate::duration::parse_timeout)]
    pub timeout: std::time::Duration,
}

impl OnlineArgs {
    pub fn options(&self, format: Format, urls: Vec<String>) -> crate::urls::UrlsOptions {
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
        }
    }
}

/// The day the date checks count from (review_by, "sources last checked").
#[derive(Debug, Clone, clap::Args)]
pub struct TodayArg {
    /// Count dates from this day instead of today (YYYY-MM-DD), for tests and reproducible runs
    #[arg(long, value_name = "DATE", hide = true, value_parser = crate::dates::parse_date_flag)]
    pub today: Option<jiff::civil::Date>,
}

impl TodayArg {
    pub fn date(&self) -> jiff::civil::Date {
        self.today.unwrap_or_else(crate::dates::today)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the guide to target/book/ with mdBook (no install needed)
    Build {
        #[command(flatten)]
        root: RootArg,
    },
    /// Show a fact's claim, its quotes and every sentence marked with it side by side, and record the reading when you confirm at the terminal
    Read {
        #[command(flatten)]
        root: RootArg,
        #[command(flatten)]
        today: TodayArg,
        /// The fact's key (a setting key or claims.<name>)
        key: String,
    },
    /// Show where a setting's value is written, the fact behind it, and every place that shows it
    Where {
        #[command(flatten)]
        root: RootArg,
        /// A setting key (e.g. editions.current.accounts_path) or claims.<name>
        key: String,
    },
    /// Render the guide and serve it on 127.0.0.1, rebuilding and reloading the page on every change
    Serve {
        #[command(flatten)]
        root: RootArg,
        /// The port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 3000)]
        port: u16,
    },
    /// Check the administrators' configuration profile against Apple's schema and write it to target/book/downloads/
    Profile {
        #[command(flatten)]
        root: RootArg,
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
    /// Check that every fact cites a source, and (online) that each quote is still on its page
    Sources {
        #[command(flatten)]
        root: RootArg,
        #[command(flatten)]
        online: OnlineArgs,
        #[command(flatten)]
        today: TodayArg,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// After an online run, write today as `sources_checked` of each edition whose quotes were all found
        #[arg(long)]
        stamp: bool,
        /// Check only these facts (setting keys or claims.<name>)
        keys: Vec<String>,
    },
    /// Run the benchmarks (in release mode) and print their figures in one table
    Bench {
        #[command(flatten)]
        root: RootArg,
        /// Which benchmarks
        #[arg(value_enum, default_value_t = crate::bench::Which::All)]
        which: crate::bench::Which,
    },
    /// Run every check (YAML, sources, SUMMARY.md, drift, URLs, secrets, snippets, build, links; online unless --offline); exit 0 clean, 1 findings, 2 cannot run
    Verify {
        #[command(flatten)]
        root: RootArg,
        #[command(flatten)]
        online: OnlineArgs,
        #[command(flatten)]
        today: TodayArg,
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
pub fn run<I, T>(args: I, console: &mut Console<'_>) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args =
        std::iter::once(OsString::from("cargo xtask")).chain(args.into_iter().map(Into::into));
    let flags = match Flags::try_parse_from(args) {
        Ok(flags) => flags,
        Err(error) => {
            // Help and version are what the user asked for; errors are messages for people.
            return if error.use_stderr() {
                let _ = write!(console.err, "{}", error.render());
                exit::CANNOT_RUN
            } else {
                let _ = write!(console.out, "{}", error.render());
                exit::CLEAN
            };
        }
    };
    match flags.command {
        Command::Build { root } => crate::build::build(&root.dir(), console),
        Command::Profile { root } => crate::profile::command(&root.dir(), console),
        Command::Serve { root, port } => crate::serve::serve(&root.dir(), port, console),
        Command::Read { root, today, key } => {
            use std::io::IsTerminal;
            // A record says a person read: only a terminal's answer counts, and never in CI.
            let stdin = std::io::stdin();
            let at_terminal = stdin.is_terminal() && std::env::var_os("CI").is_none();
            let mut lock = stdin.lock();
            let answer: crate::reading::Answer<'_> =
                if at_terminal { Some(&mut lock) } else { None };
            crate::reading::command(&root.dir(), &key, today.date(), answer, console)
        }
        Command::Where { root, key } => crate::where_shown::command(&root.dir(), &key, console),
        Command::Snippets { root, check } => {
            let root = root.dir();
            let code = crate::snippets::command::run(&root, check, console);
            if code == crate::exit::CANNOT_RUN {
                return code;
            }
            // What else this change of guide.yaml moves: the snapshot tests of generated text.
            let Ok(loaded) = crate::model::load::load_guide(&root) else {
                return code;
            };
            let stale = crate::snapshots::stale(&root, &loaded.guide);
            for snapshot in &stale {
                if let Some(location) = &snapshot.location {
                    let _ = writeln!(
                        console.out,
                        "snippets: snapshot {} no longer matches what guide.yaml generates",
                        location.file.display()
                    );
                }
            }
            if !stale.is_empty() {
                let _ = writeln!(
                    console.out,
                    "snippets: {} snapshot(s) to review: {}",
                    stale.len(),
                    crate::snapshots::REVIEW_HINT
                );
            }
            code
        }
        Command::Bench { root, which } => crate::bench::command(&root.dir(), which, console),
        Command::Urls {
            root,
            online,
            format,
            urls,
        } => crate::urls::command(&root.dir(), &online.options(format, urls), console),
        Command::Sources {
            root,
            online,
            today,
            format,
            stamp,
            keys,
        } => crate::sources::command(
            &root.dir(),
            &crate::sources::SourcesOptions {
                online: online.options(format, Vec::new()),
                today: today.date(),
                keys,
                stamp,
            },
            console,
        ),
        Command::Verify {
            root,
            online,
            today,
            fix,
            no_build,
            format,
        } => verify::verify(
            &root.dir(),
            &VerifyOptions {
                online: online.options(format, Vec::new()),
                today: today.date(),
                fix,
                build: !no_build,
                format,
            },
            console,
        ),
    }
}

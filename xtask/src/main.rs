use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|value| value == "true");
    let code = {
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr();
        let mut console = xtask::console::Console {
            out: &mut out,
            err: &mut err,
            colour,
            github,
        };
        xtask::cli::run(std::env::args_os().skip(1), &mut console)
    };
    // For `cargo xtask bench`: a process's own high-water mark is the only reliable peak memory
    // (a parent's getrusage also counts the memory it shared with the child before exec).
    if std::env::var_os(xtask::bench::REPORT_PEAK_MEMORY).is_some() {
        if let Some(peak) = xtask::bench::own_peak_memory_kb() {
            eprintln!("{}{peak}", xtask::bench::PEAK_MEMORY_PREFIX);
        }
    }
    ExitCode::from(code)
}

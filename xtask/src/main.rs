use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = std::io::stdout().lock();
    ExitCode::from(xtask::cli::run(
        std::env::args_os().skip(1),
        &mut out,
        colour,
    ))
}

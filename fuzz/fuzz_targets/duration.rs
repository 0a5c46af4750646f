//! Fuzzes the command line's duration flags: whatever is typed after `--timeout` or
//! `--max-cache-age`, parsing ends in a value within the flag's bound or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xtask::duration::{parse_max_cache_age, parse_timeout, MAX_CACHE_AGE, MAX_TIMEOUT};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(timeout) = parse_timeout(text) {
        assert!(timeout <= MAX_TIMEOUT && !timeout.is_zero());
    }
    if let Ok(age) = parse_max_cache_age(text) {
        assert!(age <= MAX_CACHE_AGE);
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut console = xtask::console::Console::new(&mut out, &mut err);
    let _ = xtask::cli::run(["urls", "--offline", "--timeout", text, "--max-cache-age", text], &mut console);
});

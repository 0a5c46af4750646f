//! Durations typed on the command line (`30s`, `15m`, `12h`, `1d`), with checked arithmetic and
//! an upper bound per flag: a huge value must be an error message, never an overflow or a panic
//! deep inside the HTTP client.

use std::time::Duration;

/// Parses `30s`, `15m`, `12h`, `1d` or a number of seconds, refusing anything over `max`.
pub fn parse(text: &str, max: Duration) -> Result<Duration, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "`{text}` is not a duration; write e.g. 30s, 15m, 12h or 1d"
        ));
    }
    let seconds_per_unit: u64 = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("unknown unit `{unit}`; use s, m, h or d")),
    };
    let too_long = || {
        format!(
            "`{text}` is too long; the most allowed is {}",
            describe(max)
        )
    };
    let number: u64 = number.parse().map_err(|_| too_long())?;
    let seconds = number.checked_mul(seconds_per_unit).ok_or_else(too_long)?;
    let duration = Duration::from_secs(seconds);
    if duration > max {
        return Err(too_long());
    }
    Ok(duration)
}

/// The longest `--max-cache-age`: ten years (cached answers are about links, not archives).
pub const MAX_CACHE_AGE: Duration = Duration::from_secs(3650 * 86_400);
/// The longest `--timeout`: ten minutes per request.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

pub fn parse_max_cache_age(text: &str) -> Result<Duration, String> {
    parse(text, MAX_CACHE_AGE)
}

/// A zero timeout would fail every request at once, so it is refused too.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    match parse(text, MAX_TIMEOUT)? {
        zero if zero.is_zero() => Err("a timeout of 0 would fail every request".to_string()),
        timeout => Ok(timeout),
    }
}

fn describe(duration: Duration) -> String {
    let seconds = duration.as_secs();
    if seconds.is_multiple_of(86_400) {
        format!("{}d", seconds / 86_400)
    } else if seconds.is_multiple_of(60) {
        format!("{}m", seconds / 60)
    } else {
        format!("{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_parse() {
        assert_eq!(parse_max_cache_age("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_max_cache_age("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_timeout("10s"), Ok(Duration::from_secs(10)));
        assert!(parse_max_cache_age("1w").is_err());
        assert!(parse_max_cache_age("soon").is_err());
        assert!(parse_max_cache_age("").is_err());
    }

    #[test]
    fn values_that_would_overflow_are_errors() {
        assert_eq!(
            parse_max_cache_age("18446744073709551615d"),
            Err("`18446744073709551615d` is too long; the most allowed is 3650d".to_string())
        );
        assert!(parse_max_cache_age("99999999999999999999999").is_err());
        assert!(parse_timeout("213503982334601d").is_err());
        assert!(parse_timeout("11m").is_err());
        assert_eq!(parse_timeout("10m"), Ok(Duration::from_secs(600)));
        assert!(parse_timeout("0s").is_err());
    }
}

//! Calendar dates of the guide (`retrieved`, `review_by`, `sources_checked`): real dates only
//! (2026-02-31 is refused), and "today" taken once so tests can inject it.

use jiff::civil::Date;

/// Parses `YYYY-MM-DD` as a real calendar date.
pub fn parse(text: &str) -> Option<Date> {
    if text.len() != 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
        return None;
    }
    text.parse::<Date>().ok()
}

/// For the hidden `--today` flag.
pub fn parse_date_flag(text: &str) -> Result<Date, String> {
    parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

/// Today in UTC: the guide's dates have no time zone, and CI runs in UTC.
pub fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_dates_parse() {
        assert!(parse("2026-11-24").is_some());
        assert!(parse("2024-02-29").is_some());
        assert!(parse("2026-02-31").is_none());
        assert!(parse("2025-02-29").is_none());
        assert!(parse("2026-13-01").is_none());
        assert!(parse("24 Nov 2026").is_none());
        assert!(parse("2026-1-01").is_none());
        assert!(parse("+2026-11-24").is_none());
    }
}

//! Formatting message times the same way on the server and in the browser (so hydration
//! matches): `HH:MM` in UTC.

/// `HH:MM` (UTC) of a Unix-milliseconds time.
pub fn clock_time(ms: i64) -> String {
    let minutes_of_day = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes_of_day / 60, minutes_of_day % 60)
}

/// The UTC calendar day of a Unix time in milliseconds, `YYYY-MM-DD`.
pub fn calendar_date(ms: i64) -> String {
    let (year, month, day) = crate::i18n::civil_date(ms);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Now, in Unix milliseconds, by the browser's clock (the server's when rendering).
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_calendar_days_in_utc() {
        assert_eq!(super::calendar_date(0), "1970-01-01");
        assert_eq!(super::calendar_date(1_700_000_000_000), "2023-11-14");
        assert_eq!(super::calendar_date(951_782_400_000), "2000-02-29");
        assert_eq!(super::calendar_date(-86_400_000), "1969-12-31");
    }

    #[test]
    fn formats_hours_and_minutes_in_utc() {
        assert_eq!(super::clock_time(0), "00:00");
        assert_eq!(super::clock_time(1_700_000_000_000), "22:13");
    }
}

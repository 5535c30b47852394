//! Formatting message times the same way on the server and in the browser (so hydration
//! matches): `HH:MM` in UTC.

/// `HH:MM` (UTC) of a Unix-milliseconds time.
pub fn clock_time(ms: i64) -> String {
    let minutes_of_day = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes_of_day / 60, minutes_of_day % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_hours_and_minutes_in_utc() {
        assert_eq!(super::clock_time(0), "00:00");
        assert_eq!(super::clock_time(1_700_000_000_000), "22:13");
    }
}

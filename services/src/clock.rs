//! Wall-clock time as Unix milliseconds, the unit every `*_at_ms` column stores.

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// A moment as people read it in logs and system lines: `2026-12-04 16:00 UTC`.
pub fn utc_minute(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    #[test]
    fn minutes_read_as_utc() {
        assert_eq!(super::utc_minute(1_764_864_000_000 + 61_000), "2025-12-04 16:01 UTC");
    }
}

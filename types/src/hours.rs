//! Business hours: when the team answers. A schedule has an IANA time zone, any number of
//! intervals per weekday (Monday first) and holidays (a date or a range, optionally every
//! year). Outside them the widget says so, with the expected reply time, and offers the
//! offline form.

use serde::{Deserialize, Serialize};

/// From `start` to `end` (`HH:MM`, 24-hour, local time; `end` after `start`; `24:00`
/// ends at midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    pub start: String,
    pub end: String,
}

/// Days off: `from` to `to` inclusive (`YYYY-MM-DD`); `yearly` repeats them every year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    #[serde(default)]
    pub name: String,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub yearly: bool,
}

/// A workspace's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BusinessHours {
    /// IANA zone, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// Seven lists of intervals, Monday first; an empty list is a day off.
    pub days: Vec<Vec<Interval>>,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// What the widget says outside hours, e.g. "within a few hours".
    #[serde(default)]
    pub reply_time: String,
}

/// Whether the team is in now, and when it is next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursStatus {
    pub open: bool,
    /// When the next interval begins (Unix milliseconds), when closed.
    pub next_open_ms: Option<i64>,
}

/// Weekday names, Monday first, as the schedule lists them.
pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

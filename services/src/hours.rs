//! Business hours: a workspace's schedule (owners and admins, `manage inbox settings`),
//! whether it is open at an instant and when it opens next. Times are wall-clock times
//! in the schedule's IANA zone, so "09:00" stays 09:00 across a DST change; an interval
//! starting in the hour a spring-forward skips begins when the clock resumes.

use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;
use parley_types::{BusinessHours, Capability, FieldError, Holiday, HoursStatus, Interval, Phrase, phrase};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::Services;
use crate::access::Actor;
use crate::entities::workspace;
use crate::error::{ServiceError, ServiceResult};

/// A schedule checked and parsed.
#[derive(Debug, Clone)]
pub struct Schedule {
    tz: Tz,
    /// Minutes of the day, Monday first.
    days: Vec<Vec<(u32, u32)>>,
    holidays: Vec<(NaiveDate, NaiveDate, bool)>,
}

/// Minutes of the day of `HH:MM`; `24:00` ends a day.
fn minutes(text: &str) -> Option<u32> {
    if text.trim() == "24:00" {
        return Some(24 * 60);
    }
    let time = NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()?;
    Some(time.hour() * 60 + time.minute())
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Checks `hours` (every problem listed at once) and parses it.
pub fn check(hours: &BusinessHours) -> Result<Schedule, Vec<FieldError>> {
    let mut problems = Vec::new();
    let mut problem = |field: String, phrase: Phrase| problems.push(FieldError::new(field, phrase));
    let tz: Option<Tz> = hours.timezone.trim().parse().ok();
    if tz.is_none() {
        problem("timezone".into(), phrase!("err-workspace-timezone"));
    }
    if hours.days.len() != 7 {
        problem("days".into(), phrase!("err-hours-seven-days"));
    }
    let mut days = Vec::new();
    for (d, intervals) in hours.days.iter().enumerate().take(7) {
        let mut parsed: Vec<(u32, u32)> = Vec::new();
        for (i, Interval { start, end }) in intervals.iter().enumerate() {
            match (minutes(start), minutes(end)) {
                (Some(s), Some(e)) if s < e => parsed.push((s, e)),
                (Some(_), Some(_)) => problem(format!("days.{d}.{i}"), phrase!("err-hours-interval-order")),
                _ => problem(format!("days.{d}.{i}"), phrase!("err-hours-time-format")),
            }
        }
        parsed.sort();
        if parsed.windows(2).any(|w| w[1].0 < w[0].1) {
            problem(format!("days.{d}"), phrase!("err-hours-overlap"));
        }
        days.push(parsed);
    }
    let mut holidays = Vec::new();
    for (i, Holiday { from, to, yearly, name }) in hours.holidays.iter().enumerate() {
        if name.chars().count() > 100 {
            problem(format!("holidays.{i}"), phrase!("err-hours-holiday-name", max = 100));
        }
        match (date(from), date(to)) {
            (Some(f), Some(t)) if t < f => problem(format!("holidays.{i}"), phrase!("err-hours-holiday-order")),
            (Some(f), Some(t)) if (t - f).num_days() > 366 => {
                problem(format!("holidays.{i}"), phrase!("err-hours-holiday-length"));
            }
            (Some(f), Some(t)) => holidays.push((f, t, *yearly)),
            _ => problem(format!("holidays.{i}"), phrase!("err-hours-date-format")),
        }
    }
    if hours.reply_time.chars().count() > 100 {
        problem("reply_time".into(), phrase!("err-hours-reply-time", max = 100));
    }
    match (problems.is_empty(), tz) {
        (true, Some(tz)) => Ok(Schedule { tz, days, holidays }),
        _ => Err(problems),
    }
}

impl Schedule {
    fn holiday(&self, day: NaiveDate) -> bool {
        self.holidays.iter().any(|(from, to, yearly)| {
            if !*yearly {
                return *from <= day && day <= *to;
            }
            // Every year: compare (month, day); a range may run over New Year.
            let key = |d: NaiveDate| (d.month(), d.day());
            let (f, t, k) = (key(*from), key(*to), key(day));
            if f <= t { f <= k && k <= t } else { k >= f || k <= t }
        })
    }

    /// Whether the team is in at `at_ms` (Unix milliseconds).
    pub fn is_open(&self, at_ms: i64) -> bool {
        let Some(local) = self.tz.timestamp_millis_opt(at_ms).single() else { return false };
        let day = local.date_naive();
        if self.holiday(day) {
            return false;
        }
        let minute = local.hour() * 60 + local.minute();
        self.days[day.weekday().num_days_from_monday() as usize].iter().any(|(s, e)| *s <= minute && minute < *e)
    }

    /// The instant (Unix milliseconds) the next interval after `at_ms` begins, within 400
    /// days; `None` when the schedule never opens.
    pub fn next_open(&self, at_ms: i64) -> Option<i64> {
        let local = self.tz.timestamp_millis_opt(at_ms).single()?;
        let mut day = local.date_naive();
        for _ in 0..400 {
            if !self.holiday(day) {
                for (start, _) in &self.days[day.weekday().num_days_from_monday() as usize] {
                    let naive = day.and_hms_opt(start / 60, start % 60, 0)?;
                    // A start the clocks skip (spring forward) begins when they resume.
                    let begins = (0..=120).step_by(15).find_map(|m| {
                        self.tz.from_local_datetime(&(naive + chrono::Duration::minutes(m))).earliest()
                    })?;
                    let ms = begins.timestamp_millis();
                    if ms > at_ms {
                        return Some(ms);
                    }
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// Open now, or closed and opening when.
    pub fn status(&self, at_ms: i64) -> HoursStatus {
        let open = self.is_open(at_ms);
        HoursStatus { open, next_open_ms: if open { None } else { self.next_open(at_ms) } }
    }
}

/// The workspace's stored schedule (`None`: always open).
pub fn of(ws: &workspace::Model) -> Option<BusinessHours> {
    parse_schedule(&ws.hours)
}

/// A stored schedule (JSON; empty: none).
pub fn parse_schedule(text: &str) -> Option<BusinessHours> {
    serde_json::from_str(text).ok()
}

/// Checks a schedule about to be stored and tidies its texts; every problem at once.
pub fn checked(hours: Option<BusinessHours>) -> ServiceResult<Option<BusinessHours>> {
    match hours {
        Some(mut hours) => {
            check(&hours).map_err(ServiceError::InvalidFields)?;
            hours.timezone = hours.timezone.trim().to_owned();
            hours.reply_time = hours.reply_time.trim().to_owned();
            Ok(Some(hours))
        }
        None => Ok(None),
    }
}

/// A schedule as stored (empty: none).
pub fn stored_text(hours: &Option<BusinessHours>) -> ServiceResult<String> {
    match hours {
        Some(h) => serde_json::to_string(h).map_err(|e| ServiceError::Internal(e.to_string())),
        None => Ok(String::new()),
    }
}

/// The workspace's schedule, parsed (`None`: always open, or unreadable).
pub fn schedule_of(ws: &workspace::Model) -> Option<(BusinessHours, Schedule)> {
    let hours = of(ws)?;
    let schedule = check(&hours).ok()?;
    Some((hours, schedule))
}

/// The workspace's business hours. Any member.
pub async fn get(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Option<BusinessHours>> {
    let scope = actor.require(Capability::ReadConversations)?;
    Ok(of(&crate::workspaces::get(db, scope).await?))
}

/// Saves the workspace's business hours (`None`: always open); every problem listed at
/// once, nothing saved. Needs `manage inbox settings`.
pub async fn save(svc: &Services, actor: &Actor, hours: Option<BusinessHours>) -> ServiceResult<Option<BusinessHours>> {
    let scope = actor.require(Capability::ManageInboxSettings)?;
    let hours = checked(hours)?;
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    w.audit_change(actor, "business hours", of(&ws), &hours).await?;
    let text = stored_text(&hours)?;
    let mut active: workspace::ActiveModel = ws.into();
    active.hours = Set(text);
    active.update(w.txn()).await?;
    w.commit().await?;
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nine_to_five(tz: &str) -> BusinessHours {
        let day = vec![Interval { start: "09:00".into(), end: "17:00".into() }];
        BusinessHours {
            timezone: tz.into(),
            days: vec![day.clone(), day.clone(), day.clone(), day.clone(), day, vec![], vec![]],
            holidays: vec![],
            reply_time: "within a few hours".into(),
        }
    }

    fn at(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        tz.with_ymd_and_hms(y, m, d, h, min, 0).earliest().unwrap().timestamp_millis()
    }

    #[test]
    fn local_hours_hold_across_daylight_saving_changes() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let schedule = check(&nine_to_five("Europe/Berlin")).unwrap();
        // Friday 27 March 2026, 09:30 CET (UTC+1) and Monday 30 March, 09:30 CEST (UTC+2):
        // both open, though 08:30 UTC is 09:30 the first day and 10:30 the second.
        assert!(schedule.is_open(at(berlin, 2026, 3, 27, 9, 30)));
        assert!(schedule.is_open(at(berlin, 2026, 3, 30, 9, 30)));
        assert!(!schedule.is_open(at(berlin, 2026, 3, 30, 8, 59)));
        // Closed over the weekend the clocks change; it opens Monday 09:00 CEST = 07:00 UTC.
        let saturday = at(berlin, 2026, 3, 28, 12, 0);
        assert!(!schedule.is_open(saturday));
        let monday_utc = chrono::Utc.with_ymd_and_hms(2026, 3, 30, 7, 0, 0).unwrap().timestamp_millis();
        assert_eq!(schedule.next_open(saturday), Some(monday_utc));
        // In autumn, 17:00 is 16:00 UTC before the change and 17:00 UTC after.
        let before = chrono::Utc.with_ymd_and_hms(2026, 10, 23, 15, 30, 0).unwrap().timestamp_millis();
        let after = chrono::Utc.with_ymd_and_hms(2026, 10, 26, 15, 30, 0).unwrap().timestamp_millis();
        assert!(!schedule.is_open(before) && schedule.is_open(after));
    }

    #[test]
    fn a_start_the_clocks_skip_begins_when_they_resume() {
        let mut hours = nine_to_five("Europe/Berlin");
        hours.days[6] = vec![Interval { start: "02:30".into(), end: "04:00".into() }];
        let schedule = check(&hours).unwrap();
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // Sunday 29 March 2026: 02:00-03:00 does not exist; the interval begins at 03:00 CEST.
        let opens = schedule.next_open(at(berlin, 2026, 3, 28, 18, 0)).unwrap();
        assert_eq!(opens, chrono::Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap().timestamp_millis());
    }

    #[test]
    fn holidays_close_the_day_and_yearly_ones_repeat_over_new_year() {
        let mut hours = nine_to_five("America/New_York");
        hours.holidays = vec![
            Holiday { name: "Founders".into(), from: "2026-06-01".into(), to: "2026-06-02".into(), yearly: false },
            Holiday { name: "Winter".into(), from: "2025-12-31".into(), to: "2026-01-02".into(), yearly: true },
        ];
        let schedule = check(&hours).unwrap();
        let ny: Tz = "America/New_York".parse().unwrap();
        assert!(!schedule.is_open(at(ny, 2026, 6, 2, 10, 0)), "Tuesday of the one-off holiday");
        assert!(schedule.is_open(at(ny, 2027, 6, 1, 10, 0)), "not repeated the next year");
        assert!(!schedule.is_open(at(ny, 2030, 1, 2, 10, 0)), "the yearly one repeats");
        assert!(!schedule.is_open(at(ny, 2029, 12, 31, 10, 0)));
        assert!(schedule.is_open(at(ny, 2030, 1, 3, 10, 0)));
        // From the holiday's Monday, the next opening is Wednesday 09:00 local.
        assert_eq!(schedule.next_open(at(ny, 2026, 6, 1, 10, 0)), Some(at(ny, 2026, 6, 3, 9, 0)));
    }

    #[test]
    fn wrong_schedules_list_every_problem() {
        let mut hours = nine_to_five("Mars/Olympus");
        hours.days[0] = vec![
            Interval { start: "09:00".into(), end: "13:00".into() },
            Interval { start: "12:00".into(), end: "18:00".into() },
        ];
        hours.days[1] = vec![Interval { start: "17:00".into(), end: "09:00".into() }];
        hours.days[2] = vec![Interval { start: "9am".into(), end: "5pm".into() }];
        hours.holidays =
            vec![Holiday { name: String::new(), from: "2026-12-26".into(), to: "2026-12-24".into(), yearly: false }];
        let problems = check(&hours).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["timezone", "days.0", "days.1.0", "days.2.0", "holidays.0"], "{problems:?}");
        assert!(crate::phrases::english(problems[4].phrase.as_ref().unwrap()).contains("ends before it starts"));
        assert!(check(&BusinessHours { days: vec![], ..nine_to_five("UTC") }).is_err());
    }
}

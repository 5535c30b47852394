//! The `import` mode: a CSV import of `rows` contacts (100,000 by default, the most one
//! import takes) into a running Parley, as an admin does it from the contact list.
//!
//! Signs the workspace owner in, defines a `plan` select field and a `VIP` label, writes
//! the file in memory (`Full name,Email,Phone,Tags,plan`: every row valid and new, a
//! third of them tagged VIP, every row a plan), then
//!
//! - `dry_run_secs`: `POST /imports/contacts?dry_run=true&match=email` until its answer
//!   (every row checked, nothing written; it must say `rows` created, none failed);
//! - `import_secs`: from `POST /imports/contacts?match=email` until `get_import` (polled
//!   every `poll_ms`) says `done`; `rows_per_sec` = rows / import_secs; `start_ms` is the
//!   POST's own answer (the file is stored and the job queued);
//! - the server's RSS before, the most seen while polling, its peak (VmHWM, since the
//!   server started: the dry run's share included) and its CPU over the import (100 % =
//!   one core);
//! - `parse_ms`, `parse_rss_kb`: what parsing the whole file once costs (the services'
//!   own `parse_csv`, here in the bench's process: time and RSS growth). The import job
//!   parses the whole stored file again for every chunk of 500 rows (`chunks` times).

use std::time::{Duration, Instant};

use parley_types::ImportStatus;
use serde::Serialize;

use crate::client::{BoxError, MemberSession, Parley};
use crate::rss;
use crate::stats::round3;

/// Settings of an import run.
#[derive(Debug, Clone, Serialize)]
pub struct ImportConfig {
    pub rows: usize,
    pub poll_ms: u64,
}

/// Where Parley is and who imports.
#[derive(Debug, Clone)]
pub struct ImportTarget {
    pub base: String,
    pub origin: String,
    pub email: String,
    pub password: String,
    pub server_pid: Option<u32>,
}

/// The single JSON line `import` prints.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub mode: &'static str,
    pub config: Option<ImportConfig>,
    pub server_pid: Option<u32>,
    pub csv_bytes: usize,
    pub parse_ms: f64,
    pub parse_rss_kb: Option<u64>,
    /// Chunks of 500 rows the import job runs (each parses the whole file).
    pub chunks: usize,
    pub dry_run_secs: f64,
    pub dry_run_rows_per_sec: f64,
    /// The dry run's answer: (total, created, updated, failed).
    pub dry_run_counts: (u64, u64, u64, u64),
    pub start_ms: f64,
    pub import_secs: f64,
    pub rows_per_sec: f64,
    /// The import's final state: (processed, created, updated, failed).
    pub import_counts: (u64, u64, u64, u64),
    /// Polls of `get_import` while it ran.
    pub polls: u64,
    pub server_rss_before_kb: Option<u64>,
    /// After the dry run, before the import.
    pub server_rss_after_dry_run_kb: Option<u64>,
    /// The most seen while polling the import.
    pub server_rss_max_during_import_kb: Option<u64>,
    pub server_rss_after_kb: Option<u64>,
    /// VmHWM: the server's peak since it started (dry run and import).
    pub server_peak_rss_kb: Option<u64>,
    /// Over the import, 100 % = one core fully busy.
    pub server_cpu_percent: Option<f64>,
    pub bench_rss_kb: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// The file: a header and `rows` valid, distinct new contacts.
pub fn csv(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 80 + 64);
    out.push_str("Full name,Email,Phone,Tags,plan\r\n");
    for n in 0..rows {
        let tags = if n % 3 == 0 { "VIP" } else { "" };
        let plan = ["Free", "Pro", "Team"][n % 3];
        out.push_str(&format!(
            "\"Imported, Contact {n}\",import{n}@example{}.com,+1 212 {:03} {:04},{tags},{plan}\r\n",
            n % 100,
            200 + (n / 10_000) % 800,
            n % 10_000
        ));
    }
    out
}

/// Runs the measurement.
pub async fn run(config: ImportConfig, target: ImportTarget) -> ImportReport {
    let mut report = ImportReport { mode: "import", config: Some(config.clone()), ..Default::default() };
    if let Err(e) = measure(&config, &target, &mut report).await {
        let e = crate::client::describe(&*e);
        eprintln!("bench[import]: run failed: {e}");
        report.failure = Some(e);
    }
    report.bench_rss_kb = rss::self_rss_kb();
    report
}

async fn measure(config: &ImportConfig, target: &ImportTarget, report: &mut ImportReport) -> Result<(), BoxError> {
    // The key is not used: no widget visitor takes part.
    let parley = Parley::new(&target.base, "", &target.origin).await?;
    let pid = target.server_pid.or_else(|| rss::find_listener_pid(parley.port()));
    report.server_pid = pid;
    let admin = parley.sign_in(&target.email, &target.password, Duration::from_secs(600)).await?;
    prepare(&admin).await?;

    let file = csv(config.rows);
    report.csv_bytes = file.len();
    let rss_before = rss::self_rss_kb();
    let started = Instant::now();
    let parsed = parley_services::contacts::import::parse_csv(&file)
        .map_err(|p| format!("the CSV did not parse: {}", parley_services::phrases::english(&p)))?;
    report.parse_ms = round3(started.elapsed().as_secs_f64() * 1000.0);
    report.parse_rss_kb = rss::self_rss_kb().zip(rss_before).map(|(after, before)| after.saturating_sub(before));
    drop(parsed);
    report.chunks = config.rows.div_ceil(500);
    report.server_rss_before_kb = pid.and_then(rss::rss_kb);

    eprintln!("bench[import]: dry run of {} rows ({} bytes)", config.rows, file.len());
    let started = Instant::now();
    let dry: ImportStatus = admin.post_body("/imports/contacts?dry_run=true&match=email", file.clone()).await?;
    let secs = started.elapsed().as_secs_f64();
    report.dry_run_secs = round3(secs);
    report.dry_run_rows_per_sec = round3(config.rows as f64 / secs);
    report.dry_run_counts = (dry.total, dry.created, dry.updated, dry.failed);
    if dry.total != config.rows as u64 || dry.failed != 0 {
        return Err(
            format!("the dry run answered {:?} (first problems {:?})", report.dry_run_counts, dry.problems).into()
        );
    }
    report.server_rss_after_dry_run_kb = pid.and_then(rss::rss_kb);
    eprintln!("bench[import]: dry run {secs:.2} s; importing");

    let cpu_before = pid.and_then(rss::cpu_secs);
    let started = Instant::now();
    let queued: ImportStatus = admin.post_body("/imports/contacts?match=email", file).await?;
    report.start_ms = round3(started.elapsed().as_secs_f64() * 1000.0);
    let id = queued.id.ok_or("the import's answer has no id")?;
    let mut max_rss = pid.and_then(rss::rss_kb);
    let mut last_report = Instant::now();
    let done = loop {
        tokio::time::sleep(Duration::from_millis(config.poll_ms)).await;
        max_rss = max_rss.max(pid.and_then(rss::rss_kb));
        let status: ImportStatus = admin.call("get_import", &[("id", &id.to_string())]).await?;
        report.polls += 1;
        if status.status == "done" {
            break status;
        }
        if last_report.elapsed() >= Duration::from_secs(10) {
            last_report = Instant::now();
            eprintln!(
                "bench[import]: {} of {} after {:.0} s",
                status.processed,
                status.total,
                started.elapsed().as_secs_f64()
            );
        }
        if started.elapsed() > Duration::from_secs(3600) {
            return Err(format!("the import was not done after an hour: {status:?}").into());
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let cpu_after = pid.and_then(rss::cpu_secs);
    report.import_secs = round3(secs);
    report.rows_per_sec = round3(config.rows as f64 / secs);
    report.import_counts = (done.processed, done.created, done.updated, done.failed);
    report.server_rss_max_during_import_kb = max_rss;
    report.server_rss_after_kb = pid.and_then(rss::rss_kb);
    report.server_peak_rss_kb = pid.and_then(rss::peak_rss_kb);
    report.server_cpu_percent = match (cpu_before, cpu_after) {
        (Some(a), Some(b)) if secs > 0.0 => Some(round3((b - a) / secs * 100.0)),
        _ => None,
    };
    eprintln!("bench[import]: {} rows in {secs:.2} s", config.rows);
    if done.created != config.rows as u64 || done.failed != 0 {
        return Err(format!("the import ended with {:?}: {:?}", report.import_counts, done.problems).into());
    }
    Ok(())
}

/// The `plan` field and the `VIP` label the file's columns go to.
async fn prepare(admin: &MemberSession) -> Result<(), BoxError> {
    let _: serde_json::Value = admin
        .call(
            "create_contact_field",
            &[
                ("field[key]", "plan"),
                ("field[label]", "Plan"),
                ("field[kind]", "select"),
                ("field[options]", "Free\nPro\nTeam"),
                ("field[widget_writable]", "false"),
                ("field[in_prechat]", "false"),
                ("field[required]", "false"),
            ],
        )
        .await?;
    let _: serde_json::Value = admin.call("create_label", &[("name", "VIP"), ("colour", "#e03131")]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_has_a_header_and_distinct_rows() {
        let text = csv(3);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "Full name,Email,Phone,Tags,plan");
        assert_eq!(lines[1], "\"Imported, Contact 0\",import0@example0.com,+1 212 200 0000,VIP,Free");
        assert_eq!(lines[3], "\"Imported, Contact 2\",import2@example2.com,+1 212 200 0002,,Team");
    }
}

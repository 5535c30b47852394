//! The `overhead` mode: what one visitor message costs on the write path, and what the
//! platform adds to it, measured in-process through `parley-services` on a fresh database
//! (no sockets, no HTTP):
//!
//! - `write_path_us`: `post_visitor_message` (the permission check, the conversation row,
//!   the message, the outbox row, the commit, the realtime publish), per message;
//! - `outbox_row_us`: a write that records one `MessageCreated` outbox event minus the same
//!   write without it (the row's insert and its JSON);
//! - `permission_check_ns`: `Actor::require` for the capability the message path checks,
//!   plus building the workspace-scoped query it reads through.
//!
//! Writes run one after another, so the figures are the cost of a write, not throughput.

use std::hint::black_box;
use std::time::Instant;

use parley_services::entities::{message, workspace};
use parley_services::workspaces::{CreateWorkspace, create_workspace};
use parley_services::{Config, DomainEvent, Services, conversations, visitors};
use parley_types::Capability;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct OverheadReport {
    pub mode: &'static str,
    pub database: &'static str,
    pub messages: usize,
    pub write_path_us: f64,
    pub empty_write_us: f64,
    pub outbox_write_us: f64,
    pub outbox_row_us: f64,
    /// `outbox_row_us / write_path_us`.
    pub outbox_share: f64,
    pub permission_check_ns: f64,
    /// `permission_check_ns / (write_path_us * 1000)`.
    pub permission_share: f64,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs the three measurements with `messages` writes each, in `data_dir` (SQLite) or on
/// `database_url`.
pub async fn run(messages: usize, data_dir: &str, database_url: Option<&str>) -> Result<OverheadReport, BoxError> {
    let config = Config::from_lookup(|name| match name {
        "PARLEY_DATA_DIR" => Some(data_dir.to_owned()),
        "DATABASE_URL" => database_url.map(str::to_owned),
        "PARLEY_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })?;
    let database = if config.uses_sqlite() { "sqlite" } else { "postgres" };
    let svc = Services::start(config).await?;
    let created = create_workspace(
        &svc,
        CreateWorkspace {
            workspace_name: "Overhead".into(),
            owner_name: "Owner".into(),
            owner_email: "owner@overhead.test".into(),
            owner_password: "overhead bench password".into(),
            allowed_origins: vec!["http://bench.local".into()],
        },
        false,
    )
    .await?;
    let ws = workspace::Entity::find_by_id(created.workspace_id.0).one(&svc.db).await?.ok_or("no workspace")?;
    let session = visitors::create_visitor(&svc, &ws, Default::default()).await?;
    let contact = visitors::find_visitor(&svc.db, created.workspace_id, &session.token).await?;
    let actor = visitors::actor(&contact);

    // Warm up: the conversation exists, statements are prepared, pages are cached.
    let mut last = None;
    for n in 0..200 {
        last = Some(conversations::post_visitor_message(&svc, &actor, &format!("warm-{n}"), "warming up", &[]).await?);
    }
    let sample = last.ok_or("no message")?.message;

    let started = Instant::now();
    for n in 0..messages {
        conversations::post_visitor_message(&svc, &actor, &format!("m-{n}"), "How long does shipping take?", &[])
            .await?;
    }
    let write_path_us = per(started, messages) * 1e6;

    let started = Instant::now();
    for _ in 0..messages {
        svc.begin().await?.commit().await?;
    }
    let empty_write_us = per(started, messages) * 1e6;

    let started = Instant::now();
    for _ in 0..messages {
        let mut w = svc.begin().await?;
        w.record(created.workspace_id, DomainEvent::MessageCreated { message: sample.clone() });
        w.commit().await?;
    }
    let outbox_write_us = per(started, messages) * 1e6;

    let checks = 1_000_000;
    let started = Instant::now();
    for _ in 0..checks {
        let scope = black_box(&actor).require(Capability::ChatAsVisitor)?;
        let query = scope.find::<message::Entity>().filter(message::Column::ConversationId.eq(black_box(1)));
        black_box(query.into_query());
    }
    let permission_check_ns = per(started, checks) * 1e9;

    let outbox_row_us = (outbox_write_us - empty_write_us).max(0.0);
    Ok(OverheadReport {
        mode: "overhead",
        database,
        messages,
        write_path_us: round(write_path_us),
        empty_write_us: round(empty_write_us),
        outbox_write_us: round(outbox_write_us),
        outbox_row_us: round(outbox_row_us),
        outbox_share: round(outbox_row_us / write_path_us),
        permission_check_ns: round(permission_check_ns),
        permission_share: round(permission_check_ns / (write_path_us * 1000.0)),
    })
}

fn per(started: Instant, count: usize) -> f64 {
    started.elapsed().as_secs_f64() / count as f64
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

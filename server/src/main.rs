//! `parley`: serves Parley, or runs an administrative subcommand (see `parley help`).

use std::process::ExitCode;

use parley_services::{Config, Services};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => run_server(config).await,
        Some("create-workspace") => server::cli::create_workspace(config, &args[1..]).await,
        Some("add-member") => server::cli::add_member(config, &args[1..]).await,
        Some("backup") => server::cli::backup(config, &args[1..]).await,
        Some("restore") => server::cli::restore(config, &args[1..]).await,
        Some("precompress") => server::cli::precompress(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{}", server::cli::USAGE);
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{}", server::cli::USAGE)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run_server(config: Config) -> Result<(), String> {
    // Every WebSocket is a file descriptor: allow as many as the system lets us.
    if let Err(err) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::warn!(%err, "could not raise the open-file limit");
    }
    tracing::info!(?config, "starting");
    let addr = config.addr;
    let services = Services::start(config).await.map_err(|err| format!("database: {err}"))?;
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|err| format!("cannot listen on {addr}: {err}"))?;
    server::serve(listener, services, shutdown_signal()).await.map_err(|err| err.to_string())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

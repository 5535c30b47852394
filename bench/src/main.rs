//! `bench`: load generator for a running Parley, with a bare tokio-tungstenite broadcast
//! server as the baseline.
//!
//! Every mode prints exactly one JSON line on stdout (the result) and its progress on stderr.
//!
//! ```text
//! bench load --base http://127.0.0.1:3000 --key pk_... --origin http://bench.local \
//!            --email owner@example.com --password secret \
//!            --visitors 1000 --operators 5 --rate 500 --seconds 30 --server-pid 1234
//! bench load --bare-only --visitors 1000 --operators 5 --rate 500 --seconds 30
//! bench idle --base http://127.0.0.1:3000 --key pk_... --origin http://bench.local \
//!            --sockets 10000 --server-pid 1234
//! bench idle --bare --sockets 10000
//! bench overhead --data-dir /tmp/empty-folder --messages 5000
//! bench visitors --base http://127.0.0.1:3000 --key pk_... --origin http://bench.local \
//!            --email owner@example.com --password secret --visitors 10000 --operators 5 \
//!            --interval 10 --seconds 60 --server-pid 1234
//! bench import --base http://127.0.0.1:3000 --email owner@example.com --password secret \
//!            --rows 100000 --server-pid 1234
//! bench audit --data-dir /tmp/empty-folder --entries 1000000
//! bench bare-server --addr 127.0.0.1:4000
//! ```
//!
//! `scripts/bench.sh` builds Parley, starts it on a fresh data directory and runs both modes.

mod audit;
mod bare;
mod client;
mod contacts;
mod idle;
mod import;
mod inbox;
mod load;
mod overhead;
mod rss;
mod stats;
mod visitors;

use std::net::{Ipv4Addr, SocketAddr};

use clap::{ArgAction, Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "bench", about = "Load generator for Parley, with a bare tokio-tungstenite baseline")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Visitors send messages at a fixed total rate; operator latency is measured.
    Load(LoadArgs),
    /// Opens many idle visitor sockets and measures the server's memory per socket.
    Idle(IdleArgs),
    /// Measures, in-process on a fresh database, what a visitor message costs on the write
    /// path and what the outbox row and the permission check add to it.
    Overhead(OverheadArgs),
    /// Seeds 100k conversations / 1M messages and measures the inbox at that scale
    /// (pages, counts, search, bulk close, auto-assignment, a 100 MB upload's memory).
    Inbox(InboxArgs),
    /// Seeds contacts (1M by default) and times an email-prefix search and a segment count.
    Contacts(ContactsArgs),
    /// Seeds audit entries (1M by default) and times the audit log's pages: the first,
    /// filtered by action, by actor, by a week, the 100th, and from a day 300 days back.
    Audit(AuditArgs),
    /// Online visitors navigate every few seconds while operators listen: what operators
    /// receive per second, server CPU and memory, and whether every page change arrived.
    Visitors(VisitorsArgs),
    /// Imports a CSV of contacts (100k rows by default): dry run and import times.
    Import(ImportArgs),
    /// Runs the bare broadcast server alone (the load and idle modes start it themselves).
    BareServer(BareServerArgs),
}

/// Where Parley runs and which workspace to use.
#[derive(Debug, Args)]
struct ParleyTargetArgs {
    /// Parley's base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    base: String,
    /// The workspace's widget public key (`pk_...`).
    #[arg(long)]
    key: Option<String>,
    /// An origin the workspace allows for the widget.
    #[arg(long, default_value = "http://bench.local")]
    origin: String,
    /// The server's pid, for reading its VmRSS (default: whoever listens on the base's port).
    #[arg(long)]
    server_pid: Option<u32>,
}

#[derive(Debug, Args)]
struct InboxArgs {
    /// The data folder (a fresh, empty folder; attachments go there too).
    #[arg(long)]
    data_dir: String,
    /// A PostgreSQL URL instead of SQLite (an empty database).
    #[arg(long)]
    database_url: Option<String>,
    /// New conversations per second for the auto-assignment measurement.
    #[arg(long, default_value_t = 200)]
    assign_rate: u32,
    /// For how many seconds.
    #[arg(long, default_value_t = 10)]
    assign_seconds: u32,
}

#[derive(Debug, Args)]
struct ContactsArgs {
    /// Contacts to seed.
    #[arg(long, default_value_t = 1_000_000)]
    contacts: usize,
    /// Runs of each measurement.
    #[arg(long, default_value_t = 20)]
    repeats: usize,
    /// The data folder for the SQLite database (a fresh, empty folder).
    #[arg(long)]
    data_dir: String,
    /// A PostgreSQL URL instead of SQLite (an empty database).
    #[arg(long)]
    database_url: Option<String>,
    /// Afterwards, also create an index on (workspace, kind, last seen) and time again (an
    /// experiment on the seeded database, not the product's schema).
    #[arg(long)]
    try_index: bool,
}

#[derive(Debug, Args)]
struct AuditArgs {
    /// Entries to seed in the benched workspace (another gets a tenth as many).
    #[arg(long, default_value_t = 1_000_000)]
    entries: usize,
    /// Runs of each measurement.
    #[arg(long, default_value_t = 20)]
    repeats: usize,
    /// The data folder for the SQLite database (a fresh, empty folder).
    #[arg(long)]
    data_dir: String,
    /// A PostgreSQL URL instead of SQLite (an empty database).
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, Args)]
struct OverheadArgs {
    /// Writes per measurement.
    #[arg(long, default_value_t = 5000)]
    messages: usize,
    /// The data folder for the SQLite database (a fresh, empty folder).
    #[arg(long)]
    data_dir: String,
    /// A PostgreSQL URL instead of SQLite (an empty database).
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, Args)]
struct LoadArgs {
    #[command(flatten)]
    parley: ParleyTargetArgs,
    /// Operator login email (all operator sockets log in with it, one session each).
    #[arg(long)]
    email: Option<String>,
    /// Operator login password.
    #[arg(long)]
    password: Option<String>,
    /// Visitor sockets.
    #[arg(long, default_value_t = 1000)]
    visitors: usize,
    /// Operator sockets.
    #[arg(long, default_value_t = 5)]
    operators: usize,
    /// Messages per second, all visitors together.
    #[arg(long, default_value_t = 500.0)]
    rate: f64,
    /// How long to send, in seconds.
    #[arg(long, default_value_t = 30.0)]
    seconds: f64,
    /// How long to wait for in-flight messages after sending stops, in seconds.
    #[arg(long, default_value_t = 5.0)]
    drain_seconds: f64,
    /// Also run the identical load against a bare tokio-tungstenite broadcast server.
    #[arg(long, default_value_t = true, action = ArgAction::Set)]
    compare_bare: bool,
    /// Only run the bare server (no Parley needed); a self-check of the bench.
    #[arg(long)]
    bare_only: bool,
    #[command(flatten)]
    bare: BareArgs,
    /// Concurrent HTTP requests while creating visitors.
    #[arg(long, default_value_t = 32)]
    http_concurrency: usize,
    /// Concurrent WebSocket handshakes while connecting.
    #[arg(long, default_value_t = 64)]
    connect_concurrency: usize,
    /// Every visitor first sends one untimed message and waits for its echo, so the timed
    /// window writes into existing conversations.
    #[arg(long)]
    warm_up: bool,
}

#[derive(Debug, Args)]
struct VisitorsArgs {
    #[command(flatten)]
    parley: ParleyTargetArgs,
    /// Operator login email (every operator socket and the final list sign in with it).
    #[arg(long)]
    email: String,
    /// Operator login password.
    #[arg(long)]
    password: String,
    /// Online visitors (one widget socket each).
    #[arg(long, default_value_t = 10_000)]
    visitors: usize,
    /// Operator sockets listening.
    #[arg(long, default_value_t = 5)]
    operators: usize,
    /// Seconds between one visitor's page changes (visitors staggered evenly).
    #[arg(long, default_value_t = 10.0)]
    interval: f64,
    /// Seconds of navigation before the measured window.
    #[arg(long, default_value_t = 5.0)]
    warm_up: f64,
    /// Length of the measured window in seconds.
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// Seconds after the last page change before the final list is read.
    #[arg(long, default_value_t = 3.0)]
    drain: f64,
    /// Visitor sockets per client source address.
    #[arg(long, default_value_t = 2_500)]
    per_source: usize,
    /// First client source address; later ones count up from it.
    #[arg(long, default_value = "127.0.0.2")]
    first_source: Ipv4Addr,
    /// Concurrent HTTP requests while creating visitors.
    #[arg(long, default_value_t = 32)]
    http_concurrency: usize,
    /// Concurrent WebSocket handshakes while connecting.
    #[arg(long, default_value_t = 128)]
    connect_concurrency: usize,
    /// Characters appended to every page URL (`&pad=xxx…`), for longer entries.
    #[arg(long, default_value_t = 0)]
    url_padding: usize,
}

#[derive(Debug, Args)]
struct ImportArgs {
    #[command(flatten)]
    parley: ParleyTargetArgs,
    /// Login email of an owner or admin.
    #[arg(long)]
    email: String,
    /// Their password.
    #[arg(long)]
    password: String,
    /// Data rows in the file.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// How often the import's progress is read, in milliseconds.
    #[arg(long, default_value_t = 200)]
    poll_ms: u64,
}

#[derive(Debug, Args)]
struct IdleArgs {
    #[command(flatten)]
    parley: ParleyTargetArgs,
    /// Idle visitor sockets to open.
    #[arg(long, default_value_t = 10_000)]
    sockets: usize,
    /// Measure the bare server instead of Parley.
    #[arg(long)]
    bare: bool,
    #[command(flatten)]
    bare_options: BareArgs,
    /// Sockets per client source address (10,000 sockets spread over 4 addresses by
    /// default; one address allows about 28,000 ephemeral ports).
    #[arg(long, default_value_t = 2_500)]
    per_source: usize,
    /// First client source address; later ones count up from it.
    #[arg(long, default_value = "127.0.0.2")]
    first_source: Ipv4Addr,
    /// Concurrent HTTP requests while creating visitors.
    #[arg(long, default_value_t = 32)]
    http_concurrency: usize,
    /// Concurrent WebSocket handshakes while opening.
    #[arg(long, default_value_t = 128)]
    connect_concurrency: usize,
    /// Seconds to wait before each RSS reading.
    #[arg(long, default_value_t = 3.0)]
    settle_seconds: f64,
}

/// How the bench runs its bare server child.
#[derive(Debug, Args)]
struct BareArgs {
    /// Worker threads of the bare server (default: tokio's, one per core, like Parley).
    #[arg(long)]
    bare_threads: Option<usize>,
    /// Per-socket read buffer of the bare server in bytes (default: tungstenite's 128 KiB).
    #[arg(long)]
    bare_read_buffer: Option<usize>,
}

impl BareArgs {
    fn options(&self) -> bare::BareOptions {
        bare::BareOptions { threads: self.bare_threads, read_buffer: self.bare_read_buffer }
    }
}

#[derive(Debug, Args)]
struct BareServerArgs {
    /// Address to listen on; port 0 picks a free one (printed on stdout).
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Per-socket read buffer in bytes (default: tungstenite's 128 KiB).
    #[arg(long)]
    read_buffer_bytes: Option<usize>,
    /// Exit when stdin closes (used when the bench starts it as a child).
    #[arg(long)]
    exit_on_stdin_eof: bool,
}

fn main() {
    let cli = Cli::parse();
    match raise_nofile_limit() {
        Ok((old, new)) if old != new => eprintln!("bench: raised open file limit from {old} to {new}"),
        Ok(_) => {}
        Err(e) => eprintln!("bench: could not raise the open file limit: {e}"),
    }

    let threads = match &cli.command {
        Command::BareServer(args) => args.threads,
        _ => None,
    };
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    builder.enable_all();
    if let Some(threads) = threads {
        builder.worker_threads(threads.max(1));
    }
    let runtime = match builder.build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bench: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };

    let code = runtime.block_on(async move {
        match cli.command {
            Command::Load(args) => run_load(args).await,
            Command::Idle(args) => run_idle(args).await,
            Command::Visitors(args) => run_visitors(args).await,
            Command::Import(args) => {
                let config = import::ImportConfig { rows: args.rows, poll_ms: args.poll_ms.max(1) };
                let target = import::ImportTarget {
                    base: args.parley.base,
                    origin: args.parley.origin,
                    email: args.email,
                    password: args.password,
                    server_pid: args.parley.server_pid,
                };
                let report = import::run(config, target).await;
                let failed = report.failure.is_some();
                print_json(&report);
                i32::from(failed)
            }
            Command::Inbox(args) => {
                match inbox::run(&args.data_dir, args.database_url.as_deref(), args.assign_rate, args.assign_seconds)
                    .await
                {
                    Ok(report) => {
                        print_json(&report);
                        0
                    }
                    Err(e) => {
                        eprintln!("inbox: {e}");
                        1
                    }
                }
            }
            Command::Contacts(args) => {
                match contacts::run(
                    args.contacts,
                    args.repeats,
                    &args.data_dir,
                    args.database_url.as_deref(),
                    args.try_index,
                )
                .await
                {
                    Ok(report) => {
                        print_json(&report);
                        0
                    }
                    Err(e) => {
                        eprintln!("contacts: {e}");
                        1
                    }
                }
            }
            Command::Audit(args) => {
                match audit::run(args.entries, args.repeats, &args.data_dir, args.database_url.as_deref()).await {
                    Ok(report) => {
                        print_json(&report);
                        0
                    }
                    Err(e) => {
                        eprintln!("audit: {e}");
                        1
                    }
                }
            }
            Command::Overhead(args) => {
                match overhead::run(args.messages, &args.data_dir, args.database_url.as_deref()).await {
                    Ok(report) => {
                        print_json(&report);
                        0
                    }
                    Err(e) => {
                        eprintln!("bench: overhead run failed: {e}");
                        1
                    }
                }
            }
            Command::BareServer(args) => {
                match bare::run_server(args.addr, args.read_buffer_bytes, args.exit_on_stdin_eof).await {
                    Ok(()) => 0,
                    Err(e) => {
                        eprintln!("bare: {e}");
                        1
                    }
                }
            }
        }
    });
    // Do not wait for lingering socket tasks.
    runtime.shutdown_background();
    std::process::exit(code);
}

async fn run_load(args: LoadArgs) -> i32 {
    if args.rate <= 0.0 || args.seconds <= 0.0 || args.visitors == 0 {
        eprintln!("bench: --rate, --seconds and --visitors must be positive");
        return 2;
    }
    let parley = if args.bare_only {
        None
    } else {
        let Some(key) = args.parley.key else {
            eprintln!("bench: --key is required (or pass --bare-only)");
            return 2;
        };
        Some(load::ParleyArgs {
            base: args.parley.base,
            key,
            origin: args.parley.origin,
            email: args.email,
            password: args.password,
            server_pid: args.parley.server_pid,
        })
    };
    let config = load::LoadConfig {
        visitors: args.visitors,
        operators: args.operators,
        rate: args.rate,
        seconds: args.seconds,
        drain_seconds: args.drain_seconds,
        http_concurrency: args.http_concurrency,
        connect_concurrency: args.connect_concurrency,
        warm_up: args.warm_up,
    };
    let report = load::run(config, parley, args.compare_bare || args.bare_only, args.bare.options()).await;
    let failed = !report.failures.is_empty();
    print_json(&report);
    i32::from(failed)
}

async fn run_idle(args: IdleArgs) -> i32 {
    let target = if args.bare {
        idle::IdleTarget::Bare(args.bare_options.options())
    } else {
        let Some(key) = args.parley.key else {
            eprintln!("bench: --key is required (or pass --bare)");
            return 2;
        };
        idle::IdleTarget::Parley {
            base: args.parley.base,
            key,
            origin: args.parley.origin,
            server_pid: args.parley.server_pid,
        }
    };
    let config = idle::IdleConfig {
        sockets: args.sockets,
        per_source: args.per_source,
        first_source: args.first_source,
        http_concurrency: args.http_concurrency,
        connect_concurrency: args.connect_concurrency,
        settle_seconds: args.settle_seconds,
    };
    let report = idle::run(config, target).await;
    let failed = report.failure.is_some();
    print_json(&report);
    i32::from(failed)
}

async fn run_visitors(args: VisitorsArgs) -> i32 {
    let Some(key) = args.parley.key else {
        eprintln!("bench: --key is required");
        return 2;
    };
    if args.visitors == 0 || args.operators == 0 || args.interval <= 0.0 || args.seconds <= 0.0 {
        eprintln!("bench: --visitors, --operators, --interval and --seconds must be positive");
        return 2;
    }
    let config = visitors::VisitorsConfig {
        visitors: args.visitors,
        operators: args.operators,
        interval_secs: args.interval,
        warm_up_secs: args.warm_up.max(0.0),
        seconds: args.seconds,
        drain_secs: args.drain.max(0.0),
        per_source: args.per_source,
        first_source: args.first_source,
        http_concurrency: args.http_concurrency,
        connect_concurrency: args.connect_concurrency,
        url_padding: args.url_padding,
    };
    let target = visitors::VisitorsTarget {
        base: args.parley.base,
        key,
        origin: args.parley.origin,
        email: args.email,
        password: args.password,
        server_pid: args.parley.server_pid,
    };
    let report = visitors::run(config, target).await;
    let failed = report.failure.is_some();
    print_json(&report);
    i32::from(failed)
}

fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(line) => println!("{line}"),
        Err(e) => eprintln!("bench: cannot serialise the report: {e}"),
    }
}

/// Raises this process's soft `RLIMIT_NOFILE` to its hard limit; returns (old, new).
#[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every target
fn raise_nofile_limit() -> std::io::Result<(u64, u64)> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let old = limit.rlim_cur as u64;
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok((old, limit.rlim_cur as u64))
    }
}

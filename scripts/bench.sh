#!/usr/bin/env bash
# Benchmarks Parley, each run on a freshly started server and a fresh database.
#
# Usage: scripts/bench.sh            (from anywhere; runs in the repository root)
#
# Builds `parley` and `bench` in release mode (only `bench` when every mode runs
# in-process: overhead, contacts, audit). Then, for every mode in BENCH_MODES and
# BENCH_RUNS times each, it creates a temporary data directory (and, on PostgreSQL, a new
# database), creates a workspace (`parley create-workspace --json`), starts Parley on
# 127.0.0.1:<free port>, waits for /healthz, runs one measurement, stops Parley and deletes
# its data. No run inherits memory or rows from another. Stdout: one JSON line per run,
# then one summary line per mode with the median, min and max of its key figures:
#   {"mode":"load",...}        `bench load`: visitors send messages at a fixed total rate
#                              while operators listen; delivery latency percentiles, lost
#                              messages, server RSS, next to the same load on a bare
#                              tokio-tungstenite broadcast server (ratio_p50, ratio_p99:
#                              stored and delivered, `message_created`; shown_ratio_p50,
#                              shown_ratio_p99: on the operator's screen, the visitor's
#                              `message_arriving` while it is being stored)
#   {"mode":"idle",...}        `bench idle`: server memory per open idle widget socket
#   {"mode":"throughput",...}  the highest offered rate (BENCH_THROUGHPUT_RATES, in order,
#                              each step on a fresh server) at which every message was
#                              stored, acknowledged and delivered with p99 under
#                              BENCH_THROUGHPUT_P99_MS; the steps with their figures. Each
#                              visitor's conversation is created by an untimed warm-up
#                              message first (`bench load --warm-up`)
#   {"mode":"contacts",...}    `bench contacts`: in-process, BENCH_CONTACTS (1M) contacts:
#                              an email-prefix search and a segment count (median, max)
#   {"mode":"audit",...}       `bench audit`: in-process, BENCH_AUDIT_ENTRIES (1M) audit
#                              entries over 400 days: the audit log's first page, filtered
#                              by an action, an actor, a 7-day range, the 100th page, and
#                              from a day 300 days back (median, max of 20), with each
#                              query's plan
#   {"mode":"visitors",...}    `bench visitors`: BENCH_ONLINE_VISITORS (10,000) online widget
#                              visitors each move to a new page every BENCH_ONLINE_INTERVAL
#                              (10) s, staggered, while BENCH_ONLINE_OPERATORS (5) operator
#                              sockets listen; over a BENCH_ONLINE_SECONDS (60) s window:
#                              events, moved entries and payload bytes per operator per
#                              second, page-to-operator delay, server CPU (100 % = one core)
#                              and RSS; then whether the Visitors page's list and the events
#                              show every visitor on its last page (reflected.complete)
#   {"mode":"import",...}      `bench import`: the owner imports a CSV of BENCH_IMPORT_ROWS
#                              (100,000) new contacts (name, email, phone, a label, a select
#                              field): dry-run time, import time until `done`, rows/s,
#                              server RSS (peak) and CPU
#   {"mode":"overhead",...}    `bench overhead`: in-process, what a visitor message costs on
#                              the write path, what its outbox row and its permission check
#                              add (BENCH_OVERHEAD_MESSAGES writes per figure, default 5000)
#   {"mode":"summary",...}     per mode: median / min / max over the runs
# Progress and build output go to stderr; Parley's log (last lines) only if a run fails.
#
# Environment (all optional):
#   BENCH_RUNS=5              runs of every mode
#   BENCH_MODES="load idle throughput overhead"  (the default; also contacts, audit, visitors,
#                             import)
#   BENCH_VISITORS=1000       visitor sockets in the load run
#   BENCH_OPERATORS=5         operator sockets in the load run
#   BENCH_RATE=500            messages per second, all visitors together (load)
#   BENCH_LOAD_WARM_UP=       set: the load run's visitors each send an untimed first
#                             message, which creates their conversation (`--warm-up`)
#   BENCH_SECONDS=30          length of the load run
#   BENCH_IDLE_SOCKETS=10000  sockets in the idle run
#   BENCH_IDLE_PER_SOURCE=2500 idle sockets per client source address (127.0.0.2, .3, ...)
#   BENCH_COMPARE_BARE=true   also run the load against the bare server (true/false)
#   BENCH_CONTACTS=1000000    contacts seeded in the contacts run
#   BENCH_CONTACTS_TRY_INDEX=1  the contacts run then also creates an index on (workspace,
#                             kind, last seen) and times the segment count again (with_index)
#   BENCH_AUDIT_ENTRIES=1000000  audit entries seeded in the audit run (another workspace
#                             gets a tenth as many)
#   BENCH_ONLINE_VISITORS=10000 BENCH_ONLINE_OPERATORS=5 BENCH_ONLINE_INTERVAL=10
#   BENCH_ONLINE_SECONDS=60   BENCH_ONLINE_PER_SOURCE=2500   (the visitors run)
#   BENCH_ONLINE_URL_PADDING=0  characters added to every page URL in the visitors run
#   BENCH_IMPORT_ROWS=100000  rows in the import run (100,000 is the most one import takes)
#   BENCH_THROUGHPUT_RATES="1000 2000 3000 4000 5000 6000 8000"  offered rates to try
#   BENCH_THROUGHPUT_VISITORS (default: the offered rate / 5, at least 200; a visitor may
#   send 10 messages a second)  BENCH_THROUGHPUT_SECONDS=10  BENCH_THROUGHPUT_P99_MS=50
#   BENCH_PORT                Parley's port (default: the first free one from 39100)
#   BENCH_DATABASE_URL        a PostgreSQL server URL (postgres://user@host:port/db): each
#                             run gets its own new database there, dropped afterwards;
#                             default is SQLite in the run's temporary directory
#   BENCH_SKIP_BUILD=1        use the binaries already in target/release
#   BENCH_KEEP_DIR=1          keep the temporary directories (their paths are logged; the
#                             contacts and audit runs' SQLite file is data/parley.db in it)
#   CARGO_TARGET_DIR          as for cargo (default: <repo>/target)
#
# Example: BENCH_RUNS=1 BENCH_VISITORS=200 BENCH_SECONDS=10 BENCH_MODES=load scripts/bench.sh | jq .
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
parley="$target_dir/release/parley"
bench="$target_dir/release/bench"

runs="${BENCH_RUNS:-5}"
visitors="${BENCH_VISITORS:-1000}"
operators="${BENCH_OPERATORS:-5}"
rate="${BENCH_RATE:-500}"
seconds="${BENCH_SECONDS:-30}"
idle_sockets="${BENCH_IDLE_SOCKETS:-10000}"
compare_bare="${BENCH_COMPARE_BARE:-true}"
# Set (to anything): each visitor's conversation is made by an untimed first message, so
# the load run times messages into existing conversations only.
load_warm_up="${BENCH_LOAD_WARM_UP:-}"
modes="${BENCH_MODES:-load idle throughput overhead}"
tp_rates="${BENCH_THROUGHPUT_RATES:-1000 2000 3000 4000 5000 6000 8000}"
tp_visitors="${BENCH_THROUGHPUT_VISITORS:-}"
tp_seconds="${BENCH_THROUGHPUT_SECONDS:-10}"
tp_p99="${BENCH_THROUGHPUT_P99_MS:-50}"
origin="http://bench.local"
email="bench@example.com"
password="bench-$RANDOM$RANDOM$RANDOM"

log() { echo "bench.sh: $*" >&2; }

# Every socket is a file descriptor, on both sides; Parley and bench inherit this.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || log "could not raise ulimit -n (now $(ulimit -n))"

# The in-process modes (overhead, contacts, audit) need only the bench binary.
packages=(-p bench)
binaries=("$bench")
for mode in $modes; do
  case "$mode" in
    overhead | contacts | audit) ;;
    *)
      packages=(-p server -p bench)
      binaries=("$parley" "$bench")
      ;;
  esac
done
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  log "building release binaries: cargo build --release ${packages[*]}"
  cargo build --release "${packages[@]}" >&2
fi
for bin in "${binaries[@]}"; do
  [[ -x "$bin" ]] || { log "missing $bin"; exit 1; }
done

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  if [[ -n "${BENCH_PORT:-}" ]]; then
    echo "$BENCH_PORT"
    return
  fi
  local p=39100
  while ! port_free "$p"; do
    p=$((p + 1))
    ((p < 39200)) || { log "no free port in 39100-39199"; exit 1; }
  done
  echo "$p"
}

results="$(mktemp "${TMPDIR:-/tmp}/parley-bench-results.XXXXXX")"
tmp=""
server_pid=""
pg_database=""

# Stops the current server, drops its database and deletes its folder.
stop_parley() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      log "parley ignored SIGTERM for 10 s; killing it"
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
  if [[ -n "$pg_database" ]]; then
    psql "$BENCH_DATABASE_URL" -q -c "DROP DATABASE IF EXISTS $pg_database" >&2 || log "could not drop $pg_database"
    pg_database=""
  fi
  if [[ -n "$tmp" ]]; then
    if [[ "${BENCH_KEEP_DIR:-}" == 1 ]]; then log "kept $tmp"; else rm -rf "$tmp"; fi
    tmp=""
  fi
}
cleanup() {
  local status=$?
  stop_parley
  rm -f "$results"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

show_server_log() { log "last lines of parley's log:"; tail -n 30 "$tmp/parley.log" >&2 || true; }

# Creates a new database on BENCH_DATABASE_URL's server for one run (dropped by
# stop_parley); its name is left in pg_database.
new_pg_database() {
  pg_database="bench_${RANDOM}${RANDOM}"
  psql "$BENCH_DATABASE_URL" -q -c "CREATE DATABASE $pg_database" >&2
}

# Starts Parley on a new data folder (and database) and sets base, key and server_pid.
start_parley() {
  port="$(pick_port)"
  base="http://127.0.0.1:$port"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
  export PARLEY_ADDR="127.0.0.1:$port"
  export PARLEY_DATA_DIR="$tmp/data"
  export PARLEY_PUBLIC_URL="$base"
  # The bench creates thousands of visitors from a few local addresses: no per-address limit.
  export PARLEY_NEW_VISITORS_PER_MINUTE=0
  export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
  export RUST_LOG="${RUST_LOG:-warn}"
  if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
    new_pg_database
    export DATABASE_URL="${BENCH_DATABASE_URL%/*}/$pg_database"
  else
    unset DATABASE_URL
  fi
  mkdir -p "$PARLEY_DATA_DIR"
  local created
  created="$("$parley" create-workspace --name "Bench" --email "$email" --password "$password" \
    --origin "$origin" --json | tail -n 1)"
  key="$(sed -n 's/.*"public_key" *: *"\([^"]*\)".*/\1/p' <<<"$created")"
  [[ -n "$key" ]] || { log "create-workspace printed no public_key: $created"; exit 1; }
  "$parley" >"$tmp/parley.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null --max-time 2 "$base/healthz" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log "parley exited before becoming healthy"
      show_server_log
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      log "parley not healthy after 60 s"
      show_server_log
      exit 1
    fi
    sleep 0.1
  done
  common=(--base "$base" --key "$key" --origin "$origin" --server-pid "$server_pid")
}

# Prints a result line and keeps it for the summary.
emit() { echo "$1"; echo "$1" >>"$results"; }

run_load() {
  "$bench" load "${common[@]}" --email "$email" --password "$password" \
    --visitors "$1" --operators "$2" --rate "$3" --seconds "$4" --compare-bare "$5" "${@:6}"
}

failed=0
for mode in $modes; do
  for run in $(seq "$runs"); do
    case "$mode" in
      load)
        log "load $run/$runs: $visitors visitors, $operators operators, $rate msg/s for $seconds s (bare: $compare_bare)"
        start_parley
        if line="$(run_load "$visitors" "$operators" "$rate" "$seconds" "$compare_bare" ${load_warm_up:+--warm-up})"; then
          emit "$(jq -c --argjson run "$run" '. + {run: $run}' <<<"$line")"
        else
          failed=1
          show_server_log
        fi
        stop_parley
        ;;
      idle)
        log "idle $run/$runs: $idle_sockets sockets on a fresh server"
        start_parley
        if line="$("$bench" idle "${common[@]}" --sockets "$idle_sockets" --per-source "${BENCH_IDLE_PER_SOURCE:-2500}")"; then
          emit "$(jq -c --argjson run "$run" '. + {run: $run}' <<<"$line")"
        else
          failed=1
          show_server_log
        fi
        stop_parley
        ;;
      throughput)
        best=0
        steps="[]"
        for offered in $tp_rates; do
          # A visitor may send 10 messages a second: by default 5 each, at least 200 visitors.
          step_visitors="${tp_visitors:-$((offered / 5 > 200 ? offered / 5 : 200))}"
          log "throughput $run/$runs: $offered msg/s from $step_visitors visitors for $tp_seconds s"
          start_parley
          if ! line="$(run_load "$step_visitors" 1 "$offered" "$tp_seconds" false --warm-up)"; then
            failed=1
            show_server_log
            stop_parley
            break
          fi
          stop_parley
          step="$(jq -c --argjson offered "$offered" --argjson limit "$tp_p99" '.parley | {
            offered: $offered, stored_per_sec, delivered_per_sec, lost, unacked,
            p50_ms: .latency_ms.p50, p99_ms: .latency_ms.p99, max_send_lag_ms,
            passed: (.lost == 0 and .unacked == 0 and .latency_ms.p99 != null and .latency_ms.p99 < $limit)
          }' <<<"$line")"
          steps="$(jq -c --argjson step "$step" '. + [$step]' <<<"$steps")"
          if [[ "$(jq -r .passed <<<"$step")" != true ]]; then
            break
          fi
          best="$offered"
        done
        emit "$(jq -nc --argjson run "$run" --argjson best "$best" --argjson steps "$steps" \
          --arg db "${BENCH_DATABASE_URL:+postgres}" --argjson limit "$tp_p99" \
          '{mode: "throughput", run: $run, database: (if $db == "" then "sqlite" else $db end),
            p99_limit_ms: $limit, best_rate: $best,
            at_best: ([$steps[] | select(.offered == $best)] | first), steps: $steps}')"
        ;;
      overhead)
        log "overhead $run/$runs: the write path in-process, ${BENCH_OVERHEAD_MESSAGES:-5000} writes per figure"
        tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
        db_args=()
        if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
          new_pg_database
          db_args=(--database-url "${BENCH_DATABASE_URL%/*}/$pg_database")
        fi
        if line="$(RUST_LOG=warn "$bench" overhead --data-dir "$tmp/data" --messages "${BENCH_OVERHEAD_MESSAGES:-5000}" "${db_args[@]}")"; then
          emit "$(jq -c --argjson run "$run" '. + {run: $run}' <<<"$line")"
        else
          failed=1
        fi
        stop_parley
        ;;
      contacts)
        log "contacts $run/$runs: ${BENCH_CONTACTS:-1000000} contacts in-process, an email-prefix search and a segment count"
        tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
        db_args=()
        if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
          new_pg_database
          db_args=(--database-url "${BENCH_DATABASE_URL%/*}/$pg_database")
        fi
        if [[ "${BENCH_CONTACTS_TRY_INDEX:-}" == 1 ]]; then db_args+=(--try-index); fi
        if line="$(RUST_LOG=warn "$bench" contacts --data-dir "$tmp/data" --contacts "${BENCH_CONTACTS:-1000000}" "${db_args[@]}")"; then
          emit "$(jq -c --argjson run "$run" '. + {run: $run}' <<<"$line")"
        else
          failed=1
        fi
        # Deletes the folder (unless BENCH_KEEP_DIR=1) and drops the PostgreSQL database.
        stop_parley
        ;;
      audit)
        log "audit $run/$runs: ${BENCH_AUDIT_ENTRIES:-1000000} audit entries in-process, the log's pages"
        tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
        db_args=()
        if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
          new_pg_database
          db_args=(--database-url "${BENCH_DATABASE_URL%/*}/$pg_database")
        fi
        if line="$(RUST_LOG=warn "$bench" audit --data-dir "$tmp/data" --entries "${BENCH_AUDIT_ENTRIES:-1000000}" "${db_args[@]}")"; then
          emit "$(jq -c --argjson run "$run" '. + {run: $run}' <<<"$line")"
        else
          failed=1
        fi
        stop_parley
        ;;
      visitors)
        log "visitors $run/$runs: ${BENCH_ONLINE_VISITORS:-10000} visitors navigating every ${BENCH_ONLINE_INTERVAL:-10} s, ${BENCH_ONLINE_OPERATORS:-5} operators, ${BENCH_ONLINE_SECONDS:-60} s window"
        start_parley
        if line="$("$bench" visitors "${common[@]}" --email "$email" --password "$password" \
          --visitors "${BENCH_ONLINE_VISITORS:-10000}" --operators "${BENCH_ONLINE_OPERATORS:-5}" \
          --interval "${BENCH_ONLINE_INTERVAL:-10}" --seconds "${BENCH_ONLINE_SECONDS:-60}" \
          --per-source "${BENCH_ONLINE_PER_SOURCE:-2500}" --url-padding "${BENCH_ONLINE_URL_PADDING:-0}")"; then
          emit "$(jq -c --argjson run "$run" --arg db "${BENCH_DATABASE_URL:+postgres}" \
            '. + {run: $run, database: (if $db == "" then "sqlite" else $db end)}' <<<"$line")"
        else
          failed=1
          show_server_log
        fi
        stop_parley
        ;;
      import)
        log "import $run/$runs: ${BENCH_IMPORT_ROWS:-100000} rows, dry run then import"
        start_parley
        if line="$("$bench" import "${common[@]}" --email "$email" --password "$password" --rows "${BENCH_IMPORT_ROWS:-100000}")"; then
          emit "$(jq -c --argjson run "$run" --arg db "${BENCH_DATABASE_URL:+postgres}" \
            '. + {run: $run, database: (if $db == "" then "sqlite" else $db end)}' <<<"$line")"
        else
          failed=1
          show_server_log
        fi
        stop_parley
        ;;
      *)
        log "unknown mode $mode in BENCH_MODES"
        failed=1
        ;;
    esac
  done
done

# Median, min and max of each mode's key figures over its runs.
jq -sc '
  def stats: sort as $s | ($s | length) as $n |
    if $n == 0 then null else
      {median: (if $n % 2 == 1 then $s[($n - 1) / 2] else ($s[$n / 2 - 1] + $s[$n / 2]) / 2 end),
       min: $s[0], max: $s[-1], runs: $n} end;
  def figure(f): [.[] | f | select(. != null)] | stats;
  group_by(.mode) | map(
    .[0].mode as $mode |
    if $mode == "load" then {mode: "summary", of: "load",
      parley_p50_ms: figure(.parley.latency_ms.p50), parley_p99_ms: figure(.parley.latency_ms.p99),
      bare_p50_ms: figure(.bare.latency_ms.p50), bare_p99_ms: figure(.bare.latency_ms.p99),
      ratio_p50: figure(.ratio_p50), ratio_p99: figure(.ratio_p99),
      parley_shown_p50_ms: figure(.parley.shown_latency_ms.p50),
      parley_shown_p99_ms: figure(.parley.shown_latency_ms.p99),
      shown_ratio_p50: figure(.shown_ratio_p50), shown_ratio_p99: figure(.shown_ratio_p99),
      lost: figure(.parley.lost), stored_per_sec: figure(.parley.stored_per_sec),
      server_rss_kb: figure(.parley.server_rss_kb)}
    elif $mode == "idle" then {mode: "summary", of: "idle",
      per_socket_bytes: figure(.per_socket_bytes), sockets_open: figure(.sockets_open),
      rss_after_kb: figure(.rss_after_kb)}
    elif $mode == "overhead" then {mode: "summary", of: "overhead",
      write_path_us: figure(.write_path_us), outbox_row_us: figure(.outbox_row_us),
      outbox_share: figure(.outbox_share), permission_check_ns: figure(.permission_check_ns),
      permission_share: figure(.permission_share)}
    elif $mode == "contacts" then {mode: "summary", of: "contacts",
      email_prefix_median_ms: figure(.email_prefix_ms.median), email_prefix_max_ms: figure(.email_prefix_ms.max),
      segment_count_median_ms: figure(.segment_count_ms.median), segment_count_max_ms: figure(.segment_count_ms.max),
      segment_count_after_checkpoint_median_ms: figure(.segment_count_after_checkpoint_ms.median),
      with_index_segment_count_median_ms: figure(.with_index.segment_count_ms.median),
      with_index_segment_count_max_ms: figure(.with_index.segment_count_ms.max),
      insert_per_sec: figure(.insert_per_sec)}
    elif $mode == "audit" then {mode: "summary", of: "audit",
      first_page_median_ms: figure(.first_page_ms.median), first_page_max_ms: figure(.first_page_ms.max),
      action_median_ms: figure(.action_ms.median), action_max_ms: figure(.action_ms.max),
      actor_median_ms: figure(.actor_ms.median), actor_max_ms: figure(.actor_ms.max),
      date_range_median_ms: figure(.date_range_ms.median), date_range_max_ms: figure(.date_range_ms.max),
      page_100_median_ms: figure(.page_100_ms.median), page_100_max_ms: figure(.page_100_ms.max),
      date_from_median_ms: figure(.date_from_ms.median), date_from_max_ms: figure(.date_from_ms.max),
      insert_per_sec: figure(.insert_per_sec)}
    elif $mode == "visitors" then {mode: "summary", of: "visitors",
      sockets_open: figure(.sockets_open), page_changes_per_sec: figure(.page_changes_per_sec),
      events_per_operator_per_sec: figure(.events_per_operator_per_sec.mean),
      bytes_per_operator_per_sec: figure(.bytes_per_operator_per_sec.mean),
      moved_per_operator_per_sec: figure(.moved_per_operator_per_sec.mean),
      page_to_operator_p50_ms: figure(.page_to_operator_ms.p50), page_to_operator_p99_ms: figure(.page_to_operator_ms.p99),
      server_cpu_percent: figure(.server_cpu_percent), server_rss_kb: figure(.server_rss_kb),
      server_peak_rss_kb: figure(.server_peak_rss_kb),
      complete: figure(.reflected.complete | if . then 1 else 0 end)}
    elif $mode == "import" then {mode: "summary", of: "import",
      dry_run_secs: figure(.dry_run_secs), import_secs: figure(.import_secs), rows_per_sec: figure(.rows_per_sec),
      server_peak_rss_kb: figure(.server_peak_rss_kb),
      server_rss_max_during_import_kb: figure(.server_rss_max_during_import_kb),
      server_cpu_percent: figure(.server_cpu_percent)}
    elif $mode == "throughput" then {mode: "summary", of: "throughput",
      best_rate: figure(.best_rate), p99_ms_at_best: figure(.at_best.p99_ms),
      stored_per_sec_at_best: figure(.at_best.stored_per_sec)}
    else empty end) | .[]' "$results"

exit "$failed"

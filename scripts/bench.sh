#!/usr/bin/env bash
# Benchmarks a freshly built Parley on a throwaway database.
#
# Usage: scripts/bench.sh            (from anywhere; runs in the repository root)
#
# Steps: builds `parley` and `bench` in release mode, creates a temporary data directory and a
# workspace in it (`parley create-workspace --origin http://bench.local --json`), starts
# Parley on 127.0.0.1:<free port>, waits for /healthz, then prints one JSON line per step on
# stdout:
#   {"mode":"idle_rss",...}  Parley's VmRSS right after start, before any client
#   {"mode":"load",...}      `bench load`: visitors send messages at a fixed total rate while
#                            operators listen; latency percentiles, throughput, lost messages
#                            and server RSS, next to the same load on a bare
#                            tokio-tungstenite broadcast server, with ratio_p50 / ratio_p99
#   {"mode":"idle",...}      `bench idle`: server memory per open idle visitor socket
# Then stops Parley with SIGTERM and deletes the temporary directory. Progress and build
# output go to stderr; Parley's own log is printed (last lines) only if it fails.
#
# Environment (all optional):
#   BENCH_VISITORS=1000       visitor sockets in the load run
#   BENCH_OPERATORS=5         operator sockets in the load run
#   BENCH_RATE=500            messages per second, all visitors together
#   BENCH_SECONDS=30          length of the load run
#   BENCH_IDLE_SOCKETS=10000  sockets in the idle run
#   BENCH_IDLE_PER_SOURCE=2500 idle sockets per client source address (127.0.0.2, .3, ...)
#   BENCH_COMPARE_BARE=true   also run the load against the bare server (true/false)
#   BENCH_MODES="load idle"   which bench runs to do
#   BENCH_PORT                Parley's port (default: the first free one from 39100)
#   BENCH_DATABASE_URL        e.g. a Postgres URL; default is SQLite in the temp directory
#   BENCH_SKIP_BUILD=1        use the binaries already in target/release
#   BENCH_KEEP_DIR=1          keep the temporary directory (its path is logged)
#   CARGO_TARGET_DIR          as for cargo (default: <repo>/target)
#
# Example: BENCH_VISITORS=200 BENCH_SECONDS=10 BENCH_MODES=load scripts/bench.sh | jq .
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
parley="$target_dir/release/parley"
bench="$target_dir/release/bench"

visitors="${BENCH_VISITORS:-1000}"
operators="${BENCH_OPERATORS:-5}"
rate="${BENCH_RATE:-500}"
seconds="${BENCH_SECONDS:-30}"
idle_sockets="${BENCH_IDLE_SOCKETS:-10000}"
compare_bare="${BENCH_COMPARE_BARE:-true}"
modes="${BENCH_MODES:-load idle}"
origin="http://bench.local"
email="bench@example.com"
password="bench-$RANDOM$RANDOM$RANDOM"

log() { echo "bench.sh: $*" >&2; }

# Every socket is a file descriptor, on both sides; Parley and bench inherit this.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || log "could not raise ulimit -n (now $(ulimit -n))"

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  log "building parley and bench (release)"
  cargo build --release -p server -p bench >&2
fi
for bin in "$parley" "$bench"; do
  [[ -x "$bin" ]] || { log "missing $bin"; exit 1; }
done

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -n "${BENCH_PORT:-}" ]]; then
  port="$BENCH_PORT"
else
  port=39100
  while ! port_free "$port"; do
    port=$((port + 1))
    ((port < 39200)) || { log "no free port in 39100-39199"; exit 1; }
  done
fi
base="http://127.0.0.1:$port"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
server_pid=""
cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    log "stopping parley (pid $server_pid)"
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
  if [[ "${BENCH_KEEP_DIR:-}" == 1 ]]; then
    log "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PARLEY_ADDR="127.0.0.1:$port"
export PARLEY_DATA_DIR="$tmp/data"
export PARLEY_PUBLIC_URL="$base"
# The bench creates thousands of visitors from a few local addresses: no per-address limit.
export PARLEY_NEW_VISITORS_PER_MINUTE=0
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export RUST_LOG="${RUST_LOG:-warn}"
if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
  export DATABASE_URL="$BENCH_DATABASE_URL"
else
  unset DATABASE_URL
fi
mkdir -p "$PARLEY_DATA_DIR"

log "creating a workspace in $tmp"
created="$("$parley" create-workspace --name "Bench" --email "$email" --password "$password" \
  --origin "$origin" --json | tail -n 1)"
key="$(sed -n 's/.*"public_key" *: *"\([^"]*\)".*/\1/p' <<<"$created")"
[[ -n "$key" ]] || { log "create-workspace printed no public_key: $created"; exit 1; }

log "starting parley on $base"
"$parley" >"$tmp/parley.log" 2>&1 &
server_pid=$!

show_server_log() { log "last lines of parley's log:"; tail -n 30 "$tmp/parley.log" >&2 || true; }

deadline=$((SECONDS + 60))
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

rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || true)"
echo "{\"mode\":\"idle_rss\",\"pid\":$server_pid,\"rss_kb\":${rss_kb:-null}}"

failed=0
common=(--base "$base" --key "$key" --origin "$origin" --server-pid "$server_pid")
for mode in $modes; do
  case "$mode" in
    load)
      log "load: $visitors visitors, $operators operators, $rate msg/s for $seconds s (compare bare: $compare_bare)"
      "$bench" load "${common[@]}" --email "$email" --password "$password" \
        --visitors "$visitors" --operators "$operators" --rate "$rate" --seconds "$seconds" \
        --compare-bare "$compare_bare" || failed=1
      ;;
    idle)
      log "idle: $idle_sockets sockets"
      "$bench" idle "${common[@]}" --sockets "$idle_sockets" --per-source "${BENCH_IDLE_PER_SOURCE:-2500}" || failed=1
      ;;
    *)
      log "unknown mode $mode in BENCH_MODES"
      failed=1
      ;;
  esac
  if ! kill -0 "$server_pid" 2>/dev/null; then
    log "parley died during the $mode run"
    show_server_log
    exit 1
  fi
done

if ((failed)); then
  show_server_log
fi
exit "$failed"

#!/usr/bin/env bash
# Measures, in Chromium, the bytes a browser transfers for Parley (bytes on the wire, not
# file sizes): a host page with the widget (loader on page load; glue + wasm on first
# open), the operator app's sign-in page, and a signed-in inbox (cold and warm cache).
#
# Usage: scripts/measure-wire.sh        (builds the release site: scripts/build-site.sh --release)
# Steps: starts Parley on a fresh SQLite database in a temporary folder, creates a workspace
# (`parley create-workspace --json`) whose widget may be embedded on a local host page
# (end2end/host-site.mjs), and runs end2end/measure/wire-bytes.mjs. Stdout: a table of
# medians with each file, then one line `wire-bytes: {json}`. Logs go to stderr.
#
# Environment (all optional):
#   RUNS=3                 runs of every scenario (the table shows medians)
#   MEASURE_SKIP_BUILD=1   use the built site and binary as they are
#   PARLEY_BIN             the server binary (default: $CARGO_TARGET_DIR/release/parley)
#   LEPTOS_SITE_ROOT       the built site (default: target/site)
#   MEASURE_PORT           Parley's port (default: the first free one from 39300); the
#                          host page takes the next one
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
log() { echo "measure-wire: $*" >&2; }

if [[ "${MEASURE_SKIP_BUILD:-}" != 1 ]]; then
  source scripts/install.sh --browser
  scripts/build-site.sh --release >/dev/null
fi
parley="${PARLEY_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/parley}"
[[ -x "$parley" ]] || { log "missing $parley"; exit 1; }
[[ -d end2end/node_modules/playwright-core ]] || { log "run scripts/install.sh first (npm packages in end2end/)"; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port="${MEASURE_PORT:-39300}"
while ! port_free "$port" || ! port_free $((port + 1)); do
  port=$((port + 1))
  ((port < 39400)) || { log "no free ports in 39300-39399"; exit 1; }
done
site_port=$((port + 1))
base="http://127.0.0.1:$port"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-measure.XXXXXX")"
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export PARLEY_ADDR="127.0.0.1:$port" PARLEY_DATA_DIR="$tmp/data" PARLEY_PUBLIC_URL="$base"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$repo/target/site}" RUST_LOG="${RUST_LOG:-warn}"
unset DATABASE_URL
mkdir -p "$PARLEY_DATA_DIR"
email="owner@measure.test"
password="measure-$RANDOM$RANDOM$RANDOM"

log "creating a workspace in $tmp"
"$parley" create-workspace --name "Measure" --email "$email" --password "$password" \
  --origin "http://127.0.0.1:$site_port" --json | tail -n 1 >"$tmp/workspace.json"

log "starting parley on $base (site $LEPTOS_SITE_ROOT)"
"$parley" >"$tmp/parley.log" 2>&1 &
pids+=($!)
SITE_PORT="$site_port" PARLEY_E2E_WORKSPACE="$tmp/workspace.json" node end2end/host-site.mjs &
pids+=($!)

deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null --max-time 2 "$base/healthz" 2>/dev/null &&
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$site_port/healthz" 2>/dev/null; do
  if ((SECONDS >= deadline)); then
    log "not ready after 60 s; parley's log:"
    tail -n 30 "$tmp/parley.log" >&2
    exit 1
  fi
  sleep 0.2
done

PARLEY="$base" SITE="http://127.0.0.1:$site_port/" EMAIL="$email" PASSWORD="$password" RUNS="${RUNS:-3}" \
  node end2end/measure/wire-bytes.mjs

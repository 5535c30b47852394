#!/usr/bin/env bash
# Starts Parley for the browser tests: a fresh SQLite database with one workspace whose
# widget may be embedded on the test "customer site" (http://127.0.0.1:3457).
# Started by end2end/playwright.config.ts; expects scripts/build-site.sh to have run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${PARLEY_E2E_DIR:-/tmp/parley-e2e}
rm -rf "$dir" && mkdir -p "$dir"
export PARLEY_DATA_DIR="$dir/data" PARLEY_ADDR=127.0.0.1:3456 LEPTOS_SITE_ROOT="$root/target/site"
unset DATABASE_URL
bin="${CARGO_TARGET_DIR:-$root/target}/debug/parley"
"$bin" create-workspace --name "Acme Support" --owner-name "Olivia" --email owner@acme.test \
  --password "correct horse battery" --origin http://127.0.0.1:3457 --json > "$dir/workspace.json.tmp"
mv "$dir/workspace.json.tmp" "$dir/workspace.json"
exec "$bin"

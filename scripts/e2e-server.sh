#!/usr/bin/env bash
# Starts Parley for the browser tests: a fresh SQLite database with one workspace whose
# widget may be embedded on the test "customer site" (on the next port).
# PARLEY_E2E_PORT (default 3456) and PARLEY_E2E_DIR (default /tmp/parley-e2e) come from
# end2end/playwright.config.ts.
# Started by end2end/playwright.config.ts; expects scripts/build-site.sh to have run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${PARLEY_E2E_DIR:-/tmp/parley-e2e}
port=${PARLEY_E2E_PORT:-3456}
rm -rf "$dir" && mkdir -p "$dir"
export PARLEY_DATA_DIR="$dir/data" PARLEY_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT="$root/target/site"
# Unseen operator replies go by email after 2 s (end2end/tests/email-continuity.spec.ts).
export PARLEY_UNSEEN_REPLY_EMAIL_SECS=2
unset DATABASE_URL
bin="${CARGO_TARGET_DIR:-$root/target}/debug/parley"
"$bin" create-workspace --name "Acme Support" --owner-name "Olivia" --email owner@acme.test \
  --password "correct horse battery" --origin "http://127.0.0.1:$((port + 1))" --json > "$dir/workspace.json.tmp"
mv "$dir/workspace.json.tmp" "$dir/workspace.json"
# A colleague to work beside the owner (collision, assignment).
workspace_id=$(sed -E 's/.*"workspace_id":([0-9]+).*/\1/' "$dir/workspace.json")
"$bin" add-member --workspace "$workspace_id" --email ada@acme.test --name "Ada Colleague" --role operator \
  --password "correct horse battery" > /dev/null
exec "$bin"

#!/usr/bin/env bash
# Installs whatever is missing, builds Parley in release mode and starts it on its
# zero-configuration default: SQLite in ./data, http://127.0.0.1:3000.
# Environment overrides: PARLEY_ADDR, PARLEY_DATA_DIR, DATABASE_URL, PARLEY_PUBLIC_URL.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/install.sh
target="${CARGO_TARGET_DIR:-$repo/target}"
scripts/build-site.sh --release >/dev/null
echo "Starting Parley. Open ${PARLEY_PUBLIC_URL:-http://${PARLEY_ADDR:-127.0.0.1:3000}} (first run shows the setup page)." >&2
LEPTOS_SITE_ROOT="$repo/target/site" exec "$target/release/parley" "$@"

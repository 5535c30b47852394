#!/usr/bin/env bash
# Runs every test: unit and integration tests on SQLite and on PostgreSQL, the checks
# that the wasm builds pull no server-only crate, and the browser tests in Chromium.
# Installs what is missing first (see install.sh; PostgreSQL and Chromium from Debian).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
source scripts/install.sh --browser
step() { printf '\n== %s\n' "$*" >&2; }

step "formatting and lints"
cargo fmt --all --check
cargo clippy --locked --all-targets -- -D warnings
# The wasm code (widget, the hydrate entry, the app's hydrate-only code) is linted too.
cargo clippy --locked -p widget --all-targets -- -D warnings
cargo clippy --locked -p widget -p frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests (SQLite)"
cargo test --locked
cargo test --locked -p widget

step "integration tests (PostgreSQL)"
pg_url=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop' EXIT
DATABASE_URL="$pg_url" cargo test --locked -p server --tests

step "the hydrate and widget builds pull no server-only crate"
scripts/check-wasm-deps.sh

step "browser tests (Playwright in Chromium)"
scripts/build-site.sh
(cd end2end && npx playwright test)

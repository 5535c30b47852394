#!/usr/bin/env bash
# Proves that what runs in the browser (the hydrated app and the widget) links no
# server-only crate: builds both for wasm32 and asks cargo tree whether any of them
# depends on SeaORM, sqlx, tokio, axum, tower-sessions or the services crate.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
forbidden=(sea-orm sqlx tokio axum tower-sessions parley-services migration argon2 mio)
status=0
for package in frontend widget; do
  tree=$(cargo tree -p "$package" --target wasm32-unknown-unknown -e normal --prefix none --no-dedupe | awk '{print $1}' | sort -u)
  for crate in "${forbidden[@]}"; do
    if grep -qx "$crate" <<<"$tree"; then
      echo "check-wasm-deps: $package pulls $crate" >&2
      status=1
    fi
  done
  echo "check-wasm-deps: $package: $(wc -l <<<"$tree") crates, none server-only" >&2
done
[ "$status" = 0 ] || exit 1
cargo check -p frontend -p widget --target wasm32-unknown-unknown >&2

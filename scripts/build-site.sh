#!/usr/bin/env bash
# Builds the site the server serves, in target/site/:
#   1. the operator app (`cargo leptos build`; js, wasm and css get content-hashed names,
#      listed in hash.txt, which is copied into the site so the folder is self-contained);
#   2. the widget (scripts/build-widget.sh: hashed names + manifest.json);
#   3. `.br` (brotli 11) and `.gz` (gzip 9) beside every static file (`parley precompress`),
#      which the server sends to browsers that accept them.
# Usage: scripts/build-site.sh [--release]   (debug for the browser tests, release to run)
# Needs the tools scripts/install.sh installs, on PATH (it must be a wasm-opt >= 116 first).
# Stdout: the widget's size report, then the precompressed sizes. Build logs go to stderr.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target="${CARGO_TARGET_DIR:-$repo/target}"
profile=debug
flags=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  flags=(--release)
fi

cargo leptos build "${flags[@]}" >&2
cp "$target/$profile/hash.txt" "$repo/target/site/hash.txt"
scripts/build-widget.sh
echo "build-site: precompressing target/site (brotli 11, gzip 9)" >&2
"$target/$profile/parley" precompress "$repo/target/site"

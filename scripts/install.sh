#!/usr/bin/env bash
# Installs what building and testing Parley needs and a fresh machine (Rust and apt
# present) lacks. Each step is skipped when its tool is already there at the right
# version. Sourced by start.sh and test.sh; can also run on its own.
#   - the wasm32-unknown-unknown target
#   - cargo-leptos 0.3.10 (0.3.11 needs a newer rustc)
#   - the wasm-bindgen CLI at exactly the version of the wasm-bindgen crate in Cargo.lock
#   - npm packages in end2end/ (Playwright, axe for accessibility checks, and binaryen for a
#     wasm-opt newer than Debian's)
#   - aiosmtpd from PyPI (a real SMTP server for the invitation tests)
#   - with `--browser`: Debian's Chromium
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) export PATH="$HOME/.cargo/bin:$PATH" ;; esac
say() { echo "install: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos 0.3.10" ]; then
  say "installing cargo-leptos 0.3.10 (takes 10-20 minutes once)"
  cargo install cargo-leptos@0.3.10 --locked >&2
fi

wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$repo/Cargo.lock")
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg_version" ]; then
  say "installing wasm-bindgen-cli $wbg_version"
  # Without --locked: its lockfile names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force >&2
fi

if [ ! -x "$repo/end2end/node_modules/.bin/wasm-opt" ] || [ ! -d "$repo/end2end/node_modules/@playwright/test" ] \
  || [ ! -d "$repo/end2end/node_modules/@axe-core/playwright" ]; then
  say "installing npm packages in end2end/"
  (cd "$repo/end2end" && npm install --no-audit --no-fund >&2)
fi
# binaryen 132 from npm: cargo-leptos and build-widget.sh find this wasm-opt first.
# (Debian's /usr/bin/wasm-opt 108 breaks hydration; it must never come first.)
export PATH="$repo/end2end/node_modules/.bin:$PATH"

# A real SMTP server for the invitation tests (server/tests/invitations.rs).
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  say "installing aiosmtpd (PyPI) for the mail tests"
  python3 -m pip install --quiet aiosmtpd >&2
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium"
  as_root apt-get update -qq >&2
  as_root apt-get install -y -qq chromium >&2
fi

#!/usr/bin/env bash
# Builds the embeddable chat widget into target/site/widget/pkg/ under content-hashed names
# (widget-<hash>.js + widget_bg-<hash>.wasm, listed in manifest.json, which the server reads
# to fill in /embed.js) and reports what a customer's page downloads:
#   - loader.js (served as /embed.js): loads with the page;
#   - the glue + wasm: load when the visitor first opens the chat.
# Sizes are of the files; scripts/measure-wire.sh measures the bytes a browser transfers.
#
# Needs the wasm32-unknown-unknown target and the wasm-bindgen CLI matching the
# wasm-bindgen crate in Cargo.lock. Runs wasm-opt -Oz when a recent binaryen (>= 116) is on
# PATH; Debian's /usr/bin/wasm-opt (108) miscompiles modern wasm and is never used.
#
# Environment: CARGO_TARGET_DIR (default: <repo>/target), SITE_DIR (default: <repo>/target/site).
# Stdout: a size table, then one line `widget-size: {json}`. Build logs go to stderr.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
site_dir="${SITE_DIR:-$repo/target/site}"
out_dir="$site_dir/widget/pkg"

log() { echo "build-widget: $*" >&2; }

# cargo install puts binaries here; it is not always on PATH in non-login shells.
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$PATH:$HOME/.cargo/bin" ;; esac

command -v wasm-bindgen >/dev/null 2>&1 || {
  log "wasm-bindgen CLI not found on PATH (cargo install wasm-bindgen-cli --version <the wasm-bindgen version in Cargo.lock>)"
  exit 1
}

log "cargo build -p widget (wasm32, profile wasm-release)"
CARGO_TARGET_DIR="$target_dir" cargo build -p widget --target wasm32-unknown-unknown --profile wasm-release >&2
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/widget.wasm"

log "wasm-bindgen --target web -> $out_dir"
rm -rf "$out_dir" # files of earlier builds have other hashes
mkdir -p "$out_dir"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
  --out-dir "$out_dir" "$wasm" >&2

# wasm-opt: only a binaryen new enough for the features rustc emits (bulk memory, sign-ext,
# nontrapping float-to-int, multivalue, reference types), and never Debian's old one.
wasm_opt=""
for candidate in $(type -ap wasm-opt 2>/dev/null || true); do
  [ "$candidate" = /usr/bin/wasm-opt ] && continue
  version="$("$candidate" --version 2>/dev/null | grep -oE 'version [0-9]+' | grep -oE '[0-9]+' || true)"
  if [ -n "$version" ] && [ "$version" -ge 116 ]; then
    wasm_opt="$candidate"
    break
  fi
done
bg="$out_dir/widget_bg.wasm"
if [ -n "$wasm_opt" ]; then
  log "$wasm_opt -Oz"
  "$wasm_opt" -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$bg.opt" "$bg" >&2
  mv "$bg.opt" "$bg"
else
  log "no wasm-opt >= 116 on PATH: skipping wasm-opt (the wasm is larger but works)"
fi

# Content-hashed names: the wasm first, then the glue that names it (its default URL).
hash() { sha256sum "$1" | cut -c1-16; }
wasm_name="widget_bg-$(hash "$bg").wasm"
mv "$bg" "$out_dir/$wasm_name"
bg="$out_dir/$wasm_name"
sed -i "s/widget_bg\.wasm/$wasm_name/g" "$out_dir/widget.js"
js_name="widget-$(hash "$out_dir/widget.js").js"
mv "$out_dir/widget.js" "$out_dir/$js_name"
# The voice recorder: a module of its own, loaded only when a visitor records.
recorder_name="recorder-$(hash "$repo/widget/recorder.js").js"
cp "$repo/widget/recorder.js" "$out_dir/$recorder_name"
printf '{"js":"%s","wasm":"%s","recorder":"%s"}\n' "$js_name" "$wasm_name" "$recorder_name" >"$out_dir/manifest.json"
log "$js_name + $wasm_name + $recorder_name (manifest.json)"

raw() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }

# The loader as the server sends it (server/src/widget_api.rs `slim`): without its header
# comment, full-line // comments, indentation and blank lines.
loader="$(mktemp)"
awk 'NR == 1 && /^\/\*/ { header = 1 }
     header { if (index($0, "*/")) { header = 0 } next }
     { sub(/^[ \t]+/, ""); sub(/[ \t]+$/, "") }
     $0 != "" && $0 !~ /^\/\// { print }' "$repo/widget/loader.js" | head -c -1 >"$loader"
glue="$out_dir/$js_name"
loader_raw=$(raw "$loader"); loader_gz=$(gz "$loader"); rm -f "$loader"
glue_raw=$(raw "$glue"); glue_gz=$(gz "$glue")
wasm_raw=$(raw "$bg"); wasm_gz=$(gz "$bg")
recorder_raw=$(raw "$out_dir/$recorder_name"); recorder_gz=$(gz "$out_dir/$recorder_name")
open_raw=$((glue_raw + wasm_raw)); open_gz=$((glue_gz + wasm_gz))
total_raw=$((loader_raw + open_raw)); total_gz=$((loader_gz + open_gz))

{
  printf '%-28s %9s %9s\n' "file" "raw" "gzip -9"
  printf '%-28s %9d %9d\n' "loader.js (with the page)" "$loader_raw" "$loader_gz"
  printf '%-28s %9d %9d\n' "glue .js (on open)" "$glue_raw" "$glue_gz"
  printf '%-28s %9d %9d\n' "wasm (on open)" "$wasm_raw" "$wasm_gz"
  printf '%-28s %9d %9d\n' "on open (glue + wasm)" "$open_raw" "$open_gz"
  printf '%-28s %9d %9d\n' "total" "$total_raw" "$total_gz"
  printf '%-28s %9d %9d\n' "recorder.js (on recording)" "$recorder_raw" "$recorder_gz"
}
printf 'widget-size: {"loader_raw":%d,"loader_gzip":%d,"glue_raw":%d,"glue_gzip":%d,"wasm_raw":%d,"wasm_gzip":%d,"on_open_raw":%d,"on_open_gzip":%d,"total_raw":%d,"total_gzip":%d,"recorder_raw":%d,"recorder_gzip":%d,"wasm_opt":%s}\n' \
  "$loader_raw" "$loader_gz" "$glue_raw" "$glue_gz" "$wasm_raw" "$wasm_gz" \
  "$open_raw" "$open_gz" "$total_raw" "$total_gz" "$recorder_raw" "$recorder_gz" "$([ -n "$wasm_opt" ] && echo true || echo false)"

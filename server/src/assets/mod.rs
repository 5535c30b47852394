//! The built site's static files: which names carry a content hash (the app's, from
//! cargo-leptos's `hash.txt`; the widget's, from `widget/pkg/manifest.json`), serving
//! `pkg/` and `widget/pkg/` with their precompressed variants, and cache headers:
//! hashed files are `immutable` for a year, anything else is revalidated.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use leptos::prelude::LeptosOptions;
use serde::Deserialize;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The base name cargo-leptos gives the app's js, wasm and css (`[workspace.metadata.leptos] name`).
pub const OUTPUT_NAME: &str = "parley";
/// How long a browser keeps a content-hashed file: it never changes under that name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For files whose name does not change with their content: ask each time (a 304 is cheap).
pub const REVALIDATE: &str = "no-cache";

/// The widget's glue, wasm and voice recorder, as `scripts/build-widget.sh` named them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WidgetFiles {
    pub js: String,
    pub wasm: String,
    #[serde(default = "plain_recorder")]
    pub recorder: String,
}

fn plain_recorder() -> String {
    "recorder.js".into()
}

impl Default for WidgetFiles {
    /// The names wasm-bindgen gives them, for a site built without the manifest.
    fn default() -> Self {
        WidgetFiles { js: "widget.js".into(), wasm: "widget_bg.wasm".into(), recorder: plain_recorder() }
    }
}

/// What the server knows about the built site, read once at start.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub root: PathBuf,
    /// cargo-leptos's hash file, when the app was built with `hash-files = true`.
    pub app_hash_file: Option<PathBuf>,
    pub widget: WidgetFiles,
    /// File names in `pkg/` and `widget/pkg/` that carry a content hash.
    immutable: HashSet<String>,
}

impl Site {
    /// Reads the hash file and the widget manifest under `root`. A site built without
    /// them still works, with plain names and no long-lived caching.
    pub fn load(root: &Path) -> Site {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_owned());
        let mut immutable = HashSet::new();
        let app_hash_file = find_app_hash_file(&root).map(|(path, names)| {
            immutable.extend(names);
            path
        });
        let widget = match read_widget_manifest(&root) {
            Some(files) => {
                immutable.insert(files.js.clone());
                immutable.insert(files.wasm.clone());
                files
            }
            None => WidgetFiles::default(),
        };
        if app_hash_file.is_none() {
            if root.join("pkg").join(format!("{OUTPUT_NAME}.js")).is_file() {
                tracing::info!(site = %root.display(), "the app's files have no content hash: they are revalidated on every use");
            } else {
                tracing::warn!(
                    site = %root.display(),
                    "no usable hash.txt in the site or beside the binary, and no unhashed app files: pages will not load their scripts (build with scripts/build-site.sh)"
                );
            }
        }
        Site { root, app_hash_file, widget, immutable }
    }

    /// Leptos options from this site, not from `Cargo.toml`, so the binary runs anywhere.
    /// When the app's names are hashed, `HydrationScripts` and `HashedStylesheet` read the
    /// hash file at this absolute path (Leptos joins it to the binary's folder).
    pub fn leptos_options(&self, addr: SocketAddr) -> LeptosOptions {
        let builder = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(self.root.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(addr);
        match &self.app_hash_file {
            Some(path) => builder.hash_files(true).hash_file(path.display().to_string().into()).build(),
            None => builder.build(),
        }
    }

    /// Whether `name` (a file name in `pkg/` or `widget/pkg/`) carries a content hash.
    pub fn is_immutable(&self, name: &str) -> bool {
        self.immutable.contains(name)
    }

    /// `/pkg/*` (the app) and `/widget/pkg/*` (the widget, readable from any origin), each
    /// file sent as its `.br` or `.gz` variant when the browser accepts it.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let serve = |dir: PathBuf| ServeDir::new(dir).precompressed_br().precompressed_gzip();
        let widget = Router::new().nest_service("/widget/pkg", serve(self.root.join("widget/pkg"))).layer(
            SetResponseHeaderLayer::overriding(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")),
        );
        Router::new()
            .nest_service("/pkg", serve(self.root.join("pkg")))
            .merge(widget)
            .layer(middleware::from_fn_with_state(Arc::new(self.clone()), cache_headers))
    }
}

/// Sets `Cache-Control` by name and `Vary: Accept-Encoding` (the body depends on it).
async fn cache_headers(State(site): State<Arc<Site>>, request: Request, next: Next) -> Response {
    let name = request.uri().path().rsplit('/').next().unwrap_or_default().to_owned();
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED {
        let policy = if site.is_immutable(&name) { IMMUTABLE } else { REVALIDATE };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// The first of `<site>/hash.txt` (copied there by `scripts/build-site.sh`) and
/// `hash.txt` beside this binary (where cargo-leptos writes it) whose files exist, with
/// the hashed names it lists.
fn find_app_hash_file(root: &Path) -> Option<(PathBuf, Vec<String>)> {
    let beside_binary = std::env::current_exe().ok().and_then(|exe| Some(exe.parent()?.join("hash.txt")));
    [Some(root.join("hash.txt")), beside_binary].into_iter().flatten().find_map(|path| {
        let names = hashed_app_names(&std::fs::read_to_string(&path).ok()?);
        let complete = !names.is_empty() && names.iter().all(|name| root.join("pkg").join(name).is_file());
        if !complete {
            tracing::warn!(hash_file = %path.display(), "the hash file names files this site does not have: ignored");
            return None;
        }
        Some((path, names))
    })
}

/// `js: <hash>` lines of cargo-leptos's hash file, as the file names they give
/// (`parley.<hash>.js`, and likewise wasm and css).
fn hashed_app_names(hash_file: &str) -> Vec<String> {
    hash_file
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter_map(|(kind, hash)| {
            let (kind, hash) = (kind.trim(), hash.trim());
            (matches!(kind, "js" | "wasm" | "css") && is_plain_name(hash))
                .then(|| format!("{OUTPUT_NAME}.{hash}.{kind}"))
        })
        .collect()
}

fn read_widget_manifest(root: &Path) -> Option<WidgetFiles> {
    let path = root.join("widget/pkg/manifest.json");
    let text = std::fs::read_to_string(&path).ok()?;
    match serde_json::from_str::<WidgetFiles>(&text) {
        Ok(files) if is_plain_name(&files.js) && is_plain_name(&files.wasm) => Some(files),
        _ => {
            tracing::warn!(manifest = %path.display(), "unreadable widget manifest: serving the plain names");
            None
        }
    }
}

/// A file name safe to put in a URL and a JS string: letters, digits, `.`, `_`, `-`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A response body encoding the client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The best of brotli, gzip and identity that `Accept-Encoding` allows (highest `q`,
/// brotli first on a tie).
pub fn preferred_encoding(headers: &HeaderMap) -> Encoding {
    let mut best = (Encoding::Identity, 0.0_f32);
    let mut identity_q = None;
    for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            let candidates: &[Encoding] = match coding.as_str() {
                "br" => &[Encoding::Brotli],
                "gzip" | "x-gzip" => &[Encoding::Gzip],
                "*" => &[Encoding::Brotli, Encoding::Gzip],
                "identity" => {
                    identity_q = Some(q);
                    &[]
                }
                _ => &[],
            };
            for &encoding in candidates {
                let better = q > best.1 || (q == best.1 && q > 0.0 && encoding == Encoding::Brotli);
                if better {
                    best = (encoding, q);
                }
            }
        }
    }
    match identity_q {
        Some(q) if q > best.1 => Encoding::Identity,
        _ => best.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &'static str) -> Encoding {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        preferred_encoding(&headers)
    }

    #[test]
    fn brotli_wins_when_accepted_and_q_decides_otherwise() {
        assert_eq!(preferred_encoding(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(accept("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(accept("gzip, deflate"), Encoding::Gzip);
        assert_eq!(accept("br;q=0.5, gzip"), Encoding::Gzip);
        assert_eq!(accept("br;q=0, gzip;q=0"), Encoding::Identity);
        assert_eq!(accept("*"), Encoding::Brotli);
        assert_eq!(accept("identity"), Encoding::Identity);
        assert_eq!(accept("deflate"), Encoding::Identity);
    }

    #[test]
    fn the_hash_file_gives_the_app_s_hashed_names() {
        let names = hashed_app_names("js: AbC_12-x\nwasm: Zz9\ncss: q1\nmanifest: m\n");
        assert_eq!(names, ["parley.AbC_12-x.js", "parley.Zz9.wasm", "parley.q1.css"]);
        assert!(hashed_app_names("js: ../../etc\n").is_empty(), "only plain names");
    }

    #[test]
    fn a_site_without_hashes_keeps_plain_names_and_caches_nothing_for_long() {
        let dir = tempfile::tempdir().unwrap();
        let site = Site::load(dir.path());
        assert_eq!(site.app_hash_file, None);
        assert_eq!(site.widget, WidgetFiles::default());
        assert!(!site.is_immutable("widget.js"));
        assert!(!site.leptos_options("127.0.0.1:3000".parse().unwrap()).hash_files);
    }
}

//! How Parley serves bytes: static files precompressed in the encoding the browser
//! accepts, content-hashed names cached for good, the widget loader short-lived and
//! pointing at the hashed widget, and pages and JSON compressed per response. Each test
//! serves its own small site folder, so no built site is needed.

mod support;

use std::io::Read;
use std::path::Path;

use parley_types::{ClientEvent, VisitorEvent};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use support::{SITE, Socket, TestApp};

const APP_JS: &str = "parley.Js0123456789_abcdef-XY.js";
const APP_WASM: &str = "parley.Wasm456789_abcdef-XYZ.wasm";
const APP_CSS: &str = "parley.Css0123456789_abcdef.css";
const WIDGET_JS: &str = "widget-0123456789abcdef.js";
const WIDGET_WASM: &str = "widget_bg-fedcba9876543210.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A built site in miniature: the app's hashed files with cargo-leptos's hash file, the
/// widget's hashed files with their manifest, and `.br`/`.gz` beside them made by the
/// same code as `parley precompress`.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("site dir");
    let root = dir.path();
    let js = "export function hydrate() { console.log('hydrating the operator app'); }\n".repeat(60);
    let css = ".inbox { display: grid; grid-template-columns: 20rem 1fr; }\n".repeat(40);
    write(root, "hash.txt", b"js: Js0123456789_abcdef-XY\nwasm: Wasm456789_abcdef-XYZ\ncss: Css0123456789_abcdef\n");
    write(root, &format!("pkg/{APP_JS}"), js.as_bytes());
    write(root, &format!("pkg/{APP_WASM}"), &wasm_bytes(30_000));
    write(root, &format!("pkg/{APP_CSS}"), css.as_bytes());
    write(root, "pkg/unhashed.js", js.as_bytes());
    write(root, &format!("widget/pkg/{WIDGET_JS}"), js.replace("operator app", "chat widget").as_bytes());
    write(root, &format!("widget/pkg/{WIDGET_WASM}"), &wasm_bytes(12_000));
    let manifest = format!(r#"{{"js":"{WIDGET_JS}","wasm":"{WIDGET_WASM}"}}"#);
    write(root, "widget/pkg/manifest.json", manifest.as_bytes());
    precompress::precompress_dir(root).expect("precompress the site");
    dir
}

fn write(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write fixture");
}

/// A wasm header and a compressible but not trivial body.
fn wasm_bytes(len: usize) -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend((0..len).map(|i| ((i * 7) % 61 + (i / 97) % 5) as u8));
    bytes
}

fn read(root: &Path, path: &str) -> Vec<u8> {
    std::fs::read(root.join(path)).expect("fixture")
}

/// What came over the wire, decoded as the browser would.
struct Fetched {
    encoding: Option<String>,
    cache: Option<String>,
    vary: String,
    content_type: String,
    cors: Option<String>,
    wire: usize,
    body: Vec<u8>,
}

impl Fetched {
    async fn from(response: reqwest::Response) -> Fetched {
        assert!(response.status().is_success(), "{} answered {}", response.url(), response.status());
        let header =
            |name| response.headers().get(name).map(|v: &reqwest::header::HeaderValue| v.to_str().unwrap().to_owned());
        let encoding = header(CONTENT_ENCODING);
        let cache = header(CACHE_CONTROL);
        let content_type = header(CONTENT_TYPE).unwrap_or_default();
        let cors = header(reqwest::header::ACCESS_CONTROL_ALLOW_ORIGIN);
        let vary = response.headers().get_all(VARY).iter().map(|v| v.to_str().unwrap().to_lowercase()).collect();
        let wire = response.bytes().await.expect("body").to_vec();
        let body = decode(encoding.as_deref(), &wire);
        Fetched { encoding, cache, vary, content_type, cors, wire: wire.len(), body }
    }
}

fn decode(encoding: Option<&str>, wire: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        Some("br") => brotli::Decompressor::new(wire, 4096).read_to_end(&mut out).expect("valid brotli"),
        Some("gzip") => flate2::read::GzDecoder::new(wire).read_to_end(&mut out).expect("valid gzip"),
        None => return wire.to_vec(),
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    };
    out
}

async fn get(url: &str, accept: Option<&str>) -> Fetched {
    let mut request = reqwest::Client::new().get(url);
    if let Some(accept) = accept {
        request = request.header(ACCEPT_ENCODING, accept);
    }
    Fetched::from(request.send().await.expect("request")).await
}

#[tokio::test]
async fn widget_files_come_precompressed_in_the_encoding_the_browser_accepts() {
    let site = site();
    let app = TestApp::spawn_with_site(site.path()).await;
    for (file, content_type) in [(WIDGET_JS, "text/javascript"), (WIDGET_WASM, "application/wasm")] {
        let original = read(site.path(), &format!("widget/pkg/{file}"));
        let url = format!("{}/widget/pkg/{file}", app.base);
        for (accept, encoding) in
            [(Some("gzip, deflate, br, zstd"), Some("br")), (Some("gzip"), Some("gzip")), (None, None)]
        {
            let got = get(&url, accept).await;
            assert_eq!(got.encoding.as_deref(), encoding, "{file} asked with {accept:?}");
            assert_eq!(got.body, original, "{file} decoded from {encoding:?}");
            assert!(got.content_type.starts_with(content_type), "{file}: {}", got.content_type);
            assert_eq!(got.cache.as_deref(), Some(IMMUTABLE), "{file}: hashed names are cached for good");
            assert_eq!(got.cors.as_deref(), Some("*"), "host pages load the widget cross-origin");
            assert!(got.vary.contains("accept-encoding"), "{file}: caches must key on Accept-Encoding");
            if encoding.is_some() {
                assert!(got.wire < original.len() / 2, "{file} over {encoding:?}: {} of {}", got.wire, original.len());
            }
        }
    }
    let brotli = get(&format!("{}/widget/pkg/{WIDGET_WASM}", app.base), Some("br")).await.wire;
    let gzip = get(&format!("{}/widget/pkg/{WIDGET_WASM}", app.base), Some("gzip")).await.wire;
    assert!(brotli < gzip, "brotli {brotli} should beat gzip {gzip}");
}

#[tokio::test]
async fn app_files_come_precompressed_and_only_hashed_names_are_cached_for_good() {
    let site = site();
    let app = TestApp::spawn_with_site(site.path()).await;
    for (file, content_type) in [(APP_JS, "text/javascript"), (APP_WASM, "application/wasm"), (APP_CSS, "text/css")] {
        let url = format!("{}/pkg/{file}", app.base);
        let got = get(&url, Some("br;q=1.0, gzip;q=0.8")).await;
        assert_eq!(got.encoding.as_deref(), Some("br"), "{file}");
        assert_eq!(got.body, read(site.path(), &format!("pkg/{file}")), "{file}");
        assert!(got.content_type.starts_with(content_type), "{file}: {}", got.content_type);
        assert_eq!(got.cache.as_deref(), Some(IMMUTABLE), "{file}");
        assert_eq!(get(&url, None).await.encoding, None, "{file} without Accept-Encoding is sent as is");
    }

    let unhashed = get(&format!("{}/pkg/unhashed.js", app.base), Some("gzip")).await;
    assert_eq!(unhashed.encoding.as_deref(), Some("gzip"));
    assert_eq!(unhashed.cache.as_deref(), Some("no-cache"), "a name that does not change with the content");

    let missing = reqwest::get(format!("{}/pkg/parley.nothing.js", app.base)).await.expect("request");
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get(CACHE_CONTROL).is_none(), "a 404 must not be cached for a year");
}

#[tokio::test]
async fn the_loader_points_at_the_hashed_widget_files_and_is_kept_five_minutes() {
    let site = site();
    let app = TestApp::spawn_with_site(site.path()).await;
    let plain = get(&format!("{}/embed.js", app.base), None).await;
    assert_eq!(plain.encoding, None);
    let loader = String::from_utf8(plain.body.clone()).expect("utf-8");
    assert!(loader.contains(&format!("const glue = '{WIDGET_JS}';")), "{loader}");
    assert!(loader.contains(&format!("const wasm = '{WIDGET_WASM}';")), "{loader}");
    assert_eq!(plain.cache.as_deref(), Some("public, max-age=300"), "the loader's own URL never changes");

    for (accept, encoding) in [("gzip, deflate, br", "br"), ("gzip", "gzip")] {
        let got = get(&format!("{}/embed.js", app.base), Some(accept)).await;
        assert_eq!(got.encoding.as_deref(), Some(encoding));
        assert_eq!(got.body, plain.body, "the {encoding} loader is the same script");
        assert!(got.wire < plain.wire / 2, "{encoding}: {} of {}", got.wire, plain.wire);
        assert_eq!(got.cache.as_deref(), Some("public, max-age=300"));
        assert!(got.vary.contains("accept-encoding"));
    }
}

#[tokio::test]
async fn pages_and_json_answers_are_compressed_when_asked() {
    let site = site();
    let app = TestApp::spawn_with_site(site.path()).await;
    let ws = app.workspace("Acme").await;

    let page = get(&format!("{}/login", app.base), Some("gzip, deflate, br")).await;
    assert_eq!(page.encoding.as_deref(), Some("br"));
    assert!(page.content_type.starts_with("text/html"));
    let html = String::from_utf8(page.body).expect("utf-8");
    for hashed in [APP_JS, APP_WASM, APP_CSS] {
        assert!(html.contains(&format!("/pkg/{hashed}")), "the page must load {hashed}: {html}");
    }
    let plain = get(&format!("{}/login", app.base), None).await;
    assert_eq!(plain.encoding, None);
    assert!(String::from_utf8(plain.body).unwrap().contains(APP_JS));
    assert_eq!(get(&format!("{}/login", app.base), Some("gzip")).await.encoding.as_deref(), Some("gzip"));

    let operator = app.operator(&ws).await;
    let answer = operator
        .client
        .post(format!("{}/api/get_widget_settings", app.base))
        .header(ACCEPT_ENCODING, "br")
        .send()
        .await
        .expect("server fn request");
    let answer = Fetched::from(answer).await;
    assert_eq!(answer.encoding.as_deref(), Some("br"));
    let settings: serde_json::Value = serde_json::from_slice(&answer.body).expect("JSON");
    assert_eq!(settings["public_key"], ws.key.as_str(), "{settings}");

    let visitor = reqwest::Client::new()
        .post(format!("{}/widget/v1/{}/visitors", app.base, ws.key))
        .header("Origin", SITE)
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("visitor request");
    let visitor = Fetched::from(visitor).await;
    assert_eq!(visitor.encoding.as_deref(), Some("gzip"));
    assert_eq!(visitor.cors.as_deref(), Some(SITE));
    let session: serde_json::Value = serde_json::from_slice(&visitor.body).expect("JSON");
    assert!(session["token"].as_str().is_some_and(|t| !t.is_empty()), "{session}");
}

#[tokio::test]
async fn sockets_still_open_when_the_browser_accepts_compression() {
    let site = site();
    let app = TestApp::spawn_with_site(site.path()).await;
    let ws = app.workspace("Acme").await;
    let visitor = app.visitor(&ws).await;
    let protocols = support::visitor_protocols(&visitor.token);
    let mut socket: Socket<VisitorEvent> = Socket::connect(
        &app.visitor_socket_url(&ws),
        &[("Origin", SITE), ("Sec-WebSocket-Protocol", &protocols), ("Accept-Encoding", "gzip, deflate, br")],
    )
    .await;
    socket.send(&ClientEvent::Resume { conversation_id: None, after_seq: 0 }).await;
    assert!(matches!(socket.next_event().await, VisitorEvent::Resumed { .. }));
}

//! Files in the widget: uploading one (raw body, progress from `XMLHttpRequest`), and
//! showing the files of a message. Downloads carry the visitor token in a header (never
//! in a URL), so a file is fetched into a `blob:` URL: images and audio show from it, and
//! other files download from it when clicked. The host page's CSP must allow `blob:` for
//! images and media (see `docs/WIDGET.md`).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, XmlHttpRequest, XmlHttpRequestResponseType};

use crate::api::{self, Route, TOKEN_HEADER};
use crate::wire::{self, File};

/// `POST {base}/widget/v1/{key}/attachments`: uploads a file for the next message.
pub const UPLOAD: Route = Route { method: "POST", path: "/widget/v1/{key}/attachments" };
/// `GET {base}/widget/v1/{key}/attachments/{id}`: a file of the visitor's conversation.
pub const DOWNLOAD: Route = Route { method: "GET", path: "/widget/v1/{key}/attachments/{id}" };

/// The sentence for a file that did not go up.
fn failed() -> String {
    crate::i18n::t("file-failed")
}

/// The URL of file `id`.
pub fn download_url(base: &str, key: &str, id: i64) -> String {
    DOWNLOAD.url(base, key).replacen("{id}", &wire::int(id), 1)
}

/// Uploads `file`; `progress` gets 0–1 while it goes, `done` the stored file's id or the
/// server's sentence saying why not.
pub fn upload(
    url: &str,
    token: &str,
    file: &web_sys::File,
    voice: bool,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(Result<i64, String>) + 'static,
) {
    let Ok(xhr) = XmlHttpRequest::new() else { return done(Err(failed())) };
    if xhr.open("POST", url).is_err() {
        return done(Err(failed()));
    }
    let _ = xhr.set_request_header(TOKEN_HEADER, token);
    let _ = api::speak_my_language(&xhr);
    let _ = xhr.set_request_header("x-parley-filename", &api::encode(&file.name()));
    if voice {
        let _ = xhr.set_request_header("x-parley-voice", "1");
    }
    if let Ok(upload) = xhr.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::own_aborting(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress(e.loaded() / e.total());
                }
            });
        upload.set_onprogress(Some(on_progress.into_js_value().unchecked_ref()));
    }
    let target = xhr.clone();
    let on_end = Closure::<dyn FnMut()>::once_aborting(move || {
        let body = target.response().ok().and_then(|r| wire::parse_json(&r).ok());
        done(match (target.status().unwrap_or(0), body) {
            (201, Some(body)) => wire::attachment_id(&body).ok_or_else(failed),
            (400..=499, Some(body)) => Err(wire::refusal(&body).map_or_else(failed, |(m, _)| m)),
            _ => Err(failed()),
        })
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    let on_end = on_end.into_js_value();
    if xhr.send_with_opt_blob(Some(file)).is_err() {
        xhr.set_onloadend(None);
        let _ = on_end.unchecked_ref::<js_sys::Function>().call0(&wasm_bindgen::JsValue::NULL);
    }
}

/// Fetches `url` with the token and hands a `blob:` URL for it to `done` (`None` when it
/// could not be fetched).
pub fn fetch_blob(url: &str, token: &str, done: impl FnOnce(Option<String>) + 'static) {
    let Ok(xhr) = XmlHttpRequest::new() else { return done(None) };
    if xhr.open("GET", url).is_err() || xhr.set_request_header(TOKEN_HEADER, token).is_err() {
        return done(None);
    }
    xhr.set_response_type(XmlHttpRequestResponseType::Blob);
    let target = xhr.clone();
    let on_end = Closure::<dyn FnMut()>::once_aborting(move || {
        let blob = (target.status().unwrap_or(0) == 200)
            .then(|| target.response().ok())
            .flatten()
            .map(|r| r.unchecked_into::<web_sys::Blob>());
        done(blob.and_then(|b| web_sys::Url::create_object_url_with_blob(&b).ok()))
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    let _ = on_end.into_js_value();
    let _ = xhr.send();
}

/// Where files are fetched from, for [`show`].
pub struct Source {
    pub base: String,
    pub key: String,
    pub token: Rc<str>,
}

/// Adds a message's files to its bubble: images and audio load at once, other files are
/// a button that downloads them.
pub fn show(doc: &web_sys::Document, bubble: &Element, files: &[File], from: &Source) {
    for file in files {
        let url = download_url(&from.base, &from.key, file.id);
        let tag = if file.image {
            "img"
        } else if file.audio {
            "audio"
        } else {
            "button"
        };
        let Ok(el) = doc.create_element(tag) else { continue };
        el.set_class_name("file");
        let mut label = file.name.clone();
        label.push_str(" (");
        label.push_str(&size(file.size));
        label.push(')');
        if file.image {
            let _ = el.set_attribute("alt", &file.name);
        } else if file.audio {
            let _ = el.set_attribute("controls", "");
            let _ = el.set_attribute("aria-label", &label);
        } else {
            let _ = el.set_attribute("type", "button");
            el.set_text_content(Some(&label));
        }
        let _ = bubble.append_child(&el);
        if file.image || file.audio {
            let target = el.clone();
            fetch_blob(&url, &from.token, move |blob| {
                if let Some(blob) = blob {
                    let _ = target.set_attribute("src", &blob);
                }
            });
        } else {
            let (token, name, doc) = (from.token.clone(), file.name.clone(), doc.clone());
            crate::dom::listen(&el, "click", move |_| {
                let (name, doc) = (name.clone(), doc.clone());
                fetch_blob(&url, &token, move |blob| {
                    let Some(blob) = blob else { return };
                    let Ok(a) = doc.create_element("a") else { return };
                    let _ = a.set_attribute("href", &blob);
                    let _ = a.set_attribute("download", &name);
                    a.unchecked_ref::<web_sys::HtmlElement>().click();
                });
            });
        }
    }
}

/// "5 MB", "900 KB", "12 B" (decimal, whole numbers: enough for a label).
pub fn size(bytes: i64) -> String {
    let (n, unit) = match bytes {
        b if b >= 1_000_000 => (b / 1_000_000, " MB"),
        b if b >= 1_000 => (b / 1_000, " KB"),
        b => (b, " B"),
    };
    let mut out = wire::int(n);
    out.push_str(unit);
    out
}

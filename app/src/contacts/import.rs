//! "Import CSV" on the contact list (owners and admins): pick a file, see the dry run
//! (what would be made and updated, how columns map, each bad row with its line, column
//! and reason), then import; the progress comes live (`ImportProgress`).

use leptos::prelude::*;
use parley_types::{ImportStatus, OperatorEvent};

use crate::frame::use_frame;
use crate::t;

#[component]
pub fn ImportPanel() -> impl IntoView {
    let frame = use_frame();
    let report = RwSignal::new(None::<ImportStatus>);
    let error = RwSignal::new(None::<String>);
    let match_on = RwSignal::new("email".to_owned());
    let busy = RwSignal::new(false);
    // The import may finish before its start is answered: its state is read once then.
    let refresh = ServerAction::<super::api::GetImport>::new();
    Effect::new(move |_| {
        if let Some(Ok(status)) = refresh.value().get()
            && report.with_untracked(|r| r.as_ref().is_some_and(|r| r.id == status.id))
        {
            report.set(Some(status));
        }
    });
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::ImportProgress { import } = event
            && report.with_untracked(|r| r.as_ref().is_some_and(|r| r.id.is_some() && r.id == import.id))
        {
            report.set(Some(import.clone()));
        }
    });
    // Sends the picked file (a dry run, or the import itself).
    let send = move |dry_run: bool| {
        busy.set(true);
        error.set(None);
        let url = format!(
            "/imports/contacts?match={}{}",
            match_on.get_untracked(),
            if dry_run { "&dry_run=true" } else { "" }
        );
        let url = crate::frame::ws_path(&url);
        #[cfg(feature = "hydrate")]
        send::picked(&url, move |answer| {
            busy.set(false);
            match answer {
                Ok(status) => {
                    if let Some(id) = status.id {
                        refresh.dispatch(super::api::GetImport { id });
                    }
                    report.set(Some(status));
                }
                Err(why) => error.set(Some(why)),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    };
    let summary = move || {
        report.get().map(|r| {
            let (done, total, created, updated, failed) = (r.processed, r.total, r.created, r.updated, r.failed);
            match r.status.as_str() {
                "dry_run" => t!(
                    "contacts-import-would",
                    done = done,
                    total = total,
                    created = created,
                    updated = updated,
                    failed = failed
                ),
                "done" => t!(
                    "contacts-import-done",
                    done = done,
                    total = total,
                    created = created,
                    updated = updated,
                    failed = failed
                ),
                _ => t!(
                    "contacts-import-running",
                    done = done,
                    total = total,
                    created = created,
                    updated = updated,
                    failed = failed
                ),
            }
        })
    };
    let can_import =
        move || !busy.get() && report.get().is_some_and(|r| r.status == "dry_run" && r.created + r.updated > 0);
    view! {
        <details class="import">
            <summary>{t!("contacts-import-csv")}</summary>
            <label>
                {t!("contacts-import-match")}" "
                <select aria-label=t!("contacts-import-match") on:change=move |ev| match_on.set(event_target_value(&ev))>
                    <option value="email">{t!("contacts-import-match-email")}</option>
                    <option value="user_id">{t!("contacts-import-match-user-id")}</option>
                </select>
            </label>
            <input type="file" accept=".csv,text/csv" aria-label=t!("contacts-import-file") on:change=move |_ev| {
                #[cfg(feature = "hydrate")]
                {
                    use wasm_bindgen::JsCast;
                    let file = _ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|i| i.files()).and_then(|f| f.get(0));
                    send::pick(file);
                }
                report.set(None);
                send(true);
            }/>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <p role="status" aria-label=t!("contacts-import")>{summary}</p>
            {move || report.get().map(|r| view! {
                <p class="mapping">
                    {r.mapping.iter().map(|(column, field)| format!("{column} → {field}")).collect::<Vec<_>>().join(" · ")}
                </p>
                <Show when={let n = r.problems.len(); move || n > 0}>
                    <table class="import-problems" aria-label=t!("contacts-import-problems")>
                        <thead><tr><th>{t!("contacts-import-line")}</th><th>{t!("contacts-import-column")}</th><th>{t!("contacts-import-why")}</th></tr></thead>
                        <tbody>
                            {r.problems.iter().map(|p| view! {
                                <tr><td>{p.line}</td><td>{p.column.clone()}</td><td>{crate::i18n::Said::said(p)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </Show>
            })}
            <button type="button" disabled=move || !can_import() on:click=move |_| send(false)>{t!("contacts-import")}</button>
        </details>
    }
}

/// The picked file and its upload (in the browser only).
#[cfg(feature = "hydrate")]
mod send {
    use std::cell::RefCell;

    use parley_types::{ApiError, ImportStatus};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    thread_local! {
        static PICKED: RefCell<Option<web_sys::File>> = const { RefCell::new(None) };
    }

    pub fn pick(file: Option<web_sys::File>) {
        PICKED.with(|p| *p.borrow_mut() = file);
    }

    /// POSTs the picked file to `url`; `done` gets the answer or a sentence saying why not.
    pub fn picked(url: &str, done: impl FnOnce(Result<ImportStatus, String>) + 'static) {
        let failed = crate::t!("contacts-import-not-sent");
        let Some(file) = PICKED.with(|p| p.borrow().clone()) else {
            return done(Err(crate::t!("contacts-import-pick-first")));
        };
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return done(Err(failed)) };
        if xhr.open("POST", url).is_err() {
            return done(Err(failed));
        }
        let _ = xhr.set_request_header("content-type", "text/csv");
        let done = std::rc::Rc::new(RefCell::new(Some(done)));
        let finish = {
            let (xhr, done, failed) = (xhr.clone(), done.clone(), failed.clone());
            move |_: web_sys::Event| {
                let Some(done) = done.borrow_mut().take() else { return };
                let text = xhr.response_text().ok().flatten().unwrap_or_default();
                done(match xhr.status().unwrap_or(0) {
                    200..=299 => serde_json::from_str(&text).map_err(|_| failed.clone()),
                    0 => Err(failed.clone()),
                    _ => Err(serde_json::from_str::<ApiError>(&text)
                        .map(|e| crate::i18n::Said::said(&e))
                        .unwrap_or_else(|_| failed.clone())),
                })
            }
        };
        let on_load = Closure::<dyn FnMut(web_sys::Event)>::new(finish.clone());
        xhr.set_onload(Some(on_load.into_js_value().unchecked_ref()));
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(finish);
        xhr.set_onerror(Some(on_error.into_js_value().unchecked_ref()));
        if xhr.send_with_opt_blob(Some(&file)).is_err()
            && let Some(done) = done.borrow_mut().take()
        {
            done(Err(failed));
        }
    }
}

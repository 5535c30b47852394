//! Files in the inbox: a message's attachments as operators see them (images inline,
//! voice and audio playable, everything else a download), and the composer's tray of
//! files waiting to be sent (chosen with the button, dropped on the composer or pasted),
//! each uploaded at once with a progress bar.

use leptos::prelude::*;
use parley_types::{Attachment, AttachmentId, ConversationId, human_size};

use crate::t;

/// Where a member's file is downloaded from (with their session).
pub fn file_url(id: AttachmentId) -> String {
    crate::frame::ws_path(&format!("/attachments/{id}"))
}

/// A message's files.
#[component]
pub fn MessageFiles(files: Vec<Attachment>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="message-files">
                {files.into_iter().map(|file| view! { <li><FileView file=file/></li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn FileView(file: Attachment) -> impl IntoView {
    let url = file_url(file.id);
    let label = format!("{} ({})", file.name, human_size(file.size));
    if file.inline_image() {
        let src = url.clone();
        view! {
            <a href=url target="_blank" rel="noopener" class="file-image">
                <img src=src alt=file.name.clone() width=file.width height=file.height loading="lazy"/>
            </a>
        }
        .into_any()
    } else if file.playable_audio() {
        let title = if file.voice { t!("conv-voice-message") } else { file.name.clone() };
        let src = url.clone();
        view! {
            <figure class="file-audio">
                <audio controls preload="metadata" src=src aria-label=title.clone()></audio>
                <figcaption><a href=url download=file.name.clone()>{title}</a></figcaption>
            </figure>
        }
        .into_any()
    } else {
        view! { <a class="file-download" href=url download=file.name.clone()>{label}</a> }.into_any()
    }
}

/// A file in the composer's tray (uploads start only in the browser).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq)]
pub enum TrayFile {
    /// Uploading: its name and how far it got (0–1).
    Uploading { key: u64, name: String, progress: f64 },
    /// Stored and waiting for the message; `kept` when it comes from a quick reply (the
    /// quick reply keeps it; removing it from the tray deletes nothing).
    Ready { file: Attachment, kept: bool },
}

/// The tray's state, shared by the composer's box, its buttons and drop zone.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy)]
pub struct FileTray {
    conversation_id: ConversationId,
    pub files: RwSignal<Vec<TrayFile>>,
    next_key: StoredValue<u64>,
    /// Taken when the tray is made: uploads finish in browser callbacks outside any
    /// component, where the context is not reachable.
    toasts: crate::frame::Toasts,
}

impl FileTray {
    pub fn new(conversation_id: ConversationId) -> Self {
        FileTray {
            conversation_id,
            files: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
            toasts: crate::frame::use_frame().toasts,
        }
    }

    /// The ids to send with the message; `None` while an upload is still running.
    pub fn ready_ids(&self) -> Option<Vec<AttachmentId>> {
        self.files
            .get_untracked()
            .iter()
            .map(|f| match f {
                TrayFile::Ready { file, .. } => Some(file.id),
                TrayFile::Uploading { .. } => None,
            })
            .collect()
    }

    /// Empties the tray after the message went out.
    pub fn clear(&self) {
        self.files.set(Vec::new());
    }

    /// Adds files kept on a quick reply.
    pub fn add_kept(&self, kept: Vec<Attachment>) {
        self.files.update(|files| {
            for file in kept {
                let present =
                    files.iter().any(|f| matches!(f, TrayFile::Ready { file: have, .. } if have.id == file.id));
                if !present {
                    files.push(TrayFile::Ready { file, kept: true });
                }
            }
        });
    }

    /// Takes a file off the tray; a pending upload of this member is deleted.
    fn remove(&self, index: usize) {
        let Some(removed) = self.files.with_untracked(|files| files.get(index).cloned()) else { return };
        self.files.update(|files| {
            files.remove(index);
        });
        #[cfg(feature = "hydrate")]
        if let TrayFile::Ready { file, kept: false } = removed {
            upload::delete(&file_url(file.id));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = removed;
    }

    /// Uploads each file of a file list (from the button, a drop or a paste).
    #[cfg(feature = "hydrate")]
    pub fn upload_all(&self, list: Option<web_sys::FileList>) {
        let Some(list) = list else { return };
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                self.upload(file, false);
            }
        }
    }

    /// Uploads one file (`voice`: a recording made here), showing its progress.
    #[cfg(feature = "hydrate")]
    pub fn upload(&self, file: web_sys::File, voice: bool) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let name = file.name();
        self.files.update(|files| files.push(TrayFile::Uploading { key, name, progress: 0.0 }));
        let (files, toasts) = (self.files, self.toasts);
        let url = crate::frame::ws_path(&format!("/attachments?conversation={}", self.conversation_id));
        upload::send(
            &url,
            &file,
            voice,
            move |progress| {
                files.update(|files| {
                    for f in files.iter_mut() {
                        if let TrayFile::Uploading { key: k, progress: p, .. } = f
                            && *k == key
                        {
                            *p = progress;
                        }
                    }
                })
            },
            move |result| {
                files.update(|files| {
                    let at = files.iter().position(|f| matches!(f, TrayFile::Uploading { key: k, .. } if *k == key));
                    if let Some(at) = at {
                        match result {
                            Ok(file) => files[at] = TrayFile::Ready { file, kept: false },
                            Err(message) => {
                                files.remove(at);
                                toasts.error(message);
                            }
                        }
                    }
                })
            },
        );
    }
}

/// The tray: each file with its progress or a remove button.
#[component]
pub fn FileTrayView(tray: FileTray) -> impl IntoView {
    view! {
        <Show when=move || !tray.files.with(Vec::is_empty)>
            <ul class="file-tray" aria-label=t!("conv-files-to-send")>
                {move || {
                    tray.files
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, file)| match file {
                            TrayFile::Uploading { name, progress, .. } => view! {
                                <li class="uploading">
                                    <span>{name.clone()}</span>
                                    <progress max="1" value=progress aria-label=t!("conv-uploading", name = name.clone())></progress>
                                </li>
                            }
                            .into_any(),
                            TrayFile::Ready { file, .. } => view! {
                                <li class="ready">
                                    <span>{format!("{} ({})", file.name, human_size(file.size))}</span>
                                    <button type="button" class="link" aria-label=t!("conv-remove-file", name = file.name.clone())
                                        on:click=move |_| tray.remove(index)>"×"</button>
                                </li>
                            }
                            .into_any(),
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}

/// The "Attach" button with its hidden file input.
#[component]
pub fn AttachButton(tray: FileTray) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    view! {
        <button type="button" class="attach" on:click=move |_| {
            if let Some(input) = input.get() {
                input.click();
            }
        }>{t!("conv-attach")}</button>
        <input type="file" multiple class="visually-hidden" tabindex="-1" aria-label=t!("conv-attach-files") node_ref=input
            on:change=move |_ev| {
                #[cfg(feature = "hydrate")]
                if let Some(input) = input.get() {
                    tray.upload_all(input.files());
                    input.set_value("");
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = tray;
            }/>
    }
}

/// Uploading with `XMLHttpRequest`, the one browser API that reports upload progress.
#[cfg(feature = "hydrate")]
pub mod upload {
    use parley_types::{ApiError, Attachment};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    /// Sends `file` as the raw body of a POST to `url`; `progress` gets 0–1 as it goes,
    /// `done` the stored attachment or a sentence saying why not.
    pub fn send(
        url: &str,
        file: &web_sys::File,
        voice: bool,
        progress: impl Fn(f64) + 'static,
        done: impl FnOnce(Result<Attachment, String>) + 'static,
    ) {
        let failed = crate::t!("conv-upload-failed");
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return done(Err(failed)) };
        if xhr.open("POST", url).is_err() {
            return done(Err(failed));
        }
        let name: String = js_sys::encode_uri_component(&file.name()).into();
        let _ = xhr.set_request_header("x-parley-filename", &name);
        if voice {
            let _ = xhr.set_request_header("x-parley-voice", "1");
        }
        if let Ok(upload) = xhr.upload() {
            let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
                if ev.length_computable() && ev.total() > 0.0 {
                    progress(ev.loaded() / ev.total());
                }
            });
            upload.set_onprogress(Some(on_progress.into_js_value().unchecked_ref()));
        }
        let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
        let finish = {
            let (xhr, done, failed) = (xhr.clone(), done.clone(), failed.clone());
            move |_: web_sys::Event| {
                let Some(done) = done.borrow_mut().take() else { return };
                let text = xhr.response_text().ok().flatten().unwrap_or_default();
                let status = xhr.status().unwrap_or(0);
                done(match status {
                    200..=299 => serde_json::from_str::<Attachment>(&text).map_err(|_| failed.clone()),
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
        if xhr.send_with_opt_blob(Some(file)).is_err()
            && let Some(done) = done.borrow_mut().take()
        {
            done(Err(failed));
        }
    }

    /// Deletes a pending upload (best effort: unsent uploads are swept after a day).
    pub fn delete(url: &str) {
        if let Ok(xhr) = web_sys::XmlHttpRequest::new()
            && xhr.open("DELETE", url).is_ok()
        {
            let _ = xhr.send();
        }
    }
}

/// "Record": records a voice message with the microphone; pressed again, it uploads the
/// recording into the tray as a voice message.
#[component]
pub fn RecordButton(tray: FileTray) -> impl IntoView {
    let recording = RwSignal::new(false);
    // Whole seconds recorded so far.
    let elapsed = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    let recorder = StoredValue::new_local(None::<voice::Recorder>);
    #[cfg(feature = "hydrate")]
    {
        let ticker = set_interval_with_handle(
            move || {
                // Counted from when the microphone actually started recording.
                if let Some(Some(started)) = recorder.try_with_value(|r| r.as_ref().map(|r| r.started_ms)) {
                    elapsed.set(((js_sys::Date::now() - started) / 1000.0) as u32);
                }
            },
            std::time::Duration::from_millis(250),
        )
        .ok();
        on_cleanup(move || {
            if let Some(ticker) = ticker {
                ticker.clear();
            }
        });
    }
    let toggle = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let toasts = crate::frame::use_frame().toasts;
            match recorder.try_update_value(Option::take).flatten() {
                Some(active) => {
                    recording.set(false);
                    active.stop(move |file| tray.upload(file, true));
                }
                None => {
                    elapsed.set(0);
                    recording.set(true);
                    leptos::task::spawn_local(async move {
                        match voice::Recorder::start().await {
                            Ok(active) => recorder.set_value(Some(active)),
                            Err(message) => {
                                recording.set(false);
                                toasts.error(message);
                            }
                        }
                    });
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = tray;
    };
    view! {
        <button type="button" class="record" aria-pressed=move || recording.get().to_string() on:click=toggle>
            {move || {
                let seconds = elapsed.get();
                if recording.get() {
                    t!("conv-stop-and-attach", time = format!("{}:{:02}", seconds / 60, seconds % 60))
                } else {
                    t!("conv-record")
                }
            }}
        </button>
    }
}

/// Recording with the browser's `MediaRecorder`.
#[cfg(feature = "hydrate")]
mod voice {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    fn no_microphone() -> String {
        crate::t!("conv-no-microphone")
    }

    fn cannot_record() -> String {
        crate::t!("conv-cannot-record")
    }

    /// A recording in progress.
    pub struct Recorder {
        /// When recording began (`Date.now()`).
        pub started_ms: f64,
        recorder: web_sys::MediaRecorder,
        stream: web_sys::MediaStream,
        chunks: Rc<RefCell<Vec<web_sys::Blob>>>,
    }

    impl Recorder {
        pub async fn start() -> Result<Recorder, String> {
            let devices =
                web_sys::window().and_then(|w| w.navigator().media_devices().ok()).ok_or_else(no_microphone)?;
            let constraints = web_sys::MediaStreamConstraints::new();
            constraints.set_audio(&JsValue::TRUE);
            let asked = devices.get_user_media_with_constraints(&constraints).map_err(|_| no_microphone())?;
            let stream: web_sys::MediaStream =
                wasm_bindgen_futures::JsFuture::from(asked).await.map_err(|_| no_microphone())?.unchecked_into();
            let options = web_sys::MediaRecorderOptions::new();
            if web_sys::MediaRecorder::is_type_supported("audio/webm;codecs=opus") {
                options.set_mime_type("audio/webm;codecs=opus");
            }
            let recorder = web_sys::MediaRecorder::new_with_media_stream_and_media_recorder_options(&stream, &options)
                .map_err(|_| cannot_record())?;
            let chunks = Rc::new(RefCell::new(Vec::new()));
            let sink = chunks.clone();
            let on_data = Closure::<dyn FnMut(web_sys::BlobEvent)>::new(move |ev: web_sys::BlobEvent| {
                if let Some(data) = ev.data()
                    && data.size() > 0.0
                {
                    sink.borrow_mut().push(data);
                }
            });
            recorder.set_ondataavailable(Some(on_data.into_js_value().unchecked_ref()));
            recorder.start_with_time_slice(250).map_err(|_| cannot_record())?;
            Ok(Recorder { started_ms: js_sys::Date::now(), recorder, stream, chunks })
        }

        /// Stops, releases the microphone and hands the recording to `done` as a file.
        pub fn stop(self, done: impl FnOnce(web_sys::File) + 'static) {
            let Recorder { recorder, stream, chunks, .. } = self;
            let mime = recorder.mime_type();
            let done = RefCell::new(Some(done));
            let on_stop = Closure::<dyn FnMut()>::new(move || {
                for track in stream.get_tracks().iter() {
                    track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
                }
                let parts = js_sys::Array::new();
                for chunk in chunks.borrow().iter() {
                    parts.push(chunk);
                }
                let options = web_sys::FilePropertyBag::new();
                options.set_type(&mime);
                let name = if mime.contains("mp4") { "voice-message.mp4" } else { "voice-message.webm" };
                if let Ok(file) = web_sys::File::new_with_blob_sequence_and_options(&parts, name, &options)
                    && let Some(done) = done.borrow_mut().take()
                {
                    done(file);
                }
            });
            recorder.set_onstop(Some(on_stop.into_js_value().unchecked_ref()));
            let _ = recorder.stop();
        }
    }
}

//! `/settings/widget`: installing the chat (the floating bubble's snippet, the form chat's,
//! the landing chat's address, each with a copy button), the origins allowed to embed it,
//! and how it looks, with a live preview beside the form. Saved looks reach every open
//! widget at once; another admin's save reaches this page too (reloaded when nothing is
//! being edited here, announced otherwise).

use leptos::prelude::*;

use crate::i18n::Said;
use parley_types::{OperatorEvent, ReplyTime, WIDGET_LANGUAGES, WidgetConfig, WidgetPosition};

use super::api::{SaveWidgetConfig, UpdateAllowedOrigins, WidgetSettings, get_widget_settings};
use crate::contacts::{FieldProblem, field_problem};
use crate::frame::use_frame;
use crate::t;

#[component]
pub fn WidgetSettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_widget_settings());
    view! {
        <section class="settings widget-settings" aria-label=t!("admin-widget-settings")>
            <h2>{t!("admin-widget-title")}</h2>
            <Suspense fallback=|| view! { <p class="notice">{t!("admin-loading")}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(loaded) => view! {
                            <Install settings=loaded.clone()/>
                            <OriginsForm settings=loaded.clone()/>
                            <AppearanceForm settings=loaded reload=move || settings.refetch()/>
                        }
                        .into_any(),
                        Err(err) => view! { <p class="error" role="alert">{err.said()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The three ways to put the chat on a site, each with a copy button.
#[component]
fn Install(settings: WidgetSettings) -> impl IntoView {
    let landing = settings.landing_url.clone();
    view! {
        <h3>{t!("admin-widget-install")}</h3>
        <p>{t!("admin-widget-bubble-before")}" " <code>"</body>"</code> {t!("admin-widget-bubble-after")}</p>
        <pre class="snippet" aria-label=t!("admin-widget-embed-snippet")>{settings.snippet.clone()}</pre>
        <CopyButton text=settings.snippet label=t!("admin-widget-copy-snippet")/>
        <p>
            {t!("admin-widget-form-chat-before")}" "
            <code>"data-parley-chat"</code> " "{t!("admin-widget-form-chat-after")}
        </p>
        <pre class="snippet" aria-label=t!("admin-widget-form-chat-snippet")>{settings.form_snippet.clone()}</pre>
        <CopyButton text=settings.form_snippet label=t!("admin-widget-copy-form-chat-snippet")/>
        <p>{t!("admin-widget-landing")}" "
            <a href=landing.clone() target="_blank" rel="noopener">{landing.clone()}</a>
        </p>
        <CopyButton text=landing label=t!("admin-widget-copy-landing-link")/>
    }
}

/// Copies `text` to the clipboard, saying so in a toast.
#[component]
fn CopyButton(text: String, label: String) -> impl IntoView {
    let toasts = use_frame().toasts;
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let text = text.clone();
            leptos::task::spawn_local(async move {
                let promise = web_sys::window().map(|w| w.navigator().clipboard().write_text(&text));
                let copied = match promise {
                    Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
                    None => false,
                };
                if copied {
                    toasts.success(t!("admin-widget-copied"));
                } else {
                    toasts.error(t!("admin-widget-copy-refused"));
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&text, toasts);
    };
    view! { <button type="button" class="copy" on:click=copy>{label}</button> }
}

#[component]
fn OriginsForm(settings: WidgetSettings) -> impl IntoView {
    let update = ServerAction::<UpdateAllowedOrigins>::new();
    let toasts = use_frame().toasts;
    toasts.report(update.value(), |list| saved_message(list.len()));
    // The refusal also stays beside the field until the next save.
    let error = move || update.value().get().and_then(Result::err);
    let origins = settings.allowed_origins.join("\n");
    view! {
        <h3>{t!("admin-widget-allowed-sites")}</h3>
        <ActionForm action=update>
            <label>
                {t!("admin-widget-allowed-origins")}
                <textarea
                    name="origins"
                    rows="4"
                    readonly=!settings.can_edit
                    aria-invalid=move || error().is_some().then_some("true")
                    aria-describedby=move || error().is_some().then_some("origins-error")
                >{origins}</textarea>
            </label>
            {move || error().map(|err| view! { <p class="error" id="origins-error">{err.said()}</p> })}
            <Show when=move || settings.can_edit>
                <button type="submit" disabled=move || update.pending().get()>{t!("admin-widget-save-origins")}</button>
            </Show>
        </ActionForm>
    }
}

fn saved_message(count: usize) -> String {
    t!("admin-widget-origins-saved", count = count)
}

/// A text setting: how to read it from the settings and write it back.
type Text = (fn(&WidgetConfig) -> String, fn(&mut WidgetConfig, String));

#[component]
fn AppearanceForm(settings: WidgetSettings, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let frame = use_frame();
    let can_edit = settings.can_edit;
    let config = RwSignal::new(settings.config.clone());
    let loaded = RwSignal::new(settings.config);
    let save = ServerAction::<SaveWidgetConfig>::new();
    let newer = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(stored)) = save.value().get() {
            loaded.set(stored.clone());
            config.set(stored);
            newer.set(None);
        }
    });
    frame.toasts.report(save.value(), |c| t!("admin-widget-saved", version = c.version));
    // Another admin saved: take their version when nothing is being edited here.
    frame.realtime.on_event(move |event| {
        if let OperatorEvent::WidgetConfigChanged { version } = event
            && *version > loaded.with_untracked(|c| c.version)
            && !save.pending().get_untracked()
        {
            if config.with_untracked(|c| loaded.with_untracked(|l| c == l)) {
                reload();
            } else {
                newer.set(Some(*version));
            }
        }
    });
    let problem = move |field: &'static str| field_problem(save.value(), field);
    // Below WCAG AA, said in the page's language.
    let warning =
        move || config.with(WidgetConfig::low_contrast).map(|ratio| t!("admin-widget-contrast-warning", ratio = ratio));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveWidgetConfig { config: config.get_untracked() });
    };
    let text = move |label: String, field: &'static str, (get, set): Text| {
        view! {
            <label>
                {label.clone()}
                <input
                    aria-label=label
                    readonly=!can_edit
                    prop:value=move || config.with(get)
                    on:input=move |ev| config.update(|c| set(c, event_target_value(&ev)))
                />
            </label>
            <FieldProblem problem=problem(field)/>
        }
    };
    let colour = move |label: String, field: &'static str, (get, set): Text| {
        view! {
            <label class="colour-field">
                {label.clone()}
                <input
                    type="color"
                    aria-hidden="true"
                    tabindex="-1"
                    disabled=!can_edit
                    prop:value=move || config.with(|c| {
                        let value = get(c);
                        if parley_types::parse_hex_color(&value).is_some() { value } else { "#000000".to_owned() }
                    })
                    on:input=move |ev| config.update(|c| set(c, event_target_value(&ev)))
                />
                <input
                    aria-label=label
                    class="hex"
                    readonly=!can_edit
                    prop:value=move || config.with(get)
                    on:input=move |ev| config.update(|c| set(c, event_target_value(&ev)))
                />
            </label>
            <FieldProblem problem=problem(field)/>
        }
    };
    let check = move |label: String, get: fn(&WidgetConfig) -> bool, set: fn(&mut WidgetConfig, bool)| {
        view! {
            <label class="check">
                <input
                    type="checkbox"
                    disabled=!can_edit
                    prop:checked=move || config.with(get)
                    on:change=move |ev| config.update(|c| set(c, event_target_checked(&ev)))
                />
                " " {label}
            </label>
        }
    };
    let offset =
        move |label: String, field: &'static str, get: fn(&WidgetConfig) -> u16, set: fn(&mut WidgetConfig, u16)| {
            view! {
                <label>
                    {label.clone()}
                    <input
                        type="number"
                        min="0"
                        max=parley_types::MAX_OFFSET.to_string()
                        aria-label=label
                        readonly=!can_edit
                        prop:value=move || config.with(get).to_string()
                        on:input=move |ev| {
                            // Out-of-range numbers go to the server, which names the field.
                            let value = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0);
                            config.update(|c| set(c, value.min(u32::from(u16::MAX)) as u16));
                        }
                    />
                </label>
                <FieldProblem problem=problem(field)/>
            }
        };
    let workspace_name = settings.workspace_name;
    view! {
        <h3>{t!("admin-widget-appearance")}</h3>
        <Show when=move || newer.get().is_some()>
            <p class="notice" role="status">
                {t!("admin-widget-newer")}" "
                <button type="button" on:click=move |_| reload()>{t!("admin-widget-load-theirs")}</button>
                " "{t!("admin-widget-edits-dropped")}
            </p>
        </Show>
        <div class="widget-appearance">
            <form class="widget-form" aria-label=t!("admin-widget-appearance-form") novalidate on:submit=submit>
                <fieldset>
                    <legend>{t!("admin-widget-colours")}</legend>
                    {colour(t!("admin-widget-colour"), "color", (|c| c.color.clone(), |c, v| c.color = v))}
                    {colour(t!("admin-widget-text-colour"), "text_color", (|c| c.text_color.clone(), |c, v| c.text_color = v))}
                    {move || warning().map(|w| view! { <p class="warning" role="status">{w}</p> })}
                </fieldset>
                <fieldset>
                    <legend>{t!("admin-widget-launcher")}</legend>
                    <label>
                        {t!("admin-widget-position")}" "
                        <select
                            aria-label=t!("admin-widget-position")
                            disabled=!can_edit
                            prop:value=move || config.with(|c| c.position.as_str())
                            on:change=move |ev| {
                                let position = event_target_value(&ev).parse().unwrap_or(WidgetPosition::Right);
                                config.update(|c| c.position = position);
                            }
                        >
                            <option value="right">{t!("admin-widget-bottom-right")}</option>
                            <option value="left">{t!("admin-widget-bottom-left")}</option>
                        </select>
                    </label>
                    {offset(t!("admin-widget-offset-side"), "offset_x", |c| c.offset_x, |c, v| c.offset_x = v)}
                    {offset(t!("admin-widget-offset-bottom"), "offset_y", |c| c.offset_y, |c, v| c.offset_y = v)}
                    {text(t!("admin-widget-launcher-text"), "launcher_text", (|c| c.launcher_text.clone(), |c, v| c.launcher_text = v))}
                    {check(t!("admin-widget-show-on-phones"), |c| c.show_on_mobile, |c, v| c.show_on_mobile = v)}
                    {check(
                        t!("admin-widget-custom-launcher"),
                        |c| c.custom_launcher,
                        |c, v| c.custom_launcher = v,
                    )}
                </fieldset>
                <fieldset>
                    <legend>{t!("admin-widget-panel")}</legend>
                    {text(t!("admin-widget-team-name"), "team_name", (|c| c.team_name.clone(), |c, v| c.team_name = v))}
                    <label>
                        {t!("admin-widget-greeting")}
                        <textarea
                            aria-label=t!("admin-widget-greeting")
                            rows="2"
                            readonly=!can_edit
                            prop:value=move || config.with(|c| c.greeting.clone())
                            on:input=move |ev| config.update(|c| c.greeting = event_target_value(&ev))
                        ></textarea>
                    </label>
                    <FieldProblem problem=problem("greeting")/>
                    {check(t!("admin-widget-show-avatars"), |c| c.show_avatars, |c, v| c.show_avatars = v)}
                    <label>
                        {t!("admin-widget-reply-time")}" "
                        <select
                            aria-label=t!("admin-widget-reply-time")
                            disabled=!can_edit
                            prop:value=move || config.with(|c| c.reply_time.as_str())
                            on:change=move |ev| {
                                let time = event_target_value(&ev).parse().unwrap_or(ReplyTime::Hidden);
                                config.update(|c| c.reply_time = time);
                            }
                        >
                            {ReplyTime::ALL
                                .iter()
                                .map(|t| view! { <option value=t.as_str()>{t.sentence().map_or_else(|| t!("admin-widget-reply-time-hidden"), str::to_owned)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        {t!("admin-widget-language")}" "
                        <select
                            aria-label=t!("admin-widget-language")
                            disabled=!can_edit
                            prop:value=move || config.with(|c| c.language.clone())
                            on:change=move |ev| config.update(|c| c.language = event_target_value(&ev))
                        >
                            {WIDGET_LANGUAGES
                                .iter()
                                .map(|(code, name)| view! { <option value=*code>{*name}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <FieldProblem problem=problem("language")/>
                </fieldset>
                <fieldset>
                    <legend>{t!("admin-widget-form-and-landing")}</legend>
                    {colour(t!("admin-widget-form-background"), "form_background", (|c| c.form_background.clone(), |c, v| c.form_background = v))}
                    {text(t!("admin-widget-landing-title"), "landing_title", (|c| c.landing_title.clone(), |c, v| c.landing_title = v))}
                    {text(t!("admin-widget-landing-logo"), "landing_logo", (|c| c.landing_logo.clone(), |c, v| c.landing_logo = v))}
                    {colour(
                        t!("admin-widget-landing-background"),
                        "landing_background",
                        (|c| c.landing_background.clone(), |c, v| c.landing_background = v),
                    )}
                </fieldset>
                {move || {
                    save.value().get().and_then(Result::err).filter(|e| e.fields.is_empty()).map(|e| {
                        view! { <p class="error" role="alert">{e.said()}</p> }
                    })
                }}
                <Show when=move || can_edit>
                    <button type="submit" disabled=move || save.pending().get()>{t!("admin-widget-save-appearance")}</button>
                </Show>
            </form>
            <Preview config workspace_name/>
        </div>
    }
}

/// The widget as visitors will see it, redrawn as the form changes. Colours are set as
/// CSS variables through the style object (the app's policy refuses style attributes).
#[component]
fn Preview(config: RwSignal<WidgetConfig>, workspace_name: String) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let (colour, text) = config.with(|c| (c.color.clone(), c.text_color.clone()));
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get() {
            let style = web_sys::HtmlElement::style(&el);
            for (name, value) in [("--pv-color", colour), ("--pv-text", text)] {
                if parley_types::parse_hex_color(&value).is_some() {
                    let _ = style.set_property(name, &value);
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (node, colour, text);
    });
    let title = move || {
        config.with(
            |c| if c.team_name.trim().is_empty() { workspace_name.clone() } else { c.team_name.trim().to_owned() },
        )
    };
    view! {
        <div
            class="widget-preview"
            role="img"
            aria-label=t!("admin-widget-preview")
            node_ref=node
            class:left=move || config.with(|c| c.position == WidgetPosition::Left)
        >
            <div class="pv-panel">
                <div class="pv-head">
                    <strong class="pv-title">{title}</strong>
                    {move || config.with(|c| c.reply_time.sentence()).map(|s| view! { <small>{s}</small> })}
                </div>
                <div class="pv-log">
                    {move || {
                        let greeting = config.with(|c| c.greeting.trim().to_owned());
                        (!greeting.is_empty()).then(|| view! { <p class="pv-greeting">{greeting}</p> })
                    }}
                    <p class="pv-visitor">{t!("admin-widget-preview-visitor")}</p>
                </div>
            </div>
            <div class="pv-launcher" class:hidden=move || config.with(|c| c.custom_launcher)>
                <span aria-hidden="true">"💬"</span>
                {move || {
                    let text = config.with(|c| c.launcher_text.trim().to_owned());
                    (!text.is_empty()).then(|| view! { <span class="pv-launcher-text">{text}</span> })
                }}
            </div>
        </div>
    }
}

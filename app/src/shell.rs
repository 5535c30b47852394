//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::auth::{ForgotPasswordPage, HomePage, InvitationPage, LoginPage, ResetPasswordPage, SetupPage};
use crate::conversations::{ConversationPage, ConversationsLayout, NoConversation};
use crate::frame::Frame;
use crate::settings::{
    DepartmentsSettingsPage, InboxSettingsPage, LabelsSettingsPage, SettingsLayout, WidgetSettingsPage,
};

/// The document the server renders around the app. The app's js, wasm and css have
/// content-hashed names when the site was built with `hash-files` (see `LeptosOptions`).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The page's language, chosen by the server for this request (`server/src/language.rs`).
    #[cfg(feature = "ssr")]
    if let Some(lang) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<crate::i18n::Lang>().copied())
    {
        provide_context(lang);
    }
    view! {
        <!DOCTYPE html>
        <html lang=crate::i18n::current().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // Installable as an app (PWA): the manifest, and the service worker the
                // frame registers (`frame/push.js`).
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icon-192.png"/>
                <meta name="theme-color" content="#3b5bdb"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The operator app's routes. Signed-in pages render inside the [`Frame`], with
/// `SsrMode::Async`: the whole page (data included) is rendered before the first byte,
/// so a redirect to sign-in can still be a real HTTP redirect and a slow client sees
/// complete content at once.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Parley"/>
        <Router>
            <crate::frame::AddressGuard/>
            <Routes fallback=|| view! { <p class="notice">{crate::t!("frame-not-found")}</p> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/setup") view=SetupPage/>
                <Route path=path!("/invite/:token") view=InvitationPage/>
                <Route path=path!("/forgot") view=ForgotPasswordPage/>
                <Route path=path!("/reset/:token") view=ResetPasswordPage/>
                // Addresses from before workspaces had their own: the same page in the
                // session's workspace.
                <Route path=path!("/inbox") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/inbox/:id") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/my-inbox") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/profile") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/quick-replies") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/contacts") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/contacts/:id") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/visitors") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/settings") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/settings/:page") view=HomePage ssr=SsrMode::Async/>
                // Every signed-in page, inside the frame, under its workspace's address
                // (`frame::ws_path` makes links). A module's pages go here.
                <ParentRoute path=path!("/w/:slug") view=Frame ssr=SsrMode::Async>
                    <ParentRoute path=path!("/inbox") view=ConversationsLayout>
                        <Route path=path!("") view=NoConversation/>
                        <Route path=path!(":id") view=ConversationPage/>
                    </ParentRoute>
                    <Route path=path!("/my-inbox") view=crate::my_inbox::MyInboxPage/>
                    <Route path=path!("/profile") view=crate::profile::ProfilePage/>
                    <Route path=path!("/quick-replies") view=crate::conversations::QuickRepliesPage/>
                    <Route path=path!("/contacts") view=crate::contacts::ContactsPage/>
                    <Route path=path!("/contacts/:id") view=crate::contacts::ContactPage/>
                    <Route path=path!("/visitors") view=crate::visitors::VisitorsPage/>
                    <ParentRoute path=path!("/settings") view=SettingsLayout>
                        <Route path=path!("") view=|| view! { <Redirect path=crate::frame::ws_path("/settings/widget")/> }/>
                        <Route path=path!("general") view=crate::settings::GeneralSettingsPage/>
                        <Route path=path!("widget") view=WidgetSettingsPage/>
                        <Route path=path!("labels") view=LabelsSettingsPage/>
                        <Route path=path!("departments") view=DepartmentsSettingsPage/>
                        <Route path=path!("contact-fields") view=crate::settings::ContactFieldsSettingsPage/>
                        <Route path=path!("identity") view=crate::settings::IdentitySettingsPage/>
                        <Route path=path!("lead-forms") view=crate::settings::LeadFormsSettingsPage/>
                        <Route path=path!("tokens") view=crate::settings::TokensSettingsPage/>
                        <Route path=path!("team") view=crate::settings::TeamSettingsPage/>
                        <Route path=path!("hours") view=crate::settings::HoursSettingsPage/>
                        <Route path=path!("email") view=crate::settings::MailSettingsPage/>
                        <Route path=path!("audit") view=crate::settings::AuditLogPage/>
                        <Route path=path!("inbox") view=InboxSettingsPage/>
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

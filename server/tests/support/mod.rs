//! `TestApp`: a real Parley server on port 0 with a fresh database (SQLite in a temp
//! folder, or a new PostgreSQL database when `DATABASE_URL` is set), and clients that
//! talk to it over HTTP and WebSocket like the operator app and the widget do.

#![allow(dead_code, reason = "each test binary uses a different part of the harness")]

pub mod api;
pub mod smtp;
#[allow(unused_imports, reason = "only some test binaries send filters")]
pub use api::filter_form;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use parley_services::workspaces::{CreateWorkspace, create_workspace};
use parley_services::{Config, Services};
use parley_types::{ClientEvent, OperatorEvent, Role, VisitorEvent, WidgetSession};
use reqwest::cookie::{CookieStore, Jar};
use sea_orm::{ConnectionTrait, Database};
use serde::de::DeserializeOwned;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The origin test "customer sites" embed the widget from.
pub const SITE: &str = "http://shop.test";
pub const PASSWORD: &str = "correct horse battery";
/// How long a test waits for an expected event before failing.
pub const WAIT: Duration = Duration::from_secs(10);

/// Registers job handlers or outbox consumers before the server starts (tests of the
/// platform use it; it runs again on every restart).
pub type Setup = Arc<dyn Fn(&Services) + Send + Sync>;

/// Configuration variables a test sets (e.g. short timeouts).
type Env = Arc<Vec<(&'static str, String)>>;

pub struct TestApp {
    pub base: String,
    pub services: Services,
    setup: Option<Setup>,
    env: Env,
    database_url: String,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// A workspace created for a test.
pub struct TestWorkspace {
    pub key: String,
    pub email: String,
    pub id: parley_types::WorkspaceId,
}

/// A stopped server's database, to start again with [`Stopped::start_again`].
pub struct Stopped {
    dir: tempfile::TempDir,
    database_url: String,
    setup: Option<Setup>,
    env: Env,
}

impl Stopped {
    pub async fn start_again(self) -> TestApp {
        TestApp::start(self.dir, self.database_url, self.setup, self.env).await
    }
}

impl TestApp {
    /// Starts Parley on a fresh database.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(None).await
    }

    /// Starts Parley on a fresh database after `setup` registered its parts.
    pub async fn spawn_with(setup: Option<Setup>) -> TestApp {
        Self::spawn_configured(setup, &[]).await
    }

    /// Starts Parley with extra configuration variables (`PARLEY_...`).
    pub async fn spawn_with_env(vars: &[(&'static str, &str)]) -> TestApp {
        Self::spawn_configured(None, vars).await
    }

    async fn spawn_configured(setup: Option<Setup>, vars: &[(&'static str, &str)]) -> TestApp {
        let env: Env = Arc::new(vars.iter().map(|(k, v)| (*k, v.to_string())).collect());
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database_url(dir.path()).await;
        Self::start(dir, database_url, setup, env).await
    }

    async fn start(dir: tempfile::TempDir, database_url: String, setup: Option<Setup>, env: Env) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr").to_string();
        let data_dir = dir.path().display().to_string();
        let config = Config::from_lookup(|name| match name {
            "PARLEY_ADDR" => Some(addr.clone()),
            "PARLEY_DATA_DIR" => Some(data_dir.clone()),
            "DATABASE_URL" => Some(database_url.clone()),
            other => env.iter().find(|(k, _)| *k == other).map(|(_, v)| v.clone()),
        })
        .expect("config");
        let services = Services::start(config).await.expect("services start");
        if let Some(setup) = &setup {
            setup(&services);
        }
        let (stop, stopped) = oneshot::channel::<()>();
        let serve_services = services.clone();
        let server = tokio::spawn(async move {
            server::serve(listener, serve_services, async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        TestApp {
            base: format!("http://{addr}"),
            services,
            setup,
            env,
            database_url,
            _dir: dir,
            stop: Some(stop),
            server: Some(server),
        }
    }

    /// Stops this server and starts a new one on the same database (a restart).
    pub async fn restart(mut self) -> TestApp {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(WAIT, server).await;
        }
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"));
        Self::start(dir, self.database_url.clone(), self.setup.clone(), self.env.clone()).await
    }

    /// Stops the server and waits until it has finished (a crash or an upgrade), and
    /// returns what a later `start_again` needs.
    pub async fn stop(mut self) -> Stopped {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = tokio::time::timeout(WAIT, server).await;
        }
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"));
        Stopped { dir, database_url: self.database_url.clone(), setup: self.setup.clone(), env: self.env.clone() }
    }

    /// Creates a workspace whose widget may be embedded on `SITE`.
    pub async fn workspace(&self, name: &str) -> TestWorkspace {
        let email = format!("owner-{}@{}.test", name.to_lowercase(), name.to_lowercase());
        let created = create_workspace(
            &self.services,
            CreateWorkspace {
                workspace_name: name.into(),
                owner_name: format!("{name} Owner"),
                owner_email: email.clone(),
                owner_password: PASSWORD.into(),
                allowed_origins: vec![SITE.into()],
            },
            false,
        )
        .await
        .expect("workspace created");
        TestWorkspace { key: created.public_key, email, id: created.workspace_id }
    }

    /// Adds a member with `role` to the workspace (through the members service, as
    /// the owner) and signs them in.
    pub async fn member(&self, ws: &TestWorkspace, role: Role) -> Operator {
        let owner = parley_services::auth::sign_in(&self.services.db, &self.services.throttle, &ws.email, PASSWORD)
            .await
            .expect("owner signs in");
        let email =
            format!("{}-{}@{}.test", role.as_str(), parley_services::tokens::random_token(4).to_lowercase(), ws.id);
        parley_services::members::add_member(
            &self.services,
            &parley_services::Actor::Member(owner),
            parley_services::members::AddMember {
                email: email.clone(),
                name: format!("{role} {}", ws.id),
                password: PASSWORD.into(),
                role,
            },
        )
        .await
        .expect("member added");
        self.sign_in(&email).await
    }

    /// A browser-like HTTP client with a cookie jar and no redirects followed.
    pub fn client(&self) -> (reqwest::Client, Arc<Jar>) {
        let jar = Arc::new(Jar::default());
        // Like a browser on Parley's own pages: every request carries Parley's Origin.
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, self.base.parse().expect("origin header"));
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        (client, jar)
    }

    /// A client with no session (anonymous), shaped like a signed-in one.
    pub fn anonymous(&self) -> Operator {
        let (client, jar) = self.client();
        Operator { base: self.base.clone(), client, jar }
    }

    /// Signs the workspace's owner in and returns their client.
    pub async fn operator(&self, ws: &TestWorkspace) -> Operator {
        self.sign_in(&ws.email).await
    }

    /// Signs in with `email` and the test password.
    pub async fn sign_in(&self, email: &str) -> Operator {
        let (client, jar) = self.client();
        let response = client
            .post(format!("{}/api/login", self.base))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .expect("login request");
        assert!(
            response.status().is_success() || response.status().is_redirection(),
            "login failed: {}",
            response.status()
        );
        Operator { base: self.base.clone(), client, jar }
    }

    /// Issues an anonymous visitor as the widget on `SITE` does.
    pub async fn visitor(&self, ws: &TestWorkspace) -> WidgetSession {
        let response = reqwest::Client::new()
            .post(format!("{}/widget/v1/{}/visitors", self.base, ws.key))
            .header("Origin", SITE)
            .send()
            .await
            .expect("visitor request");
        assert_eq!(response.status(), 200);
        response.json().await.expect("widget session")
    }

    /// A widget call (`identify`, `attributes`, `labels`, `events`, `lead`) from `SITE`
    /// with the visitor's token and a JSON body: the status and the answer's JSON
    /// (`null` when there is none).
    pub async fn widget_call(
        &self,
        ws: &TestWorkspace,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/widget/v1/{}/{path}", self.base, ws.key))
            .header("Origin", SITE)
            .header("X-Parley-Token", token)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("widget request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// A new visitor writes `text` (client id `v-1`) and the conversation it lands in.
    pub async fn visitor_writes(&self, ws: &TestWorkspace, text: &str) -> parley_types::ConversationId {
        let visitor = self.visitor(ws).await;
        let (mut widget, _) = self.visitor_socket(ws, &visitor, 0).await;
        widget.send(&ClientEvent::Send { client_id: "v-1".into(), text: text.into(), attachments: vec![] }).await;
        widget.wait_for_message(text).await.conversation_id
    }

    /// Opens the visitor's socket (from `SITE`) and resumes after `after_seq`, returning
    /// the socket once the replay is complete, with the replayed messages.
    pub async fn visitor_socket(
        &self,
        ws: &TestWorkspace,
        session: &WidgetSession,
        after_seq: i64,
    ) -> (Socket<VisitorEvent>, Vec<parley_types::Message>) {
        let protocols = visitor_protocols(&session.token);
        let mut socket =
            Socket::connect(&self.visitor_socket_url(ws), &[("Origin", SITE), ("Sec-WebSocket-Protocol", &protocols)])
                .await;
        socket.send(&ClientEvent::Resume { conversation_id: None, after_seq }).await;
        let mut replayed = Vec::new();
        loop {
            match socket.next_event().await {
                VisitorEvent::MessageCreated { message } => replayed.push(message),
                VisitorEvent::Resumed { .. } => return (socket, replayed),
                other => panic!("unexpected event during replay: {other:?}"),
            }
        }
    }
}

impl TestApp {
    /// The visitor socket's URL (no token: it travels in the subprotocol header).
    pub fn visitor_socket_url(&self, ws: &TestWorkspace) -> String {
        format!("{}/widget/v1/{}/ws", self.base.replace("http", "ws"), ws.key)
    }
}

/// The `Sec-WebSocket-Protocol` value the widget sends: Parley's protocol and the token.
pub fn visitor_protocols(token: &str) -> String {
    format!("parley.v1, token.{token}")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An empty database: a new PostgreSQL database when `DATABASE_URL` names a server, else
/// an SQLite file in `dir`.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => fresh_postgres_database(&url).await,
        _ => format!("sqlite://{}?mode=rwc", dir.join("parley.db").display()),
    }
}

async fn fresh_postgres_database(url: &str) -> String {
    let admin = Database::connect(url).await.expect("connect to DATABASE_URL");
    let name =
        format!("parley_test_{}", parley_services::tokens::random_token(8).to_lowercase().replace(['-', '_'], "x"));
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    let (base, _) = url.rsplit_once('/').expect("DATABASE_URL has a database name");
    format!("{base}/{name}")
}

/// A signed-in operator.
pub struct Operator {
    pub base: String,
    pub client: reqwest::Client,
    jar: Arc<Jar>,
}

impl Operator {
    /// Calls a server function by name with form arguments (prefer the typed helpers
    /// in `support::api`; the permission table walks every endpoint by name).
    pub async fn call(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(format!("{}/api/{name}", self.base)).form(form).send().await.expect("server fn request")
    }

    /// Calls a server function in the workspace at address `slug`, as a tab showing
    /// `/w/{slug}/…` does.
    pub async fn call_in(&self, slug: &str, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}/w/{slug}/api/{name}", self.base))
            .form(form)
            .send()
            .await
            .expect("server fn request")
    }

    /// Opens the operator socket of a tab showing workspace `slug`.
    pub async fn socket_in(&self, slug: &str) -> Socket<OperatorEvent> {
        let url = format!("{}/w/{slug}/ws/operator", self.base.replace("http", "ws"));
        Socket::connect(&url, &[("Origin", self.base.as_str()), ("Cookie", self.cookie().as_str())]).await
    }

    /// The session cookie, as a `Cookie` header value.
    pub fn cookie(&self) -> String {
        let url = self.base.parse().expect("base url");
        self.jar.cookies(&url).and_then(|v| v.to_str().ok().map(str::to_owned)).unwrap_or_default()
    }

    /// Opens the operator socket with this session, from Parley's own origin.
    pub async fn socket(&self) -> Socket<OperatorEvent> {
        let url = format!("{}/ws/operator", self.base.replace("http", "ws"));
        Socket::connect(&url, &[("Origin", self.base.as_str()), ("Cookie", self.cookie().as_str())]).await
    }
}

/// A WebSocket client speaking Parley's events of one audience (`E`).
pub struct Socket<E> {
    inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
    _events: std::marker::PhantomData<E>,
}

/// The events tests look at in both audiences.
pub trait TestEvent: DeserializeOwned + std::fmt::Debug {
    fn message(self) -> Option<parley_types::Message>;
}

impl TestEvent for VisitorEvent {
    fn message(self) -> Option<parley_types::Message> {
        match self {
            VisitorEvent::MessageCreated { message } => Some(message),
            _ => None,
        }
    }
}

impl TestEvent for OperatorEvent {
    fn message(self) -> Option<parley_types::Message> {
        match self {
            OperatorEvent::MessageCreated { message } => Some(message),
            _ => None,
        }
    }
}

impl<E: TestEvent> Socket<E> {
    pub async fn connect(url: &str, headers: &[(&str, &str)]) -> Socket<E> {
        match Self::try_connect(url, headers).await {
            Ok(socket) => socket,
            Err(err) => panic!("socket {url} refused: {err}"),
        }
    }

    pub async fn try_connect(
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Socket<E>, tokio_tungstenite::tungstenite::Error> {
        let mut request = url.into_client_request()?;
        for (name, value) in headers {
            let name =
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).expect("header name");
            request.headers_mut().insert(name, HeaderValue::from_str(value).expect("header value"));
        }
        let (inner, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Socket { inner, _events: std::marker::PhantomData })
    }

    pub async fn send(&mut self, event: &ClientEvent) {
        let text = serde_json::to_string(event).expect("encode");
        self.inner.send(WsMessage::Text(text.into())).await.expect("socket send");
    }

    /// The next event, failing the test after `WAIT`.
    pub async fn next_event(&mut self) -> E {
        loop {
            let frame = tokio::time::timeout(WAIT, self.inner.next()).await.expect("timed out waiting for an event");
            match frame {
                Some(Ok(WsMessage::Text(text))) => return serde_json::from_str(&text).expect("decode event"),
                Some(Ok(WsMessage::Close(frame))) => panic!("socket closed: {frame:?}"),
                Some(Ok(_)) => continue,
                Some(Err(err)) => panic!("socket error: {err}"),
                None => panic!("socket ended"),
            }
        }
    }

    /// Waits for the first event `pick` accepts, skipping others.
    pub async fn wait_for<T>(&mut self, mut pick: impl FnMut(E) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            assert!(tokio::time::Instant::now() < deadline, "timed out waiting for a matching event");
            if let Some(found) = pick(self.next_event().await) {
                return found;
            }
        }
    }

    /// Waits for a stored message with this text.
    pub async fn wait_for_message(&mut self, text: &str) -> parley_types::Message {
        self.wait_for(|event| event.message().filter(|message| message.text == text)).await
    }

    /// Waits for the server to close the socket and returns the close code.
    pub async fn close_code(&mut self) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.inner.next()).await.expect("timed out waiting for the close") {
                Some(Ok(WsMessage::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    }

    /// The next frame's raw text, or `None` when nothing arrives within `within`.
    pub async fn raw_within(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.inner.next()).await {
                Ok(Some(Ok(WsMessage::Text(text)))) => return Some(text.to_string()),
                Ok(Some(Ok(WsMessage::Close(_)))) | Ok(None) | Ok(Some(Err(_))) | Err(_) => return None,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The underlying client, to send frames no well-behaved client would.
    pub fn into_inner(self) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
        self.inner
    }

    /// Wraps a client socket.
    pub fn from_inner(inner: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Socket<E> {
        Socket { inner, _events: std::marker::PhantomData }
    }

    /// Sends a raw text frame.
    pub async fn send_raw(&mut self, text: &str) {
        self.inner.send(WsMessage::Text(text.to_owned().into())).await.expect("socket send");
    }

    pub async fn close(mut self) {
        let _ = self.inner.close(None).await;
    }
}

impl TestApp {
    /// Starts Parley with `dir` as its data folder, on `database_url`, with extra
    /// configuration variables.
    pub async fn spawn_on(dir: tempfile::TempDir, database_url: String, vars: &[(&'static str, &str)]) -> TestApp {
        let env: Env = Arc::new(vars.iter().map(|(k, v)| (*k, v.to_string())).collect());
        Self::start(dir, database_url, None, env).await
    }

    /// The configuration this server was started with.
    pub fn config(&self) -> &Config {
        &self.services.config
    }

    /// Starts Parley on a fresh database, serving the built site in `site_root`
    /// (`LEPTOS_SITE_ROOT`) instead of the default `target/site`.
    pub async fn spawn_with_site(site_root: &std::path::Path) -> TestApp {
        let site_root = site_root.display().to_string();
        Self::spawn_configured(None, &[("LEPTOS_SITE_ROOT", &site_root)]).await
    }
}

/// The SQLite URL Parley uses by default in the data folder `dir`.
pub fn sqlite_url(dir: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("parley.db").display())
}

/// A configuration like the server's for `addr`, `data_dir` and `database_url`.
pub fn test_config(addr: &str, data_dir: &std::path::Path, database_url: &str, vars: &[(&str, &str)]) -> Config {
    let data_dir = data_dir.display().to_string();
    Config::from_lookup(|name| match name {
        "PARLEY_ADDR" => Some(addr.to_owned()),
        "PARLEY_DATA_DIR" => Some(data_dir.clone()),
        "DATABASE_URL" => Some(database_url.to_owned()),
        _ => vars.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned()),
    })
    .expect("config")
}

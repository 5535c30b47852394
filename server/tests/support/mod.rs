//! `TestApp`: a real Parley server on port 0 with a fresh database (SQLite in a temp
//! folder, or a new PostgreSQL database when `DATABASE_URL` is set), and clients that
//! talk to it over HTTP and WebSocket like the operator app and the widget do.

#![allow(dead_code, reason = "each test binary uses a different part of the harness")]

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use parley_services::workspaces::{CreateWorkspace, create_workspace};
use parley_services::{Config, Services};
use parley_types::{ClientEvent, ServerEvent, WidgetSession};
use reqwest::cookie::{CookieStore, Jar};
use sea_orm::{ConnectionTrait, Database};
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

pub struct TestApp {
    pub base: String,
    pub services: Services,
    database_url: String,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
}

/// A workspace created for a test.
pub struct TestWorkspace {
    pub key: String,
    pub email: String,
}

impl TestApp {
    /// Starts Parley on a fresh database.
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => fresh_postgres_database(&url).await,
            _ => format!("sqlite://{}?mode=rwc", dir.path().join("parley.db").display()),
        };
        Self::start(dir, database_url).await
    }

    async fn start(dir: tempfile::TempDir, database_url: String) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr").to_string();
        let data_dir = dir.path().display().to_string();
        let config = Config::from_lookup(|name| match name {
            "PARLEY_ADDR" => Some(addr.clone()),
            "PARLEY_DATA_DIR" => Some(data_dir.clone()),
            "DATABASE_URL" => Some(database_url.clone()),
            _ => None,
        })
        .expect("config");
        let services = Services::start(config).await.expect("services start");
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
        Self::start(dir, self.database_url.clone()).await
    }

    /// Creates a workspace whose widget may be embedded on `SITE`.
    pub async fn workspace(&self, name: &str) -> TestWorkspace {
        let email = format!("owner-{}@{}.test", name.to_lowercase(), name.to_lowercase());
        let created = create_workspace(
            &self.services.db,
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
        TestWorkspace { key: created.public_key, email }
    }

    /// A browser-like HTTP client with a cookie jar and no redirects followed.
    pub fn client(&self) -> (reqwest::Client, Arc<Jar>) {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        (client, jar)
    }

    /// Signs in and returns the operator's client.
    pub async fn operator(&self, ws: &TestWorkspace) -> Operator {
        let (client, jar) = self.client();
        let response = client
            .post(format!("{}/api/login", self.base))
            .form(&[("email", ws.email.as_str()), ("password", PASSWORD)])
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

    /// Opens the visitor's socket (from `SITE`) and resumes after `after_seq`, returning
    /// the socket once the replay is complete, with the replayed messages.
    pub async fn visitor_socket(
        &self,
        ws: &TestWorkspace,
        session: &WidgetSession,
        after_seq: i64,
    ) -> (Socket, Vec<parley_types::Message>) {
        let url = format!("{}/widget/v1/{}/ws?token={}", self.base.replace("http", "ws"), ws.key, session.token);
        let mut socket = Socket::connect(&url, &[("Origin", SITE)]).await;
        socket.send(&ClientEvent::Resume { conversation_id: None, after_seq }).await;
        let mut replayed = Vec::new();
        loop {
            match socket.next_event().await {
                ServerEvent::MessageCreated { message } => replayed.push(message),
                ServerEvent::Resumed { .. } => return (socket, replayed),
                other => panic!("unexpected event during replay: {other:?}"),
            }
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
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
    /// Calls a server function with form arguments.
    pub async fn call(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(format!("{}/api/{name}", self.base)).form(form).send().await.expect("server fn request")
    }

    /// The session cookie, as a `Cookie` header value.
    pub fn cookie(&self) -> String {
        let url = self.base.parse().expect("base url");
        self.jar.cookies(&url).and_then(|v| v.to_str().ok().map(str::to_owned)).unwrap_or_default()
    }

    /// Opens the operator socket with this session, from Parley's own origin.
    pub async fn socket(&self) -> Socket {
        let url = format!("{}/ws/operator", self.base.replace("http", "ws"));
        Socket::connect(&url, &[("Origin", self.base.as_str()), ("Cookie", self.cookie().as_str())]).await
    }
}

/// A WebSocket client speaking Parley's events.
pub struct Socket {
    inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    pub async fn connect(url: &str, headers: &[(&str, &str)]) -> Socket {
        match Self::try_connect(url, headers).await {
            Ok(socket) => socket,
            Err(err) => panic!("socket {url} refused: {err}"),
        }
    }

    pub async fn try_connect(
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
        let mut request = url.into_client_request()?;
        for (name, value) in headers {
            let name =
                tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).expect("header name");
            request.headers_mut().insert(name, HeaderValue::from_str(value).expect("header value"));
        }
        let (inner, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Socket { inner })
    }

    pub async fn send(&mut self, event: &ClientEvent) {
        let text = serde_json::to_string(event).expect("encode");
        self.inner.send(WsMessage::Text(text.into())).await.expect("socket send");
    }

    /// The next event, failing the test after `WAIT`.
    pub async fn next_event(&mut self) -> ServerEvent {
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
    pub async fn wait_for<T>(&mut self, mut pick: impl FnMut(ServerEvent) -> Option<T>) -> T {
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
        self.wait_for(|event| match event {
            ServerEvent::MessageCreated { message } if message.text == text => Some(message),
            _ => None,
        })
        .await
    }

    /// Waits for the server to close the socket and returns the close code.
    pub async fn close_code(&mut self) -> Option<u16> {
        loop {
            match tokio::time::timeout(WAIT, self.inner.next()).await.expect("timed out waiting for the close") {
                Some(Ok(WsMessage::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.inner.close(None).await;
    }
}

impl TestApp {
    /// Starts Parley on a fresh database, serving the built site in `site_root`
    /// (`LEPTOS_SITE_ROOT`) instead of the default `target/site`.
    pub async fn spawn_with_site(site_root: &std::path::Path) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => fresh_postgres_database(&url).await,
            _ => format!("sqlite://{}?mode=rwc", dir.path().join("parley.db").display()),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr").to_string();
        let data_dir = dir.path().display().to_string();
        let site_root = site_root.display().to_string();
        let config = Config::from_lookup(|name| match name {
            "PARLEY_ADDR" => Some(addr.clone()),
            "PARLEY_DATA_DIR" => Some(data_dir.clone()),
            "DATABASE_URL" => Some(database_url.clone()),
            "LEPTOS_SITE_ROOT" => Some(site_root.clone()),
            _ => None,
        })
        .expect("config");
        let services = Services::start(config).await.expect("services start");
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
            database_url,
            _dir: dir,
            stop: Some(stop),
            server: Some(server),
        }
    }
}

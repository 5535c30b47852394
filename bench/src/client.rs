//! The client side every mode shares: where to connect (Parley or the bare server), creating
//! widget visitors and logging operators in over HTTP, opening WebSockets (optionally from a
//! chosen source address) and the `resume` handshake.
//!
//! Both targets go through the same [`Endpoint`] → [`connect`] → [`resume`] path so that the
//! only difference between a Parley run and a bare run is the server.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt, stream};
use parley_types::{ClientEvent, ServerEvent, WidgetSession};
use reqwest::Url;
use reqwest::cookie::{CookieStore, Jar};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue, header};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};
use tokio_tungstenite::{WebSocketStream, client_async_with_config};

use crate::stats::ErrorCounters;

/// Any failure; the modes count these rather than stopping.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// An error with its chain of causes, `outer: inner: ...` (reqwest hides the useful part,
/// such as "connection refused", in the sources).
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// An open client WebSocket.
pub type Ws = WebSocketStream<TcpStream>;

/// Name of Parley's operator session cookie.
pub const SESSION_COOKIE: &str = "parley_session";

/// Read buffer of every client socket. tungstenite's default (128 KiB, zero-filled on the
/// first read) would cost the bench over a gigabyte for 10,000 idle sockets; the frames here
/// are small, and both targets get the same setting.
pub const CLIENT_READ_BUFFER: usize = 16 * 1024;

/// How long one handshake or resume may take before it counts as a timeout.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(15);

/// A WebSocket to open: the address to dial, the URL for the handshake and extra headers.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub url: String,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

/// A running Parley and the workspace the bench talks to.
#[derive(Debug, Clone)]
pub struct Parley {
    /// `http://host:port`, without a trailing slash.
    base: Url,
    /// The base as an `Origin` header value (what the operator app would send).
    base_origin: String,
    /// The widget's public key, `pk_...`.
    key: String,
    /// An origin the workspace allows for the widget.
    widget_origin: String,
    /// Resolved address of `base`.
    addr: SocketAddr,
    /// Shared client for visitor creation (no cookies).
    http: reqwest::Client,
}

/// Which server a run drives.
#[derive(Debug, Clone)]
pub enum Target {
    Parley(Parley),
    /// The bare broadcast server from [`crate::bare`].
    Bare {
        addr: SocketAddr,
    },
}

/// Someone that can open a visitor socket: a Parley widget token, or nothing for the bare
/// server.
#[derive(Debug, Clone)]
pub enum VisitorCred {
    Parley(WidgetSession),
    Bare,
}

impl Parley {
    /// Resolves `base` and prepares an HTTP client.
    pub async fn new(base: &str, key: &str, widget_origin: &str) -> Result<Self, BoxError> {
        let base = Url::parse(base.trim_end_matches('/'))?;
        if base.scheme() != "http" {
            return Err(format!("only http:// bases are supported, got {base}").into());
        }
        let host = base.host_str().ok_or("base URL has no host")?.to_owned();
        let port = base.port_or_known_default().ok_or("base URL has no port")?;
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port)).await?.collect();
        let addr = addrs
            .iter()
            .find(|a| a.is_ipv4())
            .or(addrs.first())
            .copied()
            .ok_or_else(|| format!("{host} does not resolve"))?;
        let http = reqwest::Client::builder().pool_max_idle_per_host(64).timeout(Duration::from_secs(30)).build()?;
        Ok(Parley {
            base_origin: base.origin().ascii_serialization(),
            base,
            key: key.to_owned(),
            widget_origin: widget_origin.to_owned(),
            addr,
            http,
        })
    }

    /// The server's TCP port (for finding its pid).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    fn url(&self, path: &str) -> Result<Url, BoxError> {
        Ok(self.base.join(path)?)
    }

    fn ws_url(&self, path: &str) -> Result<Url, BoxError> {
        let mut url = self.url(path)?;
        url.set_scheme("ws").map_err(|()| "cannot make a ws:// URL from the base")?;
        Ok(url)
    }

    /// `POST /widget/v1/{key}/visitors`: a new anonymous visitor.
    pub async fn create_visitor(&self) -> Result<WidgetSession, BoxError> {
        let url = self.url(&format!("/widget/v1/{}/visitors", self.key))?;
        let response = self.http.post(url).header(header::ORIGIN.as_str(), &self.widget_origin).send().await?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(format!("creating a visitor answered {status}: {}", snippet(&body)).into());
        }
        Ok(response.json().await?)
    }

    /// The visitor WebSocket for `session`.
    pub fn visitor_endpoint(&self, session: &WidgetSession) -> Result<Endpoint, BoxError> {
        let mut url = self.ws_url(&format!("/widget/v1/{}/ws", self.key))?;
        url.query_pairs_mut().append_pair("token", &session.token);
        Ok(Endpoint {
            addr: self.addr,
            url: url.into(),
            headers: vec![(header::ORIGIN, HeaderValue::from_str(&self.widget_origin)?)],
        })
    }

    /// Logs in with a fresh cookie jar (so every call makes its own session) and returns the
    /// operator WebSocket carrying that session.
    pub async fn login_operator(&self, email: &str, password: &str) -> Result<Endpoint, BoxError> {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()?;
        let response = client
            .post(self.url("/api/login")?)
            .header(header::ORIGIN.as_str(), &self.base_origin)
            .form(&[("email", email), ("password", password)])
            .send()
            .await?;
        let status = response.status();
        if !(status.is_success() || status.is_redirection()) {
            let body = response.text().await.unwrap_or_default();
            return Err(format!("login answered {status}: {}", snippet(&body)).into());
        }
        let cookies = jar
            .cookies(&self.base)
            .filter(|v| v.to_str().is_ok_and(|s| s.contains(&format!("{SESSION_COOKIE}="))))
            .ok_or_else(|| format!("login answered {status} but set no {SESSION_COOKIE} cookie (wrong password?)"))?;
        Ok(Endpoint {
            addr: self.addr,
            url: self.ws_url("/ws/operator")?.into(),
            headers: vec![
                (header::COOKIE, HeaderValue::from_bytes(cookies.as_bytes())?),
                (header::ORIGIN, HeaderValue::from_str(&self.base_origin)?),
            ],
        })
    }
}

impl Target {
    /// A short name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Target::Parley(_) => "parley",
            Target::Bare { .. } => "bare",
        }
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        match self {
            Target::Parley(p) => p.addr,
            Target::Bare { addr } => *addr,
        }
    }

    /// Creates `n` visitors with at most `concurrency` requests in flight. Failures are
    /// counted in `errors.http` and left out of the result.
    pub async fn create_visitors(&self, n: usize, concurrency: usize, errors: &ErrorCounters) -> Vec<VisitorCred> {
        let Target::Parley(parley) = self else {
            return vec![VisitorCred::Bare; n];
        };
        let mut first_error = true;
        let results: Vec<_> =
            stream::iter(0..n).map(|_| parley.create_visitor()).buffer_unordered(concurrency.max(1)).collect().await;
        let mut creds = Vec::with_capacity(n);
        for result in results {
            match result {
                Ok(session) => creds.push(VisitorCred::Parley(session)),
                Err(e) => {
                    ErrorCounters::bump(&errors.http);
                    if std::mem::take(&mut first_error) {
                        eprintln!("bench: creating a visitor failed: {}", describe(&*e));
                    }
                }
            }
        }
        creds
    }

    /// The WebSocket a visitor opens.
    pub fn visitor_endpoint(&self, cred: &VisitorCred) -> Result<Endpoint, BoxError> {
        match (self, cred) {
            (Target::Parley(p), VisitorCred::Parley(session)) => p.visitor_endpoint(session),
            (Target::Bare { addr }, _) => Ok(bare_endpoint(*addr, "/visitor")),
            (Target::Parley(_), VisitorCred::Bare) => Err("a Parley visitor needs a widget session".into()),
        }
    }

    /// `m` operator sockets; for Parley each logs in separately with the same credentials.
    /// Failed logins are counted and left out.
    pub async fn operator_endpoints(
        &self,
        m: usize,
        email: Option<&str>,
        password: Option<&str>,
        errors: &ErrorCounters,
    ) -> Result<Vec<Endpoint>, BoxError> {
        let parley = match self {
            Target::Bare { addr } => return Ok(vec![bare_endpoint(*addr, "/operator"); m]),
            Target::Parley(p) => p,
        };
        let (Some(email), Some(password)) = (email, password) else {
            return Err("--email and --password are needed to log operators in".into());
        };
        let mut endpoints = Vec::with_capacity(m);
        for i in 0..m {
            match parley.login_operator(email, password).await {
                Ok(ep) => endpoints.push(ep),
                Err(e) => {
                    ErrorCounters::bump(&errors.http);
                    eprintln!("bench: operator {i} login failed: {}", describe(&*e));
                    // A wrong password fails every time; stop before the login throttle trips.
                    if endpoints.is_empty() {
                        return Err(e);
                    }
                }
            }
        }
        Ok(endpoints)
    }
}

/// A path on the bare server.
pub fn bare_endpoint(addr: SocketAddr, path: &str) -> Endpoint {
    Endpoint { addr, url: format!("ws://{addr}{path}"), headers: Vec::new() }
}

/// Opens a TCP connection (from `source` when given, on an ephemeral port) and performs the
/// WebSocket handshake, both within [`HANDSHAKE_TIMEOUT`].
pub async fn connect(endpoint: &Endpoint, source: Option<IpAddr>) -> Result<Ws, ConnectError> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, connect_inner(endpoint, source)).await {
        Ok(result) => result.map_err(ConnectError::Failed),
        Err(_) => Err(ConnectError::Timeout),
    }
}

async fn connect_inner(endpoint: &Endpoint, source: Option<IpAddr>) -> Result<Ws, BoxError> {
    let socket = if endpoint.addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    if let Some(ip) = source {
        socket.bind(SocketAddr::new(ip, 0))?;
    }
    let stream = socket.connect(endpoint.addr).await?;
    stream.set_nodelay(true)?;
    let mut request = endpoint.url.as_str().into_client_request()?;
    for (name, value) in &endpoint.headers {
        request.headers_mut().insert(name.clone(), value.clone());
    }
    let config = WebSocketConfig::default().read_buffer_size(CLIENT_READ_BUFFER);
    let (ws, _response) = client_async_with_config(request, stream, Some(config)).await?;
    Ok(ws)
}

/// Why [`connect`] or [`resume`] failed.
#[derive(Debug)]
pub enum ConnectError {
    Timeout,
    Failed(BoxError),
}

impl ConnectError {
    /// Adds this failure to the matching counter.
    pub fn count(&self, errors: &ErrorCounters) {
        match self {
            ConnectError::Timeout => ErrorCounters::bump(&errors.timeout),
            ConnectError::Failed(_) => ErrorCounters::bump(&errors.connect),
        }
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectError::Timeout => write!(f, "timed out after {HANDSHAKE_TIMEOUT:?}"),
            ConnectError::Failed(e) => f.write_str(&describe(&**e)),
        }
    }
}

/// A client event as a text frame.
pub fn frame(event: &ClientEvent) -> Message {
    // Serialising these plain structs cannot fail.
    Message::Text(Utf8Bytes::from(serde_json::to_string(event).unwrap_or_default()))
}

/// A server event from a text frame, `None` if it does not parse.
pub fn parse_event(text: &str) -> Option<ServerEvent> {
    serde_json::from_str(text).ok()
}

/// Sends `resume` (from the start, no conversation named) and waits for `resumed`, skipping
/// any replayed events, within [`HANDSHAKE_TIMEOUT`].
pub async fn resume(ws: &mut Ws) -> Result<(), ConnectError> {
    let wait = async {
        ws.send(frame(&ClientEvent::Resume { conversation_id: None, after_seq: 0 })).await?;
        while let Some(message) = ws.next().await {
            match message? {
                Message::Text(text) => match parse_event(&text) {
                    Some(ServerEvent::Resumed { .. }) => return Ok(()),
                    Some(ServerEvent::Error { message }) => {
                        return Err(format!("server refused resume: {message}").into());
                    }
                    _ => {}
                },
                Message::Close(close) => return Err(format!("closed during resume: {close:?}").into()),
                _ => {}
            }
        }
        Err::<(), BoxError>("socket ended during resume".into())
    };
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, wait).await {
        Ok(result) => result.map_err(ConnectError::Failed),
        Err(_) => Err(ConnectError::Timeout),
    }
}

/// The first 200 characters of a response body on one line, for error messages.
fn snippet(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect()
}

/// The `index`-th source address counting up from `first` (127.0.0.2, 127.0.0.3, ...),
/// `per_source` sockets each.
pub fn source_address(first: std::net::Ipv4Addr, index: usize, per_source: usize) -> IpAddr {
    let step = (index / per_source.max(1)) as u32;
    IpAddr::V4(std::net::Ipv4Addr::from(u32::from(first).wrapping_add(step)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn source_addresses_fill_one_address_then_move_on() {
        let first = Ipv4Addr::new(127, 0, 0, 2);
        assert_eq!(source_address(first, 0, 20_000), IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
        assert_eq!(source_address(first, 19_999, 20_000), IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
        assert_eq!(source_address(first, 20_000, 20_000), IpAddr::V4(Ipv4Addr::new(127, 0, 0, 3)));
        assert_eq!(source_address(first, 2 * 256 * 20_000, 20_000), IpAddr::V4(Ipv4Addr::new(127, 0, 2, 2)));
    }

    /// A stand-in for Parley's HTTP and WebSocket endpoints, recording what it was sent.
    mod mock {
        use std::sync::{Arc, Mutex};

        use futures_util::{SinkExt, StreamExt};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        use tokio::net::{TcpListener, TcpStream};
        use tokio_tungstenite::tungstenite::Message;
        use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

        pub type Log = Arc<Mutex<Vec<String>>>;

        pub async fn start() -> (std::net::SocketAddr, Log) {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let log = Log::default();
            let accept_log = log.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(connection(stream, accept_log.clone()));
                }
            });
            (addr, log)
        }

        #[allow(clippy::result_large_err)] // tungstenite's callback signature
        async fn connection(mut stream: TcpStream, log: Log) {
            // Peek at the head so a WebSocket upgrade can still be handed to tungstenite whole.
            let mut buf = vec![0u8; 8192];
            let head_len = loop {
                let n = stream.peek(&mut buf).await.unwrap();
                if let Some(i) = buf[..n].windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_len]).to_lowercase();
            if head.contains("upgrade: websocket") {
                let mut seen = String::new();
                let mut ws = tokio_tungstenite::accept_hdr_async(stream, |req: &Request, res: Response| {
                    let h =
                        |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
                    seen = format!("WS {} cookie={} origin={}", req.uri(), h("cookie"), h("origin"));
                    Ok(res)
                })
                .await
                .unwrap();
                log.lock().unwrap().push(seen);
                while let Some(Ok(frame)) = ws.next().await {
                    if let Message::Text(t) = frame {
                        log.lock().unwrap().push(format!("FRAME {t}"));
                        if t.contains(r#""type":"resume""#) {
                            let reply = r#"{"type":"resumed","conversation_id":null,"last_seq":0}"#;
                            ws.send(Message::text(reply)).await.unwrap();
                        }
                    }
                }
                return;
            }
            let mut raw = vec![0u8; head_len];
            stream.read_exact(&mut raw).await.unwrap();
            let length =
                head.lines().find_map(|l| l.strip_prefix("content-length:")).map_or(0, |v| v.trim().parse().unwrap());
            let mut body = vec![0u8; length];
            stream.read_exact(&mut body).await.unwrap();
            let body = String::from_utf8(body).unwrap();
            let request_line = head.lines().next().unwrap().to_owned();
            let origin = head.lines().find_map(|l| l.strip_prefix("origin: ")).unwrap_or("-").to_owned();
            log.lock().unwrap().push(format!("{request_line} origin={origin} body={body}"));
            let response = if request_line.starts_with("post /api/login ") {
                if body.contains("password=pw") {
                    "HTTP/1.1 302 Found\r\nLocation: /\r\nSet-Cookie: parley_session=s3cr3t; Path=/; HttpOnly; SameSite=Lax\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
                } else {
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".to_owned()
                }
            } else if request_line.starts_with("post /widget/v1/pk_test/visitors ") {
                let json = r#"{"token":"tok 1","contact_id":7,"workspace_name":"Bench"}"#;
                format!(
                    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                    json.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
            };
            stream.write_all(response.as_bytes()).await.unwrap();
            let _ = stream.shutdown().await;
        }
    }

    #[tokio::test]
    async fn speaks_parleys_http_and_websocket_api() {
        let (addr, log) = mock::start().await;
        let base = format!("http://{addr}");
        let parley = Parley::new(&format!("{base}/"), "pk_test", "http://bench.local").await.unwrap();

        let session = parley.create_visitor().await.unwrap();
        assert_eq!((session.token.as_str(), session.contact_id.0), ("tok 1", 7));
        let mut visitor = connect(&parley.visitor_endpoint(&session).unwrap(), None).await.unwrap();
        resume(&mut visitor).await.unwrap();

        let operator = parley.login_operator("op@example.com", "pw").await.unwrap();
        let mut operator = connect(&operator, Some("127.0.0.1".parse().unwrap())).await.unwrap();
        operator.close(None).await.unwrap();
        visitor.close(None).await.unwrap();

        let err = parley.login_operator("op@example.com", "wrong").await.unwrap_err();
        assert!(err.to_string().contains("set no parley_session cookie"), "{err}");

        tokio::time::sleep(Duration::from_millis(100)).await;
        let log = log.lock().unwrap().clone();
        let expected = [
            "post /widget/v1/pk_test/visitors http/1.1 origin=http://bench.local body=".to_owned(),
            "WS /widget/v1/pk_test/ws?token=tok+1 cookie=- origin=http://bench.local".to_owned(),
            r#"FRAME {"type":"resume","conversation_id":null,"after_seq":0}"#.to_owned(),
            format!("post /api/login http/1.1 origin={base} body=email=op%40example.com&password=pw"),
            format!("WS /ws/operator cookie=parley_session=s3cr3t origin={base}"),
        ];
        for line in &expected {
            assert!(log.contains(line), "missing {line:?} in {log:#?}");
        }
    }

    #[test]
    fn resume_frame_matches_the_protocol() {
        let Message::Text(text) = frame(&ClientEvent::Resume { conversation_id: None, after_seq: 0 }) else {
            panic!("not a text frame");
        };
        assert_eq!(text.as_str(), r#"{"type":"resume","conversation_id":null,"after_seq":0}"#);
    }
}

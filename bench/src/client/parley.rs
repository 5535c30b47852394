//! Parley's HTTP API as the bench uses it: creating widget visitors, logging operators in,
//! and the visitor and operator WebSocket endpoints those sessions open.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use parley_types::WidgetSession;
use reqwest::Url;
use reqwest::cookie::{CookieStore, Jar};
use tokio_tungstenite::tungstenite::http::{HeaderValue, header};

use super::{BoxError, Endpoint, SESSION_COOKIE};

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
    pub(super) addr: SocketAddr,
    /// Shared client for visitor creation (no cookies).
    http: reqwest::Client,
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
        let url = self.ws_url(&format!("/widget/v1/{}/ws", self.key))?;
        // The token travels as a subprotocol, as the widget sends it (never in the URL).
        let protocols = format!("parley.v1, token.{}", session.token);
        Ok(Endpoint {
            addr: self.addr,
            url: url.into(),
            headers: vec![
                (header::ORIGIN, HeaderValue::from_str(&self.widget_origin)?),
                (header::SEC_WEBSOCKET_PROTOCOL, HeaderValue::from_str(&protocols)?),
            ],
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

    /// Signs a member in and keeps their session for HTTP calls (server functions, the
    /// import endpoint), like the operator app in a browser: a cookie jar, Parley's own
    /// `Origin` on every request. `timeout` bounds each request (a 100k-row dry run is slow).
    pub async fn sign_in(&self, email: &str, password: &str, timeout: Duration) -> Result<MemberSession, BoxError> {
        let jar = Arc::new(Jar::default());
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, reqwest::header::HeaderValue::from_str(&self.base_origin)?);
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .build()?;
        let response =
            client.post(self.url("/api/login")?).form(&[("email", email), ("password", password)]).send().await?;
        let status = response.status();
        if !(status.is_success() || status.is_redirection()) {
            let body = response.text().await.unwrap_or_default();
            return Err(format!("login answered {status}: {}", snippet(&body)).into());
        }
        let signed_in = jar
            .cookies(&self.base)
            .is_some_and(|v| v.to_str().is_ok_and(|s| s.contains(&format!("{SESSION_COOKIE}="))));
        if !signed_in {
            return Err(format!("login answered {status} but set no {SESSION_COOKIE} cookie (wrong password?)").into());
        }
        Ok(MemberSession { client, base: self.base.clone() })
    }
}

/// A signed-in member's HTTP client (see [`Parley::sign_in`]).
#[derive(Debug, Clone)]
pub struct MemberSession {
    client: reqwest::Client,
    base: Url,
}

impl MemberSession {
    /// `POST /api/{name}` with a form body (a Leptos server function), answering the JSON
    /// it returns; an error status is an error carrying the start of the body.
    pub async fn call<T: serde::de::DeserializeOwned>(&self, name: &str, form: &[(&str, &str)]) -> Result<T, BoxError> {
        let response = self.client.post(self.base.join(&format!("/api/{name}"))?).form(form).send().await?;
        json_of(response, name).await
    }

    /// `POST {path_and_query}` with `body` as is, answering the JSON it returns.
    pub async fn post_body<T: serde::de::DeserializeOwned>(
        &self,
        path_and_query: &str,
        body: impl Into<reqwest::Body>,
    ) -> Result<T, BoxError> {
        let response = self.client.post(self.base.join(path_and_query)?).body(body).send().await?;
        json_of(response, path_and_query).await
    }
}

async fn json_of<T: serde::de::DeserializeOwned>(response: reqwest::Response, what: &str) -> Result<T, BoxError> {
    let status = response.status();
    let body = response.text().await?;
    if !status.is_success() {
        return Err(format!("{what} answered {status}: {}", snippet(&body)).into());
    }
    serde_json::from_str(&body).map_err(|e| format!("{what}: unexpected answer ({e}): {}", snippet(&body)).into())
}

/// The first 200 characters of a response body on one line, for error messages.
fn snippet(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{connect, resume};

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
                let mut ws = tokio_tungstenite::accept_hdr_async(stream, |req: &Request, mut res: Response| {
                    let h =
                        |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
                    let protocol = h("sec-websocket-protocol");
                    seen =
                        format!("WS {} cookie={} origin={} protocol={protocol}", req.uri(), h("cookie"), h("origin"));
                    if protocol != "-" {
                        res.headers_mut().insert("sec-websocket-protocol", "parley.v1".parse().unwrap());
                    }
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
            "WS /widget/v1/pk_test/ws cookie=- origin=http://bench.local protocol=parley.v1, token.tok 1".to_owned(),
            r#"FRAME {"type":"resume","conversation_id":null,"after_seq":0}"#.to_owned(),
            format!("post /api/login http/1.1 origin={base} body=email=op%40example.com&password=pw"),
            format!("WS /ws/operator cookie=parley_session=s3cr3t origin={base} protocol=-"),
        ];
        for line in &expected {
            assert!(log.contains(line), "missing {line:?} in {log:#?}");
        }
    }
}

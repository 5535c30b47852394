//! The client side every mode shares: where to connect (Parley or the bare server), creating
//! widget visitors and logging operators in over HTTP, opening WebSockets (optionally from a
//! chosen source address) and the `resume` handshake.
//!
//! Both targets go through the same [`Endpoint`] → [`connect`] → [`resume`] path so that the
//! only difference between a Parley run and a bare run is the server. This module holds that
//! path; [`parley`] speaks Parley's HTTP API and [`target`] picks between the two servers.

mod parley;
mod target;

pub use parley::{MemberSession, Parley};
pub use target::{Target, VisitorCred};

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use parley_types::{ClientEvent, Message as ChatMessage, OperatorEvent, VisitorEvent};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
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

/// The events the load generator times or acts on, by their `type`.
const READ: [&str; 5] = ["message_created", "message_arriving", "conversation_arriving", "resumed", "error"];

/// A server event from a text frame, `None` if it does not parse. Frames of other types
/// (an operator gets a summary and counts with every message) are told by their tag,
/// which serde writes first, and not parsed further: the generator shares the CPU with
/// the server it measures, and the bare server sends none of them.
pub fn parse_event(text: &str) -> Option<Seen> {
    let tag = text.strip_prefix(r#"{"type":""#).and_then(|rest| rest.split_once('"')).map(|(tag, _)| tag);
    if tag.is_some_and(|tag| !READ.contains(&tag)) {
        return Some(Seen::Other);
    }
    if let Ok(event) = serde_json::from_str::<OperatorEvent>(text) {
        return Some(match event {
            OperatorEvent::MessageCreated { message } => Seen::Message(message),
            OperatorEvent::MessageArriving { client_id, text, .. }
            | OperatorEvent::ConversationArriving { client_id, text, .. } => Seen::Arriving { client_id, text },
            OperatorEvent::Resumed { .. } => Seen::Resumed,
            OperatorEvent::Error(error) => Seen::Error(error.message),
            _ => Seen::Other,
        });
    }
    Some(match serde_json::from_str::<VisitorEvent>(text).ok()? {
        VisitorEvent::MessageCreated { message } => Seen::Message(message),
        VisitorEvent::Resumed { .. } => Seen::Resumed,
        VisitorEvent::Error(error) => Seen::Error(error.message),
        _ => Seen::Other,
    })
}

/// What the load generator cares about in an operator or visitor event.
#[derive(Debug)]
pub enum Seen {
    Message(ChatMessage),
    /// A visitor's message shown to operators while it is being stored.
    Arriving {
        client_id: String,
        text: String,
    },
    Resumed,
    Error(String),
    Other,
}

/// Sends `resume` (from the start, no conversation named) and waits for `resumed`, skipping
/// any replayed events, within [`HANDSHAKE_TIMEOUT`].
pub async fn resume(ws: &mut Ws) -> Result<(), ConnectError> {
    let wait = async {
        ws.send(frame(&ClientEvent::Resume { conversation_id: None, after_seq: 0 })).await?;
        while let Some(message) = ws.next().await {
            match message? {
                Message::Text(text) => match parse_event(&text) {
                    Some(Seen::Resumed) => return Ok(()),
                    Some(Seen::Error(message)) => {
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

    #[test]
    fn frames_are_told_by_their_tag_and_timed_ones_parsed() {
        let arriving = OperatorEvent::ConversationArriving {
            contact_id: parley_types::ContactId(7),
            contact_name: "Ada".into(),
            client_id: "c-1".into(),
            text: "hello".into(),
            created_at_ms: 1,
        };
        let json = serde_json::to_string(&arriving).unwrap();
        assert!(
            matches!(parse_event(&json), Some(Seen::Arriving { client_id, text }) if client_id == "c-1" && text == "hello"),
            "{json}"
        );
        let untimed = serde_json::to_string(&OperatorEvent::SavedViewsChanged).unwrap();
        assert!(matches!(parse_event(&untimed), Some(Seen::Other)), "{untimed}");
        assert!(parse_event(r#"{"type":"message_created","message":1}"#).is_none(), "a timed frame is checked");
    }

    #[test]
    fn resume_frame_matches_the_protocol() {
        let Message::Text(text) = frame(&ClientEvent::Resume { conversation_id: None, after_seq: 0 }) else {
            panic!("not a text frame");
        };
        assert_eq!(text.as_str(), r#"{"type":"resume","conversation_id":null,"after_seq":0}"#);
    }
}

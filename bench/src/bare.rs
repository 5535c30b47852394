//! A bare tokio-tungstenite broadcast server: the latency baseline Parley is compared with.
//!
//! It speaks just enough of Parley's protocol for the same client code to drive it:
//! sockets on `/visitor` may `resume` (answered with `resumed`) and `send` (answered by a
//! `message_created` echo to the sender and a broadcast of the same frame to every socket on
//! `/operator`). It parses and serialises the same JSON types Parley does, but stores
//! nothing, checks nothing and keeps no per-conversation state beyond a counter, so the
//! difference to Parley is what Parley does on top of moving frames.
//!
//! The load and idle modes run it as a child process of the bench binary (`bench
//! bare-server`), so it has its own runtime, its own memory figure and the same process
//! boundary to the clients as Parley.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use parley_types::{Author, ClientEvent, ConversationId, Message, MessageId, VisitorEvent};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::client::BoxError;

/// Frames buffered per operator before a slow operator starts losing them.
const BROADCAST_CAPACITY: usize = 16 * 1024;

/// State shared by every connection.
struct Hub {
    operators: broadcast::Sender<Utf8Bytes>,
    next_message_id: AtomicI64,
    next_conversation_id: AtomicI64,
    /// Frames operators missed because they lagged behind.
    lagged: AtomicU64,
}

/// How the bare server is run.
#[derive(Debug, Clone, Copy, Default)]
pub struct BareOptions {
    /// Runtime worker threads (default: tokio's, one per core).
    pub threads: Option<usize>,
    /// Per-socket read buffer (default: tungstenite's, 128 KiB).
    pub read_buffer: Option<usize>,
}

/// The line the child prints on stdout once it listens.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ready {
    pub addr: SocketAddr,
    pub pid: u32,
}

/// Serves on `listener` until the process ends; `read_buffer` overrides tungstenite's
/// per-socket read buffer size.
pub async fn serve(listener: TcpListener, read_buffer: Option<usize>) {
    let config = read_buffer.map(|n| WebSocketConfig::default().read_buffer_size(n));
    let (operators, _) = broadcast::channel(BROADCAST_CAPACITY);
    let hub = Arc::new(Hub {
        operators,
        next_message_id: AtomicI64::new(1),
        next_conversation_id: AtomicI64::new(1),
        lagged: AtomicU64::new(0),
    });
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let hub = hub.clone();
                tokio::spawn(async move {
                    let _ = stream.set_nodelay(true);
                    if let Err(e) = handle(stream, hub, config).await {
                        // Clients closing mid-run are normal at the end of a bench; stay quiet
                        // unless asked.
                        if std::env::var_os("BENCH_BARE_DEBUG").is_some() {
                            eprintln!("bare: connection ended with {e}");
                        }
                    }
                });
            }
            // Out of file descriptors and the like: back off instead of spinning.
            Err(e) => {
                eprintln!("bare: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn handle(stream: TcpStream, hub: Arc<Hub>, config: Option<WebSocketConfig>) -> Result<(), BoxError> {
    let mut path = String::new();
    // The callback's error type is tungstenite's, not ours to shrink.
    #[allow(clippy::result_large_err)]
    let callback = |request: &Request, response: Response| {
        path = request.uri().path().to_owned();
        Ok(response)
    };
    let ws = tokio_tungstenite::accept_hdr_async_with_config(stream, callback, config).await?;
    match path.as_str() {
        "/visitor" => visitor(ws, &hub).await,
        "/operator" => operator(ws, &hub).await,
        _ => {
            let mut ws = ws;
            ws.close(None).await?;
            Ok(())
        }
    }
}

type ServerWs = tokio_tungstenite::WebSocketStream<TcpStream>;

fn text(event: &VisitorEvent) -> Utf8Bytes {
    Utf8Bytes::from(serde_json::to_string(event).unwrap_or_default())
}

async fn visitor(mut ws: ServerWs, hub: &Hub) -> Result<(), BoxError> {
    let conversation_id = ConversationId(hub.next_conversation_id.fetch_add(1, Ordering::Relaxed));
    let mut seq = 0;
    while let Some(frame) = ws.next().await {
        let Frame::Text(body) = frame? else { continue };
        let reply = match serde_json::from_str::<ClientEvent>(&body) {
            Ok(ClientEvent::Resume { .. }) => {
                text(&VisitorEvent::Resumed { conversation_id: (seq > 0).then_some(conversation_id), last_seq: seq })
            }
            Ok(ClientEvent::Send { client_id, text: message_text, .. }) => {
                seq += 1;
                let created_at_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
                let event = text(&VisitorEvent::MessageCreated {
                    message: Message {
                        id: MessageId(hub.next_message_id.fetch_add(1, Ordering::Relaxed)),
                        conversation_id,
                        seq,
                        author: Author::Visitor,
                        author_name: None,
                        text: message_text,
                        client_id: Some(client_id),
                        created_at_ms,
                        internal: false,
                        attachments: Vec::new(),
                        phrase: None,
                    },
                });
                // No receivers is fine (no operators yet).
                let _ = hub.operators.send(event.clone());
                event
            }
            Ok(
                ClientEvent::Typing { .. }
                | ClientEvent::Viewing { .. }
                | ClientEvent::Read { .. }
                | ClientEvent::Page { .. },
            ) => continue,
            Err(e) => text(&VisitorEvent::Error(parley_types::ApiError::invalid(format!("bad event: {e}")))),
        };
        ws.send(Frame::Text(reply)).await?;
    }
    Ok(())
}

async fn operator(mut ws: ServerWs, hub: &Hub) -> Result<(), BoxError> {
    let mut events = hub.operators.subscribe();
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(body) => ws.send(Frame::Text(body)).await?,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let total = hub.lagged.fetch_add(n, Ordering::Relaxed) + n;
                    eprintln!("bare: an operator lagged and lost {n} frames ({total} in all)");
                }
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
            frame = ws.next() => match frame {
                None | Some(Ok(Frame::Close(_))) => return Ok(()),
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(_)) => {}
            },
        }
    }
}

/// The `bare-server` subcommand: listens on `addr`, prints a [`Ready`] line and serves until
/// killed or until stdin closes (so it never outlives the bench that started it).
pub async fn run_server(addr: SocketAddr, read_buffer: Option<usize>, exit_on_stdin_eof: bool) -> Result<(), BoxError> {
    let listener = TcpListener::bind(addr).await?;
    let ready = Ready { addr: listener.local_addr()?, pid: std::process::id() };
    println!("{}", serde_json::to_string(&ready)?);
    if exit_on_stdin_eof {
        // A plain thread: blocking stdin is simplest and needs no tokio io-std.
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
            std::process::exit(0);
        });
    }
    serve(listener, read_buffer).await;
    Ok(())
}

/// A bare server running as a child process.
pub struct BareChild {
    child: Child,
    pub addr: SocketAddr,
    pub pid: u32,
}

impl BareChild {
    /// Starts `<this binary> bare-server --addr 127.0.0.1:0 --exit-on-stdin-eof` and waits
    /// for its ready line.
    pub async fn spawn(options: BareOptions) -> Result<Self, BoxError> {
        let exe = std::env::current_exe()?;
        let mut command = Command::new(exe);
        command
            .args(["bare-server", "--addr", "127.0.0.1:0", "--exit-on-stdin-eof"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true);
        if let Some(threads) = options.threads {
            command.args(["--threads", &threads.to_string()]);
        }
        if let Some(bytes) = options.read_buffer {
            command.args(["--read-buffer-bytes", &bytes.to_string()]);
        }
        let mut child = command.spawn()?;
        let stdout = child.stdout.take().ok_or("bare server has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
            .await
            .map_err(|_| "bare server did not report its address within 10 s")??
            .ok_or("bare server exited before reporting its address")?;
        let ready: Ready = serde_json::from_str(&line)?;
        Ok(BareChild { child, addr: ready.addr, pid: ready.pid })
    }

    /// Closes its stdin (it exits on its own) and kills it if it has not after two seconds.
    pub async fn stop(mut self) {
        drop(self.child.stdin.take());
        if tokio::time::timeout(Duration::from_secs(2), self.child.wait()).await.is_err() {
            let _ = self.child.kill().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{self, bare_endpoint};

    async fn next_event(ws: &mut client::Ws) -> client::Seen {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.unwrap().unwrap().unwrap();
            if let Frame::Text(text) = frame {
                return client::parse_event(&text).unwrap();
            }
        }
    }

    #[tokio::test]
    async fn echoes_to_the_visitor_and_broadcasts_to_operators() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve(listener, None));

        let mut operators = Vec::new();
        for _ in 0..2 {
            operators.push(client::connect(&bare_endpoint(addr, "/operator"), None).await.unwrap());
        }
        let mut visitor = client::connect(&bare_endpoint(addr, "/visitor"), None).await.unwrap();
        client::resume(&mut visitor).await.unwrap();
        // The operators subscribe right after their handshake; give them a moment.
        tokio::time::sleep(Duration::from_millis(50)).await;

        let send = ClientEvent::Send { client_id: "c-1".into(), text: "hello".into(), attachments: vec![] };
        visitor.send(client::frame(&send)).await.unwrap();
        for ws in operators.iter_mut().chain(std::iter::once(&mut visitor)) {
            let client::Seen::Message(message) = next_event(ws).await else { panic!("not message_created") };
            assert_eq!((message.client_id.as_deref(), message.text.as_str(), message.seq), (Some("c-1"), "hello", 1));
        }

        visitor.send(Frame::text("not json")).await.unwrap();
        assert!(matches!(next_event(&mut visitor).await, client::Seen::Error(_)));
    }
}

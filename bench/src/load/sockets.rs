//! The sockets of a load run: connecting and resuming the visitors, then one task per
//! visitor socket (sending on its [`Schedule`], recording echoes) and one per operator socket
//! (recording deliveries).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt, stream};
use parley_types::ClientEvent;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;

use super::tracker::Tracker;
use crate::client::{self, BoxError, Endpoint, Target, Ws};
use crate::stats::ErrorCounters;

/// When one visitor sends.
#[derive(Debug, Clone, Copy)]
pub(super) struct Schedule {
    pub(super) first: tokio::time::Instant,
    pub(super) interval: Duration,
    pub(super) end: tokio::time::Instant,
}

/// Opens and resumes a socket per visitor, `concurrency` at a time; failures are counted.
pub(super) async fn connect_visitors(
    target: &Target,
    creds: &[client::VisitorCred],
    concurrency: usize,
    errors: &ErrorCounters,
) -> Vec<Ws> {
    let endpoints: Vec<Endpoint> = creds
        .iter()
        .filter_map(|c| match target.visitor_endpoint(c) {
            Ok(ep) => Some(ep),
            Err(e) => {
                eprintln!("bench: {e}");
                ErrorCounters::bump(&errors.connect);
                None
            }
        })
        .collect();
    let mut reported = false;
    let results: Vec<_> = stream::iter(endpoints.iter())
        .map(|ep| async move {
            let mut ws = client::connect(ep, None).await?;
            client::resume(&mut ws).await?;
            Ok::<_, client::ConnectError>(ws)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    results
        .into_iter()
        .filter_map(|r| match r {
            Ok(ws) => Some(ws),
            Err(e) => {
                e.count(errors);
                if !std::mem::replace(&mut reported, true) {
                    eprintln!("bench: visitor socket failed: {e}");
                }
                None
            }
        })
        .collect()
}

/// Sends one untimed message from every visitor and waits for its echo, `concurrency` at a
/// time, so each visitor's conversation exists before the timed window: it then measures
/// messages into open conversations (a first message also creates its conversation, a
/// different write, and all visitors' first messages would land in the window's first
/// moments). Visitors whose warm-up fails are left out and counted.
pub(super) async fn warm_up(visitors: Vec<Ws>, concurrency: usize, errors: &ErrorCounters) -> Vec<Ws> {
    let results: Vec<_> = stream::iter(visitors.into_iter().enumerate())
        .map(|(i, mut ws)| async move {
            let client_id = format!("warm-up-{i}");
            let event = ClientEvent::Send { client_id: client_id.clone(), text: "warm-up".into(), attachments: vec![] };
            ws.send(client::frame(&event)).await?;
            let echoed = async {
                while let Some(frame) = ws.next().await {
                    if let Message::Text(text) = frame?
                        && let Some(client::Seen::Message(message)) = client::parse_event(&text)
                        && message.client_id.as_deref() == Some(client_id.as_str())
                    {
                        return Ok(());
                    }
                }
                Err::<(), BoxError>("the socket closed during the warm-up".into())
            };
            tokio::time::timeout(client::HANDSHAKE_TIMEOUT, echoed).await.map_err(|_| "the warm-up timed out")??;
            Ok::<Ws, BoxError>(ws)
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let mut reported = false;
    results
        .into_iter()
        .filter_map(|result| match result {
            Ok(ws) => Some(ws),
            Err(e) => {
                ErrorCounters::bump(&errors.send);
                if !std::mem::replace(&mut reported, true) {
                    eprintln!("bench: a visitor's warm-up failed: {e}");
                }
                None
            }
        })
        .collect()
}

/// Sends on schedule until `schedule.end`, records echoes, and keeps reading until stopped.
pub(super) async fn visitor_task(ws: Ws, schedule: Schedule, t: Arc<Tracker>, mut stop: watch::Receiver<bool>) {
    let (mut sink, mut stream) = ws.split();
    let mut next = schedule.first;
    let mut sending = next < schedule.end;
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            _ = tokio::time::sleep_until(next), if sending => {
                let Some(n) = t.allocate() else { sending = false; continue };
                let lag = tokio::time::Instant::now().saturating_duration_since(next);
                t.max_lag_ns.fetch_max(lag.as_nanos() as u64, Ordering::Relaxed);
                let client_id = format!("{}{n}", t.prefix);
                let text = format!("{client_id} load test message");
                let frame = client::frame(&ClientEvent::Send { client_id, text, attachments: vec![] });
                t.sent_at[n].store(t.now(), Ordering::Release);
                t.sent.fetch_add(1, Ordering::Relaxed);
                if sink.send(frame).await.is_err() {
                    t.sent.fetch_sub(1, Ordering::Relaxed);
                    t.sent_at[n].store(0, Ordering::Release);
                    ErrorCounters::bump(&t.errors.send);
                    break;
                }
                next += schedule.interval;
                sending = next < schedule.end;
            }
            frame = stream.next() => {
                if !on_frame(&t, frame, "a visitor", |n| t.on_echo(n), |_| {}) {
                    return;
                }
            }
        }
    }
    let _ = sink.send(Message::Close(None)).await;
}

/// Records every `message_created` of this run until stopped.
pub(super) async fn operator_task(mut ws: Ws, primary: bool, t: Arc<Tracker>, mut stop: watch::Receiver<bool>) {
    let mut seen = vec![false; t.sent_at.len()];
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            frame = ws.next() => {
                let on_arriving = |n| t.on_arriving(n, primary);
                if !on_frame(&t, frame, "an operator", |n| t.on_delivery(n, primary, &mut seen), on_arriving) {
                    return;
                }
            }
        }
    }
    let _ = ws.close(None).await;
}

/// Handles one frame read from a visitor or operator socket: a `message_created` of this
/// run is passed to `on_message` by its message number; errors are counted. Returns
/// `false` when the socket is finished.
fn on_frame(
    t: &Tracker,
    frame: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    side: &str,
    mut on_message: impl FnMut(usize),
    on_arriving: impl Fn(usize),
) -> bool {
    match frame {
        Some(Ok(Message::Text(body))) => match client::parse_event(&body) {
            Some(client::Seen::Message(message)) => {
                if let Some(n) = t.message_number(message.client_id.as_deref(), &message.text) {
                    on_message(n);
                }
            }
            Some(client::Seen::Arriving { client_id, text }) => {
                if let Some(n) = t.message_number(Some(&client_id), &text) {
                    on_arriving(n);
                }
            }
            Some(client::Seen::Error(message)) => {
                ErrorCounters::bump(&t.errors.protocol);
                eprintln!("bench: server error on {side} socket: {message}");
            }
            Some(_) => {}
            None => ErrorCounters::bump(&t.errors.protocol),
        },
        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
            ErrorCounters::bump(&t.errors.receive);
            return false;
        }
        Some(Ok(_)) => {}
    }
    true
}

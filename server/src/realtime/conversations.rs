//! The conversation feature's part of the sockets: its stream (a conversation's messages)
//! and its frames (`resume`, `send`, `typing`) on the operator and the visitor socket.
//! A new module copies this file: a stream source per socket kind if it streams, a frame
//! handler per socket kind if clients send it frames, and one `register` line in
//! [`super::Realtime::new`].

use parley_services::{ServiceError, conversations, presence};
use parley_types::{ClientEvent, ConversationId, Message, OperatorEvent, VisitorEvent, phrase};

use super::frames::{FrameHandler, Handled, SocketCx};
use super::limits::{self, FrameKind};
use super::streams::{BoxFuture, StreamKey, StreamSource};
use super::{Realtime, SocketEvent};

/// Registers the conversation feature on both socket kinds.
pub fn register(realtime: &mut Realtime) {
    realtime.operator.streams.register(MessageStream);
    realtime.operator.frames(OperatorFrames);
    realtime.visitor.streams.register(MessageStream);
    realtime.visitor.frames(VisitorFrames);
}

/// The socket events that carry a conversation's messages.
trait MessageEvent: SocketEvent {
    fn message_created(message: Message) -> Self;
    fn as_message(&self) -> Option<&Message>;
}

impl MessageEvent for OperatorEvent {
    fn message_created(message: Message) -> Self {
        OperatorEvent::MessageCreated { message }
    }
    fn as_message(&self) -> Option<&Message> {
        match self {
            OperatorEvent::MessageCreated { message } => Some(message),
            _ => None,
        }
    }
}

impl MessageEvent for VisitorEvent {
    fn message_created(message: Message) -> Self {
        VisitorEvent::MessageCreated { message }
    }
    fn as_message(&self) -> Option<&Message> {
        match self {
            VisitorEvent::MessageCreated { message } => Some(message),
            _ => None,
        }
    }
}

/// A conversation's messages, by `seq`.
struct MessageStream;

impl<E: MessageEvent> StreamSource<E> for MessageStream {
    fn position(&self, event: &E) -> Option<(StreamKey, i64)> {
        event.as_message().map(|message| (StreamKey::Messages(message.conversation_id), message.seq))
    }

    fn serves(&self, key: StreamKey) -> bool {
        matches!(key, StreamKey::Messages(_))
    }

    fn page<'a>(
        &'a self,
        services: &'a parley_services::Services,
        actor: &'a parley_services::Actor,
        key: StreamKey,
        after: i64,
        limit: u64,
    ) -> BoxFuture<'a, parley_services::ServiceResult<Vec<(i64, E)>>> {
        Box::pin(async move {
            let StreamKey::Messages(conversation) = key;
            let page = conversations::messages_after(&services.db, actor, conversation, after, limit).await?;
            Ok(page.into_iter().map(|message| (message.seq, E::message_created(message))).collect())
        })
    }
}

/// Operators resume a conversation they open and say when they type; replies go through
/// the `send_reply` server function.
struct OperatorFrames;

impl FrameHandler<OperatorEvent> for OperatorFrames {
    fn handle<'a>(&'a self, cx: &'a mut SocketCx<'_, OperatorEvent>, event: ClientEvent) -> Handled<'a> {
        Ok(Box::pin(async move {
            match event {
                ClientEvent::Resume { conversation_id: Some(id), after_seq } => {
                    // The service scopes the read: another workspace's id is "not found".
                    let last_seq = cx.replay(StreamKey::Messages(id), after_seq).await?;
                    cx.send(&OperatorEvent::Resumed { conversation_id: Some(id), last_seq }).await?;
                    // Resuming a conversation is having it open: colleagues see it.
                    Ok(presence::set_viewing(cx.services(), cx.actor(), cx.socket_id(), Some(id)).await?)
                }
                ClientEvent::Viewing { conversation_id } => {
                    Ok(presence::set_viewing(cx.services(), cx.actor(), cx.socket_id(), conversation_id).await?)
                }
                ClientEvent::Resume { conversation_id: None, .. } => {
                    Err(ServiceError::Invalid(phrase!("err-socket-name-conversation")).into())
                }
                ClientEvent::Typing { conversation_id, typing } => {
                    Ok(conversations::publish_typing(cx.services(), cx.actor(), conversation_id, typing).await?)
                }
                ClientEvent::Send { .. } => Err(ServiceError::Invalid(phrase!("err-socket-operators-reply")).into()),
                // Only widgets report the page they show.
                ClientEvent::Page { .. } => Err(ServiceError::Forbidden.into()),
                ClientEvent::Read { .. } => Err(ServiceError::Invalid(phrase!("err-socket-operators-read")).into()),
            }
        }))
    }
}

/// A visitor resumes their conversation, writes and types, within the rate limits.
struct VisitorFrames;

impl FrameHandler<VisitorEvent> for VisitorFrames {
    fn handle<'a>(&'a self, cx: &'a mut SocketCx<'_, VisitorEvent>, event: ClientEvent) -> Handled<'a> {
        // Page views are the online visitors' (`realtime/visitors.rs`).
        if matches!(event, ClientEvent::Page { .. }) {
            return Err(event);
        }
        Ok(Box::pin(async move {
            match event {
                ClientEvent::Resume { after_seq, .. } => {
                    let current = conversations::visitor_conversation(&cx.services().db, cx.actor()).await?;
                    let (conversation_id, last_seq) = match current {
                        Some(c) => {
                            let id = ConversationId(c.id);
                            (Some(id), cx.replay(StreamKey::Messages(id), after_seq).await?)
                        }
                        None => (None, 0),
                    };
                    // Live messages were held back until now (they are in the replay).
                    cx.delivery().track_all();
                    cx.send(&VisitorEvent::Resumed { conversation_id, last_seq }).await?;
                    let Some(conversation_id) = conversation_id else {
                        // Read now, so that the first message reads nothing before it is
                        // shown.
                        let newcomer = conversations::newcomer(cx.services(), cx.actor()).await;
                        cx.delivery().set_newcomer(newcomer);
                        return Ok(());
                    };
                    // How far the team has read, for the visitor's "Seen".
                    let scope = cx.actor().own_workspace();
                    let seq = conversations::seen_by_team(&cx.services().db, scope, conversation_id).await?;
                    if seq > 0 {
                        cx.send(&VisitorEvent::Seen { conversation_id, seq }).await?;
                    }
                    Ok(())
                }
                ClientEvent::Read { seq } => {
                    if !admit(cx, FrameKind::Read).await? {
                        return Ok(());
                    }
                    Ok(conversations::mark_read_by_visitor(cx.services(), cx.actor(), seq).await?)
                }
                ClientEvent::Send { client_id, text, attachments } => {
                    if !admit(cx, FrameKind::Message).await? {
                        return Ok(());
                    }
                    // Operators see the text at once, in the conversation the visitor is in
                    // or as the new one it makes (read now if the socket cannot tell).
                    let shown = match cx.delivery().shown() {
                        None if attachments.is_empty() => conversations::where_shown(cx.services(), cx.actor()).await,
                        shown => shown,
                    };
                    let posted = conversations::post_visitor_message_shown(
                        cx.services(),
                        cx.actor(),
                        shown,
                        &client_id,
                        &text,
                        &attachments,
                    )
                    .await?;
                    // A fresh message reaches this socket through the bus; a duplicate is
                    // acknowledged here so the client can stop resending it.
                    if posted.duplicate {
                        cx.send(&VisitorEvent::MessageCreated { message: posted.message }).await?;
                    }
                    Ok(())
                }
                ClientEvent::Typing { typing, .. } => {
                    if !admit(cx, FrameKind::Typing).await? {
                        return Ok(());
                    }
                    Ok(conversations::publish_typing(cx.services(), cx.actor(), None, typing).await?)
                }
                // Only operators tell which conversation they have open.
                ClientEvent::Viewing { .. } => Err(ServiceError::Forbidden.into()),
                // Passed on above, before this future was made.
                ClientEvent::Page { .. } => Ok(()),
            }
        }))
    }
}

/// The visitor's rate limits for one frame.
async fn admit(cx: &mut SocketCx<'_, VisitorEvent>, kind: FrameKind) -> Result<bool, super::SocketEnd> {
    let (socket, services, actor, lang) = cx.split();
    limits::admit(socket, services, actor, kind, lang).await
}

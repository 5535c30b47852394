//! Who has which conversation open right now, so colleagues see each other there and two
//! people do not answer at once. Kept in this server's memory beside its sockets (a
//! socket lives on one server; the scale-out issue moves this beside the bus).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use parley_types::{Capability, ConversationId, OperatorEvent, Viewer, WorkspaceId};

use crate::Services;
use crate::access::Actor;
use crate::bus::Operators;
use crate::conversations::readable_conversation;
use crate::error::ServiceResult;

/// An open operator socket, as presence knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SocketId(u64);

#[derive(Debug, Clone)]
struct Open {
    workspace: WorkspaceId,
    conversation: ConversationId,
    viewer: Viewer,
}

/// The conversations open on each socket.
#[derive(Debug, Default)]
pub struct Presence {
    open: Mutex<HashMap<SocketId, Open>>,
    next: AtomicU64,
}

impl Presence {
    /// An id for a new socket.
    pub fn new_socket(&self) -> SocketId {
        SocketId(self.next.fetch_add(1, Ordering::Relaxed))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SocketId, Open>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Who has `conversation` open: each member once, by name.
    fn viewers(&self, workspace: WorkspaceId, conversation: ConversationId) -> Vec<Viewer> {
        let mut viewers: Vec<Viewer> = self
            .lock()
            .values()
            .filter(|o| o.workspace == workspace && o.conversation == conversation)
            .map(|o| o.viewer.clone())
            .collect();
        viewers.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
        viewers.dedup_by_key(|v| v.user_id);
        viewers
    }
}

/// The member on `socket` now has `conversation` open (`None`: none). Needs `read
/// conversations`; another workspace's conversation is not found. The workspace's
/// operators hear who has each affected conversation open.
pub async fn set_viewing(
    svc: &Services,
    actor: &Actor,
    socket: SocketId,
    conversation: Option<ConversationId>,
) -> ServiceResult<()> {
    let scope = actor.require(Capability::ReadConversations)?;
    let member = actor.member()?;
    if let Some(id) = conversation {
        readable_conversation(&svc.db, actor, id).await?;
    }
    let workspace = scope.workspace_id();
    let before = {
        let mut open = svc.presence.lock();
        let before = open.remove(&socket).map(|o| o.conversation);
        if let Some(id) = conversation {
            let viewer = Viewer { user_id: member.user_id, name: member.name.clone() };
            open.insert(socket, Open { workspace, conversation: id, viewer });
        }
        before
    };
    if before != conversation {
        for id in [before, conversation].into_iter().flatten() {
            publish(svc, workspace, id);
        }
    }
    Ok(())
}

/// A socket closed: whatever it had open, it has no longer.
pub fn socket_closed(svc: &Services, socket: SocketId) {
    let closed = svc.presence.lock().remove(&socket);
    if let Some(open) = closed {
        publish(svc, open.workspace, open.conversation);
    }
}

fn publish(svc: &Services, workspace: WorkspaceId, conversation: ConversationId) {
    let viewers = svc.presence.viewers(workspace, conversation);
    svc.notify(Operators(workspace), OperatorEvent::Viewers { conversation_id: conversation, viewers });
}

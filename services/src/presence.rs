//! Who is connected and who has which conversation open right now, so colleagues see each
//! other there and two people do not answer at once, and a member whose last tab closed
//! becomes away (through a durable job, `PARLEY_AWAY_AFTER_SECS` later). Kept in this
//! server's memory beside its sockets (a socket lives on one server; the scale-out issue
//! moves this beside the bus).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use parley_types::{Availability, Capability, ConversationId, OperatorEvent, UserId, Viewer, WorkspaceId};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::Services;
use crate::access::Actor;
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::conversations::readable_conversation;
use crate::entities::{job, membership};
use crate::error::ServiceResult;
use crate::jobs::{JobError, JobHandler, NewJob};

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
    /// Whose each operator socket is.
    members: Mutex<HashMap<SocketId, (WorkspaceId, UserId)>>,
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

    /// How many sockets the member has open in the workspace.
    pub fn sockets_of(&self, workspace: WorkspaceId, user: UserId) -> usize {
        let members = self.members.lock().unwrap_or_else(|p| p.into_inner());
        members.values().filter(|m| **m == (workspace, user)).count()
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

/// A member's operator socket opened: the first one cancels a pending "away" and undoes
/// one Parley set.
pub async fn operator_connected(svc: &Services, actor: &Actor, socket: SocketId) -> ServiceResult<()> {
    let member = actor.member()?;
    let (workspace, user) = (member.workspace_id, member.user_id);
    svc.presence.members.lock().unwrap_or_else(|p| p.into_inner()).insert(socket, (workspace, user));
    if svc.presence.sockets_of(workspace, user) > 1 {
        return Ok(());
    }
    let mut w = svc.begin().await?;
    w.cancel_job(&away_key(workspace, user)).await?;
    let row = crate::members::membership_of(w.txn(), workspace, user).await?;
    if row.availability_auto && crate::members::availability_of(&row) == Availability::Away {
        crate::members::change_availability(&mut w, workspace, user, Availability::Online, false).await?;
    }
    w.commit().await
}

/// A socket closed: whatever it had open, it has no longer; a member's last operator
/// socket schedules their "away".
pub async fn socket_closed(svc: &Services, socket: SocketId) {
    let closed = svc.presence.lock().remove(&socket);
    if let Some(open) = closed {
        publish(svc, open.workspace, open.conversation);
    }
    let member = svc.presence.members.lock().unwrap_or_else(|p| p.into_inner()).remove(&socket);
    let Some((workspace, user)) = member else { return };
    if svc.presence.sockets_of(workspace, user) > 0 {
        return;
    }
    let job = away_job(svc, workspace, user);
    let scheduled = async {
        let mut w = svc.begin().await?;
        w.cancel_job(&away_key(workspace, user)).await?;
        w.enqueue(job).await?;
        w.commit().await
    };
    if let Err(err) = scheduled.await {
        tracing::warn!(%err, "could not schedule a member's away");
    }
}

/// The member's "away", due `PARLEY_AWAY_AFTER_SECS` from now.
fn away_job(svc: &Services, workspace: WorkspaceId, user: UserId) -> NewJob {
    let due = now_ms() + i64::try_from(svc.config.away_after.as_millis()).unwrap_or(i64::MAX);
    NewJob::new(AWAY_JOB, serde_json::json!({ "user_id": user.0 }))
        .in_workspace(workspace)
        .unique(away_key(workspace, user))
        .due_at(due)
}

/// At start, in the start-up write: members still marked online have no socket on this
/// fresh server (a crash never ran their sockets' close), so each gets an "away" that
/// their first tab reconnecting cancels, as after any closed tab.
pub(crate) async fn away_unless_back(w: &mut crate::Write, svc: &Services) -> ServiceResult<()> {
    // unscoped: every workspace's online members, once at start.
    let online = membership::Entity::find()
        .filter(membership::Column::Availability.eq(Availability::Online.as_str()))
        .all(w.txn())
        .await?;
    for member in online {
        w.enqueue(away_job(svc, WorkspaceId(member.workspace_id), UserId(member.user_id))).await?;
    }
    Ok(())
}

/// The job that marks a member away once their last tab has been closed for a while.
pub const AWAY_JOB: &str = "member.away";

fn away_key(workspace: WorkspaceId, user: UserId) -> String {
    format!("away:{workspace}:{user}")
}

/// Registers presence's job.
pub fn register(platform: &crate::platform::Platform) {
    platform.register_job(std::sync::Arc::new(MarkAway));
}

struct MarkAway;

#[async_trait::async_trait]
impl JobHandler for MarkAway {
    fn kind(&self) -> &'static str {
        AWAY_JOB
    }

    async fn run(&self, svc: &Services, w: &mut crate::Write, job: &job::Model) -> Result<(), JobError> {
        let workspace =
            WorkspaceId(job.workspace_id.ok_or_else(|| JobError("an away job without a workspace".into()))?);
        let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
        let user = UserId(payload["user_id"].as_i64().ok_or_else(|| JobError("an away job without a user".into()))?);
        // Back meanwhile (on this server: sockets live beside it), or not online: nothing to do.
        if svc.presence.sockets_of(workspace, user) > 0 {
            return Ok(());
        }
        let row = crate::members::membership_of(w.txn(), workspace, user).await?;
        if crate::members::availability_of(&row) == Availability::Online {
            crate::members::change_availability(w, workspace, user, Availability::Away, true).await?;
        }
        Ok(())
    }
}

fn publish(svc: &Services, workspace: WorkspaceId, conversation: ConversationId) {
    let viewers = svc.presence.viewers(workspace, conversation);
    svc.notify(Operators(workspace), OperatorEvent::Viewers { conversation_id: conversation, viewers });
}

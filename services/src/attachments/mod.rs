//! Attachments: files sent in conversations, both ways, and kept on quick replies.
//!
//! An upload streams into the object store (`store.rs`) while its size is counted and
//! hashed; its type is decided from its first bytes (`sniff.rs`) before anything is
//! written, and it stops at the first byte over its kind's limit, leaving nothing behind.
//! The stored upload is *pending* until the message that carries it is sent
//! ([`claim`], in that message's write); a quick reply's files are copied (a new row,
//! the same object) into each message that uses them. Downloads need the operator
//! session (any conversation of the workspace) or the visitor's token (their own
//! conversation's messages, and their own pending uploads).

pub mod sniff;
pub mod store;

use std::fmt::Display;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use parley_types::{
    Attachment, AttachmentId, AttachmentKind, AttachmentLimits, Capability, ConversationId, MAX_ATTACHMENTS,
    QuickReplyId, human_size, phrase,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use sha2::{Digest, Sha256};

use crate::access::{Actor, Scope};
use crate::clock::now_ms;
use crate::entities::{attachment, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::{Services, Write};

pub use store::Files;

/// What an upload is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadFor {
    /// A visitor's next message in their own conversation.
    Visitor,
    /// A member's next reply in this conversation.
    Conversation(ConversationId),
    /// A quick reply (kept on it, copied into each message that uses it).
    QuickReply(QuickReplyId),
}

/// An upload as it arrives.
#[derive(Debug, Clone)]
pub struct UploadInput {
    pub name: String,
    /// Recorded in the browser as a voice message.
    pub voice: bool,
    /// The `Content-Length` the client announced, if any.
    pub declared_len: Option<u64>,
}

/// The workspace's upload limits.
pub async fn limits(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<AttachmentLimits> {
    let ws = crate::workspaces::get(db, scope).await?;
    Ok(limits_of(&ws))
}

fn limits_of(ws: &workspace::Model) -> AttachmentLimits {
    let bytes = |n: i64| u64::try_from(n).unwrap_or(0);
    AttachmentLimits {
        image: bytes(ws.max_image_bytes),
        video: bytes(ws.max_video_bytes),
        audio: bytes(ws.max_audio_bytes),
        document: bytes(ws.max_document_bytes),
    }
}

/// The upload limits for members to read. Needs `read conversations`.
pub async fn get_limits(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<AttachmentLimits> {
    limits(db, actor.require(Capability::ReadConversations)?).await
}

/// Sets the upload limits. Needs `manage inbox settings`.
pub async fn set_limits(svc: &Services, actor: &Actor, new: AttachmentLimits) -> ServiceResult<AttachmentLimits> {
    let scope = actor.require(Capability::ManageInboxSettings)?;
    for kind in AttachmentKind::ALL {
        let limit = new.of(*kind);
        if limit == 0 || limit > AttachmentLimits::CEILING {
            return Err(ServiceError::Invalid(phrase!(
                "err-attachments-limit-range",
                kind = kind.as_str(),
                max = human_size(AttachmentLimits::CEILING),
            )));
        }
    }
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    w.audit_change(actor, "inbox: attachment limits (bytes)", limits_of(&ws), new).await?;
    let mut active: workspace::ActiveModel = ws.into();
    let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    active.max_image_bytes = Set(signed(new.image));
    active.max_video_bytes = Set(signed(new.video));
    active.max_audio_bytes = Set(signed(new.audio));
    active.max_document_bytes = Set(signed(new.document));
    active.update(w.txn()).await?;
    w.record(scope.workspace_id(), crate::events::DomainEvent::AttachmentLimitsChanged { limits: new });
    w.commit().await?;
    Ok(new)
}

fn too_large(kind: Option<AttachmentKind>, limit: u64) -> ServiceError {
    ServiceError::TooLarge(match kind {
        Some(kind) => phrase!("err-attachments-kind-too-large", kind = kind.as_str(), limit = human_size(limit)),
        None => phrase!("err-attachments-too-large", limit = human_size(limit)),
    })
}

/// Streams an upload into the store and records it as pending (see the module
/// documentation). Visitors need `chat as visitor`; members `reply in conversations`
/// and a conversation of their workspace, or a quick reply they may change.
pub async fn upload<S, E>(
    svc: &Services,
    actor: &Actor,
    target: UploadFor,
    input: UploadInput,
    mut body: S,
) -> ServiceResult<Attachment>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: Display,
{
    let scope = match target {
        UploadFor::Visitor => actor.require(Capability::ChatAsVisitor)?,
        UploadFor::Conversation(id) => {
            let scope = actor.require(Capability::ReplyConversations)?;
            crate::conversations::readable_conversation(&svc.db, actor, id).await?;
            scope
        }
        UploadFor::QuickReply(id) => {
            let scope = actor.require(Capability::ReplyConversations)?;
            let row = crate::quick_replies::visible(&svc.db, scope, actor.member()?, id).await?;
            if !crate::quick_replies::may_edit(actor, row.owner_user_id) {
                return Err(ServiceError::Forbidden);
            }
            let kept = scope
                .find::<attachment::Entity>()
                .filter(attachment::Column::QuickReplyId.eq(id.0))
                .count(&svc.db)
                .await?;
            if kept as usize >= MAX_ATTACHMENTS {
                return Err(ServiceError::Invalid(phrase!("err-attachments-quick-reply-full", max = MAX_ATTACHMENTS)));
            }
            scope
        }
    };
    let limits = limits(&svc.db, scope).await?;
    if input.declared_len.is_some_and(|len| len > limits.largest()) {
        return Err(too_large(None, limits.largest()));
    }
    // The first bytes decide the type (and so the limit) before anything is stored.
    let mut head = Vec::new();
    let mut complete = false;
    while head.len() < sniff::HEAD_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(err)) => return Err(interrupted(err)),
            None => {
                complete = true;
                break;
            }
        }
    }
    let found = sniff::sniff(&input.name, &head, complete, input.voice)?;
    let limit = limits.of(found.kind);
    if input.declared_len.is_some_and(|len| len > limit) || head.len() as u64 > limit {
        return Err(too_large(Some(found.kind), limit));
    }
    let key = format!("{}/{}", scope.workspace_id().0, uuid::Uuid::new_v4().simple());
    let mut upload = svc.files.create(&key).await.map_err(storage)?;
    let mut hasher = Sha256::new();
    let mut size = head.len() as u64;
    hasher.update(&head);
    let streamed = async {
        upload.write(Bytes::from(head)).await.map_err(storage)?;
        if !complete {
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(interrupted)?;
                size += chunk.len() as u64;
                if size > limit {
                    return Err(too_large(Some(found.kind), limit));
                }
                hasher.update(&chunk);
                upload.write(chunk).await.map_err(storage)?;
            }
        }
        Ok(())
    }
    .await;
    if let Err(err) = streamed {
        upload.abort().await;
        return Err(err);
    }
    upload.finish().await.map_err(storage)?;
    let (user, contact) = uploader(actor);
    let row = attachment::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        conversation_id: Set(match target {
            UploadFor::Conversation(id) => Some(id.0),
            _ => None,
        }),
        message_id: Set(None),
        quick_reply_id: Set(match target {
            UploadFor::QuickReply(id) => Some(id.0),
            _ => None,
        }),
        uploader_user_id: Set(user),
        uploader_contact_id: Set(contact),
        object_key: Set(key.clone()),
        name: Set(found.name),
        mime: Set(found.mime.to_owned()),
        kind: Set(found.kind.as_str().to_owned()),
        size: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        sha256: Set(hex::encode(hasher.finalize())),
        width: Set(found.width.map(|w| w as i32)),
        height: Set(found.height.map(|h| h as i32)),
        voice: Set(input.voice),
        created_at_ms: Set(now_ms()),
        ..Default::default()
    };
    let stored = async {
        let w = svc.begin().await?;
        let row = row.insert(w.txn()).await?;
        w.commit().await?;
        ServiceResult::Ok(row)
    }
    .await;
    match stored {
        Ok(row) => to_attachment(&row),
        Err(err) => {
            // Nothing refers to the object: remove it.
            let _ = svc.files.delete(&key).await;
            Err(err)
        }
    }
}

fn uploader(actor: &Actor) -> (Option<i64>, Option<i64>) {
    match actor {
        Actor::Member(member) => (Some(member.user_id.0), None),
        Actor::Visitor(visitor) => (None, Some(visitor.contact_id.0)),
        _ => (None, None),
    }
}

fn interrupted(err: impl Display) -> ServiceError {
    tracing::info!(%err, "an upload was interrupted");
    ServiceError::Invalid(phrase!("err-attachments-interrupted"))
}

fn storage(err: object_store::Error) -> ServiceError {
    ServiceError::Internal(format!("attachment store: {err}"))
}

/// A stored row as the wire shows it.
pub fn to_attachment(row: &attachment::Model) -> ServiceResult<Attachment> {
    Ok(Attachment {
        id: AttachmentId(row.id),
        name: row.name.clone(),
        mime: row.mime.clone(),
        kind: AttachmentKind::parse(&row.kind)
            .ok_or_else(|| ServiceError::Internal(format!("unknown attachment kind {:?}", row.kind)))?,
        size: u64::try_from(row.size).unwrap_or(0),
        width: row.width.and_then(|w| u32::try_from(w).ok()),
        height: row.height.and_then(|h| u32::try_from(h).ok()),
        voice: row.voice,
    })
}

/// The files a message about to be written in `conversation_id` will carry, in the
/// order given: the sender's own pending uploads (taken), or a quick reply's files
/// (copied; members, for quick replies they may use). Anything else (another's upload,
/// one sent already, another workspace's) is refused. Run in the message's write, then
/// [`bind`] the ids to the message.
pub async fn claim(
    w: &Write,
    scope: Scope,
    actor: &Actor,
    conversation_id: i64,
    ids: &[AttachmentId],
) -> ServiceResult<Vec<Attachment>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > MAX_ATTACHMENTS {
        return Err(ServiceError::Invalid(phrase!("err-attachments-message-full", max = MAX_ATTACHMENTS)));
    }
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != ids.len() {
        return Err(ServiceError::Invalid(phrase!("err-attachments-twice")));
    }
    let rows = scope
        .find::<attachment::Entity>()
        .filter(attachment::Column::Id.is_in(ids.iter().map(|id| id.0)))
        .all(w.txn())
        .await?;
    let (user, contact) = uploader(actor);
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let unknown = || ServiceError::Invalid(phrase!("err-attachments-unknown"));
        let row = rows.iter().find(|row| row.id == id.0).ok_or_else(unknown)?;
        let own_pending = row.message_id.is_none()
            && row.quick_reply_id.is_none()
            && (user.is_some() && row.uploader_user_id == user
                || contact.is_some() && row.uploader_contact_id == contact)
            && row.conversation_id.is_none_or(|c| c == conversation_id);
        if own_pending {
            let mut active: attachment::ActiveModel = row.clone().into();
            active.conversation_id = Set(Some(conversation_id));
            out.push(to_attachment(&active.update(w.txn()).await?)?);
            continue;
        }
        let Some(quick_reply) = row.quick_reply_id else { return Err(unknown()) };
        let Actor::Member(member) = actor else { return Err(unknown()) };
        crate::quick_replies::visible(w.txn(), scope, member, QuickReplyId(quick_reply))
            .await
            .map_err(|_| unknown())?;
        let copy = attachment::ActiveModel {
            workspace_id: Set(row.workspace_id),
            conversation_id: Set(Some(conversation_id)),
            message_id: Set(None),
            quick_reply_id: Set(None),
            uploader_user_id: Set(Some(member.user_id.0)),
            uploader_contact_id: Set(None),
            object_key: Set(row.object_key.clone()),
            name: Set(row.name.clone()),
            mime: Set(row.mime.clone()),
            kind: Set(row.kind.clone()),
            size: Set(row.size),
            sha256: Set(row.sha256.clone()),
            width: Set(row.width),
            height: Set(row.height),
            voice: Set(row.voice),
            created_at_ms: Set(now_ms()),
            ..Default::default()
        }
        .insert(w.txn())
        .await?;
        out.push(to_attachment(&copy)?);
    }
    Ok(out)
}

/// Keeps copies of the member's own pending uploads on a quick reply (the uploads stay
/// pending for the message being written).
pub async fn keep(
    w: &Write,
    scope: Scope,
    actor: &Actor,
    quick_reply: QuickReplyId,
    ids: &[AttachmentId],
) -> ServiceResult<Vec<Attachment>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    if ids.len() > MAX_ATTACHMENTS {
        return Err(ServiceError::Invalid(phrase!("err-attachments-quick-reply-full", max = MAX_ATTACHMENTS)));
    }
    let member = actor.member()?;
    let rows = scope
        .find::<attachment::Entity>()
        .filter(attachment::Column::Id.is_in(ids.iter().map(|id| id.0)))
        .filter(attachment::Column::UploaderUserId.eq(member.user_id.0))
        .filter(attachment::Column::MessageId.is_null())
        .filter(attachment::Column::QuickReplyId.is_null())
        .all(w.txn())
        .await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let row = rows
            .iter()
            .find(|row| row.id == id.0)
            .ok_or_else(|| ServiceError::Invalid(phrase!("err-attachments-unknown")))?;
        let mut copy: attachment::ActiveModel = row.clone().into();
        copy.id = sea_orm::ActiveValue::NotSet;
        copy.conversation_id = Set(None);
        copy.quick_reply_id = Set(Some(quick_reply.0));
        copy.created_at_ms = Set(now_ms());
        let copy = attachment::ActiveModel { ..copy }.insert(w.txn()).await?;
        out.push(to_attachment(&copy)?);
    }
    Ok(out)
}

/// Ties claimed files to the message that carries them.
pub async fn bind(w: &Write, scope: Scope, message_id: i64, files: &[Attachment]) -> ServiceResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    scope
        .update_many::<attachment::Entity>()
        .col_expr(attachment::Column::MessageId, sea_orm::sea_query::Expr::value(message_id))
        .filter(attachment::Column::Id.is_in(files.iter().map(|f| f.id.0)))
        .exec(w.txn())
        .await?;
    Ok(())
}

/// A quick reply's files, oldest first.
pub async fn of_quick_replies(
    db: &impl ConnectionTrait,
    scope: Scope,
    ids: &[i64],
) -> ServiceResult<Vec<(i64, Attachment)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = scope
        .find::<attachment::Entity>()
        .filter(attachment::Column::QuickReplyId.is_in(ids.iter().copied()))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?;
    rows.iter().map(|row| Ok((row.quick_reply_id.unwrap_or_default(), to_attachment(row)?))).collect()
}

/// A file to download: what it is, and where its bytes are.
#[derive(Debug, Clone)]
pub struct Download {
    pub attachment: Attachment,
    pub object_key: String,
}

/// A file the actor may download: members, any file of their workspace's conversations
/// and quick replies they can see, and their own pending uploads; visitors, the files of
/// their own conversation's messages and their own pending uploads. Anything else is 404.
pub async fn download(db: &impl ConnectionTrait, actor: &Actor, id: AttachmentId) -> ServiceResult<Download> {
    let (scope, user, contact) = match actor {
        Actor::Visitor(visitor) => (actor.require(Capability::ChatAsVisitor)?, None, Some(visitor.contact_id.0)),
        Actor::Member(member) => (actor.require(Capability::ReadConversations)?, Some(member.user_id.0), None),
        _ => return Err(ServiceError::NotFound),
    };
    let row = scope
        .find::<attachment::Entity>()
        .filter(attachment::Column::Id.eq(id.0))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let allowed = if let Some(contact) = contact {
        match (row.message_id, row.conversation_id) {
            (Some(_), Some(conversation)) => {
                crate::conversations::readable_conversation(db, actor, ConversationId(conversation)).await.is_ok()
            }
            (None, _) => row.quick_reply_id.is_none() && row.uploader_contact_id == Some(contact),
            _ => false,
        }
    } else {
        match (row.message_id, row.quick_reply_id) {
            (Some(_), _) => true,
            (None, Some(quick_reply)) => {
                crate::quick_replies::visible(db, scope, actor.member()?, QuickReplyId(quick_reply)).await.is_ok()
            }
            (None, None) => row.uploader_user_id == user,
        }
    };
    if !allowed {
        return Err(ServiceError::NotFound);
    }
    Ok(Download { attachment: to_attachment(&row)?, object_key: row.object_key })
}

/// Removes a file that no message carries yet: the uploader's pending upload, or one
/// kept on a quick reply the member may change. The bytes go once no row refers to them.
pub async fn remove(svc: &Services, actor: &Actor, id: AttachmentId) -> ServiceResult<()> {
    let scope = match actor {
        Actor::Visitor(_) => actor.require(Capability::ChatAsVisitor)?,
        _ => actor.require(Capability::ReplyConversations)?,
    };
    let (user, contact) = uploader(actor);
    let w = svc.begin().await?;
    let row = scope
        .find::<attachment::Entity>()
        .filter(attachment::Column::Id.eq(id.0))
        .filter(attachment::Column::MessageId.is_null())
        .one(w.txn())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let allowed = match row.quick_reply_id {
        Some(quick_reply) => {
            let kept =
                crate::quick_replies::visible(w.txn(), scope, actor.member()?, QuickReplyId(quick_reply)).await?;
            crate::quick_replies::may_edit(actor, kept.owner_user_id)
        }
        None => {
            (user.is_some() && row.uploader_user_id == user)
                || (contact.is_some() && row.uploader_contact_id == contact)
        }
    };
    if !allowed {
        return Err(ServiceError::NotFound);
    }
    scope.delete_many::<attachment::Entity>().filter(attachment::Column::Id.eq(row.id)).exec(w.txn()).await?;
    let unused = unreferenced(w.txn(), scope, vec![row.object_key]).await?;
    w.commit().await?;
    delete_objects(svc, &unused).await;
    Ok(())
}

/// The object keys of a quick reply's files.
pub(crate) async fn object_keys_of_quick_reply(
    db: &impl ConnectionTrait,
    scope: Scope,
    quick_reply: i64,
) -> ServiceResult<Vec<String>> {
    Ok(scope
        .find::<attachment::Entity>()
        .filter(attachment::Column::QuickReplyId.eq(quick_reply))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.object_key)
        .collect())
}

/// Those of `keys` no attachment row refers to any more (after deleting rows, in the same
/// write).
pub(crate) async fn unreferenced(
    db: &impl ConnectionTrait,
    scope: Scope,
    keys: Vec<String>,
) -> ServiceResult<Vec<String>> {
    let mut unused = Vec::new();
    for key in keys {
        let refs = scope.find::<attachment::Entity>().filter(attachment::Column::ObjectKey.eq(&key)).count(db).await?;
        if refs == 0 && !unused.contains(&key) {
            unused.push(key);
        }
    }
    Ok(unused)
}

/// Deletes objects (after the write that dropped their last rows committed).
pub(crate) async fn delete_objects(svc: &Services, keys: &[String]) {
    for key in keys {
        if let Err(err) = svc.files.delete(key).await {
            tracing::warn!(%err, key, "could not delete an attachment's bytes");
        }
    }
}

/// Pending uploads older than this are removed by the `attachments.sweep` job.
pub const PENDING_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Removes pending uploads nobody sent within [`PENDING_FOR`] of `now_ms`, in `w`, and
/// the bytes no other row refers to (a quick reply's copy keeps them). Returns how many
/// uploads went. Deleting bytes before the commit is safe: nothing was ever sent with them.
pub async fn sweep_pending(svc: &Services, w: &Write, now_ms: i64) -> ServiceResult<u64> {
    let before = now_ms - PENDING_FOR.as_millis() as i64;
    // unscoped: housekeeping over every workspace; each row carries its workspace.
    let stale = attachment::Entity::find()
        .filter(attachment::Column::MessageId.is_null())
        .filter(attachment::Column::QuickReplyId.is_null())
        .filter(attachment::Column::CreatedAtMs.lt(before))
        .limit(500)
        .all(w.txn())
        .await?;
    if stale.is_empty() {
        return Ok(0);
    }
    // unscoped: the rows just read, of whichever workspace.
    let removed = attachment::Entity::delete_many()
        .filter(attachment::Column::Id.is_in(stale.iter().map(|row| row.id)))
        .exec(w.txn())
        .await?
        .rows_affected;
    let mut keys: Vec<&str> = stale.iter().map(|row| row.object_key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        // unscoped: whether any workspace's row still refers to these bytes.
        let others = attachment::Entity::find().filter(attachment::Column::ObjectKey.eq(key)).count(w.txn()).await?;
        if others == 0
            && let Err(err) = svc.files.delete(key).await
        {
            tracing::warn!(%err, key, "could not delete an unsent upload's bytes");
        }
    }
    Ok(removed)
}

/// The recurring job that sweeps unsent uploads.
pub struct SweepPending;

impl SweepPending {
    pub const KIND: &'static str = "attachments.sweep";
}

#[async_trait::async_trait]
impl crate::jobs::JobHandler for SweepPending {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    async fn run(
        &self,
        svc: &Services,
        w: &mut Write,
        _job: &crate::entities::job::Model,
    ) -> Result<(), crate::jobs::JobError> {
        let removed = sweep_pending(svc, w, now_ms()).await?;
        if removed > 0 {
            tracing::info!(removed, "removed uploads nobody sent");
        }
        crate::platform::again_later(w, Self::KIND, crate::platform::HOUSEKEEPING_EVERY_MS).await
    }
}

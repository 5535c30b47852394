//! Web Push: notifications that reach a member's phone or desktop with Parley closed.
//!
//! The operator app, installed as a PWA or open in a browser, subscribes each device
//! with the browser's push service ([`subscribe`], using this instance's VAPID public
//! key, generated on first start and kept in `instance_secrets`). The `push` outbox
//! consumer turns events into notifications for the members who turned notifications on
//! (the same events as desktop notifications: a new Live conversation, a visitor's
//! message in a conversation assigned to them, a mention) and enqueues one `push.send`
//! job per device; the job encrypts the payload for that device (RFC 8291) and posts it
//! to the push service, signed with VAPID (RFC 8292). A device the push service no
//! longer knows (404/410) is removed; other failures retry with the job runner's backoff.

pub mod crypto;

use std::sync::OnceLock;

use parley_types::{Author, Capability, ConversationId, InboxItemKind, Phrase, UserId, phrase};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde::{Deserialize, Serialize};

use crate::access::{Actor, Scope};
use crate::clock::now_ms;
use crate::entities::{instance_secret, job, membership, push_subscription, user};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::outbox::{OutboxConsumer, StoredEvent};
use crate::{Services, Write};

pub use crypto::Vapid;

/// The `instance_secrets` row holding the VAPID private key.
const VAPID_SECRET: &str = "vapid_private_key";
/// Events older than this when the consumer reaches them notify nobody (after downtime,
/// a pile of stale notifications helps no one).
const STALE_AFTER_MS: i64 = 5 * 60 * 1000;
/// How long a push service keeps an undelivered notification (seconds).
const TTL_SECS: u32 = 24 * 3600;
/// Longest endpoint URL accepted.
const MAX_ENDPOINT: usize = 2048;

/// The VAPID keys: read from the database, or generated and stored on first use (the
/// server calls this at start). Two nodes starting together agree on the first stored.
pub async fn vapid(db: &impl ConnectionTrait) -> ServiceResult<Vapid> {
    static CACHE: OnceLock<(String, Vapid)> = OnceLock::new();
    let find = || instance_secret::Entity::find_by_id(VAPID_SECRET.to_owned());
    if let Some(row) = find().one(db).await? {
        if let Some((private, vapid)) = CACHE.get()
            && *private == row.value
        {
            return Ok(vapid.clone());
        }
        let vapid = Vapid::from_private_b64(&row.value)
            .ok_or_else(|| ServiceError::Internal("the stored VAPID key does not decode".into()))?;
        let _ = CACHE.set((row.value, vapid.clone()));
        return Ok(vapid);
    }
    let fresh = Vapid::generate();
    let row = instance_secret::ActiveModel {
        name: Set(VAPID_SECRET.to_owned()),
        value: Set(fresh.private_b64()),
        created_at_ms: Set(now_ms()),
    };
    instance_secret::Entity::insert(row)
        .on_conflict(OnConflict::column(instance_secret::Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    let stored = find().one(db).await?.ok_or_else(|| ServiceError::Internal("no VAPID key stored".into()))?;
    Vapid::from_private_b64(&stored.value)
        .ok_or_else(|| ServiceError::Internal("the stored VAPID key does not decode".into()))
}

/// The public key the browser subscribes with. Members (`read conversations`).
pub async fn public_key(svc: &Services, actor: &Actor) -> ServiceResult<String> {
    actor.require(Capability::ReadConversations)?;
    Ok(vapid(&svc.db).await?.public_b64())
}

/// A device's subscription, as the browser's `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub endpoint: String,
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The browser's auth secret, base64url.
    pub auth: String,
}

/// Checks a subscription: an `https` endpoint (plain `http` only on this machine, and
/// only while Parley itself is served over `http`, as in development and tests), and keys
/// of the right shape.
fn check(svc: &Services, sub: &Subscription) -> ServiceResult<()> {
    if sub.endpoint.len() > MAX_ENDPOINT {
        return Err(ServiceError::Invalid(phrase!("err-push-endpoint-too-long")));
    }
    let url =
        reqwest::Url::parse(&sub.endpoint).map_err(|_| ServiceError::Invalid(phrase!("err-push-endpoint-url")))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    let allowed = match url.scheme() {
        "https" => true,
        "http" => loopback && svc.config.public_url.starts_with("http://"),
        _ => false,
    };
    if !allowed {
        return Err(ServiceError::Invalid(phrase!("err-push-endpoint-https")));
    }
    let key = crypto::unb64(&sub.p256dh).filter(|k| k.len() == 65 && k[0] == 4);
    let auth = crypto::unb64(&sub.auth).filter(|a| a.len() == 16);
    if key.is_none() || auth.is_none() {
        return Err(ServiceError::Invalid(phrase!("err-push-keys")));
    }
    Ok(())
}

/// Subscribes this device for the member: a device already subscribed (by anyone) is
/// now theirs. Members (`read conversations`).
pub async fn subscribe(svc: &Services, actor: &Actor, sub: Subscription) -> ServiceResult<()> {
    let scope = actor.require(Capability::ReadConversations)?;
    let member = actor.member()?;
    check(svc, &sub)?;
    let w = svc.begin().await?;
    let row = push_subscription::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        user_id: Set(member.user_id.0),
        endpoint: Set(sub.endpoint),
        p256dh: Set(sub.p256dh),
        auth: Set(sub.auth),
        created_at_ms: Set(now_ms()),
        last_sent_at_ms: Set(None),
        ..Default::default()
    };
    // unscoped: an endpoint is one device, whoever subscribed it before.
    push_subscription::Entity::insert(row)
        .on_conflict(
            OnConflict::column(push_subscription::Column::Endpoint)
                .update_columns([
                    push_subscription::Column::WorkspaceId,
                    push_subscription::Column::UserId,
                    push_subscription::Column::P256dh,
                    push_subscription::Column::Auth,
                    push_subscription::Column::CreatedAtMs,
                ])
                .to_owned(),
        )
        .exec_without_returning(w.txn())
        .await?;
    w.commit().await
}

/// Ends this device's subscription (the member turned notifications off, or signed out).
pub async fn unsubscribe(svc: &Services, actor: &Actor, endpoint: &str) -> ServiceResult<()> {
    let scope = actor.require(Capability::ReadConversations)?;
    let member = actor.member()?;
    let w = svc.begin().await?;
    scope
        .delete_many::<push_subscription::Entity>()
        .filter(push_subscription::Column::UserId.eq(member.user_id.0))
        .filter(push_subscription::Column::Endpoint.eq(endpoint))
        .exec(w.txn())
        .await?;
    w.commit().await
}

/// What the service worker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub title: String,
    pub body: String,
    /// The page to open on a click.
    pub url: String,
    /// Notifications with the same tag replace each other (one per conversation).
    pub tag: String,
}

/// The `push` outbox consumer.
pub struct PushNotifier;

#[async_trait::async_trait]
impl OutboxConsumer for PushNotifier {
    fn name(&self) -> &'static str {
        "push"
    }

    /// Fresh visitor messages and mentions, in workspaces where some device subscribed
    /// (one read per batch): everything else notifies nobody.
    async fn select<'a>(&self, svc: &Services, batch: &'a [StoredEvent]) -> ServiceResult<Vec<&'a StoredEvent>> {
        let fresh_after = now_ms() - STALE_AFTER_MS;
        let relevant: Vec<&StoredEvent> =
            batch.iter().filter(|stored| stored.created_at_ms >= fresh_after && notifies(&stored.event)).collect();
        if relevant.is_empty() {
            return Ok(relevant);
        }
        let mut workspaces: Vec<i64> = relevant.iter().map(|stored| stored.workspace_id.0).collect();
        workspaces.sort_unstable();
        workspaces.dedup();
        // unscoped: the consumer serves every workspace; it asks which have devices.
        let with_devices: Vec<i64> = push_subscription::Entity::find()
            .select_only()
            .column(push_subscription::Column::WorkspaceId)
            .distinct()
            .filter(push_subscription::Column::WorkspaceId.is_in(workspaces))
            .into_tuple()
            .all(&svc.db)
            .await?;
        Ok(relevant.into_iter().filter(|stored| with_devices.contains(&stored.workspace_id.0)).collect())
    }

    async fn handle(&self, _svc: &Services, w: &mut Write, stored: &StoredEvent) -> ServiceResult<()> {
        if now_ms() - stored.created_at_ms > STALE_AFTER_MS || !notifies(&stored.event) {
            return Ok(());
        }
        let scope = Scope::unchecked(stored.workspace_id);
        // Links open the conversation at its workspace's address.
        let ws = crate::workspaces::get(w.txn(), scope).await?;
        let note =
            |title: Phrase, body: Option<String>, conversation: ConversationId| Draft { title, body, conversation };
        // Who sees the conversation when the note is for "everyone" (`None`: every member).
        let mut seeing = None;
        let (recipients, note) = match &stored.event {
            DomainEvent::MessageCreated { message } if message.author == Author::Visitor && !message.internal => {
                let conversation = crate::conversations::summary_row(w.txn(), scope, message.conversation_id).await?;
                let Some((row, name)) = conversation else { return Ok(()) };
                let text = (!message.text.trim().is_empty()).then(|| message.text.clone());
                match row.assignee_id {
                    // A message in a conversation assigned to a member: them.
                    Some(assignee) => (
                        vec![UserId(assignee)],
                        note(phrase!("push-wrote", name = name), text, message.conversation_id),
                    ),
                    // A new Live conversation: everyone who sees it.
                    None if message.seq == 1 => {
                        seeing = crate::conversations::members_seeing(w.txn(), &ws, row.department_id).await?;
                        (Vec::new(), note(phrase!("push-new-conversation", name = name), text, message.conversation_id))
                    }
                    None => return Ok(()),
                }
            }
            DomainEvent::InboxItemAdded { user_id, item: InboxItemKind::Mention, conversation_id, by, excerpt } => {
                let Some(conversation_id) = conversation_id else { return Ok(()) };
                let title = match by {
                    Some(by) => phrase!("push-mentioned", name = by),
                    None => phrase!("push-mentioned-someone"),
                };
                (vec![*user_id], note(title, Some(excerpt.clone()), *conversation_id))
            }
            _ => return Ok(()),
        };
        // Members who turned notifications on: the listed ones, or all (empty list).
        let mut members = scope.find::<membership::Entity>().filter(membership::Column::NotifyDesktop.eq(true));
        if !recipients.is_empty() {
            members = members.filter(membership::Column::UserId.is_in(recipients.iter().map(|u| u.0)));
        }
        let users: Vec<i64> = members
            .all(w.txn())
            .await?
            .into_iter()
            .filter(|m| seeing.as_ref().is_none_or(|seeing| seeing.sees(m)))
            .map(|m| m.user_id)
            .collect();
        if users.is_empty() {
            return Ok(());
        }
        // Each in their own language: theirs, else the workspace's.
        // unscoped: the recipients, members of this workspace, by id.
        let languages: Vec<(i64, String)> = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::Language])
            .filter(user::Column::Id.is_in(users.iter().copied()))
            .into_tuple()
            .all(w.txn())
            .await?;
        let devices = scope
            .find::<push_subscription::Entity>()
            .filter(push_subscription::Column::UserId.is_in(users))
            .all(w.txn())
            .await?;
        for device in devices {
            let own = languages.iter().find(|(id, _)| *id == device.user_id).map(|(_, l)| l.as_str());
            let lang = own.filter(|l| !l.is_empty()).unwrap_or(&ws.language);
            let note = note.in_language(lang, &ws.slug);
            let payload = serde_json::json!({ "subscription": device.id, "notification": note });
            w.enqueue(NewJob::new(SendPush::KIND, payload).in_workspace(stored.workspace_id)).await?;
        }
        Ok(())
    }
}

/// Events that may notify someone: a visitor's message, a mention.
fn notifies(event: &DomainEvent) -> bool {
    match event {
        DomainEvent::MessageCreated { message } => message.author == Author::Visitor && !message.internal,
        DomainEvent::InboxItemAdded { item: InboxItemKind::Mention, .. } => true,
        _ => false,
    }
}

/// A notification before it is written in its reader's language: the message's text (if
/// any) is the body.
struct Draft {
    title: Phrase,
    body: Option<String>,
    conversation: ConversationId,
}

impl Draft {
    fn in_language(&self, lang: &str, slug: &str) -> Notification {
        let conversation = self.conversation;
        let mut body: String = self.body.as_deref().unwrap_or_default().trim().chars().take(160).collect();
        if body.is_empty() {
            let empty = if self.body.is_some() { phrase!("push-open-parley") } else { phrase!("push-sent-file") };
            body = crate::phrases::in_language(lang, &empty);
        }
        Notification {
            title: crate::phrases::in_language(lang, &self.title),
            body,
            url: format!("/w/{slug}/inbox/{conversation}"),
            tag: format!("conversation-{conversation}"),
        }
    }
}

/// One shared HTTP client for push services.
fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

/// The `push.send` job: one notification to one device.
pub struct SendPush;

impl SendPush {
    pub const KIND: &'static str = "push.send";
}

#[async_trait::async_trait]
impl JobHandler for SendPush {
    fn kind(&self) -> &'static str {
        Self::KIND
    }

    async fn run(&self, svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
        let id = payload["subscription"].as_i64().ok_or_else(|| JobError("no subscription in the job".into()))?;
        let note: Notification = serde_json::from_value(payload["notification"].clone())?;
        // unscoped: the job names its row; the row carries its workspace.
        let Some(device) = push_subscription::Entity::find_by_id(id).one(w.txn()).await? else {
            return Ok(()); // unsubscribed meanwhile
        };
        let (Some(key), Some(auth)) = (crypto::unb64(&device.p256dh), crypto::unb64(&device.auth)) else {
            return forget(w, &device).await;
        };
        let body = serde_json::to_vec(&note)?;
        let Ok(encrypted) = crypto::encrypt(&key, &auth, &body) else { return forget(w, &device).await };
        let vapid = vapid(w.txn()).await?;
        let authorization = vapid
            .authorization(&device.endpoint, &svc.config.public_url, now_ms() / 1000)
            .ok_or_else(|| JobError("the endpoint is not a URL".into()))?;
        let response = client()
            .post(&device.endpoint)
            .header("authorization", authorization)
            .header("content-encoding", "aes128gcm")
            .header("content-type", "application/octet-stream")
            .header("ttl", TTL_SECS.to_string())
            .header("urgency", "high")
            .header(
                "topic",
                note.tag.replace(|c: char| !c.is_ascii_alphanumeric(), "").chars().take(32).collect::<String>(),
            )
            .body(encrypted)
            .send()
            .await?;
        match response.status().as_u16() {
            200..=299 => {
                let mut active: push_subscription::ActiveModel = device.into();
                active.last_sent_at_ms = Set(Some(now_ms()));
                active.update(w.txn()).await?;
                Ok(())
            }
            // The push service no longer knows this device.
            404 | 410 => forget(w, &device).await,
            status => Err(JobError(format!("push service answered {status}"))),
        }
    }
}

async fn forget(w: &mut Write, device: &push_subscription::Model) -> Result<(), JobError> {
    tracing::info!(subscription = device.id, "removing a push subscription its push service no longer knows");
    // unscoped: the row read just before, of its own workspace.
    push_subscription::Entity::delete_by_id(device.id).exec(w.txn()).await?;
    Ok(())
}

pub fn register(platform: &crate::platform::Platform) {
    platform.register_job(std::sync::Arc::new(SendPush));
    platform.register_consumer(std::sync::Arc::new(PushNotifier));
}

//! Email continuity: an operator's reply the visitor has not seen within
//! `PARLEY_UNSEEN_REPLY_EMAIL_SECS` (5 minutes) goes to the contact by email, when they
//! have an address and the workspace has mail settings, with a signed link that opens the
//! conversation again in the landing chat (`/chat/{key}?resume=…`).
//!
//! Each operator reply schedules a durable job for its conversation (one pending job per
//! conversation: replies in the same window share it). When it runs, the job emails every
//! operator reply newer than both what the visitor's widget displayed and what was emailed
//! before, and remembers how far it got (`conversations.emailed_seq`), so no reply is
//! emailed twice and a reply the visitor saw in time is never emailed. A mail server that
//! refuses or is down fails the job, which is retried with backoff.
//!
//! The link carries the contact, an expiry and an HMAC-SHA256 under a key derived from the
//! instance key; exchanging it (`POST /widget/v1/{key}/resume`) gives the browser a new
//! visitor token for that contact.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use parley_types::{Author, ContactId, Phrase, WidgetSession, WorkspaceId, phrase};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use sha2::Sha256;

use crate::Services;
use crate::access::Scope;
use crate::clock::now_ms;
use crate::entities::{contact, conversation, job, message, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{JobError, JobHandler, NewJob};
use crate::platform::Platform;
use crate::write::Write;

/// The job's kind.
pub const UNSEEN_REPLY_JOB: &str = "conversation.email_unseen_replies";
/// How long an emailed link works.
pub const RESUME_LINK_DAYS: i64 = 30;

pub(super) fn register(platform: &Platform) {
    platform.register_job(Arc::new(EmailUnseenReplies));
}

/// After an operator's reply: email it unless the visitor sees it in time.
pub(super) async fn schedule(
    svc: &Services,
    w: &mut Write,
    scope: Scope,
    conversation: &conversation::Model,
) -> ServiceResult<()> {
    let due = now_ms() + i64::try_from(svc.config.unseen_reply_email.as_millis()).unwrap_or(i64::MAX / 2);
    let job = NewJob::new(UNSEEN_REPLY_JOB, serde_json::json!({ "conversation_id": conversation.id }))
        .due_at(due)
        .unique(format!("unseen-reply:{}", conversation.id))
        .in_workspace(scope.workspace_id());
    // A job already pending for this conversation will take this reply too.
    w.enqueue(job).await?;
    Ok(())
}

#[derive(Deserialize)]
struct Payload {
    conversation_id: i64,
}

struct EmailUnseenReplies;

#[async_trait::async_trait]
impl JobHandler for EmailUnseenReplies {
    fn kind(&self) -> &'static str {
        UNSEEN_REPLY_JOB
    }

    async fn run(&self, svc: &Services, w: &mut Write, job: &job::Model) -> Result<(), JobError> {
        let payload: Payload = serde_json::from_str(&job.payload)?;
        let workspace = job.workspace_id.ok_or_else(|| JobError("the job names no workspace".into()))?;
        let scope = Scope::unchecked(WorkspaceId(workspace));
        let Some(conversation) = scope
            .find::<conversation::Entity>()
            .filter(conversation::Column::Id.eq(payload.conversation_id))
            .one(w.txn())
            .await?
        else {
            return Ok(()); // deleted meanwhile
        };
        let Some(contact) = scope
            .find::<contact::Entity>()
            .filter(contact::Column::Id.eq(conversation.contact_id))
            .one(w.txn())
            .await?
        else {
            return Ok(());
        };
        let Some(email) = contact.email.clone().filter(|e| !e.is_empty()) else { return Ok(()) };
        let floor = conversation.visitor_read_seq.max(conversation.emailed_seq);
        let replies = scope
            .find::<message::Entity>()
            .filter(message::Column::ConversationId.eq(conversation.id))
            .filter(message::Column::Seq.gt(floor))
            .filter(message::Column::Author.eq(Author::Operator.as_str()))
            .filter(message::Column::Internal.eq(false))
            .order_by_asc(message::Column::Seq)
            .all(w.txn())
            .await?;
        let Some(last) = replies.last().map(|m| m.seq) else { return Ok(()) };
        let ws = crate::workspaces::get(w.txn(), scope).await?;
        let team = crate::widget_config::look(w.txn(), &ws).await?.title;
        let link = resume_url(svc, &ws, ContactId(contact.id), now_ms() + RESUME_LINK_DAYS * 86_400_000)?;
        let names = super::queries::author_names(w.txn(), &replies).await?;
        // In the language the visitor's widget speaks.
        let lang = crate::contacts::lead_form::visitor_language(&ws, &contact);
        let say = |phrase: Phrase| crate::phrases::in_language(&lang, &phrase);
        let mail = crate::mail::Mail {
            to: email,
            subject: say(phrase!("mail-reply-subject", team = &team)),
            body: body(&team, &replies, &names, &link, &say),
        };
        match crate::mail::send(svc, scope, mail).await {
            Ok(true) => {
                // The app says this in the operator's words, read back from this form
                // (`emailed` in app/src/contacts/page.rs): keep it as it is.
                let count = replies.len();
                let what = if count == 1 {
                    format!("Emailed 1 unseen reply to {}", contact.email.as_deref().unwrap_or_default())
                } else {
                    format!("Emailed {count} unseen replies to {}", contact.email.as_deref().unwrap_or_default())
                };
                crate::contacts::identity::on_timeline(w, scope, contact.id, "email", &what, String::new(), now_ms())
                    .await?;
                w.notify(
                    crate::bus::Operators(scope.workspace_id()),
                    parley_types::OperatorEvent::ContactActivity { contact_id: ContactId(contact.id) },
                );
                scope
                    .update_many::<conversation::Entity>()
                    .col_expr(conversation::Column::EmailedSeq, Expr::value(last))
                    .filter(conversation::Column::Id.eq(conversation.id))
                    .filter(conversation::Column::EmailedSeq.lt(last))
                    .exec(w.txn())
                    .await?;
                tracing::info!(
                    workspace,
                    conversation = conversation.id,
                    replies = replies.len(),
                    "emailed unseen replies"
                );
                Ok(())
            }
            // No mail settings: nothing to send with (a later reply tries again).
            Ok(false) => Ok(()),
            Err(err) => Err(JobError(err)),
        }
    }
}

/// The email's text, each sentence said by `say`: each reply with its author, then the link.
fn body(
    team: &str,
    replies: &[message::Model],
    names: &std::collections::HashMap<i64, String>,
    link: &str,
    say: &dyn Fn(Phrase) -> String,
) -> String {
    let mut out = say(phrase!("mail-reply-intro", team = team));
    out.push_str("\n\n");
    for reply in replies {
        let who = reply.author_user_id.and_then(|id| names.get(&id)).map_or(team, String::as_str);
        let file;
        let text = if reply.body.is_empty() {
            file = say(phrase!("mail-reply-file"));
            file.as_str()
        } else {
            reply.body.as_str()
        };
        out.push_str(&format!("{who}:\n{text}\n\n"));
    }
    out.push_str(&say(phrase!("mail-reply-continue", link = link)));
    out.push_str("\n\n");
    out.push_str(&say(phrase!("mail-reply-link-days", days = RESUME_LINK_DAYS)));
    out.push('\n');
    out
}

type HmacSha256 = Hmac<Sha256>;

/// The MAC over a link's contact and expiry, under a key derived from the instance key
/// for this purpose only.
fn link_mac(svc: &Services, workspace: i64, contact: i64, expires_ms: i64) -> ServiceResult<HmacSha256> {
    let instance = crate::mail::instance_key(svc)?;
    let mut derive = HmacSha256::new_from_slice(&instance).map_err(|e| ServiceError::Internal(e.to_string()))?;
    derive.update(b"parley: conversation resume links");
    let key = derive.finalize().into_bytes();
    let mut mac = HmacSha256::new_from_slice(&key).map_err(|e| ServiceError::Internal(e.to_string()))?;
    mac.update(format!("{workspace}.{contact}.{expires_ms}").as_bytes());
    Ok(mac)
}

/// A signed link token for `contact`: `{contact}.{expires_ms}.{mac}`.
pub fn resume_token(
    svc: &Services,
    workspace: WorkspaceId,
    contact: ContactId,
    expires_ms: i64,
) -> ServiceResult<String> {
    let mac = link_mac(svc, workspace.0, contact.0, expires_ms)?.finalize().into_bytes();
    Ok(format!("{}.{expires_ms}.{}", contact.0, URL_SAFE_NO_PAD.encode(mac)))
}

/// The landing chat's address that opens `contact`'s conversation in `ws`.
pub fn resume_url(svc: &Services, ws: &workspace::Model, contact: ContactId, expires_ms: i64) -> ServiceResult<String> {
    let token = resume_token(svc, WorkspaceId(ws.id), contact, expires_ms)?;
    Ok(format!("{}/chat/{}?resume={token}", svc.config.public_url.trim_end_matches('/'), ws.public_key))
}

/// Exchanges a link token for a widget session as its contact (a new visitor token for
/// this browser). A token that is malformed, forged, another workspace's or expired is
/// `Unauthorized`.
pub async fn resume(svc: &Services, ws: &workspace::Model, token: &str) -> ServiceResult<WidgetSession> {
    let mut parts = token.trim().splitn(3, '.');
    let (Some(contact), Some(expires), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ServiceError::Unauthorized);
    };
    let (Ok(contact), Ok(expires), Ok(mac)) =
        (contact.parse::<i64>(), expires.parse::<i64>(), URL_SAFE_NO_PAD.decode(mac))
    else {
        return Err(ServiceError::Unauthorized);
    };
    // Compared in constant time.
    link_mac(svc, ws.id, contact, expires)?.verify_slice(&mac).map_err(|_| ServiceError::Unauthorized)?;
    if expires < now_ms() {
        return Err(ServiceError::Unauthorized);
    }
    let scope = Scope::unchecked(WorkspaceId(ws.id));
    let w = svc.begin().await?;
    let Some(row) = scope.find::<contact::Entity>().filter(contact::Column::Id.eq(contact)).one(w.txn()).await? else {
        return Err(ServiceError::Unauthorized); // deleted since
    };
    let browser_token = crate::tokens::random_token(32);
    crate::visitors::add_token(&w, scope, row.id, &browser_token).await?;
    w.commit().await?;
    crate::visitors::session(&svc.db, ws, &row, browser_token).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(seq: i64, by: Option<i64>, body: &str) -> message::Model {
        message::Model {
            id: seq,
            workspace_id: 1,
            conversation_id: 1,
            seq,
            author: "operator".into(),
            author_user_id: by,
            body: body.into(),
            client_id: None,
            created_at_ms: 0,
            internal: false,
            attachments: None,
            phrase: None,
        }
    }

    #[test]
    fn the_email_lists_each_reply_with_its_author_and_the_link() {
        let names = [(7, "Olga".to_owned())].into_iter().collect();
        let text = body(
            "Acme",
            &[reply(3, Some(7), "Hello!"), reply(4, Some(9), "")],
            &names,
            "https://p.test/chat/k?resume=t",
            &|p| crate::phrases::english(&p),
        );
        assert_eq!(
            text,
            "Acme replied to your conversation:\n\nOlga:\nHello!\n\nAcme:\n(sent a file)\n\n\
             Continue the conversation: https://p.test/chat/k?resume=t\n\n\
             This link works for 30 days. Reply in the chat, not to this email.\n"
        );
        // For a visitor whose widget speaks Spanish.
        let spanish = body("Acme", &[reply(3, Some(7), "¡Hola!")], &names, "https://p.test/x", &|p| {
            crate::phrases::in_language("es", &p)
        });
        assert_eq!(
            spanish,
            "Acme respondió a tu conversación:\n\nOlga:\n¡Hola!\n\nContinúa la conversación: https://p.test/x\n\n\
             Este enlace funciona durante 30 días. Responde en el chat, no a este correo.\n"
        );
    }
}

//! Showing a visitor's text to operators while it is stored: where it will be shown (in
//! the conversation the widget's socket follows, or as a new conversation), the arrival
//! before the write and its withdrawal when the message is not stored there.

use parley_types::{AttachmentId, Capability, ContactId, ConversationId, OperatorEvent};

use super::commands::Posted;
use super::queries::latest_of_contact_named;
use super::{check_client_id, check_message};
use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::Operators;
use crate::clock::now_ms;
use crate::error::ServiceResult;

/// [`post_visitor_message`] from a widget that knows where its message will be: operators
/// see the text there at once, while it is being stored, and the stored message then takes
/// its place. `shown` is [`Shown::In`] the conversation the widget's socket last received
/// a message of (`MessageArriving`), or [`Shown::New`] as [`newcomer`] told the socket
/// when it resumed with no conversation (`ConversationArriving`). Storing stays what
/// decides: the visitor's acknowledgement, the unread counts and everything else wait for
/// the commit. When the message is not stored there (it failed, was a resend, or went
/// into another conversation) operators are told to take the arrival away
/// (`ArrivalWithdrawn`, `ConversationArrivalWithdrawn`).
///
/// `shown` only says where to show the text; the message is stored where
/// [`post_visitor_message`] would store it. A stale `shown` (the contact's previous
/// conversation, in the instant after a member started a new one) shows the text to the
/// members who see that earlier conversation of the same contact, until it is withdrawn;
/// a stale [`Shown::New`] (someone made the contact a conversation since) shows a new
/// conversation until that conversation's summary takes its place.
///
/// Without `shown` the text is shown once stored ([`post_visitor_message`], whose callers
/// are not a widget's socket); a socket that knows nothing yet asks [`where_shown`].
///
/// [`post_visitor_message`]: super::post_visitor_message
pub async fn post_visitor_message_shown(
    svc: &Services,
    actor: &Actor,
    shown: Option<Shown>,
    client_id: &str,
    text: &str,
    files: &[AttachmentId],
) -> ServiceResult<Posted> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let contact = actor.visitor()?.contact_id;
    check_client_id(client_id)?;
    check_message(text, files.len())?;
    // Only text: files are checked and linked as the message is stored.
    let shown = shown.filter(|_| files.is_empty());
    let operators = Operators(scope.workspace_id());
    let created_at_ms = now_ms();
    match &shown {
        Some(Shown::In(conversation_id)) => svc.notify(
            operators,
            OperatorEvent::MessageArriving {
                conversation_id: *conversation_id,
                client_id: client_id.to_owned(),
                text: text.to_owned(),
                created_at_ms,
            },
        ),
        Some(Shown::New { contact_name }) => svc.notify(
            operators,
            OperatorEvent::ConversationArriving {
                contact_id: contact,
                contact_name: contact_name.clone(),
                client_id: client_id.to_owned(),
                text: text.to_owned(),
                created_at_ms,
            },
        ),
        None => {}
    }
    if shown.is_some() {
        // Let the operators' sockets, just woken, pass the text on before the write takes
        // the CPU (two cores serve both here): showing it is what they wait for.
        tokio::task::yield_now().await;
    }
    let posted = super::commands::store_visitor_message(svc, actor, scope, contact, client_id, text, files).await;
    match shown {
        Some(Shown::In(conversation_id)) if !matches!(&posted, Ok(p) if !p.duplicate && p.message.conversation_id == conversation_id) => {
            svc.notify(operators, OperatorEvent::ArrivalWithdrawn { conversation_id, client_id: client_id.to_owned() })
        }
        // Stored in a conversation that someone made meanwhile, the summary of that one
        // replaces the row all the same.
        Some(Shown::New { .. }) if !matches!(&posted, Ok(p) if !p.duplicate) => svc.notify(
            operators,
            OperatorEvent::ConversationArrivalWithdrawn { contact_id: contact, client_id: client_id.to_owned() },
        ),
        _ => {}
    }
    posted
}

/// Where operators are shown a visitor's text before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// In this conversation, after its stored messages.
    In(ConversationId),
    /// As a new conversation of the contact, named so.
    New { contact_name: String },
}

/// For a visitor whose socket resumed with no conversation: how their first message will
/// be shown before it is stored, read now (three small reads) so that sending it reads
/// nothing. `None` while the first message would be refused (the form comes first), or
/// when a read failed: such a message is then looked at again as it is sent.
pub async fn newcomer(svc: &Services, actor: &Actor) -> Option<Shown> {
    let (scope, contact) = chatting_visitor(actor)?;
    as_newcomer(svc, scope, contact).await.unwrap_or_else(|err| {
        tracing::warn!(%err, "could not tell how to show a visitor's first message before storing it");
        None
    })
}

async fn as_newcomer(svc: &Services, scope: Scope, contact: ContactId) -> ServiceResult<Option<Shown>> {
    let row = crate::contacts::row_in(&svc.db, scope, contact).await?;
    let allowed = crate::contacts::lead_form::check_first_message_of(&svc.db, scope, &row).await.is_ok();
    Ok(allowed.then_some(Shown::New { contact_name: row.name }))
}

/// Where to show a message from a widget whose socket knows of no conversation (it did
/// not resume one, or the form was due at its resume): the contact's latest one (where it
/// will be stored, opened again if need be), else a new one unless the first message will
/// be refused (the form comes first). `None` when it cannot be told (a read failed): the
/// message is then shown once stored.
pub async fn where_shown(svc: &Services, actor: &Actor) -> Option<Shown> {
    let (scope, contact) = chatting_visitor(actor)?;
    let read = async {
        if let Some((latest, _)) = latest_of_contact_named(&svc.db, scope, contact).await? {
            return Ok(Some(Shown::In(ConversationId(latest.id))));
        }
        as_newcomer(svc, scope, contact).await
    };
    read.await.unwrap_or_else(|err| {
        tracing::warn!(%err, "could not tell where to show a visitor's message before storing it");
        None
    })
}

/// The visitor an actor is, with their workspace, when they may chat.
fn chatting_visitor(actor: &Actor) -> Option<(Scope, ContactId)> {
    let scope = actor.require(Capability::ChatAsVisitor).ok()?;
    Some((scope, actor.visitor().ok()?.contact_id))
}

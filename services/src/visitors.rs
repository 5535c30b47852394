//! Anonymous widget visitors: each is a "guest" contact identified by a bearer token
//! the widget keeps in localStorage.

use parley_types::{ContactId, WidgetSession, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, QueryFilter, Set};

use crate::Services;
use crate::access::{Actor, Scope, Visitor};
use crate::clock::now_ms;
use crate::entities::{contact, workspace};
use crate::error::{ServiceError, ServiceResult};
use crate::events::DomainEvent;
use crate::tokens::{random_token, token_digest};

/// Issues a new anonymous visitor in `ws`, the workspace of a widget key whose page
/// origin the caller has checked. Anyone on an allowed site may become a visitor.
pub async fn create_visitor(svc: &Services, ws: &workspace::Model) -> ServiceResult<WidgetSession> {
    let token = random_token(32);
    let now = now_ms();
    let mut w = svc.begin().await?;
    let contact = contact::ActiveModel {
        workspace_id: Set(ws.id),
        kind: Set("guest".into()),
        name: Set(format!("Guest {}", &token_digest(&token)[..4].to_uppercase())),
        visitor_token_hash: Set(token_digest(&token)),
        created_at_ms: Set(now),
        last_seen_at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    w.record(WorkspaceId(ws.id), DomainEvent::VisitorCreated { contact_id: ContactId(contact.id) });
    w.commit().await?;
    Ok(WidgetSession { token, contact_id: ContactId(contact.id), workspace_name: ws.name.clone() })
}

/// The visitor a token belongs to, in this workspace only.
pub async fn find_visitor(
    db: &DatabaseConnection,
    workspace_id: WorkspaceId,
    token: &str,
) -> ServiceResult<contact::Model> {
    Scope::unchecked(workspace_id)
        .find::<contact::Entity>()
        .filter(contact::Column::VisitorTokenHash.eq(token_digest(token)))
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthorized)
}

/// The actor for a visitor found by [`find_visitor`].
pub fn actor(contact: &contact::Model) -> Actor {
    Actor::Visitor(Visitor { contact_id: ContactId(contact.id), workspace_id: WorkspaceId(contact.workspace_id) })
}

//! Server functions for widget settings.

// A server function's arguments are its form fields (`update_department` has eight), and
// the macro's client half copies no attribute from the function.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ApiError;

/// What the widget settings page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettings {
    pub public_key: String,
    /// The floating bubble's snippet, the form chat's (a host element plus the same
    /// script) and the landing chat's address.
    pub snippet: String,
    pub form_snippet: String,
    pub landing_url: String,
    pub allowed_origins: Vec<String>,
    /// How the widget looks, with the version a save starts from.
    pub config: parley_types::WidgetConfig,
    /// The workspace's name (the panel's title when no team name is set).
    pub workspace_name: String,
    /// Whether the member may change them (owners and admins).
    pub can_edit: bool,
}

/// Members: the embed snippets, allowed origins and widget settings of their workspace
/// (operators see them read-only).
#[server(endpoint = "get_widget_settings")]
pub async fn get_widget_settings() -> Result<WidgetSettings, ApiError> {
    use parley_services::{widget_config, workspaces};
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let ws = workspaces::get(&svc.db, actor.own_workspace()).await?;
    let public_url = svc.config.public_url.trim_end_matches('/');
    let snippet = workspaces::embed_snippet(public_url, &ws.public_key);
    Ok(WidgetSettings {
        form_snippet: format!("<div data-parley-chat></div>\n{snippet}"),
        landing_url: format!("{public_url}/chat/{}", ws.public_key),
        snippet,
        allowed_origins: workspaces::allowed_origins(&ws),
        config: widget_config::config_of(&ws),
        workspace_name: ws.name.clone(),
        public_key: ws.public_key,
        can_edit: actor.can(parley_types::Capability::ManageWidget),
    })
}

/// Owners and admins (`manage widget`): saves how the widget looks; every problem listed
/// at once, or a conflict when someone saved since `config.version`. Open widgets show
/// the change at once.
#[server(endpoint = "save_widget_config", input = server_fn::codec::Json)]
pub async fn save_widget_config(config: parley_types::WidgetConfig) -> Result<parley_types::WidgetConfig, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::widget_config::save(&svc, &actor, config).await?)
}

/// Members who may manage the widget (owners and admins): replaces the allowed origins
/// (one per line). The service checks the capability.
#[server(endpoint = "update_allowed_origins")]
pub async fn update_allowed_origins(origins: String) -> Result<Vec<String>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let list: Vec<String> = origins.lines().map(str::to_owned).collect();
    Ok(parley_services::workspaces::set_allowed_origins(&svc, &actor, &list).await?)
}

/// Owners and admins (`manage labels`): adds a conversation label.
#[server(endpoint = "create_label")]
pub async fn create_label(name: String, colour: String) -> Result<parley_types::Label, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::create_label(&svc, &actor, &name, &colour).await?)
}

/// Owners and admins (`manage labels`): renames or recolours a label.
#[server(endpoint = "update_label")]
pub async fn update_label(
    id: parley_types::LabelId,
    name: String,
    colour: String,
) -> Result<parley_types::Label, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::update_label(&svc, &actor, id, &name, &colour).await?)
}

/// Owners and admins (`manage labels`): deletes a label (it comes off every conversation);
/// answers how many conversations had it.
#[server(endpoint = "delete_label")]
pub async fn delete_label(id: parley_types::LabelId) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::labels::delete_label(&svc, &actor, id).await?)
}

/// Members: after how many hours without a message an open conversation expires (0:
/// never).
#[server(endpoint = "get_expiry")]
pub async fn get_expiry() -> Result<i32, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspaces::expire_after(&svc.db, &actor).await? / 60)
}

/// Owners and admins (`manage inbox settings`): sets the expiry period in hours (0: never).
#[server(endpoint = "update_expiry")]
pub async fn update_expiry(hours: i32) -> Result<i32, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let minutes = hours.checked_mul(60).ok_or_else(|| {
        parley_services::phrases::api_error(
            parley_types::ErrorCode::Invalid,
            parley_types::phrase!("err-inbox-expiry-too-long"),
        )
    })?;
    Ok(parley_services::workspaces::set_expire_after(&svc, &actor, minutes).await? / 60)
}

/// Members: the workspace's upload limits per kind of file, in bytes.
#[server(endpoint = "get_attachment_limits")]
pub async fn get_attachment_limits() -> Result<parley_types::AttachmentLimits, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::attachments::get_limits(&svc.db, &actor).await?)
}

/// Owners and admins (`manage inbox settings`): sets the upload limits, in megabytes
/// (decimal, as people count file sizes; fractions allowed).
#[server(endpoint = "update_attachment_limits")]
pub async fn update_attachment_limits(
    image_mb: f64,
    video_mb: f64,
    audio_mb: f64,
    document_mb: f64,
) -> Result<parley_types::AttachmentLimits, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let bytes = |mb: f64| if mb.is_finite() && mb > 0.0 { (mb * 1e6).round().min(u64::MAX as f64) as u64 } else { 0 };
    let limits = parley_types::AttachmentLimits {
        image: bytes(image_mb),
        video: bytes(video_mb),
        audio: bytes(audio_mb),
        document: bytes(document_mb),
    };
    Ok(parley_services::attachments::set_limits(&svc, &actor, limits).await?)
}

/// The members of a department as the settings form sends them: user ids separated by
/// commas.
#[cfg(feature = "ssr")]
fn department_input(
    name: String,
    auto_assign: bool,
    capacity: i64,
    members: &str,
    is_default: bool,
    (description, in_picker): (String, bool),
) -> Result<parley_services::departments::DepartmentInput, ApiError> {
    let members = members
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(|id| {
            id.parse().map_err(|_| {
                parley_services::phrases::api_error(
                    parley_types::ErrorCode::Invalid,
                    parley_types::phrase!("err-departments-member-ids"),
                )
            })
        })
        .collect::<Result<Vec<parley_types::UserId>, ApiError>>()?;
    Ok(parley_services::departments::DepartmentInput {
        name,
        auto_assign,
        capacity,
        members,
        is_default,
        description,
        in_picker,
    })
}

/// Owners and admins (`manage departments`): adds a department. `members`: user ids,
/// comma-separated.
#[server(endpoint = "create_department")]
pub async fn create_department(
    name: String,
    auto_assign: bool,
    capacity: i64,
    members: String,
    is_default: bool,
    #[server(default)] description: String,
    #[server(default)] in_picker: bool,
) -> Result<parley_types::Department, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let input = department_input(name, auto_assign, capacity, &members, is_default, (description, in_picker))?;
    Ok(parley_services::departments::create_department(&svc, &actor, input).await?)
}

/// Owners and admins (`manage departments`): changes a department.
#[server(endpoint = "update_department")]
pub async fn update_department(
    id: parley_types::DepartmentId,
    name: String,
    auto_assign: bool,
    capacity: i64,
    members: String,
    is_default: bool,
    #[server(default)] description: String,
    #[server(default)] in_picker: bool,
) -> Result<parley_types::Department, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let input = department_input(name, auto_assign, capacity, &members, is_default, (description, in_picker))?;
    Ok(parley_services::departments::update_department(&svc, &actor, id, input).await?)
}

/// Owners and admins (`manage departments`): deletes a department; answers how many
/// conversations left it.
#[server(endpoint = "delete_department")]
pub async fn delete_department(id: parley_types::DepartmentId) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::departments::delete_department(&svc, &actor, id).await?)
}

/// Owners and admins (`manage widget`): the pre-chat form and email capture.
#[server(endpoint = "get_lead_form_settings")]
pub async fn get_lead_form_settings() -> Result<parley_types::LeadFormSettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::lead_form::lead_form_settings(&svc.db, &actor).await?)
}

/// Owners and admins (`manage widget`): saves the pre-chat form and email capture (every
/// wrong setting listed in `fields`, nothing saved).
#[server(endpoint = "save_lead_form_settings")]
pub async fn save_lead_form_settings(
    settings: parley_types::LeadFormSettings,
) -> Result<parley_types::LeadFormSettings, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::contacts::lead_form::save_lead_form_settings(&svc, &actor, settings).await?)
}

/// Owners and admins (`manage tokens`): the workspace's API access tokens (never their
/// secrets).
#[server(endpoint = "list_access_tokens")]
pub async fn list_access_tokens() -> Result<Vec<parley_types::AccessToken>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::access_tokens::list_tokens(&svc.db, &actor).await?)
}

/// Owners and admins (`manage tokens`): makes a token acting for the caller; the answer
/// holds its secret, shown this once. `expires_in_days` empty: never expires.
#[server(endpoint = "create_access_token")]
pub async fn create_access_token(
    name: String,
    #[server(default)] scopes: Vec<String>,
    #[server(default)] expires_in_days: Option<u32>,
) -> Result<parley_types::NewAccessToken, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::access_tokens::create_token(&svc, &actor, &name, &scopes, expires_in_days).await?)
}

/// Owners and admins (`manage tokens`): revokes a token (its next request is refused).
#[server(endpoint = "revoke_access_token")]
pub async fn revoke_access_token(id: i64) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::access_tokens::revoke_token(&svc, &actor, id).await?)
}

/// Owners and admins (`manage members`): the workspace's members with email, role and
/// grants.
#[server(endpoint = "list_members")]
pub async fn list_members() -> Result<Vec<parley_types::TeamMember>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::list_members(&svc.db, &actor).await?)
}

/// Owners and admins (`manage members`; owners for anything touching an owner): gives a
/// member another role and, for operators, grants. The last owner stays an owner.
#[server(endpoint = "change_member_role")]
pub async fn change_member_role(
    user_id: parley_types::UserId,
    role: parley_types::Role,
    #[server(default)] grants: Vec<parley_types::Capability>,
) -> Result<parley_types::TeamMember, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::change_role(&svc, &actor, user_id, role, &grants).await?)
}

/// Owners and admins (`manage members`), or any member for themselves (leaving): removes
/// a member; their sessions end and their conversations go back to Live. Answers how many
/// conversations did.
#[server(endpoint = "remove_member")]
pub async fn remove_member(user_id: parley_types::UserId) -> Result<u64, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::members::remove_member(&svc, &actor, user_id).await?)
}

/// Owners and admins (`read the audit log`): a page of the audit log, newest first.
#[server(endpoint = "list_audit_entries")]
pub async fn list_audit_entries(
    #[server(default)] filter: parley_types::AuditFilter,
) -> Result<parley_types::AuditPage, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::audit::list(&svc.db, &actor, &filter).await?)
}

/// Owners and admins (`read the audit log`): how many days entries are kept (30 to
/// 3,650).
#[server(endpoint = "set_audit_retention")]
pub async fn set_audit_retention(days: u32) -> Result<u32, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::audit::set_retention(&svc, &actor, days).await?)
}

/// Owners and admins (`manage members`; owners to invite an owner): invites an address
/// with a role and departments. The answer holds the link, shown this once, and whether
/// it was mailed.
#[server(endpoint = "invite_member")]
pub async fn invite_member(
    email: String,
    role: parley_types::Role,
    #[server(default)] departments: Vec<parley_types::DepartmentId>,
) -> Result<parley_types::NewInvitation, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::invitations::invite(&svc, &actor, &email, role, &departments).await?)
}

/// Owners and admins (`manage members`): the invitations not accepted yet.
#[server(endpoint = "list_invitations")]
pub async fn list_invitations() -> Result<Vec<parley_types::Invitation>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::invitations::list(&svc.db, &actor).await?)
}

/// Owners and admins (`manage members`): a new link for an invitation (the old one stops
/// working), mailed again.
#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(id: i64) -> Result<parley_types::NewInvitation, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::invitations::resend(&svc, &actor, id).await?)
}

/// Owners and admins (`manage members`): revokes an invitation.
#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(id: i64) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::invitations::revoke(&svc, &actor, id).await?)
}

/// Owners and admins (`manage members`): the workspace's mail server (password left
/// out), `None` when there is none.
#[server(endpoint = "get_mail_settings")]
pub async fn get_mail_settings() -> Result<Option<parley_types::SmtpSettings>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::mail::settings(&svc.db, &actor).await?)
}

/// Owners and admins (`manage members`): saves the mail server (an empty host removes it;
/// an empty password keeps the stored one).
#[server(endpoint = "save_mail_settings")]
pub async fn save_mail_settings(
    settings: parley_types::SmtpSettings,
) -> Result<Option<parley_types::SmtpSettings>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::mail::save_settings(&svc, &actor, settings).await?)
}

/// Owners and admins (`manage members`): sends a test message with the saved settings.
#[server(endpoint = "send_test_email")]
pub async fn send_test_email(to: String) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::mail::send_test(&svc, &actor, &to).await?)
}

/// Owners and admins (`manage members`; owners for an owner): a password reset link for a
/// member, to hand over (valid one hour, once).
#[server(endpoint = "make_password_reset_link")]
pub async fn make_password_reset_link(user_id: parley_types::UserId) -> Result<String, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::profile::reset_link_for(&svc, &actor, user_id).await?)
}

/// Members: the workspace's business hours (`None`: always open).
#[server(endpoint = "get_business_hours")]
pub async fn get_business_hours() -> Result<Option<parley_types::BusinessHours>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::hours::get(&svc.db, &actor).await?)
}

/// Owners and admins (`manage inbox settings`): saves the business hours (`None`: always
/// open); every problem listed at once. Sent as JSON: a week with a closed day is a list
/// holding an empty list, which form encoding would drop (shifting the days after it).
#[server(endpoint = "save_business_hours", input = server_fn::codec::Json)]
pub async fn save_business_hours(
    #[server(default)] hours: Option<parley_types::BusinessHours>,
) -> Result<Option<parley_types::BusinessHours>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::hours::save(&svc, &actor, hours).await?)
}

/// Owners and admins (`manage departments`): gives a department its own business hours
/// (`None`: the workspace's). Sent as JSON, like the workspace's hours.
#[server(endpoint = "save_department_hours", input = server_fn::codec::Json)]
pub async fn save_department_hours(
    id: parley_types::DepartmentId,
    #[server(default)] hours: Option<parley_types::BusinessHours>,
) -> Result<Option<parley_types::BusinessHours>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::departments::save_department_hours(&svc, &actor, id, hours).await?)
}

/// Members: whether operators see only their departments' conversations, the unrouted
/// ones and those assigned to them.
#[server(endpoint = "get_own_departments_only")]
pub async fn get_own_departments_only() -> Result<bool, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::own_departments_only(&svc.db, &actor).await?)
}

/// Owners and admins (`manage departments`): turns "operators see only their
/// departments' conversations" on or off.
#[server(endpoint = "set_own_departments_only")]
pub async fn set_own_departments_only(on: bool) -> Result<bool, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::conversations::set_own_departments_only(&svc, &actor, on).await?)
}

/// Members: the routing rules, in order.
#[server(endpoint = "list_routing_rules")]
pub async fn list_routing_rules() -> Result<Vec<parley_types::RoutingRule>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::departments::list_rules(&svc.db, &actor).await?)
}

/// Owners and admins (`manage departments`): replaces the routing rules (in this order);
/// every problem listed by position. Sent as JSON (an empty list clears them).
#[server(endpoint = "save_routing_rules", input = server_fn::codec::Json)]
pub async fn save_routing_rules(
    #[server(default)] rules: Vec<parley_types::RoutingRule>,
) -> Result<Vec<parley_types::RoutingRule>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::departments::save_rules(&svc, &actor, rules).await?)
}

/// Members: the workspace's general settings.
#[server(endpoint = "get_workspace_general")]
pub async fn get_workspace_general() -> Result<parley_types::WorkspaceGeneral, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspace_admin::general(&svc.db, &actor).await?)
}

/// Owners and admins (`manage the workspace`): saves name, address, logo, language and
/// time zone; every problem at once, a taken address is a conflict.
#[server(endpoint = "save_workspace_general", input = server_fn::codec::Json)]
pub async fn save_workspace_general(
    general: parley_types::WorkspaceGeneral,
) -> Result<parley_types::WorkspaceGeneral, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspace_admin::save_general(&svc, &actor, general).await?)
}

/// Members: the workspaces they belong to, with what waits in each.
#[server(endpoint = "list_my_workspaces")]
pub async fn list_my_workspaces() -> Result<Vec<parley_types::WorkspaceChoice>, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspace_admin::my_workspaces(&svc.db, &actor).await?)
}

/// Members: this session works in the workspace at `slug` from now on (one of theirs;
/// another is not found).
#[server(endpoint = "switch_workspace")]
pub async fn switch_workspace(slug: String) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let member = actor.member()?;
    let target = parley_services::workspace_admin::membership_by_slug(&svc.db, member.user_id, &slug).await?;
    crate::ssr::session()
        .await?
        .insert(parley_services::auth::SESSION_WORKSPACE_KEY, target.0)
        .await
        .map_err(|_| ApiError::internal())?;
    Ok(())
}

/// Members: creates a workspace they own and switches this session to it (an instance
/// setting may keep this to owners).
#[server(endpoint = "create_my_workspace")]
pub async fn create_my_workspace(name: String) -> Result<parley_types::WorkspaceChoice, ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    let made = parley_services::workspace_admin::create_own(&svc, &actor, &name).await?;
    crate::ssr::session()
        .await?
        .insert(parley_services::auth::SESSION_WORKSPACE_KEY, made.id.0)
        .await
        .map_err(|_| ApiError::internal())?;
    Ok(made)
}

/// Owners: gives the workspace to another member (they become an owner, the caller an
/// admin).
#[server(endpoint = "transfer_ownership")]
pub async fn transfer_ownership(user_id: parley_types::UserId) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspace_admin::transfer_ownership(&svc, &actor, user_id).await?)
}

/// Owners: deletes the workspace once `name` is typed exactly; every member's session in
/// it ends (the caller's too).
#[server(endpoint = "delete_workspace")]
pub async fn delete_workspace(name: String) -> Result<(), ApiError> {
    let (actor, svc) = (crate::ssr::actor().await?, crate::ssr::services()?);
    Ok(parley_services::workspace_admin::delete_workspace(&svc, &actor, &name).await?)
}

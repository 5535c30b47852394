//! Operator accounts: password hashing (argon2id), sign-in, and slowing down repeated
//! failed sign-ins.

mod throttle;

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use parley_types::{AuditAction, Capability, Phrase, UserId, WorkspaceId, phrase};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use crate::access::Member;
use crate::entities::{membership, user};
use crate::error::{ServiceError, ServiceResult};

pub use throttle::{
    ACCOUNT_BURST, ACCOUNT_REFILL, Attempt, FREE_FAILURES, LoginThrottle, PAIR_WINDOW, SIGN_IN_BURST,
    SIGN_INS_PER_MINUTE,
};

/// Shortest accepted password.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted password, in bytes: checked before any hashing, so a megabyte of
/// "password" cannot keep a core busy.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Hashing and verifying run on the blocking pool, at most this many at once, so a
/// burst of sign-ins cannot starve the async runtime.
const HASHING_AT_ONCE: usize = 2;

fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| tokio::sync::Semaphore::new(HASHING_AT_ONCE))
}

/// Runs argon2 work off the async threads, a few at a time.
async fn on_hashing_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ServiceResult<T> {
    let _permit = hashing_permits().acquire().await.map_err(|err| ServiceError::Internal(err.to_string()))?;
    tokio::task::spawn_blocking(work).await.map_err(|err| ServiceError::Internal(format!("hashing task: {err}")))
}

/// [`hash_password`] on the blocking pool.
pub async fn hash_password_off_thread(password: &str) -> ServiceResult<String> {
    let password = password.to_owned();
    on_hashing_pool(move || hash_password(&password)).await?
}

/// [`verify_password`] on the blocking pool.
pub async fn verify_password_off_thread(password: &str, stored: &str) -> ServiceResult<bool> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    on_hashing_pool(move || verify_password(&password, &stored)).await
}

/// Hashes a password for storage.
pub fn hash_password(password: &str) -> ServiceResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| ServiceError::Internal(format!("hashing failed: {err}")))
}

/// Checks a password against a stored hash (argon2 compares in constant time).
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        .unwrap_or(false)
}

/// Longest accepted email address, in bytes (RFC 5321's path limit).
pub const MAX_EMAIL_BYTES: usize = 254;

/// Normalises an email for storage and lookup; refuses what cannot be an address.
/// Overlong input is refused before any work is done on it.
pub fn normalize_email(email: &str) -> ServiceResult<String> {
    let email = email.trim();
    if email.len() > MAX_EMAIL_BYTES {
        return Err(ServiceError::Invalid(phrase!("err-auth-email-too-long", max = MAX_EMAIL_BYTES)));
    }
    let email = email.to_lowercase();
    let valid = email.len() <= MAX_EMAIL_BYTES
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
        && !email.contains(char::is_whitespace);
    if valid { Ok(email) } else { Err(ServiceError::Invalid(phrase!("err-auth-email-invalid"))) }
}

/// Refuses passwords that are too short or too long.
pub fn check_new_password(password: &str) -> ServiceResult<()> {
    match new_password_problem(password) {
        Some(problem) => Err(ServiceError::Invalid(problem)),
        None => Ok(()),
    }
}

/// What is wrong with a new password (too short or too long), if anything: the sentence
/// [`check_new_password`] refuses it with, for a form to show beside the field.
pub fn new_password_problem(password: &str) -> Option<Phrase> {
    if let Some(problem) = password_length_problem(password) {
        return Some(problem);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Some(phrase!("err-auth-password-too-short", min = MIN_PASSWORD_CHARS));
    }
    None
}

/// Refuses a password longer than [`MAX_PASSWORD_BYTES`] before any work is done on it.
pub fn check_password_length(password: &str) -> ServiceResult<()> {
    match password_length_problem(password) {
        Some(problem) => Err(ServiceError::Invalid(problem)),
        None => Ok(()),
    }
}

fn password_length_problem(password: &str) -> Option<Phrase> {
    (password.len() > MAX_PASSWORD_BYTES).then(|| phrase!("err-auth-password-too-long", max = MAX_PASSWORD_BYTES))
}

/// Keys of the operator session's values.
pub const SESSION_USER_KEY: &str = "user_id";
pub const SESSION_WORKSPACE_KEY: &str = "workspace_id";

/// Verifies an email and password and picks the user's first workspace, for in-process
/// callers (the CLI, tests): throttled as if from this machine, not audited.
pub async fn sign_in(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    email: &str,
    password: &str,
) -> ServiceResult<Member> {
    verify(db, throttle, email, password, IpAddr::from([127, 0, 0, 1])).await.map_err(|(err, _)| err)
}

/// Verifies an email and password sent from `client` and picks the user's first
/// workspace. Malformed input is refused before any work; the throttle then admits the
/// attempt (or answers 429) before the password is verified. A wrong password for an
/// existing account goes to the audit log of each of its workspaces.
pub async fn sign_in_from(svc: &crate::Services, email: &str, password: &str, client: IpAddr) -> ServiceResult<Member> {
    match verify(&svc.db, &svc.throttle, email, password, client).await {
        Ok(member) => Ok(member),
        Err((err, Some(account))) => {
            crate::audit::sign_in_failed(svc, &account, "wrong password").await?;
            Err(err)
        }
        Err((err, None)) => Err(err),
    }
}

/// The check behind both sign-ins; a wrong password names the account it was for.
async fn verify(
    db: &DatabaseConnection,
    throttle: &LoginThrottle,
    email: &str,
    password: &str,
    client: IpAddr,
) -> Result<Member, (ServiceError, Option<user::Model>)> {
    let key =
        normalize_email(email).map_err(|_| (ServiceError::Invalid(phrase!("err-auth-wrong-credentials")), None))?;
    check_password_length(password).map_err(|err| (err, None))?;
    let attempt = throttle.begin(&key, client).map_err(|err| (err, None))?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(key.as_str()))
        .one(db)
        .await
        .map_err(|e| (e.into(), None))?;
    // Verify against a fixed hash when the user is unknown, so timing does not reveal
    // which emails have accounts.
    let stored = found.as_ref().map_or_else(|| dummy_hash().to_owned(), |user| user.password_hash.clone());
    let ok = verify_password_off_thread(password, &stored).await.map_err(|err| (err, None))? && found.is_some();
    let user = match found {
        Some(user) if ok => user,
        found => {
            attempt.failed();
            if found.is_none() {
                tracing::info!("failed sign-in for an address without an account");
            }
            return Err((ServiceError::Invalid(phrase!("err-auth-wrong-credentials")), found));
        }
    };
    attempt.succeeded();
    // unscoped: a user's memberships span workspaces; signing in picks the first.
    let membership = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .order_by_asc(membership::Column::Id)
        .one(db)
        .await
        .map_err(|e| (e.into(), None))?
        .ok_or((ServiceError::Forbidden, None))?;
    to_member(user, membership).map_err(|err| (err, None))
}

/// Reloads a session's user, checking the membership still exists.
pub async fn current_member(
    db: &DatabaseConnection,
    user_id: UserId,
    workspace_id: WorkspaceId,
) -> ServiceResult<Member> {
    let membership = crate::Scope::unchecked(workspace_id)
        .find::<membership::Entity>()
        .filter(membership::Column::UserId.eq(user_id.0))
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthorized)?;
    let user = user::Entity::find_by_id(user_id.0).one(db).await?.ok_or(ServiceError::Unauthorized)?;
    to_member(user, membership)
}

/// The workspace a request names by its address (`/w/{slug}/…`), which the server reads
/// off the path: each browser tab works in the workspace its address shows. A request
/// without one works in the session's last chosen workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenWorkspace(pub String);

/// The member a session belongs to in the workspace the request chose (or the session's
/// own): the one way requests (server functions, the operator socket, downloads) find out
/// who is signed in. `None` without a signed-in session, when the membership is gone, or
/// when the chosen workspace is not one of the user's.
pub async fn member_from_session(
    svc: &crate::Services,
    session: &tower_sessions::Session,
    chosen: Option<&ChosenWorkspace>,
) -> ServiceResult<Option<Member>> {
    let read = |err: tower_sessions::session::Error| ServiceError::Internal(format!("session store: {err}"));
    let user = session.get::<i64>(SESSION_USER_KEY).await.map_err(read)?;
    let workspace = session.get::<i64>(SESSION_WORKSPACE_KEY).await.map_err(read)?;
    let (Some(user), Some(workspace)) = (user, workspace) else { return Ok(None) };
    if !keep_alive(svc, session).await? {
        return Ok(None);
    }
    let workspace = match chosen {
        None => match current_member(&svc.db, UserId(user), WorkspaceId(workspace)).await {
            Ok(member) => return Ok(Some(member)),
            // The session's workspace is gone (deleted, or left): the user's first other.
            Err(ServiceError::Unauthorized) => match first_membership(&svc.db, UserId(user)).await? {
                Some(id) => id,
                None => return Ok(None),
            },
            Err(err) => return Err(err),
        },
        Some(ChosenWorkspace(slug)) => {
            match crate::workspace_admin::membership_by_slug(&svc.db, UserId(user), slug).await {
                Ok(id) => id,
                Err(ServiceError::NotFound) => return Ok(None),
                Err(err) => return Err(err),
            }
        }
    };
    match current_member(&svc.db, UserId(user), workspace).await {
        Ok(member) => Ok(Some(member)),
        Err(ServiceError::Unauthorized) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The member a page request is signed in as (`None`: nobody), found once by the
/// server's page middleware and put in the request's extensions, so the page's render
/// does not look the session up again.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Option<Member>);

/// The language a member's pages use in the operator app: their own choice, else their
/// workspace's.
pub async fn page_language(svc: &crate::Services, member: &Member) -> ServiceResult<String> {
    let own = user::Entity::find_by_id(member.user_id.0).one(&svc.db).await?.map(|u| u.language);
    if let Some(own) = own.filter(|l| !l.is_empty()) {
        return Ok(own);
    }
    // unscoped: the member's own workspace, found by its id.
    let workspace = crate::entities::workspace::Entity::find_by_id(member.workspace_id.0).one(&svc.db).await?;
    Ok(workspace.map(|w| w.language).unwrap_or_default())
}

/// The first workspace (oldest membership) `user` belongs to that still exists.
async fn first_membership(db: &DatabaseConnection, user: UserId) -> ServiceResult<Option<WorkspaceId>> {
    // unscoped: a user's memberships span workspaces.
    let ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.0))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.workspace_id)
        .collect();
    let live: Vec<i64> = crate::entities::workspace::Entity::find()
        .filter(crate::entities::workspace::Column::Id.is_in(ids.clone()))
        .filter(crate::entities::workspace::Column::DeletedAtMs.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.id)
        .collect();
    Ok(ids.into_iter().find(|id| live.contains(id)).map(WorkspaceId))
}

/// The signed-in user of a session, whatever workspace a request chose: tells "signed
/// out" from "signed in, but not a member of the workspace this address names".
pub async fn session_user(session: &tower_sessions::Session) -> ServiceResult<Option<UserId>> {
    let read = |err: tower_sessions::session::Error| ServiceError::Internal(format!("session store: {err}"));
    Ok(session.get::<i64>(SESSION_USER_KEY).await.map_err(read)?.map(UserId))
}

/// Applies the session's lifetimes to a request made with it: past its absolute lifetime
/// it ends (false); otherwise its end moves `PARLEY_SESSION_IDLE_MINUTES` past now (the
/// session layer saves the row and refreshes the cookie), written at most once a minute.
/// A session idle for longer never gets here: its row has expired and does not load.
async fn keep_alive(svc: &crate::Services, session: &tower_sessions::Session) -> ServiceResult<bool> {
    use crate::session_store::{Renewal, SEEN_AT, SIGNED_IN_AT, SessionLifetime};
    let store = |err: tower_sessions::session::Error| ServiceError::Internal(format!("session store: {err}"));
    let now = crate::clock::now_ms();
    // Sessions from before lifetimes were recorded count from their first use since.
    let signed_in = match session.get::<i64>(SIGNED_IN_AT).await.map_err(store)? {
        Some(at) => at,
        None => {
            session.insert(SIGNED_IN_AT, now).await.map_err(store)?;
            now
        }
    };
    let seen = session.get::<i64>(SEEN_AT).await.map_err(store)?.unwrap_or(i64::MIN);
    match SessionLifetime::new(&svc.config).renewal(now, signed_in, seen) {
        Renewal::Unchanged => Ok(true),
        Renewal::Expired => {
            tracing::info!("a session reached its absolute lifetime and ended");
            end_session(svc, session).await?;
            Ok(false)
        }
        Renewal::ExtendUntil(until) => {
            session.set_expiry(Some(tower_sessions::Expiry::AtDateTime(until)));
            session.insert(SEEN_AT, now).await.map_err(store)?;
            Ok(true)
        }
    }
}

/// When a signed-in session ends at the latest, however active (its absolute lifetime), in
/// Unix milliseconds; `None` when the session is not signed in.
pub async fn session_deadline_ms(svc: &crate::Services, session: &tower_sessions::Session) -> Option<i64> {
    let signed_in = session.get::<i64>(crate::session_store::SIGNED_IN_AT).await.ok().flatten()?;
    let max = i64::try_from(svc.config.session_max.as_millis()).unwrap_or(i64::MAX);
    Some(signed_in.saturating_add(max))
}

/// An open operator socket's look at its session, once per ping interval. While the
/// operator works in it (`active`: the client sent frames since the last look), the
/// session's end moves `PARLEY_SESSION_IDLE_MINUTES` past now, as a request's would (never
/// past its absolute lifetime, and written only when that moves it by more than the
/// renewal interval). Either way it answers whether the session still exists: one that
/// ended elsewhere (signed out, idle, past its lifetime, swept) closes the socket.
pub async fn socket_session_alive(
    svc: &crate::Services,
    session_id: &str,
    signed_in_ms: i64,
    active: bool,
) -> ServiceResult<bool> {
    use crate::entities::session;
    use crate::session_store::SessionLifetime;
    use sea_orm::PaginatorTrait;
    use sea_orm::sea_query::Expr;
    let now_ms = crate::clock::now_ms();
    let now = now_ms.div_euclid(1000);
    if active {
        let lifetime = SessionLifetime::new(&svc.config);
        let until = lifetime.ends_at(now_ms, signed_in_ms).unix_timestamp();
        let stale = until.saturating_sub(i64::try_from(lifetime.renew_every().as_secs()).unwrap_or(i64::MAX));
        let w = svc.begin().await?;
        let extended = session::Entity::update_many()
            .col_expr(session::Column::ExpiresAt, Expr::value(until))
            .filter(session::Column::Id.eq(session_id))
            .filter(session::Column::ExpiresAt.gt(now))
            .filter(session::Column::ExpiresAt.lt(stale))
            .exec(w.txn())
            .await?
            .rows_affected;
        w.commit().await?;
        if extended > 0 {
            return Ok(true);
        }
    }
    let alive = session::Entity::find_by_id(session_id.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .count(&svc.db)
        .await?;
    Ok(alive > 0)
}

/// Starts a signed-in session under a new id (so a planted session id is worthless),
/// ending `PARLEY_SESSION_IDLE_MINUTES` from now unless used.
pub async fn start_session(
    svc: &crate::Services,
    session: &tower_sessions::Session,
    member: &Member,
) -> ServiceResult<()> {
    use crate::session_store::{SEEN_AT, SIGNED_IN_AT, SessionLifetime};
    let write = |err: tower_sessions::session::Error| ServiceError::Internal(format!("session store: {err}"));
    let now = crate::clock::now_ms();
    session.cycle_id().await.map_err(write)?;
    session.insert(SESSION_USER_KEY, member.user_id.0).await.map_err(write)?;
    session.insert(SESSION_WORKSPACE_KEY, member.workspace_id.0).await.map_err(write)?;
    session.insert(SIGNED_IN_AT, now).await.map_err(write)?;
    session.insert(SEEN_AT, now).await.map_err(write)?;
    session.set_expiry(Some(tower_sessions::Expiry::AtDateTime(SessionLifetime::new(&svc.config).ends_at(now, now))));
    crate::audit::record(
        svc,
        &crate::Actor::Member(member.clone()),
        AuditAction::SignIn,
        member.name.clone(),
        Value::Null,
    )
    .await
}

/// Signs the session's member out (audited) and ends the session.
pub async fn sign_out(svc: &crate::Services, session: &tower_sessions::Session) -> ServiceResult<()> {
    let member = member_from_session(svc, session, None).await?;
    end_session(svc, session).await?;
    if let Some(member) = member {
        let target = member.name.clone();
        crate::audit::record(svc, &crate::Actor::Member(member), AuditAction::SignOut, target, Value::Null).await?;
    }
    Ok(())
}

/// Ends a signed-in session: deletes it from the store and closes its sockets.
pub async fn end_session(svc: &crate::Services, session: &tower_sessions::Session) -> ServiceResult<()> {
    let id = session.id().map(|id| id.to_string());
    session.flush().await.map_err(|err| ServiceError::Internal(format!("session store: {err}")))?;
    if let Some(session_id) = id {
        svc.notify(crate::bus::Sockets, crate::bus::Control::SessionEnded { session_id });
    }
    Ok(())
}

fn to_member(user: user::Model, membership: membership::Model) -> ServiceResult<Member> {
    Ok(Member {
        user_id: UserId(user.id),
        name: user.name,
        workspace_id: WorkspaceId(membership.workspace_id),
        role: membership
            .role
            .parse()
            .map_err(|err: parley_types::ParseEnumError| ServiceError::Internal(err.to_string()))?,
        grants: membership.grants.lines().filter_map(Capability::parse).collect(),
    })
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("parley-timing-equaliser").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password("correct horse").unwrap();
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsE", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn verifying_leaves_the_async_thread_free() {
        let stored = hash_password("correct horse").unwrap();
        let verify = tokio::spawn(async move { verify_password_off_thread("correct horse", &stored).await });
        // On a one-thread runtime the spawned task runs at this yield: verifying inline
        // would finish it right there; on the blocking pool it is still waiting.
        tokio::task::yield_now().await;
        assert!(!verify.is_finished(), "argon2 ran on the async thread");
        assert!(verify.await.unwrap().unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_two_hashes_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static BUSY: AtomicUsize = AtomicUsize::new(0);
        static PEAK: AtomicUsize = AtomicUsize::new(0);
        let work = || {
            on_hashing_pool(|| {
                PEAK.fetch_max(BUSY.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                // Stands in for argon2's work, long enough for the others to pile up.
                std::thread::sleep(std::time::Duration::from_millis(20));
                BUSY.fetch_sub(1, Ordering::SeqCst);
            })
        };
        let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(work())).collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let peak = PEAK.load(Ordering::SeqCst);
        assert!((1..=HASHING_AT_ONCE).contains(&peak), "{peak} ran at once");
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(normalize_email("  Ana@Example.COM ").unwrap(), "ana@example.com");
        assert!(normalize_email("ana").is_err());
        assert!(normalize_email("ana@localhost").is_err());
        assert!(normalize_email("a na@example.com").is_err());
        let long = format!("{}@example.com", "a".repeat(MAX_EMAIL_BYTES));
        assert!(normalize_email(&long).unwrap_err().to_string().contains("at most 254"));
    }
}

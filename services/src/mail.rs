//! Outgoing mail: each workspace's SMTP settings (owners and admins, `manage members`),
//! stored as JSON with the password encrypted (AES-256-GCM) under the instance key, and
//! sending through `lettre`.
//!
//! The instance key is 32 bytes from `PARLEY_INSTANCE_KEY` (base64) or, without it, the
//! file `instance.key` in the data folder, made on first use (mode 0600). It is never in
//! the database, so a copy of the database alone reveals no mail password.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use parley_types::{Capability, FieldError, Phrase, SmtpSettings, SmtpTls, phrase};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::{Deserialize, Serialize};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::entities::workspace;
use crate::error::{ServiceError, ServiceResult};
use crate::phrases::english;

/// The settings as stored (the password encrypted).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    host: String,
    port: u16,
    tls: SmtpTls,
    username: String,
    /// `v1:` + base64(nonce ‖ ciphertext), or empty.
    password_enc: String,
    sender: String,
}

fn keys() -> &'static Mutex<HashMap<PathBuf, [u8; 32]>> {
    static KEYS: std::sync::OnceLock<Mutex<HashMap<PathBuf, [u8; 32]>>> = std::sync::OnceLock::new();
    KEYS.get_or_init(Default::default)
}

/// The instance key (see the module documentation).
pub fn instance_key(svc: &Services) -> ServiceResult<[u8; 32]> {
    let internal =
        |what: &str, err: &dyn std::fmt::Display| ServiceError::Internal(format!("instance key: {what}: {err}"));
    if let Ok(text) = std::env::var("PARLEY_INSTANCE_KEY")
        && !text.is_empty()
    {
        let bytes = STANDARD.decode(text.trim()).map_err(|e| internal("PARLEY_INSTANCE_KEY is not base64", &e))?;
        return bytes.try_into().map_err(|_| internal("PARLEY_INSTANCE_KEY", &"must be 32 bytes"));
    }
    let path = svc.config.data_dir.join("instance.key");
    let mut cache = keys().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(key) = cache.get(&path) {
        return Ok(*key);
    }
    let key = match std::fs::read(&path) {
        Ok(bytes) => bytes.try_into().map_err(|_| internal(&path.display().to_string(), &"not 32 bytes"))?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            std::fs::create_dir_all(&svc.config.data_dir).map_err(|e| internal("data folder", &e))?;
            write_private(&path, &key).map_err(|e| internal(&path.display().to_string(), &e))?;
            key
        }
        Err(err) => return Err(internal(&path.display().to_string(), &err)),
    };
    cache.insert(path, key);
    Ok(key)
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}

/// Encrypts `plain` under the instance key.
pub fn encrypt(key: &[u8; 32], plain: &str) -> String {
    let cipher = Aes256Gcm::new(key.into());
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    // Encrypting into a Vec cannot fail for inputs this small.
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
    let mut out = nonce.to_vec();
    out.extend(sealed);
    format!("v1:{}", STANDARD.encode(out))
}

/// Decrypts what [`encrypt`] made; `None` when it was made under another key or altered.
pub fn decrypt(key: &[u8; 32], sealed: &str) -> Option<String> {
    let bytes = STANDARD.decode(sealed.strip_prefix("v1:")?).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let (nonce, body) = bytes.split_at(12);
    let plain = Aes256Gcm::new(key.into()).decrypt(Nonce::from_slice(nonce), body).ok()?;
    String::from_utf8(plain).ok()
}

fn stored(ws: &workspace::Model) -> Option<Stored> {
    serde_json::from_str(&ws.smtp).ok()
}

/// The workspace's mail settings, password left out. Needs `manage members`.
pub async fn settings(db: &impl ConnectionTrait, actor: &Actor) -> ServiceResult<Option<SmtpSettings>> {
    let scope = actor.require(Capability::ManageMembers)?;
    let ws = crate::workspaces::get(db, scope).await?;
    Ok(stored(&ws).map(|s| SmtpSettings {
        host: s.host,
        port: s.port,
        tls: s.tls,
        username: s.username,
        password: String::new(),
        password_set: !s.password_enc.is_empty(),
        sender: s.sender,
    }))
}

/// Saves the workspace's mail settings (every wrong field listed, nothing saved); an
/// empty password keeps the stored one. An empty host removes the settings (invitations
/// then give a link to copy). Needs `manage members`.
pub async fn save_settings(svc: &Services, actor: &Actor, input: SmtpSettings) -> ServiceResult<Option<SmtpSettings>> {
    let scope = actor.require(Capability::ManageMembers)?;
    let host = input.host.trim().to_owned();
    let mut w = svc.begin().await?;
    let ws = crate::workspaces::get(w.txn(), scope).await?;
    let before = stored(&ws);
    let next = if host.is_empty() {
        None
    } else {
        let mut problems = Vec::new();
        if host.len() > 253 || host.contains(|c: char| c.is_whitespace() || c == '/' || c == ':') {
            problems.push(FieldError::new("host", phrase!("err-mail-host")));
        }
        if input.port == 0 {
            problems.push(FieldError::new("port", phrase!("err-mail-port")));
        }
        if input.sender.trim().parse::<Mailbox>().is_err() {
            problems.push(FieldError::new("sender", phrase!("err-mail-sender-form")));
        }
        if input.username.len() > 200 || input.password.len() > 200 {
            problems.push(FieldError::new("username", phrase!("err-mail-credentials-length")));
        }
        if !problems.is_empty() {
            return Err(ServiceError::InvalidFields(problems));
        }
        let password_enc = if input.password.is_empty() {
            before.as_ref().map(|b| b.password_enc.clone()).unwrap_or_default()
        } else {
            encrypt(&instance_key(svc)?, &input.password)
        };
        Some(Stored {
            host,
            port: input.port,
            tls: input.tls,
            username: input.username.trim().to_owned(),
            password_enc,
            sender: input.sender.trim().to_owned(),
        })
    };
    let shown = |s: &Option<Stored>| {
        s.as_ref().map(|s| {
            serde_json::json!({
                "host": s.host, "port": s.port, "tls": s.tls, "username": s.username, "sender": s.sender,
                "password_set": !s.password_enc.is_empty(),
            })
        })
    };
    w.audit_change(actor, "email (SMTP)", shown(&before), shown(&next)).await?;
    let text = match &next {
        Some(s) => serde_json::to_string(s).map_err(|e| ServiceError::Internal(e.to_string()))?,
        None => String::new(),
    };
    let mut active: workspace::ActiveModel = ws.into();
    active.smtp = Set(text);
    active.update(w.txn()).await?;
    w.commit().await?;
    settings(&svc.db, actor).await
}

/// Whether the workspace can send mail.
pub async fn configured(db: &impl ConnectionTrait, scope: Scope) -> ServiceResult<bool> {
    Ok(stored(&crate::workspaces::get(db, scope).await?).is_some())
}

/// A message to send.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Sends `mail` with the workspace's settings. `Ok(false)`: no settings; `Err` carries a
/// sentence for people in English (the server's refusal, a wrong address, a timeout);
/// [`deliver`] says it as a phrase.
pub async fn send(svc: &Services, scope: Scope, mail: Mail) -> Result<bool, String> {
    match deliver(svc, scope, mail).await {
        Ok(sent) => sent.map_err(|why| english(&why)),
        Err(err) => Err(err.to_string()),
    }
}

/// Sends `mail` with the workspace's settings: `Ok(Ok(false))` without settings,
/// `Ok(Err(why))` when the message did not go (the server's refusal, a wrong address, a
/// timeout), `Err` on a failure of Parley's own (the workspace, the instance key).
pub async fn deliver(svc: &Services, scope: Scope, mail: Mail) -> ServiceResult<Result<bool, Phrase>> {
    let ws = crate::workspaces::get(&svc.db, scope).await?;
    let Some(settings) = stored(&ws) else { return Ok(Ok(false)) };
    let password = if settings.password_enc.is_empty() {
        String::new()
    } else {
        let key = instance_key(svc)?;
        match decrypt(&key, &settings.password_enc) {
            Some(password) => password,
            None => return Ok(Err(phrase!("err-mail-password-unreadable"))),
        }
    };
    Ok(transmit(settings, password, mail).await.map(|()| true))
}

async fn transmit(settings: Stored, password: String, mail: Mail) -> Result<(), Phrase> {
    let from: Mailbox = settings.sender.parse().map_err(|_| phrase!("err-mail-sender"))?;
    let to: Mailbox = mail.to.parse().map_err(|_| phrase!("err-mail-recipient", value = &mail.to))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(mail.body)
        .map_err(|e| phrase!("err-mail-build", reason = e.to_string()))?;
    let relay_error =
        |e: lettre::transport::smtp::Error| phrase!("err-mail-relay", host = &settings.host, reason = e.to_string());
    let builder = match settings.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
        SmtpTls::Starttls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host).map_err(relay_error)?
        }
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(relay_error)?,
    };
    let mut builder = builder.port(settings.port).timeout(Some(Duration::from_secs(15)));
    if !settings.username.is_empty() {
        builder = builder.credentials(Credentials::new(settings.username.clone(), password));
    }
    builder.build().send(message).await.map_err(|e| phrase!("err-mail-refused", reason = e.to_string()))?;
    Ok(())
}

/// Sends a test message to `to` (owners and admins check their settings).
pub async fn send_test(svc: &Services, actor: &Actor, to: &str) -> ServiceResult<()> {
    let scope = actor.require(Capability::ManageMembers)?;
    let ws = crate::workspaces::get(&svc.db, scope).await?;
    let mail = Mail {
        to: to.trim().to_owned(),
        subject: format!("Test email from Parley ({})", ws.name),
        body: format!("This is a test message from {}'s Parley: outgoing mail works.\n", ws.name),
    };
    match deliver(svc, scope, mail).await? {
        Ok(true) => Ok(()),
        Ok(false) => Err(ServiceError::Invalid(phrase!("err-mail-not-set-up"))),
        Err(why) => Err(ServiceError::InvalidFields(vec![FieldError::new("to", why)])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_round_trips_and_another_key_reads_nothing() {
        let key = [7u8; 32];
        let sealed = encrypt(&key, "hunter2");
        assert!(!sealed.contains("hunter2"));
        assert_ne!(sealed, encrypt(&key, "hunter2"), "a fresh nonce each time");
        assert_eq!(decrypt(&key, &sealed).as_deref(), Some("hunter2"));
        assert_eq!(decrypt(&[8u8; 32], &sealed), None);
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(decrypt(&key, &altered), None);
    }
}

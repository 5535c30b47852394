//! The cryptography of Web Push, in pure Rust: VAPID (RFC 8292, an ES256-signed JWT that
//! identifies this Parley to push services) and message encryption (RFC 8291: ECDH with
//! the browser's P-256 key and auth secret, HKDF-SHA-256, one AES-128-GCM record of the
//! `aes128gcm` content coding, RFC 8188).

use aes_gcm::aead::Aead;
use aes_gcm::{Aes128Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hkdf::Hkdf;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// Record size written in the header (one record holds every Parley payload).
const RECORD_SIZE: u32 = 4096;
/// Largest plaintext: a record less the delimiter and the AES-GCM tag.
pub const MAX_PLAINTEXT: usize = RECORD_SIZE as usize - 1 - 16 - 86;

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    B64.decode(text.trim_end_matches('=')).ok()
}

/// This Parley's VAPID key pair.
#[derive(Clone)]
pub struct Vapid {
    key: SigningKey,
}

impl std::fmt::Debug for Vapid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vapid").field("public", &self.public_b64()).finish()
    }
}

impl Vapid {
    pub fn generate() -> Vapid {
        Vapid { key: SigningKey::random(&mut rand::rngs::OsRng) }
    }

    /// From the stored private scalar (base64url of 32 bytes).
    pub fn from_private_b64(text: &str) -> Option<Vapid> {
        Some(Vapid { key: SigningKey::from_slice(&unb64(text)?).ok()? })
    }

    pub fn private_b64(&self) -> String {
        b64(&self.key.to_bytes())
    }

    /// The public key as browsers want it for `applicationServerKey` (uncompressed point).
    pub fn public_b64(&self) -> String {
        b64(self.key.verifying_key().to_encoded_point(false).as_bytes())
    }

    /// The `Authorization` header for a push to `endpoint`: `vapid t=<jwt>, k=<key>`,
    /// valid 12 hours from `now_secs`. `subject` is how the push service may reach the
    /// operator of this Parley (its public URL or a `mailto:`).
    pub fn authorization(&self, endpoint: &str, subject: &str, now_secs: i64) -> Option<String> {
        let url = reqwest::Url::parse(endpoint).ok()?;
        let audience = url.origin().ascii_serialization();
        let header = b64(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({ "aud": audience, "exp": now_secs + 12 * 3600, "sub": subject });
        let signing_input = format!("{header}.{}", b64(claims.to_string().as_bytes()));
        let signature: Signature = self.key.sign(signing_input.as_bytes());
        Some(format!("vapid t={signing_input}.{}, k={}", b64(&signature.to_bytes()), self.public_b64()))
    }
}

/// Checks a `vapid t=…, k=…` header's signature and audience (what a push service does);
/// returns the JWT's claims.
pub fn verify_authorization(header: &str, audience: &str) -> Option<serde_json::Value> {
    let rest = header.strip_prefix("vapid ")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',').map(str::trim) {
        if let Some(t) = part.strip_prefix("t=") {
            token = Some(t);
        } else if let Some(k) = part.strip_prefix("k=") {
            key = Some(k);
        }
    }
    let (token, key) = (token?, key?);
    let (signing_input, signature) = token.rsplit_once('.')?;
    let verifying = VerifyingKey::from_sec1_bytes(&unb64(key)?).ok()?;
    let signature = Signature::from_slice(&unb64(signature)?).ok()?;
    verifying.verify(signing_input.as_bytes(), &signature).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&unb64(signing_input.split('.').nth(1)?)?).ok()?;
    (claims["aud"] == audience).then_some(claims)
}

/// Why a subscription's keys cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadKeys;

/// The content-encryption key and nonce for one message (RFC 8291 §3.4, RFC 8188 §2.2).
fn derive(ecdh_secret: &[u8], auth: &[u8], ua_public: &[u8], as_public: &[u8], salt: &[u8]) -> ([u8; 16], [u8; 12]) {
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), ecdh_secret).expand(&key_info, &mut ikm).expect("32 bytes is a valid length");
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek).expect("16 bytes is a valid length");
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce).expect("12 bytes is a valid length");
    (cek, nonce)
}

/// Encrypts `plaintext` for the browser whose subscription keys are `ua_public` (65 bytes)
/// and `auth` (16 bytes), with a fresh key pair and salt.
pub fn encrypt(ua_public: &[u8], auth: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, BadKeys> {
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    encrypt_with(ua_public, auth, plaintext, &SecretKey::random(&mut rand::rngs::OsRng), salt)
}

/// [`encrypt`] with a given key pair and salt (the RFC's example fixes them).
pub fn encrypt_with(
    ua_public: &[u8],
    auth: &[u8],
    plaintext: &[u8],
    as_secret: &SecretKey,
    salt: [u8; 16],
) -> Result<Vec<u8>, BadKeys> {
    if auth.len() != 16 || plaintext.len() > MAX_PLAINTEXT {
        return Err(BadKeys);
    }
    let ua = PublicKey::from_sec1_bytes(ua_public).map_err(|_| BadKeys)?;
    let as_public = as_secret.public_key().to_encoded_point(false);
    let shared = p256::ecdh::diffie_hellman(as_secret.to_nonzero_scalar(), ua.as_affine());
    let (cek, nonce) = derive(shared.raw_secret_bytes(), auth, ua_public, as_public.as_bytes(), &salt);
    let mut padded = plaintext.to_vec();
    padded.push(2); // the last (and only) record's delimiter
    let sealed =
        Aes128Gcm::new_from_slice(&cek).map_err(|_| BadKeys)?.encrypt(Nonce::from_slice(&nonce), padded.as_slice());
    let sealed = sealed.map_err(|_| BadKeys)?;
    let mut body = Vec::with_capacity(86 + sealed.len());
    body.extend_from_slice(&salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(65);
    body.extend_from_slice(as_public.as_bytes());
    body.extend_from_slice(&sealed);
    Ok(body)
}

/// Decrypts a push message as the browser does, with its private key and auth secret
/// (for tests and the loopback push service that checks what Parley sends).
pub fn decrypt(ua_secret: &SecretKey, auth: &[u8], body: &[u8]) -> Option<Vec<u8>> {
    let (salt, rest) = body.split_at_checked(16)?;
    let (_record_size, rest) = rest.split_at_checked(4)?;
    let (&id_len, rest) = rest.split_first()?;
    let (as_public, sealed) = rest.split_at_checked(id_len as usize)?;
    let sender = PublicKey::from_sec1_bytes(as_public).ok()?;
    let shared = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), sender.as_affine());
    let ua_public = ua_secret.public_key().to_encoded_point(false);
    let (cek, nonce) = derive(shared.raw_secret_bytes(), auth, ua_public.as_bytes(), as_public, salt);
    let mut padded = Aes128Gcm::new_from_slice(&cek).ok()?.decrypt(Nonce::from_slice(&nonce), sealed).ok()?;
    // Strip the padding back to the delimiter (2: the last record).
    while padded.last() == Some(&0) {
        padded.pop();
    }
    (padded.pop() == Some(2)).then_some(padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8291, Appendix A.
    const PLAINTEXT: &[u8] = b"When I grow up, I want to be a watermelon";
    const AS_PRIVATE: &str = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
    const UA_PUBLIC: &str = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";
    const SALT: &str = "DGv6ra1nlYgDCS1FRnbzlw";
    const BODY: &str = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    #[test]
    fn encryption_matches_the_rfc_8291_example_byte_for_byte() {
        let as_secret = SecretKey::from_slice(&unb64(AS_PRIVATE).unwrap()).unwrap();
        let salt: [u8; 16] = unb64(SALT).unwrap().try_into().unwrap();
        let body =
            encrypt_with(&unb64(UA_PUBLIC).unwrap(), &unb64(AUTH).unwrap(), PLAINTEXT, &as_secret, salt).unwrap();
        assert_eq!(b64(&body), BODY);
        let ua_secret = SecretKey::from_slice(&unb64(UA_PRIVATE).unwrap()).unwrap();
        assert_eq!(decrypt(&ua_secret, &unb64(AUTH).unwrap(), &body).unwrap(), PLAINTEXT);
    }

    #[test]
    fn a_fresh_message_decrypts_and_a_tampered_one_does_not() {
        let ua_secret = SecretKey::random(&mut rand::rngs::OsRng);
        let ua_public = ua_secret.public_key().to_encoded_point(false);
        let auth = [7u8; 16];
        let mut body = encrypt(ua_public.as_bytes(), &auth, b"{\"title\":\"New conversation\"}").unwrap();
        assert_eq!(decrypt(&ua_secret, &auth, &body).unwrap(), b"{\"title\":\"New conversation\"}");
        let last = body.len() - 1;
        body[last] ^= 1;
        assert_eq!(decrypt(&ua_secret, &auth, &body), None);
        assert_eq!(encrypt(b"not a key", &auth, b"x"), Err(BadKeys));
        assert_eq!(encrypt(ua_public.as_bytes(), &[1; 3], b"x"), Err(BadKeys));
    }

    #[test]
    fn the_vapid_token_is_signed_for_the_push_services_origin() {
        let vapid = Vapid::generate();
        let again = Vapid::from_private_b64(&vapid.private_b64()).unwrap();
        assert_eq!(again.public_b64(), vapid.public_b64());
        let header = vapid.authorization("https://push.example.net/send/abc", "https://parley.example", 1_000).unwrap();
        let claims = verify_authorization(&header, "https://push.example.net").unwrap();
        assert_eq!(
            (claims["exp"].as_i64(), claims["sub"].as_str()),
            (Some(1_000 + 43_200), Some("https://parley.example"))
        );
        assert_eq!(verify_authorization(&header, "https://other.example"), None);
        let forged = header.replace(&vapid.public_b64(), &Vapid::generate().public_b64());
        assert_eq!(verify_authorization(&forged, "https://push.example.net"), None);
    }
}

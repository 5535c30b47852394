//! Rate limits on what anonymous clients can repeat cheaply: new visitors per client
//! address, and messages and typing notices per visitor. Each is a keyed GCRA limiter
//! (`governor`) whose memory stays bounded: keys that are back to a full allowance are
//! swept regularly, and a limiter that still holds too many keys is reset.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use parley_types::{ApiError, ContactId, ErrorCode, Phrase, phrase};

use crate::config::Config;

/// Sweep forgotten keys after this many checks (and whenever a limiter is over its cap).
const SWEEP_EVERY: u64 = 4096;
/// Keys one limiter may hold; more are swept, and if they stay, the limiter starts over.
const MAX_KEYS: usize = 100_000;

/// Messages per second a visitor may send, after a burst of [`MESSAGE_BURST`].
pub const MESSAGES_PER_SECOND: u32 = 10;
/// Generous: the widget resends every unsent message at once when it reconnects, and a
/// client that waits for each echo before the next can go this far at full speed.
pub const MESSAGE_BURST: u32 = 60;
/// Typing notices per second a visitor may send (the widget sends one per start or stop).
pub const TYPING_PER_SECOND: u32 = 5;
/// Refused frames a visitor may send in a burst (refilled one per second) before its
/// socket is closed as flooding.
pub const REFUSALS_BEFORE_CLOSE: u32 = 10;
/// JS API calls (identify, attributes, labels, track, page views) a visitor may make per
/// second once the burst is spent.
pub const CALLS_PER_SECOND: u32 = 10;
/// The JS API calls a page may make at once (a page load often makes several).
pub const CALL_BURST: u32 = 40;

/// A keyed rate limiter with bounded memory.
pub struct KeyedLimit<K: Hash + Eq + Clone> {
    quota: Quota,
    /// Written only to start over when sweeping cannot bring the keys under the cap.
    limiter: RwLock<DefaultKeyedRateLimiter<K>>,
    checks: AtomicU64,
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    pub fn new(quota: Quota) -> Self {
        KeyedLimit { quota, limiter: RwLock::new(RateLimiter::keyed(quota)), checks: AtomicU64::new(0) }
    }

    fn limiter(&self) -> std::sync::RwLockReadGuard<'_, DefaultKeyedRateLimiter<K>> {
        self.limiter.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes one unit of `key`'s allowance, or says how long until one is free.
    pub fn check(&self, key: &K) -> Result<(), Duration> {
        let checks = self.checks.fetch_add(1, Ordering::Relaxed);
        if checks.is_multiple_of(SWEEP_EVERY) || (checks.is_multiple_of(64) && self.len() > MAX_KEYS) {
            self.sweep();
        }
        self.limiter().check_key(key).map_err(|not_until| not_until.wait_time_from(Instant::now()))
    }

    /// Forgets keys whose allowance is full again; starts over if too many remain.
    fn sweep(&self) {
        let remaining = {
            let limiter = self.limiter();
            limiter.retain_recent();
            limiter.shrink_to_fit();
            limiter.len()
        };
        if remaining > MAX_KEYS {
            tracing::warn!(keys = remaining, "a rate limiter holds too many keys; starting it over");
            *self.limiter.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = RateLimiter::keyed(self.quota);
        }
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.limiter().len()
    }

    pub fn is_empty(&self) -> bool {
        self.limiter().is_empty()
    }
}

/// A client address as limits count it: an IPv4 address, or an IPv6 address's /64
/// network (one subscriber usually holds a whole /64, so single addresses would be free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl From<IpAddr> for ClientKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(_) => ClientKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => ClientKey(IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into())),
            },
        }
    }
}

impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
            v4 => write!(f, "{v4}"),
        }
    }
}

/// Whole seconds to wait, at least one (for `Retry-After` and the sentence).
pub fn retry_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// A frame a visitor sends that costs the server work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    Message,
    Typing,
    /// "Displayed up to here" (shares the typing notices' allowance).
    Read,
}

/// What to do with a visitor's frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameVerdict {
    /// Handle it.
    Allow,
    /// Ignore it silently (a typing notice over the limit).
    Drop,
    /// Refuse it and tell the visitor when to retry.
    Refuse(ApiError),
    /// The visitor keeps sending after being refused: close the socket.
    Close,
}

/// The limits on anonymous widget traffic, shared by every request of this server.
pub struct RateLimits {
    new_visitors: Option<KeyedLimit<ClientKey>>,
    messages: KeyedLimit<ContactId>,
    typing: KeyedLimit<ContactId>,
    refusals: KeyedLimit<ContactId>,
    /// The widget's JS API calls (identify, attributes, labels, track, page views).
    calls: KeyedLimit<ContactId>,
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

impl RateLimits {
    pub fn new(config: &Config) -> Self {
        let per_minute = config.new_visitors_per_minute;
        RateLimits {
            new_visitors: (per_minute > 0).then(|| KeyedLimit::new(Quota::per_minute(nonzero(per_minute)))),
            messages: KeyedLimit::new(
                Quota::per_second(nonzero(MESSAGES_PER_SECOND)).allow_burst(nonzero(MESSAGE_BURST)),
            ),
            typing: KeyedLimit::new(Quota::per_second(nonzero(TYPING_PER_SECOND))),
            refusals: KeyedLimit::new(Quota::per_second(NonZeroU32::MIN).allow_burst(nonzero(REFUSALS_BEFORE_CLOSE))),
            calls: KeyedLimit::new(Quota::per_second(nonzero(CALLS_PER_SECOND)).allow_burst(nonzero(CALL_BURST))),
        }
    }

    /// One more new visitor from `client`, or a 429 saying when to try again.
    pub fn new_visitor(&self, client: IpAddr) -> Result<(), ApiError> {
        let Some(limit) = &self.new_visitors else { return Ok(()) };
        let client = ClientKey::from(client);
        limit.check(&client).map_err(|wait| {
            let secs = retry_secs(wait);
            tracing::info!(%client, retry_after = secs, "refused a new visitor: too many from this address");
            too_many(phrase!("err-limits-new-chats", seconds = secs), secs)
        })
    }

    /// One more JS API call (identify, attributes, labels, track) from a visitor, or a
    /// 429 saying when to try again.
    pub fn visitor_call(&self, contact: ContactId) -> Result<(), ApiError> {
        self.calls.check(&contact).map_err(|wait| {
            let secs = retry_secs(wait);
            too_many(phrase!("err-limits-calls", seconds = secs), secs)
        })
    }

    /// Whether a visitor's message or typing notice may be handled now.
    pub fn visitor_frame(&self, contact: ContactId, kind: FrameKind) -> FrameVerdict {
        let limit = match kind {
            FrameKind::Message => &self.messages,
            FrameKind::Typing | FrameKind::Read => &self.typing,
        };
        let Err(wait) = limit.check(&contact) else { return FrameVerdict::Allow };
        if self.refusals.check(&contact).is_err() {
            tracing::warn!(%contact, "closing a visitor socket that keeps flooding after being refused");
            return FrameVerdict::Close;
        }
        match kind {
            // The next one says as much (a read carries the newest position).
            FrameKind::Typing | FrameKind::Read => FrameVerdict::Drop,
            FrameKind::Message => {
                let secs = retry_secs(wait);
                FrameVerdict::Refuse(too_many(phrase!("err-limits-messages", seconds = secs), secs))
            }
        }
    }
}

/// A 429 saying `phrase`, to retry after `secs` seconds.
fn too_many(phrase: Phrase, secs: u64) -> ApiError {
    ApiError { retry_after: Some(secs.max(1)), ..crate::phrases::api_error(ErrorCode::TooManyRequests, phrase) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Config {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())).unwrap()
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_network_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ClientKey::from(a), ClientKey::from(b));
        assert_ne!(ClientKey::from(a), ClientKey::from(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(ClientKey::from(mapped), ClientKey::from("192.0.2.7".parse::<IpAddr>().unwrap()));
        assert_eq!(ClientKey::from(a).to_string(), "2001:db8:1:2::/64");
    }

    #[test]
    fn retry_seconds_round_up_and_are_never_zero() {
        assert_eq!(retry_secs(Duration::ZERO), 1);
        assert_eq!(retry_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_secs(Duration::from_millis(2001)), 3);
        assert_eq!(retry_secs(Duration::from_secs(2)), 2);
    }

    #[test]
    fn new_visitors_are_limited_per_address_and_can_be_turned_off() {
        let limits = RateLimits::new(&config(&[("PARLEY_NEW_VISITORS_PER_MINUTE", "3")]));
        let (one, two): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.new_visitor(one).is_ok());
        }
        let refused = limits.new_visitor(one).unwrap_err();
        assert_eq!(refused.status(), 429);
        assert!(refused.retry_after.is_some_and(|s| (1..=20).contains(&s)), "{refused:?}");
        assert!(limits.new_visitor(two).is_ok(), "another address is not affected");
        let off = RateLimits::new(&config(&[("PARLEY_NEW_VISITORS_PER_MINUTE", "0")]));
        assert!((0..100).all(|_| off.new_visitor(one).is_ok()));
    }

    #[test]
    fn a_flooding_visitor_is_refused_then_closed_and_others_are_not_affected() {
        let limits = RateLimits::new(&config(&[]));
        let (flooder, calm) = (ContactId(1), ContactId(2));
        let verdicts: Vec<FrameVerdict> = (0..MESSAGE_BURST + REFUSALS_BEFORE_CLOSE + 1)
            .map(|_| limits.visitor_frame(flooder, FrameKind::Message))
            .collect();
        let allowed = verdicts.iter().filter(|v| **v == FrameVerdict::Allow).count();
        let refused = verdicts.iter().filter(|v| matches!(v, FrameVerdict::Refuse(_))).count();
        assert_eq!(allowed, MESSAGE_BURST as usize);
        assert_eq!(refused, REFUSALS_BEFORE_CLOSE as usize);
        assert_eq!(verdicts.last(), Some(&FrameVerdict::Close));
        assert_eq!(limits.visitor_frame(calm, FrameKind::Message), FrameVerdict::Allow);
        assert_eq!(limits.visitor_frame(calm, FrameKind::Typing), FrameVerdict::Allow);
    }

    #[test]
    fn typing_over_the_limit_is_dropped_silently() {
        let limits = RateLimits::new(&config(&[]));
        let verdicts: Vec<FrameVerdict> =
            (0..=TYPING_PER_SECOND).map(|_| limits.visitor_frame(ContactId(1), FrameKind::Typing)).collect();
        assert_eq!(verdicts.last(), Some(&FrameVerdict::Drop));
    }

    #[test]
    fn forgotten_keys_are_swept() {
        let limit = KeyedLimit::new(Quota::per_second(nonzero(1000)));
        for key in 0..10u32 {
            limit.check(&key).unwrap();
        }
        assert_eq!(limit.len(), 10);
        std::thread::sleep(Duration::from_millis(20));
        limit.sweep();
        assert!(limit.is_empty(), "keys back to a full allowance are forgotten");
    }
}

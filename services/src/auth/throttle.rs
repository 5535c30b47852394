//! Slowing down password guessing, weighed by client address, so a stranger's burst
//! locks the stranger out and not the account's owner (see `docs/SECURITY.md`):
//!
//! 1. Per address, all accounts together: [`SIGN_INS_PER_MINUTE`] attempts a minute
//!    (after a burst of [`SIGN_IN_BURST`]), against trying many accounts.
//! 2. Per (account, address): [`FREE_FAILURES`] failed attempts, then that address is
//!    locked out of that account until [`PAIR_WINDOW`] after its first failure.
//! 3. Per account, from everywhere: [`ACCOUNT_BURST`] failures, then one more attempt
//!    every [`ACCOUNT_REFILL`]: many addresses together are slowed down, not let
//!    through and not locking the account. Addresses the account signed in from before
//!    are exempt, so its owner is not slowed down by them.
//!
//! Checking and recording are one step: an attempt is counted as a failure when it is
//! admitted, under the same lock as the check, and refunded when it succeeds. So a
//! burst of concurrent guesses gets exactly the free attempts evaluated.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::Quota;

use crate::error::{ServiceError, ServiceResult};
use crate::limits::{ClientKey, KeyedLimit, retry_secs};

/// Failed attempts one address gets on one account per [`PAIR_WINDOW`].
pub const FREE_FAILURES: u32 = 5;
/// How long an address stays locked out of an account, from its first failure.
pub const PAIR_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures on one account from all addresses before they are slowed down.
pub const ACCOUNT_BURST: u32 = 50;
/// After [`ACCOUNT_BURST`], one more attempt on the account per this long (120 an hour).
pub const ACCOUNT_REFILL: Duration = Duration::from_secs(30);
/// Sign-in attempts per minute from one address, all accounts together.
pub const SIGN_INS_PER_MINUTE: u32 = 10;
/// The burst of attempts an address may make before [`SIGN_INS_PER_MINUTE`] applies.
pub const SIGN_IN_BURST: u32 = 20;
/// Entries kept per table; past it, expired entries are swept, and if that is not
/// enough new keys go untracked (the other limits still hold) rather than grow memory.
const MAX_TRACKED: usize = 50_000;
/// Addresses remembered per account as ones its owner signed in from.
const KNOWN_ADDRESSES: usize = 4;

/// Sign-in throttling state for the whole server.
pub struct LoginThrottle {
    per_address: KeyedLimit<ClientKey>,
    state: Mutex<State>,
    evaluated: AtomicU64,
}

#[derive(Default)]
struct State {
    pairs: HashMap<(String, ClientKey), Pair>,
    accounts: HashMap<String, Account>,
}

/// One address's attempts on one account in the current window.
struct Pair {
    /// Failures, counting attempts still being evaluated.
    failures: u32,
    since: Instant,
}

/// One account's failures from everywhere, as a leaky bucket.
struct Account {
    /// Failures not yet leaked away (one leaks per [`ACCOUNT_REFILL`]).
    level: f64,
    at: Instant,
    /// Addresses the account signed in from, most recent first.
    known: Vec<ClientKey>,
}

impl Account {
    fn leak(&mut self, now: Instant) {
        let leaked = now.saturating_duration_since(self.at).as_secs_f64() / ACCOUNT_REFILL.as_secs_f64();
        self.level = (self.level - leaked).max(0.0);
        self.at = now;
    }
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let per_minute = NonZeroU32::new(SIGN_INS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(SIGN_IN_BURST).unwrap_or(NonZeroU32::MIN);
        LoginThrottle {
            per_address: KeyedLimit::new(Quota::per_minute(per_minute).allow_burst(burst)),
            state: Mutex::default(),
            evaluated: AtomicU64::new(0),
        }
    }
}

fn too_many(wait: Duration) -> ServiceError {
    ServiceError::TooManyAttempts { retry_after_secs: retry_secs(wait) }
}

impl LoginThrottle {
    /// Admits one attempt of `client` on `account` (a normalised email), counting it as
    /// a failure until [`Attempt::succeeded`] says otherwise; or refuses it (429).
    pub fn begin(&self, account: &str, client: IpAddr) -> ServiceResult<Attempt<'_>> {
        let client = ClientKey::from(client);
        if let Err(wait) = self.per_address.check(&client) {
            tracing::warn!(email = %account, %client, "sign-in refused: too many attempts from this address");
            return Err(too_many(wait));
        }
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.sweep_if_full(now);
        let pair_key = (account.to_owned(), client);
        let pair_failures = match state.pairs.get(&pair_key) {
            Some(pair) if now.duration_since(pair.since) < PAIR_WINDOW => pair.failures,
            _ => 0,
        };
        if pair_failures >= FREE_FAILURES {
            let since = state.pairs.get(&pair_key).map_or(now, |pair| pair.since);
            let wait = (since + PAIR_WINDOW).saturating_duration_since(now);
            tracing::warn!(email = %account, %client, retry_after = retry_secs(wait), "sign-in refused: this address is locked out of this account");
            return Err(too_many(wait));
        }
        let known = state.accounts.get(account).is_some_and(|a| a.known.contains(&client));
        if !known && let Some(entry) = state.accounts.get_mut(account) {
            entry.leak(now);
            if entry.level + 1.0 > f64::from(ACCOUNT_BURST) {
                let wait = ACCOUNT_REFILL.mul_f64(entry.level + 1.0 - f64::from(ACCOUNT_BURST));
                tracing::warn!(email = %account, %client, retry_after = retry_secs(wait), "sign-in refused: too many failures on this account from everywhere");
                return Err(too_many(wait));
            }
        }
        // Admitted: record it now, under the same lock as the checks.
        if pair_failures == 0 {
            if state.pairs.len() < MAX_TRACKED {
                state.pairs.insert(pair_key, Pair { failures: 1, since: now });
            }
        } else if let Some(pair) = state.pairs.get_mut(&pair_key) {
            pair.failures += 1;
        }
        if !known {
            if let Some(entry) = state.accounts.get_mut(account) {
                entry.level += 1.0;
            } else if state.accounts.len() < MAX_TRACKED {
                state.accounts.insert(account.to_owned(), Account { level: 1.0, at: now, known: Vec::new() });
            }
        }
        self.evaluated.fetch_add(1, Ordering::Relaxed);
        Ok(Attempt { throttle: self, account: account.to_owned(), client, charged_account: !known })
    }

    /// Attempts admitted for evaluation since the server started (each one costs an
    /// argon2 verification).
    pub fn evaluated(&self) -> u64 {
        self.evaluated.load(Ordering::Relaxed)
    }
}

impl State {
    fn sweep_if_full(&mut self, now: Instant) {
        if self.pairs.len() >= MAX_TRACKED {
            self.pairs.retain(|_, pair| now.duration_since(pair.since) < PAIR_WINDOW);
        }
        if self.accounts.len() >= MAX_TRACKED {
            self.accounts.retain(|_, account| {
                account.leak(now);
                account.level > 0.0 || !account.known.is_empty()
            });
        }
        if self.pairs.len() >= MAX_TRACKED || self.accounts.len() >= MAX_TRACKED {
            tracing::warn!(
                pairs = self.pairs.len(),
                accounts = self.accounts.len(),
                "sign-in throttle tables are full; new keys go untracked"
            );
        }
    }
}

/// An admitted sign-in attempt, already counted as a failure.
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: String,
    client: ClientKey,
    charged_account: bool,
}

impl Attempt<'_> {
    /// The password was right: clears this address's failures on the account, refunds
    /// the account-wide count, and remembers the address as the owner's.
    pub fn succeeded(self) {
        let mut state = self.throttle.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.pairs.remove(&(self.account.clone(), self.client));
        let now = Instant::now();
        let full = state.accounts.len() >= MAX_TRACKED;
        let entry = match state.accounts.get_mut(&self.account) {
            Some(entry) => entry,
            None if full => return,
            None => {
                state.accounts.entry(self.account.clone()).or_insert(Account { level: 0.0, at: now, known: Vec::new() })
            }
        };
        if self.charged_account {
            entry.leak(now);
            entry.level = (entry.level - 1.0).max(0.0);
        }
        entry.known.retain(|known| *known != self.client);
        entry.known.insert(0, self.client);
        entry.known.truncate(KNOWN_ADDRESSES);
    }

    /// The password was wrong (already counted): logs it, and the lockout it causes.
    pub fn failed(self) {
        let state = self.throttle.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let failures = state.pairs.get(&(self.account.clone(), self.client)).map_or(0, |pair| pair.failures);
        drop(state);
        tracing::warn!(email = %self.account, client = %self.client, failures, "failed sign-in");
        if failures == FREE_FAILURES {
            tracing::warn!(email = %self.account, client = %self.client, minutes = PAIR_WINDOW.as_secs() / 60, "address locked out of this account");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([192, 0, 2, last])
    }

    fn refused(result: ServiceResult<Attempt<'_>>) -> bool {
        matches!(result, Err(ServiceError::TooManyAttempts { .. }))
    }

    #[test]
    fn five_failures_lock_out_that_address_only_and_a_success_clears_them() {
        let throttle = LoginThrottle::default();
        for _ in 0..FREE_FAILURES {
            throttle.begin("a@x.io", ip(1)).unwrap().failed();
        }
        assert!(refused(throttle.begin("a@x.io", ip(1))), "the guessing address is locked out");
        assert!(throttle.begin("b@x.io", ip(1)).is_ok(), "other accounts are not affected");
        let owner = throttle.begin("a@x.io", ip(2)).expect("the owner's address still gets in");
        owner.succeeded();
        for _ in 0..FREE_FAILURES - 1 {
            throttle.begin("a@x.io", ip(2)).unwrap().failed();
        }
        throttle.begin("a@x.io", ip(2)).unwrap().succeeded();
        assert!(throttle.begin("a@x.io", ip(2)).is_ok(), "a success clears that address's failures");
        assert_eq!(throttle.evaluated(), u64::from(FREE_FAILURES) * 2 + 3);
    }

    #[test]
    fn attempts_in_flight_count_so_a_burst_gets_only_the_free_ones() {
        let throttle = LoginThrottle::default();
        let admitted: Vec<_> = (0..SIGN_IN_BURST).filter_map(|_| throttle.begin("a@x.io", ip(1)).ok()).collect();
        assert_eq!(admitted.len(), FREE_FAILURES as usize);
        assert_eq!(throttle.evaluated(), u64::from(FREE_FAILURES));
    }

    #[test]
    fn one_address_gets_a_burst_of_attempts_over_all_accounts() {
        let throttle = LoginThrottle::default();
        for n in 0..SIGN_IN_BURST {
            throttle.begin(&format!("user{n}@x.io"), ip(1)).unwrap().failed();
        }
        assert!(refused(throttle.begin("another@x.io", ip(1))));
        assert!(throttle.begin("another@x.io", ip(2)).is_ok());
    }

    #[test]
    fn many_addresses_slow_an_account_down_but_its_known_address_gets_in() {
        let throttle = LoginThrottle::default();
        throttle.begin("a@x.io", ip(200)).unwrap().succeeded();
        for n in 0..ACCOUNT_BURST {
            let client = IpAddr::from([198, 51, (n / 200) as u8, (n % 200) as u8]);
            throttle.begin("a@x.io", client).unwrap().failed();
        }
        let Err(ServiceError::TooManyAttempts { retry_after_secs }) = throttle.begin("a@x.io", ip(201)) else {
            panic!("a new address waits once the account's failures are used up");
        };
        assert!(retry_after_secs <= ACCOUNT_REFILL.as_secs(), "slowed down, not locked: {retry_after_secs} s");
        assert!(throttle.begin("a@x.io", ip(200)).is_ok(), "the owner's known address is not slowed down");
    }
}

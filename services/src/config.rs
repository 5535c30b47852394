//! Typed configuration: defaults that work with no file at all, overridden by
//! environment variables.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// Where Parley listens and keeps its data.
#[derive(Clone)]
pub struct Config {
    /// `PARLEY_ADDR`, default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `PARLEY_DATA_DIR`, default `./data`: holds the SQLite database.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`, default SQLite in the data folder. May hold a password.
    pub database_url: String,
    /// `PARLEY_PUBLIC_URL`, default `http://{addr}`: the origin operators and the widget
    /// use to reach Parley (embed snippet, Origin checks).
    pub public_url: String,
    /// `PARLEY_SOCKET_PING_SECS`, default 25: how often sockets are pinged.
    pub socket_ping: std::time::Duration,
    /// `PARLEY_SOCKET_IDLE_SECS`, default 60: a socket that sent nothing (not even a
    /// pong) for this long is closed.
    pub socket_idle: std::time::Duration,
    /// `PARLEY_VISITOR_GRACE_SECS`, default 30: how long a visitor stays online after their
    /// last widget socket closed (a navigation opens the next one within it).
    pub visitor_grace: std::time::Duration,
    /// `PARLEY_UNSEEN_REPLY_EMAIL_SECS`, default 300: an operator's reply the visitor has
    /// not seen this long after it was sent goes to the contact by email.
    pub unseen_reply_email: std::time::Duration,
    /// `PARLEY_RESTRICT_WORKSPACE_CREATION` (`1`/`true`), default off: only owners of a
    /// workspace may create another (otherwise any signed-in member may).
    pub restrict_workspace_creation: bool,
    /// `PARLEY_PAGE_VISIT_DAYS`, default 90: how long page visits are kept.
    pub page_visit_days: u64,
    /// `PARLEY_METRICS_TOKEN`, default unset: turns `GET /metrics` on for scrapers that
    /// send `Authorization: Bearer <token>`. Unset, `/metrics` answers 404.
    pub metrics_token: Option<String>,
    /// `PARLEY_TRUSTED_PROXIES`, default none: comma-separated addresses or networks
    /// (`10.0.0.0/8`, `::1`) of reverse proxies whose `X-Forwarded-For` names the client.
    /// Without it, the client is the address the connection comes from.
    pub trusted_proxies: Vec<IpNet>,
    /// `PARLEY_NEW_VISITORS_PER_MINUTE`, default 20: new widget visitors one client
    /// address may create per minute (as a burst, then one every 60/n seconds); 0 turns
    /// the limit off.
    pub new_visitors_per_minute: u32,
    /// `LEPTOS_SITE_ROOT`, default `target/site`: the built site (the app's `pkg/`, the
    /// widget's `widget/pkg/`, public files), as `scripts/build-site.sh` leaves it.
    pub site_root: PathBuf,
    /// `PARLEY_SESSION_IDLE_MINUTES`, default 7 days: a sign-in unused this long ends.
    pub session_idle: std::time::Duration,
    /// `PARLEY_SESSION_MAX_HOURS`, default 30 days: a sign-in ends this long after it
    /// began, however active.
    pub session_max: std::time::Duration,
    /// `PARLEY_AWAY_AFTER_SECS`, default 300: an online member whose last tab closed is
    /// marked away this long after.
    pub away_after: std::time::Duration,
    /// `PARLEY_S3_BUCKET`, default unset: keep attachments in this S3-compatible bucket
    /// (endpoint, region and keys from the standard `AWS_*` variables) instead of the
    /// `attachments` folder in the data folder.
    pub s3_bucket: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("s3_bucket", &self.s3_bucket)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("socket_ping", &self.socket_ping)
            .field("socket_idle", &self.socket_idle)
            .field("visitor_grace", &self.visitor_grace)
            .field("unseen_reply_email", &self.unseen_reply_email)
            .field("restrict_workspace_creation", &self.restrict_workspace_creation)
            .field("page_visit_days", &self.page_visit_days)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
            .field("trusted_proxies", &self.trusted_proxies)
            .field("new_visitors_per_minute", &self.new_visitors_per_minute)
            .field("site_root", &self.site_root)
            .field("session_idle", &self.session_idle)
            .field("session_max", &self.session_max)
            .finish()
    }
}

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

impl Config {
    /// Reads the environment; unset variables take their defaults.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds a configuration from any variable lookup (the environment, or a test map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr = match get("PARLEY_ADDR").filter(|v| !v.is_empty()) {
            Some(v) => v.parse().map_err(|_| ConfigError {
                name: "PARLEY_ADDR",
                message: format!("{v:?} is not an address like 127.0.0.1:3000"),
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let data_dir = PathBuf::from(get("PARLEY_DATA_DIR").filter(|v| !v.is_empty()).unwrap_or_else(|| "data".into()));
        let database_url = match get("DATABASE_URL").filter(|v| !v.is_empty()) {
            Some(url)
                if url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://") =>
            {
                url
            }
            Some(url) => {
                return Err(ConfigError {
                    name: "DATABASE_URL",
                    message: format!("{} is neither sqlite: nor postgres://", redact_url(&url)),
                });
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("parley.db").display()),
        };
        let public_url = get("PARLEY_PUBLIC_URL")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError {
                name: "PARLEY_PUBLIC_URL",
                message: format!("{public_url:?} must start with http:// or https://"),
            });
        }
        let seconds = |name: &'static str, default: u64| -> Result<std::time::Duration, ConfigError> {
            match get(name).filter(|v| !v.is_empty()) {
                None => Ok(std::time::Duration::from_secs(default)),
                Some(v) => {
                    v.parse::<u64>().ok().filter(|n| *n > 0).map(std::time::Duration::from_secs).ok_or_else(|| {
                        ConfigError { name, message: format!("{v:?} is not a positive number of seconds") }
                    })
                }
            }
        };
        let socket_ping = seconds("PARLEY_SOCKET_PING_SECS", 25)?;
        let socket_idle = seconds("PARLEY_SOCKET_IDLE_SECS", 60)?;
        let visitor_grace = seconds("PARLEY_VISITOR_GRACE_SECS", 30)?;
        let unseen_reply_email = seconds("PARLEY_UNSEEN_REPLY_EMAIL_SECS", 300)?;
        let restrict_workspace_creation = match get("PARLEY_RESTRICT_WORKSPACE_CREATION").as_deref() {
            None | Some("" | "0" | "false") => false,
            Some("1" | "true") => true,
            Some(other) => {
                return Err(ConfigError {
                    name: "PARLEY_RESTRICT_WORKSPACE_CREATION",
                    message: format!("{other:?} is neither 1/true nor 0/false"),
                });
            }
        };
        let metrics_token = get("PARLEY_METRICS_TOKEN").filter(|v| !v.is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError {
                name: "PARLEY_METRICS_TOKEN",
                message: "must be at least 16 characters (e.g. `openssl rand -hex 32`)".into(),
            });
        }
        let trusted_proxies = get("PARLEY_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse::<IpNet>().map_err(|_| ConfigError {
                    name: "PARLEY_TRUSTED_PROXIES",
                    message: format!("{v:?} is not an address or network like 10.0.0.1 or 10.0.0.0/8"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let new_visitors_per_minute = match get("PARLEY_NEW_VISITORS_PER_MINUTE").filter(|v| !v.is_empty()) {
            None => 20,
            Some(v) => v.parse::<u32>().map_err(|_| ConfigError {
                name: "PARLEY_NEW_VISITORS_PER_MINUTE",
                message: format!("{v:?} is not a whole number (0 turns the limit off)"),
            })?,
        };
        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").filter(|v| !v.is_empty()).unwrap_or_else(|| "target/site".into()));
        Ok(Config {
            addr,
            data_dir,
            database_url,
            public_url,
            socket_ping,
            socket_idle,
            visitor_grace,
            unseen_reply_email,
            restrict_workspace_creation,
            page_visit_days: positive(&get, "PARLEY_PAGE_VISIT_DAYS", 90)?,
            metrics_token,
            trusted_proxies,
            new_visitors_per_minute,
            site_root,
            session_idle: std::time::Duration::from_secs(
                60 * positive(&get, "PARLEY_SESSION_IDLE_MINUTES", 7 * 24 * 60)?,
            ),
            session_max: std::time::Duration::from_secs(3600 * positive(&get, "PARLEY_SESSION_MAX_HOURS", 30 * 24)?),
            away_after: seconds("PARLEY_AWAY_AFTER_SECS", 300)?,
            s3_bucket: get("PARLEY_S3_BUCKET").filter(|v| !v.trim().is_empty()),
        })
    }

    /// The client's address: the connection's peer, unless the peer is a trusted proxy;
    /// then the right-most `X-Forwarded-For` entry that is not a trusted proxy itself
    /// (entries further left were written by the client and prove nothing).
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let trusted = |ip: &IpAddr| self.trusted_proxies.iter().any(|net| net.contains(*ip));
        if !trusted(&peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded_for.unwrap_or_default().rsplit(',').map(str::trim) {
            let Some(ip) = parse_forwarded_ip(hop) else { break };
            client = ip;
            if !trusted(&ip) {
                break;
            }
        }
        client
    }

    /// Whether the database is the embedded SQLite one (so the data folder must exist).
    pub fn uses_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// An address or a network in CIDR notation (`10.0.0.0/8`); a bare address is a /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    /// Whether `ip` lies in this network (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl std::str::FromStr for IpNet {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u8>().map_err(|_| ())?)),
            None => (s, None),
        };
        let addr = addr.parse::<IpAddr>().map_err(|_| ())?.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(());
        }
        Ok(IpNet { addr, prefix })
    }
}

/// One `X-Forwarded-For` entry: `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:443` or
/// `203.0.113.7:443`.
fn parse_forwarded_ip(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<SocketAddr>().ok().map(|addr| addr.ip().to_canonical())
}

/// Hides the password of a `scheme://user:password@host` URL, and of a `password=` (or
/// `sslpassword=`) query parameter.
/// A whole number of at least 1 (at most ten years' worth of minutes), or `default` when
/// unset.
fn positive(get: &impl Fn(&str) -> Option<String>, name: &'static str, default: u64) -> Result<u64, ConfigError> {
    let Some(value) = get(name).filter(|v| !v.is_empty()) else { return Ok(default) };
    match value.trim().parse::<u64>() {
        Ok(n) if (1..=10 * 366 * 24 * 60).contains(&n) => Ok(n),
        _ => Err(ConfigError { name, message: format!("{value:?} is not a whole number of at least 1") }),
    }
}

pub fn redact_url(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut out = match (base.find("://"), base.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &base[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &base[..scheme_end], &base[at + 1..])
        }
        _ => base.to_owned(),
    };
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("sslpassword") => {
                    format!("{key}=***")
                }
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn no_variables_means_sqlite_in_data_on_localhost_3000() {
        let c = config(&[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/parley.db?mode=rwc");
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.site_root, PathBuf::from("target/site"));
        assert!(c.uses_sqlite());
        assert_eq!(c.metrics_token, None);
    }

    #[test]
    fn environment_overrides_every_default() {
        let c = config(&[
            ("PARLEY_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://parley:secret@db/parley"),
            ("PARLEY_PUBLIC_URL", "https://chat.example.com/"),
            ("PARLEY_METRICS_TOKEN", "scrape-token-0123456789"),
            ("LEPTOS_SITE_ROOT", "/srv/parley/site"),
        ])
        .unwrap();
        assert_eq!(c.metrics_token.as_deref(), Some("scrape-token-0123456789"));
        assert!(!format!("{c:?}").contains("scrape-token"), "the metrics token must not appear in Debug output");
        assert_eq!(c.site_root, PathBuf::from("/srv/parley/site"));
        assert_eq!(c.addr.port(), 8080);
        assert!(!c.uses_sqlite());
        assert_eq!(c.public_url, "https://chat.example.com");
        assert!(!format!("{c:?}").contains("secret"), "the password must not appear in Debug output");
    }

    #[test]
    fn passwords_in_database_urls_are_redacted_wherever_they_are() {
        assert_eq!(redact_url("postgres://parley:secret@db/parley"), "postgres://parley:***@db/parley");
        let query = redact_url("postgres://db/parley?user=parley&password=secret&sslmode=require");
        assert_eq!(query, "postgres://db/parley?user=parley&password=***&sslmode=require");
        assert_eq!(redact_url("sqlite://data/parley.db?mode=rwc"), "sqlite://data/parley.db?mode=rwc");
        let c = config(&[("DATABASE_URL", "postgres://db/parley?password=hunter2")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let direct = config(&[]).unwrap();
        assert!(direct.trusted_proxies.is_empty());
        assert_eq!(direct.client_ip(ip("198.51.100.9"), Some("203.0.113.7")), ip("198.51.100.9"), "no proxy trusted");

        let proxied = config(&[("PARLEY_TRUSTED_PROXIES", " 10.0.0.0/8, ::1 ")]).unwrap();
        assert_eq!(proxied.client_ip(ip("10.1.2.3"), Some("203.0.113.7")), ip("203.0.113.7"));
        assert_eq!(
            proxied.client_ip(ip("10.1.2.3"), Some("6.6.6.6, 203.0.113.7, 10.9.9.9")),
            ip("203.0.113.7"),
            "the right-most untrusted hop; what the client wrote further left is ignored"
        );
        assert_eq!(proxied.client_ip(ip("::1"), Some("[2001:db8::5]:443")), ip("2001:db8::5"));
        assert_eq!(proxied.client_ip(ip("10.1.2.3"), None), ip("10.1.2.3"), "no header: the proxy itself");
        assert_eq!(proxied.client_ip(ip("10.1.2.3"), Some("garbage")), ip("10.1.2.3"));
        assert_eq!(proxied.client_ip(ip("::ffff:10.1.2.3"), Some("203.0.113.7")), ip("203.0.113.7"));
        assert_eq!(
            proxied.client_ip(ip("198.51.100.9"), Some("203.0.113.7")),
            ip("198.51.100.9"),
            "a client that is not a proxy cannot choose its address"
        );
        let err = config(&[("PARLEY_TRUSTED_PROXIES", "10.0.0.0/33")]).unwrap_err();
        assert_eq!(err.name, "PARLEY_TRUSTED_PROXIES");
        assert!(config(&[("PARLEY_TRUSTED_PROXIES", "proxy.local")]).is_err());
    }

    #[test]
    fn sessions_last_a_week_idle_and_a_month_at_most_unless_configured() {
        let c = config(&[]).unwrap();
        assert_eq!(c.session_idle, std::time::Duration::from_secs(7 * 24 * 3600));
        assert_eq!(c.session_max, std::time::Duration::from_secs(30 * 24 * 3600));
        let c = config(&[("PARLEY_SESSION_IDLE_MINUTES", "30"), ("PARLEY_SESSION_MAX_HOURS", "12")]).unwrap();
        assert_eq!(c.session_idle, std::time::Duration::from_secs(30 * 60));
        assert_eq!(c.session_max, std::time::Duration::from_secs(12 * 3600));
        for bad in ["0", "-5", "a week", "1.5"] {
            assert_eq!(
                config(&[("PARLEY_SESSION_IDLE_MINUTES", bad)]).unwrap_err().name,
                "PARLEY_SESSION_IDLE_MINUTES"
            );
            assert_eq!(config(&[("PARLEY_SESSION_MAX_HOURS", bad)]).unwrap_err().name, "PARLEY_SESSION_MAX_HOURS");
        }
    }

    #[test]
    fn new_visitors_per_minute_defaults_to_20_and_0_turns_it_off() {
        assert_eq!(config(&[]).unwrap().new_visitors_per_minute, 20);
        assert_eq!(config(&[("PARLEY_NEW_VISITORS_PER_MINUTE", "0")]).unwrap().new_visitors_per_minute, 0);
        assert_eq!(
            config(&[("PARLEY_NEW_VISITORS_PER_MINUTE", "lots")]).unwrap_err().name,
            "PARLEY_NEW_VISITORS_PER_MINUTE"
        );
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        assert_eq!(config(&[("PARLEY_ADDR", "localhost")]).unwrap_err().name, "PARLEY_ADDR");
        assert_eq!(config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().name, "DATABASE_URL");
        assert_eq!(config(&[("PARLEY_PUBLIC_URL", "chat.example")]).unwrap_err().name, "PARLEY_PUBLIC_URL");
        assert_eq!(config(&[("PARLEY_SOCKET_IDLE_SECS", "0")]).unwrap_err().name, "PARLEY_SOCKET_IDLE_SECS");
        assert_eq!(config(&[("PARLEY_SOCKET_PING_SECS", "soon")]).unwrap_err().name, "PARLEY_SOCKET_PING_SECS");
        assert_eq!(config(&[("PARLEY_METRICS_TOKEN", "short")]).unwrap_err().name, "PARLEY_METRICS_TOKEN");
    }
}

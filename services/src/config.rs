//! Typed configuration: defaults that work with no file at all, overridden by
//! environment variables.

use std::net::SocketAddr;
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
    /// `PARLEY_METRICS_TOKEN`, default unset: turns `GET /metrics` on for scrapers that
    /// send `Authorization: Bearer <token>`. Unset, `/metrics` answers 404.
    pub metrics_token: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("socket_ping", &self.socket_ping)
            .field("socket_idle", &self.socket_idle)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "***"))
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
        let metrics_token = get("PARLEY_METRICS_TOKEN").filter(|v| !v.is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            return Err(ConfigError {
                name: "PARLEY_METRICS_TOKEN",
                message: "must be at least 16 characters (e.g. `openssl rand -hex 32`)".into(),
            });
        }
        Ok(Config { addr, data_dir, database_url, public_url, socket_ping, socket_idle, metrics_token })
    }

    /// Whether the database is the embedded SQLite one (so the data folder must exist).
    pub fn uses_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// Hides the password of a `scheme://user:password@host` URL, and of a `password=` (or
/// `sslpassword=`) query parameter.
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
        ])
        .unwrap();
        assert_eq!(c.metrics_token.as_deref(), Some("scrape-token-0123456789"));
        assert!(!format!("{c:?}").contains("scrape-token"), "the metrics token must not appear in Debug output");
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
    fn bad_values_are_refused_with_their_name() {
        assert_eq!(config(&[("PARLEY_ADDR", "localhost")]).unwrap_err().name, "PARLEY_ADDR");
        assert_eq!(config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().name, "DATABASE_URL");
        assert_eq!(config(&[("PARLEY_PUBLIC_URL", "chat.example")]).unwrap_err().name, "PARLEY_PUBLIC_URL");
        assert_eq!(config(&[("PARLEY_SOCKET_IDLE_SECS", "0")]).unwrap_err().name, "PARLEY_SOCKET_IDLE_SECS");
        assert_eq!(config(&[("PARLEY_SOCKET_PING_SECS", "soon")]).unwrap_err().name, "PARLEY_SOCKET_PING_SECS");
        assert_eq!(config(&[("PARLEY_METRICS_TOKEN", "short")]).unwrap_err().name, "PARLEY_METRICS_TOKEN");
    }
}

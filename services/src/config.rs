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
    /// `LEPTOS_SITE_ROOT`, default `target/site`: the built site (the app's `pkg/`, the
    /// widget's `widget/pkg/`, public files), as `scripts/build-site.sh` leaves it.
    pub site_root: PathBuf,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .field("site_root", &self.site_root)
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
        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").filter(|v| !v.is_empty()).unwrap_or_else(|| "target/site".into()));
        Ok(Config { addr, data_dir, database_url, public_url, site_root })
    }

    /// Whether the database is the embedded SQLite one (so the data folder must exist).
    pub fn uses_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// Hides the password of a `scheme://user:password@host` URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
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
    }

    #[test]
    fn environment_overrides_every_default() {
        let c = config(&[
            ("PARLEY_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "postgres://parley:secret@db/parley"),
            ("PARLEY_PUBLIC_URL", "https://chat.example.com/"),
            ("LEPTOS_SITE_ROOT", "/srv/parley/site"),
        ])
        .unwrap();
        assert_eq!(c.site_root, PathBuf::from("/srv/parley/site"));
        assert_eq!(c.addr.port(), 8080);
        assert!(!c.uses_sqlite());
        assert_eq!(c.public_url, "https://chat.example.com");
        assert!(!format!("{c:?}").contains("secret"), "the password must not appear in Debug output");
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        assert_eq!(config(&[("PARLEY_ADDR", "localhost")]).unwrap_err().name, "PARLEY_ADDR");
        assert_eq!(config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().name, "DATABASE_URL");
        assert_eq!(config(&[("PARLEY_PUBLIC_URL", "chat.example")]).unwrap_err().name, "PARLEY_PUBLIC_URL");
    }
}

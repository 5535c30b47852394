//! A workspace as its owners and admins set it up (General settings), and as the avatar
//! menu lists the workspaces a user belongs to.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::ids::WorkspaceId;
use crate::phrase;

/// The languages the operator app and a workspace may use.
pub const APP_LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("es", "Español")];
/// The longest workspace name, in characters.
pub const MAX_WORKSPACE_NAME: usize = 80;

/// Name, address, logo, language and time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceGeneral {
    pub name: String,
    /// The workspace's short address (`acme-support`): lower-case letters, digits and dashes.
    pub slug: String,
    /// An https address, or empty.
    #[serde(default)]
    pub logo_url: String,
    pub language: String,
    /// IANA zone, e.g. `Europe/Berlin` (checked by the server).
    pub timezone: String,
}

impl WorkspaceGeneral {
    /// Problems a browser can see (the server also checks the zone and that the address is
    /// free); texts are checked trimmed.
    pub fn check(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_WORKSPACE_NAME {
            problems.push(FieldError::new("name", phrase!("err-workspace-name", max = MAX_WORKSPACE_NAME)));
        }
        if !is_slug(self.slug.trim()) {
            problems.push(FieldError::new("slug", phrase!("err-workspace-slug")));
        }
        let logo = self.logo_url.trim();
        if !logo.is_empty() && !crate::is_https_url(logo) {
            problems.push(FieldError::new("logo_url", phrase!("err-logo-https")));
        }
        if !APP_LANGUAGES.iter().any(|(code, _)| *code == self.language) {
            problems.push(FieldError::new("language", phrase!("err-workspace-language", value = &self.language)));
        }
        problems
    }
}

/// Whether `text` may be a workspace's address.
pub fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    (3..=40).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first().is_some_and(|b| *b != b'-')
        && bytes.last().is_some_and(|b| *b != b'-')
}

/// A name made into an address: `Acme Support!` → `acme-support` (padded to 3 characters).
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_matches('-').chars().take(32).collect();
    slug = slug.trim_end_matches('-').to_owned();
    while slug.len() < 3 {
        slug.push('w');
    }
    slug
}

/// One of the user's workspaces in the avatar menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceChoice {
    pub id: WorkspaceId,
    pub name: String,
    pub slug: String,
    /// The one this session works in.
    pub current: bool,
    /// Open conversations waiting in Live there.
    pub waiting: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_made_from_names_and_checked() {
        assert_eq!(slug_of("Acme Support!"), "acme-support");
        assert_eq!(slug_of("  Ünïcode & Co "), "n-code-co");
        assert_eq!(slug_of("A"), "aww");
        assert!(is_slug("acme-support") && is_slug("a1b"));
        for bad in ["ab", "-acme", "acme-", "Acme", "ac me", &"a".repeat(41)] {
            assert!(!is_slug(bad), "{bad}");
        }
        let good = WorkspaceGeneral {
            name: "Acme".into(),
            slug: "acme".into(),
            logo_url: String::new(),
            language: "es".into(),
            timezone: "Europe/Madrid".into(),
        };
        assert!(good.check().is_empty());
        let bad = WorkspaceGeneral {
            name: " ".into(),
            slug: "A".into(),
            logo_url: "http://x".into(),
            language: "xx".into(),
            ..good
        };
        let fields: Vec<String> = bad.check().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["name", "slug", "logo_url", "language"]);
    }
}

//! `localStorage`, namespaced by public key (`parley:<key>:<name>`).
//!
//! Storage can be missing or throw (private browsing, blocked third-party storage, a full
//! quota); then the widget keeps going without persistence.

use web_sys::{Document, Storage};

/// The visitor token (the loader reads the same key to decide on eager loading).
pub const TOKEN: &str = "token";
/// The highest `seq` the visitor saw with the panel open.
pub const LAST_READ: &str = "read";

/// A view of `localStorage` limited to one widget's keys.
pub struct Store {
    storage: Option<Storage>,
    prefix: String,
}

impl Store {
    /// Opens the store for `public_key` in `doc`'s window; works (as a no-op) when storage
    /// is unavailable.
    pub fn new(doc: &Document, public_key: &str) -> Self {
        let storage = doc.default_view().and_then(|w| w.local_storage().ok().flatten());
        let mut prefix = String::from("parley:");
        prefix.push_str(public_key);
        prefix.push(':');
        Store { storage, prefix }
    }

    fn key(&self, name: &str) -> String {
        let mut key = self.prefix.clone();
        key.push_str(name);
        key
    }

    /// The stored value, if any.
    pub fn get(&self, name: &str) -> Option<String> {
        self.storage.as_ref()?.get_item(&self.key(name)).ok().flatten()
    }

    /// Stores a value; failures (quota, blocked storage) are ignored.
    pub fn set(&self, name: &str, value: &str) {
        if let Some(s) = &self.storage {
            let _ = s.set_item(&self.key(name), value);
        }
    }

    /// Removes a value; failures are ignored.
    pub fn remove(&self, name: &str) {
        if let Some(s) = &self.storage {
            let _ = s.remove_item(&self.key(name));
        }
    }
}

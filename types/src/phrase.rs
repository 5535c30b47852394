//! Sentences the server says to people, by message id: a [`Phrase`] is an id of the
//! shared catalogs (`types/locales/{lang}/*.ftl`) and the values it needs. The server
//! renders it in English for the `message` of an [`ApiError`](crate::ApiError) (and in the
//! visitor's language for the widget); the operator app renders the same phrase from its
//! own copy of the catalogs in the page's language. So a sentence such as "Between 0 and
//! 200 pixels." is written once per language, and no client parses English.
//!
//! ```
//! let p = parley_types::Phrase::new("err-widget-offset").arg("max", 200);
//! assert_eq!((p.id.as_ref(), p.args.len()), ("err-widget-offset", 1));
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A message id with its values: `{"id": "err-widget-offset", "args": {"max": 200}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phrase {
    pub id: Cow<'static, str>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, PhraseArg>,
}

/// A value in a phrase: a number (plural rules select on it) or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PhraseArg {
    Number(i64),
    Text(String),
}

impl Phrase {
    /// The message `id`, without values (see [`phrase!`](crate::phrase) for values).
    pub const fn new(id: &'static str) -> Self {
        Phrase { id: Cow::Borrowed(id), args: BTreeMap::new() }
    }

    /// Adds the value of variable `name`.
    pub fn arg(mut self, name: &str, value: impl Into<PhraseArg>) -> Self {
        self.args.insert(name.to_owned(), value.into());
        self
    }
}

impl From<i64> for PhraseArg {
    fn from(n: i64) -> Self {
        PhraseArg::Number(n)
    }
}

macro_rules! number_arg {
    ($($t:ty),+) => {$(
        impl From<$t> for PhraseArg {
            fn from(n: $t) -> Self {
                PhraseArg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )+};
}
number_arg!(i32, u32, u64, usize, u16, u8, i16);

impl From<String> for PhraseArg {
    fn from(s: String) -> Self {
        PhraseArg::Text(s)
    }
}

impl From<&str> for PhraseArg {
    fn from(s: &str) -> Self {
        PhraseArg::Text(s.to_owned())
    }
}

impl From<&String> for PhraseArg {
    fn from(s: &String) -> Self {
        PhraseArg::Text(s.clone())
    }
}

/// A [`Phrase`]: `phrase!("err-id")` or `phrase!("err-id", name = value, count = n)` (text or
/// integers). The catalog tests check that every id asked for exists in every language and
/// names exactly the variables its message uses.
#[macro_export]
macro_rules! phrase {
    ($id:literal) => {
        $crate::Phrase::new($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::Phrase::new($id)$(.arg(stringify!($name), $value))+
    };
}

/// Each language's phrase catalogs (name, source), English first then Spanish: the server
/// and the operator app both load them.
macro_rules! catalog {
    ($lang:literal: $($file:literal),+ $(,)?) => {
        &[$((concat!("types/", $lang, "/", $file, ".ftl"), include_str!(concat!("../locales/", $lang, "/", $file, ".ftl")))),+]
    };
}
pub const PHRASE_CATALOGS: [&[(&str, &str)]; 2] = [
    catalog!("en": "common", "attachments", "contacts", "leads", "conversations", "team", "workspace", "forms", "notifications", "lines"),
    catalog!("es": "common", "attachments", "contacts", "leads", "conversations", "team", "workspace", "forms", "notifications", "lines"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_travel_as_id_and_values() {
        let p = phrase!("err-routing-channel", value = "sms", channels = "web, email");
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"id":"err-routing-channel","args":{"channels":"web, email","value":"sms"}}"#);
        assert_eq!(serde_json::from_str::<Phrase>(&json).unwrap(), p);
        let n = phrase!("err-max-chars", max = 200_u32);
        assert_eq!(serde_json::to_string(&n).unwrap(), r#"{"id":"err-max-chars","args":{"max":200}}"#);
        assert_eq!(serde_json::to_string(&phrase!("err-logo-https")).unwrap(), r#"{"id":"err-logo-https"}"#);
        assert_eq!(PhraseArg::from(u64::MAX), PhraseArg::Number(i64::MAX));
    }
}

//! The operator app's words, in Fluent catalogs (`app/locales/{lang}/*.ftl`, one file per
//! feature), and the page's language.
//!
//! The server decides a page's language (the member's choice in their profile, else the
//! workspace's, else the browser's `Accept-Language`, else English: `server/src/language.rs`)
//! and renders `<html lang>`; the browser reads it back before hydrating, so both sides
//! pick the same words. Text is looked up with [`t!`](crate::t):
//!
//! ```ignore
//! view! { <button>{t!("frame-sign-out")}</button> }
//! t!("frame-workspace-waiting", name = w.name.clone(), count = w.waiting)
//! ```
//!
//! Plurals are Fluent selectors on a number (`{ $count -> [one] … *[other] … }`) by the
//! language's CLDR rules; dates go through [`date`] and [`date_time`]. Nothing is built by
//! concatenating words: a sentence with a value in it is one message with a variable.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the operator app speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 code, as in `<html lang>` and `parley_types::APP_LANGUAGES`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// `en`, `es`, or a regional form of one (`es-MX`); anything else is `None`.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.code() == primary)
    }

    /// The first language of an `Accept-Language` header that the app speaks (quality
    /// order; `*` and unknown ones skipped).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut choices: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(at, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (quality > 0.0).then_some((quality, at, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        choices.first().map(|c| c.2)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Each language's catalog files (feature by feature), in [`Lang::ALL`] order.
macro_rules! catalog {
    ($lang:literal: $($file:literal),+ $(,)?) => {
        &[$((concat!($lang, "/", $file, ".ftl"), include_str!(concat!("../locales/", $lang, "/", $file, ".ftl")))),+]
    };
}
pub(crate) const CATALOGS: [&[(&str, &str)]; 2] = [
    catalog!("en": "common", "frame", "auth", "conversations", "inbox", "contacts", "visitors", "settings", "admin"),
    catalog!("es": "common", "frame", "auth", "conversations", "inbox", "contacts", "visitors", "settings", "admin"),
];

/// The app's own catalogs of `lang` and the sentences the server says by id
/// ([`parley_types::PHRASE_CATALOGS`]).
pub(crate) fn catalog_files(lang: Lang) -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    CATALOGS[lang.index()].iter().chain(parley_types::PHRASE_CATALOGS[lang.index()])
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("a valid language code");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around variables: the operator app shows
            // left-to-right languages only, and the marks would end up in copied text.
            bundle.set_use_isolating(false);
            for (name, source) in catalog_files(lang) {
                // A catalog that does not parse or repeats an id fails the catalog tests
                // below; here the messages that did parse are still used.
                let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| {
                    log_problem(&format!("{name} has syntax errors"));
                    partial
                });
                if bundle.add_resource(resource).is_err() {
                    log_problem(&format!("{name} repeats an id"));
                }
            }
            bundle
        })
        .collect()
});

fn log_problem(problem: &str) {
    #[cfg(feature = "ssr")]
    tracing::error!("operator app catalog: {problem}");
    #[cfg(not(feature = "ssr"))]
    let _ = problem;
}

#[cfg(feature = "hydrate")]
static PAGE_LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The browser's side: called once by the hydrate entry, before anything renders, with the
/// language the server rendered the page in (`<html lang>`).
#[cfg(feature = "hydrate")]
pub fn choose_from_document() {
    let lang = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|code| Lang::parse(&code))
        .unwrap_or_default();
    let _ = PAGE_LANG.set(lang);
}

/// The language of the page being rendered (in the browser: the page's).
pub fn current() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        PAGE_LANG.get().copied().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        leptos::prelude::use_context::<Lang>().unwrap_or_default()
    }
}

/// The message `id` in the page's language, with `args`. A missing message (the catalog
/// tests make that a failing test) shows its id rather than nothing.
pub fn message(id: &str, args: Option<&FluentArgs>) -> String {
    message_in(current(), id, args)
}

/// The message `id` in `lang`.
pub fn message_in(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = &BUNDLES[lang.index()];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        log_problem(&format!("no message {id:?} in {}", lang.code()));
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        log_problem(&format!("message {id:?} in {}: {errors:?}", lang.code()));
    }
    text.into_owned()
}

/// Something the app says to people, in the page's language: toasts and error lines take
/// it (`toasts.error(err)`).
pub trait Said {
    fn said(&self) -> String;
}

impl Said for String {
    fn said(&self) -> String {
        self.clone()
    }
}

impl Said for &str {
    fn said(&self) -> String {
        (*self).to_owned()
    }
}

impl Said for parley_types::Phrase {
    fn said(&self) -> String {
        let values = self.args.iter().map(|(name, value)| {
            let value = match value {
                parley_types::PhraseArg::Number(n) => FluentValue::from(*n),
                parley_types::PhraseArg::Text(text) => FluentValue::from(text.as_str()),
            };
            (name.as_str(), value)
        });
        message(&self.id, Some(&args(values)))
    }
}

/// A sentence the server wrote: by id when it sent one; a code's default sentence in the
/// page's language; else as it came.
fn either(phrase: Option<&parley_types::Phrase>, english: &str) -> String {
    if let Some(phrase) = phrase {
        return phrase.said();
    }
    match parley_types::ErrorCode::ALL.iter().find(|code| code.default_message() == english) {
        Some(code) => code_sentence(*code),
        None => english.to_owned(),
    }
}

impl Said for parley_types::FieldError {
    fn said(&self) -> String {
        either(self.phrase.as_ref(), &self.message)
    }
}

impl Said for parley_types::BulkFailure {
    fn said(&self) -> String {
        either(self.phrase.as_ref(), &self.message)
    }
}

impl Said for parley_types::RowProblem {
    fn said(&self) -> String {
        either(self.phrase.as_ref(), &self.reason)
    }
}

impl Said for parley_types::ApiError {
    /// The server's sentence in the page's language: by its id when it sent one (for
    /// several field problems, theirs one after another); the code's own sentence when it
    /// sent the default one; else the sentence as it came.
    fn said(&self) -> String {
        if let Some(phrase) = &self.phrase {
            return phrase.said();
        }
        if !self.fields.is_empty() && self.fields.iter().all(|f| f.phrase.is_some()) {
            return self.fields.iter().map(Said::said).collect::<Vec<_>>().join(" ");
        }
        if self.message != self.code.default_message() {
            return self.message.clone();
        }
        code_sentence(self.code)
    }
}

/// The code's own sentence in the page's language.
fn code_sentence(code: parley_types::ErrorCode) -> String {
    use parley_types::ErrorCode as C;
    match code {
        C::Invalid => crate::t!("error-invalid"),
        C::Unauthorized => crate::t!("error-unauthorized"),
        C::Forbidden => crate::t!("error-forbidden"),
        C::NotFound => crate::t!("error-not-found"),
        C::Conflict => crate::t!("error-conflict"),
        C::PayloadTooLarge => crate::t!("error-too-large"),
        C::TooManyRequests => crate::t!("error-too-many"),
        C::Internal => crate::t!("error-internal"),
        C::Unavailable => crate::t!("error-unavailable"),
        C::Request => crate::t!("error-request"),
    }
}

/// Builds the arguments of a message (used by [`t!`](crate::t)).
pub fn args<'a>(pairs: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        args.set(name, value);
    }
    args
}

/// A value for a message variable: text or a number.
pub fn value<'a>(v: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    v.into()
}

/// The text of message `id` in the page's language: `t!("id")`, or with variables
/// `t!("id", name = value, count = n)` (text or numbers).
#[macro_export]
macro_rules! t {
    ($id:literal) => {
        $crate::i18n::message($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $id,
            Some(&$crate::i18n::args([$((stringify!($name), $crate::i18n::value($value))),+])),
        )
    };
}

/// Marks a message id kept in a table (a navigation entry's label, a choice's name) to be
/// looked up later with [`message`]: `msg!("nav-inbox")` is the literal id, and the catalog
/// tests count it as asked for.
#[macro_export]
macro_rules! msg {
    ($id:literal) => {
        $id
    };
}

/// A calendar day of a Unix-milliseconds time (UTC), written the language's way:
/// "Dec 5, 2026", "5 dic 2026".
pub fn date(ms: i64) -> String {
    let (year, month, day) = civil_date(ms);
    let month_name = message(&format!("month-short-{month}"), None);
    t!("date-medium", day = day, month = month_name, year = year)
}

/// A day and time of a Unix-milliseconds time (UTC): "Dec 5, 2026, 14:03".
pub fn date_time(ms: i64) -> String {
    t!("date-time", date = date(ms), time = crate::conversations::clock_time(ms))
}

/// Year, month (1–12) and day of a Unix-milliseconds time, in UTC.
pub(crate) fn civil_date(ms: i64) -> (i64, i64, i64) {
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;

//! The widget's words, from Fluent catalogs (`widget/locales/{lang}.ftl`). English is built
//! in; another language's catalog is fetched when the widget starts in it
//! (`/widget/v1/locales/{lang}.ftl`), so a page loads one catalog at most. The language is
//! the workspace's choice, or else the visitor's browser's first one the widget speaks.
//!
//! The reader covers the part of Fluent the catalogs use, formatted as Fluent formats it
//! (a native test compares every message with `fluent-bundle`): messages `id = text` whose
//! text may hold `{ $variable }` placeables and one select on a number variable, whose
//! variants are CLDR plural categories (`[one]`, `*[other]`) or exact numbers (`[0]`).
//! Static markup names its words with `data-t` (text), `data-ta` (`aria-label`), `data-tp`
//! (`placeholder`) and `data-tw` (a `data-word` the loader shows where the workspace set no
//! text of its own: the panel's title); code asks `i18n::t("id")` or `i18n::t_with("id", ..)`, or names an id it
//! passes on with `i18n::id("id")`, always spelled so (a test reads the sources for the ids
//! they ask for).

use std::cell::RefCell;

/// The languages the widget speaks (the same codes as `parley_types::WIDGET_LANGUAGES`,
/// which a test checks).
pub const LANGUAGES: [&str; 2] = ["en", "es"];

/// The built-in catalog.
const ENGLISH: &str = include_str!("../locales/en.ftl");

/// A value for a placeable.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Var(String),
    Select { var: String, variants: Vec<(String, Vec<Part>)>, default: usize },
}

/// One language's messages.
#[derive(Debug, Clone)]
pub struct Catalog {
    lang: String,
    messages: Vec<(String, Vec<Part>)>,
}

impl Catalog {
    /// Reads a catalog; anything outside the supported part of Fluent is an error saying
    /// what (kept short: the widget carries this code).
    pub fn parse(lang: &str, source: &str) -> Result<Catalog, &'static str> {
        let mut messages: Vec<(String, String)> = Vec::new();
        for line in source.split('\n').map(|l| l.trim_end_matches('\r')) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            // Indented lines continue a message, as does the `}` closing a select.
            if line.starts_with([' ', '\t', '}']) {
                let Some((_, value)) = messages.last_mut() else {
                    return Err("an indented line belongs to no message");
                };
                value.push('\n');
                value.push_str(line.trim());
                continue;
            }
            let Some((id, value)) = line.split_once('=') else { return Err("a line is not `id = text`") };
            messages.push((id.trim().to_owned(), value.trim().to_owned()));
        }
        let messages =
            messages.into_iter().map(|(id, value)| pattern(&value).map(|p| (id, p))).collect::<Result<_, _>>()?;
        Ok(Catalog { lang: lang.to_owned(), messages })
    }

    /// The language's code.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The message ids, in catalog order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().map(|(id, _)| id.as_str())
    }

    /// Message `id` with `args`; the id itself when the catalog lacks it.
    pub fn format(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        match self.messages.iter().find(|(key, _)| key == id) {
            Some((_, parts)) => {
                let mut out = String::new();
                self.write(parts, args, &mut out);
                out
            }
            None => id.to_owned(),
        }
    }

    fn write(&self, parts: &[Part], args: &[(&str, Arg<'_>)], out: &mut String) {
        let arg = |name: &str| args.iter().find(|(key, _)| *key == name).map(|(_, value)| *value);
        for part in parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Var(name) => match arg(name) {
                    Some(Arg::Text(text)) => out.push_str(text),
                    Some(Arg::Number(n)) => crate::wire::push_int(out, n),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
                Part::Select { var, variants, default } => {
                    let chosen = match arg(var) {
                        Some(Arg::Number(n)) => {
                            let category = plural_category(&self.lang, n);
                            variants
                                .iter()
                                .position(|(key, _)| *key == crate::wire::int(n))
                                .or_else(|| variants.iter().position(|(key, _)| key == category))
                        }
                        Some(Arg::Text(text)) => variants.iter().position(|(key, _)| key == text),
                        None => None,
                    };
                    self.write(&variants[chosen.unwrap_or(*default)].1, args, out);
                }
            }
        }
    }
}

/// A pattern: text with `{ … }` placeables.
fn pattern(source: &str) -> Result<Vec<Part>, &'static str> {
    let mut parts = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Text(rest[..open].to_owned()));
        }
        let close = matching_brace(&rest[open..]).ok_or("a `{` is not closed")? + open;
        parts.push(placeable(&rest[open + 1..close])?);
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err("a `}` was not opened");
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_owned()));
    }
    Ok(parts)
}

/// Where the `}` closing the `{` at the start of `s` is.
fn matching_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

fn placeable(inner: &str) -> Result<Part, &'static str> {
    let inner = inner.trim();
    // `->` found bytewise (a string searcher would cost the widget more than this).
    if let Some(arrow) = inner.as_bytes().windows(2).position(|pair| pair == b"->") {
        let (selector, variants) = (&inner[..arrow], &inner[arrow + 2..]);
        let var = variable(selector.trim())?;
        let mut out = Vec::new();
        let mut default = None;
        for line in variants.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
            let (is_default, line) = match line.strip_prefix('*') {
                Some(line) => (true, line),
                None => (false, line),
            };
            let line = line.strip_prefix('[').ok_or("a variant lacks its [key]")?;
            let (key, text) = line.split_once(']').ok_or("a variant lacks its ]")?;
            if is_default {
                default = Some(out.len());
            }
            out.push((key.trim().to_owned(), pattern(text.trim())?));
        }
        let default = default.ok_or("a select has no *[default] variant")?;
        return Ok(Part::Select { var, variants: out, default });
    }
    if let Some(literal) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return Ok(Part::Text(literal.to_owned()));
    }
    Ok(Part::Var(variable(inner)?))
}

fn variable(s: &str) -> Result<String, &'static str> {
    let name = s.strip_prefix('$').ok_or("only $variables are read")?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("only $variables are read");
    }
    Ok(name.to_owned())
}

/// The CLDR plural category of `n` in `lang`: the browser's `Intl.PluralRules` in the
/// widget; English and Spanish rules in native tests.
#[cfg(target_arch = "wasm32")]
fn plural_category(lang: &str, n: i64) -> &'static str {
    let rules = js_sys::Intl::PluralRules::new(&js_sys::Array::of1(&lang.into()), &js_sys::Object::new());
    match rules.select(n as f64).as_string().as_deref() {
        Some("zero") => "zero",
        Some("one") => "one",
        Some("two") => "two",
        Some("few") => "few",
        Some("many") => "many",
        _ => "other",
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn plural_category(_lang: &str, n: i64) -> &'static str {
    if n == 1 { "one" } else { "other" }
}

/// The language to speak: the workspace's `setting` when it names one, else the first of
/// the browser's `preferred` (`es-MX` counts as `es`) that the widget speaks, else English.
pub fn choose<'a>(setting: &str, preferred: impl IntoIterator<Item = &'a str>) -> &'static str {
    let known = |code: &str| {
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        LANGUAGES.into_iter().find(|lang| lang.eq_ignore_ascii_case(primary))
    };
    known(setting).or_else(|| preferred.into_iter().find_map(known)).unwrap_or("en")
}

thread_local! {
    static CURRENT: RefCell<Option<Catalog>> = const { RefCell::new(None) };
    /// The language chosen for this page ([`choose_now`]), even while its catalog loads:
    /// until then the server gets the browser's languages.
    static CHOSEN: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// The built-in English catalog.
pub fn english() -> Catalog {
    Catalog::parse("en", ENGLISH).unwrap_or_else(|_| empty("en"))
}

/// Runs `f` on the current catalog (one non-generic path: each generic copy would cost the
/// widget its own thread-local access code).
fn with_current(f: &mut dyn FnMut(&Catalog)) {
    CURRENT.with_borrow_mut(|current| f(current.get_or_insert_with(english)));
}

fn empty(lang: &str) -> Catalog {
    Catalog { lang: lang.to_owned(), messages: Vec::new() }
}

/// Speaks `catalog` from now on.
pub fn set(catalog: Catalog) {
    CURRENT.with_borrow_mut(|current| *current = Some(catalog));
}

/// Records the language this page speaks from now on (the server writes its sentences in
/// it: `Accept-Language` on requests, `lang.<code>` on the socket).
pub fn choose_now(lang: &'static str) {
    CHOSEN.set(Some(lang));
}

/// The language chosen for this page, once it is.
pub fn chosen() -> Option<&'static str> {
    CHOSEN.get()
}

/// The language spoken now.
pub fn lang() -> String {
    let mut lang = String::new();
    with_current(&mut |c| lang = c.lang().to_owned());
    lang
}

/// Names a message id that code passes on before asking for it (so the catalog test sees
/// it asked for).
pub const fn id(id: &str) -> &str {
    id
}

/// Message `id` in the current language.
pub fn t(id: &str) -> String {
    t_with(id, &[])
}

/// Message `id` with `args` in the current language.
pub fn t_with(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut text = String::new();
    with_current(&mut |c| text = c.format(id, args));
    text
}

/// Writes the current language's words into the static markup under `root`.
pub fn apply(root: &web_sys::ShadowRoot) {
    use wasm_bindgen::JsCast;
    let Ok(nodes) = root.query_selector_all("[data-t],[data-ta],[data-tp],[data-tw]") else { return };
    for i in 0..nodes.length() {
        let Some(el) = nodes.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        if let Some(id) = el.get_attribute("data-t") {
            el.set_text_content(Some(&t(&id)));
        }
        // A word the loader shows where the workspace set none (the panel's title).
        if let Some(id) = el.get_attribute("data-tw") {
            let _ = el.set_attribute("data-word", &t(&id));
        }
        if let Some(id) = el.get_attribute("data-ta") {
            let _ = el.set_attribute("aria-label", &t(&id));
        }
        if let Some(id) = el.get_attribute("data-tp") {
            let _ = el.set_attribute("placeholder", &t(&id));
        }
    }
    if let Some(panel) = root.query_selector(".panel").ok().flatten() {
        let _ = panel.set_attribute("lang", &lang());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};

    const SPANISH: &str = include_str!("../locales/es.ftl");

    fn catalogs() -> Vec<(&'static str, &'static str)> {
        vec![("en", ENGLISH), ("es", SPANISH)]
    }

    #[test]
    fn every_language_has_exactly_the_english_keys() {
        let english: Vec<String> = Catalog::parse("en", ENGLISH).unwrap().ids().map(str::to_owned).collect();
        assert!(english.len() > 30, "{english:?}");
        for (lang, source) in catalogs() {
            let catalog = Catalog::parse(lang, source).unwrap_or_else(|err| panic!("{lang}: {err}"));
            let ids: Vec<String> = catalog.ids().map(str::to_owned).collect();
            let missing: Vec<&String> = english.iter().filter(|id| !ids.contains(id)).collect();
            let extra: Vec<&String> = ids.iter().filter(|id| !english.contains(id)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
        }
        let codes: Vec<&str> =
            parley_types::WIDGET_LANGUAGES.iter().map(|(code, _)| *code).filter(|c| !c.is_empty()).collect();
        assert_eq!(codes, LANGUAGES, "the widget speaks the languages a workspace may choose");
    }

    #[test]
    fn the_reader_formats_every_message_as_fluent_does() {
        for (lang, source) in catalogs() {
            let ours = Catalog::parse(lang, source).unwrap();
            let mut bundle = FluentBundle::new(vec![lang.parse().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(FluentResource::try_new(source.to_owned()).expect("valid Fluent")).unwrap();
            for id in ours.ids() {
                for count in [0, 1, 2, 5, 21] {
                    let mut args = FluentArgs::new();
                    args.set("count", count);
                    args.set("time", "1:05");
                    args.set("email", "ana@example.com");
                    let mut errors = Vec::new();
                    let message = bundle.get_message(id).unwrap_or_else(|| panic!("{lang}: {id}"));
                    let theirs = bundle.format_pattern(message.value().unwrap(), Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
                    let mine = ours.format(
                        id,
                        &[
                            ("count", Arg::Number(count)),
                            ("time", Arg::Text("1:05")),
                            ("email", Arg::Text("ana@example.com")),
                        ],
                    );
                    assert_eq!(mine, theirs, "{lang} {id} with {count}");
                }
            }
        }
    }

    #[test]
    fn every_word_the_widget_asks_for_is_in_the_catalog() {
        let english = Catalog::parse("en", ENGLISH).unwrap();
        let ids: Vec<&str> = english.ids().collect();
        let sources = [
            include_str!("panel.html"),
            include_str!("../loader.js"),
            include_str!("dom.rs"),
            include_str!("files.rs"),
            include_str!("app.rs"),
            include_str!("app/leads.rs"),
            include_str!("app/messages.rs"),
            include_str!("app/session.rs"),
            include_str!("app/voice.rs"),
        ];
        let mut asked = Vec::new();
        for source in sources {
            for marker in
                ["data-t=\"", "data-ta=\"", "data-tp=\"", "data-tw=\"", "i18n::t(\"", "i18n::t_with(\"", "i18n::id(\""]
            {
                for piece in source.split(marker).skip(1) {
                    asked.push(piece.split('"').next().unwrap_or_default().to_owned());
                }
            }
        }
        assert!(asked.len() > 30, "{asked:?}");
        let unknown: Vec<&String> = asked.iter().filter(|id| !ids.contains(&id.as_str())).collect();
        assert!(unknown.is_empty(), "asked for but not in en.ftl: {unknown:?}");
        let unused: Vec<&&str> = ids.iter().filter(|id| !asked.iter().any(|a| a == *id)).collect();
        assert!(unused.is_empty(), "in en.ftl but never asked for: {unused:?}");
    }

    #[test]
    fn plurals_variables_and_missing_words() {
        let es = Catalog::parse("es", SPANISH).unwrap();
        assert_eq!(es.format("unread", &[("count", Arg::Number(1))]), "1 mensaje sin leer");
        assert_eq!(es.format("unread", &[("count", Arg::Number(3))]), "3 mensajes sin leer");
        assert_eq!(
            es.format("email-thanks", &[("email", Arg::Text("a@b.c"))]),
            "¡Gracias! El equipo te escribirá a a@b.c."
        );
        assert_eq!(es.format("no-such-word", &[]), "no-such-word");
        assert!(Catalog::parse("xx", "broken = { $n").is_err());
        assert!(Catalog::parse("xx", "broken = { $n ->\n [one] x\n}").is_err(), "no default variant");
        assert!(Catalog::parse("xx", "broken = { -term }").is_err(), "terms are not read");
    }

    #[test]
    fn the_language_is_the_workspaces_or_the_browsers() {
        assert_eq!(choose("es", ["en-US"]), "es");
        assert_eq!(choose("", ["fr-FR", "es-MX", "en"]), "es");
        assert_eq!(choose("", ["fr"]), "en");
        assert_eq!(choose("", []), "en");
        assert_eq!(choose("", ["EN_gb"]), "en");
    }
}

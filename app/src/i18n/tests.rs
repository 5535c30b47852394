//! The catalogs are complete and consistent: a missing or extra key in either language, a
//! message that does not format, or code asking for an id the catalogs lack fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_bundle::{FluentResource, FluentValue};
use fluent_syntax::ast;

use super::{Lang, args, message_in};

/// Each message id of `lang`'s catalogs, with the variables its text uses.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut all = BTreeMap::new();
    for (name, source) in super::catalog_files(lang) {
        let resource = FluentResource::try_new((*source).to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
        for entry in resource.entries() {
            if let ast::Entry::Message(message) = entry {
                let id = message.id.name.to_owned();
                let mut variables = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_variables(pattern, &mut variables);
                }
                assert!(message.attributes.is_empty(), "{name}: {id} has attributes; use separate messages");
                assert!(all.insert(id.clone(), variables).is_none(), "{name}: {id} is defined twice in {lang:?}");
            }
        }
    }
    all
}

fn pattern_variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, out),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_with_the_same_variables() {
    let en = messages(Lang::En);
    let es = messages(Lang::Es);
    let missing: Vec<_> = en.keys().filter(|id| !es.contains_key(*id)).collect();
    let extra: Vec<_> = es.keys().filter(|id| !en.contains_key(*id)).collect();
    assert!(missing.is_empty(), "missing in Spanish: {missing:?}");
    assert!(extra.is_empty(), "in Spanish but not in English: {extra:?}");
    for (id, variables) in &en {
        assert_eq!(&es[id], variables, "{id} uses other variables in Spanish");
    }
}

#[test]
fn every_message_formats_in_both_languages() {
    for lang in Lang::ALL {
        for (id, variables) in messages(lang) {
            for n in [0, 1, 2, 5, 21] {
                let values = variables.iter().map(|v| {
                    let value = if looks_numeric(v) { FluentValue::from(n) } else { FluentValue::from("Ada") };
                    (v.as_str(), value)
                });
                let args = args(values);
                let bundle = &super::BUNDLES[lang.index()];
                let pattern = bundle.get_message(&id).and_then(|m| m.value()).expect("a message with a value");
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{id} in {lang:?}: {errors:?}");
                assert!(!text.trim().is_empty(), "{id} in {lang:?} is empty");
            }
        }
    }
}

/// Variables that hold numbers (plural selectors): counts and sizes.
fn looks_numeric(variable: &str) -> bool {
    ["count", "n", "total", "shown", "size", "seconds", "minutes", "hours", "days", "year", "day", "done", "failed"]
        .contains(&variable)
        || variable.ends_with("_count")
}

/// Every `t!("id"…)` in the app's code and every `phrase!("id"…)` in the app's, the
/// types', the services' and the server's names a message, and every message is asked for.
#[test]
fn the_code_asks_for_exactly_the_messages_the_catalogs_have() {
    let mut asked = BTreeSet::new();
    let app = Path::new(env!("CARGO_MANIFEST_DIR"));
    collect_ids(&app.join("src"), &mut asked);
    let mut phrases = Vec::new();
    for dir in ["app/src", "types/src", "services/src", "server/src"] {
        collect_phrases(&app.join("..").join(dir), &mut phrases);
    }
    assert!(phrases.len() > 100, "the phrases were found ({})", phrases.len());
    let en = messages(Lang::En);
    for (place, id, names) in &phrases {
        let Some(variables) = en.get(id) else { continue };
        assert_eq!(names, variables, "{place}: phrase {id} is given other values than its message uses");
    }
    asked.extend(phrases.into_iter().map(|(_, id, _)| id));
    let unknown: Vec<_> = asked.iter().filter(|id| !en.contains_key(*id)).collect();
    assert!(unknown.is_empty(), "the code asks for ids the catalogs lack: {unknown:?}");
    // Month names are asked for by number (`date`).
    let unused: Vec<_> = en.keys().filter(|id| !asked.contains(*id) && !id.starts_with("month-short-")).collect();
    assert!(unused.is_empty(), "ids nothing asks for: {unused:?}");
}

fn collect_ids(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("the source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_ids(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/tests.rs") {
            let source = std::fs::read_to_string(&path).expect("a source file");
            let calls = source.match_indices("t!(").map(|(at, m)| (at, m.len()));
            let marks = source.match_indices("msg!(").map(|(at, m)| (at, m.len()));
            for (at, len) in calls.chain(marks) {
                // Preceded by an identifier character, it is another macro (`format_t!(`…);
                // on a comment line, an example.
                let line = &source[source[..at].rfind('\n').map_or(0, |n| n + 1)..at];
                if source[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_')
                    || line.trim_start().starts_with("//")
                {
                    continue;
                }
                let rest = source[at + len..].trim_start();
                if let Some(rest) = rest.strip_prefix('"') {
                    let id = &rest[..rest.find('"').expect("a closed string")];
                    out.insert(id.to_owned());
                }
            }
        }
    }
}

/// Each `phrase!("id", name = value, …)` under `dir`: where, the id, and the names given.
fn collect_phrases(dir: &Path, out: &mut Vec<(String, String, BTreeSet<String>)>) {
    for entry in std::fs::read_dir(dir).expect("the source folder") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect_phrases(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n/tests.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("a source file");
        for (at, m) in source.match_indices("phrase!(") {
            let line = &source[source[..at].rfind('\n').map_or(0, |n| n + 1)..at];
            if source[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_')
                || line.trim_start().starts_with("//")
            {
                continue;
            }
            let rest = source[at + m.len()..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else { continue };
            let id = rest[..rest.find('"').expect("a closed string")].to_owned();
            let names = phrase_arg_names(&rest[id.len() + 1..]);
            let place = format!("{}:{}", path.display(), source[..at].lines().count());
            out.push((place, id, names));
        }
    }
}

/// The names in `, a = x, b = f(y, z))…` up to the closing parenthesis of the macro.
fn phrase_arg_names(rest: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let (mut depth, mut piece, mut chars) = (0_i32, String::new(), rest.chars());
    let mut take = |piece: &str| {
        let piece = piece.trim();
        if let Some((name, _)) = piece.split_once('=')
            && !name.trim().is_empty()
            && name.trim().chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            names.insert(name.trim().to_owned());
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                piece.push(c);
                while let Some(s) = chars.next() {
                    piece.push(s);
                    if s == '\\' {
                        chars.next();
                    } else if s == '"' {
                        break;
                    }
                }
                continue;
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                take(&piece);
                piece.clear();
                continue;
            }
            _ => {}
        }
        piece.push(c);
    }
    take(&piece);
    names
}

#[test]
fn accept_language_picks_the_first_language_spoken() {
    assert_eq!(Lang::from_accept_language("es-MX,es;q=0.9,en;q=0.8"), Some(Lang::Es));
    assert_eq!(Lang::from_accept_language("de-DE,de;q=0.9,es;q=0.5,en;q=0.4"), Some(Lang::Es));
    assert_eq!(Lang::from_accept_language("en;q=0.3, es;q=0.7"), Some(Lang::Es));
    assert_eq!(Lang::from_accept_language("fr, *;q=0.1"), None);
    assert_eq!(Lang::from_accept_language("es;q=0, en"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language(""), None);
    assert_eq!(Lang::parse("ES_es"), Some(Lang::Es));
}

#[test]
fn plurals_follow_each_language() {
    let changed =
        |lang, n: i64| message_in(lang, "profile-password-changed", Some(&args([("count", FluentValue::from(n))])));
    assert_eq!(changed(Lang::En, 0), "Password changed.");
    assert_eq!(changed(Lang::En, 1), "Password changed; 1 other session was signed out.");
    assert_eq!(changed(Lang::En, 3), "Password changed; 3 other sessions were signed out.");
    assert_eq!(changed(Lang::Es, 1), "Contraseña cambiada; se cerró 1 sesión más.");
    assert_eq!(changed(Lang::Es, 2), "Contraseña cambiada; se cerraron 2 sesiones más.");
}

#[test]
fn dates_are_written_each_languages_way() {
    // 2026-12-05 14:03 UTC.
    let ms = 1_796_479_380_000;
    let date = |lang: Lang| {
        let (year, month, day) = super::civil_date(ms);
        let month = message_in(lang, &format!("month-short-{month}"), None);
        message_in(
            lang,
            "date-medium",
            Some(&args([
                ("day", FluentValue::from(day)),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(year)),
            ])),
        )
    };
    assert_eq!(date(Lang::En), "Dec 5, 2026");
    assert_eq!(date(Lang::Es), "5 dic 2026");
}

#[test]
fn errors_say_the_codes_own_sentence_in_the_pages_language() {
    use super::Said;
    use leptos::prelude::{Owner, provide_context};
    use parley_types::{ApiError, ErrorCode};
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Lang::Es);
        assert_eq!(ApiError::not_found().said(), "No encontrado.");
        assert_eq!(ApiError::forbidden().said(), "No tienes permiso para hacer esto.");
        // Every code has its own sentence in Spanish (none falls back to its id or English).
        for code in ErrorCode::ALL {
            let said = ApiError::new(*code).said();
            assert!(!said.starts_with("error-") && said != code.default_message(), "{code:?}: {said}");
        }
        // A sentence of the server's own without an id is shown as it came.
        assert_eq!(ApiError::invalid("Choose a colour like #1c7ed6.").said(), "Choose a colour like #1c7ed6.");
        // Sentences the server sent by id are said in the page's language, its English aside.
        let offset = parley_types::phrase!("err-widget-offset", max = 200);
        let sent = ApiError { phrase: Some(offset.clone()), ..ApiError::invalid("Between 0 and 200 pixels.") };
        assert_eq!(sent.said(), "Entre 0 y 200 píxeles.");
        let mut fields = ApiError::new(ErrorCode::Invalid);
        fields.fields = vec![
            parley_types::FieldError::new("offset_x", offset),
            parley_types::FieldError::new("landing_logo", parley_types::phrase!("err-logo-https")),
        ];
        assert_eq!(fields.said(), "Entre 0 y 200 píxeles. El logotipo debe ser una dirección https://.");
        assert_eq!(fields.fields[1].said(), "El logotipo debe ser una dirección https://.");
        let failure = parley_types::BulkFailure {
            conversation_id: parley_types::ConversationId(7),
            message: ErrorCode::NotFound.default_message().into(),
            phrase: None,
        };
        assert_eq!(failure.said(), "No encontrado.", "a code's default sentence is said in the page's language");
    });
    owner.with(|| {
        provide_context(Lang::En);
        for code in ErrorCode::ALL {
            assert_eq!(ApiError::new(*code).said(), code.default_message(), "English matches the server's");
        }
    });
}

//! Renders [`Phrase`]s, the server's sentences by message id, from the shared catalogs
//! (`types/locales`): in English for the `message` every client and log reads, and in
//! Spanish where the server speaks to a visitor whose widget speaks it.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use parley_types::{ApiError, PHRASE_CATALOGS, Phrase, PhraseArg};

/// The languages the catalogs hold, in [`PHRASE_CATALOGS`] order.
const LANGUAGES: [&str; 2] = ["en", "es"];

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .zip(PHRASE_CATALOGS)
        .map(|(code, files)| {
            let id: unic_langid::LanguageIdentifier = code.parse().expect("a valid language code");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            for (name, source) in files {
                // The operator app's catalog tests fail on a file that does not parse or
                // repeats an id; here the messages that did parse are still used.
                let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| {
                    tracing::error!("{name} has syntax errors");
                    partial
                });
                if bundle.add_resource(resource).is_err() {
                    tracing::error!("{name} repeats an id");
                }
            }
            bundle
        })
        .collect()
});

/// `phrase` in English.
pub fn english(phrase: &Phrase) -> String {
    render(0, phrase)
}

/// `phrase` in the language `code` (`es`, `es-MX`), English when the catalogs lack it.
pub fn in_language(code: &str, phrase: &Phrase) -> String {
    let primary = code.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    render(LANGUAGES.iter().position(|l| *l == primary).unwrap_or(0), phrase)
}

/// Writes `error`'s sentences (its message and each field's) in the language `code`.
pub fn localize(error: &mut ApiError, code: &str) {
    if let Some(phrase) = &error.phrase {
        error.message = in_language(code, phrase);
    }
    for field in &mut error.fields {
        if let Some(phrase) = &field.phrase {
            field.message = in_language(code, phrase);
        }
    }
    if error.phrase.is_none() && !error.fields.is_empty() {
        error.message = fields_sentence(&error.fields);
    }
}

/// The sentence of an answer with several field problems: theirs, one after another.
pub(crate) fn fields_sentence(fields: &[parley_types::FieldError]) -> String {
    fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ")
}

/// An error with its code and a sentence by id (English in `message`).
pub fn api_error(code: parley_types::ErrorCode, phrase: Phrase) -> ApiError {
    ApiError { message: english(&phrase), phrase: Some(phrase), ..ApiError::new(code) }
}

fn render(index: usize, phrase: &Phrase) -> String {
    let bundle = &BUNDLES[index];
    let Some(pattern) = bundle.get_message(&phrase.id).and_then(|m| m.value()) else {
        tracing::error!(id = %phrase.id, "no such phrase");
        return phrase.id.to_string();
    };
    let mut args = FluentArgs::new();
    for (name, value) in &phrase.args {
        let value = match value {
            PhraseArg::Number(n) => FluentValue::from(*n),
            PhraseArg::Text(text) => FluentValue::from(text.as_str()),
        };
        args.set(name.as_str(), value);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    if !errors.is_empty() {
        tracing::error!(id = %phrase.id, ?errors, "phrase did not format");
    }
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use parley_types::phrase;

    use super::*;

    #[test]
    fn phrases_render_in_english_and_spanish() {
        let p = phrase!("err-widget-offset", max = 200);
        assert_eq!(english(&p), "Between 0 and 200 pixels.");
        assert_eq!(in_language("es-MX", &p), "Entre 0 y 200 píxeles.");
        assert_eq!(in_language("de", &p), "Between 0 and 200 pixels.", "other languages get English");
        assert_eq!(english(&Phrase::new("err-no-such-id")), "err-no-such-id", "a missing id shows itself");
    }

    #[test]
    fn system_lines_read_as_before_in_english_and_are_said_in_spanish() {
        let closed = phrase!("line-status-closed", actor = "member", name = "Ada", from = "open", outcome = "resolved");
        assert_eq!(english(&closed), "Ada changed the status from open to closed (resolved)");
        assert_eq!(in_language("es", &closed), "Ada cambió el estado de abierta a cerrada (resuelta)");
        let reopened = phrase!("line-status", actor = "customer", name = "The customer", from = "snoozed", to = "open");
        assert_eq!(english(&reopened), "The customer changed the status from snoozed to open");
        assert_eq!(in_language("es", &reopened), "El cliente cambió el estado de pospuesta a abierta");
        let until = "2026-12-05 14:03 UTC";
        let snoozed =
            phrase!("line-status-snoozed-until", actor = "parley", name = "Parley", from = "open", until = until);
        assert_eq!(english(&snoozed), "Parley changed the status from open to snoozed until 2026-12-05 14:03 UTC");
        let again = phrase!("line-snoozed-again", actor = "member", name = "Ada");
        assert_eq!(english(&again), "Ada snoozed the conversation again until the customer writes");
        let priority = phrase!("line-priority", actor = "member", name = "Ada", from = "normal", to = "critical");
        assert_eq!(english(&priority), "Ada changed the priority from normal to critical");
        assert_eq!(in_language("es", &priority), "Ada cambió la prioridad de normal a crítica");
        let removed = phrase!("line-member-removed", actor = "parley", name = "Parley", member = "Bob");
        assert_eq!(english(&removed), "Parley removed Bob from the workspace: the conversation waits in Live");
        let robin = phrase!("line-assigned-round-robin", assignee = "Bob", department = "Sales");
        assert_eq!(english(&robin), "Parley assigned the conversation to Bob (department Sales, round robin)");
    }

    #[test]
    fn errors_are_localized_with_their_fields() {
        let mut err = ApiError::from(crate::error::ServiceError::InvalidFields(vec![parley_types::FieldError::new(
            "offset_x",
            phrase!("err-widget-offset", max = 200),
        )]));
        assert_eq!(
            (err.message.as_str(), err.fields[0].message.as_str()),
            ("Between 0 and 200 pixels.", "Between 0 and 200 pixels.")
        );
        localize(&mut err, "es");
        assert_eq!(err.fields[0].message, "Entre 0 y 200 píxeles.");
        assert_eq!(err.message, "Entre 0 y 200 píxeles.");
    }
}

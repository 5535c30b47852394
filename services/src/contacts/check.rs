//! Checks of what people type into a profile: each returns the stored form or a sentence
//! saying how to write it.

use parley_types::{MAX_CONTACT_NAME, Phrase, phrase};

/// A name of 1 to [`MAX_CONTACT_NAME`] characters without control characters, trimmed.
pub fn name(text: &str) -> Result<String, Phrase> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > MAX_CONTACT_NAME || name.chars().any(char::is_control) {
        return Err(phrase!("err-contacts-name", max = MAX_CONTACT_NAME));
    }
    Ok(name.to_owned())
}

/// An email address (`name@example.com`), trimmed; empty is none.
pub fn email(text: &str) -> Result<Option<String>, Phrase> {
    let email = text.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let wrong = || phrase!("err-contacts-email");
    let (local, domain) = email.rsplit_once('@').ok_or_else(wrong)?;
    let labels_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"<>()[]\\,;:\"".contains(c));
    if email.len() > 254 || !labels_ok || !local_ok {
        return Err(wrong());
    }
    Ok(Some(email.to_owned()))
}

/// A phone number in international form, stored as E.164 (`+4930123456`): spaces,
/// dashes, dots and brackets are dropped, a leading `00` becomes `+`; empty is none.
pub fn phone(text: &str) -> Result<Option<String>, Phrase> {
    let typed: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}')).collect();
    if typed.is_empty() {
        return Ok(None);
    }
    let digits = typed.strip_prefix('+').or_else(|| typed.strip_prefix("00"));
    match digits {
        Some(d) if (7..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0') => {
            Ok(Some(format!("+{d}")))
        }
        _ => Err(phrase!("err-contacts-phone")),
    }
}

/// An IANA time zone name (`Europe/Berlin`); empty is none.
pub fn timezone(text: &str) -> Result<Option<String>, Phrase> {
    let zone = text.trim();
    if zone.is_empty() {
        return Ok(None);
    }
    zone.parse::<chrono_tz::Tz>()
        .map(|tz| Some(tz.name().to_owned()))
        .map_err(|_| phrase!("err-contacts-timezone", value = zone))
}

/// A BCP 47 language tag (`de`, `pt-BR`, `zh-Hant-TW`) in its usual case; empty is none.
pub fn language(text: &str) -> Result<Option<String>, Phrase> {
    let tag = text.trim().replace('_', "-");
    if tag.is_empty() {
        return Ok(None);
    }
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let wrong = || phrase!("err-contacts-language", value = &tag);
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(wrong());
    }
    let mut out = primary.to_ascii_lowercase();
    for part in parts {
        if !(1..=8).contains(&part.len()) || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(wrong());
        }
        out.push('-');
        match part.len() {
            2 if part.chars().all(|c| c.is_ascii_alphabetic()) => out.push_str(&part.to_ascii_uppercase()),
            4 => {
                let mut chars = part.chars();
                out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                out.push_str(&chars.as_str().to_ascii_lowercase());
            }
            _ => out.push_str(&part.to_ascii_lowercase()),
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  Ada Lovelace ").unwrap(), "Ada Lovelace");
        assert!(name("  ").is_err());
        assert!(name(&"x".repeat(MAX_CONTACT_NAME + 1)).is_err());
        assert!(name("Ada\u{7}").is_err());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(email(" ada@example.com ").unwrap().as_deref(), Some("ada@example.com"));
        assert_eq!(email("").unwrap(), None);
        for bad in ["ada", "ada@", "@example.com", "ada@example", "ada@exa mple.com", "a b@example.com", "ada@-x.com"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_become_e164() {
        assert_eq!(phone("+49 (30) 123-456").unwrap().as_deref(), Some("+4930123456"));
        assert_eq!(phone("0044 20 7946 0958").unwrap().as_deref(), Some("+442079460958"));
        assert_eq!(phone(" ").unwrap(), None);
        for bad in ["030 123456", "+0 30 123456", "+49 30 12a456", "+1234", "+1234567890123456"] {
            assert!(phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zones_are_iana_names() {
        assert_eq!(timezone("Europe/Berlin").unwrap().as_deref(), Some("Europe/Berlin"));
        assert_eq!(timezone("").unwrap(), None);
        assert!(timezone("Mars/Olympus").is_err());
        assert!(timezone("CEST+2").is_err());
    }

    #[test]
    fn language_tags_get_their_usual_case() {
        assert_eq!(language("DE-at").unwrap().as_deref(), Some("de-AT"));
        assert_eq!(language("zh_hant_tw").unwrap().as_deref(), Some("zh-Hant-TW"));
        assert_eq!(language("en").unwrap().as_deref(), Some("en"));
        for bad in ["e", "english!", "de--AT", "de-ATTTTTTTTT"] {
            assert!(language(bad).is_err(), "{bad}");
        }
    }
}

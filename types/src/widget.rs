//! How the chat widget looks and where it shows: colours, position, greeting, launcher,
//! team name and avatars, expected reply time, language, mobile, custom launcher, and the
//! form chat's and landing chat's own looks. Admins edit a [`WidgetConfig`]; the widget
//! loads a [`WidgetLook`] (the same, with the team's name and faces filled in).
//!
//! The checks live here so that the settings page shows the same problems the server
//! refuses, as the admin types.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::phrase;

crate::model::text_enum! {
    /// Which bottom corner the launcher and panel sit in.
    WidgetPosition, "position" {
        Right = "right",
        Left = "left",
    }
}

crate::model::text_enum! {
    /// What the widget says about how soon the team answers (during business hours).
    ReplyTime, "reply time" {
        FewMinutes = "few_minutes",
        Hour = "hour",
        Day = "day",
        /// Says nothing.
        Hidden = "hidden",
    }
}

impl ReplyTime {
    /// The sentence under the team's name (none for `Hidden`).
    pub fn sentence(self) -> Option<&'static str> {
        match self {
            ReplyTime::FewMinutes => Some("Usually replies in a few minutes"),
            ReplyTime::Hour => Some("Usually replies within an hour"),
            ReplyTime::Day => Some("Usually replies within a day"),
            ReplyTime::Hidden => None,
        }
    }
}

/// The longest greeting, launcher text, team name and landing title, in characters.
pub const MAX_GREETING: usize = 300;
pub const MAX_LAUNCHER_TEXT: usize = 40;
pub const MAX_TEAM_NAME: usize = 80;
pub const MAX_LANDING_TITLE: usize = 120;
/// The longest landing logo address.
pub const MAX_LOGO_URL: usize = 2_000;
/// The furthest the launcher may sit from the window's edges, in CSS pixels.
pub const MAX_OFFSET: u16 = 200;
/// WCAG 2 AA's minimum contrast for normal text.
pub const WCAG_AA_CONTRAST: f64 = 4.5;
/// The widget languages a workspace may fix (empty: follow the visitor's browser).
pub const WIDGET_LANGUAGES: &[(&str, &str)] = &[("", "The visitor's browser"), ("en", "English"), ("es", "Español")];

/// A workspace's widget settings, as admins edit them. `version` counts saves: a save
/// names the version it started from, so two admins cannot overwrite each other unseen,
/// and open widgets apply a newer version only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetConfig {
    pub version: i64,
    /// The launcher's, header's and visitor bubbles' background (`#rrggbb`).
    pub color: String,
    /// Text on that colour (`#rrggbb`).
    pub text_color: String,
    pub position: WidgetPosition,
    /// Distance from the side and from the bottom of the window, in CSS pixels.
    pub offset_x: u16,
    pub offset_y: u16,
    /// Shown at the top of the conversation (empty: none).
    pub greeting: String,
    /// Written beside the launcher's icon (empty: the icon alone).
    pub launcher_text: String,
    /// The panel's title (empty: the workspace's name).
    pub team_name: String,
    /// Shows the faces of up to three teammates with a picture.
    pub show_avatars: bool,
    pub reply_time: ReplyTime,
    /// The widget's language (`""`: the visitor's browser; see [`WIDGET_LANGUAGES`]).
    pub language: String,
    /// Whether the launcher shows on narrow (phone) screens.
    pub show_on_mobile: bool,
    /// The site draws its own button and calls `Parley.open()`: the launcher is hidden.
    pub custom_launcher: bool,
    /// The form chat's background (`#rrggbb`), inside the host page's element.
    pub form_background: String,
    /// The landing chat's title (empty: the team name), logo (an https address, or
    /// empty) and page background (`#rrggbb`).
    pub landing_title: String,
    pub landing_logo: String,
    pub landing_background: String,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        WidgetConfig {
            version: 0,
            color: "#4f46e5".into(),
            text_color: "#ffffff".into(),
            position: WidgetPosition::Right,
            offset_x: 20,
            offset_y: 20,
            greeting: "Hi! How can we help?".into(),
            launcher_text: String::new(),
            team_name: String::new(),
            show_avatars: true,
            reply_time: ReplyTime::FewMinutes,
            language: String::new(),
            show_on_mobile: true,
            custom_launcher: false,
            form_background: "#ffffff".into(),
            landing_title: String::new(),
            landing_logo: String::new(),
            landing_background: "#f3f4f6".into(),
        }
    }
}

/// A teammate's face in the widget's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetAvatar {
    pub name: String,
    /// An https address.
    pub url: String,
}

/// What an embedded widget loads (`GET /widget/v1/{key}/config`) and receives when the
/// settings change: the settings as saved, with the title and faces resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetLook {
    #[serde(flatten)]
    pub config: WidgetConfig,
    /// The panel's title: the team name, or the workspace's name.
    pub title: String,
    /// The reply-time sentence (absent when hidden).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_sentence: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub avatars: Vec<WidgetAvatar>,
}

impl WidgetConfig {
    /// Every problem at once, by field; empty when the settings may be saved. Texts are
    /// checked trimmed (see [`WidgetConfig::trimmed`]).
    pub fn check(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        for (field, value) in [
            ("color", &self.color),
            ("text_color", &self.text_color),
            ("form_background", &self.form_background),
            ("landing_background", &self.landing_background),
        ] {
            if parse_hex_color(value).is_none() {
                problems.push(FieldError::new(field, phrase!("err-widget-color", value = value)));
            }
        }
        for (field, value, max) in [
            ("greeting", &self.greeting, MAX_GREETING),
            ("launcher_text", &self.launcher_text, MAX_LAUNCHER_TEXT),
            ("team_name", &self.team_name, MAX_TEAM_NAME),
            ("landing_title", &self.landing_title, MAX_LANDING_TITLE),
        ] {
            if value.trim().chars().count() > max {
                problems.push(FieldError::new(field, phrase!("err-max-chars", max = max)));
            }
        }
        for (field, value) in [("offset_x", self.offset_x), ("offset_y", self.offset_y)] {
            if value > MAX_OFFSET {
                problems.push(FieldError::new(field, phrase!("err-widget-offset", max = MAX_OFFSET)));
            }
        }
        if !WIDGET_LANGUAGES.iter().any(|(code, _)| *code == self.language) {
            problems.push(FieldError::new("language", phrase!("err-widget-language", value = &self.language)));
        }
        let logo = self.landing_logo.trim();
        if !logo.is_empty() && !is_https_url(logo) {
            problems.push(FieldError::new("landing_logo", phrase!("err-logo-https")));
        }
        problems
    }

    /// The same settings with texts trimmed and colours lower-cased, as stored.
    pub fn trimmed(mut self) -> WidgetConfig {
        for text in [
            &mut self.greeting,
            &mut self.launcher_text,
            &mut self.team_name,
            &mut self.landing_title,
            &mut self.landing_logo,
        ] {
            *text = text.trim().to_owned();
        }
        for colour in [&mut self.color, &mut self.text_color, &mut self.form_background, &mut self.landing_background] {
            *colour = colour.trim().to_ascii_lowercase();
        }
        self
    }

    /// The contrast between the text and its background colour, when both are valid.
    pub fn contrast(&self) -> Option<f64> {
        Some(contrast_ratio(parse_hex_color(&self.color)?, parse_hex_color(&self.text_color)?))
    }

    /// The contrast, to one decimal ("1.2"), when text on the widget's colour is hard to
    /// read (below WCAG AA): the app warns with it (a warning, not a refusal).
    pub fn low_contrast(&self) -> Option<String> {
        let ratio = self.contrast().filter(|ratio| *ratio < WCAG_AA_CONTRAST)?;
        let tenths = (ratio * 10.0).round() as i64;
        Some(format!("{}.{}", tenths / 10, tenths % 10))
    }
}

/// `#rrggbb` (either case) as red, green and blue; `None` for anything else.
pub fn parse_hex_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2's contrast ratio of two colours, from 1 (same) to 21 (black on white).
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// An absolute `https://host/...` address without spaces, quotes or angle brackets.
pub fn is_https_url(text: &str) -> bool {
    text.len() <= MAX_LOGO_URL
        && text.strip_prefix("https://").is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty()
                && !rest
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(parse_hex_color("#4F46e5"), Some([0x4f, 0x46, 0xe5]));
        for bad in ["4f46e5", "#fff", "#4f46e5ff", "#zzzzzz", "red", "", "#4f46e"] {
            assert_eq!(parse_hex_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
        assert!((contrast_ratio([9, 9, 9], [9, 9, 9]) - 1.0).abs() < 1e-9);
        // The default indigo with white text passes AA; yellow with white does not.
        let fine = WidgetConfig::default();
        assert!(fine.contrast().unwrap() > 6.0 && fine.low_contrast().is_none());
        let pale = WidgetConfig { color: "#ffeb3b".into(), ..WidgetConfig::default() };
        assert_eq!(pale.low_contrast().as_deref(), Some("1.2"));
    }

    #[test]
    fn every_problem_is_listed_by_field() {
        let bad = WidgetConfig {
            color: "blue".into(),
            landing_background: "#12345".into(),
            offset_x: 500,
            greeting: "x".repeat(MAX_GREETING + 1),
            language: "xx".into(),
            landing_logo: "javascript:alert(1)".into(),
            ..WidgetConfig::default()
        };
        let fields: Vec<String> = bad.check().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["color", "landing_background", "greeting", "offset_x", "language", "landing_logo"]);
        assert!(WidgetConfig::default().check().is_empty());
    }

    #[test]
    fn logos_are_https_addresses() {
        assert!(is_https_url("https://cdn.example/logo.png?v=2"));
        for bad in
            ["http://cdn.example/a.png", "https://", "https:///a", "https://a b", "https://x/\"onerror=", "data:x"]
        {
            assert!(!is_https_url(bad), "{bad}");
        }
    }

    #[test]
    fn the_look_flattens_the_settings() {
        let look = WidgetLook {
            config: WidgetConfig::default(),
            title: "Acme".into(),
            reply_sentence: ReplyTime::FewMinutes.sentence().map(str::to_owned),
            avatars: vec![],
        };
        let json = serde_json::to_value(&look).unwrap();
        assert_eq!(json["color"], "#4f46e5");
        assert_eq!(json["title"], "Acme");
        assert_eq!(json["position"], "right");
        let back: WidgetLook = serde_json::from_value(json).unwrap();
        assert_eq!(back, look);
    }
}

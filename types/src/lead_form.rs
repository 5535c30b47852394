//! Lead forms: the pre-chat form a visitor fills in before the first message, and the
//! email the widget asks for when no one has answered in time. Admins set them up
//! ([`LeadFormSettings`]); the widget receives what this visitor should see in its
//! session ([`PrechatForm`], `ask_email_after_secs`) and answers with a
//! [`LeadSubmission`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Whether the pre-chat form asks for a basic field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    #[default]
    Off,
    Optional,
    Required,
}

impl Ask {
    pub const ALL: [Ask; 3] = [Ask::Off, Ask::Optional, Ask::Required];

    pub fn as_str(self) -> &'static str {
        match self {
            Ask::Off => "off",
            Ask::Optional => "optional",
            Ask::Required => "required",
        }
    }

    pub fn parse(text: &str) -> Option<Ask> {
        Ask::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// Longest introduction above the pre-chat form, in characters.
pub const MAX_FORM_INTRO: usize = 300;
/// Longest consent sentence, in characters.
pub const MAX_CONSENT_TEXT: usize = 500;
/// The shortest and longest wait before the widget asks for an email, in seconds.
pub const EMAIL_CAPTURE_SECS: std::ops::RangeInclusive<u32> = 5..=86_400;

/// A workspace's lead forms, as owners and admins set them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadFormSettings {
    /// Ask the pre-chat form before a new visitor's first message.
    pub prechat: bool,
    /// The sentence above the form.
    pub intro: String,
    pub name: Ask,
    pub email: Ask,
    pub phone: Ask,
    /// A checkbox the visitor must tick (e.g. "I agree to the privacy policy"); none when
    /// empty.
    pub consent_text: String,
    /// The page the consent sentence links to (http or https; optional).
    pub consent_url: String,
    /// Ask for an email in the chat when no one has answered in time.
    pub email_capture: bool,
    /// How long after the visitor's unanswered message the widget asks.
    pub email_capture_after_secs: u32,
}

impl Default for LeadFormSettings {
    fn default() -> Self {
        LeadFormSettings {
            prechat: false,
            intro: "Tell us who you are and we will get back to you.".into(),
            name: Ask::Optional,
            email: Ask::Required,
            phone: Ask::Off,
            consent_text: String::new(),
            consent_url: String::new(),
            email_capture: true,
            email_capture_after_secs: 120,
        }
    }
}

/// One field of the pre-chat form, as the widget draws it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrechatField {
    /// `name`, `email`, `phone`, or a custom field's key.
    pub key: String,
    pub label: String,
    /// The input to draw: `text`, `email`, `tel`, `number`, `checkbox`, `date`, `select`,
    /// `url` or `textarea`.
    pub input: String,
    /// For `select`: the choices, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    pub required: bool,
}

/// The consent checkbox of the pre-chat form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub text: String,
    /// Empty when the sentence links nowhere.
    #[serde(default)]
    pub url: String,
}

/// The pre-chat form a visitor should fill in before the first message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrechatForm {
    /// Which form this is (the widget sends it back): the pre-chat form, or the offline
    /// form outside business hours (whose `message` field opens the conversation).
    #[serde(default)]
    pub form: LeadFormKind,
    pub intro: String,
    pub fields: Vec<PrechatField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
}

/// Which form a visitor submits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadFormKind {
    /// The pre-chat form.
    #[default]
    Prechat,
    /// The offline form outside business hours: name, email and the first message.
    Offline,
    /// The in-chat email capture.
    Email,
}

/// What the widget sends: the form, the values by field key (text; `"true"`/`"false"`
/// for yes/no fields) and whether the consent box was ticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadSubmission {
    pub form: LeadFormKind,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub consent: bool,
}

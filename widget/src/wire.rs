//! The widget's side of the wire protocol: reading the server's events and session answers,
//! and writing the client's frames.
//!
//! The widget does not link `serde`/`serde_json` (they were about a third of its wasm).
//! Incoming JSON is parsed by the browser (`JSON.parse`) and read field by field through the
//! small [`Json`] trait; outgoing frames are written by hand with a JSON string escaper.
//! The tests run the same reading code over `serde_json::Value`s produced by
//! `parley_types`' own serializers, and parse the written frames back into
//! `parley_types::ClientEvent`, so the two cannot drift apart.

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` straight on a JS value (a frame's or response's text), so the text is
    /// never copied into wasm memory; `Err` when it is not valid JSON.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// The longest message text the server accepts, in characters (`parley_types::MAX_MESSAGE_CHARS`).
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// Who wrote a message (`parley_types::Author`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    /// The visitor, through the widget.
    Visitor,
    /// A workspace member.
    Operator,
    /// Parley itself.
    System,
}

impl Author {
    /// The wire text, also used as the bubble's class.
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Visitor => "visitor",
            Author::Operator => "operator",
            Author::System => "system",
        }
    }

    fn parse(text: &str) -> Option<Author> {
        match text {
            "visitor" => Some(Author::Visitor),
            "operator" => Some(Author::Operator),
            "system" => Some(Author::System),
            _ => None,
        }
    }
}

/// A stored message, as far as the widget shows it (`parley_types::Message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Position in the conversation, from 1.
    pub seq: i64,
    /// Who wrote it.
    pub author: Author,
    /// The operator's display name, for operator messages.
    pub author_name: Option<String>,
    /// Plain text, shown through `textContent`.
    pub text: String,
    /// The id the sending client chose.
    pub client_id: Option<String>,
    /// Files sent with it (`parley_types::Attachment`).
    pub files: Vec<File>,
    /// When the server stored it, in Unix milliseconds.
    pub at_ms: i64,
}

/// A file a message carries, as far as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub id: i64,
    /// The sender's name for it (shown as text).
    pub name: String,
    /// Shown inline (`parley_types::AttachmentKind::Image`).
    pub image: bool,
    /// Played in the page (audio, voice messages included).
    pub audio: bool,
    /// Size in bytes.
    pub size: i64,
}

/// A server event, as far as the widget acts on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// `message_created`.
    Message(Message),
    /// `typing`.
    Typing {
        /// Who is typing.
        author: Author,
        /// Started (`true`) or stopped.
        typing: bool,
    },
    /// `status_changed`: the status's wire text.
    Status(&'static str),
    /// `resumed`: the replay is complete.
    Resumed,
    /// `seen`: the team has read up to this `seq`.
    Seen(i64),
    /// `error`: a refused request.
    Error(String),
    /// `config_changed`: the widget settings were saved; its `look` goes to the loader.
    Config,
    /// Any other event (operator-only ones, or ones added later).
    Other,
}

/// Read access to a parsed JSON value: a `JsValue` from `JSON.parse` in the browser, a
/// `serde_json::Value` in the tests.
pub trait Json: Sized {
    /// The field `key` of an object; `None` when this is not an object or has no such field.
    fn field(&self, key: &str) -> Option<Self>;
    /// The value as a string, if it is one.
    fn string(&self) -> Option<String>;
    /// The value as a number, if it is one.
    fn number(&self) -> Option<f64>;
    /// The value as a boolean, if it is one.
    fn boolean(&self) -> Option<bool>;
    /// The items of an array; `None` when this is not one.
    fn items(&self) -> Option<Vec<Self>>;
}

impl Json for JsValue {
    fn field(&self, key: &str) -> Option<JsValue> {
        if !self.is_object() {
            return None;
        }
        let value = js_sys::Reflect::get(self, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined()).then_some(value)
    }
    fn string(&self) -> Option<String> {
        self.as_string()
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<Vec<JsValue>> {
        js_sys::Array::is_array(self).then(|| js_sys::Array::from(self).iter().collect())
    }
}

/// A message's files; an absent list is none, a malformed one fails the message.
fn files<J: Json>(message: &J) -> Option<Vec<File>> {
    let Some(list) = message.field("attachments") else { return Some(Vec::new()) };
    list.items()?
        .iter()
        .map(|f| {
            let kind = string(f, "kind")?;
            Some(File {
                id: f.field("id")?.number()? as i64,
                name: string(f, "name")?,
                image: kind == "image",
                audio: kind == "audio" || f.field("voice").and_then(|v| v.boolean()).unwrap_or(false),
                size: f.field("size")?.number()? as i64,
            })
        })
        .collect()
}

fn string<J: Json>(value: &J, key: &str) -> Option<String> {
    value.field(key)?.string()
}

fn author<J: Json>(value: &J) -> Option<Author> {
    Author::parse(&string(value, "author")?)
}

/// Reads one parsed event; `None` when it is not a well-formed event.
pub fn event<J: Json>(value: &J) -> Option<Incoming> {
    Some(match string(value, "type")?.as_str() {
        "message_created" => {
            let m = value.field("message")?;
            Incoming::Message(Message {
                seq: m.field("seq")?.number()? as i64,
                author: author(&m)?,
                author_name: string(&m, "author_name"),
                text: string(&m, "text")?,
                client_id: string(&m, "client_id"),
                files: files(&m)?,
                at_ms: m.field("created_at_ms")?.number()? as i64,
            })
        }
        "typing" => Incoming::Typing { author: author(value)?, typing: value.field("typing")?.boolean()? },
        "status_changed" => Incoming::Status(match string(value, "status")?.as_str() {
            "open" => "open",
            "snoozed" => "snoozed",
            "closed" => "closed",
            _ => return None,
        }),
        "resumed" => Incoming::Resumed,
        "seen" => Incoming::Seen(value.field("seq")?.number()? as i64),
        "error" => Incoming::Error(string(value, "message")?),
        "config_changed" => {
            value.field("look")?.field("version")?.number()?;
            Incoming::Config
        }
        _ => Incoming::Other,
    })
}

/// Reads a refusal (`ApiError`): its sentence and the seconds to wait before retrying
/// (`retry_after`, 0 when absent).
pub fn refusal<J: Json>(value: &J) -> Option<(String, u32)> {
    let wait = value.field("retry_after").and_then(|v| v.number()).unwrap_or(0.0);
    Some((string(value, "message")?, wait.clamp(0.0, 86_400.0) as u32))
}

/// Reads an uploaded file's id from the upload's answer (`parley_types::Attachment`).
pub fn attachment_id<J: Json>(value: &J) -> Option<i64> {
    Some(value.field("id")?.number()? as i64)
}

/// One field of the pre-chat form (`parley_types::PrechatField`): its key, label, input
/// (`text`, `email`, `tel`, `number`, `checkbox`, `date`, `select`, `url`) and whether it
/// is required. A select's choices are read where they are drawn, from `options`. The
/// form itself stays the parsed JSON the session brought (reading it into structs cost
/// the wasm more than drawing it from the JSON does).
pub fn form_field<J: Json>(field: &J) -> Option<(String, String, String, bool)> {
    Some((string(field, "key")?, string(field, "label")?, string(field, "input")?, field.field("required")?.boolean()?))
}

/// Which lead form a pre-chat form object is (`prechat` when it does not say).
pub fn form_kind<J: Json>(form: &J) -> String {
    string(form, "form").filter(|k| k == "prechat" || k == "offline").unwrap_or_else(|| "prechat".into())
}

/// The text of the string `key` of an object (empty when absent).
pub fn text<J: Json>(value: &J, key: &str) -> String {
    string(value, key).unwrap_or_default()
}

/// Reads a session's `ask_email_after_secs`.
pub fn ask_email_after<J: Json>(session: &J) -> Option<u32> {
    Some(session.field("ask_email_after_secs")?.number()?.clamp(0.0, 86_400.0) as u32)
}

/// Reads a `WidgetSession` answer: `(token, workspace_name)`.
pub fn session<J: Json>(value: &J) -> Option<(String, String)> {
    Some((string(value, "token")?, string(value, "workspace_name")?))
}

/// `{"type":"resume","conversation_id":null,"after_seq":N}`.
pub fn resume(after_seq: i64) -> String {
    let mut out = String::from(r#"{"type":"resume","conversation_id":null,"after_seq":"#);
    push_int(&mut out, after_seq);
    out.push('}');
    out
}

/// `{"type":"send","client_id":"…","text":"…"}`, with `"attachments":[ids]` when the
/// message carries uploaded files.
pub fn send(client_id: &str, text: &str, files: &[i64]) -> String {
    let mut out = String::from(r#"{"type":"send","client_id":"#);
    push_json_str(&mut out, client_id);
    out.push_str(r#","text":"#);
    push_json_str(&mut out, text);
    if !files.is_empty() {
        out.push_str(r#","attachments":["#);
        for (i, id) in files.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_int(&mut out, *id);
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// `{"type":"typing","conversation_id":null,"typing":true|false}`.
pub fn typing(typing: bool) -> String {
    let mut out = String::from(r#"{"type":"typing","conversation_id":null,"typing":"#);
    out.push_str(if typing { "true}" } else { "false}" });
    out
}

/// `{"type":"read","seq":N}`.
pub fn read(seq: i64) -> String {
    let mut out = String::from(r#"{"type":"read","seq":"#);
    push_int(&mut out, seq);
    out.push('}');
    out
}

/// Appends `s` as a quoted JSON string.
fn push_json_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `n` in decimal (without `core::fmt`, which costs wasm).
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut n = n.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// `n` in decimal.
pub fn int(n: i64) -> String {
    let mut out = String::new();
    push_int(&mut out, n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use parley_types::{
        ClientEvent, ContactId, ConversationId, ConversationStatus, MessageId, VisitorEvent, WidgetSession,
    };
    use serde_json::Value;

    impl Json for Value {
        fn field(&self, key: &str) -> Option<Value> {
            self.as_object()?.get(key).cloned()
        }
        fn string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn number(&self) -> Option<f64> {
            self.as_f64()
        }
        fn boolean(&self) -> Option<bool> {
            self.as_bool()
        }
        fn items(&self) -> Option<Vec<Value>> {
            self.as_array().cloned()
        }
    }

    fn round_trip(e: &VisitorEvent) -> Option<Incoming> {
        event(&serde_json::to_value(e).ok()?)
    }

    fn parse(frame: &str) -> Option<Incoming> {
        event(&serde_json::from_str::<Value>(frame).ok()?)
    }

    fn message(
        seq: i64,
        author: parley_types::Author,
        name: Option<&str>,
        client_id: Option<&str>,
    ) -> parley_types::Message {
        parley_types::Message {
            id: MessageId(9),
            conversation_id: ConversationId(1),
            seq,
            author,
            author_name: name.map(str::to_owned),
            text: "<script>\"hi\"</script>".into(),
            client_id: client_id.map(str::to_owned),
            created_at_ms: 1_700_000_000_000,
            // Visitors are never sent internal lines; `false` is left out of the wire.
            internal: false,
            attachments: Vec::new(),
            phrase: None,
        }
    }

    fn attachment(id: i64, kind: parley_types::AttachmentKind, voice: bool) -> parley_types::Attachment {
        parley_types::Attachment {
            id: parley_types::AttachmentId(id),
            name: "a \"file\" <b>.png".into(),
            mime: "image/png".into(),
            kind,
            size: 5_000_000,
            width: Some(10),
            height: None,
            voice,
        }
    }

    fn file(a: &parley_types::Attachment) -> File {
        File {
            id: a.id.0,
            name: a.name.clone(),
            image: a.kind == parley_types::AttachmentKind::Image,
            audio: a.playable_audio(),
            size: a.size as i64,
        }
    }

    #[test]
    fn constants_and_authors_match_the_shared_types() {
        assert_eq!(MAX_MESSAGE_CHARS, parley_types::MAX_MESSAGE_CHARS);
        for &a in parley_types::Author::ALL {
            assert_eq!(Author::parse(a.as_str()).map(Author::as_str), Some(a.as_str()));
        }
        for &s in ConversationStatus::ALL {
            let e = VisitorEvent::StatusChanged { conversation_id: ConversationId(1), status: s };
            assert_eq!(round_trip(&e), Some(Incoming::Status(s.as_str())));
        }
    }

    #[test]
    fn reads_every_event_the_server_serializes() {
        use parley_types::Author as A;
        assert_eq!(
            round_trip(&VisitorEvent::MessageCreated { message: message(3, A::Operator, Some("Olga"), None) }),
            Some(Incoming::Message(Message {
                seq: 3,
                author: Author::Operator,
                author_name: Some("Olga".into()),
                text: "<script>\"hi\"</script>".into(),
                client_id: None,
                files: Vec::new(),
                at_ms: 1_700_000_000_000,
            }))
        );
        assert_eq!(
            round_trip(&VisitorEvent::MessageCreated {
                message: message(9_007_199_254_740_991, A::Visitor, None, Some("ab12"))
            }),
            Some(Incoming::Message(Message {
                seq: 9_007_199_254_740_991,
                author: Author::Visitor,
                author_name: None,
                text: "<script>\"hi\"</script>".into(),
                client_id: Some("ab12".into()),
                files: Vec::new(),
                at_ms: 1_700_000_000_000,
            }))
        );
        for typing in [true, false] {
            assert_eq!(
                round_trip(&VisitorEvent::Typing { conversation_id: ConversationId(1), author: A::Operator, typing }),
                Some(Incoming::Typing { author: Author::Operator, typing })
            );
        }
        assert_eq!(round_trip(&VisitorEvent::Resumed { conversation_id: None, last_seq: 4 }), Some(Incoming::Resumed));
        assert_eq!(
            round_trip(&VisitorEvent::Error(parley_types::ApiError::invalid("too long"))),
            Some(Incoming::Error("too long".into()))
        );
    }

    /// What the widget makes of each visitor event. The `match` has no `_` arm: a variant
    /// added to `parley_types::VisitorEvent` fails to compile here until the widget's
    /// hand-written reader is taught it (and this test checks that it reads it).
    fn expected(event: &VisitorEvent) -> Incoming {
        match event {
            VisitorEvent::MessageCreated { message } => Incoming::Message(Message {
                seq: message.seq,
                author: Author::parse(message.author.as_str()).unwrap_or(Author::System),
                author_name: message.author_name.clone(),
                text: message.text.clone(),
                client_id: message.client_id.clone(),
                files: message.attachments.iter().map(file).collect(),
                at_ms: message.created_at_ms,
            }),
            VisitorEvent::StatusChanged { status, .. } => Incoming::Status(status.as_str()),
            VisitorEvent::Typing { author, typing, .. } => {
                Incoming::Typing { author: Author::parse(author.as_str()).unwrap_or(Author::System), typing: *typing }
            }
            VisitorEvent::Resumed { .. } => Incoming::Resumed,
            VisitorEvent::Seen { seq, .. } => Incoming::Seen(*seq),
            VisitorEvent::Error(error) => Incoming::Error(error.message.clone()),
            VisitorEvent::ConfigChanged { .. } => Incoming::Config,
        }
    }

    #[test]
    fn knows_every_visitor_event() {
        use parley_types::AttachmentKind as K;
        use parley_types::Author as A;
        let mut with_files = message(2, A::Operator, Some("Olga"), None);
        with_files.attachments = vec![
            attachment(4, K::Image, false),
            attachment(5, K::Audio, false),
            attachment(6, K::Video, true),
            attachment(7, K::Document, false),
        ];
        let examples = [
            VisitorEvent::MessageCreated { message: message(1, A::Visitor, None, Some("c1")) },
            VisitorEvent::MessageCreated { message: with_files },
            VisitorEvent::StatusChanged { conversation_id: ConversationId(1), status: ConversationStatus::Snoozed },
            VisitorEvent::Typing { conversation_id: ConversationId(1), author: A::Operator, typing: true },
            VisitorEvent::Resumed { conversation_id: Some(ConversationId(1)), last_seq: 9 },
            VisitorEvent::Seen { conversation_id: ConversationId(1), seq: 7 },
            VisitorEvent::Error(parley_types::ApiError::too_many("Slow down.", 3)),
            VisitorEvent::ConfigChanged {
                look: Box::new(parley_types::WidgetLook {
                    config: parley_types::WidgetConfig { version: 3, ..Default::default() },
                    title: "Acme".into(),
                    reply_sentence: None,
                    avatars: vec![],
                }),
            },
        ];
        for event in &examples {
            assert_eq!(round_trip(event), Some(expected(event)), "{event:?}");
        }
    }

    #[test]
    fn reads_a_refusal_with_its_sentence_and_wait() {
        let refusal_of = |e: &parley_types::ApiError| refusal(&serde_json::to_value(e).unwrap());
        let slow = parley_types::ApiError::too_many("Too many new chats. Please try again in 7 s.", 7);
        assert_eq!(refusal_of(&slow), Some(("Too many new chats. Please try again in 7 s.".into(), 7)));
        assert_eq!(refusal_of(&parley_types::ApiError::not_found()), Some(("Not found.".into(), 0)));
        assert_eq!(refusal(&serde_json::json!({"retry_after": 3})), None);
    }

    #[test]
    fn rejects_malformed_frames() {
        assert_eq!(parse("not json"), None);
        assert_eq!(parse("[1,2]"), None);
        assert_eq!(parse(r#"{"no_type":1}"#), None);
        assert_eq!(parse(r#"{"type":7}"#), None);
        assert_eq!(parse(r#"{"type":"message_created"}"#), None);
        assert_eq!(parse(r#"{"type":"message_created","message":{"seq":"1","author":"visitor","text":"x"}}"#), None);
        assert_eq!(parse(r#"{"type":"typing","author":"robot","typing":true}"#), None);
        assert_eq!(parse(r#"{"type":"typing","author":"operator"}"#), None);
        assert_eq!(parse(r#"{"type":"status_changed","status":"gone"}"#), None);
        assert_eq!(parse(r#"{"type":"seen","seq":"3"}"#), None);
        let bad_files =
            r#"{"type":"message_created","message":{"seq":1,"author":"visitor","text":"","attachments":{"id":1}}}"#;
        assert_eq!(parse(bad_files), None);
        assert_eq!(parse(r#"{"type":"something_new","x":1}"#), Some(Incoming::Other));
    }

    #[test]
    fn reads_the_session_the_server_serializes() {
        let mut s = WidgetSession {
            token: "t0k\"en".into(),
            contact_id: ContactId(5),
            workspace_name: "Acme <b>".into(),
            prechat: None,
            ask_email_after_secs: None,
        };
        let plain = serde_json::to_value(&s).unwrap();
        assert_eq!(session(&plain), Some(("t0k\"en".into(), "Acme <b>".into())));
        assert_eq!((plain.field("prechat"), ask_email_after(&plain)), (None, None));
        assert_eq!(session(&serde_json::json!({"token": "x"})), None);

        s.prechat = Some(parley_types::PrechatForm {
            form: parley_types::LeadFormKind::Offline,
            intro: "Who are you?".into(),
            fields: vec![
                parley_types::PrechatField {
                    key: "email".into(),
                    label: "Email".into(),
                    input: "email".into(),
                    options: vec![],
                    required: true,
                },
                parley_types::PrechatField {
                    key: "plan".into(),
                    label: "Plan <b>".into(),
                    input: "select".into(),
                    options: vec!["Free".into(), "Pro".into()],
                    required: false,
                },
            ],
            consent: Some(parley_types::Consent { text: "I agree".into(), url: "https://x.test/p".into() }),
        });
        s.ask_email_after_secs = Some(120);
        let full = serde_json::to_value(&s).unwrap();
        let form = full.field("prechat").unwrap();
        assert_eq!(text(&form, "intro"), "Who are you?");
        assert_eq!(form_kind(&form), "offline", "the widget sends back which form it was");
        assert_eq!(form_kind(&serde_json::json!({"intro": ""})), "prechat");
        let fields = form.field("fields").and_then(|f| f.items()).unwrap();
        assert_eq!(form_field(&fields[0]), Some(("email".into(), "Email".into(), "email".into(), true)));
        assert_eq!(form_field(&fields[1]), Some(("plan".into(), "Plan <b>".into(), "select".into(), false)));
        let options: Vec<String> =
            fields[1].field("options").and_then(|o| o.items()).unwrap().iter().filter_map(Json::string).collect();
        assert_eq!(options, ["Free", "Pro"]);
        assert_eq!(fields[0].field("options"), None, "no options: none on the wire");
        let consent = form.field("consent").unwrap();
        assert_eq!((text(&consent, "text"), text(&consent, "url")), ("I agree".into(), "https://x.test/p".into()));
        assert_eq!(ask_email_after(&full), Some(120));
        // A malformed field is skipped (the server still checks the submission).
        assert_eq!(form_field(&serde_json::json!({"key": 1, "label": "x", "input": "text", "required": true})), None);
    }

    fn client(frame: &str) -> ClientEvent {
        serde_json::from_str(frame).unwrap_or_else(|e| panic!("{frame}: {e}"))
    }

    #[test]
    fn writes_frames_the_server_reads() {
        for after_seq in [0, 7, -3, i64::MAX, i64::MIN] {
            assert_eq!(client(&resume(after_seq)), ClientEvent::Resume { conversation_id: None, after_seq });
        }
        for t in [true, false] {
            assert_eq!(client(&typing(t)), ClientEvent::Typing { conversation_id: None, typing: t });
        }
        for seq in [0, 12, i64::MAX] {
            assert_eq!(client(&read(seq)), ClientEvent::Read { seq });
        }
        let nasty: String = (0u32..0x80)
            .filter_map(char::from_u32)
            .chain("é ✓ 😀 \u{2028}\u{2029} <script>alert(1)</script>".chars())
            .collect();
        assert_eq!(
            client(&send("0123abcd", &nasty, &[])),
            ClientEvent::Send { client_id: "0123abcd".into(), text: nasty, attachments: vec![] }
        );
        // Exactly what serde would write for an ordinary send, and one with files.
        let plain = ClientEvent::Send { client_id: "ab".into(), text: "hi \"you\"\n".into(), attachments: vec![] };
        assert_eq!(send("ab", "hi \"you\"\n", &[]), serde_json::to_string(&plain).unwrap());
        let ids = vec![parley_types::AttachmentId(3), parley_types::AttachmentId(i64::MAX)];
        let with = ClientEvent::Send { client_id: "ab".into(), text: String::new(), attachments: ids };
        assert_eq!(send("ab", "", &[3, i64::MAX]), serde_json::to_string(&with).unwrap());
    }

    #[test]
    fn integers_are_written_in_decimal() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, -1, -10, i64::MAX, i64::MIN] {
            assert_eq!(int(n), n.to_string());
        }
    }
}

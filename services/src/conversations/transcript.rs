//! A conversation's transcript, to download as HTML or plain text. The team's lines
//! (status changes, notes) are left out unless asked for. Every piece of user text is
//! escaped in the HTML form.

use parley_types::{Author, Capability, ConversationId, ConversationSummary, Message, phrase};
use sea_orm::ConnectionTrait;

use super::queries::{get_summary, messages_after};
use crate::access::Actor;
use crate::clock::utc_minute;
use crate::error::{ServiceError, ServiceResult};

/// The formats a transcript comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    Html,
    Text,
}

impl TranscriptFormat {
    /// `html` or `text`; anything else is refused with a sentence.
    pub fn parse(text: &str) -> ServiceResult<Self> {
        match text {
            "html" => Ok(TranscriptFormat::Html),
            "text" => Ok(TranscriptFormat::Text),
            other => Err(ServiceError::Invalid(phrase!("err-conversations-transcript-format", format = other))),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            TranscriptFormat::Html => "text/html; charset=utf-8",
            TranscriptFormat::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            TranscriptFormat::Html => "html",
            TranscriptFormat::Text => "txt",
        }
    }
}

/// Messages read per query while building a transcript.
const PAGE: u64 = 1000;

/// The conversation's transcript in `format`: every message in order, and the team's
/// lines too when `with_notes`. Needs `read conversations`.
pub async fn transcript(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: ConversationId,
    format: TranscriptFormat,
    with_notes: bool,
) -> ServiceResult<String> {
    actor.require(Capability::ReadConversations)?;
    let summary = get_summary(db, actor, id).await?;
    let mut messages = Vec::new();
    let mut after = 0;
    loop {
        let page = messages_after(db, actor, id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        let full = page.len() as u64 == PAGE;
        messages.extend(page.into_iter().filter(|m| with_notes || !m.internal));
        if !full {
            break;
        }
    }
    Ok(match format {
        TranscriptFormat::Html => render_html(&summary, &messages),
        TranscriptFormat::Text => render_text(&summary, &messages),
    })
}

fn who(message: &Message) -> String {
    let name = message.author_name.clone();
    match (message.author, message.internal) {
        (Author::Visitor, _) => "Visitor".to_owned(),
        (Author::Operator, true) => format!("Note by {}", name.unwrap_or_else(|| "an operator".to_owned())),
        (Author::Operator, false) => name.unwrap_or_else(|| "Operator".to_owned()),
        (Author::System, _) => "Parley".to_owned(),
    }
}

fn render_text(summary: &ConversationSummary, messages: &[Message]) -> String {
    let mut out = format!("Conversation #{} with {}\n", summary.id, summary.contact_name);
    for m in messages {
        out.push_str(&format!("\n[{}] {}:\n", utc_minute(m.created_at_ms), who(m)));
        for line in m.text.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Escapes text for HTML element content and (quoted) attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn render_html(summary: &ConversationSummary, messages: &[Message]) -> String {
    let title = escape(&format!("Conversation #{} with {}", summary.id, summary.contact_name));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:15px/1.45 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}}\
         .m{{margin:0 0 1rem}}.who{{font-weight:600}}.at{{color:#666;font-size:.85em;margin-left:.5rem}}\
         .text{{white-space:pre-wrap;margin:.2rem 0 0}}.internal{{background:#fff9db;padding:.3rem .5rem}}</style>\
         </head><body><h1>{title}</h1>\n"
    );
    for m in messages {
        let class = if m.internal { "m internal" } else { "m" };
        out.push_str(&format!(
            "<div class=\"{class}\"><span class=\"who\">{}</span><span class=\"at\">{}</span>\
             <p class=\"text\">{}</p></div>\n",
            escape(&who(m)),
            utc_minute(m.created_at_ms),
            escape(&m.text)
        ));
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_every_piece_of_user_text() {
        assert_eq!(escape(r#"<b a="1">'&'</b>"#), "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
    }

    #[test]
    fn only_html_and_text_are_formats() {
        assert_eq!(TranscriptFormat::parse("html").unwrap(), TranscriptFormat::Html);
        assert_eq!(TranscriptFormat::parse("text").unwrap(), TranscriptFormat::Text);
        assert!(matches!(TranscriptFormat::parse("pdf"), Err(ServiceError::Invalid(_))));
    }
}

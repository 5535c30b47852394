//! Finding conversations: a typed [`InboxFilter`] compiled into conditions with bound
//! parameters (never SQL text from the caller), full-text search over messages and notes
//! (SQLite FTS5 / PostgreSQL `tsvector`, both written in each message's transaction), and
//! snippets with the found words marked. Every query is limited to the actor's workspace
//! and to the conversations they see.

use std::collections::HashMap;

use parley_types::{
    Assignee, Capability, ConversationSummary, InboxCursor, InboxFilter, InboxSort, SearchHit, Snippet, SnippetPart,
    search_words,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, FromQueryResult, PaginatorTrait, QueryFilter, Select};

use super::queries::page_of;
use super::visibility::visible_conversations;
use crate::access::Actor;
use crate::entities::{contact, conversation, conversation_label, message};
use crate::error::{ServiceError, ServiceResult};

/// Conversations matching `filter`, a page at a time in `sort` order (as
/// [`super::list_conversations`] pages a view), each with a snippet of the newest message
/// holding the search words when the filter searches. Needs `read conversations`; "me" and
/// "unread" mean the member looking.
pub async fn search_conversations(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &InboxFilter,
    sort: InboxSort,
    after: Option<InboxCursor>,
    limit: u64,
) -> ServiceResult<Vec<SearchHit>> {
    let words = filter.text.as_deref().map(search_words).unwrap_or_default();
    let plan = text_plan(db, &words).await?;
    let query = filtered_with(db, actor, filter, plan).await?;
    let page = page_of(db, actor, query, sort, after, limit).await?;
    let mut snippets = if words.is_empty() { HashMap::new() } else { snippets(db, actor, &page, &words).await? };
    Ok(page
        .into_iter()
        .map(|conversation| SearchHit { snippet: snippets.remove(&conversation.id.0), conversation })
        .collect())
}

/// How many conversations match `filter`, for the member looking.
pub async fn count_matching(db: &impl ConnectionTrait, actor: &Actor, filter: &InboxFilter) -> ServiceResult<i64> {
    let n = filtered(db, actor, filter).await?.count(db).await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// How the words of a search narrow the conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextPlan {
    /// Collect every matching message's conversation first (best when few match).
    Collect,
    /// Walk the conversations in the page's order and probe each for a match, stopping
    /// once the page is full (best when many match: a common word otherwise gathers
    /// tens of thousands of conversations to sort).
    Probe,
}

/// Above this many matching messages (SQLite), a page is found by probing.
const PROBE_ABOVE: i64 = 2_000;

/// Chooses the plan from how many messages hold the words (SQLite's full-text index
/// counts them in a few milliseconds; PostgreSQL's planner chooses for itself).
async fn text_plan(db: &impl ConnectionTrait, words: &[String]) -> ServiceResult<TextPlan> {
    let backend = db.get_database_backend();
    if words.is_empty() || backend != DatabaseBackend::Sqlite {
        return Ok(TextPlan::Collect);
    }
    let (_, text) = text_match(backend, words);
    // unscoped: a count over the whole index, only to choose a plan; no row is read.
    let counted = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            // Counting stops past the threshold: a common word need not be counted out.
            format!(
                "SELECT count(*) AS n FROM (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT {})",
                PROBE_ABOVE + 1
            ),
            [sea_orm::Value::from(text)],
        ))
        .await?;
    let n = counted.map(|row| row.try_get::<i64>("", "n")).transpose()?.unwrap_or(0);
    Ok(if n > PROBE_ABOVE { TextPlan::Probe } else { TextPlan::Collect })
}

/// The workspace's conversations matching `filter`, as a query. Refuses a filter that
/// cannot be used, saying why.
pub(crate) async fn filtered(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &InboxFilter,
) -> ServiceResult<Select<conversation::Entity>> {
    filtered_with(db, actor, filter, TextPlan::Collect).await
}

/// [`filtered`] with the words matched by `plan`.
pub(crate) async fn filtered_with(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &InboxFilter,
    plan: TextPlan,
) -> ServiceResult<Select<conversation::Entity>> {
    use conversation::Column as C;
    let backend = db.get_database_backend();
    let scope = actor.require(Capability::ReadConversations)?;
    if let Some(problem) = filter.problem() {
        return Err(ServiceError::Invalid(problem));
    }
    let workspace = scope.workspace_id().0;
    // Only the conversations the member sees (their departments' when the workspace says so).
    let mut query = visible_conversations(db, actor).await?;
    let texts = |values: Vec<&'static str>| values.into_iter().map(str::to_owned).collect::<Vec<_>>();
    if !filter.statuses.is_empty() {
        query = query.filter(C::Status.is_in(texts(filter.statuses.iter().map(|s| s.as_str()).collect())));
    }
    if !filter.outcomes.is_empty() {
        query = query.filter(C::Outcome.is_in(texts(filter.outcomes.iter().map(|o| o.as_str()).collect())));
    }
    query = match filter.assignee {
        None => query,
        Some(Assignee::Nobody) => query.filter(C::AssigneeId.is_null()),
        Some(Assignee::Me) => query.filter(C::AssigneeId.eq(actor.member()?.user_id.0)),
        Some(Assignee::Member(id)) => query.filter(C::AssigneeId.eq(id.0)),
    };
    if !filter.departments.is_empty() {
        query = query.filter(C::DepartmentId.is_in(filter.departments.iter().map(|d| d.0)));
    }
    if !filter.labels.is_empty() {
        use conversation_label::Column as L;
        let labelled = Query::select()
            .column(L::ConversationId)
            .from(conversation_label::Entity)
            .and_where(L::WorkspaceId.eq(workspace))
            .and_where(L::LabelId.is_in(filter.labels.iter().map(|l| l.0)))
            .to_owned();
        query = query.filter(C::Id.in_subquery(labelled));
    }
    if let Some(priority) = filter.priority {
        query = query.filter(C::Priority.eq(priority.as_str()));
    }
    if !filter.channels.is_empty() {
        query = query.filter(C::Channel.is_in(texts(filter.channels.iter().map(|c| c.as_str()).collect())));
    }
    if !filter.contact_kinds.is_empty() {
        let of_kind = Query::select()
            .column(contact::Column::Id)
            .from(contact::Entity)
            .and_where(contact::Column::WorkspaceId.eq(workspace))
            .and_where(contact::Column::Kind.is_in(texts(filter.contact_kinds.iter().map(|k| k.as_str()).collect())))
            .to_owned();
        query = query.filter(C::ContactId.in_subquery(of_kind));
    }
    if let Some(unread) = filter.unread {
        // The visitor's messages past the member's read mark (or the team's old count).
        let has_unread = Expr::cust_with_values(
            placeholders(
                backend,
                "conversations.visitor_messages > COALESCE((SELECT r.visitor_messages FROM conversation_reads r \
                 WHERE r.conversation_id = conversations.id AND r.user_id = ?), conversations.read_floor)",
            ),
            [actor.member()?.user_id.0],
        );
        query = query.filter(if unread { has_unread } else { has_unread.not() });
    }
    for (column, from, to) in [
        (C::CreatedAtMs, filter.created_from_ms, filter.created_to_ms),
        (C::LastActivityAtMs, filter.active_from_ms, filter.active_to_ms),
    ] {
        if let Some(from) = from {
            query = query.filter(column.gte(from));
        }
        if let Some(to) = to {
            query = query.filter(column.lt(to));
        }
    }
    let words = filter.text.as_deref().map(search_words).unwrap_or_default();
    if !words.is_empty() {
        let (condition, text) = text_match(backend, &words);
        let with_words = match plan {
            TextPlan::Collect => Expr::cust_with_values(
                placeholders(
                    backend,
                    &format!(
                        "conversations.id IN (SELECT m.conversation_id FROM messages m \
                         WHERE m.workspace_id = ? AND m.author <> 'system' AND {condition})"
                    ),
                ),
                [sea_orm::Value::from(workspace), sea_orm::Value::from(text)],
            ),
            // The conversation is already the workspace's; its messages are its own.
            TextPlan::Probe => Expr::cust_with_values(
                placeholders(
                    backend,
                    &format!(
                        "EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id \
                         AND m.author <> 'system' AND {condition})"
                    ),
                ),
                [sea_orm::Value::from(text)],
            ),
        };
        query = query.filter(with_words);
    }
    Ok(query)
}

/// The full-text condition on messages `m` (with one `?`: the search) and the search as
/// the backend reads it: every word, as a word or the start of one. The words are letters
/// and digits only, so nothing in them is an operator.
fn text_match(backend: DatabaseBackend, words: &[String]) -> (&'static str, String) {
    text_match_on(backend, words, false)
}

/// [`text_match`]; `by_conversation` when the messages are already narrowed to a few
/// conversations: SQLite then reads those conversations' messages by index and checks
/// each against the matches (the unary `+` keeps it from driving the query from every
/// match instead, which a common word makes slow).
fn text_match_on(backend: DatabaseBackend, words: &[String], by_conversation: bool) -> (&'static str, String) {
    match backend {
        DatabaseBackend::Sqlite => (
            if by_conversation {
                "+m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)"
            } else {
                "m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)"
            },
            words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
        ),
        _ => (
            "m.search @@ to_tsquery('simple', ?)",
            words.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
        ),
    }
}

/// Custom SQL written with one `?` per bound value, in the backend's placeholders (`$1`,
/// `$2`, … on PostgreSQL).
fn placeholders(backend: DatabaseBackend, sql: &str) -> String {
    if backend != DatabaseBackend::Postgres {
        return sql.to_owned();
    }
    let mut n = 0;
    let mut out = String::with_capacity(sql.len() + 4);
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Debug, FromQueryResult)]
struct Found {
    conversation_id: i64,
    seq: i64,
    body: String,
    internal: bool,
}

/// The newest message (or note) holding the words in each conversation of `page`.
async fn snippets(
    db: &impl ConnectionTrait,
    actor: &Actor,
    page: &[ConversationSummary],
    words: &[String],
) -> ServiceResult<HashMap<i64, Snippet>> {
    if page.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let (condition, text) = text_match_on(backend, words, true);
    let workspace = actor.require(Capability::ReadConversations)?.workspace_id().0;
    use message::Column as M;
    let newest_first = Expr::cust("ROW_NUMBER() OVER (PARTITION BY m.conversation_id ORDER BY m.seq DESC)");
    let m = Alias::new("m");
    let inner = Query::select()
        .columns([M::ConversationId, M::Seq, M::Body, M::Internal].map(|c| (m.clone(), c)))
        .expr_as(newest_first, Alias::new("n"))
        .from_as(message::Entity, m.clone())
        .and_where(Expr::col((m.clone(), M::WorkspaceId)).eq(workspace))
        .and_where(Expr::col((m.clone(), M::Author)).ne(parley_types::Author::System.as_str()))
        .and_where(Expr::col((m.clone(), M::ConversationId)).is_in(page.iter().map(|c| c.id.0)))
        .and_where(Expr::cust_with_values(placeholders(backend, condition), [text]))
        .to_owned();
    let outer = Query::select()
        .columns([M::ConversationId, M::Seq, M::Body, M::Internal])
        .from_subquery(inner, Alias::new("found"))
        .and_where(Expr::col(Alias::new("n")).eq(1))
        .to_owned();
    let rows = Found::find_by_statement(backend.build(&outer)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let snippet = Snippet { seq: row.seq, internal: row.internal, parts: snippet_parts(&row.body, words) };
            (row.conversation_id, snippet)
        })
        .collect())
}

/// Words shown before the first found word.
const BEFORE: usize = 6;
/// Words shown in all.
const WORDS: usize = 30;

/// The part of `body` around the first of `words` (each matching a word or the start of
/// one, ignoring case), with the found words marked and "…" where text was left out.
fn snippet_parts(body: &str, words: &[String]) -> Vec<SnippetPart> {
    // Alternating runs: a word (letters and digits) or what separates words.
    let mut runs: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (i, c) in body.char_indices() {
        let is_word = c.is_alphanumeric();
        if in_word != Some(is_word) {
            if let Some(was_word) = in_word {
                runs.push((&body[start..i], was_word));
            }
            start = i;
            in_word = Some(is_word);
        }
    }
    if let Some(was_word) = in_word {
        runs.push((&body[start..], was_word));
    }
    let hit = |run: &str| {
        let lower = run.to_lowercase();
        words.iter().any(|w| lower.starts_with(w.as_str()))
    };
    let word_runs: Vec<usize> = (0..runs.len()).filter(|&i| runs[i].1).collect();
    let first_hit = word_runs.iter().position(|&i| hit(runs[i].0)).unwrap_or(0);
    let first_word = first_hit.saturating_sub(BEFORE);
    let last_word = (first_word + WORDS).min(word_runs.len());
    let (from, to) = match (word_runs.get(first_word), last_word.checked_sub(1).and_then(|i| word_runs.get(i))) {
        (Some(&from), Some(&to)) => (from, to),
        _ => return vec![SnippetPart { text: body.trim().to_owned(), hit: false }],
    };
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |text: &str, is_hit: bool| match parts.last_mut() {
        Some(last) if !last.hit && !is_hit => last.text.push_str(text),
        _ => parts.push(SnippetPart { text: text.to_owned(), hit: is_hit }),
    };
    // From the start (what precedes the first word too) or from a word, after "…".
    let from = if first_word == 0 {
        0
    } else {
        push("…", false);
        from
    };
    for (i, (text, is_word)) in runs[from..=to].iter().enumerate() {
        let text = if i == 0 { text.trim_start() } else { text };
        if !text.is_empty() {
            push(text, *is_word && hit(text));
        }
    }
    if word_runs.last().is_some_and(|&last| last > to) {
        push("…", false);
    } else {
        // What follows the last word ("?", "!").
        for (text, _) in &runs[to + 1..] {
            push(text.trim_end(), false);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(body: &str, words: &[&str]) -> String {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        snippet_parts(body, &words).into_iter().map(|p| if p.hit { format!("[{}]", p.text) } else { p.text }).collect()
    }

    #[test]
    fn found_words_and_their_longer_forms_are_marked() {
        assert_eq!(marked("Do you ship to Lisbon?", &["ship", "lisbon"]), "Do you [ship] to [Lisbon]?");
        assert_eq!(marked("Lisbon?! \n", &["lisbon"]), "[Lisbon]?!");
        assert_eq!(marked("Shipping costs", &["ship"]), "[Shipping] costs");
        assert_eq!(marked("<b>ship</b>", &["ship"]), "<b>[ship]</b>", "text stays text; the app escapes it");
    }

    #[test]
    fn long_messages_are_cut_around_the_first_hit() {
        let body = format!("{} needle {}", "early ".repeat(40).trim(), "late ".repeat(40).trim());
        let text = marked(&body, &["needle"]);
        assert!(text.starts_with("…early"), "{text}");
        assert!(text.contains("[needle]") && text.ends_with('…'), "{text}");
        assert_eq!(text.matches("early").count(), BEFORE);
    }

    #[test]
    fn postgres_numbers_its_placeholders() {
        assert_eq!(placeholders(DatabaseBackend::Postgres, "a = ? AND b @@ f(?)"), "a = $1 AND b @@ f($2)");
        assert_eq!(placeholders(DatabaseBackend::Sqlite, "a = ?"), "a = ?");
    }

    #[test]
    fn a_message_without_words_is_shown_whole() {
        assert_eq!(marked("  ??? ", &["x"]), "???");
        assert_eq!(marked("", &["x"]), "");
    }
}

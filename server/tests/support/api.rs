//! One typed helper per server function, so tests do not spell endpoint names and
//! argument names themselves. Each returns the raw response (tests check statuses).

use parley_types::{ConversationId, InboxSort, InboxView, UserId};

use super::Operator;

impl Operator {
    /// The Live view, newest first.
    pub async fn list_conversations(&self) -> reqwest::Response {
        self.call("list_conversations", &[]).await
    }

    pub async fn list_view(&self, view: InboxView, sort: InboxSort) -> reqwest::Response {
        self.call("list_conversations", &[("view", view.as_str()), ("sort", sort.as_str())]).await
    }

    pub async fn inbox_counts(&self) -> reqwest::Response {
        self.call("inbox_counts", &[]).await
    }

    pub async fn list_teammates(&self) -> reqwest::Response {
        self.call("list_teammates", &[]).await
    }

    pub async fn get_conversation(&self, id: ConversationId) -> reqwest::Response {
        self.call("get_conversation", &[("id", &id.to_string())]).await
    }

    pub async fn send_reply(&self, id: ConversationId, client_id: &str, text: &str) -> reqwest::Response {
        self.call("send_reply", &[("id", &id.to_string()), ("client_id", client_id), ("text", text)]).await
    }

    pub async fn add_note(&self, id: ConversationId, client_id: &str, text: &str) -> reqwest::Response {
        self.call("add_note", &[("id", &id.to_string()), ("client_id", client_id), ("text", text)]).await
    }

    /// `outcome` is text so tests can also send values no enum has.
    pub async fn close_conversation(
        &self,
        id: ConversationId,
        outcome: &str,
        comment: Option<&str>,
    ) -> reqwest::Response {
        let id = id.to_string();
        let mut form = vec![("id", id.as_str()), ("outcome", outcome)];
        form.extend(comment.map(|c| ("comment", c)));
        self.call("close_conversation", &form).await
    }

    /// Until `until_ms`, or until the customer writes.
    pub async fn snooze_conversation(&self, id: ConversationId, until_ms: Option<i64>) -> reqwest::Response {
        let (id, until) = (id.to_string(), until_ms.map(|u| u.to_string()));
        let mut form = vec![("id", id.as_str())];
        form.extend(until.as_deref().map(|u| ("until_ms", u)));
        self.call("snooze_conversation", &form).await
    }

    pub async fn reopen_conversation(&self, id: ConversationId) -> reqwest::Response {
        self.call("reopen_conversation", &[("id", &id.to_string())]).await
    }

    /// `priority` is text so tests can also send values no enum has.
    pub async fn set_conversation_priority(&self, id: ConversationId, priority: &str) -> reqwest::Response {
        self.call("set_conversation_priority", &[("id", &id.to_string()), ("priority", priority)]).await
    }

    /// To `assignee`, or unassigned.
    pub async fn assign_conversation(&self, id: ConversationId, assignee: Option<UserId>) -> reqwest::Response {
        let (id, to) = (id.to_string(), assignee.map(|u| u.to_string()));
        let mut form = vec![("id", id.as_str())];
        form.extend(to.as_deref().map(|u| ("assignee", u)));
        self.call("assign_conversation", &form).await
    }

    pub async fn mark_conversation_read(&self, id: ConversationId) -> reqwest::Response {
        self.call("mark_conversation_read", &[("id", &id.to_string())]).await
    }

    /// Marks a conversation read up to message `seq`; the summary as this member sees it.
    pub async fn mark_read_up_to(&self, id: ConversationId, seq: i64) -> parley_types::ConversationSummary {
        let response = self.call("mark_conversation_read", &[("id", &id.to_string()), ("seq", &seq.to_string())]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// One conversation's summary, as this member sees it.
    pub async fn summary(&self, id: ConversationId) -> parley_types::ConversationSummary {
        let detail: serde_json::Value = self.get_conversation(id).await.json().await.unwrap();
        serde_json::from_value(detail["summary"].clone()).unwrap_or_else(|e| panic!("{e}: {detail}"))
    }

    /// Searches with `filter` (sent as the app sends it: `filter[field]=…`,
    /// `filter[list][0]=…`).
    pub async fn search(&self, filter: &parley_types::InboxFilter) -> reqwest::Response {
        let form = filter_form("filter", filter);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.call("search_conversations", &pairs).await
    }

    /// The conversations `filter` finds (asserting the search was accepted).
    pub async fn found(&self, filter: &parley_types::InboxFilter) -> Vec<parley_types::SearchHit> {
        let response = self.search(filter).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Saves a view (a new one, or `id` again).
    pub async fn save_view(
        &self,
        id: Option<parley_types::SavedViewId>,
        name: &str,
        shared: bool,
        filter: &parley_types::InboxFilter,
    ) -> reqwest::Response {
        let mut form = filter_form("filter", filter);
        form.push(("name".into(), name.into()));
        form.push(("shared".into(), shared.to_string()));
        form.extend(id.map(|id| ("id".to_owned(), id.to_string())));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let endpoint = if id.is_some() { "update_saved_view" } else { "create_saved_view" };
        self.call(endpoint, &pairs).await
    }

    pub async fn list_saved_views(&self) -> Vec<parley_types::SavedView> {
        self.call("list_saved_views", &[]).await.json().await.unwrap()
    }

    /// A note that mentions `mentions`.
    pub async fn add_note_mentioning(
        &self,
        id: ConversationId,
        client_id: &str,
        text: &str,
        mentions: &[UserId],
    ) -> reqwest::Response {
        let mut form = vec![
            ("id".to_owned(), id.to_string()),
            ("client_id".into(), client_id.into()),
            ("text".into(), text.into()),
        ];
        form.extend(mentions.iter().enumerate().map(|(i, u)| (format!("mentions[{i}]"), u.to_string())));
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.call("add_note", &pairs).await
    }

    /// The member's Inbox (current items, or the archived ones).
    pub async fn inbox_items(&self, archived: bool) -> Vec<parley_types::InboxItem> {
        let response = self.call("list_inbox_items", &[("archived", if archived { "true" } else { "false" })]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn inbox_unread(&self) -> i64 {
        self.call("inbox_unread_count", &[]).await.json().await.unwrap()
    }

    pub async fn get_widget_settings(&self) -> reqwest::Response {
        self.call("get_widget_settings", &[]).await
    }

    /// Saves the widget's look (`save_widget_config`, JSON).
    pub async fn save_widget_config(&self, config: &parley_types::WidgetConfig) -> reqwest::Response {
        self.client
            .post(format!("{}/api/save_widget_config", self.base))
            .json(&serde_json::json!({ "config": config }))
            .send()
            .await
            .expect("save_widget_config")
    }

    /// The widget's look as stored.
    pub async fn widget_config(&self) -> parley_types::WidgetConfig {
        let settings: serde_json::Value = self.get_widget_settings().await.json().await.expect("widget settings");
        serde_json::from_value(settings["config"].clone()).expect("a widget config")
    }

    pub async fn update_allowed_origins(&self, origins: &str) -> reqwest::Response {
        self.call("update_allowed_origins", &[("origins", origins)]).await
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.call("login", &[("email", email), ("password", password)]).await
    }

    pub async fn logout(&self) -> reqwest::Response {
        self.call("logout", &[]).await
    }

    pub async fn get_session_state(&self) -> reqwest::Response {
        self.call("get_session_state", &[]).await
    }

    /// `availability` is text so tests can also send values no enum has.
    pub async fn set_availability(&self, availability: &str) -> reqwest::Response {
        self.call("set_availability", &[("availability", availability)]).await
    }

    pub async fn list_departments(&self) -> reqwest::Response {
        self.call("list_departments", &[]).await
    }

    /// Creates (`id: None`) or updates a department.
    pub async fn save_department(
        &self,
        id: Option<parley_types::DepartmentId>,
        name: &str,
        capacity: i64,
        members: &[UserId],
        is_default: bool,
    ) -> reqwest::Response {
        let members = members.iter().map(|m| m.to_string()).collect::<Vec<_>>().join(",");
        let (capacity, is_default) = (capacity.to_string(), is_default.to_string());
        let id = id.map(|id| id.to_string());
        let mut form = vec![
            ("name", name),
            ("auto_assign", "true"),
            ("capacity", capacity.as_str()),
            ("members", members.as_str()),
            ("is_default", is_default.as_str()),
        ];
        match &id {
            Some(id) => {
                form.push(("id", id.as_str()));
                self.call("update_department", &form).await
            }
            None => self.call("create_department", &form).await,
        }
    }

    pub async fn delete_department(&self, id: parley_types::DepartmentId) -> reqwest::Response {
        self.call("delete_department", &[("id", &id.to_string())]).await
    }

    pub async fn set_conversation_department(
        &self,
        id: ConversationId,
        department: Option<parley_types::DepartmentId>,
    ) -> reqwest::Response {
        let (id, department) = (id.to_string(), department.map(|d| d.to_string()));
        let mut form = vec![("id", id.as_str())];
        form.extend(department.as_deref().map(|d| ("department", d)));
        self.call("set_conversation_department", &form).await
    }

    /// The signed-in member's user id and name.
    pub async fn me(&self) -> (UserId, String) {
        fn find(value: &serde_json::Value) -> Option<(UserId, String)> {
            match value {
                serde_json::Value::Object(map) => match (map.get("user_id"), map.get("name")) {
                    (Some(id), Some(name)) => Some((UserId(id.as_i64()?), name.as_str()?.to_owned())),
                    _ => map.values().find_map(find),
                },
                _ => None,
            }
        }
        let state: serde_json::Value = self.get_session_state().await.json().await.unwrap();
        find(&state).unwrap_or_else(|| panic!("signed in: {state}"))
    }
}

/// A value as form fields under `prefix` the way the app's server functions read them
/// (`prefix[field]=…`, lists as `prefix[field][0]=…`).
pub fn filter_form(prefix: &str, value: &impl serde::Serialize) -> Vec<(String, String)> {
    fn walk(key: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    walk(format!("{key}[{k}]"), v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(format!("{key}[{i}]"), v, out);
                }
            }
            serde_json::Value::String(s) => out.push((key, s.clone())),
            serde_json::Value::Null => {}
            other => out.push((key, other.to_string())),
        }
    }
    let mut out = Vec::new();
    walk(prefix.to_owned(), &serde_json::to_value(value).unwrap(), &mut out);
    out
}

/// Uploads and downloads of attachments, as the operator app and the widget send them.
impl Operator {
    /// `POST /attachments?{target}` with `bytes` named `name`.
    pub async fn upload(&self, target: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.client
            .post(format!("{}/attachments?{target}", self.base))
            .header("x-parley-filename", percent(name))
            .body(bytes)
            .send()
            .await
            .expect("upload request")
    }

    pub async fn download(&self, id: parley_types::AttachmentId) -> reqwest::Response {
        self.client.get(format!("{}/attachments/{id}", self.base)).send().await.expect("download request")
    }

    pub async fn send_reply_with(
        &self,
        id: ConversationId,
        client_id: &str,
        text: &str,
        files: &[parley_types::AttachmentId],
    ) -> reqwest::Response {
        let mut form = vec![
            ("id".to_owned(), id.to_string()),
            ("client_id".into(), client_id.into()),
            ("text".into(), text.into()),
        ];
        for (i, file) in files.iter().enumerate() {
            form.push((format!("attachments[{i}]"), file.to_string()));
        }
        self.client.post(format!("{}/api/send_reply", self.base)).form(&form).send().await.expect("send_reply request")
    }
}

/// The file name header's encoding (`encodeURIComponent`).
pub fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Contacts, as the operator app calls them.
impl Operator {
    fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
        form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    pub async fn list_contacts(&self, filter: &parley_types::ContactFilter) -> reqwest::Response {
        let form = filter_form("filter", filter);
        self.call("list_contacts", &Self::pairs(&form)).await
    }

    /// The contacts `filter` finds on the first page (asserting the answer was 200).
    pub async fn contacts(&self, filter: &parley_types::ContactFilter) -> parley_types::ContactPage {
        let response = self.list_contacts(filter).await;
        let (status, text) = (response.status(), response.text().await.unwrap());
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn get_contact(&self, id: parley_types::ContactId) -> reqwest::Response {
        self.call("get_contact", &[("id", &id.to_string())]).await
    }

    pub async fn update_contact(
        &self,
        id: parley_types::ContactId,
        update: &parley_types::ContactUpdate,
    ) -> reqwest::Response {
        let mut form = filter_form("update", update);
        form.push(("id".into(), id.to_string()));
        self.call("update_contact", &Self::pairs(&form)).await
    }

    pub async fn label_contact(
        &self,
        id: parley_types::ContactId,
        label: parley_types::LabelId,
        on: bool,
    ) -> reqwest::Response {
        self.call("label_contact", &[("id", &id.to_string()), ("label", &label.to_string()), ("on", &on.to_string())])
            .await
    }

    pub async fn add_contact_note(&self, id: parley_types::ContactId, body: &str) -> reqwest::Response {
        self.call("add_contact_note", &[("id", &id.to_string()), ("body", body)]).await
    }

    pub async fn add_contact_note_mentioning(
        &self,
        id: parley_types::ContactId,
        body: &str,
        mentions: &[parley_types::UserId],
    ) -> reqwest::Response {
        let mut form = vec![("id".to_owned(), id.to_string()), ("body".to_owned(), body.to_owned())];
        for (i, user) in mentions.iter().enumerate() {
            form.push((format!("mentions[{i}]"), user.to_string()));
        }
        self.call("add_contact_note", &Self::pairs(&form)).await
    }

    pub async fn delete_contact_note(&self, id: parley_types::ContactId, note: i64) -> reqwest::Response {
        self.call("delete_contact_note", &[("id", &id.to_string()), ("note", &note.to_string())]).await
    }

    pub async fn save_contact(
        &self,
        conversation: ConversationId,
        contact: &parley_types::SaveContact,
    ) -> reqwest::Response {
        let mut form = filter_form("contact", contact);
        form.push(("conversation".into(), conversation.to_string()));
        self.call("save_contact", &Self::pairs(&form)).await
    }
}

/// Custom contact fields, as the settings page sends them.
impl Operator {
    pub async fn create_contact_field(&self, field: &parley_types::ContactFieldInput) -> reqwest::Response {
        let form = filter_form("field", field);
        self.call("create_contact_field", &Self::pairs(&form)).await
    }

    /// Defines a field (asserting it was accepted).
    pub async fn define_field(
        &self,
        key: &str,
        kind: parley_types::FieldKind,
        options: &str,
    ) -> parley_types::ContactField {
        let input = parley_types::ContactFieldInput {
            key: key.into(),
            label: key.replace('_', " "),
            kind: Some(kind),
            options: options.into(),
            ..Default::default()
        };
        let response = self.create_contact_field(&input).await;
        let (status, text) = (response.status(), response.text().await.unwrap());
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    pub async fn update_contact_field(&self, id: i64, field: &parley_types::ContactFieldInput) -> reqwest::Response {
        let mut form = filter_form("field", field);
        form.push(("id".into(), id.to_string()));
        self.call("update_contact_field", &Self::pairs(&form)).await
    }

    pub async fn list_contact_fields(&self) -> Vec<parley_types::ContactField> {
        self.call("list_contact_fields", &[]).await.json().await.unwrap()
    }
}

/// Lead forms, as the settings page sends them.
impl Operator {
    pub async fn save_lead_forms(&self, settings: &parley_types::LeadFormSettings) -> reqwest::Response {
        let form = filter_form("settings", settings);
        self.call("save_lead_form_settings", &Self::pairs(&form)).await
    }
}

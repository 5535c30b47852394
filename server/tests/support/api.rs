//! One typed helper per server function, so tests do not spell endpoint names and
//! argument names themselves. Each returns the raw response (tests check statuses).

use parley_types::{ConversationId, ConversationStatus};

use super::Operator;

impl Operator {
    pub async fn list_conversations(&self) -> reqwest::Response {
        self.call("list_conversations", &[]).await
    }

    pub async fn get_conversation(&self, id: ConversationId) -> reqwest::Response {
        self.call("get_conversation", &[("id", &id.to_string())]).await
    }

    pub async fn send_reply(&self, id: ConversationId, client_id: &str, text: &str) -> reqwest::Response {
        self.call("send_reply", &[("id", &id.to_string()), ("client_id", client_id), ("text", text)]).await
    }

    /// `status` is text so tests can also send values no enum has.
    pub async fn set_conversation_status(&self, id: ConversationId, status: &str) -> reqwest::Response {
        self.call("set_conversation_status", &[("id", &id.to_string()), ("status", status)]).await
    }

    pub async fn set_status(&self, id: ConversationId, status: ConversationStatus) -> reqwest::Response {
        self.set_conversation_status(id, status.as_str()).await
    }

    pub async fn mark_conversation_read(&self, id: ConversationId) -> reqwest::Response {
        self.call("mark_conversation_read", &[("id", &id.to_string())]).await
    }

    pub async fn get_widget_settings(&self) -> reqwest::Response {
        self.call("get_widget_settings", &[]).await
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
}

//! @mentions in notes: typing `@` and the start of a name lists the matching members
//! (arrows and Enter, or a click, pick one); the note then names them, and each gets an
//! item in their Inbox. Only members can be picked, so every mention names a member.

use leptos::prelude::*;
use parley_types::{Teammate, UserId};

use super::api::ListTeammates;

/// The picker's state for one composer.
#[derive(Clone, Copy)]
pub struct MentionPicker {
    text: RwSignal<String>,
    /// Loaded in the browser once hydrated.
    teammates: ServerAction<ListTeammates>,
    /// What follows the `@` being typed (`None`: not typing a mention).
    query: RwSignal<Option<String>>,
    highlighted: RwSignal<usize>,
    /// Members picked so far, with the name the text shows.
    picked: RwSignal<Vec<(UserId, String)>>,
}

/// The `@word` being typed at the end of `text`, if any.
fn typed_mention(text: &str) -> Option<&str> {
    let last = text.rsplit(char::is_whitespace).next()?;
    last.strip_prefix('@')
}

impl MentionPicker {
    pub fn new(text: RwSignal<String>) -> Self {
        let teammates = ServerAction::<ListTeammates>::new();
        Effect::new(move |_| {
            teammates.dispatch(ListTeammates {});
        });
        Self {
            text,
            teammates,
            query: RwSignal::new(None),
            highlighted: RwSignal::new(0),
            picked: RwSignal::new(Vec::new()),
        }
    }

    fn matches(&self) -> Vec<Teammate> {
        let Some(query) = self.query.get().map(|q| q.to_lowercase()) else { return Vec::new() };
        let all = self.teammates.value().get().and_then(Result::ok).unwrap_or_default();
        all.into_iter().filter(|t| t.name.to_lowercase().split(' ').any(|w| w.starts_with(&query))).take(8).collect()
    }

    /// Follows the note's text as it is typed.
    pub fn follow(&self, text: &str) {
        self.query.set(typed_mention(text).map(str::to_owned));
        self.highlighted.set(0);
    }

    /// Handles a key while the list is open; `true` when it was the picker's.
    pub fn key(&self, ev: &leptos::ev::KeyboardEvent) -> bool {
        let count = self.matches().len();
        if count == 0 {
            return false;
        }
        match ev.key().as_str() {
            "ArrowDown" => self.highlighted.update(|h| *h = (*h + 1) % count),
            "ArrowUp" => self.highlighted.update(|h| *h = (*h + count - 1) % count),
            "Enter" | "Tab" => {
                if let Some(t) = self.matches().get(self.highlighted.get_untracked()).cloned() {
                    self.pick(t);
                }
            }
            "Escape" => self.query.set(None),
            _ => return false,
        }
        ev.prevent_default();
        true
    }

    fn pick(&self, teammate: Teammate) {
        self.text.update(|text| {
            if let Some(typed) = typed_mention(text) {
                let keep = text.len() - typed.len() - 1;
                text.truncate(keep);
            }
            text.push('@');
            text.push_str(&teammate.name);
            text.push(' ');
        });
        self.picked.update(|p| p.push((teammate.user_id, teammate.name)));
        self.query.set(None);
    }

    /// The members the note still names, for sending; forgets them for the next note.
    pub fn take(&self, body: &str) -> Vec<UserId> {
        let picked = self.picked.get_untracked();
        self.picked.set(Vec::new());
        let mut ids: Vec<UserId> =
            picked.into_iter().filter(|(_, name)| body.contains(&format!("@{name}"))).map(|(id, _)| id).collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// The list of members matching the `@` being typed.
#[component]
pub fn MentionList(picker: MentionPicker) -> impl IntoView {
    view! {
        <Show when=move || !picker.matches().is_empty()>
            <ul class="quick-replies mentions" role="listbox" aria-label=crate::t!("inbox-mention")>
                {move || picker.matches().into_iter().enumerate().map(|(i, t)| {
                    let chosen = t.clone();
                    view! {
                        <li
                            role="option"
                            aria-selected=move || (picker.highlighted.get() == i).to_string()
                            on:mousedown=move |ev| { ev.prevent_default(); picker.pick(chosen.clone()); }
                        >
                            {format!("@{}", t.name)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::typed_mention;

    #[test]
    fn the_mention_being_typed_is_the_last_word_after_an_at() {
        assert_eq!(typed_mention("hi @ad"), Some("ad"));
        assert_eq!(typed_mention("@"), Some(""));
        assert_eq!(typed_mention("mail me@x"), None);
        assert_eq!(typed_mention("@ada "), None);
        assert_eq!(typed_mention(""), None);
    }
}

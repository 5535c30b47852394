//! The online visitors' part of the widget socket: the page the visitor's browser shows
//! (`ClientEvent::Page`, on load and on each in-page navigation). The socket's opening and
//! closing count the visitor online (`visitor.rs`, through `online::socket_opened`).

use parley_services::online;
use parley_types::{ClientEvent, ContactId, PageView, VisitorEvent};

use super::Realtime;
use super::frames::{FrameHandler, Handled, SocketCx};

pub fn register(realtime: &mut Realtime) {
    realtime.visitor.frames(PageFrames);
}

/// A visitor's page views, within their rate limit (over it, a view is dropped: the next
/// one says where they are).
struct PageFrames;

impl FrameHandler<VisitorEvent> for PageFrames {
    fn handle<'a>(&'a self, cx: &'a mut SocketCx<'_, VisitorEvent>, event: ClientEvent) -> Handled<'a> {
        let ClientEvent::Page { url, title, referrer } = event else { return Err(event) };
        Ok(Box::pin(async move {
            let Ok(visitor) = cx.actor().visitor() else { return Ok(()) };
            if cx.services().limits.visitor_call(ContactId(visitor.contact_id.0)).is_err() {
                return Ok(());
            }
            Ok(online::page_viewed(cx.services(), cx.actor(), PageView { url, title, referrer }).await?)
        }))
    }
}

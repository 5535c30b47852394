//! Who is on the customer's site right now: each widget socket counts its visitor online
//! (in memory, per server); a visitor stays online for a grace period after their last
//! socket closed (`PARLEY_VISITOR_GRACE_SECS`, 30 s: a navigation opens the next socket
//! within it). The widget reports each page it shows (`ClientEvent::Page`), which is kept
//! as a page visit on the contact's timeline (pruned after `PARLEY_PAGE_VISIT_DAYS`).
//! Operators get at most one batched `VisitorsChanged` a second per workspace (joins,
//! page changes, leaves) and can load the whole list (`list_online`).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use parley_types::{
    Capability, ContactId, ContactKind, ConversationId, ConversationStatus, OnlineVisitor, OperatorEvent, PageView,
    WorkspaceId, phrase,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};

use crate::Services;
use crate::access::{Actor, Scope};
use crate::bus::{EventBus, Operators};
use crate::clock::now_ms;
use crate::entities::{contact, contact_event, conversation};
use crate::error::{ServiceError, ServiceResult};
use crate::jobs::{JobError, JobHandler};
use crate::platform::{Platform, again_later};
use crate::write::Write;

/// Longest page URL or referrer kept, in characters.
pub const MAX_URL: usize = 2_000;
/// Longest page title kept, in characters (longer ones are cut).
pub const MAX_TITLE: usize = 300;
/// How often batched changes go out to operators.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// One visitor's presence.
struct Entry {
    sockets: u32,
    gone_since: Option<Instant>,
    since_ms: i64,
    page: Option<PageView>,
    referrer: String,
    pages: u32,
}

/// A workspace's visitors and the changes not told to operators yet.
#[derive(Default)]
struct Site {
    visitors: HashMap<ContactId, Entry>,
    joined: BTreeSet<ContactId>,
    moved: BTreeSet<ContactId>,
    left: BTreeSet<ContactId>,
}

/// What the registry knows of one visitor, to describe them.
#[derive(Clone)]
struct Snapshot {
    contact: ContactId,
    since_ms: i64,
    page: Option<PageView>,
    referrer: String,
    pages: u32,
}

/// One workspace's changes since the last flush.
struct Changes {
    workspace: WorkspaceId,
    joined: Vec<Snapshot>,
    moved: Vec<Snapshot>,
    left: Vec<ContactId>,
}

/// This server's online visitors, by workspace.
#[derive(Default)]
pub struct Online {
    sites: Mutex<HashMap<WorkspaceId, Site>>,
    flusher: std::sync::OnceLock<()>,
}

impl Online {
    fn sites(&self) -> std::sync::MutexGuard<'_, HashMap<WorkspaceId, Site>> {
        self.sites.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A widget socket of `contact` opened.
    fn opened(&self, workspace: WorkspaceId, contact: ContactId) {
        let mut sites = self.sites();
        let site = sites.entry(workspace).or_default();
        let entry = site.visitors.entry(contact).or_insert_with(|| Entry {
            sockets: 0,
            gone_since: None,
            since_ms: now_ms(),
            page: None,
            referrer: String::new(),
            pages: 0,
        });
        if entry.sockets == 0 && entry.gone_since.is_none() {
            site.joined.insert(contact);
            site.left.remove(&contact);
        }
        entry.sockets += 1;
        entry.gone_since = None;
    }

    /// A widget socket of `contact` closed.
    fn closed(&self, workspace: WorkspaceId, contact: ContactId) {
        let mut sites = self.sites();
        let Some(entry) = sites.get_mut(&workspace).and_then(|s| s.visitors.get_mut(&contact)) else { return };
        entry.sockets = entry.sockets.saturating_sub(1);
        if entry.sockets == 0 {
            entry.gone_since = Some(Instant::now());
        }
    }

    fn page(&self, workspace: WorkspaceId, contact: ContactId, page: PageView) {
        let mut sites = self.sites();
        let Some(site) = sites.get_mut(&workspace) else { return };
        let Some(entry) = site.visitors.get_mut(&contact) else { return };
        if entry.pages == 0 {
            entry.referrer = page.referrer.clone();
        }
        entry.pages = entry.pages.saturating_add(1);
        entry.page = Some(page);
        if !site.joined.contains(&contact) {
            site.moved.insert(contact);
        }
    }

    /// Ends visits whose grace ran out, and takes every workspace's pending changes.
    fn sweep(&self, grace: Duration) -> Vec<Changes> {
        let mut sites = self.sites();
        let mut out = Vec::new();
        sites.retain(|workspace, site| {
            let gone: Vec<ContactId> = site
                .visitors
                .iter()
                .filter(|(_, e)| e.gone_since.is_some_and(|at| at.elapsed() >= grace))
                .map(|(id, _)| *id)
                .collect();
            for id in gone {
                site.visitors.remove(&id);
                site.moved.remove(&id);
                // Arrived and left between two flushes: nobody needs to hear of it.
                if !site.joined.remove(&id) {
                    site.left.insert(id);
                }
            }
            let snapshot = |ids: &BTreeSet<ContactId>| -> Vec<Snapshot> {
                ids.iter().filter_map(|id| site.visitors.get(id).map(|e| snap(*id, e))).collect()
            };
            let changes = Changes {
                workspace: *workspace,
                joined: snapshot(&site.joined),
                moved: snapshot(&site.moved),
                left: std::mem::take(&mut site.left).into_iter().collect(),
            };
            site.joined.clear();
            site.moved.clear();
            if !(changes.joined.is_empty() && changes.moved.is_empty() && changes.left.is_empty()) {
                out.push(changes);
            }
            !site.visitors.is_empty()
        });
        out
    }

    /// The page `contact` shows now, as last reported (on this server).
    pub fn page_of(&self, workspace: WorkspaceId, contact: ContactId) -> Option<String> {
        self.current_url(workspace, contact)
    }

    /// The page `contact` shows now, as last reported.
    fn current_url(&self, workspace: WorkspaceId, contact: ContactId) -> Option<String> {
        let sites = self.sites();
        sites.get(&workspace)?.visitors.get(&contact)?.page.as_ref().map(|p| p.url.clone())
    }

    fn snapshot(&self, workspace: WorkspaceId) -> Vec<Snapshot> {
        let sites = self.sites();
        let Some(site) = sites.get(&workspace) else { return Vec::new() };
        site.visitors.iter().map(|(id, e)| snap(*id, e)).collect()
    }
}

fn snap(contact: ContactId, entry: &Entry) -> Snapshot {
    Snapshot {
        contact,
        since_ms: entry.since_ms,
        page: entry.page.clone(),
        referrer: entry.referrer.clone(),
        pages: entry.pages,
    }
}

/// The visitor `actor`'s widget socket opened: they are online (and the batching task
/// runs).
pub fn socket_opened(svc: &Services, actor: &Actor) {
    let Ok(visitor) = actor.visitor() else { return };
    svc.online.opened(visitor.workspace_id, visitor.contact_id);
    svc.online.flusher.get_or_init(|| spawn_flusher(svc));
}

/// The visitor `actor`'s widget socket closed (they leave once the grace has passed
/// without another).
pub fn socket_closed(svc: &Services, actor: &Actor) {
    if let Ok(visitor) = actor.visitor() {
        svc.online.closed(visitor.workspace_id, visitor.contact_id);
    }
}

fn spawn_flusher(svc: &Services) {
    let online: Weak<Online> = Arc::downgrade(&svc.online);
    let (db, bus, grace) = (svc.db.clone(), svc.bus.clone(), svc.config.visitor_grace);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // The services are gone: so is this task.
            let Some(online) = online.upgrade() else { return };
            for changes in online.sweep(grace) {
                if let Err(err) = publish(&db, bus.as_ref(), changes).await {
                    tracing::warn!(%err, "could not tell operators who is online");
                }
            }
        }
    });
}

async fn publish(db: &DatabaseConnection, bus: &dyn EventBus, changes: Changes) -> ServiceResult<()> {
    // No operator of the workspace is connected: nobody to tell (one who connects loads
    // the whole list), so the contacts are not read.
    if !bus.operators_listening(Operators(changes.workspace)) {
        return Ok(());
    }
    let scope = Scope::unchecked(changes.workspace);
    let joined = describe(db, scope, changes.joined).await?;
    let moved = describe(db, scope, changes.moved).await?;
    for event in batches(joined, moved, changes.left) {
        crate::bus::Audience::publish(Operators(changes.workspace), bus, crate::bus::Envelope::new(event));
    }
    Ok(())
}

/// At most this much JSON (by [`weight`], which overestimates) in one `VisitorsChanged`
/// event. An operator socket refuses a frame over its 1 MiB write buffer (and drops the
/// socket), and a second in which thousands of visitors arrive (a restart, a campaign)
/// can describe more than that: such a second goes out as several events, in order, each
/// under the limit. An ordinary busy second (10,000 visitors each moving every 10 s:
/// ~340 KB) still fits one event, so operators get one event a second.
const MAX_EVENT_BYTES: usize = 768 * 1024;
const _: () = assert!(MAX_EVENT_BYTES < 1024 * 1024, "events must fit the operator socket's write buffer");
/// Left ids per event (a few bytes each).
const MAX_LEFT_PER_EVENT: usize = 10_000;

/// A visitor's share of an event's JSON, roughly (its texts and the fields' overhead).
fn weight(v: &OnlineVisitor) -> usize {
    let page = v.page.as_ref().map_or(0, |p| p.url.len() + p.title.len() + p.referrer.len());
    let device = [&v.browser, &v.os, &v.language].iter().map(|t| t.as_ref().map_or(0, String::len)).sum::<usize>();
    // JSON escaping can double a text; the field names and numbers take about 250 bytes.
    2 * (page + v.name.len() + v.referrer.len() + device) + 250
}

/// One second's changes as events of at most about [`MAX_EVENT_BYTES`] each: joins first,
/// then moves, then leaves, in order.
fn batches(joined: Vec<OnlineVisitor>, moved: Vec<OnlineVisitor>, left: Vec<ContactId>) -> Vec<OperatorEvent> {
    let mut events = Vec::new();
    let (mut j, mut m, mut bytes) = (Vec::new(), Vec::new(), 0);
    let entries = joined.into_iter().map(|v| (true, v)).chain(moved.into_iter().map(|v| (false, v)));
    for (is_join, visitor) in entries {
        let w = weight(&visitor);
        if bytes + w > MAX_EVENT_BYTES && (!j.is_empty() || !m.is_empty()) {
            let (joined, moved) = (std::mem::take(&mut j), std::mem::take(&mut m));
            events.push(OperatorEvent::VisitorsChanged { joined, moved, left: Vec::new() });
            bytes = 0;
        }
        bytes += w;
        if is_join { j.push(visitor) } else { m.push(visitor) }
    }
    let mut left = left.into_iter().peekable();
    let first_left: Vec<ContactId> = left.by_ref().take(MAX_LEFT_PER_EVENT).collect();
    if !j.is_empty() || !m.is_empty() || !first_left.is_empty() || events.is_empty() {
        events.push(OperatorEvent::VisitorsChanged { joined: j, moved: m, left: first_left });
    }
    while left.peek().is_some() {
        let more: Vec<ContactId> = left.by_ref().take(MAX_LEFT_PER_EVENT).collect();
        events.push(OperatorEvent::VisitorsChanged { joined: Vec::new(), moved: Vec::new(), left: more });
    }
    events
}

/// A contact's columns that describe them online: id, name, kind, browser, OS, language.
type Described = (i64, String, String, Option<String>, Option<String>, Option<String>);

/// The visitors of `snapshots` with their names and open conversations (two reads).
async fn describe(
    db: &impl ConnectionTrait,
    scope: Scope,
    snapshots: Vec<Snapshot>,
) -> ServiceResult<Vec<OnlineVisitor>> {
    if snapshots.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = snapshots.iter().map(|s| s.contact.0).collect();
    // Only the columns a description shows: a burst of thousands of arrivals (a restart,
    // a campaign) reads them all at once.
    let contacts: HashMap<i64, Described> = scope
        .find::<contact::Entity>()
        .select_only()
        .columns([
            contact::Column::Id,
            contact::Column::Name,
            contact::Column::Kind,
            contact::Column::Browser,
            contact::Column::Os,
            contact::Column::Language,
        ])
        .filter(contact::Column::Id.is_in(ids.clone()))
        .into_tuple::<Described>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.0, c))
        .collect();
    let open: HashMap<i64, i64> = scope
        .find::<conversation::Entity>()
        .select_only()
        .column(conversation::Column::ContactId)
        .column(conversation::Column::Id)
        .filter(conversation::Column::ContactId.is_in(ids))
        .filter(conversation::Column::Status.ne(ConversationStatus::Closed.as_str()))
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut out: Vec<OnlineVisitor> = snapshots
        .into_iter()
        .filter_map(|s| {
            // A contact deleted or merged away meanwhile is not described.
            let (_, name, kind, browser, os, language) = contacts.get(&s.contact.0)?;
            Some(OnlineVisitor {
                contact_id: s.contact,
                name: name.clone(),
                kind: kind.parse().unwrap_or(ContactKind::Guest),
                page: s.page,
                referrer: s.referrer,
                pages: s.pages,
                since_ms: s.since_ms,
                browser: browser.clone(),
                os: os.clone(),
                language: language.clone(),
                open_conversation: open.get(&s.contact.0).copied().map(ConversationId),
            })
        })
        .collect();
    out.sort_by_key(|v| (std::cmp::Reverse(v.since_ms), v.contact_id));
    Ok(out)
}

/// Who is on the site now, newest visit first. Needs `read contacts`.
pub async fn list_online(svc: &Services, actor: &Actor) -> ServiceResult<Vec<OnlineVisitor>> {
    let scope = actor.require(Capability::ReadContacts)?;
    describe(&svc.db, scope, svc.online.snapshot(scope.workspace_id())).await
}

/// A page the visitor `actor`'s widget shows now: kept as a page visit, and their
/// presence shows it.
pub async fn page_viewed(svc: &Services, actor: &Actor, page: PageView) -> ServiceResult<()> {
    let scope = actor.require(Capability::ChatAsVisitor)?;
    let visitor = actor.visitor()?;
    let web = |text: &str| text.starts_with("https://") || text.starts_with("http://");
    if !web(&page.url) || page.url.chars().count() > MAX_URL || page.url.chars().any(char::is_control) {
        return Err(ServiceError::Invalid(phrase!("err-contacts-page-address")));
    }
    // A referrer that is not a web address (an app's, a file's) is left out.
    let referrer =
        if web(&page.referrer) && page.referrer.chars().count() <= MAX_URL { page.referrer } else { String::new() };
    let title: String = page.title.chars().filter(|c| !c.is_control()).take(MAX_TITLE).collect();
    let page = PageView { url: page.url, title, referrer };
    // The same page again (a reconnect tells it anew): one visit, not two.
    if svc.online.current_url(visitor.workspace_id, visitor.contact_id).as_deref() == Some(page.url.as_str()) {
        return Ok(());
    }
    let now = now_ms();
    let w = svc.begin().await?;
    contact_event::ActiveModel {
        workspace_id: Set(scope.workspace_id().0),
        contact_id: Set(visitor.contact_id.0),
        kind: Set("page".into()),
        name: Set(page.url.clone()),
        title: Set(page.title.clone()),
        referrer: Set(page.referrer.clone()),
        data: Set(String::new()),
        at_ms: Set(now),
        ..Default::default()
    }
    .insert(w.txn())
    .await?;
    scope
        .update_many::<contact::Entity>()
        .col_expr(contact::Column::LastSeenAtMs, Expr::value(now))
        .filter(contact::Column::Id.eq(visitor.contact_id.0))
        .exec(w.txn())
        .await?;
    w.commit().await?;
    svc.online.page(visitor.workspace_id, visitor.contact_id, page);
    Ok(())
}

/// The page-visit pruning job's kind.
pub const PRUNE_VISITS_JOB: &str = "contacts.prune_visits";

/// Registers the daily pruning of old page visits.
pub fn register(platform: &Platform) {
    platform.register_recurring(Arc::new(PruneVisits));
}

/// Deletes page visits older than `PARLEY_PAGE_VISIT_DAYS`, then runs again a day later.
struct PruneVisits;

#[async_trait::async_trait]
impl JobHandler for PruneVisits {
    fn kind(&self) -> &'static str {
        PRUNE_VISITS_JOB
    }

    async fn run(&self, svc: &Services, w: &mut Write, _job: &crate::entities::job::Model) -> Result<(), JobError> {
        let cutoff = now_ms() - i64::try_from(svc.config.page_visit_days).unwrap_or(90) * 86_400_000;
        // unscoped: housekeeping over every workspace's old rows.
        contact_event::Entity::delete_many()
            .filter(contact_event::Column::Kind.eq("page"))
            .filter(contact_event::Column::AtMs.lt(cutoff))
            .exec(w.txn())
            .await?;
        again_later(w, PRUNE_VISITS_JOB, 86_400_000).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn online(id: i64, url_len: usize) -> OnlineVisitor {
        OnlineVisitor {
            contact_id: ContactId(id),
            name: format!("Guest {id}"),
            kind: ContactKind::Guest,
            page: Some(PageView { url: "x".repeat(url_len), title: "Title".into(), referrer: String::new() }),
            referrer: String::new(),
            pages: 1,
            since_ms: 0,
            browser: Some("Chrome".into()),
            os: Some("Linux".into()),
            language: Some("en".into()),
            open_conversation: None,
        }
    }

    #[test]
    fn a_busy_second_goes_out_as_several_events_each_under_the_socket_limit() {
        let joined: Vec<OnlineVisitor> = (0..6_000).map(|i| online(i, 300)).collect();
        let moved: Vec<OnlineVisitor> = (6_000..10_000).map(|i| online(i, 1_200)).collect();
        let left: Vec<ContactId> = (10_000..35_000).map(ContactId).collect();
        let events = batches(joined.clone(), moved.clone(), left.clone());
        assert!(events.len() > 5, "{} events", events.len());
        let (mut j, mut m, mut l) = (Vec::new(), Vec::new(), Vec::new());
        for event in &events {
            let size = serde_json::to_string(event).unwrap().len();
            assert!(size <= MAX_EVENT_BYTES, "an event of {size} bytes");
            let OperatorEvent::VisitorsChanged { joined, moved, left } = event else { panic!("{event:?}") };
            j.extend(joined.iter().map(|v| v.contact_id));
            m.extend(moved.iter().map(|v| v.contact_id));
            l.extend(left.iter().copied());
        }
        assert_eq!(j, joined.iter().map(|v| v.contact_id).collect::<Vec<_>>(), "every join, in order");
        assert_eq!(m, moved.iter().map(|v| v.contact_id).collect::<Vec<_>>(), "every move, in order");
        assert_eq!(l, left, "every leave, in order");
        // A quiet second is one event, as before; so is an ordinary busy one.
        assert_eq!(batches(vec![online(1, 10)], Vec::new(), vec![ContactId(2)]).len(), 1);
        let busy: Vec<OnlineVisitor> = (0..1_000).map(|i| online(i, 60)).collect();
        assert_eq!(batches(Vec::new(), busy, Vec::new()).len(), 1);
    }

    fn page(url: &str) -> PageView {
        PageView { url: url.into(), title: String::new(), referrer: "https://search.example".into() }
    }

    #[test]
    fn visits_are_batched_and_end_after_the_grace() {
        let online = Online::default();
        let (ws, a, b) = (WorkspaceId(1), ContactId(1), ContactId(2));
        online.opened(ws, a);
        online.page(ws, a, page("https://shop.example/"));
        online.opened(ws, b);
        let first = online.sweep(Duration::from_secs(30));
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].joined.iter().map(|s| s.contact).collect::<Vec<_>>(), [a, b]);
        assert!(first[0].moved.is_empty(), "a join already carries the page");
        assert_eq!(first[0].joined[0].referrer, "https://search.example");
        assert!(online.sweep(Duration::from_secs(30)).is_empty(), "nothing new");

        // A navigation: the socket closes and the next opens within the grace.
        online.closed(ws, a);
        online.opened(ws, a);
        online.page(ws, a, page("https://shop.example/cart"));
        let next = online.sweep(Duration::from_secs(30));
        assert_eq!(next[0].moved.iter().map(|s| (s.contact, s.pages)).collect::<Vec<_>>(), [(a, 2)]);
        assert!(next[0].joined.is_empty() && next[0].left.is_empty());

        // Gone for good once the grace has passed.
        online.closed(ws, b);
        assert!(online.sweep(Duration::from_secs(30)).is_empty(), "still within the grace");
        let gone = online.sweep(Duration::ZERO);
        assert_eq!(gone[0].left, [b]);
        assert_eq!(online.snapshot(ws).len(), 1);
    }
}

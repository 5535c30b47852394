//! Contacts as CSV: the current filter's contacts (owners and admins, and operators
//! granted `export contacts`),
//! one row each with their profile, labels and custom fields. A cell that a spreadsheet
//! would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) is
//! prefixed with `'` (CSV injection).

use std::collections::HashMap;

use parley_types::{Capability, ContactFilter};
use sea_orm::{QueryFilter, QueryOrder, QuerySelect};

use super::{conditions, fields, to_contacts};
use crate::Services;
use crate::access::Actor;
use crate::clock::now_ms;
use crate::entities::{contact, label};
use crate::error::ServiceResult;

/// Most rows one export holds.
pub const MAX_EXPORT: u64 = 100_000;
/// Rows read per query.
const PAGE: u64 = 1_000;

/// One CSV cell: quoted when it holds a comma, quote or line break; a leading formula
/// character is neutralised with `'`.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

pub(crate) fn line(cells: &[String]) -> String {
    let mut out = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// RFC 3339 UTC time of Unix milliseconds.
pub(crate) fn time(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// The contacts matching `filter` as CSV (newest seen first); the export is audited.
/// Needs `export contacts` (owners, admins, and operators granted it).
pub async fn export_csv(svc: &Services, actor: &Actor, filter: &ContactFilter) -> ServiceResult<String> {
    let scope = actor.require(Capability::ExportContacts)?;
    let db = &svc.db;
    let defined = fields::rows(db, scope).await?;
    let labels: HashMap<i64, String> =
        scope.find::<label::Entity>().all(db).await?.into_iter().map(|l| (l.id, l.name)).collect();
    let mut header: Vec<String> = [
        "id",
        "name",
        "email",
        "phone",
        "type",
        "user_id",
        "verified",
        "timezone",
        "language",
        "browser",
        "os",
        "created",
        "last_seen",
        "labels",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    header.extend(defined.iter().map(|f| f.key.clone()));
    let mut out = line(&header);
    let condition = conditions(scope, filter, &defined, now_ms())?;
    let mut offset = 0;
    while offset < MAX_EXPORT {
        let rows = scope
            .find::<contact::Entity>()
            .filter(condition.clone())
            .order_by_desc(contact::Column::LastSeenAtMs)
            .order_by_desc(contact::Column::Id)
            .offset(offset)
            .limit(PAGE)
            .all(db)
            .await?;
        let n = rows.len() as u64;
        for c in to_contacts(db, scope, rows).await? {
            let mut cells = vec![
                c.id.to_string(),
                c.name.clone(),
                c.email.clone().unwrap_or_default(),
                c.phone.clone().unwrap_or_default(),
                c.kind.to_string(),
                c.external_id.clone().unwrap_or_default(),
                c.verified.to_string(),
                c.timezone.clone().unwrap_or_default(),
                c.language.clone().unwrap_or_default(),
                c.browser.clone().unwrap_or_default(),
                c.os.clone().unwrap_or_default(),
                time(c.created_at_ms),
                time(c.last_seen_at_ms),
                c.labels.iter().filter_map(|l| labels.get(&l.0).cloned()).collect::<Vec<_>>().join(";"),
            ];
            cells.extend(defined.iter().map(|f| c.custom.get(&f.key).cloned().unwrap_or_default()));
            out.push_str(&line(&cells));
        }
        offset += n;
        if n < PAGE {
            break;
        }
    }
    let details = serde_json::json!({ "contacts": offset, "filter": filter });
    crate::audit::record(svc, actor, parley_types::AuditAction::ContactsExported, "contacts", details).await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_separators_quoted() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        for risky in ["+1 555", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(risky).trim_start_matches('"').starts_with('\''), "{risky}");
        }
        assert_eq!(cell("Smith, Ada"), "\"Smith, Ada\"");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(line(&["a".into(), "b\nc".into()]), "a,\"b\nc\"\r\n");
    }
}

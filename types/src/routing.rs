//! Routing rules: which department a new conversation goes to. Rules are tried in order
//! and the first that matches wins; without a match, the department the visitor picked
//! in the widget, else the workspace's default department, else none (Live).

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::ids::DepartmentId;
use crate::phrase;

crate::model::text_enum! {
    /// What a rule looks at.
    RouteWhen, "routing condition" {
        /// The page the visitor is on: its address contains the value.
        PageUrl = "page_url",
        /// The visitor's language: the value, or a regional form of it (`es` takes `es-MX`).
        Language = "language",
        /// Where the conversation came from (`widget`, later email and messengers).
        Channel = "channel",
        /// The department the visitor picked in the widget (the value is its id).
        Prechat = "prechat",
        /// The contact has the label named by the value.
        ContactTag = "contact_tag",
    }
}

impl RouteWhen {
    /// How the settings page names the condition.
    pub fn label(self) -> &'static str {
        match self {
            RouteWhen::PageUrl => "Page address contains",
            RouteWhen::Language => "Visitor's language is",
            RouteWhen::Channel => "Channel is",
            RouteWhen::Prechat => "Visitor picked",
            RouteWhen::ContactTag => "Contact has the label",
        }
    }
}

/// One rule: when the condition holds, the conversation goes to `department_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    pub when: RouteWhen,
    pub value: String,
    pub department_id: DepartmentId,
}

/// The most rules a workspace may have.
pub const MAX_ROUTING_RULES: usize = 50;
/// The longest value, in characters.
pub const MAX_ROUTING_VALUE: usize = 500;

/// What the router knows about a new conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteFacts {
    pub page_url: Option<String>,
    pub language: Option<String>,
    pub channel: String,
    pub picked: Option<DepartmentId>,
    /// The contact's labels, lower-cased.
    pub labels: Vec<String>,
}

impl RoutingRule {
    /// Whether the rule holds for `facts`.
    pub fn matches(&self, facts: &RouteFacts) -> bool {
        let value = self.value.trim().to_lowercase();
        match self.when {
            RouteWhen::PageUrl => facts.page_url.as_ref().is_some_and(|url| url.to_lowercase().contains(&value)),
            RouteWhen::Language => facts.language.as_ref().is_some_and(|lang| {
                let lang = lang.to_lowercase().replace('_', "-");
                lang == value || lang.starts_with(&format!("{value}-"))
            }),
            RouteWhen::Channel => facts.channel == value,
            RouteWhen::Prechat => facts.picked.is_some_and(|d| d.0.to_string() == value),
            RouteWhen::ContactTag => facts.labels.contains(&value),
        }
    }
}

/// The department for `facts`: the first matching rule's, else the visitor's pick, else
/// the default.
pub fn route(rules: &[RoutingRule], facts: &RouteFacts, default: Option<DepartmentId>) -> Option<DepartmentId> {
    rules.iter().find(|rule| rule.matches(facts)).map(|rule| rule.department_id).or(facts.picked).or(default)
}

/// Problems with a list of rules, by position (`rules.2`); `departments` and `labels`
/// are the workspace's (labels lower-cased), `channels` the channels there are.
pub fn check_rules(
    rules: &[RoutingRule],
    departments: &[DepartmentId],
    labels: &[String],
    channels: &[&str],
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if rules.len() > MAX_ROUTING_RULES {
        problems.push(FieldError::new("rules", phrase!("err-routing-too-many", max = MAX_ROUTING_RULES)));
    }
    for (i, rule) in rules.iter().enumerate() {
        let field = format!("rules.{i}");
        let value = rule.value.trim();
        let problem = if !departments.contains(&rule.department_id) {
            Some(phrase!("err-routing-department"))
        } else if value.is_empty() {
            Some(phrase!("err-routing-value-empty"))
        } else if value.chars().count() > MAX_ROUTING_VALUE {
            Some(phrase!("err-max-chars", max = MAX_ROUTING_VALUE))
        } else {
            match rule.when {
                RouteWhen::Language
                    if !(value.len() <= 12
                        && value
                            .split(['-', '_'])
                            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))) =>
                {
                    Some(phrase!("err-routing-language", value = value))
                }
                RouteWhen::Channel if !channels.contains(&value.to_lowercase().as_str()) => {
                    Some(phrase!("err-routing-channel", value = value, channels = channels.join(", ")))
                }
                RouteWhen::Prechat if !value.parse::<i64>().is_ok_and(|id| departments.contains(&DepartmentId(id))) => {
                    Some(phrase!("err-routing-prechat"))
                }
                RouteWhen::ContactTag if !labels.contains(&value.to_lowercase()) => {
                    Some(phrase!("err-routing-label", value = value))
                }
                _ => None,
            }
        };
        if let Some(problem) = problem {
            problems.push(FieldError::new(field, problem));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(when: RouteWhen, value: &str, department: i64) -> RoutingRule {
        RoutingRule { when, value: value.into(), department_id: DepartmentId(department) }
    }

    #[test]
    fn the_first_matching_rule_wins_then_the_pick_then_the_default() {
        let rules = [
            rule(RouteWhen::PageUrl, "/pricing", 1),
            rule(RouteWhen::Language, "es", 2),
            rule(RouteWhen::ContactTag, "VIP", 3),
            rule(RouteWhen::Prechat, "4", 5),
            rule(RouteWhen::Channel, "widget", 6),
        ];
        let base = RouteFacts { channel: "email".into(), ..RouteFacts::default() };
        let on = |facts: RouteFacts| route(&rules, &facts, Some(DepartmentId(9)));
        assert_eq!(on(base.clone()), Some(DepartmentId(9)), "nothing matches: the default");
        let spanish = RouteFacts { language: Some("es-MX".into()), ..base.clone() };
        assert_eq!(on(spanish.clone()), Some(DepartmentId(2)));
        let pricing = RouteFacts { page_url: Some("https://shop.test/PRICING?x".into()), ..spanish };
        assert_eq!(on(pricing), Some(DepartmentId(1)), "earlier rules first");
        assert_eq!(on(RouteFacts { labels: vec!["vip".into()], ..base.clone() }), Some(DepartmentId(3)));
        assert_eq!(on(RouteFacts { picked: Some(DepartmentId(4)), ..base.clone() }), Some(DepartmentId(5)));
        assert_eq!(on(RouteFacts { picked: Some(DepartmentId(7)), ..base.clone() }), Some(DepartmentId(7)), "the pick");
        assert_eq!(on(RouteFacts { channel: "widget".into(), ..base.clone() }), Some(DepartmentId(6)));
        assert_eq!(on(RouteFacts { language: Some("esperanto".into()), ..base.clone() }), Some(DepartmentId(9)));
        assert_eq!(route(&[], &base, None), None, "no default: Live");
    }

    #[test]
    fn rules_are_checked_by_position() {
        let departments = [DepartmentId(1), DepartmentId(2)];
        let labels = ["vip".to_owned()];
        let rules = [
            rule(RouteWhen::PageUrl, "/help", 1),
            rule(RouteWhen::PageUrl, "  ", 1),
            rule(RouteWhen::Language, "e s", 1),
            rule(RouteWhen::Channel, "fax", 2),
            rule(RouteWhen::Prechat, "77", 2),
            rule(RouteWhen::ContactTag, "gold", 2),
            rule(RouteWhen::ContactTag, "VIP", 3),
        ];
        let problems = check_rules(&rules, &departments, &labels, &["widget"]);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["rules.1", "rules.2", "rules.3", "rules.4", "rules.5", "rules.6"]);
        assert!(check_rules(&rules[..1], &departments, &labels, &["widget"]).is_empty());
    }
}

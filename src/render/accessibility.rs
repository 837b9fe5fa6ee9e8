//! The accessibility statement: what `accessibility.html` is given, from
//! site.yaml's `accessibility` block, in display-ready values. The wording
//! follows the GOV.UK model statement and lives in the template.
//!
//! The statement sits outside every view at `accessibility/`. Restricted
//! views are written to a tree of their own, which is published somewhere
//! else (an intranet, a shared drive) and cannot rely on the public site
//! being beside it; so that tree carries its own copy at the same path,
//! and every footer's link is the same relative one.

use serde::Serialize;
use tera::Context;

use super::context::{Link, PageSpec, chrome};
use crate::model::{Compliance, PolicyDate, Site};
use crate::urls;

#[derive(Serialize)]
struct Statement {
    email: Option<String>,
    phone: Option<String>,
    /// The number as a `tel:` link dials it.
    phone_href: Option<String>,
    url: Option<String>,
    has_contact: bool,
    /// "10 working days", when the school has said.
    response: Option<String>,
    /// `full`, `partial`, `not`, or `unstated` when site.yaml does not say.
    compliance: &'static str,
    known_issues: Vec<String>,
    prepared: Option<Day>,
    reviewed: Option<Day>,
    tested: Option<Day>,
    tested_by: Option<String>,
}

#[derive(Serialize)]
struct Day {
    long: String,
    iso: String,
}

impl From<PolicyDate> for Day {
    fn from(date: PolicyDate) -> Day {
        Day {
            long: date.long(),
            iso: date.iso(),
        }
    }
}

/// The statement's page, for the public site or (`restricted`) for the
/// restricted tree, which has no landing page to link to.
pub fn context(site: &Site, restricted: bool) -> Context {
    let path = urls::accessibility();
    let settings = &site.settings;
    let breadcrumbs = if restricted {
        Vec::new()
    } else {
        vec![Link {
            title: settings.policy_title.clone(),
            url: urls::relative(&path, &urls::landing()),
        }]
    };
    let spec = PageSpec {
        path: &path,
        title: "Accessibility statement".into(),
        description: format!(
            "How accessible the {} website of {} is, and how to report a problem.",
            settings.policy_title, settings.school.name
        ),
        view: None,
        breadcrumbs,
    };
    let mut page = chrome(site, &spec);
    if restricted {
        page.home = None;
    }
    let facts = &settings.accessibility;
    let contact = &facts.contact;
    let statement = Statement {
        email: contact.email.clone(),
        phone: contact.phone.clone(),
        phone_href: contact.phone.as_deref().map(tel),
        url: contact.url.clone(),
        has_contact: !contact.is_empty(),
        response: facts.response_days.map(|days| match days {
            1 => "1 working day".to_string(),
            n => format!("{n} working days"),
        }),
        compliance: match facts.compliance {
            Some(Compliance::Full) => "full",
            Some(Compliance::Partial) => "partial",
            Some(Compliance::Not) => "not",
            None => "unstated",
        },
        known_issues: facts.known_issues.clone(),
        prepared: facts.prepared.map(Day::from),
        reviewed: facts.reviewed.map(Day::from),
        tested: facts.tested.map(Day::from),
        tested_by: facts.tested_by.clone(),
    };
    let mut context = Context::new();
    context.insert("page", &page);
    context.insert("statement", &statement);
    context
}

/// A `tel:` address: the digits, with a leading `+` kept and the `(0)` of
/// "+44 (0)1234" dropped, since it is not dialled after the country code.
fn tel(number: &str) -> String {
    let international = number.trim_start().starts_with('+');
    let number = if international {
        number.replace("(0)", "")
    } else {
        number.to_string()
    };
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    format!("tel:{}{digits}", if international { "+" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::tel;

    #[test]
    fn a_telephone_link_dials_the_digits() {
        assert_eq!(tel("01234 567890"), "tel:01234567890");
        assert_eq!(tel("+44 (0)1234 567-890"), "tel:+441234567890");
    }
}

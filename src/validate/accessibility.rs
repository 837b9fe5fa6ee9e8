//! Rules for site.yaml's `accessibility` block, which the accessibility
//! statement is written from: a contact that works, a compliance word the
//! regulations use, known problems that agree with it, and dates that are
//! days. A statement with no way to report a problem is published, with a
//! warning, since the regulations require one.

use serde_saphyr::Spanned;

use super::Checker;
use super::data_rules::{check_email, parse_date};
use crate::address::{self, Target};
use crate::diagnostics::Diagnostic;
use crate::ids::closest;
use crate::load::entries::{AccessibilityEntry, StatementContactEntry, Text};
use crate::load::yaml::Document;
use crate::model::{Accessibility, Compliance, PolicyDate, StatementContact};

const NO_COMPLIANCE: &str =
    "the accessibility statement does not say how far the site meets WCAG 2.2 AA";
const ADD_COMPLIANCE: &str = "once the site has been tested, add `compliance: full`, `partial` or `not` under `accessibility:`, with `tested:` (the day) and `tested_by:`; until then the statement says the site has not been assessed (`policyweb explain site.yaml` shows how)";
const NO_CONTACT: &str =
    "the accessibility statement gives no way to report an accessibility problem";
const ADD_CONTACT: &str = "add `contact:` with an `email`, `phone` or `url` under `accessibility:`; the accessibility regulations require one (`policyweb explain site.yaml` shows how)";

pub(super) fn statement(
    check: &mut Checker,
    document: &Document,
    entry: Option<&Spanned<AccessibilityEntry>>,
) -> Accessibility {
    let Some(entry) = entry else {
        let path = check.sources.get(document.source).path.clone();
        check
            .diagnostics
            .push(Diagnostic::warning(NO_CONTACT).in_file(path.clone()).help(
                "add an `accessibility:` block with a `contact:` (an email, phone or url); the accessibility regulations require one (`policyweb explain site.yaml` shows how)",
            ));
        check.diagnostics.push(
            Diagnostic::warning(NO_COMPLIANCE)
                .in_file(path)
                .help(ADD_COMPLIANCE),
        );
        return Accessibility::default();
    };
    let block = &entry.value;
    let contact = match &block.contact {
        Some(contact) => statement_contact(check, document, contact),
        None => {
            check.warn_at(document, entry, NO_CONTACT, ADD_CONTACT);
            StatementContact::default()
        }
    };
    if let Some(days) = &block.response_days
        && days.value == 0
    {
        check.error_at(
            document,
            days,
            "response_days must be at least 1".into(),
            "write how many working days the school takes to reply, such as 10, or leave the key out",
        );
    }
    // `None` when the word is not one the regulations use: then whether it
    // agrees with the known issues cannot be said.
    if block.compliance.is_none() {
        check.warn_at(document, entry, NO_COMPLIANCE, ADD_COMPLIANCE);
    }
    let compliance = match &block.compliance {
        None => None,
        Some(word) => {
            let written = word.value.trim();
            let parsed = Compliance::parse(written);
            if parsed.is_none() {
                let help = match closest(written, Compliance::WORDS) {
                    Some(near) => {
                        format!("did you mean `{near}`? Write `full`, `partial` or `not`")
                    }
                    None => "write `full`, `partial` or `not`: how far the site meets WCAG 2.2 AA"
                        .into(),
                };
                check.error(
                    document,
                    word,
                    format!("`{written}` is not a compliance status"),
                    help,
                );
            }
            parsed
        }
    };
    let known_issues: Vec<String> = block
        .known_issues
        .iter()
        .map(|issue| check.text(document, issue, "known issue"))
        .collect();
    match (compliance, block.known_issues.first()) {
        (Some(Compliance::Full), Some(_)) => {
            if let Some(word) = &block.compliance {
                check.error(
                    document,
                    word,
                    "the site is said to be fully compliant, but known_issues lists problems"
                        .into(),
                    "write `compliance: partial` (or `not`), or remove the issues that are fixed",
                );
            }
        }
        (Some(Compliance::Partial | Compliance::Not), None) => {
            if let Some(word) = &block.compliance {
                check.warning(
                    document,
                    word,
                    "the statement says the site is not fully compliant but lists no known issue"
                        .into(),
                    "list what is not accessible under `known_issues:`, so readers know what to expect",
                );
            }
        }
        _ => {}
    }
    let prepared = block
        .prepared
        .as_ref()
        .and_then(|d| day(check, document, d));
    let reviewed = block
        .reviewed
        .as_ref()
        .and_then(|d| day(check, document, d));
    if let (Some(prepared), Some(reviewed), Some(text)) = (prepared, reviewed, &block.reviewed)
        && reviewed < prepared
    {
        check.error(
            document,
            text,
            format!(
                "the statement was reviewed ({}) before it was prepared ({})",
                reviewed.long(),
                prepared.long()
            ),
            "check both dates: `reviewed` is the last review, on or after `prepared`",
        );
    }
    Accessibility {
        contact,
        response_days: block.response_days.as_ref().map(|d| d.value),
        compliance,
        known_issues,
        prepared,
        reviewed,
        tested: block.tested.as_ref().and_then(|d| day(check, document, d)),
        tested_by: block
            .tested_by
            .as_ref()
            .map(|t| check.text(document, t, "tested_by")),
    }
}

fn statement_contact(
    check: &mut Checker,
    document: &Document,
    contact: &Spanned<StatementContactEntry>,
) -> StatementContact {
    let entry = &contact.value;
    let out = StatementContact {
        email: entry
            .email
            .as_ref()
            .map(|e| check_email(check, document, e)),
        phone: entry.phone.as_ref().map(|p| phone(check, document, p)),
        url: entry.url.as_ref().map(|u| web_page(check, document, u)),
    };
    if out.is_empty() {
        check.error_at(
            document,
            contact,
            "the contact gives no email, phone or url".into(),
            "add at least one way to report a problem: `email`, `phone` or `url`",
        );
    }
    out
}

/// A telephone number as it is dialled: digits, spaces, `+`, brackets and
/// hyphens, with at least one digit.
pub(super) fn phone(check: &mut Checker, document: &Document, number: &Text) -> String {
    let text = number.value.trim().to_string();
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-'));
    if !allowed || !text.chars().any(|c| c.is_ascii_digit()) {
        check.error(
            document,
            number,
            format!("`{text}` is not a telephone number"),
            "write the number as it is dialled, such as \"01234 567890\"",
        );
    }
    text
}

/// A web page for reporting a problem: a full https address, refused on
/// the same grounds as every other address in data/. An email address or a
/// telephone number has its own key.
pub(super) fn web_page(check: &mut Checker, document: &Document, url: &Text) -> String {
    let address = url.value.trim().to_string();
    let web = address.to_ascii_lowercase().starts_with("https://");
    match address::classify(&address, false) {
        Err(problem) => {
            let help = if address.to_ascii_lowercase().starts_with("http:") {
                "use the page's https: address"
            } else {
                "`url` is a web page starting https://"
            };
            check.error(document, url, problem, help);
        }
        Ok(Target::External) if web => {}
        Ok(_) => check.error(
            document,
            url,
            format!("`{address}` is not a web address"),
            "`url` is a web page starting https://; put an email address under `email` and a telephone number under `phone`",
        ),
    }
    address
}

/// A date the statement gives: a day, since "prepared in May" is not what
/// the model statement asks for.
fn day(check: &mut Checker, document: &Document, value: &Text) -> Option<PolicyDate> {
    let date = parse_date(check, document, value)?;
    if date.day.is_none() {
        check.error(
            document,
            value,
            format!("`{}` has no day", value.value.trim()),
            "the statement's dates are days: write YYYY-MM-DD, such as 2024-05-20",
        );
        return None;
    }
    Some(date)
}

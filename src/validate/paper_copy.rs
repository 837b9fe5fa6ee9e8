//! Rules for site.yaml's `paper_copy`, which the landing and print pages
//! use to say how to ask for a free paper copy: a contact with at least one
//! way to ask, each one well formed (an email address, a number as it is
//! dialled, an https page).

use super::Checker;
use super::accessibility::{phone, web_page};
use super::data_rules::check_email;
use crate::load::entries::PaperCopyEntry;
use crate::load::yaml::Document;
use crate::model::PaperCopy;

pub(super) fn paper_copy(
    check: &mut Checker,
    document: &Document,
    entry: &PaperCopyEntry,
) -> PaperCopy {
    let contact = &entry.contact.value;
    let out = PaperCopy {
        ask: contact
            .ask
            .as_ref()
            .map(|who| check.text(document, who, "paper copy contact (`ask`)")),
        email: contact
            .email
            .as_ref()
            .map(|e| check_email(check, document, e)),
        phone: contact.phone.as_ref().map(|p| phone(check, document, p)),
        url: contact.url.as_ref().map(|u| web_page(check, document, u)),
    };
    if out.ask.is_none() && out.email.is_none() && out.phone.is_none() && out.url.is_none() {
        check.error_at(
            document,
            &entry.contact,
            "the paper copy contact says nowhere to ask".into(),
            "add who to ask (`ask: the school office`) and an `email`, `phone` or `url`, or remove `paper_copy:` so the pages say only to ask the school",
        );
    }
    out
}

//! What the landing and print pages say about a paper copy (schools must
//! give one free of charge on request), and the lines a printed copy
//! carries at its top and bottom: which revision, its approval, and the
//! day the website was built. The day is the build's, not the printer's:
//! the pages run no script.

use serde::Serialize;

use super::context::revision_info;
use crate::model::{PolicyDate, Revision, Site};

/// How to ask for a paper copy. Without `paper_copy` in site.yaml every
/// field is empty and the template says only to ask the school.
#[derive(Serialize)]
pub struct PaperCopyNotice {
    /// "the school office", or "the school" when site.yaml names nobody.
    pub ask: String,
    pub ways: Vec<Way>,
    /// The school's website, offered for its contact details when
    /// site.yaml gives no way to ask.
    pub school_website: Option<String>,
}

/// One way to ask: "email" and a `mailto:` link, "phone" and `tel:`, or a
/// web page.
#[derive(Serialize)]
pub struct Way {
    pub kind: &'static str,
    pub text: String,
    pub href: String,
}

pub fn notice(site: &Site) -> PaperCopyNotice {
    let settings = &site.settings;
    let Some(paper) = &settings.paper_copy else {
        return PaperCopyNotice {
            ask: "the school".into(),
            ways: Vec::new(),
            school_website: settings.school.website.clone(),
        };
    };
    let mut ways = Vec::new();
    if let Some(email) = &paper.email {
        ways.push(Way {
            kind: "email",
            text: email.clone(),
            href: format!("mailto:{email}"),
        });
    }
    if let Some(phone) = &paper.phone {
        // A tel: link dials the digits and a leading +, not the spacing.
        let dialled: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        ways.push(Way {
            kind: "phone",
            text: phone.clone(),
            href: format!("tel:{dialled}"),
        });
    }
    if let Some(url) = &paper.url {
        ways.push(Way {
            kind: "web",
            text: url.clone(),
            href: url.clone(),
        });
    }
    PaperCopyNotice {
        ask: paper.ask.clone().unwrap_or_else(|| "the school".into()),
        school_website: ways
            .is_empty()
            .then(|| settings.school.website.clone())
            .flatten(),
        ways,
    }
}

/// The line at the top and bottom of a printed copy.
#[derive(Serialize)]
pub struct PrintedCopy {
    pub revision: String,
    /// "Approved by the Full Governing Body on 13 March 2024", or the
    /// draft's wording.
    pub approval: String,
    pub built: String,
    pub built_iso: String,
}

pub fn printed(site: &Site, revision: &Revision) -> PrintedCopy {
    let info = revision_info(revision);
    let built = PolicyDate::from_naive(site.today);
    PrintedCopy {
        revision: info.id,
        approval: info.approval,
        built: built.long(),
        built_iso: built.iso(),
    }
}

//! What falls due when: the policy's deadlines and recurring checks against
//! today. Used by the governors' pages, the build's warnings and `status`.

use crate::diagnostics::Place;
use crate::model::{Check, PolicyDate, Site};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    Overdue,
    /// Due within the reminder period (site.yaml's `reminder_days`).
    Soon,
    Upcoming,
    /// A check with no record of ever being done.
    NotRecorded,
}

/// What falls due: the policy's review, a deadline, or a recurring check.
#[derive(Debug, Clone, Copy)]
pub enum Kind<'a> {
    /// The review of the policy itself (versions.yaml's `next_review`).
    Review,
    /// A date in reviews.yaml marked `deadline: true`, not yet met.
    Deadline,
    /// A recurring check, with its owners, interval and last record.
    Check(&'a Check),
}

#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub kind: Kind<'a>,
    pub title: String,
    pub due: Option<PolicyDate>,
    pub state: Due,
    /// Where it is written: the date, or the check's `last_done`.
    pub place: Option<Place>,
    /// How to record it as done, for the overdue warning's help.
    pub record: &'static str,
}

const RECORD_REVIEW: &str =
    "carry out the review, then record the next one: next_review in data/versions.yaml";
const RECORD_DEADLINE: &str = "once it is done, record it as met: add `met: YYYY-MM-DD` to its entry under dates: in data/reviews.yaml";
const RECORD_CHECK: &str = "carry out the check, then record it: last_done in its entry under checks: in data/reviews.yaml";

/// Every deadline and check, in the order the data lists them, with the
/// policy's own next review first. The review date is the approved
/// revision's (a draft does not move it until it is approved); deadlines
/// and checks come from the newest revision, where the lead records them.
pub fn items(site: &Site) -> Vec<Item<'_>> {
    let today = site.today;
    let revision = site.newest();
    let reviewed = site.current().unwrap_or(revision);
    let state = |date: PolicyDate| {
        let reminder = chrono::Days::new(u64::from(site.settings.reminder_days));
        if date.last_day() < today {
            Due::Overdue
        } else if today
            .checked_add_days(reminder)
            .is_none_or(|r| date.last_day() <= r)
        {
            Due::Soon
        } else {
            Due::Upcoming
        }
    };
    let mut items = Vec::new();
    if let Some(date) = reviewed.next_review {
        items.push(Item {
            kind: Kind::Review,
            title: "Review of this policy".into(),
            due: Some(date),
            state: state(date),
            place: reviewed.next_review_place.clone(),
            record: RECORD_REVIEW,
        });
    }
    // A deadline recorded as met is no longer due.
    for date in revision
        .dates
        .iter()
        .filter(|d| d.deadline && d.met.is_none())
    {
        items.push(Item {
            kind: Kind::Deadline,
            title: date.title.clone(),
            due: Some(date.date),
            state: state(date.date),
            place: Some(date.place.clone()),
            record: RECORD_DEADLINE,
        });
    }
    for check in &revision.checks {
        let due = check.next_due();
        items.push(Item {
            kind: Kind::Check(check),
            title: check.title.clone(),
            due,
            state: due.map_or(Due::NotRecorded, state),
            place: Some(check.place.clone()),
            record: RECORD_CHECK,
        });
    }
    items
}

/// "Review of this policy was due by September 2024.", with where the
/// date is written and how to record it as done.
pub fn overdue(site: &Site) -> Vec<(String, Option<Place>, &'static str)> {
    items(site)
        .into_iter()
        .filter(|item| item.state == Due::Overdue)
        .filter_map(|item| {
            let due = item.due?;
            Some((
                format!("{} was due by {}.", item.title, due.long()),
                item.place,
                item.record,
            ))
        })
        .collect()
}

/// The sentences of `overdue`.
pub fn overdue_sentences(site: &Site) -> Vec<String> {
    overdue(site)
        .into_iter()
        .map(|(sentence, _, _)| sentence)
        .collect()
}

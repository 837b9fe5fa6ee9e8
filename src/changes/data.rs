//! Changes to data/ between two revisions, in sentences a governor reads:
//! who holds which role, role titles, the review date and other dates,
//! recurring checks, organisations and their addresses, publications, and
//! which curriculum strands sections cover.

use crate::model::{PolicyDate, Revision};

/// Every data change from `old` to `new`, in a fixed order: review date,
/// roles and people, dates and checks, organisations, publications,
/// strands. Organisations are those `view` lists (all when `None`).
pub fn sentences(old: &Revision, new: &Revision, view: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if old.next_review != new.next_review {
        out.push(format!(
            "The next review of the policy moved from {} to {}.",
            maybe_date(old.next_review),
            maybe_date(new.next_review)
        ));
    }
    roles(old, new, &mut out);
    people(old, new, &mut out);
    dates(old, new, &mut out);
    checks(old, new, &mut out);
    organisations(old, new, view, &mut out);
    documents(old, new, &mut out);
    strands(old, new, &mut out);
    out
}

/// "on 12 March 2025", "in September 2024".
fn on_or_in(date: PolicyDate) -> String {
    if date.day.is_some() {
        format!("on {}", date.long())
    } else {
        format!("in {}", date.long())
    }
}

fn maybe_date(date: Option<PolicyDate>) -> String {
    date.map_or_else(|| "no date".into(), |d| d.long())
}

/// "Tom Clarke", "Tom Clarke and Vicky Hodgson", "A, B and C".
fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn holders(revision: &Revision, role: &str) -> Vec<String> {
    revision.holders(role).map(|p| p.name.clone()).collect()
}

/// A change of hands: who left a role and who took it up. Roles that
/// changed hands the same way are told in one sentence.
struct Handover {
    left: Vec<String>,
    joined: Vec<String>,
    roles: Vec<String>,
    /// Nobody holds the roles now; somebody held them before.
    vacant: bool,
    /// Somebody held the roles before.
    was_held: bool,
}

fn roles(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    let mut handovers: Vec<Handover> = Vec::new();
    for role in &new.roles {
        let Some(before) = old.role(&role.id) else {
            let now = holders(new, &role.id);
            out.push(if now.is_empty() {
                format!("New role: {}.", role.title)
            } else {
                format!("New role: {}, held by {}.", role.title, names(&now))
            });
            continue;
        };
        if before.title != role.title {
            out.push(format!(
                "The role {} is now called {}.",
                before.title, role.title
            ));
        }
        let was = holders(old, &role.id);
        let now = holders(new, &role.id);
        let left: Vec<String> = was.iter().filter(|n| !now.contains(n)).cloned().collect();
        let joined: Vec<String> = now.iter().filter(|n| !was.contains(n)).cloned().collect();
        if left.is_empty() && joined.is_empty() {
            continue;
        }
        let (vacant, was_held) = (now.is_empty(), !was.is_empty());
        match handovers.iter_mut().find(|h| {
            h.left == left && h.joined == joined && h.vacant == vacant && h.was_held == was_held
        }) {
            Some(handover) => handover.roles.push(role.title.clone()),
            None => handovers.push(Handover {
                left,
                joined,
                roles: vec![role.title.clone()],
                vacant,
                was_held,
            }),
        }
    }
    for h in handovers {
        let verb = |list: &[String], one: &str, many: &str| {
            if list.len() == 1 { one } else { many }.to_string()
        };
        let roles = names(&h.roles);
        let nobody = if h.roles.len() == 1 {
            "; nobody holds it now"
        } else {
            "; nobody holds them now"
        };
        out.push(match (h.left.is_empty(), h.joined.is_empty()) {
            (false, false) => format!(
                "{} no longer {} {roles}; {} {}.",
                names(&h.left),
                verb(&h.left, "holds", "hold"),
                names(&h.joined),
                verb(&h.joined, "does", "do"),
            ),
            (false, true) => format!(
                "{} no longer {} {roles}{}.",
                names(&h.left),
                verb(&h.left, "holds", "hold"),
                if h.vacant { nobody } else { "" }
            ),
            _ => format!(
                "{} now {} {roles}{}.",
                names(&h.joined),
                verb(&h.joined, "holds", "hold"),
                if h.was_held { " as well" } else { "" }
            ),
        });
    }
    for role in &old.roles {
        if new.role(&role.id).is_none() {
            out.push(format!("The role {} was removed.", role.title));
        }
    }
}

fn people(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    for person in &new.people {
        match old.person(&person.id) {
            Some(before) if before.name != person.name => {
                out.push(format!("{} is now named {}.", before.name, person.name))
            }
            Some(before) => {
                let contact = |p: &crate::model::Person| {
                    p.contact
                        .as_ref()
                        .map(|c| (c.email.clone(), c.phone.clone()))
                };
                if contact(before) != contact(person) {
                    out.push(format!("{}’s contact details changed.", person.name));
                }
            }
            None if person.roles.is_empty() => {
                out.push(format!("{} was added to the who’s who.", person.name));
            }
            None => {}
        }
    }
    for person in &old.people {
        if new.person(&person.id).is_none() && person.roles.is_empty() {
            out.push(format!("{} was removed from the who’s who.", person.name));
        }
    }
}

fn dates(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    for date in &new.dates {
        match old.dates.iter().find(|d| d.id == date.id) {
            Some(before) if before.date != date.date => out.push(format!(
                "{} moved from {} to {}.",
                date.title,
                before.date.long(),
                date.date.long()
            )),
            Some(_) => {}
            None => out.push(format!("New date: {}, {}.", date.title, date.date.long())),
        }
    }
    for date in &old.dates {
        if !new.dates.iter().any(|d| d.id == date.id) {
            out.push(format!("The date “{}” was removed.", date.title));
        }
    }
}

fn checks(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    let owners = |revision: &Revision, ids: &[String]| -> String {
        let titles: Vec<String> = ids
            .iter()
            .map(|id| {
                revision
                    .role(id)
                    .map_or_else(|| id.clone(), |r| r.title.clone())
            })
            .collect();
        names(&titles)
    };
    for check in &new.checks {
        let Some(before) = old.checks.iter().find(|c| c.id == check.id) else {
            out.push(format!(
                "New check: {}, every {}.",
                check.title,
                check.every.describe()
            ));
            continue;
        };
        if before.every != check.every {
            out.push(format!(
                "{} is now every {} (was every {}).",
                check.title,
                check.every.describe(),
                before.every.describe()
            ));
        }
        let (was, now) = (owners(old, &before.owners), owners(new, &check.owners));
        if was != now {
            out.push(format!(
                "{} is now carried out by {} (was {}).",
                check.title, now, was
            ));
        }
        if before.last_done != check.last_done
            && let Some(done) = check.last_done
        {
            out.push(format!("{} was last done {}.", check.title, on_or_in(done)));
        }
    }
    for check in &old.checks {
        if !new.checks.iter().any(|c| c.id == check.id) {
            out.push(format!("The check “{}” was removed.", check.title));
        }
    }
}

fn organisations(old: &Revision, new: &Revision, view: Option<&str>, out: &mut Vec<String>) {
    let listed =
        |o: &&crate::model::Organisation| view.is_none_or(|v| o.views.iter().any(|x| x == v));
    for org in new.organisations.iter().filter(listed) {
        match old.organisation(&org.id).filter(listed) {
            None => out.push(match &org.url {
                Some(url) => format!("Organisation added: {} ({url}).", org.name),
                None => format!("Organisation added: {}.", org.name),
            }),
            Some(before) => {
                if before.name != org.name {
                    out.push(format!("{} is now called {}.", before.name, org.name));
                }
                if before.url != org.url {
                    out.push(match (&before.url, &org.url) {
                        (Some(was), Some(now)) => {
                            format!("{} address changed from {was} to {now}.", org.name)
                        }
                        (None, Some(now)) => format!("{} now has an address: {now}.", org.name),
                        _ => format!("{} no longer has an address.", org.name),
                    });
                }
            }
        }
    }
    for org in old.organisations.iter().filter(listed) {
        if new.organisation(&org.id).filter(listed).is_none() {
            out.push(format!("Organisation removed: {}.", org.name));
        }
    }
}

fn documents(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    let titled = |d: &crate::model::Document| match d.edition {
        Some(year) => format!("{} ({year})", d.title),
        None => d.title.clone(),
    };
    for doc in &new.documents {
        match old.document(&doc.id) {
            None => out.push(format!("The policy now cites {}.", titled(doc))),
            Some(before) => {
                match (before.edition, doc.edition) {
                    (Some(was), Some(now)) if was != now => out.push(format!(
                        "{} is now cited in its {now} edition (was {was}).",
                        doc.title
                    )),
                    (Some(was), None) => out.push(format!(
                        "{} is now cited without an edition year (was {was}).",
                        doc.title
                    )),
                    (None, Some(now)) => {
                        out.push(format!("{} is now cited in its {now} edition.", doc.title));
                    }
                    _ => {}
                }
                match (&before.url, &doc.url) {
                    (None, Some(url)) => out.push(format!("{} is now linked: {url}.", doc.title)),
                    (Some(_), Some(url)) if before.url != doc.url => {
                        out.push(format!("{} has a new address: {url}.", doc.title));
                    }
                    _ => {}
                }
            }
        }
    }
    for doc in &old.documents {
        if new.document(&doc.id).is_none() {
            out.push(format!("The policy no longer cites {}.", titled(doc)));
        }
    }
}

fn strands(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    for section in &new.sections {
        let before: &[String] = old.section(&section.id).map_or(&[], |s| &s.strands);
        let added: Vec<String> = section
            .strands
            .iter()
            .filter(|s| !before.contains(s))
            .cloned()
            .collect();
        let dropped: Vec<String> = before
            .iter()
            .filter(|s| !section.strands.contains(s))
            .cloned()
            .collect();
        if !added.is_empty() {
            out.push(format!(
                "‘{}’ now covers the strand{} {}.",
                section.title,
                if added.len() == 1 { "" } else { "s" },
                names(&added)
            ));
        }
        if !dropped.is_empty() {
            out.push(format!(
                "‘{}’ no longer covers the strand{} {}.",
                section.title,
                if dropped.len() == 1 { "" } else { "s" },
                names(&dropped)
            ));
        }
    }
}

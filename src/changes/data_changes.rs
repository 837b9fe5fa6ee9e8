//! Changes to data/ between two revisions, in sentences a governor reads:
//! who holds which role, role titles, the review date and other dates,
//! recurring checks, organisations and their addresses, publications,
//! which curriculum strands sections cover, and the curriculum: its
//! framework, its units and the gaps it opened or closed.

use crate::curriculum::Coverage;
use crate::model::{Curriculum, PolicyDate, Revision, Unit};

/// Every data change from `old` to `new`, in a fixed order: review date,
/// roles and people, dates and checks, organisations, publications,
/// strands, curriculum. Organisations are those `view` lists (all when
/// `None`); `pairs` are the ids of sections matched across the revisions.
pub fn sentences(
    old: &Revision,
    new: &Revision,
    view: Option<&str>,
    pairs: &[(&str, &str)],
) -> Vec<String> {
    let mut out = Vec::new();
    if old.next_review != new.next_review {
        out.push(format!(
            "The next review of the policy moved from {} to {}.",
            maybe_date(old.next_review),
            maybe_date(new.next_review)
        ));
    }
    roles(old, new, &mut out);
    people(old, new, view, &mut out);
    dates(old, new, &mut out);
    checks(old, new, &mut out);
    organisations(old, new, view, &mut out);
    documents(old, new, &mut out);
    strands(old, new, pairs, &mut out);
    curriculum(old, new, &mut out);
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
    crate::prose::list(list, "and")
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

fn people(old: &Revision, new: &Revision, view: Option<&str>, out: &mut Vec<String>) {
    for person in &new.people {
        match old.person(&person.id) {
            Some(before) if before.name != person.name => {
                out.push(format!("{} is now named {}.", before.name, person.name))
            }
            Some(before) => {
                // Only the contact details `view` shows: a change to ones
                // only another view (a restricted one) shows is not its news.
                let contact = |p: &crate::model::Person| {
                    p.contact
                        .as_ref()
                        .filter(|c| view.is_none_or(|v| c.views.iter().any(|x| x == v)))
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
    let titled = |d: &crate::model::Publication| match d.edition {
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

fn strand_names(revision: &Revision, ids: &[String]) -> String {
    let named: Vec<String> = ids
        .iter()
        .map(|id| {
            revision
                .framework
                .strand(id)
                .map_or_else(|| id.clone(), |s| s.name.clone())
        })
        // Strand names hold commas and "and" themselves.
        .map(|name| format!("‘{name}’"))
        .collect();
    names(&named)
}

fn strands(old: &Revision, new: &Revision, pairs: &[(&str, &str)], out: &mut Vec<String>) {
    for (old_id, new_id) in pairs {
        let (Some(was), Some(section)) = (old.section(old_id), new.section(new_id)) else {
            continue;
        };
        let before = &was.strands;
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
                strand_names(new, &added)
            ));
        }
        if !dropped.is_empty() {
            out.push(format!(
                "‘{}’ no longer covers the strand{} {}.",
                section.title,
                if dropped.len() == 1 { "" } else { "s" },
                strand_names(old, &dropped)
            ));
        }
    }
}

/// The framework's strands, then the curriculum: year groups, units by
/// provider, and which strands each year group gained or lost.
fn curriculum(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    let (before, after) = (&old.framework, &new.framework);
    if before.name != after.name {
        out.push(format!(
            "The curriculum is now matched against {} instead of {}.",
            after.name, before.name
        ));
    }
    for strand in &after.strands {
        match before.strand(&strand.id) {
            None => out.push(format!("The framework now has the strand {}.", strand.name)),
            Some(was) if was.name != strand.name => out.push(format!(
                "The strand {} is now called {}.",
                was.name, strand.name
            )),
            Some(_) => {}
        }
    }
    for strand in &before.strands {
        if after.strand(&strand.id).is_none() {
            out.push(format!(
                "The framework no longer has the strand {}.",
                strand.name
            ));
        }
    }
    match (&old.curriculum, &new.curriculum) {
        (None, None) => {}
        (Some(_), None) => out.push("The curriculum map was removed.".into()),
        (None, Some(map)) => {
            let units: usize = map.years.iter().map(|y| y.units.len()).sum();
            out.push(format!(
                "A curriculum map was added: {} across {}.",
                count(units, "unit"),
                count(map.years.len(), "year group")
            ));
        }
        (Some(was), Some(map)) => {
            for year in &map.years {
                if was.year(&year.id).is_none() {
                    out.push(format!("{} was added to the curriculum map.", year.name));
                }
            }
            for year in &was.years {
                if map.year(&year.id).is_none() {
                    out.push(format!(
                        "{} was removed from the curriculum map.",
                        year.name
                    ));
                }
            }
            units(old, new, out);
            coverage(old, new, out);
        }
    }
}

/// "1 unit", "22 units".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Units matched by year group and name: those added and removed counted
/// by provider ("22 Project Evolve units were added."), those changed told
/// one by one.
fn units(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    let (Some(before), Some(after)) = (&old.curriculum, &new.curriculum) else {
        return;
    };
    // (provider, added, removed), in order of first mention.
    let mut tally: Vec<(String, usize, usize)> = Vec::new();
    let mut note = |provider: &str, added: bool| {
        let at = tally
            .iter()
            .position(|t| t.0 == provider)
            .unwrap_or_else(|| {
                tally.push((provider.to_string(), 0, 0));
                tally.len() - 1
            });
        if added {
            tally[at].1 += 1;
        } else {
            tally[at].2 += 1;
        }
    };
    let find = |curriculum: &'_ Curriculum, year: &str, name: &str| -> Option<Unit> {
        curriculum
            .year(year)
            .and_then(|y| y.units.iter().find(|u| u.name == name).cloned())
    };
    let mut changed = Vec::new();
    for year in &after.years {
        for unit in &year.units {
            match find(before, &year.id, &unit.name) {
                None => note(&unit.provider, true),
                Some(was) if was != *unit => {
                    changed.push(unit_change(old, new, &year.name, &was, unit));
                }
                Some(_) => {}
            }
        }
    }
    for year in &before.years {
        for unit in &year.units {
            if after.year(&year.id).is_some() && find(after, &year.id, &unit.name).is_none() {
                note(&unit.provider, false);
            }
        }
    }
    for (provider, added, removed) in tally {
        for (n, what) in [(added, "added"), (removed, "removed")] {
            match n {
                0 => {}
                1 => out.push(format!("1 {provider} unit was {what}.")),
                n => out.push(format!("{n} {provider} units were {what}.")),
            }
        }
    }
    out.extend(changed);
}

/// "‘Telling a grown-up’ (Year 1) moved from Summer 1 to Autumn 2; now
/// also teaches ‘Privacy and passwords’."
fn unit_change(old: &Revision, new: &Revision, year: &str, was: &Unit, unit: &Unit) -> String {
    let mut parts = Vec::new();
    if was.term != unit.term {
        parts.push(format!(
            "moved from {} to {}",
            was.term.name(),
            unit.term.name()
        ));
    }
    if was.provider != unit.provider {
        parts.push(format!(
            "now comes from {} instead of {}",
            unit.provider, was.provider
        ));
    }
    let gained: Vec<String> = unit
        .strands
        .iter()
        .filter(|s| !was.strands.contains(s))
        .cloned()
        .collect();
    let lost: Vec<String> = was
        .strands
        .iter()
        .filter(|s| !unit.strands.contains(s))
        .cloned()
        .collect();
    if !gained.is_empty() {
        parts.push(format!("now also teaches {}", strand_names(new, &gained)));
    }
    if !lost.is_empty() {
        parts.push(format!("no longer teaches {}", strand_names(old, &lost)));
    }
    if parts.is_empty() {
        parts.push("has new details (summary, statements or link)".into());
    }
    format!("‘{}’ ({year}) {}.", unit.name, parts.join("; "))
}

/// For each strand, the year groups (in both revisions) that gained or
/// lost their last unit for it: gaps closed and gaps opened.
fn coverage(old: &Revision, new: &Revision, out: &mut Vec<String>) {
    let (Some(before), Some(after)) = (Coverage::of_revision(old), Coverage::of_revision(new))
    else {
        return;
    };
    for (s, strand) in new.framework.strands.iter().enumerate() {
        let Some(was) = old.framework.strands.iter().position(|x| x.id == strand.id) else {
            continue;
        };
        let mut gained = Vec::new();
        let mut lost = Vec::new();
        for (y, year) in after.curriculum.years.iter().enumerate() {
            let Some(old_y) = before.curriculum.years.iter().position(|x| x.id == year.id) else {
                continue;
            };
            let taught = !after.units(s, y).is_empty();
            let was_taught = !before.units(was, old_y).is_empty();
            if taught && !was_taught {
                gained.push(year.name.clone());
            } else if was_taught && !taught {
                lost.push(year.name.clone());
            }
        }
        if !gained.is_empty() {
            out.push(format!(
                "{} is now taught in {}, where it was a gap.",
                strand.name,
                names(&gained)
            ));
        }
        if !lost.is_empty() {
            out.push(format!(
                "{} is no longer taught in {}: a new gap.",
                strand.name,
                names(&lost)
            ));
        }
    }
}

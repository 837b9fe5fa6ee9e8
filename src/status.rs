//! `policyweb status`: what the online safety lead must attend to, on one
//! screen, and the gate `--strict` puts on CI. It gathers what other stages
//! already decide (the schedule, approval wording, curriculum gaps, the last
//! link report) into plain data, `StatusReport`, which is printed either as JSON
//! or as the terminal screen written here. It reads nothing of its own
//! except the link report, and goes online never.

use crate::ansi::{BOLD, RED, YELLOW};
use std::fmt::Write;

use serde::Serialize;

use crate::links::external::report;
use crate::model::link_report::{Counts, LinkOutcome, Report};
use crate::model::{Approval, PolicyDate, Revision, Site};
use crate::schedule::{self, Due, Kind};

/// Everything the screen shows, as data (and as `--format json`).
#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub school: String,
    pub policy: String,
    /// The day the status is worked out for, `2024-06-01`.
    pub today: String,
    /// Days before a due date that reminders start (site.yaml).
    pub reminder_days: u32,
    /// The revision in force; `None` while nothing is approved yet.
    pub revision: Option<InForce>,
    /// The id of the draft awaiting approval, if there is one.
    pub draft: Option<String>,
    /// The revision checks, vacant roles and curriculum gaps come from:
    /// the newest, where the lead records them.
    pub newest: String,
    /// The policy's own next review; `None` when no date is set.
    pub next_review: Option<DueDate>,
    /// reviews.yaml's dates marked `deadline: true`.
    pub deadlines: Vec<DueDate>,
    pub checks: Vec<CheckDue>,
    pub vacant_roles: Vec<VacantRole>,
    pub curriculum: CurriculumGaps,
    /// How the links stood at the last `policyweb check`; `None` before one.
    pub links: Option<LinkHealth>,
    /// For a site built on a template: what the newest revision has not
    /// adopted yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateStatus>,
    /// What `--strict` fails on, one phrase each.
    pub to_attend_to: Vec<String>,
}

/// The approved revision parents and staff read.
#[derive(Debug, Serialize)]
pub struct InForce {
    pub id: String,
    /// "Approved by the Full Governing Body on 13 March 2024".
    pub approval: String,
    pub approved_on: Option<String>,
    /// Approved with `approved: unrecorded`: a date to find and record.
    pub date_unrecorded: bool,
}

/// Something due on a date: the policy review or a deadline.
#[derive(Debug, Serialize)]
pub struct DueDate {
    pub title: String,
    /// "September 2024" or "20 June 2024"; `None` for a check never done.
    pub due: Option<String>,
    pub due_iso: Option<String>,
    /// Days from today to the last day it covers; negative once overdue.
    pub days_left: Option<i64>,
    pub state: State,
}

/// A recurring check from reviews.yaml.
#[derive(Debug, Serialize)]
pub struct CheckDue {
    #[serde(flatten)]
    pub due: DueDate,
    /// The titles of the roles that carry it out.
    pub owners: Vec<String>,
    /// "every year".
    pub every: String,
    pub last_done: Option<String>,
    pub last_done_iso: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Overdue,
    /// Inside the reminder period.
    Soon,
    Upcoming,
    /// A check with no record of ever being done.
    NotRecorded,
}

impl From<&Due> for State {
    fn from(due: &Due) -> State {
        match due {
            Due::Overdue => State::Overdue,
            Due::Soon => State::Soon,
            Due::Upcoming => State::Upcoming,
            Due::NotRecorded => State::NotRecorded,
        }
    }
}

/// A role in roles.yaml that nobody in people.yaml holds.
#[derive(Debug, Serialize)]
pub struct VacantRole {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct CurriculumGaps {
    /// Whether the newest revision keeps a curriculum.yaml at all.
    pub mapped: bool,
    /// One sentence a strand with a gap.
    pub gaps: Vec<String>,
}

/// The template's newest approved revision against the newest revision's
/// pin.
#[derive(Debug, Serialize)]
pub struct TemplateStatus {
    pub name: String,
    /// The template revision the newest revision is pinned to.
    pub pinned: Option<String>,
    /// The template's newest approved revision.
    pub newest: Option<String>,
    /// Template changes not yet adopted, of every kind; `None` when the
    /// template could not be read whole.
    pub not_adopted: Option<usize>,
    pub counts: Option<crate::changes::template::Counts>,
    /// The first approved template revision not adopted, when it was
    /// approved and how many days ago.
    pub waiting: Option<String>,
    pub waiting_since: Option<String>,
    pub waiting_days: Option<i64>,
    /// `template_grace_days` in site.yaml (default 90).
    pub grace_days: u32,
}

/// The last link report, in brief.
#[derive(Debug, Serialize)]
pub struct LinkHealth {
    pub checked_at: String,
    /// `2026-11-20`.
    pub checked_on: String,
    pub counts: Counts,
    /// "58 links: 55 fine, 2 broken, 1 moved", as `policyweb check` says it.
    pub summary: String,
    pub broken: Vec<BrokenLink>,
    pub moved: Vec<MovedLink>,
}

#[derive(Debug, Serialize)]
pub struct BrokenLink {
    pub url: String,
    pub reason: String,
    pub places: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct MovedLink {
    pub url: String,
    pub to: String,
    pub places: Vec<String>,
}

/// Gathers the status of a loaded site on `site.today`.
pub fn status(site: &Site) -> StatusReport {
    let today = site.today;
    let newest = site.newest();
    let items = schedule::items(site);
    let due_date = |item: &schedule::Item| DueDate {
        title: item.title.clone(),
        due: item.due.map(|d| d.long()),
        due_iso: item.due.map(|d| d.iso()),
        days_left: item.due.map(|d| (d.last_day() - today).num_days()),
        state: State::from(&item.state),
    };
    let mut next_review = None;
    let mut deadlines = Vec::new();
    let mut checks = Vec::new();
    for item in &items {
        match item.kind {
            Kind::Review => next_review = Some(due_date(item)),
            Kind::Deadline => deadlines.push(due_date(item)),
            Kind::Check(check) => checks.push(CheckDue {
                due: due_date(item),
                owners: check
                    .owners
                    .iter()
                    .filter_map(|o| newest.role(o))
                    .map(|r| r.title.clone())
                    .collect(),
                every: check.every.describe(),
                last_done: check.last_done.map(|d| d.long()),
                last_done_iso: check.last_done.map(|d| d.iso()),
            }),
        }
    }
    let revision = site.current().map(in_force);
    let mut status = StatusReport {
        school: site.settings.school.name.clone(),
        policy: site.settings.policy_title.clone(),
        today: PolicyDate::from_naive(today).iso(),
        reminder_days: site.settings.reminder_days,
        revision,
        draft: site.draft().map(|d| d.id.clone()),
        newest: newest.id.clone(),
        next_review,
        deadlines,
        checks,
        vacant_roles: vacant_roles(newest),
        curriculum: CurriculumGaps {
            mapped: newest.curriculum.is_some(),
            gaps: crate::curriculum::gap_sentences(newest),
        },
        links: report::load(&site.root).map(|r| link_health(&r)),
        template: template_status(site),
        to_attend_to: Vec::new(),
    };
    status.to_attend_to = attention(&status);
    for placeholder in crate::validate::placeholders::left_in(&site.sources) {
        if let Some(place) = placeholder.location(&site.sources) {
            status.to_attend_to.push(format!(
                "a placeholder from `policyweb init` is left in {}:{}",
                place.file, place.line
            ));
        }
    }
    status
}

fn template_status(site: &Site) -> Option<TemplateStatus> {
    use crate::changes::template::Standing;
    let standing = crate::changes::template::working(site)?;
    let pinned = site.newest().template.as_ref().map(|t| t.pin.clone());
    let mut status = TemplateStatus {
        name: String::new(),
        pinned,
        newest: None,
        not_adopted: Some(0),
        counts: None,
        waiting: None,
        waiting_since: None,
        waiting_days: None,
        grace_days: site.settings.template_grace_days,
    };
    match standing {
        Standing::Unreadable { template, .. } => {
            status.name = template;
            status.not_adopted = None;
        }
        Standing::NothingApproved { template } => status.name = template,
        Standing::UpToDate { template, pinned } => {
            status.name = template;
            status.newest = Some(pinned);
        }
        Standing::Behind {
            changes,
            waiting,
            waiting_since,
            waiting_days,
        } => {
            status.name = changes.template.clone();
            status.newest = Some(changes.newest.clone());
            status.not_adopted = Some(changes.counts.total());
            status.counts = Some(changes.counts);
            status.waiting = Some(waiting);
            status.waiting_since = waiting_since;
            status.waiting_days = waiting_days;
        }
    }
    Some(status)
}

fn in_force(revision: &Revision) -> InForce {
    let (approved_on, date_unrecorded) = match &revision.approval {
        Approval::Approved { date, .. } => (date.map(|d| d.iso()), date.is_none()),
        Approval::Draft => (None, false),
    };
    InForce {
        id: revision.id.clone(),
        approval: crate::render::context::revision_info(revision).approval,
        approved_on,
        date_unrecorded,
    }
}

fn vacant_roles(revision: &Revision) -> Vec<VacantRole> {
    revision
        .roles
        .iter()
        .filter(|role| revision.holders(&role.id).next().is_none())
        .map(|role| VacantRole {
            id: role.id.clone(),
            title: role.title.clone(),
        })
        .collect()
}

fn link_health(report: &Report) -> LinkHealth {
    let mut broken = Vec::new();
    let mut moved = Vec::new();
    for link in &report.links {
        match &link.outcome {
            LinkOutcome::Broken { reason, .. } => broken.push(BrokenLink {
                url: link.url.clone(),
                reason: reason.clone(),
                places: link.places.clone(),
            }),
            LinkOutcome::Moved { to, .. } => moved.push(MovedLink {
                url: link.url.clone(),
                to: to.clone(),
                places: link.places.clone(),
            }),
            LinkOutcome::Fine { .. }
            | LinkOutcome::Mail
            | LinkOutcome::Unchecked { .. }
            | LinkOutcome::Excluded => {}
        }
    }
    LinkHealth {
        checked_at: report.checked_at.clone(),
        checked_on: report.day(),
        counts: report.counts(),
        summary: report::summary(report),
        broken,
        moved,
    }
}

/// What fails `--strict`: anything overdue, every vacant role, an
/// approval date left unrecorded on the revision in force, and (added by
/// `status`) each placeholder from `init` left in content/ or data/. Checks never
/// recorded are shown but do not fail it (a new check has no record until
/// it is first done), nor do broken links, which `policyweb check` gates.
fn attention(status: &StatusReport) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(revision) = status.revision.as_ref().filter(|r| r.date_unrecorded) {
        found.push(format!(
            "the approval date of revision {} is not recorded",
            revision.id
        ));
    }
    let dated = status
        .next_review
        .iter()
        .chain(&status.deadlines)
        .chain(status.checks.iter().map(|c| &c.due));
    for item in dated.filter(|d| d.state == State::Overdue) {
        found.push(format!(
            "{} is overdue (due by {})",
            item.title,
            item.due.as_deref().unwrap_or("an unknown date")
        ));
    }
    for role in &status.vacant_roles {
        found.push(format!("nobody holds the role {}", role.title));
    }
    if let Some(template) = &status.template
        && let (Some(waiting), Some(days)) = (&template.waiting, template.waiting_days)
        && days > i64::from(template.grace_days)
    {
        found.push(format!(
            "template revision {waiting} of {} has waited {days} days unadopted (template_grace_days: {})",
            template.name, template.grace_days
        ));
    }
    found
}

impl StatusReport {
    /// Why `--strict` fails: one short phrase per problem.
    pub fn strict_failures(&self) -> Vec<String> {
        self.to_attend_to.clone()
    }
}

/// The screen: a heading line, then a group each for reviews and checks,
/// vacant roles, curriculum gaps and links. Colour only when `color`.
pub fn terminal(status: &StatusReport, color: bool) -> String {
    let paint = crate::ansi::painter(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint(BOLD, &format!("{} – {}", status.policy, status.school))
    );
    let _ = writeln!(out, "{}", revision_line(status));

    // Reviews and checks.
    let today =
        PolicyDate::parse(&status.today).map_or_else(|_| status.today.clone(), |d| d.long());
    let _ = writeln!(
        out,
        "\n{} (as of {today}; reminders start {} before a due date)",
        paint(BOLD, "Reviews and checks"),
        days(i64::from(status.reminder_days))
    );
    let mut rows: Vec<(State, &str, String)> = Vec::new();
    if let Some(review) = &status.next_review {
        rows.push((review.state, &review.title, due_phrase(review)));
    } else if status.revision.is_some() {
        rows.push((
            State::NotRecorded,
            "Review of this policy",
            "no date set (next_review in data/versions.yaml)".into(),
        ));
    }
    for deadline in &status.deadlines {
        rows.push((deadline.state, &deadline.title, due_phrase(deadline)));
    }
    for check in &status.checks {
        let mut phrase = due_phrase(&check.due);
        if let Some(done) = &check.last_done {
            let _ = write!(phrase, "; last done {done}");
        }
        rows.push((check.due.state, &check.due.title, phrase));
    }
    if rows.is_empty() {
        let _ = writeln!(out, "  Nothing is scheduled.");
    }
    let title_width = rows
        .iter()
        .map(|(_, title, _)| title.chars().count())
        .max()
        .unwrap_or(0);
    for (state, title, phrase) in &rows {
        let (label, code) = match state {
            State::Overdue => ("OVERDUE", Some(RED)),
            State::Soon => ("soon", Some(YELLOW)),
            State::Upcoming => ("ok", None),
            State::NotRecorded => ("no record", None),
        };
        let label = format!("{label:<9}");
        let label = code.map_or(label.clone(), |code| paint(code, &label));
        let _ = writeln!(out, "  {label}  {title:<title_width$}  {phrase}");
    }

    // Vacant roles.
    let _ = writeln!(
        out,
        "\n{} (revision {}; people and their roles are in data/people.yaml)",
        paint(BOLD, "Vacant roles"),
        status.newest
    );
    if status.vacant_roles.is_empty() {
        let _ = writeln!(out, "  No role is vacant.");
    }
    for role in &status.vacant_roles {
        let _ = writeln!(out, "  {} ({}): nobody holds it", role.title, role.id);
    }

    // Curriculum gaps.
    let _ = writeln!(
        out,
        "\n{} (revision {})",
        paint(BOLD, "Curriculum gaps"),
        status.newest
    );
    if !status.curriculum.mapped {
        let _ = writeln!(
            out,
            "  There is no curriculum map yet: add data/curriculum.yaml to see the gaps."
        );
    } else if status.curriculum.gaps.is_empty() {
        let _ = writeln!(
            out,
            "  No gaps: every strand is taught in every year group."
        );
    }
    for gap in &status.curriculum.gaps {
        let _ = writeln!(out, "  {gap}");
    }

    if let Some(template) = &status.template {
        out.push_str(&template_lines(status, template, &paint));
    }

    // Links.
    match &status.links {
        None => {
            let _ = writeln!(
                out,
                "\n{} have not been checked yet: run policyweb check.",
                paint(BOLD, "Links")
            );
        }
        Some(links) => {
            let checked = match PolicyDate::parse(&links.checked_on) {
                Ok(day) => {
                    let ago = PolicyDate::parse(&status.today)
                        .map(|today| (today.last_day() - day.last_day()).num_days())
                        .ok();
                    match ago {
                        Some(0) => format!("{}, today", day.long()),
                        Some(n) if n > 0 => format!("{}, {} ago", day.long(), days(n)),
                        _ => day.long(),
                    }
                }
                Err(_) => links.checked_on.clone(),
            };
            let _ = writeln!(out, "\n{} (checked {checked})", paint(BOLD, "Links"));
            let _ = writeln!(out, "  {}", links.summary);
            for link in &links.broken {
                let _ = writeln!(
                    out,
                    "  {}  {} ({}){}",
                    paint(RED, "broken"),
                    link.url,
                    link.reason,
                    places(&link.places)
                );
            }
            for link in &links.moved {
                let _ = writeln!(
                    out,
                    "  moved   {} (now {}){}",
                    link.url,
                    link.to,
                    places(&link.places)
                );
            }
        }
    }
    out
}

/// The template group: pinned where, and what is not adopted yet.
fn template_lines(
    status: &StatusReport,
    template: &TemplateStatus,
    paint: &dyn Fn(&str, &str) -> String,
) -> String {
    let mut out = String::new();
    let pinned = template.pinned.as_deref().unwrap_or("no revision");
    let _ = writeln!(
        out,
        "\n{} ({}: revision {} is built on its {pinned}; {})",
        paint(BOLD, "Template"),
        template.name,
        status.newest,
        template
            .newest
            .as_deref()
            .map_or("it has no approved revision".to_string(), |n| {
                format!("its newest approved is {n}")
            })
    );
    match (template.not_adopted, &template.counts) {
        (None, _) => {
            let _ = writeln!(
                out,
                "  The template has errors, so what changed in it cannot be counted; build it to see them."
            );
        }
        (Some(0), _) | (_, None) => {
            let _ = writeln!(out, "  Up to date: nothing to adopt.");
        }
        (Some(count), Some(counts)) => {
            let waited = match (&template.waiting, template.waiting_days) {
                (Some(waiting), Some(waited)) => {
                    let late = waited > i64::from(template.grace_days);
                    let phrase = format!(
                        "revision {waiting} approved {} ago{}",
                        days(waited),
                        if late {
                            format!(
                                ", past the {} allowed",
                                days(i64::from(template.grace_days))
                            )
                        } else {
                            String::new()
                        }
                    );
                    if late { paint(RED, &phrase) } else { phrase }
                }
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {count} template change{} not adopted ({}){}{waited}",
                if count == 1 { "" } else { "s" },
                crate::changes::template::count_phrases(counts).join(", "),
                if waited.is_empty() { "" } else { "; " }
            );
            let _ = writeln!(
                out,
                "  See them with policyweb template changes; take them in with policyweb template adopt {}.",
                template.newest.as_deref().unwrap_or("ID")
            );
        }
    }
    out
}

/// "Revision 2024-25: Approved by … on 13 March 2024. Draft 2025-26 is
/// awaiting approval."
fn revision_line(status: &StatusReport) -> String {
    let mut line = match &status.revision {
        Some(revision) => {
            let mut line = format!("Revision {}: {}.", revision.id, revision.approval);
            if revision.date_unrecorded {
                line.push_str(
                    " Find the date in the governors' minutes and record it in data/versions.yaml (approved: YYYY-MM-DD).",
                );
            }
            line
        }
        None => "No revision is approved yet.".to_string(),
    };
    if let Some(draft) = &status.draft {
        let _ = write!(line, " Draft {draft} is awaiting approval.");
    }
    line
}

/// "due by 20 June 2024 (in 19 days)", or for a check never done, what to
/// record.
fn due_phrase(item: &DueDate) -> String {
    match (&item.due, item.days_left) {
        (Some(due), Some(left)) => format!("due by {due} ({})", when(left)),
        _ => "never recorded as done (last_done in data/reviews.yaml)".into(),
    }
}

/// How far off a due date is, from days left (negative once overdue).
fn when(days_left: i64) -> String {
    match days_left {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n if n > 0 => format!("in {}", days(n)),
        n => format!("{} overdue", days(-n)),
    }
}

/// "1 day", "19 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// " – content/reporting.md:8:38, data/organisations.yaml:3:8".
fn places(places: &[String]) -> String {
    if places.is_empty() {
        String::new()
    } else {
        format!(" – {}", places.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ansi::RESET;

    #[test]
    fn days_left_read_as_english() {
        assert_eq!(when(0), "today");
        assert_eq!(when(1), "tomorrow");
        assert_eq!(when(19), "in 19 days");
        assert_eq!(when(-1), "1 day overdue");
        assert_eq!(when(-32), "32 days overdue");
    }

    fn due(state: State, days_left: Option<i64>) -> DueDate {
        DueDate {
            title: "Staff training".into(),
            due: days_left.map(|_| "2 September 2024".into()),
            due_iso: days_left.map(|_| "2024-09-02".into()),
            days_left,
            state,
        }
    }

    fn empty() -> StatusReport {
        StatusReport {
            school: "Hillside Primary School".into(),
            policy: "Online Safety Policy".into(),
            today: "2024-06-01".into(),
            reminder_days: 60,
            revision: Some(InForce {
                id: "2024-25".into(),
                approval: "Approved by the Full Governing Body on 13 March 2024".into(),
                approved_on: Some("2024-03-13".into()),
                date_unrecorded: false,
            }),
            draft: None,
            newest: "2024-25".into(),
            next_review: None,
            deadlines: Vec::new(),
            checks: Vec::new(),
            vacant_roles: Vec::new(),
            curriculum: CurriculumGaps {
                mapped: true,
                gaps: Vec::new(),
            },
            links: None,
            template: None,
            to_attend_to: Vec::new(),
        }
    }

    #[test]
    fn a_check_never_done_says_what_to_record() {
        assert_eq!(
            due_phrase(&due(State::NotRecorded, None)),
            "never recorded as done (last_done in data/reviews.yaml)"
        );
        assert_eq!(
            due_phrase(&due(State::Upcoming, Some(93))),
            "due by 2 September 2024 (in 93 days)"
        );
    }

    #[test]
    fn colour_marks_only_overdue_soon_and_broken() {
        let mut status = empty();
        status.deadlines = vec![
            due(State::Overdue, Some(-3)),
            due(State::Soon, Some(3)),
            due(State::Upcoming, Some(300)),
        ];
        let plain = terminal(&status, false);
        assert!(!plain.contains('\x1b'), "{plain}");
        let coloured = terminal(&status, true);
        assert!(
            coloured.contains(&format!("{RED}OVERDUE  {RESET}")),
            "{coloured}"
        );
        assert!(coloured.contains(&format!("{YELLOW}soon     {RESET}")));
        assert!(coloured.contains("  ok         Staff training"));
    }

    #[test]
    fn empty_groups_say_none_plainly() {
        let text = terminal(&empty(), false);
        assert!(text.contains("No role is vacant."), "{text}");
        assert!(text.contains("No gaps: every strand is taught in every year group."));
        assert!(text.contains("Review of this policy  no date set"));
        assert!(text.contains("Links have not been checked yet: run policyweb check."));
    }
}

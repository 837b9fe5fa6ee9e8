//! Rules for data/: shapes are checked by the YAML schema in `load`; here,
//! ids (valid, unique), references between files, dates, intervals and
//! addresses.

use std::collections::HashMap;

use super::Checker;
use crate::address;
use crate::ids::{is_valid_id, unknown_help};
use crate::load::entries::{DataFiles, SiteFile, Text, VersionEntry};
use crate::load::yaml::Document;
use crate::model::{
    Approval, Check, Contact, Curriculum, CurriculumPages, Fill, Framework, Interval, LinkCheck,
    NamedDate, Organisation, Person, PolicyDate, Publication, Role, School, Settings, View,
};
use serde_saphyr::Spanned;

/// Checks that each entry's id is well formed and used once; returns the ids.
pub(super) fn claim_ids<'e>(
    check: &mut Checker,
    document: &Document,
    ids: impl IntoIterator<Item = &'e Text>,
    kind: &str,
) -> Vec<String> {
    claim_entry_ids(check, ids.into_iter().map(|id| (document, id)), kind)
}

/// `claim_ids` for entries that may come from different files (a site's
/// own and its template's): each is reported in its own file, and an id is
/// "used twice" only within one file.
pub(super) fn claim_entry_ids<'e>(
    check: &mut Checker,
    ids: impl IntoIterator<Item = (&'e Document, &'e Text)>,
    kind: &str,
) -> Vec<String> {
    let mut seen: HashMap<(crate::diagnostics::SourceId, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (document, id) in ids {
        let line = id.referenced.line() as usize;
        if let Some(problem) = crate::ids::too_long(&id.value, kind) {
            check.error(
                document,
                id,
                problem,
                format!(
                    "use a short id of at most {} characters, such as `online-safety-lead`",
                    crate::ids::MAX_ID_CHARS
                ),
            );
        } else if !is_valid_id(&id.value) {
            check.error(
                document,
                id,
                format!(
                    "`{}` is not a valid {kind} id",
                    crate::prose::shorten(&id.value)
                ),
                "ids use lower-case letters, digits and hyphens, such as `online-safety-lead`",
            );
        } else if let Some(first) = seen.get(&(document.source, id.value.clone())) {
            check.error(
                document,
                id,
                format!(
                    "the {kind} id `{}` is used twice (first on line {first})",
                    id.value
                ),
                format!("give each {kind} its own id"),
            );
        } else {
            seen.insert((document.source, id.value.clone()), line);
        }
        out.push(id.value.clone());
    }
    out
}

/// Every id in `refs` must be one of `known`, defined in `file`.
pub(super) fn check_refs<'e>(
    check: &mut Checker,
    document: &Document,
    refs: impl IntoIterator<Item = &'e Text>,
    known: &[String],
    kind: &str,
    file: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let checkable = check.can_check(file);
    for reference in refs {
        if checkable && !known.contains(&reference.value) {
            let help = unknown_help(&reference.value, known.iter().map(String::as_str), file);
            check.error(
                document,
                reference,
                format!(
                    "unknown {kind} `{}`",
                    crate::prose::shorten(&reference.value)
                ),
                help,
            );
        }
        out.push(reference.value.clone());
    }
    out
}

pub(super) fn check_url(
    check: &mut Checker,
    document: &Document,
    url: &Text,
    allow_http: bool,
) -> String {
    if let Err(problem) = address::classify(&url.value, allow_http) {
        check.error(document, url, problem, address::help_for(&url.value));
    } else if address::classify(&url.value, false) == Ok(address::Target::Internal) {
        check.error(
            document,
            url,
            format!("`{}` is not a full address", url.value),
            "write the whole address, starting https://",
        );
    }
    url.value.trim().to_string()
}

/// An email address of the usual form: one `@` with a name before it and
/// a domain with a dot after it, no spaces, no `mailto:`.
pub(super) fn check_email(check: &mut Checker, document: &Document, email: &Text) -> String {
    let address = email.value.trim().to_string();
    // What goes into `mailto:` as it is: the name in RFC 5322's plain
    // characters (less `?`, which would start the address's headers),
    // the domain in labels of letters, digits and hyphens.
    let name_char = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=^_`{|}~.".contains(c);
    let label_ok = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let well_formed = match address.split_once('@') {
        Some((name, domain)) => {
            !name.is_empty()
                && name.chars().all(name_char)
                && domain.contains('.')
                && domain.split('.').all(label_ok)
        }
        None => false,
    };
    if !well_formed {
        check.error(
            document,
            email,
            format!("`{address}` is not an email address"),
            "write it as name@school.example",
        );
    }
    address
}

pub(super) fn parse_date(
    check: &mut Checker,
    document: &Document,
    value: &Text,
) -> Option<PolicyDate> {
    match PolicyDate::parse(&value.value) {
        Ok(date) => Some(date),
        Err(problem) => {
            check.error(
                document,
                value,
                problem,
                "dates are written YYYY-MM-DD, or YYYY-MM for a month",
            );
            None
        }
    }
}

/// The longest `template_grace_days` may be: a template revision left
/// unadopted for more than a year is no grace.
const MOST_GRACE_DAYS: u32 = 365;

/// Days an approved template revision may wait unadopted (default 90).
fn grace_days(check: &mut Checker, document: &Document, site: &SiteFile) -> u32 {
    let Some(days) = &site.template_grace_days else {
        return 90;
    };
    if days.value > MOST_GRACE_DAYS {
        check.error_at(
            document,
            days,
            format!(
                "{} days is too long to leave a template revision unadopted",
                days.value
            ),
            "write a number of days up to 365, such as 90",
        );
        return 90;
    }
    days.value
}

pub fn settings(check: &mut Checker, site: Option<&(Document, SiteFile)>) -> Option<Settings> {
    let (document, site) = site?;
    let school = School {
        name: check.text(document, &site.school.name, "school name"),
        website: site
            .school
            .website
            .as_ref()
            .map(|w| check_url(check, document, w, false)),
    };
    let ids = claim_ids(check, document, site.views.iter().map(|v| &v.id), "view");
    if site.views.is_empty() {
        check.diagnostics.push(
            crate::diagnostics::Diagnostic::error("site.yaml lists no views")
                .at(document.source, 0..0)
                .help("add views, such as parents, staff and governors; `policyweb explain site.yaml` shows how"),
        );
    }
    for view in &site.views {
        if crate::urls::taken_at_root(&view.id.value) {
            check.error(
                document,
                &view.id,
                format!(
                    "`{}` cannot be a view id: the site uses that address",
                    view.id.value
                ),
                "choose another id, such as `parents`",
            );
        }
    }
    let views = site
        .views
        .iter()
        .zip(ids)
        .map(|(view, id)| View {
            id,
            title: check.text(document, &view.title, "view title"),
            description: view.description.value.trim().to_string(),
            restricted: view.restricted,
            governance: view.governance,
            curriculum: curriculum_pages(check, document, view),
            template_marks: view.template_marks.unwrap_or(view.governance),
        })
        .collect();
    let base_url = match &site.base_url {
        None => "/".to_string(),
        Some(url) => match address::base_address(&url.value) {
            Ok(base) => base,
            Err(problem) => {
                check.error(
                    document,
                    url,
                    problem.to_string(),
                    address::NotABaseAddress::HELP,
                );
                problem.as_written
            }
        },
    };
    Some(Settings {
        school,
        policy_title: check.text(document, &site.policy.title, "policy title"),
        applies_from: site
            .policy
            .applies_from
            .as_ref()
            .and_then(|d| parse_date(check, document, d)),
        base_url,
        language: site
            .language
            .as_ref()
            .map_or("en-GB".into(), |l| l.value.trim().to_string()),
        theme: site
            .theme
            .as_ref()
            .map_or("default".into(), |t| t.value.trim().to_string()),
        views,
        reminder_days: site.reminder_days.as_ref().map_or(60, |d| d.value),
        template_grace_days: grace_days(check, document, site),
        link_check: link_check(check, document, site.link_check.as_ref()),
        accessibility: super::accessibility::statement(
            check,
            document,
            site.accessibility.as_ref(),
        ),
        paper_copy: site
            .paper_copy
            .as_ref()
            .map(|entry| super::paper_copy::paper_copy(check, document, entry)),
        restricted_out: site
            .restricted_out
            .as_ref()
            .map(|path| check.text(document, path, "restricted_out")),
    })
}

fn link_check(
    check: &mut Checker,
    document: &Document,
    entry: Option<&crate::load::entries::LinkCheckEntry>,
) -> LinkCheck {
    let mut settings = LinkCheck::default();
    let Some(entry) = entry else {
        return settings;
    };
    if let Some(codes) = &entry.accept {
        for code in codes {
            if !(100..=599).contains(&code.value) {
                check.error_at(
                    document,
                    code,
                    format!("{} is not an HTTP status code", code.value),
                    "status codes run from 100 to 599, such as 200 or 403",
                );
            }
        }
        settings.accept = codes.iter().map(|c| c.value).collect();
    }
    for pattern in &entry.exclude {
        if let Err(error) = regex::Regex::new(&pattern.value) {
            check.error(
                document,
                pattern,
                format!("`{}` is not a regular expression: {error}", pattern.value),
                "write a regular expression such as `^https://www\\.facebook\\.com/`",
            );
        }
    }
    settings.exclude = entry.exclude.iter().map(|p| p.value.clone()).collect();
    let positive = |check: &mut Checker, value: &Option<Spanned<usize>>, default: usize| match value
    {
        Some(v) if v.value == 0 => {
            check.error_at(
                document,
                v,
                "this must be at least 1".into(),
                "requests in flight at once: 1 or more",
            );
            default
        }
        Some(v) => v.value,
        None => default,
    };
    settings.concurrency = positive(check, &entry.concurrency, settings.concurrency);
    settings.per_host = positive(check, &entry.per_host, settings.per_host);
    if let Some(v) = &entry.timeout_seconds {
        settings.timeout_seconds = v.value.max(1);
    }
    if let Some(v) = &entry.retries {
        settings.retries = v.value;
    }
    if let Some(v) = &entry.interval_ms {
        settings.interval_ms = v.value;
    }
    if let Some(v) = &entry.cache_hours {
        settings.cache_hours = v.value;
    }
    limits(check, document, entry, &mut settings);
    settings
}

/// The bounds on one check: redirects, page size, the deadline and the
/// share of undecided links that fails it.
fn limits(
    check: &mut Checker,
    document: &Document,
    entry: &crate::load::entries::LinkCheckEntry,
    settings: &mut LinkCheck,
) {
    if let Some(v) = &entry.max_redirects {
        settings.max_redirects = v.value;
    }
    if let Some(v) = &entry.max_page_mb {
        match v
            .value
            .checked_mul(1_000_000)
            .filter(|&b| v.value > 0 && b <= 1 << 40)
        {
            Some(bytes) => settings.max_page_bytes = bytes,
            None => check.error_at(
                document,
                v,
                format!("{} MB is not a page size `check` can read", v.value),
                "write a whole number of megabytes from 1 to 1000000, such as 10",
            ),
        }
    }
    if let Some(v) = &entry.deadline_minutes {
        let deadline = (v.value > 0.0 && v.value <= 1440.0)
            .then(|| std::time::Duration::try_from_secs_f64(v.value * 60.0).ok())
            .flatten();
        match deadline {
            Some(deadline) => settings.deadline = deadline,
            None => check.error_at(
                document,
                v,
                format!("{} is not a deadline `check` can keep", v.value),
                "write the minutes the whole check may take, more than 0 and at most 1440, such as 10",
            ),
        }
    }
    if let Some(v) = &entry.max_undecided_percent {
        match u8::try_from(v.value).ok().filter(|&p| p <= 100) {
            Some(percent) => settings.max_undecided_percent = percent,
            None => check.error_at(
                document,
                v,
                format!("{} is not a percentage", v.value),
                "write a share from 0 to 100, such as 10",
            ),
        }
    }
}

/// The curriculum pages a view lists in site.yaml; without the key, a
/// governance view shows all of them and any other view all but the gaps.
fn curriculum_pages(
    check: &mut Checker,
    document: &Document,
    view: &crate::load::entries::ViewEntry,
) -> CurriculumPages {
    let Some(kinds) = &view.curriculum else {
        return CurriculumPages {
            years: true,
            map: true,
            strands: true,
            coverage: view.governance,
        };
    };
    let mut pages = CurriculumPages::default();
    for kind in kinds {
        match kind.value.trim() {
            "years" => pages.years = true,
            "map" => pages.map = true,
            "strands" => pages.strands = true,
            "coverage" => pages.coverage = true,
            other => check.error(
                document,
                kind,
                format!("`{other}` is not a kind of curriculum page"),
                format!(
                    "write some of {}, or `[]` for none",
                    CurriculumPages::KINDS.join(", ")
                ),
            ),
        }
    }
    pages
}

pub struct PolicyData {
    pub roles: Vec<Role>,
    pub people: Vec<Person>,
    pub organisations: Vec<Organisation>,
    pub documents: Vec<Publication>,
    pub dates: Vec<NamedDate>,
    pub checks: Vec<Check>,
    pub framework: Framework,
    pub curriculum: Option<Curriculum>,
}

pub fn policy_data(check: &mut Checker, data: &DataFiles, views: &[String]) -> PolicyData {
    let roles = roles(check, data);
    let role_ids: Vec<String> = roles.iter().map(|r| r.id.clone()).collect();
    let organisations = organisations(check, data, views);
    let organisation_ids: Vec<String> = organisations.iter().map(|o| o.id.clone()).collect();
    let framework = super::curriculum::framework(check, data);
    PolicyData {
        curriculum: super::curriculum::curriculum(check, data, &framework),
        framework,
        people: people(check, data, &role_ids, &organisation_ids, views),
        documents: documents(check, data),
        dates: dates(check, data),
        checks: checks(check, data, &role_ids),
        roles,
        organisations,
    }
}

fn roles(check: &mut Checker, data: &DataFiles) -> Vec<Role> {
    let Some((document, entries)) = &data.roles else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        entries
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "role",
    );
    entries
        .iter()
        .zip(ids)
        .map(|(entry, id)| Role {
            id,
            title: check.text(
                entry.from.as_ref().unwrap_or(document),
                &entry.title,
                "role title",
            ),
            description: entry.description.value.trim().to_string(),
        })
        .collect()
}

fn people(
    check: &mut Checker,
    data: &DataFiles,
    roles: &[String],
    organisations: &[String],
    views: &[String],
) -> Vec<Person> {
    let Some((document, entries)) = &data.people else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        entries
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "person",
    );
    let mut people = Vec::new();
    for (entry, id) in entries.iter().zip(ids) {
        let document = entry.from.as_ref().unwrap_or(document);
        if entry.roles.value.is_empty() {
            check.error_at(
                document,
                &entry.roles,
                format!("{} holds no role", entry.name.value),
                "list at least one role id from roles.yaml",
            );
        }
        let person_roles = check_refs(
            check,
            document,
            &entry.roles.value,
            roles,
            "role",
            "data/roles.yaml",
        );
        let organisation = entry.organisation.as_ref().map(|o| {
            check_refs(
                check,
                document,
                [o],
                organisations,
                "organisation",
                "data/organisations.yaml",
            )
            .remove(0)
        });
        let contact = entry.contact.as_ref().map(|c| {
            let email = c.email.as_ref().map(|e| check_email(check, document, e));
            Contact {
                email,
                phone: c.phone.as_ref().map(|p| p.value.trim().to_string()),
                views: check_refs(check, document, &c.views, views, "view", "data/site.yaml"),
            }
        });
        people.push(Person {
            id,
            name: check.text(document, &entry.name, "name"),
            roles: person_roles,
            organisation,
            contact,
        });
    }
    people
}

fn organisations(check: &mut Checker, data: &DataFiles, views: &[String]) -> Vec<Organisation> {
    let Some((document, entries)) = &data.organisations else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        entries
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "organisation",
    );
    let mut out = Vec::new();
    for (entry, id) in entries.iter().zip(ids) {
        let document = entry.from.as_ref().unwrap_or(document);
        if let Some(url) = &entry.url
            && entry.allow_http
            && url.value.trim().starts_with("https:")
        {
            check.warning(
                document,
                url,
                "allow_http is set but the address already uses https".into(),
                "remove allow_http: true",
            );
        }
        out.push(Organisation {
            id,
            name: check.text(document, &entry.name, "organisation name"),
            url: entry
                .url
                .as_ref()
                .map(|u| check_url(check, document, u, entry.allow_http)),
            helps_with: entry
                .helps_with
                .as_ref()
                .map(|h| h.value.trim().to_string()),
            category: entry.category.as_ref().map(|c| c.value.trim().to_string()),
            views: match &entry.views {
                Some(list) => check_refs(check, document, list, views, "view", "data/site.yaml"),
                None => views.to_vec(),
            },
        });
    }
    out
}

fn documents(check: &mut Checker, data: &DataFiles) -> Vec<Publication> {
    let Some((document, entries)) = &data.documents else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        entries
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "document",
    );
    let mut out = Vec::new();
    for (entry, id) in entries.iter().zip(ids.iter()) {
        let document = entry.from.as_ref().unwrap_or(document);
        let superseded_by = entry.superseded_by.as_ref().map(|s| {
            check_refs(
                check,
                entry.superseded_from.as_ref().unwrap_or(document),
                [s],
                &ids,
                "document",
                "data/documents.yaml",
            )
            .remove(0)
        });
        if let Some(edition) = &entry.edition
            && !(1800..=2200).contains(&edition.value)
        {
            check.error_at(
                document,
                edition,
                format!("{} is not an edition year", edition.value),
                "write the year of the edition, such as 2024",
            );
        }
        out.push(Publication {
            id: id.clone(),
            title: check.text(document, &entry.title, "document title"),
            publisher: entry.publisher.as_ref().map(|p| p.value.trim().to_string()),
            edition: entry.edition.as_ref().map(|e| e.value),
            url: entry
                .url
                .as_ref()
                .map(|u| check_url(check, document, u, false)),
            superseded_by,
        });
    }
    out
}

/// The fill-ins a revision's text may use: declared (`prompt`) by the
/// site or a template above it, filled (`text`) by the nearest site that
/// gives words for it.
pub fn fills(check: &mut Checker, data: &DataFiles) -> Vec<Fill> {
    let Some((document, entries)) = &data.fills else {
        return Vec::new();
    };
    let located: Vec<(&Document, &crate::load::entries::FillEntry)> = entries
        .iter()
        .map(|e| (e.from.as_ref().unwrap_or(document), e))
        .collect();
    claim_entry_ids(check, located.iter().map(|(d, e)| (*d, &e.id)), "fill-in");
    let mut out: Vec<Fill> = Vec::new();
    let mut placed = Vec::new();
    for (document, entry) in &located {
        if entry.prompt.is_none() && entry.text.is_none() {
            check.error(
                document,
                &entry.id,
                format!("the fill-in `{}` has neither `prompt:` nor `text:`", entry.id.value),
                "a template declares a fill-in with `prompt:` (what it asks for); a school fills it in with `text:`",
            );
        }
        let prompt = entry
            .prompt
            .as_ref()
            .map(|p| check.text(document, p, "fill-in prompt"));
        let text = entry
            .text
            .as_ref()
            .map(|t| check.text(document, t, "fill-in text"));
        let id = entry.id.value.trim().to_string();
        let position = match out.iter().position(|f| f.id == id) {
            Some(position) => position,
            None => {
                out.push(Fill {
                    id: id.clone(),
                    prompt: String::new(),
                    text: None,
                    placeholder: false,
                });
                placed.push(None);
                out.len() - 1
            }
        };
        // Entries come nearest first: the site's own, then its template's.
        let fill = &mut out[position];
        if let Some(prompt) = prompt
            && fill.prompt.is_empty()
        {
            fill.prompt = prompt;
            fill.placeholder = entry.layer == 0;
        }
        if let Some(text) = text
            && fill.text.is_none()
        {
            fill.text = Some(text);
            placed[position] = Some((*document, &entry.id));
        }
    }
    let declared: Vec<String> = out
        .iter()
        .filter(|f| !f.prompt.is_empty())
        .map(|f| f.id.clone())
        .collect();
    for (fill, place) in out.iter().zip(&placed) {
        if let (true, Some((document, id))) = (fill.prompt.is_empty(), place) {
            let help = unknown_help(
                &fill.id,
                declared.iter().map(String::as_str),
                "the template's data/fills.yaml",
            );
            check.error(
                document,
                id,
                format!("`{}` fills in a fill-in no template declares", fill.id),
                help,
            );
        }
    }
    out.retain(|f| !f.prompt.is_empty());
    out
}

/// Date ids that come from versions.yaml and so cannot be redefined.
const REVISION_DATES: [&str; 2] = ["approved", "next-review"];

fn dates(check: &mut Checker, data: &DataFiles) -> Vec<NamedDate> {
    let Some((document, file)) = &data.reviews else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        file.dates
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "date",
    );
    let mut out = Vec::new();
    for (entry, id) in file.dates.iter().zip(ids) {
        let document = entry.from.as_ref().unwrap_or(document);
        if REVISION_DATES.contains(&id.as_str()) {
            check.error(
                document,
                &entry.id,
                format!("the date id `{id}` is taken from versions.yaml"),
                "record the approval and next review in data/versions.yaml; [[date:approved]] and [[date:next-review]] read them from there",
            );
        }
        let title = check.text(document, &entry.title, "date title");
        if let Some(date) = parse_date(check, document, &entry.date) {
            out.push(NamedDate {
                id,
                title,
                date,
                deadline: entry.deadline,
                met: entry
                    .met
                    .as_ref()
                    .and_then(|met| parse_date(check, document, met)),
                place: check.place(document, &entry.date),
            });
        }
    }
    out
}

fn checks(check: &mut Checker, data: &DataFiles, roles: &[String]) -> Vec<Check> {
    let Some((document, file)) = &data.reviews else {
        return Vec::new();
    };
    let ids = claim_entry_ids(
        check,
        file.checks
            .iter()
            .map(|e| (e.from.as_ref().unwrap_or(document), &e.id)),
        "check",
    );
    let mut out = Vec::new();
    for (entry, id) in file.checks.iter().zip(ids) {
        let document = entry.from.as_ref().unwrap_or(document);
        let owners = check_refs(
            check,
            document,
            &entry.owners,
            roles,
            "role",
            "data/roles.yaml",
        );
        let every = match Interval::parse(&entry.every.value) {
            Ok(interval) => interval,
            Err(problem) => {
                check.error(
                    document,
                    &entry.every,
                    problem,
                    "write how often, such as `12 months`",
                );
                continue;
            }
        };
        out.push(Check {
            id,
            title: check.text(document, &entry.title, "check title"),
            owners,
            every,
            last_done: entry
                .last_done
                .as_ref()
                .and_then(|d| parse_date(check, document, d)),
            notes: entry.notes.as_ref().map(|n| n.value.trim().to_string()),
            place: check.place(document, entry.last_done.as_ref().unwrap_or(&entry.id)),
        });
    }
    out
}

/// A revision's record in versions.yaml.
pub struct RevisionRecord {
    pub id: String,
    pub approval: Approval,
    pub next_review: Option<PolicyDate>,
    pub next_review_place: Option<crate::diagnostics::Place>,
}

/// Every entry of versions.yaml, in order; `None` where an entry is too
/// broken to use. Only the newest revision may be a draft.
pub fn revision_records(
    check: &mut Checker,
    versions: Option<&(Document, Vec<VersionEntry>)>,
) -> Vec<Option<RevisionRecord>> {
    let Some((document, entries)) = versions else {
        return Vec::new();
    };
    let ids = claim_ids(check, document, entries.iter().map(|e| &e.id), "revision");
    let mut records = Vec::new();
    for (position, (entry, id)) in entries.iter().zip(ids).enumerate() {
        let approval = match entry.status.value.trim() {
            "draft" => {
                if position + 1 < entries.len() {
                    check.error(
                        document,
                        &entry.status,
                        format!("revision {id} is a draft, but a newer revision follows it"),
                        "only the newest revision can be a draft: approve this one (`status: approved` with `approved:` and `approved_by:`), or remove it",
                    );
                }
                Approval::Draft
            }
            "approved" => approval(check, document, entry, &id),
            other => {
                check.error(
                    document,
                    &entry.status,
                    format!("`{other}` is not a revision status"),
                    "write `draft` or `approved`",
                );
                Approval::Draft
            }
        };
        records.push(Some(RevisionRecord {
            id,
            approval,
            next_review: entry
                .next_review
                .as_ref()
                .and_then(|d| parse_date(check, document, d)),
            next_review_place: entry.next_review.as_ref().map(|d| check.place(document, d)),
        }));
    }
    if records.is_empty() {
        check.diagnostics.push(
            crate::diagnostics::Diagnostic::error("versions.yaml lists no revision")
                .at(document.source, 0..0)
                .help("add the current revision: id, status, approved, approved_by, next_review"),
        );
    }
    records
}

fn approval(check: &mut Checker, document: &Document, entry: &VersionEntry, id: &str) -> Approval {
    let date = match &entry.approved {
        None => {
            check.error(
                document,
                &entry.status,
                format!("revision {id} is approved but has no approval date"),
                "add `approved: YYYY-MM-DD`, or `approved: unrecorded` if the date is not known",
            );
            None
        }
        Some(text) if text.value.trim() == "unrecorded" => None,
        Some(text) => parse_date(check, document, text),
    };
    let by = match &entry.approved_by {
        Some(by) => check.text(document, by, "approving body"),
        None => {
            check.error(
                document,
                &entry.status,
                format!("revision {id} is approved but does not say by whom"),
                "add `approved_by:`, such as `Full Governing Body`",
            );
            String::new()
        }
    };
    Approval::Approved {
        date,
        by,
        minute: entry.minute.as_ref().map(|m| m.value.trim().to_string()),
    }
}

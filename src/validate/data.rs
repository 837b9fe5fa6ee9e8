//! Rules for data/: shapes are checked by the YAML schema in `load`; here,
//! ids (valid, unique), references between files, dates, intervals and
//! addresses.

use std::collections::HashMap;

use super::{Checker, is_valid_id, unknown_help};
use crate::links;
use crate::load::data::{DataFiles, SiteFile, Text, VersionEntry};
use crate::load::yaml::Document;
use crate::model::{
    Approval, Check, Contact, Curriculum, CurriculumPages, Document as Publication, Framework,
    Interval, LinkCheck, NamedDate, Organisation, Person, PolicyDate, Role, School, Settings, View,
};
use serde_saphyr::Spanned;

/// Checks that each entry's id is well formed and used once; returns the ids.
pub(super) fn claim_ids<'e>(
    check: &mut Checker,
    document: &Document,
    ids: impl IntoIterator<Item = &'e Text>,
    kind: &str,
) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for id in ids {
        let line = id.referenced.line() as usize;
        if let Some(problem) = super::too_long(&id.value, kind) {
            check.error(
                document,
                id,
                problem,
                format!(
                    "use a short id of at most {} characters, such as `online-safety-lead`",
                    super::MAX_ID_CHARS
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
        } else if let Some(first) = seen.get(&id.value) {
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
            seen.insert(id.value.clone(), line);
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
    if let Err(problem) = links::classify(&url.value, allow_http) {
        check.error(document, url, problem, links::help_for(&url.value));
    } else if links::classify(&url.value, false) == Ok(links::Target::Internal) {
        check.error(
            document,
            url,
            format!("`{}` is not a full address", url.value),
            "write the whole address, starting https://",
        );
    }
    url.value.trim().to_string()
}

/// The address the site is served from, as `base_url` in site.yaml or
/// `policyweb build --base-url` gives it: a path from the host's root
/// (`/`), an https:// address, or http://localhost for a preview. It
/// always ends in `/`, since every page's address is appended to it, so
/// anything that would stop a page's address from following it (a query,
/// a fragment) or send it elsewhere (another host, `..`) is refused.
pub fn base_address(value: &str) -> Result<String, NotABaseAddress> {
    let value = value.trim();
    let as_written = format!("{}/", value.trim_end_matches('/'));
    match base_address_flaw(value) {
        None => Ok(as_written),
        Some(flaw) => Err(NotABaseAddress {
            value: value.to_string(),
            as_written,
            flaw,
        }),
    }
}

/// What, if anything, keeps `value` (trimmed) from being a base address.
/// The `url` crate reads the host and port; what it would quietly mend
/// (a space encoded, `..` resolved, `https:///x` read as host `x`) is
/// refused first, since it must be written right in site.yaml.
fn base_address_flaw(value: &str) -> Option<Flaw> {
    if value.is_empty() {
        return Some(Flaw::Empty);
    }
    let after_scheme = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    if after_scheme.is_none() && !value.starts_with('/') {
        return Some(Flaw::Unrecognised);
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(Flaw::Space);
    }
    if value.contains('\\') {
        return Some(Flaw::Backslash);
    }
    if value.contains('?') {
        return Some(Flaw::Query);
    }
    if value.contains('#') {
        return Some(Flaw::Fragment);
    }
    if value.split('/').any(is_parent_folder) {
        return Some(Flaw::ClimbsOut);
    }
    let Some(rest) = after_scheme else {
        return value.starts_with("//").then_some(Flaw::SchemeRelative);
    };
    let scheme = if value.starts_with("https") {
        "https"
    } else {
        "http"
    };
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    if authority.contains('@') {
        return Some(Flaw::UserInfo);
    }
    if authority.is_empty() || authority.starts_with(':') {
        return Some(Flaw::NoHost { scheme });
    }
    if authority.ends_with(':') {
        return Some(Flaw::BadPort(String::new()));
    }
    let url = match url::Url::parse(value) {
        Ok(url) => url,
        Err(url::ParseError::InvalidPort) => {
            let port = authority.rsplit_once(':').map_or("", |(_, port)| port);
            return Some(Flaw::BadPort(port.to_string()));
        }
        Err(_) => return Some(Flaw::BadHost(authority.to_string())),
    };
    let host = url.host_str().unwrap_or_default();
    // A URL may have an empty label (`school..example`); no host name does.
    if url
        .domain()
        .is_some_and(|name| name.split('.').any(str::is_empty))
    {
        return Some(Flaw::BadHost(host.to_string()));
    }
    (scheme == "http" && host != "localhost").then_some(Flaw::InsecureHttp)
}

/// `..`, also as browsers read it percent-encoded (`%2e%2e`, `.%2E`).
fn is_parent_folder(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(lower.as_str(), ".." | ".%2e" | "%2e." | "%2e%2e")
}

/// A `base_url` that is not an address the site can be served from.
#[derive(Debug, Clone)]
pub struct NotABaseAddress {
    /// The value as given (trimmed).
    pub value: String,
    /// The value with one `/` at its end, used while the rest of a site
    /// with this error is still checked (it is never written).
    pub as_written: String,
    flaw: Flaw,
}

/// Why a value is not a base address; each says so in words a school's
/// online safety lead can act on, with `NotABaseAddress::HELP` after it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Flaw {
    Empty,
    /// Neither a path nor an http(s):// address (`school.example/`, `ftp:`).
    Unrecognised,
    /// `//other.host/`: another host, not a path on this one.
    SchemeRelative,
    /// A space, tab, line break or other invisible character.
    Space,
    Backslash,
    Query,
    Fragment,
    /// `https://`, `https:///x`.
    NoHost {
        scheme: &'static str,
    },
    /// `https://name:password@school.example/`.
    UserInfo,
    BadHost(String),
    BadPort(String),
    /// http: for anything but localhost.
    InsecureHttp,
    /// A `..` folder.
    ClimbsOut,
}

impl NotABaseAddress {
    pub const HELP: &str = "write the address the site is served from, such as https://school.example/online-safety/ or /";
}

impl std::fmt::Display for NotABaseAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.flaw {
            Flaw::Empty => write!(f, "the base address is empty"),
            flaw => write!(f, "`{}` is not a base address: {flaw}", self.value),
        }
    }
}

impl std::fmt::Display for Flaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Flaw::Empty => write!(f, "it is empty"),
            Flaw::Unrecognised => write!(f, "it starts neither https:// nor /"),
            Flaw::SchemeRelative => write!(
                f,
                "it starts //, which names another host; a path on this one starts with a single /"
            ),
            Flaw::Space => write!(f, "it has a space, tab or line break in it"),
            Flaw::Backslash => write!(f, "it has a \\ in it, and addresses use /"),
            Flaw::Query => write!(
                f,
                "it has a `?` part, and pages' addresses cannot be added after one"
            ),
            Flaw::Fragment => write!(
                f,
                "it has a `#` part, and pages' addresses cannot be added after one"
            ),
            Flaw::NoHost { scheme } => write!(f, "it has no host name after {scheme}://"),
            Flaw::UserInfo => write!(
                f,
                "it has a user name or password before the host, which must not be published"
            ),
            Flaw::BadHost(host) => write!(f, "`{host}` is not a host name"),
            Flaw::BadPort(port) if port.is_empty() => {
                write!(f, "it has a `:` after the host but no port number")
            }
            Flaw::BadPort(port) => write!(f, "`{port}` is not a port number"),
            Flaw::InsecureHttp => write!(
                f,
                "it uses http:, which is not secure and is only for a preview at http://localhost"
            ),
            Flaw::ClimbsOut => write!(
                f,
                "its path goes up a folder with `..`; name the folder itself"
            ),
        }
    }
}

impl std::error::Error for NotABaseAddress {}

/// An email address of the usual form: one `@` with a name before it and
/// a domain with a dot after it, no spaces, no `mailto:`.
pub(super) fn check_email(check: &mut Checker, document: &Document, email: &Text) -> String {
    let address = email.value.trim().to_string();
    let well_formed = match address.split_once('@') {
        Some((name, domain)) => {
            !name.is_empty()
                && !name.contains(':')
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    } && !address.contains(char::is_whitespace);
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
    let reserved = [
        "all",
        "people",
        "assets",
        "changes",
        "versions",
        "curriculum",
        "restricted",
        "reviews",
        "accessibility",
    ];
    for view in &site.views {
        if reserved.contains(&view.id.value.as_str()) {
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
        })
        .collect();
    let base_url = match &site.base_url {
        None => "/".to_string(),
        Some(url) => match base_address(&url.value) {
            Ok(base) => base,
            Err(problem) => {
                check.error(document, url, problem.to_string(), NotABaseAddress::HELP);
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
    entry: Option<&crate::load::data::LinkCheckEntry>,
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
    entry: &crate::load::data::LinkCheckEntry,
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
    view: &crate::load::data::ViewEntry,
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
    let ids = claim_ids(check, document, entries.iter().map(|e| &e.id), "role");
    entries
        .iter()
        .zip(ids)
        .map(|(entry, id)| Role {
            id,
            title: check.text(document, &entry.title, "role title"),
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
    let ids = claim_ids(check, document, entries.iter().map(|e| &e.id), "person");
    let mut people = Vec::new();
    for (entry, id) in entries.iter().zip(ids) {
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
    let ids = claim_ids(
        check,
        document,
        entries.iter().map(|e| &e.id),
        "organisation",
    );
    let mut out = Vec::new();
    for (entry, id) in entries.iter().zip(ids) {
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
    let ids = claim_ids(check, document, entries.iter().map(|e| &e.id), "document");
    let mut out = Vec::new();
    for (entry, id) in entries.iter().zip(ids.iter()) {
        let superseded_by = entry.superseded_by.as_ref().map(|s| {
            check_refs(
                check,
                document,
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

/// Date ids that come from versions.yaml and so cannot be redefined.
const REVISION_DATES: [&str; 2] = ["approved", "next-review"];

fn dates(check: &mut Checker, data: &DataFiles) -> Vec<NamedDate> {
    let Some((document, file)) = &data.reviews else {
        return Vec::new();
    };
    let ids = claim_ids(check, document, file.dates.iter().map(|e| &e.id), "date");
    let mut out = Vec::new();
    for (entry, id) in file.dates.iter().zip(ids) {
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
    let ids = claim_ids(check, document, file.checks.iter().map(|e| &e.id), "check");
    let mut out = Vec::new();
    for (entry, id) in file.checks.iter().zip(ids) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn flaw(value: &str) -> Flaw {
        match base_address(value) {
            Ok(base) => panic!("`{value}` was taken as the base address `{base}`"),
            Err(problem) => problem.flaw,
        }
    }

    #[test]
    fn a_base_address_is_a_path_or_an_https_address_ending_in_a_slash() {
        for (value, base) in [
            ("/", "/"),
            ("/policies/online-safety", "/policies/online-safety/"),
            ("/policies/online-safety//", "/policies/online-safety/"),
            ("https://school.example", "https://school.example/"),
            (
                "https://school.example/policies/online-safety/",
                "https://school.example/policies/online-safety/",
            ),
            (
                " https://school.example:8443/a ",
                "https://school.example:8443/a/",
            ),
            ("https://[2001:db8::1]/", "https://[2001:db8::1]/"),
            ("https://école.example/", "https://école.example/"),
            ("http://localhost:8000/", "http://localhost:8000/"),
            ("http://localhost", "http://localhost/"),
        ] {
            assert_eq!(base_address(value).ok().as_deref(), Some(base), "{value}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        for (value, expected) in [
            ("", Flaw::Empty),
            ("   ", Flaw::Empty),
            ("school.example/policies/", Flaw::Unrecognised),
            ("ftp://school.example/", Flaw::Unrecognised),
            ("javascript:alert(1)", Flaw::Unrecognised),
            ("HTTPS://school.example/", Flaw::Unrecognised),
            ("//other.host/", Flaw::SchemeRelative),
            ("//", Flaw::SchemeRelative),
            ("https://", Flaw::NoHost { scheme: "https" }),
            ("https:///x", Flaw::NoHost { scheme: "https" }),
            ("https://:443/", Flaw::NoHost { scheme: "https" }),
            ("http://", Flaw::NoHost { scheme: "http" }),
            ("https://exa mple.org/", Flaw::Space),
            ("/online safety/", Flaw::Space),
            ("/a\tb", Flaw::Space),
            ("/policies\\online-safety", Flaw::Backslash),
            ("https://school.example/a?b=c", Flaw::Query),
            ("/?page=1", Flaw::Query),
            ("https://school.example/#x", Flaw::Fragment),
            ("/#top", Flaw::Fragment),
            ("https://user:pw@school.example/", Flaw::UserInfo),
            ("https://user@school.example/", Flaw::UserInfo),
            (
                "https://school..example/",
                Flaw::BadHost("school..example".into()),
            ),
            ("https://[::g]/", Flaw::BadHost("[::g]".into())),
            (
                "https://school.example:eighty/",
                Flaw::BadPort("eighty".into()),
            ),
            (
                "https://school.example:99999/",
                Flaw::BadPort("99999".into()),
            ),
            ("https://school.example:/", Flaw::BadPort(String::new())),
            ("http://school.example/", Flaw::InsecureHttp),
            ("http://localhost.school.example/", Flaw::InsecureHttp),
            ("http://127.0.0.1:8000/", Flaw::InsecureHttp),
            ("/policies/../admin/", Flaw::ClimbsOut),
            ("/..", Flaw::ClimbsOut),
            ("/policies/%2E%2e/", Flaw::ClimbsOut),
            ("https://school.example/../x", Flaw::ClimbsOut),
        ] {
            assert_eq!(flaw(value), expected, "{value}");
        }
    }

    #[test]
    fn a_refusal_says_what_is_wrong_in_plain_words() {
        let refusal = |value: &str| base_address(value).unwrap_err().to_string();
        assert_eq!(
            refusal("//other.host/"),
            "`//other.host/` is not a base address: it starts //, which names another host; \
             a path on this one starts with a single /"
        );
        assert_eq!(
            refusal("https://user:pw@school.example/"),
            "`https://user:pw@school.example/` is not a base address: it has a user name or \
             password before the host, which must not be published"
        );
        assert_eq!(refusal(" "), "the base address is empty");
        // The value stays as written while the rest of the site is checked.
        assert_eq!(
            base_address("//other.host").unwrap_err().as_written,
            "//other.host/"
        );
    }
}

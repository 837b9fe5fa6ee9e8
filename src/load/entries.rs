//! The data/ files as written, before any rule is checked: every id,
//! reference, date and address keeps its place in the file (`Spanned`) so
//! that validation can point at it.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::yaml::Document;

pub type Text = Spanned<String>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub school: SchoolEntry,
    pub policy: PolicyEntry,
    pub base_url: Option<Text>,
    pub language: Option<Text>,
    pub theme: Option<Text>,
    pub views: Vec<ViewEntry>,
    /// Days before a due date that `status` starts to remind.
    pub reminder_days: Option<Spanned<u32>>,
    pub link_check: Option<LinkCheckEntry>,
    /// What the accessibility statement says; spanned so that a statement
    /// without a contact can be pointed at.
    pub accessibility: Option<Spanned<AccessibilityEntry>>,
    /// How to ask for a free paper copy of the policy.
    pub paper_copy: Option<PaperCopyEntry>,
    /// Where restricted views are built, from the site root.
    pub restricted_out: Option<Text>,
    /// The site this one inherits its content/ and data/ from.
    pub template: Option<Spanned<TemplateEntry>>,
    /// Days a school may leave an approved template revision unadopted
    /// before `status --strict` fails (default 90).
    pub template_grace_days: Option<Spanned<u32>>,
}

/// `template:` in site.yaml: `{path: ../la-template}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateEntry {
    /// Another site root, relative to this one.
    pub path: Text,
}

/// The accessibility statement's facts, as site.yaml gives them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityEntry {
    /// How to report a problem or ask for another format.
    pub contact: Option<Spanned<StatementContactEntry>>,
    /// Working days the school takes to reply.
    pub response_days: Option<Spanned<u32>>,
    /// `full`, `partial` or `not`, against WCAG 2.2 AA.
    pub compliance: Option<Text>,
    #[serde(default)]
    pub known_issues: Vec<Text>,
    pub prepared: Option<Text>,
    pub reviewed: Option<Text>,
    pub tested: Option<Text>,
    pub tested_by: Option<Text>,
}

/// site.yaml's `paper_copy`: `contact:` says who to ask and how.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCopyEntry {
    pub contact: Spanned<PaperCopyContactEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCopyContactEntry {
    /// Who or where to ask, in words: "the school office".
    pub ask: Option<Text>,
    pub email: Option<Text>,
    pub phone: Option<Text>,
    pub url: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementContactEntry {
    pub email: Option<Text>,
    pub phone: Option<Text>,
    pub url: Option<Text>,
}

/// How `policyweb check` treats external links.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCheckEntry {
    pub accept: Option<Vec<Spanned<u16>>>,
    #[serde(default)]
    pub exclude: Vec<Text>,
    pub timeout_seconds: Option<Spanned<u64>>,
    pub retries: Option<Spanned<u64>>,
    pub concurrency: Option<Spanned<usize>>,
    pub per_host: Option<Spanned<usize>>,
    pub interval_ms: Option<Spanned<u64>>,
    pub cache_hours: Option<Spanned<u64>>,
    pub max_redirects: Option<Spanned<usize>>,
    pub max_page_mb: Option<Spanned<u64>>,
    pub deadline_minutes: Option<Spanned<f64>>,
    pub max_undecided_percent: Option<Spanned<u64>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolEntry {
    pub name: Text,
    pub website: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    pub title: Text,
    pub applies_from: Option<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewEntry {
    pub id: Text,
    pub title: Text,
    pub description: Text,
    #[serde(default)]
    pub restricted: bool,
    #[serde(default)]
    pub governance: bool,
    /// Which curriculum pages the view shows: `years`, `map`, `strands`,
    /// `coverage`.
    pub curriculum: Option<Vec<Text>>,
    /// Whether its pages say which text is the school's own and which its
    /// template's; default: in a governance view only.
    pub template_marks: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleEntry {
    pub id: Text,
    pub title: Text,
    pub description: Text,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub id: Text,
    pub name: Text,
    pub roles: Spanned<Vec<Text>>,
    pub organisation: Option<Text>,
    pub contact: Option<ContactEntry>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactEntry {
    pub email: Option<Text>,
    pub phone: Option<Text>,
    pub views: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationEntry {
    pub id: Text,
    pub name: Text,
    pub url: Option<Text>,
    #[serde(default)]
    pub allow_http: bool,
    pub helps_with: Option<Text>,
    pub category: Option<Text>,
    pub views: Option<Vec<Text>>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    pub id: Text,
    pub title: Text,
    pub publisher: Option<Text>,
    pub edition: Option<Spanned<u32>>,
    pub url: Option<Text>,
    pub superseded_by: Option<Text>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
    /// Where `superseded_by` is written, when it was kept from the
    /// template's entry of the same id.
    #[serde(skip)]
    pub superseded_from: Option<Document>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewsFile {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub dates: Vec<DateEntry>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub checks: Vec<CheckEntry>,
}

/// A list that may be left empty (`dates:` with nothing after it), as when
/// every entry in it omits a template's.
pub fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateEntry {
    pub id: Text,
    pub title: Text,
    pub date: Text,
    #[serde(default)]
    pub deadline: bool,
    /// When a deadline was met: it is then no longer due.
    pub met: Option<Text>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckEntry {
    pub id: Text,
    pub title: Text,
    pub owners: Vec<Text>,
    pub every: Text,
    pub last_done: Option<Text>,
    pub notes: Option<Text>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    pub id: Text,
    pub status: Text,
    pub approved: Option<Text>,
    pub approved_by: Option<Text>,
    pub minute: Option<Text>,
    pub next_review: Option<Text>,
    pub source: Option<Text>,
    /// The template revision this revision is built on (an id from the
    /// template's own versions.yaml), for a site with `template:`.
    pub template: Option<Text>,
}

/// One entry of glossary.yaml: an abbreviation or word the policy uses,
/// written out once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryEntry {
    pub id: Text,
    /// As the policy writes it: `DSL`.
    pub term: Text,
    /// What it stands for: `Designated Safeguarding Lead`.
    pub stands_for: Text,
    /// What it means, in a sentence or two.
    pub meaning: Option<Text>,
    pub url: Option<Text>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
}

/// strands.yaml: the curriculum framework the map is matched against.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrandsFile {
    pub name: Text,
    pub url: Option<Text>,
    #[serde(default)]
    pub age_bands: Vec<AgeBandEntry>,
    pub strands: Vec<StrandEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBandEntry {
    pub id: Text,
    pub name: Text,
    pub years: Vec<Text>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrandEntry {
    pub id: Text,
    pub name: Text,
    pub description: Option<Text>,
}

/// curriculum.yaml: what each year group is taught.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurriculumFile {
    pub years: Vec<YearEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearEntry {
    pub id: Text,
    pub name: Text,
    pub summary: Option<Text>,
    #[serde(default)]
    pub units: Vec<UnitEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitEntry {
    pub name: Text,
    pub provider: Text,
    pub term: Text,
    pub strands: Spanned<Vec<Text>>,
    #[serde(default)]
    pub statements: Vec<Text>,
    pub url: Option<Text>,
    pub summary: Option<Text>,
}

/// A section's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Text,
    pub summary: Option<Text>,
    pub audiences: Option<Vec<Text>>,
    pub owner: Option<Text>,
    pub strands: Option<Vec<Text>>,
    /// `omit: true` leaves out the template's section of the same id.
    pub omit: Option<Spanned<bool>>,
    /// Why the section is omitted: required with `omit`, shown to governors.
    pub reason: Option<Text>,
}

/// The front matter of a file that only omits an inherited section:
/// `omit: true` and `reason: …`, no title needed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OmitFrontMatter {
    pub omit: Spanned<bool>,
    pub reason: Option<Text>,
}

/// An entry of a data file in a site with a template that drops the
/// template's entry of the same id: `- id: x` / `omit: true`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OmitEntry {
    pub id: Text,
    pub omit: Spanned<bool>,
    pub reason: Option<Text>,
}

/// fills.yaml: a template declares each fill-in (`id`, `prompt`); a school
/// gives its text (`id`, `text`). A site in the middle of a chain may do
/// both: fill some and declare others for the schools below it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FillEntry {
    pub id: Text,
    /// What the school is asked for: declares the fill-in.
    pub prompt: Option<Text>,
    /// The school's words, as plain text.
    pub text: Option<Text>,
    /// The file it is written in, when it is not the list's own (an entry
    /// inherited from a template); set by `load`, never written.
    #[serde(skip)]
    pub from: Option<Document>,
    /// 0 for the site's own fills.yaml, 1 for its template's, and so on.
    #[serde(skip)]
    pub layer: usize,
}

/// One revision's data files, parsed; a file that failed to parse is `None`
/// here and its diagnostic is already recorded. site.yaml and versions.yaml
/// belong to the whole site and are read once, from the working tree.
#[derive(Debug, Default, Clone)]
pub struct DataFiles {
    pub roles: Option<(Document, Vec<RoleEntry>)>,
    pub people: Option<(Document, Vec<PersonEntry>)>,
    pub organisations: Option<(Document, Vec<OrganisationEntry>)>,
    pub documents: Option<(Document, Vec<DocumentEntry>)>,
    pub reviews: Option<(Document, ReviewsFile)>,
    /// The framework: data/strands.yaml, or the built-in Education for a
    /// Connected World when the revision has none.
    pub strands: Option<(Document, StrandsFile)>,
    pub curriculum: Option<(Document, CurriculumFile)>,
    /// data/fills.yaml: fill-ins declared and filled.
    pub fills: Option<(Document, Vec<FillEntry>)>,
    pub glossary: Option<(Document, Vec<GlossaryEntry>)>,
    /// Data files that exist but could not be parsed, by name (`roles`).
    /// References to what they define are not checked, so that one broken
    /// file does not bury the report under "unknown role" errors.
    pub unreadable: Vec<&'static str>,
    /// Whether strands.yaml is the revision's own file, not the built-in
    /// framework (a template's then gives way to it).
    pub strands_own: bool,
    /// `omit: true` entries of a site with a template, by the file they are
    /// in (`roles`, `dates`), with where each is written.
    pub omits: Vec<(&'static str, Document, OmitEntry)>,
}

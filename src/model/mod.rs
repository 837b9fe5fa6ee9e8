//! The model: one immutable `Site`, built by `validate` from what `load`
//! read, and only read after that. Plain data: what a policy is made of
//! (revisions, sections, people, roles…), no rendering and no checking.

pub mod curriculum;
pub mod date;
pub mod link_report;
pub mod source;
pub mod template;

use std::ops::Range;

use chrono::NaiveDate;

pub use curriculum::{AgeBand, Curriculum, Framework, Strand, Term, Unit, YearGroup};
pub use date::{Interval, PolicyDate};
pub use source::{Asset, RevisionSource};
pub use template::{Fill, Omitted, Origin, TemplateUse};

use crate::diagnostics::{Place, SourceId, Sources};

/// A whole site: its settings and its revisions.
#[derive(Debug)]
pub struct Site {
    pub root: std::path::PathBuf,
    pub sources: Sources,
    pub settings: Settings,
    /// Every revision, oldest first, as versions.yaml lists them; never
    /// empty. Only the last may be a draft.
    pub revisions: Vec<Revision>,
    /// The day the build treats as today, for overdue reviews.
    pub today: NaiveDate,
    /// Folders holding revisions read from git, removed when the site is
    /// dropped.
    pub scratch: Vec<tempfile::TempDir>,
    /// The last external link check, if one has run in this site root.
    pub link_report: Option<crate::model::link_report::Report>,
    /// The template the site is built on, read whole, for what changed in
    /// it; `None` for a site built on no template.
    pub template: Option<Template>,
}

/// The template a school's site is built on (`template: {path}` in
/// site.yaml), with every revision of its own, so that what a newer one
/// changes can be shown before the school adopts it.
#[derive(Debug)]
pub struct Template {
    /// What the school's pages call it.
    pub name: String,
    /// Its folder as site.yaml writes it (`../la-template`).
    pub path: String,
    /// `None` when the template itself has errors.
    pub site: Option<Box<Site>>,
}

impl Site {
    /// The revision in force, which parents and staff read: the newest
    /// approved one. `None` while the only revision is a draft.
    pub fn current(&self) -> Option<&Revision> {
        self.revisions
            .iter()
            .rev()
            .find(|r| r.approval.is_approved())
    }

    /// The newest revision: the draft when there is one.
    pub fn newest(&self) -> &Revision {
        self.revisions
            .last()
            .expect("validate builds a site only with a revision")
    }

    /// The revisions the site publishes as live: the one in force and the
    /// newest (the draft, when there is one). Earlier revisions are the
    /// text as it was approved: history, which cannot be mended.
    pub fn live(&self) -> Vec<&Revision> {
        let mut live: Vec<&Revision> = self.current().into_iter().collect();
        let newest = self.newest();
        if !live.iter().any(|r| std::ptr::eq(*r, newest)) {
            live.push(newest);
        }
        live
    }

    /// The draft awaiting approval, if the newest revision is one.
    pub fn draft(&self) -> Option<&Revision> {
        Some(self.newest()).filter(|r| !r.approval.is_approved())
    }

    pub fn revision(&self, id: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.id == id)
    }

    /// The revision whose pages are at a view's own address (`parents/`):
    /// the current one, or for a governance view with nothing approved
    /// yet, the draft.
    pub fn main_revision(&self, view: &View) -> Option<&Revision> {
        self.current()
            .or_else(|| view.governance.then(|| self.newest()))
    }
}

/// From site.yaml: what stays the same across revisions.
#[derive(Debug)]
pub struct Settings {
    pub school: School,
    pub policy_title: String,
    pub applies_from: Option<PolicyDate>,
    /// Always starts and ends with `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub views: Vec<View>,
    /// Days before a due date that reminders start.
    pub reminder_days: u32,
    /// Days an approved template revision may wait unadopted before
    /// `status --strict` fails.
    pub template_grace_days: u32,
    pub link_check: LinkCheck,
    pub accessibility: Accessibility,
    /// How to ask for a free paper copy, from site.yaml's `paper_copy`;
    /// `None` when site.yaml does not say (the pages then tell readers to
    /// ask the school, naming no contact).
    pub paper_copy: Option<PaperCopy>,
    /// Where restricted views are built, from the site root, as written
    /// (`restricted_out`); `None` for restricted/.
    pub restricted_out: Option<String>,
}

/// What the accessibility statement says, from site.yaml's `accessibility`.
/// Everything is optional: without the block the statement says what is
/// known (the school, the website) and nothing it cannot stand behind.
#[derive(Debug, Clone, Default)]
pub struct Accessibility {
    /// How to report a problem; the regulations require one.
    pub contact: StatementContact,
    /// Working days the school takes to reply, when it has said.
    pub response_days: Option<u32>,
    /// `None` when site.yaml does not say: then the statement claims
    /// nothing about compliance.
    pub compliance: Option<Compliance>,
    /// Problems the school knows of, in plain words.
    pub known_issues: Vec<String>,
    /// Each a day (`YYYY-MM-DD`); `None` when not recorded.
    pub prepared: Option<PolicyDate>,
    pub reviewed: Option<PolicyDate>,
    pub tested: Option<PolicyDate>,
    pub tested_by: Option<String>,
}

/// Who to ask for a paper copy of the policy, and how: at least one of them.
#[derive(Debug, Clone, Default)]
pub struct PaperCopy {
    /// Who or where to ask, in words: "the school office".
    pub ask: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A web page (https) with a form or the school's contact details.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct StatementContact {
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A web page (https) for reporting a problem.
    pub url: Option<String>,
}

impl StatementContact {
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.phone.is_none() && self.url.is_none()
    }
}

/// How far the site meets WCAG 2.2 AA, in the regulations' three words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compliance {
    Full,
    Partial,
    Not,
}

impl Compliance {
    /// The words site.yaml uses.
    pub const WORDS: [&str; 3] = ["full", "partial", "not"];

    pub fn parse(word: &str) -> Option<Compliance> {
        match word {
            "full" => Some(Compliance::Full),
            "partial" => Some(Compliance::Partial),
            "not" => Some(Compliance::Not),
            _ => None,
        }
    }
}

/// Settings for the external link check, from site.yaml's `link_check`.
#[derive(Debug, Clone)]
pub struct LinkCheck {
    /// Status codes that count as fine.
    pub accept: Vec<u16>,
    /// Regular expressions: addresses matching any are not checked.
    pub exclude: Vec<String>,
    pub timeout_seconds: u64,
    /// Retries of a failed request, with the wait doubling each time.
    pub retries: u64,
    /// Requests in flight at once, across all hosts.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Least time between two requests to one host.
    pub interval_ms: u64,
    /// How long a good result is trusted before it is checked again.
    pub cache_hours: u64,
    /// Redirects followed for one address before it is broken.
    pub max_redirects: usize,
    /// The most of one page read (after decoding) to look for a #fragment.
    pub max_page_bytes: u64,
    /// How long the whole check may take; what is left is not checked.
    pub deadline: std::time::Duration,
    /// `check` fails when more than this share of the links asked about
    /// could not be decided.
    pub max_undecided_percent: u8,
}

impl Default for LinkCheck {
    fn default() -> Self {
        LinkCheck {
            accept: (200..=299).collect(),
            exclude: Vec::new(),
            timeout_seconds: 20,
            retries: 2,
            concurrency: 32,
            per_host: 2,
            interval_ms: 25,
            cache_hours: 24,
            max_redirects: 5,
            max_page_bytes: 10_000_000,
            deadline: std::time::Duration::from_secs(600),
            max_undecided_percent: 10,
        }
    }
}

#[derive(Debug)]
pub struct School {
    pub name: String,
    pub website: Option<String>,
}

/// A way of reading the policy: parents and carers, staff, governors.
#[derive(Debug, Clone)]
pub struct View {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Written to restricted/<id>/ beside the output, never into it.
    pub restricted: bool,
    /// Carries review dates, overdue notices and drafts (the governors).
    pub governance: bool,
    pub curriculum: CurriculumPages,
    /// Its pages mark the school's own text and the template's.
    pub template_marks: bool,
}

/// Which curriculum pages a view shows, from `curriculum:` in site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CurriculumPages {
    /// A page per year group, written for parents.
    pub years: bool,
    /// The map: strands by year groups.
    pub map: bool,
    /// A page per strand, with the sections tagged with it.
    pub strands: bool,
    /// Gaps in coverage, for governors.
    pub coverage: bool,
}

impl CurriculumPages {
    pub const KINDS: [&'static str; 4] = ["years", "map", "strands", "coverage"];

    pub fn any(&self) -> bool {
        self.years || self.map || self.strands || self.coverage
    }
}

/// One revision of the policy: its approval record, its sections and the
/// data (people, roles, dates…) as they stood in it.
#[derive(Debug)]
pub struct Revision {
    pub id: String,
    pub approval: Approval,
    pub next_review: Option<PolicyDate>,
    /// Where `next_review` is written in versions.yaml.
    pub next_review_place: Option<Place>,
    /// Where its files were read from.
    pub source: RevisionSource,
    pub sections: Vec<Section>,
    pub roles: Vec<Role>,
    pub people: Vec<Person>,
    pub organisations: Vec<Organisation>,
    pub documents: Vec<Publication>,
    pub dates: Vec<NamedDate>,
    pub checks: Vec<Check>,
    /// The framework its curriculum and section strands use.
    pub framework: Framework,
    /// What is taught, when the revision has a curriculum.yaml.
    pub curriculum: Option<Curriculum>,
    /// Its glossary.yaml: the words `[[term:…]]` names, in file order.
    pub glossary: Vec<GlossaryTerm>,
    /// Files under its content/ that sections use (images).
    pub assets: Vec<Asset>,
    /// Its data files that could not be read (`roles`): references to what
    /// they define are not reported as unknown, since the file's own error is.
    pub unreadable: Vec<&'static str>,
    /// The template it is built on, for a site with `template:`.
    pub template: Option<TemplateUse>,
    /// The fill-ins its text may use, with their words.
    pub fills: Vec<Fill>,
}

impl Revision {
    pub fn fill(&self, id: &str) -> Option<&Fill> {
        self.fills.iter().find(|f| f.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    Draft,
    Approved {
        /// `None` when the school adopted the policy without a recorded date.
        date: Option<PolicyDate>,
        by: String,
        minute: Option<String>,
    },
}

impl Approval {
    pub fn is_approved(&self) -> bool {
        matches!(self, Approval::Approved { .. })
    }
}

/// One section of the policy, in document order; nesting through `parent`.
#[derive(Debug)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    /// View ids that show the section (its parent's audiences included).
    pub audiences: Vec<String>,
    pub owner: Option<String>,
    pub strands: Vec<String>,
    pub parent: Option<usize>,
    pub depth: usize,
    pub source: SourceId,
    /// The Markdown body's byte range in the source file.
    pub body: Range<usize>,
    /// Audience blocks in the body, checked and ready for filtering.
    pub blocks: Vec<AudienceBlock>,
    /// The section's folder relative to content/, for its images.
    pub dir: String,
    /// Whether the text is the site's own or its template's.
    pub origin: Origin,
}

impl Section {
    pub fn shown_in(&self, view: &str) -> bool {
        self.audiences.iter().any(|a| a == view)
    }
}

/// Lines of a section body that only some views show. Byte ranges cover
/// whole lines, from the opening marker line to the closing one.
#[derive(Debug, Clone)]
pub struct AudienceBlock {
    pub views: Vec<String>,
    /// The opening marker line.
    pub open: Range<usize>,
    /// The content between the markers.
    pub inner: Range<usize>,
    /// The closing marker line.
    pub close: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub organisation: Option<String>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub views: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
    pub helps_with: Option<String>,
    pub category: Option<String>,
    pub views: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Publication {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub edition: Option<u32>,
    pub url: Option<String>,
    pub superseded_by: Option<String>,
}

/// A word or abbreviation the policy uses, written out once in
/// glossary.yaml: `DSL`, Designated Safeguarding Lead.
#[derive(Debug, Clone)]
pub struct GlossaryTerm {
    pub id: String,
    pub term: String,
    pub stands_for: String,
    pub meaning: Option<String>,
    pub url: Option<String>,
}

impl GlossaryTerm {
    /// Whether the term is written in capitals (`CEOP`, `UKCIS`): such a
    /// word typed bare in a section is a sign it was not explained.
    pub fn is_capitals(&self) -> bool {
        self.term.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !self.term.chars().any(char::is_lowercase)
            && !self.term.chars().any(char::is_whitespace)
    }
}

#[derive(Debug, Clone)]
pub struct NamedDate {
    pub id: String,
    pub title: String,
    pub date: PolicyDate,
    pub deadline: bool,
    /// When the deadline was met (`met:`); a met deadline is not due.
    pub met: Option<PolicyDate>,
    /// Where the date is written, for the warning when it has passed.
    pub place: Place,
}

/// A recurring check the policy promises.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub title: String,
    pub owners: Vec<String>,
    pub every: Interval,
    pub last_done: Option<PolicyDate>,
    pub notes: Option<String>,
    /// Where the check is written (its `last_done`, else its id), for the
    /// warning when it is overdue.
    pub place: Place,
}

impl Check {
    pub fn next_due(&self) -> Option<PolicyDate> {
        self.last_done.and_then(|done| done.after(self.every))
    }
}

impl Revision {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    pub fn document(&self, id: &str) -> Option<&Publication> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub fn term(&self, id: &str) -> Option<&GlossaryTerm> {
        self.glossary.iter().find(|t| t.id == id)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The dates `[[date:…]]` can name: reviews.yaml's, plus `approved` and
    /// `next-review` from this revision's record in versions.yaml.
    pub fn date(&self, id: &str) -> Option<PolicyDate> {
        match id {
            "approved" => match &self.approval {
                Approval::Approved { date, .. } => *date,
                Approval::Draft => None,
            },
            "next-review" => self.next_review,
            _ => self.dates.iter().find(|d| d.id == id).map(|d| d.date),
        }
    }

    /// Everyone holding a role, in people.yaml order.
    pub fn holders<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a Person> + 'a {
        self.people
            .iter()
            .filter(move |p| p.roles.iter().any(|r| r == role))
    }
}

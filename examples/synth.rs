//! Synthetic policy sites for benchmarks: N schools, each a complete
//! policyweb site (data/, content/, R revisions with the older ones frozen
//! under versions/<id>/ and edits between them), plus the same section pages
//! as one Hugo site, so that the two generators can be timed on the same
//! Markdown. Deterministic: the same options and seed give the same bytes.
//!
//! ```sh
//! cargo run --release --example synth -- --schools 10 --sections 40 --revisions 5 --seed 1 --out /tmp/trust
//! ```
//!
//! What it writes is described in docs/benchmarks.md. It owns nothing of the
//! library: it only writes files in the formats docs/reference.md gives, and
//! the one output folder it is told to, which it refuses to replace unless it
//! wrote it itself (it leaves `.synth-output` there).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// The file that marks a folder as one this generator wrote, so that a
/// second run may replace it and no other folder is ever removed.
const MARKER: &str = ".synth-output";

/// Every school has the same three views, as in the example site.
const VIEWS: [&str; 3] = ["parents", "staff", "governors"];

#[derive(Parser)]
#[command(
    about = "Writes synthetic policyweb sites (and the same pages as a Hugo site) for benchmarks"
)]
struct Options {
    /// How many schools (each a site of its own; a trust.yaml lists them when more than one).
    #[arg(long, default_value_t = 1)]
    schools: usize,
    /// Sections per revision (folders and the sections inside them).
    #[arg(long, default_value_t = 40)]
    sections: usize,
    /// Revisions per school, oldest first; all but the newest are frozen under versions/<id>/.
    #[arg(long, default_value_t = 5)]
    revisions: usize,
    /// The seed every choice is drawn from.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The folder to write (new, empty, or written by an earlier run of this generator).
    #[arg(long)]
    out: PathBuf,
    /// Write the shared text once, as a template the schools inherit
    /// (`template: {path: ../template}`, the format of issue 20), instead
    /// of writing it out in full in every school.
    #[arg(long)]
    template: bool,
}

fn main() -> ExitCode {
    let options = Options::parse();
    if let Err(problem) = check(&options) {
        eprintln!("synth: {problem}");
        return ExitCode::from(2);
    }
    match run(&options) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("synth: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn check(options: &Options) -> Result<(), String> {
    if options.schools == 0 || options.schools > 999 {
        return Err("--schools must be from 1 to 999".into());
    }
    if options.sections < 2 || options.sections > 5000 {
        return Err("--sections must be from 2 to 5000".into());
    }
    if options.revisions == 0 || options.revisions > 40 {
        return Err("--revisions must be from 1 to 40".into());
    }
    Ok(())
}

fn run(options: &Options) -> Result<String, String> {
    prepare_out(&options.out)?;
    let trust = Trust::new(options);
    let mut files = Files::default();
    for school in &trust.schools {
        trust.write_school(school, options.template, &mut files);
    }
    if options.template {
        trust.write_template(&mut files);
    }
    if trust.schools.len() > 1 {
        files.add("trust.yaml", trust.trust_yaml(options.template));
    }
    let pages = trust.write_hugo(&mut files);
    files.add(
        "synth.json",
        format!(
            "{{\"schools\": {}, \"sections\": {}, \"revisions\": {}, \"views\": {}, \"seed\": {}, \"template\": {}, \"section_pages\": {}}}\n",
            trust.schools.len(),
            options.sections,
            options.revisions,
            VIEWS.len(),
            options.seed,
            options.template,
            pages
        ),
    );
    files.write_all(&options.out)?;
    let ids: Vec<&str> = trust.schools.iter().map(|s| s.id.as_str()).collect();
    Ok(format!(
        "Wrote {} school{} ({}) with {} sections and {} revisions each, {} section pages, and the same pages as a Hugo site in {}",
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        if ids.len() > 3 {
            format!("{}, … {}", ids[..2].join(", "), ids[ids.len() - 1])
        } else {
            ids.join(", ")
        },
        options.sections,
        options.revisions,
        pages,
        options.out.join("hugo").display()
    ))
}

/// Makes `out` ready to be written: it must not exist, be empty, or hold the
/// marker an earlier run left. Nothing else is ever removed.
fn prepare_out(out: &Path) -> Result<(), String> {
    match fs::read_dir(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", out.display())),
        Ok(mut entries) => {
            if entries.next().is_some() {
                if !out.join(MARKER).is_file() {
                    return Err(format!(
                        "{} is not empty and was not written by this generator; choose a new or empty folder",
                        out.display()
                    ));
                }
                fs::remove_dir_all(out)
                    .map_err(|e| format!("cannot replace {}: {e}", out.display()))?;
            }
        }
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    fs::write(
        out.join(MARKER),
        "Written by policyweb's examples/synth.rs; a later run replaces this folder.\n",
    )
    .map_err(|e| format!("cannot write in {}: {e}", out.display()))
}

/// The files of one run, by path under the output folder, written at the end.
#[derive(Default)]
struct Files(BTreeMap<String, String>);

impl Files {
    fn add(&mut self, path: impl Into<String>, text: String) {
        let path = path.into();
        assert!(
            self.0.insert(path.clone(), text).is_none(),
            "the generator wrote {path} twice"
        );
    }

    fn write_all(&self, out: &Path) -> Result<(), String> {
        for (path, text) in &self.0 {
            let path = out.join(path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

/// SplitMix64: a few lines, and its sequence for a seed never changes with a
/// crate's version, so a seed names the same sites for good.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A YAML scalar: JSON's double-quoted string is also YAML's.
fn q(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

// ---------------------------------------------------------------- the words

const PLACES: &[&str] = &[
    "Ashdown",
    "Brookfield",
    "Castlegate",
    "Dunmore",
    "Elmhurst",
    "Fairview",
    "Glenbrook",
    "Hartley",
    "Ingleby",
    "Juniper Hill",
    "Kingsmead",
    "Larkrise",
    "Meadowbank",
    "Northgate",
    "Oakfield",
    "Parkside",
    "Queensway",
    "Riverside",
    "Southfields",
    "Thornbury",
    "Upton",
    "Valley Road",
    "Woodlands",
    "Yew Tree",
    "Ambleside",
    "Beechwood",
    "Coppice",
    "Deanery",
    "Eastbrook",
    "Foxhill",
    "Greenacre",
    "Hollybush",
    "Ivybridge",
    "Kestrel",
    "Longmoor",
    "Millbrook",
    "Newlands",
    "Orchard",
    "Pinewood",
    "Rosehill",
    "Sandford",
    "Tollgate",
    "Underwood",
    "Victoria",
    "Westfield",
    "Willowbank",
    "Abbey Mead",
    "Bramley",
];

const KINDS: &[&str] = &[
    "Primary School",
    "Church of England Primary School",
    "Infant and Nursery School",
    "Junior School",
    "Primary Academy",
];

const FIRST: &[&str] = &[
    "Amira", "Ben", "Chloe", "Daniel", "Ella", "Farid", "Grace", "Harry", "Isla", "Jack", "Kavya",
    "Liam", "Maya", "Noah", "Olivia", "Priya", "Rhys", "Sophie", "Tariq", "Una", "Victor", "Wendy",
    "Yusuf", "Zara", "Aled", "Bethan", "Callum", "Deborah", "Ewan", "Fiona",
];

const LAST: &[&str] = &[
    "Ahmed",
    "Bennett",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Gupta",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walker",
    "Young",
    "Zielinski",
    "Hodgson",
    "Tait",
    "Bodley",
];

/// Role id, title, description: who's who lists them in this order.
const ROLES: &[(&str, &str, &str)] = &[
    (
        "headteacher",
        "Headteacher",
        "Leads the school and is responsible for the safety of its community.",
    ),
    (
        "dsl",
        "Designated Safeguarding Lead",
        "Holds lead responsibility for safeguarding, including online safety.",
    ),
    (
        "deputy-dsl",
        "Deputy Designated Safeguarding Lead",
        "Acts for the Designated Safeguarding Lead when they are away.",
    ),
    (
        "online-safety-lead",
        "Online Safety Lead",
        "Keeps this policy and the online safety curriculum up to date.",
    ),
    (
        "computing-lead",
        "Computing Lead",
        "Plans the computing curriculum and its online safety units.",
    ),
    (
        "online-safety-group",
        "Online Safety Group",
        "Meets each term to review incidents, filtering and this policy.",
    ),
    (
        "online-safety-governor",
        "Online Safety Governor",
        "Checks for the governors that the policy is followed.",
    ),
    (
        "chair-of-governors",
        "Chair of Governors",
        "Leads the governing body.",
    ),
    (
        "it-provider",
        "IT Service Provider",
        "Runs the school's network, filtering and monitoring.",
    ),
];

/// Organisation id, name, address, what it helps with, category.
const ORGS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "ceop",
        "CEOP",
        "https://www.ceop.police.uk/",
        "Reporting online sexual abuse or grooming of a child.",
        "Reporting",
    ),
    (
        "iwf",
        "Internet Watch Foundation",
        "https://www.iwf.org.uk/",
        "Reporting images and videos of child sexual abuse.",
        "Reporting",
    ),
    (
        "report-harmful-content",
        "Report Harmful Content",
        "https://reportharmfulcontent.com/",
        "Reporting harmful content that a platform has not removed.",
        "Reporting",
    ),
    (
        "professionals-online-safety-helpline",
        "Professionals Online Safety Helpline",
        "https://saferinternet.org.uk/professionals-online-safety-helpline",
        "Advice for staff on online safety issues.",
        "Advice",
    ),
    (
        "uk-safer-internet-centre",
        "UK Safer Internet Centre",
        "https://saferinternet.org.uk/",
        "Advice and resources for schools and families.",
        "Advice",
    ),
    (
        "childnet",
        "Childnet",
        "https://www.childnet.com/",
        "Resources for children, parents and teachers.",
        "Advice",
    ),
    (
        "nspcc",
        "NSPCC",
        "https://www.nspcc.org.uk/",
        "Advice for parents, and the helpline for adults worried about a child.",
        "Advice",
    ),
    (
        "childline",
        "Childline",
        "https://www.childline.org.uk/",
        "A free, private helpline for children.",
        "Support",
    ),
];

/// Document id, title, publisher, edition, address.
const DOCS: &[(&str, &str, &str, u32, &str)] = &[
    (
        "kcsie",
        "Keeping Children Safe in Education",
        "Department for Education",
        2025,
        "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2",
    ),
    (
        "filtering-standards",
        "Filtering and monitoring standards for schools and colleges",
        "Department for Education",
        2024,
        "https://www.gov.uk/guidance/meeting-digital-and-technology-standards-in-schools-and-colleges/filtering-and-monitoring-standards-for-schools-and-colleges",
    ),
    (
        "sharing-nudes",
        "Sharing nudes and semi-nudes: advice for education settings",
        "UK Council for Internet Safety",
        2024,
        "https://www.gov.uk/government/publications/sharing-nudes-and-semi-nudes-advice-for-education-settings-working-with-children-and-young-people",
    ),
    (
        "searching-screening",
        "Searching, screening and confiscation",
        "Department for Education",
        2022,
        "https://www.gov.uk/government/publications/searching-screening-and-confiscation",
    ),
    (
        "safeguarding-policy",
        "Child Protection and Safeguarding Policy",
        "the school",
        2025,
        "",
    ),
    (
        "behaviour-policy",
        "Behaviour Policy",
        "the school",
        2025,
        "",
    ),
];

const STRANDS: &[(&str, &str)] = &[
    ("self-image-and-identity", "Self-image and identity"),
    ("online-relationships", "Online relationships"),
    ("online-reputation", "Online reputation"),
    ("online-bullying", "Online bullying"),
    ("managing-online-information", "Managing online information"),
    (
        "health-wellbeing-and-lifestyle",
        "Health, well-being and lifestyle",
    ),
    ("privacy-and-security", "Privacy and security"),
    ("copyright-and-ownership", "Copyright and ownership"),
];

const YEARS: &[(&str, &str)] = &[
    ("reception", "Reception"),
    ("year-1", "Year 1"),
    ("year-2", "Year 2"),
    ("year-3", "Year 3"),
    ("year-4", "Year 4"),
    ("year-5", "Year 5"),
    ("year-6", "Year 6"),
];

const TERMS: &[&str] = &[
    "Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2",
];

const PROVIDERS: &[&str] = &[
    "Project Evolve",
    "PSHE",
    "Computing",
    "Assembly",
    "Safer Internet Day",
];

/// The fill-ins the shared text leaves to each school: id, prompt, and a
/// school's answers to choose from.
const FILLS: &[(&str, &str, &[&str])] = &[
    (
        "filtering-provider",
        "The name of your web filtering provider",
        &["LGfL WebScreen", "Smoothwall", "Netsweeper", "Securly"],
    ),
    (
        "monitoring-system",
        "The monitoring system staff use",
        &["Senso", "Impero", "Smoothwall Monitor", "eSafe"],
    ),
    (
        "logging-system",
        "Where incidents are logged",
        &["CPOMS", "MyConcern", "the safeguarding log"],
    ),
];

/// Topics for section titles; the id is the slug of the title.
const TOPICS: &[&str] = &[
    "Introduction",
    "Scope of the policy",
    "Roles and responsibilities",
    "Headteacher and senior leaders",
    "Governors",
    "Designated Safeguarding Lead",
    "Online Safety Lead",
    "Online Safety Group",
    "Teaching and support staff",
    "Learners",
    "Parents and carers",
    "Community users",
    "Policy development",
    "Review schedule",
    "Monitoring the impact",
    "Acceptable use",
    "Reporting concerns",
    "Responding to learner actions",
    "Responding to staff actions",
    "Education",
    "Education programme",
    "Contribution of learners",
    "Staff training",
    "Governor training",
    "Families",
    "Adults and agencies",
    "Technology",
    "Filtering",
    "Monitoring",
    "Technical security",
    "Mobile technologies",
    "Social media",
    "Digital and video images",
    "Online publishing",
    "Data protection",
    "Artificial intelligence tools",
    "Remote learning",
    "Cyberbullying",
    "Sharing nudes and semi-nudes",
    "Radicalisation online",
    "Gaming and online play",
    "Email and messaging",
    "Passwords and accounts",
    "Cloud services",
    "Visitors and contractors",
    "Useful links",
];

const SUBHEADINGS: &[&str] = &[
    "What we expect",
    "Who is told",
    "How we check",
    "What happens next",
    "Support for learners",
    "Records we keep",
    "Working with families",
    "When things go wrong",
    "Training",
    "Devices on site",
];

/// Sentences of policy text. Slots: {role} {org} {doc} {section} {school}
/// {date} {dp-review} {strand} {year} {curriculum} {person}, and the
/// fill-ins {filtering} {monitoring} {log}.
const SENTENCES: &[&str] = &[
    "All members of {school} are expected to follow this section, and {role} makes sure that they know it.",
    "Any concern about a child's safety online is reported to {role} on the same day.",
    "{role} reviews the arrangements each term with {role} and reports to the governors.",
    "Staff take part in training on online safety at least once a year, as {doc} requires.",
    "Where a concern involves possible grooming, it is also reported to {org}.",
    "Learners are taught about {strand} from {year}, as the curriculum map sets out.",
    "The school uses {filtering} for web filtering, and checks that it works at the start of every term.",
    "Alerts from {monitoring} are read every school day by a named member of staff.",
    "Incidents are recorded in {log}, with the action taken and who was told.",
    "Parents and carers can find advice on keeping children safe at home from {org}.",
    "This policy is next reviewed in {date}, or sooner if the guidance changes.",
    "{section} explains how these responsibilities fit together.",
    "The arrangements follow {doc} and the school's own safeguarding procedures.",
    "Learners who are worried about something they have seen online are encouraged to tell a trusted adult.",
    "{person} keeps the record of checks and shares it with the Online Safety Group.",
    "Devices are checked only with the permission of {role}, and a second adult is present.",
    "Images of learners are published only with the consent of their parents or carers.",
    "Personal devices are kept out of sight during lessons unless a teacher asks for them.",
    "Staff never use personal accounts to contact learners or their families.",
    "Any misuse by a member of staff is reported to {role}, who decides what happens next.",
    "New technology is assessed for risk before it is used with learners.",
    "The school works with {org} to keep up to date with new risks.",
    "Passwords are never shared, and accounts are closed when someone leaves the school.",
    "The Online Safety Group looks at patterns of incidents and suggests changes to the curriculum.",
    "Visitors who use the school's network agree to the acceptable use rules first.",
    "Learning from each incident is shared with staff in regular briefings.",
    "Where a learner's behaviour online affects others in school, the behaviour policy applies.",
    "Advice for staff is available from {org} at any time.",
    "What each year group learns is set out in {curriculum}.",
    "The data protection arrangements are next reviewed in {dp-review}.",
];

const LIST_ITEMS: &[&str] = &[
    "staff read and sign the acceptable use agreement every September",
    "learners are reminded of the rules at the start of every computing lesson",
    "{role} is told of every serious incident the same day",
    "records are kept for as long as the safeguarding policy requires",
    "parents and carers receive a termly newsletter on online safety",
    "filtering reports are reviewed by {role} each week",
    "the school's social media accounts are run by two named members of staff",
    "new staff are trained before they use the school's systems",
    "concerns are shared with {org} where a crime may have been committed",
    "the curriculum covers {strand} in every year group",
    "devices taken off site are encrypted",
    "guest access to the network is separate from learners' access",
];

const CONCERNS: &[&str] = &[
    "Inappropriate content seen in school",
    "Online bullying between learners",
    "A learner shares personal details",
    "Misuse by a member of staff",
    "A suspected grooming approach",
    "A filtering alert",
    "A lost or stolen device",
    "A data breach",
];

const WHEN: &[&str] = &[
    "The same day",
    "Within 24 hours",
    "At once",
    "By the end of the week",
    "At the next meeting",
];

// ---------------------------------------------------------------- the model

struct Person {
    id: String,
    name: String,
    roles: Vec<&'static str>,
    email: Option<String>,
}

struct School {
    index: usize,
    id: String,
    name: String,
    website: String,
    people: Vec<Person>,
    fills: BTreeMap<&'static str, &'static str>,
    /// The school's own sections (replacing shared ones with the same id,
    /// or added), for every revision.
    own: Vec<SectionHistory>,
    /// The shared section each revision leaves out, with the reason.
    omitted: Option<(String, String)>,
}

/// One section through the revisions: its place and its text in each
/// revision that has it.
#[derive(Clone)]
struct SectionHistory {
    id: String,
    number: usize,
    /// The folder it sits in (a top-level section's id), if any.
    parent: Option<String>,
    is_folder: bool,
    audiences: Option<&'static [&'static str]>,
    owner: Option<&'static str>,
    strands: Vec<&'static str>,
    /// The text in each revision, `None` where the revision does not have it.
    texts: Vec<Option<SectionText>>,
}

#[derive(Clone)]
struct SectionText {
    title: String,
    summary: String,
    blocks: Vec<Block>,
    notes: Vec<String>,
}

#[derive(Clone)]
enum Block {
    Paragraph(Vec<String>),
    Heading(String, Option<String>),
    List(Vec<(String, Vec<String>)>),
    Table {
        caption: String,
        rows: Vec<[String; 3]>,
    },
    Audience(&'static [&'static str], Vec<Block>),
}

struct Trust {
    seed: u64,
    revisions: Vec<Revision>,
    /// The shared sections, as the template holds them (with fill-ins and
    /// no person named).
    shared: Vec<SectionHistory>,
    schools: Vec<School>,
}

struct Revision {
    id: String,
    /// The first calendar year of the school year it names.
    year: u32,
}

/// What a sentence may refer to, in one revision.
struct Scope<'a> {
    folders: &'a [String],
    own_id: &'a str,
    /// Set for a school's own text, which may name its people; shared text
    /// names roles instead.
    people: Option<&'a [Person]>,
}

impl Trust {
    fn new(options: &Options) -> Trust {
        let first_year = 2026 - options.revisions as u32 + 1;
        let revisions = (0..options.revisions)
            .map(|r| {
                let year = first_year + r as u32;
                Revision {
                    id: format!("{}-{:02}", year, (year + 1) % 100),
                    year,
                }
            })
            .collect::<Vec<_>>();
        let shared = shared_sections(options.seed, options.sections, revisions.len());
        let schools = (0..options.schools)
            .map(|i| make_school(options.seed, i, &shared, revisions.len()))
            .collect();
        Trust {
            seed: options.seed,
            revisions,
            shared,
            schools,
        }
    }

    /// A school's sections in revision `r`, as its pages show them: the
    /// shared ones with the school's own in place, less the one it omits.
    fn resolved<'a>(
        &'a self,
        school: &'a School,
        r: usize,
    ) -> Vec<(&'a SectionHistory, &'a SectionText)> {
        let mut all: Vec<&SectionHistory> = Vec::new();
        for shared in &self.shared {
            if school
                .omitted
                .as_ref()
                .is_some_and(|(id, _)| *id == shared.id)
            {
                continue;
            }
            match school.own.iter().find(|own| own.id == shared.id) {
                Some(own) => all.push(own),
                None => all.push(shared),
            }
        }
        for own in &school.own {
            if !self.shared.iter().any(|s| s.id == own.id) {
                all.push(own);
            }
        }
        // A folder before the sections inside it.
        all.sort_by_key(|s| (s.parent_number(&self.shared), !s.is_folder, s.number));
        all.into_iter()
            .filter_map(|s| s.texts[r].as_ref().map(|t| (s, t)))
            .collect()
    }
}

impl SectionHistory {
    /// Sort key: the number of the top-level section this one belongs to.
    fn parent_number(&self, shared: &[SectionHistory]) -> usize {
        match &self.parent {
            None => self.number,
            Some(parent) => shared
                .iter()
                .find(|s| &s.id == parent)
                .map_or(0, |s| s.number),
        }
    }

    fn shown_in(&self, view: &str) -> bool {
        self.audiences.is_none_or(|a| a.contains(&view))
    }

    /// The file's path under content/.
    fn file(&self, shared: &[SectionHistory]) -> String {
        let own = format!("{:03}-{}", self.number, self.id);
        let own = if self.is_folder {
            format!("{own}/_index.md")
        } else {
            format!("{own}.md")
        };
        match &self.parent {
            None => own,
            Some(parent) => {
                let folder = shared
                    .iter()
                    .find(|s| &s.id == parent)
                    .expect("a section's folder is a shared section");
                format!("{:03}-{}/{own}", folder.number, folder.id)
            }
        }
    }
}

/// The unique section ids, from the topics and then numbered.
fn section_ids(count: usize) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            let topic = TOPICS[i % TOPICS.len()];
            let round = i / TOPICS.len();
            if round == 0 {
                (slug(topic), topic.to_string())
            } else {
                (
                    format!("{}-{}", slug(topic), round + 1),
                    format!("{topic} ({})", round + 1),
                )
            }
        })
        .collect()
}

/// The shared text: S sections in every revision, in folders of five (a
/// folder and four sections inside it). From the second revision on, one
/// section is retired and a new one added each year, and about a third of
/// the rest are edited.
fn shared_sections(seed: u64, count: usize, revisions: usize) -> Vec<SectionHistory> {
    let mut rng = Rng::new(seed, 0);
    let ids = section_ids(count + revisions.saturating_sub(1));
    let mut sections: Vec<SectionHistory> = Vec::new();
    let mut folder: Option<(String, usize)> = None;
    for (i, (id, _)) in ids.iter().enumerate().take(count) {
        let is_folder = i % 5 == 0 && i + 1 < count;
        let (parent, number) = match folder.as_mut() {
            Some((parent, children)) if !is_folder => {
                *children += 1;
                (Some(parent.clone()), *children * 10)
            }
            _ => (
                None,
                (sections.iter().filter(|s| s.parent.is_none()).count() + 1) * 10,
            ),
        };
        if is_folder {
            folder = Some((id.clone(), 0));
        }
        sections.push(SectionHistory {
            id: id.clone(),
            number,
            parent,
            is_folder,
            // Every eighth section is for staff and governors only; never a
            // folder, whose pages every view links to.
            audiences: (!is_folder && i % 8 == 7).then_some(&["staff", "governors"][..]),
            owner: rng.chance(60).then(|| ROLES[rng.below(ROLES.len())].0),
            strands: if rng.chance(40) {
                vec![STRANDS[rng.below(STRANDS.len())].0]
            } else {
                vec![]
            },
            texts: vec![None; revisions],
        });
    }
    let folders: Vec<String> = sections
        .iter()
        .filter(|s| s.is_folder)
        .map(|s| s.id.clone())
        .collect();
    let mut retired_from: Vec<usize> = vec![revisions; sections.len()];
    let mut added_at: Vec<usize> = vec![0; sections.len()];
    for r in 1..revisions {
        // Retire a leaf that is still there; add a new leaf in its folder.
        let candidates: Vec<usize> = (0..sections.len())
            .filter(|&i| {
                sections[i].parent.is_some() && retired_from[i] == revisions && added_at[i] == 0
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let gone = candidates[rng.below(candidates.len())];
        retired_from[gone] = r;
        let (id, _) = &ids[count + r - 1];
        let parent = sections[gone].parent.clone();
        let number = sections
            .iter()
            .filter(|s| s.parent == parent)
            .map(|s| s.number)
            .max()
            .unwrap_or(0)
            + 5;
        sections.push(SectionHistory {
            id: id.clone(),
            number,
            parent,
            is_folder: false,
            audiences: None,
            owner: Some(ROLES[rng.below(ROLES.len())].0),
            strands: vec![],
            texts: vec![None; revisions],
        });
        retired_from.push(revisions);
        added_at.push(r);
    }
    let titles: BTreeMap<&str, &str> = ids.iter().map(|(i, t)| (i.as_str(), t.as_str())).collect();
    for (i, section) in sections.iter_mut().enumerate() {
        let id = section.id.clone();
        let scope = Scope {
            folders: &folders,
            own_id: &id,
            people: None,
        };
        let mut text = new_text(&mut rng, titles[id.as_str()], section.is_folder, &scope);
        for r in 0..revisions {
            if r < added_at[i] || r >= retired_from[i] {
                continue;
            }
            if r > added_at[i] {
                edit(&mut rng, &mut text, &scope);
            }
            section.texts[r] = Some(text.clone());
        }
    }
    sections
}

fn make_school(seed: u64, index: usize, shared: &[SectionHistory], revisions: usize) -> School {
    let mut rng = Rng::new(seed, 1000 + index as u64);
    let place = PLACES[index % PLACES.len()];
    let place = if index < PLACES.len() {
        place.to_string()
    } else {
        format!("{place} {}", index / PLACES.len() + 1)
    };
    let name = format!("{place} {}", rng.pick(KINDS));
    let id = slug(&place);
    let website = format!("https://www.{}.sch.uk/", slug(&place).replace('-', ""));
    let domain = website
        .trim_start_matches("https://www.")
        .trim_end_matches('/')
        .to_string();

    // Every role has a holder; the group has several.
    let mut people: Vec<Person> = Vec::new();
    let count = rng.range(8, 12);
    for p in 0..count {
        let mut full;
        loop {
            full = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            if !people.iter().any(|x| x.name == full) {
                break;
            }
        }
        let id = slug(&full);
        let mut roles = Vec::new();
        // The last role is the IT provider's, added below.
        if let Some((role, ..)) = ROLES.get(p).filter(|_| p < ROLES.len() - 1) {
            roles.push(*role);
        }
        if p < 6 || rng.chance(30) {
            roles.push("online-safety-group");
        }
        if roles.is_empty() {
            roles.push("deputy-dsl");
        }
        roles.dedup();
        let email = (p < 4).then(|| {
            let first = full.split(' ').next().unwrap_or("office");
            format!("{}@{domain}", first.to_lowercase())
        });
        people.push(Person {
            id,
            name: full,
            roles,
            email,
        });
    }
    people.push(Person {
        id: format!("{}-it", id),
        name: format!("{place} IT Services"),
        roles: vec!["it-provider", "online-safety-group"],
        email: None,
    });

    let fills = FILLS
        .iter()
        .map(|(fill, _, answers)| (*fill, *rng.pick(answers)))
        .collect();

    // The school's own text: it replaces one shared section in eight with
    // its own, leaves one out (with a reason) and adds one.
    let folders: Vec<String> = shared
        .iter()
        .filter(|s| s.is_folder)
        .map(|s| s.id.clone())
        .collect();
    let leaves: Vec<&SectionHistory> = shared
        .iter()
        .filter(|s| s.parent.is_some() && s.texts.iter().all(|t| t.is_some()))
        .collect();
    let mut own = Vec::new();
    let replace = (shared.len() / 8).max(1);
    let mut taken: Vec<String> = Vec::new();
    for _ in 0..replace {
        let Some(base) = leaves.get(rng.below(leaves.len().max(1))) else {
            break;
        };
        if taken.contains(&base.id) {
            continue;
        }
        taken.push(base.id.clone());
        own.push(own_history(&mut rng, base, &folders, &people, revisions));
    }
    let omitted = leaves
        .iter()
        .find(|s| !taken.contains(&s.id) && shared.len() >= 8)
        .map(|s| {
            (
                s.id.clone(),
                format!("{name} covers this in its own safeguarding policy."),
            )
        });
    if let Some(folder) = shared.iter().find(|s| s.is_folder) {
        let mut added = own_history(&mut rng, folder, &folders, &people, revisions);
        added.id = format!("at-{}", slug(&place));
        added.is_folder = false;
        added.parent = Some(folder.id.clone());
        added.number = 1 + shared
            .iter()
            .filter(|s| s.parent.as_ref() == Some(&folder.id))
            .map(|s| s.number)
            .max()
            .unwrap_or(0);
        let title = format!("Online safety at {place}");
        for text in added.texts.iter_mut().flatten() {
            text.title = title.clone();
        }
        own.push(added);
    }
    School {
        index,
        id,
        name,
        website,
        people,
        fills,
        own,
        omitted,
    }
}

/// A school's own version of `base`: its own words in every revision, with
/// the school's edits between them.
fn own_history(
    rng: &mut Rng,
    base: &SectionHistory,
    folders: &[String],
    people: &[Person],
    revisions: usize,
) -> SectionHistory {
    let scope = Scope {
        folders,
        own_id: &base.id,
        people: Some(people),
    };
    let title = base
        .texts
        .iter()
        .flatten()
        .next()
        .map_or_else(|| base.id.clone(), |t| t.title.clone());
    let mut text = new_text(rng, &title, false, &scope);
    let mut texts = Vec::new();
    for r in 0..revisions {
        if r > 0 {
            edit(rng, &mut text, &scope);
        }
        texts.push(Some(text.clone()));
    }
    SectionHistory {
        texts,
        ..base.clone()
    }
}

// ---------------------------------------------------------------- the text

fn sentence(rng: &mut Rng, scope: &Scope) -> String {
    let template = *rng.pick(SENTENCES);
    fill_slots(rng, template, scope)
}

fn fill_slots(rng: &mut Rng, template: &str, scope: &Scope) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("slots are closed");
        let slot = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let reference = match slot {
            "role" => {
                let (id, _, _) = rng.pick(ROLES);
                if rng.chance(15) {
                    format!("[[role:{id}|the {}]]", id.replace('-', " "))
                } else {
                    format!("[[role:{id}]]")
                }
            }
            "org" => format!("[[org:{}]]", rng.pick(ORGS).0),
            "doc" => format!("[[doc:{}]]", rng.pick(DOCS).0),
            "section" => {
                let others: Vec<&String> = scope
                    .folders
                    .iter()
                    .filter(|f| *f != scope.own_id)
                    .collect();
                match others.get(rng.below(others.len().max(1))) {
                    Some(folder) if rng.chance(50) => format!("[[section:{folder}#key-points]]"),
                    Some(folder) => format!("[[section:{folder}]]"),
                    None => "This section".to_string(),
                }
            }
            "school" => "[[school]]".to_string(),
            "date" => "[[date:next-review]]".to_string(),
            "strand" => format!("[[strand:{}]]", rng.pick(STRANDS).0),
            "year" => format!("[[curriculum:{}]]", rng.pick(&YEARS[1..]).0),
            "person" => match scope.people {
                Some(people) => format!("[[person:{}]]", rng.pick(people).id),
                None => format!("[[role:{}]]", rng.pick(ROLES).0),
            },
            // Each fill-in sentence is about one of them.
            "filtering" => "[[fill:filtering-provider]]".to_string(),
            "monitoring" => "[[fill:monitoring-system]]".to_string(),
            "log" => "[[fill:logging-system]]".to_string(),
            "curriculum" => "[[curriculum]]".to_string(),
            "holders" => "[[holders:online-safety-group]]".to_string(),
            "dp-review" => "[[date:data-protection-review]]".to_string(),
            other => panic!("unknown slot {{{other}}} in a sentence"),
        };
        out.push_str(&reference);
    }
    out.push_str(rest);
    out
}

/// `n` different entries of `items`, in a random order.
fn distinct(rng: &mut Rng, items: &'static [&'static str], n: usize) -> Vec<&'static str> {
    let mut left = items.to_vec();
    (0..n.min(left.len()))
        .map(|_| left.remove(rng.below(left.len())))
        .collect()
}

fn paragraph(rng: &mut Rng, scope: &Scope, low: usize, high: usize) -> Block {
    let n = rng.range(low, high);
    let templates = distinct(rng, SENTENCES, n);
    Block::Paragraph(
        templates
            .into_iter()
            .map(|t| fill_slots(rng, t, scope))
            .collect(),
    )
}

fn list(rng: &mut Rng, scope: &Scope) -> Block {
    let n = rng.range(3, 6);
    let mut items = distinct(rng, LIST_ITEMS, n + 3).into_iter();
    let mut list = Vec::new();
    for _ in 0..n {
        let Some(item) = items.next() else { break };
        let item = fill_slots(rng, item, scope);
        let mut children = Vec::new();
        if rng.chance(20) {
            for child in items.by_ref().take(2) {
                children.push(fill_slots(rng, child, scope));
            }
        }
        list.push((item, children));
    }
    Block::List(list)
}

fn table(rng: &mut Rng, scope: &Scope) -> Block {
    let n = rng.range(3, 5);
    let mut concerns: Vec<&str> = CONCERNS.to_vec();
    let rows = (0..n)
        .map(|_| {
            let concern = concerns.remove(rng.below(concerns.len()));
            [
                concern.to_string(),
                fill_slots(rng, "{role}", scope),
                rng.pick(WHEN).to_string(),
            ]
        })
        .collect();
    Block::Table {
        caption: "Who is told about a concern, and when".into(),
        rows,
    }
}

fn new_text(rng: &mut Rng, title: &str, is_folder: bool, scope: &Scope) -> SectionText {
    let mut blocks = vec![paragraph(rng, scope, 2, 4)];
    let mut notes = Vec::new();
    if is_folder {
        if rng.chance(40) {
            // Alone in its paragraph, it becomes the list of the group.
            blocks.push(Block::Paragraph(vec!["The Online Safety Group is:".into()]));
            blocks.push(Block::Paragraph(vec![fill_slots(rng, "{holders}", scope)]));
        }
        blocks.push(Block::Heading(
            "Key points".into(),
            Some("key-points".into()),
        ));
        blocks.push(list(rng, scope));
    } else {
        blocks.push(paragraph(rng, scope, 2, 5));
        let mut headings: Vec<&str> = SUBHEADINGS.to_vec();
        for _ in 0..rng.range(1, 2) {
            let heading = headings.remove(rng.below(headings.len()));
            blocks.push(Block::Heading(heading.into(), None));
            blocks.push(paragraph(rng, scope, 2, 4));
            if rng.chance(60) {
                blocks.push(list(rng, scope));
            }
        }
        if rng.chance(35) {
            blocks.push(table(rng, scope));
        }
        if rng.chance(50) {
            blocks.push(Block::Audience(
                &["staff", "governors"],
                vec![paragraph(rng, scope, 1, 3), list(rng, scope)],
            ));
        }
        if rng.chance(25) {
            blocks.push(Block::Audience(
                &["parents"],
                vec![paragraph(rng, scope, 1, 2)],
            ));
        }
        if rng.chance(30) {
            notes.push(format!(
                "See {} for the statutory guidance this follows.",
                fill_slots(rng, "{doc}", scope)
            ));
        }
        blocks.push(paragraph(rng, scope, 1, 3));
    }
    SectionText {
        title: title.to_string(),
        summary: format!("What the policy says about {}.", title.to_lowercase()),
        blocks,
        notes,
    }
}

/// One revision's edits to a section: about a third are reworded, some grow
/// a sentence or a list item, a few change their title.
fn edit(rng: &mut Rng, text: &mut SectionText, scope: &Scope) {
    if !rng.chance(35) {
        return;
    }
    // Paragraphs of one sentence stay as they are: a `[[holders:…]]` alone
    // in its paragraph is a list, and would become a sentence.
    let paragraphs: Vec<usize> = (0..text.blocks.len())
        .filter(|&i| matches!(&text.blocks[i], Block::Paragraph(s) if s.len() > 1))
        .collect();
    if let Some(&i) = paragraphs.get(rng.below(paragraphs.len().max(1))) {
        let new = sentence(rng, scope);
        if let Block::Paragraph(sentences) = &mut text.blocks[i] {
            let at = rng.below(sentences.len());
            if rng.chance(30) {
                sentences.insert(at, new);
            } else {
                sentences[at] = new;
            }
        }
    }
    if rng.chance(30)
        && let Some(Block::List(items)) =
            text.blocks.iter_mut().find(|b| matches!(b, Block::List(_)))
    {
        items.push((
            {
                let item = *rng.pick(LIST_ITEMS);
                fill_slots(rng, item, scope)
            },
            vec![],
        ));
    }
    if rng.chance(5) && !text.title.ends_with(" and review") {
        text.title.push_str(" and review");
    }
}

// ---------------------------------------------------------------- Markdown

/// A section's file: front matter, then the blocks. `fills` writes the
/// school's fill-in text in place of `[[fill:…]]` (a school written out in
/// full); without it the fill-ins stay for the template to resolve.
fn section_file(
    section: &SectionHistory,
    text: &SectionText,
    fills: Option<&BTreeMap<&str, &str>>,
) -> String {
    let mut out = String::from("---\n");
    writeln!(out, "title: {}", q(&text.title)).unwrap();
    writeln!(out, "summary: {}", q(&text.summary)).unwrap();
    if let Some(audiences) = section.audiences {
        writeln!(out, "audiences: [{}]", audiences.join(", ")).unwrap();
    }
    if let Some(owner) = section.owner {
        writeln!(out, "owner: {owner}").unwrap();
    }
    if !section.strands.is_empty() {
        writeln!(out, "strands: [{}]", section.strands.join(", ")).unwrap();
    }
    out.push_str("---\n");
    for (i, block) in text.blocks.iter().enumerate() {
        out.push('\n');
        write_block(&mut out, block, if i == 0 { &text.notes } else { &[] });
    }
    for (n, note) in text.notes.iter().enumerate() {
        writeln!(out, "\n[^{}]: {note}", n + 1).unwrap();
    }
    match fills {
        Some(fills) => resolve_fills(&out, fills),
        None => out,
    }
}

fn write_block(out: &mut String, block: &Block, notes: &[String]) {
    match block {
        Block::Paragraph(sentences) => {
            let mut text = sentences.join(" ");
            for n in 1..=notes.len() {
                // A footnote after the paragraph's first sentence.
                match text.find(". ") {
                    Some(at) => text.insert_str(at + 1, &format!("[^{n}]")),
                    None => write!(text, "[^{n}]").unwrap(),
                }
            }
            writeln!(out, "{text}").unwrap();
        }
        Block::Heading(heading, id) => match id {
            Some(id) => writeln!(out, "## {heading} {{#{id}}}").unwrap(),
            None => writeln!(out, "## {heading}").unwrap(),
        },
        Block::List(items) => {
            for (item, children) in items {
                writeln!(out, "- {item}").unwrap();
                for child in children {
                    writeln!(out, "  - {child}").unwrap();
                }
            }
        }
        Block::Table { caption, rows } => {
            writeln!(out, "Table: {caption}\n").unwrap();
            writeln!(out, "| Concern | Who is told | When |\n|---|---|---|").unwrap();
            for [concern, who, when] in rows {
                writeln!(out, "| {concern} | {who} | {when} |").unwrap();
            }
        }
        Block::Audience(views, blocks) => {
            writeln!(out, "::: {}", views.join(" ")).unwrap();
            for block in blocks {
                out.push('\n');
                write_block(out, block, &[]);
            }
            writeln!(out, "\n:::").unwrap();
        }
    }
}

fn resolve_fills(text: &str, fills: &BTreeMap<&str, &str>) -> String {
    let mut out = text.to_string();
    for (id, answer) in fills {
        out = out.replace(&format!("[[fill:{id}]]"), answer);
    }
    out
}

// ---------------------------------------------------------------- data/

impl Trust {
    fn write_school(&self, school: &School, template: bool, files: &mut Files) {
        let root = school.id.clone();
        files.add(
            format!("{root}/data/site.yaml"),
            self.site_yaml(school, template),
        );
        files.add(
            format!("{root}/data/versions.yaml"),
            self.versions_yaml(template),
        );
        let last = self.revisions.len() - 1;
        for (r, revision) in self.revisions.iter().enumerate() {
            let base = if r == last {
                root.clone()
            } else {
                format!("{root}/versions/{}", revision.id)
            };
            for (name, text) in self.school_data(school, r, template) {
                files.add(format!("{base}/data/{name}"), text);
            }
            if template {
                self.write_own_sections(school, r, &base, files);
            } else {
                for (section, text) in self.resolved(school, r) {
                    let file = section.file(&self.shared);
                    files.add(
                        format!("{base}/content/{file}"),
                        section_file(section, text, Some(&school.fills)),
                    );
                }
            }
        }
    }

    /// With a template, a school keeps only its own files: the sections it
    /// replaces or adds, and an `omit: true` file for the one it leaves out.
    fn write_own_sections(&self, school: &School, r: usize, base: &str, files: &mut Files) {
        for own in &school.own {
            if let Some(text) = &own.texts[r] {
                files.add(
                    format!("{base}/content/{}", own.file(&self.shared)),
                    section_file(own, text, Some(&school.fills)),
                );
            }
        }
        if let Some((id, reason)) = &school.omitted
            && let Some(shared) = self.shared.iter().find(|s| &s.id == id)
            && let Some(text) = &shared.texts[r]
        {
            files.add(
                format!("{base}/content/{}", shared.file(&self.shared)),
                format!(
                    "---\ntitle: {}\nomit: true\nreason: {}\n---\n",
                    q(&text.title),
                    q(reason)
                ),
            );
        }
    }

    fn site_yaml(&self, school: &School, template: bool) -> String {
        let mut out = String::new();
        writeln!(
            out,
            "# A synthetic school (examples/synth.rs, seed {}).",
            self.seed
        )
        .unwrap();
        writeln!(
            out,
            "school:\n  name: {}\n  website: {}",
            q(&school.name),
            school.website
        )
        .unwrap();
        writeln!(
            out,
            "policy:\n  title: Online Safety Policy\n  applies_from: {}-09",
            self.revisions[0].year
        )
        .unwrap();
        writeln!(out, "base_url: /{}/", school.id).unwrap();
        writeln!(out, "language: en-GB").unwrap();
        if template {
            writeln!(out, "template:\n  path: ../template").unwrap();
        }
        out.push_str(VIEWS_YAML);
        writeln!(
            out,
            "accessibility:\n  contact:\n    email: office@{}\n  response_days: 10\n  compliance: partial\n  known_issues:\n    - Some older documents linked from the policy are not accessible.\n  prepared: 2025-09-01\n  tested: 2025-09-01\n  tested_by: the school, with automated checks of every page",
            school.website.trim_start_matches("https://www.").trim_end_matches('/')
        )
        .unwrap();
        out
    }

    fn versions_yaml(&self, template: bool) -> String {
        let mut out =
            String::from("# Every revision, oldest first; the last is the working tree.\n");
        let last = self.revisions.len() - 1;
        for (r, revision) in self.revisions.iter().enumerate() {
            writeln!(out, "- id: {}", revision.id).unwrap();
            writeln!(out, "  status: approved").unwrap();
            writeln!(out, "  approved: {}-03-1{}", revision.year, r % 10).unwrap();
            writeln!(out, "  approved_by: the Full Governing Body").unwrap();
            writeln!(
                out,
                "  minute: FGB {}/{:02}",
                revision.year % 100,
                3 + r % 7
            )
            .unwrap();
            writeln!(out, "  next_review: {}-09", revision.year + 1).unwrap();
            if template {
                writeln!(out, "  template: {}", revision.id).unwrap();
            }
            if r == last {
                writeln!(out, "  source: working").unwrap();
            } else {
                writeln!(out, "  source: versions/{}", revision.id).unwrap();
            }
        }
        out
    }

    /// data/ of one revision: the shared lists (roles, organisations,
    /// documents) and the school's own (people, reviews, curriculum).
    fn school_data(
        &self,
        school: &School,
        r: usize,
        template: bool,
    ) -> Vec<(&'static str, String)> {
        let mut files = Vec::new();
        if !template {
            files.extend(shared_data());
        }
        files.push(("people.yaml", people_yaml(school)));
        files.push(("reviews.yaml", self.reviews_yaml(r)));
        files.push((
            "curriculum.yaml",
            curriculum_yaml(self.seed, school.index, r),
        ));
        if template {
            let mut fills = String::new();
            for (id, text) in &school.fills {
                writeln!(fills, "- id: {id}\n  text: {}", q(text)).unwrap();
            }
            files.push(("fills.yaml", fills));
        }
        files
    }

    fn reviews_yaml(&self, r: usize) -> String {
        let year = self.revisions[r].year;
        format!(
            "dates:\n  - id: data-protection-review\n    title: Next review of the data protection arrangements\n    date: {}-09\n    deadline: true\n    met: {}-09-0{}\nchecks:\n  - id: filtering-monitoring-review\n    title: Filtering and monitoring review\n    owners: [dsl, online-safety-governor, it-provider]\n    every: 12 months\n    last_done: {year}-09-2{}\n    notes: Against the DfE filtering and monitoring standards.\n  - id: policy-monitoring\n    title: Monitoring of how this policy is followed\n    owners: [online-safety-group]\n    every: 12 months\n    last_done: {year}-07\n",
            year,
            year,
            1 + r % 9,
            r % 9
        )
    }
}

const VIEWS_YAML: &str = "views:
  - id: parents
    title: Parents and carers
    description: How the school keeps your child safe online and how to raise a concern.
  - id: staff
    title: Staff
    description: The full procedures and who holds each role.
  - id: governors
    title: Governors
    description: Everything, with the monitoring schedule and review dates.
    governance: true
";

/// roles, organisations and documents: the same in every school (a
/// template's, when there is one).
fn shared_data() -> Vec<(&'static str, String)> {
    let mut roles = String::new();
    for (id, title, description) in ROLES {
        writeln!(
            roles,
            "- id: {id}\n  title: {}\n  description: {}",
            q(title),
            q(description)
        )
        .unwrap();
    }
    let mut orgs = String::new();
    for (id, name, url, helps, category) in ORGS {
        writeln!(
            orgs,
            "- id: {id}\n  name: {}\n  url: {url}\n  helps_with: {}\n  category: {category}",
            q(name),
            q(helps)
        )
        .unwrap();
    }
    let mut docs = String::new();
    for (id, title, publisher, edition, url) in DOCS {
        writeln!(
            docs,
            "- id: {id}\n  title: {}\n  publisher: {}\n  edition: {edition}",
            q(title),
            q(publisher)
        )
        .unwrap();
        if !url.is_empty() {
            writeln!(docs, "  url: {url}").unwrap();
        }
    }
    vec![
        ("roles.yaml", roles),
        ("organisations.yaml", orgs),
        ("documents.yaml", docs),
    ]
}

fn people_yaml(school: &School) -> String {
    let mut out = String::new();
    for person in &school.people {
        writeln!(
            out,
            "- id: {}\n  name: {}\n  roles: [{}]",
            person.id,
            q(&person.name),
            person.roles.join(", ")
        )
        .unwrap();
        if let Some(email) = &person.email {
            writeln!(
                out,
                "  contact:\n    email: {email}\n    views: [staff, governors]"
            )
            .unwrap();
        }
    }
    out
}

fn curriculum_yaml(seed: u64, school: usize, r: usize) -> String {
    let mut rng = Rng::new(seed, 500_000 + school as u64 * 100 + r as u64);
    let mut out = String::from("years:\n");
    for (id, name) in YEARS {
        writeln!(out, "  - id: {id}\n    name: {name}\n    units:").unwrap();
        // Four units a year, in strands that move on from year to year, so
        // most strands are taught in most years and a few gaps are left.
        let year = YEARS.iter().position(|(y, _)| y == id).unwrap_or(0);
        for u in 0..4 {
            let (strand, strand_name) = STRANDS[(year * 3 + u * 2 + rng.below(2)) % STRANDS.len()];
            writeln!(
                out,
                "      - name: {}\n        provider: {}\n        term: {}\n        strands: [{strand}]\n        summary: {}",
                q(&format!("{strand_name} {}", u + 1)),
                rng.pick(PROVIDERS),
                TERMS[(u * 2 + rng.below(2)) % TERMS.len()],
                q(&format!("Children learn about {} in {name}.", strand_name.to_lowercase()))
            )
            .unwrap();
        }
    }
    out
}

// ---------------------------------------------------------------- template and trust

impl Trust {
    /// The shared text as a site of its own (issue 20's format): every
    /// revision's sections with their fill-ins, and the lists every school
    /// inherits.
    fn write_template(&self, files: &mut Files) {
        let last = self.revisions.len() - 1;
        let mut site = String::from(
            "school:\n  name: Online safety policy template\npolicy:\n  title: Online Safety Policy\nlanguage: en-GB\n",
        );
        site.push_str(VIEWS_YAML);
        files.add("template/data/site.yaml", site);
        files.add("template/data/versions.yaml", self.versions_yaml(false));
        for (r, revision) in self.revisions.iter().enumerate() {
            let base = if r == last {
                "template".to_string()
            } else {
                format!("template/versions/{}", revision.id)
            };
            for (name, text) in shared_data() {
                files.add(format!("{base}/data/{name}"), text);
            }
            let mut fills = String::new();
            for (id, prompt, _) in FILLS {
                writeln!(fills, "- id: {id}\n  prompt: {}", q(prompt)).unwrap();
            }
            files.add(format!("{base}/data/fills.yaml"), fills);
            for section in &self.shared {
                if let Some(text) = &section.texts[r] {
                    files.add(
                        format!("{base}/content/{}", section.file(&self.shared)),
                        section_file(section, text, None),
                    );
                }
            }
        }
    }

    /// trust.yaml at the top (issue 21's format): the trust's name and
    /// where each school's site root is.
    fn trust_yaml(&self, template: bool) -> String {
        let mut out = format!(
            "# A synthetic trust (examples/synth.rs, seed {}).\nname: Synthetic Learning Trust\n",
            self.seed
        );
        if template {
            out.push_str("template:\n  path: template\n");
        }
        out.push_str("schools:\n");
        for school in &self.schools {
            writeln!(out, "  - id: {}\n    path: {}", school.id, school.id).unwrap();
        }
        out
    }
}

// ---------------------------------------------------------------- Hugo

const HUGO_CONFIG: &str = r#"# The same section pages as the policyweb sites beside this folder
# (examples/synth.rs): one page per section, view and revision.
baseURL = "https://trust.example/"
languageCode = "en-GB"
title = "Synthetic Learning Trust"
disableKinds = ["taxonomy", "term", "RSS"]

[markup.goldmark.parser.attribute]
title = true

[markup.tableOfContents]
startLevel = 2
endLevel = 3
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #767676;padding:.25rem .5rem}</style>
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><p>Synthetic pages, for comparison with policyweb.</p></footer>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<nav aria-label="On this page">{{ .TableOfContents }}</nav>
{{ .Content }}{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#;

const HUGO_HOME: &str = r#"{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#;

impl Trust {
    /// One Hugo site with every school's section pages, at the addresses
    /// policyweb gives them (`<school>/<view>/<section>/` for the revision
    /// in force, `<school>/versions/<id>/<view>/<section>/` for the others).
    /// Returns how many section pages that is.
    fn write_hugo(&self, files: &mut Files) -> usize {
        files.add("hugo/hugo.toml", HUGO_CONFIG.to_string());
        files.add("hugo/layouts/_default/baseof.html", HUGO_BASEOF.to_string());
        files.add("hugo/layouts/_default/single.html", HUGO_SINGLE.to_string());
        files.add("hugo/layouts/_default/list.html", HUGO_LIST.to_string());
        files.add("hugo/layouts/index.html", HUGO_HOME.to_string());
        let last = self.revisions.len() - 1;
        let mut pages = 0;
        for school in &self.schools {
            files.add(
                format!("hugo/content/{}/_index.md", school.id),
                format!("---\ntitle: {}\n---\n", q(&school.name)),
            );
            for (r, revision) in self.revisions.iter().enumerate() {
                let sections = self.resolved(school, r);
                let words = Words::new(self, school, r, &sections);
                for view in VIEWS {
                    for (section, text) in &sections {
                        if !section.shown_in(view) {
                            continue;
                        }
                        let at = if r == last {
                            format!("{}/{view}/{}", school.id, section.id)
                        } else {
                            format!(
                                "{}/versions/{}/{view}/{}",
                                school.id, revision.id, section.id
                            )
                        };
                        let markdown = section_file(section, text, Some(&school.fills));
                        files.add(
                            format!("hugo/content/{at}.md"),
                            hugo_page(&markdown, view, &words),
                        );
                        pages += 1;
                    }
                }
            }
        }
        pages
    }
}

/// What each reference writes out, in one school's revision.
struct Words(BTreeMap<String, String>);

impl Words {
    fn new(
        trust: &Trust,
        school: &School,
        r: usize,
        sections: &[(&SectionHistory, &SectionText)],
    ) -> Words {
        let mut words = BTreeMap::new();
        for (id, title, _) in ROLES {
            let holders: Vec<&str> = school
                .people
                .iter()
                .filter(|p| p.roles.contains(id))
                .map(|p| p.name.as_str())
                .collect();
            let text = match holders.split_last() {
                None => title.to_string(),
                Some((only, [])) => format!("{title} ({only})"),
                Some((last, rest)) => format!("{title} ({} and {last})", rest.join(", ")),
            };
            words.insert(format!("role:{id}"), text);
        }
        for person in &school.people {
            words.insert(format!("person:{}", person.id), person.name.clone());
        }
        for (id, name, ..) in ORGS {
            words.insert(format!("org:{id}"), name.to_string());
        }
        for (id, title, _, edition, _) in DOCS {
            words.insert(format!("doc:{id}"), format!("{title} ({edition})"));
        }
        for (section, text) in sections {
            words.insert(format!("section:{}", section.id), text.title.clone());
        }
        for (id, name) in STRANDS {
            words.insert(format!("strand:{id}"), name.to_string());
        }
        for (id, name) in YEARS {
            words.insert(format!("curriculum:{id}"), name.to_string());
        }
        words.insert("curriculum".into(), "the curriculum map".into());
        let group: Vec<&str> = school
            .people
            .iter()
            .filter(|p| p.roles.contains(&"online-safety-group"))
            .map(|p| p.name.as_str())
            .collect();
        words.insert("holders:online-safety-group".into(), group.join(", "));
        words.insert(
            "date:data-protection-review".into(),
            format!("{} {}", MONTHS[8], trust.revisions[r].year),
        );
        words.insert("school".into(), school.name.clone());
        let next = trust.revisions[r].year + 1;
        words.insert("date:next-review".into(), format!("{} {next}", MONTHS[8]));
        Words(words)
    }

    /// The words for `[[kind:id#fragment|label]]`'s inside.
    fn of(&self, reference: &str) -> String {
        if let Some((_, label)) = reference.split_once('|') {
            return label.to_string();
        }
        let key = reference.split('#').next().unwrap_or(reference);
        self.0.get(key).cloned().unwrap_or_else(|| {
            panic!("the generator wrote [[{reference}]] with nothing to resolve it")
        })
    }
}

/// A policyweb section file as a Hugo page for one view: Hugo's front
/// matter, the view's audience blocks kept (their markers dropped), other
/// views' blocks left out, references written out as text.
fn hugo_page(markdown: &str, view: &str, words: &Words) -> String {
    let (front, body) = markdown
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .expect("the generator writes front matter");
    let mut out = String::from("---\n");
    for line in front.lines() {
        if line.starts_with("title:") || line.starts_with("summary:") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("---\n");
    let mut shown = true;
    for line in body.lines() {
        if let Some(views) = line.strip_prefix(":::") {
            let views = views.trim();
            shown = views.is_empty() || views.split_whitespace().any(|v| v == view);
            continue;
        }
        if shown {
            out.push_str(&write_out_references(line, words));
            out.push('\n');
        }
    }
    out
}

fn write_out_references(line: &str, words: &Words) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open..].find("]]") else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&words.of(&rest[open + 2..open + close]));
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

//! Fuzz targets, run on stable Rust inside the normal test build.
//!
//! Each target replays its committed inputs (`tests/fuzz/corpus/<target>/`
//! and the minimised crashes fixed since, `tests/fuzz/crashes/<target>/`),
//! then mutates them for a fraction of a second. Set
//! `POLICYWEB_FUZZ_SECONDS` for a long run that saves every finding under
//! `target/fuzz-findings/` and goes on (docs/fuzzing.md).
//!
//! The properties: no panic, no abort, no input slower than 10 s (30 s in
//! the replay), and, where cheap, a real invariant: front matter splits on
//! character boundaries, a view's filtered text is its body less the
//! markers and the other views' blocks, no page of a built site carries a
//! script, an event handler or a `javascript:` address, a revision
//! compared with itself shows no change, and a build that fails leaves
//! the output folder untouched.

#[path = "fuzz/engine.rs"]
mod engine;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::NaiveDate;

use engine::{Bundle, Signal, Target};
use policyweb::diagnostics::{Diagnostics, Sources};
use policyweb::markdown::{self, Mode, Page, audience};
use policyweb::render::context::Edition;
use policyweb::urls;

/// Each target's share of the short random run in `cargo test`.
const SHORT: Duration = Duration::from_millis(400);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).expect("a real day")
}

// ---------------------------------------------------------------------
// Sites on disk: a fixture with the input written over some of its files.

/// A fixture's files, read once.
fn fixture(name: &'static str) -> &'static [(PathBuf, Vec<u8>)] {
    static MINIMAL: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    static CURRICULUM: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    static TRUST: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    let cell = match name {
        "minimal" => &MINIMAL,
        "curriculum" => &CURRICULUM,
        "trust" => &TRUST,
        other => panic!("no fixture cache for {other}"),
    };
    cell.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let relative = e.path().strip_prefix(&root).expect("inside").to_path_buf();
                (relative, std::fs::read(e.path()).expect("fixture readable"))
            })
            .collect()
    })
}

/// A temporary copy of `fixture` with `bundle`'s files written over it
/// (or removed, for a path written `-path`; `-*` first removes them all). Paths that would leave the
/// folder are skipped: the fuzzer's business is the site, not the disk.
fn site_from(fixture_name: &'static str, bundle: &Bundle) -> Scratch {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).or_else(|_| tempfile::tempdir())
    } else {
        tempfile::tempdir()
    }
    .expect("a temporary folder");
    let root = dir.path().join("site");
    // A bundle that starts `=== -*` is a whole site of its own.
    let whole = bundle.files.first().is_some_and(|(path, _)| path == "-*");
    for (path, bytes) in fixture(fixture_name).iter().filter(|_| !whole) {
        let to = root.join(path);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("folder");
        std::fs::write(to, bytes).expect("fixture copied");
    }
    for (path, bytes) in &bundle.files {
        let (remove, path) = match path.strip_prefix('-') {
            Some(p) => (true, p),
            None => (false, path.as_str()),
        };
        let relative = Path::new(path);
        if path.is_empty()
            || path == "*"
            || relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let to = root.join(relative);
        if remove {
            let _ = std::fs::remove_file(&to);
        } else if let Some(parent) = to.parent()
            && std::fs::create_dir_all(parent).is_ok()
            && !to.is_dir()
        {
            let _ = std::fs::write(&to, bytes);
        }
    }
    std::fs::create_dir_all(&root).expect("site folder");
    Scratch { dir, root }
}

/// A site root in a temporary folder, with room beside it for output.
struct Scratch {
    dir: tempfile::TempDir,
    root: PathBuf,
}

fn one_file(path: &str, input: &[u8]) -> Bundle {
    Bundle {
        files: vec![(path.to_string(), input.to_vec())],
    }
}

/// What a site's diagnostics say, by their first words: the signal that
/// keeps an input in the pool.
fn signal_of(diagnostics: &Diagnostics) -> Signal {
    diagnostics
        .items
        .iter()
        .map(|d| {
            // What is quoted from the input is left out: the kind of
            // problem is the signal, not the value that has it.
            let unquoted: String = d
                .message
                .split('`')
                .step_by(2)
                .collect::<Vec<_>>()
                .join("_");
            let words: Vec<&str> = unquoted.split_whitespace().take(6).collect();
            format!("{:?} {}", d.severity, words.join(" "))
        })
        .collect()
}

/// Every page of a built site: no script, no event handler, no address
/// that runs code. The theme uses none, so any would have come from the
/// input.
fn assert_pages_are_inert(tree: &policyweb::output::Tree) {
    for (path, bytes) in &tree.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for tag in policyweb::html::start_tags(&html) {
            assert!(
                !matches!(tag.name.as_str(), "script" | "iframe" | "object" | "embed"),
                "{path} carries <{}>",
                tag.name
            );
            for (name, value) in &tag.attributes {
                assert!(
                    !name.starts_with("on"),
                    "{path}: <{} {name}=…> carries an event handler",
                    tag.name
                );
                if matches!(name.as_str(), "href" | "src" | "action" | "formaction") {
                    // As a browser reads an address (the WHATWG URL
                    // standard): C0 controls and spaces trimmed from the
                    // ends, tabs and newlines removed anywhere.
                    let scheme: String = value
                        .trim_matches(|c: char| c <= ' ')
                        .chars()
                        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                        .take(11)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    assert!(
                        !scheme.starts_with("javascript:") && !scheme.starts_with("vbscript:"),
                        "{path}: <{} {name}=\"{value}\"> runs code",
                        tag.name
                    );
                }
            }
        }
    }
}

/// Where a section target's input goes: a section of its own beside the
/// fixture's, which no other section links to, so that an input is judged
/// on what it does itself.
const FUZZ_SECTION: &str = "content/025-fuzz.md";

/// A word the audience target places in blocks that parents do not see.
const CANARY: &str = "StaffOnlyCanary";

thread_local! {
    /// Set when every `CANARY` in the input stands in a block the parents'
    /// view does not show: then no parents' page may carry it.
    static CANARY_HIDDEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn assert_parents_never_see_the_canary(tree: &policyweb::output::Tree) {
    if !CANARY_HIDDEN.get() {
        return;
    }
    for (path, bytes) in &tree.files {
        if path.starts_with("parents/") {
            assert!(
                !String::from_utf8_lossy(bytes).contains(CANARY),
                "{path} shows text from a block parents do not see"
            );
        }
    }
}

thread_local! {
    static CACHE: std::cell::RefCell<policyweb::BuildCache> = std::cell::RefCell::default();
}

/// Load, validate, render and check, as `build` does, and print the
/// diagnostics as the command line would. Returns what was said.
fn load_and_render(root: &Path) -> (Option<policyweb::model::Site>, Sources, Signal) {
    let (site, sources, mut diagnostics) = policyweb::load_site(root, today());
    if let Some(site) = &site {
        // As `serve` does: the parsed theme and unchanged pages are kept
        // from the last run on this thread, which makes a run several
        // times quicker; the cache is part of the product, so is fuzzed too.
        let (generated, more) =
            CACHE.with_borrow_mut(|cache| policyweb::generate_cached(site, cache));
        diagnostics.extend(more);
        // Only a site without errors is written; the rest never leaves memory.
        assert_parents_never_see_the_canary(&generated.public);
        if !diagnostics.has_errors() {
            assert_pages_are_inert(&generated.public);
            assert_pages_are_inert(&generated.restricted);
        }
    }
    diagnostics.sort(&sources);
    let _ = diagnostics.render(&sources, false);
    let signal = signal_of(&diagnostics);
    (site, sources, signal)
}

/// Every shown section rendered from Markdown for every view, on its own
/// page and on the print page, without the templates: the part of a
/// build that reads the section, at a tenth of the cost.
fn load_and_render_sections(root: &Path) -> Signal {
    let (site, sources, mut diagnostics) = policyweb::load_site(root, today());
    let mut fragments = policyweb::output::Tree::default();
    if let Some(site) = &site {
        for view in &site.settings.views {
            let Some(edition) = Edition::main(site, view) else {
                continue;
            };
            for section in edition.shown() {
                for (mode, path) in [
                    (Mode::Section, urls::section(&view.id, &section.id)),
                    (Mode::All, urls::all_sections(&view.id)),
                ] {
                    let rendered =
                        markdown::render(&Page::new(site, &edition, section, &path, mode));
                    diagnostics.extend(rendered.diagnostics);
                    fragments.insert(format!("{path}{}.html", section.id), rendered.html);
                }
            }
        }
    }
    assert_parents_never_see_the_canary(&fragments);
    if !diagnostics.has_errors() {
        assert_pages_are_inert(&fragments);
    }
    diagnostics.sort(&sources);
    let _ = diagnostics.render(&sources, false);
    signal_of(&diagnostics)
}

/// Whether this run takes the whole path through the templates: always
/// when replaying or minimising, one run in eight otherwise.
fn thorough() -> bool {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    engine::THOROUGH.load(Ordering::SeqCst) > 0
        || RUNS.fetch_add(1, Ordering::SeqCst).is_multiple_of(8)
}

fn site_with_file(fixture_name: &'static str, path: &str, input: &[u8]) -> Signal {
    let scratch = site_from(fixture_name, &one_file(path, input));
    if thorough() {
        load_and_render(&scratch.root).2
    } else {
        load_and_render_sections(&scratch.root)
    }
}

// ---------------------------------------------------------------------
// The targets.

const MARKDOWN_WORDS: &[&str] = &[
    "[[role:dsl]]",
    "[[role:headteacher|the head]]",
    "[[person:asha-patel]]",
    "[[holders:dsl]]",
    "[[org:ceop]]",
    "[[doc:kcsie-2024]]",
    "[[doc:kcsie-2023]]",
    "[[section:checking-devices]]",
    "[[section:reporting#how-to-report]]",
    "[[strand:privacy]]",
    "[[curriculum:year-1]]",
    "[[school]]",
    "[[policy]]",
    "[[date:policy-created]]",
    "[[check:filtering-review]]",
    "[[",
    "]]",
    "|",
    "::: staff\n",
    "::: staff governors\nStaffOnlyCanary\n:::\n",
    "StaffOnlyCanary",
    "::: parents governors\n",
    "::: nobody\n",
    ":::\n",
    "```\n",
    "~~~rust\n",
    "```yaml\n",
    "    code\n",
    "# ",
    "## Heading {#main}\n",
    "## Heading {#how-to-report .x}\n",
    "### ",
    "> ",
    "- ",
    "1. ",
    "* [ ] ",
    "- [x] ",
    "Table: caption\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "|---|\n",
    "[^1]",
    "[^1]: note\n",
    "~~gone~~",
    "**bold**",
    "_em_",
    "`code`",
    "![alt](image.png)",
    "![](../x.png)",
    "[link](https://example.org)",
    "[link](http://example.org)",
    "[link](javascript:alert(1))",
    "[link](../parents/index.html#top)",
    "[link](#how-to-report)",
    "<https://example.org>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"  jav&#x09;ascript:alert(1)\">x</a>",
    "<div id=\"main\" class=\"notice-draft\">",
    "</div>",
    "<details><summary>s</summary>",
    "<input type=text>",
    "<iframe src=x></iframe>",
    "<style>p{}</style>",
    "<!-- c -->",
    "<![CDATA[x]]>",
    "&amp;",
    "&#0;",
    "&nbsp;",
    "\\",
    "---\n",
    "\n\n",
];

const YAML_WORDS: &[&str] = &[
    "- id: x\n",
    "  - ",
    "id: ",
    "title: ",
    "name: ",
    "roles: [dsl, nobody]\n",
    "views: [staff]\n",
    "views: [parents]\n",
    "audiences: [staff, governors]\n",
    "restricted: true\n",
    "governance: true\n",
    "contact:\n  email: a@b.example\n",
    "email: not-an-address\n",
    "phone: \"01632 960000\"\n",
    "url: https://example.org/\n",
    "url: http://example.org/\n",
    "url: javascript:alert(1)\n",
    "allow_http: true\n",
    "edition: 2024\n",
    "superseded_by: kcsie-2024\n",
    "every: 12 months\n",
    "every: 2 years\n",
    "every: 6 weeks\n",
    "every: 0 weeks\n",
    "last_done: 2023-09-20\n",
    "date: 2024-01\n",
    "owners: [dsl]\n",
    "status: draft\n",
    "status: approved\n",
    "approved: 2024-03-13\n",
    "next_review: 2024-09\n",
    "source: working\n",
    "source: versions/2024-25\n",
    "source: git:v1\n",
    "source: ../outside\n",
    "base_url: /\n",
    "strands: [privacy, kindness]\n",
    "years: [reception, year-1]\n",
    "units:\n",
    "term: Autumn 1\n",
    "provider: PSHE\n",
    "statements: [x]\n",
    "compliance: partial\n",
    "prepared: 2024-05-20\n",
    "response_days: 10\n",
    "summary: ",
    "description: ",
    "category: Reporting\n",
    "helps_with: ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "? ",
    "{}",
    "[]",
    "~",
    "null",
    "\"",
    "'",
    "|\n",
    ">-\n",
    "#",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "\t",
    "  ",
    ": ",
    "- ",
];

fn front_matter_run(input: &[u8]) -> Signal {
    let text = String::from_utf8_lossy(input);
    if let Some((yaml, body)) = policyweb::load::content::split_front_matter(&text) {
        assert!(
            yaml.start <= yaml.end && yaml.end <= body && body <= text.len(),
            "front matter {yaml:?}, body from {body} in {} bytes",
            text.len()
        );
        for at in [yaml.start, yaml.end, body] {
            assert!(text.is_char_boundary(at), "{at} is inside a character");
        }
        let opening = &text[..yaml.start];
        assert_eq!(opening.trim_end(), "---", "opens with a line ---");
        assert_eq!(
            text[yaml.end..body].trim_end(),
            "---",
            "closes with a line ---"
        );
    }
    site_with_file("minimal", FUZZ_SECTION, input)
}

fn references_run(input: &[u8]) -> Signal {
    site_with_file("minimal", FUZZ_SECTION, input)
}

fn audience_run(input: &[u8]) -> Signal {
    let text = String::from_utf8_lossy(input);
    let body = policyweb::load::content::split_front_matter(&text).map_or(0, |(_, body)| body);
    let views: Vec<String> = ["parents", "staff", "governors"].map(String::from).to_vec();
    let (blocks, problems) = audience::scan(&text, body..text.len(), Some(views.as_slice()));
    let mut cursor = body;
    for block in &blocks {
        assert!(
            cursor <= block.open.start
                && block.open.end <= block.inner.start
                && block.inner.end <= block.close.start
                && block.close.end <= text.len(),
            "blocks in order and inside the body: {blocks:?}"
        );
        cursor = block.close.end;
    }
    for (range, _, _) in &problems {
        assert!(range.start <= range.end && range.end <= text.len());
    }
    for view in ["parents", "staff", "governors"] {
        let filtered = audience::filter(&text, body..text.len(), &blocks, Some(view));
        let markers: usize = blocks.iter().map(|b| b.open.len() + b.close.len()).sum();
        let hidden: usize = blocks
            .iter()
            .filter(|b| !b.views.iter().any(|v| v == view))
            .map(|b| b.inner.len())
            .sum();
        assert_eq!(
            filtered.text.len(),
            text.len() - body - markers - hidden,
            "{view} sees the body less the markers and the other views' blocks"
        );
        for at in 0..=filtered.text.len() {
            if filtered.text.is_char_boundary(at) {
                assert!(filtered.source_offset(at) <= text.len());
            }
        }
    }
    let hidden_from_parents = |at: usize| {
        blocks.iter().any(|b| {
            b.inner.start <= at
                && at + CANARY.len() <= b.inner.end
                && !b.views.iter().any(|v| v == "parents")
        })
    };
    let mut canaries = text.match_indices(CANARY).map(|(at, _)| at).peekable();
    CANARY_HIDDEN.set(canaries.peek().is_some() && canaries.all(hidden_from_parents));
    let signal = site_with_file("minimal", FUZZ_SECTION, input);
    CANARY_HIDDEN.set(false);
    signal
}

fn markdown_run(input: &[u8]) -> Signal {
    site_with_file("minimal", FUZZ_SECTION, input)
}

macro_rules! yaml_target {
    ($run:ident, $fixture:literal, $file:literal) => {
        fn $run(input: &[u8]) -> Signal {
            site_with_file($fixture, concat!("data/", $file, ".yaml"), input)
        }
    };
}

yaml_target!(yaml_site_run, "minimal", "site");
yaml_target!(yaml_versions_run, "curriculum", "versions");
yaml_target!(yaml_roles_run, "minimal", "roles");
yaml_target!(yaml_people_run, "minimal", "people");
yaml_target!(yaml_organisations_run, "minimal", "organisations");
yaml_target!(yaml_documents_run, "minimal", "documents");
yaml_target!(yaml_reviews_run, "minimal", "reviews");
yaml_target!(yaml_strands_run, "curriculum", "strands");
yaml_target!(yaml_curriculum_run, "curriculum", "curriculum");
yaml_target!(yaml_glossary_run, "minimal", "glossary");

/// trust.yaml over the trust fixture's three schools: read and checked
/// (ids, paths, links and `..` out of the trust's folder), then every
/// school's status, as `status --root TRUST` shows it. A trust.yaml with
/// errors has no status; one without names every school it lists.
fn trust_run(input: &[u8]) -> Signal {
    let scratch = site_from("trust", &one_file("trust.yaml", input));
    let (trust, sources, diagnostics) = policyweb::trust::load(&scratch.root);
    let _ = diagnostics.render(&sources, false);
    if trust.is_some() && thorough() {
        let (status, sources, more) = policyweb::commands::trust::status(&scratch.root, today());
        let _ = more.render(&sources, false);
        assert!(status.is_some(), "a trust.yaml without errors has a status");
    }
    signal_of(&diagnostics)
}

/// Two revisions (the curriculum fixture's frozen 2024-25 and working
/// 2025-26) with the bundle's files over them: every pair compared in
/// every view, each revision with itself showing no change.
fn changes_run(input: &[u8]) -> Signal {
    let scratch = site_from("curriculum", &Bundle::parse(input));
    let (site, _, mut signal) = if thorough() {
        load_and_render(&scratch.root)
    } else {
        let (site, _, diagnostics) = policyweb::load_site(&scratch.root, today());
        (site, Sources::default(), signal_of(&diagnostics))
    };
    let Some(site) = site else {
        return signal;
    };
    let mut views: Vec<Option<&str>> = vec![None];
    views.extend(site.settings.views.iter().map(|v| Some(v.id.as_str())));
    for old in &site.revisions {
        for new in &site.revisions {
            for &view in &views {
                let changes = policyweb::changes::compare(&site, old, new, view);
                let _ = policyweb::changes::report::terminal(&changes, false);
                if std::ptr::eq(old, new) {
                    let s = &changes.summary;
                    assert_eq!(
                        (s.added, s.removed, s.changed, s.moved, s.renamed),
                        (0, 0, 0, 0, 0),
                        "{} against itself ({view:?}) shows changes",
                        old.id
                    );
                    assert_eq!((s.words_added, s.words_removed), (0, 0));
                    assert!(
                        changes.data.is_empty(),
                        "{} against itself: {:?}",
                        old.id,
                        changes.data
                    );
                }
                signal.push(format!("{:?}", changes.summary));
            }
        }
    }
    signal
}

/// A whole site from the bundle over the minimal fixture, built as
/// `policyweb build` does: a failed build must leave the output as it was.
fn site_run(input: &[u8]) -> Signal {
    let scratch = site_from("minimal", &Bundle::parse(input));
    let out = scratch.dir.path().join("out/public");
    let options = policyweb::commands::build::BuildOptions {
        root: scratch.root.clone(),
        out: out.clone(),
        restricted_out: Some(scratch.dir.path().join("out/restricted")),
        today: today(),
        base_url: None,
    };
    let outcome = policyweb::commands::build::build(&options);
    let _ = outcome.diagnostics.render(&outcome.sources, false);
    if outcome.succeeded() {
        assert!(
            out.join("index.html").is_file(),
            "a build that succeeded wrote the landing page"
        );
    } else {
        assert!(
            !out.exists(),
            "a failed build left {} behind",
            out.display()
        );
        assert!(
            outcome.diagnostics.has_errors(),
            "a build that wrote nothing says why"
        );
    }
    signal_of(&outcome.diagnostics)
}

macro_rules! target {
    ($test:ident, $name:literal, $bundle:expr, $words:expr, $run:ident) => {
        #[test]
        fn $test() {
            let target = Target {
                name: $name,
                bundle: $bundle,
                dictionary: $words,
                run: $run,
                pending: |_| None,
            };
            let replayed = engine::replay(&target);
            assert!(replayed > 0, "tests/fuzz/corpus/{} has inputs", $name);
            engine::fuzz(&target, SHORT);
        }
    };
}

target!(
    front_matter,
    "front-matter",
    false,
    YAML_WORDS,
    front_matter_run
);
target!(
    references,
    "references",
    false,
    MARKDOWN_WORDS,
    references_run
);
target!(
    audience_blocks,
    "audience",
    false,
    MARKDOWN_WORDS,
    audience_run
);
target!(markdown, "markdown", false, MARKDOWN_WORDS, markdown_run);
target!(yaml_site, "yaml-site", false, YAML_WORDS, yaml_site_run);
target!(
    yaml_versions,
    "yaml-versions",
    false,
    YAML_WORDS,
    yaml_versions_run
);
target!(yaml_roles, "yaml-roles", false, YAML_WORDS, yaml_roles_run);
target!(
    yaml_people,
    "yaml-people",
    false,
    YAML_WORDS,
    yaml_people_run
);
target!(
    yaml_organisations,
    "yaml-organisations",
    false,
    YAML_WORDS,
    yaml_organisations_run
);
target!(
    yaml_documents,
    "yaml-documents",
    false,
    YAML_WORDS,
    yaml_documents_run
);
target!(
    yaml_reviews,
    "yaml-reviews",
    false,
    YAML_WORDS,
    yaml_reviews_run
);
target!(
    yaml_strands,
    "yaml-strands",
    false,
    YAML_WORDS,
    yaml_strands_run
);
target!(
    yaml_curriculum,
    "yaml-curriculum",
    false,
    YAML_WORDS,
    yaml_curriculum_run
);
target!(
    yaml_glossary,
    "yaml-glossary",
    false,
    YAML_WORDS,
    yaml_glossary_run
);
target!(trust_yaml, "trust-yaml", false, YAML_WORDS, trust_run);
target!(changes, "changes", true, MARKDOWN_WORDS, changes_run);
target!(site, "site", true, MARKDOWN_WORDS, site_run);

/// A stand-in target that fails on an audience block holding a reference.
fn fails_on_a_reference_in_a_block(input: &[u8]) -> Signal {
    let text = String::from_utf8_lossy(input);
    assert!(
        !(text.contains("::: staff") && text.contains("[[role:x]]")),
        "a reference in a block"
    );
    Vec::new()
}

#[test]
fn a_finding_is_minimised_to_what_causes_it() {
    let target = Target {
        name: "stand-in",
        bundle: false,
        dictionary: &[],
        run: fails_on_a_reference_in_a_block,
        pending: |_| None,
    };
    assert!(engine::minimised(&target, b"::: staff\nno reference\n").is_none());
    let input = b"---\ntitle: x\n---\nintro\n::: staff\nmore\n[[role:x]] and words\n:::\nend\n";
    let (small, problem) = engine::minimised(&target, input).expect("the input fails");
    assert!(problem.contains("a reference in a block"), "{problem}");
    // Every byte left is needed: the two pieces the property looks for, in
    // the order the input has them.
    assert_eq!(String::from_utf8_lossy(&small), "::: staff[[role:x]]");
}

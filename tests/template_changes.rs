//! What changes in a template and how a school takes it in: the
//! governors' `template/` page, `policyweb template changes`, `template
//! adopt`, the template group of `status` and `--strict`'s grace days, and
//! `diff` saying which changes came with the template.
//!
//! examples/template is the Anyshire Council template with two approved
//! revisions (2024-25 frozen, 2025-26 approved on 19 June 2025) and two
//! schools. Between the template's revisions: the roles section's text
//! changed; the filtering section changed, which Oakfield replaces with its
//! own; a Generative AI section is new; the sharing-nudes section is gone
//! (Oakfield omits it); the `ai-tools` fill-in is new and the
//! `filtering-provider` prompt re-worded. Oakfield's revisions are both
//! pinned to 2024-25; Riverside's approved 2024-25 is pinned to 2024-25 and
//! its draft has adopted 2025-26.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, Site};

/// Inside the grace period: 43 days after the template's 2025-26 was
/// approved.
const IN_GRACE: &str = "2025-08-01";
/// Past it: 104 days after (11 left in June, 31, 31, 30, and the 1st).
const PAST_GRACE: &str = "2025-10-01";

struct Schools {
    site: Site,
}

impl Schools {
    fn new() -> Schools {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/template");
        Schools {
            site: Site::copy_from(&from),
        }
    }

    fn root(&self, school: &str) -> PathBuf {
        self.site.path(school)
    }

    fn run(&self, school: &str, args: &[&str], today: &str) -> Run {
        let root = self.root(school).to_string_lossy().into_owned();
        let mut all: Vec<&str> = args.to_vec();
        let out = self.root(school).join("public");
        let out = out.to_string_lossy().into_owned();
        if args.first() == Some(&"build") {
            all.extend(["--out", &out, "--today", today]);
        }
        all.extend(["--root", &root]);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyweb"))
            .args(&all)
            .env("NO_COLOR", "1")
            .env("POLICYWEB_TODAY", today)
            .output()
            .expect("policyweb runs");
        Run {
            code: output.status.code().expect("policyweb exits"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn page(&self, school: &str, path: &str) -> String {
        let file = self.root(school).join("public").join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    fn read(&self, relative: &str) -> String {
        self.site.read(relative)
    }
}

/// The text between two headings' words, to say what is listed under one.
fn under<'a>(text: &'a str, heading: &str, next: &str) -> &'a str {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}` in:\n{text}"));
    let rest = &text[start..];
    let end = rest[heading.len()..]
        .find(next)
        .map_or(rest.len(), |i| i + heading.len());
    &rest[..end]
}

#[test]
fn the_governors_page_shows_each_kind_of_template_change_with_its_count() {
    let schools = Schools::new();
    schools
        .run("oakfield", &["build"], IN_GRACE)
        .assert_success();
    let page = common::visible_text(&schools.page("oakfield", "governors/template/index.html"));
    assert!(
        page.contains("What changed in the Anyshire Council template"),
        "{page}"
    );
    // The counts at the top, one of each kind.
    let summary = under(
        &page,
        "Summary",
        "Inherited sections that changed The school",
    );
    for count in [
        "1 inherited section changed",
        "1 replaced section to decide on",
        "1 new section",
        "1 section removed",
        "2 fill-ins added or changed",
    ] {
        assert!(summary.contains(count), "`{count}` not in: {summary}");
    }
    // (a) the roles section, with the added words marked.
    let inherited = under(
        &page,
        "Inherited sections that changed The school",
        "Sections the school replaced",
    );
    assert!(
        inherited.contains("Roles and responsibilities"),
        "{inherited}"
    );
    assert!(inherited.contains("added:"), "{inherited}");
    assert!(inherited.contains("with a report from the"), "{inherited}");
    // (b) filtering: the template's old → new beside the school's text.
    let replaced = under(
        &page,
        "Sections the school replaced",
        "New template sections",
    );
    assert!(replaced.contains("Filtering and monitoring"), "{replaced}");
    assert!(replaced.contains("needs the lead’s decision"), "{replaced}");
    assert!(replaced.contains("added: half term"), "{replaced}");
    assert!(
        replaced.contains("internet connection is filtered and monitored by Anyshire Broadband"),
        "{replaced}"
    );
    // (c) and (d).
    let added = under(&page, "New template sections", "Template sections removed");
    assert!(added.contains("Generative AI"), "{added}");
    let removed = under(&page, "Template sections removed", "Fill-ins added");
    assert!(removed.contains("Sharing nudes"), "{removed}");
    assert!(
        removed.contains("content/050-reporting/020-sharing-nudes.md must be removed"),
        "{removed}"
    );
    // (e) the new fill-in unfilled, the re-worded one with both prompts.
    let fills = under(
        &page,
        "Fill-ins added or whose prompt changed",
        "policyweb template adopt",
    );
    assert!(fills.contains("ai-tools : new"), "{fills}");
    assert!(fills.contains("Not filled yet"), "{fills}");
    assert!(
        fills.contains("it asked “The name of your web filtering provider”"),
        "{fills}"
    );
    // Linked from the governance contents page and navigation, not the
    // parents'.
    let contents = schools.page("oakfield", "governors/index.html");
    assert!(
        contents.contains("governors/template/\">What changed in the template"),
        "{contents}"
    );
    assert!(
        contents.contains("governors/template/\">Template changes</a>"),
        "{contents}"
    );
    let parents = schools.page("oakfield", "parents/index.html");
    assert!(!parents.contains("Template changes"), "{parents}");
}

#[test]
fn a_school_that_inherits_everything_sees_the_changes_as_inherited() {
    let schools = Schools::new();
    schools
        .run("riverside", &["build"], IN_GRACE)
        .assert_success();
    let page = common::visible_text(&schools.page("riverside", "governors/template/index.html"));
    // In force is 2024-25, pinned to the template's 2024-25: filtering is
    // inherited here, so two inherited changes and nothing to decide.
    assert!(page.contains("2 inherited sections changed"), "{page}");
    assert!(page.contains("0 replaced sections to decide on"), "{page}");
    // Its draft has adopted 2025-26: the page says the changes are on
    // their way.
    assert!(
        page.contains(
            "Draft revision 2025-26 has adopted revision 2025-26 of the template already"
        ),
        "{page}"
    );
}

#[test]
fn template_changes_prints_each_kind_and_json_agrees() {
    let schools = Schools::new();
    let run = schools.run("oakfield", &["template", "changes"], IN_GRACE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = &run.stdout;
    assert!(
        text.contains("Template changes: Anyshire Council 2024-25 → 2025-26"),
        "{text}"
    );
    assert!(
        text.contains(
            "(a) Inherited sections that changed: the school's pages change with them (1)"
        ),
        "{text}"
    );
    assert!(
        text.contains("Roles and responsibilities (roles)"),
        "{text}"
    );
    assert!(text.contains("{+"), "{text}");
    assert!(text.contains("with a report from the"), "{text}");
    assert!(text.contains("(b) Sections the school replaced or left out whose template text changed: the lead's decision (1)"), "{text}");
    assert!(
        text.contains("Filtering and monitoring (filtering): needs a decision"),
        "{text}"
    );
    assert!(text.contains("the school's text now:"), "{text}");
    assert!(text.contains("(c) New template sections (1)"), "{text}");
    assert!(text.contains("Generative AI (generative-ai)"), "{text}");
    assert!(text.contains("(d) Template sections removed (1)"), "{text}");
    assert!(text.contains("(sharing-nudes)"), "{text}");
    assert!(
        text.contains("(e) Fill-ins added or whose prompt changed (2)"),
        "{text}"
    );
    assert!(text.contains("ai-tools: new"), "{text}");
    assert!(
        text.contains("To take them in: policyweb template adopt 2025-26"),
        "{text}"
    );

    let run = schools.run("oakfield", &["template", "changes", "--json"], IN_GRACE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["state"], "behind");
    assert_eq!(json["pinned"], "2024-25");
    assert_eq!(json["newest"], "2025-26");
    let counts = &json["counts"];
    for (kind, count) in [
        ("inherited", 1),
        ("replaced", 1),
        ("added", 1),
        ("removed", 1),
        ("fills", 2),
    ] {
        assert_eq!(counts[kind], count, "{kind}: {counts}");
    }
    assert_eq!(json["replaced"][0]["school"]["kind"], "replaced");
}

#[test]
fn template_changes_on_a_site_without_a_template_says_so() {
    let site = Site::copy_of("minimal");
    let run = site.run_here(&["template", "changes"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("data/site.yaml names no template"),
        "{}",
        run.stderr
    );
}

#[test]
fn adopt_moves_the_draft_pin_and_says_what_the_next_build_carries_in() {
    let schools = Schools::new();
    let before = schools.read("oakfield/data/versions.yaml");
    let run = schools.run("oakfield", &["template", "adopt", "2025-26"], IN_GRACE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = schools.read("oakfield/data/versions.yaml");
    // The draft's pin moved, its stale comment gone; the approved
    // revision's pin did not move.
    assert_eq!(
        after,
        before.replace(
            "  template: 2024-25                 # not yet adopted the template's 2025-26\n",
            "  template: 2025-26\n"
        )
    );
    assert!(after.contains("approved_by: the Oakfield Governing Body\n  template: 2024-25"));
    let said = &run.stderr;
    assert!(
        said.contains("Pinned draft revision 2025-26 to template revision 2025-26 (was 2024-25)"),
        "{said}"
    );
    assert!(
        said.contains("The next build carries in: 1 inherited section changed"),
        "{said}"
    );
    // Oakfield fills local-context and filtering-provider, not ai-tools.
    assert!(
        said.contains("The build stops until data/fills.yaml gives text for: ai-tools."),
        "{said}"
    );
    // And its omit of the section the template removed.
    assert!(
        said.contains("omits of sections the template no longer has are removed: content/050-reporting/020-sharing-nudes.md."),
        "{said}"
    );
    // Once the school does both, status counts nothing left to adopt.
    schools.site.write(
        "oakfield/data/fills.yaml",
        schools.read("oakfield/data/fills.yaml") + "- id: ai-tools\n  text: none\n",
    );
    schools
        .site
        .remove("oakfield/content/050-reporting/020-sharing-nudes.md");
    let status = schools.run("oakfield", &["status"], IN_GRACE);
    assert!(
        status.stdout.contains("Up to date: nothing to adopt."),
        "{}\n{}",
        status.stdout,
        status.stderr
    );
}

#[test]
fn adopt_opens_a_draft_when_the_newest_revision_is_approved() {
    let schools = Schools::new();
    // Riverside with only its approved 2024-25.
    let versions = schools.read("riverside/data/versions.yaml");
    let approved = &versions[..versions.find("- id: 2025-26").unwrap()];
    schools.site.write("riverside/data/versions.yaml", approved);
    let run = schools.run("riverside", &["template", "adopt", "2025-26"], IN_GRACE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        schools.read("riverside/data/versions.yaml"),
        format!(
            "{approved}- id: 2025-26\n  status: draft\n  source: working\n  template: 2025-26\n"
        )
    );
    assert!(
        run.stderr
            .contains("Opened draft revision 2025-26 in data/versions.yaml"),
        "{}",
        run.stderr
    );
    // The draft builds, carrying the template's 2025-26 in.
    schools
        .run("riverside", &["build"], IN_GRACE)
        .assert_success();
    let draft = schools.page(
        "riverside",
        "governors/changes/2024-25...2025-26/index.html",
    );
    assert!(draft.contains("from the template"), "{draft}");
}

#[test]
fn adopt_refuses_while_the_site_has_errors_and_changes_nothing() {
    let schools = Schools::new();
    schools.site.replace(
        "oakfield/content/030-filtering.md",
        "[[role:dsl]]",
        "[[role:dls]]",
    );
    let before = schools.read("oakfield/data/versions.yaml");
    let run = schools.run("oakfield", &["template", "adopt", "2025-26"], IN_GRACE);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/030-filtering.md:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("template adopt refused: the site has"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Nothing was changed."),
        "{}",
        run.stderr
    );
    assert_eq!(schools.read("oakfield/data/versions.yaml"), before);
}

#[test]
fn adopt_refuses_an_unknown_id_naming_the_known_ones() {
    let schools = Schools::new();
    let before = schools.read("oakfield/data/versions.yaml");
    let run = schools.run("oakfield", &["template", "adopt", "2025-25"], IN_GRACE);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the template has no revision `2025-25`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("its approved revisions are 2024-25, 2025-26"),
        "{}",
        run.stderr
    );
    assert_eq!(schools.read("oakfield/data/versions.yaml"), before);
}

#[test]
fn status_counts_what_is_not_adopted_and_strict_fails_past_the_grace_days() {
    let schools = Schools::new();
    let run = schools.run("oakfield", &["status"], IN_GRACE);
    assert!(
        run.stdout.contains("6 template changes not adopted (1 inherited section changed, 1 replaced section to decide on, 1 new section, 1 section removed, 2 fill-ins added or changed); revision 2025-26 approved 43 days ago"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let strict = schools.run("oakfield", &["status", "--strict"], IN_GRACE);
    assert!(!strict.stderr.contains("unadopted"), "{}", strict.stderr);
    let strict = schools.run("oakfield", &["status", "--strict"], PAST_GRACE);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stderr.contains("template revision 2025-26 of Anyshire Council has waited 104 days unadopted (template_grace_days: 90)"),
        "{}",
        strict.stderr
    );
    // A longer grace in site.yaml lets it wait.
    schools.site.replace(
        "oakfield/data/site.yaml",
        "template:\n",
        "template_grace_days: 120\ntemplate:\n",
    );
    let strict = schools.run("oakfield", &["status", "--strict"], PAST_GRACE);
    assert!(!strict.stderr.contains("unadopted"), "{}", strict.stderr);
    let json = schools.run("oakfield", &["status", "--format", "json"], PAST_GRACE);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(json["template"]["not_adopted"], 6);
    assert_eq!(json["template"]["waiting_days"], 104);
    assert_eq!(json["template"]["grace_days"], 120);
}

#[test]
fn grace_days_beyond_a_year_are_an_error_at_their_place() {
    let schools = Schools::new();
    schools.site.replace(
        "oakfield/data/site.yaml",
        "template:\n",
        "template_grace_days: 400\ntemplate:\n",
    );
    let run = schools.run("oakfield", &["status"], IN_GRACE);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("data/site.yaml:5:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("400 days is too long to leave a template revision unadopted"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_says_which_changes_came_from_the_template() {
    let schools = Schools::new();
    let run = schools.run("riverside", &["diff", "2024-25", "2025-26"], IN_GRACE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = &run.stdout;
    let line = |id: &str| {
        text.lines()
            .find(|l| l.contains(&format!("({id}):")))
            .unwrap_or_else(|| panic!("no section {id} in:\n{text}"))
            .to_string()
    };
    assert!(
        line("roles").contains("from the Anyshire Council template (2024-25 → 2025-26)"),
        "{text}"
    );
    assert!(
        line("generative-ai").contains("new in the Anyshire Council template"),
        "{text}"
    );
    assert!(
        line("sharing-nudes").contains("removed from the Anyshire Council template"),
        "{text}"
    );
    assert!(text.contains("came with the template"), "{text}");
    let json = schools.run(
        "riverside",
        &["diff", "2024-25", "2025-26", "--format", "json"],
        IN_GRACE,
    );
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let roles = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["new"]["id"] == "roles")
        .unwrap();
    assert_eq!(
        roles["origin"],
        "from the Anyshire Council template (2024-25 → 2025-26)"
    );
}

#[test]
fn release_gives_a_new_revision_the_template_pin_of_the_one_before() {
    let schools = Schools::new();
    // Oakfield with only its approved 2024-25 (pinned to the template's
    // 2024-25, frozen in versions/2024-25): the working tree is no revision.
    let versions = schools.read("oakfield/data/versions.yaml");
    let approved = &versions[..versions.find("- id: 2025-26").unwrap()];
    schools.site.write("oakfield/data/versions.yaml", approved);
    let release = [
        "release",
        "2025-26",
        "--approved",
        "2025-07-01",
        "--by",
        "the Oakfield Governing Body",
        "--next-review",
        "2026-07",
    ];
    let run = schools.run("oakfield", &release, IN_GRACE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Moving to the template's 2025-26 is `template adopt`'s to do, so the
    // new revision stays on what the school last approved.
    assert_eq!(
        schools.read("oakfield/data/versions.yaml"),
        format!(
            "{approved}- id: 2025-26\n  status: approved\n  approved: 2025-07-01\n  approved_by: the Oakfield Governing Body\n  next_review: 2026-07\n  template: 2024-25\n  source: versions/2025-26\n"
        )
    );
    schools
        .run("oakfield", &["build"], IN_GRACE)
        .assert_success();
}

#[test]
fn release_refuses_a_revision_built_on_a_template_draft_and_changes_nothing() {
    let schools = Schools::new();
    // The template's 2025-26 back to a draft: Riverside's draft is pinned
    // to it, so approving Riverside's would let approved text change.
    let template = schools.read("anyshire-template/data/versions.yaml");
    let at = template.find("- id: 2025-26").unwrap();
    schools.site.write(
        "anyshire-template/data/versions.yaml",
        format!(
            "{}- id: 2025-26\n  status: draft\n  source: working\n",
            &template[..at]
        ),
    );
    let before = schools.read("riverside/data/versions.yaml");
    let run = schools.run(
        "riverside",
        &[
            "release",
            "2025-26",
            "--approved",
            "2025-07-01",
            "--by",
            "the board",
        ],
        IN_GRACE,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "release refused: this revision is built on the template's 2025-26, which is still a draft"
        ),
        "{}",
        run.stderr
    );
    // Pointed at the pin in Riverside's versions.yaml (line 9, after
    // `  template: `).
    assert!(
        run.stderr.contains("data/versions.yaml:9:13"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Nothing was changed."),
        "{}",
        run.stderr
    );
    assert_eq!(schools.read("riverside/data/versions.yaml"), before);
    assert!(!schools.root("riverside").join("versions/2025-26").exists());
}

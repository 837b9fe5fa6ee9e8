//! Inheriting from a template (issue 20): examples/template/ holds a
//! council's template with two revisions and two schools that personalise
//! it. Each test copies it, changes what it needs and builds with the real
//! binary: replaced, omitted and added sections, folders, data entries by
//! id, fill-ins, markers, pins, chains, cycles and superseded citations.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, TODAY, copy_tree, visible_text};

/// A copy of examples/template/ (or of sites a test writes) in a
/// temporary folder.
struct Schools {
    dir: tempfile::TempDir,
}

impl Schools {
    fn example() -> Schools {
        let schools = Schools::empty();
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/template"),
            schools.dir.path(),
        );
        schools
    }

    fn empty() -> Schools {
        Schools {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {relative}");
        self.write(relative, &text.replace(from, to));
    }

    fn build(&self, site: &str) -> Run {
        let root = self.path(site);
        let output = Command::new(env!("CARGO_BIN_EXE_policyweb"))
            .args(["build", "--today", TODAY, "--root"])
            .arg(&root)
            .arg("--out")
            .arg(root.join("public"))
            .env("NO_COLOR", "1")
            .output()
            .expect("policyweb runs");
        Run {
            code: output.status.code().expect("policyweb exits"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn page(&self, site: &str, page: &str) -> String {
        self.read(&format!("{site}/public/{page}"))
    }
}

/// Where `needle` is in a file: `line:column`, counted from 1, in
/// characters, the way the build prints places.
fn place_of(text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("the text is in the file");
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() + 1;
    format!("{line}:{column}")
}

fn position(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in: {haystack}"))
}

#[test]
fn the_template_and_both_schools_build_without_a_warning() {
    let schools = Schools::example();
    for site in ["anyshire-template", "oakfield", "riverside"] {
        let run = schools.build(site);
        run.assert_success();
        assert!(
            !run.stderr.contains("warning") && !run.stderr.contains('⚠'),
            "{site}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_school_section_of_the_same_id_replaces_the_templates_where_it_stands() {
    let schools = Schools::example();
    schools.build("oakfield").assert_success();
    let page = visible_text(&schools.page("oakfield", "parents/filtering/index.html"));
    assert!(page.contains("reads the monitoring alerts every morning"));
    assert!(!page.contains("every term"), "the template's text is gone");
    let contents = visible_text(&schools.page("oakfield", "parents/index.html"));
    let roles = position(&contents, "Roles and responsibilities");
    let filtering = position(&contents, "How Oakfield filters and monitors");
    let reporting = position(&contents, "Reporting and responding");
    assert!(roles < filtering && filtering < reporting, "{contents}");
}

#[test]
fn an_omitted_section_is_left_out_and_the_governors_see_why() {
    let schools = Schools::example();
    schools.build("oakfield").assert_success();
    let parents = visible_text(&schools.page("oakfield", "parents/index.html"));
    assert!(!parents.contains("Mobile phones"), "{parents}");
    assert!(
        !schools
            .path("oakfield/public/parents/mobile-phones")
            .exists()
    );
    assert!(!parents.contains("may not bring mobile phones"));
    let governors = visible_text(&schools.page("oakfield", "governors/index.html"));
    assert!(
        governors.contains(
            "Mobile phones : Oakfield pupils may not bring mobile phones to school at all"
        ),
        "{governors}"
    );
}

#[test]
fn an_omit_without_a_reason_is_an_error_at_the_omit() {
    let schools = Schools::example();
    let file = "oakfield/content/040-mobile-phones.md";
    let text = schools.read(file);
    let reason = text.lines().find(|l| l.starts_with("reason:")).unwrap();
    schools.write(file, &text.replace(&format!("{reason}\n"), ""));
    let run = schools.build("oakfield");
    assert_eq!(run.code, 1, "{}", run.stderr);
    // `omit: true` is the second line; its value starts at column 7.
    assert!(
        run.stderr.contains("content/040-mobile-phones.md:2:7"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("gives no reason"), "{}", run.stderr);
}

#[test]
fn a_school_section_is_added_by_its_number_among_the_templates() {
    let schools = Schools::example();
    schools.build("riverside").assert_success();
    let contents = visible_text(&schools.page("riverside", "staff/index.html"));
    // 035-remote-learning goes between the template's 030 and 040.
    let filtering = position(&contents, "Filtering and monitoring");
    let remote = position(&contents, "Remote learning");
    let phones = position(&contents, "Mobile phones");
    assert!(filtering < remote && remote < phones, "{contents}");
    // 015 inside the reporting folder goes between its 010 and 020.
    let concerns = position(&contents, "Reporting a concern");
    let own = position(&contents, "Riverside procedure");
    let nudes = position(&contents, "Sharing nudes");
    assert!(concerns < own && own < nudes, "{contents}");
}

#[test]
fn a_school_folder_without_an_index_takes_the_templates_folder_section() {
    let schools = Schools::example();
    schools.build("riverside").assert_success();
    let page = visible_text(&schools.page("riverside", "staff/reporting/index.html"));
    assert!(page.contains("Reporting and responding"), "{page}");
    assert!(page.contains("Riverside procedure"), "{page}");
}

#[test]
fn school_data_entries_replace_the_templates_by_id_and_add_their_own() {
    let schools = Schools::example();
    schools.build("oakfield").assert_success();
    let people = visible_text(&schools.page("oakfield", "staff/people/index.html"));
    assert!(
        people.contains("Computing and Online Safety Lead"),
        "{people}"
    );
    assert!(people.contains("Designated Safeguarding Lead"), "{people}");
    schools.build("riverside").assert_success();
    let people = visible_text(&schools.page("riverside", "staff/people/index.html"));
    assert!(people.contains("Remote Learning Lead"), "{people}");
}

#[test]
fn an_omitted_data_entry_is_gone_and_an_omit_of_an_unknown_id_is_an_error() {
    let schools = Schools::example();
    // Publishing the section that cites the dropped document again: the
    // citation now names a document the school's revision does not have.
    std::fs::remove_file(schools.path("oakfield/content/050-reporting/020-sharing-nudes.md"))
        .unwrap();
    let run = schools.build("oakfield");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let cited = schools
        .read("anyshire-template/versions/2024-25/content/050-reporting/020-sharing-nudes.md");
    let expected = format!(
        "../anyshire-template/versions/2024-25/content/050-reporting/020-sharing-nudes.md:{}",
        place_of(&cited, "[[doc:sharing-nudes]]")
    );
    assert!(
        run.stderr.contains("unknown document `sharing-nudes`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);

    let schools = Schools::example();
    schools.replace(
        "oakfield/data/documents.yaml",
        "id: sharing-nudes",
        "id: no-such-document",
    );
    let run = schools.build("oakfield");
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The id is on line 2, after `- id: `.
    assert!(
        run.stderr.contains("data/documents.yaml:2:7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the template's data/documents.yaml has no document of that id"),
        "{}",
        run.stderr
    );
}

#[test]
fn fill_ins_take_the_schools_words_as_plain_text() {
    let schools = Schools::example();
    schools.replace(
        "riverside/data/fills.yaml",
        "text: Smoothwall, whose alerts go to the DSL",
        "text: \"<b>Smoothwall</b> & <script>alert(1)</script>\"",
    );
    schools.build("riverside").assert_success();
    // The draft reads the working tree's fills.yaml (governors only).
    let page = schools.page(
        "riverside",
        "versions/2025-26/governors/filtering/index.html",
    );
    assert!(page.contains("&lt;b&gt;Smoothwall&lt;/b&gt;"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<b>Smoothwall") && !page.contains("<script>alert"));
    let intro = visible_text(&schools.page("riverside", "parents/introduction/index.html"));
    assert!(intro.contains("Riverside is an 11-18 academy"), "{intro}");
}

#[test]
fn the_templates_own_build_shows_each_fill_in_as_a_marked_placeholder() {
    let schools = Schools::example();
    schools.build("anyshire-template").assert_success();
    let page = schools.page("anyshire-template", "parents/introduction/index.html");
    assert!(page.contains("<span class=\"fill-in\">"), "{page}");
    let text = visible_text(&page);
    assert!(
        text.contains(
            "To be filled in by each school: One sentence about your school and its pupils"
        ),
        "{text}"
    );
}

#[test]
fn an_unfilled_fill_in_is_an_error_at_the_templates_line_with_its_prompt() {
    let schools = Schools::example();
    schools.replace(
        "riverside/data/fills.yaml",
        "- id: ai-tools\n  text: Microsoft Copilot with data protection, for staff only\n",
        "",
    );
    let run = schools.build("riverside");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let template = schools.read("anyshire-template/content/045-generative-ai.md");
    let expected = format!(
        "../anyshire-template/content/045-generative-ai.md:{}",
        place_of(&template, "[[fill:ai-tools]]")
    );
    assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);
    assert!(
        run.stderr.contains(
            "the fill-in `ai-tools` is not filled in: The generative AI tools staff may use with pupils"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_fill_in_nothing_declares_is_an_error_where_it_is_written() {
    let schools = Schools::example();
    let file = "riverside/content/035-remote-learning.md";
    schools.replace(
        file,
        "Staff never contact",
        "Ask [[fill:remote-platform]]. Staff never contact",
    );
    let run = schools.build("riverside");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "content/035-remote-learning.md:{}",
        place_of(&schools.read(file), "[[fill:remote-platform]]")
    );
    assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);
    assert!(
        run.stderr
            .contains("`[[fill:remote-platform]]` is a fill-in no data/fills.yaml declares"),
        "{}",
        run.stderr
    );
}

#[test]
fn staff_and_governors_see_whose_words_a_section_is_and_parents_do_not() {
    let schools = Schools::example();
    schools.build("oakfield").assert_success();
    schools.build("riverside").assert_success();
    let intro = visible_text(&schools.page("riverside", "staff/introduction/index.html"));
    assert!(
        intro.contains("From the Anyshire Council template"),
        "{intro}"
    );
    let own = visible_text(&schools.page("riverside", "governors/remote-learning/index.html"));
    assert!(own.contains("Written by the school"), "{own}");
    let replaced = visible_text(&schools.page("oakfield", "staff/filtering/index.html"));
    assert!(
        replaced
            .contains("Written by the school, in place of the Anyshire Council template's section"),
        "{replaced}"
    );
    for page in [
        "parents/introduction/index.html",
        "parents/remote-learning/index.html",
    ] {
        let html = schools.page("riverside", page);
        assert!(!html.contains("Anyshire Council template"), "{page}");
        assert!(!html.contains("Written by the school"), "{page}");
    }
}

#[test]
fn a_new_template_revision_never_changes_a_schools_approved_pages() {
    let schools = Schools::example();
    schools.build("oakfield").assert_success();
    let before = common::snapshot(&schools.path("oakfield/public"));
    // The council freezes 2025-26 and approves a 2026-27 that rewrites
    // every inherited section Oakfield's approved revision shows.
    let template = "anyshire-template";
    copy_tree(
        &schools.path(&format!("{template}/content")),
        &schools.path(&format!("{template}/versions/2025-26/content")),
    );
    copy_tree(
        &schools.path(&format!("{template}/data")),
        &schools.path(&format!("{template}/versions/2025-26/data")),
    );
    for file in ["versions.yaml", "site.yaml"] {
        std::fs::remove_file(schools.path(&format!("{template}/versions/2025-26/data/{file}")))
            .unwrap();
    }
    schools.replace(
        &format!("{template}/data/versions.yaml"),
        "  source: working\n",
        "  source: versions/2025-26\n- id: 2026-27\n  status: approved\n  approved: 2026-06-18\n  approved_by: the Anyshire Schools Forum\n  source: working\n",
    );
    for file in ["010-introduction.md", "020-roles.md", "060-training.md"] {
        let path = format!("{template}/content/{file}");
        let text = schools.read(&path);
        schools.write(&path, &format!("{text}\nA sentence added in 2026-27.\n"));
    }
    schools.build(template).assert_success();
    schools.build("oakfield").assert_success();
    let after = common::snapshot(&schools.path("oakfield/public"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        // The governors' template page is there to say what the new
        // template revision would change; the policy's pages never do.
        if path.starts_with("governors/template/") {
            continue;
        }
        assert!(after[path] == *bytes, "{path} changed");
    }
    // And the new revision is really there for a school that pins it.
    schools.replace(
        "riverside/data/versions.yaml",
        "template: 2025-26",
        "template: 2026-27",
    );
    schools.build("riverside").assert_success();
    let intro = visible_text(&schools.page("riverside", "governors/introduction/index.html"));
    assert!(
        !intro.contains("added in 2026-27"),
        "the approved 2024-25 is in force"
    );
    let draft = visible_text(&schools.page(
        "riverside",
        "versions/2025-26/governors/introduction/index.html",
    ));
    assert!(draft.contains("A sentence added in 2026-27."), "{draft}");
}

/// A site root with one section, named `name`, optionally inheriting.
fn write_site(schools: &Schools, folder: &str, name: &str, template: Option<&str>) {
    let template_key = template
        .map(|t| format!("template:\n  path: {t}\n"))
        .unwrap_or_default();
    schools.write(
        &format!("{folder}/data/site.yaml"),
        &format!(
            "school:\n  name: {name}\npolicy:\n  title: Online Safety Policy\n{template_key}views:\n  - id: parents\n    title: Parents\n    description: For parents.\naccessibility:\n  contact:\n    email: office@school.example\n  compliance: full\n"
        ),
    );
    let pin = template
        .map(|_| "  template: 2025-26\n")
        .unwrap_or_default();
    schools.write(
        &format!("{folder}/data/versions.yaml"),
        &format!(
            "- id: 2025-26\n  status: approved\n  approved: 2025-06-01\n  approved_by: the board\n{pin}  source: working\n"
        ),
    );
}

#[test]
fn a_chain_of_three_inherits_from_each_level_and_names_each_file() {
    let schools = Schools::empty();
    write_site(&schools, "national", "National Online Safety", None);
    schools.write(
        "national/content/010-duties.md",
        "---\ntitle: Duties\n---\n\nEvery school has a [[role:dsl]]. Our filter: [[fill:filter]].\n",
    );
    schools.write(
        "national/data/roles.yaml",
        "- id: dsl\n  title: Designated Safeguarding Lead\n  description: Leads safeguarding.\n",
    );
    schools.write(
        "national/data/fills.yaml",
        "- id: filter\n  prompt: Your filtering provider\n",
    );
    write_site(&schools, "la", "Anyshire Council", Some("../national"));
    schools.write(
        "la/content/020-local.md",
        "---\ntitle: Local help\n---\n\nCall the Anyshire safeguarding hub.\n",
    );
    // The council passes the national fill-in on to its schools.
    schools.write(
        "la/data/fills.yaml",
        "- id: filter\n  prompt: Your filtering provider (the council offers Anyshire Broadband)\n",
    );
    write_site(&schools, "school", "Hill School", Some("../la"));
    schools.write(
        "school/data/people.yaml",
        "- id: ann\n  name: Ann Hill\n  roles: [dsl]\n",
    );
    schools.write(
        "school/data/fills.yaml",
        "- id: filter\n  text: Anyshire Broadband\n",
    );
    schools.write(
        "school/content/030-ours.md",
        "---\ntitle: Our own\n---\n\nWritten at Hill.\n",
    );
    schools.build("la").assert_success();
    let la = visible_text(&schools.page("la", "parents/duties/index.html"));
    assert!(
        la.contains("Your filtering provider (the council offers"),
        "{la}"
    );
    schools.build("school").assert_success();
    let contents = visible_text(&schools.page("school", "parents/index.html"));
    let (duties, local, ours) = (
        position(&contents, "Duties"),
        position(&contents, "Local help"),
        position(&contents, "Our own"),
    );
    assert!(duties < local && local < ours, "{contents}");
    let page = visible_text(&schools.page("school", "parents/duties/index.html"));
    assert!(
        page.contains("Designated Safeguarding Lead (Ann Hill)"),
        "{page}"
    );
    assert!(page.contains("Our filter: Anyshire Broadband."), "{page}");
    // A problem two levels up is named by the path from the school.
    schools.replace(
        "national/content/010-duties.md",
        "[[role:dsl]]",
        "[[role:dls]]",
    );
    let run = schools.build("school");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "../national/content/010-duties.md:{}",
        place_of(
            &schools.read("national/content/010-duties.md"),
            "[[role:dls]]"
        )
    );
    assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);
}

#[test]
fn templates_in_a_circle_are_an_error_naming_each_site_yaml() {
    let schools = Schools::empty();
    write_site(&schools, "a", "A", Some("../b"));
    write_site(&schools, "b", "B", Some("../a"));
    for site in ["a", "b"] {
        schools.write(
            &format!("{site}/content/010-x.md"),
            "---\ntitle: X\n---\n\nText.\n",
        );
    }
    let run = schools.build("a");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "the templates go round in a circle: data/site.yaml → ../b/data/site.yaml → data/site.yaml"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn a_template_path_that_is_not_a_site_is_an_error_at_the_key() {
    let schools = Schools::empty();
    write_site(&schools, "school", "Hill School", Some("../nowhere"));
    schools.write("school/content/010-x.md", "---\ntitle: X\n---\n\nText.\n");
    let run = schools.build("school");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let site = schools.read("school/data/site.yaml");
    let expected = format!("data/site.yaml:{}", place_of(&site, "../nowhere"));
    assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);
    assert!(
        run.stderr
            .contains("the template `../nowhere` is not a site root"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_citation_the_templates_documents_supersede_is_a_warning_at_the_schools_line() {
    let schools = Schools::example();
    // Riverside keeps its own entry for KCSIE 2024 and cites it; its draft
    // is built on the template's 2025-26, which lists the 2025 edition.
    schools.write(
        "riverside/data/documents.yaml",
        "- id: kcsie-2024\n  title: Keeping Children Safe in Education\n  publisher: Department for Education\n  edition: 2024\n",
    );
    let file = "riverside/content/035-remote-learning.md";
    schools.replace(
        file,
        "Staff never contact",
        "Staff follow [[doc:kcsie-2024]]. Staff never contact",
    );
    let run = schools.build("riverside");
    run.assert_success();
    let expected = format!(
        "content/035-remote-learning.md:{}",
        place_of(&schools.read(file), "[[doc:kcsie-2024]]")
    );
    assert!(run.stderr.contains(&expected), "{expected}: {}", run.stderr);
    assert!(
        run.stderr.contains(
            "this cites Keeping Children Safe in Education (2024), which (2025) replaces"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_omit_in_a_site_without_a_template_is_an_error() {
    let schools = Schools::empty();
    write_site(&schools, "school", "Hill School", None);
    schools.write("school/content/010-x.md", "---\ntitle: X\n---\n\nText.\n");
    schools.write(
        "school/content/020-phones.md",
        "---\nomit: true\nreason: We have none.\n---\n",
    );
    let run = schools.build("school");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/020-phones.md:2:7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("data/site.yaml names no template"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_review_check_can_be_omitted_and_a_date_added() {
    let schools = Schools::example();
    schools.build("oakfield").assert_success();
    let reviews = visible_text(&schools.page("oakfield", "governors/reviews/index.html"));
    assert!(reviews.contains("Review of this policy"), "{reviews}");
    // Both revisions, since the reviews page may show either.
    for file in [
        "oakfield/versions/2024-25/data/reviews.yaml",
        "oakfield/data/reviews.yaml",
    ] {
        schools.write(
            file,
            "dates:\n  - id: filtering-check\n    title: Filtering check with the council\n    date: 2024-11\n    deadline: true\nchecks:\n  - id: policy-review\n    omit: true\n",
        );
    }
    schools.build("oakfield").assert_success();
    let reviews = visible_text(&schools.page("oakfield", "governors/reviews/index.html"));
    assert!(!reviews.contains("Review of this policy"), "{reviews}");
    assert!(
        reviews.contains("Filtering check with the council"),
        "{reviews}"
    );
}

#[test]
fn a_replacement_for_a_section_in_an_omitted_folder_is_an_error_not_dropped() {
    let schools = Schools::empty();
    write_site(&schools, "national", "National", None);
    schools.write("national/content/010-x.md", "---\ntitle: X\n---\n\nText.\n");
    schools.write(
        "national/content/020-help/_index.md",
        "---\ntitle: Help\n---\n\nWhere to get help.\n",
    );
    schools.write(
        "national/content/020-help/010-call.md",
        "---\ntitle: Call\n---\n\nCall us.\n",
    );
    write_site(&schools, "school", "Hill School", Some("../national"));
    schools.write(
        "school/content/020-help.md",
        "---\nomit: true\nreason: Our own help page is elsewhere.\n---\n",
    );
    schools.write(
        "school/content/030-call.md",
        "---\ntitle: Call Hill\n---\n\nCall Hill.\n",
    );
    let run = schools.build("school");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/030-call.md replaces the template's section `call`, which is inside a folder that is left out"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_with_no_sections_of_its_own_inherits_them_all_at_every_level() {
    // national → la → school, where only the national template has
    // content/: the council's is empty and the school has none at all.
    let schools = Schools::empty();
    write_site(&schools, "national", "National Online Safety", None);
    schools.write(
        "national/content/010-duties.md",
        "---\ntitle: Duties\n---\n\nEvery school names a lead.\n",
    );
    write_site(&schools, "la", "Anyshire Council", Some("../national"));
    std::fs::create_dir_all(schools.path("la/content")).unwrap();
    write_site(&schools, "school", "Hill School", Some("../la"));
    schools.build("la").assert_success();
    schools.build("school").assert_success();
    let page = visible_text(&schools.page("school", "parents/duties/index.html"));
    assert!(page.contains("Every school names a lead."), "{page}");
    // A site that leaves every inherited section out has none at all:
    // an error, never an empty site.
    schools.write(
        "school/content/010-duties.md",
        "---\nomit: true\nreason: We use our own policy.\n---\n",
    );
    let run = schools.build("school");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "revision 2025-26 of the template ../la leaves this site no sections: it omits every one and has none of its own"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

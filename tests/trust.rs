//! A trust's folder (trust.yaml and a site per school) built with one
//! `policyweb build --root TRUST`: every school into public/<id>/, the
//! trust's landing page linking each, its dashboard only in restricted/,
//! a broken school's problems under the school's own paths with nothing
//! swapped in, `--school` for one school, and `status --root TRUST`.

mod common;

use common::{Site, TODAY, visible_text};

fn trust() -> Site {
    Site::copy_of("trust")
}

/// The hrefs of every `<a>` in a page.
fn links(html: &str) -> Vec<String> {
    policyweb::html::start_tags(html)
        .into_iter()
        .filter(|t| t.name == "a")
        .filter_map(|t| t.attribute("href").map(str::to_string))
        .collect()
}

#[test]
fn three_schools_build_into_their_folders_with_a_landing_page_linking_each() {
    let site = trust();
    let run = site.build();
    run.assert_success();
    assert!(
        run.stderr
            .contains("Built 3 schools of Northfield Learning Trust"),
        "{}",
        run.stderr
    );
    let landing = site.page("index.html");
    let text = visible_text(&landing);
    let hrefs = links(&landing);
    let schools = [
        ("school-a", "Ashford Primary School", "September 2024"),
        ("school-b", "Beacon Junior School", "March 2025"),
        ("school-c", "Castle Hill Academy", "March 2025"),
    ];
    for (i, (id, name, review)) in schools.into_iter().enumerate() {
        // Each school's own site, whole, in its folder.
        let own = site.page(&format!("{id}/index.html"));
        assert!(own.contains(name), "{id}/index.html does not name {name}");
        assert!(site.out().join(id).join("parents/index.html").is_file());
        // The landing page: its name as a link to that site, with the
        // revision in force and its next review (each school's
        // versions.yaml: 2024-09 for school-a, 2025-03 for the others).
        let link = format!("{id}/index.html");
        assert!(hrefs.contains(&link), "no link to {link} in {hrefs:?}");
        let card = text.split(name).nth(1).expect("the school is named");
        let card = match schools.get(i + 1) {
            Some((_, next, _)) => card.split(next).next().unwrap(),
            None => card,
        };
        assert!(card.contains("2024-25"), "{name}: {card}");
        assert!(card.contains(review), "{name}: {review} in {card}");
    }
    assert!(text.contains("Approved by the Full Governing Body on 13 March 2024"));
    // Every link on the landing page reaches a file that was written.
    for href in hrefs.iter().filter(|h| !h.starts_with('#')) {
        assert!(site.out().join(href).is_file(), "{href} is not in public/");
    }
    assert!(site.out().join(".policyweb-output").is_file());
}

#[test]
fn the_dashboard_is_only_in_the_restricted_output_and_lists_what_a_school_must_do() {
    let site = trust();
    site.build().assert_success();
    let dashboard = std::fs::read_to_string(site.path("restricted/index.html")).unwrap();
    let text = visible_text(&dashboard);
    // school-a: its filtering check was last done on 10 January 2023,
    // every 12 months, so it was due by 10 January 2024; nobody in its
    // people.yaml holds the headteacher role.
    let a = text
        .split("Ashford Primary School")
        .nth(1)
        .and_then(|rest| rest.split("Beacon Junior School").next())
        .expect("school-a's card, before school-b's");
    assert!(
        a.contains("Filtering and monitoring review, due by 10 January 2024"),
        "{a}"
    );
    assert!(a.contains("Headteacher (headteacher)"), "{a}");
    assert!(a.contains("To attend to"), "{a}");
    let b = text.split("Beacon Junior School").nth(1).unwrap();
    assert!(b.starts_with(" Nothing to attend to"), "{b}");
    assert!(text.contains("not using a template"));
    assert!(text.contains("1 of 3 schools to attend to"), "{text}");
    // Its link to school-a's restricted governance view works.
    assert!(links(&dashboard).contains(&"school-a/trustees/index.html".to_string()));
    assert!(
        site.path("restricted/school-a/trustees/index.html")
            .is_file()
    );
    // Not a byte of it, nor of the restricted view, in public/.
    for (path, bytes) in site.snapshot() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Trust dashboard"), "public/{path}");
        assert!(!text.contains("to attend to"), "public/{path}");
        assert!(!path.contains("trustees"), "public/{path}");
    }
}

#[test]
fn a_broken_school_is_named_with_its_own_paths_and_nothing_is_swapped_in() {
    let site = trust();
    site.build().assert_success();
    let public = site.snapshot();
    let restricted = common::snapshot(&site.path("restricted"));
    // Two schools broken in two ways: a mistyped role in school-b's data,
    // a mistyped reference in school-c's text.
    site.replace(
        "school-b/data/people.yaml",
        "roles: [dsl, online",
        "roles: [dls, online",
    );
    site.replace(
        "school-c/content/010-introduction.md",
        "The [[role:dsl]] leads",
        "The [[role:dls]] leads",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    // people.yaml line 3 is `  roles: [dls, online-safety-group]`: the id
    // starts in column 11. The introduction's line 8 (after four lines of
    // front matter, a paragraph of two and a blank) is
    // `The [[role:dls]] leads…`, the reference from column 5.
    assert!(
        run.stderr.contains("--> school-b/data/people.yaml:3:11"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("--> school-c/content/010-introduction.md:8:5"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("in 2 of 3 schools (school-b, school-c)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("was not changed"), "{}", run.stderr);
    assert_eq!(site.snapshot(), public, "public/ changed");
    assert_eq!(common::snapshot(&site.path("restricted")), restricted);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') && name.contains("policyweb"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn a_first_build_of_a_broken_trust_writes_nothing() {
    let site = trust();
    site.replace(
        "school-a/data/reviews.yaml",
        "every: 12 months",
        "every: 12 months\n    often: yes",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--> school-a/data/reviews.yaml:10:5"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
    assert!(!site.path("restricted").exists());
}

#[test]
fn one_school_is_built_with_school() {
    let site = trust();
    let run = site.run(&["build", "--today", TODAY, "--school", "school-b"]);
    run.assert_success();
    assert!(run.stderr.contains("Built 1 school of"), "{}", run.stderr);
    assert!(site.out().join("school-b/index.html").is_file());
    assert!(!site.out().join("school-a").exists());
    assert!(!site.out().join("school-c").exists());
    // The trust's pages come with every shard, the same in each, so the
    // shards' outputs copied together make the whole site.
    let landing = site.page("index.html");
    for id in ["school-a", "school-b", "school-c"] {
        assert!(links(&landing).contains(&format!("{id}/index.html")));
    }

    let unknown = site.run(&["build", "--today", TODAY, "--school", "school-d"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("--school school-d"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown.stderr.contains("did you mean"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn school_outside_a_trust_is_a_usage_error() {
    let site = Site::copy_of("minimal");
    let run = site.run(&["build", "--today", TODAY, "--school", "a"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("has no trust.yaml"), "{}", run.stderr);
    assert!(!site.out().exists());
}

#[test]
fn status_of_a_trust_shows_every_school_and_strict_fails_on_any() {
    let site = trust();
    let run = site.run_here(&["status", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in [
        "Ashford Primary School (school-a/)",
        "Beacon Junior School (school-b/)",
        "Castle Hill Academy (school-c/)",
    ] {
        assert!(run.stdout.contains(name), "{name}: {}", run.stdout);
    }
    let a = run.stdout.split("Beacon").next().unwrap();
    assert!(
        a.contains(
            "Overdue:               Filtering and monitoring review, due by 10 January 2024"
        ),
        "{a}"
    );
    assert!(
        a.contains("Vacant roles:          Headteacher (headteacher)"),
        "{a}"
    );

    let strict = site.run_here(&["status", "--today", TODAY, "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("1 of 3 schools to attend to: school-a ("),
        "{}",
        strict.stderr
    );
    assert!(strict.stderr.contains("nobody holds the role Headteacher"));

    let json = site.run_here(&["status", "--today", TODAY, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["trust"], "Northfield Learning Trust");
    assert_eq!(value["schools"][0]["id"], "school-a");
    assert_eq!(
        value["schools"][0]["vacant_roles"][0],
        "Headteacher (headteacher)"
    );
    assert_eq!(value["schools"][1]["overdue"].as_array().unwrap().len(), 0);

    // school-a puts both right: strict passes.
    site.replace(
        "school-a/data/people.yaml",
        "roles: [online-safety-lead, online-safety-group]",
        "roles: [online-safety-lead, online-safety-group, headteacher]",
    );
    site.replace(
        "school-a/data/reviews.yaml",
        "last_done: 2023-01-10",
        "last_done: 2024-05-01",
    );
    let strict = site.run_here(&["status", "--today", TODAY, "--strict"]);
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);
}

#[test]
fn status_of_a_trust_names_a_broken_schools_errors_and_fails() {
    let site = trust();
    site.replace(
        "school-b/data/people.yaml",
        "roles: [dsl, online",
        "roles: [dls, online",
    );
    let run = site.run_here(&["status", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("--> school-b/data/people.yaml:3:11"),
        "{}",
        run.stderr
    );
    // The other schools are still shown.
    assert!(
        run.stdout.contains("Ashford Primary School"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("ERRORS"), "{}", run.stdout);
}

#[test]
fn every_problem_in_trust_yaml_is_named_where_it_is() {
    let site = trust();
    site.write(
        "trust.yaml",
        "name: Northfield Learning Trust\nschools:\n  - id: school-a\n    path: school-a\n  - id: school-a\n    path: school-b\n  - id: school-d\n    path: school-d\n  - id: docs\n    path: school-c/content\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    for expected in [
        "the school id `school-a` is used twice (first on line 3)",
        "--> trust.yaml:5:9",
        "there is no folder school-d (for the school `school-d`)",
        "--> trust.yaml:8:11",
        "school-c/content/ (for the school `docs`) is not a policyweb site",
        "--> trust.yaml:10:11",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    assert!(!site.out().exists());

    site.write(
        "trust.yaml",
        "name: Northfield Learning Trust\nshcools:\n  - id: school-a\n    path: school-a\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("unknown key"), "{}", run.stderr);
    assert!(run.stderr.contains("--> trust.yaml:2:1"), "{}", run.stderr);
}

#[test]
fn the_output_may_not_be_inside_a_school() {
    let site = trust();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(["build", "--today", TODAY, "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(site.path("school-a/content"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("(for the school `school-a`)"), "{stderr}");
    assert!(stderr.contains("content/ folder"), "{stderr}");
    assert_eq!(
        common::snapshot(&site.path("school-a/content")),
        common::snapshot(&common::fixture_path("trust/school-a/content"))
    );
}

fn yaml_file(relative: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{relative} is not YAML: {e}"))
}

/// A job's step by name.
fn step<'a>(workflow: &'a serde_json::Value, job: &str, name: &str) -> &'a serde_json::Value {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no job {job}"))
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{job}: no step {name}"))
}

#[test]
fn the_trust_workflows_install_policyweb_as_a_schools_do_and_shard_by_school() {
    let school = yaml_file("ci/github/policyweb.yml");
    let trust = yaml_file("ci/github/policyweb-trust.yml");
    let install = &step(&school, "build", "Install policyweb")["run"];
    for job in ["schools", "build"] {
        assert_eq!(
            &step(&trust, job, "Install policyweb")["run"],
            install,
            "{job}"
        );
    }
    assert_eq!(trust["env"], school["env"]);
    let matrix = &trust["jobs"]["build"]["strategy"]["matrix"]["school"];
    assert_eq!(matrix, "${{ fromJSON(needs.schools.outputs.ids) }}");
    let build = step(&trust, "build", "Build ${{ matrix.school }}");
    assert_eq!(
        build["run"],
        "policyweb build --root . --school \"$SCHOOL\""
    );

    let school = yaml_file("ci/gitlab/.gitlab-ci.yml");
    let trust = yaml_file("ci/gitlab/trust.gitlab-ci.yml");
    let line = school["pages"]["script"][0].clone();
    assert_eq!(trust[".policyweb"]["before_script"][0], line);
    assert_eq!(
        trust[".policyweb"]["variables"],
        school["pages"]["variables"]
    );
    // The example lists the fixture's schools, as trust.yaml does.
    assert_eq!(
        trust["school"]["parallel"]["matrix"][0]["SCHOOL"],
        serde_json::json!(["school-a", "school-b", "school-c"])
    );
}

/// The GitHub workflow lists the schools from `status --format json` with
/// jq's `[.schools[].id]`, and its combine job copies every shard's
/// public/ into one folder: run both on the fixture, and the copied
/// shards are the site one whole build makes.
#[test]
fn the_shards_copied_together_are_the_whole_trust_site() {
    let whole = trust();
    whole.build().assert_success();

    let sharded = trust();
    let status = sharded.run_here(&["status", "--today", TODAY, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&status.stdout).unwrap();
    let ids: Vec<String> = value["schools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["school-a", "school-b", "school-c"]);
    let combined = sharded.path("combined");
    for id in &ids {
        let shard = sharded.path(&format!("shards/{id}"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyweb"))
            .args(["build", "--today", TODAY, "--school", id, "--root"])
            .arg(sharded.root())
            .arg("--out")
            .arg(&shard)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        common::copy_tree(&shard, &combined);
    }
    assert_eq!(common::snapshot(&combined), whole.snapshot());
}

#[test]
fn names_from_the_schools_and_trust_yaml_are_text_on_the_trusts_pages() {
    let site = trust();
    site.replace(
        "trust.yaml",
        "name: Northfield Learning Trust",
        "name: \"Northfield <script>alert(1)</script> Trust\"",
    );
    site.replace(
        "school-a/data/site.yaml",
        "name: Ashford Primary School",
        "name: \"Ashford <img src=x onerror=alert(1)> School\"",
    );
    site.build().assert_success();
    for page in [
        site.out().join("index.html"),
        site.path("restricted/index.html"),
    ] {
        let html = std::fs::read_to_string(&page).unwrap();
        // A title is text to a browser whatever it holds (the minifier
        // writes `<` there as it is); everything after it is scanned.
        let html = html.split("</title>").nth(1).expect("a title");
        let tags: Vec<String> = policyweb::html::start_tags(html)
            .into_iter()
            .map(|t| t.name.to_string())
            .collect();
        assert!(
            !tags.iter().any(|t| t == "script" || t == "img"),
            "{}: {tags:?}",
            page.display()
        );
        assert!(html.contains("Northfield &lt;script"), "{}", page.display());
        assert!(html.contains("Ashford &lt;img"), "{}", page.display());
    }
}

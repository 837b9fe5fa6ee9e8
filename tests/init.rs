//! `policyweb init` and `policyweb new`: a new site builds cleanly with
//! the school's name on its pages; init will not write over a folder's
//! files unless forced; each `new` writes where it says, keeps the site
//! building, and refuses unknown roles and unsafe addresses; and the
//! publishing workflows have what GitHub Actions and GitLab CI require.
//! Nothing here goes online: the workflows are parsed, not run.

mod common;

use std::path::Path;

use common::{Run, Site};
use serde_json::Value;

const SCHOOL: &str = "Hillside: St Mary's Academy";

/// An empty temporary folder, with init run in it.
fn initialised() -> Site {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    let root = site.root().to_string_lossy().into_owned();
    site.run(&["init", &root, "--school", SCHOOL])
        .assert_success();
    site
}

/// `policyweb build` of the site with today's date, as a school runs it;
/// it must succeed without a warning other than the starter's placeholders.
fn builds_cleanly(site: &Site) {
    let run = site.run(&["build"]);
    run.assert_success();
    assert!(
        only_placeholder_warnings(&run.stderr),
        "the build warned:\n{}",
        run.stderr
    );
}

/// Whether every warning is about a placeholder `init` left to replace.
fn only_placeholder_warnings(stderr: &str) -> bool {
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with('⚠'))
        .all(|l| {
            l.contains("is a placeholder from `policyweb init`")
                || l.contains("this line is marked REPLACE")
        })
}

fn run_in(args: &[&str]) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("policyweb runs");
    Run {
        code: output.status.code().expect("policyweb exits"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

#[test]
fn a_new_site_builds_without_warnings_and_names_the_school() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("schools/hillside");
    let run = run_in(&["init", &dir.to_string_lossy(), "--school", SCHOOL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for next in ["cd ", "policyweb serve", "policyweb build"] {
        assert!(
            run.stderr.contains(next),
            "init does not say `{next}`:\n{}",
            run.stderr
        );
    }
    let root = dir.to_string_lossy().into_owned();
    let build = run_in(&["build", "--root", &root]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        only_placeholder_warnings(&build.stderr),
        "the build warned:\n{}",
        build.stderr
    );
    let page = |path: &str| {
        let html = std::fs::read_to_string(dir.join("public").join(path))
            .unwrap_or_else(|e| panic!("public/{path}: {e}"));
        common::visible_text(&html)
    };
    let landing = page("index.html");
    assert!(landing.contains(SCHOOL), "{landing}");
    let about = page("governors/about-this-policy/index.html");
    assert!(
        about.contains(&format!("how {SCHOOL} keeps pupils")),
        "{about}"
    );
    let site_yaml = std::fs::read_to_string(dir.join("data/site.yaml")).unwrap();
    assert!(
        site_yaml.contains(&format!("name: \"{SCHOOL}\"")),
        "the name is quoted, since it has a colon:\n{site_yaml}"
    );
    // The draft is the governors' alone until it is approved.
    assert!(
        dir.join("public/governors/responding-to-incidents/index.html")
            .is_file()
    );
    assert!(!dir.join("public/parents/about-this-policy").exists());
    assert!(!dir.join("restricted").exists());

    // What CI runs after the build passes on a new site: it fails on the
    // starter's example people and addresses, and on nothing else.
    let status = run_in(&["status", "--strict", "--root", &root]);
    assert_eq!(status.code, 1, "{}{}", status.stdout, status.stderr);
    let (_, failures) = status
        .stderr
        .split_once(" to attend to: ")
        .unwrap_or_else(|| panic!("{}", status.stderr));
    for failure in failures.trim().split("; ") {
        assert!(
            failure.starts_with("a placeholder from `policyweb init` is left in data/"),
            "{failure}"
        );
    }
}

#[test]
fn the_starter_site_uses_every_kind_of_content_and_explains_every_key() {
    let site = initialised();
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(site.path("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    for feature in [
        "[[school]]",
        "[[role:",
        "[[role:online-safety-lead|",
        "[[person:",
        "[[holders:",
        "[[org:",
        "[[doc:",
        "[[section:",
        "[[section:reporting-concerns#",
        "[[date:",
        "[[strand:",
        "[[curriculum]]",
        "[[curriculum:year-3]]",
        "[[term:",
        "\n::: staff governors\n",
        "\n::: parents\n",
        "\nTable: ",
        "|---|",
        "{#",
        "[^",
        "![",
        "\nsummary: ",
        "\naudiences: ",
        "\nowner: ",
        "\nstrands: ",
    ] {
        assert!(text.contains(feature), "no section uses `{feature}`");
    }
    assert!(
        site.path("content/030-reporting-concerns/_index.md")
            .is_file()
    );
    let sections = walkdir::WalkDir::new(site.path("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert!((3..=5).contains(&sections), "{sections} sections");

    for file in [
        "site.yaml",
        "versions.yaml",
        "roles.yaml",
        "people.yaml",
        "organisations.yaml",
        "documents.yaml",
        "reviews.yaml",
        "strands.yaml",
        "curriculum.yaml",
        "glossary.yaml",
    ] {
        let text = site.read(&format!("data/{file}"));
        let comments: String = text
            .lines()
            .filter_map(|l| l.split_once('#').map(|(_, c)| c))
            .collect::<Vec<_>>()
            .join("\n");
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let key = line.trim_start().trim_start_matches("- ");
            let Some((key, _)) = key.split_once(':') else {
                continue;
            };
            if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                let explained = comments
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|word| word == key);
                assert!(explained, "data/{file}: no comment explains `{key}`");
            }
        }
    }
    let ignore = site.read(".gitignore");
    for line in [
        "public/",
        "restricted/",
        ".policyweb/",
        ".public.spare/",
        ".restricted.spare/",
    ] {
        assert!(ignore.lines().any(|l| l == line), ".gitignore lacks {line}");
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (written, shipped) in [
        (".github/workflows/policyweb.yml", "ci/github/policyweb.yml"),
        (".gitlab-ci.yml", "ci/gitlab/.gitlab-ci.yml"),
    ] {
        assert_eq!(
            site.read(written),
            std::fs::read_to_string(manifest.join(shipped)).unwrap(),
            "{written} is not {shipped}"
        );
    }
}

#[test]
fn init_refuses_a_folder_with_files_in_it_unless_forced() {
    let site = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    let root = site.root().to_string_lossy().into_owned();
    site.write("notes.txt", "the governors' notes");
    let refused = site.run(&["init", &root]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains(&root) && refused.stderr.contains("not empty"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert!(!site.path("content").exists() && !site.path("data").exists());

    let forced = site.run(&["init", &root, "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(site.read("notes.txt"), "the governors' notes");
    assert!(
        site.read("data/site.yaml")
            .contains("name: Example Primary School")
    );
    assert!(forced.stderr.contains("placeholder"), "{}", forced.stderr);
    builds_cleanly(&site);

    // A freshly cloned, empty repository is empty enough.
    let clone = tempfile::tempdir().unwrap();
    std::fs::create_dir(clone.path().join(".git")).unwrap();
    let run = run_in(&["init", &clone.path().to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_new_section_is_numbered_after_the_last_and_builds() {
    let site = initialised();
    let run = site.run_here(&["new", "section", "Acceptable use"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/050-acceptable-use.md:9"),
        "{}",
        run.stderr
    );
    let text = site.read("content/050-acceptable-use.md");
    assert!(text.starts_with("---\ntitle: Acceptable use\n"), "{text}");
    for key in [
        "# summary:",
        "# audiences: [parents, staff, governors]",
        "# owner:",
        "# strands:",
    ] {
        assert!(text.contains(key), "no `{key}` in\n{text}");
    }
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    assert!(!body.trim().is_empty());
    assert!(
        !body.lines().any(|l| l.starts_with('#')),
        "the body has a heading:\n{body}"
    );

    let nested = site.run_here(&[
        "new",
        "section",
        "Sharing images",
        "--under",
        "reporting-concerns",
    ]);
    assert_eq!(nested.code, 0, "{}", nested.stderr);
    assert!(
        site.path("content/030-reporting-concerns/020-sharing-images.md")
            .is_file()
    );
    let between = site.run_here(&[
        "new",
        "section",
        "Mobile phones",
        "--after",
        "about-this-policy",
    ]);
    assert_eq!(between.code, 0, "{}", between.stderr);
    assert!(site.path("content/015-mobile-phones.md").is_file());
    let again = site.run_here(&["new", "section", "Acceptable use"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(site.path("content/060-acceptable-use-2.md").is_file());

    let missing = site.run_here(&["new", "section", "Lost", "--after", "no-such-section"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no-such-section"),
        "{}",
        missing.stderr
    );

    builds_cleanly(&site);
    let page = common::visible_text(&site.page("governors/acceptable-use/index.html"));
    assert!(page.contains("Acceptable use"), "{page}");
    assert!(
        site.out()
            .join("governors/sharing-images/index.html")
            .is_file()
    );
    assert!(
        site.out()
            .join("governors/mobile-phones/index.html")
            .is_file()
    );
}

#[test]
fn a_new_section_never_takes_an_address_a_view_keeps_for_itself() {
    let site = initialised();
    // `links/` is the view's page of broken links, so the section gets
    // another id rather than one the build refuses.
    let run = site.run_here(&["new", "section", "Links"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !site.path("content/050-links.md").exists(),
        "{}",
        run.stderr
    );
    assert!(
        site.path("content/050-links-2.md").is_file(),
        "{}",
        run.stderr
    );
    builds_cleanly(&site);
}

#[test]
fn a_new_person_needs_a_known_role_and_appears_on_who_is_who() {
    let site = initialised();
    let before = site.read("data/people.yaml");

    let unknown = site.run_here(&["new", "person", "Priya Shah", "--role", "safeguarding"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("data/roles.yaml") && unknown.stderr.contains("`safeguarding`"),
        "{}",
        unknown.stderr
    );
    let none = site.run_here(&["new", "person", "Priya Shah"]);
    assert_ne!(none.code, 0);
    assert!(none.stderr.contains("--role"), "{}", none.stderr);
    assert_eq!(
        site.read("data/people.yaml"),
        before,
        "a refusal changed the file"
    );

    let run = site.run_here(&[
        "new",
        "person",
        "Priya Shah",
        "--role",
        "dsl",
        "--role",
        "online-safety-group",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = site.read("data/people.yaml");
    assert!(
        after.starts_with(&before),
        "the file's own text was changed"
    );
    let line = after
        .lines()
        .position(|l| l == "- id: priya-shah")
        .expect("the entry is appended")
        + 1;
    assert!(
        run.stderr.contains(&format!("data/people.yaml:{line}")),
        "{}",
        run.stderr
    );
    assert!(
        after.contains(
            "- id: priya-shah\n  name: Priya Shah\n  roles: [dsl, online-safety-group]\n"
        )
    );

    let twin = site.run_here(&["new", "person", "Priya Shah", "--role", "headteacher"]);
    assert_eq!(twin.code, 0, "{}", twin.stderr);
    assert!(
        site.read("data/people.yaml")
            .contains("- id: priya-shah-2\n")
    );

    builds_cleanly(&site);
    let people = common::visible_text(&site.page("governors/people/index.html"));
    assert!(people.contains("Priya Shah"), "{people}");
}

#[test]
fn a_new_organisation_needs_a_web_address() {
    let site = initialised();
    let before = site.read("data/organisations.yaml");
    for bad in [
        "javascript:alert(1)",
        "ftp://files.example.org/",
        "www.childline.org.uk",
    ] {
        let run = site.run_here(&["new", "organisation", "Bad", "--url", bad]);
        assert_eq!(run.code, 2, "{bad} was accepted");
        assert!(
            run.stderr.contains(bad) && run.stderr.contains("https://"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(site.read("data/organisations.yaml"), before);

    let run = site.run_here(&[
        "new",
        "organisation",
        "NSPCC: Net Aware",
        "--url",
        "https://www.net-aware.org.uk/",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("data/organisations.yaml:"),
        "{}",
        run.stderr
    );
    let plain = site.run_here(&[
        "new",
        "org",
        "Test Filtering",
        "--url",
        "http://testfiltering.com/",
    ]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let after = site.read("data/organisations.yaml");
    assert!(after.starts_with(&before));
    assert!(after.contains("- id: nspcc-net-aware\n  name: \"NSPCC: Net Aware\"\n  url: https://www.net-aware.org.uk/\n"));
    assert!(after.contains("  url: http://testfiltering.com/\n  allow_http: true"));

    builds_cleanly(&site);
    let governors = common::visible_text(&site.page("governors/organisations/index.html"));
    assert!(governors.contains("NSPCC: Net Aware"), "{governors}");
}

/// The workflow init writes for GitHub: what Actions needs to run it and
/// Pages needs to publish it.
#[test]
fn the_github_workflow_builds_checks_and_deploys_to_pages() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/github/policyweb.yml"),
    )
    .unwrap();
    let workflow = yaml(&text);
    let on = &workflow["on"];
    assert!(
        on.is_object(),
        "no `on:` (or read as a boolean): {workflow}"
    );
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    assert!(on.get("workflow_dispatch").is_some());
    assert_eq!(workflow["permissions"]["pages"], "write");
    assert_eq!(workflow["permissions"]["id-token"], "write");
    assert!(workflow["concurrency"]["group"].is_string());

    let jobs = workflow["jobs"].as_object().expect("jobs");
    assert!(!jobs.is_empty());
    let mut steps = Vec::new();
    for (name, job) in jobs {
        assert!(job["runs-on"].is_string(), "job {name} has no runs-on");
        let job_steps = job["steps"]
            .as_array()
            .unwrap_or_else(|| panic!("job {name} has no steps"));
        assert!(!job_steps.is_empty());
        for step in job_steps {
            assert!(
                step.get("uses").is_some() != step.get("run").is_some(),
                "a step needs `uses` or `run`, not both: {step}"
            );
            steps.push((name.clone(), step.clone()));
        }
    }
    let find = |uses: &str| {
        steps
            .iter()
            .find(|(_, s)| s["uses"].as_str().is_some_and(|u| u.starts_with(uses)))
            .unwrap_or_else(|| panic!("no step uses {uses}"))
    };
    let (build_job, checkout) = find("actions/checkout@");
    assert_eq!(checkout["uses"], "actions/checkout@v5");
    assert_eq!(checkout["with"]["fetch-depth"], 0);
    let runs: Vec<(&String, &str)> = steps
        .iter()
        .filter_map(|(job, s)| s["run"].as_str().map(|r| (job, r)))
        .collect();
    let position = |wanted: &str| {
        runs.iter()
            .position(|(job, r)| *job == build_job && r.contains(wanted))
            .unwrap_or_else(|| panic!("job {build_job} does not run `{wanted}`"))
    };
    // The release's binary for the pinned version; compiling only as the
    // fallback (tests/release.rs runs this step).
    let install = position("releases/download/v$POLICYWEB_VERSION");
    assert!(runs[install].1.contains("cargo install --locked --git"));
    assert!(position("policyweb build") > install);
    assert!(position("policyweb status --strict") > position("policyweb build"));
    assert_eq!(
        workflow["env"]["POLICYWEB_VERSION"],
        env!("CARGO_PKG_VERSION"),
        "the shipped workflow pins this version"
    );
    let cache = &find("actions/cache@").1;
    assert!(
        cache["with"]["key"]
            .as_str()
            .unwrap()
            .contains("POLICYWEB_VERSION")
    );
    let (upload_job, upload) = find("actions/upload-pages-artifact@");
    assert_eq!(upload_job, build_job);
    assert_eq!(upload["with"]["path"], "public");
    let (deploy_job, _) = find("actions/deploy-pages@");
    assert_eq!(jobs[deploy_job]["needs"], build_job.as_str());
    assert_eq!(jobs[deploy_job]["environment"]["name"], "github-pages");
}

/// The pipeline init writes for GitLab: a `pages` job that publishes the
/// folder `public` from the default branch.
#[test]
fn the_gitlab_pipeline_publishes_public_from_the_default_branch() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/gitlab/.gitlab-ci.yml"),
    )
    .unwrap();
    let pipeline = yaml(&text);
    let pages = &pipeline["pages"];
    assert!(pages.is_object(), "no `pages` job: {pipeline}");
    assert!(pages["image"].as_str().unwrap().starts_with("rust"));
    let script: Vec<&str> = pages["script"]
        .as_array()
        .expect("a script")
        .iter()
        .map(|line| line.as_str().expect("script lines are text"))
        .collect();
    let at = |wanted: &str| {
        script
            .iter()
            .position(|line| line.contains(wanted))
            .unwrap_or_else(|| panic!("the script does not run `{wanted}`"))
    };
    let install = at("releases/download/v$POLICYWEB_VERSION");
    assert!(script[install].contains("cargo install --locked --git"));
    assert!(at("policyweb build") > install);
    assert_eq!(
        pages["variables"]["POLICYWEB_VERSION"],
        env!("CARGO_PKG_VERSION"),
        "the shipped pipeline pins this version"
    );
    assert!(at("policyweb status --strict") > at("policyweb build"));
    assert!(
        at("mv ") > at("policyweb build"),
        "the built site is moved to public"
    );
    assert!(
        pages["artifacts"]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "public")
    );
    let rules = pages["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| {
        r["if"]
            .as_str()
            .is_some_and(|i| i.contains("$CI_DEFAULT_BRANCH"))
    }));
    assert_eq!(pages["variables"]["GIT_DEPTH"], "0");
}

//! The messages a school's lead acts on without help: each mistake a new
//! user makes, broken in a fixture site, must give this message at this
//! file, line and column, with this help — exactly. And what stops a lead
//! outright: a release that freezes a revision which cannot be built, a
//! deadline that cannot be recorded as met, placeholders from `init` that
//! would be published.

mod common;

use common::{Site, TODAY};

/// One problem as printed: its location (`file:line:column`), the source
/// lines shown, and its help with the printer's line wrapping undone.
#[derive(Debug)]
struct Printed {
    location: String,
    snippet: String,
    help: String,
}

/// The printed problem whose message is `message`, from a build's stderr.
fn printed(stderr: &str, message: &str) -> Printed {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines
        .iter()
        .position(|l| {
            let l = l.trim_start();
            l == format!("× {message}") || l == format!("⚠ {message}")
        })
        .unwrap_or_else(|| panic!("no problem `{message}` in:\n{stderr}"));
    let location = lines[start + 1]
        .split("--> ")
        .nth(1)
        .unwrap_or_else(|| panic!("no location after `{message}`:\n{stderr}"))
        .trim()
        .to_string();
    let mut snippet = String::new();
    let mut help = Vec::new();
    let mut in_help = false;
    for line in &lines[start + 2..] {
        let trimmed = line.trim();
        if in_help {
            if trimmed.is_empty() || trimmed.starts_with('×') || trimmed.starts_with('⚠') {
                break;
            }
            help.push(trimmed);
        } else if let Some(rest) = trimmed.strip_prefix("help: ") {
            in_help = true;
            help.push(rest);
        } else if trimmed.starts_with('×') || trimmed.starts_with('⚠') || trimmed.is_empty() {
            break;
        } else {
            snippet.push_str(line);
            snippet.push('\n');
        }
    }
    Printed {
        location,
        snippet,
        help: help.join(" "),
    }
}

/// Builds the minimal site after `edit`; the build must fail, say nothing
/// of a panic and leave public/ as the last good build left it.
fn broken(edit: impl Fn(&Site)) -> String {
    let site = Site::copy_of("minimal");
    site.build().assert_success();
    let before = site.snapshot();
    edit(&site);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(site.snapshot(), before, "public/ changed");
    run.stderr
}

fn assert_problem(stderr: &str, message: &str, location: &str, help: &str) -> Printed {
    let found = printed(stderr, message);
    assert_eq!(found.location, location, "{stderr}");
    assert_eq!(found.help, help, "{stderr}");
    found
}

#[test]
fn a_tab_is_pointed_at_and_shown() {
    let stderr = broken(|s| {
        s.replace(
            "data/people.yaml",
            "  name: Ben Okafor\n",
            "\tname: Ben Okafor\n",
        )
    });
    let found = assert_problem(
        &stderr,
        "a tab where YAML needs spaces",
        "data/people.yaml:8:1",
        "indent with spaces: YAML does not accept tabs for indentation (most editors can turn tabs into spaces)",
    );
    assert!(
        found.snippet.contains("8 │ →name: Ben Okafor"),
        "{}",
        found.snippet
    );
}

#[test]
fn a_line_out_of_line_names_the_line_it_should_line_up_with() {
    let stderr = broken(|s| {
        s.replace(
            "data/people.yaml",
            "  roles: [online-safety-lead, online-safety-group]",
            "   roles: [online-safety-lead, online-safety-group]",
        )
    });
    assert_problem(
        &stderr,
        "line 9 is indented 3 spaces, out of line with line 8 above it (2 spaces)",
        "data/people.yaml:9:4",
        "keys of the same entry start in the same column: indent `roles:` with 2 spaces, like `name:` on line 8",
    );
    let stderr = broken(|s| {
        s.replace(
            "data/people.yaml",
            "  roles: [online-safety-lead, online-safety-group]",
            " roles: [online-safety-lead, online-safety-group]",
        )
    });
    assert_problem(
        &stderr,
        "line 9 is indented 1 space, out of line with line 8 above it (2 spaces)",
        "data/people.yaml:9:2",
        "keys of the same entry start in the same column: indent `roles:` with 2 spaces, like `name:` on line 8",
    );
}

#[test]
fn a_list_where_keys_are_needed_shows_the_right_shape() {
    let stderr = broken(|s| {
        s.replace(
            "data/site.yaml",
            "  name: Hillside Primary School\n  website:",
            "  - name: Hillside Primary School\n    website:",
        )
    });
    let found = printed(&stderr, "`school` needs keys and values, not a list");
    assert_eq!(found.location, "data/site.yaml:2:3");
    assert_eq!(
        found.help,
        "write each `key: value` on its own line, without `- `, for example: school: name: Hillside Primary School"
    );
}

#[test]
fn keys_where_a_list_is_needed_show_the_right_shape() {
    let stderr = broken(|s| {
        s.write(
            "data/roles.yaml",
            "dsl:\n  title: Designated Safeguarding Lead\n  description: Leads on safeguarding.\n",
        )
    });
    assert_problem(
        &stderr,
        "roles.yaml needs a list, not keys and values",
        "data/roles.yaml:1:1",
        "start each entry on its own line with `- `, for example: - id: headteacher title: Headteacher",
    );
}

#[test]
fn a_single_value_where_a_list_is_needed_is_shown_as_a_list_of_one() {
    let stderr = broken(|s| {
        s.replace(
            "data/people.yaml",
            "roles: [online-safety-lead, online-safety-group]",
            "roles: online-safety-group",
        )
    });
    assert_problem(
        &stderr,
        "`roles` needs a list, even of one",
        "data/people.yaml:9:10",
        "write the list in square brackets: `roles: [online-safety-group]`",
    );
}

#[test]
fn a_misspelt_key_gets_a_did_you_mean() {
    let stderr = broken(|s| {
        s.replace(
            "content/020-reporting.md",
            "title: Reporting a concern",
            "tilte: Reporting a concern",
        )
    });
    assert_problem(
        &stderr,
        "unknown key `tilte`",
        "content/020-reporting.md:2:1",
        "did you mean `title`? The keys allowed here are `title`, `summary`, `audiences`, `owner`, `strands`, `omit`, `reason`",
    );
}

#[test]
fn a_kind_of_reference_in_the_wrong_case_gets_a_did_you_mean() {
    let stderr = broken(|s| {
        s.replace(
            "content/010-introduction.md",
            "[[role:dsl]]",
            "[[Role:DSL]]",
        )
    });
    assert_problem(
        &stderr,
        "`[[Role:DSL]]` is not a kind of reference",
        "content/010-introduction.md:8:5",
        "did you mean `[[role:dsl]]`? Kinds and ids are written in lower case",
    );
}

#[test]
fn front_matter_without_its_closing_line_says_so() {
    let stderr = broken(|s| {
        s.replace(
            "content/020-reporting.md",
            "owner: dsl\n---\n",
            "owner: dsl\n",
        )
    });
    assert_problem(
        &stderr,
        "the front matter is never closed",
        "content/020-reporting.md:1:1",
        "end it with a line `---` after the last key (such as `title: …`), before the section's text",
    );
    // Not followed by an error for every reference to the section it hides.
    assert!(
        stderr.contains("The build failed with 1 error;")
            || stderr.contains("The build failed with 1 error,"),
        "{stderr}"
    );
}

#[test]
fn a_broken_fragment_lists_the_headings_of_its_target() {
    let stderr = broken(|s| {
        s.replace(
            "content/010-introduction.md",
            "[[section:reporting#how-to-report]]",
            "[[section:reporting#how-to-complain]]",
        )
    });
    assert_problem(
        &stderr,
        "the link `[[section:reporting#how-to-complain]]` is broken (there is no heading `#how-to-complain` there; its headings' ids are `#how-to-report`, `#who-is-told`)",
        "content/010-introduction.md:15:5",
        "point it at a section that exists, and a heading id that section has",
    );
}

#[test]
fn a_broken_link_in_raw_html_is_placed_at_its_line() {
    let stderr = broken(|s| {
        s.replace(
            "content/020-reporting.md",
            "Tell any member of staff,",
            "Tell any member of staff (<a href=\"#how-to-complain\">see below</a>),",
        )
    });
    let found = printed(
        &stderr,
        "the link `#how-to-complain` is broken (there is no heading `#how-to-complain` there; its headings' ids are `#how-to-report`, `#who-is-told`)",
    );
    assert_eq!(found.location, "content/020-reporting.md:8:27");
    assert!(!stderr.contains("theme's templates"), "{stderr}");
}

#[test]
fn an_unclosed_list_is_pointed_at_where_it_opens() {
    let stderr = broken(|s| {
        s.replace(
            "data/people.yaml",
            "roles: [online-safety-lead, online-safety-group]",
            "roles: [online-safety-lead, online-safety-group",
        )
    });
    assert_problem(
        &stderr,
        "the `[` on line 9 is never closed",
        "data/people.yaml:9:10",
        "end it with `]` on the same line: `roles: [online-safety-lead, online-safety-group]`",
    );
}

#[test]
fn help_points_at_explain_which_prints_the_reference() {
    let stderr = broken(|s| s.replace("data/people.yaml", "  name: Ben Okafor\n", ""));
    let found = printed(&stderr, "missing required key `name`");
    assert_eq!(
        found.help,
        "add the key; `policyweb explain people.yaml` lists what each entry needs"
    );
    assert!(!stderr.contains("docs/reference.md"), "{stderr}");
    let site = Site::copy_of("minimal");
    let run = site.run(&["explain", "people.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reference =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md")).unwrap();
    let start = reference.find("### people.yaml").unwrap();
    let end = start + reference[start..].find("### organisations.yaml").unwrap();
    assert_eq!(
        run.stdout,
        format!("{}\n", reference[start..end].trim_end())
    );
    let run = site.run(&["explain", "peple.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `people.yaml`?"),
        "{}",
        run.stderr
    );
}

/// The history fixture's working tree is draft 2025-26; checking-devices
/// is for staff and governors only. A parents' block in the draft that
/// points at it builds today (parents see 2024-25 until the draft is
/// approved) but could never be built once approved.
fn draft_parents_cannot_build() -> Site {
    let site = Site::copy_of("history");
    site.replace(
        "content/010-introduction.md",
        "The policy covers:\n",
        "::: parents\nParents can read [[section:checking-devices]].\n:::\n\nThe policy covers:\n",
    );
    site
}

const DRAFT_PROBLEM: &str = "`[[section:checking-devices]]` points at \"Checking devices\", which the parents view does not show";

#[test]
fn a_draft_is_checked_as_every_view_will_show_it_once_approved() {
    let site = draft_parents_cannot_build();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found = printed(&run.stderr, DRAFT_PROBLEM);
    assert_eq!(found.location, "content/010-introduction.md:9:18");

    let before = site.files();
    let run = site.run_here(&[
        "release",
        "2025-26",
        "--approved",
        "2025-07-09",
        "--by",
        "FGB",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(DRAFT_PROBLEM), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("release refused: the site has 1 error to fix first"),
        "{}",
        run.stderr
    );
    assert_eq!(site.files(), before, "a refused release changed files");

    let run = site.run_here(&["status", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains(DRAFT_PROBLEM), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("The site has 1 error that stops a build or a release; fix it first."),
        "{}",
        run.stderr
    );
}

#[test]
fn a_deadline_recorded_as_met_is_no_longer_overdue() {
    let site = Site::copy_of("minimal");
    site.replace(
        "data/reviews.yaml",
        "    date: 2024-01\n",
        "    date: 2024-01\n    deadline: true\n",
    );
    let run = site.build();
    run.assert_success();
    let found = printed(
        &run.stderr,
        "overdue: Policy created was due by January 2024.",
    );
    assert_eq!(found.location, "data/reviews.yaml:4:11");
    assert_eq!(
        found.help,
        "once it is done, record it as met: add `met: YYYY-MM-DD` to its entry under dates: in data/reviews.yaml"
    );
    site.replace(
        "data/reviews.yaml",
        "    deadline: true\n",
        "    deadline: true\n    met: 2024-01-20\n",
    );
    let run = site.build();
    run.assert_success();
    assert!(!run.stderr.contains("overdue"), "{}", run.stderr);
    let run = site.run_here(&["status", "--today", TODAY, "--strict"]);
    assert!(!run.stdout.contains("Policy created"), "{}", run.stdout);
}

/// Runs policyweb with `args`, without colour.
fn policyweb(args: &[&str]) -> common::Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("policyweb runs");
    common::Run {
        code: output.status.code().expect("policyweb exits"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn placeholders_from_init_are_warned_about_and_fail_strict_status() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site").to_string_lossy().into_owned();
    policyweb(&["init", &root, "--school", "Hillside Primary School"]).assert_success();
    let run = policyweb(&["build", "--root", &root]);
    run.assert_success();
    // people.yaml as init writes it: the names on lines 15, 18, 24 and 27
    // (after `  name: `), the address on line 21 (after `    email: dsl@`).
    for (message, location) in [
        (
            "`Alex Example` is a placeholder from `policyweb init`",
            "data/people.yaml:15:9",
        ),
        (
            "`Sam Example` is a placeholder from `policyweb init`",
            "data/people.yaml:18:9",
        ),
        (
            "`your-school.example` is a placeholder from `policyweb init`",
            "data/people.yaml:21:16",
        ),
        (
            "`Jordan Example` is a placeholder from `policyweb init`",
            "data/people.yaml:24:9",
        ),
        (
            "`Example IT Services` is a placeholder from `policyweb init`",
            "data/people.yaml:27:9",
        ),
    ] {
        assert!(
            run.stderr
                .contains(&format!("⚠ {message}\n  │   --> {location}\n")),
            "{message} at {location}:\n{}",
            run.stderr
        );
    }
    let found = printed(
        &run.stderr,
        "`Sam Example` is a placeholder from `policyweb init`",
    );
    assert_eq!(
        found.help,
        "replace it with the school's own details before the policy is published"
    );
    let run = policyweb(&["status", "--strict", "--root", &root]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a placeholder from `policyweb init` is left in data/people.yaml:18"),
        "{}",
        run.stderr
    );
}

/// Other members of the class the table names: each mistake a lead
/// makes in a data file, said in words, where it is.
#[test]
fn other_yaml_mistakes_are_said_in_words_where_they_are() {
    type Edit = (&'static str, &'static str, &'static str);
    let cases: [(Edit, &str, &str, &str); 7] = [
        (
            (
                "data/people.yaml",
                "  name: Ben Okafor",
                "  name Ben Okafor",
            ),
            "`name` has no `:` after it",
            "data/people.yaml:8:7",
            "write a colon and a space after the key: `name: Ben Okafor`",
        ),
        (
            (
                "data/roles.yaml",
                "  title: Headteacher",
                "  title: Head: teacher",
            ),
            "the `: ` in the value of `title` reads as the start of another key",
            "data/roles.yaml:11:14",
            "put the value in quotes: `title: \"Head: teacher\"`",
        ),
        (
            (
                "data/site.yaml",
                "    governance: true",
                "    governance: yes please",
            ),
            "`governance` takes true or false, not `yes please`",
            "data/site.yaml:17:17",
            "write `governance: true` or `governance: false`",
        ),
        (
            (
                "data/people.yaml",
                "  name: Ben Okafor",
                "  name: Ben Okafor\n  name: Ben",
            ),
            "the key `name` is written twice here",
            "data/people.yaml:9:3",
            "each key may appear once in a mapping",
        ),
        (
            ("data/site.yaml", "views:", "views: parents"),
            "the list on line 8 is under `views:` on line 7, which already has a value",
            "data/site.yaml:8:3",
            "remove `parents` after `views:`, so that the list below is its value",
        ),
        (
            (
                "data/reviews.yaml",
                "    every: 12 months",
                "    every:\n      - 12 months",
            ),
            "`every` takes one value, not a list",
            "data/reviews.yaml:10:7",
            "for example: `every: 12 months`",
        ),
        (
            (
                "data/site.yaml",
                "accessibility:",
                "reminder_days: soon\naccessibility:",
            ),
            "`reminder_days` takes a whole number, not `soon`",
            "data/site.yaml:18:16",
            "write a number, such as `reminder_days: 10`",
        ),
    ];
    for ((file, from, to), message, location, help) in cases {
        let stderr = broken(|s| s.replace(file, from, to));
        assert_problem(&stderr, message, location, help);
        // One mistake, one error: what the broken file defines is not
        // reported again wherever it is used.
        assert!(
            stderr.contains("The build failed with 1 error;")
                || stderr.contains("The build failed with 1 error,"),
            "{stderr}"
        );
    }
}

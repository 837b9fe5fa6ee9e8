//! `policyweb status`: the lead's screen, `--strict` for CI and the JSON.
//!
//! The `status` fixture is the minimal site with, on 1 June 2024
//! (`common::TODAY`): the policy's review overdue (April 2024), a deadline
//! well ahead, a filtering review due in 19 days (inside the default 60-day
//! reminder period), staff training due in 93 days, a governor report never
//! recorded, a curriculum review one day overdue, and the Headteacher role
//! held by nobody.

mod common;

use common::{Site, TODAY};

const SCREEN: &str = "\
Online Safety Policy – Hillside Primary School
Revision 2024-25: Approved by the Full Governing Body on 13 March 2024.

Reviews and checks (as of 1 June 2024; reminders start 60 days before a due date)
  OVERDUE    Review of this policy                       due by April 2024 (32 days overdue)
  ok         Review of the data protection arrangements  due by December 2024 (in 213 days)
  soon       Filtering and monitoring review             due by 20 June 2024 (in 19 days); last done 20 June 2023
  ok         Staff training                              due by 2 September 2024 (in 93 days); last done 2 September 2023
  no record  Governor report                             never recorded as done (last_done in data/reviews.yaml)
  OVERDUE    Curriculum review                           due by May 2024 (1 day overdue); last done November 2023

Vacant roles (revision 2024-25; people and their roles are in data/people.yaml)
  Headteacher (headteacher): nobody holds it

Curriculum gaps (revision 2024-25)
  There is no curriculum map yet: add data/curriculum.yaml to see the gaps.

Links have not been checked yet: run policyweb check.
";

fn status(site: &Site, more: &[&str]) -> common::Run {
    let mut args = vec!["status", "--today", TODAY];
    args.extend(more);
    site.run_here(&args)
}

/// Gives the Headteacher role a holder, moves the review on and records the
/// curriculum review, so nothing is overdue or vacant.
fn put_in_order(site: &Site) {
    site.replace(
        "data/versions.yaml",
        "next_review: 2024-04",
        "next_review: 2025-04",
    );
    site.replace(
        "data/reviews.yaml",
        "last_done: 2023-11",
        "last_done: 2024-05",
    );
    site.replace(
        "data/people.yaml",
        "roles: [online-safety-lead, online-safety-group]",
        "roles: [online-safety-lead, online-safety-group, headteacher]",
    );
}

#[test]
fn the_screen_shows_what_is_overdue_due_soon_and_vacant() {
    let site = Site::copy_of("status");
    let run = status(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, SCREEN);
    assert_eq!(run.stderr, "");
}

#[test]
fn reminder_days_set_when_a_check_counts_as_due_soon() {
    let site = Site::copy_of("status");
    let text = site.read("data/site.yaml");
    site.write("data/site.yaml", format!("{text}reminder_days: 10\n"));
    let run = status(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("(as of 1 June 2024; reminders start 10 days before a due date)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(
        "\n  ok         Filtering and monitoring review             due by 20 June 2024 (in 19 days); last done 20 June 2023\n"
    ));
    assert!(!run.stdout.contains("soon"));

    // Nine days before, it is due soon again.
    let run = site.run_here(&["status", "--today", "2024-06-11"]);
    assert!(run.stdout.contains(
        "\n  soon       Filtering and monitoring review             due by 20 June 2024 (in 9 days); last done 20 June 2023\n"
    ), "{}", run.stdout);
}

#[test]
fn strict_fails_on_anything_overdue_or_vacant() {
    let site = Site::copy_of("status");
    let run = status(&site, &["--strict"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, SCREEN, "the screen is printed all the same");
    assert_eq!(
        run.stderr,
        "status --strict: 3 to attend to: Review of this policy is overdue (due by April 2024); \
         Curriculum review is overdue (due by May 2024); nobody holds the role Headteacher\n"
    );
}

#[test]
fn strict_passes_when_nothing_is_overdue_or_vacant() {
    let site = Site::copy_of("status");
    put_in_order(&site);
    let run = status(&site, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    // Due soon and never recorded are shown but do not fail the gate.
    assert!(
        run.stdout
            .contains("\n  soon       Filtering and monitoring review ")
    );
    assert!(run.stdout.contains("\n  no record  Governor report "));
    assert!(run.stdout.contains(
        "\n  ok         Review of this policy                       due by April 2025 (in 333 days)\n"
    ), "{}", run.stdout);
    assert!(run.stdout.contains("\n  No role is vacant.\n"));
    assert!(!run.stdout.contains("OVERDUE"));
}

#[test]
fn json_gives_the_same_status_for_tools() {
    let site = Site::copy_of("status");
    let run = status(&site, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["today"], "2024-06-01");
    assert_eq!(json["reminder_days"], 60);
    assert_eq!(json["revision"]["id"], "2024-25");
    assert_eq!(json["revision"]["approved_on"], "2024-03-13");
    assert_eq!(json["revision"]["date_unrecorded"], false);
    assert_eq!(json["draft"], serde_json::Value::Null);
    assert_eq!(json["next_review"]["due"], "April 2024");
    assert_eq!(json["next_review"]["due_iso"], "2024-04");
    assert_eq!(json["next_review"]["days_left"], -32);
    assert_eq!(json["next_review"]["state"], "overdue");
    assert_eq!(json["deadlines"][0]["state"], "upcoming");
    let checks = json["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 4);
    assert_eq!(checks[0]["title"], "Filtering and monitoring review");
    assert_eq!(checks[0]["state"], "soon");
    assert_eq!(checks[0]["days_left"], 19);
    assert_eq!(checks[0]["due_iso"], "2024-06-20");
    assert_eq!(checks[0]["last_done"], "20 June 2023");
    assert_eq!(checks[0]["every"], "every year");
    assert_eq!(
        checks[1]["owners"],
        serde_json::json!(["Online Safety Lead", "Designated Safeguarding Lead"])
    );
    assert_eq!(checks[2]["state"], "not-recorded");
    assert_eq!(checks[2]["due"], serde_json::Value::Null);
    assert_eq!(checks[3]["state"], "overdue");
    assert_eq!(
        json["vacant_roles"],
        serde_json::json!([{"id": "headteacher", "title": "Headteacher"}])
    );
    assert_eq!(json["curriculum"]["mapped"], false);
    assert_eq!(json["links"], serde_json::Value::Null);
    assert_eq!(json["to_attend_to"].as_array().unwrap().len(), 3);
}

#[test]
fn the_last_link_report_is_summed_up() {
    let site = Site::copy_of("status");
    site.write(
        ".policyweb/link-report.json",
        r#"{
  "checked_at": "2024-05-30T17:50:00Z",
  "links": [
    {"url": "https://gone.example/a", "outcome": {"status": "broken", "reason": "404 Not Found", "code": 404},
     "places": ["content/020-reporting.md:8:38", "data/organisations.yaml:4:8"]},
    {"url": "https://down.example/", "outcome": {"status": "broken", "reason": "the server did not answer in 20 seconds", "code": null},
     "places": ["content/010-introduction.md:3:1"], "cached": true},
    {"url": "http://old.example/", "outcome": {"status": "moved", "code": 301, "to": "https://new.example/"},
     "places": ["data/organisations.yaml:9:8"]},
    {"url": "https://www.ceop.police.uk/", "outcome": {"status": "fine", "code": 200}, "places": []},
    {"url": "https://fine.example/", "outcome": {"status": "fine", "code": 200}, "places": []},
    {"url": "https://slow.example/", "outcome": {"status": "unchecked", "reason": "429 Too Many Requests"}, "places": []}
  ]
}"#,
    );
    let run = status(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(
            "\nLinks (checked 30 May 2024, 2 days ago)\n\
             \x20 6 links: 2 fine, 2 broken, 1 moved, 1 not decided (1 from the cache)\n\
             \x20 broken  https://gone.example/a (404 Not Found) – content/020-reporting.md:8:38, data/organisations.yaml:4:8\n\
             \x20 broken  https://down.example/ (the server did not answer in 20 seconds) – content/010-introduction.md:3:1\n\
             \x20 moved   http://old.example/ (now https://new.example/) – data/organisations.yaml:9:8\n"
        ),
        "{}",
        run.stdout
    );
    // Broken links are `check`'s gate, not status's.
    put_in_order(&site);
    let run = status(&site, &["--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = status(&site, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["links"]["checked_on"], "2024-05-30");
    assert_eq!(json["links"]["counts"]["broken"], 2);
    assert_eq!(json["links"]["counts"]["fine"], 2);
    assert_eq!(json["links"]["broken"][0]["reason"], "404 Not Found");
    assert_eq!(json["links"]["moved"][0]["to"], "https://new.example/");
}

#[test]
fn an_unrecorded_approval_date_is_something_to_fix() {
    let site = Site::copy_of("status");
    put_in_order(&site);
    site.replace(
        "data/versions.yaml",
        "approved: 2024-03-13",
        "approved: unrecorded",
    );
    let run = status(&site, &["--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with(
        "Online Safety Policy – Hillside Primary School\n\
         Revision 2024-25: Approved by the Full Governing Body; the date of approval was not recorded. \
         Find the date in the governors' minutes and record it in data/versions.yaml (approved: YYYY-MM-DD).\n"
    ), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "status --strict: 1 to attend to: the approval date of revision 2024-25 is not recorded\n"
    );
    let run = status(&site, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["revision"]["date_unrecorded"], true);
    assert_eq!(json["revision"]["approved_on"], serde_json::Value::Null);
}

#[test]
fn a_draft_awaits_approval_without_moving_the_review() {
    // history: 2024-25 approved (review September 2024), a 2025-26 draft
    // (review September 2025).
    let site = Site::copy_of("history");
    let run = status(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "\nRevision 2024-25: Approved by the Full Governing Body on 13 March 2024. Draft 2025-26 is awaiting approval.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Review of this policy  "));
    assert!(run.stdout.contains("due by September 2024 (in 121 days)"));
    assert!(run.stdout.contains("\nVacant roles (revision 2025-26; "));
}

#[test]
fn curriculum_gaps_come_from_the_newest_revision() {
    let site = Site::copy_of("curriculum");
    let run = status(&site, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "\nCurriculum gaps (revision 2025-26)\n\
             \x20 Privacy and passwords is not taught in Reception.\n\
             \x20 Finding things out is not taught in Reception or Year 1, so not at all in the age band Infants.\n\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_site_with_errors_has_no_status() {
    let site = Site::copy_of("status");
    site.replace("data/reviews.yaml", "every: 6 months", "every: sometimes");
    let run = status(&site, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("data/reviews.yaml"), "{}", run.stderr);
}

#[test]
fn the_example_has_a_status() {
    let site = Site::example();
    let run = site.run_here(&["status", "--today", "2025-06-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Online Safety Policy – Westgate Primary School\n\
             Revision 2024-25: Approved by the Westgate Primary Governing Body on 13 March 2024. \
             Draft 2025-26 is awaiting approval.\n"
        ),
        "{}",
        run.stdout
    );
}

/// A deadline recorded as met is no longer due, and the policy's review
/// stays the review: neither is taken for the other.
#[test]
fn a_met_deadline_leaves_the_review_in_its_place() {
    let site = Site::copy_of("status");
    site.replace(
        "data/reviews.yaml",
        "    date: 2024-12\n    deadline: true\n",
        "    date: 2024-12\n    deadline: true\n    met: 2024-05-20\n",
    );
    let run = status(&site, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["next_review"]["title"], "Review of this policy");
    assert_eq!(json["next_review"]["due_iso"], "2024-04");
    assert_eq!(json["deadlines"], serde_json::json!([]));
    assert_eq!(json["checks"].as_array().unwrap().len(), 4);
}

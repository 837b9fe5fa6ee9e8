//! A trust whose trust.yaml names the template its schools share: a school
//! whose own site.yaml names no template inherits the trust's, and the
//! dashboard counts each school's template changes not adopted as the
//! school's own `status` counts them.
//!
//! The trust is examples/template with a trust.yaml beside its folders:
//! Oakfield's site.yaml has lost its `template:` (so only the trust's can
//! give it its inherited sections), and is pinned to the template's
//! 2024-25 while 2025-26 is approved; Riverside names the template itself
//! and its newest revision has adopted 2025-26.

mod common;

use std::path::Path;

use common::{Site, visible_text};

/// 43 days after the template's 2025-26 was approved.
const TODAY: &str = "2025-08-01";

const TRUST: &str = "name: Anyshire Schools Trust\ntemplate:\n  path: anyshire-template\nschools:\n  - id: oakfield\n    path: oakfield\n  - id: riverside\n    path: riverside\n";

fn run(site: &Site, args: &[&str]) -> common::Run {
    let mut all = args.to_vec();
    let root = site.root().to_string_lossy().into_owned();
    all.extend(["--today", TODAY, "--root", &root]);
    site.run(&all)
}

/// The template changes Oakfield's own `status` counts, as JSON says.
fn not_adopted_alone(site: &Site, school: &str) -> u64 {
    let root = site.path(school).to_string_lossy().into_owned();
    let run = site.run(&[
        "status", "--format", "json", "--today", TODAY, "--root", &root,
    ]);
    let status: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", run.stdout, run.stderr);
    });
    status["template"]["not_adopted"]
        .as_u64()
        .unwrap_or_else(|| panic!("no count in {}", run.stdout))
}

#[test]
fn a_school_without_its_own_template_inherits_the_trusts_and_the_dashboard_counts_changes() {
    let site = Site::copy_from(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/template"));
    // Counted while Oakfield still names the template itself.
    let oakfield = not_adopted_alone(&site, "oakfield");
    assert!(oakfield > 0, "Oakfield is behind the template's 2025-26");
    assert_eq!(not_adopted_alone(&site, "riverside"), 0);
    site.replace(
        "oakfield/data/site.yaml",
        "template:\n  path: ../anyshire-template\n",
        "",
    );
    site.write("trust.yaml", TRUST);

    let build = site.run(&["build", "--today", TODAY]);
    build.assert_success();
    // Inherited: the template's Introduction, with Oakfield's own fill-in.
    let intro = visible_text(&site.page("oakfield/parents/introduction/index.html"));
    assert!(
        intro.contains("keeps its pupils, staff and visitors safe online"),
        "{intro}"
    );
    assert!(
        site.out()
            .join("oakfield/governors/template/index.html")
            .is_file()
    );

    let dashboard = std::fs::read_to_string(site.path("restricted/index.html")).unwrap();
    let text = visible_text(&dashboard);
    let card = |name: &str| -> String {
        text.split_once(name)
            .map(|(_, after)| after)
            .unwrap_or_else(|| panic!("{name} on the dashboard: {text}"))
            .to_string()
    };
    let oakfield_card = card("Oakfield Primary School");
    let oakfield_card = oakfield_card.split("Riverside Academy").next().unwrap();
    assert!(
        oakfield_card.contains(&format!("template: {oakfield} changes not adopted")),
        "{oakfield_card}"
    );
    assert!(
        card("Riverside Academy").contains("template: up to date"),
        "{text}"
    );

    // `status --root TRUST` says the same.
    let status = run(&site, &["status"]);
    assert!(
        status
            .stdout
            .contains(&format!("template: {oakfield} changes not adopted")),
        "{}{}",
        status.stdout,
        status.stderr
    );
}

//! `policyweb serve` on a school built on a template: an edit to the
//! template's files, or to its own template's (a chain of three), reaches
//! the school's page and the browser is told to reload, as an edit to the
//! school's own files does. Each site is a temporary folder; the preview
//! listens on a free port of 127.0.0.1.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use common::preview::Preview;

fn reload(events: &mpsc::Receiver<String>, after: &str) {
    let event = events
        .recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("no reload after {after}"));
    assert_eq!(event, "event: reload");
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn replace(root: &Path, relative: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(root.join(relative)).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` once in {relative}");
    write(root, relative, &text.replace(from, to));
}

/// A site root with one view, inheriting from `template` when given.
fn site(root: &Path, folder: &str, name: &str, template: Option<&str>) {
    let template_key = template
        .map(|t| format!("template:\n  path: {t}\n"))
        .unwrap_or_default();
    write(
        root,
        &format!("{folder}/data/site.yaml"),
        &format!(
            "school:\n  name: {name}\npolicy:\n  title: Online Safety Policy\n{template_key}views:\n  - id: parents\n    title: Parents\n    description: For parents.\naccessibility:\n  contact:\n    email: office@school.example\n  compliance: full\n"
        ),
    );
    let pin = template
        .map(|_| "  template: 2025-26\n")
        .unwrap_or_default();
    write(
        root,
        &format!("{folder}/data/versions.yaml"),
        &format!(
            "- id: 2025-26\n  status: approved\n  approved: 2025-06-01\n  approved_by: the board\n{pin}  source: working\n"
        ),
    );
}

#[test]
fn an_edit_to_the_template_or_its_template_reloads_the_schools_page() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    site(root, "national", "National Online Safety", None);
    write(
        root,
        "national/content/010-duties.md",
        "---\ntitle: Duties\n---\n\nEvery school names a lead.\n",
    );
    site(root, "la", "Anyshire Council", Some("../national"));
    write(
        root,
        "la/content/020-local.md",
        "---\ntitle: Local help\n---\n\nCall the Anyshire safeguarding hub.\n",
    );
    site(root, "school", "Hill School", Some("../la"));
    write(
        root,
        "school/content/030-ours.md",
        "---\ntitle: Our own\n---\n\nWritten at Hill.\n",
    );
    let preview = Preview::start(&root.join("school"), &[]);
    assert!(
        preview
            .page("/parents/local/")
            .contains("Call the Anyshire safeguarding hub.")
    );
    let events = preview.events();

    // The school's own template.
    replace(
        root,
        "la/content/020-local.md",
        "Call the Anyshire safeguarding hub.",
        "Ring the Anyshire safeguarding hub.",
    );
    reload(&events, "an edit to ../la/content/020-local.md");
    let page = preview.page("/parents/local/");
    assert!(
        page.contains("Ring the Anyshire safeguarding hub."),
        "{page}"
    );

    // Its template's template, two levels up.
    replace(
        root,
        "national/content/010-duties.md",
        "Every school names a lead.",
        "Every school names a lead and a deputy.",
    );
    reload(&events, "an edit to ../national/content/010-duties.md");
    let page = preview.page("/parents/duties/");
    assert!(page.contains("names a lead and a deputy."), "{page}");

    // A new section in the template's data and content joins too.
    write(
        root,
        "la/content/025-training.md",
        "---\ntitle: Training\n---\n\nEvery year, for every member of staff.\n",
    );
    reload(&events, "a new file ../la/content/025-training.md");
    let page = preview.page("/parents/training/");
    assert!(
        page.contains("Every year, for every member of staff."),
        "{page}"
    );
}

//! sitemap.xml lists only the pages search engines are asked to list: a
//! draft's pages ask not to be, wherever they are, including a first
//! draft's, which sit at the governors' own address until something is
//! approved (docs/revisions.md, "Who sees what").

use std::path::Path;
use std::process::Command;

fn policyweb(folder: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_policyweb"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .env("POLICYWEB_TODAY", "2026-11-22")
        .output()
        .expect("policyweb runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "policyweb {args:?}:\n{text}");
    text
}

fn sitemap(site: &Path) -> String {
    std::fs::read_to_string(site.join("public/sitemap.xml")).expect("sitemap.xml is written")
}

#[test]
fn a_first_draft_is_left_out_of_the_sitemap_until_it_is_approved() {
    let home = tempfile::tempdir().unwrap();
    policyweb(
        home.path(),
        &["init", "-q", "site", "--school", "Hillside Primary School"],
    );
    let site = home.path().join("site");
    policyweb(&site, &["build", "-q"]);
    let page = std::fs::read_to_string(site.join("public/governors/about-this-policy/index.html"))
        .expect("the draft is at the governors' address");
    assert!(page.contains("noindex"), "the draft asks not to be listed");
    let draft = sitemap(&site);
    assert!(
        draft.contains("<loc>/accessibility/</loc>"),
        "the sitemap lists the published pages:\n{draft}"
    );
    assert!(
        !draft.contains("governors/"),
        "the draft's pages are in the sitemap:\n{draft}"
    );

    policyweb(
        &site,
        &[
            "release",
            "2026-27",
            "--approved",
            "2026-11-18",
            "--by",
            "the Full Governing Body",
        ],
    );
    policyweb(&site, &["build", "-q"]);
    let approved = sitemap(&site);
    assert!(
        approved.contains("<loc>/governors/about-this-policy/</loc>"),
        "once approved, the governors' pages are listed:\n{approved}"
    );
}

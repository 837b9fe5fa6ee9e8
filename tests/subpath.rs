//! Hosting under a sub-path: `policyweb build --base-url` puts the site at
//! https://school.example/policies/online-safety/ in place of site.yaml's
//! `base_url`. Every address on every page (public/ and restricted/), every
//! canonical link, every sitemap `<loc>` and the 404 page's `<base>` is
//! resolved as a browser would (RFC 3986, written out below so that it
//! shares nothing with `src/urls.rs`) and must stay under the sub-path and
//! name a file the build wrote. A bad `--base-url` is refused.

mod common;

use std::path::Path;

use common::{Site, TODAY, snapshot};
use policyweb::html::start_tags;

const BASE: &str = "https://school.example/policies/online-safety/";

/// Builds `site` for BASE (written without its last `/`, which the build
/// adds) and checks both trees.
fn build_and_check(site: &Site) {
    build_for_base(site);
    let (problems, checked) = problems(site);
    assert!(
        problems.is_empty(),
        "{} problems among {checked} addresses:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(checked > 100, "only {checked} addresses were checked");
}

fn build_for_base(site: &Site) {
    let run = site.run(&[
        "build",
        "--today",
        TODAY,
        "--base-url",
        BASE.trim_end_matches('/'),
    ]);
    run.assert_success();
}

/// What is wrong in the built site's public/ and restricted/, and how many
/// addresses were resolved. The site's own `base_url` in site.yaml must
/// not be named by any file any more.
fn problems(site: &Site) -> (Vec<String>, usize) {
    let site_yaml = site.read("data/site.yaml");
    let site_yaml_base = site_yaml
        .lines()
        .find_map(|l| l.strip_prefix("base_url:"))
        .and_then(|v| v.split_whitespace().next())
        .expect("the site's site.yaml has a base_url");
    assert_ne!(site_yaml_base, BASE);
    let mut problems = Vec::new();
    let mut checked = 0;
    for tree in ["public", "restricted"] {
        let dir = site.path(tree);
        if dir.exists() {
            checked += check_tree(&dir, site_yaml_base, &mut problems);
        }
    }
    (problems, checked)
}

/// Checks every page of one output tree, served from BASE; returns how
/// many addresses it resolved.
fn check_tree(dir: &Path, site_yaml_base: &str, problems: &mut Vec<String>) -> usize {
    let tree = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut checked = 0;
    let files = snapshot(dir);
    assert!(files.contains_key("index.html") || tree == "restricted");
    for (path, bytes) in &files {
        let path = path.replace('\\', "/");
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if text.contains(site_yaml_base) {
            problems.push(format!(
                "{tree}/{path} still names site.yaml's base_url {site_yaml_base}"
            ));
        }
        let is_sitemap = path == "sitemap.xml";
        if !path.ends_with(".html") && !is_sitemap {
            continue;
        }
        // The address the page is served at under the sub-path.
        let page_url = format!("{BASE}{}", path.trim_end_matches("index.html"));
        let tags = start_tags(text);
        let mut document_base = page_url.clone();
        if path == "404.html" {
            // Served at any depth, so it must name its base itself.
            let base = tags
                .iter()
                .find(|t| t.name == "base")
                .and_then(|t| t.attribute("href"));
            assert_eq!(base, Some(BASE), "{tree}/404.html's <base href>");
            document_base = BASE.to_string();
        }
        for tag in &tags {
            let canonical = tag.name == "link" && tag.attribute("rel") == Some("canonical");
            if canonical {
                let href = tag.attribute("href").unwrap_or_default();
                // A canonical address is absolute: a page's own address.
                if href != page_url {
                    problems.push(format!(
                        "{tree}/{path}: canonical `{href}` is not the page's address {page_url}"
                    ));
                }
            }
            for attribute in ["href", "src"] {
                let Some(address) = tag.attribute(attribute) else {
                    continue;
                };
                if let Some(address) = resolve_followed(&document_base, address) {
                    checked += 1;
                    if let Err(problem) = lands_in(dir, &address) {
                        problems.push(format!(
                            "{tree}/{path}: <{} {attribute}=\"{}\"> {problem}",
                            tag.name,
                            tag.attribute(attribute).unwrap_or_default()
                        ));
                    }
                }
            }
        }
        if is_sitemap {
            let locs = sitemap_locs(text);
            assert!(
                locs.len() > 5,
                "{tree}/sitemap.xml has {} <loc>s",
                locs.len()
            );
            for loc in locs {
                checked += 1;
                if !loc.starts_with(BASE) {
                    problems.push(format!("sitemap <loc> `{loc}` does not start with {BASE}"));
                } else if let Err(problem) = lands_in(dir, &loc) {
                    problems.push(format!("sitemap <loc> `{loc}` {problem}"));
                }
            }
        }
    }
    checked
}

fn sitemap_locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap().trim().to_string())
        .collect()
}

/// The absolute address a link on a document with base `base` leads to, or
/// `None` for links the site does not serve: `mailto:`, `tel:`, a fragment
/// on the same page, another host.
fn resolve_followed(base: &str, address: &str) -> Option<String> {
    let address = address.trim();
    let lower = address.to_ascii_lowercase();
    if address.starts_with('#') || lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return None;
    }
    let resolved = resolve(base, address);
    let host = |url: &str| split(url).1.map(str::to_ascii_lowercase);
    if matches!(split(&resolved).0, Some("http" | "https")) && host(&resolved) != host(BASE) {
        return None;
    }
    Some(resolved)
}

/// Whether an absolute address on BASE's host names a file of the tree
/// served at BASE (`x/` is `x/index.html`).
fn lands_in(dir: &Path, address: &str) -> Result<(), String> {
    let Some(rest) = address
        .strip_prefix(BASE)
        .filter(|_| split(address).0 == Some("https"))
    else {
        return Err(format!("leads to {address}, outside {BASE}"));
    };
    let rest = rest.split(['#', '?']).next().unwrap_or_default();
    let mut file = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .map_err(|_| format!("leads to {address}, which is not UTF-8"))?
        .into_owned();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    if dir.join(&file).is_file() {
        Ok(())
    } else {
        Err(format!("leads to {address}, but there is no {file}"))
    }
}

/// RFC 3986's parts of a reference: scheme, authority, path, query,
/// fragment (section 3, the regular expression of appendix B by hand).
type Parts<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

fn split(reference: &str) -> Parts<'_> {
    let (rest, fragment) = match reference.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (reference, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (scheme, rest) = match rest.split_once(':') {
        Some((s, r))
            if !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            (Some(s), r)
        }
        _ => (None, rest),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(r) => match r.find('/') {
            Some(i) => (Some(&r[..i]), &r[i..]),
            None => (Some(r), ""),
        },
        None => (None, rest),
    };
    (scheme, authority, path, query, fragment)
}

/// RFC 3986 section 5.2.2: the target of `reference` against the absolute
/// address `base`.
fn resolve(base: &str, reference: &str) -> String {
    let (b_scheme, b_authority, b_path, b_query, _) = split(base);
    let (r_scheme, r_authority, r_path, r_query, r_fragment) = split(reference);
    let (scheme, authority, path, query);
    if r_scheme.is_some() {
        (scheme, authority, path, query) = (r_scheme, r_authority, remove_dots(r_path), r_query);
    } else if r_authority.is_some() {
        (scheme, authority, path, query) = (b_scheme, r_authority, remove_dots(r_path), r_query);
    } else if r_path.is_empty() {
        (scheme, authority, path) = (b_scheme, b_authority, b_path.to_string());
        query = r_query.or(b_query);
    } else if r_path.starts_with('/') {
        (scheme, authority, path, query) = (b_scheme, b_authority, remove_dots(r_path), r_query);
    } else {
        // 5.2.3: merge with the base's path up to its last `/`.
        let merged = if b_authority.is_some() && b_path.is_empty() {
            format!("/{r_path}")
        } else {
            format!(
                "{}{r_path}",
                &b_path[..b_path.rfind('/').map_or(0, |i| i + 1)]
            )
        };
        (scheme, authority, path, query) = (b_scheme, b_authority, remove_dots(&merged), r_query);
    }
    let mut out = String::new();
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = r_fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// RFC 3986 section 5.2.4, segment by segment: `.` goes, `..` takes the
/// segment before it (never above the root), and a path ending in `.` or
/// `..` keeps its last `/`.
fn remove_dots(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut kept: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(usize::from(absolute)).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    kept.pop();
                }
                if last {
                    kept.push("");
                }
            }
            other => kept.push(other),
        }
    }
    let joined = kept.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[test]
fn every_address_stays_under_the_sub_path_with_restricted_views() {
    // Four views, one restricted (restricted/), curriculum pages, a draft.
    build_and_check(&Site::copy_of("curriculum"));
}

#[test]
fn every_address_stays_under_the_sub_path_across_revisions() {
    // Earlier revisions under versions/, change pages, the revision timeline.
    build_and_check(&Site::copy_of("history"));
}

#[test]
fn every_address_of_the_example_site_stays_under_the_sub_path() {
    // Three revisions, every kind of page the example has.
    build_and_check(&Site::example());
}

#[test]
fn the_resolver_follows_rfc_3986() {
    // Section 5.4's examples, with its base address.
    let base = "http://a/b/c/d;p?q";
    for (reference, target) in [
        ("g", "http://a/b/c/g"),
        ("./g", "http://a/b/c/g"),
        ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"),
        ("//g", "http://g"),
        ("?y", "http://a/b/c/d;p?y"),
        ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"),
        ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"),
        ("..", "http://a/b/"),
        ("../", "http://a/b/"),
        ("../g", "http://a/b/g"),
        ("../..", "http://a/"),
        ("../../g", "http://a/g"),
        ("../../../g", "http://a/g"),
        ("../../../../g", "http://a/g"),
        ("/./g", "http://a/g"),
        ("/../g", "http://a/g"),
        ("g.", "http://a/b/c/g."),
        ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"),
        ("./g/.", "http://a/b/c/g/"),
        ("g/./h", "http://a/b/c/g/h"),
        ("g/../h", "http://a/b/c/h"),
        ("g;x=1/../y", "http://a/b/c/y"),
        ("g:h", "g:h"),
    ] {
        assert_eq!(resolve(base, reference), target, "`{reference}`");
    }
}

#[test]
fn the_checker_catches_an_address_that_escapes_the_sub_path() {
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(out.path().join("parents/reporting")).unwrap();
    std::fs::write(out.path().join("parents/reporting/index.html"), "").unwrap();
    std::fs::write(out.path().join("index.html"), "").unwrap();
    let page = format!("{BASE}parents/reporting/");

    // Two levels up is the site's root; three is outside it.
    let home = resolve_followed(&page, "../../").unwrap();
    assert_eq!(home, BASE);
    assert_eq!(lands_in(out.path(), &home), Ok(()));
    for escaping in [
        "../../../x",
        "../../../online-safety-old/",
        "/parents/reporting/",
        "https://school.example/x",
        "//school.example/policies/",
    ] {
        let resolved = resolve_followed(&page, escaping).unwrap();
        let problem = lands_in(out.path(), &resolved).expect_err(escaping);
        assert!(problem.contains("outside"), "`{escaping}`: {problem}");
    }
    assert_eq!(
        resolve_followed(&page, "../../../x").unwrap(),
        "https://school.example/policies/x"
    );
    // Under the base, but no such page.
    let missing = resolve_followed(&page, "../people/").unwrap();
    assert!(
        lands_in(out.path(), &missing)
            .unwrap_err()
            .contains("no parents/people/index.html")
    );
    // Not the site's to serve.
    for skipped in [
        "mailto:office@school.example",
        "tel:01632960000",
        "#main",
        "https://other.example/",
    ] {
        assert_eq!(resolve_followed(&page, skipped), None, "`{skipped}`");
    }
}

#[test]
fn the_checker_catches_a_built_page_that_leads_outside_the_sub_path() {
    let site = Site::copy_of("minimal");
    build_for_base(&site);
    assert_eq!(problems(&site).0, Vec::<String>::new());
    let page = site.out().join("parents/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let tampered = html.replace(
        "</main>",
        "<a href=../../x>up</a><img src=/logo.png alt=''><a href=../nowhere/>gone</a></main>",
    );
    std::fs::write(&page, tampered).unwrap();
    let (found, _) = problems(&site);
    assert_eq!(found.len(), 3, "{found:#?}");
    for expected in [
        "<a href=\"../../x\"> leads to https://school.example/policies/x, outside",
        "<img src=\"/logo.png\"> leads to https://school.example/logo.png, outside",
        "<a href=\"../nowhere/\"> leads to https://school.example/policies/online-safety/nowhere/, but there is no nowhere/index.html",
    ] {
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{expected}\nin {found:#?}"
        );
    }
}

#[test]
fn a_base_url_without_its_last_slash_gets_one() {
    let site = Site::copy_of("minimal");
    site.run(&[
        "build",
        "--today",
        TODAY,
        "--base-url",
        "https://school.example/policies/online-safety",
    ])
    .assert_success();
    assert!(
        site.page("404.html")
            .contains(&format!("<base href=\"{BASE}\">"))
    );
    assert!(
        site.page("sitemap.xml")
            .contains(&format!("<loc>{BASE}</loc>"))
    );
}

#[test]
fn a_bad_base_url_is_refused() {
    let site = Site::copy_of("minimal");
    for bad in [
        "javascript:alert(1)",
        "ftp://school.example/policies/",
        "school.example/policies/",
        "https://",
        "https://school.example/policies/?page=1",
        "https://school.example/policies/#top",
        "https://user:pw@school.example/policies/",
        "http://school.example/policies/",
        "/policies/../admin/",
    ] {
        let run = site.run(&["build", "--today", TODAY, "--base-url", bad]);
        assert_eq!(
            run.code, 2,
            "`{bad}` must be a usage error:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("--base-url") && run.stderr.contains("is not a base address"),
            "the error names the flag and says what is wrong:\n{}",
            run.stderr
        );
        assert!(!site.out().exists(), "nothing is built for `{bad}`");
    }
}

/// `//other.host/` starts with `/` but is not a path on this host: a
/// browser reads it as another host, so every canonical link would point
/// there.
#[test]
fn a_base_url_naming_another_host_is_refused() {
    let site = Site::copy_of("minimal");
    let run = site.run(&["build", "--today", TODAY, "--base-url", "//other.host/"]);
    assert_eq!(run.code, 2, "a usage error:\n{}", run.stderr);
    for expected in [
        "--base-url",
        "`//other.host/` is not a base address: it starts //, which names another host; \
         a path on this one starts with a single /",
        "such as https://school.example/online-safety/ or /",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing {expected}:\n{}",
            run.stderr
        );
    }
    assert!(!site.out().exists(), "nothing is built");
}

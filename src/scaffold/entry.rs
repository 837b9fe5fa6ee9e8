//! `policyweb new person` and `policyweb new organisation`: one entry
//! appended to the end of data/people.yaml or data/organisations.yaml, as
//! text indented like the entries already there, so every comment and
//! every other line of the file stays exactly as it was. The id comes from
//! the name, numbered if the file already has it.

use std::path::Path;

use chrono::NaiveDate;

use super::{Added, FIX_FIRST, NotDone, check_unchanged, id_from, ids_in, unique_id, yaml_text};

const PEOPLE: &str = "data/people.yaml";
const ORGANISATIONS: &str = "data/organisations.yaml";
const ROLES: &str = "data/roles.yaml";

/// Adds a person holding `roles` (role ids from roles.yaml, at least one).
pub fn new_person(
    root: &Path,
    name: &str,
    roles: &[String],
    today: NaiveDate,
) -> Result<Added, NotDone> {
    let name = super::one_line(name, "person's name", "Priya Shah")?;
    let roles = known_roles(root, &name, roles)?;
    append(root, PEOPLE, &name, "person", today, |id| {
        vec![
            format!("id: {id}"),
            format!("name: {}", yaml_text(&name)),
            format!("roles: [{}]", roles.join(", ")),
            "# contact:                      # optional: shown only in the views listed".into(),
            "#   email: name@your-school.example".into(),
            "#   views: [staff, governors]".into(),
        ]
    })
}

/// Adds an organisation, with its web address if given (https, or http
/// marked `allow_http: true`).
pub fn new_organisation(
    root: &Path,
    name: &str,
    url: Option<&str>,
    today: NaiveDate,
) -> Result<Added, NotDone> {
    let name = super::one_line(name, "organisation's name", "Childline")?;
    let url = url.map(web_address).transpose()?;
    append(root, ORGANISATIONS, &name, "organisation", today, |id| {
        let mut lines = vec![format!("id: {id}"), format!("name: {}", yaml_text(&name))];
        match &url {
            Some((url, false)) => lines.push(format!("url: {}", yaml_text(url))),
            Some((url, true)) => {
                lines.push(format!("url: {}", yaml_text(url)));
                lines.push("allow_http: true               # it has no https address".into());
            }
            None => {
                lines.push("# url: https://…                # optional: its web address".into())
            }
        }
        lines.extend([
            "# helps_with: One sentence on what it helps with.".to_string(),
            "# category: Help and advice      # optional: the heading it is listed under".into(),
            "# views: [staff, governors]      # optional, default every view: which views list it"
                .into(),
        ]);
        lines
    })
}

/// The roles asked for, each checked against roles.yaml, without repeats.
fn known_roles(root: &Path, name: &str, asked: &[String]) -> Result<Vec<String>, NotDone> {
    let text = std::fs::read_to_string(root.join(ROLES)).map_err(|error| {
        NotDone::site(
            format!("cannot read {ROLES} in {}: {error}", root.display()),
            "run this in the site's folder, or give its folder with --root",
        )
    })?;
    let known = ids_in(&text).map_err(|problem| {
        NotDone::site(
            format!("{ROLES} cannot be read ({problem}), so its roles cannot be checked"),
            "run `policyweb build` to see where the problem is, fix it, then try again",
        )
    })?;
    let listing = format!("{ROLES} lists: {}", known.join(", "));
    if asked.is_empty() {
        return Err(NotDone::usage(
            format!("say which role {name} holds, with --role"),
            format!(
                "for example --role {}; {listing}",
                known.first().map_or("dsl", String::as_str)
            ),
        ));
    }
    let mut roles: Vec<String> = Vec::new();
    for role in asked {
        let role = role.trim();
        if !known.iter().any(|k| k == role) {
            let near = crate::ids::closest(role, known.iter().map(String::as_str));
            let guess = near.map_or_else(String::new, |n| format!("did you mean `{n}`? "));
            return Err(NotDone::usage(
                format!("there is no role `{role}` in {ROLES}"),
                format!("{guess}{listing}; to add a new role, add it to {ROLES} first"),
            ));
        }
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_string());
        }
    }
    Ok(roles)
}

/// A web address an organisation may have: https, or http (returned with
/// `true`, since it needs `allow_http`). Anything else is refused.
fn web_address(url: &str) -> Result<(String, bool), NotDone> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let http = lower.starts_with("http://");
    let refuse = |why: String| {
        NotDone::usage(
            why,
            "give the organisation's full web address, such as --url https://www.childline.org.uk/",
        )
    };
    if !http && !lower.starts_with("https://") {
        return Err(refuse(format!(
            "`{url}` is not a web address: an organisation's url starts https:// (or http://)"
        )));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse(format!("`{url}` has spaces in it")));
    }
    match crate::address::classify(url, true) {
        Ok(crate::address::Target::External) => Ok((url.to_string(), http)),
        Ok(crate::address::Target::Internal) => {
            Err(refuse(format!("`{url}` is not a full address")))
        }
        Err(problem) => Err(refuse(problem)),
    }
}

/// How the file's entries are indented: the dash, and the keys after it.
#[derive(Debug, PartialEq)]
struct Indent {
    dash: usize,
    key: usize,
}

/// The first entry's indentation, or the usual one for an empty list.
fn indent_of(text: &str) -> Indent {
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('-')
            && (rest.is_empty() || rest.starts_with(' '))
        {
            let dash = line.len() - trimmed.len();
            let gap = rest.len() - rest.trim_start().len();
            return Indent {
                dash,
                key: dash + 1 + gap.max(1),
            };
        }
        break;
    }
    Indent { dash: 0, key: 2 }
}

/// `text` with the entry appended; an empty flow list (`[]`) gives way to
/// it. Returns the new text and the entry's first line.
fn appended(text: &str, entry: &[String]) -> (String, usize) {
    let indent = indent_of(text);
    let mut out = String::with_capacity(text.len() + 256);
    // An empty list written `[]` is the only text replaced, and only when
    // the file has no entries.
    let mut replaced_empty = text.lines().any(|l| l.trim_start().starts_with('-'));
    for line in text.split_inclusive('\n') {
        if !replaced_empty && line.trim() == "[]" {
            replaced_empty = true;
            continue;
        }
        out.push_str(line);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    let line = out.lines().count() + 1;
    for (n, part) in entry.iter().enumerate() {
        if n == 0 {
            out.push_str(&format!("{}- {part}\n", " ".repeat(indent.dash)));
        } else {
            out.push_str(&format!("{}{part}\n", " ".repeat(indent.key)));
        }
    }
    (out, line)
}

/// Appends an entry to `file`, made by `entry` from the chosen id. The new
/// text is read back before it is kept: the file must still be a list
/// ending with the new id, and the site must have no new error.
fn append(
    root: &Path,
    file: &str,
    name: &str,
    fallback: &str,
    today: NaiveDate,
    entry: impl FnOnce(&str) -> Vec<String>,
) -> Result<Added, NotDone> {
    let path = root.join(file);
    let original = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if !root.join("data").is_dir() {
                return Err(NotDone::site(
                    format!("there is no data/ folder in {}", root.display()),
                    "run this in the site's folder, or give its folder with --root; `policyweb init` makes a new site",
                ));
            }
            None
        }
        Err(error) => return Err(NotDone::io("read", &path, &error)),
    };
    let text = original.clone().unwrap_or_default();
    let ids = ids_in(&text).map_err(|problem| {
        NotDone::site(
            format!("{file} cannot be read ({problem}), so nothing was added"),
            "run `policyweb build` to see where the problem is, fix it, then try again",
        )
    })?;
    let wanted = id_from(name, fallback);
    let id = unique_id(&wanted, |id| ids.iter().any(|i| i == id));
    let mut notes = Vec::new();
    if id != wanted {
        notes.push(format!(
            "{file} already has `{wanted}`, so the new entry is `{id}`; if it is the same {fallback}, remove the new entry"
        ));
    }
    let lines = entry(&id);
    let (new_text, line) = appended(&text, &lines);
    let reads_back = ids_in(&new_text)
        .is_ok_and(|after| after.len() == ids.len() + 1 && after.last() == Some(&id));
    if !reads_back {
        let by_hand: Vec<String> = lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                if n == 0 {
                    format!("- {l}")
                } else {
                    format!("  {l}")
                }
            })
            .collect();
        return Err(NotDone::site(
            format!("{file} is not laid out as a list of `- id:` entries, so nothing was added"),
            format!(
                "add the entry at the end of the list yourself:\n{}",
                by_hand.join("\n")
            ),
        ));
    }
    check_unchanged(
        root,
        today,
        FIX_FIRST,
        || {
            std::fs::write(&path, &new_text).map_err(|e| NotDone::io("write", &path, &e))?;
            Ok(Added {
                file: file.into(),
                line,
                id: id.clone(),
                name: name.to_string(),
                notes,
            })
        },
        || match &original {
            Some(text) => {
                let _ = std::fs::write(&path, text);
            }
            None => {
                let _ = std::fs::remove_file(&path);
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Vec<String> {
        vec!["id: sam".into(), "name: Sam".into(), "roles: [dsl]".into()]
    }

    #[test]
    fn entries_are_indented_like_the_file() {
        let file = "# People\n  - id: alex   # the head\n    name: Alex\n    roles: [head]\n";
        let (text, line) = appended(file, &entry());
        assert_eq!(
            text,
            format!("{file}  - id: sam\n    name: Sam\n    roles: [dsl]\n")
        );
        assert_eq!(line, 5);
        assert_eq!(ids_in(&text).unwrap(), ["alex", "sam"]);
    }

    #[test]
    fn a_missing_last_newline_and_an_empty_list_are_handled() {
        let (text, line) = appended("- id: alex\n  name: Alex", &entry());
        assert_eq!(
            text,
            "- id: alex\n  name: Alex\n- id: sam\n  name: Sam\n  roles: [dsl]\n"
        );
        assert_eq!(line, 3);
        let (text, line) = appended("# Nobody yet\n[]\n", &entry());
        assert_eq!(
            text,
            "# Nobody yet\n- id: sam\n  name: Sam\n  roles: [dsl]\n"
        );
        assert_eq!(line, 2);
        let (text, _) = appended("", &entry());
        assert_eq!(ids_in(&text).unwrap(), ["sam"]);
    }

    #[test]
    fn only_web_addresses_are_accepted() {
        assert_eq!(
            web_address("https://www.childline.org.uk/").unwrap(),
            ("https://www.childline.org.uk/".to_string(), false)
        );
        assert!(web_address("http://testfiltering.com/").unwrap().1);
        for bad in [
            "javascript:alert(1)",
            "www.childline.org.uk",
            "ftp://x.org",
            "https://",
            "https://a b.org",
            "mailto:a@b.org",
        ] {
            assert!(web_address(bad).is_err(), "{bad}");
        }
    }
}

//! Placeholders left from `policyweb init`: the example names and
//! addresses of the starter site, and values marked `# REPLACE` beside
//! them. Only the working tree (content/ and data/) is read: a frozen
//! revision is never edited, so a warning about it could not be acted on.

use crate::diagnostics::{Diagnostic, Sources};

/// The school's name when `--school` is not given: plainly a placeholder.
pub const PLACEHOLDER_SCHOOL: &str = "Example Primary School";

/// The example values the starter site leaves for the school to replace:
/// the one list of them, which the build warns about while any is left in
/// content/ or data/ and `status --strict` fails on.
pub const PLACEHOLDERS: &[&str] = &[
    PLACEHOLDER_SCHOOL,
    "your-school.example",
    "Alex Example",
    "Sam Example",
    "Jordan Example",
    "Example IT Services",
];

/// The word that marks, in a comment beside it, a starter value to replace.
pub const REPLACE_MARK: &str = "REPLACE";

/// A warning for each line of content/ or data/ that still holds a
/// placeholder, at the placeholder.
pub fn left_in(sources: &Sources) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (source, file) in sources.iter() {
        let yaml = file.path.ends_with(".yaml");
        let ours = file.path.starts_with("data/") || file.path.starts_with("content/");
        if !ours || !(yaml || file.path.ends_with(".md")) {
            continue;
        }
        let mut start = 0;
        for line in file.text.split_inclusive('\n') {
            let (value, comment) = if yaml {
                split_comment(line)
            } else {
                (line, "")
            };
            let found = PLACEHOLDERS
                .iter()
                .filter_map(|marker| value.find(marker).map(|at| (at, *marker)))
                .min();
            if let Some((at, marker)) = found {
                let at = start + at;
                out.push(
                    Diagnostic::warning(format!(
                        "`{marker}` is a placeholder from `policyweb init`"
                    ))
                    .at(source, at..at + marker.len())
                    .label("placeholder")
                    .help(
                        "replace it with the school's own details before the policy is published",
                    ),
                );
            } else if !value.trim().is_empty()
                && let Some(at) = comment.find(REPLACE_MARK)
            {
                let at = start + value.len() + at;
                out.push(
                    Diagnostic::warning(
                        "this line is marked REPLACE: its value is an example from `policyweb init`",
                    )
                    .at(source, at..at + REPLACE_MARK.len())
                    .label("marked REPLACE")
                    .help("put in the school's own value, then delete the `# REPLACE …` comment"),
                );
            }
            start += line.len();
        }
    }
    out
}

/// A YAML line's value and its comment (a line that is all comment is all
/// comment: commented-out examples are not published).
fn split_comment(line: &str) -> (&str, &str) {
    if line.trim_start().starts_with('#') {
        return ("", line);
    }
    match line.find(" #") {
        Some(at) => (&line[..at], &line[at..]),
        None => (line, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_placeholder_left_in_is_found_once_a_line_and_comments_are_not() {
        let mut sources = Sources::default();
        sources.add(
            "data/people.yaml".into(),
            "# REPLACE the example names\n- id: sam-example\n  name: Sam Example   # REPLACE\n  contact:\n    # email: x@your-school.example\n    phone: 01234 # REPLACE with yours\n".into(),
        );
        sources.add(
            "versions/2024-25/data/people.yaml".into(),
            "  name: Sam Example\n".into(),
        );
        let found = left_in(&sources);
        let places: Vec<_> = found
            .iter()
            .map(|d| d.location(&sources).unwrap().to_string())
            .collect();
        assert_eq!(places, ["data/people.yaml:3:9", "data/people.yaml:6:20"]);
        assert_eq!(
            found[0].message,
            "`Sam Example` is a placeholder from `policyweb init`"
        );
    }

    #[test]
    fn every_placeholder_is_in_the_starter_site() {
        let starter = [
            include_str!("../scaffold/starter/data/people.yaml"),
            include_str!("../scaffold/starter/data/site.yaml"),
            include_str!("../scaffold/starter/data/organisations.yaml"),
        ]
        .concat();
        for marker in PLACEHOLDERS.iter().skip(1) {
            assert!(starter.contains(marker), "{marker} is not in the starter");
        }
    }
}

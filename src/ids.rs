//! Ids: the one spelling rule for every id in data/ and front matter
//! (lower-case letters, digits, single hyphens), and the "did you mean"
//! hint for an id that names nothing. Loading, validation, Markdown
//! references and the commands all share these, so they sit at the bottom.

/// The longest id: ids name folders and files in the output (a view's
/// `parents/`, a revision's `versions/2024-25/`), and with room for what is
/// added to them this stays well inside the 255 bytes every file system
/// allows for a name.
pub const MAX_ID_CHARS: usize = 64;

/// Why an id that is otherwise well formed cannot be used, if it is too long.
pub fn too_long(id: &str, kind: &str) -> Option<String> {
    (id.len() > MAX_ID_CHARS).then(|| {
        format!(
            "the {kind} id `{}` is too long: {} characters, at most {MAX_ID_CHARS}",
            crate::prose::shorten(id),
            id.chars().count()
        )
    })
}

/// Lower-case letters, digits and single hyphens: safe in a URL and in YAML.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The id nearest to `wrong` among `known`, for "did you mean" hints.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // No id is longer than MAX_ID_CHARS, so nothing is near a much longer
    // value; comparing a pasted paragraph with every id would take long.
    if wrong.len() > 2 * MAX_ID_CHARS {
        return None;
    }
    known
        .into_iter()
        .filter(|k| k.len() <= 2 * MAX_ID_CHARS)
        .map(|k| (edit_distance(wrong, k), k))
        .filter(|(d, k)| *d <= (k.len().max(wrong.len()) / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(previous + 1).min(row[j] + 1);
        }
    }
    row[b.len()]
}

/// "did you mean `dsl`?" or a pointer to where the ids are defined.
pub fn unknown_help<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
    file: &str,
) -> String {
    match closest(wrong, known) {
        Some(near) => format!("did you mean `{near}`? The ids are defined in {file}"),
        None => format!("use an id defined in {file}, or add an entry there"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_url_safe() {
        assert!(is_valid_id("online-safety-lead"));
        assert!(is_valid_id("year-1-teacher"));
        assert!(!is_valid_id("Online Safety"));
        assert!(!is_valid_id("dsl-"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id(""));
        assert!(is_valid_id(&"a".repeat(MAX_ID_CHARS)));
        assert!(!is_valid_id(&"a".repeat(MAX_ID_CHARS + 1)));
    }

    #[test]
    fn suggests_the_nearest_id() {
        assert_eq!(closest("dls", ["dsl", "headteacher"]), Some("dsl"));
        assert_eq!(
            closest("tom-clark", ["tom-clarke", "vicky-hodgson"]),
            Some("tom-clarke")
        );
        assert_eq!(closest("zzz", ["dsl"]), None);
    }
}

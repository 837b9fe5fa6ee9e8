//! Small pieces of English shared by every sentence the site writes about
//! its data: lists of names, and values quoted in messages.

/// "Reception", "Reception and Year 1", "Reception, Year 1 and Year 2";
/// `conjunction` is `and` or `or`.
pub fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// How much of a value a message quotes.
const QUOTED_CHARS: usize = 60;

/// `text` as a message quotes it: whole when short, else its first
/// characters and `…`, so a pasted page in a field gives a readable line.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_in_part() {
        assert_eq!(shorten("online-safety-lead"), "online-safety-lead");
        let long = "é".repeat(1000);
        let quoted = shorten(&long);
        assert_eq!(quoted.chars().count(), QUOTED_CHARS + 1);
        assert!(quoted.ends_with('…'));
    }

    #[test]
    fn lists_read_as_english() {
        let years = |n: usize| -> Vec<String> {
            ["Reception", "Year 1", "Year 2"][..n]
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        assert_eq!(list(&years(1), "or"), "Reception");
        assert_eq!(list(&years(2), "and"), "Reception and Year 1");
        assert_eq!(list(&years(3), "or"), "Reception, Year 1 or Year 2");
    }
}

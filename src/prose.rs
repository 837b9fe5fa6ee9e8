//! Small pieces of English shared by every sentence the site writes about
//! its data: lists of names.

/// "Reception", "Reception and Year 1", "Reception, Year 1 and Year 2";
/// `conjunction` is `and` or `or`.
pub fn list(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

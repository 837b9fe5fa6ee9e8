//! The one slug function: heading text to an id usable in a URL fragment.

/// "Filtering & Monitoring –" → "filtering-monitoring".
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c);
        } else if c != '\'' && c != '’' {
            pending_hyphen = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_read_well_in_an_address() {
        assert_eq!(
            super::slug("Filtering & Monitoring –"),
            "filtering-monitoring"
        );
        assert_eq!(super::slug("Parents’ evenings"), "parents-evenings");
        assert_eq!(super::slug("**"), "section");
    }
}

//! Links: which addresses a policy may contain, and the offline check that
//! every internal link and `#fragment` in the rendered site resolves.

pub mod external;
pub mod internal;

/// What kind of target a link or address has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// https (or http where allowed), mailto, tel.
    External,
    /// A path or fragment inside the site.
    Internal,
}

/// Decides whether an address may be published. `allow_http` is set only
/// where data says an organisation is known by an http address alone.
pub fn classify(url: &str, allow_http: bool) -> Result<Target, String> {
    let trimmed = url.trim();
    if is_placeholder(trimmed) {
        return Err(format!("`{trimmed}` is a placeholder, not a link target"));
    }
    let Some((scheme, rest)) = split_scheme(trimmed) else {
        return Ok(Target::Internal);
    };
    match scheme.to_ascii_lowercase().as_str() {
        "https" if rest.starts_with("//") && rest.len() > 2 => Ok(Target::External),
        "http" if rest.starts_with("//") && rest.len() > 2 => {
            if allow_http {
                Ok(Target::External)
            } else {
                Err(format!("`{trimmed}` uses http:, which is not secure"))
            }
        }
        "mailto" if rest.contains('@') => Ok(Target::External),
        "tel" if rest.chars().any(|c| c.is_ascii_digit()) => Ok(Target::External),
        "https" | "http" | "mailto" | "tel" => {
            Err(format!("`{trimmed}` is not a complete address"))
        }
        other => Err(format!(
            "`{trimmed}` uses the {other}: scheme, which a policy page must not link to"
        )),
    }
}

fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// Targets a Word export or a template leaves where an address should be.
pub fn is_placeholder(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "#"
            | "#!"
            | "todo"
            | "tbc"
            | "tbd"
            | "?"
            | "url"
            | "link"
            | "http://"
            | "https://"
            | "about:blank"
            | "javascript:void(0)"
            | "javascript:void(0);"
            | "javascript:;"
    ) || lower.contains("example.com/todo")
}

/// The help sentence that goes with a rejected address.
pub fn help_for(url: &str) -> &'static str {
    let lower = url.trim().to_ascii_lowercase();
    if is_placeholder(&lower) {
        "give the link a real target, such as [[org:…]] or [[section:…]], or make it plain text"
    } else if lower.starts_with("http:") {
        "use the https: address; if the organisation has none, record it in organisations.yaml with allow_http: true"
    } else {
        "links may use https:, mailto: or tel:, or point to another page of the policy"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_schemes_are_published() {
        assert_eq!(
            classify("https://www.ceop.police.uk/", false),
            Ok(Target::External)
        );
        assert_eq!(
            classify("mailto:office@school.example", false),
            Ok(Target::External)
        );
        assert_eq!(classify("tel:+441510000000", false), Ok(Target::External));
        assert_eq!(
            classify("../reporting/#flowchart", false),
            Ok(Target::Internal)
        );
        assert_eq!(classify("#filtering", false), Ok(Target::Internal));
        assert!(classify("javascript:alert(1)", false).is_err());
        assert!(classify(" JavaScript:alert(1)", false).is_err());
        assert!(classify("data:text/html,<script>", false).is_err());
        assert!(classify("http://ceop.police.uk/", false).is_err());
        assert_eq!(
            classify("http://ceop.police.uk/", true),
            Ok(Target::External)
        );
        assert!(classify("#", false).is_err());
        assert!(classify("", false).is_err());
        assert!(classify("https://", false).is_err());
    }
}

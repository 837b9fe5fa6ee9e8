//! Addresses: which link targets a policy may publish (the scheme rule
//! every link, organisation and contact goes through) and which base
//! address a site may be served from. Validation, Markdown and the
//! commands share these rules, so they sit at the bottom, beside `urls`.

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

/// The address the site is served from, as `base_url` in site.yaml or
/// `policyweb build --base-url` gives it: a path from the host's root
/// (`/`), an https:// address, or http://localhost for a preview. It
/// always ends in `/`, since every page's address is appended to it, so
/// anything that would stop a page's address from following it (a query,
/// a fragment) or send it elsewhere (another host, `..`) is refused.
pub fn base_address(value: &str) -> Result<String, NotABaseAddress> {
    let value = value.trim();
    let as_written = format!("{}/", value.trim_end_matches('/'));
    match base_address_flaw(value) {
        None => Ok(as_written),
        Some(flaw) => Err(NotABaseAddress {
            value: value.to_string(),
            as_written,
            flaw,
        }),
    }
}

/// What, if anything, keeps `value` (trimmed) from being a base address.
/// The `url` crate reads the host and port; what it would quietly mend
/// (a space encoded, `..` resolved, `https:///x` read as host `x`) is
/// refused first, since it must be written right in site.yaml.
fn base_address_flaw(value: &str) -> Option<Flaw> {
    if value.is_empty() {
        return Some(Flaw::Empty);
    }
    let after_scheme = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    if after_scheme.is_none() && !value.starts_with('/') {
        return Some(Flaw::Unrecognised);
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(Flaw::Space);
    }
    if value.contains('\\') {
        return Some(Flaw::Backslash);
    }
    if value.contains('?') {
        return Some(Flaw::Query);
    }
    if value.contains('#') {
        return Some(Flaw::Fragment);
    }
    if value.split('/').any(is_parent_folder) {
        return Some(Flaw::ClimbsOut);
    }
    let Some(rest) = after_scheme else {
        return value.starts_with("//").then_some(Flaw::SchemeRelative);
    };
    let scheme = if value.starts_with("https") {
        "https"
    } else {
        "http"
    };
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    if authority.contains('@') {
        return Some(Flaw::UserInfo);
    }
    if authority.is_empty() || authority.starts_with(':') {
        return Some(Flaw::NoHost { scheme });
    }
    if authority.ends_with(':') {
        return Some(Flaw::BadPort(String::new()));
    }
    let url = match url::Url::parse(value) {
        Ok(url) => url,
        Err(url::ParseError::InvalidPort) => {
            let port = authority.rsplit_once(':').map_or("", |(_, port)| port);
            return Some(Flaw::BadPort(port.to_string()));
        }
        Err(_) => return Some(Flaw::BadHost(authority.to_string())),
    };
    let host = url.host_str().unwrap_or_default();
    // A URL may have an empty label (`school..example`); no host name does.
    if url
        .domain()
        .is_some_and(|name| name.split('.').any(str::is_empty))
    {
        return Some(Flaw::BadHost(host.to_string()));
    }
    (scheme == "http" && host != "localhost").then_some(Flaw::InsecureHttp)
}

/// `..`, also as browsers read it percent-encoded (`%2e%2e`, `.%2E`).
fn is_parent_folder(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(lower.as_str(), ".." | ".%2e" | "%2e." | "%2e%2e")
}

/// A `base_url` that is not an address the site can be served from.
#[derive(Debug, Clone)]
pub struct NotABaseAddress {
    /// The value as given (trimmed).
    pub value: String,
    /// The value with one `/` at its end, used while the rest of a site
    /// with this error is still checked (it is never written).
    pub as_written: String,
    flaw: Flaw,
}

/// Why a value is not a base address; each says so in words a school's
/// online safety lead can act on, with `NotABaseAddress::HELP` after it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Flaw {
    Empty,
    /// Neither a path nor an http(s):// address (`school.example/`, `ftp:`).
    Unrecognised,
    /// `//other.host/`: another host, not a path on this one.
    SchemeRelative,
    /// A space, tab, line break or other invisible character.
    Space,
    Backslash,
    Query,
    Fragment,
    /// `https://`, `https:///x`.
    NoHost {
        scheme: &'static str,
    },
    /// `https://name:password@school.example/`.
    UserInfo,
    BadHost(String),
    BadPort(String),
    /// http: for anything but localhost.
    InsecureHttp,
    /// A `..` folder.
    ClimbsOut,
}

impl NotABaseAddress {
    pub const HELP: &str = "write the address the site is served from, such as https://school.example/online-safety/ or /";
}

impl std::fmt::Display for NotABaseAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.flaw {
            Flaw::Empty => write!(f, "the base address is empty"),
            flaw => write!(f, "`{}` is not a base address: {flaw}", self.value),
        }
    }
}

impl std::fmt::Display for Flaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Flaw::Empty => write!(f, "it is empty"),
            Flaw::Unrecognised => write!(f, "it starts neither https:// nor /"),
            Flaw::SchemeRelative => write!(
                f,
                "it starts //, which names another host; a path on this one starts with a single /"
            ),
            Flaw::Space => write!(f, "it has a space, tab or line break in it"),
            Flaw::Backslash => write!(f, "it has a \\ in it, and addresses use /"),
            Flaw::Query => write!(
                f,
                "it has a `?` part, and pages' addresses cannot be added after one"
            ),
            Flaw::Fragment => write!(
                f,
                "it has a `#` part, and pages' addresses cannot be added after one"
            ),
            Flaw::NoHost { scheme } => write!(f, "it has no host name after {scheme}://"),
            Flaw::UserInfo => write!(
                f,
                "it has a user name or password before the host, which must not be published"
            ),
            Flaw::BadHost(host) => write!(f, "`{host}` is not a host name"),
            Flaw::BadPort(port) if port.is_empty() => {
                write!(f, "it has a `:` after the host but no port number")
            }
            Flaw::BadPort(port) => write!(f, "`{port}` is not a port number"),
            Flaw::InsecureHttp => write!(
                f,
                "it uses http:, which is not secure and is only for a preview at http://localhost"
            ),
            Flaw::ClimbsOut => write!(
                f,
                "its path goes up a folder with `..`; name the folder itself"
            ),
        }
    }
}

impl std::error::Error for NotABaseAddress {}

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

    fn flaw(value: &str) -> Flaw {
        match base_address(value) {
            Ok(base) => panic!("`{value}` was taken as the base address `{base}`"),
            Err(problem) => problem.flaw,
        }
    }

    #[test]
    fn a_base_address_is_a_path_or_an_https_address_ending_in_a_slash() {
        for (value, base) in [
            ("/", "/"),
            ("/policies/online-safety", "/policies/online-safety/"),
            ("/policies/online-safety//", "/policies/online-safety/"),
            ("https://school.example", "https://school.example/"),
            (
                "https://school.example/policies/online-safety/",
                "https://school.example/policies/online-safety/",
            ),
            (
                " https://school.example:8443/a ",
                "https://school.example:8443/a/",
            ),
            ("https://[2001:db8::1]/", "https://[2001:db8::1]/"),
            ("https://école.example/", "https://école.example/"),
            ("http://localhost:8000/", "http://localhost:8000/"),
            ("http://localhost", "http://localhost/"),
        ] {
            assert_eq!(base_address(value).ok().as_deref(), Some(base), "{value}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        for (value, expected) in [
            ("", Flaw::Empty),
            ("   ", Flaw::Empty),
            ("school.example/policies/", Flaw::Unrecognised),
            ("ftp://school.example/", Flaw::Unrecognised),
            ("javascript:alert(1)", Flaw::Unrecognised),
            ("HTTPS://school.example/", Flaw::Unrecognised),
            ("//other.host/", Flaw::SchemeRelative),
            ("//", Flaw::SchemeRelative),
            ("https://", Flaw::NoHost { scheme: "https" }),
            ("https:///x", Flaw::NoHost { scheme: "https" }),
            ("https://:443/", Flaw::NoHost { scheme: "https" }),
            ("http://", Flaw::NoHost { scheme: "http" }),
            ("https://exa mple.org/", Flaw::Space),
            ("/online safety/", Flaw::Space),
            ("/a\tb", Flaw::Space),
            ("/policies\\online-safety", Flaw::Backslash),
            ("https://school.example/a?b=c", Flaw::Query),
            ("/?page=1", Flaw::Query),
            ("https://school.example/#x", Flaw::Fragment),
            ("/#top", Flaw::Fragment),
            ("https://user:pw@school.example/", Flaw::UserInfo),
            ("https://user@school.example/", Flaw::UserInfo),
            (
                "https://school..example/",
                Flaw::BadHost("school..example".into()),
            ),
            ("https://[::g]/", Flaw::BadHost("[::g]".into())),
            (
                "https://school.example:eighty/",
                Flaw::BadPort("eighty".into()),
            ),
            (
                "https://school.example:99999/",
                Flaw::BadPort("99999".into()),
            ),
            ("https://school.example:/", Flaw::BadPort(String::new())),
            ("http://school.example/", Flaw::InsecureHttp),
            ("http://localhost.school.example/", Flaw::InsecureHttp),
            ("http://127.0.0.1:8000/", Flaw::InsecureHttp),
            ("/policies/../admin/", Flaw::ClimbsOut),
            ("/..", Flaw::ClimbsOut),
            ("/policies/%2E%2e/", Flaw::ClimbsOut),
            ("https://school.example/../x", Flaw::ClimbsOut),
        ] {
            assert_eq!(flaw(value), expected, "{value}");
        }
    }

    #[test]
    fn a_refusal_says_what_is_wrong_in_plain_words() {
        let refusal = |value: &str| base_address(value).unwrap_err().to_string();
        assert_eq!(
            refusal("//other.host/"),
            "`//other.host/` is not a base address: it starts //, which names another host; \
             a path on this one starts with a single /"
        );
        assert_eq!(
            refusal("https://user:pw@school.example/"),
            "`https://user:pw@school.example/` is not a base address: it has a user name or \
             password before the host, which must not be published"
        );
        assert_eq!(refusal(" "), "the base address is empty");
        // The value stays as written while the rest of the site is checked.
        assert_eq!(
            base_address("//other.host").unwrap_err().as_written,
            "//other.host/"
        );
    }
}

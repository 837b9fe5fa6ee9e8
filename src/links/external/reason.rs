//! What to tell the school when a request fails: the words for a status
//! code (unknown ones named with their class), for a certificate a browser
//! would not trust, a refused or reset connection, a name that cannot be
//! found, a body cut off on the way. Read from the error's chain of causes
//! (reqwest → hyper → the socket or rustls), never from its wording.

use rustls::CertificateError;

/// How a failed request should be reported, and whether asking again
/// could give another answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFailure {
    pub reason: String,
    /// Refused, reset, timed out or cut off: worth another try.
    pub passing: bool,
    /// The address leads where `check` does not go (a private address).
    pub refused_by_rules: bool,
}

/// A host name that resolved only to addresses `check` does not ask.
#[derive(Debug)]
pub struct PrivateAddress {
    pub host: String,
    pub ip: std::net::IpAddr,
}

impl std::fmt::Display for PrivateAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} resolves to a private address ({})",
            self.host, self.ip
        )
    }
}

impl std::error::Error for PrivateAddress {}

/// A host name that does not resolve.
#[derive(Debug)]
pub struct UnknownName {
    pub host: String,
}

impl std::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the site's name, {}, could not be found (DNS)",
            self.host
        )
    }
}

impl std::error::Error for UnknownName {}

/// "404 Not Found"; "499, an unknown client error code".
pub fn code_words(code: http::StatusCode) -> String {
    if let Some(reason) = code.canonical_reason() {
        return format!("{} {reason}", code.as_u16());
    }
    let class = match code.as_u16() {
        100..=199 => "an unknown informational code",
        200..=299 => "an unknown success code",
        300..=399 => "an unknown redirect code",
        400..=499 => "an unknown client error code",
        500..=599 => "an unknown server error code",
        _ => "a status code outside the HTTP classes",
    };
    format!("{}, {class}", code.as_u16())
}

/// "no answer within 20 seconds".
pub fn no_answer(timeout: u64) -> String {
    if timeout == 1 {
        "no answer within 1 second".into()
    } else {
        format!("no answer within {timeout} seconds")
    }
}

/// Every cause of `error`, outermost first. An `io::Error` hides the
/// error it carries from `source()`, so the chain goes through it.
fn causes<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    type Cause<'a> = &'a (dyn std::error::Error + 'static);
    std::iter::successors(Some(error), |&e: &Cause<'a>| -> Option<Cause<'a>> {
        match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(carried) => Some(carried),
            None => e.source(),
        }
    })
    .take(64)
}

/// Why a request got no answer at all.
pub fn request_failure(error: &reqwest::Error, timeout: u64) -> RequestFailure {
    let passing = |reason: String| RequestFailure {
        reason,
        passing: true,
        refused_by_rules: false,
    };
    for cause in causes(error) {
        if let Some(private) = cause.downcast_ref::<PrivateAddress>() {
            return RequestFailure {
                reason: format!("{private}, which `check` does not ask about"),
                passing: false,
                refused_by_rules: true,
            };
        }
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return RequestFailure {
                reason: tls_words(tls),
                passing: false,
                refused_by_rules: false,
            };
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            match io.kind() {
                ConnectionRefused => return passing("the site refused the connection".into()),
                ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
                    return passing("the connection was reset before an answer came".into());
                }
                TimedOut => return passing(no_answer(timeout)),
                _ => {}
            }
        }
    }
    if error.is_timeout() {
        return passing(no_answer(timeout));
    }
    if let Some(unknown) = causes(error).find_map(|c| c.downcast_ref::<UnknownName>()) {
        return passing(unknown.to_string());
    }
    if error.is_connect() {
        return passing(format!(
            "could not connect to the site ({})",
            innermost(error)
        ));
    }
    passing(format!("the request failed: {}", innermost(error)))
}

/// Why a body broke off: cut short, or not decodable (gzip or chunks
/// that make no sense arrive as invalid data).
pub fn body_failure(error: &reqwest::Error) -> String {
    let invalid = causes(error).any(|c| {
        c.downcast_ref::<std::io::Error>().is_some_and(|io| {
            matches!(
                io.kind(),
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::InvalidInput
            )
        })
    });
    if invalid {
        format!(
            "the page arrived damaged: it could not be decoded ({})",
            innermost(error)
        )
    } else {
        format!("the page was cut off before its end ({})", innermost(error))
    }
}

/// The deepest cause's words: the one that says what happened.
fn innermost(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map_or_else(|| error.to_string(), |e| e.to_string())
}

fn tls_words(error: &rustls::Error) -> String {
    let certificate = match error {
        rustls::Error::InvalidCertificate(certificate) => certificate,
        rustls::Error::NoCertificatesPresented => {
            return "the site's secure connection failed: it sent no certificate".into();
        }
        other => return format!("the site's secure connection failed: {other}"),
    };
    match certificate {
        CertificateError::UnknownIssuer | CertificateError::BadSignature => {
            "the site's certificate is not trusted: no authority a browser knows vouches for it \
             (self-signed, or a certificate missing from the chain)"
                .into()
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the site's certificate has expired".into()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the site's certificate is not valid yet".into()
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "the site's certificate is for another name".into()
        }
        CertificateError::Revoked => "the site's certificate has been revoked".into(),
        // webpki's own findings, such as a certificate authority's
        // certificate used as the site's.
        CertificateError::Other(other) => {
            format!("the site's certificate is not trusted ({other})")
        }
        other => format!("the site's certificate is not trusted ({other:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_are_named_with_their_class_when_unknown() {
        let words = |n| code_words(http::StatusCode::from_u16(n).unwrap());
        assert_eq!(words(404), "404 Not Found");
        assert_eq!(words(499), "499, an unknown client error code");
        assert_eq!(words(599), "599, an unknown server error code");
        assert_eq!(words(299), "299, an unknown success code");
    }
}

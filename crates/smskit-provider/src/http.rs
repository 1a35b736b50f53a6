//! The small HTTP model of the sans-IO core, and the transport trait that executes it.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;

use crate::error::{Error, ErrorKind, config_error};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// `GET` or `POST`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP request: what a provider builds for a transport to send, and what a web server
/// received from a provider's webhook.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL, query included.
    pub url: String,
    /// Header names and values, in order (names compared case-insensitively).
    pub headers: Vec<(String, String)>,
    /// The body (empty for `GET`).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request without headers or body.
    #[must_use]
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first header of that name (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print credentials.
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                if name.eq_ignore_ascii_case("authorization") {
                    (name.as_str(), "<redacted>")
                } else {
                    (name.as_str(), value.as_str())
                }
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &format_args!("{} bytes", self.body.len()))
            .finish()
    }
}

/// An HTTP response, as a transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response without headers.
    #[must_use]
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first header of that name (case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    #[must_use]
    pub const fn is_success(&self) -> bool {
        self.status >= 200 && self.status < 300
    }

    /// The `Retry-After` delay in seconds, when the header holds a number of seconds.
    ///
    /// An HTTP-date value is ignored (it would need a clock); the dispatcher's backoff applies.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.header("retry-after")?.trim();
        if value.is_empty() || value.len() > 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value.parse::<u64>().ok().map(Duration::from_secs)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Performs an HTTP exchange: the only I/O an HTTP provider does.
///
/// Implementations classify their failures with the [`ErrorClass`](crate::ErrorClass)
/// partition: [`Retryable`](crate::ErrorClass::Retryable) only when the request certainly did
/// not reach the server (connection refused, DNS, TLS handshake, connect timeout),
/// [`Unknown`](crate::ErrorClass::Unknown) for anything after the request may have left
/// (timeout waiting for the response, connection reset, malformed response). HTTP error
/// statuses are not transport errors: return the response and let the provider classify it.
///
/// The blocking `UreqTransport` (feature `ureq`) implements it; so can
/// an async runtime's client driven to completion, or a test double.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` and returns the response, whatever its status.
    ///
    /// # Errors
    /// A classified [`Error`] when no complete response arrived.
    fn execute(&self, request: &HttpRequest) -> Result<HttpResponse, Error>;
}

/// The `Authorization` header value for HTTP Basic auth.
pub(crate) fn basic_auth(user: &str, secret: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
    format!("Basic {token}")
}

/// `application/x-www-form-urlencoded` body of `pairs`, in order.
pub(crate) fn form_body<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish().into_bytes()
}

/// Decodes an `application/x-www-form-urlencoded` body (or query) into pairs, leniently:
/// bad percent escapes stay literal and invalid UTF-8 becomes U+FFFD.
#[must_use]
pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The query of a URL, without the `?` and the fragment; empty when there is none.
///
/// Split by hand rather than with `url::Url` so that a path-only URL (as some web servers
/// report the request target) still yields its parameters, and nothing is re-encoded.
pub(crate) fn query_of(url: &str) -> &str {
    let query = url.split_once('?').map_or("", |(_, query)| query);
    query.split_once('#').map_or(query, |(query, _)| query)
}

/// Checks a provider's API base URL — absolute `http`/`https`, with a host, without query,
/// fragment or credentials (a request path is appended to it, so a query or fragment would
/// send the request somewhere else) — and drops trailing slashes.
pub(crate) fn check_api_base(api_base: &str) -> Result<String, Error> {
    let trimmed = api_base.trim_end_matches('/');
    let invalid = |why: &str| {
        Err(config_error(format!(
            "invalid API base URL `{}`: {why}",
            value_excerpt(api_base)
        )))
    };
    let Ok(url) = url::Url::parse(trimmed) else {
        return invalid("expected an absolute http or https URL");
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return invalid("expected an absolute http or https URL");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return invalid("a base URL has no query or fragment (the request path is appended to it)");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return invalid("a base URL has no credentials");
    }
    Ok(trimmed.to_owned())
}

/// The classification of an HTTP error status (the table of [`ErrorClass`](crate::ErrorClass)).
///
/// Only 429 and 503 say the server did not process the request. Any other 5xx may come from a
/// gateway or a crash after the provider accepted the message, so it is unknown; other 4xx are
/// permanent (408 included: the server refused our request as it arrived).
pub(crate) fn error_for_status(status: u16, message: String) -> Error {
    let error = match status {
        429 => Error::retryable(ErrorKind::RateLimited, message),
        503 => Error::retryable(ErrorKind::ServerError, message),
        504 => Error::unknown(ErrorKind::Timeout, message),
        500..=599 => Error::unknown(ErrorKind::ServerError, message),
        401 | 403 => Error::permanent(ErrorKind::Unauthorized, message),
        404 => Error::permanent(ErrorKind::InvalidConfig, message),
        300..=399 => Error::permanent(
            ErrorKind::InvalidConfig,
            format!("{message} (redirects are not followed: check the API base URL)"),
        ),
        400..=499 => Error::permanent(ErrorKind::InvalidRequest, message),
        _ => Error::unknown(ErrorKind::InvalidResponse, message),
    };
    error.with_http_status(status)
}

/// `{provider} answered HTTP {status}`, with an excerpt of the body when it has one: the
/// message of an error response whose body does not say more.
pub(crate) fn status_message(provider: &str, response: &HttpResponse) -> String {
    let excerpt = body_excerpt(&response.body);
    if excerpt.is_empty() {
        format!("{provider} answered HTTP {}", response.status)
    } else {
        format!("{provider} answered HTTP {}: {excerpt}", response.status)
    }
}

/// A short printable excerpt of a non-JSON body, for error messages.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    excerpt(String::from_utf8_lossy(body).trim(), 200)
}

/// At most 64 characters of an untrusted value (an id, a status), for error messages.
pub(crate) fn value_excerpt(text: &str) -> String {
    excerpt(text, 64)
}

/// The first `max` characters of `text` without control characters, `…` when cut.
fn excerpt(text: &str, max: usize) -> String {
    let mut excerpt: String = text.chars().take(max).filter(|c| !c.is_control()).collect();
    if text.chars().nth(max).is_some() {
        excerpt.push('…');
    }
    excerpt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorClass;

    #[test]
    fn basic_auth_header() {
        // RFC 7617's example.
        assert_eq!(
            basic_auth("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn form_round_trip() {
        let body = form_body([("To", "+32470123456"), ("Body", "Hi & bye = 100%")]);
        assert_eq!(
            String::from_utf8(body.clone()).unwrap(),
            "To=%2B32470123456&Body=Hi+%26+bye+%3D+100%25"
        );
        assert_eq!(
            parse_form(&body),
            vec![
                ("To".to_owned(), "+32470123456".to_owned()),
                ("Body".to_owned(), "Hi & bye = 100%".to_owned())
            ]
        );
        // Lenient on garbage.
        assert_eq!(parse_form(b"a=%zz&&b&=c&\xff=1").len(), 4);
    }

    #[test]
    fn query_without_fragment() {
        assert_eq!(query_of("https://h/p?a=1&b=2#frag"), "a=1&b=2");
        assert_eq!(query_of("/status?a=1"), "a=1");
        assert_eq!(query_of("https://h/p"), "");
    }

    #[test]
    fn retry_after_seconds_only() {
        let response = HttpResponse::new(429, "").with_header("Retry-After", " 7 ");
        assert_eq!(response.retry_after(), Some(Duration::from_secs(7)));
        let date =
            HttpResponse::new(429, "").with_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(date.retry_after(), None);
        assert_eq!(HttpResponse::new(429, "").retry_after(), None);
        let huge = HttpResponse::new(429, "").with_header("retry-after", "99999999999999999999");
        assert_eq!(huge.retry_after(), None);
    }

    /// Each row of the `ErrorClass` table for HTTP statuses.
    #[test]
    fn status_classes() {
        use ErrorClass::{Permanent, Retryable, Unknown};
        for (status, class) in [
            (429, Retryable),
            (503, Retryable),
            (500, Unknown),
            (502, Unknown),
            (504, Unknown),
            (501, Unknown),
            (599, Unknown),
            (400, Permanent),
            (401, Permanent),
            (403, Permanent),
            (404, Permanent),
            (408, Permanent),
            (409, Permanent),
            (422, Permanent),
            (302, Permanent),
            (199, Unknown),
        ] {
            let error = error_for_status(status, String::new());
            assert_eq!(error.class(), class, "HTTP {status}");
            assert_eq!(error.http_status(), Some(status));
        }
        assert_eq!(
            error_for_status(401, String::new()).kind(),
            ErrorKind::Unauthorized
        );
    }

    #[test]
    fn api_bases_with_a_query_fragment_or_credentials_are_refused() {
        assert_eq!(
            check_api_base("http://127.0.0.1:8080/proxy/").unwrap(),
            "http://127.0.0.1:8080/proxy"
        );
        for bad in [
            "https://api.example.com/?x=1",
            "https://api.example.com/v1?",
            "https://api.example.com/#frag",
            "https://api.example.com#",
            "https://user:pw@api.example.com",
            "https://user@api.example.com",
            "api.example.com",
            "ftp://api.example.com",
            "",
        ] {
            let error = check_api_base(bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{bad}");
        }
    }

    #[test]
    fn debug_redacts_authorization() {
        let request = HttpRequest::new(Method::Post, "https://example.com")
            .with_header("Authorization", "Basic c2VjcmV0");
        let debug = format!("{request:?}");
        assert!(!debug.contains("c2VjcmV0"));
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(body_excerpt(long.as_bytes()).chars().count(), 201);
        assert_eq!(body_excerpt(b"  <html>\n</html> "), "<html></html>");
    }
}

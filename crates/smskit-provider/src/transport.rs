//! The sans-IO core's HTTP types — the `http` crate's `Request` and `Response` over a [`Body`]
//! that never prints its bytes — and the transport trait that executes them.

use std::fmt;
use std::ops::Deref;
use std::time::Duration;

use base64::Engine as _;
use http::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};

use crate::error::{Error, ErrorKind, Result, config_error};

/// An HTTP request: what a provider builds for a transport to send, and what a web server
/// received from a provider's webhook (with its absolute URI, query included).
///
/// ```
/// use smskit_provider::{Body, HttpRequest};
///
/// let request: HttpRequest = http::Request::post("https://example.com/sms/status")
///     .header("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
///     .body(Body::from("MessageSid=SM1&MessageStatus=delivered"))
///     .unwrap();
/// assert_eq!(request.body().len(), 38);
/// ```
pub type HttpRequest = http::Request<Body>;

/// An HTTP response, as a transport received it.
pub type HttpResponse = http::Response<Body>;

/// The bytes of a request or response body.
///
/// Its `Debug` shows the length only: a provider's request body may hold a secret (Vonage
/// sends its API secret in the form), and the `Authorization` header this crate sets is
/// marked sensitive, so `{:?}` of a request never prints credentials.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Body(Vec<u8>);

impl Body {
    /// The bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, owned.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Body({} bytes)", self.0.len())
    }
}

impl Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Body {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self(text.into_bytes())
    }
}

impl From<&str> for Body {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

impl PartialEq<[u8]> for Body {
    fn eq(&self, other: &[u8]) -> bool {
        self.0 == other
    }
}

impl<const N: usize> PartialEq<[u8; N]> for Body {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.0 == other.as_slice()
    }
}

/// The value of header `name` as text, when present and visible ASCII.
pub(crate) fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The `Retry-After` delay of a response, when the header holds a number of seconds.
///
/// An HTTP-date value is ignored (it would need a clock); the dispatcher's backoff applies.
pub(crate) fn retry_after(response: &HttpResponse) -> Option<Duration> {
    let value = header(response.headers(), RETRY_AFTER.as_str())?.trim();
    if value.is_empty() || value.len() > 10 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<u64>().ok().map(Duration::from_secs)
}

/// A request of `method` to `url` with `headers` and `body`; the `Authorization` header is
/// marked sensitive so that no `Debug` shows it.
pub(crate) fn build_request(
    method: http::Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<HttpRequest> {
    let mut builder = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            config_error(format!(
                "the {name} header holds characters HTTP does not allow"
            ))
        })?;
        value.set_sensitive(name.eq_ignore_ascii_case(AUTHORIZATION.as_str()));
        builder = builder.header(*name, value);
    }
    builder.body(Body::from(body)).map_err(|error| {
        config_error(format!(
            "cannot build the request to `{}`: {error}",
            value_excerpt(url)
        ))
    })
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
    fn execute(&self, request: &HttpRequest) -> Result<HttpResponse>;
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

/// Checks a provider's API base URL — absolute `http`/`https`, with a host, without query,
/// fragment or credentials (a request path is appended to it, so a query or fragment would
/// send the request somewhere else) — and drops trailing slashes.
pub(crate) fn check_api_base(api_base: &str) -> Result<String> {
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
    let status = response.status().as_u16();
    let excerpt = body_excerpt(response.body());
    if excerpt.is_empty() {
        format!("{provider} answered HTTP {status}")
    } else {
        format!("{provider} answered HTTP {status}: {excerpt}")
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

/// Builders that keep tests short: `response(201, "…").with_header(…)`.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Body, HttpRequest, HttpResponse};

    /// Adds headers and bodies to requests and responses in one expression.
    pub(crate) trait With: Sized {
        fn headers(&mut self) -> &mut http::HeaderMap;
        fn set_body(&mut self, body: Body);

        fn with_header(mut self, name: &str, value: &str) -> Self {
            let name = http::header::HeaderName::from_bytes(name.as_bytes()).unwrap();
            let value = http::HeaderValue::from_str(value).unwrap();
            self.headers().append(name, value);
            self
        }

        fn with_body(mut self, body: impl Into<Body>) -> Self {
            self.set_body(body.into());
            self
        }
    }

    impl With for HttpRequest {
        fn headers(&mut self) -> &mut http::HeaderMap {
            self.headers_mut()
        }
        fn set_body(&mut self, body: Body) {
            *self.body_mut() = body;
        }
    }

    impl With for HttpResponse {
        fn headers(&mut self) -> &mut http::HeaderMap {
            self.headers_mut()
        }
        fn set_body(&mut self, body: Body) {
            *self.body_mut() = body;
        }
    }

    pub(crate) fn response(status: u16, body: impl Into<Body>) -> HttpResponse {
        http::Response::builder()
            .status(status)
            .body(body.into())
            .unwrap()
    }

    pub(crate) fn request(method: http::Method, url: impl AsRef<str>) -> HttpRequest {
        http::Request::builder()
            .method(method)
            .uri(url.as_ref())
            .body(Body::default())
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{With as _, response};
    use super::*;
    use crate::ErrorClass;

    #[test]
    fn retry_after_takes_up_to_ten_digits_and_nothing_else() {
        let delay = |value: &str| retry_after(&response(429, "").with_header("retry-after", value));
        assert_eq!(delay("17"), Some(Duration::from_secs(17)));
        assert_eq!(delay(" 17 "), Some(Duration::from_secs(17)));
        assert_eq!(
            delay("1234567890"),
            Some(Duration::from_secs(1_234_567_890))
        );
        for refused in [
            "",
            "12345678901",
            "+5",
            "-5",
            "1.5",
            "Wed, 21 Oct 2015 07:28:00 GMT",
        ] {
            assert_eq!(delay(refused), None, "{refused:?}");
        }
        assert_eq!(retry_after(&response(429, "")), None);
    }

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
    fn retry_after_seconds_only() {
        let seven = response(429, "").with_header("Retry-After", " 7 ");
        assert_eq!(retry_after(&seven), Some(Duration::from_secs(7)));
        let date = response(429, "").with_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(&date), None);
        assert_eq!(retry_after(&response(429, "")), None);
        let huge = response(429, "").with_header("retry-after", "99999999999999999999");
        assert_eq!(retry_after(&huge), None);
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
    fn debug_redacts_authorization_and_bodies() {
        let request = build_request(
            http::Method::POST,
            "https://example.com",
            &[
                ("Authorization", "Basic c2VjcmV0"),
                ("Accept", "application/json"),
            ],
            b"api_secret=hunter2".to_vec(),
        )
        .unwrap();
        let debug = format!("{request:?}");
        assert!(!debug.contains("c2VjcmV0"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("Sensitive"), "{debug}");
        assert!(debug.contains("18 bytes"), "{debug}");
        assert_eq!(
            header(request.headers(), "authorization"),
            Some("Basic c2VjcmV0")
        );
        let error = build_request(
            http::Method::GET,
            "https://example.com",
            &[("X", "a\nb")],
            vec![],
        );
        assert_eq!(error.unwrap_err().kind(), ErrorKind::InvalidConfig);
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "x".repeat(1000);
        assert_eq!(body_excerpt(long.as_bytes()).chars().count(), 201);
        assert_eq!(body_excerpt(b"  <html>\n</html> "), "<html></html>");
    }
}

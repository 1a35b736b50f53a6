//! The blocking transport on `ureq` (feature `ureq`).

use std::io;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::transport::{Body, HttpRequest, HttpResponse, Transport};

/// The default total timeout of one exchange.
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
/// The default connect timeout (DNS, TCP and TLS handshake).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response body read (provider answers are a few kilobytes).
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// A blocking HTTP transport on `ureq` 3 with rustls: connect and total timeouts, redirects
/// off, HTTP error statuses returned as responses, and a classification of failures that
/// never calls "retryable" what may have reached the server.
///
/// | failure | class |
/// |---|---|
/// | DNS failure, connection refused or unreachable, connect timeout | retryable (the request never left) |
/// | timeout after connecting (sending, waiting, reading), total timeout | unknown (the request may have left) |
/// | connection reset or closed before a complete response, malformed response | unknown |
/// | TLS failure | unknown (it cannot be told apart from a failure after the request left) |
/// | invalid URL or header | permanent |
///
/// Connections are kept alive and reused (a pool per transport); share one transport between
/// providers with an `Arc`.
///
/// ```no_run
/// use std::sync::Arc;
/// use std::time::Duration;
/// use smskit_provider::UreqTransport;
/// use smskit_provider::twilio::{Twilio, TwilioConfig};
///
/// let transport = Arc::new(UreqTransport::with_timeouts(Duration::from_secs(5), Duration::from_secs(20)));
/// let config = TwilioConfig::new("AC0123456789abcdef0123456789abcdef", "token").unwrap();
/// let twilio = Twilio::new(config, transport);
/// ```
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    connect_timeout: Duration,
    total_timeout: Duration,
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl UreqTransport {
    /// A transport with the default timeouts: 10 s to connect, 30 s in total.
    #[must_use]
    pub fn new() -> Self {
        Self::with_timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT)
    }

    /// A transport with the given timeouts; the connect timeout is capped at the total one.
    #[must_use]
    pub fn with_timeouts(connect: Duration, total: Duration) -> Self {
        let connect = connect.min(total);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(connect))
            .timeout_global(Some(total))
            .user_agent(concat!("smskit/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Self {
            agent,
            connect_timeout: connect,
            total_timeout: total,
        }
    }

    /// The connect timeout.
    #[must_use]
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The total timeout.
    #[must_use]
    pub fn total_timeout(&self) -> Duration {
        self.total_timeout
    }
}

impl Transport for UreqTransport {
    fn execute(&self, request: &HttpRequest) -> Result<HttpResponse> {
        let url = request.uri().to_string();
        // ureq 3 speaks the `http` crate's types: only the body is lent instead of copied.
        let mut outgoing = http::Request::new(request.body().as_bytes());
        *outgoing.method_mut() = request.method().clone();
        *outgoing.uri_mut() = request.uri().clone();
        *outgoing.headers_mut() = request.headers().clone();
        let response = self
            .agent
            .run(outgoing)
            .map_err(|error| classify(&error, &url))?;
        let (parts, body) = response.into_parts();
        let status = parts.status.as_u16();
        let body = body
            .into_with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|error| {
                let error = classify(&error, &url);
                // Once a status line arrived the request was processed: reading the rest can
                // only fail into "unknown".
                Error::unknown(
                    error.kind(),
                    format!("HTTP {status} with an unreadable body: {}", error.message()),
                )
                .with_http_status(status)
            })?;
        Ok(http::Response::from_parts(parts, Body::from(body)))
    }
}

/// Classifies a `ureq` error (see the table on [`UreqTransport`]).
fn classify(error: &ureq::Error, url: &str) -> Error {
    use ureq::Error as E;
    use ureq::Timeout as T;
    let message = format!("{url}: {error}");
    match error {
        E::Timeout(T::Resolve | T::Connect)
        | E::HostNotFound
        | E::ConnectionFailed
        | E::ConnectProxyFailed(_) => Error::retryable(ErrorKind::Connect, message),
        E::Timeout(_) => Error::unknown(ErrorKind::Timeout, message),
        E::Io(io) => match io.kind() {
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NotFound => Error::retryable(ErrorKind::Connect, message),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                Error::unknown(ErrorKind::Timeout, message)
            }
            _ => Error::unknown(ErrorKind::ConnectionLost, message),
        },
        E::BadUri(_) | E::Http(_) | E::RequireHttpsOnly(_) | E::InvalidProxyUrl => {
            Error::permanent(ErrorKind::InvalidConfig, message)
        }
        E::BodyExceedsLimit(_) | E::LargeResponseHeader(..) | E::Protocol(_) => {
            Error::unknown(ErrorKind::InvalidResponse, message)
        }
        _ => Error::unknown(ErrorKind::ConnectionLost, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorClass::{self, Permanent, Retryable, Unknown};

    /// Each transport row of the `ErrorClass` table: only failures before the request left are
    /// retryable.
    #[test]
    fn error_kinds_are_classified_by_whether_the_request_left() {
        use ureq::Error as E;
        use ureq::Timeout as T;
        let io = |kind: io::ErrorKind| E::Io(io::Error::from(kind));
        let cases: Vec<(ureq::Error, ErrorClass)> = vec![
            (E::HostNotFound, Retryable),
            (E::ConnectionFailed, Retryable),
            (E::Timeout(T::Resolve), Retryable),
            (E::Timeout(T::Connect), Retryable),
            (io(io::ErrorKind::ConnectionRefused), Retryable),
            (io(io::ErrorKind::HostUnreachable), Retryable),
            (io(io::ErrorKind::NetworkUnreachable), Retryable),
            (E::Timeout(T::SendRequest), Unknown),
            (E::Timeout(T::SendBody), Unknown),
            (E::Timeout(T::RecvResponse), Unknown),
            (E::Timeout(T::RecvBody), Unknown),
            (E::Timeout(T::Global), Unknown),
            (E::Timeout(T::PerCall), Unknown),
            (io(io::ErrorKind::TimedOut), Unknown),
            (io(io::ErrorKind::ConnectionReset), Unknown),
            (io(io::ErrorKind::BrokenPipe), Unknown),
            (io(io::ErrorKind::UnexpectedEof), Unknown),
            (E::BodyExceedsLimit(1), Unknown),
            (E::BadUri("x".to_owned()), Permanent),
            (E::RequireHttpsOnly("x".to_owned()), Permanent),
        ];
        for (error, class) in cases {
            let shown = error.to_string();
            assert_eq!(classify(&error, "https://h/").class(), class, "{shown}");
        }
    }
}

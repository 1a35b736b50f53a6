//! The one error type of every provider and transport.

use std::fmt;
use std::time::Duration;

use crate::status::FailureType;

/// Whether retrying a failed send is safe: the three classes partition every failure.
///
/// | class | exactly these failures | what to do |
/// |---|---|---|
/// | [`Retryable`](Self::Retryable) | the provider certainly did **not** process the message: HTTP 429 and HTTP 503 (with or without `Retry-After`); Vonage part status 1 (throttled) and 10 (too many connections); a connection that could not be opened (refused, unreachable, DNS failure, connect timeout); any failure before the request was sent (the file provider could not write its file) | send again, after [`Error::retry_after`] when given; it cannot cause a duplicate |
/// | [`Permanent`](Self::Permanent) | the provider processed the request and refused it, or it was refused before leaving: every other HTTP 4xx (408 included) and 3xx; invalid or missing number, opted out, authentication, sender or account problem, no credit, invalid request or configuration | do not retry as is; record the [`FailureType`] |
/// | [`Unknown`](Self::Unknown) | the request may have been processed: HTTP 500, 502, 504 and every other 5xx but 503 (a gateway or a crash after acceptance); Vonage part status 5 (internal error); a timeout or a dropped connection after the request left; a TLS failure; an unreadable success response; a message accepted only in part; a provider that panicked | never retry automatically (it could be sent twice); reconcile with the provider's delivery reports or ask an operator |
///
/// The partition is closed on purpose (no `#[non_exhaustive]`): code that matches on it must
/// decide for all three cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ErrorClass {
    /// Never processed by the provider: safe to send again.
    Retryable,
    /// Refused; sending the same message again will fail the same way.
    Permanent,
    /// May have been sent: a retry could deliver the message twice.
    Unknown,
}

impl ErrorClass {
    /// `retryable`, `permanent` or `unknown`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Retryable => "retryable",
            Self::Permanent => "permanent",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What went wrong, in terms a caller can act on. The [`ErrorClass`] says whether a retry is
/// safe; the kind says what to fix or record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorKind {
    /// The provider is rate limiting us (HTTP 429, Twilio 20429, Vonage 1).
    RateLimited,
    /// The provider reported a server-side error (HTTP 5xx, Vonage 5).
    ServerError,
    /// The connection could not be opened (refused, DNS, TLS handshake, connect timeout).
    Connect,
    /// No complete response in time.
    Timeout,
    /// The connection broke after the request was (maybe) sent.
    ConnectionLost,
    /// A response the provider's documented formats do not explain.
    InvalidResponse,
    /// The destination is not a valid phone number (Twilio 21211/21614/21265).
    InvalidNumber,
    /// No destination number (Twilio 21604).
    MissingNumber,
    /// The recipient opted out (Twilio 21610 — they replied STOP; Vonage 7 — number barred):
    /// record the opt-out.
    OptedOut,
    /// The destination is known to be unreachable.
    InvalidDestination,
    /// The sender is missing or not usable (Twilio 21606/21603/21266/21212, Vonage 15).
    InvalidSender,
    /// The destination country is not enabled (Twilio 21408).
    CountryNotSupported,
    /// The destination requires a registered sender.
    RegistrationNeeded,
    /// Wrong credentials (HTTP 401, Twilio 20003, Vonage 4).
    Unauthorized,
    /// The account may not send this message (trial account, suspended, Twilio 21608).
    AccountRestricted,
    /// Not enough credit (Vonage 9).
    NoCredit,
    /// The provider or the carrier refused the message (content, spam filter).
    Rejected,
    /// The request is invalid (too long, bad callback URL, validity out of range).
    InvalidRequest,
    /// The provider configuration is invalid (account SID format, API base URL).
    InvalidConfig,
    /// Some parts of a multi-part message were accepted, others refused.
    PartiallySent,
    /// A webhook (delivery report) could not be verified or parsed.
    InvalidWebhook,
    /// The provider does not support the operation.
    Unsupported,
    /// A local I/O error (file provider).
    Io,
    /// Anything else the provider reported.
    Other,
}

impl ErrorKind {
    /// The failure type a trace records when nothing more specific is known.
    #[must_use]
    pub const fn default_failure(self) -> FailureType {
        match self {
            Self::RateLimited | Self::ServerError | Self::Connect | Self::Io => FailureType::Server,
            Self::InvalidNumber => FailureType::NumberFormat,
            Self::MissingNumber => FailureType::NumberMissing,
            Self::OptedOut => FailureType::OptOut,
            Self::InvalidDestination => FailureType::InvalidDestination,
            Self::InvalidSender
            | Self::Unauthorized
            | Self::AccountRestricted
            | Self::InvalidConfig => FailureType::Acc,
            Self::CountryNotSupported => FailureType::CountryNotSupported,
            Self::RegistrationNeeded => FailureType::RegistrationNeeded,
            Self::NoCredit => FailureType::Credit,
            Self::Rejected => FailureType::Rejected,
            Self::Timeout
            | Self::ConnectionLost
            | Self::InvalidResponse
            | Self::InvalidRequest
            | Self::PartiallySent
            | Self::InvalidWebhook
            | Self::Unsupported
            | Self::Other => FailureType::Unknown,
        }
    }
}

/// A failed send (or webhook, or configuration): whether a retry is safe, why, and what the
/// provider said.
///
/// Built by the providers and transports of this crate, and by your own through
/// [`Error::retryable`], [`Error::permanent`] and [`Error::unknown`].
///
/// ```
/// use smskit_provider::{Error, ErrorClass, ErrorKind, FailureType};
///
/// let error = Error::permanent(ErrorKind::OptedOut, "Attempt to send to unsubscribed recipient")
///     .with_code("21610")
///     .with_http_status(400);
/// assert_eq!(error.class(), ErrorClass::Permanent);
/// assert_eq!(error.failure_type(), FailureType::OptOut);
/// assert_eq!(error.code(), Some("21610"));
/// assert_eq!(
///     error.to_string(),
///     "permanent error: Attempt to send to unsubscribed recipient (provider code 21610, HTTP 400)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[error("{class} error: {message}{}", Detail(self))]
pub struct Error {
    class: ErrorClass,
    kind: ErrorKind,
    failure: FailureType,
    code: Option<String>,
    message: String,
    http_status: Option<u16>,
    retry_after: Option<Duration>,
}

struct Detail<'a>(&'a Error);

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0.code, self.0.http_status) {
            (Some(code), Some(status)) => write!(f, " (provider code {code}, HTTP {status})"),
            (Some(code), None) => write!(f, " (provider code {code})"),
            (None, Some(status)) => write!(f, " (HTTP {status})"),
            (None, None) => Ok(()),
        }
    }
}

impl Error {
    /// An error of the given class and kind, with the kind's default failure type.
    #[must_use]
    pub fn new(class: ErrorClass, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            class,
            kind,
            failure: kind.default_failure(),
            code: None,
            message: message.into(),
            http_status: None,
            retry_after: None,
        }
    }

    /// The provider did not process the message: safe to retry.
    #[must_use]
    pub fn retryable(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Retryable, kind, message)
    }

    /// The message was refused: do not retry as is.
    #[must_use]
    pub fn permanent(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Permanent, kind, message)
    }

    /// The message may have been sent: never retry automatically.
    #[must_use]
    pub fn unknown(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(ErrorClass::Unknown, kind, message)
    }

    /// Sets the provider's own error code (`"21211"`, Vonage `"9"`).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the failure type the trace records (instead of the kind's default).
    #[must_use]
    pub fn with_failure(mut self, failure: FailureType) -> Self {
        self.failure = failure;
        self
    }

    /// Sets the HTTP status of the provider's response.
    #[must_use]
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// Sets how long the provider asked us to wait before retrying (`Retry-After`).
    #[must_use]
    pub fn with_retry_after(mut self, delay: Duration) -> Self {
        self.retry_after = Some(delay);
        self
    }

    /// Whether a retry is safe.
    #[must_use]
    pub const fn class(&self) -> ErrorClass {
        self.class
    }

    /// Shorthand for `class() == ErrorClass::Retryable`.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        self.class == ErrorClass::Retryable
    }

    /// What went wrong.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The failure type the trace records.
    #[must_use]
    pub const fn failure_type(&self) -> FailureType {
        self.failure
    }

    /// The provider's own error code, when it gave one.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The provider's message (or ours, for local failures).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the provider's response, when there was one.
    #[must_use]
    pub const fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// How long the provider asked us to wait before retrying.
    #[must_use]
    pub const fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

/// The result of this crate's fallible functions.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A permanent [`ErrorKind::InvalidConfig`] error.
pub(crate) fn config_error(message: String) -> Error {
    Error::permanent(ErrorKind::InvalidConfig, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_class_message_code_and_status() {
        let plain = Error::retryable(ErrorKind::Connect, "connection refused");
        assert_eq!(plain.to_string(), "retryable error: connection refused");
        let coded = Error::unknown(ErrorKind::Timeout, "no response").with_http_status(504);
        assert_eq!(coded.to_string(), "unknown error: no response (HTTP 504)");
        let code_only = Error::permanent(ErrorKind::NoCredit, "quota").with_code("9");
        assert_eq!(
            code_only.to_string(),
            "permanent error: quota (provider code 9)"
        );
    }

    #[test]
    fn failure_defaults_and_override() {
        let error = Error::permanent(ErrorKind::InvalidNumber, "bad");
        assert_eq!(error.failure_type(), FailureType::NumberFormat);
        let error = error.with_failure(FailureType::InvalidDestination);
        assert_eq!(error.failure_type(), FailureType::InvalidDestination);
        assert!(!error.is_retryable());
        let error = Error::retryable(ErrorKind::RateLimited, "slow down")
            .with_retry_after(Duration::from_secs(3));
        assert!(error.is_retryable());
        assert_eq!(error.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(error.failure_type(), FailureType::Server);
    }

    #[test]
    fn error_is_send_sync_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<Error>();
    }
}

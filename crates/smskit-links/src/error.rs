//! The crate's error type.

use std::error::Error as StdError;

/// Why a request path resolves to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum NotFoundReason {
    /// The path is not `<base path>/r/<code>` or `<base path>/r/<code>/s/<trace>`.
    MalformedPath,
    /// The path is well formed but no link has this code.
    UnknownCode,
}

/// Everything that can go wrong in `smskit-links`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The short-link base URL cannot be used.
    #[error("invalid short-link base {base:?}: {reason}")]
    InvalidBase {
        /// The base as given.
        base: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The short-link base URL contains a character outside the GSM-7 basic alphabet, so every
    /// short link would cost extra septets or force UCS-2.
    #[error(
        "short-link base {base:?} contains {character:?}, which is not in the GSM-7 basic alphabet"
    )]
    BaseNotGsm {
        /// The base, as normalised.
        base: String,
        /// The first offending character.
        character: char,
    },
    /// A URL given to build a link is not an absolute http(s) URL.
    #[error("invalid link target {url:?}: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A short code is not 1 to 64 characters of `[A-Za-z0-9]`.
    #[error("invalid short code {code:?}: expected 1 to 64 characters of [A-Za-z0-9]")]
    InvalidCode {
        /// The code as given.
        code: String,
    },
    /// A trace id is not 1 to 64 characters of `[A-Za-z0-9_-]`.
    #[error("invalid trace id {trace:?}: expected 1 to 64 characters of [A-Za-z0-9_-]")]
    InvalidTraceId {
        /// The trace id as given.
        trace: String,
    },
    /// A request path does not lead to a link (an HTTP server answers 404).
    #[error("no link for {path:?}: {}", match reason {
        NotFoundReason::MalformedPath => "not a short-link path",
        NotFoundReason::UnknownCode => "unknown code",
    })]
    NotFound {
        /// The path as given.
        path: String,
        /// Malformed path or unknown code.
        reason: NotFoundReason,
    },
    /// A click names a code that the store does not know.
    #[error("cannot record a click: no link has code {code:?}")]
    UnknownLink {
        /// The code of the click.
        code: String,
    },
    /// No free code was found up to the maximum code length; the random source is not random.
    #[error("no free short code up to {max_len} characters: the random generator looks broken")]
    CodesExhausted {
        /// The longest code length tried.
        max_len: usize,
    },
    /// The link store failed (I/O, database, …).
    #[error("link store: {0}")]
    Store(#[source] Box<dyn StdError + Send + Sync>),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an error of a [`LinkStore`](crate::LinkStore) implementation.
    pub fn store(error: impl StdError + Send + Sync + 'static) -> Self {
        Self::Store(Box::new(error))
    }

    /// Whether this error means "answer 404" to an HTTP client.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }
}

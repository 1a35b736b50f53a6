//! The one error type of the crate.

use std::fmt;

use crate::region::Region;

/// Why a phone number was rejected.
///
/// The variants follow the order in which a raw number is checked, so that a caller can act on
/// each: [`Missing`](Self::Missing) (nothing to parse: record "number missing"),
/// [`Unparsable`](Self::Unparsable) (not a phone number at all), [`Impossible`](Self::Impossible)
/// (a number that cannot exist: unknown calling code or wrong length),
/// [`Invalid`](Self::Invalid) (right shape, but not in any numbering plan), and the problems of a
/// default country ([`MissingRegion`](Self::MissingRegion),
/// [`UnsupportedRegion`](Self::UnsupportedRegion), [`UnknownRegion`](Self::UnknownRegion)).
/// Every message names the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is empty or only white space.
    #[error("missing phone number")]
    Missing,
    /// The input is not a phone number (a foreign character, no digits, far too long).
    #[error("cannot parse phone number {input:?}: {reason}")]
    Unparsable {
        /// The raw input (truncated to 64 characters when longer).
        input: String,
        /// What is wrong.
        reason: UnparsableReason,
    },
    /// The number cannot exist: its calling code is not assigned or it has the wrong number of
    /// digits for its country.
    #[error("impossible phone number {input:?}: {reason}")]
    Impossible {
        /// The raw input.
        input: String,
        /// What is wrong.
        reason: ImpossibleReason,
    },
    /// The number has a possible length but matches no number range of its country's numbering
    /// plan (typically a wrong prefix).
    #[error("invalid phone number {input:?}: {e164} is in no number range of its country")]
    Invalid {
        /// The raw input.
        input: String,
        /// The number as it was understood, `+` and digits (not an [`E164`](crate::E164): it may
        /// be longer than E.164 allows).
        e164: String,
    },
    /// A national number (no `+` or `00`) was given without a default country.
    #[error("phone number {input:?} has no country calling code and no default country was given")]
    MissingRegion {
        /// The raw input.
        input: String,
    },
    /// A national number was given with a default country that has no numbering plan of its own
    /// (for example `AQ`, `BV`).
    #[error("phone number {input:?} is national but country {region} has no numbering plan")]
    UnsupportedRegion {
        /// The raw input.
        input: String,
        /// The default country.
        region: Region,
    },
    /// A country code that is not an ISO 3166-1 alpha-2 code.
    #[error("unknown ISO 3166-1 alpha-2 country code {input:?}")]
    UnknownRegion {
        /// The rejected text (truncated to 64 characters when longer).
        input: String,
    },
}

impl Error {
    /// `true` for [`Error::Missing`]: the record has no number at all (as opposed to a
    /// number that is wrong), which a mailing reports as "number missing".
    #[must_use]
    pub fn is_missing(&self) -> bool {
        matches!(self, Self::Missing)
    }
}

/// Why a raw text is not a phone number at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnparsableReason {
    /// A character that is neither a digit, a leading `+`, nor a separator
    /// (white space, `.`, `-`, `/`, `~`, brackets).
    UnexpectedCharacter {
        /// The character.
        character: char,
        /// Its byte offset in the input.
        offset: usize,
    },
    /// No digit at all.
    NoDigits,
    /// The input is longer than [`MAX_INPUT_LEN`](crate::MAX_INPUT_LEN) bytes.
    InputTooLong {
        /// The length of the input in bytes.
        len: usize,
    },
}

impl fmt::Display for UnparsableReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedCharacter { character, offset } => {
                write!(f, "unexpected character {character:?} at byte {offset}")
            }
            Self::NoDigits => f.write_str("no digits"),
            Self::InputTooLong { len } => write!(
                f,
                "input of {len} bytes is longer than the {} bytes accepted",
                crate::MAX_INPUT_LEN
            ),
        }
    }
}

/// Why a number cannot exist (libphonenumber's "not possible" reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImpossibleReason {
    /// The digits after `+` / `00` start with no assigned country calling code.
    InvalidCountryCode,
    /// Fewer digits than any number of the country.
    TooShort,
    /// More digits than any number of the country, or more than the 15 digits E.164 allows.
    TooLong,
    /// Between the shortest and the longest numbers of the country, but no number has this
    /// length.
    InvalidLength,
}

impl fmt::Display for ImpossibleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InvalidCountryCode => "not a valid country calling code",
            Self::TooShort => "not enough digits",
            Self::TooLong => "too many digits",
            Self::InvalidLength => "no number of the country has this many digits",
        })
    }
}

/// Truncates `input` to at most 64 characters for an error message (bounded memory on hostile
/// input).
pub(crate) fn excerpt(input: &str) -> String {
    match input.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &input[..end]),
        None => input.to_owned(),
    }
}

/// The result of this crate's fallible operations.
pub type Result<T, E = Error> = core::result::Result<T, E>;

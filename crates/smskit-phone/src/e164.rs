//! The validated E.164 number type.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::{Error, ImpossibleReason, UnparsableReason, excerpt};
use crate::numbering;
use crate::region::Region;
use crate::tables::{self, Meta};

/// The most digits an E.164 number has (ITU-T E.164 §6.1), calling code included.
pub const MAX_DIGITS: usize = 15;

/// A phone number in E.164 form: `+`, the country calling code and the national significant
/// number, digits only (`+32470123456`).
///
/// Every value has the E.164 syntax, at most 15 digits and an assigned calling code. Values made
/// by [`parse`](crate::parse) are also possible and valid numbers of their country;
/// [`E164::parse`] (and `Deserialize`) check the syntax and the calling code only, so that
/// stored numbers keep loading when the numbering plans change.
///
/// The string form is the sanitized form used to match a blacklist: compare `E164` values (or
/// their [`as_str`](E164::as_str)). `Borrow<str>` lets a `HashSet<E164>` be queried with a
/// `&str`. Ordered and hashed as the string.
///
/// ```
/// use smskit_phone::E164;
///
/// let number = E164::parse("+32470123456")?;
/// assert_eq!(number.as_str(), "+32470123456");
/// assert_eq!(number.digits(), "32470123456");
/// assert_eq!(number.calling_code(), 32);
/// assert_eq!(number.region().map(|r| r.as_str()), Some("BE"));
/// assert!(E164::parse("+32 470 12 34 56").is_err()); // canonical text only
/// # Ok::<(), smskit_phone::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct E164 {
    /// `+` then the digits, padded with zero bytes.
    bytes: [u8; MAX_DIGITS + 1],
    /// Number of used bytes, `+` included.
    len: u8,
    /// Number of digits of the calling code (1 to 3).
    code_len: u8,
}

impl E164 {
    /// Parses canonical E.164 text: `+` then 2 to 15 ASCII digits, no separators, starting with an
    /// assigned country calling code. No default country, no normalisation: use
    /// [`parse`](crate::parse) for raw input.
    ///
    /// # Errors
    /// [`Error::Missing`] for an empty text, [`Error::Unparsable`] for anything but
    /// `+` and digits, [`Error::Impossible`] for an unassigned calling code or a length
    /// outside E.164.
    ///
    /// ```
    /// use smskit_phone::E164;
    ///
    /// assert_eq!(E164::parse("+14155550100")?.calling_code(), 1);
    /// assert!(E164::parse("0470123456").is_err());
    /// assert!(E164::parse("+999123456").is_err()); // +999 is not assigned
    /// # Ok::<(), smskit_phone::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<E164, Error> {
        let unparsable = |reason| Error::Unparsable {
            input: excerpt(text),
            reason,
        };
        let Some(digits) = text.strip_prefix('+') else {
            return Err(match text.chars().next() {
                None => Error::Missing,
                Some(character) => unparsable(UnparsableReason::UnexpectedCharacter {
                    character,
                    offset: 0,
                }),
            });
        };
        if let Some((index, character)) = digits.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(unparsable(UnparsableReason::UnexpectedCharacter {
                character,
                offset: index + 1,
            }));
        }
        if digits.is_empty() {
            return Err(unparsable(UnparsableReason::NoDigits));
        }
        E164::from_digits(digits).map_err(|reason| Error::Impossible {
            input: excerpt(text),
            reason,
        })
    }

    /// Builds a number from ASCII digits (calling code first), checking the length and the
    /// calling code.
    pub(crate) fn from_digits(digits: &str) -> Result<E164, ImpossibleReason> {
        let code_len =
            tables::calling_code_len(digits).ok_or(ImpossibleReason::InvalidCountryCode)?;
        if digits.len() > MAX_DIGITS {
            return Err(ImpossibleReason::TooLong);
        }
        // A national significant number has at least 2 digits (libphonenumber's minimum).
        if digits.len() < code_len + 2 {
            return Err(ImpossibleReason::TooShort);
        }
        let mut bytes = [0; MAX_DIGITS + 1];
        bytes[0] = b'+';
        for (slot, digit) in bytes[1..].iter_mut().zip(digits.bytes()) {
            *slot = digit;
        }
        #[allow(
            clippy::cast_possible_truncation,
            reason = "at most 16 and 3, checked above"
        )]
        Ok(E164 {
            bytes,
            len: (digits.len() + 1) as u8,
            code_len: code_len as u8,
        })
    }

    /// Builds a number from a calling code and a national significant number (ASCII digits).
    pub(crate) fn from_parts(code: u16, national: &str) -> Result<E164, ImpossibleReason> {
        let mut digits = [0u8; MAX_DIGITS + 8];
        let mut len = 0;
        let code_digits = [code / 100 % 10, code / 10 % 10, code % 10].map(|d| b'0' + d as u8);
        let skip = if code >= 100 {
            0
        } else if code >= 10 {
            1
        } else {
            2
        };
        for &byte in code_digits[skip..].iter().chain(national.as_bytes()) {
            let slot = digits.get_mut(len).ok_or(ImpossibleReason::TooLong)?;
            *slot = byte;
            len += 1;
        }
        E164::from_digits(std::str::from_utf8(&digits[..len]).unwrap_or_default())
    }

    /// The E.164 text, e.g. `"+32470123456"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only `+` and ASCII digits are ever stored, so this never falls back.
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The digits without the `+`, e.g. `"32470123456"` (Vonage's `to`).
    #[must_use]
    pub fn digits(&self) -> &str {
        self.as_str().get(1..).unwrap_or_default()
    }

    /// The country calling code, e.g. `32`.
    #[must_use]
    pub fn calling_code(&self) -> u16 {
        self.calling_code_digits()
            .bytes()
            .fold(0, |code, digit| code * 10 + u16::from(digit - b'0'))
    }

    /// The national significant number: the digits after the calling code, e.g. `"470123456"`.
    #[must_use]
    pub fn national_number(&self) -> &str {
        self.digits()
            .get(usize::from(self.code_len)..)
            .unwrap_or_default()
    }

    fn calling_code_digits(&self) -> &str {
        self.digits()
            .get(..usize::from(self.code_len))
            .unwrap_or_default()
    }

    /// The country of the number.
    ///
    /// For a calling code shared by several countries (+1, +7, +44, +262, ...) the number's own
    /// country when the numbering plan tells (with the `phonenumber` feature), else the main
    /// country of the code (`US` for +1). `None` for non-geographic codes (+800, +882, ...).
    ///
    /// ```
    /// use smskit_phone::E164;
    ///
    /// assert_eq!(E164::parse("+33612345678")?.region().map(|r| r.as_str()), Some("FR"));
    /// assert_eq!(E164::parse("+80012345678")?.region(), None);
    /// # Ok::<(), smskit_phone::Error>(())
    /// ```
    #[must_use]
    pub fn region(&self) -> Option<Region> {
        let code = self.calling_code();
        let main = Meta::main_for_code(code)?.region()?;
        if tables::regions_of_code(code).len() == 1 {
            return Some(main);
        }
        numbering::plan_of_number(code, self.national_number())
            .and_then(Meta::region)
            .or(Some(main))
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E164({})", self.as_str())
    }
}

// Equality and order compare the zero-padded byte arrays: the same results as comparing the
// texts (bytewise, a shorter prefix first), without a UTF-8 check per comparison — numbers are
// compared millions of times in sets and sorted indexes.
impl PartialEq for E164 {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for E164 {}

impl PartialOrd for E164 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for E164 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bytes.cmp(&other.bytes)
    }
}

impl Hash for E164 {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Borrow<str> for E164 {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl FromStr for E164 {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        E164::parse(text)
    }
}

impl TryFrom<&str> for E164 {
    type Error = Error;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        E164::parse(text)
    }
}

impl From<E164> for String {
    fn from(number: E164) -> String {
        number.as_str().to_owned()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for E164 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for E164 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = E164;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an E.164 phone number such as \"+32470123456\"")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<E164, E> {
                E164::parse(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

//! E.164 phone numbers for SMS: parse what people type with a default country, validate it,
//! find the country of a number, and get the sanitized form used to match a blacklist.
//!
//! ```
//! use smskit_phone::{parse, sanitize, Error, Region, E164};
//!
//! let belgium: Region = "BE".parse()?;
//!
//! // National numbers are read in the default country; `+` and `00` numbers need none.
//! let number = parse("0470 12 34 56", Some(belgium))?;
//! assert_eq!(number.as_str(), "+32470123456");
//! assert_eq!(number.digits(), "32470123456");
//! assert_eq!(number.calling_code(), 32);
//! assert_eq!(number.region(), Some(belgium));
//!
//! // The sanitized form matches however the number was written.
//! assert_eq!(sanitize("+32 (0)470/12.34.56", None), Some(number));
//! assert_eq!(sanitize("0032 470 12 34 56", None), Some(number));
//!
//! // Errors say what is wrong, and name the input.
//! let error = parse("0470 12", Some(belgium)).unwrap_err();
//! assert_eq!(error.to_string(), "impossible phone number \"0470 12\": not enough digits");
//! assert!(parse("", Some(belgium)).unwrap_err().is_missing());
//!
//! // Stored numbers are plain E.164 text.
//! let stored: E164 = "+14155550100".parse()?;
//! assert_eq!(stored.to_string(), "+14155550100");
//! # Ok::<(), Error>(())
//! ```
//!
//! # What is checked
//!
//! [`parse`] follows the reference product (Odoo's `phone_validation`, which calls
//! python-phonenumbers, Google's libphonenumber): the number must be *possible* (a length used
//! in its country) and *valid* (inside a number range of its country's numbering plan). The
//! parsing steps are libphonenumber's (international prefixes such as `011` in the US, national
//! prefixes and their carrier codes and rewrites such as Argentina's `15`, a calling code typed
//! without `+`), run on the libphonenumber metadata of the `phonenumber` crate; 12,000 vectors
//! generated with python-phonenumbers of the same metadata release are replayed by the tests.
//! On top of that, `00` is always an international prefix (even with no default country), and
//! a national number too long for its country is tried as an international one, as Odoo does.
//!
//! Deliberate differences from python-phonenumbers: letters, extensions (`ext. 12`) and other
//! foreign characters make the input [`Unparsable`](Error::Unparsable) instead of being
//! converted or dropped silently; E.164's limit of 15 digits is enforced.
//!
//! [`E164::parse`] and `Deserialize` accept canonical E.164 text (`+`, an assigned calling
//! code, 2 to 15 digits in all) without checking number ranges, so that stored numbers keep
//! loading when numbering plans change.
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `phonenumber` | yes | validation against number ranges and the country of numbers that share a calling code (`+1`, `+44`, `+7`, ...), from libphonenumber's metadata (the `phonenumber` crate; loaded once, lazily, and each country's patterns compiled on first use) |
//! | `serde` | yes | `Serialize` / `Deserialize` for [`E164`] and [`Region`], as their strings |
//!
//! Without `phonenumber`, numbers are parsed the same way from tables embedded in this crate
//! (calling codes and their countries, national and international prefixes, possible lengths;
//! generated from the same metadata): a number is checked for being possible, not valid, and a
//! shared calling code maps to its main country (`US` for `+1`).
//!
//! # Performance
//!
//! Parsing and validating a number takes about a microsecond (`phone/parse/10k` in the
//! workspace benches) and allocates nothing but an error message; [`E164`] is `Copy` (18 bytes,
//! no heap). The metadata is decoded once, on the first call (about 0.2 s), and a country's
//! patterns are compiled the first time one of its numbers is seen; all of them together take
//! about 20 MB. Inputs longer than [`MAX_INPUT_LEN`] bytes are rejected before any work.

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

#[rustfmt::skip]
mod data;
mod e164;
mod error;
#[cfg(not(feature = "phonenumber"))]
mod lite;
#[cfg(feature = "phonenumber")]
mod metadata;
mod parse;
mod region;
mod tables;

#[cfg(not(feature = "phonenumber"))]
use lite as numbering;
#[cfg(feature = "phonenumber")]
use metadata as numbering;

pub use e164::{E164, MAX_DIGITS};
pub use error::{Error, ImpossibleReason, Result, UnparsableReason};
pub use parse::{MAX_INPUT_LEN, parse, sanitize};
pub use region::Region;

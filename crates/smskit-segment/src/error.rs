//! The crate's error type.

use core::fmt::Write as _;

use crate::money::Currency;
use crate::result::NonGsmChar;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// GSM-7 was forced but these characters are not in the alphabet (nor in an enabled
    /// national shift table). Fix: transliterate, remove them, or let the encoding be chosen.
    #[error("text is not GSM-7: {}", list_characters(characters))]
    NotGsm7 {
        /// The offending characters with their byte offsets in the input.
        characters: Vec<NonGsmChar>,
    },
    /// A national language code that is not one of the shift-table languages.
    #[error(
        "unknown national language {input:?} (expected one of tr, es, pt, bn, gu, hi, kn, ml, or, pa, ta, te, ur)"
    )]
    UnknownLanguage {
        /// What was given.
        input: String,
    },
    /// A destination that is not an E.164 number (`+` and 1 to 15 digits).
    #[error("invalid destination {number:?}: expected an E.164 number such as +32470123456")]
    InvalidNumber {
        /// What was given.
        number: String,
    },
    /// No prefix of the price table matches the destination.
    #[error("no price for {number}: no prefix of the price table matches it")]
    UnknownDestination {
        /// The destination.
        number: String,
    },
    /// A price-table prefix that is not 1 to 15 digits (optionally after `+`).
    #[error("invalid prefix {prefix:?}: expected 1 to 15 digits, optionally after +")]
    InvalidPrefix {
        /// What was given.
        prefix: String,
    },
    /// A prefix given twice in one price table.
    #[error("prefix {prefix} has two prices")]
    DuplicatePrefix {
        /// The prefix.
        prefix: String,
    },
    /// A currency code that is not three ASCII letters.
    #[error("invalid currency code {input:?}: expected an ISO 4217 code such as EUR")]
    InvalidCurrency {
        /// What was given.
        input: String,
    },
    /// An amount that is not a non-negative decimal with at most 6 decimal places.
    #[error("invalid amount {input:?}: {reason}")]
    InvalidAmount {
        /// What was given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A price in another currency than the table's.
    #[error("price in {found} in a {expected} price table")]
    CurrencyMismatch {
        /// The table's currency.
        expected: Currency,
        /// The price's currency.
        found: Currency,
    },
    /// A sum or product of amounts too large to represent (over 9,223,372,036,854.775807 in
    /// the major unit).
    #[error("amount too large: {expression} exceeds 9223372036854.775807")]
    AmountOverflow {
        /// The computation that overflowed, with its operands (`0.5 EUR x 3`).
        expression: String,
    },
    /// A price table cannot hold more prefixes (its digits would pass 4 GiB).
    #[error("price table full: {prefixes} prefixes")]
    TableFull {
        /// The prefixes already in the table.
        prefixes: usize,
    },
    /// A malformed price-table CSV line.
    #[error("price table line {line}, column {column} (byte {offset}): {message}")]
    PriceTableSyntax {
        /// 1-based line number.
        line: usize,
        /// 1-based column (in characters) where the problem starts.
        column: usize,
        /// Byte offset in the CSV text where the problem starts.
        offset: usize,
        /// What is wrong, naming the offending field.
        message: String,
    },
}

fn list_characters(characters: &[NonGsmChar]) -> String {
    const SHOWN: usize = 5;
    let mut text = String::new();
    for (index, character) in characters.iter().take(SHOWN).enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        let _ = write!(text, "{character}");
    }
    if characters.len() > SHOWN {
        let _ = write!(text, " and {} more", characters.len() - SHOWN);
    }
    text
}

/// The result of this crate's fallible operations.
pub type Result<T, E = Error> = core::result::Result<T, E>;

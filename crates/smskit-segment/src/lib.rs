//! How an SMS is encoded, how it splits into parts, and what it costs — exactly as
//! 3GPP TS 23.038 and TS 23.040 say.
//!
//! - **Encoding**: GSM-7 when every character is in the default alphabet or its extension
//!   table (an extension character such as `€` or `[` costs two septets), UCS-2 otherwise
//!   (counted in UTF-16 units: an emoji above U+FFFF costs two). U+001B is not a character.
//! - **Parts**: one message holds 160 septets / 70 units; a longer text is split into parts of
//!   153 / 67 (or 152 / 66 with a 16-bit concatenation reference). An escape sequence or a
//!   surrogate pair is never cut, so `153 × ']'` is three parts, not two.
//! - **Options** ([`Segmenter`]): forced encoding, keeping grapheme clusters whole, Twilio
//!   Smart Encoding transliteration and accent folding, line-ending normalisation, and the
//!   national language shift tables (Turkish, Spanish, Portuguese and the Indic languages of
//!   TS 23.038 Annex A) with their header overhead counted.
//! - **Price** ([`PriceTable`]): the price of a part by longest E.164 prefix, in integer
//!   micro-units of a currency; estimates for a message or a whole mailing.
//!
//! # Example
//!
//! ```
//! use smskit_segment::{Encoding, Segmenter, Transliteration};
//!
//! // Counting allocates nothing and runs at memory speed on plain text.
//! let count = smskit_segment::count("Flash sale: 20% off everything until midnight!");
//! assert_eq!((count.encoding, count.parts, count.units), (Encoding::Gsm7, 1, 46));
//!
//! // A curly apostrophe forces UCS-2: 70 units per message instead of 160.
//! let split = smskit_segment::split("Don’t miss our sale");
//! assert_eq!(split.encoding, Encoding::Ucs2);
//! assert_eq!(split.non_gsm[0].ch, '’');
//!
//! // Smart transliteration replaces it and says so.
//! let smart = Segmenter::new().with_transliteration(Transliteration::Smart);
//! let split = smart.split("Don’t miss our sale")?;
//! assert_eq!((split.encoding, &*split.text), (Encoding::Gsm7, "Don't miss our sale"));
//! assert_eq!(split.substitutions.len(), 1);
//! # Ok::<(), smskit_segment::Error>(())
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `serde` | yes | `Serialize`/`Deserialize` on the options, results and price types |
//!
//! # Performance
//!
//! [`count`] and [`Segmenter::count`] allocate nothing (with one exception: grapheme-cluster
//! splitting of a transliterated text builds the transliterated text once). With the standard
//! options they read the text a block of 32 bytes at a time, so plain GSM text counts at
//! several GiB/s.

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod capacity;
mod charset;
mod engine;
mod error;
mod fast;
mod money;
mod options;
mod packer;
mod price;
mod price_csv;
mod result;
mod tables;
#[cfg(test)]
mod tables_check;
mod translit;

pub use charset::{Language, LanguageSet, ShiftTables, is_gsm7, is_gsm7_basic};
pub use error::{Error, Result};
pub use money::{Currency, Money};
pub use options::{
    Concatenation, EncodingChoice, LineEndings, Segmenter, SplitPolicy, Transliteration,
};
pub use price::{BatchEstimate, MessageEstimate, PriceTable};
pub use result::{
    CharTally, Count, Encoding, NonGsmChar, Part, Segmentation, Substitution, SubstitutionTally,
};
pub use translit::gsm7_replacement;

/// Encoding, parts and units of `text` with the standard options, without allocating.
///
/// ```
/// let count = smskit_segment::count(&"a".repeat(161));
/// assert_eq!((count.parts, count.remaining), (2, 145)); // 153 + 8
/// let count = smskit_segment::count("");
/// assert_eq!((count.parts, count.units), (1, 0));
/// ```
pub fn count(text: &str) -> Count {
    engine::count_standard(text)
}

/// Splits `text` into SMS parts with the standard options.
///
/// ```
/// let text = format!("{}😀{}", "a".repeat(66), "a".repeat(66));
/// let split = smskit_segment::split(&text);
/// // The emoji's surrogate pair does not fit after 66 units, so the first part closes early.
/// let units: Vec<usize> = split.parts.iter().map(|part| part.units).collect();
/// assert_eq!(units, [66, 67, 1]);
/// ```
pub fn split(text: &str) -> Segmentation<'_> {
    engine::split_standard(text)
}

impl Segmenter {
    /// Encoding, parts and units of `text`, without allocating.
    ///
    /// Fails only when GSM-7 is forced ([`EncodingChoice::Gsm7`]) and the text does not fit;
    /// the error names the characters.
    pub fn count(&self, text: &str) -> Result<Count, Error> {
        engine::count(text, self)
    }

    /// Splits `text` into parts and reports the details.
    ///
    /// Fails only when GSM-7 is forced ([`EncodingChoice::Gsm7`]) and the text does not fit;
    /// the error names the characters.
    ///
    /// ```
    /// use smskit_segment::{Language, LanguageSet, Segmenter};
    ///
    /// // Turkish shift tables keep a Turkish text in 7 bits (155 septets per message with
    /// // one shift table's header) instead of UCS-2 (70 units).
    /// let turkish = Segmenter::new().with_languages(LanguageSet::EMPTY.with(Language::Turkish));
    /// let split = turkish.split("Güzel bir gün: şimdi %20 indirim!")?;
    /// assert_eq!(split.encoding, smskit_segment::Encoding::Gsm7);
    /// assert_eq!(split.shift_tables.locking, Some(Language::Turkish));
    /// assert_eq!(split.remaining, 155 - split.units);
    /// # Ok::<(), smskit_segment::Error>(())
    /// ```
    pub fn split<'a>(&self, text: &'a str) -> Result<Segmentation<'a>, Error> {
        engine::split(text, self)
    }

    /// Like [`Segmenter::split`], but counts the substitutions per character (in order of
    /// first occurrence) instead of listing each one in [`Segmentation::substitutions`] (left
    /// empty): a report over millions of replaced characters keeps one entry per distinct
    /// character.
    ///
    /// ```
    /// use smskit_segment::{Segmenter, Transliteration};
    ///
    /// let text = "\u{2019}".repeat(1000);
    /// let smart = Segmenter::new().with_transliteration(Transliteration::Smart);
    /// let (split, tally) = smart.split_tallied(&text)?;
    /// assert!(split.substitutions.is_empty());
    /// assert_eq!((tally.len(), tally[0].occurrences, tally[0].to.as_ref()), (1, 1000, "'"));
    /// # Ok::<(), smskit_segment::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Segmenter::split`].
    pub fn split_tallied<'a>(
        &self,
        text: &'a str,
    ) -> Result<(Segmentation<'a>, Vec<SubstitutionTally>), Error> {
        engine::split_tallied(text, self)
    }
}

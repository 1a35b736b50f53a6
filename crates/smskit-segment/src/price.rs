//! Prices per SMS part by destination prefix, and estimates for one message or a mailing.

use crate::error::Error;
use crate::money::{Currency, Money};
use crate::options::Segmenter;
use crate::result::Count;

/// The longest E.164 number (and so the longest useful prefix), in digits.
const MAX_DIGITS: usize = 15;

/// Whether `digits` is 1 to 15 ASCII digits (a number or prefix without its `+`).
fn is_digits(digits: &str) -> bool {
    (1..=MAX_DIGITS).contains(&digits.len()) && digits.bytes().all(|byte| byte.is_ascii_digit())
}

/// The digits of an E.164 number (`+` and 1 to 15 digits), or `None`.
fn e164_digits(number: &str) -> Option<&str> {
    number.strip_prefix('+').filter(|digits| is_digits(digits))
}

/// A price table: the price of one SMS part by destination prefix, in one currency.
///
/// The longest matching prefix wins, so `1` (USA and Canada) and `1242` (Bahamas) can differ.
///
/// ```
/// use smskit_segment::{Currency, Money, PriceTable};
///
/// let prices = PriceTable::from_csv("prefix,price,currency\n1,0.0079,USD\n1242,0.1510,USD\n")?;
/// let usd = Currency::new("USD")?;
/// assert_eq!(prices.price_per_part("+12025550123")?, Money::parse("0.0079", usd)?);
/// assert_eq!(prices.price_per_part("+12425550123")?, Money::parse("0.151", usd)?);
/// assert!(prices.price_per_part("+447700900123").is_err()); // unknown prefix: an error, not 0
///
/// let estimate = prices.estimate_text("+12025550123", &"x".repeat(200), &Default::default())?;
/// assert_eq!((estimate.count.parts, estimate.total.to_string()), (2, "0.0158 USD".to_string()));
/// # Ok::<(), smskit_segment::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PriceTable {
    currency: Currency,
    /// The digits of every prefix, back to back (in insertion order).
    digits: String,
    /// One entry per prefix, sorted by prefix: a few bytes per prefix where a map of strings
    /// or a trie of nodes took hundreds, so a table of millions of prefixes stays small.
    entries: Vec<Entry>,
}

/// A prefix (a slice of [`PriceTable::digits`]) and its price per part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    start: u32,
    length: u8,
    micros: i64,
}

impl PartialEq for PriceTable {
    fn eq(&self, other: &Self) -> bool {
        self.currency == other.currency && self.iter().eq(other.iter())
    }
}

impl Eq for PriceTable {}

impl PriceTable {
    /// An empty table in `currency`.
    pub fn new(currency: Currency) -> Self {
        PriceTable {
            currency,
            digits: String::new(),
            entries: Vec::new(),
        }
    }

    /// The digits of `entry`.
    fn prefix(&self, entry: &Entry) -> &str {
        let start = entry.start as usize;
        self.digits
            .get(start..start + usize::from(entry.length))
            .unwrap_or_default()
    }

    /// Where `digits` is (`Ok`) or would be inserted (`Err`) in the sorted entries.
    fn search(&self, digits: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|entry| self.prefix(entry).cmp(digits))
    }

    /// Sets the price per part for destinations starting with `prefix` (1 to 15 digits,
    /// optionally after `+`), returning the price it replaces.
    pub fn insert(&mut self, prefix: &str, price: Money) -> Result<Option<Money>, Error> {
        if price.currency() != self.currency {
            return Err(Error::CurrencyMismatch {
                expected: self.currency,
                found: price.currency(),
            });
        }
        let digits = prefix.strip_prefix('+').unwrap_or(prefix);
        if !is_digits(digits) {
            return Err(Error::InvalidPrefix {
                prefix: prefix.to_owned(),
            });
        }
        match self.search(digits) {
            Ok(index) => {
                let entry = &mut self.entries[index];
                let previous = Money::from_micros(entry.micros, self.currency);
                entry.micros = price.micros();
                Ok(Some(previous))
            }
            Err(index) => {
                let start = u32::try_from(self.digits.len()).map_err(|_| Error::TableFull {
                    prefixes: self.entries.len(),
                })?;
                self.digits.push_str(digits);
                let entry = Entry {
                    start,
                    // At most 15 digits (checked above).
                    length: u8::try_from(digits.len()).unwrap_or(u8::MAX),
                    micros: price.micros(),
                };
                // Tables are mostly loaded in prefix order, where this is a push.
                self.entries.insert(index, entry);
                Ok(None)
            }
        }
    }

    /// Adds `digits` (already checked: 1 to 15 ASCII digits) without keeping the entries
    /// sorted; [`sort_loaded`](Self::sort_loaded) must follow. Returns where its digits
    /// start, which orders the prefixes by insertion.
    pub(crate) fn push_unsorted(&mut self, digits: &str, micros: i64) -> Result<u32, Error> {
        let start = u32::try_from(self.digits.len()).map_err(|_| Error::TableFull {
            prefixes: self.entries.len(),
        })?;
        self.digits.push_str(digits);
        self.entries.push(Entry {
            start,
            length: u8::try_from(digits.len()).unwrap_or(u8::MAX),
            micros,
        });
        Ok(start)
    }

    /// Sorts the entries added by [`push_unsorted`](Self::push_unsorted), in `n log n`
    /// rather than one insertion per prefix. Returns the insertion key (digit start) of the
    /// earliest-inserted prefix that repeats an earlier one, if any.
    pub(crate) fn sort_loaded(&mut self) -> Option<u32> {
        let mut entries = core::mem::take(&mut self.entries);
        // Stable: among equal prefixes, insertion order (the digit start) is kept.
        entries.sort_by(|a, b| self.prefix(a).cmp(self.prefix(b)));
        let repeated = entries
            .windows(2)
            .filter(|pair| self.prefix(&pair[0]) == self.prefix(&pair[1]))
            .map(|pair| pair[1].start)
            .min();
        self.entries = entries;
        repeated
    }

    /// Heap bytes held by the table (what its memory grows with).
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.digits.capacity() + self.entries.capacity() * size_of::<Entry>()
    }

    /// Loads a table from CSV text: one `prefix,price,currency` row per line (a header row
    /// naming the columns `prefix`, `price` and `currency` may come first, in any order, with
    /// other columns ignored), prices as decimals in the major unit, one currency per table.
    /// Empty lines and lines starting with `#` are skipped; fields may be double-quoted.
    /// Errors give the line, column and byte offset.
    pub fn from_csv(text: &str) -> Result<Self, Error> {
        crate::price_csv::parse(text)
    }

    /// The table's currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Number of prefixes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table has no prefix.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The prefixes and their prices, in prefix order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Money)> {
        self.entries.iter().map(|entry| {
            (
                self.prefix(entry),
                Money::from_micros(entry.micros, self.currency),
            )
        })
    }

    /// The longest prefix of `number` (E.164) in the table and its price per part.
    pub fn longest_prefix<'n>(&self, number: &'n str) -> Result<(&'n str, Money), Error> {
        let digits = e164_digits(number).ok_or_else(|| Error::InvalidNumber {
            number: number.to_owned(),
        })?;
        // At most 15 binary searches, longest candidate first.
        (1..=digits.len())
            .rev()
            .find_map(|length| {
                let candidate = &digits[..length];
                let index = self.search(candidate).ok()?;
                let micros = self.entries[index].micros;
                Some((candidate, Money::from_micros(micros, self.currency)))
            })
            .ok_or_else(|| Error::UnknownDestination {
                number: number.to_owned(),
            })
    }

    /// The price of one part to `number` (E.164).
    pub fn price_per_part(&self, number: &str) -> Result<Money, Error> {
        self.longest_prefix(number).map(|(_, price)| price)
    }

    /// The price of `parts` parts to `number`.
    pub fn estimate(&self, number: &str, parts: usize) -> Result<Money, Error> {
        self.price_per_part(number)?.checked_mul(parts)
    }

    /// Segments `text` with `segmenter` and prices it for `number`.
    pub fn estimate_text(
        &self,
        number: &str,
        text: &str,
        segmenter: &Segmenter,
    ) -> Result<MessageEstimate, Error> {
        let price_per_part = self.price_per_part(number)?;
        let count = segmenter.count(text)?;
        Ok(MessageEstimate {
            count,
            price_per_part,
            total: price_per_part.checked_mul(count.parts)?,
        })
    }

    /// Prices a mailing: `(destination, parts)` for every message. Any unknown destination
    /// fails the whole estimate (a mailing must not be under-priced).
    ///
    /// ```
    /// use smskit_segment::PriceTable;
    /// let prices = PriceTable::from_csv("32,0.0752,EUR\n33,0.0698,EUR\n")?;
    /// let batch = prices.estimate_batch([("+32470123456", 2), ("+33612345678", 1)])?;
    /// assert_eq!((batch.messages, batch.parts), (2, 3));
    /// assert_eq!(batch.total.to_string(), "0.2202 EUR");
    /// # Ok::<(), smskit_segment::Error>(())
    /// ```
    pub fn estimate_batch<'n>(
        &self,
        messages: impl IntoIterator<Item = (&'n str, usize)>,
    ) -> Result<BatchEstimate, Error> {
        let mut batch = BatchEstimate {
            messages: 0,
            parts: 0,
            total: Money::zero(self.currency),
        };
        for (number, parts) in messages {
            batch.total = batch.total.checked_add(self.estimate(number, parts)?)?;
            batch.messages += 1;
            batch.parts = batch
                .parts
                .checked_add(parts)
                .ok_or_else(|| Error::AmountOverflow {
                    expression: format!("{} + {parts} parts", batch.parts),
                })?;
        }
        Ok(batch)
    }
}

/// The price of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MessageEstimate {
    /// Encoding, parts and units of the message.
    pub count: Count,
    /// The price of one part to the destination.
    pub price_per_part: Money,
    /// Parts times the price per part.
    pub total: Money,
}

/// The price of a whole mailing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct BatchEstimate {
    /// Messages priced.
    pub messages: usize,
    /// Parts over all messages.
    pub parts: usize,
    /// The total price.
    pub total: Money,
}

#[cfg(feature = "serde")]
mod serde_impl {
    use std::collections::BTreeMap;

    use super::*;

    /// The serialised form: the currency and the prices by prefix.
    #[derive(serde::Deserialize)]
    struct Table {
        currency: Currency,
        /// Prefix -> micro-units per part.
        prices: BTreeMap<String, i64>,
    }

    /// The prices by prefix, serialised as a map without copying them.
    struct Prices<'t>(&'t PriceTable);

    impl serde::Serialize for Prices<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(
                self.0
                    .iter()
                    .map(|(prefix, price)| (prefix, price.micros())),
            )
        }
    }

    impl serde::Serialize for PriceTable {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut table = serializer.serialize_struct("Table", 2)?;
            table.serialize_field("currency", &self.currency)?;
            table.serialize_field("prices", &Prices(self))?;
            table.end()
        }
    }

    impl<'de> serde::Deserialize<'de> for PriceTable {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let table = Table::deserialize(deserializer)?;
            let mut prices = PriceTable::new(table.currency);
            for (prefix, micros) in table.prices {
                prices
                    .insert(&prefix, Money::from_micros(micros, table.currency))
                    .map_err(serde::de::Error::custom)?;
            }
            Ok(prices)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> PriceTable {
        let usd = Currency::new("USD").unwrap();
        let mut table = PriceTable::new(usd);
        table.insert("1", Money::from_micros(7_900, usd)).unwrap();
        table
            .insert("+1242", Money::from_micros(151_000, usd))
            .unwrap();
        table.insert("44", Money::from_micros(40_000, usd)).unwrap();
        table
    }

    #[test]
    fn longest_prefix_wins() {
        let table = table();
        assert_eq!(table.longest_prefix("+12425551234").unwrap().0, "1242");
        assert_eq!(table.longest_prefix("+12435551234").unwrap().0, "1");
        assert_eq!(table.longest_prefix("+1").unwrap().0, "1");
        assert_eq!(
            table.longest_prefix("+447700900123").unwrap().1.micros(),
            40_000
        );
    }

    #[test]
    fn unknown_and_invalid_destinations_are_errors() {
        let table = table();
        assert!(matches!(
            table.price_per_part("+33612345678"),
            Err(Error::UnknownDestination { .. })
        ));
        for number in ["33612345678", "+", "+1234567890123456", "+1 202", "+１"] {
            assert!(
                matches!(
                    table.price_per_part(number),
                    Err(Error::InvalidNumber { .. })
                ),
                "{number}"
            );
        }
    }

    #[test]
    fn insert_validates_and_replaces() {
        let mut table = table();
        let usd = table.currency();
        let eur = Currency::new("EUR").unwrap();
        assert!(table.insert("12a", Money::zero(usd)).is_err());
        assert!(table.insert("", Money::zero(usd)).is_err());
        assert!(table.insert("1234567890123456", Money::zero(usd)).is_err());
        assert!(table.insert("1", Money::zero(eur)).is_err());
        assert_eq!(
            table.insert("1", Money::zero(usd)).unwrap(),
            Some(Money::from_micros(7_900, usd))
        );
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn batch_sums_exactly() {
        let table = table();
        let messages = vec![("+12025550123", 1); 1_000_000];
        let batch = table.estimate_batch(messages).unwrap();
        assert_eq!(batch.total.micros(), 7_900_000_000);
        assert_eq!(batch.total.to_string(), "7900.00 USD");
        assert!(table.estimate_batch([("+33612345678", 1)]).is_err());
    }
}

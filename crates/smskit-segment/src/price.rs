//! Prices per SMS part by destination prefix, and estimates for one message or a mailing.

use std::collections::BTreeMap;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceTable {
    currency: Currency,
    /// Prefix digits -> micro-units per part; the source of truth, in prefix order.
    prices: BTreeMap<String, i64>,
    /// A digit trie over `prices` for longest-prefix lookups without allocation.
    trie: Vec<TrieNode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct TrieNode {
    /// Index of the child node for each digit (0 = none: the root is never a child).
    children: [u32; 10],
    price: Option<i64>,
}

impl PriceTable {
    /// An empty table in `currency`.
    pub fn new(currency: Currency) -> Self {
        PriceTable {
            currency,
            prices: BTreeMap::new(),
            trie: vec![TrieNode::default()],
        }
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
        let mut node = 0usize;
        for byte in digits.bytes() {
            let digit = usize::from(byte - b'0');
            let child = self.trie[node].children[digit];
            node = if child == 0 {
                let index = self.trie.len();
                self.trie.push(TrieNode::default());
                // At most 15 nodes per prefix, so the index fits easily in u32 for any table
                // that fits in memory.
                self.trie[node].children[digit] = u32::try_from(index).unwrap_or(u32::MAX);
                index
            } else {
                child as usize
            };
        }
        self.trie[node].price = Some(price.micros());
        let previous = self.prices.insert(digits.to_owned(), price.micros());
        Ok(previous.map(|micros| Money::from_micros(micros, self.currency)))
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
        self.prices.len()
    }

    /// Whether the table has no prefix.
    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }

    /// The prefixes and their prices, in prefix order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Money)> {
        self.prices
            .iter()
            .map(|(prefix, &micros)| (prefix.as_str(), Money::from_micros(micros, self.currency)))
    }

    /// The longest prefix of `number` (E.164) in the table and its price per part.
    pub fn longest_prefix<'n>(&self, number: &'n str) -> Result<(&'n str, Money), Error> {
        let digits = e164_digits(number).ok_or_else(|| Error::InvalidNumber {
            number: number.to_owned(),
        })?;
        let mut node = 0usize;
        let mut best: Option<(usize, i64)> = None;
        for (depth, byte) in digits.bytes().enumerate() {
            let child = self.trie[node].children[usize::from(byte - b'0')];
            if child == 0 {
                break;
            }
            node = child as usize;
            if let Some(micros) = self.trie[node].price {
                best = Some((depth + 1, micros));
            }
        }
        let (length, micros) = best.ok_or_else(|| Error::UnknownDestination {
            number: number.to_owned(),
        })?;
        Ok((&digits[..length], Money::from_micros(micros, self.currency)))
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
    use super::*;

    /// The serialised form: the currency and the prices by prefix.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Table {
        currency: Currency,
        /// Prefix -> micro-units per part.
        prices: BTreeMap<String, i64>,
    }

    impl serde::Serialize for PriceTable {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            Table {
                currency: self.currency,
                prices: self.prices.clone(),
            }
            .serialize(serializer)
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

//! Sender-number choice by destination country and order.

use smskit_phone::{E164, Region};

/// One configured sender number: its country and its place in the order of preference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SenderNumber {
    /// The number messages are sent from.
    pub number: E164,
    /// The country it serves.
    pub country: Region,
    /// Lower comes first.
    pub order: u32,
}

impl SenderNumber {
    /// A sender number.
    #[must_use]
    pub const fn new(number: E164, country: Region, order: u32) -> Self {
        Self {
            number,
            country,
            order,
        }
    }
}

/// The sender numbers of an account, chosen per destination: the first number (by order)
/// whose country is the destination's country, else the first number.
///
/// ```
/// use smskit_phone::{E164, Region};
/// use smskit_provider::{SenderNumber, SenderPool};
///
/// let number = |text: &str| E164::parse(text).unwrap();
/// let region = |code: &str| code.parse::<Region>().unwrap();
/// let pool = SenderPool::from_iter([
///     SenderNumber::new(number("+14155550100"), region("US"), 1),
///     SenderNumber::new(number("+32460200000"), region("BE"), 2),
///     SenderNumber::new(number("+32460200001"), region("BE"), 0),
/// ]);
/// // A Belgian destination gets the Belgian number with the lowest order.
/// let chosen = pool.choose(&number("+32470123456")).unwrap();
/// assert_eq!(chosen.number.as_str(), "+32460200001");
/// // No French number: the first number by order.
/// let chosen = pool.choose(&number("+33612345678")).unwrap();
/// assert_eq!(chosen.number.as_str(), "+32460200001");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(from = "Vec<SenderNumber>", into = "Vec<SenderNumber>")
)]
pub struct SenderPool {
    /// Sorted by order; equal orders keep their insertion order.
    numbers: Vec<SenderNumber>,
}

impl SenderPool {
    /// An empty pool.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            numbers: Vec::new(),
        }
    }

    /// Adds a number, keeping the pool sorted by order (stable for equal orders).
    pub fn push(&mut self, sender: SenderNumber) {
        let at = self.numbers.partition_point(|n| n.order <= sender.order);
        self.numbers.insert(at, sender);
    }

    /// The numbers, by order.
    #[must_use]
    pub fn numbers(&self) -> &[SenderNumber] {
        &self.numbers
    }

    /// Whether the pool is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// The sender for `to`: the first number (by order) whose country is the destination's
    /// country, else the first number; `None` for an empty pool.
    #[must_use]
    pub fn choose(&self, to: &E164) -> Option<&SenderNumber> {
        let country = to.region();
        country
            .and_then(|country| self.numbers.iter().find(|n| n.country == country))
            .or_else(|| self.numbers.first())
    }
}

impl FromIterator<SenderNumber> for SenderPool {
    fn from_iter<I: IntoIterator<Item = SenderNumber>>(iter: I) -> Self {
        let mut numbers: Vec<SenderNumber> = iter.into_iter().collect();
        numbers.sort_by_key(|n| n.order);
        Self { numbers }
    }
}

impl From<Vec<SenderNumber>> for SenderPool {
    fn from(numbers: Vec<SenderNumber>) -> Self {
        numbers.into_iter().collect()
    }
}

impl From<SenderPool> for Vec<SenderNumber> {
    fn from(pool: SenderPool) -> Self {
        pool.numbers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn number(text: &str) -> E164 {
        E164::parse(text).unwrap()
    }

    #[test]
    fn empty_pool_chooses_nothing() {
        assert!(SenderPool::new().choose(&number("+32470123456")).is_none());
    }

    #[test]
    fn push_keeps_order_stable() {
        let mut pool = SenderPool::new();
        let be: Region = "BE".parse().unwrap();
        pool.push(SenderNumber::new(number("+32460200002"), be, 5));
        pool.push(SenderNumber::new(number("+32460200000"), be, 1));
        pool.push(SenderNumber::new(number("+32460200001"), be, 5));
        let order: Vec<&str> = pool.numbers().iter().map(|n| n.number.as_str()).collect();
        assert_eq!(order, ["+32460200000", "+32460200002", "+32460200001"]);
    }

    proptest! {
        /// The choice is the first number by order in the destination's country when there is
        /// one, else the first number overall.
        #[test]
        fn choice_rule(orders in proptest::collection::vec((0u32..5, prop::bool::ANY), 1..8)) {
            let be: Region = "BE".parse().unwrap();
            let fr: Region = "FR".parse().unwrap();
            let senders: Vec<SenderNumber> = orders
                .iter()
                .enumerate()
                .map(|(i, (order, belgian))| {
                    let country = if *belgian { be } else { fr };
                    SenderNumber::new(number(&format!("+3246020000{i}")), country, *order)
                })
                .collect();
            let pool: SenderPool = senders.iter().cloned().collect();
            let chosen = pool.choose(&number("+32470123456")).unwrap();
            let min_be = senders.iter().filter(|s| s.country == be).map(|s| s.order).min();
            match min_be {
                Some(order) => {
                    let first = senders.iter().find(|s| s.country == be && s.order == order).unwrap();
                    prop_assert_eq!(chosen, first);
                }
                None => {
                    let order = senders.iter().map(|s| s.order).min().unwrap();
                    let first = senders.iter().find(|s| s.order == order).unwrap();
                    prop_assert_eq!(chosen, first);
                }
            }
        }
    }
}

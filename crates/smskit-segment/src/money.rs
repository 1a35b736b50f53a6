//! Money as integers: an amount in millionths of the currency's major unit.
//!
//! SMS prices are per part and below a cent (Twilio quotes `0.00790` USD), so cents cannot
//! represent them; floating point cannot add them up exactly. An integer count of micro-units
//! (1/1,000,000 of the major unit, the convention of ad and billing APIs) is exact for every
//! price a provider publishes and sums a million messages without rounding.

use core::fmt;
use core::str::FromStr;

use crate::error::Error;

/// Micro-units per major unit.
const MICROS_PER_UNIT: i64 = 1_000_000;

/// An ISO 4217 alphabetic currency code (`EUR`, `USD`).
///
/// ```
/// use smskit_segment::Currency;
/// let eur: Currency = "eur".parse()?;
/// assert_eq!(eur.as_str(), "EUR");
/// assert!("E1R".parse::<Currency>().is_err());
/// # Ok::<(), smskit_segment::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The currency with `code` (three ASCII letters, any case).
    pub fn new(code: &str) -> Result<Self, Error> {
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|byte| byte.is_ascii_alphabetic()) => Ok(Currency([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(Error::InvalidCurrency {
                input: code.to_owned(),
            }),
        }
    }

    /// The upper-case code.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        core::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = Error;

    fn from_str(code: &str) -> Result<Self, Error> {
        Currency::new(code)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Currency::new(&code).map_err(serde::de::Error::custom)
    }
}

/// An amount of money: integer micro-units (millionths of the major unit) and a currency.
///
/// ```
/// use smskit_segment::{Currency, Money};
/// let eur = Currency::new("EUR")?;
/// let price = Money::parse("0.0752", eur)?;
/// assert_eq!(price.micros(), 75_200);
/// assert_eq!(price.checked_mul(3)?.to_string(), "0.2256 EUR");
/// # Ok::<(), smskit_segment::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Money {
    micros: i64,
    currency: Currency,
}

impl Money {
    /// `micros` millionths of one `currency` unit.
    pub const fn from_micros(micros: i64, currency: Currency) -> Self {
        Money { micros, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Money::from_micros(0, currency)
    }

    /// Parses a non-negative decimal amount in the major unit (`"0.0752"`, `"12"`, `"1.5"`)
    /// with at most 6 decimal places. Nothing is rounded: more precision is an error.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, Error> {
        let invalid = |reason| Error::InvalidAmount {
            input: text.to_owned(),
            reason,
        };
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid("expected a decimal number such as 0.0752"));
        }
        let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if !digits_only(whole) || !digits_only(fraction) {
            return Err(invalid(
                "expected a non-negative decimal number such as 0.0752",
            ));
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > 6 {
            return Err(invalid("more than 6 decimal places"));
        }
        let overflow = || invalid("too large");
        let mut micros: i64 = 0;
        for byte in whole.bytes() {
            micros = micros
                .checked_mul(10)
                .and_then(|value| value.checked_add(i64::from(byte - b'0')))
                .ok_or_else(overflow)?;
        }
        // At most 6 digits: below one unit, so only the final addition can overflow.
        let mut fraction_micros = 0;
        let mut scale = MICROS_PER_UNIT / 10;
        for byte in fraction.bytes() {
            fraction_micros += i64::from(byte - b'0') * scale;
            scale /= 10;
        }
        let micros = micros
            .checked_mul(MICROS_PER_UNIT)
            .and_then(|whole| whole.checked_add(fraction_micros))
            .ok_or_else(overflow)?;
        Ok(Money::from_micros(micros, currency))
    }

    /// The amount in millionths of the major unit.
    pub const fn micros(&self) -> i64 {
        self.micros
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The sum, or an error when the currencies differ or the sum overflows.
    pub fn checked_add(self, other: Money) -> Result<Money, Error> {
        if self.currency != other.currency {
            return Err(Error::CurrencyMismatch {
                expected: self.currency,
                found: other.currency,
            });
        }
        let micros =
            self.micros
                .checked_add(other.micros)
                .ok_or_else(|| Error::AmountOverflow {
                    expression: format!("{self} + {other}"),
                })?;
        Ok(Money::from_micros(micros, self.currency))
    }

    /// The sum of `amounts`, all in `currency` (zero when there are none), or an error at the
    /// first amount in another currency or when the sum overflows.
    ///
    /// The currency is given rather than taken from the first amount so that an empty sum
    /// has one and a mailing priced in the wrong currency fails at its first message.
    ///
    /// ```
    /// use smskit_segment::{Currency, Money};
    /// let eur = Currency::new("EUR")?;
    /// let prices = [Money::parse("0.0752", eur)?, Money::parse("0.0698", eur)?];
    /// assert_eq!(Money::checked_sum(eur, prices)?.to_string(), "0.145 EUR");
    /// let usd = Money::parse("0.0079", Currency::new("USD")?)?;
    /// assert!(Money::checked_sum(eur, [prices[0], usd]).is_err());
    /// # Ok::<(), smskit_segment::Error>(())
    /// ```
    pub fn checked_sum(
        currency: Currency,
        amounts: impl IntoIterator<Item = Money>,
    ) -> Result<Money, Error> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// `count` times this amount, or an error on overflow.
    pub fn checked_mul(self, count: usize) -> Result<Money, Error> {
        let overflow = || Error::AmountOverflow {
            expression: format!("{self} x {count}"),
        };
        let factor = i64::try_from(count).map_err(|_| overflow())?;
        let micros = self.micros.checked_mul(factor).ok_or_else(overflow)?;
        Ok(Money::from_micros(micros, self.currency))
    }

    /// The amount in minor units of a currency with `exponent` decimal places (2 for EUR and
    /// USD, 0 for JPY), rounded up: what a customer is billed. `None` when `exponent > 6`.
    ///
    /// ```
    /// use smskit_segment::{Currency, Money};
    /// let price = Money::parse("0.0752", Currency::new("EUR")?)?;
    /// assert_eq!(price.minor_units_rounded_up(2), Some(8));
    /// # Ok::<(), smskit_segment::Error>(())
    /// ```
    pub fn minor_units_rounded_up(&self, exponent: u32) -> Option<i64> {
        let divisor = MICROS_PER_UNIT.checked_div(10i64.checked_pow(exponent)?)?;
        if divisor == 0 {
            return None;
        }
        Some(self.micros.div_euclid(divisor) + i64::from(self.micros.rem_euclid(divisor) != 0))
    }
}

impl fmt::Display for Money {
    /// The decimal amount with at least two decimal places, then the currency:
    /// `0.0752 EUR`, `12.50 USD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.micros < 0 { "-" } else { "" };
        let magnitude = self.micros.unsigned_abs();
        let whole = magnitude / MICROS_PER_UNIT.unsigned_abs();
        let fraction = format!("{:06}", magnitude % MICROS_PER_UNIT.unsigned_abs());
        let trimmed = fraction.trim_end_matches('0');
        let shown = if trimmed.len() < 2 {
            &fraction[..2]
        } else {
            trimmed
        };
        write!(f, "{sign}{whole}.{shown} {}", self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::new("EUR").unwrap()
    }

    #[test]
    fn parses_exact_decimals() {
        for (text, micros) in [
            ("0.0752", 75_200),
            ("12", 12_000_000),
            ("1.5", 1_500_000),
            (".5", 500_000),
            ("3.", 3_000_000),
            ("0.000001", 1),
            ("0.1000000", 100_000),
        ] {
            assert_eq!(
                Money::parse(text, eur()).unwrap().micros(),
                micros,
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_what_it_cannot_represent() {
        for text in [
            "",
            ".",
            "-1",
            "1e3",
            "0.0000001",
            "1,5",
            " 1",
            "99999999999999999999",
        ] {
            assert!(Money::parse(text, eur()).is_err(), "{text:?}");
        }
    }

    #[test]
    fn displays_with_two_decimals_at_least() {
        for (micros, shown) in [
            (75_200, "0.0752 EUR"),
            (12_500_000, "12.50 EUR"),
            (0, "0.00 EUR"),
            (1, "0.000001 EUR"),
            (-1_000_000, "-1.00 EUR"),
        ] {
            assert_eq!(Money::from_micros(micros, eur()).to_string(), shown);
        }
    }

    #[test]
    fn parse_refuses_amounts_over_the_largest_in_the_fraction_too() {
        // The whole part fits, the fraction pushes the sum over i64::MAX micro-units.
        assert_eq!(
            Money::parse("9223372036854.775807", eur())
                .unwrap()
                .micros(),
            i64::MAX
        );
        for text in ["9223372036854.775808", "9223372036854.999999"] {
            match Money::parse(text, eur()) {
                Err(Error::InvalidAmount { input, reason }) => {
                    assert_eq!(input, text);
                    assert_eq!(reason, "too large");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn overflow_errors_name_the_operands() {
        let largest = Money::from_micros(i64::MAX, eur());
        let message = largest.checked_mul(2).unwrap_err().to_string();
        assert!(message.contains("9223372036854.775807 EUR"), "{message}");
        assert!(message.contains("x 2"), "{message}");
        let message = largest
            .checked_add(Money::from_micros(1, eur()))
            .unwrap_err()
            .to_string();
        assert!(message.contains("+ 0.000001 EUR"), "{message}");
    }

    #[test]
    fn checked_sum_adds_one_currency_only() {
        let usd = Currency::new("USD").unwrap();
        let amounts = [75_200, 1, 24_799].map(|micros| Money::from_micros(micros, eur()));
        assert_eq!(
            Money::checked_sum(eur(), amounts).unwrap(),
            Money::from_micros(100_000, eur())
        );
        assert_eq!(Money::checked_sum(eur(), []).unwrap(), Money::zero(eur()));
        assert!(matches!(
            Money::checked_sum(eur(), [Money::zero(eur()), Money::zero(usd)]),
            Err(Error::CurrencyMismatch { .. })
        ));
        // The currency asked for is checked even for the first amount.
        assert!(matches!(
            Money::checked_sum(eur(), [Money::zero(usd)]),
            Err(Error::CurrencyMismatch { .. })
        ));
        assert!(matches!(
            Money::checked_sum(eur(), [Money::from_micros(i64::MAX, eur()); 2]),
            Err(Error::AmountOverflow { .. })
        ));
    }

    #[test]
    fn arithmetic_is_checked() {
        let usd = Currency::new("USD").unwrap();
        assert!(Money::zero(eur()).checked_add(Money::zero(usd)).is_err());
        assert!(Money::from_micros(i64::MAX, eur()).checked_mul(2).is_err());
        assert_eq!(
            Money::from_micros(7_900, usd).minor_units_rounded_up(2),
            Some(1)
        );
        assert_eq!(
            Money::from_micros(7_900, usd).minor_units_rounded_up(7),
            None
        );
    }
}

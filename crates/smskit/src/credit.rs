//! Paying for a mailing: what it will cost, and the application's balance that must cover it
//! before the first message leaves (all or nothing).

use std::fmt;

use crate::segment::{Currency, Money};

/// The credit the application has left with its SMS provider or its own billing.
///
/// The engine asks once per send, before claiming anything: an error or a panic here leaves
/// every trace as it was.
///
/// ```
/// use smskit::credit::{Balance, BalanceError};
/// use smskit::segment::{Currency, Money};
///
/// #[derive(Debug)]
/// struct Prepaid(Money);
///
/// impl Balance for Prepaid {
///     fn available(&self, currency: Currency) -> Result<Money, BalanceError> {
///         if currency == self.0.currency() {
///             Ok(self.0)
///         } else {
///             Err(BalanceError::new(format!("no {currency} account")))
///         }
///     }
/// }
/// let eur = Currency::new("EUR").unwrap();
/// assert!(Prepaid(Money::zero(eur)).available(eur).is_ok());
/// ```
pub trait Balance: fmt::Debug + Send + Sync {
    /// The amount available in `currency` (the currency of the engine's price table).
    fn available(&self, currency: Currency) -> Result<Money, BalanceError>;
}

/// The balance could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the balance: {0}")]
pub struct BalanceError(String);

impl BalanceError {
    /// An error with this explanation.
    pub fn new(message: impl Into<String>) -> Self {
        BalanceError(message.into())
    }
}

/// What the messages still to send of a mailing will cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Estimate {
    /// Messages still to send.
    pub messages: usize,
    /// Their SMS parts.
    pub segments: u64,
    /// Their price, when the engine has a price table.
    pub cost: Option<Money>,
    /// Messages to a destination the price table does not cover (their cost is unknown).
    pub unpriced: usize,
}

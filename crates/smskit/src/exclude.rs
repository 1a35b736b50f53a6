//! The exclusion pass of a mailing: which targeted records get a message and why the others do
//! not, in the mailing spec's order (`spec/mailing.md`, "Per-recipient outcome").
//!
//! | check, in order | outcome |
//! |---|---|
//! | the number is empty | `cancel` / `sms_number_missing` |
//! | the number cannot be read as a valid phone number | `cancel` / `sms_number_format` |
//! | the number is on the active blacklist | `cancel` / `sms_blacklist` |
//! | the record opted out | `cancel` / `sms_optout` |
//! | the number was already targeted by this mailing | `cancel` / `sms_duplicate` |
//! | otherwise | `outgoing` |
//!
//! The spec lists blacklist, opt-out and duplicate first and states that they apply to numbers
//! that could be read; checking the number first is the same rule written in the order a
//! program needs. The first occurrence of a number wins, in the audience's order. One pass, one
//! hash set: linear in the audience, where Odoo's duplicate check is quadratic.
//!
//! ```
//! use std::collections::HashSet;
//! use smskit::exclude::{Decision, Exclusions};
//! use smskit::phone::{E164, Region};
//! use smskit::provider::FailureType;
//!
//! let be = Region::parse("BE").ok();
//! let blacklist: HashSet<E164> = [E164::parse("+32470000002")?].into();
//! let opted_out: HashSet<i64> = [4].into();
//! let mut pass = Exclusions::new(&blacklist, &opted_out).with_default_region(be);
//!
//! let failure = |decision: Decision| decision.failure_type();
//! assert_eq!(failure(pass.decide(1, "0470 00 00 01", None)), None); // sent
//! assert_eq!(failure(pass.decide(2, "+32 470 00 00 02", None)), Some(FailureType::Blacklist));
//! assert_eq!(failure(pass.decide(3, "+32470000001", None)), Some(FailureType::Duplicate));
//! assert_eq!(failure(pass.decide(4, "0470000004", None)), Some(FailureType::OptOut));
//! assert_eq!(failure(pass.decide(5, "", None)), Some(FailureType::NumberMissing));
//! assert_eq!(failure(pass.decide(6, "12", None)), Some(FailureType::NumberFormat));
//! # Ok::<(), smskit::phone::Error>(())
//! ```

use std::collections::HashSet;
use std::hash::BuildHasher;

use crate::phone::{E164, Error as PhoneError, Region};
use crate::provider::FailureType;

/// Where a targeted record's number stands after the exclusion pass.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "outcome"))]
pub enum Decision {
    /// Send to this number: the trace starts `outgoing`.
    Send {
        /// The recipient's number.
        number: E164,
    },
    /// Excluded: the trace is created `cancel` with this failure type.
    Cancel {
        /// Why.
        failure_type: FailureType,
        /// The number as read, when it could be read.
        number: Option<E164>,
        /// The raw text of a number that could not be read (kept on the trace).
        raw: Option<String>,
    },
}

impl Decision {
    /// The failure type of an excluded record, `None` for one that is sent to.
    #[must_use]
    pub fn failure_type(&self) -> Option<FailureType> {
        match self {
            Decision::Send { .. } => None,
            Decision::Cancel { failure_type, .. } => Some(*failure_type),
        }
    }

    /// The number, when it could be read.
    #[must_use]
    pub fn number(&self) -> Option<E164> {
        match self {
            Decision::Send { number } => Some(*number),
            Decision::Cancel { number, .. } => *number,
        }
    }
}

/// The exclusion pass over one mailing's audience, fed one record at a time in audience order.
///
/// The blacklist and the opted-out records are borrowed sets (any hasher); the pass remembers
/// the numbers it has let through, so memory grows with the distinct numbers sent to and
/// nothing else.
#[derive(Debug)]
pub struct Exclusions<'a, B = std::collections::hash_map::RandomState, O = B> {
    blacklist: &'a HashSet<E164, B>,
    opted_out: &'a HashSet<i64, O>,
    default_region: Option<Region>,
    targeted: HashSet<E164>,
}

impl<'a, B: BuildHasher, O: BuildHasher> Exclusions<'a, B, O> {
    /// A pass that excludes the active `blacklist` numbers and the `opted_out` record ids.
    #[must_use]
    pub fn new(blacklist: &'a HashSet<E164, B>, opted_out: &'a HashSet<i64, O>) -> Self {
        Exclusions {
            blacklist,
            opted_out,
            default_region: None,
            targeted: HashSet::new(),
        }
    }

    /// The country of numbers written without a calling code, for records that have no
    /// country of their own.
    #[must_use]
    pub fn with_default_region(mut self, region: Option<Region>) -> Self {
        self.default_region = region;
        self
    }

    /// Counts `numbers` as already targeted by this mailing (its traces from an earlier,
    /// interrupted preparation), so that they are duplicates from now on.
    #[must_use]
    pub fn with_targeted(mut self, numbers: impl IntoIterator<Item = E164>) -> Self {
        self.targeted.extend(numbers);
        self
    }

    /// Makes room for `records` more numbers let through: a pass over a million records then
    /// never grows its set of targeted numbers.
    pub fn reserve(&mut self, records: usize) {
        self.targeted.reserve(records);
    }

    /// Decides for the record `record` whose raw phone is `raw` and whose own country (if it has
    /// one) is `country`.
    pub fn decide(&mut self, record: i64, raw: &str, country: Option<Region>) -> Decision {
        let number = match crate::phone::parse(raw, country.or(self.default_region)) {
            Ok(number) => number,
            Err(error) => {
                let failure_type = if matches!(error, PhoneError::Missing) {
                    FailureType::NumberMissing
                } else {
                    FailureType::NumberFormat
                };
                return Decision::Cancel {
                    failure_type,
                    number: None,
                    raw: (!raw.is_empty()).then(|| raw.to_owned()),
                };
            }
        };
        let cancel = |failure_type| Decision::Cancel {
            failure_type,
            number: Some(number),
            raw: None,
        };
        if self.blacklist.contains(&number) {
            cancel(FailureType::Blacklist)
        } else if self.opted_out.contains(&record) {
            cancel(FailureType::OptOut)
        } else if !self.targeted.insert(number) {
            cancel(FailureType::Duplicate)
        } else {
            Decision::Send { number }
        }
    }

    /// How many distinct numbers were let through so far.
    #[must_use]
    pub fn targeted(&self) -> usize {
        self.targeted.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> E164 {
        E164::parse(text).unwrap()
    }

    #[test]
    fn blacklist_wins_over_opt_out_and_duplicate() {
        let blacklist: HashSet<E164> = [number("+32470000001")].into();
        let opted_out: HashSet<i64> = [1, 2].into();
        let mut pass = Exclusions::new(&blacklist, &opted_out);
        // Blacklisted and opted out: blacklist first.
        assert_eq!(
            pass.decide(1, "+32470000001", None).failure_type(),
            Some(FailureType::Blacklist)
        );
        // Opted out and a duplicate of nothing yet: opt-out, and the number is not taken.
        assert_eq!(
            pass.decide(2, "+32470000003", None).failure_type(),
            Some(FailureType::OptOut)
        );
        assert_eq!(pass.decide(3, "+32470000003", None).failure_type(), None);
        assert_eq!(pass.targeted(), 1);
    }

    #[test]
    fn an_unreadable_number_is_never_blacklisted_or_duplicate() {
        let blacklist = HashSet::new();
        let opted_out: HashSet<i64> = [7].into();
        let mut pass = Exclusions::new(&blacklist, &opted_out);
        let decision = pass.decide(7, "not a number", None);
        assert_eq!(
            decision,
            Decision::Cancel {
                failure_type: FailureType::NumberFormat,
                number: None,
                raw: Some("not a number".to_owned()),
            }
        );
        assert_eq!(
            pass.decide(8, "not a number", None).failure_type(),
            Some(FailureType::NumberFormat)
        );
        assert_eq!(
            pass.decide(9, "   ", None).failure_type(),
            Some(FailureType::NumberMissing)
        );
        // A national number without any country cannot be read either.
        assert_eq!(
            pass.decide(10, "0470 12 34 56", None).failure_type(),
            Some(FailureType::NumberFormat)
        );
    }

    #[test]
    fn the_records_country_comes_before_the_default() {
        let (blacklist, opted_out) = (HashSet::new(), HashSet::new());
        let mut pass =
            Exclusions::new(&blacklist, &opted_out).with_default_region(Region::parse("FR").ok());
        assert_eq!(
            pass.decide(1, "0470 12 34 56", Region::parse("BE").ok())
                .number(),
            Some(number("+32470123456"))
        );
        assert_eq!(
            pass.decide(2, "06 12 34 56 78", None).number(),
            Some(number("+33612345678"))
        );
    }

    #[test]
    fn numbers_of_an_earlier_preparation_are_duplicates() {
        let (blacklist, opted_out) = (HashSet::new(), HashSet::new());
        let mut pass =
            Exclusions::new(&blacklist, &opted_out).with_targeted([number("+32470000001")]);
        assert_eq!(
            pass.decide(1, "+32470000001", None).failure_type(),
            Some(FailureType::Duplicate)
        );
    }
}

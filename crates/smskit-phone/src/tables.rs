//! Lookups in the embedded numbering-plan tables of [`crate::data`], whose types and derived
//! indexes are defined here (only the tables themselves are generated).

use crate::data::{CALLING_CODES, REGION_PLANS};
use crate::region::Region;

/// One assigned country calling code.
#[derive(Debug)]
pub(crate) struct CallingCode {
    /// The code, e.g. 32.
    pub(crate) code: u16,
    /// The regions that share the code (indexes in `REGION_PLANS`), main country first; empty
    /// for non-geographic codes.
    pub(crate) regions: &'static [u16],
    /// Possible lengths of a national significant number, sorted (libphonenumber's general
    /// description of the main country).
    pub(crate) lengths: &'static [u16],
    /// Lengths of numbers that can only be dialled locally, sorted.
    pub(crate) local_lengths: &'static [u16],
}

/// The numbering-plan facts of a region needed to read a national number.
#[derive(Debug)]
pub(crate) struct RegionPlan {
    /// The region.
    pub(crate) region: Region,
    /// The calling code.
    pub(crate) code: u16,
    /// The national (trunk) prefix, e.g. `"0"`; empty when the region has none (read without
    /// the `phonenumber` feature only, like the next one).
    #[cfg_attr(feature = "phonenumber", allow(dead_code))]
    pub(crate) national_prefix: &'static str,
    /// The international (IDD) prefix when it is a plain digit string (`"011"` in the US), else
    /// empty; `00` is always accepted.
    #[cfg_attr(feature = "phonenumber", allow(dead_code))]
    pub(crate) international_prefix: &'static str,
    /// Possible lengths of a national significant number, sorted.
    pub(crate) lengths: &'static [u16],
    /// Lengths of numbers that can only be dialled locally, sorted.
    pub(crate) local_lengths: &'static [u16],
}

/// Marks a missing index.
const NONE: u16 = u16::MAX;

const _: () = assert!(CALLING_CODES.len() < NONE as usize && REGION_PLANS.len() < NONE as usize);

/// The index in `CALLING_CODES` of each code from 0 to 999, `NONE` when unassigned (built at
/// compile time: a code of 1000 or more fails the build).
static CALLING_CODE_INDEX: [u16; 1000] = {
    let mut index = [NONE; 1000];
    let mut entry = 0;
    while entry < CALLING_CODES.len() {
        index[CALLING_CODES[entry].code as usize] = entry as u16;
        entry += 1;
    }
    index
};

/// The index in `REGION_PLANS` of each region (in `Region` order), `NONE` when the region has
/// no numbering plan (built at compile time).
static PLAN_OF_REGION: [u16; Region::COUNT] = {
    let mut index = [NONE; Region::COUNT];
    let mut plan = 0;
    while plan < REGION_PLANS.len() {
        index[REGION_PLANS[plan].region.index()] = plan as u16;
        plan += 1;
    }
    index
};

fn calling_code_index(code: u16) -> Option<usize> {
    let index = *CALLING_CODE_INDEX.get(usize::from(code))?;
    (index != NONE).then_some(usize::from(index))
}

/// The entry of an assigned calling code.
pub(crate) fn calling_code(code: u16) -> Option<&'static CallingCode> {
    calling_code_index(code).and_then(|index| CALLING_CODES.get(index))
}

/// The assigned calling code at the start of `digits` (ASCII) and its number of digits.
///
/// Calling codes are a prefix code (ITU-T E.164 assigns no code that starts another), so the
/// first match among 1, 2 and 3 digits is the only one. A code never starts with 0.
fn leading_calling_code(digits: &str) -> Option<(u16, usize)> {
    let mut code = 0u16;
    for (index, digit) in digits.bytes().take(3).enumerate() {
        if !digit.is_ascii_digit() {
            return None;
        }
        code = code * 10 + u16::from(digit - b'0');
        if code == 0 {
            return None;
        }
        if calling_code_index(code).is_some() {
            return Some((code, index + 1));
        }
    }
    None
}

/// The number of leading digits of `digits` (ASCII) that form an assigned calling code.
pub(crate) fn calling_code_len(digits: &str) -> Option<usize> {
    leading_calling_code(digits).map(|(_, len)| len)
}

/// Splits `digits` into an assigned calling code and the rest (libphonenumber's
/// `extractCountryCode`).
pub(crate) fn split_calling_code(digits: &str) -> Option<(u16, &str)> {
    let (code, len) = leading_calling_code(digits)?;
    Some((code, digits.get(len..)?))
}

/// The numbering plan of one region, or of one non-geographic calling code (+800, +882, ...):
/// libphonenumber's metadata unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meta {
    /// Index into `REGION_PLANS`.
    Region(usize),
    /// Index into `CALLING_CODES`, for a code with no region.
    NonGeo(usize),
}

/// libphonenumber's `ValidationResult` for a length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LengthCheck {
    Possible,
    LocalOnly,
    TooShort,
    TooLong,
    InvalidLength,
}

impl Meta {
    /// The plan of `region`, when it has one (`AQ`, `BV`, ... have none).
    pub(crate) fn for_region(region: Region) -> Option<Meta> {
        let index = *PLAN_OF_REGION.get(region.index())?;
        (index != NONE).then_some(Meta::Region(usize::from(index)))
    }

    /// The plan libphonenumber uses for a calling code as a whole: its main country's, or the
    /// non-geographic entity's.
    pub(crate) fn main_for_code(code: u16) -> Option<Meta> {
        let index = calling_code_index(code)?;
        let entry = CALLING_CODES.get(index)?;
        Some(match entry.regions.first() {
            Some(&main) => Meta::Region(usize::from(main)),
            None => Meta::NonGeo(index),
        })
    }

    /// The region's embedded plan, `None` for a non-geographic code.
    pub(crate) fn region_plan(self) -> Option<&'static RegionPlan> {
        match self {
            Meta::Region(index) => REGION_PLANS.get(index),
            Meta::NonGeo(_) => None,
        }
    }

    /// The region, `None` for a non-geographic code.
    pub(crate) fn region(self) -> Option<Region> {
        self.region_plan().map(|plan| plan.region)
    }

    /// The calling code.
    pub(crate) fn code(self) -> u16 {
        match self {
            Meta::Region(index) => REGION_PLANS.get(index).map_or(0, |plan| plan.code),
            Meta::NonGeo(index) => CALLING_CODES.get(index).map_or(0, |entry| entry.code),
        }
    }

    fn lengths(self) -> (&'static [u16], &'static [u16]) {
        match self {
            Meta::Region(index) => REGION_PLANS
                .get(index)
                .map_or((&[], &[]), |plan| (plan.lengths, plan.local_lengths)),
            Meta::NonGeo(index) => CALLING_CODES
                .get(index)
                .map_or((&[], &[]), |entry| (entry.lengths, entry.local_lengths)),
        }
    }

    /// Whether a national significant number of `len` digits is possible (libphonenumber's
    /// `testNumberLength` against the general description).
    pub(crate) fn test_length(self, len: usize) -> LengthCheck {
        let (lengths, local) = self.lengths();
        let Ok(len) = u16::try_from(len) else {
            return LengthCheck::TooLong;
        };
        let (Some(&min), Some(&max)) = (lengths.first(), lengths.last()) else {
            return LengthCheck::InvalidLength;
        };
        if local.contains(&len) {
            LengthCheck::LocalOnly
        } else if len == min {
            LengthCheck::Possible
        } else if len < min {
            LengthCheck::TooShort
        } else if len > max {
            LengthCheck::TooLong
        } else if lengths.contains(&len) {
            LengthCheck::Possible
        } else {
            LengthCheck::InvalidLength
        }
    }
}

/// The plans of the regions sharing `code`, main country first (empty for a non-geographic
/// code).
pub(crate) fn regions_of_code(code: u16) -> impl ExactSizeIterator<Item = Meta> {
    calling_code(code)
        .map_or(&[][..], |entry| entry.regions)
        .iter()
        .map(|&index| Meta::Region(usize::from(index)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(meta: Meta) -> &'static str {
        meta.region().map_or("001", Region::as_str)
    }

    #[test]
    fn calling_codes_are_sorted_and_prefix_free() {
        assert!(
            CALLING_CODES
                .windows(2)
                .all(|pair| pair[0].code < pair[1].code)
        );
        for a in CALLING_CODES {
            for b in CALLING_CODES {
                let (a, b) = (a.code.to_string(), b.code.to_string());
                assert!(a == b || !b.starts_with(&a), "+{a} is a prefix of +{b}");
            }
        }
        for (index, entry) in CALLING_CODES.iter().enumerate() {
            assert_eq!(calling_code_index(entry.code), Some(index));
        }
    }

    #[test]
    fn region_plans_are_sorted_and_indexed() {
        assert!(
            REGION_PLANS
                .windows(2)
                .all(|pair| pair[0].region < pair[1].region)
        );
        for (index, plan) in REGION_PLANS.iter().enumerate() {
            assert_eq!(Meta::for_region(plan.region), Some(Meta::Region(index)));
            assert!(regions_of_code(plan.code).any(|meta| meta == Meta::Region(index)));
        }
        assert_eq!(Meta::for_region(Region::parse("AQ").unwrap()), None);
    }

    #[test]
    fn split_calling_code_finds_1_to_3_digit_codes() {
        assert_eq!(split_calling_code("16502530000"), Some((1, "6502530000")));
        assert_eq!(split_calling_code("32470123456"), Some((32, "470123456")));
        assert_eq!(split_calling_code("3544641234"), Some((354, "4641234")));
        assert_eq!(split_calling_code("0032"), None);
        assert_eq!(split_calling_code("999123"), None);
        assert_eq!(split_calling_code(""), None);
    }

    #[test]
    fn main_plans() {
        assert_eq!(Meta::main_for_code(1).map(id), Some("US"));
        assert_eq!(Meta::main_for_code(44).map(id), Some("GB"));
        assert_eq!(Meta::main_for_code(800).map(id), Some("001"));
        assert_eq!(Meta::main_for_code(800).map(Meta::code), Some(800));
        assert_eq!(Meta::main_for_code(999), None);
        assert_eq!(regions_of_code(7).map(id).collect::<Vec<_>>(), ["RU", "KZ"]);
    }

    #[test]
    fn length_checks_follow_libphonenumber() {
        let be = Meta::for_region(Region::parse("BE").unwrap()).unwrap();
        assert_eq!(be.test_length(9), LengthCheck::Possible);
        assert_eq!(be.test_length(8), LengthCheck::Possible);
        assert_eq!(be.test_length(7), LengthCheck::TooShort);
        assert_eq!(be.test_length(10), LengthCheck::TooLong);
        let us = Meta::main_for_code(1).unwrap();
        assert_eq!(us.test_length(7), LengthCheck::LocalOnly);
        assert_eq!(us.test_length(8), LengthCheck::TooShort);
        assert_eq!(us.test_length(11), LengthCheck::TooLong);
        let at = Meta::for_region(Region::parse("AT").unwrap()).unwrap();
        assert_eq!(at.test_length(3), LengthCheck::LocalOnly);
        let ro = Meta::for_region(Region::parse("RO").unwrap()).unwrap();
        assert_eq!(ro.test_length(7), LengthCheck::InvalidLength);
    }
}

//! Numbering-plan logic without the libphonenumber patterns (feature `phonenumber` off): the
//! embedded tables give calling codes, national and international prefixes (when they are
//! plain digit strings) and possible lengths, so numbers are checked for being *possible*
//! only; validity against number ranges needs the feature.

use std::borrow::Cow;

use crate::tables::{LengthCheck, Meta};

/// The region's national (trunk) prefix as a literal, `""` when none.
fn national_prefix(meta: Meta) -> &'static str {
    meta.region_plan().map_or("", |plan| plan.national_prefix)
}

/// The region's international prefix when it is a literal digit string, `""` otherwise.
fn international_prefix(meta: Meta) -> &'static str {
    meta.region_plan()
        .map_or("", |plan| plan.international_prefix)
}

/// The length of the default region's international prefix at the start of `digits`, when
/// the region's prefix is a plain digit string, not counting a match followed by `0`.
pub(crate) fn international_prefix_len(meta: Meta, digits: &str) -> Option<usize> {
    let prefix = international_prefix(meta);
    let rest = digits.strip_prefix(prefix).filter(|_| !prefix.is_empty())?;
    (!rest.starts_with('0')).then_some(prefix.len())
}

/// The number without the region's literal national prefix.
///
/// Without the patterns a number that starts with the prefix digit cannot be told from one
/// that starts with the prefix. A national number (`0470 12 34 56`), or one written
/// internationally with a `0` prefix (`+32 (0)470 ...`: no national significant number starts
/// with 0 where 0 is the trunk prefix), loses the prefix unless that makes a possible length
/// impossible. Other prefixes after a calling code (`8`, `1`) go only when the length is
/// impossible with them and possible without, so that numbers such as `+375 801 ...` keep their
/// leading 8.
pub(crate) fn strip_national_prefix(
    meta: Meta,
    number: &str,
    international: bool,
) -> Option<Cow<'_, str>> {
    let prefix = national_prefix(meta);
    let rest = number.strip_prefix(prefix).filter(|_| !prefix.is_empty())?;
    let keep = if international && prefix != "0" {
        matches_general(meta, number) || !matches_general(meta, rest)
    } else if international {
        // Once only, so that the E.164 form parses back to itself.
        rest.starts_with(prefix) || (matches_general(meta, number) && !matches_general(meta, rest))
    } else {
        matches_general(meta, number) && !matches_general(meta, rest)
    };
    (!keep).then_some(Cow::Borrowed(rest))
}

/// For a national number that starts with the region's calling code: whether it reads better
/// as that code and `rest`. Where the region has a national prefix people type it before a
/// national number, so a number without it that starts with the calling code was typed
/// internationally without `+` when the rest has a possible length; elsewhere only lengths
/// decide.
pub(crate) fn reads_better_without_code(meta: Meta, digits: &str, rest: &str) -> bool {
    let prefix = national_prefix(meta);
    matches_general(meta, rest)
        && (!matches_general(meta, digits) || (!prefix.is_empty() && !digits.starts_with(prefix)))
}

/// Stands in for the general pattern: the number has a possible length.
pub(crate) fn matches_general(meta: Meta, number: &str) -> bool {
    meta.test_length(number.len()) == LengthCheck::Possible
}

/// Without the patterns the region of a shared calling code is its main country.
pub(crate) fn plan_of_number(code: u16, _national: &str) -> Option<Meta> {
    Meta::main_for_code(code)
}

/// Without the patterns a possible number is taken as valid, but for one rule that holds in
/// the metadata of every country whose national prefix is `0` (Rwanda aside): no national
/// significant number starts with that `0`.
pub(crate) fn is_valid(code: u16, national: &str) -> bool {
    !(national.starts_with('0')
        && Meta::main_for_code(code).is_some_and(|meta| national_prefix(meta) == "0"))
}

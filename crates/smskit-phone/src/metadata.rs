//! Numbering-plan logic on the libphonenumber metadata of the `phonenumber` crate (feature
//! `phonenumber`).
//!
//! Only the metadata of the `phonenumber` crate is used (its lazily loaded `DATABASE`): the
//! parsing and validation steps follow python-phonenumbers, which the reference product calls,
//! because `phonenumber::parse` / `is_valid` diverge from it on real numbers (they strip a
//! literal national prefix after the metadata-driven step, so `+7 812 ...` loses its `8`; they
//! match number patterns as prefixes, not whole numbers; and they go through a shared
//! 100-entry regex cache behind a mutex). Each plan's patterns are compiled once, on first use,
//! anchored the way libphonenumber matches them.

use std::borrow::Cow;
use std::sync::OnceLock;

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use regex::{Captures, Regex, RegexBuilder};

use crate::data::{CALLING_CODES, REGION_PLANS};
use crate::tables::{LengthCheck, Meta, regions_of_code};

/// A plan's patterns, compiled.
#[derive(Debug)]
struct Plan {
    /// `internationalPrefix`, anchored at the start.
    international_prefix: Option<Regex>,
    /// `nationalPrefixForParsing` (or the national prefix), anchored at the start.
    national_prefix: Option<Regex>,
    /// `nationalPrefixTransformRule` (`$1` style).
    transform: Option<&'static str>,
    /// `leadingDigits` of a region sharing its calling code, anchored at the start.
    leading_digits: Option<Regex>,
    /// The general description's `nationalNumberPattern`, whole-number match.
    general: Regex,
    /// Every number type (fixed line, mobile, ...): whole-number pattern and possible lengths.
    types: Vec<(Regex, &'static [u16])>,
}

const REGION_COUNT: usize = REGION_PLANS.len();
const CODE_COUNT: usize = CALLING_CODES.len();

static REGION_CACHE: [OnceLock<Option<Plan>>; REGION_COUNT] =
    [const { OnceLock::new() }; REGION_COUNT];
static CODE_CACHE: [OnceLock<Option<Plan>>; CODE_COUNT] = [const { OnceLock::new() }; CODE_COUNT];

fn plan(meta: Meta) -> Option<&'static Plan> {
    let cell = match meta {
        Meta::Region(index) => REGION_CACHE.get(index)?,
        Meta::NonGeo(index) => CODE_CACHE.get(index)?,
    };
    cell.get_or_init(|| Plan::compile(metadata(meta)?)).as_ref()
}

/// The phonenumber crate's metadata behind `meta`.
fn metadata(meta: Meta) -> Option<&'static Metadata> {
    let database: &'static phonenumber::metadata::Database = &DATABASE;
    match meta.region() {
        Some(region) => database.by_id(region.as_str()),
        None => database.by_code(&meta.code())?.into_iter().next(),
    }
}

fn build(pattern: &str, whole: bool) -> Option<Regex> {
    let anchored = if whole {
        format!("^(?:{pattern})$")
    } else {
        format!("^(?:{pattern})")
    };
    // ASCII `\d` keeps the automata small; the input is ASCII digits anyway.
    RegexBuilder::new(&anchored)
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .or_else(|_| RegexBuilder::new(&anchored).ignore_whitespace(true).build())
        .ok()
}

impl Plan {
    fn compile(meta: &'static Metadata) -> Option<Plan> {
        let descriptors = meta.descriptors();
        // Only "some type matches" matters here, so the common types go first.
        let types: [Option<&'static Descriptor>; 10] = [
            descriptors.mobile(),
            descriptors.fixed_line(),
            descriptors.toll_free(),
            descriptors.premium_rate(),
            descriptors.shared_cost(),
            descriptors.voip(),
            descriptors.personal_number(),
            descriptors.pager(),
            descriptors.uan(),
            descriptors.voicemail(),
        ];
        let mut compiled = Vec::with_capacity(types.len());
        for desc in types.into_iter().flatten() {
            compiled.push((
                build(desc.national_number().as_str(), true)?,
                desc.possible_length(),
            ));
        }
        let national_prefix = match meta.national_prefix_for_parsing() {
            Some(pattern) => Some(build(pattern.as_str(), false)?),
            None => match meta.national_prefix() {
                Some(prefix) if !prefix.is_empty() => Some(build(&regex::escape(prefix), false)?),
                _ => None,
            },
        };
        Some(Plan {
            international_prefix: match meta.international_prefix() {
                Some(pattern) => Some(build(pattern.as_str(), false)?),
                None => None,
            },
            national_prefix,
            transform: meta
                .national_prefix_transform_rule()
                .filter(|rule| !rule.is_empty()),
            leading_digits: match meta.leading_digits() {
                Some(pattern) => Some(build(pattern.as_str(), false)?),
                None => None,
            },
            general: build(descriptors.general().national_number().as_str(), true)?,
            types: compiled,
        })
    }

    /// libphonenumber's `matchNationalNumber` on the general description (pattern only).
    fn matches_general(&self, number: &str) -> bool {
        self.general.is_match(number)
    }

    /// libphonenumber's `getNumberTypeHelper(...) != UNKNOWN`: the number matches the general
    /// description (length and pattern) and the description of some number type.
    fn has_type(&self, meta: Meta, number: &str) -> bool {
        let len = number.len();
        if meta.test_length(len) != LengthCheck::Possible || !self.matches_general(number) {
            return false;
        }
        self.types.iter().any(|(pattern, lengths)| {
            (lengths.is_empty() || lengths.iter().any(|&l| usize::from(l) == len))
                && pattern.is_match(number)
        })
    }
}

/// The length of the default region's international (IDD) prefix at the start of `digits`,
/// not counting a match followed by `0` (no calling code starts with 0).
pub(crate) fn international_prefix_len(meta: Meta, digits: &str) -> Option<usize> {
    let matched = plan(meta)?.international_prefix.as_ref()?.find(digits)?;
    let end = matched.end();
    (!digits.get(end..)?.starts_with('0')).then_some(end)
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`: the national number without its
/// national prefix (transformed where the plan says so), or `None` when nothing is stripped.
///
/// `_international` (the number came with a calling code) only matters without the patterns.
pub(crate) fn strip_national_prefix(
    meta: Meta,
    number: &str,
    _international: bool,
) -> Option<Cow<'_, str>> {
    let plan = plan(meta)?;
    let pattern = plan.national_prefix.as_ref()?;
    if number.is_empty() {
        return None;
    }
    let result = match plan.transform {
        // Capture groups only matter for a rewrite; a plain search is much cheaper.
        None => Cow::Borrowed(number.get(pattern.find(number)?.end()..)?),
        Some(rule) => {
            let captures = pattern.captures(number)?;
            let rest = number.get(captures.get(0)?.end()..)?;
            let groups = captures.len().saturating_sub(1);
            match (groups > 0).then(|| captures.get(groups)).flatten() {
                Some(_) => {
                    let mut transformed = expand(rule, &captures);
                    transformed.push_str(rest);
                    Cow::Owned(transformed)
                }
                None => Cow::Borrowed(rest),
            }
        }
    };
    if plan.matches_general(number) && !plan.matches_general(&result) {
        return None;
    }
    Some(result)
}

/// Expands `$1`-style group references of a transform rule.
fn expand(rule: &str, captures: &Captures<'_>) -> String {
    let mut out = String::with_capacity(rule.len() + 8);
    let mut chars = rule.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().and_then(|d| d.to_digit(10))) {
            ('$', Some(group)) => {
                chars.next();
                if let Some(text) = usize::try_from(group).ok().and_then(|g| captures.get(g)) {
                    out.push_str(text.as_str());
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// For a national number that starts with the region's calling code: whether it reads better
/// as that code and `rest` (it does not match the region's general pattern, `rest` does).
pub(crate) fn reads_better_without_code(meta: Meta, digits: &str, rest: &str) -> bool {
    !matches_general(meta, digits) && matches_general(meta, rest)
}

/// libphonenumber's `matchNationalNumber` against the general description.
pub(crate) fn matches_general(meta: Meta, number: &str) -> bool {
    plan(meta).is_some_and(|plan| plan.matches_general(number))
}

/// libphonenumber's `getRegionCodeForNumber`: the plan a number belongs to, `None` when no
/// region of a shared calling code claims it.
pub(crate) fn plan_of_number(code: u16, national: &str) -> Option<Meta> {
    claim(code, national).map(|(meta, _)| meta)
}

/// [`plan_of_number`], and whether the plan was chosen because the number has one of its number
/// types (then it is valid already; a plan chosen by its leading digits, or the only plan of
/// the code, is not checked yet).
fn claim(code: u16, national: &str) -> Option<(Meta, bool)> {
    let mut regions = regions_of_code(code);
    if regions.len() <= 1 {
        return Meta::main_for_code(code).map(|meta| (meta, false));
    }
    regions.find_map(|meta| {
        let plan = plan(meta)?;
        match &plan.leading_digits {
            Some(leading) => leading.is_match(national).then_some((meta, false)),
            None => plan.has_type(meta, national).then_some((meta, true)),
        }
    })
}

/// libphonenumber's `isValidNumber`.
pub(crate) fn is_valid(code: u16, national: &str) -> bool {
    match claim(code, national) {
        Some((_, true)) => true,
        Some((meta, false)) => plan(meta).is_some_and(|plan| plan.has_type(meta, national)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Region;

    fn region(code: &str) -> Meta {
        Meta::for_region(Region::parse(code).unwrap()).unwrap()
    }

    fn id(meta: Meta) -> &'static str {
        meta.region().map_or("001", Region::as_str)
    }

    #[test]
    fn every_plan_compiles() {
        for index in 0..REGION_COUNT {
            assert!(
                plan(Meta::Region(index)).is_some(),
                "{}",
                id(Meta::Region(index))
            );
        }
        for (index, entry) in CALLING_CODES.iter().enumerate() {
            if entry.regions.is_empty() {
                assert!(plan(Meta::NonGeo(index)).is_some(), "+{}", entry.code);
            }
        }
    }

    /// Every region and every non-geographic calling code.
    fn every_meta() -> impl Iterator<Item = Meta> {
        (0..REGION_COUNT).map(Meta::Region).chain(
            CALLING_CODES
                .iter()
                .enumerate()
                .filter(|(_, entry)| entry.regions.is_empty())
                .map(|(index, _)| Meta::NonGeo(index)),
        )
    }

    #[test]
    fn the_metadata_has_the_shape_the_plans_rely_on() {
        for meta in every_meta() {
            let plan = plan(meta).unwrap();
            // A transform rule rewrites a captured group (libphonenumber takes the last one;
            // with none it would rewrite the whole prefix): every rule comes with a group.
            if plan.transform.is_some() {
                let groups = plan.national_prefix.as_ref().map_or(0, Regex::captures_len);
                assert!(groups > 1, "{}: a transform rule without a group", id(meta));
            }
            // An empty national prefix would strip nothing: none is.
            assert_ne!(
                metadata(meta).unwrap().national_prefix(),
                Some(""),
                "{}",
                id(meta)
            );
        }
    }

    #[test]
    fn national_prefix_is_kept_when_stripping_breaks_the_number() {
        // St Petersburg 812: the 8 is part of the area code, not RU's national prefix.
        assert_eq!(
            strip_national_prefix(region("RU"), "8121234567", false),
            None
        );
        assert_eq!(
            strip_national_prefix(region("RU"), "88121234567", false).as_deref(),
            Some("8121234567")
        );
        assert_eq!(
            strip_national_prefix(region("BE"), "0470123456", false).as_deref(),
            Some("470123456")
        );
        // Argentina: 0 area 15 subscriber -> 9 area subscriber.
        assert_eq!(
            strip_national_prefix(region("AR"), "0111512345678", false).as_deref(),
            Some("91112345678")
        );
    }

    #[test]
    fn validity_and_region_of_shared_codes() {
        assert!(is_valid(32, "470123456"));
        assert!(!is_valid(32, "070123456"));
        assert!(is_valid(7, "8121234567"));
        assert!(is_valid(1, "6502530000"));
        assert_eq!(plan_of_number(1, "6135550100").map(id), Some("CA"));
        assert_eq!(plan_of_number(1, "2423570000").map(id), Some("BS"));
        assert_eq!(plan_of_number(44, "7400123456").map(id), Some("GB"));
        assert_eq!(plan_of_number(39, "0669812345").map(id), Some("VA"));
        assert_eq!(plan_of_number(800, "12345678").map(id), Some("001"));
    }

    #[test]
    fn international_prefixes() {
        assert_eq!(
            international_prefix_len(region("US"), "01132470123456"),
            Some(3)
        );
        assert_eq!(
            international_prefix_len(region("BE"), "0032470123456"),
            Some(2)
        );
        assert_eq!(international_prefix_len(region("BE"), "000"), None);
        assert_eq!(international_prefix_len(region("BE"), "0470123456"), None);
    }
}

//! Invariants of parsing, checked on generated input.

use proptest::prelude::*;
use smskit_phone::{E164, Error, MAX_DIGITS, Region, parse, sanitize};

fn any_region() -> impl Strategy<Value = Option<Region>> {
    let regions: Vec<Region> = Region::all().collect();
    prop_oneof![Just(None), proptest::sample::select(regions).prop_map(Some)]
}

/// Text that looks like a phone number: digits, separators, a leading `+` or `00`.
fn phone_like() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(""),
            Just("+"),
            Just("00"),
            Just("0"),
            Just("+0"),
            Just("tel:")
        ],
        "[0-9]{1,18}",
        proptest::collection::vec(
            (
                0usize..20,
                prop_oneof![
                    Just(' '),
                    Just('.'),
                    Just('-'),
                    Just('('),
                    Just(')'),
                    Just('/')
                ],
            ),
            0..5,
        ),
    )
        .prop_map(|(prefix, digits, separators)| {
            let mut text: String = digits;
            for (at, separator) in separators {
                let at = at.min(text.len());
                text.insert(at, separator);
            }
            format!("{prefix}{text}")
        })
}

fn check_number(number: &E164) {
    let text = number.as_str();
    assert!(text.starts_with('+'));
    assert!(text[1..].bytes().all(|b| b.is_ascii_digit()));
    assert!(text.len() <= MAX_DIGITS + 1);
    assert_eq!(number.to_string(), text);
    assert_eq!(number.digits(), &text[1..]);
    assert!(
        number
            .digits()
            .starts_with(&number.calling_code().to_string())
    );
    assert_eq!(
        format!("+{}{}", number.calling_code(), number.national_number()),
        text
    );
    assert_eq!(E164::parse(text).as_ref(), Ok(number));
    let _ = number.region();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Never a panic, whatever the input; any number returned is canonical E.164.
    #[test]
    fn parse_never_panics_on_arbitrary_text(raw in any::<String>(), region in any_region()) {
        if let Ok(number) = parse(&raw, region) {
            check_number(&number);
        }
    }

    #[test]
    fn parse_never_panics_on_phone_like_text(raw in phone_like(), region in any_region()) {
        match parse(&raw, region) {
            Ok(number) => check_number(&number),
            // Every error names the input.
            Err(Error::Missing) => prop_assert!(raw.trim().is_empty()),
            Err(error) => prop_assert!(error.to_string().contains(&format!("{raw:?}")), "{error}"),
        }
    }

    /// The E.164 form parses back to itself, whatever the default country.
    #[test]
    fn parse_is_idempotent(raw in phone_like(), region in any_region(), other in any_region()) {
        if let Ok(number) = parse(&raw, region) {
            prop_assert_eq!(parse(number.as_str(), None), Ok(number));
            prop_assert_eq!(parse(number.as_str(), other), Ok(number));
        }
    }

    /// Separators do not change the outcome.
    #[test]
    fn separators_are_ignored(
        digits in "[0-9]{2,15}",
        plus in any::<bool>(),
        cuts in proptest::collection::vec((0usize..16, prop_oneof![Just(" "), Just("."), Just("-"), Just(" ("), Just(") "), Just("/"), Just("\u{00A0}")]), 1..6),
        region in any_region(),
    ) {
        let plain = format!("{}{digits}", if plus { "+" } else { "" });
        let mut decorated = digits.clone();
        for (at, separator) in cuts {
            let at = at.min(decorated.len());
            if decorated.is_char_boundary(at) {
                decorated.insert_str(at, separator);
            }
        }
        let decorated = format!("{}{decorated}", if plus { "+" } else { "" });
        prop_assert_eq!(sanitize(&plain, region), sanitize(&decorated, region));
    }

    /// `+` and `00` are the same international prefix.
    #[test]
    fn plus_and_double_zero_agree(digits in "[1-9][0-9]{1,14}") {
        prop_assert_eq!(sanitize(&format!("+{digits}"), None), sanitize(&format!("00{digits}"), None));
    }

    /// `E164::parse` accepts exactly canonical text and never panics.
    #[test]
    fn e164_parse_is_canonical(raw in "\\+?[0-9]{0,20}|.{0,20}") {
        if let Ok(number) = E164::parse(&raw) {
            prop_assert_eq!(number.as_str(), raw.as_str());
            check_number(&number);
        }
    }

    /// Region codes parse case-insensitively to themselves.
    #[test]
    fn numbers_compare_and_hash_as_their_text(
        a in "\\+(1|32|33|44|353|7)[0-9]{4,12}",
        b in "\\+(1|32|33|44|353|7)[0-9]{4,12}",
    ) {
        use std::hash::BuildHasher;
        if let (Ok(x), Ok(y)) = (E164::parse(&a), E164::parse(&b)) {
            prop_assert_eq!(x.cmp(&y), x.as_str().cmp(y.as_str()));
            prop_assert_eq!(x == y, x.as_str() == y.as_str());
            // `Borrow<str>`: a number and its text hash alike.
            let state = std::collections::hash_map::RandomState::new();
            prop_assert_eq!(state.hash_one(x), state.hash_one(x.as_str()));
        }
    }

    #[test]
    fn regions_round_trip(region in proptest::sample::select(Region::all().collect::<Vec<_>>())) {
        prop_assert_eq!(Region::parse(&region.as_str().to_ascii_lowercase()), Ok(region));
        prop_assert_eq!(region.to_string().parse::<Region>(), Ok(region));
    }
}

#[cfg(feature = "serde")]
proptest! {
    #[test]
    fn serde_round_trips(raw in phone_like(), region in any_region()) {
        if let Ok(number) = parse(&raw, region) {
            let json = serde_json::to_string(&number).unwrap();
            prop_assert_eq!(serde_json::from_str::<E164>(&json).unwrap(), number);
            if let Some(country) = number.region() {
                let json = serde_json::to_string(&country).unwrap();
                prop_assert_eq!(serde_json::from_str::<Region>(&json).unwrap(), country);
            }
        }
    }
}

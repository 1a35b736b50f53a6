//! Parsing without the `phonenumber` feature: national prefixes are literal and lengths
//! stand in for the patterns. These pin the documented rules one case each (the conformance
//! test allows a few differences from the reference in this build, so it cannot).
#![cfg(not(feature = "phonenumber"))]

use smskit_phone::{Error, Region, parse};

fn region(code: &str) -> Option<Region> {
    Some(Region::parse(code).unwrap())
}

fn ok(raw: &str, default: Option<Region>) -> String {
    match parse(raw, default) {
        Ok(number) => number.to_string(),
        Err(error) => panic!("{raw:?}: {error}"),
    }
}

fn invalid_e164(raw: &str, default: Option<Region>) -> String {
    match parse(raw, default) {
        Err(Error::Invalid { e164, .. }) => e164,
        other => panic!("{raw:?}: expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_prefix_other_than_0_after_a_calling_code_goes_only_when_the_length_needs_it() {
    // Russia (prefix 8, ten digits): eleven digits are impossible, ten without the 8 are not.
    assert_eq!(ok("+7 8 912 345 67 89", None), "+79123456789");
    // Ten digits starting with 8 are a number of their own (St Petersburg's 812).
    assert_eq!(ok("+7 812 345 67 89", None), "+78123456789");
}

#[test]
fn a_0_prefix_after_a_calling_code_goes_once() {
    assert_eq!(ok("+32 (0)470 12 34 56", None), "+32470123456");
    // Two zeros: the first is the prefix and stays, so the number starts with 0 and no
    // national significant number of a country whose prefix is 0 does.
    assert_eq!(invalid_e164("+49 0 030 1234567", None), "+4900301234567");
}

#[test]
fn a_national_number_that_starts_with_the_calling_code() {
    // Belgium: eleven digits are impossible, the nine after 32 are possible.
    assert_eq!(ok("32470123456", region("BE")), "+32470123456");
    // Eight digits are possible as they are; the six after 32 are not.
    assert_eq!(ok("32 12 34 56", region("BE")), "+3232123456");
    // Italy has no national prefix: thirteen digits are impossible, the eleven after 39 are
    // possible.
    assert_eq!(ok("39 345 123 45 678", region("IT")), "+3934512345678");
    // Both readings possible and no prefix to tell them apart: national.
    assert_eq!(ok("39 06 1234 5678", region("IT")), "+39390612345678");
}

#[test]
fn a_shared_calling_code_belongs_to_its_main_country() {
    let number = parse("+1 242 357 0000", None).unwrap();
    assert_eq!(
        number.region().map(|r| r.as_str().to_owned()),
        Some("US".to_owned())
    );
}

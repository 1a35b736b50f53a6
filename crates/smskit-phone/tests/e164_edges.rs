//! `E164::parse` at its edges: the shortest number a calling code of one, two and three digits
//! allows, the offset of a stray character, and the conversions a caller uses.

use smskit_phone::{E164, Error, ImpossibleReason, UnparsableReason};

fn reason(text: &str) -> Option<ImpossibleReason> {
    match E164::parse(text) {
        Err(Error::Impossible { reason, .. }) => Some(reason),
        Ok(_) => None,
        Err(other) => panic!("{text:?}: {other}"),
    }
}

#[test]
fn a_national_number_has_at_least_two_digits_whatever_the_calling_code_length() {
    // +1 (one digit), +32 (two), +351 (three): code plus two digits is the shortest number.
    for (short, shortest) in [("+12", "+123"), ("+324", "+3247"), ("+3511", "+35112")] {
        assert_eq!(reason(short), Some(ImpossibleReason::TooShort), "{short}");
        assert_eq!(reason(shortest), None, "{shortest}");
    }
}

#[test]
fn a_stray_character_is_reported_at_its_offset_in_the_text() {
    for (text, character, offset) in [("+32x", 'x', 3), ("+3247012345a", 'a', 11), ("+-1", '-', 1)]
    {
        match E164::parse(text) {
            Err(Error::Unparsable {
                reason:
                    UnparsableReason::UnexpectedCharacter {
                        character: c,
                        offset: o,
                    },
                ..
            }) => assert_eq!((c, o), (character, offset), "{text:?}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn only_an_empty_text_is_missing() {
    assert!(E164::parse("").unwrap_err().is_missing());
    for text in ["+", "abc", "+32"] {
        assert!(!E164::parse(text).unwrap_err().is_missing(), "{text:?}");
    }
}

#[test]
fn the_conversions_give_the_e164_text() {
    let number = E164::parse("+32470123456").unwrap();
    let text: &str = number.as_ref();
    assert_eq!(text, "+32470123456");
    assert_eq!(String::from(number), "+32470123456");
}

#[cfg(feature = "serde")]
#[test]
fn deserializing_something_else_says_what_was_expected() {
    let error = serde_json::from_str::<E164>("32470123456").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("an E.164 phone number such as \"+32470123456\""),
        "{error}"
    );
    let number: E164 = serde_json::from_str("\"+32470123456\"").unwrap();
    assert_eq!(number.as_str(), "+32470123456");
}

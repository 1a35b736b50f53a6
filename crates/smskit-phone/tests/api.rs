//! The public API: parsing examples from around the world, the `E164` and `Region` types,
//! errors and serde.

use std::collections::{BTreeSet, HashSet};

use smskit_phone::{
    E164, Error, ImpossibleReason, MAX_INPUT_LEN, Region, UnparsableReason, parse, sanitize,
};

fn region(code: &str) -> Option<Region> {
    Some(Region::parse(code).unwrap())
}

fn ok(raw: &str, default: Option<Region>) -> String {
    match parse(raw, default) {
        Ok(number) => number.to_string(),
        Err(error) => panic!("{raw:?} with {default:?}: {error}"),
    }
}

#[test]
fn belgian_numbers_however_written() {
    for raw in [
        "0470 12 34 56",
        "0470/12.34.56",
        "0470-12-34-56",
        "(0470) 12 34 56",
        "470123456",
        "+32 470 12 34 56",
        "+32 (0)470 12 34 56",
        "0032 470 12 34 56",
        "32470123456",
        "tel:+32-470-12-34-56",
        "\u{00A0}+32\u{202F}470\u{2009}12 34 56\u{200E}",
        "＋３２ ４７０ １２ ３４ ５６",
        "+32 470 12 34 56 ",
    ] {
        assert_eq!(ok(raw, region("BE")), "+32470123456", "{raw:?}");
    }
}

#[cfg(feature = "phonenumber")]
#[test]
fn national_conventions_of_other_countries() {
    // Russia: trunk prefix 8, but St Petersburg's area code 812 also starts with 8.
    assert_eq!(ok("8 (812) 123-45-67", region("RU")), "+78121234567");
    assert_eq!(ok("+7 812 123 45 67", None), "+78121234567");
    // Argentina: mobile numbers are written 0 area 15 number nationally, +54 9 area number abroad.
    assert_eq!(ok("0343 15 555 1212", region("AR")), "+5493435551212");
    // US: 011 is the international prefix, 1 the trunk prefix.
    assert_eq!(ok("011 54 9 11 1234 5678", region("US")), "+5491112345678");
    assert_eq!(ok("1-650-253-0000", region("US")), "+16502530000");
    assert_eq!(ok("(650) 253-0000", region("US")), "+16502530000");
    // Italy keeps the leading 0 of fixed lines.
    assert_eq!(ok("06 6982 1234", region("IT")), "+390669821234");
    // Brazil: 0, a carrier code (15), then the area code.
    assert_eq!(ok("0 15 21 2345 6789", region("BR")), "+552123456789");
    // Australia: 0011 is the international prefix.
    assert_eq!(ok("0011 32 470 12 34 56", region("AU")), "+32470123456");
    // Japan: 010.
    assert_eq!(ok("010 81 90 1234 5678", region("JP")), "+819012345678");
}

#[test]
fn double_zero_is_international_even_without_a_country() {
    assert_eq!(ok("0033 6 12 34 56 78", None), "+33612345678");
    // Also where the country's own international prefix is different.
    assert_eq!(ok("0033 6 12 34 56 78", region("US")), "+33612345678");
    assert_eq!(ok("+0033 6 12 34 56 78", region("BE")), "+33612345678");
}

#[test]
fn too_long_national_number_is_retried_as_international() {
    // Typed without `+`: too long for France, so read as +32 (as the reference product does).
    assert_eq!(ok("32470123456", region("FR")), "+32470123456");
}

#[test]
fn errors_by_kind() {
    let be = region("BE");
    assert_eq!(parse("", be), Err(Error::Missing));
    assert_eq!(parse(" \t\n", be), Err(Error::Missing));
    assert_eq!(
        parse("0470 12 34 56 ext 7", be),
        Err(Error::Unparsable {
            input: "0470 12 34 56 ext 7".into(),
            reason: UnparsableReason::UnexpectedCharacter {
                character: 'e',
                offset: 14
            },
        })
    );
    assert!(matches!(
        parse("1-800-FLOWERS", region("US")),
        Err(Error::Unparsable {
            reason: UnparsableReason::UnexpectedCharacter { character: 'F', .. },
            ..
        })
    ));
    assert!(matches!(
        parse("--", be),
        Err(Error::Unparsable {
            reason: UnparsableReason::NoDigits,
            ..
        })
    ));
    assert!(matches!(
        parse("+999 123 456 789", None),
        Err(Error::Impossible {
            reason: ImpossibleReason::InvalidCountryCode,
            ..
        })
    ));
    assert!(matches!(
        parse("0470 12", be),
        Err(Error::Impossible {
            reason: ImpossibleReason::TooShort,
            ..
        })
    ));
    assert!(matches!(
        parse("+32 470 12 34 56 78 90", None),
        Err(Error::Impossible {
            reason: ImpossibleReason::TooLong,
            ..
        })
    ));
    assert!(matches!(
        parse("+40 1234567", None),
        Err(Error::Impossible {
            reason: ImpossibleReason::InvalidLength,
            ..
        })
    ));
    assert_eq!(
        parse("0470 12 34 56", None),
        Err(Error::MissingRegion {
            input: "0470 12 34 56".into()
        })
    );
    assert_eq!(
        parse("0470 12 34 56", region("AQ")),
        Err(Error::UnsupportedRegion {
            input: "0470 12 34 56".into(),
            region: Region::parse("AQ").unwrap()
        })
    );
    // A country without a numbering plan still takes international numbers.
    assert_eq!(ok("+32 470 12 34 56", region("AQ")), "+32470123456");
    let long = "1".repeat(MAX_INPUT_LEN + 1);
    assert!(matches!(
        parse(&long, be),
        Err(Error::Unparsable { reason: UnparsableReason::InputTooLong { len }, .. }) if len == MAX_INPUT_LEN + 1
    ));
    assert!(matches!(
        parse(&"1".repeat(100), be),
        Err(Error::Impossible {
            reason: ImpossibleReason::TooLong,
            ..
        })
    ));
}

#[cfg(feature = "phonenumber")]
#[test]
fn invalid_numbers_are_told_from_impossible_ones() {
    // A possible length for Belgium (8 or 9 digits), but mobile numbers (04..) have 9 digits
    // and no 8-digit range starts with 47.
    let error = parse("0470 12 34 5", region("BE")).unwrap_err();
    assert!(
        matches!(error, Error::Invalid { ref e164, .. } if e164 == "+3247012345"),
        "{error:?}"
    );
    assert!(matches!(
        parse("+32 400 00 00 00", None),
        Err(Error::Invalid { .. })
    ));
    assert_eq!(ok("+32 10 00 00 00", None), "+3210000000");
    assert!(matches!(
        parse("+1 555 555 5555", None),
        Err(Error::Invalid { .. })
    ));
}

#[test]
fn error_messages_name_the_input() {
    let be = region("BE");
    let message = |raw: &str| parse(raw, be).unwrap_err().to_string();
    assert_eq!(message(""), "missing phone number");
    assert_eq!(
        message("abc"),
        "cannot parse phone number \"abc\": unexpected character 'a' at byte 0"
    );
    assert_eq!(message("()"), "cannot parse phone number \"()\": no digits");
    assert_eq!(
        message("+999 1234"),
        "impossible phone number \"+999 1234\": not a valid country calling code"
    );
    assert_eq!(
        message("0470 12"),
        "impossible phone number \"0470 12\": not enough digits"
    );
    assert_eq!(
        parse("0470", None).unwrap_err().to_string(),
        "phone number \"0470\" has no country calling code and no default country was given"
    );
    assert_eq!(
        parse("0470", region("BV")).unwrap_err().to_string(),
        "phone number \"0470\" is national but country BV has no numbering plan"
    );
    assert_eq!(
        Region::parse("XX").unwrap_err().to_string(),
        "unknown ISO 3166-1 alpha-2 country code \"XX\""
    );
    // Long inputs are cut in messages.
    let long = format!("{}x", "1".repeat(200));
    let text = parse(&long, be).unwrap_err().to_string();
    assert!(text.len() < 200 && text.contains("…"), "{text}");
}

#[test]
fn e164_accessors() {
    let number = E164::parse("+32470123456").unwrap();
    assert_eq!(number.as_str(), "+32470123456");
    assert_eq!(number.digits(), "32470123456");
    assert_eq!(number.national_number(), "470123456");
    assert_eq!(number.calling_code(), 32);
    assert_eq!(number.region(), region("BE"));
    assert_eq!(format!("{number}"), "+32470123456");
    assert_eq!(format!("{number:?}"), "E164(+32470123456)");
    let three = E164::parse("+3544641234").unwrap();
    assert_eq!(
        (three.calling_code(), three.national_number()),
        (354, "4641234")
    );
    let non_geo = E164::parse("+80012345678").unwrap();
    assert_eq!((non_geo.calling_code(), non_geo.region()), (800, None));
    assert_eq!(String::from(number), "+32470123456");
    assert_eq!(E164::try_from("+32470123456"), Ok(number));
}

#[test]
fn e164_parse_is_strict() {
    for bad in [
        "32470123456",
        "+32 470123456",
        "+32-470123456",
        " +32470123456",
        "+",
        "+3",
        "+32",
        "++32470123456",
        "+0032470123456",
        "+999123456",
        "+1234567890123456",
        "+32470123456\n",
        "+３２470123456",
    ] {
        assert!(E164::parse(bad).is_err(), "{bad:?}");
    }
    assert_eq!(E164::parse(""), Err(Error::Missing));
    // Syntax and calling code only: a number outside the ranges still loads.
    assert!(E164::parse("+3212345678").is_ok());
    assert!(E164::parse("+123456789012345").is_ok());
}

#[cfg(feature = "phonenumber")]
#[test]
fn region_of_numbers_sharing_a_calling_code() {
    let region_of = |text: &str| E164::parse(text).unwrap().region().map(Region::as_str);
    assert_eq!(region_of("+16502530000"), Some("US"));
    assert_eq!(region_of("+16135550100"), Some("CA"));
    assert_eq!(region_of("+12423570000"), Some("BS"));
    assert_eq!(region_of("+447400123456"), Some("GB"));
    assert_eq!(region_of("+447781123456"), Some("GG"));
    assert_eq!(region_of("+77012345678"), Some("KZ"));
    assert_eq!(region_of("+79123456789"), Some("RU"));
    assert_eq!(region_of("+390669821234"), Some("VA"));
    assert_eq!(region_of("+393331234567"), Some("IT"));
    assert_eq!(region_of("+262692123456"), Some("RE"));
    assert_eq!(region_of("+262639012345"), Some("YT"));
    // Undecidable: the main country of the code.
    assert_eq!(region_of("+10000000000"), Some("US"));
}

#[test]
fn equality_order_hash_and_borrow_follow_the_string() {
    let a = E164::parse("+32470123456").unwrap();
    let b = E164::parse("+33612345678").unwrap();
    let c = E164::parse("+3247012345").unwrap();
    assert!(c < a && a < b);
    let sorted: BTreeSet<E164> = [b, a, c].into_iter().collect();
    assert_eq!(
        sorted.iter().map(E164::as_str).collect::<Vec<_>>(),
        ["+3247012345", "+32470123456", "+33612345678"]
    );
    let blacklist: HashSet<E164> = [a].into_iter().collect();
    assert!(blacklist.contains("+32470123456"));
    assert!(blacklist.contains(&sanitize("0470 12 34 56", region("BE")).unwrap()));
    assert!(!blacklist.contains("+33612345678"));
}

#[test]
fn regions() {
    assert_eq!(Region::all().len(), 252);
    assert_eq!("gb".parse::<Region>().unwrap().as_str(), "GB");
    for code in ["XK", "AC", "TA", "AQ", "SS", "BQ"] {
        assert!(Region::parse(code).is_ok(), "{code}");
    }
    for code in ["UK", "EU", "ZZ", "001", "", "B"] {
        assert!(
            matches!(Region::parse(code), Err(Error::UnknownRegion { .. })),
            "{code}"
        );
    }
    assert_eq!(format!("{:?}", Region::parse("BE").unwrap()), "Region(BE)");
}

#[test]
fn send_sync_and_small() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<E164>();
    assert_send_sync::<Region>();
    assert_send_sync::<Error>();
    assert!(size_of::<E164>() <= 24);
    assert_eq!(size_of::<Option<Region>>(), 2);
}

#[cfg(feature = "serde")]
#[test]
fn serde_as_strings() {
    let number = E164::parse("+32470123456").unwrap();
    assert_eq!(serde_json::to_string(&number).unwrap(), "\"+32470123456\"");
    assert_eq!(
        serde_json::from_str::<E164>("\"+32470123456\"").unwrap(),
        number
    );
    let error = serde_json::from_str::<E164>("\"0470 12 34 56\"")
        .unwrap_err()
        .to_string();
    assert!(error.contains("0470 12 34 56"), "{error}");
    assert!(serde_json::from_str::<E164>("32470123456").is_err());
    let be = Region::parse("BE").unwrap();
    assert_eq!(serde_json::to_string(&be).unwrap(), "\"BE\"");
    assert_eq!(serde_json::from_str::<Region>("\"be\"").unwrap(), be);
    assert!(serde_json::from_str::<Region>("\"ZZ\"").is_err());
    let list: Vec<E164> = serde_json::from_str(r#"["+32470123456","+33612345678"]"#).unwrap();
    assert_eq!(list.len(), 2);
}

#[cfg(feature = "phonenumber")]
#[test]
fn a_national_prefix_kept_in_the_number_is_refused_as_ambiguous() {
    // Belarus: `8 8 29 491 19 11` keeps the second 8 (a national prefix) in `+375 829...`, which
    // every international reading takes as `+375 29 491 19 11`: not a number to hand out.
    let by = Region::parse("BY").unwrap();
    match parse("8 8 29 491 19 11", Some(by)) {
        Err(Error::Invalid { e164, .. }) => assert_eq!(e164, "+3758294911911"),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(
        parse("+3758294911911", None).unwrap().as_str(),
        "+375294911911"
    );
    // Written once, the prefix goes.
    assert_eq!(
        parse("8 29 491 19 11", Some(by)).unwrap().as_str(),
        "+375294911911"
    );
}

#[test]
fn a_stray_character_after_a_tel_scheme_is_reported_at_its_offset_in_the_text() {
    for (text, offset) in [("tel:+32 47x", 10), ("  TEL:+32x", 9)] {
        match parse(text, None) {
            Err(Error::Unparsable {
                reason:
                    UnparsableReason::UnexpectedCharacter {
                        character,
                        offset: o,
                    },
                ..
            }) => assert_eq!((character, o), ('x', offset), "{text:?}"),
            other => panic!("{text:?}: {other:?}"),
        }
    }
}

#[test]
fn an_input_of_the_longest_length_is_read() {
    let number = "+32 470 12 34 56";
    let longest = format!("{number:<width$}", width = MAX_INPUT_LEN);
    assert_eq!(longest.len(), MAX_INPUT_LEN);
    assert_eq!(parse(&longest, None).unwrap().as_str(), "+32470123456");
    let longer = format!("{longest} ");
    assert!(matches!(
        parse(&longer, None),
        Err(Error::Unparsable {
            reason: UnparsableReason::InputTooLong { .. },
            ..
        })
    ));
}

#[test]
fn a_region_reads_as_its_code() {
    let belgium = Region::parse("be").unwrap();
    let code: &str = belgium.as_ref();
    assert_eq!(code, "BE");
}

#[test]
fn digits_of_other_scripts_read_as_digits_and_a_fullwidth_colon_does_not() {
    assert_eq!(ok("+٣٢ ٤٧٠ ١٢ ٣٤ ٥٦", None), "+32470123456");
    assert!(matches!(
        parse("+32：470123456", None),
        Err(Error::Unparsable {
            reason: UnparsableReason::UnexpectedCharacter {
                character: '：',
                offset: 3
            },
            ..
        })
    ));
}

#[cfg(feature = "phonenumber")]
#[test]
fn two_national_digits_are_not_too_short_where_local_numbers_are_that_short() {
    // Germany's plan has two-digit local numbers: `+49 12` has a possible length and is
    // invalid, as libphonenumber says; one digit is too short everywhere.
    assert!(matches!(parse("+49 12", None), Err(Error::Invalid { .. })));
    assert!(matches!(
        parse("+49 1", None),
        Err(Error::Impossible {
            reason: ImpossibleReason::TooShort,
            ..
        })
    ));
}

#[cfg(feature = "serde")]
#[test]
fn deserializing_a_region_from_something_else_says_what_was_expected() {
    let error = serde_json::from_str::<Region>("32").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("an ISO 3166-1 alpha-2 country code"),
        "{error}"
    );
    let region: Region = serde_json::from_str("\"BE\"").unwrap();
    assert_eq!(region.as_str(), "BE");
}

//! Checks for the `phone_parse` fuzz target: `smskit_phone::parse` on arbitrary text with an
//! arbitrary default country never panics, and every number it returns is canonical E.164
//! that parses back to itself.
//!
//! Layout of the input: the first byte picks the default country (`Region::all()` index, or
//! none past the end), the rest is the raw text (lossy UTF-8).

use smskit_phone::{E164, Region, parse};

/// Runs the checks on one input.
pub(crate) fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let region = Region::all().nth(usize::from(selector));
    let raw = String::from_utf8_lossy(rest);
    match parse(&raw, region) {
        Ok(number) => {
            let text = number.as_str();
            assert!(text.len() <= 16 && text.starts_with('+'), "{text}");
            assert!(text[1..].bytes().all(|b| b.is_ascii_digit()), "{text}");
            assert_eq!(E164::parse(text), Ok(number), "{raw:?}");
            assert_eq!(
                parse(text, None),
                Ok(number),
                "{raw:?} -> {text} is not a fixed point"
            );
            assert_eq!(
                format!("+{}{}", number.calling_code(), number.national_number()),
                text
            );
            let _ = number.region();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
    if let Ok(number) = E164::parse(&raw) {
        assert_eq!(number.as_str(), raw);
        let _ = number.region();
    }
}

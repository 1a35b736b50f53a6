//! Raw input to E.164: the front end (characters) and libphonenumber's parsing steps.

use std::borrow::Cow;

use crate::e164::E164;
use crate::error::{Error, ImpossibleReason, UnparsableReason, excerpt};
use crate::numbering;
use crate::region::Region;
use crate::tables::{self, LengthCheck, Meta};

/// Inputs longer than this many bytes are rejected before any work (libphonenumber's limit).
pub const MAX_INPUT_LEN: usize = 250;

/// The longest national significant number libphonenumber parses.
const MAX_NATIONAL_LEN: usize = 17;

/// The shortest national significant number libphonenumber parses.
const MIN_NATIONAL_LEN: usize = 2;

/// More digits than this cannot be a phone number even after an international prefix.
const MAX_SCANNED_DIGITS: usize = 32;

/// Parses a raw phone number as typed by a person or found in a contact list, and validates it.
///
/// - A number starting with `+` (or `00`, or the international prefix of `default_region`
///   such as `011` in the US) is international; any other number is national and is read in
///   `default_region` (its national prefix, such as the `0` of `0470 12 34 56` in Belgium, is
///   dropped).
/// - White space, `.`, `-` and the other dashes, `/`, `~` and brackets are ignored anywhere;
///   full-width and other Unicode decimal digits count as digits; a leading `tel:` is allowed.
///   Any other character (letters, extensions such as `ext. 12`, `*`, `#`) makes the input
///   [`Error::Unparsable`], with its byte offset.
/// - With the `phonenumber` feature (default) the number must be *possible* (a length used in
///   its country) and *valid* (in a number range of the numbering plan), as python-phonenumbers
///   decides; without it, possible only.
///
/// A national number too long for `default_region` is tried again as an international number
/// without its `+` (`32470123456` with `FR` gives `+32470123456`), as the reference product
/// does.
///
/// # Errors
/// [`Error::Missing`] for empty input, [`Error::Unparsable`],
/// [`Error::Impossible`] and [`Error::Invalid`] for bad numbers,
/// [`Error::MissingRegion`] / [`Error::UnsupportedRegion`] for a national number
/// that `default_region` cannot place.
///
/// ```
/// use smskit_phone::{parse, Error, Region};
///
/// let be: Region = "BE".parse()?;
/// assert_eq!(parse("0470 12 34 56", Some(be))?.as_str(), "+32470123456");
/// assert_eq!(parse("+32 (0)470/12.34.56", None)?.as_str(), "+32470123456");
/// assert_eq!(parse("0032 470 12 34 56", None)?.as_str(), "+32470123456");
/// assert!(matches!(parse("", Some(be)), Err(Error::Missing)));
/// assert!(matches!(parse("0470 12 34 56", None), Err(Error::MissingRegion { .. })));
/// assert!(matches!(parse("0470 12", Some(be)), Err(Error::Impossible { .. })));
/// # Ok::<(), Error>(())
/// ```
pub fn parse(raw: &str, default_region: Option<Region>) -> Result<E164, Error> {
    let scanned = scan(raw)?;
    resolve(scanned.plus, scanned.digits(), default_region)
        .and_then(|number| {
            // A number read in national form must read back as itself in international form:
            // a national prefix that survives into the number (`8 8108...` in Belarus gives
            // `+375 8108...`, which reads back as `+375 108...`) makes it ambiguous, and a
            // number we hand out is one every later reading agrees on.
            let digits = number.as_str().get(1..).unwrap_or_default();
            if digits == scanned.digits() {
                return Ok(number);
            }
            match resolve(true, digits, None) {
                Ok(again) if again == number => Ok(number),
                _ => Err(Failure::Invalid(number.as_str().to_owned())),
            }
        })
        .map_err(|failure| match failure {
            Failure::Impossible(reason) => Error::Impossible {
                input: excerpt(raw),
                reason,
            },
            Failure::TooLong => Error::Impossible {
                input: excerpt(raw),
                reason: ImpossibleReason::TooLong,
            },
            Failure::Invalid(e164) => Error::Invalid {
                input: excerpt(raw),
                e164,
            },
            Failure::MissingRegion => Error::MissingRegion {
                input: excerpt(raw),
            },
            Failure::UnsupportedRegion(region) => Error::UnsupportedRegion {
                input: excerpt(raw),
                region,
            },
        })
}

/// The sanitized form of a raw number, used to match a blacklist and to spot duplicates:
/// `Some(E164)` for a valid number, `None` when the number is missing or not valid. Use
/// [`parse`] to learn why.
///
/// ```
/// use smskit_phone::{sanitize, Region};
///
/// let be = Region::parse("BE").ok();
/// let blacklisted = sanitize("+32 470 12 34 56", None);
/// assert_eq!(sanitize("0470/12.34.56", be), blacklisted);
/// assert_eq!(sanitize("not a number", be), None);
/// ```
#[must_use]
pub fn sanitize(raw: &str, default_region: Option<Region>) -> Option<E164> {
    parse(raw, default_region).ok()
}

/// The result of the front end: a `+` or not, then ASCII digits.
struct Scanned {
    plus: bool,
    digits: [u8; MAX_SCANNED_DIGITS],
    len: usize,
}

impl Scanned {
    fn digits(&self) -> &str {
        // Only ASCII digits are stored.
        std::str::from_utf8(&self.digits[..self.len]).unwrap_or_default()
    }
}

fn scan(raw: &str) -> Result<Scanned, Error> {
    let unparsable = |reason| Error::Unparsable {
        input: excerpt(raw),
        reason,
    };
    if raw.len() > MAX_INPUT_LEN {
        return Err(unparsable(UnparsableReason::InputTooLong {
            len: raw.len(),
        }));
    }
    let body = raw.trim_start();
    let mut base = raw.len() - body.len();
    let mut body = body.trim_end();
    if body.is_empty() {
        return Err(Error::Missing);
    }
    if let Some((scheme, rest)) = body.split_at_checked(4)
        && scheme.eq_ignore_ascii_case("tel:")
    {
        body = rest;
        base += 4;
    }
    let mut scanned = Scanned {
        plus: false,
        digits: [0; MAX_SCANNED_DIGITS],
        len: 0,
    };
    let mut overflow = false;
    for (offset, character) in body.char_indices() {
        if let Some(digit) = decimal_digit(character) {
            match scanned.digits.get_mut(scanned.len) {
                Some(slot) => {
                    *slot = digit;
                    scanned.len += 1;
                }
                None => overflow = true,
            }
        } else if matches!(character, '+' | '\u{FF0B}') && scanned.len == 0 {
            scanned.plus = true;
        } else if !is_separator(character) {
            return Err(unparsable(UnparsableReason::UnexpectedCharacter {
                character,
                offset: base + offset,
            }));
        }
    }
    if scanned.len == 0 {
        return Err(unparsable(UnparsableReason::NoDigits));
    }
    if overflow {
        return Err(Error::Impossible {
            input: excerpt(raw),
            reason: ImpossibleReason::TooLong,
        });
    }
    Ok(scanned)
}

/// The ASCII digit of a Unicode decimal digit (`Nd`) of the common scripts.
fn decimal_digit(character: char) -> Option<u8> {
    if character.is_ascii_digit() {
        return Some(character as u8);
    }
    // The zero of each block of ten consecutive decimal digits.
    const ZEROS: [u32; 36] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10,
    ];
    let code = u32::from(character);
    if code < 0x0660 {
        return None;
    }
    ZEROS.iter().find_map(|&zero| {
        let value = code.checked_sub(zero).filter(|value| *value < 10)?;
        u8::try_from(value).ok().map(|value| b'0' + value)
    })
}

/// Characters people put between digits: white space, dots, dashes, slashes, tildes, brackets
/// (libphonenumber's `VALID_PUNCTUATION`), and invisible format characters that copy and
/// paste leaves behind.
fn is_separator(character: char) -> bool {
    character.is_whitespace()
        || matches!(
            character,
            '.' | '-' | '/' | '~' | '(' | ')' | '[' | ']'
                | '\u{00AD}' // soft hyphen
                | '\u{2010}'..='\u{2015}' // hyphens and dashes
                | '\u{2212}' // minus sign
                | '\u{2053}' | '\u{223C}' // swung dash, tilde operator
                | '\u{30FC}' // katakana prolonged sound mark
                | '\u{FF0D}' | '\u{FF0E}' | '\u{FF0F}' // full-width - . /
                | '\u{FF08}' | '\u{FF09}' | '\u{FF3B}' | '\u{FF3D}' | '\u{FF5E}' // full-width ( ) [ ] ~
                | '\u{200B}'..='\u{200F}' // zero-width space / joiners, direction marks
                | '\u{202A}'..='\u{202E}' // direction embeddings
                | '\u{2060}' | '\u{2066}'..='\u{2069}' // word joiner, direction isolates
                | '\u{FEFF}' // byte order mark
        )
}

/// Why the digits are not a valid number (the raw input is added by [`parse`]).
enum Failure {
    Impossible(ImpossibleReason),
    /// Too many digits to be read at all, or a valid number beyond the 15 digits of E.164: not
    /// retried as an international number (unlike a national number too long for its country).
    TooLong,
    Invalid(String),
    MissingRegion,
    UnsupportedRegion(Region),
}

impl From<ImpossibleReason> for Failure {
    fn from(reason: ImpossibleReason) -> Self {
        Failure::Impossible(reason)
    }
}

/// A calling code and the national number still to be cleaned, with the plan to clean it with.
struct Split<'a> {
    code: u16,
    national: Cow<'a, str>,
    plan: Option<Meta>,
    /// The number was read as a national number of the default region.
    from_default_region: bool,
}

fn resolve(plus: bool, digits: &str, region: Option<Region>) -> Result<E164, Failure> {
    let region_plan = region.and_then(Meta::for_region);
    let first = split(plus, digits, region, region_plan)?;
    let from_default_region = first.from_default_region;
    match finish(first) {
        // The reference product retries a too long national number as an international one
        // typed without its `+` (`32470123456` with the default country FR).
        Err(Failure::Impossible(ImpossibleReason::TooLong)) if from_default_region => {
            split(true, digits, region, region_plan)
                .and_then(finish)
                .map_err(|_| Failure::Impossible(ImpossibleReason::TooLong))
        }
        result => result,
    }
}

/// libphonenumber's `maybeExtractCountryCode`, with `00` always taken as an international
/// prefix.
fn split<'a>(
    plus: bool,
    digits: &'a str,
    region: Option<Region>,
    region_plan: Option<Meta>,
) -> Result<Split<'a>, Failure> {
    split_with(plus, true, digits, region, region_plan)
}

fn split_with<'a>(
    plus: bool,
    double_zero: bool,
    digits: &'a str,
    region: Option<Region>,
    region_plan: Option<Meta>,
) -> Result<Split<'a>, Failure> {
    if plus {
        return match international(digits) {
            // libphonenumber strips the `+` and tries again with the default region's
            // international prefix (`+00 32 ...`), but only a calling code found that way counts.
            Err(Failure::Impossible(ImpossibleReason::InvalidCountryCode)) => {
                match split_with(false, false, digits, region, region_plan) {
                    Ok(split) if !split.from_default_region => Ok(split),
                    Ok(_) | Err(Failure::MissingRegion | Failure::UnsupportedRegion(_)) => {
                        Err(ImpossibleReason::InvalidCountryCode.into())
                    }
                    Err(failure) => Err(failure),
                }
            }
            other => other,
        };
    }
    if let Some(rest) = region_plan
        .and_then(|plan| numbering::international_prefix_len(plan, digits))
        .and_then(|len| digits.get(len..))
    {
        return international(rest);
    }
    if let Some(rest) = digits
        .strip_prefix("00")
        .filter(|rest| double_zero && !rest.starts_with('0'))
    {
        return international(rest);
    }
    let Some(plan) = region_plan else {
        return Err(match region {
            Some(region) => Failure::UnsupportedRegion(region),
            None => Failure::MissingRegion,
        });
    };
    // A number that starts with the default region's calling code, typed without `+`.
    let code = plan.code();
    if let Some(potential) = strip_code(digits, code) {
        let potential = numbering::strip_national_prefix(plan, potential, true)
            .unwrap_or(Cow::Borrowed(potential));
        if numbering::reads_better_without_code(plan, digits, &potential)
            || plan.test_length(digits.len()) == LengthCheck::TooLong
        {
            return Ok(Split {
                code,
                national: potential,
                plan: Meta::main_for_code(code),
                from_default_region: false,
            });
        }
    }
    Ok(Split {
        code,
        national: Cow::Borrowed(digits),
        plan: Some(plan),
        from_default_region: true,
    })
}

/// The digits after `+` or an international prefix.
fn international(rest: &str) -> Result<Split<'_>, Failure> {
    if rest.len() <= MIN_NATIONAL_LEN {
        return Err(ImpossibleReason::TooShort.into());
    }
    let (code, national) =
        tables::split_calling_code(rest).ok_or(ImpossibleReason::InvalidCountryCode)?;
    Ok(Split {
        code,
        national: Cow::Borrowed(national),
        plan: Meta::main_for_code(code),
        from_default_region: false,
    })
}

/// `digits` without a leading `code`.
fn strip_code(digits: &str, code: u16) -> Option<&str> {
    let (found, rest) = tables::split_calling_code(digits)?;
    (found == code).then_some(rest)
}

/// `text` from byte `start` on.
fn suffix(text: Cow<'_, str>, start: usize) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.get(start..).unwrap_or_default()),
        Cow::Owned(text) => Cow::Owned(text.get(start..).unwrap_or_default().to_owned()),
    }
}

/// The national prefix, the length checks, possibility and validity.
fn finish(split: Split<'_>) -> Result<E164, Failure> {
    let Split {
        code,
        mut national,
        plan,
        from_default_region,
    } = split;
    if national.len() < MIN_NATIONAL_LEN {
        return Err(ImpossibleReason::TooShort.into());
    }
    let stripped = plan.and_then(|plan| {
        let stripped = numbering::strip_national_prefix(plan, &national, !from_default_region)?;
        let possible = !matches!(
            plan.test_length(stripped.len()),
            LengthCheck::TooShort | LengthCheck::LocalOnly | LengthCheck::InvalidLength
        );
        // A plain prefix leaves a suffix: keep borrowing instead of copying.
        possible.then(|| match stripped {
            Cow::Borrowed(rest) => Ok(national.len() - rest.len()),
            Cow::Owned(rewritten) => Err(rewritten),
        })
    });
    match stripped {
        Some(Ok(start)) => national = suffix(national, start),
        Some(Err(rewritten)) => national = Cow::Owned(rewritten),
        None => {}
    }
    if national.len() < MIN_NATIONAL_LEN {
        return Err(ImpossibleReason::TooShort.into());
    }
    if national.len() > MAX_NATIONAL_LEN {
        return Err(Failure::TooLong);
    }
    let main = Meta::main_for_code(code).ok_or(ImpossibleReason::InvalidCountryCode)?;
    match main.test_length(national.len()) {
        LengthCheck::Possible | LengthCheck::LocalOnly => {}
        LengthCheck::TooShort => return Err(ImpossibleReason::TooShort.into()),
        LengthCheck::TooLong => return Err(ImpossibleReason::TooLong.into()),
        LengthCheck::InvalidLength => return Err(ImpossibleReason::InvalidLength.into()),
    }
    if !numbering::is_valid(code, &national) {
        return Err(Failure::Invalid(format!("+{code}{national}")));
    }
    // libphonenumber accepts national numbers of up to 17 digits; E.164 stops at 15 in all.
    E164::from_parts(code, &national).map_err(|_| Failure::TooLong)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_digits_and_separators() {
        assert_eq!(decimal_digit('٣'), Some(b'3'));
        assert_eq!(decimal_digit('３'), Some(b'3'));
        assert_eq!(decimal_digit('a'), None);
        // The first zero of the table and the characters right after a block of ten.
        assert_eq!(decimal_digit('\u{0660}'), Some(b'0'));
        assert_eq!(decimal_digit('\u{0669}'), Some(b'9'));
        assert_eq!(decimal_digit('\u{066A}'), None);
        assert_eq!(decimal_digit('\u{FF1A}'), None);
        assert!(is_separator('\u{00A0}'));
        assert!(is_separator('–'));
        assert!(!is_separator('x'));
    }

    #[test]
    fn scan_reports_offsets() {
        let error = scan(" 0470 x").err().unwrap();
        assert_eq!(
            error,
            Error::Unparsable {
                input: " 0470 x".into(),
                reason: UnparsableReason::UnexpectedCharacter {
                    character: 'x',
                    offset: 6
                },
            }
        );
        assert!(matches!(scan(" \t "), Err(Error::Missing)));
        assert!(matches!(
            scan("()"),
            Err(Error::Unparsable {
                reason: UnparsableReason::NoDigits,
                ..
            })
        ));
        assert!(matches!(
            scan("32+470"),
            Err(Error::Unparsable {
                reason: UnparsableReason::UnexpectedCharacter {
                    character: '+',
                    offset: 2
                },
                ..
            })
        ));
        let scanned = scan("tel:+32-470").ok().unwrap();
        assert!(scanned.plus);
        assert_eq!(scanned.digits(), "32470");
    }
}

//! Python text forms: `repr()` of strings and floats, `str()` of values.
//!
//! Odoo builds `like` patterns with `str(value)` and matches records on `str(field value)`,
//! so the exact Python spelling of numbers matters (`1e+16`, `0.0001`, `1e-05`).

use std::fmt::{self, Write};

/// Appends Python's `repr()` of a float (shortest round-trip digits, Python's layout).
pub(crate) fn write_float(out: &mut impl Write, value: f64) -> fmt::Result {
    if value.is_nan() {
        return out.write_str("nan");
    }
    if value.is_infinite() {
        return out.write_str(if value > 0.0 { "inf" } else { "-inf" });
    }
    if value == 0.0 {
        return out.write_str(if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        });
    }
    // `{:e}` gives the shortest round-trip digits as `d.ddde<exp>`.
    let mut sci = SmallBuf::<40>::new();
    write!(sci, "{value:e}")?;
    let text = sci.as_str();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mut digits = SmallBuf::<24>::new();
    for c in mantissa.chars().filter(char::is_ascii_digit) {
        digits.write_char(c)?;
    }
    let digits = digits.as_str();
    if negative {
        out.write_char('-')?;
    }
    if (-4..16).contains(&exponent) {
        if exponent >= 0 {
            let int_len = usize::try_from(exponent).unwrap_or(0) + 1;
            if digits.len() <= int_len {
                out.write_str(digits)?;
                for _ in digits.len()..int_len {
                    out.write_char('0')?;
                }
                out.write_str(".0")
            } else {
                out.write_str(&digits[..int_len])?;
                out.write_char('.')?;
                out.write_str(&digits[int_len..])
            }
        } else {
            out.write_str("0.")?;
            for _ in 0..(-exponent - 1) {
                out.write_char('0')?;
            }
            out.write_str(digits)
        }
    } else {
        out.write_str(&digits[..1])?;
        if digits.len() > 1 {
            out.write_char('.')?;
            out.write_str(&digits[1..])?;
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        write!(out, "e{sign}{:02}", exponent.unsigned_abs())
    }
}

/// Appends Python's `repr()` of a string: single quotes unless the text contains a single
/// quote and no double quote; backslash escapes for quotes, backslashes and non-printable
/// characters.
pub(crate) fn write_str_repr(out: &mut impl Write, text: &str) -> fmt::Result {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.write_char(quote)?;
    for c in text.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c == quote => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            c if !is_printable(c) => {
                let code = u32::from(c);
                if code < 0x100 {
                    write!(out, "\\x{code:02x}")?;
                } else if code < 0x1_0000 {
                    write!(out, "\\u{code:04x}")?;
                } else {
                    write!(out, "\\U{code:08x}")?;
                }
            }
            c => out.write_char(c)?,
        }
    }
    out.write_char(quote)
}

/// An approximation of Python's `str.isprintable()` for single characters: control,
/// format, separator (except the space), surrogate, private-use and noncharacter code
/// points are escaped.
fn is_printable(c: char) -> bool {
    let code = u32::from(c);
    !(c.is_control()
        || code == 0xA0
        || code == 0xAD
        || code == 0x034F
        || code == 0x061C
        || code == 0x1680
        || code == 0x180E
        || (0x2000..=0x200F).contains(&code)
        || (0x2028..=0x202F).contains(&code)
        || (0x205F..=0x206F).contains(&code)
        || code == 0x3000
        || (0xE000..=0xF8FF).contains(&code)
        || (0xFDD0..=0xFDEF).contains(&code)
        || code == 0xFEFF
        || (0xFFF0..=0xFFFB).contains(&code)
        || (code & 0xFFFE) == 0xFFFE
        || (0xE0000..=0xE0FFF).contains(&code)
        || code >= 0xF_0000)
}

/// Python's `str()` of a boolean.
pub(crate) fn bool_str(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// A fixed-capacity text buffer on the stack, for formatting numbers and dates without
/// allocating. Writes past the capacity fail with `fmt::Error`.
#[derive(Clone, Copy)]
pub(crate) struct SmallBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> SmallBuf<N> {
    pub(crate) const fn new() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended, so the prefix is valid UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl<const N: usize> Write for SmallBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > N {
            return Err(fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(value: f64) -> String {
        let mut out = String::new();
        write_float(&mut out, value).unwrap();
        out
    }

    fn repr(text: &str) -> String {
        let mut out = String::new();
        write_str_repr(&mut out, text).unwrap();
        out
    }

    #[test]
    fn floats_print_like_python_repr() {
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-2000.0, "-2000.0"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789.125, "123456789.125"),
            (1e300, "1e+300"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (2.5e-7, "2.5e-07"),
            (0.3, "0.3"),
            (5e-324, "5e-324"),
        ];
        for (value, expected) in cases {
            assert_eq!(float(value), expected, "{value:e}");
        }
    }

    #[test]
    fn strings_print_like_python_repr() {
        assert_eq!(repr("abc"), "'abc'");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(repr("a\\b\n\t\r"), "'a\\\\b\\n\\t\\r'");
        assert_eq!(repr("\u{7}\u{a0}é\u{200b}😀"), "'\\x07\\xa0é\\u200b😀'");
    }

    #[test]
    fn small_buffer_rejects_overflow() {
        let mut buf = SmallBuf::<4>::new();
        assert!(buf.write_str("abcd").is_ok());
        assert!(buf.write_str("e").is_err());
        assert_eq!(buf.as_str(), "abcd");
    }
}

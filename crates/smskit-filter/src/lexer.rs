//! Tokens of the Python-literal and JSON syntax.

use std::borrow::Cow;

use crate::error::{At, Error, Span};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    LBrack,
    RBrack,
    LParen,
    RParen,
    Comma,
    Minus,
    Plus,
    Str(String),
    /// Magnitude of an integer literal (the sign is a separate token).
    Int(u64),
    Float(f64),
    True,
    False,
    None,
    Eof,
}

impl Tok {
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::LBrack => "'['".into(),
            Self::RBrack => "']'".into(),
            Self::LParen => "'('".into(),
            Self::RParen => "')'".into(),
            Self::Comma => "','".into(),
            Self::Minus => "'-'".into(),
            Self::Plus => "'+'".into(),
            Self::Str(_) => "a string".into(),
            Self::Int(_) | Self::Float(_) => "a number".into(),
            Self::True | Self::False => "a boolean".into(),
            Self::None => "None".into(),
            Self::Eof => "end of input".into(),
        }
    }
}

pub(crate) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    /// Decode `\/` as `/` (JSON) rather than keeping the backslash (Python).
    json_slash: bool,
    /// A construct only Python has was seen (single quotes, tuples, `True`, comments...).
    pub(crate) python_seen: bool,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str, json_slash: bool) -> Self {
        Self {
            src,
            pos: 0,
            json_slash,
            python_seen: false,
        }
    }

    fn at(&self, start: usize, end: usize) -> At {
        At::new(Some(self.src), Span::new(start, end))
    }

    fn peek_byte(&self, offset: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + offset).copied()
    }

    fn skip_trivia(&mut self) {
        let bytes = self.src.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0c => self.pos += 1,
                b'#' => {
                    self.python_seen = true;
                    while let Some(&c) = bytes.get(self.pos) {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    pub(crate) fn next_token(&mut self) -> Result<(Tok, Span), Error> {
        self.skip_trivia();
        let start = self.pos;
        let Some(b) = self.peek_byte(0) else {
            return Ok((Tok::Eof, Span::new(start, start)));
        };
        let single = |tok| Ok((tok, Span::new(start, start + 1)));
        match b {
            b'[' => {
                self.pos += 1;
                single(Tok::LBrack)
            }
            b']' => {
                self.pos += 1;
                single(Tok::RBrack)
            }
            b'(' => {
                self.pos += 1;
                self.python_seen = true;
                single(Tok::LParen)
            }
            b')' => {
                self.pos += 1;
                single(Tok::RParen)
            }
            b',' => {
                self.pos += 1;
                single(Tok::Comma)
            }
            b'-' => {
                self.pos += 1;
                single(Tok::Minus)
            }
            b'+' => {
                self.pos += 1;
                self.python_seen = true;
                single(Tok::Plus)
            }
            b'\'' | b'"' => self.string(start, start, false),
            b'0'..=b'9' | b'.' => self.number(start),
            b if is_ident_start(b) => self.name(start),
            _ => {
                let found = self.src[start..].chars().next().unwrap_or('\u{fffd}');
                Err(Error::Syntax {
                    expected: "a value, ',' or a bracket".into(),
                    found: format!("{found:?}"),
                    at: self.at(start, start + found.len_utf8()),
                })
            }
        }
    }

    fn name(&mut self, start: usize) -> Result<(Tok, Span), Error> {
        let bytes = self.src.as_bytes();
        let mut end = start;
        while bytes.get(end).is_some_and(|&b| is_ident_continue(b)) {
            end += 1;
        }
        let word = &self.src[start..end];
        // A string prefix: r'..', u"..", and the rejected b'..' / f'..'.
        if matches!(bytes.get(end), Some(b'\'' | b'"')) && word.len() <= 2 {
            let lower = word.to_ascii_lowercase();
            match lower.as_str() {
                "r" | "u" => {
                    self.python_seen = true;
                    self.pos = end;
                    return self.string(start, end, lower == "r");
                }
                "b" | "br" | "rb" | "f" | "fr" | "rf" => {
                    return Err(Error::Syntax {
                        expected: "a text string".into(),
                        found: format!(
                            "a {word}-prefixed string (bytes and f-strings are not literals of a domain)"
                        ),
                        at: self.at(start, end + 1),
                    });
                }
                _ => {}
            }
        }
        self.pos = end;
        let span = Span::new(start, end);
        let tok = match word {
            "True" => {
                self.python_seen = true;
                Tok::True
            }
            "False" => {
                self.python_seen = true;
                Tok::False
            }
            "None" => {
                self.python_seen = true;
                Tok::None
            }
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::None,
            "inf" | "Infinity" => Tok::Float(f64::INFINITY),
            "nan" | "NaN" => Tok::Float(f64::NAN),
            _ => {
                return Err(Error::Syntax {
                    expected: "a value (string, number, True, False, None, list or tuple)".into(),
                    found: format!("the name {word:?}"),
                    at: self.at(start, end),
                });
            }
        };
        Ok((tok, span))
    }

    fn number(&mut self, start: usize) -> Result<(Tok, Span), Error> {
        let bytes = self.src.as_bytes();
        let mut end = start;
        // Take the whole run of characters that can belong to a number, then validate.
        while let Some(&b) = bytes.get(end) {
            let sign_after_exponent = (b == b'+' || b == b'-')
                && end > start
                && matches!(bytes[end - 1], b'e' | b'E')
                && !is_radix_prefixed(&bytes[start..end]);
            if is_ident_continue(b) || b == b'.' || sign_after_exponent {
                end += 1;
            } else {
                break;
            }
        }
        self.pos = end;
        let text = &self.src[start..end];
        let span = Span::new(start, end);
        let src = self.src;
        let invalid = |reason: &str| Error::InvalidNumber {
            text: text.to_owned(),
            reason: reason.to_owned(),
            at: At::new(Some(src), Span::new(start, end)),
        };
        if text == "." {
            return Err(Error::Syntax {
                expected: "a value".into(),
                found: "'.'".into(),
                at: self.at(start, end),
            });
        }
        if text.ends_with(['j', 'J']) {
            return Err(invalid("complex numbers are not supported"));
        }
        let lower = text.to_ascii_lowercase();
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if let Some(digits) = lower.strip_prefix(prefix) {
                self.python_seen = true;
                let digits = strip_underscores(digits.strip_prefix('_').unwrap_or(digits))
                    .ok_or_else(|| invalid("misplaced underscore"))?;
                if digits.is_empty() {
                    return Err(invalid("missing digits"));
                }
                let value = u64::from_str_radix(&digits, radix).map_err(|e| {
                    if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) {
                        invalid("integer too large (the range is that of a 64-bit integer)")
                    } else {
                        invalid("invalid digit")
                    }
                })?;
                return Ok((Tok::Int(value), span));
            }
        }
        let is_float = lower.contains(['.', 'e']);
        let plain = strip_underscores(&lower).ok_or_else(|| invalid("misplaced underscore"))?;
        if plain.len() != lower.len() {
            self.python_seen = true;
        }
        if !plain
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
        {
            return Err(invalid("invalid digit"));
        }
        if is_float {
            if !valid_float_syntax(&plain) {
                return Err(invalid("invalid float literal"));
            }
            if plain.starts_with('.') || plain.contains(".e") || plain.ends_with('.') {
                self.python_seen = true;
            }
            let value: f64 = plain
                .parse()
                .map_err(|_| invalid("invalid float literal"))?;
            Ok((Tok::Float(value), span))
        } else {
            if plain.len() > 1 && plain.starts_with('0') && plain.bytes().any(|b| b != b'0') {
                return Err(invalid(
                    "leading zeros are not allowed in decimal integers (use 0o for octal)",
                ));
            }
            let value: u64 = plain.parse().map_err(|_| {
                invalid("integer too large (the range is that of a 64-bit integer)")
            })?;
            Ok((Tok::Int(value), span))
        }
    }

    /// Reads a string literal whose opening quote is at `self.pos`. `start` includes any
    /// prefix.
    fn string(&mut self, start: usize, quote_pos: usize, raw: bool) -> Result<(Tok, Span), Error> {
        let bytes = self.src.as_bytes();
        let quote = bytes[quote_pos];
        if quote == b'\'' {
            self.python_seen = true;
        }
        let triple =
            bytes.get(quote_pos + 1) == Some(&quote) && bytes.get(quote_pos + 2) == Some(&quote);
        if triple {
            self.python_seen = true;
        }
        let mut pos = quote_pos + if triple { 3 } else { 1 };
        if !triple {
            // Fast path: no escape before the closing quote.
            let body = &bytes[pos..];
            if let Some(end) = body
                .iter()
                .position(|&b| b == quote || b == b'\\' || b == b'\n' || b == b'\r')
                && body[end] == quote
            {
                let text = self.src[pos..pos + end].to_owned();
                self.pos = pos + end + 1;
                return Ok((Tok::Str(text), Span::new(start, self.pos)));
            }
        }
        let mut out = String::new();
        loop {
            let Some(c) = self.src[pos..].chars().next() else {
                return Err(Error::UnterminatedString {
                    at: self.at(start, self.src.len()),
                });
            };
            if c as u32 == u32::from(quote) {
                if !triple {
                    pos += 1;
                    break;
                }
                if bytes.get(pos + 1) == Some(&quote) && bytes.get(pos + 2) == Some(&quote) {
                    pos += 3;
                    break;
                }
                out.push(c);
                pos += 1;
                continue;
            }
            if (c == '\n' || c == '\r') && !triple {
                return Err(Error::UnterminatedString {
                    at: self.at(start, pos),
                });
            }
            if c != '\\' {
                out.push(c);
                pos += c.len_utf8();
                continue;
            }
            // A backslash escape.
            let escape_start = pos;
            let Some(next) = self.src[pos + 1..].chars().next() else {
                return Err(Error::UnterminatedString {
                    at: self.at(start, self.src.len()),
                });
            };
            if raw {
                // Raw strings keep the backslash; it only stops the next quote from
                // closing the string.
                out.push('\\');
                out.push(next);
                pos += 1 + next.len_utf8();
                continue;
            }
            pos += 1 + next.len_utf8();
            match next {
                '\n' => {}
                '\r' => {
                    if bytes.get(pos) == Some(&b'\n') {
                        pos += 1;
                    }
                }
                '\\' => out.push('\\'),
                '\'' => {
                    self.python_seen = true;
                    out.push('\'');
                }
                '"' => out.push('"'),
                'a' => {
                    self.python_seen = true;
                    out.push('\u{7}');
                }
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'v' => {
                    self.python_seen = true;
                    out.push('\u{b}');
                }
                '/' => {
                    if self.json_slash {
                        out.push('/');
                    } else {
                        out.push_str("\\/");
                    }
                }
                '0'..='7' => {
                    self.python_seen = true;
                    let mut value = next.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match bytes.get(pos) {
                            Some(&d @ b'0'..=b'7') => {
                                value = value * 8 + u32::from(d - b'0');
                                pos += 1;
                            }
                            _ => break,
                        }
                    }
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                }
                'x' => {
                    self.python_seen = true;
                    let value = self.hex_digits(pos, 2, escape_start)?;
                    pos += 2;
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                }
                'u' | 'U' => {
                    let width = if next == 'u' { 4 } else { 8 };
                    let value = self.hex_digits(pos, width, escape_start)?;
                    pos += width;
                    if (0xD800..0xDC00).contains(&value) {
                        // A high surrogate must be followed by an escaped low surrogate
                        // (JSON writes astral characters this way).
                        let low = if bytes.get(pos) == Some(&b'\\')
                            && bytes.get(pos + 1) == Some(&b'u')
                        {
                            self.hex_digits(pos + 2, 4, escape_start).ok()
                        } else {
                            None
                        };
                        match low {
                            Some(low @ 0xDC00..=0xDFFF) => {
                                pos += 6;
                                let code = 0x1_0000 + ((value - 0xD800) << 10) + (low - 0xDC00);
                                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            }
                            _ => {
                                return Err(Error::InvalidEscape {
                                    escape: self.src[escape_start..pos].to_owned(),
                                    reason: "a lone surrogate is not a character".into(),
                                    at: self.at(escape_start, pos),
                                });
                            }
                        }
                    } else {
                        match char::from_u32(value) {
                            Some(c) => out.push(c),
                            None => {
                                return Err(Error::InvalidEscape {
                                    escape: self.src[escape_start..pos].to_owned(),
                                    reason: "not a Unicode scalar value".into(),
                                    at: self.at(escape_start, pos),
                                });
                            }
                        }
                    }
                }
                'N' => {
                    return Err(Error::InvalidEscape {
                        escape: "\\N".into(),
                        reason: "named Unicode escapes are not supported; use \\u".into(),
                        at: self.at(escape_start, pos),
                    });
                }
                other => {
                    // Python keeps unknown escapes as written (backslash included), which
                    // matters for like patterns such as '50\%'.
                    self.python_seen = true;
                    out.push('\\');
                    out.push(other);
                }
            }
        }
        self.pos = pos;
        Ok((Tok::Str(out), Span::new(start, pos)))
    }

    fn hex_digits(&self, pos: usize, width: usize, escape_start: usize) -> Result<u32, Error> {
        let digits = self
            .src
            .get(pos..pos + width)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(value) => Ok(value),
            None => {
                let mut end = (pos + width).min(self.src.len());
                while !self.src.is_char_boundary(end) {
                    end -= 1;
                }
                Err(Error::InvalidEscape {
                    escape: self.src[escape_start..end].to_owned(),
                    reason: format!("expected {width} hexadecimal digits"),
                    at: self.at(escape_start, end),
                })
            }
        }
    }
}

fn is_radix_prefixed(bytes: &[u8]) -> bool {
    bytes.len() >= 2
        && bytes[0] == b'0'
        && matches!(bytes[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
}

/// Removes Python's digit-group underscores, which must each sit between two digits.
fn strip_underscores(text: &str) -> Option<Cow<'_, str>> {
    if !text.contains('_') {
        return Some(Cow::Borrowed(text));
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let after = bytes.get(i + 1);
            if !(before.is_some_and(u8::is_ascii_hexdigit)
                && after.is_some_and(u8::is_ascii_hexdigit))
            {
                return None;
            }
        } else {
            out.push(char::from(b));
        }
    }
    Some(Cow::Owned(out))
}

/// `digits '.' [digits] [exp] | '.' digits [exp] | digits exp`, exp = `e[+-]digits`.
fn valid_float_syntax(text: &str) -> bool {
    let (mantissa, exponent) = match text.find('e') {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    if let Some(exp) = exponent {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp.is_empty() || !exp.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match frac {
        Some(frac) => digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()),
        None => !int.is_empty() && digits(int) && exponent.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Result<Vec<Tok>, Error> {
        let mut lexer = Lexer::new(src, false);
        let mut out = Vec::new();
        loop {
            let (tok, _) = lexer.next_token()?;
            if tok == Tok::Eof {
                return Ok(out);
            }
            out.push(tok);
        }
    }

    #[test]
    fn python_escapes() {
        let toks = tokens(r#"'a\'b' "\x41\u00e9\U0001F600\101\n" '\d\%' r'\n\'' u'x'"#).unwrap();
        assert_eq!(
            toks,
            vec![
                Tok::Str("a'b".into()),
                Tok::Str("Aé😀A\n".into()),
                Tok::Str("\\d\\%".into()),
                Tok::Str("\\n\\'".into()),
                Tok::Str("x".into()),
            ]
        );
    }

    #[test]
    fn json_surrogate_pairs_and_slash() {
        let mut lexer = Lexer::new(r#""\ud83d\ude00\/""#, true);
        assert_eq!(lexer.next_token().unwrap().0, Tok::Str("😀/".into()));
        let mut lexer = Lexer::new(r#""\/""#, false);
        assert_eq!(lexer.next_token().unwrap().0, Tok::Str("\\/".into()));
        assert!(matches!(
            tokens(r#""\ud83d""#),
            Err(Error::InvalidEscape { .. })
        ));
    }

    #[test]
    fn numbers() {
        assert_eq!(
            tokens("1 0 1_000 0x1F 0o17 0b11 1.5 .5 5. 1e3 1E-2 00").unwrap(),
            vec![
                Tok::Int(1),
                Tok::Int(0),
                Tok::Int(1000),
                Tok::Int(31),
                Tok::Int(15),
                Tok::Int(3),
                Tok::Float(1.5),
                Tok::Float(0.5),
                Tok::Float(5.0),
                Tok::Float(1000.0),
                Tok::Float(0.01),
                Tok::Int(0),
            ]
        );
        for bad in [
            "01",
            "1__0",
            "1_",
            "1e",
            "1j",
            "99999999999999999999",
            "1.2.3",
            "0x",
        ] {
            assert!(
                matches!(tokens(bad), Err(Error::InvalidNumber { .. })),
                "{bad}: {:?}",
                tokens(bad)
            );
        }
    }

    #[test]
    fn unterminated_and_prefixed_strings() {
        assert!(matches!(
            tokens("'abc"),
            Err(Error::UnterminatedString { .. })
        ));
        assert!(matches!(
            tokens("'ab\ncd'"),
            Err(Error::UnterminatedString { .. })
        ));
        assert_eq!(
            tokens("'''a\n'b'''").unwrap(),
            vec![Tok::Str("a\n'b".into())]
        );
        assert!(matches!(tokens("b'x'"), Err(Error::Syntax { .. })));
        assert!(matches!(tokens("foo"), Err(Error::Syntax { .. })));
        assert!(matches!(tokens("'\\x4'"), Err(Error::InvalidEscape { .. })));
    }

    #[test]
    fn comments_and_names() {
        assert_eq!(
            tokens("# comment\nTrue false None null # end").unwrap(),
            vec![Tok::True, Tok::False, Tok::None, Tok::None]
        );
    }
}

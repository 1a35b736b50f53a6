//! `like` patterns, compiled once per plan.
//!
//! Odoo matches in memory with a regular expression built from the pattern: `%` is
//! `.*`, `_` is `.`, a backslash escapes the next character, the match spans newlines
//! (`DOTALL`), `like` searches a substring and `=like` the whole value (`^...$`, where
//! Python's `$` also matches before a final newline). `ilike` lower-cases both sides.
//!
//! A pattern is a sequence of fixed-width segments separated by `%`, so matching is a
//! leftmost search of each segment in turn, without backtracking and without allocating:
//! ASCII values are matched byte by byte (lower-casing on the fly), other values through
//! a reused per-thread buffer of lower-cased characters.

use std::cell::RefCell;
use std::fmt;

use crate::ast::Operator;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem<T> {
    Lit(T),
    Any,
}

/// A compiled `like` pattern.
#[derive(Clone, Debug)]
pub(crate) struct Like {
    exact: bool,
    fold: bool,
    segments: Vec<Vec<Elem<char>>>,
    /// The same segments as bytes, or `None` when a literal is not ASCII (no ASCII value
    /// can match then).
    ascii: Option<Vec<Vec<Elem<u8>>>>,
    pattern: String,
}

thread_local! {
    static SCRATCH: RefCell<Vec<char>> = const { RefCell::new(Vec::new()) };
}

impl Like {
    /// Compiles `pattern` (already Python's `str(value)`). `exact` for `=like`/`=ilike`,
    /// `fold` for the case-insensitive variants.
    pub(crate) fn new(pattern: &str, exact: bool, fold: bool) -> Self {
        let text = if fold {
            pattern.to_lowercase()
        } else {
            pattern.to_owned()
        };
        let mut segments = vec![Vec::new()];
        let mut escaped = false;
        for c in text.chars() {
            let elem = if escaped {
                escaped = false;
                Elem::Lit(c)
            } else if c == '\\' {
                escaped = true;
                continue;
            } else if c == '%' {
                segments.push(Vec::new());
                continue;
            } else if c == '_' {
                Elem::Any
            } else {
                Elem::Lit(c)
            };
            if let Some(last) = segments.last_mut() {
                last.push(elem);
            }
        }
        // A trailing lone backslash escapes nothing and is dropped, as in Odoo.
        if !exact {
            // `%` around a substring search adds nothing: empty segments match anywhere.
            segments.retain(|seg| !seg.is_empty());
        }
        let ascii = segments
            .iter()
            .map(|seg| {
                seg.iter()
                    .map(|e| match *e {
                        Elem::Any => Some(Elem::Any),
                        Elem::Lit(c) => u8::try_from(c).ok().filter(u8::is_ascii).map(Elem::Lit),
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<Vec<_>>>();
        Self {
            exact,
            fold,
            segments,
            ascii,
            pattern: pattern.to_owned(),
        }
    }

    /// Compiles `pattern` for a `like` operator (`like`, `ilike`, `=like`, `=ilike` or
    /// their negations, which match the same way and are negated by the caller).
    pub(crate) fn for_operator(pattern: &str, op: Operator) -> Self {
        let positive = op.positive();
        Self::new(
            pattern,
            matches!(positive, Operator::EqLike | Operator::EqILike),
            matches!(positive, Operator::ILike | Operator::EqILike),
        )
    }

    /// Whether the whole value must match (`=like`, `=ilike`) rather than a substring.
    pub(crate) fn is_exact(&self) -> bool {
        self.exact
    }

    /// Whether both sides are lower-cased (`ilike`, `=ilike`).
    pub(crate) fn folds(&self) -> bool {
        self.fold
    }

    /// The pattern in another matcher's syntax: `any_run` between segments (and around them
    /// for a substring search), `any_one` for `_`, and `literal` writing one literal
    /// character with whatever escaping the target syntax needs.
    pub(crate) fn translate(
        &self,
        any_run: &str,
        any_one: &str,
        mut literal: impl FnMut(&mut String, char),
    ) -> String {
        let mut out = String::new();
        if !self.exact {
            out.push_str(any_run);
        }
        for (index, segment) in self.segments.iter().enumerate() {
            if index > 0 {
                out.push_str(any_run);
            }
            for elem in segment {
                match *elem {
                    Elem::Any => out.push_str(any_one),
                    Elem::Lit(c) => literal(&mut out, c),
                }
            }
        }
        if !self.exact && !self.segments.is_empty() {
            out.push_str(any_run);
        }
        out
    }

    /// Whether `value` (Python's `str()` of the record value, `''` when empty) matches.
    pub(crate) fn matches(&self, value: &str) -> bool {
        if self.exact {
            self.matches_once(value)
                || value
                    .strip_suffix('\n')
                    .is_some_and(|head| self.matches_once(head))
        } else {
            self.matches_once(value)
        }
    }

    fn matches_once(&self, value: &str) -> bool {
        if value.is_ascii() {
            let Some(segments) = &self.ascii else {
                return false;
            };
            let hay = value.as_bytes();
            if self.fold {
                run(segments, hay, self.exact, |p, h| {
                    p == h.to_ascii_lowercase()
                })
            } else {
                run(segments, hay, self.exact, |p, h| p == *h)
            }
        } else {
            let with = |chars: &mut Vec<char>| {
                chars.clear();
                // At most one char per byte, so one reservation covers the common case.
                chars.reserve(value.len());
                if self.fold {
                    if value.contains('\u{3a3}') {
                        // Final sigma depends on context: let the standard library decide.
                        chars.extend(value.to_lowercase().chars());
                    } else {
                        for ch in value.chars() {
                            if ch.is_ascii() {
                                chars.push(ch.to_ascii_lowercase());
                            } else {
                                chars.extend(ch.to_lowercase());
                            }
                        }
                    }
                } else {
                    chars.extend(value.chars());
                }
                run(&self.segments, chars, self.exact, |p, h| p == *h)
            };
            SCRATCH
                .try_with(|cell| match cell.try_borrow_mut() {
                    Ok(mut chars) => with(&mut chars),
                    Err(_) => with(&mut Vec::new()),
                })
                .unwrap_or_else(|_| with(&mut Vec::new()))
        }
    }
}

impl fmt::Display for Like {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = crate::py::write_str_repr(&mut out, &self.pattern);
        f.write_str(&out)
    }
}

#[inline]
fn seg_at<T: Copy, H>(seg: &[Elem<T>], hay: &[H], pos: usize, eq: &impl Fn(T, &H) -> bool) -> bool {
    match hay.get(pos..pos + seg.len()) {
        Some(window) => seg.iter().zip(window).all(|(e, h)| match *e {
            Elem::Any => true,
            Elem::Lit(p) => eq(p, h),
        }),
        None => false,
    }
}

#[inline]
fn find<T: Copy, H>(
    seg: &[Elem<T>],
    hay: &[H],
    from: usize,
    eq: &impl Fn(T, &H) -> bool,
) -> Option<usize> {
    if seg.is_empty() {
        return (from <= hay.len()).then_some(from);
    }
    let last = hay.len().checked_sub(seg.len())?;
    match seg.first() {
        Some(&Elem::Lit(first)) => {
            let mut pos = from;
            while pos <= last {
                let offset = hay[pos..=last].iter().position(|h| eq(first, h))?;
                pos += offset;
                if seg_at(&seg[1..], hay, pos + 1, eq) {
                    return Some(pos);
                }
                pos += 1;
            }
            None
        }
        _ => (from..=last).find(|&pos| seg_at(seg, hay, pos, eq)),
    }
}

fn run<T: Copy, H>(
    segments: &[Vec<Elem<T>>],
    hay: &[H],
    exact: bool,
    eq: impl Fn(T, &H) -> bool,
) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return !exact || hay.is_empty();
    };
    if !exact && rest.is_empty() {
        return find(first, hay, 0, &eq).is_some();
    }
    if !exact {
        let mut cursor = 0;
        for seg in segments {
            match find(seg, hay, cursor, &eq) {
                Some(pos) => cursor = pos + seg.len(),
                None => return false,
            }
        }
        return true;
    }
    let Some((last, middle)) = rest.split_last() else {
        return hay.len() == first.len() && seg_at(first, hay, 0, &eq);
    };
    if !seg_at(first, hay, 0, &eq) {
        return false;
    }
    let mut cursor = first.len();
    for seg in middle {
        match find(seg, hay, cursor, &eq) {
            Some(pos) => cursor = pos + seg.len(),
            None => return false,
        }
    }
    match hay.len().checked_sub(last.len()) {
        Some(start) => start >= cursor && seg_at(last, hay, start, &eq),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn like(pattern: &str, value: &str) -> bool {
        Like::new(pattern, false, false).matches(value)
    }

    fn ilike(pattern: &str, value: &str) -> bool {
        Like::new(pattern, false, true).matches(value)
    }

    fn eq_like(pattern: &str, value: &str) -> bool {
        Like::new(pattern, true, false).matches(value)
    }

    fn eq_ilike(pattern: &str, value: &str) -> bool {
        Like::new(pattern, true, true).matches(value)
    }

    #[test]
    fn substring_search() {
        assert!(!like("jo", "John Doe"));
        assert!(ilike("jo", "John Doe"));
        assert!(ilike("%jo_n%", "Big JOHN"));
        assert!(ilike("jo_n", "xjoAny"));
        assert!(!ilike("jo_n", "jon"));
        assert!(like("", "anything"));
        assert!(like("a%c", "xxabbbcyy"));
        assert!(!like("a%c", "xxcbbbayy"));
        assert!(like("%", ""));
        assert!(like("a\nb", "xa\nby"));
        assert!(like("a_b", "a\nb"));
    }

    #[test]
    fn whole_value_match() {
        assert!(eq_like("abc", "abc"));
        assert!(!eq_like("abc", "abcd"));
        assert!(!eq_like("abc", "xabc"));
        assert!(eq_like("a%", "abc"));
        assert!(eq_like("%c", "abc"));
        assert!(eq_like("a%b%c", "aXbYc"));
        assert!(!eq_like("a%b%c", "aXcYb"));
        assert!(eq_like("a%bc%bc", "abcbc"));
        assert!(!eq_like("ab%ba", "aba"));
        assert!(eq_like("", ""));
        assert!(!eq_like("", "x"));
        assert!(eq_ilike("ABC", "abc"));
        // Python's `$` also matches before a final newline.
        assert!(eq_like("abc", "abc\n"));
        assert!(!eq_like("abc", "abc\n\n"));
    }

    #[test]
    fn escapes() {
        assert!(like("50\\%", "save 50% now"));
        assert!(!like("50\\%", "save 500 now"));
        assert!(like("a\\_b", "a_b"));
        assert!(!like("a\\_b", "axb"));
        assert!(like("a\\\\b", "a\\b"));
        assert!(eq_like("ab\\", "ab"));
    }

    /// A slow reference: the pattern as tokens, matched by dynamic programming.
    fn reference(pattern: &str, value: &str, exact: bool, fold: bool) -> bool {
        #[derive(Clone, Copy, PartialEq)]
        enum Tok {
            Star,
            Any,
            Lit(char),
        }
        let lower = |s: &str| if fold { s.to_lowercase() } else { s.to_owned() };
        let mut toks = Vec::new();
        if !exact {
            toks.push(Tok::Star);
        }
        let mut escaped = false;
        for c in lower(pattern).chars() {
            if escaped {
                toks.push(Tok::Lit(c));
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '%' {
                toks.push(Tok::Star);
            } else if c == '_' {
                toks.push(Tok::Any);
            } else {
                toks.push(Tok::Lit(c));
            }
        }
        if !exact {
            toks.push(Tok::Star);
        }
        let full = |hay: &[char]| {
            // dp[i][j]: toks[..i] matches hay[..j]
            let mut dp = vec![vec![false; hay.len() + 1]; toks.len() + 1];
            dp[0][0] = true;
            for i in 1..=toks.len() {
                for j in 0..=hay.len() {
                    dp[i][j] = match toks[i - 1] {
                        Tok::Star => dp[i - 1][j] || (j > 0 && dp[i][j - 1]),
                        Tok::Any => j > 0 && dp[i - 1][j - 1],
                        Tok::Lit(c) => j > 0 && dp[i - 1][j - 1] && hay[j - 1] == c,
                    };
                }
            }
            dp[toks.len()][hay.len()]
        };
        let hay: Vec<char> = lower(value).chars().collect();
        full(&hay) || (exact && hay.last() == Some(&'\n') && full(&hay[..hay.len() - 1]))
    }

    proptest::proptest! {
        #[test]
        fn segments_agree_with_the_reference(
            pattern in "[aAbé%_\\\\\n]{0,7}",
            value in "[aAbBéÉ%_\\\\\n]{0,9}",
            exact: bool,
            fold: bool,
        ) {
            let like = Like::new(&pattern, exact, fold);
            proptest::prop_assert_eq!(like.matches(&value), reference(&pattern, &value, exact, fold));
        }
    }

    #[test]
    fn unicode_values() {
        assert!(ilike("élo", "ÉLODIE"));
        assert!(ilike("_lo", "ÉLODIE"));
        assert!(eq_ilike("__", "Éé"));
        assert!(!eq_ilike("_", "Éé"));
        assert!(ilike("straße", "STRAßE"));
        assert!(!ilike("é", "plain ascii"));
        assert!(eq_ilike("οδυσσευς", "ΟΔΥΣΣΕΥΣ"));
        assert!(eq_ilike("_", "K")); // Kelvin sign lower-cases to 'k'
        assert!(ilike("k", "\u{212a}"));
    }
}

//! Finding http(s) URLs in a text: `linkify` finds the candidates (scheme, authority, the
//! parenthesis and trailing-punctuation rules), and the SMS rules are applied on top:
//!
//! - only `http` and `https` (any letter case) are URLs here; other schemes are plain text;
//! - a fragment directly after the host (`https://x.com#top`) belongs to the URL;
//! - a non-ASCII character that is neither a letter, a digit nor a combining mark (an emoji, a
//!   skin-tone modifier, a no-break space, `…`, `»`, CJK punctuation such as `。`) ends the URL,
//!   since in a message it is prose, not part of the address; letters of any script are kept, so
//!   IDN hosts and internationalised paths work;
//! - after such a cut the trailing-punctuation and parenthesis rules are applied again.

use std::ops::Range;

use linkify::{LinkFinder, LinkKind};

/// An http(s) URL found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FoundUrl<'t> {
    text: &'t str,
    range: Range<usize>,
}

impl<'t> FoundUrl<'t> {
    /// The URL exactly as written in the text.
    pub fn as_str(&self) -> &'t str {
        &self.text[self.range.clone()]
    }

    /// Byte range of the URL in the text.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// Byte offset of the first character.
    pub fn start(&self) -> usize {
        self.range.start
    }

    /// Byte offset just past the last character.
    pub fn end(&self) -> usize {
        self.range.end
    }
}

/// Iterator over the http(s) URLs of a text, in order; see [`find_urls`].
#[derive(Debug)]
pub struct FindUrls<'t> {
    text: &'t str,
    position: usize,
    finder: LinkFinder,
}

/// Finds the http(s) URLs of `text`, left to right, without overlap.
///
/// A sentence-ending `.` `,` `:` `;` `!` `?`, an unbalanced closing bracket, a closing quote and
/// an emoji right after a URL are not part of it; balanced parentheses inside it are.
///
/// ```
/// use smskit_links::find_urls;
/// let text = "Sale (see https://shop.example/a_(b)). Or https://shop.example/x?y=1#top, 🎉";
/// let urls: Vec<&str> = find_urls(text).map(|u| u.as_str()).collect();
/// assert_eq!(urls, ["https://shop.example/a_(b)", "https://shop.example/x?y=1#top"]);
/// ```
pub fn find_urls(text: &str) -> FindUrls<'_> {
    let mut finder = LinkFinder::new();
    finder.kinds(&[LinkKind::Url]);
    finder.url_must_have_scheme(true);
    FindUrls {
        text,
        position: 0,
        finder,
    }
}

impl<'t> Iterator for FindUrls<'t> {
    type Item = FoundUrl<'t>;

    fn next(&mut self) -> Option<FoundUrl<'t>> {
        while self.position < self.text.len() {
            let rest = self.text.get(self.position..)?;
            // No URL spans a prose character, so linkify only sees the text before the next
            // one: given the whole text it refuses a host followed by `.🎉` or `,🎉` outright.
            let window = rest.find(is_prose).map_or(rest, |end| &rest[..end]);
            let Some(link) = self.finder.links(window).next() else {
                // Nothing here: go on after the prose character (past the end when none).
                let prose = rest[window.len()..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
                self.position += window.len() + prose;
                continue;
            };
            let start = self.position + link.start();
            let candidate_end = self.position + link.end();
            match refine(self.text, start, candidate_end) {
                Refined::Url(end) => {
                    self.position = end;
                    return Some(FoundUrl {
                        text: self.text,
                        range: start..end,
                    });
                }
                Refined::Skip(resume) => {
                    // Always make progress, on a character boundary.
                    let mut next = resume.max(start + 1);
                    while !self.text.is_char_boundary(next) {
                        next += 1;
                    }
                    self.position = next;
                }
            }
        }
        None
    }
}

enum Refined {
    /// A URL from the candidate's start to this end.
    Url(usize),
    /// Not an http(s) URL; resume the search here.
    Skip(usize),
}

/// Applies the SMS rules to linkify's candidate `text[start..candidate_end]`.
fn refine(text: &str, start: usize, candidate_end: usize) -> Refined {
    let candidate = &text[start..candidate_end];
    let Some(scheme_len) = http_scheme_len(candidate) else {
        return Refined::Skip(candidate_end);
    };
    let authority_start = start + scheme_len + "://".len();
    // The authority ends at the first '/', '?' or '#', or where linkify stopped.
    let authority_end = text[authority_start..candidate_end]
        .find(['/', '?', '#'])
        .map_or(candidate_end, |i| authority_start + i);

    // A host starts with a letter or a digit (linkify lets `https://)` through).
    if !text[authority_start..authority_end]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || (!c.is_ascii() && is_url_letter(c)))
    {
        return Refined::Skip(authority_start);
    }
    if let Some(cut) = first_non_authority_char(&text[authority_start..authority_end]) {
        return cut_in_host(text, authority_start, cut);
    }

    let rest = &text[authority_end..];
    let extends_with_fragment = authority_end == candidate_end && rest.starts_with('#');
    if authority_end == candidate_end && !extends_with_fragment {
        return Refined::Url(candidate_end);
    }
    let quote = quote_before(text, start);
    let limit = if extends_with_fragment {
        text.len()
    } else {
        candidate_end
    };
    let end = authority_end + url_tail_end(&text[authority_end..limit], quote);
    Refined::Url(end)
}

/// A URL whose host linkify let run into a character no host holds (a bracket, a quote, an
/// emoji `cut` bytes into the host): it ends before it and before the sentence punctuation
/// ahead of it.
///
/// linkify 0.11 stops at such characters itself, and prose characters never reach it (see
/// [`FindUrls`]'s window), so this guards against a linkify whose hosts take more.
fn cut_in_host(text: &str, authority_start: usize, cut: usize) -> Refined {
    let cut = authority_start + cut;
    let end = trim_trailing_delimiters(text, authority_start, cut);
    if end > authority_start {
        Refined::Url(end)
    } else {
        Refined::Skip(cut)
    }
}

/// Length of `http` / `https` (any case) when `candidate` starts with it followed by `://`.
fn http_scheme_len(candidate: &str) -> Option<usize> {
    let colon = candidate.find("://")?;
    let scheme = &candidate[..colon];
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(colon)
}

/// Byte offset of the first character of the authority `s` (userinfo, host, port) that cannot
/// be part of it: brackets and quotes (linkify lets `https://x.y)/z` through) and prose
/// characters such as emoji.
fn first_non_authority_char(s: &str) -> Option<usize> {
    s.char_indices()
        .find(|&(_, c)| {
            if c.is_ascii() {
                !(c.is_ascii_alphanumeric() || "-._~%!$&+,;=*:@".contains(c))
            } else {
                is_prose(c)
            }
        })
        .map(|(i, _)| i)
}

/// A character that ends a URL in a message: non-ASCII and not [`is_url_letter`].
fn is_prose(c: char) -> bool {
    !c.is_ascii() && !is_url_letter(c)
}

/// Non-ASCII characters that may be part of a URL written in a message: letters and digits of
/// any script, and combining marks (accents, Indic vowel signs and viramas).
fn is_url_letter(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'   // combining diacritical marks
            | '\u{0483}'..='\u{0489}' // Cyrillic combining marks
            | '\u{0591}'..='\u{05C7}' // Hebrew points
            | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' // Arabic marks
            | '\u{0900}'..='\u{0DFF}' // Indic scripts (signs, viramas)
            | '\u{0E31}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}' // Thai marks
            | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{FE20}'..='\u{FE2F}'
            | '\u{3099}' | '\u{309A}' // kana voicing marks
        ) && !matches!(c, '\u{0964}' | '\u{0965}') // danda, double danda: sentence punctuation
}

/// Drops delimiters that end a sentence rather than a URL from the end of `text[from..end]`.
fn trim_trailing_delimiters(text: &str, from: usize, mut end: usize) -> usize {
    while end > from {
        match text[from..end].chars().next_back() {
            Some(c @ ('.' | ',' | ':' | ';' | '!' | '?' | '*' | '\'' | '-')) => {
                end -= c.len_utf8();
            }
            _ => break,
        }
    }
    end
}

/// End (relative to `s`) of the path, query and fragment that start `s` (which begins with `/`,
/// `?` or `#`). linkify's rules — delimiters cannot end a URL, brackets must balance, a quote
/// that opened before the URL closes it — plus the end at the first prose character.
fn url_tail_end(s: &str, quote: Option<char>) -> usize {
    scan_tail(s, quote, false)
}

/// Whether a short link (whose path ends in a letter or digit) written just before `following`
/// would run into it: whether a URL scanner continuing from the link would take in some of
/// `following`. Happens after a URL that ended inside its host, e.g. `https://x.com!a`.
pub(crate) fn runs_into(following: &str, quote: Option<char>) -> bool {
    scan_tail(following, quote, true) > 0
}

/// The quote character right before a URL starting at `start`, which closes it (linkify's rule).
pub(crate) fn quote_before(text: &str, start: usize) -> Option<char> {
    text.get(..start)?
        .chars()
        .next_back()
        .filter(|c| matches!(c, '\'' | '"'))
}

fn scan_tail(s: &str, quote: Option<char>, stop_at_first: bool) -> usize {
    let mut round = 0i32;
    let mut square = 0i32;
    let mut curly = 0i32;
    let mut single_quote = false;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let can_be_last = match c {
            '\u{00}'..='\u{1F}' | ' ' | '|' | '"' | '<' | '>' | '`' | '\u{7F}'..='\u{9F}' => break,
            '?' | '!' | '.' | ',' | ':' | ';' | '*' => false,
            '(' => {
                round += 1;
                false
            }
            ')' => {
                round -= 1;
                if round < 0 {
                    break;
                }
                true
            }
            '[' => {
                square += 1;
                false
            }
            ']' => {
                square -= 1;
                if square < 0 {
                    break;
                }
                true
            }
            '{' => {
                curly += 1;
                false
            }
            '}' => {
                curly -= 1;
                if curly < 0 {
                    break;
                }
                true
            }
            _ if Some(c) == quote => break,
            '\'' => {
                single_quote = !single_quote;
                !single_quote
            }
            c if is_prose(c) => break,
            _ => true,
        };
        if can_be_last {
            end = i + c.len_utf8();
            if stop_at_first {
                break;
            }
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<&str> {
        find_urls(text).map(|u| u.as_str()).collect()
    }

    #[test]
    fn punctuation_and_parentheses() {
        assert_eq!(urls("See https://x.com/a."), ["https://x.com/a"]);
        assert_eq!(urls("See https://x.com/a, then"), ["https://x.com/a"]);
        assert_eq!(urls("(https://x.com)"), ["https://x.com"]);
        assert_eq!(urls("(https://x.com/a)"), ["https://x.com/a"]);
        assert_eq!(urls("(see https://x.com/a_(b))"), ["https://x.com/a_(b)"]);
        assert_eq!(urls("https://x.com/a?b=1!"), ["https://x.com/a?b=1"]);
        assert_eq!(urls("\"https://x.com/a\" ok"), ["https://x.com/a"]);
        assert_eq!(urls("'https://x.com/a' ok"), ["https://x.com/a"]);
        assert_eq!(urls("https://x.com/it's ok"), ["https://x.com/it's"]);
        assert_eq!(urls("[https://x.com/a]"), ["https://x.com/a"]);
    }

    #[test]
    fn schemes() {
        assert_eq!(
            urls("HTTPS://X.COM/A HtTp://y.org"),
            ["HTTPS://X.COM/A", "HtTp://y.org"]
        );
        assert!(urls("ftp://x.com/a mailto:a@b.c xhttps://x.com").is_empty());
        assert_eq!(urls("go:https://x.com/a"), ["https://x.com/a"]);
    }

    #[test]
    fn fragment_after_host() {
        assert_eq!(urls("https://x.com#top ok"), ["https://x.com#top"]);
        assert_eq!(urls("https://x.com#top."), ["https://x.com#top"]);
        assert_eq!(
            urls("https://x.com#a,https://y.com"),
            ["https://x.com#a,https://y.com"]
        );
    }

    #[test]
    fn prose_characters_end_the_url() {
        assert_eq!(urls("https://x.com/a😀 b"), ["https://x.com/a"]);
        assert_eq!(urls("https://x.com/a.🎉"), ["https://x.com/a"]);
        assert_eq!(urls("https://x.com😀 b"), ["https://x.com"]);
        assert_eq!(urls("请访问https://x.cn/a。谢谢"), ["https://x.cn/a"]);
        assert_eq!(urls("https://x.com/a\u{a0}b"), ["https://x.com/a"]);
        assert_eq!(urls("«https://x.com/a»"), ["https://x.com/a"]);
        assert_eq!(
            urls("https://x.com/a😀https://y.com/b"),
            ["https://x.com/a", "https://y.com/b"]
        );
    }

    #[test]
    fn letters_of_any_script_stay() {
        assert_eq!(
            urls("https://bücher.de/angebot."),
            ["https://bücher.de/angebot"]
        );
        assert_eq!(
            urls("https://x.com/straße?q=é"),
            ["https://x.com/straße?q=é"]
        );
        assert_eq!(urls("https://пример.com/путь"), ["https://пример.com/путь"]);
        // linkify wants an ASCII top-level domain: IDN TLDs are not found (left as written).
        assert!(urls("https://пример.рф/путь").is_empty());
    }

    #[test]
    fn ranges_are_byte_offsets() {
        let text = "é https://x.com/a";
        let found: Vec<_> = find_urls(text).collect();
        assert_eq!(found[0].range(), 3..text.len());
        assert_eq!(found[0].start(), 3);
        assert_eq!(found[0].end(), text.len());
    }

    #[test]
    fn degenerate_inputs() {
        for text in [
            "",
            ":",
            "://",
            "https://",
            "https://😀",
            "http://#",
            "h://x",
            "https:///a",
        ] {
            for url in find_urls(text) {
                assert!(url.as_str().len() > "https://".len() - 1, "{text:?}");
            }
        }
    }
}

//! Everything the command prints goes through here.
//!
//! Writes to stdout return their error, so a command stops as soon as its reader is gone
//! (`smskit ... | head`); [`Failure`](crate::failure::Failure) turns a broken pipe into the
//! conventional exit code 141 without a message. Messages on stderr are best effort: when stderr
//! itself is closed there is nowhere left to report to, and the exit code still tells.
//!
//! Text that came from outside (a provider's error message, a file name, a URL, a dataset value)
//! goes through [`printable`] before a human reads it, so it cannot move the cursor, clear the
//! screen, forge a line or reverse the text around it. JSON output needs no such care for C0
//! controls: serde_json escapes them.

use std::borrow::Cow;
use std::fmt::{Display, Write as _};
use std::io::{self, BufWriter, StdoutLock, Write};
use std::path::Path;

/// Buffered standard output. Flush it before returning success: a write error found only when
/// the buffer is dropped would be lost.
pub(crate) fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

/// Prints one line on standard output.
pub(crate) fn line(text: impl Display) -> io::Result<()> {
    let mut out = stdout();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Prints `smskit: <message>` on standard error, ignoring a closed stderr.
///
/// The message may span lines (a filter error draws a caret under the domain); any other
/// control character in it is escaped, as a last defence for outside text a caller did not
/// pass through [`printable`].
pub(crate) fn error(message: impl Display) {
    let message = message.to_string();
    let message = printable_lines(&message);
    // Locked for the one write so that the line is not interleaved with another thread's.
    let _ = writeln!(io::stderr().lock(), "smskit: {message}");
}

/// Prints text that is already safe (escaped) on standard error as it is, ignoring a closed
/// stderr.
pub(crate) fn stderr_text(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Prints `smskit: warning: <message>` on standard error, ignoring a closed stderr.
pub(crate) fn warning(message: impl Display) {
    error(format_args!("warning: {message}"));
}

/// Outside text made safe for one line of a terminal: every control character (C0, DEL, C1),
/// line and paragraph separator and invisible format character (bidirectional overrides and
/// isolates, zero-width characters, the byte order mark, tags) is written as an escape:
/// `\t`, `\n`, `\r`, `\x1b` for the other ASCII controls, `\u{202e}` beyond ASCII. Plain
/// spaces and every visible character are kept; the text is borrowed when nothing needs escaping.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    escape(text, Keep::Nothing)
}

/// [`printable`] for a file name.
pub(crate) fn printable_path(path: &Path) -> String {
    printable(&path.to_string_lossy()).into_owned()
}

/// Outside text of several lines made safe for a terminal: [`printable`], but line feeds and
/// tabs are kept.
pub(crate) fn printable_lines(text: &str) -> Cow<'_, str> {
    escape(text, Keep::LinesAndTabs)
}

/// Which control characters [`escape`] lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    Nothing,
    /// Line feeds and tabs: layout of a multi-line message of our own.
    LinesAndTabs,
}

fn escape(text: &str, keep: Keep) -> Cow<'_, str> {
    let needs_escape =
        |c: char| is_unsafe(c) && !(keep == Keep::LinesAndTabs && matches!(c, '\n' | '\t'));
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut escaped = String::with_capacity(text.len() + 8);
    escaped.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !needs_escape(c) {
            escaped.push(c);
            continue;
        }
        // Writing to a String cannot fail.
        let _ = match c {
            '\t' => escaped.write_str("\\t"),
            '\n' => escaped.write_str("\\n"),
            '\r' => escaped.write_str("\\r"),
            c if c.is_ascii() => write!(escaped, "\\x{:02x}", u32::from(c)),
            c => write!(escaped, "\\u{{{:x}}}", u32::from(c)),
        };
    }
    Cow::Owned(escaped)
}

/// Controls, separators that break a line, and the invisible format characters (Unicode
/// general category Cf) that change how the text around them is shown.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00ad}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061c}'
                | '\u{06dd}'
                | '\u{070f}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08e2}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        let text = "Hello, wörld — 20% off! 👋 https://example.com/a?b=c";
        assert!(matches!(printable(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn c0_controls_and_del_are_escaped() {
        assert_eq!(
            printable("a\u{1b}[31mb\u{7}\tc\r\nd\u{0}\u{7f}"),
            "a\\x1b[31mb\\x07\\tc\\r\\nd\\x00\\x7f"
        );
    }

    #[test]
    fn c1_controls_bidi_and_invisible_characters_are_escaped() {
        assert_eq!(
            printable(
                "\u{9b}2J \u{202e}evil\u{202c} \u{2066}x\u{2069} zero\u{200b}width \u{feff} \u{2028}"
            ),
            "\\u{9b}2J \\u{202e}evil\\u{202c} \\u{2066}x\\u{2069} zero\\u{200b}width \\u{feff} \\u{2028}"
        );
    }

    #[test]
    fn spaces_and_visible_characters_are_kept() {
        let text = "a b\u{a0}c ü ñ 中文 العربية";
        assert_eq!(printable(text), text);
    }

    #[test]
    fn messages_keep_their_lines_and_tabs_but_not_other_controls() {
        assert_eq!(
            escape("line 1\n\tline 2\r\u{1b}[2K", Keep::LinesAndTabs),
            "line 1\n\tline 2\\r\\x1b[2K"
        );
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = printable("a\u{1b}b\u{202e}").into_owned();
        assert_eq!(printable(&once), once);
    }
}

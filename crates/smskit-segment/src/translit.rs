//! Transliteration and line-ending rewriting: the text as it will be sent, produced either as a
//! stream of characters (counting, no allocation) or materialised with the list of
//! substitutions (splitting).

use std::borrow::Cow;

use crate::charset::{LanguageSet, default_septets, shift_masks};
use crate::options::{LineEndings, Segmenter, Transliteration};
use crate::result::Substitution;
use crate::tables::{FOLD, SMART};

/// The GSM-7 replacement transliteration `level` gives for `ch`, if any: Twilio Smart
/// Encoding's substitution, else (at [`Transliteration::FoldAccents`]) the accent fold.
/// Characters of the GSM-7 alphabet have none.
///
/// ```
/// use smskit_segment::{Transliteration, gsm7_replacement};
/// assert_eq!(gsm7_replacement('’', Transliteration::Smart), Some("'"));
/// assert_eq!(gsm7_replacement('…', Transliteration::Smart), Some("..."));
/// assert_eq!(gsm7_replacement('ş', Transliteration::Smart), None);
/// assert_eq!(gsm7_replacement('ş', Transliteration::FoldAccents), Some("s"));
/// assert_eq!(gsm7_replacement('é', Transliteration::FoldAccents), None); // GSM-7 already
/// ```
pub fn gsm7_replacement(ch: char, level: Transliteration) -> Option<&'static str> {
    if level == Transliteration::Off || default_septets(ch) != 0 {
        return None;
    }
    if let Ok(index) = SMART.binary_search_by_key(&ch, |&(c, _)| c) {
        return Some(SMART[index].1);
    }
    if level == Transliteration::FoldAccents
        && let Ok(index) = FOLD.binary_search_by_key(&ch, |&(c, _)| c)
    {
        return Some(FOLD[index].1);
    }
    None
}

/// Decides, character by character, what replaces what.
#[derive(Debug, Clone, Copy)]
struct Rules {
    level: Transliteration,
    line_endings: LineEndings,
    /// National tables the caller enabled: their characters are kept as written.
    languages: LanguageSet,
}

impl Rules {
    fn new(segmenter: &Segmenter) -> Self {
        Rules {
            level: segmenter.transliteration,
            line_endings: segmenter.line_endings,
            languages: segmenter.languages,
        }
    }

    /// The replacement of `ch` (followed by the byte `next`), or `None` to keep it.
    fn replacement(&self, ch: char, next: Option<u8>) -> Option<&'static str> {
        if ch == '\r' && self.line_endings == LineEndings::Lf {
            return Some(if next == Some(b'\n') { "" } else { "\n" });
        }
        if self.level == Transliteration::Off || default_septets(ch) != 0 {
            return None;
        }
        if !self.languages.is_empty() {
            let (locking, single) = shift_masks(ch);
            if (locking | single) & self.languages.bits() != 0 {
                return None;
            }
        }
        gsm7_replacement(ch, self.level)
    }
}

/// One character of the text as it will be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// Byte offset of the input character it comes from.
    pub(crate) input_offset: usize,
    pub(crate) ch: char,
}

/// The characters of the text as it will be sent, without building it.
#[derive(Debug, Clone)]
pub(crate) struct Transliterated<'a> {
    input: &'a str,
    position: usize,
    pending: core::str::Chars<'static>,
    pending_offset: usize,
    rules: Rules,
}

impl<'a> Transliterated<'a> {
    pub(crate) fn new(input: &'a str, segmenter: &Segmenter) -> Self {
        Transliterated {
            input,
            position: 0,
            pending: "".chars(),
            pending_offset: 0,
            rules: Rules::new(segmenter),
        }
    }
}

impl Iterator for Transliterated<'_> {
    type Item = Mapped;

    fn next(&mut self) -> Option<Mapped> {
        loop {
            if let Some(ch) = self.pending.next() {
                return Some(Mapped {
                    input_offset: self.pending_offset,
                    ch,
                });
            }
            let offset = self.position;
            let ch = self.input.get(offset..)?.chars().next()?;
            self.position += ch.len_utf8();
            let next = self.input.as_bytes().get(self.position).copied();
            match self.rules.replacement(ch, next) {
                Some(replacement) => {
                    self.pending = replacement.chars();
                    self.pending_offset = offset;
                }
                None => {
                    return Some(Mapped {
                        input_offset: offset,
                        ch,
                    });
                }
            }
        }
    }
}

/// The text as it will be sent (borrowed when nothing changes) and every substitution made.
pub(crate) fn rewrite<'a>(
    input: &'a str,
    segmenter: &Segmenter,
) -> (Cow<'a, str>, Vec<Substitution>) {
    let mut substitutions = Vec::new();
    let text = rewrite_with(input, segmenter, &mut |substitution| {
        substitutions.push(substitution);
    });
    (text, substitutions)
}

/// The text as it will be sent (borrowed when nothing changes), handing each substitution to
/// `sink` as it is made, so a caller that only counts them keeps no list.
pub(crate) fn rewrite_with<'a>(
    input: &'a str,
    segmenter: &Segmenter,
    sink: &mut dyn FnMut(Substitution),
) -> Cow<'a, str> {
    let rules = Rules::new(segmenter);
    let mut output: Option<String> = None;
    let mut copied_up_to = 0;
    let bytes = input.as_bytes();
    for (offset, ch) in input.char_indices() {
        let next = bytes.get(offset + ch.len_utf8()).copied();
        let Some(replacement) = rules.replacement(ch, next) else {
            continue;
        };
        let out = output.get_or_insert_with(|| String::with_capacity(input.len() + 16));
        out.push_str(&input[copied_up_to..offset]);
        sink(Substitution {
            input_offset: offset,
            output_offset: out.len(),
            from: ch,
            to: Cow::Borrowed(replacement),
        });
        out.push_str(replacement);
        copied_up_to = offset + ch.len_utf8();
    }
    match output {
        None => Cow::Borrowed(input),
        Some(mut out) => {
            out.push_str(&input[copied_up_to..]);
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charset::Language;

    fn smart() -> Segmenter {
        Segmenter::new().with_transliteration(Transliteration::Smart)
    }

    #[test]
    fn stream_and_rewrite_agree() {
        let segmenter = Segmenter::new()
            .with_transliteration(Transliteration::FoldAccents)
            .with_line_endings(LineEndings::Lf);
        let input = "“Çà ça” — ok…\r\nx\ry\u{200b}z ł";
        let (text, substitutions) = rewrite(input, &segmenter);
        let streamed: String = Transliterated::new(input, &segmenter)
            .map(|m| m.ch)
            .collect();
        assert_eq!(text, streamed);
        assert_eq!(text, "\"Çà ca\" - ok...\nx\nyz l");
        assert_eq!(substitutions.len(), 9);
        for sub in &substitutions {
            assert!(input[sub.input_offset..].starts_with(sub.from));
            assert!(text[sub.output_offset..].starts_with(sub.to.as_ref()));
        }
    }

    #[test]
    fn nothing_to_replace_borrows() {
        let (text, substitutions) = rewrite("plain text", &smart());
        assert!(matches!(text, Cow::Borrowed("plain text")));
        assert!(substitutions.is_empty());
    }

    #[test]
    fn enabled_national_tables_keep_their_characters() {
        let folding = Segmenter::new().with_transliteration(Transliteration::FoldAccents);
        assert_eq!(rewrite("şç", &folding).0, "sc");
        let turkish = folding.with_languages(LanguageSet::EMPTY.with(Language::Turkish));
        assert_eq!(rewrite("şç", &turkish).0, "şç");
    }

    #[test]
    fn crlf_is_kept_unless_asked() {
        assert_eq!(rewrite("a\r\nb", &smart()).0, "a\r\nb");
    }
}

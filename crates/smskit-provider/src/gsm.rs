//! The little of GSM 03.38 a provider needs: is a text GSM-7 (Vonage `type=unicode`
//! otherwise), and how many segments it takes (the dispatcher's default rate-limit cost).
//!
//! The full segmentation (national language shift tables, transliteration, prices) is
//! `smskit-segment`'s job; this crate does not depend on it.

/// Non-ASCII characters of the GSM 7-bit default alphabet (TS 23.038 § 6.2.1).
const BASIC_NON_ASCII: &str = "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà";

/// Septets `c` costs in the GSM 7-bit default alphabet with its extension table, or `None`
/// when it forces UCS-2.
fn septets(c: char) -> Option<u32> {
    match c {
        '\n' | '\r' => Some(1),
        '\x0C' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€' => Some(2),
        '`' => None,
        ' '..='~' => Some(1),
        _ if !c.is_ascii() && BASIC_NON_ASCII.contains(c) => Some(1),
        _ => None,
    }
}

/// Whether `text` can be sent in the GSM 7-bit alphabet (default table plus extension table).
#[must_use]
pub(crate) fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| septets(c).is_some())
}

/// The number of SMS segments `text` takes: GSM-7 when [`is_gsm7`], 160 septets in one part
/// or 153 per part (an extension character is never split across parts); else UCS-2, 70 UTF-16
/// units in one part or 67 per part (a surrogate pair is never split). An empty text is one
/// segment. (`smskit-segment` is the full implementation; this crate may not depend on it.)
#[must_use]
pub(crate) fn count_segments(text: &str) -> u32 {
    if let Some(total) = text
        .chars()
        .try_fold(0u32, |sum, c| Some(sum.saturating_add(septets(c)?)))
    {
        if total <= 160 {
            return 1;
        }
        pack(text.chars().filter_map(septets), 153)
    } else {
        let total = text.encode_utf16().count();
        if total <= 70 {
            return 1;
        }
        pack(text.chars().map(|c| c.len_utf16() as u32), 67)
    }
}

/// Greedy packing of indivisible units of the given sizes into parts of `capacity`.
fn pack(sizes: impl Iterator<Item = u32>, capacity: u32) -> u32 {
    let mut parts = 1u32;
    let mut used = 0u32;
    for size in sizes {
        if used + size > capacity {
            parts = parts.saturating_add(1);
            used = 0;
        }
        used += size;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn alphabet() {
        let basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        assert_eq!(basic.chars().count(), 127);
        assert!(basic.chars().all(|c| septets(c) == Some(1)), "{basic}");
        assert!("\x0C^{}\\[~]|€".chars().all(|c| septets(c) == Some(2)));
        for c in ['`', '\t', '\x1B', 'ç', '\u{A0}', '’', 'α', '🙂'] {
            assert_eq!(septets(c), None, "{c:?}");
        }
    }

    #[test]
    fn gsm_detection() {
        assert!(is_gsm7("Hello {world}, €5 à Ça"));
        assert!(!is_gsm7("ça va ?")); // lower-case ç is not GSM
        assert!(!is_gsm7("emoji 🙂"));
    }

    #[test]
    fn boundaries() {
        assert_eq!(count_segments(""), 1);
        assert_eq!(count_segments(&"a".repeat(160)), 1);
        assert_eq!(count_segments(&"a".repeat(161)), 2);
        assert_eq!(count_segments(&"é".repeat(70)), 1); // é is GSM
        assert_eq!(count_segments(&"ç".repeat(71)), 2); // ç is not
        assert_eq!(count_segments(&"a".repeat(306)), 2);
        assert_eq!(count_segments(&"a".repeat(307)), 3);
        // 152 septets then an extension character: it moves whole to the next part.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        assert_eq!(count_segments(&text), 2);
        assert_eq!(count_segments(&"€".repeat(80)), 1);
        assert_eq!(count_segments(&"€".repeat(81)), 2);
        assert_eq!(count_segments(&"ç".repeat(134)), 2);
        assert_eq!(count_segments(&"ç".repeat(135)), 3);
        // 66 units then an emoji (2 units) does not fit part one.
        let text = format!("{}🙂{}", "ç".repeat(66), "ç".repeat(10));
        assert_eq!(count_segments(&text), 2);
        assert_eq!(count_segments(&"🙂".repeat(35)), 1);
        assert_eq!(count_segments(&"🙂".repeat(36)), 2);
    }

    proptest! {
        #[test]
        fn segments_bound_the_text(text in "\\PC{0,400}") {
            let parts = count_segments(&text);
            prop_assert!(parts >= 1);
            if is_gsm7(&text) {
                let septets: u32 = text.chars().filter_map(septets).sum();
                prop_assert!(septets <= 160 || septets <= parts * 153);
                prop_assert!(septets > 160 || parts == 1);
            } else {
                let units = text.encode_utf16().count() as u32;
                prop_assert!(units <= 70 || units <= parts * 67);
                prop_assert!(units > 70 || parts == 1);
            }
        }
    }
}

//! The GSM 03.38 basic alphabet, embedded so that this crate does not depend on
//! `smskit-segment` (building blocks are independent).

/// Whether `c` is one of the 127 characters of the GSM-7 default (basic) alphabet, the ones that
/// cost one septet. Extension characters (`^ { } \ [ ~ ] |` `€`, form feed) are not.
fn is_gsm_basic(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '0'..='9'
        | ' ' | '!' | '"' | '#' | '%' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | '-' | '.'
        | '/' | ':' | ';' | '<' | '=' | '>' | '?' | '@' | '$' | '_' | '\n' | '\r'
        | '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ'
        | 'Γ' | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡'
        | 'Ä' | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à'
    )
}

/// The first character of `s` outside the GSM-7 basic alphabet.
pub(crate) fn first_non_basic(s: &str) -> Option<char> {
    s.chars().find(|&c| !is_gsm_basic(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_alphabet_has_127_characters() {
        let count = (0..=0x3FFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_gsm_basic(c))
            .count();
        assert_eq!(count, 127);
    }

    #[test]
    fn extension_and_lookalikes_are_not_basic() {
        for c in [
            '^', '{', '}', '\\', '[', '~', ']', '|', '€', '\u{c}', '`', 'ç', '\u{a0}', '\t',
        ] {
            assert!(!is_gsm_basic(c), "{c:?}");
        }
        for c in ['@', '_', '$', '¤', 'Ç', 'ß', '\n', '\r'] {
            assert!(is_gsm_basic(c), "{c:?}");
        }
        assert_eq!(first_non_basic("https://a.b/~x"), Some('~'));
        assert_eq!(first_non_basic("https://a.b/_x"), None);
    }
}

//! Lenient readers of provider JSON values: Twilio and Vonage write numbers as strings.

use serde_json::Value;

/// A non-negative integer given as a numeric string or a JSON number.
pub(crate) fn number_of(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A scalar given as a string or a JSON number, as text (decimal amounts, ids).
pub(crate) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_as_json_numbers_or_as_text() {
        assert_eq!(number_of(&serde_json::json!(3)), Some(3));
        assert_eq!(number_of(&serde_json::json!(" 3 ")), Some(3));
        assert_eq!(number_of(&serde_json::json!(-1)), None);
        assert_eq!(number_of(&serde_json::json!(u64::from(u32::MAX) + 1)), None);
        assert_eq!(number_of(&serde_json::json!(null)), None);
    }
}

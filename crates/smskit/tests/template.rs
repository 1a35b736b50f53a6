//! Templates agree with Odoo's own pattern, `\{\{(.+?)(\|\|\|\s*(.*?))?\}\}`, run by the regex
//! crate (leftmost-first, like Python's `re`), on generated texts full of braces and bars.

use std::sync::LazyLock;

use proptest::prelude::*;
use regex::Regex;
use smskit::filter::FieldValue;
use smskit::template::Template;

/// Odoo 19's `parse_inline_template` + `render_inline_template` with every value falsy: the
/// literal text, and each placeholder's default (trimmed, as smskit documents).
/// `None` when a placeholder's expression is not `object.<field>...`, which smskit refuses.
fn odoo_render_all_falsy(text: &str) -> Option<String> {
    // Python's `\s` on str is `str.isspace`: Unicode White_Space plus U+001C..U+001F.
    static PATTERN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\{\{(.+?)(\|\|\|[\s\x1c-\x1f]*(.*?))?\}\}").unwrap());
    static PATH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^object(\.[A-Za-z_][A-Za-z0-9_]*)+$").unwrap());
    let (pattern, path) = (&*PATTERN, &*PATH);
    let python_strip = |s: &str| {
        s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
            .to_owned()
    };
    let mut out = String::new();
    let mut last = 0;
    for captures in pattern.captures_iter(text) {
        let whole = captures.get(0).unwrap();
        out.push_str(&text[last..whole.start()]);
        let expression = python_strip(&captures[1]);
        if !path.is_match(&expression) || expression.split('.').count() > 33 {
            return None;
        }
        let default = captures.get(3).map_or("", |m| m.as_str());
        out.push_str(&python_strip(default));
        last = whole.end();
    }
    out.push_str(&text[last..]);
    Some(out)
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "{",
        "}",
        "{{",
        "}}",
        "|",
        "|||",
        " ",
        "\n",
        "\u{1c}",
        "\t",
        "a",
        "é",
        "object",
        "object.a",
        ".",
        "x",
        "object.b_2",
        "{{ object.a ||| ",
        " }}",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn parsing_agrees_with_odoos_pattern(pieces in prop::collection::vec(piece(), 0..24)) {
        let text: String = pieces.concat();
        let expected = odoo_render_all_falsy(&text);
        match Template::parse(&text) {
            Ok(template) => {
                let rendered = template.render(|_| FieldValue::Null);
                prop_assert_eq!(Some(rendered), expected, "{:?}", text);
            }
            Err(error) => prop_assert!(expected.is_none(), "{:?}: {}", text, error),
        }
    }

    #[test]
    fn parse_never_panics(text in "\\PC{0,200}") {
        let _ = Template::parse(&text);
    }

    #[test]
    fn text_without_placeholders_renders_as_itself(text in "[^{]{0,200}") {
        let template = Template::parse(&text).unwrap();
        prop_assert!(template.is_static());
        prop_assert_eq!(template.render(|_| FieldValue::Null), text);
    }
}

//! Domain equality: two domains are equal when they say the same thing, however written, and
//! differ when any operator, path, value or nesting differs.

use smskit_filter::{Domain, parse};

fn domain(text: &str) -> Domain {
    parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[test]
fn the_same_domain_written_differently_is_equal() {
    let plain = domain("[('a', '=', 1)]");
    assert_eq!(plain, domain("[ ( 'a' , '=' , 1 ) ]"));
    assert_eq!(plain, domain(r#"[("a", "=", 1)]"#));
    assert_eq!(plain, "[('a', '=', 1)]".parse::<Domain>().unwrap());
}

#[test]
fn domains_that_differ_anywhere_are_not_equal() {
    let pairs = [
        ("[('a', '=', 1)]", "[('a', '=', 2)]"),
        ("[('a', '=', 1)]", "[('b', '=', 1)]"),
        ("[('a', '=', 1)]", "[('a', '!=', 1)]"),
        ("[('a', '=', 'x')]", "[('a', '=', 'y')]"),
        ("[('a', '=', 1.5)]", "[('a', '=', 2.5)]"),
        ("[('a', '=', True)]", "[('a', '=', False)]"),
        ("[('a', '=', None)]", "[('a', '=', False)]"),
        ("[('a', '=', 1)]", "[('a', '=', '1')]"),
        ("[('a', 'in', [1, 2])]", "[('a', 'in', [1, 3])]"),
        ("[('a', 'in', [1, 2])]", "[('a', 'in', [1])]"),
        ("[('a', 'in', (1, 2))]", "[('a', 'in', [1, 2])]"),
        ("[('a', 'in', (1, 2))]", "[('a', 'in', (1, 3))]"),
        (
            "['&', ('a', '=', 1), ('b', '=', 1)]",
            "['|', ('a', '=', 1), ('b', '=', 1)]",
        ),
        ("['!', ('a', '=', 1)]", "[('a', '=', 1)]"),
        (
            "[('a', 'any', [('b', '=', 1)])]",
            "[('a', 'any', [('b', '=', 2)])]",
        ),
        (
            "[('a', 'any', [('b', '=', 1)])]",
            "[('a', 'any', ['&', ('b', '=', 1), ('c', '=', 1)])]",
        ),
    ];
    for (left, right) in pairs {
        assert_ne!(domain(left), domain(right), "{left} == {right}");
        assert_eq!(domain(left), domain(left), "{left}");
    }
}

#[test]
fn an_operator_in_other_letters_that_lower_case_to_it_is_read() {
    // The Kelvin sign lower-cases to 'k'.
    assert_eq!(
        domain("[('a', 'LI\u{212A}E', 'x')]"),
        domain("[('a', 'like', 'x')]")
    );
    assert!(parse("[('a', 'lïke', 'x')]").is_err());
}

#[test]
fn a_domain_debugs_as_its_text_and_knows_when_it_is_empty() {
    let shown = format!("{:?}", domain("[('a', '=', 1)]"));
    assert!(
        shown.starts_with("Domain(") && shown.contains("'a'"),
        "{shown}"
    );
    assert!(domain("[]").is_empty());
    assert!(!domain("[('a', '=', 1)]").is_empty());
}

#[test]
fn a_parse_error_is_not_an_sql_error() {
    let error = parse("[('a', '=')]").unwrap_err();
    assert!(!error.is_sql_error(), "{error}");
}

#[test]
fn a_syntax_error_names_what_it_found() {
    for (text, found) in [
        ("[('a', '=', 1)", "end of input"),
        ("[('a', '=', 1) 'x']", "a string"),
        ("[('a', '=', 1) 2]", "a number"),
    ] {
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains(found), "{text}: {message}");
    }
}

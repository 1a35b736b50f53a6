//! `smskit phone normalize` end to end.

mod common;
use common::{Run, code, smskit, stderr, stdout};

/// `smskit phone normalize` and `args`.
fn normalize(args: &[&str]) -> Run {
    smskit(&[&["phone", "normalize"], args].concat())
}

#[test]
fn national_numbers_with_a_country() {
    let output = normalize(&["--country", "BE", "0470 12 34 56", "+33 6 12 34 56 78"]).output();
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(stdout(&output), "+32470123456\n+33612345678\n");
}

#[test]
fn country_is_case_insensitive_and_international_numbers_need_none() {
    let output = normalize(&["-c", "be", "0470.12.34.56"]).output();
    assert_eq!(stdout(&output), "+32470123456\n");
    let output = normalize(&["0032 470 12 34 56"]).output();
    assert_eq!(stdout(&output), "+32470123456\n");
    assert_eq!(code(&output), 0);
}

#[test]
fn each_bad_number_gets_its_reason_in_order_and_exit_1() {
    let output = normalize(&[
        "--country",
        "BE",
        "abc",
        "0470 12 34 56",
        "0470 12",
        "",
        "+32 070 12 34 56",
    ])
    .output();
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines[0].starts_with("error: cannot parse phone number \"abc\""),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("'a' at byte 0"), "{}", lines[0]);
    assert_eq!(lines[1], "+32470123456");
    assert!(
        lines[2].starts_with("error: impossible phone number \"0470 12\""),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3], "error: missing phone number");
    assert!(
        lines[4].starts_with("error: invalid phone number"),
        "{}",
        lines[4]
    );
}

#[test]
fn national_number_without_country_says_so() {
    let output = normalize(&["0470 12 34 56"]).output();
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).contains("no default country"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn unknown_country_is_a_usage_error() {
    let output = normalize(&["--country", "ZZ", "0470 12 34 56"]).output();
    assert_eq!(code(&output), 2);
    let stderr = stderr(&output);
    assert!(stderr.contains("ZZ"), "{stderr}");
}

#[test]
fn json_output() {
    let output = normalize(&[
        "--json",
        "--country",
        "US",
        "(650) 253-0000",
        "+1 613 555 0100",
        "12",
    ])
    .output();
    assert_eq!(code(&output), 1);
    let values: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(values[0]["e164"], "+16502530000");
    assert_eq!(values[0]["region"], "US");
    assert_eq!(values[0]["input"], "(650) 253-0000");
    assert_eq!(values[1]["region"], "CA");
    assert_eq!(values[2]["kind"], "impossible");
    assert!(values[2]["error"].as_str().unwrap().contains("\"12\""));
}

#[test]
fn numbers_from_standard_input() {
    let output = normalize(&["--country", "FR"])
        .stdin(b"06 12 34 56 78\r\n+44 7400 123456\n")
        .output();
    assert_eq!(code(&output), 0);
    assert_eq!(stdout(&output), "+33612345678\n+447400123456\n");
}

/// The shared runner (declared once, at the top, as `common`) under the name the tests below use.
use common as shared_runner;

/// Regressions of issue 9 (hostile input), on the shared runner.
mod hardening {
    use super::shared_runner::{code, smskit, stdout};

    #[test]
    fn invalid_utf8_on_stdin_is_one_error_line_and_the_rest_is_read() {
        let input = b"06 12 34 56 78\n\xff\xfe 06\r\n+44 7400 123456\n";
        let output = smskit(&["phone", "normalize", "--country", "FR"])
            .stdin(input)
            .output();
        assert_eq!(code(&output), 1);
        let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0], "+33612345678");
        assert!(
            lines[1].starts_with("error: line 2 is not valid UTF-8"),
            "{lines:?}"
        );
        assert_eq!(lines[2], "+447400123456");

        let output = smskit(&["phone", "normalize", "--json", "--country", "FR"])
            .stdin(input)
            .output();
        assert_eq!(code(&output), 1);
        let values: Vec<serde_json::Value> = stdout(&output)
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(values.len(), 3);
        assert_eq!(values[1]["kind"], "unparsable");
        assert_eq!(values[1]["line"], 2);
        assert_eq!(values[1]["input"], "\u{fffd}\u{fffd} 06");
        assert_eq!(values[2]["e164"], "+447400123456");
    }
}

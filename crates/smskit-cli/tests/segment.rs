//! `smskit segment` and `smskit price`, run as a user would.

mod common;
use common::{Run, code, smskit, stderr, stdout};

use serde_json::Value;

/// `smskit price --prices PRICES` and `args`.
fn price(prices: &str, args: &[&str]) -> Run {
    smskit(&[&["price", "--prices", prices], args].concat())
}

#[test]
fn human_report_names_encoding_parts_and_remaining() {
    let output = smskit(&["segment", &"]".repeat(153)]).output();
    assert!(output.status.success());
    let report = stdout(&output);
    assert!(
        report.starts_with("GSM-7, 3 parts, 306 septets (151 septets left in the last part)"),
        "{report}"
    );
    assert!(report.contains("Part 1 of 3 (152 septets)"), "{report}");
    assert!(
        report.contains("Part 3 of 3 (2 septets): \"]\""),
        "{report}"
    );
}

#[test]
fn ucs2_report_lists_forcing_characters_with_a_hint() {
    let output = smskit(&["segment", "Don’t miss it — 20% off"]).output();
    let report = stdout(&output);
    assert!(report.starts_with("UCS-2, 1 part"), "{report}");
    assert!(
        report.contains("'’' (U+2019) at byte 3 - replace with \"'\""),
        "{report}"
    );
    assert!(
        report.contains("Hint: with --smart the text is GSM-7 in 1 part"),
        "{report}"
    );
}

#[test]
fn text_from_stdin_drops_one_trailing_newline() {
    let output = smskit(&["segment", "--json"]).stdin("hello\n").output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["units"], 5);
    assert_eq!(report["text"], "hello");
}

#[test]
fn json_report_has_the_jsonl_fields_and_details() {
    let output = smskit(&[
        "segment",
        "--json",
        "--fold-accents",
        "--part-capacity",
        "152",
        "“Zürich” ça",
    ])
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["encoding"], "GSM-7");
    assert_eq!(report["segments"], 1);
    assert_eq!(report["units"], 11);
    assert_eq!(report["parts"][0]["text"], "\"Zürich\" ca");
    assert_eq!(report["substitutions"].as_array().unwrap().len(), 3);
    assert_eq!(report["remaining"], 149);
}

#[test]
fn options_reach_the_segmenter() {
    let output = smskit(&["segment", "--json", "--shift", "tr", "şşş"]).output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["shift_tables"]["locking"], "turkish");
    assert_eq!(report["remaining"], 152);

    let output = smskit(&["segment", "--json", "--encoding", "ucs2", "abc"]).output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["encoding"], "UCS-2");

    let text = format!("{}🇧🇪{}", "a".repeat(65), "a".repeat(65));
    let output = smskit(&["segment", "--json", "--graphemes", &text]).output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["segments"], 3);
    assert_eq!(report["extra_parts_for_graphemes"], 1);

    let output = smskit(&["segment", "--json", "--normalize-newlines", "a\r\nb"]).output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["units"], 3);
}

#[test]
fn forced_gsm7_failure_names_the_character_and_exits_2() {
    let output = smskit(&["segment", "--encoding", "gsm7", "ça"]).output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("'ç' (U+00E7) at byte 0"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty());
}

#[test]
fn bad_options_are_rejected_with_help() {
    for args in [
        &["segment", "--part-capacity", "150", "x"][..],
        &["segment", "--shift", "xx", "x"][..],
        &["segment", "--encoding", "latin1", "x"][..],
    ] {
        let output = smskit(args).output();
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(!stderr(&output).is_empty());
    }
}

#[test]
fn jsonl_answers_every_line_in_order_and_survives_bad_lines() {
    let input = concat!(
        "{\"id\": 12345678901234567890123, \"text\": \"hi\"}\n",
        "{\"id\": \"no text\"}\n",
        "not json\n",
        "\n",
        "{\"id\": [1, 2], \"text\": \"😀\", \"extra\": true}\r\n",
        "{\"text\": \"",
        "]]",
        "\"}\n",
    );
    let output = smskit(&["segment", "--jsonl"]).stdin(input).output();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("2 of 5 input lines failed"),
        "{}",
        stderr(&output)
    );
    let lines: Vec<&str> = std::str::from_utf8(&output.stdout)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(lines.len(), 5);
    // Ids are echoed verbatim, even integers beyond 64 bits.
    assert!(
        lines[0].starts_with(
            "{\"id\":12345678901234567890123,\"encoding\":\"GSM-7\",\"segments\":1,\"units\":2,"
        ),
        "{}",
        lines[0]
    );
    let second: Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(
        (second["id"].as_str(), second["line"].as_u64()),
        (Some("no text"), Some(2))
    );
    let third: Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(third["line"], 3);
    assert!(third["error"].as_str().unwrap().starts_with("invalid JSON"));
    let fourth: Value = serde_json::from_str(lines[3]).unwrap();
    assert_eq!(fourth["id"], serde_json::json!([1, 2]));
    assert_eq!(fourth["encoding"], "UCS-2");
    assert_eq!(fourth["non_gsm"], serde_json::json!(["😀"]));
    assert_eq!(
        fourth["parts"],
        serde_json::json!([{"text": "😀", "units": 2}])
    );
    let fifth: Value = serde_json::from_str(lines[4]).unwrap();
    assert_eq!(fifth["id"], Value::Null);
    assert_eq!(fifth["units"], 4);
}

#[test]
fn jsonl_honours_the_options() {
    let output = smskit(&["segment", "--jsonl", "--smart"])
        .stdin("{\"id\":1,\"text\":\"it’s\"}\n")
        .output();
    assert!(output.status.success());
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["encoding"], "GSM-7");
    assert_eq!(line["parts"][0]["text"], "it's");
}

/// A temporary CSV file, removed on drop (no extra dependency needed).
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(content: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "smskit-cli-test-{}-{}.csv",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, content).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn price_file(content: &str) -> TempFile {
    TempFile::new(content)
}

#[test]
fn price_multiplies_parts_by_the_longest_prefix_price() {
    let prices = price_file("prefix,price,currency\n1,0.0079,USD\n1242,0.1510,USD\n");
    let text = "x".repeat(200);
    let output = price(
        prices.path(),
        &["--to", "+12425550123", "--to", "+12025550123", &text],
    )
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.starts_with("2 parts (GSM-7, 200 septets)"),
        "{report}"
    );
    assert!(
        report.contains("+12425550123: 2 x 0.151 USD (prefix +1242) = 0.302 USD"),
        "{report}"
    );
    assert!(
        report.contains("+12025550123: 2 x 0.0079 USD (prefix +1) = 0.0158 USD"),
        "{report}"
    );
    assert!(report.contains("Total: 0.3178 USD"), "{report}");

    let output = price(prices.path(), &["--to", "+12025550123", "--json", "hi"]).output();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["segments"], 1);
    assert_eq!(report["total"]["micros"], 7900);
    assert_eq!(report["total"]["currency"], "USD");
    assert_eq!(report["destinations"][0]["prefix"], "1");
}

#[test]
fn price_errors_name_the_problem() {
    let prices = price_file("1,0.0079,USD\n44,abc,USD\n");
    let output = price(prices.path(), &["--to", "+12025550123", "hi"]).output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("line 2, column 4"),
        "{}",
        stderr(&output)
    );

    let prices = price_file("1,0.0079,USD\n");
    let output = price(prices.path(), &["--to", "+447700900123", "hi"]).output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("no price for +447700900123"),
        "{}",
        stderr(&output)
    );

    let output = price("/nonexistent/prices.csv", &["--to", "+1202", "hi"]).output();
    assert_eq!(code(&output), 1);
    assert!(
        stderr(&output).contains("/nonexistent/prices.csv"),
        "{}",
        stderr(&output)
    );
}

/// The shared runner (declared once, at the top, as `common`) under the name the tests below use.
use common as shared_runner;

/// Regressions of issue 9 (hostile input), on the shared runner.
mod hardening {
    use super::shared_runner::{code, smskit, stderr, stdout};

    /// A file under the system temporary directory, removed on drop.
    struct Scratch(std::path::PathBuf);

    impl Scratch {
        fn new(name: &str, content: &[u8]) -> Self {
            let path = std::env::temp_dir().join(format!(
                "smskit-segment-hardening-{}-{name}",
                std::process::id()
            ));
            std::fs::write(&path, content).unwrap();
            Scratch(path)
        }

        fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    #[test]
    fn price_overflow_is_an_input_error_naming_the_price() {
        let prices = Scratch::new("overflow.csv", b"1,9223372036854.775807,USD\n");
        let text = "x".repeat(200);
        let output = smskit(&["price", "--prices", prices.path(), "--to", "+1202", &text]).output();
        assert_eq!(code(&output), 2, "{}", stdout(&output));
        let message = stderr(&output);
        assert!(
            message.contains("9223372036854.775807 USD x 2"),
            "{message}"
        );

        // Each destination fits, their sum does not.
        let prices = Scratch::new("sum.csv", b"1,5000000000000,USD\n");
        let output = smskit(&[
            "price",
            "--prices",
            prices.path(),
            "--to",
            "+1202",
            "--to",
            "+1203",
            "hi",
        ])
        .output();
        assert_eq!(code(&output), 2, "{}", stdout(&output));
        assert!(
            stderr(&output).contains("amount too large"),
            "{}",
            stderr(&output)
        );

        // One micro-unit more than the largest amount does not wrap to a negative price.
        let prices = Scratch::new("parse.csv", b"1,9223372036854.775808,USD\n");
        let output = smskit(&["price", "--prices", prices.path(), "--to", "+1202", "hi"]).output();
        assert_eq!(code(&output), 2, "{}", stdout(&output));
        assert!(
            stderr(&output).contains("\"9223372036854.775808\": too large"),
            "{}",
            stderr(&output)
        );
    }

    #[test]
    fn report_lists_each_replaced_character_once_with_its_count() {
        let text = "it’s ’’ — ’".to_owned();
        let report = smskit(&["segment", "--smart", &text]).ok();
        assert!(
            report.contains("'’' (U+2019) at byte 2 and 3 more -> \"'\""),
            "{report}"
        );
        assert!(
            report.contains("'—' (U+2014) at byte 14 -> \"-\""),
            "{report}"
        );
        assert_eq!(report.matches("U+2019").count(), 1, "{report}");
    }

    #[test]
    fn report_lists_distinct_non_gsm_characters_in_order_with_counts() {
        let text: String = ('\u{4e00}'..='\u{4e03}')
            .chain(['\u{4e01}', '\u{4e01}'])
            .collect();
        let report = smskit(&["segment", &text]).ok();
        let listed: Vec<&str> = report
            .lines()
            .skip_while(|line| !line.starts_with("Not in GSM-7"))
            .skip(1)
            .take_while(|line| line.starts_with("  "))
            .collect();
        assert_eq!(listed.len(), 4, "{report}");
        assert!(listed[0].contains("U+4E00) at byte 0 - "), "{report}");
        assert!(
            listed[1].contains("U+4E01) at byte 3 and 2 more"),
            "{report}"
        );
        assert!(listed[3].contains("U+4E03) at byte 9 - "), "{report}");
    }
}

//! Text that came from outside (file names, dataset values, message texts) reaches a human's
//! terminal with its control characters escaped. The provider's error message is tested with
//! the fake provider in `send.rs`.

mod common;
use common::{code, smskit, stderr, stdout};

/// No raw control or bidi character, except the line feeds that end lines.
fn assert_printable(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{text:?}"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("smskit-escaping-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_file_name_in_an_error_is_escaped() {
    let dir = temp_dir("missing");
    let path = dir.join("evil\u{1b}[2J\nsmskit: ok\u{202e}.json");
    let path = path.to_str().unwrap();
    let output = smskit(&["filter", "--data", path, "--model", "m", "--domain", "[]"]).output();
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(
        err.contains(r"evil\x1b[2J\nsmskit: ok\u{202e}.json"),
        "{err:?}"
    );
    assert_eq!(err.lines().count(), 1, "{err:?}");
    assert_printable(&err);

    let output = smskit(&["price", "--prices", path, "--to", "+32470123456", "hi"]).output();
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(
        err.contains(r"evil\x1b[2J\nsmskit: ok\u{202e}.json"),
        "{err:?}"
    );
    assert_printable(&err);
}

#[test]
fn a_dataset_value_in_an_error_is_escaped() {
    let dir = temp_dir("dataset");
    let path = dir.join("data.json");
    std::fs::write(
        &path,
        r#"{"models": {"m\u001b[2J": {"fields": {"a": "ch\u001bar\u202e"}, "records": [{"id": 1}]}}}"#,
    )
    .unwrap();
    let output = smskit(&[
        "filter",
        "--data",
        path.to_str().unwrap(),
        "--model",
        "m",
        "--domain",
        "[]",
    ])
    .output();
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains(r"m\x1b[2J"), "{err:?}");
    assert_printable(&err);
}

#[test]
fn the_human_links_report_escapes_the_text_but_keeps_its_lines() {
    let output = smskit(&[
        "links",
        "rewrite",
        "--base",
        "https://sho.rt",
        "--seed",
        "1",
        "Sale!\u{1b}[31m\nsee https://example.com/a\u{9b}2J \u{202e}now",
    ])
    .output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with("Sale!\\x1b[31m\nsee https://sho.rt/r/"),
        "{out:?}"
    );
    assert!(out.contains(r"\u{9b}2J \u{202e}now"), "{out:?}");
    assert_printable(&out);
}

#[test]
fn json_output_keeps_the_text_exact() {
    let text = "Sale!\u{1b}[31m\nsee https://example.com/a";
    let report = smskit(&[
        "links",
        "rewrite",
        "--base",
        "https://sho.rt",
        "--json",
        text,
    ])
    .json();
    let rewritten = report["text"].as_str().unwrap();
    assert!(
        rewritten.starts_with("Sale!\u{1b}[31m\nsee https://sho.rt/r/"),
        "{rewritten:?}"
    );
}

#[test]
fn an_argument_rejected_by_the_parser_is_quoted_escaped() {
    // clap quotes a rejected value as given; on a terminal it would ring, return the cursor
    // and reverse the text.
    let output = smskit(&[
        "phone",
        "normalize",
        "--country",
        "Z\u{7}\r\u{202e}\u{9b}Z",
        "+32470123456",
    ])
    .output();
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    // (clap itself drops the BEL from its quote, not the others.)
    assert!(
        err.contains(r"\r\u{202e}\u{9b}Z' for '--country <CC>'"),
        "{err:?}"
    );
    assert_printable(&err);

    // Arguments without control characters keep clap's own rendering.
    let output = smskit(&["phone", "normalize", "--country", "ZZ", "1"]).output();
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).starts_with("error: invalid value 'ZZ' for '--country <CC>'"),
        "{}",
        stderr(&output)
    );
}

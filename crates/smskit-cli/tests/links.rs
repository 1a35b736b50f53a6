//! `smskit links rewrite` end to end.

mod common;
use common::{Run, code, smskit, stderr, stdout};

use std::process::Output;

/// `smskit links rewrite` and `args`.
fn rewrite(args: &[&str]) -> Run {
    smskit(&[&["links", "rewrite"], args].concat())
}

/// The JSON printed by a run that must succeed.
fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

#[test]
fn json_output_has_text_and_one_entry_per_distinct_url() {
    let output = rewrite(&["--base",
        "https://sho.rt",
        "--campaign",
        "spring",
        "--source",
        "newsletter",
        "--medium",
        "sms",
        "--seed",
        "1",
        "--json",
        "Sale https://shop.example/a?x=1. Also https://shop.example/b and https://shop.example/a?x=1!",
    ]).output();
    let value = json(&output);
    let links = value["links"].as_array().unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0]["url"], "https://shop.example/a?x=1");
    assert_eq!(
        links[0]["target"],
        "https://shop.example/a?x=1&utm_campaign=spring&utm_source=newsletter&utm_medium=sms"
    );
    assert_eq!(links[1]["url"], "https://shop.example/b");
    let code = links[0]["code"].as_str().unwrap();
    assert!(code.len() >= 3 && code.bytes().all(|b| b.is_ascii_alphanumeric()));
    let short_a = links[0]["short_url"].as_str().unwrap();
    let short_b = links[1]["short_url"].as_str().unwrap();
    assert_eq!(short_a, format!("https://sho.rt/r/{code}"));
    assert_eq!(
        value["text"],
        format!("Sale {short_a}. Also {short_b} and {short_a}!")
    );
    let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["links", "text"]);
}

#[test]
fn same_seed_same_output() {
    let args = [
        "--base",
        "https://sho.rt",
        "--seed",
        "42",
        "--json",
        "https://a.example/x",
    ];
    assert_eq!(rewrite(&args).ok(), rewrite(&args).ok());
}

#[test]
fn table_output() {
    let output = rewrite(&[
        "--base",
        "https://sho.rt/",
        "--seed",
        "3",
        "Hi https://a.example/x",
    ])
    .output();
    assert!(output.status.success());
    let stdout = stdout(&output);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("Hi https://sho.rt/r/"), "{stdout}");
    assert_eq!(lines[1], "");
    assert!(lines[2].starts_with("code "), "{stdout}");
    assert!(lines[2].contains("short URL") && lines[2].ends_with("target"));
    let row: Vec<&str> = lines[3].split_whitespace().collect();
    assert_eq!(row.len(), 3);
    assert_eq!(lines[0], format!("Hi {}", row[1]));
    assert_eq!(row[1], format!("https://sho.rt/r/{}", row[0]));
    assert_eq!(row[2], "https://a.example/x");
}

#[test]
fn reads_standard_input_and_keeps_every_byte() {
    let text = "Line 1 😀\r\n(https://a.example/wiki/A_(b)). STOP: https://sho.rt/sms/1/x\n";
    let output = rewrite(&["--base", "https://sho.rt", "--seed", "9", "--json"])
        .stdin(text)
        .output();
    let value = json(&output);
    let short = value["links"][0]["short_url"].as_str().unwrap();
    assert_eq!(
        value["text"],
        text.replace("https://a.example/wiki/A_(b)", short)
    );
    assert_eq!(value["links"].as_array().unwrap().len(), 1);
}

#[test]
fn exclude_prefix_is_repeatable() {
    let output = rewrite(&[
        "--base",
        "https://sho.rt",
        "--exclude-prefix",
        "https://a.example/keep",
        "--exclude-prefix",
        "https://b.example",
        "--json",
        "https://a.example/keep/1 https://b.example/x https://a.example/go",
    ])
    .output();
    let value = json(&output);
    let links = value["links"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["url"], "https://a.example/go");
    assert!(
        value["text"]
            .as_str()
            .unwrap()
            .starts_with("https://a.example/keep/1 https://b.example/x https://sho.rt/r/")
    );
}

#[test]
fn base_outside_gsm_basic_is_rejected() {
    let output = rewrite(&["--base", "https://sho.rt/~x", "hi"]).output();
    assert_eq!(code(&output), 2);
    let stderr = stderr(&output);
    assert!(
        stderr.contains("GSM-7") && stderr.contains("'~'"),
        "{stderr}"
    );

    let output = rewrite(&["--base", "sho.rt", "hi"]).output();
    assert_eq!(code(&output), 2);
}

#[test]
fn warnings_go_to_stderr() {
    let output = rewrite(&["--base", "https://sho.rt", "--json", "http://999.1.1.1/x"]).output();
    let value = json(&output);
    assert_eq!(value["text"], "http://999.1.1.1/x");
    let stderr = stderr(&output);
    assert!(
        stderr.contains("warning") && stderr.contains("http://999.1.1.1/x"),
        "{stderr}"
    );
}

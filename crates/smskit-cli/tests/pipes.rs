//! Closed pipes: `smskit ... | head -c0` and a closed stderr end the command with the usual exit
//! code (141 = 128 + SIGPIPE for a closed stdout), never with a panic.

mod common;
use common::{code, smskit, stderr};

/// The exit code of a command whose stdout reader went away.
const BROKEN_PIPE: i32 = 141;

#[test]
fn send_into_a_closed_pipe_exits_141_after_sending() {
    let output = smskit(&[
        "send",
        "--provider",
        "stub",
        "--to",
        "+32470123456",
        "--body",
        "Hello",
    ])
    .stdout_closed()
    .output();
    assert_eq!(code(&output), BROKEN_PIPE, "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "a closed stdout is not reported");
}

#[test]
fn webhook_verify_into_a_closed_pipe_exits_141() {
    let output = smskit(&[
        "webhook",
        "verify",
        "twilio",
        "--url",
        "https://example.com/sms/status",
        "--token",
        "12345",
        "--signature",
        "AAAA",
        "--param",
        "MessageSid=SM1",
    ])
    .stdout_closed()
    .output();
    assert_eq!(code(&output), BROKEN_PIPE, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn segment_of_a_big_text_into_a_closed_pipe_exits_141() {
    let text = "a".repeat(2_000_000);
    let output = smskit(&["segment"]).stdin(text).stdout_closed().output();
    assert_eq!(code(&output), BROKEN_PIPE, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn every_printing_command_exits_141_into_a_closed_pipe() {
    let cases: &[&[&str]] = &[
        &["segment", "--json", "hi"],
        &["filter", "--domain", "[('a', '=', 1)]", "--normalize"],
        &[
            "links",
            "rewrite",
            "--base",
            "https://sho.rt",
            "--seed",
            "1",
            "see https://example.com",
        ],
        &[
            "abtest",
            "significance",
            "--version",
            "A:10/100",
            "--version",
            "B:20/100",
        ],
        &[
            "abtest",
            "sample-size",
            "--baseline",
            "0.05",
            "--mde",
            "0.01",
        ],
        &["phone", "normalize", "+32470123456"],
    ];
    for args in cases {
        let output = smskit(args).stdout_closed().output();
        assert_eq!(code(&output), BROKEN_PIPE, "{args:?}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{args:?}");
    }
}

#[test]
fn filter_error_with_stderr_closed_keeps_its_exit_code() {
    let output = smskit(&["filter", "--domain", "[("])
        .stderr_closed()
        .output();
    assert_eq!(code(&output), 2);
}

#[test]
fn a_warning_into_a_closed_stderr_does_not_stop_the_command() {
    // The URL is normalised (upper-case host), which the command reports as a warning.
    let output = smskit(&[
        "links",
        "rewrite",
        "--base",
        "https://sho.rt",
        "--seed",
        "1",
        "see https://EXAMPLE.com/",
    ])
    .stderr_closed()
    .output();
    assert_eq!(code(&output), 0);
    assert!(common::stdout(&output).contains("https://sho.rt/r/"));
}

#[test]
fn a_usage_error_with_both_streams_closed_keeps_its_exit_code() {
    let output = smskit(&[
        "send",
        "--provider",
        "twilio",
        "--to",
        "+32470123456",
        "--body",
        "x",
    ])
    .stdout_closed()
    .stderr_closed()
    .output();
    assert_eq!(code(&output), 2);
}

#[test]
fn json_bigger_than_the_output_buffer_into_a_closed_pipe_exits_141() {
    // The pipe breaks inside serde_json's writes, not at the final flush.
    let text = "a".repeat(2_000_000);
    let output = smskit(&["segment", "--json"])
        .stdin(text)
        .stdout_closed()
        .output();
    assert_eq!(code(&output), BROKEN_PIPE, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");

    let lines: String = (0..20_000)
        .map(|id| format!("{{\"id\": {id}, \"text\": \"hello world, hello world\"}}\n"))
        .collect();
    let output = smskit(&["segment", "--jsonl"])
        .stdin(lines)
        .stdout_closed()
        .output();
    assert_eq!(code(&output), BROKEN_PIPE, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

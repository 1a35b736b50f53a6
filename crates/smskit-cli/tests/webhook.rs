//! `smskit webhook verify twilio`.

mod common;
use common::{Run, code, smskit, stderr, stdout};

use std::process::Output;

const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const SIGNATURE: &str = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
const PARAMS: [&str; 5] = [
    "CallSid=CA1234567890ABCDE",
    "Caller=+12349013030",
    "Digits=1234",
    "From=+12349013030",
    "To=+18005551212",
];

/// `smskit webhook verify twilio` with these arguments, a `--param` per entry of `params`.
fn verify(url: &str, token: &str, signature: &str, params: &[&str], body: Option<&str>) -> Run {
    let mut args = vec![
        "webhook",
        "verify",
        "twilio",
        "--url",
        url,
        "--token",
        token,
        "--signature",
        signature,
    ];
    for param in params {
        args.extend(["--param", param]);
    }
    if let Some(body) = body {
        args.extend(["--body", body]);
    }
    smskit(&args)
}

/// What the run printed, without the line end.
fn printed(output: &Output) -> String {
    stdout(output).trim().to_owned()
}

#[test]
fn the_spec_vector_is_valid() {
    let output = verify(URL, "12345", SIGNATURE, &PARAMS, None).output();
    assert_eq!(printed(&output), "valid");
    assert_eq!(code(&output), 0);
}

#[test]
fn default_port_variant_is_valid() {
    let output = verify(
        "https://mycompany.com:443/myapp.php?foo=1&bar=2",
        "12345",
        SIGNATURE,
        &PARAMS,
        None,
    )
    .output();
    assert_eq!(printed(&output), "valid");
}

#[test]
fn params_from_a_form_body() {
    let body = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
    let output = verify(URL, "12345", SIGNATURE, &[], Some(body)).output();
    assert_eq!(printed(&output), "valid");
}

#[test]
fn wrong_inputs_are_invalid() {
    let cases = [
        verify(URL, "54321", SIGNATURE, &PARAMS, None).output(),
        verify(URL, "12345", SIGNATURE, &PARAMS[..4], None).output(),
        verify(URL, "12345", "AAAA", &PARAMS, None).output(),
        verify(
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            "12345",
            SIGNATURE,
            &PARAMS,
            None,
        )
        .output(),
    ];
    for output in cases {
        assert_eq!(printed(&output), "invalid");
        assert_eq!(code(&output), 1);
    }
}

#[test]
fn malformed_param_is_a_usage_error() {
    let output = verify(URL, "12345", SIGNATURE, &["no-equals-sign"], None).output();
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("NAME=VALUE"));
}

//! `smskit webhook verify twilio`.

use std::process::{Command, Output};

const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const SIGNATURE: &str = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
const PARAMS: [&str; 5] = [
    "CallSid=CA1234567890ABCDE",
    "Caller=+12349013030",
    "Digits=1234",
    "From=+12349013030",
    "To=+18005551212",
];

fn verify(url: &str, token: &str, signature: &str, params: &[&str], body: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_smskit"));
    command.args([
        "webhook",
        "verify",
        "twilio",
        "--url",
        url,
        "--token",
        token,
        "--signature",
        signature,
    ]);
    for param in params {
        command.args(["--param", param]);
    }
    if let Some(body) = body {
        command.args(["--body", body]);
    }
    command.output().unwrap()
}

fn printed(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn the_spec_vector_is_valid() {
    let output = verify(URL, "12345", SIGNATURE, &PARAMS, None);
    assert_eq!(printed(&output), "valid");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn default_port_variant_is_valid() {
    let output = verify(
        "https://mycompany.com:443/myapp.php?foo=1&bar=2",
        "12345",
        SIGNATURE,
        &PARAMS,
        None,
    );
    assert_eq!(printed(&output), "valid");
}

#[test]
fn params_from_a_form_body() {
    let body = "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
    let output = verify(URL, "12345", SIGNATURE, &[], Some(body));
    assert_eq!(printed(&output), "valid");
}

#[test]
fn wrong_inputs_are_invalid() {
    let cases = [
        verify(URL, "54321", SIGNATURE, &PARAMS, None),
        verify(URL, "12345", SIGNATURE, &PARAMS[..4], None),
        verify(URL, "12345", "AAAA", &PARAMS, None),
        verify(
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            "12345",
            SIGNATURE,
            &PARAMS,
            None,
        ),
    ];
    for output in cases {
        assert_eq!(printed(&output), "invalid");
        assert_eq!(output.status.code(), Some(1));
    }
}

#[test]
fn malformed_param_is_a_usage_error() {
    let output = verify(URL, "12345", SIGNATURE, &["no-equals-sign"], None);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("NAME=VALUE"));
}

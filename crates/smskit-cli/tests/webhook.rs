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

// --- issue 9 (provider): empty tokens, tokens from the environment, Vonage signatures ---

#[test]
fn an_empty_twilio_token_is_a_usage_error() {
    // It printed `valid` for this signature, which anyone can compute with an empty key.
    let output = verify(URL, "", "3cdcKJhDP37mDuun3bl3LgM2ApY=", &PARAMS, None).output();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("--token"), "{}", stderr(&output));
}

#[test]
fn the_twilio_token_may_come_from_the_environment() {
    let mut args = vec![
        "webhook",
        "verify",
        "twilio",
        "--url",
        URL,
        "--signature",
        SIGNATURE,
    ];
    for param in PARAMS {
        args.extend(["--param", param]);
    }
    args.push("--json");
    let output = smskit(&args).env("TWILIO_AUTH_TOKEN", "12345").output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed, serde_json::json!({"valid": true}));
    let output = smskit(&args).env("TWILIO_AUTH_TOKEN", "54321").output();
    assert_eq!(code(&output), 1);
    assert!(
        stdout(&output).contains(r#""valid":false"#),
        "{}",
        stdout(&output)
    );
    assert!(!stderr(&output).contains("12345"));
    // Neither argv nor the environment: a usage error.
    assert_eq!(code(&smskit(&args).output()), 2);
    assert_eq!(
        code(&smskit(&args).env("TWILIO_AUTH_TOKEN", "").output()),
        2
    );
}

/// An inbound message of Vonage's PHP SDK test suite, signed with `md5hash` and
/// `my_secret_key_for_testing` at 1385047698.
const VONAGE_PARAMS: [&str; 8] = [
    "message-timestamp=2013-11-21 15:27:30",
    "messageId=020000001B0FE827",
    "msisdn=14843472194",
    "text=Test again",
    "timestamp=1385047698",
    "to=13239877404",
    "type=text",
    "sig=d2e7b1dc968737c5998ad624e02f90b7",
];

fn verify_vonage(params: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["webhook", "verify", "vonage"];
    for param in params {
        args.extend(["--param", param]);
    }
    args.extend_from_slice(extra);
    smskit(&args)
}

#[test]
fn vonage_signatures_are_verified() {
    let secret = [
        "--secret",
        "my_secret_key_for_testing",
        "--now",
        "1385047700",
    ];
    let output = verify_vonage(&VONAGE_PARAMS, &secret).output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(printed(&output), "valid");

    // Forged text, missing sig, another secret: invalid, with the reason on stderr.
    let mut forged = VONAGE_PARAMS;
    forged[3] = "text=Send me your password";
    for (params, secret, reason) in [
        (&forged[..], "my_secret_key_for_testing", "does not match"),
        (&VONAGE_PARAMS[..7], "my_secret_key_for_testing", "unsigned"),
        (&VONAGE_PARAMS[..], "another_secret", "does not match"),
    ] {
        let output = verify_vonage(params, &["--secret", secret, "--now", "1385047700"]).output();
        assert_eq!(code(&output), 1, "{}", stderr(&output));
        assert_eq!(printed(&output), "invalid");
        assert!(stderr(&output).contains(reason), "{}", stderr(&output));
    }

    // Stale: outside the tolerance of --now.
    let stale = [
        "--secret",
        "my_secret_key_for_testing",
        "--now",
        "2013-11-21T16:00:00Z",
    ];
    let output = verify_vonage(&VONAGE_PARAMS, &stale).output();
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("tolerance"), "{}", stderr(&output));
    let lenient = [&stale[..], &["--tolerance", "3600"]].concat();
    assert_eq!(code(&verify_vonage(&VONAGE_PARAMS, &lenient).output()), 0);
    // The clock is the default `now`: a webhook of 2013 is stale today.
    let output = verify_vonage(&VONAGE_PARAMS, &["--secret", "my_secret_key_for_testing"]).output();
    assert_eq!(code(&output), 1);
}

#[test]
fn vonage_methods_json_stdin_and_environment() {
    // Vonage's PHP SDK vector for sha256 HMAC, as a JSON body on standard input.
    let body = r#"{"message-timestamp": "2013-11-21 15:27:30", "messageId": "020000001B0FE827",
        "msisdn": "14843472194", "text": "Test again", "timestamp": "1385047698",
        "to": "13239877404", "type": "text",
        "sig": "DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330"}"#;
    let args = ["--method", "sha256", "--now", "1385047698", "--json"];
    let output = verify_vonage(&[], &args)
        .env("VONAGE_SIGNATURE_SECRET", "my_secret_key_for_testing")
        .stdin(body)
        .output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed, serde_json::json!({"valid": true}));
    // The same body checked with md5hash does not match; --json says why.
    let args = ["--method", "md5hash", "--now", "1385047698", "--json"];
    let output = verify_vonage(&[], &args)
        .env("VONAGE_SIGNATURE_SECRET", "my_secret_key_for_testing")
        .stdin(body)
        .output();
    assert_eq!(code(&output), 1);
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed["valid"], false);
    assert!(
        printed["error"]
            .as_str()
            .unwrap()
            .contains("does not match")
    );
    // A form body with --body.
    let form = "messageId=020000001B0FE827&msisdn=14843472194&text=Test+again&timestamp=1385047698\
        &to=13239877404&type=text&message-timestamp=2013-11-21+15%3A27%3A30\
        &sig=d2e7b1dc968737c5998ad624e02f90b7";
    let args = [
        "--secret",
        "my_secret_key_for_testing",
        "--now",
        "1385047698",
        "--body",
        form,
    ];
    assert_eq!(code(&verify_vonage(&[], &args).output()), 0);
}

#[test]
fn vonage_usage_errors_exit_2() {
    for (run, needle) in [
        (verify_vonage(&VONAGE_PARAMS, &[]), "--secret"),
        (
            verify_vonage(&VONAGE_PARAMS, &[]).env("VONAGE_SIGNATURE_SECRET", ""),
            "--secret",
        ),
        (verify_vonage(&VONAGE_PARAMS, &["--secret", ""]), "empty"),
        (
            verify_vonage(&VONAGE_PARAMS, &["--secret", "s", "--method", "sha384"]),
            "sha384",
        ),
        (
            verify_vonage(&VONAGE_PARAMS, &["--secret", "s", "--now", "yesterday"]),
            "yesterday",
        ),
    ] {
        let what = format!("{run:?}");
        let output = run.output();
        assert_eq!(code(&output), 2, "{what}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(needle),
            "{what}: {}",
            stderr(&output)
        );
    }
}

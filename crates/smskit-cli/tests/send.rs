//! `smskit send` end to end, against a fake provider server on 127.0.0.1.

mod common;
use common::{Run, code, smskit, stderr, stdout};

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

const SID: &str = "AC5ef8732a3c49700934481addd5ce1659";

/// A canned answer: status, headers, body, delay before answering.
type Canned = (
    u16,
    Vec<(&'static str, &'static str)>,
    &'static str,
    Duration,
);

/// A one-shot HTTP server: answers each connection with the next canned response (after an
/// optional delay) and records the requests (request line and body).
struct FakeServer {
    base: String,
    requests: Arc<Mutex<Vec<(String, String)>>>,
}

impl FakeServer {
    fn start(responses: Vec<Canned>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        thread::spawn(move || {
            for (status, headers, body, delay) in responses {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                if let Some(request) = read_request(&stream) {
                    recorded.lock().unwrap().push(request);
                }
                thread::sleep(delay);
                let mut stream = stream;
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        });
        Self { base, requests }
    }

    fn requests(&self) -> Vec<(String, String)> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<(String, String)> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((
        request_line.trim_end().to_owned(),
        String::from_utf8_lossy(&body).into_owned(),
    ))
}

/// `smskit send --provider PROVIDER --to TO --body BODY` and `extra`.
fn send(provider: &str, to: &str, body: &str, extra: &[&str]) -> Run {
    let args = ["send", "--provider", provider, "--to", to, "--body", body];
    smskit(&[&args[..], extra].concat())
}

/// Twilio credentials in the environment.
fn with_twilio_env(run: Run) -> Run {
    run.env("TWILIO_ACCOUNT_SID", SID)
        .env("TWILIO_AUTH_TOKEN", "secret-token")
}

/// `smskit send --provider twilio --to +32470123456 --from FROM --body BODY --api-base BASE`
/// and `extra`, with Twilio credentials in the environment.
fn send_twilio(base: &str, from: &str, body: &str, extra: &[&str]) -> Output {
    let args = ["--from", from, "--api-base", base];
    with_twilio_env(send(
        "twilio",
        "+32470123456",
        body,
        &[&args[..], extra].concat(),
    ))
    .output()
}

#[test]
fn twilio_receipt_is_printed_as_json() {
    let server = FakeServer::start(vec![(
        201,
        vec![("Content-Type", "application/json")],
        r#"{"sid": "SM1f0e8ae6ade43cb3c0ce4525424e404f", "status": "queued", "num_segments": "1", "price": null}"#,
        Duration::ZERO,
    )]);
    let output = send_twilio(
        &server.base,
        "+32460200000",
        "Hello & welcome",
        &["--status-callback", "https://example.com/sms/status"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let receipt: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(receipt["provider"], "twilio");
    assert_eq!(receipt["message_id"], "SM1f0e8ae6ade43cb3c0ce4525424e404f");
    assert_eq!(receipt["status"], "outgoing");
    assert_eq!(receipt["provider_status"], "queued");
    assert_eq!(receipt["segments"], 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].0,
        format!("POST /2010-04-01/Accounts/{SID}/Messages.json HTTP/1.1")
    );
    assert_eq!(
        requests[0].1,
        "To=%2B32470123456&From=%2B32460200000&Body=Hello+%26+welcome&StatusCallback=https%3A%2F%2Fexample.com%2Fsms%2Fstatus"
    );
}

#[test]
fn twilio_error_prints_class_code_and_message() {
    let server = FakeServer::start(vec![(
        400,
        vec![("Content-Type", "application/json")],
        r#"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "more_info": "https://www.twilio.com/docs/errors/21610", "status": 400}"#,
        Duration::ZERO,
    )]);
    let output = send_twilio(&server.base, "+32460200000", "Hi", &[]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).is_empty());
    let err = stderr(&output);
    assert!(err.contains("permanent"), "{err}");
    assert!(err.contains("21610"), "{err}");
    assert!(
        err.contains("Attempt to send to unsubscribed recipient"),
        "{err}"
    );
    assert!(err.contains("sms_optout"), "{err}");
}

#[test]
fn rate_limited_is_retryable() {
    let server = FakeServer::start(vec![(
        429,
        vec![("Retry-After", "3")],
        r#"{"code": 20429, "message": "Too Many Requests"}"#,
        Duration::ZERO,
    )]);
    let output = send_twilio(&server.base, "ACME", "Hi", &[]);
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(err.contains("retryable") && err.contains("20429"), "{err}");
}

#[test]
fn timeout_is_unknown() {
    let server = FakeServer::start(vec![(
        201,
        vec![],
        r#"{"sid": "SM1", "status": "queued"}"#,
        Duration::from_millis(2500),
    )]);
    let output = send_twilio(&server.base, "ACME", "Hi", &["--timeout", "0.5"]);
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(err.contains("unknown error"), "{err}");
}

#[test]
fn vonage_parts() {
    let server = FakeServer::start(vec![(
        200,
        vec![("Content-Type", "application/json")],
        r#"{"message-count": "1", "messages": [{"to": "447400123456", "message-id": "0A0000000123ABCD1", "status": "0", "remaining-balance": "3.14159265", "message-price": "0.03330000", "network": "12345"}]}"#,
        Duration::ZERO,
    )]);
    let output = send(
        "vonage",
        "+447400123456",
        "Hi",
        &["--from", "ACME", "--api-base", &server.base],
    )
    .env("VONAGE_API_KEY", "abcd1234")
    .env("VONAGE_API_SECRET", "s3cr3t")
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    let receipt: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(receipt["message_id"], "0A0000000123ABCD1");
    assert_eq!(receipt["status"], "pending");
    let requests = server.requests();
    assert_eq!(requests[0].0, "POST /sms/json HTTP/1.1");
    assert_eq!(
        requests[0].1,
        "api_key=abcd1234&api_secret=s3cr3t&from=ACME&to=447400123456&text=Hi"
    );
}

#[test]
fn file_provider_writes_the_outbox() {
    let dir = std::env::temp_dir().join(format!("smskit-cli-send-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let output = send(
        "file",
        "0032470123456",
        "Hello",
        &["--outbox", dir.to_str().unwrap()],
    )
    .output();
    assert!(output.status.success(), "{}", stderr(&output));
    let receipt: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(receipt["provider"], "file");
    let id = receipt["message_id"].as_str().unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap())
            .unwrap();
    assert_eq!(stored["to"], "+32470123456");
    assert_eq!(stored["body"], "Hello");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stub_accepts() {
    let output = send("stub", "+32470123456", "Hello", &[]).output();
    assert!(output.status.success(), "{}", stderr(&output));
    let receipt: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(receipt["provider"], "stub");
    assert_eq!(receipt["message_id"], "stub-1");
}

#[test]
fn usage_errors_exit_2() {
    let twilio = || send("twilio", "+32470123456", "x", &["--from", "ACME"]);
    let cases: [(Run, &str); 6] = [
        (twilio(), "TWILIO_ACCOUNT_SID"),
        (
            twilio()
                .env("TWILIO_ACCOUNT_SID", "ACnope")
                .env("TWILIO_AUTH_TOKEN", "t"),
            "account SID",
        ),
        (
            send("vonage", "+447400123456", "x", &[])
                .env("VONAGE_API_KEY", "k")
                .env("VONAGE_API_SECRET", "s"),
            "--from",
        ),
        (send("stub", "not a number", "x", &[]), "--to"),
        (
            send("stub", "+32470123456", "x", &["--from", "bad sender!"]),
            "--from",
        ),
        (send("file", "+32470123456", "x", &[]), "--outbox"),
    ];
    for (run, needle) in cases {
        let what = format!("{run:?}");
        let output = run.output();
        assert_eq!(code(&output), 2, "{what}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(needle),
            "{what}: {}",
            stderr(&output)
        );
    }
    let output = send("stub", "+32470123456", "x", &["--timeout", "0"]).output();
    assert_eq!(code(&output), 2);
}

#[test]
fn unreachable_server_is_retryable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let output = send_twilio(&base, "ACME", "Hi", &[]);
    assert_eq!(code(&output), 1);
    assert!(stderr(&output).contains("retryable"), "{}", stderr(&output));
}

// --- issue 9 (provider): --country, empty bodies, API bases, redacted credentials ---

#[test]
fn country_reads_a_national_number() {
    let output = send("stub", "0470 12 34 56", "Hello", &["--country", "BE"]).output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = send("file", "0470 12 34 56", "Hello", &[]).output();
    assert_eq!(
        code(&output),
        2,
        "without --country a national number is a usage error"
    );
    let dir = std::env::temp_dir().join(format!("smskit-cli-country-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let outbox = ["--country", "be", "--outbox", dir.to_str().unwrap()];
    let output = send("file", "0470 12 34 56", "Hello", &outbox).output();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let receipt: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let id = receipt["message_id"].as_str().unwrap();
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap())
            .unwrap();
    assert_eq!(stored["to"], "+32470123456");
    std::fs::remove_dir_all(&dir).unwrap();
    let output = send("stub", "+32470123456", "x", &["--country", "XX"]).output();
    assert_eq!(code(&output), 2);
}

#[test]
fn an_empty_body_is_a_usage_error() {
    let output = send("stub", "+32470123456", "", &[]).output();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("--body"), "{}", stderr(&output));
}

#[test]
fn an_api_base_with_a_query_or_fragment_is_refused() {
    // It sent the request to `/?x=1/2010-04-01/…` and reported success.
    for suffix in ["/?x=1", "/#frag", "/v1?"] {
        let server = FakeServer::start(vec![(
            201,
            vec![],
            r#"{"sid": "SM1", "status": "queued"}"#,
            Duration::ZERO,
        )]);
        let base = format!("{}{suffix}", server.base);
        let output = send_twilio(&base, "ACME", "Hi", &[]);
        assert_eq!(code(&output), 2, "{base}: {}", stderr(&output));
        assert!(stderr(&output).contains("API base"), "{}", stderr(&output));
        assert!(server.requests().is_empty(), "{base}: nothing is sent");
    }
    let output = send(
        "vonage",
        "+447400123456",
        "Hi",
        &["--from", "ACME", "--api-base"],
    )
    .output();
    assert_eq!(code(&output), 2);
    let output = send(
        "vonage",
        "+447400123456",
        "Hi",
        &[
            "--from",
            "ACME",
            "--api-base",
            "https://rest.example.com/#x",
        ],
    )
    .env("VONAGE_API_KEY", "k")
    .env("VONAGE_API_SECRET", "s")
    .output();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
}

#[test]
fn a_secret_in_the_wrong_variable_is_never_echoed() {
    // The auth token put in TWILIO_ACCOUNT_SID was printed in full.
    let token = "5e1f0c2a9b8d7e6f5a4b3c2d1e0f9a8b";
    let output = send("twilio", "+32470123456", "Hi", &["--from", "ACME"])
        .env("TWILIO_ACCOUNT_SID", token)
        .env("TWILIO_AUTH_TOKEN", SID)
        .output();
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains("account SID"), "{err}");
    assert!(!err.contains(&token[..8]), "{err}");
    assert!(!err.contains(&SID[2..10]), "{err}");
}

#[test]
fn control_characters_in_a_provider_message_are_escaped() {
    let server = FakeServer::start(vec![(
        400,
        vec![("Content-Type", "application/json")],
        r#"{"code": 21211, "message": "bad\u001b[2J\u0007 number\r\nsmskit: sent\u202e\u009b", "status": 400}"#,
        Duration::ZERO,
    )]);
    let output = send_twilio(&server.base, "+32460200000", "Hi", &[]);
    assert_eq!(code(&output), 1);
    let err = stderr(&output);
    assert!(
        err.contains(r"bad\x1b[2J\x07 number\r\nsmskit: sent\u{202e}\u{9b}"),
        "{err:?}"
    );
    assert!(
        !err.trim_end_matches('\n')
            .chars()
            .any(|c| c.is_control() || c == '\u{202e}'),
        "{err:?}"
    );
}

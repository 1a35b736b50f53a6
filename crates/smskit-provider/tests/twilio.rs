//! Twilio conformance: recorded request/response fixtures, status callbacks, signatures.

mod common;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use common::{With as _, request};
use common::{
    assert_report, assert_send_fixture, fixtures, jsonl, message_from, response_from, str_of,
};
use http::Method;
use serde_json::Value;
use smskit_provider::twilio::{
    SignatureValidator, Twilio, TwilioConfig, parse_status_callback_body,
};
use smskit_provider::{ErrorKind, HttpRequest, Provider, parse_form};

const SID: &str = "AC5ef8732a3c49700934481addd5ce1659";
const TOKEN: &str = "2ecd5e9b8d1cbe6bb5d5b1bb4b5e3f7a";

fn config(fixture: &Value) -> TwilioConfig {
    let mut config = TwilioConfig::new(SID, TOKEN).unwrap();
    if let Some(sid) = str_of(&fixture["config"], "messaging_service_sid") {
        config = config.with_messaging_service(sid).unwrap();
    }
    config
}

#[test]
fn send_fixtures() {
    let fixtures = fixtures("twilio/send");
    assert!(fixtures.len() >= 20, "the fixtures are missing");
    for (name, fixture) in fixtures {
        let transport = Arc::new(common::Replay::new(response_from(&fixture["response"])));
        let twilio = Twilio::new(config(&fixture), transport.clone());
        assert_send_fixture(&name, &fixture, &twilio, &transport, "twilio");
    }
}

fn received_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap()
}

#[test]
fn callback_fixtures() {
    let lines = jsonl("twilio/callbacks.jsonl");
    assert!(lines.len() >= 25);
    for line in lines {
        let name = str_of(&line, "description").unwrap();
        let body = str_of(&line, "body").unwrap();
        let expect = &line["expect"];
        match parse_status_callback_body(body.as_bytes(), received_at()) {
            Ok(report) => {
                assert!(
                    expect.get("error").is_none(),
                    "{name}: expected an error, got {report:?}"
                );
                assert_eq!(report.provider, "twilio");
                assert_eq!(
                    report.at,
                    received_at(),
                    "{name}: Twilio callbacks have no time"
                );
                assert_report(name, &report, expect);
            }
            Err(error) => {
                assert_eq!(
                    common::snake(error.kind()),
                    str_of(expect, "error").unwrap_or("?"),
                    "{name}: {error}"
                );
            }
        }
    }
}

#[test]
fn signature_fixtures() {
    let cases: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(common::testdata("twilio/signatures.json")).unwrap(),
    )
    .unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = str_of(&case, "description").unwrap();
        let params: Vec<(String, String)> = case["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_owned(),
                    pair[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let token = str_of(&case, "token").unwrap();
        let url = str_of(&case, "url").unwrap();
        let signature = str_of(&case, "signature").unwrap();
        let valid = case["valid"].as_bool().unwrap();
        match SignatureValidator::new(token) {
            Ok(validator) => {
                assert_eq!(validator.is_valid(url, &params, signature), valid, "{name}")
            }
            Err(error) => {
                assert!(!valid, "{name}");
                assert_eq!(error.kind(), ErrorKind::InvalidConfig, "{name}");
            }
        }
    }
}

fn signed_callback(url: &str, body: &str, token: &str) -> HttpRequest {
    let signature = SignatureValidator::new(token)
        .unwrap()
        .sign(url, &parse_form(body.as_bytes()));
    request(Method::POST, url)
        .with_header("Content-Type", "application/x-www-form-urlencoded")
        .with_header("X-Twilio-Signature", &signature)
        .with_body(body)
}

#[test]
fn provider_verifies_then_parses_callbacks() {
    let twilio = Twilio::new(
        TwilioConfig::new(SID, TOKEN).unwrap(),
        common::Replay::unused(),
    );
    let provider: &dyn Provider = &twilio;
    let url = "https://example.com/sms/twilio/status?trace=42";
    let body = "MessageSid=SM1&MessageStatus=delivered&To=%2B32470123456";

    let report = provider
        .parse_delivery_report(&signed_callback(url, body, TOKEN), received_at())
        .unwrap();
    assert_eq!(report.message_id, "SM1");
    assert_eq!(report.status.as_str(), "sent");

    // Behind a proxy that adds the default port.
    let mut with_port = signed_callback(url, body, TOKEN);
    *with_port.uri_mut() = "https://example.com:443/sms/twilio/status?trace=42"
        .parse()
        .unwrap();
    assert!(
        provider
            .parse_delivery_report(&with_port, received_at())
            .is_ok()
    );

    // Forged: signed with another token, tampered body, missing header.
    let forged = signed_callback(url, body, "another-token");
    assert_eq!(
        provider
            .parse_delivery_report(&forged, received_at())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidWebhook
    );
    let mut tampered = signed_callback(url, body, TOKEN);
    *tampered.body_mut() = "MessageSid=SM1&MessageStatus=failed&To=%2B32470123456".into();
    assert_eq!(
        provider
            .parse_delivery_report(&tampered, received_at())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidWebhook
    );
    let unsigned = request(Method::POST, url).with_body(body);
    assert!(
        provider
            .parse_delivery_report(&unsigned, received_at())
            .is_err()
    );

    // A GET callback: the parameters are in the signed URL.
    let get_url = "https://example.com/status?MessageSid=SM2&MessageStatus=sent";
    let get = request(Method::GET, get_url).with_header(
        "X-Twilio-Signature",
        &SignatureValidator::new(TOKEN)
            .unwrap()
            .sign(get_url, &Vec::<(String, String)>::new()),
    );
    assert_eq!(
        provider
            .parse_delivery_report(&get, received_at())
            .unwrap()
            .message_id,
        "SM2"
    );

    // Verification can be turned off; without a token it cannot be done.
    let open = Twilio::new(
        TwilioConfig::new(SID, TOKEN)
            .unwrap()
            .without_webhook_verification(),
        common::Replay::unused(),
    );
    assert!(open.parse_delivery_report(&unsigned, received_at()).is_ok());
    let key_only =
        TwilioConfig::from_api_key(SID, "SK0123456789abcdef0123456789abcdef", "secret").unwrap();
    let key_only = Twilio::new(key_only, common::Replay::unused());
    assert_eq!(
        key_only
            .parse_delivery_report(&signed_callback(url, body, TOKEN), received_at())
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidConfig
    );
    let key_only =
        TwilioConfig::from_api_key(SID, "SK0123456789abcdef0123456789abcdef", "secret").unwrap();
    assert_eq!(
        key_only.clone().with_webhook_token("").unwrap_err().kind(),
        ErrorKind::InvalidConfig,
        "an empty webhook token is refused"
    );
    let key_and_token = Twilio::new(
        key_only.with_webhook_token(TOKEN).unwrap(),
        common::Replay::unused(),
    );
    assert!(
        key_and_token
            .parse_delivery_report(&signed_callback(url, body, TOKEN), received_at())
            .is_ok()
    );
}

#[test]
fn locally_refused_messages_never_reach_the_transport() {
    let transport = Arc::new(common::Replay::new(common::response(201, "{}")));
    let twilio = Twilio::new(TwilioConfig::new(SID, TOKEN).unwrap(), transport.clone());
    let message = message_from(&serde_json::json!({"to": "+32470123456", "body": "no sender"}));
    assert_eq!(
        twilio.send(&message).unwrap_err().kind(),
        ErrorKind::InvalidSender
    );
    assert!(transport.requests.lock().unwrap().is_empty());
}

/// Inbound messages go through the same signature check as status callbacks.
#[test]
fn provider_verifies_then_parses_inbound_messages() {
    let twilio = Twilio::new(
        TwilioConfig::new(SID, TOKEN).unwrap(),
        common::Replay::unused(),
    );
    let url = "https://example.com/sms/twilio/inbound";
    let body = "MessageSid=SM7&From=%2B32470123456&To=%2B32460200000&Body=STOP";
    let sms = twilio
        .parse_inbound_message(&signed_callback(url, body, TOKEN), received_at())
        .unwrap();
    assert_eq!(
        (
            sms.message_id.as_str(),
            sms.from.as_str(),
            sms.text.as_str()
        ),
        ("SM7", "+32470123456", "STOP")
    );
    for forged in [
        signed_callback(url, body, "another-token"),
        request(Method::POST, url).with_body(body),
    ] {
        let error = twilio
            .parse_inbound_message(&forged, received_at())
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidWebhook);
    }
}

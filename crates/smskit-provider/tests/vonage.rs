//! Vonage conformance: recorded request/response fixtures and delivery receipts.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::{With as _, request};
use common::{assert_report, assert_send_fixture, fixtures, jsonl, response_from, str_of};
use http::Method;
use serde_json::Value;
use smskit_provider::vonage::{SignatureMethod, SignatureVerifier, Vonage, VonageConfig};
use smskit_provider::{Currency, Provider};

const KEY: &str = "abcd1234";
const SECRET: &str = "Sx8Yq2Lm4Nz6Pw0R";

/// The account of the fixtures: its prices are in EUR.
fn config() -> VonageConfig {
    VonageConfig::new(KEY, SECRET)
        .unwrap()
        .with_currency(Currency::new("EUR").unwrap())
        .with_signature(verifier())
}

/// The account's signature secret, which signs every receipt.
fn verifier() -> SignatureVerifier {
    SignatureVerifier::new("Vq7sXk2rPz9mLw4T", SignatureMethod::Sha512Hmac).unwrap()
}

#[test]
fn send_fixtures() {
    let fixtures = fixtures("vonage/send");
    assert!(fixtures.len() >= 15, "the fixtures are missing");
    for (name, fixture) in fixtures {
        let transport = Arc::new(common::Replay::new(response_from(&fixture["response"])));
        let vonage = Vonage::new(config(), transport.clone());
        assert_send_fixture(&name, &fixture, &vonage, &transport, "vonage");
    }
}

#[test]
fn receipt_fixtures() {
    let vonage = Vonage::new(config(), common::Replay::unused());
    let received_at = DateTime::<Utc>::UNIX_EPOCH;
    let lines = jsonl("vonage/receipts.jsonl");
    assert!(lines.len() >= 15);
    for line in lines {
        let name = str_of(&line, "description").unwrap();
        let mut params: Vec<(String, String)> = line["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        // Signed as Vonage signs: a timestamp (the receipt arrives 2 s later) and the sig.
        params.push(("timestamp".to_owned(), "-2".to_owned()));
        let sig = verifier().sign(&params);
        params.push(("sig".to_owned(), sig));
        let request = match str_of(&line, "encoding").unwrap() {
            "json" => {
                let object: serde_json::Map<String, Value> = params
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                request(Method::POST, "https://example.com/dlr")
                    .with_body(serde_json::to_vec(&object).unwrap())
            }
            "query" => {
                let mut query = form_urlencoded::Serializer::new(String::new());
                query.extend_pairs(&params);
                request(
                    Method::GET,
                    format!("https://example.com/dlr?{}", query.finish()),
                )
            }
            _ => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                form.extend_pairs(&params);
                request(Method::POST, "https://example.com/dlr").with_body(form.finish())
            }
        };
        let expect = &line["expect"];
        match vonage.parse_delivery_report(&request, received_at) {
            Ok(report) => {
                assert!(
                    expect.get("error").is_none(),
                    "{name}: expected an error, got {report:?}"
                );
                assert_eq!(report.provider, "vonage");
                assert_report(name, &report, expect);
            }
            Err(error) => assert_eq!(
                common::snake(error.kind()),
                str_of(expect, "error").unwrap_or("?"),
                "{name}: {error}"
            ),
        }
    }
}

/// Inbound messages are verified like receipts: only a signed, fresh message is parsed.
#[test]
fn inbound_messages_are_verified_then_parsed() {
    let vonage = Vonage::new(config(), common::Replay::unused());
    let received_at = DateTime::<Utc>::from_timestamp(1_700_000_010, 0).unwrap();
    let mut params: Vec<(String, String)> = [
        ("msisdn", "447700900000"),
        ("to", "447700900001"),
        ("messageId", "0A000000ABCDEF01"),
        ("text", "STOP"),
        ("type", "text"),
        ("keyword", "STOP"),
        ("message-timestamp", "2023-11-14 22:13:25"),
        ("timestamp", "1700000005"),
    ]
    .iter()
    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
    .collect();
    let sig = verifier().sign(&params);
    params.push(("sig".to_owned(), sig));
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(&params);
    let body = form.finish();
    let post = request(Method::POST, "https://example.com/inbound").with_body(body.clone());
    let sms = vonage.parse_inbound_message(&post, received_at).unwrap();
    assert_eq!(sms.from.as_str(), "+447700900000");
    assert_eq!(sms.text, "STOP");
    assert_eq!(sms.at.to_rfc3339(), "2023-11-14T22:13:25+00:00");

    let forged = request(Method::POST, "https://example.com/inbound")
        .with_body(body.replace("text=STOP", "text=START"));
    let stale = DateTime::<Utc>::from_timestamp(1_700_001_000, 0).unwrap();
    let unsigned = request(Method::POST, "https://example.com/inbound")
        .with_body("msisdn=447700900000&to=1&messageId=X&text=STOP&timestamp=1700000005");
    for (request, at) in [
        (&forged, received_at),
        (&post, stale),
        (&unsigned, received_at),
    ] {
        let error = vonage.parse_inbound_message(request, at).unwrap_err();
        assert_eq!(
            error.kind(),
            smskit_provider::ErrorKind::InvalidWebhook,
            "{error}"
        );
    }
}

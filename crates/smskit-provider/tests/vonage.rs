//! Vonage conformance: recorded request/response fixtures and delivery receipts.

mod common;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use common::{
    assert_error, assert_receipt, assert_report, assert_request, fixtures, jsonl, message_from,
    response_from, str_of,
};
use smskit_provider::vonage::{Vonage, VonageConfig};
use smskit_provider::{HttpRequest, Method, Provider};

const KEY: &str = "abcd1234";
const SECRET: &str = "Sx8Yq2Lm4Nz6Pw0R";

#[test]
fn send_fixtures() {
    let fixtures = fixtures("vonage/send");
    assert!(fixtures.len() >= 15, "the fixtures are missing");
    for (name, fixture) in fixtures {
        let message = message_from(&fixture["message"]);
        let transport = Arc::new(common::Replay::new(response_from(&fixture["response"])));
        let vonage = Vonage::new(VonageConfig::new(KEY, SECRET).unwrap(), transport.clone());
        let outcome = vonage.send(&message);
        let requests = transport.requests.lock().unwrap().clone();
        assert_eq!(requests.len(), 1, "{name}: one request");
        assert_request(&name, &requests[0], &fixture["request"]);
        match (
            &outcome,
            fixture["expect"].get("ok"),
            fixture["expect"].get("error"),
        ) {
            (Ok(receipt), Some(expected), None) => {
                assert_eq!(receipt.provider, "vonage");
                assert_receipt(&name, receipt, expected);
            }
            (Err(error), None, Some(expected)) => assert_error(&name, error, expected),
            _ => panic!("{name}: unexpected outcome {outcome:?}"),
        }
    }
}

#[test]
fn receipt_fixtures() {
    let vonage = Vonage::new(
        VonageConfig::new(KEY, SECRET).unwrap(),
        Arc::new(common::Replay::new(smskit_provider::HttpResponse::new(
            500, "",
        ))),
    );
    let received_at = DateTime::<Utc>::UNIX_EPOCH;
    let lines = jsonl("vonage/receipts.jsonl");
    assert!(lines.len() >= 15);
    for line in lines {
        let name = str_of(&line, "description").unwrap();
        let params: Vec<(String, String)> = line["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let request = match str_of(&line, "encoding").unwrap() {
            "json" => HttpRequest::new(Method::Post, "https://example.com/dlr")
                .with_body(serde_json::to_vec(&line["params"]).unwrap()),
            "query" => {
                let mut query = form_urlencoded::Serializer::new(String::new());
                query.extend_pairs(&params);
                HttpRequest::new(
                    Method::Get,
                    format!("https://example.com/dlr?{}", query.finish()),
                )
            }
            _ => {
                let mut form = form_urlencoded::Serializer::new(String::new());
                form.extend_pairs(&params);
                HttpRequest::new(Method::Post, "https://example.com/dlr").with_body(form.finish())
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

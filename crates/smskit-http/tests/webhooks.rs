//! Provider webhooks over real HTTP: signed ones applied (monotonically, idempotently),
//! forged, unsigned and stale ones refused with 403 and nothing applied.

mod common;

use common::{Served, TWILIO_TOKEN, VONAGE_SECRET};
use smskit::Store;
use smskit::provider::TraceStatus;
use smskit::provider::twilio::SignatureValidator;
use smskit::provider::vonage::{SignatureMethod, SignatureVerifier};

fn form(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(name, value)| format!("{}={}", form_encode(name), form_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn form_encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                encoded.push(byte as char);
            }
            b' ' => encoded.push('+'),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    encoded
}

/// POSTs a Twilio webhook signed with `token` (unsigned with `None`); the status.
fn twilio(
    served: &Served,
    path: &str,
    params: &[(&str, &str)],
    token: Option<&str>,
) -> (u16, String) {
    let url = served.url(path);
    let mut request = served
        .agent
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded");
    if let Some(token) = token {
        let signature = SignatureValidator::new(token).unwrap().sign(&url, params);
        request = request.header("X-Twilio-Signature", &signature);
    }
    let mut response = request.send(form(params)).unwrap();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (response.status().as_u16(), body)
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}

/// POSTs a Vonage webhook (form) signed with `secret` at `timestamp` (unsigned with `None`).
fn vonage(
    served: &Served,
    path: &str,
    params: &[(&str, &str)],
    secret: Option<&str>,
    timestamp: i64,
) -> u16 {
    let stamp = timestamp.to_string();
    let mut all: Vec<(&str, &str)> = params.to_vec();
    all.push(("timestamp", &stamp));
    let signature;
    if let Some(secret) = secret {
        signature = SignatureVerifier::new(secret, SignatureMethod::Md5Hash)
            .unwrap()
            .sign(&all);
        all.push(("sig", &signature));
    }
    served
        .agent
        .post(served.url(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(form(&all))
        .unwrap()
        .status()
        .as_u16()
}

fn status_of(served: &Served, n: usize) -> TraceStatus {
    served
        .store()
        .trace(served.traces[n].id)
        .unwrap()
        .unwrap()
        .status
}

fn message_id(served: &Served, n: usize) -> String {
    served.traces[n].provider_message_id.clone().unwrap()
}

#[test]
fn twilio_status_callbacks_are_verified_and_applied_monotonically() {
    let served = Served::start(|config| config);
    let id = message_id(&served, 0);
    let before = status_of(&served, 0);
    let delivered = [("MessageSid", id.as_str()), ("MessageStatus", "delivered")];
    // Unsigned and forged: 403, nothing applied.
    assert_eq!(
        twilio(&served, "/webhooks/twilio/status", &delivered, None).0,
        403
    );
    assert_eq!(
        twilio(
            &served,
            "/webhooks/twilio/status",
            &delivered,
            Some("another-token")
        )
        .0,
        403
    );
    assert_eq!(status_of(&served, 0), before);
    // Signed, then altered after signing: refused.
    let url = served.url("/webhooks/twilio/status");
    let signature = SignatureValidator::new(TWILIO_TOKEN)
        .unwrap()
        .sign(&url, &delivered);
    let altered = [("MessageSid", id.as_str()), ("MessageStatus", "failed")];
    let response = served
        .agent
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", &signature)
        .send(form(&altered))
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(status_of(&served, 0), before);

    // Signed: applied; replayed: still 200, nothing more.
    for _ in 0..2 {
        assert_eq!(
            twilio(
                &served,
                "/webhooks/twilio/status",
                &delivered,
                Some(TWILIO_TOKEN)
            )
            .0,
            200
        );
        assert_eq!(status_of(&served, 0), TraceStatus::Sent);
    }
    // A late `sent` (the step before delivery) arrives after `delivered`: ignored.
    let sent = [("MessageSid", id.as_str()), ("MessageStatus", "sent")];
    assert_eq!(
        twilio(
            &served,
            "/webhooks/twilio/status",
            &sent,
            Some(TWILIO_TOKEN)
        )
        .0,
        200
    );
    assert_eq!(status_of(&served, 0), TraceStatus::Sent);
    // Signed but unreadable: 400.
    assert_eq!(
        twilio(
            &served,
            "/webhooks/twilio/status",
            &[("MessageSid", "SM1")],
            Some(TWILIO_TOKEN)
        )
        .0,
        400
    );
    assert_eq!(
        served.metric(
            "smskit_webhooks_total{provider=\"twilio\",endpoint=\"status\",result=\"forged\"}"
        ),
        3.0
    );
    assert_eq!(
        served.metric(
            "smskit_webhooks_total{provider=\"twilio\",endpoint=\"status\",result=\"applied\"}"
        ),
        1.0
    );
    assert_eq!(
        served.metric(
            "smskit_webhooks_total{provider=\"twilio\",endpoint=\"status\",result=\"unchanged\"}"
        ),
        2.0
    );
}

#[test]
fn twilio_stop_replies_blacklist_the_sender_once() {
    let served = Served::start(|config| config);
    let from = served.traces[1].number.unwrap();
    let stop = [
        ("MessageSid", "SMinbound1"),
        ("From", from.as_str()),
        ("To", "+32460200000"),
        ("Body", "STOP"),
    ];
    let (status, _) = twilio(&served, "/webhooks/twilio/inbound", &stop, Some("forged"));
    assert_eq!(status, 403);
    assert!(served.store().blacklist_entry(from).unwrap().is_none());
    for _ in 0..2 {
        let (status, body) = twilio(
            &served,
            "/webhooks/twilio/inbound",
            &stop,
            Some(TWILIO_TOKEN),
        );
        assert_eq!(status, 200);
        assert!(body.contains("<Response/>"), "{body}");
    }
    assert!(
        served
            .store()
            .blacklist_entry(from)
            .unwrap()
            .unwrap()
            .active
    );
    // The retry was not recorded twice.
    assert_eq!(served.store().replies(from).unwrap().len(), 1);
}

#[test]
fn vonage_receipts_are_verified_fresh_and_applied_monotonically() {
    let served = Served::start(|config| config);
    let id = message_id(&served, 2);
    let msisdn = served.traces[2].number.unwrap().as_str()[1..].to_owned();
    let before = status_of(&served, 2);
    let delivered = [
        ("messageId", id.as_str()),
        ("msisdn", msisdn.as_str()),
        ("to", "ACME"),
        ("status", "delivered"),
        ("err-code", "0"),
    ];
    let now = now_seconds();
    assert_eq!(
        vonage(&served, "/webhooks/vonage/dlr", &delivered, None, now),
        403
    );
    assert_eq!(
        vonage(
            &served,
            "/webhooks/vonage/dlr",
            &delivered,
            Some("not-the-secret"),
            now
        ),
        403
    );
    // Replayed an hour later: the timestamp is stale.
    assert_eq!(
        vonage(
            &served,
            "/webhooks/vonage/dlr",
            &delivered,
            Some(VONAGE_SECRET),
            now - 3600
        ),
        403
    );
    assert_eq!(status_of(&served, 2), before);
    for _ in 0..2 {
        assert_eq!(
            vonage(
                &served,
                "/webhooks/vonage/dlr",
                &delivered,
                Some(VONAGE_SECRET),
                now
            ),
            204
        );
        assert_eq!(status_of(&served, 2), TraceStatus::Sent);
    }
    // An earlier `accepted` arriving late changes nothing.
    let accepted = [
        ("messageId", id.as_str()),
        ("msisdn", msisdn.as_str()),
        ("to", "ACME"),
        ("status", "accepted"),
    ];
    assert_eq!(
        vonage(
            &served,
            "/webhooks/vonage/dlr",
            &accepted,
            Some(VONAGE_SECRET),
            now
        ),
        204
    );
    assert_eq!(status_of(&served, 2), TraceStatus::Sent);
    assert_eq!(
        served.metric(
            "smskit_webhooks_total{provider=\"vonage\",endpoint=\"dlr\",result=\"forged\"}"
        ),
        3.0
    );
}

#[test]
fn vonage_stop_replies_blacklist_the_sender() {
    let served = Served::start(|config| config);
    let from = served.traces[0].number.unwrap();
    let msisdn = &from.as_str()[1..];
    let stop = [
        ("messageId", "0A0000001"),
        ("msisdn", msisdn),
        ("to", "32460200000"),
        ("text", "Stop"),
        ("type", "text"),
    ];
    let now = now_seconds();
    assert_eq!(
        vonage(&served, "/webhooks/vonage/inbound", &stop, None, now),
        403
    );
    assert!(served.store().blacklist_entry(from).unwrap().is_none());
    assert_eq!(
        vonage(
            &served,
            "/webhooks/vonage/inbound",
            &stop,
            Some(VONAGE_SECRET),
            now
        ),
        204
    );
    assert_eq!(
        vonage(
            &served,
            "/webhooks/vonage/inbound",
            &stop,
            Some(VONAGE_SECRET),
            now
        ),
        204
    );
    assert!(
        served
            .store()
            .blacklist_entry(from)
            .unwrap()
            .unwrap()
            .active
    );
    assert_eq!(served.store().replies(from).unwrap().len(), 1);
}

#[test]
fn without_a_secret_a_providers_webhooks_are_refused() {
    let served =
        Served::start(|config| smskit_http::HttpConfig::new(config.public_url(), "admin-token"));
    let id = message_id(&served, 0);
    let delivered = [("MessageSid", id.as_str()), ("MessageStatus", "delivered")];
    assert_eq!(
        twilio(
            &served,
            "/webhooks/twilio/status",
            &delivered,
            Some(TWILIO_TOKEN)
        )
        .0,
        403
    );
    assert_ne!(status_of(&served, 0), TraceStatus::Sent);
    assert_eq!(
        served.metric(
            "smskit_webhooks_total{provider=\"twilio\",endpoint=\"status\",result=\"unconfigured\"}"
        ),
        1.0
    );
}

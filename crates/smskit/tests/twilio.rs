//! A campaign through the real Twilio provider against a fake Twilio on 127.0.0.1: messages
//! leave as Twilio's API expects them, refusals and ambiguous answers are recorded as the spec
//! says, and signed status callbacks (only signed ones) update the traces.
#![cfg(feature = "ureq")]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use smskit::chrono::{DateTime, Utc};
use smskit::model::{Audience, NewContact, NewMailing, Trace};
use smskit::provider::twilio::{SignatureValidator, Twilio, TwilioConfig};
use smskit::provider::{
    DispatchOptions, FailureType, HttpRequest, Method, RetryPolicy, SimulatedClock, TraceStatus,
    UreqTransport,
};
use smskit::{Engine, Error, MemoryStore, Settings, Store};

const SID: &str = "AC5ef8732a3c49700934481addd5ce1659";
const TOKEN: &str = "the account's auth token";
const CALLBACK: &str = "https://app.example.com/sms/status";

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

/// A fake Twilio: answers each message by the number it goes to, and records the forms.
struct FakeTwilio {
    base: String,
    forms: Arc<Mutex<Vec<HashMap<String, String>>>>,
}

impl FakeTwilio {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let forms = Arc::new(Mutex::new(Vec::new()));
        let recorded = forms.clone();
        thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(mut stream) = stream else { return };
                let Some(form) = read_form(&stream) else {
                    continue;
                };
                let to = form.get("To").cloned().unwrap_or_default();
                recorded.lock().unwrap().push(form);
                let (status, body) = match to.as_str() {
                    // An invalid number: Twilio's 400 with code 21211.
                    "+32470000002" => (
                        400,
                        r#"{"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}"#.to_owned(),
                    ),
                    // A 502 from a proxy: the message may have been accepted.
                    "+32470000003" => (502, "bad gateway".to_owned()),
                    _ => (
                        201,
                        format!(r#"{{"sid": "SM{n:032}", "status": "queued", "num_segments": "1"}}"#),
                    ),
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body.as_bytes());
            }
        });
        FakeTwilio { base, forms }
    }
}

fn read_form(stream: &std::net::TcpStream) -> Option<HashMap<String, String>> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(
        smskit::provider::parse_form(&body)
            .into_iter()
            .collect::<HashMap<_, _>>(),
    )
}

fn callback(status: &str, sid: &str, signed_with: Option<&str>) -> HttpRequest {
    let params = [("MessageSid", sid), ("MessageStatus", status)];
    let body = format!("MessageSid={sid}&MessageStatus={status}");
    let mut request = HttpRequest::new(Method::Post, CALLBACK)
        .with_header("Content-Type", "application/x-www-form-urlencoded")
        .with_body(body);
    if let Some(token) = signed_with {
        let signature = SignatureValidator::new(token)
            .unwrap()
            .sign(CALLBACK, &params);
        request = request.with_header("X-Twilio-Signature", signature);
    }
    request
}

#[test]
fn a_campaign_through_twilio_with_signed_status_callbacks() {
    let server = FakeTwilio::start();
    let config = TwilioConfig::new(SID, TOKEN)
        .unwrap()
        .with_api_base(&server.base)
        .unwrap()
        .with_status_callback(CALLBACK)
        .unwrap();
    let transport = UreqTransport::with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    let twilio = Twilio::new(config, Arc::new(transport));
    let settings = Settings::new()
        .with_sender(smskit::provider::Sender::parse("+32460200000").unwrap())
        .with_dispatch(DispatchOptions::default().with_retry(RetryPolicy::never()));
    let mut engine = Engine::new(MemoryStore::new(), settings);
    let list = engine.create_list("L", true).unwrap();
    for (name, phone) in [
        ("Ana", "+32470000001"),
        ("Bo", "+32470000002"),
        ("Cy", "+32470000003"),
        ("Di", "+32470000004"),
    ] {
        let contact = engine
            .add_contact(NewContact::new(name, phone), now())
            .unwrap();
        engine.subscribe(list, contact, now()).unwrap();
    }
    let mailing = engine
        .create_mailing(
            NewMailing::new("m", "Hello {{ object.name }}", Audience::Lists(vec![list])),
            now(),
        )
        .unwrap();
    engine.prepare(mailing).unwrap();
    let sent = engine
        .send(mailing, &twilio, &SimulatedClock::new(), now())
        .unwrap();
    assert_eq!((sent.accepted, sent.failed, sent.unknown), (2, 1, 1));

    // What left is what Twilio's API expects.
    let forms = server.forms.lock().unwrap().clone();
    assert_eq!(
        forms.len(),
        4,
        "each message once: no retry of the ambiguous 502"
    );
    let ana = forms.iter().find(|f| f["To"] == "+32470000001").unwrap();
    assert_eq!(ana["Body"], "Hello Ana");
    assert_eq!(ana["From"], "+32460200000");
    assert_eq!(ana["StatusCallback"], CALLBACK);

    let mut traces: HashMap<String, Trace> = HashMap::new();
    engine
        .store()
        .traces(mailing, &mut |trace| {
            traces.insert(trace.number.unwrap().to_string(), trace.clone());
        })
        .unwrap();
    assert_eq!(traces["+32470000001"].status, TraceStatus::Pending);
    assert_eq!(
        traces["+32470000002"].failure_type,
        Some(FailureType::NumberFormat)
    );
    assert_eq!(
        (
            traces["+32470000003"].status,
            traces["+32470000003"].failure_type
        ),
        (TraceStatus::Error, Some(FailureType::Unknown))
    );

    // Status callbacks: a forged one changes nothing, a signed one delivers.
    let sid = traces["+32470000001"].provider_message_id.clone().unwrap();
    for forged in [
        callback("delivered", &sid, None),
        callback("delivered", &sid, Some("another token")),
    ] {
        assert!(matches!(
            engine.apply_webhook(&twilio, &forged, now()),
            Err(Error::Provider(_))
        ));
    }
    assert_eq!(
        engine
            .store()
            .trace(traces["+32470000001"].id)
            .unwrap()
            .unwrap()
            .status,
        TraceStatus::Pending
    );
    let changed = engine
        .apply_webhook(&twilio, &callback("delivered", &sid, Some(TOKEN)), now())
        .unwrap();
    assert_eq!(changed, Some(traces["+32470000001"].id));
    // A late `sent` never downgrades `delivered`.
    let late = engine
        .apply_webhook(&twilio, &callback("sent", &sid, Some(TOKEN)), now())
        .unwrap();
    assert_eq!(late, None);
    let counts = engine.counts(mailing).unwrap();
    assert_eq!((counts.sent, counts.delivered, counts.failed), (3, 1, 2));
}

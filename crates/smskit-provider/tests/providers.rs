//! The Provider abstraction: chosen from configuration, shared across threads.

use std::sync::Arc;

use smskit_phone::E164;
use smskit_provider::twilio::{Twilio, TwilioConfig};
use smskit_provider::vonage::{Vonage, VonageConfig};
use smskit_provider::{
    Error, ErrorKind, FileProvider, HttpRequest, HttpResponse, OutboundMessage, Provider,
    StubProvider, Transport,
};

#[derive(Debug)]
struct Unreachable;

impl Transport for Unreachable {
    fn execute(&self, _: &HttpRequest) -> Result<HttpResponse, Error> {
        Err(Error::retryable(
            ErrorKind::Connect,
            "no network in this test",
        ))
    }
}

fn from_config(name: &str, outbox: &std::path::Path) -> Box<dyn Provider> {
    match name {
        "stub" => Box::new(StubProvider::new()),
        "file" => Box::new(FileProvider::new(outbox).unwrap()),
        "twilio" => Box::new(Twilio::new(
            TwilioConfig::new("AC0123456789abcdef0123456789abcdef", "token").unwrap(),
            Arc::new(Unreachable),
        )),
        "vonage" => Box::new(Vonage::new(
            VonageConfig::new("key", "secret").unwrap(),
            Arc::new(Unreachable),
        )),
        other => panic!("no provider {other}"),
    }
}

#[test]
fn providers_are_interchangeable() {
    fn assert_send_sync<T: Send + Sync + ?Sized>() {}
    assert_send_sync::<dyn Provider>();
    assert_send_sync::<Box<dyn Provider>>();

    let outbox = std::env::temp_dir().join(format!("smskit-providers-test-{}", std::process::id()));
    let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "Hello")
        .with_from(smskit_provider::Sender::parse("ACME").unwrap());
    for name in ["stub", "file", "twilio", "vonage"] {
        let provider = from_config(name, &outbox);
        assert_eq!(provider.name(), name);
        match provider.send(&message) {
            Ok(receipt) => {
                assert!(matches!(name, "stub" | "file"));
                assert_eq!(receipt.provider, name);
            }
            Err(error) => {
                assert!(matches!(name, "twilio" | "vonage"));
                assert_eq!(error.kind(), ErrorKind::Connect);
                assert!(error.is_retryable());
            }
        }
        // Shutdown is a no-op by default and never fails.
        provider.shutdown();
    }
    let file = FileProvider::new(&outbox).unwrap();
    let stored = file.read_all().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].message, message);
    std::fs::remove_dir_all(&outbox).unwrap();
}

#[test]
fn shared_provider_across_threads() {
    let provider: Arc<dyn Provider> = Arc::new(StubProvider::new());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let provider = provider.clone();
            std::thread::spawn(move || {
                (0..25)
                    .map(|i| {
                        let to = E164::parse(&format!("+324701{t}{i:04}")).unwrap();
                        provider
                            .send(&OutboundMessage::new(to, "hi"))
                            .unwrap()
                            .message_id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 100, "every receipt id is unique");
}

#[test]
fn stub_and_file_have_no_delivery_reports() {
    let request = http::Request::post("https://example.com/cb")
        .body(smskit_provider::Body::from("x=1"))
        .unwrap();
    let error = StubProvider::new()
        .parse_delivery_report(&request, chrono::DateTime::UNIX_EPOCH)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unsupported);
}

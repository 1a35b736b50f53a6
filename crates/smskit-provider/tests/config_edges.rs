//! Provider configurations at their edges: what `Debug` shows (and never: secrets), what a
//! bad SID's error reveals, the accessors, Vonage's client-ref limit.

use smskit_phone::{E164, Region};
use smskit_provider::twilio::TwilioConfig;
use smskit_provider::vonage::VonageConfig;
use smskit_provider::{Currency, ErrorKind, OutboundMessage, SenderNumber, SenderPool};

const SID: &str = "AC0123456789abcdef0123456789abcdef";

#[test]
fn debug_of_a_twilio_config_shows_the_account_not_the_token() {
    let config = TwilioConfig::new(SID, "s3cr3t-auth-token").unwrap();
    let shown = format!("{config:?}");
    assert!(shown.starts_with("TwilioConfig"), "{shown}");
    assert!(
        shown.contains(SID) && shown.contains("auth token"),
        "{shown}"
    );
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn debug_of_a_vonage_config_shows_the_key_not_the_secret() {
    let config = VonageConfig::new("abcd1234", "s3cr3t-api-secret").unwrap();
    let shown = format!("{config:?}");
    assert!(shown.starts_with("VonageConfig"), "{shown}");
    assert!(shown.contains("abcd1234"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
}

#[test]
fn a_bad_sid_shows_at_most_half_of_itself_and_four_characters() {
    // A six-character secret in the SID's place: three characters shown, and its length.
    let error = TwilioConfig::new("abcdef", "token").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidConfig);
    assert!(error.message().contains("`abc…` (6 characters)"), "{error}");
    let error = TwilioConfig::new("0123456789secret", "token").unwrap_err();
    assert!(
        error.message().contains("`0123…` (16 characters)"),
        "{error}"
    );
    assert!(!error.message().contains("secret"), "{error}");
}

#[test]
fn accessors_give_back_what_was_configured() {
    let belgium = SenderNumber::new(
        E164::parse("+32470123456").unwrap(),
        Region::parse("BE").unwrap(),
        1,
    );
    let pool = SenderPool::from(vec![belgium]);
    let twilio = TwilioConfig::new(SID, "token")
        .unwrap()
        .with_api_base("http://127.0.0.1:9")
        .unwrap()
        .with_senders(pool.clone());
    assert_eq!(twilio.api_base(), "http://127.0.0.1:9");
    assert_eq!(twilio.senders(), &pool);

    let euro = Currency::new("EUR").unwrap();
    let vonage = VonageConfig::new("key", "secret").unwrap();
    assert_eq!(vonage.currency(), None);
    assert_eq!(vonage.with_currency(euro).currency(), Some(euro));
}

#[test]
fn vonage_takes_a_client_ref_of_up_to_100_characters() {
    let config = VonageConfig::new("key", "secret")
        .unwrap()
        .with_from("ACME".parse().unwrap());
    let message = |length: usize| {
        OutboundMessage::new(E164::parse("+32470123456").unwrap(), "Hi")
            .with_client_ref("é".repeat(length))
    };
    assert!(config.build_request(&message(100)).is_ok());
    let error = config.build_request(&message(101)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert!(error.message().contains("101 characters"), "{error}");
}

//! The small conversions and forwarding impls a caller relies on: smart pointers forward every
//! provider method, bodies give back their bytes, sender pools convert both ways, statuses
//! print and tell whether they are final.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{TimeZone, Utc};
use smskit_phone::{E164, Region};
use smskit_provider::{
    Body, DeliveryReport, FailureType, OutboundMessage, Provider, Receipt, Result, SenderNumber,
    SenderPool, TraceStatus,
};

#[derive(Debug, Default)]
struct Counting {
    shutdowns: AtomicUsize,
}

impl Provider for Counting {
    fn name(&self) -> &str {
        "counting"
    }

    fn submit(&self, _message: &OutboundMessage) -> Result<Receipt> {
        Ok(Receipt::new("counting", "1", TraceStatus::Sent, "ok"))
    }

    fn shutdown(&self) {
        self.shutdowns.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn boxed_and_shared_providers_forward_name_and_shutdown() {
    let shared = Arc::new(Counting::default());
    let as_arc: &dyn Provider = &shared;
    assert_eq!(as_arc.name(), "counting");
    as_arc.shutdown();
    let boxed: Box<dyn Provider> = Box::new(Arc::clone(&shared));
    assert_eq!(boxed.name(), "counting");
    boxed.shutdown();
    assert_eq!(shared.shutdowns.load(Ordering::SeqCst), 2);
}

#[test]
fn a_body_gives_back_its_bytes() {
    let body = Body::from(b"to=%2B32&body=hi".to_vec());
    assert_eq!(body.as_bytes(), b"to=%2B32&body=hi");
    assert_eq!(body.into_bytes(), b"to=%2B32&body=hi".to_vec());
    assert!(Body::default().as_bytes().is_empty());

    let from_slice = Body::from(&b"abc"[..]);
    let bytes: &[u8] = from_slice.as_ref();
    assert_eq!(bytes, b"abc");
    assert!(from_slice == *b"abc".as_slice());
    assert!(from_slice != *b"abd".as_slice());
    assert_eq!(from_slice, Body::from("abc"));
    assert_eq!(from_slice, Body::from(String::from("abc")));
    assert!(from_slice == *b"abc");
    assert!(from_slice != *b"ab");
}

#[test]
fn a_sender_pool_converts_both_ways_in_order() {
    let number = |text: &str| E164::parse(text).unwrap();
    let region = |code: &str| Region::parse(code).unwrap();
    let france = SenderNumber::new(number("+33612345678"), region("FR"), 2);
    let belgium = SenderNumber::new(number("+32470123456"), region("BE"), 1);
    let pool = SenderPool::from(vec![france.clone(), belgium.clone()]);
    assert!(!pool.is_empty());
    assert_eq!(pool.numbers(), [belgium.clone(), france.clone()]);
    let back: Vec<SenderNumber> = pool.into();
    assert_eq!(back, [belgium, france]);
    assert!(SenderPool::from(Vec::new()).is_empty());
}

#[test]
fn statuses_and_failures_print_their_names() {
    for status in TraceStatus::ALL {
        assert_eq!(status.to_string(), status.as_str());
    }
    for failure in FailureType::ALL {
        assert_eq!(failure.to_string(), failure.as_str());
    }
    assert!(TraceStatus::Bounce.is_final());
    assert!(!TraceStatus::Sent.is_final());
}

#[test]
fn only_an_opt_out_failure_is_an_opt_out() {
    let at = Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap();
    let report = DeliveryReport::new("twilio", "SM1", TraceStatus::Sent, "delivered", at);
    assert!(!report.is_opt_out());
}

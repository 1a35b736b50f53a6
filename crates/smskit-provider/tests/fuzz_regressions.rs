//! Replays the `twilio_callback` fuzz target's regressions and hand-picked inputs.

#[path = "../../../fuzz/checks/twilio_callback.rs"]
mod checks;

use std::fs;
use std::path::Path;

#[test]
fn replay_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/twilio_callback");
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|name| name == ".gitkeep") {
            continue;
        }
        checks::check(&fs::read(&path).unwrap());
        count += 1;
    }
    // An empty or misplaced directory must not pass for a clean run.
    assert!(count > 0, "no regression input in {}", dir.display());
    eprintln!("replayed {count} regression inputs");
}

#[test]
fn hand_picked_inputs() {
    let inputs: [&[u8]; 16] = [
        b"",
        b"\0",
        b"12345\0MessageSid=SM1&MessageStatus=delivered",
        b"MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003&To=%2B32470123456",
        b"MessageSid=%20SM1%20&MessageStatus=%20SENT%20",
        b"SmsSid=SM1&SmsStatus=failed&ErrorCode=21610",
        b"MessageSid=SM1&MessageStatus=received",
        b"MessageSid=SM1&MessageStatus=queued&MessageStatus=failed",
        b"MessageSid=&MessageSid=SM2&MessageStatus=sent",
        b"MessageSid=SM1&MessageStatus=sent&ErrorCode=99999999999999999999",
        b"%zz=%&&&==&MessageSid=%FF%FE&MessageStatus=read",
        b"MessageSid=SM1&MessageStatus=canceled&To=%2B",
        b"\xff\xfe\0\xff\xfe=\xff",
        b"tok\0en\0MessageSid=SM1&MessageStatus=partially_delivered",
        b"MessageSid=SM\x01\x02&MessageStatus=sending&To=+32470123456",
        b"MessageSid=SM1&MessageStatus=undelivered&ErrorCode=%2030005%20",
    ];
    for input in inputs {
        checks::check(input);
    }
    // Oversized bodies are refused, not parsed.
    let mut huge = b"MessageSid=SM1&MessageStatus=sent&Pad=".to_vec();
    huge.resize(70_000, b'a');
    checks::check(&huge);
}

// --- the `vonage_webhook` target ---

#[path = "../../../fuzz/checks/vonage_webhook.rs"]
mod vonage_checks;

#[test]
fn replay_vonage_webhook_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/vonage_webhook");
    let mut count = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        vonage_checks::check(&fs::read(&path).unwrap());
        count += 1;
    }
    // An empty or misplaced directory must not pass for a clean run.
    assert!(count > 0, "no regression input in {}", dir.display());
}

#[test]
fn vonage_webhook_hand_picked_inputs() {
    let inputs: [&[u8]; 8] = [
        b"",
        b"\0",
        b"s\0",
        b"s\0\x09",
        b"s\0\x01{\"sig\": null, \"timestamp\": \"1700000000\"}",
        b"s\0\x02messageId=M&msisdn=447700900000&to=1&text=hi&type=binary&sig=00",
        b"s\0\x00concat=true&concat-part=9&concat-total=2&timestamp=1700000000",
        b"\xff\xfe\0\xff=\xff&sig=\xff",
    ];
    for input in inputs {
        vonage_checks::check(input);
    }
}

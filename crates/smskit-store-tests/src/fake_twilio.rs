//! A fake Twilio Messages API on 127.0.0.1 for tests that send through the real provider and
//! its HTTP transport: answers `201` with a fresh SID, notes every request's `From` and `To`,
//! and can hold one request unanswered (to kill its sender while it is in flight).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a broken fixture is a failed test"
)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smskit::provider::twilio::{Twilio, TwilioConfig};
use smskit::provider::{UreqTransport, parse_form};

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The `From` parameter (empty when absent).
    pub from: String,
    /// The `To` parameter.
    pub to: String,
    /// When it arrived.
    pub at: Instant,
}

/// Which request to hold: the first from `from` once `after` requests arrived in all.
#[derive(Debug, Clone)]
struct Hold {
    from: String,
    after: usize,
}

/// The running server (its threads end with the test process).
#[derive(Debug)]
pub struct FakeTwilio {
    base: String,
    received: Arc<Mutex<Vec<Received>>>,
    holding: Mutex<mpsc::Receiver<()>>,
    release: mpsc::Sender<()>,
}

impl FakeTwilio {
    /// A server that answers every request.
    pub fn start() -> Self {
        Self::start_holding(None)
    }

    /// A server that holds the first request from `from` once `after` requests arrived (see
    /// [`FakeTwilio::wait_for_hold`]) and never answers it.
    pub fn holding_first_from(from: &str, after: usize) -> Self {
        Self::start_holding(Some(Hold {
            from: from.to_owned(),
            after,
        }))
    }

    fn start_holding(hold: Option<Hold>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let (held, holding) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let log = Arc::clone(&received);
        let sids = Arc::new(AtomicUsize::new(0));
        let released = Arc::new(Mutex::new(released));
        let hold = Arc::new(Mutex::new(hold));
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (log, sids, held, released, hold) = (
                    Arc::clone(&log),
                    Arc::clone(&sids),
                    held.clone(),
                    Arc::clone(&released),
                    Arc::clone(&hold),
                );
                thread::spawn(move || {
                    let Some((from, to)) = read_from_to(&stream) else {
                        return;
                    };
                    let total = {
                        let mut log = log.lock().unwrap();
                        log.push(Received {
                            from: from.clone(),
                            to,
                            at: Instant::now(),
                        });
                        log.len()
                    };
                    let take = {
                        let mut hold = hold.lock().unwrap();
                        let due = hold
                            .as_ref()
                            .is_some_and(|hold| hold.from == from && total > hold.after);
                        if due {
                            *hold = None;
                        }
                        due
                    };
                    if take {
                        let _ = held.send(());
                        // Bounded: the test releases it once the sender is dead.
                        let _ = released
                            .lock()
                            .unwrap()
                            .recv_timeout(Duration::from_secs(120));
                        return; // dropped unanswered
                    }
                    answer(stream, sids.fetch_add(1, Ordering::Relaxed));
                });
            }
        });
        FakeTwilio {
            base,
            received,
            holding: Mutex::new(holding),
            release,
        }
    }

    /// The API base to configure the provider with.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A Twilio provider talking to this server.
    pub fn provider(&self) -> Twilio {
        twilio(&self.base)
    }

    /// Waits (up to `timeout`) until the held request arrived; `false` if it did not.
    pub fn wait_for_hold(&self, timeout: Duration) -> bool {
        self.holding.lock().unwrap().recv_timeout(timeout).is_ok()
    }

    /// Lets the held request go (unanswered).
    pub fn release(&self) {
        let _ = self.release.send(());
    }

    /// Every request so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many requests each `To` number got.
    pub fn per_number(&self) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for request in self.received.lock().unwrap().iter() {
            *counts.entry(request.to.clone()).or_insert(0) += 1;
        }
        counts
    }
}

/// A Twilio provider with the API base `base` and short timeouts.
pub fn twilio(base: &str) -> Twilio {
    let config = TwilioConfig::new("AC5ef8732a3c49700934481addd5ce1659", "token")
        .unwrap()
        .with_api_base(base)
        .unwrap();
    let transport = UreqTransport::with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    Twilio::new(config, Arc::new(transport))
}

/// Answers Twilio's 201 with the SID of request `n`.
fn answer(mut stream: TcpStream, n: usize) {
    let body = format!(r#"{{"sid": "SM{n:032}", "status": "queued", "num_segments": "1"}}"#);
    let head = format!(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

/// The `From` and `To` of a form POST.
fn read_from_to(stream: &TcpStream) -> Option<(String, String)> {
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
    let form = parse_form(&body);
    let field = |wanted: &str| {
        form.iter()
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.clone())
    };
    Some((field("From").unwrap_or_default(), field("To")?))
}

//! A fake Twilio Messages API on 127.0.0.1 for the campaign tests: each `To` number gets the
//! answer the test chose, every request is counted, and each can be slowed down.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The account the tests use.
pub(crate) const SID: &str = "AC5ef8732a3c49700934481addd5ce1659";

/// How the server answers the messages to one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answer {
    /// 201 queued.
    Accept,
    /// 429 Too Many Requests the first time (retryable), then 201.
    ThrottleOnce,
    /// 500: the outcome is unknown to the client.
    ServerError,
    /// 400 with error 21610: the recipient replied STOP (permanent).
    Unsubscribed,
}

#[derive(Debug, Default)]
struct State {
    answers: HashMap<String, Answer>,
    throttled: HashSet<String>,
    /// The `To` of every request, in arrival order.
    requests: Vec<String>,
    /// The message id given to each accepted number.
    accepted: HashMap<String, String>,
    /// The bodies of the accepted messages, by number.
    bodies: HashMap<String, String>,
}

/// The server; it lives as long as the test process.
#[derive(Debug, Clone)]
pub(crate) struct FakeTwilio {
    /// `http://127.0.0.1:PORT`, for `--api-base`.
    pub(crate) base: String,
    state: Arc<Mutex<State>>,
}

impl FakeTwilio {
    /// Starts a server that answers numbers not in `answers` with [`Answer::Accept`], each
    /// request after `delay`.
    pub(crate) fn start(answers: &[(&str, Answer)], delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            answers: answers
                .iter()
                .map(|(to, answer)| ((*to).to_owned(), *answer))
                .collect(),
            ..State::default()
        }));
        let shared = state.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let state = shared.clone();
                thread::spawn(move || answer(stream, &state, delay));
            }
        });
        FakeTwilio { base, state }
    }

    /// How many requests asked to send to `to`.
    pub(crate) fn requests_to(&self, to: &str) -> usize {
        let state = self.state.lock().unwrap();
        state.requests.iter().filter(|r| *r == to).count()
    }

    /// Every request's `To`, in arrival order.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The message id of each accepted number.
    pub(crate) fn accepted(&self) -> HashMap<String, String> {
        self.state.lock().unwrap().accepted.clone()
    }

    /// The body of the message accepted for `to`.
    pub(crate) fn body_to(&self, to: &str) -> Option<String> {
        self.state.lock().unwrap().bodies.get(to).cloned()
    }
}

fn answer(stream: TcpStream, state: &Mutex<State>, delay: Duration) {
    let Some(form) = read_form(&stream) else {
        return;
    };
    thread::sleep(delay);
    let to = form.get("To").cloned().unwrap_or_default();
    let (status, body) = {
        let mut state = state.lock().unwrap();
        state.requests.push(to.clone());
        let mut answer = state.answers.get(&to).copied().unwrap_or(Answer::Accept);
        if answer == Answer::ThrottleOnce && !state.throttled.insert(to.clone()) {
            // Throttled once already: this time it goes through.
            answer = Answer::Accept;
        }
        match answer {
            Answer::Accept => {
                let sid = format!("SM{:032}", state.requests.len());
                state.accepted.insert(to.clone(), sid.clone());
                let body = form.get("Body").cloned().unwrap_or_default();
                state.bodies.insert(to, body);
                (
                    201,
                    format!(r#"{{"sid": "{sid}", "status": "queued", "num_segments": "1"}}"#),
                )
            }
            Answer::ThrottleOnce => (
                429,
                r#"{"code": 20429, "message": "Too Many Requests", "status": 429}"#.to_owned(),
            ),
            Answer::ServerError => (500, "internal error".to_owned()),
            Answer::Unsubscribed => (
                400,
                r#"{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}"#
                    .to_owned(),
            ),
        }
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRetry-After: 0\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

fn read_form(stream: &TcpStream) -> Option<HashMap<String, String>> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    // A connection closed before its request (a client killed after connecting) is none.
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
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
    Some(smskit::provider::parse_form(&body).into_iter().collect())
}

//! The real ureq transport against a fake provider server on 127.0.0.1.
#![cfg(feature = "ureq")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smskit_phone::E164;
use smskit_provider::twilio::{Twilio, TwilioConfig};
use smskit_provider::vonage::{Vonage, VonageConfig};
use smskit_provider::{
    Body, DEFAULT_CONNECT_TIMEOUT, ErrorClass, ErrorKind, MAX_RESPONSE_BYTES, OutboundMessage,
    Provider, Sender, Transport, UreqTransport, parse_form,
};

const SID: &str = "AC5ef8732a3c49700934481addd5ce1659";

/// What the fake server does with one connection.
#[derive(Debug, Clone)]
enum Behaviour {
    /// Reads the request, waits, answers.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Reads the request and closes the connection without answering.
    DropAfterRequest,
    /// Reads the request, answers half a status line, closes.
    Truncated,
}

fn respond(status: u16, body: &str) -> Behaviour {
    Behaviour::Respond {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
        delay: Duration::ZERO,
    }
}

#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct FakeServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl FakeServer {
    /// Serves one connection per behaviour, in order.
    fn start(behaviours: Vec<Behaviour>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        thread::spawn(move || {
            for behaviour in behaviours {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let Some(request) = read_request(&stream) else {
                    continue;
                };
                recorded.lock().unwrap().push(request);
                serve(stream, behaviour);
            }
        });
        Self { addr, requests }
    }

    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Recorded> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

fn serve(mut stream: TcpStream, behaviour: Behaviour) {
    match behaviour {
        Behaviour::Respond {
            status,
            headers,
            body,
            delay,
        } => {
            thread::sleep(delay);
            let mut head = format!(
                "HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
        }
        Behaviour::DropAfterRequest => drop(stream),
        Behaviour::Truncated => {
            let _ = stream.write_all(b"HTTP/1.1 20");
            let _ = stream.flush();
        }
    }
}

fn twilio(server: &FakeServer, transport: UreqTransport) -> Twilio {
    let config = TwilioConfig::new(SID, "token")
        .unwrap()
        .with_api_base(&server.base())
        .unwrap();
    Twilio::new(config, Arc::new(transport))
}

fn message() -> OutboundMessage {
    OutboundMessage::new(E164::parse("+32470123456").unwrap(), "Hello from smskit")
        .with_from(Sender::parse("+32460200000").unwrap())
}

#[test]
fn twilio_created() {
    let server = FakeServer::start(vec![respond(
        201,
        r#"{"sid": "SM1", "status": "queued", "num_segments": "1"}"#,
    )]);
    let receipt = twilio(&server, UreqTransport::new())
        .send(&message())
        .unwrap();
    assert_eq!(receipt.message_id, "SM1");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        format!("/2010-04-01/Accounts/{SID}/Messages.json")
    );
    assert!(
        request
            .header("authorization")
            .unwrap()
            .starts_with("Basic ")
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(request.header("user-agent").unwrap().starts_with("smskit/"));
    assert_eq!(
        parse_form(&request.body),
        vec![
            ("To".to_owned(), "+32470123456".to_owned()),
            ("From".to_owned(), "+32460200000".to_owned()),
            ("Body".to_owned(), "Hello from smskit".to_owned())
        ]
    );
}

#[test]
fn error_statuses_and_bodies() {
    let server = FakeServer::start(vec![
        respond(
            400,
            r#"{"code": 21211, "message": "Invalid 'To' Phone Number", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}"#,
        ),
        respond(
            401,
            r#"{"code": 20003, "message": "Authenticate", "status": 401}"#,
        ),
        Behaviour::Respond {
            status: 500,
            headers: vec![],
            body: b"oops".to_vec(),
            delay: Duration::ZERO,
        },
        respond(
            503,
            r#"{"type": "https://www.twilio.com/docs/errors/20503", "title": "Service Unavailable", "status": 503, "code": 20503, "detail": "try later"}"#,
        ),
        respond(504, ""),
    ]);
    let twilio = twilio(&server, UreqTransport::new());
    let expected = [
        (
            ErrorClass::Permanent,
            ErrorKind::InvalidNumber,
            Some("21211"),
        ),
        (
            ErrorClass::Permanent,
            ErrorKind::Unauthorized,
            Some("20003"),
        ),
        (ErrorClass::Unknown, ErrorKind::ServerError, None),
        (ErrorClass::Retryable, ErrorKind::ServerError, Some("20503")),
        (ErrorClass::Unknown, ErrorKind::Timeout, None),
    ];
    for (class, kind, code) in expected {
        let error = twilio.send(&message()).unwrap_err();
        assert_eq!(
            (error.class(), error.kind(), error.code()),
            (class, kind, code),
            "{error}"
        );
    }
    assert_eq!(server.requests().len(), 5);
}

#[test]
fn rate_limited_with_retry_after() {
    let server = FakeServer::start(vec![Behaviour::Respond {
        status: 429,
        headers: vec![
            ("Retry-After".into(), "17".into()),
            ("Content-Type".into(), "application/json".into()),
        ],
        body: br#"{"code": 20429, "message": "Too Many Requests", "status": 429}"#.to_vec(),
        delay: Duration::ZERO,
    }]);
    let error = twilio(&server, UreqTransport::new())
        .send(&message())
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Retryable);
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.retry_after(), Some(Duration::from_secs(17)));
}

#[test]
fn slow_response_times_out_as_unknown() {
    let server = FakeServer::start(vec![Behaviour::Respond {
        status: 201,
        headers: vec![],
        body: br#"{"sid": "SM1", "status": "queued"}"#.to_vec(),
        delay: Duration::from_millis(1500),
    }]);
    let transport =
        UreqTransport::with_timeouts(Duration::from_secs(1), Duration::from_millis(300));
    let started = Instant::now();
    let error = twilio(&server, transport).send(&message()).unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(
        error.class(),
        ErrorClass::Unknown,
        "the request left: never retryable ({error})"
    );
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(
        elapsed < Duration::from_millis(1400),
        "gave up after {elapsed:?}"
    );
    assert_eq!(server.requests().len(), 1, "the server did receive it");
}

#[test]
fn dropped_connections_are_unknown() {
    let server = FakeServer::start(vec![Behaviour::DropAfterRequest, Behaviour::Truncated]);
    let twilio = twilio(&server, UreqTransport::new());
    for _ in 0..2 {
        let error = twilio.send(&message()).unwrap_err();
        assert_eq!(error.class(), ErrorClass::Unknown, "{error}");
    }
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn refused_connections_are_retryable() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = TwilioConfig::new(SID, "token")
        .unwrap()
        .with_api_base(&format!("http://127.0.0.1:{port}"))
        .unwrap();
    let error = Twilio::new(config, Arc::new(UreqTransport::new()))
        .send(&message())
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Retryable, "{error}");
    assert_eq!(error.kind(), ErrorKind::Connect);
}

#[test]
fn redirects_are_not_followed() {
    let server = FakeServer::start(vec![
        Behaviour::Respond {
            status: 307,
            headers: vec![("Location".into(), "/elsewhere".into())],
            body: Vec::new(),
            delay: Duration::ZERO,
        },
        respond(
            201,
            r#"{"sid": "SM-should-not-happen", "status": "queued"}"#,
        ),
    ]);
    let error = twilio(&server, UreqTransport::new())
        .send(&message())
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Permanent);
    assert_eq!(error.http_status(), Some(307));
    thread::sleep(Duration::from_millis(100));
    assert_eq!(server.requests().len(), 1, "the redirect was not followed");
}

#[test]
fn oversized_bodies_are_not_read_to_the_end() {
    let server = FakeServer::start(vec![Behaviour::Respond {
        status: 201,
        headers: vec![],
        body: vec![b' '; 3 * 1024 * 1024],
        delay: Duration::ZERO,
    }]);
    let error = twilio(&server, UreqTransport::new())
        .send(&message())
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Unknown, "{error}");
    assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error}");
    assert_eq!(error.http_status(), Some(201));
}

#[test]
fn vonage_over_ureq() {
    let server = FakeServer::start(vec![respond(
        200,
        r#"{"message-count": "1", "messages": [{"to": "447700900000", "message-id": "0A1", "status": "0", "message-price": "0.03330000", "remaining-balance": "3.1", "network": "23410"}]}"#,
    )]);
    let config = VonageConfig::new("abcd1234", "secret")
        .unwrap()
        .with_api_base(&server.base())
        .unwrap();
    let vonage = Vonage::new(config, Arc::new(UreqTransport::new()));
    let message = OutboundMessage::new(E164::parse("+447700900000").unwrap(), "Hi")
        .with_from(Sender::parse("ACME").unwrap());
    let receipt = vonage.send(&message).unwrap();
    assert_eq!(receipt.message_id, "0A1");
    let requests = server.requests();
    assert_eq!(requests[0].path, "/sms/json");
    let form = parse_form(&requests[0].body);
    assert!(form.contains(&("to".to_owned(), "447700900000".to_owned())));
    assert!(form.contains(&("api_key".to_owned(), "abcd1234".to_owned())));
}

#[test]
fn get_requests_and_response_headers() {
    let server = FakeServer::start(vec![Behaviour::Respond {
        status: 200,
        headers: vec![("X-Thing".into(), "yes".into())],
        body: b"hello".to_vec(),
        delay: Duration::ZERO,
    }]);
    let transport = UreqTransport::new();
    assert_eq!(transport.total_timeout(), Duration::from_secs(30));
    let response = transport
        .execute(
            &http::Request::get(format!("{}/ping?x=1", server.base()))
                .header("X-Test", "1")
                .body(Body::default())
                .unwrap(),
        )
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-thing"], "yes");
    assert_eq!(response.body(), b"hello");
    let requests = server.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path.as_str()),
        ("GET", "/ping?x=1")
    );
    assert_eq!(requests[0].header("x-test"), Some("1"));
}

#[test]
fn invalid_urls_are_permanent() {
    let error = UreqTransport::new()
        .execute(
            &http::Request::get("/no/host")
                .body(Body::default())
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(error.class(), ErrorClass::Permanent, "{error}");
}

#[test]
fn a_body_of_the_largest_size_is_read_whole() {
    let server = FakeServer::start(vec![Behaviour::Respond {
        status: 200,
        headers: vec![],
        body: vec![b'a'; MAX_RESPONSE_BYTES as usize],
        delay: Duration::ZERO,
    }]);
    let response = UreqTransport::new()
        .execute(
            &http::Request::get(format!("{}/big", server.base()))
                .body(Body::default())
                .unwrap(),
        )
        .unwrap();
    assert_eq!(MAX_RESPONSE_BYTES, 1024 * 1024);
    assert_eq!(response.body().len(), 1024 * 1024);
}

#[test]
fn the_connect_timeout_is_capped_at_the_total_one() {
    let transport = UreqTransport::with_timeouts(Duration::from_secs(5), Duration::from_secs(2));
    assert_eq!(transport.connect_timeout(), Duration::from_secs(2));
    assert_eq!(transport.total_timeout(), Duration::from_secs(2));
    let default = UreqTransport::new();
    assert_eq!(default.connect_timeout(), DEFAULT_CONNECT_TIMEOUT);
}

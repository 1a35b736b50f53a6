//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub, reason = "each test binary uses a subset")]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use smskit_phone::E164;
use smskit_provider::{
    Body, DeliveryReport, Error, HttpRequest, HttpResponse, OutboundMessage, Provider, Receipt,
    Sender, Transport,
};

/// A response of `status` with `body`.
pub fn response(status: u16, body: impl Into<Body>) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .body(body.into())
        .unwrap()
}

/// A request of `method` to `url` without headers or body.
pub fn request(method: http::Method, url: impl AsRef<str>) -> HttpRequest {
    http::Request::builder()
        .method(method)
        .uri(url.as_ref())
        .body(Body::default())
        .unwrap()
}

/// Adds headers and bodies to requests and responses in one expression.
pub trait With: Sized {
    fn headers(&mut self) -> &mut http::HeaderMap;
    fn set_body(&mut self, body: Body);

    fn with_header(mut self, name: &str, value: &str) -> Self {
        let name = http::header::HeaderName::from_bytes(name.as_bytes()).unwrap();
        let value = http::HeaderValue::from_str(value).unwrap();
        self.headers().append(name, value);
        self
    }

    fn with_body(mut self, body: impl Into<Body>) -> Self {
        self.set_body(body.into());
        self
    }
}

impl With for HttpRequest {
    fn headers(&mut self) -> &mut http::HeaderMap {
        self.headers_mut()
    }
    fn set_body(&mut self, body: Body) {
        *self.body_mut() = body;
    }
}

impl With for HttpResponse {
    fn headers(&mut self) -> &mut http::HeaderMap {
        self.headers_mut()
    }
    fn set_body(&mut self, body: Body) {
        *self.body_mut() = body;
    }
}

/// The value of header `name` as text.
pub fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|value| value.to_str().unwrap())
}

pub fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(path)
}

/// Every `*.json` file of a testdata directory, sorted, with its name.
pub fn fixtures(dir: &str) -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = fs::read_dir(testdata(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            (name, value)
        })
        .collect()
}

/// Every line of a JSONL testdata file.
pub fn jsonl(path: &str) -> Vec<Value> {
    fs::read_to_string(testdata(path))
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

pub fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// An outbound message from its fixture JSON (built by hand so the tests run without serde).
pub fn message_from(value: &Value) -> OutboundMessage {
    let to = E164::parse(str_of(value, "to").unwrap()).unwrap();
    let mut message = OutboundMessage::new(to, str_of(value, "body").unwrap());
    if let Some(from) = str_of(value, "from") {
        message = message.with_from(Sender::parse(from).unwrap());
    }
    if let Some(client_ref) = str_of(value, "client_ref") {
        message = message.with_client_ref(client_ref);
    }
    if let Some(url) = str_of(value, "status_callback") {
        message = message.with_status_callback(url);
    }
    if let Some(secs) = value.get("validity").and_then(Value::as_u64) {
        message = message.with_validity(Duration::from_secs(secs));
    }
    message
}

/// The recorded response of a fixture.
pub fn response_from(value: &Value) -> HttpResponse {
    let status = u16::try_from(value["status"].as_u64().unwrap()).unwrap();
    let body = match &value["body"] {
        Value::String(text) => text.clone().into_bytes(),
        other => serde_json::to_vec(other).unwrap(),
    };
    let mut answer = response(status, body);
    if let Some(headers) = value.get("headers").and_then(Value::as_object) {
        for (name, header) in headers {
            answer = answer.with_header(name, header.as_str().unwrap());
        }
    }
    answer
}

/// Asserts that `request` is the recorded one: method, URL, the listed headers, exact body.
pub fn assert_request(name: &str, request: &HttpRequest, expected: &Value) {
    assert_eq!(
        request.method().as_str(),
        str_of(expected, "method").unwrap(),
        "{name}: method"
    );
    assert_eq!(
        request.uri().to_string(),
        str_of(expected, "url").unwrap(),
        "{name}: url"
    );
    for (header_name, value) in expected["headers"].as_object().unwrap() {
        assert_eq!(
            header(request.headers(), header_name),
            value.as_str(),
            "{name}: header {header_name}"
        );
    }
    assert_eq!(
        String::from_utf8(request.body().to_vec()).unwrap(),
        str_of(expected, "body").unwrap(),
        "{name}: body"
    );
}

/// `InvalidNumber` → `invalid_number`: the serde name, computed without serde.
pub fn snake(debug: impl std::fmt::Debug) -> String {
    let text = format!("{debug:?}");
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks an error against `{class, kind, code, failure, message, http_status, retry_after}`
/// (only the keys present).
pub fn assert_error(name: &str, error: &Error, expected: &Value) {
    let expected = expected.as_object().unwrap();
    for (key, value) in expected {
        match key.as_str() {
            "class" => assert_eq!(
                error.class().as_str(),
                value.as_str().unwrap(),
                "{name}: class ({error})"
            ),
            "kind" => assert_eq!(
                snake(error.kind()),
                value.as_str().unwrap(),
                "{name}: kind ({error})"
            ),
            "code" => assert_eq!(error.code(), value.as_str(), "{name}: code"),
            "failure" => assert_eq!(
                error.failure_type().as_str(),
                value.as_str().unwrap(),
                "{name}: failure"
            ),
            "message" => assert_eq!(error.message(), value.as_str().unwrap(), "{name}: message"),
            "http_status" => assert_eq!(
                error.http_status().map(u64::from),
                value.as_u64(),
                "{name}: http status"
            ),
            "retry_after" => assert_eq!(
                error.retry_after().map(|d| d.as_secs()),
                value.as_u64(),
                "{name}: retry after"
            ),
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}

/// Checks a receipt against the keys present.
pub fn assert_receipt(name: &str, receipt: &Receipt, expected: &Value) {
    for (key, value) in expected.as_object().unwrap() {
        match key.as_str() {
            "message_id" => assert_eq!(receipt.message_id, value.as_str().unwrap(), "{name}"),
            "part_ids" => {
                let ids: Vec<&str> = value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(receipt.part_ids, ids, "{name}");
            }
            "status" => assert_eq!(receipt.status.as_str(), value.as_str().unwrap(), "{name}"),
            "provider_status" => {
                assert_eq!(receipt.provider_status, value.as_str().unwrap(), "{name}")
            }
            "segments" => assert_eq!(
                receipt.segments.map(u64::from),
                value.as_u64(),
                "{name}: segments"
            ),
            "price" => assert_eq!(
                receipt.price.as_ref().map(ToString::to_string).as_deref(),
                value.as_str(),
                "{name}: price"
            ),
            "created_at" => assert_eq!(
                receipt.created_at.map(|t| t.to_rfc3339()).as_deref(),
                value.as_str(),
                "{name}"
            ),
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}

/// Checks a delivery report against the keys present.
pub fn assert_report(name: &str, report: &DeliveryReport, expected: &Value) {
    for (key, value) in expected.as_object().unwrap() {
        match key.as_str() {
            "status" => assert_eq!(
                report.status.as_str(),
                value.as_str().unwrap(),
                "{name}: status"
            ),
            "provider_status" => {
                assert_eq!(report.provider_status, value.as_str().unwrap(), "{name}")
            }
            "failure" => assert_eq!(
                report.failure.map(|f| f.as_str()),
                value.as_str(),
                "{name}: failure"
            ),
            "error_code" => assert_eq!(
                report.error_code.as_deref(),
                value.as_str(),
                "{name}: error code"
            ),
            "client_ref" => assert_eq!(report.client_ref.as_deref(), value.as_str(), "{name}"),
            "to" => assert_eq!(
                report.to.as_ref().map(E164::as_str),
                value.as_str(),
                "{name}"
            ),
            "at" => assert_eq!(
                report.at.to_rfc3339(),
                value.as_str().unwrap(),
                "{name}: at"
            ),
            "price" => assert_eq!(
                report.price.as_ref().map(ToString::to_string).as_deref(),
                value.as_str(),
                "{name}"
            ),
            other => panic!("{name}: unknown expectation {other}"),
        }
    }
}

/// Runs one recorded send fixture: sends its message through `provider` (which uses
/// `transport`), then checks the one request against `request` and the outcome against
/// `expect.ok` (a receipt from `provider_name`) or `expect.error`.
pub fn assert_send_fixture(
    name: &str,
    fixture: &Value,
    provider: &dyn Provider,
    transport: &Replay,
    provider_name: &str,
) {
    let outcome = provider.send(&message_from(&fixture["message"]));
    let requests = transport.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1, "{name}: one request");
    assert_request(name, &requests[0], &fixture["request"]);
    match (
        &outcome,
        fixture["expect"].get("ok"),
        fixture["expect"].get("error"),
    ) {
        (Ok(receipt), Some(expected), None) => {
            assert_eq!(receipt.provider, provider_name);
            assert_receipt(name, receipt, expected);
        }
        (Err(error), None, Some(expected)) => assert_error(name, error, expected),
        _ => panic!("{name}: unexpected outcome {outcome:?}"),
    }
}

/// A transport that records the request and answers the recorded response.
#[derive(Debug)]
pub struct Replay {
    response: HttpResponse,
    pub requests: Mutex<Vec<HttpRequest>>,
}

impl Replay {
    pub fn new(response: HttpResponse) -> Self {
        Self {
            response,
            requests: Mutex::new(Vec::new()),
        }
    }

    /// A transport for tests that never send (webhooks only): it answers HTTP 500.
    pub fn unused() -> Arc<Self> {
        Arc::new(Self::new(response(500, "")))
    }
}

impl Transport for Replay {
    fn execute(&self, request: &HttpRequest) -> Result<HttpResponse, Error> {
        self.requests.lock().unwrap().push(request.clone());
        Ok(self.response.clone())
    }
}

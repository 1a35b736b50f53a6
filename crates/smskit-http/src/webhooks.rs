//! Provider webhooks: Twilio status callbacks and inbound messages, Vonage delivery receipts
//! and inbound messages.
//!
//! Each request is checked with the provider crate's own verification against the public URL
//! (Twilio's `X-Twilio-Signature` over the URL and form; Vonage's `sig` over the parameters,
//! with its timestamp within five minutes): a missing or wrong signature is a `403` and
//! nothing is applied. Delivery reports are applied monotonically by the engine, so a retried
//! or late report changes nothing; an inbound message seen already (same provider and message
//! id, recently) is not recorded twice; a stop keyword blacklists the sender.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use smskit::Store;
use smskit::chrono::{DateTime, Utc};
use smskit::provider::twilio::{self, SignatureValidator};
use smskit::provider::vonage::{self, SignatureVerifier};
use smskit::provider::{Body, DeliveryReport, HttpRequest, InboundMessage};
use smskit::reply::InboundSms;

use crate::config::HttpConfig;
use crate::metrics::{Hook, Outcome};
use crate::state::AppState;

/// How many inbound message ids are remembered to drop retries: a provider retries within
/// minutes, long before this many other messages arrive.
const REMEMBERED_INBOUND: usize = 16_384;

/// The verifiers, built once from the configuration, and the inbound messages seen lately.
#[derive(Debug)]
pub(crate) struct Webhooks {
    twilio: Option<SignatureValidator>,
    vonage: Option<SignatureVerifier>,
    seen: Mutex<Recent>,
}

impl Webhooks {
    pub(crate) fn new(config: &HttpConfig) -> Self {
        Webhooks {
            twilio: config
                .twilio_auth_token
                .as_deref()
                .and_then(|token| SignatureValidator::new(token).ok()),
            vonage: config
                .vonage_signature_secret
                .as_deref()
                .and_then(|secret| {
                    SignatureVerifier::new(secret, config.vonage_signature_method).ok()
                }),
            seen: Mutex::new(Recent::default()),
        }
    }

    /// Claims `(provider, id)`: `false` when it was seen already.
    fn claim(&self, provider: &str, id: &str) -> bool {
        let key = format!("{provider}\u{0}{id}");
        self.seen
            .lock()
            .map_or(true, |mut seen| seen.insert(key, REMEMBERED_INBOUND))
    }

    /// Forgets `(provider, id)`, whose message could not be recorded: its retry must be.
    fn release(&self, provider: &str, id: &str) {
        let key = format!("{provider}\u{0}{id}");
        if let Ok(mut seen) = self.seen.lock() {
            seen.ids.remove(&key);
        }
    }
}

/// A bounded set of the most recent keys.
#[derive(Debug, Default)]
struct Recent {
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl Recent {
    fn insert(&mut self, key: String, capacity: usize) -> bool {
        if self.ids.contains(&key) {
            return false;
        }
        while self.order.len() >= capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
        self.order.push_back(key.clone());
        self.ids.insert(key);
        true
    }
}

/// The request as the provider sent it: the public URL the signature covers, the method, the
/// headers and the body.
fn provider_request(
    config: &HttpConfig,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Option<HttpRequest> {
    let path = uri.path_and_query().map_or("/", |path| path.as_str());
    let mut request = smskit::provider::http::Request::builder()
        .method(method.clone())
        .uri(format!("{}{path}", config.public_url))
        .body(Body::from(body.to_vec()))
        .ok()?;
    *request.headers_mut() = headers.clone();
    Some(request)
}

/// The parts of a webhook request as axum hands them over.
type Parts<'r> = (&'r Method, &'r Uri, &'r HeaderMap, &'r Bytes);

/// What `verify` gets out of a webhook request (its signed parameters) once the provider's
/// `verifier` accepts it against the public URL; or why it is refused: no secret configured,
/// a request that cannot be rebuilt, a missing or wrong signature.
fn verified<V, P>(
    config: &HttpConfig,
    verifier: Option<&V>,
    (method, uri, headers, body): Parts<'_>,
    verify: impl FnOnce(&V, &HttpRequest) -> Option<P>,
) -> Result<P, Outcome> {
    let verifier = verifier.ok_or(Outcome::Unconfigured)?;
    let request = provider_request(config, method, uri, headers, body).ok_or(Outcome::Invalid)?;
    verify(verifier, &request).ok_or(Outcome::Forged)
}

/// The parameters of a Twilio webhook whose signature holds for the public URL.
fn twilio_params<S>(
    state: &AppState<S>,
    parts: Parts<'_>,
) -> Result<Vec<(String, String)>, Outcome> {
    verified(
        &state.config,
        state.webhooks.twilio.as_ref(),
        parts,
        |validator, request| validator.verify_request(request).ok(),
    )
}

/// The parameters of a Vonage webhook whose signature holds (and is recent at `now`).
fn vonage_params<S>(
    state: &AppState<S>,
    parts: Parts<'_>,
    now: DateTime<Utc>,
) -> Result<vonage::SignedParams, Outcome> {
    verified(
        &state.config,
        state.webhooks.vonage.as_ref(),
        parts,
        |verifier, request| verifier.verify_request(request, now).ok(),
    )
}

/// Twilio status callbacks: `POST` (or `GET`) `/webhooks/twilio/status`.
pub(crate) async fn twilio_status<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let hook = Hook::TwilioStatus;
    let now = (state.config.now)();
    let params = match twilio_params(&state, (&method, &uri, &headers, &body)) {
        Ok(params) => params,
        Err(outcome) => return refuse(&state, hook, outcome),
    };
    let Ok(report) = twilio::parse_status_callback(&params, now) else {
        return refuse(&state, hook, Outcome::Invalid);
    };
    apply_report(&state, hook, report, StatusCode::OK).await
}

/// Twilio inbound messages: `POST` (or `GET`) `/webhooks/twilio/inbound`. Answered with an
/// empty TwiML `<Response/>`: no automatic reply.
pub(crate) async fn twilio_inbound<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let hook = Hook::TwilioInbound;
    let now = (state.config.now)();
    let params = match twilio_params(&state, (&method, &uri, &headers, &body)) {
        Ok(params) => params,
        Err(outcome) => return refuse(&state, hook, outcome),
    };
    let Ok(message) = twilio::parse_inbound_message(&params, now) else {
        return refuse(&state, hook, Outcome::Invalid);
    };
    let status = receive(&state, hook, message).await;
    if status != StatusCode::OK {
        return status.into_response();
    }
    let mut response = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    response
}

/// Vonage delivery receipts: `GET` or `POST` (form or JSON) `/webhooks/vonage/dlr`.
pub(crate) async fn vonage_dlr<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let hook = Hook::VonageDlr;
    let now = (state.config.now)();
    let params = match vonage_params(&state, (&method, &uri, &headers, &body), now) {
        Ok(params) => params,
        Err(outcome) => return refuse(&state, hook, outcome),
    };
    let Ok(report) = vonage::parse_delivery_receipt(&params, None, now) else {
        return refuse(&state, hook, Outcome::Invalid);
    };
    apply_report(&state, hook, report, StatusCode::NO_CONTENT).await
}

/// Vonage inbound messages: `GET` or `POST` (form or JSON) `/webhooks/vonage/inbound`.
pub(crate) async fn vonage_inbound<S: Store + Send + 'static>(
    State(state): State<AppState<S>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let hook = Hook::VonageInbound;
    let now = (state.config.now)();
    let params = match vonage_params(&state, (&method, &uri, &headers, &body), now) {
        Ok(params) => params,
        Err(outcome) => return refuse(&state, hook, outcome),
    };
    let Ok(message) = vonage::parse_inbound_message(&params, now) else {
        return refuse(&state, hook, Outcome::Invalid);
    };
    match receive(&state, hook, message).await {
        StatusCode::OK => StatusCode::NO_CONTENT.into_response(),
        other => other.into_response(),
    }
}

/// A request that is not applied: `403` when it could not be verified, `400` when it could
/// not be read.
fn refuse<S>(state: &AppState<S>, hook: Hook, outcome: Outcome) -> Response {
    state.metrics.webhook(hook, outcome);
    match outcome {
        Outcome::Invalid => StatusCode::BAD_REQUEST,
        Outcome::Failed => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::FORBIDDEN,
    }
    .into_response()
}

/// Applies a verified delivery report, answering `ok` (a `500` when the store failed, so
/// that the provider retries).
async fn apply_report<S: Store + Send + 'static>(
    state: &AppState<S>,
    hook: Hook,
    report: DeliveryReport,
    ok: StatusCode,
) -> Response {
    let applied = state
        .engine
        .call(move |engine| engine.apply_report(&report))
        .await;
    match applied {
        Ok(Ok(changed)) => {
            let outcome = if changed.is_some() {
                Outcome::Applied
            } else {
                Outcome::Unchanged
            };
            state.metrics.webhook(hook, outcome);
            ok.into_response()
        }
        _ => refuse(state, hook, Outcome::Failed),
    }
}

/// Records a verified inbound message once (a stop keyword blacklists its sender); the
/// status to answer with.
async fn receive<S: Store + Send + 'static>(
    state: &AppState<S>,
    hook: Hook,
    message: InboundMessage,
) -> StatusCode {
    if !state.webhooks.claim(&message.provider, &message.message_id) {
        state.metrics.webhook(hook, Outcome::Unchanged);
        return StatusCode::OK;
    }
    let sms = InboundSms {
        from: message.from,
        text: message.text.clone(),
        at: message.at,
    };
    let received = state.engine.call(move |engine| engine.receive(&sms)).await;
    if let Ok(Ok(_)) = received {
        state.metrics.webhook(hook, Outcome::Applied);
        StatusCode::OK
    } else {
        state
            .webhooks
            .release(&message.provider, &message.message_id);
        state.metrics.webhook(hook, Outcome::Failed);
        StatusCode::INTERNAL_SERVER_ERROR
    }
}

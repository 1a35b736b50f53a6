//! SMS providers for smskit: one object-safe [`Provider`] trait with one receipt, one
//! delivery-report and one error type; stub and file providers; Twilio and Vonage with a
//! sans-IO core; a blocking transport; and a [`Dispatcher`] that sends batches with rate limits
//! and safe retries.
//!
//! - **One abstraction.** [`Provider`] is object-safe and `Send + Sync`: pick a
//!   `Box<dyn Provider>` from configuration. Every provider takes an [`OutboundMessage`] and
//!   answers a [`Receipt`] or an [`Error`]; delivery reports become [`DeliveryReport`]s whose
//!   statuses are the mailing spec's [`TraceStatus`]es and [`FailureType`]s.
//! - **Errors say whether a retry is safe.** [`ErrorClass`] partitions every failure:
//!   retryable (never processed), permanent (refused), unknown (may have been sent — never
//!   retried automatically). Each error also carries the provider's code and message and the
//!   failure type a trace records.
//! - **Sans-IO HTTP providers.** [`twilio`] and [`vonage`] build [`HttpRequest`]s and parse
//!   [`HttpResponse`]s with pure functions, tested on recorded payloads; a [`Transport`]
//!   performs the exchange (`UreqTransport` with the `ureq` feature). Twilio webhooks are
//!   verified ([`twilio::SignatureValidator`]), Vonage's by their `sig`
//!   ([`vonage::SignatureVerifier`]): an unsigned or forged report is rejected, never parsed.
//!   Both are parsed leniently.
//! - **Batches.** [`Dispatcher`] keeps N messages in flight, paces each sender to its rate in
//!   segments per second, retries retryable errors with exponential backoff and seeded
//!   jitter, and returns one result per message. Time comes from an injected [`Clock`].
//!
//! No hidden clock, randomness, network or file access: the caller passes the time
//! (`received_at`), the clock, the jitter seed, the transport and the outbox directory.
//!
//! # Example
//!
//! ```
//! use smskit_phone::E164;
//! use smskit_provider::{
//!     Dispatcher, DispatchOptions, Error, ErrorClass, ErrorKind, Job, OutboundMessage, Provider,
//!     Rate, SimulatedClock, StubProvider,
//! };
//!
//! let flaky = E164::parse("+32470000001").unwrap();
//! let stopped = E164::parse("+32470000002").unwrap();
//! let provider: Box<dyn Provider> = Box::new(
//!     StubProvider::new()
//!         .failing_times(flaky.clone(), 1, Error::retryable(ErrorKind::RateLimited, "slow down"))
//!         .failing_for(stopped.clone(), Error::permanent(ErrorKind::OptedOut, "replied STOP")),
//! );
//! let jobs: Vec<Job> = [flaky, stopped, E164::parse("+32470000003").unwrap()]
//!     .into_iter()
//!     .map(|to| Job::new(OutboundMessage::new(to, "Spring sale: -20% today"), 1))
//!     .collect();
//!
//! let clock = SimulatedClock::new();
//! let options = DispatchOptions::default().with_rate(Rate::per_second(10).unwrap());
//! let results = Dispatcher::new(&provider, &clock).with_options(options).dispatch(jobs);
//!
//! assert_eq!(results[0].attempts, 2); // retried once, then accepted
//! assert!(results[0].result.is_ok());
//! let error = results[1].result.as_ref().unwrap_err();
//! assert_eq!(error.class(), ErrorClass::Permanent); // not retried
//! assert_eq!(error.failure_type().as_str(), "sms_optout");
//! assert!(results[2].result.is_ok());
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `serde` | yes | `Serialize`/`Deserialize` on the public data types (messages, receipts, reports, errors, statuses) |
//! | `ureq` | no | `UreqTransport`, the blocking HTTP transport (ureq 3 + rustls) |
//!
//! The stub and file providers, the Twilio and Vonage request/response code and the
//! dispatcher are always compiled.

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod dispatch;
mod error;
mod file;
mod json;
mod message;
mod provider;
mod sender;
mod status;
mod stub;
mod transport;
pub mod twilio;
#[cfg(feature = "ureq")]
mod ureq_transport;
pub mod vonage;

pub use dispatch::{
    Clock, DispatchOptions, Dispatched, Dispatcher, Job, Rate, RetryPolicy, SimulatedClock,
    SystemClock,
};
pub use error::{Error, ErrorClass, ErrorKind, Result};
pub use file::{FileProvider, StoredMessage};
/// The `http` crate, whose `Request`, `Response` and `Method` the sans-IO core speaks.
pub use http;
pub use http::Method;
pub use message::{
    DeliveryReport, InboundMessage, InboundPart, OutboundMessage, Receipt, Sender, parse_price,
};
pub use provider::Provider;
pub use sender::{SenderNumber, SenderPool};
/// The one money type of smskit (exact micro-units of a validated currency), re-exported so
/// that prices need no second dependency.
pub use smskit_segment::{Currency, Money};
pub use status::{FailureType, TraceStatus};
pub use stub::StubProvider;
pub use transport::{Body, HttpRequest, HttpResponse, Transport, parse_form};
#[cfg(feature = "ureq")]
pub use ureq_transport::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_TOTAL_TIMEOUT, MAX_RESPONSE_BYTES, UreqTransport,
};

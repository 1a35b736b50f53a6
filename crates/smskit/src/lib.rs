//! SMS marketing as Rust libraries.
//!
//! `smskit` is the facade over the smskit building blocks. Each building block is also a crate of
//! its own, so an application that only needs segment counting can depend on `smskit-segment`
//! alone; this crate re-exports them under one roof.
//!
//! | module | crate | what it does |
//! |---|---|---|
//! | [`segment`] | `smskit-segment` | GSM-7 / UCS-2 encoding choice, exact part counts and splits, transliteration, prices |
//! | [`filter`] | `smskit-filter` | Odoo-compatible recipient filter domains |
//! | [`links`] | `smskit-links` | tracked short links, UTM parameters, clicks |
//! | [`abtest`] | `smskit-abtest` | reproducible A/B samples, winners, significance |
//! | [`phone`] | `smskit-phone` | E.164 phone numbers |
//! | [`provider`] | `smskit-provider` | the `Provider` trait, stub/file providers, Twilio and Vonage |
//!
//! The facade's own pieces, growing into the campaign engine:
//!
//! | module | what it does |
//! |---|---|
//! | `exclude` | the exclusion pass: blacklist, opt-out, duplicate, missing and invalid numbers, in the spec's order (feature `provider`) |
//! | `stats` | a mailing's counts and exact ratios, as Odoo computes them (feature `provider`, whose `TraceStatus` it counts) |
//! | `template` | `{{ object.field }}` message templates checked against a schema (feature `filter`) |
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `segment`, `filter`, `links`, `abtest`, `phone`, `provider` | yes | the module of the same name |
//! | `serde` | yes | `Serialize`/`Deserialize` on the public data types |
//! | `ureq` | no | the blocking HTTP transport for the HTTP providers |
//!
//! # Example
//!
//! ```
//! # #[cfg(feature = "segment")] {
//! let parts = smskit::segment::count("Hello from smskit!");
//! assert_eq!(parts.parts, 1);
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

#[cfg(feature = "provider")]
pub mod exclude;
#[cfg(feature = "provider")]
pub mod stats;
#[cfg(feature = "filter")]
pub mod template;

#[cfg(feature = "abtest")]
#[doc(inline)]
pub use smskit_abtest as abtest;
#[cfg(feature = "filter")]
#[doc(inline)]
pub use smskit_filter as filter;
#[cfg(feature = "links")]
#[doc(inline)]
pub use smskit_links as links;
#[cfg(feature = "phone")]
#[doc(inline)]
pub use smskit_phone as phone;
#[cfg(feature = "provider")]
#[doc(inline)]
pub use smskit_provider as provider;
#[cfg(feature = "segment")]
#[doc(inline)]
pub use smskit_segment as segment;

//! Tracked short links in SMS bodies: find URLs, add UTM parameters, rewrite them to short
//! links, personalise them per recipient, resolve requests and record clicks.
//!
//! A marketing SMS with a link needs it shortened (it saves parts) and tracked (a click is the
//! main engagement signal an SMS has). This crate does it the way SMS marketing tools do:
//!
//! - [`find_urls`] finds the http(s) URLs of a text with `linkify`, with sensible rules for
//!   trailing punctuation, parentheses and emoji; every other byte is kept.
//! - [`Shortener::rewrite`] replaces each URL by `<base>/r/<code>` in one pass. Each distinct
//!   target + UTM values (+ mailing) gets one [`Link`] with a random base62 code (3 characters,
//!   growing by one on collision) from a [`LinkStore`]; the redirect target carries
//!   `utm_campaign`, `utm_source` and `utm_medium`. Already-short links, the opt-out path
//!   `<base>/sms/…` and the caller's exclusions are left alone, so rewriting is idempotent.
//! - [`Shortener::rewriter`] opens a session for many bodies (one per recipient once templates
//!   are rendered) that remembers what each URL maps to, so a repeated link costs a hash lookup.
//! - [`Rewritten::personalize_into`] turns every `<base>/r/<code>` into
//!   `<base>/r/<code>/s/<trace>` for one recipient without scanning the text again: a mailing to
//!   a million recipients scans its body once.
//! - [`Shortener::resolve`] maps a request path to the redirect target and the trace;
//!   [`LinkStore::record_click`] stores the click and returns the [`Attribution`] (the trace
//!   moves to `open`); [`LinkStore::click_stats`] counts clicks per link, mailing or campaign.
//!
//! Short links contain only GSM-7 basic characters (the base is checked against
//! [`smskit_segment::is_gsm7_basic`], the one alphabet of the workspace, when the
//! [`Shortener`] is built), so rewriting never forces UCS-2. The crate is pure: randomness comes
//! from the generator given to the store, time from the caller.
//!
//! # Example
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use smskit_links::{ClickScope, LinkStore, MemoryLinkStore, Shortener, TraceId, Tracking};
//! // Any `rand_core::Rng` draws the codes; `seeded` uses rand's `StdRng`.
//! let mut store = MemoryLinkStore::seeded(42);
//! let shortener = Shortener::new("https://sho.rt")?;
//! let tracking = Tracking::new().with_campaign("spring").with_source("newsletter").with_medium("sms");
//!
//! let rewritten = shortener.rewrite(
//!     "Spring sale (-30%): https://shop.example/spring?ref=sms. Ends Sunday!",
//!     &tracking,
//!     &mut store,
//! )?;
//! let short = &rewritten.links()[0].short_url;
//! assert_eq!(rewritten.text(), format!("Spring sale (-30%): {short}. Ends Sunday!"));
//!
//! // One body per recipient, without rescanning.
//! let mut body = String::new();
//! rewritten.personalize_into(&TraceId::from(1001u64), &mut body);
//! assert_eq!(body, format!("Spring sale (-30%): {short}/s/1001. Ends Sunday!"));
//!
//! // The recipient clicks: redirect and attribute.
//! let path = format!("{}/s/1001", &short["https://sho.rt".len()..]);
//! let resolved = shortener.resolve(&store, &path)?;
//! assert_eq!(
//!     resolved.target(),
//!     "https://shop.example/spring?ref=sms&utm_campaign=spring&utm_source=newsletter&utm_medium=sms"
//! );
//! let at = Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap();
//! let recorded = store.record_click(resolved.click(at).with_country("fr"))?;
//! assert_eq!(recorded.attribution.unwrap().trace.as_str(), "1001");
//! assert_eq!(store.click_stats(&ClickScope::Campaign("spring".into()))?.clicked_traces, 1);
//! # Ok::<(), smskit_links::Error>(())
//! ```
//!
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `serde` | yes | `Serialize`/`Deserialize` on links, clicks, codes, statistics and rewrite results (and chrono's serde support) |

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod code;
mod error;
mod find;
mod memory;
mod rewriter;
mod rewritten;
mod shortener;
mod store;
mod utm;

/// The random-generator traits ([`rand_core::Rng`]) the store draws codes from, re-exported so
/// that callers can name them without depending on `rand_core` themselves.
pub use rand_core;

/// The seeded generator of [`MemoryLinkStore::seeded`], re-exported so that callers can name
/// `MemoryLinkStore<StdRng>` without depending on `rand` themselves.
pub use rand::rngs::StdRng;

pub use code::{Code, MAX_CODE_LEN, MIN_CODE_LEN, TraceId, allocate_code};
pub use error::{Error, NotFoundReason, Result};
pub use find::{FindUrls, FoundUrl, find_urls};
pub use memory::MemoryLinkStore;
pub use rewriter::Rewriter;
pub use rewritten::{Occurrence, Rewritten, RewrittenLink, Warning};
pub use shortener::{Resolution, ShortPath, Shortener};
pub use store::{
    Attribution, Click, ClickScope, ClickStats, Link, LinkRequest, LinkStore, RecordedClick,
};
pub use utm::{Tracking, Utm};

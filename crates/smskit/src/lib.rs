//! SMS marketing as a library: audiences, mailings, sending, delivery reports and statistics,
//! over a store you choose.
//!
//! - **Audiences.** Contacts with a phone number as entered, mailing lists with opt-out, a
//!   blacklist ([`model`]); or any contacts matching an Odoo-style filter domain; or the
//!   application's own `Serialize` records, filtered and templated with one inferred schema
//!   ([`records`]).
//! - **Mailings.** `{{ object.field ||| default }}` templates checked against the contact
//!   model when the mailing is created ([`template`]); one trace per targeted contact, with the
//!   exclusions of the mailing spec in its order ([`exclude`]).
//! - **Sending.** Through any [`provider::Provider`], in batches that are claimed before their
//!   messages leave and recorded after: nothing is sent twice, and an outcome lost to a crash
//!   is recorded as unknown, never guessed ([`Store`]).
//! - **Feedback and figures.** Delivery reports applied monotonically; counts and exact ratios
//!   as Odoo computes them ([`stats`]).
//! - **State behind a trait.** [`MemoryStore`] ships here; durable stores implement [`Store`].
//!
//! # Example: a campaign
//!
//! ```
//! use smskit::model::{Audience, NewContact, NewMailing};
//! use smskit::phone::{E164, Region};
//! use smskit::provider::{SimulatedClock, StubProvider};
//! use smskit::{Engine, MemoryStore, Settings, Store};
//!
//! let now = chrono::DateTime::UNIX_EPOCH;
//! let settings = Settings::new().with_default_region(Region::parse("BE")?);
//! let mut engine = Engine::new(MemoryStore::new(), settings);
//!
//! // The audience: one list, a blacklisted number, a duplicate, an invalid number.
//! let list = engine.create_list("Spring", true)?;
//! for (name, phone) in [
//!     ("Ana", "0470 12 34 56"),
//!     ("Bo", "+32 470 12 34 56"),
//!     ("Cy", "+32470999999"),
//!     ("Di", "not a number"),
//!     ("Ed", "0470 11 11 11"),
//! ] {
//!     let contact = engine.add_contact(NewContact::new(name, phone).with_field("city", "Gent"), now)?;
//!     engine.subscribe(list, contact, now)?;
//! }
//! engine.store_mut().blacklist_add(E164::parse("+32470999999")?, Some("replied STOP"), now)?;
//!
//! // The mailing, checked when created, prepared, sent.
//! let mailing = engine.create_mailing(
//!     NewMailing::new("Spring sale", "Hi {{ object.name }} from {{ object.city ||| us }}: -20%!",
//!         Audience::Lists(vec![list])),
//!     now,
//! )?;
//! let prepared = engine.prepare(mailing)?;
//! assert_eq!((prepared.traces, prepared.outgoing), (5, 2));
//! let sent = engine.send(mailing, &StubProvider::new(), &SimulatedClock::new(), now)?;
//! assert_eq!(sent.accepted, 2);
//!
//! let counts = engine.counts(mailing)?;
//! assert_eq!((counts.expected, counts.canceled, counts.sent), (5, 3, 2));
//! assert_eq!(counts.ratios().received.to_string(), "0.00"); // no delivery report yet
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: the whole campaign
//!
//! A campaign with a list, a blacklist and a filter; tracked links and an opt-out line; a
//! side-effect-free preview with the cost; a schedule run by the application's timer; then
//! the world answering: a delivery report, a click, a STOP reply.
//!
//! ```
//! use smskit::prelude::*;
//! use smskit::links::Shortener;
//! use smskit::phone::{E164, Region};
//! use smskit::provider::{DeliveryReport, SimulatedClock, StubProvider, TraceStatus};
//! use smskit::reply::InboundSms;
//! use smskit::segment::PriceTable;
//! use chrono::{DateTime, Duration};
//!
//! let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap(); // the application's clock
//! let settings = Settings::new()
//!     .with_default_region(Region::parse("BE")?)
//!     .with_links(Shortener::new("https://sho.rt")?)
//!     .with_opt_out_links(OptOutLinks::new("https://shop.example/sms/optout", b"a 32-byte application secret!!!")?)
//!     .with_prices(PriceTable::from_csv("prefix,price,currency\n32,0.075,EUR\n")?);
//! let mut engine = Engine::new(MemoryStore::new(), settings);
//!
//! let spring = engine.create_campaign(NewCampaign::new("Spring").with_tag("promo"), now)?;
//! let vip = engine.create_list("VIP", false)?;
//! for (name, phone, city) in [("Ana", "0470 12 34 56", "Gent"), ("Bo", "0470 11 11 11", "Liège"), ("Cy", "+32470999999", "Gent")] {
//!     let contact = engine.add_contact(NewContact::new(name, phone).with_field("city", city), now)?;
//!     engine.subscribe(vip, contact, now)?;
//! }
//! engine.store_mut().blacklist_add(E164::parse("+32470999999")?, Some("replied STOP"), now)?;
//!
//! let mailing = engine.create_mailing(
//!     NewMailing::new("Gent", "Hi {{ object.name }}, -20% in Gent: https://shop.example/sale",
//!         Audience::Domain("[('city', '=', 'Gent'), ('list_ids.name', '=', 'VIP')]".into()))
//!         .with_campaign(spring)
//!         .with_opt_out_link(),
//!     now,
//! )?;
//! let preview = engine.preview(mailing)?; // stores nothing
//! assert_eq!(preview.estimate.cost.unwrap().to_string(), "0.075 EUR"); // one message of one part
//! engine.schedule(mailing, now + Duration::hours(1), now)?;
//!
//! let (provider, clock) = (StubProvider::new(), SimulatedClock::new());
//! let later = now + Duration::hours(1);
//! engine.run_due(&provider, &clock, later)?; // prepares and sends: Ana only (Cy is blacklisted)
//! let sms = &provider.messages()[0];
//! assert!(sms.body.starts_with("Hi Ana, -20% in Gent: https://sho.rt/r/"));
//!
//! let mut ana = None;
//! engine.store().traces(mailing, &mut |trace| if trace.status == TraceStatus::Pending { ana = Some(trace.clone()) })?;
//! let ana = ana.unwrap();
//! let id = ana.provider_message_id.clone().unwrap();
//! engine.apply_report(&DeliveryReport::new("stub", id, TraceStatus::Sent, "delivered", later))?;
//! let path = sms.body.split("https://sho.rt").nth(1).unwrap().split_whitespace().next().unwrap();
//! let redirect = engine.click(path, later, None, None)?; // the application's redirect route
//! assert!(redirect.target.starts_with("https://shop.example/sale?utm_campaign=Spring"));
//! let reply = InboundSms { from: ana.number.unwrap(), text: "stop".into(), at: later };
//! assert!(engine.receive(&reply)?.stop); // Ana is blacklisted now
//!
//! let counts = engine.campaign_counts(spring)?;
//! assert_eq!((counts.expected, counts.canceled, counts.delivered, counts.clicked), (2, 1, 1, 1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! An A/B test ([`ab`]), a transactional message for one contact
//! ([`Engine::send_transactional`]), the application's own records as the audience
//! ([`records`]), statistics by day, country or failure ([`report`]) and a contact's history
//! ([`Engine::history`]) take a few lines more each.
//!
//! # The building blocks
//!
//! Each is also a crate of its own, so an application that only needs segment counting can
//! depend on `smskit-segment` alone; they are re-exported here so that versions always match.
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
//! # Features
//!
//! | feature | default | enables |
//! |---|---|---|
//! | `serde` | yes | `Serialize`/`Deserialize` on the public data types, the facade's and the building blocks'; the application's own records as an audience ([`records`]) |
//! | `ureq` | no | the blocking HTTP transport for the HTTP providers (ureq + rustls) |

#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod ab;
pub mod audience;
mod compose;
pub mod credit;
mod engine;
mod error;
pub mod exclude;
mod feedback;
pub mod lists;
mod memory;
pub mod model;
mod oneoff;
pub mod optout;
mod pace;
pub mod preview;
#[cfg(feature = "serde")]
pub mod records;
pub mod reply;
pub mod report;
pub mod stats;
pub mod store;
pub mod template;
pub mod worker;

pub use engine::{DueRun, Engine, Prepared, Sent, Settings};
pub use error::Error;
pub use feedback::{ClickRequest, History, OptOut, Redirect};
pub use memory::MemoryStore;
pub use oneoff::TestSend;
pub use store::Store;

/// The `chrono` version every time argument uses, so applications never match versions by hand.
pub use chrono;

#[doc(inline)]
pub use smskit_abtest as abtest;
#[doc(inline)]
pub use smskit_filter as filter;
#[doc(inline)]
pub use smskit_links as links;
#[doc(inline)]
pub use smskit_phone as phone;
#[doc(inline)]
pub use smskit_provider as provider;
#[doc(inline)]
pub use smskit_segment as segment;

/// The names a campaign needs, in one `use smskit::prelude::*;`.
pub mod prelude {
    pub use crate::ab::{Choice, NewAbTest};
    pub use crate::model::{
        Audience, CampaignId, ContactId, ListId, MailingId, NewCampaign, NewContact, NewMailing,
        WinnerRule,
    };
    pub use crate::optout::OptOutLinks;
    pub use crate::report::{GroupBy, Scope};
    pub use crate::{Engine, Error, MemoryStore, Settings, Store};
}

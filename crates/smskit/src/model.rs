//! The records a store keeps: contacts, mailing lists and subscriptions, the blacklist,
//! mailings and their traces.
//!
//! These are plain data with public fields, like rows: a [`Store`](crate::Store) persists them
//! and the [`Engine`](crate::Engine) enforces the rules between them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};

use crate::phone::{E164, Region};
use crate::provider::{FailureType, TraceStatus};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The id of a [`Contact`].
    ContactId
);
id_type!(
    /// The id of a [`MailingList`].
    ListId
);
id_type!(
    /// The id of a [`Mailing`].
    MailingId
);
id_type!(
    /// The id of a [`Campaign`].
    CampaignId
);
id_type!(
    /// The id of an [`AbTest`].
    AbTestId
);
id_type!(
    /// The id of a [`Trace`]; its text form is what short links and opt-out tokens carry.
    TraceId
);

/// A person to send to: a name, a phone number as it was entered, a country for national
/// numbers, and free text fields that filters and templates can use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Contact {
    /// Its id.
    pub id: ContactId,
    /// Its name.
    pub name: String,
    /// The phone number as entered (the trace of a number that cannot be read keeps this text).
    pub phone: String,
    /// The country of a national number; the engine's default country when `None`.
    pub country: Option<Region>,
    /// Other fields (`city`, `tier`, ...), by name.
    pub fields: BTreeMap<String, String>,
    /// When it was created (Odoo's contact order puts the most recent first among equal names).
    pub created_at: DateTime<Utc>,
}

/// A contact to create: a [`Contact`] without its id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewContact {
    /// Its name.
    pub name: String,
    /// The phone number as entered.
    pub phone: String,
    /// The country of a national number.
    pub country: Option<Region>,
    /// Other fields.
    pub fields: BTreeMap<String, String>,
}

impl NewContact {
    /// A contact with a name and a phone number.
    #[must_use]
    pub fn new(name: impl Into<String>, phone: impl Into<String>) -> Self {
        NewContact {
            name: name.into(),
            phone: phone.into(),
            ..NewContact::default()
        }
    }

    /// Sets the country of a national number.
    #[must_use]
    pub fn with_country(mut self, country: Region) -> Self {
        self.country = Some(country);
        self
    }

    /// Sets a free field.
    #[must_use]
    pub fn with_field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }
}

/// A mailing list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MailingList {
    /// Its id.
    pub id: ListId,
    /// Its name, unique.
    pub name: String,
    /// Shown on the subscription-management page.
    pub is_public: bool,
}

/// A contact's membership of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Subscription {
    /// The list.
    pub list: ListId,
    /// The contact.
    pub contact: ContactId,
    /// The contact opted out of this list.
    pub opt_out: bool,
    /// When the contact joined.
    pub created_at: DateTime<Utc>,
    /// When the contact opted out.
    pub opt_out_at: Option<DateTime<Utc>>,
}

/// A blacklisted number. Only active entries block sending; removing a number archives its
/// entry, and adding it again re-activates it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BlacklistEntry {
    /// The number.
    pub number: E164,
    /// Whether it blocks sending.
    pub active: bool,
    /// Why it was added (`replied STOP`, `imported`, ...).
    pub reason: Option<String>,
    /// When it was last added.
    pub updated_at: DateTime<Utc>,
}

/// Where a mailing is in its life: `draft` → `in_queue` → `sending` → `sent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MailingState {
    /// Being written; nothing prepared.
    Draft,
    /// Waiting for its schedule (or for the next run of the queue).
    InQueue,
    /// Traces prepared; messages leaving.
    Sending,
    /// No trace is left waiting or leaving.
    Sent,
}

impl MailingState {
    /// `draft`, `in_queue`, `sending` or `sent`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            MailingState::Draft => "draft",
            MailingState::InQueue => "in_queue",
            MailingState::Sending => "sending",
            MailingState::Sent => "sent",
        }
    }
}

impl fmt::Display for MailingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a mailing goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Audience {
    /// The contacts of these lists (each contact once).
    Lists(Vec<ListId>),
    /// The contacts matching this filter domain (`spec/filters.md`) over the contact model.
    Domain(String),
    /// These contacts, chosen by the application (the records a
    /// [`RecordSet`](crate::records::RecordSet) filter selected, say).
    Contacts(Vec<ContactId>),
    /// No audience: a transactional message, sent to one contact at a time by
    /// [`Engine::send_transactional`](crate::Engine::send_transactional) (an order
    /// confirmation, an appointment reminder), never prepared.
    Transactional,
}

/// A mailing: a message template, an audience and where it is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mailing {
    /// Its id.
    pub id: MailingId,
    /// Its internal title.
    pub name: String,
    /// The template of the message (`{{ object.name }}` placeholders).
    pub body: String,
    /// Who it goes to.
    pub audience: Audience,
    /// Append the opt-out line to every message.
    pub include_opt_out_link: bool,
    /// The campaign it belongs to.
    pub campaign: Option<CampaignId>,
    /// Who is responsible for it.
    pub responsible: Option<String>,
    /// Free labels.
    pub tags: BTreeSet<String>,
    /// The A/B test it is a version (or the final mailing) of; set by the engine.
    pub ab_test: Option<AbTestId>,
    /// Where it is in its life.
    pub state: MailingState,
    /// When it is due, for a scheduled mailing.
    pub scheduled_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A mailing to create: a [`Mailing`] without id, state or schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewMailing {
    /// Its internal title.
    pub name: String,
    /// The template of the message.
    pub body: String,
    /// Who it goes to.
    pub audience: Audience,
    /// Append the opt-out line to every message.
    pub include_opt_out_link: bool,
    /// The campaign it belongs to.
    pub campaign: Option<CampaignId>,
    /// Who is responsible for it.
    pub responsible: Option<String>,
    /// Free labels.
    pub tags: BTreeSet<String>,
    /// The A/B test it belongs to; set by [`Engine::create_ab_test`](crate::Engine::create_ab_test).
    pub ab_test: Option<AbTestId>,
}

impl NewMailing {
    /// A mailing of `body` to `audience`.
    #[must_use]
    pub fn new(name: impl Into<String>, body: impl Into<String>, audience: Audience) -> Self {
        NewMailing {
            name: name.into(),
            body: body.into(),
            audience,
            include_opt_out_link: false,
            campaign: None,
            responsible: None,
            tags: BTreeSet::new(),
            ab_test: None,
        }
    }

    /// Files the mailing under `campaign`.
    #[must_use]
    pub fn with_campaign(mut self, campaign: CampaignId) -> Self {
        self.campaign = Some(campaign);
        self
    }

    /// Names who is responsible for it.
    #[must_use]
    pub fn with_responsible(mut self, responsible: impl Into<String>) -> Self {
        self.responsible = Some(responsible.into());
        self
    }

    /// Adds a label.
    #[must_use]
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.insert(tag.into());
        self
    }

    /// Appends the opt-out line to every message.
    #[must_use]
    pub fn with_opt_out_link(mut self) -> Self {
        self.include_opt_out_link = true;
        self
    }
}

/// A marketing campaign: mailings (and A/B tests) grouped under a unique name, with a stage
/// in the team's workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Campaign {
    /// Its id.
    pub id: CampaignId,
    /// Its name, unique among campaigns.
    pub name: String,
    /// Where it is in the team's workflow (Odoo's stages are `New`, `Schedule`, `Design`,
    /// `Sent`; any label works).
    pub stage: String,
    /// Free labels.
    pub tags: BTreeSet<String>,
    /// Who is responsible for it.
    pub responsible: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A campaign to create.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NewCampaign {
    /// Its name, unique among campaigns (surrounding spaces are trimmed).
    pub name: String,
    /// Its stage; `New` unless set.
    pub stage: String,
    /// Free labels.
    pub tags: BTreeSet<String>,
    /// Who is responsible for it.
    pub responsible: Option<String>,
}

impl NewCampaign {
    /// A campaign named `name` in stage `New`.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        NewCampaign {
            name: name.into(),
            stage: "New".to_owned(),
            tags: BTreeSet::new(),
            responsible: None,
        }
    }

    /// Starts it in `stage`.
    #[must_use]
    pub fn with_stage(mut self, stage: impl Into<String>) -> Self {
        self.stage = stage.into();
        self
    }

    /// Adds a label.
    #[must_use]
    pub fn with_tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.insert(tag.into());
        self
    }

    /// Names who is responsible for it.
    #[must_use]
    pub fn with_responsible(mut self, responsible: impl Into<String>) -> Self {
        self.responsible = Some(responsible.into());
        self
    }
}

/// How an A/B test's winner is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum WinnerRule {
    /// The best clicks ratio, chosen automatically when the test ends (Odoo's default for SMS).
    #[default]
    ClicksRatio,
    /// The best value of a metric the application measures (leads, revenue), given when the
    /// winner is chosen.
    Metric(crate::abtest::Goal),
    /// Chosen by hand.
    Manual,
}

/// An A/B test: versions of a mailing in a campaign, each sent to a test share of the
/// audience, then the winner sent to everyone the versions did not reach.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AbTest {
    /// Its id.
    pub id: AbTestId,
    /// The campaign it lives in.
    pub campaign: CampaignId,
    /// The version mailings, in order (version 0, 1, ...).
    pub versions: Vec<MailingId>,
    /// The percentage of the whole audience each version goes to (1 to 100).
    pub share: u8,
    /// The seed of the samples: the same seed and audience give the same samples anywhere.
    pub seed: u64,
    /// How the winner is chosen.
    pub rule: WinnerRule,
    /// When the winner is chosen and the final mailing sent (by [`Engine::run_due`](crate::Engine::run_due)).
    pub final_at: DateTime<Utc>,
    /// The winning version, once chosen.
    pub winner: Option<MailingId>,
    /// The mailing of the winner to the rest of the audience, once created.
    pub final_mailing: Option<MailingId>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// The outcome of one mailing for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Trace {
    /// Its id.
    pub id: TraceId,
    /// The mailing.
    pub mailing: MailingId,
    /// The targeted contact.
    pub contact: ContactId,
    /// The number sent to, when it could be read.
    pub number: Option<E164>,
    /// The number as entered, when it could not be read.
    pub raw_number: Option<String>,
    /// Where it is.
    pub status: TraceStatus,
    /// Why it was not sent or not delivered.
    pub failure_type: Option<FailureType>,
    /// The provider's words about the failure.
    pub failure_reason: Option<String>,
    /// The provider's id of the message, once accepted.
    pub provider_message_id: Option<String>,
    /// When the message left (set once, kept whatever happens next).
    pub sent_at: Option<DateTime<Utc>>,
    /// When a sender claimed it (status `process`).
    pub claimed_at: Option<DateTime<Utc>>,
    /// The first click.
    pub clicked_at: Option<DateTime<Utc>>,
    /// The reply.
    pub replied_at: Option<DateTime<Utc>>,
}

impl Trace {
    /// A trace of `mailing` for `contact` decided by the exclusion pass: `outgoing` with its
    /// number, or `cancel` with the failure type. The store gives it its id.
    #[must_use]
    pub fn prepared(
        mailing: MailingId,
        contact: ContactId,
        decision: &crate::exclude::Decision,
    ) -> Trace {
        let (status, failure_type, raw_number) = match decision {
            crate::exclude::Decision::Send { .. } => (TraceStatus::Outgoing, None, None),
            crate::exclude::Decision::Cancel {
                failure_type, raw, ..
            } => (TraceStatus::Cancel, Some(*failure_type), raw.clone()),
        };
        Trace {
            id: TraceId(0),
            mailing,
            contact,
            number: decision.number(),
            raw_number,
            status,
            failure_type,
            failure_reason: None,
            provider_message_id: None,
            sent_at: None,
            claimed_at: None,
            clicked_at: None,
            replied_at: None,
        }
    }
}

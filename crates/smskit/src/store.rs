//! Where the engine keeps its state: the [`Store`] trait, written so that a transactional SQL
//! database can implement every method as one statement or one short transaction.
//!
//! | promise | what a store does |
//! |---|---|
//! | one trace per mailing and contact | [`Store::insert_traces`] skips a pair that already has one (an idempotent upsert) |
//! | nothing sent twice | [`Store::claim_outgoing`] moves traces from `outgoing` to `process` before their message leaves; [`Store::record_outcomes`] only touches claimed traces |
//! | a lost outcome is never guessed | [`Store::abandon_claims`] turns claims older than a lease into `error` / `unknown` |
//! | a claim is renewed before its message leaves | [`Store::renew_claims`] returns only the claims no one abandoned |
//! | a rate limit holds across processes | [`Store::book_send_time`] books send time on one shared schedule per sender |
//! | reports are monotonic | [`Store::apply_status`] changes a trace only when [`accepts`] says so |

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Utc};

use crate::links::{Click, LinkStore, RecordedClick};
use crate::model::{
    AbTest, AbTestId, BlacklistEntry, Campaign, CampaignId, Contact, ContactId, ListId, Mailing,
    MailingId, MailingList, MailingState, NewCampaign, NewContact, NewMailing, Subscription, Trace,
    TraceId,
};
use crate::phone::E164;
use crate::provider::{FailureType, TraceStatus};
use crate::reply::Reply;

/// A store failed; the kind says what the caller can do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Something with this name or key exists already (a list name, a campaign name).
    #[error("{what} already exists")]
    Conflict {
        /// What, with its key (`mailing list "VIP"`).
        what: String,
    },
    /// The record referred to does not exist.
    #[error("{what} does not exist")]
    NotFound {
        /// What, with its key (`contact 17`).
        what: String,
    },
    /// The database failed (I/O, corruption, a lost connection): retry later or report it.
    #[error("store failed: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// A [`StoreError::NotFound`] for `what`.
    pub fn not_found(what: impl fmt::Display) -> Self {
        StoreError::NotFound {
            what: what.to_string(),
        }
    }

    /// A [`StoreError::Conflict`] for `what`.
    pub fn conflict(what: impl fmt::Display) -> Self {
        StoreError::Conflict {
            what: what.to_string(),
        }
    }
}

/// What happened to a claimed trace's message, recorded by [`Store::record_outcomes`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outcome {
    /// The claimed trace.
    pub trace: TraceId,
    /// Its new status: `pending` (accepted), `outgoing` (not sent, may be claimed again),
    /// `error` or `bounce`.
    pub status: TraceStatus,
    /// Why it failed.
    pub failure_type: Option<FailureType>,
    /// The provider's words about the failure.
    pub failure_reason: Option<String>,
    /// The provider's id of an accepted message.
    pub provider_message_id: Option<String>,
    /// When the message left, if it (may have) left.
    pub sent_at: Option<DateTime<Utc>>,
}

/// News about a message a provider accepted: a delivery report, a click, a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StatusUpdate {
    /// The provider's id of the message.
    pub provider_message_id: String,
    /// The status it reached.
    pub status: TraceStatus,
    /// Why it failed, for `error` and `bounce`.
    pub failure_type: Option<FailureType>,
    /// The provider's words.
    pub failure_reason: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// What [`Store::record_clicks`] did with one click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickRecord {
    /// The click as [`LinkStore::record_click`] recorded it.
    pub recorded: RecordedClick,
    /// The trace marked clicked ([`Store::mark_clicked`]): the click's attribution, when it
    /// names a trace that exists.
    pub trace: Option<TraceId>,
}

/// Failures a resend cannot fix, since they come from the recipient or the number itself:
/// [`Store::requeue_failed`] leaves these traces as they are (sending again to someone who
/// replied STOP, say, would message a person who asked not to be).
/// (An unreachable handset, `sms_invalid_destination`, is resent: it is often only switched off.)
pub const NOT_RESENT: [FailureType; 6] = [
    FailureType::Blacklist,
    FailureType::OptOut,
    FailureType::Duplicate,
    FailureType::NumberMissing,
    FailureType::NumberFormat,
    FailureType::NotAllowed,
];

/// Whether a trace in `current` (with `failure`) takes the news that it reached `next`.
///
/// The provider crate's rule ([`TraceStatus::is_superseded_by`]), plus one case it cannot know:
/// a trace whose outcome was lost (`error` / `unknown`) takes any delivery news, since news
/// is proof of what really happened.
///
/// ```
/// use smskit::provider::{FailureType, TraceStatus};
/// use smskit::store::accepts;
///
/// assert!(!accepts(TraceStatus::Sent, None, TraceStatus::Pending));
/// assert!(!accepts(TraceStatus::Error, Some(FailureType::Server), TraceStatus::Sent));
/// assert!(accepts(TraceStatus::Error, Some(FailureType::Unknown), TraceStatus::Sent));
/// ```
#[must_use]
pub fn accepts(current: TraceStatus, failure: Option<FailureType>, next: TraceStatus) -> bool {
    let lost = current == TraceStatus::Error && failure == Some(FailureType::Unknown);
    if lost {
        // Claiming, re-queueing and cancelling are actions, not news.
        return !matches!(
            next,
            TraceStatus::Outgoing | TraceStatus::Process | TraceStatus::Cancel
        );
    }
    current.is_superseded_by(next)
}

/// The engine's state. [`MemoryStore`](crate::MemoryStore) ships with the facade; durable stores
/// (SQLite, PostgreSQL) live in their own crates and pass the same conformance tests.
///
/// Reads that may return many rows visit them through a callback, so a store can stream them
/// from a cursor. Every write is atomic: it happens whole or not at all.
///
/// A store also keeps the tracked links and their clicks ([`LinkStore`]), in the same database
/// as the traces they point to.
pub trait Store: fmt::Debug + LinkStore {
    /// Creates a contact.
    fn insert_contact(
        &mut self,
        contact: NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId, StoreError>;

    /// Replaces the name, phone, country and fields of a contact (its id and creation time
    /// stay); [`StoreError::NotFound`] when it does not exist.
    fn update_contact(&mut self, id: ContactId, contact: NewContact) -> Result<(), StoreError>;

    /// The contact with this id.
    fn contact(&self, id: ContactId) -> Result<Option<Contact>, StoreError>;

    /// Visits every contact in Odoo's contact order: name ascending, then the most recently
    /// created first (this order decides which record of a duplicate number is sent to).
    fn contacts(&self, visit: &mut dyn FnMut(&Contact)) -> Result<(), StoreError>;

    /// The names of the contacts' free fields (every key of any contact's `fields`), sorted:
    /// the fields domains and templates may use. The default visits every contact; a SQL
    /// store answers from the database without sending the contacts over.
    fn contact_field_names(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let mut names = std::collections::BTreeSet::new();
        self.contacts(&mut |contact| names.extend(contact.fields.keys().cloned()))?;
        Ok(names)
    }

    /// Visits the contacts with these ids that exist, in any order: what a send reads for a
    /// batch. Pass each id once (a repeated one may be visited again). The default looks each
    /// up; a SQL store answers with one query.
    fn contacts_by_id(
        &self,
        ids: &[ContactId],
        visit: &mut dyn FnMut(Contact),
    ) -> Result<(), StoreError> {
        for id in ids {
            if let Some(contact) = self.contact(*id)? {
                visit(contact);
            }
        }
        Ok(())
    }

    /// Creates a mailing list; [`StoreError::Conflict`] when the name is taken.
    fn insert_list(&mut self, name: &str, is_public: bool) -> Result<ListId, StoreError>;

    /// The list with this name.
    fn list_by_name(&self, name: &str) -> Result<Option<MailingList>, StoreError>;

    /// Every list, by id.
    fn lists(&self) -> Result<Vec<MailingList>, StoreError>;

    /// Subscribes `contact` to `list` (nothing changes when it already is, opted out or not).
    fn subscribe(
        &mut self,
        list: ListId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Sets the opt-out flag of `contact` on `list`, subscribing it first when needed (an
    /// opt-out from a list one never joined must still hold).
    fn set_opt_out(
        &mut self,
        list: ListId,
        contact: ContactId,
        opt_out: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The subscriptions of `list`.
    fn subscriptions(&self, list: ListId) -> Result<Vec<Subscription>, StoreError>;

    /// Blacklists `number`, re-activating an archived entry.
    fn blacklist_add(
        &mut self,
        number: E164,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Archives the entry of `number`; `false` when it had no active entry.
    fn blacklist_remove(&mut self, number: E164) -> Result<bool, StoreError>;

    /// The entry of `number`, active or archived.
    fn blacklist_entry(&self, number: E164) -> Result<Option<BlacklistEntry>, StoreError>;

    /// The numbers that block sending.
    fn active_blacklist(&self) -> Result<HashSet<E164>, StoreError>;

    /// Creates a campaign; [`StoreError::Conflict`] when the name is taken.
    fn insert_campaign(
        &mut self,
        campaign: NewCampaign,
        now: DateTime<Utc>,
    ) -> Result<CampaignId, StoreError>;

    /// The campaign with this id.
    fn campaign(&self, id: CampaignId) -> Result<Option<Campaign>, StoreError>;

    /// Every campaign, by id.
    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError>;

    /// Moves a campaign to another stage of the team's workflow.
    fn set_campaign_stage(&mut self, id: CampaignId, stage: &str) -> Result<(), StoreError>;

    /// Stores an A/B test (its `id` is ignored and assigned).
    fn insert_ab_test(&mut self, test: AbTest) -> Result<AbTestId, StoreError>;

    /// The A/B test with this id.
    fn ab_test(&self, id: AbTestId) -> Result<Option<AbTest>, StoreError>;

    /// Every A/B test, by id.
    fn ab_tests(&self) -> Result<Vec<AbTest>, StoreError>;

    /// Replaces the stored A/B test with `test` (its winner and final mailing).
    fn update_ab_test(&mut self, test: &AbTest) -> Result<(), StoreError>;

    /// Creates a mailing in `draft`.
    fn insert_mailing(
        &mut self,
        mailing: NewMailing,
        now: DateTime<Utc>,
    ) -> Result<MailingId, StoreError>;

    /// The mailing with this id.
    fn mailing(&self, id: MailingId) -> Result<Option<Mailing>, StoreError>;

    /// Every mailing, by id.
    fn mailings(&self) -> Result<Vec<Mailing>, StoreError>;

    /// Sets a mailing's state and schedule.
    fn set_mailing_state(
        &mut self,
        id: MailingId,
        state: MailingState,
        scheduled_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError>;

    /// Stores new traces (their `id` is ignored and assigned), skipping any whose mailing and
    /// contact already have one; returns how many were stored.
    fn insert_traces(&mut self, traces: &[Trace]) -> Result<usize, StoreError>;

    /// Stores one trace of a transactional mailing (its `id` is ignored and assigned); unlike
    /// [`Store::insert_traces`], a contact may have many traces of such a mailing.
    fn insert_trace(&mut self, trace: &Trace) -> Result<TraceId, StoreError>;

    /// Moves up to `limit` `outgoing` traces of `mailing` to `process`, stamped `now`, and
    /// returns them. Two callers never claim the same trace.
    fn claim_outgoing(
        &mut self,
        mailing: MailingId,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Trace>, StoreError>;

    /// Records what happened to claimed traces; an outcome for a trace that is not in
    /// `process` any more is ignored (it was recorded already).
    fn record_outcomes(&mut self, outcomes: &[Outcome]) -> Result<(), StoreError>;

    /// Marks the traces of `mailing` claimed before `claimed_before` and still in `process` as
    /// `error` / `unknown` (their message may have left); returns how many.
    fn abandon_claims(
        &mut self,
        mailing: MailingId,
        claimed_before: DateTime<Utc>,
    ) -> Result<usize, StoreError>;

    /// Stamps the claims on `traces` `now` and returns those still claimed (in `process`), in
    /// id order. A sender calls it right before their messages leave: the lease then has to
    /// cover one dispatch only, and a claim another sender abandoned meanwhile (now `unknown`)
    /// is not sent.
    fn renew_claims(
        &mut self,
        traces: &[TraceId],
        now: DateTime<Utc>,
    ) -> Result<Vec<TraceId>, StoreError>;

    /// Takes the lease `name` for `holder` until `until` when it is free, expired at `now`, or
    /// held by `holder` already (then it is extended); `true` when `holder` holds it. Workers
    /// sharing a store use it for what only one of them may do at a time (choosing the
    /// winners of A/B tests).
    fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Gives up the lease `name` if `holder` holds it.
    fn release_lease(&mut self, name: &str, holder: &str) -> Result<(), StoreError>;

    /// Books `cost` of send time for `sender` on the schedule every engine on this store
    /// shares: the schedule's end moves to `max(end, now) + cost`, atomically, and the new end
    /// is returned. A booking therefore never overlaps another, whichever process made it:
    /// that is how a rate limit holds across workers (see [`crate::worker`]).
    fn book_send_time(
        &mut self,
        sender: &str,
        cost: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError>;

    /// Puts the `error` traces of `mailing` back to `outgoing` to be sent again, except those
    /// whose failure a resend cannot fix ([`NOT_RESENT`]); those whose outcome is unknown (they
    /// may have left) only when `include_unknown`. Returns how many.
    fn requeue_failed(
        &mut self,
        mailing: MailingId,
        include_unknown: bool,
    ) -> Result<usize, StoreError>;

    /// Moves the `outgoing` traces of `mailing` to `cancel` (a canceled mailing); returns how
    /// many.
    fn cancel_outgoing(&mut self, mailing: MailingId) -> Result<usize, StoreError>;

    /// Applies news about the message with this provider id when [`accepts`] allows it;
    /// returns the trace it changed.
    fn apply_status(&mut self, update: &StatusUpdate) -> Result<Option<TraceId>, StoreError>;

    /// Records a click on `trace`: the first click's time, and the status `open` when
    /// [`accepts`] allows it. `false` when the trace does not exist.
    fn mark_clicked(&mut self, trace: TraceId, at: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Records clicks on links that exist, each as [`LinkStore::record_click`] does, and marks
    /// the trace each one is attributed to clicked, as [`Store::mark_clicked`] does: one
    /// [`ClickRecord`] per click, in order. A web server hands a burst of taps over in one
    /// call: the default records them one by one; a SQL store writes them in one short
    /// transaction (all or none), so that the burst does not wait on a commit per click.
    fn record_clicks(&mut self, clicks: &[Click]) -> Result<Vec<ClickRecord>, StoreError> {
        let mut records = Vec::with_capacity(clicks.len());
        for click in clicks {
            let recorded = self
                .record_click(click.clone())
                .map_err(|error| StoreError::Backend(Box::new(error)))?;
            let mut trace = None;
            if let Some(id) = recorded
                .attribution
                .as_ref()
                .and_then(|attribution| attribution.trace.as_str().parse::<i64>().ok())
                && self.mark_clicked(TraceId(id), click.at())?
            {
                trace = Some(TraceId(id));
            }
            records.push(ClickRecord { recorded, trace });
        }
        Ok(records)
    }

    /// The trace with this id.
    fn trace(&self, id: TraceId) -> Result<Option<Trace>, StoreError>;

    /// The last message that left for `number` (the greatest `sent_at`, then the greatest id):
    /// the one a reply from that number answers.
    fn last_trace_to(&self, number: E164) -> Result<Option<Trace>, StoreError>;

    /// Visits the traces of `contact` across mailings, by id: the contact's SMS history.
    fn contact_traces(
        &self,
        contact: ContactId,
        visit: &mut dyn FnMut(&Trace),
    ) -> Result<(), StoreError>;

    /// Keeps a reply; when it answers a trace, stamps the trace's first reply time and moves
    /// it to `reply` when [`accepts`] allows it.
    fn record_reply(&mut self, reply: &Reply) -> Result<(), StoreError>;

    /// The replies received from `number`, oldest first.
    fn replies(&self, number: E164) -> Result<Vec<Reply>, StoreError>;

    /// Visits the traces of `mailing` by id.
    fn traces(&self, mailing: MailingId, visit: &mut dyn FnMut(&Trace)) -> Result<(), StoreError>;

    /// The ids of the contacts a checked domain selects (a plan over
    /// [`CONTACT_MODEL`](crate::audience::CONTACT_MODEL)), ascending, when the store can
    /// resolve it itself (a SQL store runs [`Plan::to_sql`](crate::filter::Plan::to_sql) with
    /// [`contact_sql_mapping`](crate::audience::contact_sql_mapping)); `None` to let the engine
    /// evaluate it in memory, which the default does. A store must select exactly the contacts
    /// the in-memory evaluation selects.
    fn domain_contacts(
        &self,
        plan: &crate::filter::Plan,
    ) -> Result<Option<Vec<ContactId>>, StoreError> {
        let _ = plan;
        Ok(None)
    }

    /// Whether a trace of `mailing` is still waiting (`outgoing`) or claimed (`process`):
    /// while one is, the mailing is not sent. The default visits the traces; a SQL store
    /// answers from its partial indexes.
    fn has_waiting_traces(&self, mailing: MailingId) -> Result<bool, StoreError> {
        let mut waiting = false;
        self.traces(mailing, &mut |trace| {
            waiting |= matches!(trace.status, TraceStatus::Outgoing | TraceStatus::Process);
        })?;
        Ok(waiting)
    }

    /// Visits the `outgoing` traces of `mailing` with their contacts, by trace id (a trace
    /// whose contact is gone is skipped): what an estimate of the messages still to send reads.
    /// The default looks each contact up; a SQL store answers with one join.
    fn outgoing_with_contacts(
        &self,
        mailing: MailingId,
        visit: &mut dyn FnMut(&Trace, &Contact),
    ) -> Result<(), StoreError> {
        let mut failed = None;
        self.traces(mailing, &mut |trace| {
            if failed.is_some() || trace.status != TraceStatus::Outgoing {
                return;
            }
            match self.contact(trace.contact) {
                Ok(Some(contact)) => visit(trace, &contact),
                Ok(None) => {}
                Err(error) => failed = Some(error),
            }
        })?;
        failed.map_or(Ok(()), Err)
    }
}

//! The [`Engine`]: mailings from creation to statistics over any [`Store`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::audience::{AnyRecord, ContactRecords, contact_schema};
use crate::compose::{Composer, PlaceholderLinks};
use crate::credit::{Balance, Estimate};
use crate::error::Error;
use crate::exclude::Exclusions;
use crate::filter::{FieldValue, Plan, Schema};
use crate::model::{
    Audience, Contact, ContactId, MailingId, MailingState, NewContact, NewMailing, Trace, TraceId,
};
use crate::optout::OptOutLinks;
use crate::pace::WallClock;
use crate::phone::E164;
use crate::phone::Region;
use crate::preview::Tally;
use crate::provider::{
    Clock, DeliveryReport, DispatchOptions, Dispatcher, ErrorClass, FailureType, Job,
    OutboundMessage, Provider, Sender, TraceStatus,
};
use crate::reply::StopKeywords;
use crate::segment::{PriceTable, Segmenter};
use crate::stats::Counts;
use crate::store::{Outcome, StatusUpdate, Store, StoreError};
use crate::template::Template;
use crate::worker::Stop;

/// How the engine prepares and sends.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) default_region: Option<Region>,
    pub(crate) segmenter: Segmenter,
    pub(crate) batch_size: usize,
    pub(crate) dispatch: DispatchOptions,
    pub(crate) sender: Option<Sender>,
    pub(crate) prices: Option<Arc<PriceTable>>,
    pub(crate) balance: Option<Arc<dyn Balance>>,
    pub(crate) opt_out: Option<OptOutLinks>,
    pub(crate) shortener: Option<crate::links::Shortener>,
    pub(crate) stop_keywords: StopKeywords,
    pub(crate) claim_lease: chrono::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_region: None,
            segmenter: Segmenter::new(),
            batch_size: 500,
            dispatch: DispatchOptions::default(),
            sender: None,
            prices: None,
            balance: None,
            opt_out: None,
            shortener: None,
            stop_keywords: StopKeywords::default(),
            claim_lease: chrono::Duration::minutes(10),
        }
    }
}

impl Settings {
    /// The defaults: no default country, the standard segmenter, batches of 500 messages, the
    /// dispatcher's default options, the provider's default sender.
    #[must_use]
    pub fn new() -> Self {
        Settings::default()
    }

    /// The country of national numbers of contacts without a country.
    #[must_use]
    pub fn with_default_region(mut self, region: Region) -> Self {
        self.default_region = Some(region);
        self
    }

    /// The segmenter that counts every message's parts (shift tables, Smart Encoding...).
    #[must_use]
    pub fn with_segmenter(mut self, segmenter: Segmenter) -> Self {
        self.segmenter = segmenter;
        self
    }

    /// Messages claimed, sent and recorded together: at most this many messages are in doubt
    /// when the process dies (at least 1).
    #[must_use]
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Concurrency, rate limits and retries of the dispatcher.
    #[must_use]
    pub fn with_dispatch(mut self, dispatch: DispatchOptions) -> Self {
        self.dispatch = dispatch;
        self
    }

    /// The sender of every message (else the provider's default).
    #[must_use]
    pub fn with_sender(mut self, sender: Sender) -> Self {
        self.sender = Some(sender);
        self
    }

    /// The price of one part by destination, for [`Engine::estimate`] and the credit check.
    #[must_use]
    pub fn with_prices(mut self, prices: PriceTable) -> Self {
        self.prices = Some(Arc::new(prices));
        self
    }

    /// The balance every send must fit in: before the first message of a send leaves, the
    /// cost of all the messages it will send is checked against it, and nothing is sent when it
    /// does not cover them (or when it cannot be read, or a destination has no price). Needs
    /// [`Settings::with_prices`].
    #[must_use]
    pub fn with_balance(mut self, balance: Arc<dyn Balance>) -> Self {
        self.balance = Some(balance);
        self
    }

    /// The opt-out links appended to the messages of mailings created
    /// [`with_opt_out_link`](crate::model::NewMailing::with_opt_out_link), and checked by
    /// [`Engine::opt_out`].
    #[must_use]
    pub fn with_opt_out_links(mut self, links: OptOutLinks) -> Self {
        self.opt_out = Some(links);
        self
    }

    /// `message` from the configured sender, when there is one (else the provider's default).
    pub(crate) fn sent_by_sender(&self, message: OutboundMessage) -> OutboundMessage {
        match &self.sender {
            Some(sender) => message.with_from(sender.clone()),
            None => message,
        }
    }

    /// Tracks the links of every message: each URL becomes `<base>/r/<code>/s/<trace>` with
    /// the mailing's UTM values on its target (`utm_campaign` = the campaign's name,
    /// `utm_source` = the mailing's name, `utm_medium` = `sms`), and [`Engine::click`]
    /// resolves a click to the target and the recipient.
    #[must_use]
    pub fn with_links(mut self, shortener: crate::links::Shortener) -> Self {
        self.shortener = Some(shortener);
        self
    }

    /// How long a sender may hold claimed messages before [`Engine::send`] decides it died:
    /// its claims older than the lease are marked `error` / `unknown` (the message may have
    /// left) and are never resent automatically. Ten minutes by default, long enough for a
    /// slow batch; a single process that is the only sender of its store (the CLI over
    /// SQLite) sets zero, so that on restart every claim of the crashed run is resolved at once.
    #[must_use]
    pub fn with_claim_lease(mut self, lease: chrono::Duration) -> Self {
        self.claim_lease = lease.max(chrono::Duration::zero());
        self
    }

    /// The words that, sent back alone, blacklist the sender (else [`StopKeywords::default`]).
    #[must_use]
    pub fn with_stop_keywords(mut self, keywords: StopKeywords) -> Self {
        self.stop_keywords = keywords;
        self
    }
}

/// What [`Engine::prepare`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Prepared {
    /// Traces created by this call (0 when the mailing was prepared already).
    pub traces: usize,
    /// Of those, how many will be sent.
    pub outgoing: usize,
    /// Of those, how many were excluded, by failure type.
    pub canceled: Vec<(FailureType, usize)>,
}

/// What [`Engine::send`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sent {
    /// Messages the provider accepted.
    pub accepted: usize,
    /// Messages that failed for good (the provider refused them, or retries ran out).
    pub failed: usize,
    /// Messages whose outcome is unknown: they may have been sent, and are not resent.
    pub unknown: usize,
    /// Segments of the accepted messages.
    pub segments: u64,
    /// Messages a sender that died had claimed (older than the lease), now marked unknown.
    pub abandoned: usize,
    /// Numbers blacklisted because the provider refused them as opted out (their owner
    /// replied STOP to the sender: Twilio's 21610).
    pub blacklisted: usize,
}

/// One mailing [`Engine::run_due`] processed, and how its send went.
#[derive(Debug)]
#[non_exhaustive]
pub struct DueRun {
    /// The mailing.
    pub mailing: MailingId,
    /// What its send did, or why it did not happen.
    pub result: Result<Sent, Error>,
}

/// Mailings from creation to statistics, over a [`Store`].
///
/// ```
/// use smskit::model::{Audience, NewContact, NewMailing};
/// use smskit::provider::{SimulatedClock, StubProvider};
/// use smskit::{Engine, MemoryStore, Settings};
///
/// let now = chrono::DateTime::UNIX_EPOCH;
/// let mut engine = Engine::new(MemoryStore::new(), Settings::new());
/// let list = engine.create_list("Newsletter", true)?;
/// for (name, phone) in [("Ana", "+32470000001"), ("Bo", "+32470000001"), ("Cy", "n/a")] {
///     let contact = engine.add_contact(NewContact::new(name, phone), now)?;
///     engine.subscribe(list, contact, now)?;
/// }
/// let mailing = engine.create_mailing(
///     NewMailing::new("Spring", "Hi {{ object.name }}, -20% today!", Audience::Lists(vec![list])),
///     now,
/// )?;
/// let prepared = engine.prepare(mailing)?;
/// assert_eq!((prepared.traces, prepared.outgoing), (3, 1)); // Bo is a duplicate, Cy has no number
///
/// let provider = StubProvider::new();
/// let sent = engine.send(mailing, &provider, &SimulatedClock::new(), now)?;
/// assert_eq!(sent.accepted, 1);
/// let counts = engine.counts(mailing)?;
/// assert_eq!((counts.expected, counts.canceled, counts.sent), (3, 2, 1));
/// # Ok::<(), smskit::Error>(())
/// ```
#[derive(Debug)]
pub struct Engine<S> {
    pub(crate) store: S,
    pub(crate) settings: Settings,
}

impl<S: Store> Engine<S> {
    /// An engine over `store`.
    pub fn new(store: S, settings: Settings) -> Self {
        Engine { store, settings }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The store, to change it directly.
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// The store back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// Adds a contact.
    pub fn add_contact(
        &mut self,
        contact: NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId, Error> {
        Ok(self.store.insert_contact(contact, now)?)
    }

    /// Creates a mailing list with a unique name.
    pub fn create_list(
        &mut self,
        name: &str,
        is_public: bool,
    ) -> Result<crate::model::ListId, Error> {
        Ok(self.store.insert_list(name, is_public)?)
    }

    /// Subscribes a contact to a list.
    pub fn subscribe(
        &mut self,
        list: crate::model::ListId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        Ok(self.store.subscribe(list, contact, now)?)
    }

    /// The schema templates and filters see: the contact model with its fixed fields, every
    /// free field some contact has, and `list_ids` to the mailing lists.
    pub fn contact_schema(&self) -> Result<Schema, Error> {
        let free = self.store.contact_field_names()?;
        Ok(contact_schema(free.iter().map(String::as_str)))
    }

    /// Creates a mailing in `draft`, checking its template and audience first: an unknown
    /// field, a malformed placeholder or domain, or an unknown list is an error with its
    /// position, and nothing is stored.
    pub fn create_mailing(
        &mut self,
        mailing: NewMailing,
        now: DateTime<Utc>,
    ) -> Result<MailingId, Error> {
        if mailing.include_opt_out_link && self.settings.opt_out.is_none() {
            return Err(Error::NotConfigured("opt-out links"));
        }
        if let Some(campaign) = mailing.campaign {
            self.store
                .campaign(campaign)?
                .ok_or(Error::UnknownCampaign(campaign))?;
        }
        let schema = self.contact_schema()?;
        let template = Template::parse(&mailing.body)?;
        template.check(&schema, crate::audience::CONTACT_MODEL)?;
        match &mailing.audience {
            Audience::Lists(lists) => {
                let known: HashSet<_> = self.store.lists()?.into_iter().map(|l| l.id).collect();
                if let Some(unknown) = lists.iter().find(|list| !known.contains(list)) {
                    return Err(Error::UnknownList(*unknown));
                }
            }
            Audience::Domain(text) => {
                let domain = crate::filter::parse(text)?;
                Plan::new(&schema, crate::audience::CONTACT_MODEL, &domain)?;
            }
            Audience::Contacts(contacts) => {
                for contact in contacts {
                    if self.store.contact(*contact)?.is_none() {
                        return Err(StoreError::not_found(format_args!("contact {contact}")).into());
                    }
                }
            }
            Audience::Transactional => {}
        }
        Ok(self.store.insert_mailing(mailing, now)?)
    }

    /// Prepares a mailing: resolves its audience, runs the exclusion pass in the spec's order and
    /// stores one trace per targeted contact (`outgoing`, or `cancel` with its failure type),
    /// then moves the mailing to `sending`. Running it again adds traces only for contacts
    /// that have none (a crash in the middle loses nothing and duplicates nothing).
    pub fn prepare(&mut self, mailing: MailingId) -> Result<Prepared, Error> {
        let record = self.mailing_record(mailing)?;
        if record.audience == Audience::Transactional {
            return Err(Error::WrongState {
                mailing,
                state: record.state,
                action: "prepare a transactional mailing (send it with send_transactional)",
            });
        }
        let audience = self.audience(&record.audience)?;
        let mut already: HashSet<ContactId> = HashSet::new();
        let mut targeted_numbers = Vec::new();
        let mut note = |trace: &Trace| {
            already.insert(trace.contact);
            if trace.status != TraceStatus::Cancel
                && let Some(number) = trace.number
            {
                targeted_numbers.push(number);
            }
        };
        self.store.traces(mailing, &mut note)?;
        if let Some(test) = record.ab_test {
            let test = self
                .store
                .ab_test(test)?
                .ok_or(Error::UnknownAbTest(test))?;
            if test.versions.contains(&mailing) {
                return self.prepare_versions(&test, mailing, &audience);
            }
            // The final mailing of a test: whoever a version reached is not sent to again.
            for version in &test.versions {
                self.store.traces(*version, &mut note)?;
            }
        }
        let prepared = self.prepare_traces(mailing, &audience, &already, targeted_numbers, None)?;
        if matches!(record.state, MailingState::Draft | MailingState::InQueue) {
            self.store
                .set_mailing_state(mailing, MailingState::Sending, None)?;
        }
        Ok(prepared)
    }

    /// Sends a prepared mailing through `provider`, batch by batch: each batch is claimed
    /// (`process`) before its messages leave and its outcomes recorded after, so a crash
    /// loses at most one batch's outcomes. A send first marks the claims older than the lease
    /// ([`Settings::with_claim_lease`]) as unknown ([`Store::abandon_claims`]): those of a
    /// process that died in the middle. Only retryable errors are retried (by the dispatcher);
    /// unknown outcomes are never resent. The mailing is `sent` when no trace is left outgoing
    /// or claimed.
    pub fn send(
        &mut self,
        mailing: MailingId,
        provider: &dyn Provider,
        clock: &dyn Clock,
        now: DateTime<Utc>,
    ) -> Result<Sent, Error> {
        self.send_until(mailing, provider, clock, now, &Stop::never())
    }

    /// [`Engine::send`], stopping between batches once `stop` says so.
    pub(crate) fn send_until(
        &mut self,
        mailing: MailingId,
        provider: &dyn Provider,
        clock: &dyn Clock,
        now: DateTime<Utc>,
        stop: &Stop<'_>,
    ) -> Result<Sent, Error> {
        let record = self.mailing_record(mailing)?;
        let template = Template::parse(&record.body)?;
        self.check_credit(mailing)?;
        let tracking = self.tracking_of(&record)?;
        let dispatcher = self.dispatcher(provider, clock);
        // A send can last hours: claims, renewals and outcomes are stamped with the time of
        // their batch, so that another worker's lease check sees live claims as live.
        let wall = WallClock::new(clock, now);
        let mut sent = Sent::default();
        let stale = now
            .checked_sub_signed(self.settings.claim_lease)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        sent.abandoned = self.store.abandon_claims(mailing, stale)?;
        while !stop.requested() {
            let claimed =
                self.store
                    .claim_outgoing(mailing, self.settings.batch_size, wall.now())?;
            if claimed.is_empty() {
                break;
            }
            let mut ids: Vec<ContactId> = claimed.iter().map(|trace| trace.contact).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut contacts: HashMap<ContactId, Contact> = HashMap::with_capacity(ids.len());
            self.store.contacts_by_id(&ids, &mut |contact| {
                contacts.insert(contact.id, contact);
            })?;
            let mut jobs = Vec::with_capacity(claimed.len());
            let mut kept = Vec::with_capacity(claimed.len());
            let mut outcomes = Vec::new();
            let mut refuse = |trace: &Trace, failure: FailureType, reason: &str| {
                sent.failed += 1;
                outcomes.push(failed(trace, failure, reason));
            };
            let mut composer = Composer::new(
                &self.settings,
                &record,
                &template,
                &tracking,
                &mut self.store,
            )?;
            for trace in &claimed {
                let Some(contact) = contacts.get(&trace.contact) else {
                    refuse(trace, FailureType::NumberMissing, "the contact was deleted");
                    continue;
                };
                let Some(number) = trace.number else {
                    refuse(trace, FailureType::NumberMissing, "no number");
                    continue;
                };
                let mut body = String::new();
                if let Err(error) = composer.compose_into(contact, trace.id, &mut body) {
                    // Claimed and not sent: an error the author can retry once it is fixed.
                    refuse(trace, FailureType::Server, &error.to_string());
                    continue;
                }
                let segments = match self.settings.segmenter.count(&body) {
                    Ok(count) => u32::try_from(count.parts).unwrap_or(u32::MAX),
                    Err(error) => {
                        refuse(trace, FailureType::Rejected, &error.to_string());
                        continue;
                    }
                };
                let message = self.settings.sent_by_sender(
                    OutboundMessage::new(number, body).with_client_ref(trace.id.to_string()),
                );
                jobs.push(Job::new(message, segments));
                kept.push((trace.id, segments));
            }
            drop(composer);
            crate::pace::wait_for_booked_time(
                &mut self.store,
                &self.settings.dispatch,
                &jobs,
                &wall,
            )?;
            // Only the claims still held leave: one a worker abandoned meanwhile (it thought
            // this one dead) is `unknown` already and must not be sent behind its back.
            let ids: Vec<TraceId> = kept.iter().map(|(trace, _)| *trace).collect();
            let held = self.store.renew_claims(&ids, wall.now())?;
            if held.len() < ids.len() {
                // Counted by the worker that abandoned them.
                (kept, jobs) = kept
                    .into_iter()
                    .zip(jobs)
                    .filter(|((trace, _), _)| held.binary_search(trace).is_ok())
                    .unzip();
            }
            let results = dispatcher.dispatch(jobs);
            let done_at = wall.now();
            for ((trace, segments), dispatched) in kept.into_iter().zip(results) {
                let outcome = outcome_of(trace, segments, dispatched.result, done_at, &mut sent);
                outcomes.push(outcome);
            }
            self.store.record_outcomes(&outcomes)?;
            for outcome in &outcomes {
                if outcome.failure_type == Some(FailureType::OptOut)
                    && let Some(number) = claimed
                        .iter()
                        .find(|trace| trace.id == outcome.trace)
                        .and_then(|trace| trace.number)
                {
                    sent.blacklisted += usize::from(self.blacklist_opted_out(number, done_at)?);
                }
            }
        }
        self.finish_if_done(mailing)?;
        Ok(sent)
    }

    /// What the messages still to send (`outgoing` traces) of a mailing will cost: each body
    /// rendered and segmented as it will be sent, priced by destination.
    pub fn estimate(&self, mailing: MailingId) -> Result<Estimate, Error> {
        let record = self.mailing_record(mailing)?;
        let template = Template::parse(&record.body)?;
        let tracking = self.tracking_of(&record)?;
        let mut placeholders = PlaceholderLinks;
        let mut composer = Composer::new(
            &self.settings,
            &record,
            &template,
            &tracking,
            &mut placeholders,
        )?;
        let mut tally = Tally::new(&self.settings, false);
        self.store
            .outgoing_with_contacts(mailing, &mut |trace, contact| {
                tally.add(&mut composer, contact, trace.id, trace.number);
            })?;
        Ok(tally.finish()?.0)
    }

    /// The all-or-nothing credit check: the balance (when the settings have one) must cover
    /// every message still to send. Runs before anything is claimed, so an error or a panic in
    /// the application's balance leaves every trace as it was.
    fn check_credit(&self, mailing: MailingId) -> Result<(), Error> {
        if self.settings.balance.is_none() {
            return Ok(());
        }
        self.check_cost(&self.estimate(mailing)?)
    }

    /// Checks that the balance (when the settings have one) covers `estimate`.
    pub(crate) fn check_cost(&self, estimate: &Estimate) -> Result<(), Error> {
        let Some(balance) = &self.settings.balance else {
            return Ok(());
        };
        let needed = match (estimate.cost, estimate.unpriced) {
            (Some(cost), 0) => cost,
            (None, _) if self.settings.prices.is_none() => {
                return Err(Error::Unpriced(
                    "the settings have a balance but no price table".to_owned(),
                ));
            }
            (_, unpriced) => {
                return Err(Error::Unpriced(format!(
                    "{unpriced} of {} messages go to destinations without a price",
                    estimate.messages
                )));
            }
        };
        let available = balance.available(needed.currency())?;
        if available < needed {
            return Err(Error::InsufficientCredit { needed, available });
        }
        Ok(())
    }

    /// The mailing with this id.
    pub(crate) fn mailing_record(&self, id: MailingId) -> Result<crate::model::Mailing, Error> {
        self.store.mailing(id)?.ok_or(Error::UnknownMailing(id))
    }

    /// The UTM values and mailing of `record`'s links (its campaign's name when it has one).
    pub(crate) fn tracking_of(
        &self,
        record: &crate::model::Mailing,
    ) -> Result<crate::links::Tracking, Error> {
        let campaign = match record.campaign {
            Some(id) => self.store.campaign(id)?,
            None => None,
        };
        Ok(crate::compose::tracking(record, campaign.as_ref()))
    }

    /// A dispatcher over `provider` with the settings' concurrency, rates and retries.
    pub(crate) fn dispatcher<'p>(
        &self,
        provider: &'p dyn Provider,
        clock: &'p dyn Clock,
    ) -> Dispatcher<'p> {
        Dispatcher::new(provider, clock).with_options(self.settings.dispatch.clone())
    }

    /// The parts of `body` as the settings' segmenter counts them (a text it cannot encode
    /// counts one part: the provider will refuse it).
    pub(crate) fn parts(&self, body: &str) -> u32 {
        self.settings
            .segmenter
            .count(body)
            .map_or(1, |count| u32::try_from(count.parts).unwrap_or(u32::MAX))
    }

    /// The first contact of `audience`, to render a sample message for.
    pub(crate) fn sample_contact(&self, audience: &Audience) -> Result<Option<Contact>, Error> {
        let resolved = self.audience(audience)?;
        let mut first = None;
        self.visit_audience(&resolved, &mut |contact| {
            if first.is_none() {
                first = Some(contact.clone());
            }
        })?;
        Ok(first)
    }

    /// Runs the exclusion pass over the contacts of `audience` (only those in `only`, when
    /// given) that have no trace in `already`, with `targeted` numbers counted as sent to, and
    /// stores one trace each for `mailing`.
    pub(crate) fn prepare_traces(
        &mut self,
        mailing: MailingId,
        audience: &ResolvedAudience,
        already: &HashSet<ContactId>,
        targeted: Vec<E164>,
        only: Option<&HashSet<ContactId>>,
    ) -> Result<Prepared, Error> {
        let blacklist = self.store.active_blacklist()?;
        let mut pass = Exclusions::new(&blacklist, &audience.opted_out)
            .with_default_region(self.settings.default_region)
            .with_targeted(targeted);
        pass.reserve(audience.members.len());
        let mut prepared = Prepared::default();
        let mut canceled: HashMap<FailureType, usize> = HashMap::new();
        // Decided while the store streams its contacts (no copies), stored after in batches.
        let mut decisions = Vec::new();
        self.visit_audience(audience, &mut |contact| {
            if !already.contains(&contact.id) && only.is_none_or(|only| only.contains(&contact.id))
            {
                let decision = pass.decide(contact.id.0, &contact.phone, contact.country);
                decisions.push((contact.id, decision));
            }
        })?;
        let mut batch = Vec::with_capacity(PREPARE_BATCH.min(decisions.len()));
        for (contact, decision) in decisions {
            match decision.failure_type() {
                None => prepared.outgoing += 1,
                Some(failure) => *canceled.entry(failure).or_default() += 1,
            }
            batch.push(Trace::prepared(mailing, contact, &decision));
            if batch.len() == PREPARE_BATCH {
                prepared.traces += self.store.insert_traces(&batch)?;
                batch.clear();
            }
        }
        prepared.traces += self.store.insert_traces(&batch)?;
        prepared.canceled = FailureType::ALL
            .into_iter()
            .filter_map(|failure| canceled.get(&failure).map(|&n| (failure, n)))
            .collect();
        Ok(prepared)
    }

    /// Visits the contacts of `audience` in Odoo's contact order.
    pub(crate) fn visit_audience(
        &self,
        audience: &ResolvedAudience,
        visit: &mut dyn FnMut(&Contact),
    ) -> Result<(), Error> {
        if audience.members.is_empty() {
            return Ok(());
        }
        self.store.contacts(&mut |contact| {
            if audience.members.contains(&contact.id) {
                visit(contact);
            }
        })?;
        Ok(())
    }

    /// Queues a draft mailing to be sent at `at` by [`Engine::run_due`]; `at` must be after
    /// `now`.
    pub fn schedule(
        &mut self,
        mailing: MailingId,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        if at <= now {
            return Err(Error::ScheduleInPast { at, now });
        }
        self.queue(mailing, Some(at), "schedule")
    }

    /// Queues a draft mailing to be sent by the next [`Engine::run_due`].
    pub fn send_now(&mut self, mailing: MailingId) -> Result<(), Error> {
        self.queue(mailing, None, "send it now")
    }

    fn queue(
        &mut self,
        mailing: MailingId,
        at: Option<DateTime<Utc>>,
        action: &'static str,
    ) -> Result<(), Error> {
        let record = self.mailing_record(mailing)?;
        if !matches!(record.state, MailingState::Draft | MailingState::InQueue) {
            return Err(Error::WrongState {
                mailing,
                state: record.state,
                action,
            });
        }
        Ok(self
            .store
            .set_mailing_state(mailing, MailingState::InQueue, at)?)
    }

    /// Cancels a queued or sending mailing: it returns to `draft` without a schedule, and its
    /// messages not yet sent are canceled. Returns how many were.
    pub fn cancel(&mut self, mailing: MailingId) -> Result<usize, Error> {
        let record = self.mailing_record(mailing)?;
        if record.state == MailingState::Sent {
            return Err(Error::WrongState {
                mailing,
                state: record.state,
                action: "cancel",
            });
        }
        let canceled = self.store.cancel_outgoing(mailing)?;
        self.store
            .set_mailing_state(mailing, MailingState::Draft, None)?;
        Ok(canceled)
    }

    /// Puts the failed messages of a mailing back in the queue (those whose outcome is unknown
    /// only when `include_unknown`: they may have been delivered) and the mailing back to
    /// `sending`; the next [`Engine::send`] or [`Engine::run_due`] sends them. Returns how many.
    pub fn retry_failed(
        &mut self,
        mailing: MailingId,
        include_unknown: bool,
    ) -> Result<usize, Error> {
        self.mailing_record(mailing)?;
        let requeued = self.store.requeue_failed(mailing, include_unknown)?;
        if requeued > 0 {
            self.store
                .set_mailing_state(mailing, MailingState::Sending, None)?;
        }
        Ok(requeued)
    }

    /// Prepares and sends every mailing that is due: queued without a schedule or with one at or
    /// before `now`, and those still sending. One mailing's failure (not enough credit, say) does
    /// not stop the others; each gets its own result, in id order. A/B tests whose
    /// `final_at` has come and whose winner is chosen by clicks get their winner first, and
    /// its final mailing is sent in the same run.
    pub fn run_due(
        &mut self,
        provider: &dyn Provider,
        clock: &dyn Clock,
        now: DateTime<Utc>,
    ) -> Result<Vec<DueRun>, Error> {
        self.choose_due_winners(now)?;
        let due: Vec<MailingId> = self
            .store
            .mailings()?
            .into_iter()
            .filter(|mailing| match mailing.state {
                MailingState::InQueue => mailing.scheduled_at.is_none_or(|at| at <= now),
                MailingState::Sending => true,
                _ => false,
            })
            .map(|mailing| mailing.id)
            .collect();
        let mut results = Vec::with_capacity(due.len());
        for mailing in due {
            let result = self
                .prepare(mailing)
                .and_then(|_| self.send(mailing, provider, clock, now));
            results.push(DueRun { mailing, result });
        }
        Ok(results)
    }

    /// Applies a provider's delivery report to the trace of its message, monotonically;
    /// returns the trace it changed (`None` for an unknown message or a report that brings no
    /// news).
    ///
    /// A report that the recipient opted out at the provider (they replied STOP to the
    /// sender: Twilio's 21610) also blacklists the number, so that no later mailing is sent
    /// to it.
    pub fn apply_report(&mut self, report: &DeliveryReport) -> Result<Option<TraceId>, Error> {
        let changed = self.store.apply_status(&StatusUpdate {
            provider_message_id: report.message_id.clone(),
            status: report.status,
            failure_type: report.failure,
            failure_reason: report.error_message.clone(),
            at: report.at,
        })?;
        if report.is_opt_out() {
            let number = match (report.to, changed) {
                (Some(to), _) => Some(to),
                (None, Some(trace)) => self.store.trace(trace)?.and_then(|trace| trace.number),
                (None, None) => None,
            };
            if let Some(number) = number {
                self.blacklist_opted_out(number, report.at)?;
            }
        }
        Ok(changed)
    }

    /// Blacklists `number` as opted out at the provider unless it is already; `true` when it
    /// was not.
    fn blacklist_opted_out(&mut self, number: E164, at: DateTime<Utc>) -> Result<bool, Error> {
        let active = self
            .store
            .blacklist_entry(number)?
            .is_some_and(|entry| entry.active);
        if !active {
            self.store
                .blacklist_add(number, Some(crate::reply::PROVIDER_OPT_OUT_REASON), at)?;
        }
        Ok(!active)
    }

    /// The counts of a mailing's traces (ratios with [`Counts::ratios`]).
    pub fn counts(&self, mailing: MailingId) -> Result<Counts, Error> {
        let mut counts = Counts::default();
        self.store.traces(mailing, &mut |trace| {
            counts.add(crate::report::facts(trace))
        })?;
        Ok(counts)
    }

    /// Moves a `sending` mailing to `sent` when none of its traces is outgoing or claimed.
    fn finish_if_done(&mut self, mailing: MailingId) -> Result<(), Error> {
        if !self.store.has_waiting_traces(mailing)? {
            self.store
                .set_mailing_state(mailing, MailingState::Sent, None)?;
        }
        Ok(())
    }

    /// The contacts of an audience in Odoo's contact order, and the opted-out ones.
    pub(crate) fn audience(&self, audience: &Audience) -> Result<ResolvedAudience, Error> {
        let mut resolved = ResolvedAudience::default();
        match audience {
            Audience::Lists(lists) => {
                // Opted out: opted out on some targeted list and subscribed on none of the others.
                // Sorted by contact rather than hashed: a million subscriptions, no hash set.
                let mut subscriptions: Vec<(ContactId, bool)> = Vec::new();
                for list in lists {
                    subscriptions.extend(
                        self.store
                            .subscriptions(*list)?
                            .into_iter()
                            .map(|subscription| (subscription.contact, subscription.opt_out)),
                    );
                }
                subscriptions.sort_unstable();
                let mut members = Vec::with_capacity(subscriptions.len());
                for group in subscriptions.chunk_by(|a, b| a.0 == b.0) {
                    let contact = group[0].0;
                    // Sorted with `false` first: the group is opted out when its first is.
                    if group[0].1 {
                        resolved.opted_out.insert(contact.0);
                    }
                    members.push(contact);
                }
                resolved.members = ContactSet::new(members);
            }
            Audience::Domain(text) => {
                // Streamed: the contacts are read twice (their free field names, then the
                // test), never copied; only the matching ids are kept.
                let schema = self.contact_schema()?;
                let domain = crate::filter::parse(text)?;
                let plan = Plan::new(&schema, crate::audience::CONTACT_MODEL, &domain)?;
                // A SQL store resolves the domain itself; otherwise it is evaluated here.
                if let Some(ids) = self.store.domain_contacts(&plan)? {
                    resolved.members = ContactSet::new(ids);
                    return Ok(resolved);
                }
                let lists = self.store.lists()?;
                let mut memberships: HashMap<ContactId, Vec<i64>> = HashMap::new();
                for list in &lists {
                    for subscription in self.store.subscriptions(list.id)? {
                        if !subscription.opt_out {
                            memberships
                                .entry(subscription.contact)
                                .or_default()
                                .push(list.id.0);
                        }
                    }
                }
                // Sub-domains only reach mailing lists (contacts have no relation to contacts),
                // so the plan binds over the lists alone.
                let records = ContactRecords::new(&[], &memberships, &lists);
                let bound = plan.bind(&records);
                let mut matching = Vec::new();
                self.store.contacts(&mut |contact| {
                    let lists = memberships.get(&contact.id).map_or(&[][..], Vec::as_slice);
                    if bound.matches(&AnyRecord::Contact(contact, lists)) {
                        matching.push(contact.id);
                    }
                })?;
                resolved.members = ContactSet::new(matching);
            }
            Audience::Contacts(contacts) => resolved.members = ContactSet::new(contacts.clone()),
            Audience::Transactional => {}
        }
        Ok(resolved)
    }
}

/// Traces written per store call while preparing: one transaction each in a SQL store.
const PREPARE_BATCH: usize = 10_000;

/// Who an audience targets: the contacts themselves stay in the store, which visits them in
/// Odoo's contact order.
#[derive(Debug, Default)]
pub(crate) struct ResolvedAudience {
    pub(crate) members: ContactSet,
    pub(crate) opted_out: HashSet<i64>,
}

/// A set of contact ids, tested once per contact of the store while preparing: a bitmap when
/// the ids are dense (a store's ids nearly always are: a million fit in 128 KiB, in cache),
/// else a hash set.
#[derive(Debug)]
pub(crate) enum ContactSet {
    Dense {
        first: i64,
        bits: Vec<u64>,
        len: usize,
    },
    Sparse(HashSet<ContactId>),
}

impl Default for ContactSet {
    fn default() -> Self {
        ContactSet::Sparse(HashSet::new())
    }
}

impl ContactSet {
    pub(crate) fn new(mut ids: Vec<ContactId>) -> Self {
        ids.sort_unstable();
        ids.dedup();
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            return ContactSet::default();
        };
        let span = u64::try_from(last.0.saturating_sub(first.0)).unwrap_or(u64::MAX);
        let dense = span / 64 <= ids.len() as u64 + 1024;
        if !dense {
            return ContactSet::Sparse(ids.into_iter().collect());
        }
        let mut bits = vec![0u64; usize::try_from(span / 64 + 1).unwrap_or(0)];
        for id in &ids {
            let offset = id.0.abs_diff(first.0);
            if let Some(word) = bits.get_mut(usize::try_from(offset / 64).unwrap_or(usize::MAX)) {
                *word |= 1 << (offset % 64);
            }
        }
        ContactSet::Dense {
            first: first.0,
            bits,
            len: ids.len(),
        }
    }

    pub(crate) fn contains(&self, id: &ContactId) -> bool {
        match self {
            ContactSet::Dense { first, bits, .. } => {
                if id.0 < *first {
                    return false;
                }
                let offset = id.0.abs_diff(*first);
                usize::try_from(offset / 64)
                    .ok()
                    .and_then(|word| bits.get(word))
                    .is_some_and(|word| word & (1 << (offset % 64)) != 0)
            }
            ContactSet::Sparse(ids) => ids.contains(id),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            ContactSet::Dense { len, .. } => *len,
            ContactSet::Sparse(ids) => ids.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The outcome of a dispatched message, tallied in `sent`: accepted → `pending`; refused →
/// `error` with the provider's failure type; unknown → `error` / `unknown`, stamped as sent
/// since it may have left.
pub(crate) fn outcome_of(
    trace: TraceId,
    segments: u32,
    result: Result<crate::provider::Receipt, crate::provider::Error>,
    now: DateTime<Utc>,
    sent: &mut Sent,
) -> Outcome {
    match result {
        Ok(receipt) => {
            sent.accepted += 1;
            sent.segments += u64::from(receipt.segments.unwrap_or(segments));
            Outcome {
                trace,
                status: TraceStatus::Pending,
                failure_type: None,
                failure_reason: None,
                provider_message_id: Some(receipt.message_id),
                sent_at: Some(now),
            }
        }
        Err(error) => {
            let unknown = error.class() == ErrorClass::Unknown;
            if unknown {
                sent.unknown += 1;
            } else {
                sent.failed += 1;
            }
            Outcome {
                trace,
                status: TraceStatus::Error,
                failure_type: Some(if unknown {
                    FailureType::Unknown
                } else {
                    error.failure_type()
                }),
                failure_reason: Some(error.message().to_owned()),
                provider_message_id: None,
                sent_at: unknown.then_some(now),
            }
        }
    }
}

fn failed(trace: &Trace, failure: FailureType, reason: &str) -> Outcome {
    Outcome {
        trace: trace.id,
        status: TraceStatus::Error,
        failure_type: Some(failure),
        failure_reason: Some(reason.to_owned()),
        provider_message_id: None,
        sent_at: None,
    }
}

/// Appends the body of `template` for `contact` to `out`.
pub(crate) fn render_into(template: &Template, contact: &Contact, out: &mut String) {
    template.render_into(out, |path| contact_value(contact, path));
}

/// The value at `path` of a contact, as templates see it.
pub(crate) fn contact_value<'c>(contact: &'c Contact, path: &[&str]) -> FieldValue<'c> {
    #[cfg(feature = "serde")]
    if contact.fields.contains_key(crate::records::RECORD_KEY) {
        // A mirrored record keeps every value a template can reach under its dotted path.
        let found = match path {
            [name] => contact.fields.get(*name),
            _ => contact.fields.get(&path.join(".")),
        };
        return found.map_or(FieldValue::Null, |value| FieldValue::Str(value));
    }
    match path {
        ["name"] => FieldValue::Str(&contact.name),
        ["phone"] => FieldValue::Str(&contact.phone),
        ["country"] => contact.country.map_or(FieldValue::Null, |country| {
            FieldValue::Str(country.as_str())
        }),
        [field] => contact
            .fields
            .get(*field)
            .map_or(FieldValue::Null, |value| FieldValue::Str(value)),
        _ => FieldValue::Null,
    }
}

#[cfg(test)]
mod contact_set_tests {
    use super::*;

    #[test]
    fn dense_and_sparse_sets_answer_like_a_hash_set() {
        let mut state = 11u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % bound
        };
        for (count, spread) in [
            (0, 10),
            (1, 10),
            (64, 64),
            (500, 600),
            (300, 1_000_000),
            (50, 10),
        ] {
            let ids: Vec<ContactId> = (0..count)
                .map(|_| ContactId(i64::try_from(next(spread)).unwrap() - 5))
                .collect();
            let model: HashSet<ContactId> = ids.iter().copied().collect();
            let set = ContactSet::new(ids);
            assert_eq!(set.len(), model.len());
            assert_eq!(set.is_empty(), model.is_empty());
            let dense = matches!(set, ContactSet::Dense { .. });
            assert_eq!(dense, spread < 100_000 && count > 0, "{count} in {spread}");
            for probe in -70..i64::try_from(spread).unwrap() + 70 {
                let id = ContactId(probe);
                assert_eq!(set.contains(&id), model.contains(&id), "{probe}");
            }
            assert!(!set.contains(&ContactId(i64::MIN)));
            assert!(!set.contains(&ContactId(i64::MAX)));
        }
    }
}

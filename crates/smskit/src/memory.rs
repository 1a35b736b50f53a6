//! [`MemoryStore`]: the [`Store`] in memory, for tests, demos and applications that keep their
//! own persistence.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};

use crate::model::{
    AbTest, AbTestId, BlacklistEntry, Campaign, CampaignId, Contact, ContactId, ListId, Mailing,
    MailingId, MailingList, MailingState, NewCampaign, NewContact, NewMailing, Subscription, Trace,
    TraceId,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::links::{
    Click, ClickScope, ClickStats, Code, Error as LinkError, Link, LinkRequest, LinkStore,
    MemoryLinkStore, RecordedClick,
};
use crate::phone::E164;
use crate::provider::{FailureType, TraceStatus};
use crate::reply::Reply;
use crate::store::{Outcome, StatusUpdate, Store, StoreError, accepts};

/// Everything in memory: lost when dropped, but with exactly the behaviour of the durable
/// stores (the same conformance tests run on it).
///
/// ```
/// use smskit::{MemoryStore, Store};
/// use smskit::model::NewContact;
///
/// let mut store = MemoryStore::new();
/// let now = chrono::DateTime::UNIX_EPOCH;
/// let id = store.insert_contact(NewContact::new("Ana", "+32470000001"), now)?;
/// assert_eq!(store.contact(id)?.unwrap().name, "Ana");
/// # Ok::<(), smskit::store::StoreError>(())
/// ```
#[derive(Debug)]
pub struct MemoryStore {
    links: MemoryLinkStore<StdRng>,
    /// The contacts in Odoo's order, sorted again only after contacts were added.
    contact_order: Mutex<ContactOrder>,
    contacts: BTreeMap<ContactId, Contact>,
    lists: BTreeMap<ListId, MailingList>,
    subscriptions: BTreeMap<(ListId, ContactId), Subscription>,
    blacklist: HashMap<E164, BlacklistEntry>,
    mailings: BTreeMap<MailingId, Mailing>,
    campaigns: BTreeMap<CampaignId, Campaign>,
    ab_tests: BTreeMap<AbTestId, AbTest>,
    traces: TraceTable,
    /// The trace of each mailing and contact: at most one.
    trace_keys: HashMap<(MailingId, ContactId), TraceId>,
    /// The outgoing traces of each mailing, in id order, for claiming without a scan.
    outgoing: HashMap<MailingId, BTreeSet<TraceId>>,
    by_provider_id: HashMap<String, TraceId>,
    /// The traces sent to each number and of each contact.
    by_number: PairIndex<E164>,
    by_contact: PairIndex<ContactId>,
    /// The traces of each mailing, in id order (traces are never deleted, and ids grow).
    by_mailing: HashMap<MailingId, Vec<TraceId>>,
    replies: HashMap<E164, Vec<Reply>>,
    /// Named leases: holder and expiry.
    leases: HashMap<String, (String, DateTime<Utc>)>,
    /// The end of each sender's booked send time.
    send_schedule: HashMap<String, DateTime<Utc>>,
    next_id: i64,
}

impl MemoryStore {
    /// An empty store; its short-link codes are drawn from a generator seeded with 0.
    #[must_use]
    pub fn new() -> Self {
        MemoryStore::with_link_seed(0)
    }

    /// An empty store drawing short-link codes from a generator seeded with `seed`.
    #[must_use]
    pub fn with_link_seed(seed: u64) -> Self {
        MemoryStore {
            links: MemoryLinkStore::new(StdRng::seed_from_u64(seed)),
            contacts: BTreeMap::new(),
            contact_order: Mutex::new(ContactOrder::default()),
            lists: BTreeMap::new(),
            subscriptions: BTreeMap::new(),
            blacklist: HashMap::new(),
            mailings: BTreeMap::new(),
            campaigns: BTreeMap::new(),
            ab_tests: BTreeMap::new(),
            traces: TraceTable::default(),
            trace_keys: HashMap::new(),
            outgoing: HashMap::new(),
            by_provider_id: HashMap::new(),
            by_number: PairIndex::default(),
            by_contact: PairIndex::default(),
            by_mailing: HashMap::new(),
            replies: HashMap::new(),
            leases: HashMap::new(),
            send_schedule: HashMap::new(),
            next_id: 0,
        }
    }

    /// The tracked links created so far.
    #[must_use]
    pub fn links(&self) -> &[Link] {
        self.links.links()
    }

    fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds the new trace `id` to the indexes.
    fn index_trace(&mut self, id: TraceId, trace: &Trace) {
        if trace.status == TraceStatus::Outgoing {
            self.outgoing.entry(trace.mailing).or_default().insert(id);
        }
        if let Some(provider_id) = &trace.provider_message_id {
            self.by_provider_id.insert(provider_id.clone(), id);
        }
        if let Some(number) = trace.number {
            self.by_number.insert(number, id);
        }
        self.by_contact.insert(trace.contact, id);
        self.by_mailing.entry(trace.mailing).or_default().push(id);
    }

    fn trace_mut(&mut self, id: TraceId) -> Result<&mut Trace, StoreError> {
        self.traces
            .get_mut(id)
            .ok_or_else(|| StoreError::not_found(format_args!("trace {id}")))
    }
}

/// The traces, the one with id `n` at `n - 1`: trace ids have their own counter, so they are
/// dense, appending is a push and every lookup an index (a million prepared traces in a tree
/// cost a node search each).
#[derive(Debug, Default)]
struct TraceTable {
    rows: Vec<Trace>,
}

impl TraceTable {
    /// The id the next trace gets.
    fn next_id(&self) -> TraceId {
        TraceId(
            i64::try_from(self.rows.len())
                .unwrap_or(i64::MAX)
                .saturating_add(1),
        )
    }

    /// Appends `trace`, whose id is [`TraceTable::next_id`].
    fn push(&mut self, trace: Trace) {
        debug_assert_eq!(trace.id, self.next_id());
        self.rows.push(trace);
    }

    fn index(id: TraceId) -> Option<usize> {
        usize::try_from(id.0.checked_sub(1)?).ok()
    }

    fn get(&self, id: TraceId) -> Option<&Trace> {
        self.rows.get(Self::index(id)?)
    }

    fn get_mut(&mut self, id: TraceId) -> Option<&mut Trace> {
        self.rows.get_mut(Self::index(id)?)
    }

    fn values_mut(&mut self) -> std::slice::IterMut<'_, Trace> {
        self.rows.iter_mut()
    }
}

/// `(key, trace)` pairs looked up by key. A million traces prepared at once land in random
/// places of a tree (a cache miss each); here they are appended to a tail that is merged into
/// the sorted run once it holds a quarter as many pairs, so inserting costs a few moves.
#[derive(Debug)]
struct PairIndex<K> {
    sorted: Vec<(K, TraceId)>,
    tail: Vec<(K, TraceId)>,
}

impl<K> Default for PairIndex<K> {
    fn default() -> Self {
        PairIndex {
            sorted: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<K: Ord + Copy> PairIndex<K> {
    /// The tail is merged once it is this long or a quarter of the sorted run.
    const MIN_TAIL: usize = 4096;

    fn insert(&mut self, key: K, id: TraceId) {
        self.tail.push((key, id));
        if self.tail.len() >= Self::MIN_TAIL.max(self.sorted.len() / 4) {
            // Grown exactly: a million pairs would otherwise carry up to a million spare.
            self.sorted.reserve_exact(self.tail.len());
            self.sorted.append(&mut self.tail);
            // The stable sort keeps the sorted run as a run: it sorts the tail and merges.
            self.sorted.sort();
        }
    }

    /// The traces of `key`, by id.
    fn ids(&self, key: K) -> Vec<TraceId> {
        let start = self.sorted.partition_point(|(k, _)| *k < key);
        let mut ids: Vec<TraceId> = self.sorted[start..]
            .iter()
            .take_while(|(k, _)| *k == key)
            .chain(self.tail.iter().filter(|(k, _)| *k == key))
            .map(|&(_, id)| id)
            .collect();
        ids.sort_unstable();
        ids
    }
}

/// A contact's place in Odoo's contact order: name, then the most recent first.
type ContactOrderKey<'a> = (
    &'a str,
    std::cmp::Reverse<DateTime<Utc>>,
    std::cmp::Reverse<ContactId>,
);

/// Contact ids in Odoo's contact order (once sorted).
#[derive(Debug, Default)]
struct ContactOrder {
    ids: Arc<Vec<ContactId>>,
    sorted: bool,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl LinkStore for MemoryStore {
    fn get_or_create(&mut self, request: &LinkRequest) -> Result<Link, LinkError> {
        self.links.get_or_create(request)
    }

    fn link(&self, code: &Code) -> Result<Option<Link>, LinkError> {
        self.links.link(code)
    }

    fn record_click(&mut self, click: Click) -> Result<RecordedClick, LinkError> {
        self.links.record_click(click)
    }

    fn click_stats(&self, scope: &ClickScope) -> Result<ClickStats, LinkError> {
        self.links.click_stats(scope)
    }
}

impl Store for MemoryStore {
    fn update_contact(&mut self, id: ContactId, contact: NewContact) -> Result<(), StoreError> {
        let stored = self
            .contacts
            .get_mut(&id)
            .ok_or_else(|| StoreError::not_found(format_args!("contact {id}")))?;
        // The name decides the contact order.
        if stored.name != contact.name {
            self.contact_order
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .sorted = false;
        }
        stored.name = contact.name;
        stored.phone = contact.phone;
        stored.country = contact.country;
        stored.fields = contact.fields;
        Ok(())
    }

    fn insert_contact(
        &mut self,
        contact: NewContact,
        now: DateTime<Utc>,
    ) -> Result<ContactId, StoreError> {
        let id = ContactId(self.next_id());
        let order = self
            .contact_order
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        Arc::make_mut(&mut order.ids).push(id);
        order.sorted = false;
        self.contacts.insert(
            id,
            Contact {
                id,
                name: contact.name,
                phone: contact.phone,
                country: contact.country,
                fields: contact.fields,
                created_at: now,
            },
        );
        Ok(id)
    }

    fn contact(&self, id: ContactId) -> Result<Option<Contact>, StoreError> {
        Ok(self.contacts.get(&id).cloned())
    }

    fn contacts(&self, visit: &mut dyn FnMut(&Contact)) -> Result<(), StoreError> {
        let ids = {
            let mut order = self
                .contact_order
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !order.sorted {
                // Odoo's `_order = 'name, create_date desc'`; ids break the remaining ties the
                // way Odoo's databases do in practice (later rows first). Every key is distinct,
                // so an unstable sort gives the one order. The keys are gathered first: a
                // comparison that looked both contacts up would cost two map searches.
                let mut keys: Vec<ContactOrderKey<'_>> = self
                    .contacts
                    .values()
                    .map(|contact| {
                        (
                            contact.name.as_str(),
                            std::cmp::Reverse(contact.created_at),
                            std::cmp::Reverse(contact.id),
                        )
                    })
                    .collect();
                keys.sort_unstable();
                *Arc::make_mut(&mut order.ids) = keys.into_iter().map(|(_, _, id)| id.0).collect();
                order.sorted = true;
            }
            // Visited without the lock held: a visitor may read the store again.
            Arc::clone(&order.ids)
        };
        ids.iter()
            .filter_map(|id| self.contacts.get(id))
            .for_each(visit);
        Ok(())
    }

    fn insert_list(&mut self, name: &str, is_public: bool) -> Result<ListId, StoreError> {
        if self.lists.values().any(|list| list.name == name) {
            return Err(StoreError::conflict(format_args!("mailing list {name:?}")));
        }
        let id = ListId(self.next_id());
        self.lists.insert(
            id,
            MailingList {
                id,
                name: name.to_owned(),
                is_public,
            },
        );
        Ok(id)
    }

    fn list_by_name(&self, name: &str) -> Result<Option<MailingList>, StoreError> {
        Ok(self.lists.values().find(|list| list.name == name).cloned())
    }

    fn lists(&self) -> Result<Vec<MailingList>, StoreError> {
        Ok(self.lists.values().cloned().collect())
    }

    fn subscribe(
        &mut self,
        list: ListId,
        contact: ContactId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !self.lists.contains_key(&list) {
            return Err(StoreError::not_found(format_args!("mailing list {list}")));
        }
        if !self.contacts.contains_key(&contact) {
            return Err(StoreError::not_found(format_args!("contact {contact}")));
        }
        self.subscriptions
            .entry((list, contact))
            .or_insert(Subscription {
                list,
                contact,
                opt_out: false,
                created_at: now,
                opt_out_at: None,
            });
        Ok(())
    }

    fn set_opt_out(
        &mut self,
        list: ListId,
        contact: ContactId,
        opt_out: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.subscribe(list, contact, now)?;
        if let Some(subscription) = self.subscriptions.get_mut(&(list, contact)) {
            subscription.opt_out = opt_out;
            subscription.opt_out_at = opt_out.then_some(now);
        }
        Ok(())
    }

    fn subscriptions(&self, list: ListId) -> Result<Vec<Subscription>, StoreError> {
        Ok(self
            .subscriptions
            .range((list, ContactId(i64::MIN))..=(list, ContactId(i64::MAX)))
            .map(|(_, subscription)| *subscription)
            .collect())
    }

    fn blacklist_add(
        &mut self,
        number: E164,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let entry = self.blacklist.entry(number).or_insert(BlacklistEntry {
            number,
            active: true,
            reason: None,
            updated_at: now,
        });
        entry.active = true;
        entry.updated_at = now;
        if let Some(reason) = reason {
            entry.reason = Some(reason.to_owned());
        }
        Ok(())
    }

    fn blacklist_remove(&mut self, number: E164) -> Result<bool, StoreError> {
        Ok(match self.blacklist.get_mut(&number) {
            Some(entry) if entry.active => {
                entry.active = false;
                true
            }
            _ => false,
        })
    }

    fn blacklist_entry(&self, number: E164) -> Result<Option<BlacklistEntry>, StoreError> {
        Ok(self.blacklist.get(&number).cloned())
    }

    fn active_blacklist(&self) -> Result<HashSet<E164>, StoreError> {
        Ok(self
            .blacklist
            .values()
            .filter(|entry| entry.active)
            .map(|entry| entry.number)
            .collect())
    }

    fn insert_mailing(
        &mut self,
        mailing: NewMailing,
        now: DateTime<Utc>,
    ) -> Result<MailingId, StoreError> {
        let id = MailingId(self.next_id());
        self.mailings.insert(
            id,
            Mailing {
                id,
                name: mailing.name,
                body: mailing.body,
                audience: mailing.audience,
                include_opt_out_link: mailing.include_opt_out_link,
                campaign: mailing.campaign,
                responsible: mailing.responsible,
                tags: mailing.tags,
                ab_test: mailing.ab_test,
                state: MailingState::Draft,
                scheduled_at: None,
                created_at: now,
            },
        );
        Ok(id)
    }

    fn mailing(&self, id: MailingId) -> Result<Option<Mailing>, StoreError> {
        Ok(self.mailings.get(&id).cloned())
    }

    fn mailings(&self) -> Result<Vec<Mailing>, StoreError> {
        Ok(self.mailings.values().cloned().collect())
    }

    fn set_mailing_state(
        &mut self,
        id: MailingId,
        state: MailingState,
        scheduled_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let mailing = self
            .mailings
            .get_mut(&id)
            .ok_or_else(|| StoreError::not_found(format_args!("mailing {id}")))?;
        mailing.state = state;
        mailing.scheduled_at = scheduled_at;
        Ok(())
    }

    fn insert_trace(&mut self, trace: &Trace) -> Result<TraceId, StoreError> {
        let id = self.traces.next_id();
        self.index_trace(id, trace);
        self.traces.push(Trace {
            id,
            ..trace.clone()
        });
        Ok(id)
    }

    fn insert_traces(&mut self, traces: &[Trace]) -> Result<usize, StoreError> {
        let mut stored = 0;
        self.trace_keys.reserve(traces.len());
        for trace in traces {
            let std::collections::hash_map::Entry::Vacant(slot) =
                self.trace_keys.entry((trace.mailing, trace.contact))
            else {
                continue;
            };
            let id = self.traces.next_id();
            slot.insert(id);
            self.index_trace(id, trace);
            self.traces.push(Trace {
                id,
                ..trace.clone()
            });
            stored += 1;
        }
        Ok(stored)
    }

    fn claim_outgoing(
        &mut self,
        mailing: MailingId,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<Trace>, StoreError> {
        let Some(queue) = self.outgoing.get_mut(&mailing) else {
            return Ok(Vec::new());
        };
        let ids: Vec<TraceId> = queue.iter().take(limit).copied().collect();
        for id in &ids {
            queue.remove(id);
        }
        let mut claimed = Vec::with_capacity(ids.len());
        for id in ids {
            let trace = self.trace_mut(id)?;
            trace.status = TraceStatus::Process;
            trace.claimed_at = Some(now);
            claimed.push(trace.clone());
        }
        Ok(claimed)
    }

    fn record_outcomes(&mut self, outcomes: &[Outcome]) -> Result<(), StoreError> {
        for outcome in outcomes {
            let trace = self.trace_mut(outcome.trace)?;
            if trace.status != TraceStatus::Process {
                continue;
            }
            trace.status = outcome.status;
            trace.failure_type = outcome.failure_type;
            trace.failure_reason.clone_from(&outcome.failure_reason);
            trace.sent_at = trace.sent_at.or(outcome.sent_at);
            if outcome.provider_message_id.is_some() {
                trace
                    .provider_message_id
                    .clone_from(&outcome.provider_message_id);
            }
            let (id, mailing) = (trace.id, trace.mailing);
            if outcome.status == TraceStatus::Outgoing {
                self.outgoing.entry(mailing).or_default().insert(id);
            }
            if let Some(provider_id) = &outcome.provider_message_id {
                self.by_provider_id.insert(provider_id.clone(), id);
            }
        }
        Ok(())
    }

    fn abandon_claims(
        &mut self,
        mailing: MailingId,
        claimed_before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let mut abandoned = 0;
        for trace in self.traces.values_mut() {
            let stale = trace.claimed_at.is_none_or(|at| at < claimed_before);
            if trace.mailing == mailing && trace.status == TraceStatus::Process && stale {
                trace.status = TraceStatus::Error;
                trace.failure_type = Some(FailureType::Unknown);
                trace.failure_reason = Some(
                    "the sender stopped before recording the outcome: it may have been sent"
                        .to_owned(),
                );
                trace.sent_at = trace.sent_at.or(trace.claimed_at);
                abandoned += 1;
            }
        }
        Ok(abandoned)
    }

    fn requeue_failed(
        &mut self,
        mailing: MailingId,
        include_unknown: bool,
    ) -> Result<usize, StoreError> {
        let queue = self.outgoing.entry(mailing).or_default();
        let mut requeued = 0;
        for trace in self.traces.values_mut() {
            let unknown = trace.failure_type == Some(FailureType::Unknown);
            let lasting = trace
                .failure_type
                .is_some_and(|failure| crate::store::NOT_RESENT.contains(&failure));
            if trace.mailing == mailing
                && trace.status == TraceStatus::Error
                && !lasting
                && (include_unknown || !unknown)
            {
                trace.status = TraceStatus::Outgoing;
                trace.failure_type = None;
                trace.failure_reason = None;
                trace.claimed_at = None;
                queue.insert(trace.id);
                requeued += 1;
            }
        }
        Ok(requeued)
    }

    fn renew_claims(
        &mut self,
        traces: &[TraceId],
        now: DateTime<Utc>,
    ) -> Result<Vec<TraceId>, StoreError> {
        let mut renewed = Vec::with_capacity(traces.len());
        for id in traces {
            if let Some(trace) = self.traces.get_mut(*id)
                && trace.status == TraceStatus::Process
            {
                trace.claimed_at = Some(now);
                renewed.push(*id);
            }
        }
        renewed.sort_unstable();
        renewed.dedup();
        Ok(renewed)
    }

    fn acquire_lease(
        &mut self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let lease = self
            .leases
            .entry(name.to_owned())
            .or_insert_with(|| (holder.to_owned(), now));
        if lease.0 == holder || lease.1 <= now {
            *lease = (holder.to_owned(), until);
            return Ok(true);
        }
        Ok(false)
    }

    fn release_lease(&mut self, name: &str, holder: &str) -> Result<(), StoreError> {
        if self.leases.get(name).is_some_and(|lease| lease.0 == holder) {
            self.leases.remove(name);
        }
        Ok(())
    }

    fn book_send_time(
        &mut self,
        sender: &str,
        cost: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        let end = self.send_schedule.entry(sender.to_owned()).or_insert(now);
        // Saturates at the end of time rather than failing: a booking that far ahead never
        // comes due anyway.
        *end = (*end)
            .max(now)
            .checked_add_signed(cost)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        Ok(*end)
    }

    fn cancel_outgoing(&mut self, mailing: MailingId) -> Result<usize, StoreError> {
        let ids = self.outgoing.remove(&mailing).unwrap_or_default();
        for id in &ids {
            self.trace_mut(*id)?.status = TraceStatus::Cancel;
        }
        Ok(ids.len())
    }

    fn apply_status(&mut self, update: &StatusUpdate) -> Result<Option<TraceId>, StoreError> {
        let Some(&id) = self.by_provider_id.get(&update.provider_message_id) else {
            return Ok(None);
        };
        let trace = self.trace_mut(id)?;
        if !accepts(trace.status, trace.failure_type, update.status) {
            return Ok(None);
        }
        trace.status = update.status;
        match update.status {
            TraceStatus::Error | TraceStatus::Bounce => {
                trace.failure_type = update.failure_type.or(Some(FailureType::NotDelivered));
                trace.failure_reason.clone_from(&update.failure_reason);
            }
            _ => {
                trace.failure_type = None;
                trace.failure_reason = None;
                trace.sent_at = trace.sent_at.or(Some(update.at));
            }
        }
        Ok(Some(id))
    }

    fn mark_clicked(&mut self, trace: TraceId, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let Some(trace) = self.traces.get_mut(trace) else {
            return Ok(false);
        };
        trace.clicked_at = Some(trace.clicked_at.map_or(at, |first| first.min(at)));
        if accepts(trace.status, trace.failure_type, TraceStatus::Open) {
            trace.status = TraceStatus::Open;
            trace.failure_type = None;
            trace.failure_reason = None;
        }
        Ok(true)
    }

    fn trace(&self, id: TraceId) -> Result<Option<Trace>, StoreError> {
        Ok(self.traces.get(id).cloned())
    }

    fn traces(&self, mailing: MailingId, visit: &mut dyn FnMut(&Trace)) -> Result<(), StoreError> {
        self.by_mailing
            .get(&mailing)
            .into_iter()
            .flatten()
            .filter_map(|id| self.traces.get(*id))
            .for_each(visit);
        Ok(())
    }

    fn outgoing_with_contacts(
        &self,
        mailing: MailingId,
        visit: &mut dyn FnMut(&Trace, &Contact),
    ) -> Result<(), StoreError> {
        // The outgoing queue is the index of exactly these traces; contacts are borrowed, not
        // cloned.
        for id in self.outgoing.get(&mailing).into_iter().flatten() {
            if let Some(trace) = self.traces.get(*id)
                && let Some(contact) = self.contacts.get(&trace.contact)
            {
                visit(trace, contact);
            }
        }
        Ok(())
    }

    fn last_trace_to(&self, number: E164) -> Result<Option<Trace>, StoreError> {
        Ok(self
            .by_number
            .ids(number)
            .iter()
            .filter_map(|id| self.traces.get(*id))
            .filter(|trace| trace.sent_at.is_some())
            .max_by_key(|trace| (trace.sent_at, trace.id))
            .cloned())
    }

    fn contact_traces(
        &self,
        contact: ContactId,
        visit: &mut dyn FnMut(&Trace),
    ) -> Result<(), StoreError> {
        for id in self.by_contact.ids(contact) {
            if let Some(trace) = self.traces.get(id) {
                visit(trace);
            }
        }
        Ok(())
    }

    fn record_reply(&mut self, reply: &Reply) -> Result<(), StoreError> {
        if let Some(id) = reply.trace {
            let trace = self.trace_mut(id)?;
            trace.replied_at.get_or_insert(reply.at);
            if accepts(trace.status, trace.failure_type, TraceStatus::Reply) {
                trace.status = TraceStatus::Reply;
                trace.failure_type = None;
                trace.failure_reason = None;
            }
        }
        self.replies
            .entry(reply.from)
            .or_default()
            .push(reply.clone());
        Ok(())
    }

    fn replies(&self, number: E164) -> Result<Vec<Reply>, StoreError> {
        let mut replies = self.replies.get(&number).cloned().unwrap_or_default();
        replies.sort_by_key(|reply| reply.at);
        Ok(replies)
    }

    fn insert_campaign(
        &mut self,
        campaign: NewCampaign,
        now: DateTime<Utc>,
    ) -> Result<CampaignId, StoreError> {
        if self.campaigns.values().any(|c| c.name == campaign.name) {
            return Err(StoreError::conflict(format_args!(
                "campaign {:?}",
                campaign.name
            )));
        }
        let id = CampaignId(self.next_id());
        self.campaigns.insert(
            id,
            Campaign {
                id,
                name: campaign.name,
                stage: campaign.stage,
                tags: campaign.tags,
                responsible: campaign.responsible,
                created_at: now,
            },
        );
        Ok(id)
    }

    fn campaign(&self, id: CampaignId) -> Result<Option<Campaign>, StoreError> {
        Ok(self.campaigns.get(&id).cloned())
    }

    fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        Ok(self.campaigns.values().cloned().collect())
    }

    fn set_campaign_stage(&mut self, id: CampaignId, stage: &str) -> Result<(), StoreError> {
        let campaign = self
            .campaigns
            .get_mut(&id)
            .ok_or_else(|| StoreError::not_found(format_args!("campaign {id}")))?;
        campaign.stage = stage.to_owned();
        Ok(())
    }

    fn insert_ab_test(&mut self, test: AbTest) -> Result<AbTestId, StoreError> {
        let id = AbTestId(self.next_id());
        self.ab_tests.insert(id, AbTest { id, ..test });
        Ok(id)
    }

    fn ab_test(&self, id: AbTestId) -> Result<Option<AbTest>, StoreError> {
        Ok(self.ab_tests.get(&id).cloned())
    }

    fn ab_tests(&self) -> Result<Vec<AbTest>, StoreError> {
        Ok(self.ab_tests.values().cloned().collect())
    }

    fn update_ab_test(&mut self, test: &AbTest) -> Result<(), StoreError> {
        let stored = self
            .ab_tests
            .get_mut(&test.id)
            .ok_or_else(|| StoreError::not_found(format_args!("A/B test {}", test.id)))?;
        *stored = test.clone();
        Ok(())
    }
}

#[cfg(test)]
mod pair_index_tests {
    use super::*;

    #[test]
    fn lookups_see_every_pair_by_id_across_merges() {
        let mut index = PairIndex::default();
        let mut model: BTreeSet<(u32, TraceId)> = BTreeSet::new();
        let mut state = 7u64;
        for id in 1..=20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let key = u32::try_from(state >> 54).unwrap();
            index.insert(key, TraceId(id));
            model.insert((key, TraceId(id)));
            if id % 997 == 0 {
                for probe in [key, key + 1, 0] {
                    let expected: Vec<TraceId> = model
                        .range((probe, TraceId(0))..=(probe, TraceId(i64::MAX)))
                        .map(|p| p.1)
                        .collect();
                    assert_eq!(index.ids(probe), expected);
                }
            }
        }
        assert!(index.sorted.len() > index.tail.len(), "merges happened");
    }
}

//! Messages outside a mass send: a transactional SMS to one contact, and test sends of a
//! mailing to numbers typed by its author.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::compose::{Composer, PlaceholderLinks};
use crate::engine::{Engine, Sent, outcome_of, render_into};
use crate::error::Error;
use crate::exclude::{Decision, Exclusions};
use crate::model::{Audience, ContactId, MailingId, MailingState, Trace, TraceId};
use crate::phone::E164;
use crate::preview::Tally;
use crate::provider::{Clock, Job, OutboundMessage, Provider, TraceStatus};
use crate::store::{Outcome, Store};
use crate::template::Template;

/// What [`Engine::send_test`] did with each number it was given.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct TestSend {
    /// The final text sent (the template rendered for the first contact of the audience).
    pub body: String,
    /// The numbers that were valid, with the provider's message id or its error.
    pub sent: Vec<(E164, Result<String, crate::provider::Error>)>,
    /// The entries that are not phone numbers, with the reason.
    pub invalid: Vec<(String, String)>,
}

impl<S: Store> Engine<S> {
    /// Sends the transactional mailing `mailing` (created with
    /// [`Audience::Transactional`]) to `contact` now, with the same exclusions (active
    /// blacklist, missing or unreadable number), credit check, trace and statistics as a mass
    /// mailing. Every call is a new message, so the same contact can get it again (a second
    /// order, a second reminder). Returns the trace with its outcome.
    ///
    /// ```
    /// use smskit::model::{Audience, NewContact, NewMailing};
    /// use smskit::provider::{SimulatedClock, StubProvider, TraceStatus};
    /// use smskit::{Engine, MemoryStore, Settings};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    /// let ana = engine.add_contact(NewContact::new("Ana", "+32470000001"), now)?;
    /// let shipped = engine.create_mailing(
    ///     NewMailing::new("Shipped", "{{ object.name }}, your order left.", Audience::Transactional),
    ///     now,
    /// )?;
    /// let provider = StubProvider::new();
    /// let trace = engine.send_transactional(shipped, ana, &provider, &SimulatedClock::new(), now)?;
    /// assert_eq!(trace.status, TraceStatus::Pending);
    /// assert_eq!(provider.messages()[0].body, "Ana, your order left.");
    /// assert_eq!(engine.counts(shipped)?.sent, 1);
    /// # Ok::<(), smskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownMailing`], [`Error::WrongState`] for a mailing that is not
    /// transactional, [`Error::Store`] (no such contact), and the credit check's errors (then
    /// no trace is created).
    pub fn send_transactional(
        &mut self,
        mailing: MailingId,
        contact: ContactId,
        provider: &dyn Provider,
        clock: &dyn Clock,
        now: DateTime<Utc>,
    ) -> Result<Trace, Error> {
        let record = self.mailing_record(mailing)?;
        if record.audience != Audience::Transactional {
            return Err(Error::WrongState {
                mailing,
                state: record.state,
                action: "send one message of a mailing that is not transactional",
            });
        }
        let template = Template::parse(&record.body)?;
        let person = self.store.contact(contact)?.ok_or_else(|| {
            crate::store::StoreError::not_found(format_args!("contact {contact}"))
        })?;
        // The one number that matters, rather than the whole blacklist.
        let mut blacklist = HashSet::new();
        if let Ok(number) = crate::phone::parse(
            &person.phone,
            person.country.or(self.settings.default_region),
        ) && self
            .store
            .blacklist_entry(number)?
            .is_some_and(|entry| entry.active)
        {
            blacklist.insert(number);
        }
        let opted_out = HashSet::new();
        let decision = Exclusions::new(&blacklist, &opted_out)
            .with_default_region(self.settings.default_region)
            .decide(contact.0, &person.phone, person.country);
        let mut trace = Trace::prepared(mailing, contact, &decision);
        let Decision::Send { number } = decision else {
            trace.id = self.store.insert_trace(&trace)?;
            return Ok(trace);
        };
        let tracking = self.tracking_of(&record)?;
        // Priced before the trace exists, with placeholder links and the longest trace id:
        // the check can only overestimate.
        let mut placeholders = PlaceholderLinks;
        let mut composer = Composer::new(
            &self.settings,
            &record,
            &template,
            &tracking,
            &mut placeholders,
        )?;
        let mut tally = Tally::new(&self.settings, false);
        tally.add(&mut composer, &person, TraceId(i64::MAX), Some(number));
        self.check_cost(&tally.finish()?.0)?;
        if record.state == MailingState::Draft {
            self.store
                .set_mailing_state(mailing, MailingState::Sending, None)?;
        }
        trace.status = TraceStatus::Process;
        trace.claimed_at = Some(now);
        trace.id = self.store.insert_trace(&trace)?;
        let mut body = String::new();
        let composed = Composer::new(
            &self.settings,
            &record,
            &template,
            &tracking,
            &mut self.store,
        )
        .and_then(|mut composer| composer.compose_into(&person, trace.id, &mut body));
        if let Err(error) = composed {
            let outcome = Outcome {
                trace: trace.id,
                status: TraceStatus::Error,
                failure_type: Some(crate::provider::FailureType::Server),
                failure_reason: Some(error.to_string()),
                provider_message_id: None,
                sent_at: None,
            };
            self.store.record_outcomes(std::slice::from_ref(&outcome))?;
            apply(&mut trace, outcome);
            return Ok(trace);
        }
        let segments = self.parts(&body);
        let message = self.settings.sent_by_sender(
            OutboundMessage::new(number, body).with_client_ref(trace.id.to_string()),
        );
        let dispatcher = self.dispatcher(provider, clock);
        let result = dispatcher
            .dispatch(vec![Job::new(message, segments)])
            .pop()
            .map(|dispatched| dispatched.result)
            .ok_or(Error::NotConfigured("a dispatcher that answers every job"))?;
        let outcome = outcome_of(trace.id, segments, result, now, &mut Sent::default());
        self.store.record_outcomes(std::slice::from_ref(&outcome))?;
        apply(&mut trace, outcome);
        Ok(trace)
    }

    /// Sends `mailing` to the numbers its author typed (separated by commas or new lines,
    /// surrounding spaces ignored), rendered for the first contact of its audience, without
    /// traces, exclusions or statistics. Entries that are not phone numbers are reported,
    /// the others are still sent.
    ///
    /// # Errors
    /// [`Error::UnknownMailing`], [`Error::Store`].
    pub fn send_test(
        &mut self,
        mailing: MailingId,
        numbers: &str,
        provider: &dyn Provider,
        clock: &dyn Clock,
    ) -> Result<TestSend, Error> {
        let record = self.mailing_record(mailing)?;
        let template = Template::parse(&record.body)?;
        let mut test = TestSend::default();
        let mut valid = Vec::new();
        for entry in numbers.split([',', '\n']).map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            match crate::phone::parse(entry, self.settings.default_region) {
                Ok(number) => valid.push(number),
                Err(error) => test.invalid.push((entry.to_owned(), error.to_string())),
            }
        }
        if let Some(sample) = self.sample_contact(&record.audience)? {
            render_into(&template, &sample, &mut test.body);
        } else {
            template.render_into(&mut test.body, |_| crate::filter::FieldValue::Null);
        }
        let segments = self.parts(&test.body);
        let jobs = valid
            .iter()
            .map(|number| {
                let message = self
                    .settings
                    .sent_by_sender(OutboundMessage::new(*number, test.body.clone()));
                Job::new(message, segments)
            })
            .collect();
        let dispatcher = self.dispatcher(provider, clock);
        for (number, dispatched) in valid.into_iter().zip(dispatcher.dispatch(jobs)) {
            test.sent
                .push((number, dispatched.result.map(|receipt| receipt.message_id)));
        }
        Ok(test)
    }
}

/// `trace` as `outcome` leaves it.
fn apply(trace: &mut Trace, outcome: Outcome) {
    trace.status = outcome.status;
    trace.failure_type = outcome.failure_type;
    trace.failure_reason = outcome.failure_reason;
    trace.provider_message_id = outcome.provider_message_id;
    trace.sent_at = outcome.sent_at;
}

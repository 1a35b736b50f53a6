//! A dry run of a mailing: the final text of a sample message and what the whole mailing will
//! cost, without creating traces or links or sending anything.

use std::collections::HashMap;

use crate::compose::{Composer, PlaceholderLinks};
use crate::credit::Estimate;
use crate::engine::{Engine, Settings};
use crate::error::Error;
use crate::exclude::{Decision, Exclusions};
use crate::links::LinkStore;
use crate::model::Contact;
use crate::model::{ContactId, MailingId, MailingState, TraceId};
use crate::phone::E164;
use crate::provider::FailureType;
use crate::segment::{Encoding, Money};
use crate::store::Store;
use crate::template::Template;

/// One message as it will leave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Sample {
    /// The recipient.
    pub contact: ContactId,
    /// Its number.
    pub to: E164,
    /// The final text: rendered, links rewritten (with the placeholder code `xxx`), opt-out
    /// line included.
    pub body: String,
    /// GSM-7 or UCS-2.
    pub encoding: Encoding,
    /// SMS parts.
    pub parts: usize,
    /// Its price, when the settings have a price for its destination.
    pub price: Option<Money>,
}

/// What [`Engine::preview`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Preview {
    /// The first message of the mailing, when anyone will get one.
    pub sample: Option<Sample>,
    /// Every message that will leave: count, parts, cost.
    pub estimate: Estimate,
    /// Recipients that will be excluded, by failure type (before the mailing is prepared; its
    /// prepared traces say it after).
    pub excluded: Vec<(FailureType, usize)>,
}

impl<S: Store> Engine<S> {
    /// The final text of the first message of `mailing` and the cost of all of them, without
    /// side effects: nothing is stored, no link code is drawn, nothing is sent. Before the
    /// mailing is prepared the exclusion pass runs on its current audience, and each
    /// recipient's contact id stands in for the trace id its links and opt-out line will
    /// carry; after, the prepared traces are used.
    ///
    /// Short links appear with the code `xxx`: codes are drawn when the mailing is sent, and
    /// nearly all have the minimum length of 3 (one that grew after a collision adds a
    /// character).
    ///
    /// ```
    /// use smskit::links::Shortener;
    /// use smskit::model::{Audience, NewContact, NewMailing};
    /// use smskit::{Engine, MemoryStore, Settings, Store};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let settings = Settings::new().with_links(Shortener::new("https://sho.rt")?);
    /// let mut engine = Engine::new(MemoryStore::new(), settings);
    /// let list = engine.create_list("News", true)?;
    /// let ana = engine.add_contact(NewContact::new("Ana", "+32470000001"), now)?;
    /// engine.subscribe(list, ana, now)?;
    /// let mailing = engine.create_mailing(
    ///     NewMailing::new("Sale", "Hi {{ object.name }}: https://shop.example/sale", Audience::Lists(vec![list])),
    ///     now,
    /// )?;
    /// let preview = engine.preview(mailing)?;
    /// let sample = preview.sample.unwrap();
    /// assert_eq!(sample.body, format!("Hi Ana: https://sho.rt/r/xxx/s/{}", ana));
    /// assert_eq!((sample.parts, preview.estimate.messages), (1, 1));
    /// assert_eq!(engine.counts(mailing)?.expected, 0); // no trace,
    /// assert!(engine.store().links().is_empty()); // no link
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownMailing`], the audience's errors, [`Error::Store`].
    pub fn preview(&self, mailing: MailingId) -> Result<Preview, Error> {
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
        let mut tally = Tally::new(&self.settings, true);
        let mut excluded: HashMap<FailureType, usize> = HashMap::new();
        if record.state == MailingState::Draft || record.state == MailingState::InQueue {
            let audience = self.audience(&record.audience)?;
            let blacklist = self.store.active_blacklist()?;
            let mut pass = Exclusions::new(&blacklist, &audience.opted_out)
                .with_default_region(self.settings.default_region);
            self.visit_audience(&audience, &mut |contact| match pass.decide(
                contact.id.0,
                &contact.phone,
                contact.country,
            ) {
                Decision::Send { number } => {
                    tally.add(&mut composer, contact, TraceId(contact.id.0), Some(number));
                }
                Decision::Cancel { failure_type, .. } => {
                    *excluded.entry(failure_type).or_default() += 1;
                }
            })?;
        } else {
            let mut outgoing = Vec::new();
            self.store.traces(mailing, &mut |trace| {
                if trace.status == crate::provider::TraceStatus::Outgoing {
                    outgoing.push((trace.id, trace.contact, trace.number));
                }
            })?;
            for (trace, contact, number) in outgoing {
                if let Some(contact) = self.store.contact(contact)? {
                    tally.add(&mut composer, &contact, trace, number);
                }
            }
        }
        let (estimate, sample) = tally.finish()?;
        let mut excluded: Vec<(FailureType, usize)> = excluded.into_iter().collect();
        excluded.sort();
        Ok(Preview {
            sample,
            estimate,
            excluded,
        })
    }
}

/// Adds up composed messages into an [`Estimate`], keeping the first as a [`Sample`].
pub(crate) struct Tally<'s> {
    settings: &'s Settings,
    estimate: Estimate,
    sample: Option<Sample>,
    keep_sample: bool,
    /// The first error met; the rest of the run is skipped.
    error: Option<Error>,
    body: String,
}

impl<'s> Tally<'s> {
    pub(crate) fn new(settings: &'s Settings, keep_sample: bool) -> Self {
        Tally {
            settings,
            estimate: Estimate {
                messages: 0,
                segments: 0,
                cost: settings
                    .prices
                    .as_deref()
                    .map(|table| Money::zero(table.currency())),
                unpriced: 0,
            },
            sample: None,
            keep_sample,
            error: None,
            body: String::new(),
        }
    }

    /// Composes the message of `trace` to `contact` and counts it.
    pub(crate) fn add<L: LinkStore + ?Sized>(
        &mut self,
        composer: &mut Composer<'_, L>,
        contact: &Contact,
        trace: TraceId,
        number: Option<E164>,
    ) {
        if self.error.is_some() {
            return;
        }
        self.body.clear();
        if let Err(error) = composer.compose_into(contact, trace, &mut self.body) {
            self.error = Some(error);
            return;
        }
        let count = self.settings.segmenter.count(&self.body).ok();
        let parts = count.as_ref().map_or(1, |count| count.parts);
        self.estimate.messages += 1;
        self.estimate.segments += parts as u64;
        let price = match (self.settings.prices.as_deref(), number) {
            (Some(table), Some(number)) => table.estimate(number.as_str(), parts).ok(),
            _ => None,
        };
        if let Some(total) = self.estimate.cost {
            match price.map(|price| total.checked_add(price)) {
                Some(Ok(total)) => self.estimate.cost = Some(total),
                Some(Err(error)) => self.error = Some(Error::Unpriced(error.to_string())),
                None => self.estimate.unpriced += 1,
            }
        }
        if self.keep_sample
            && self.sample.is_none()
            && let Some(number) = number
        {
            self.sample = Some(Sample {
                contact: contact.id,
                to: number,
                body: self.body.clone(),
                encoding: count.map_or(Encoding::Ucs2, |count| count.encoding),
                parts,
                price,
            });
        }
    }

    /// The estimate and the sample, or the first error met.
    pub(crate) fn finish(self) -> Result<(Estimate, Option<Sample>), Error> {
        match self.error {
            Some(error) => Err(error),
            None => Ok((self.estimate, self.sample)),
        }
    }
}

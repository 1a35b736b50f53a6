//! A dry run of a mailing: the final text of a sample message and what the whole mailing will
//! cost, without creating traces or links or sending anything.

use std::collections::HashMap;

use crate::compose::{Composer, PlaceholderLinks};
use crate::credit::Estimate;
use crate::engine::Engine;
use crate::error::Error;
use crate::exclude::{Decision, Exclusions};
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
        let record = self
            .store
            .mailing(mailing)?
            .ok_or(Error::UnknownMailing(mailing))?;
        let template = Template::parse(&record.body)?;
        let campaign = match record.campaign {
            Some(id) => self.store.campaign(id)?,
            None => None,
        };
        let tracking = crate::compose::tracking(&record, campaign.as_ref());
        let mut placeholders = PlaceholderLinks;
        let mut composer = Composer::new(
            &self.settings,
            &record,
            &template,
            &tracking,
            &mut placeholders,
        )?;
        let prices = self.settings.prices.as_deref();
        let mut preview = Preview {
            sample: None,
            estimate: Estimate {
                messages: 0,
                segments: 0,
                cost: prices.map(|table| Money::zero(table.currency())),
                unpriced: 0,
            },
            excluded: Vec::new(),
        };
        // (contact, trace id standing in, number) of each message that will leave.
        let mut messages = Vec::new();
        if record.state == MailingState::Draft || record.state == MailingState::InQueue {
            let audience = self.audience(&record.audience)?;
            let blacklist = self.store.active_blacklist()?;
            let mut pass = Exclusions::new(&blacklist, &audience.opted_out)
                .with_default_region(self.settings.default_region);
            let mut excluded: HashMap<FailureType, usize> = HashMap::new();
            for contact in audience.contacts {
                match pass.decide(contact.id.0, &contact.phone, contact.country) {
                    Decision::Send { number } => {
                        messages.push((TraceId(contact.id.0), contact, number));
                    }
                    Decision::Cancel { failure_type, .. } => {
                        *excluded.entry(failure_type).or_default() += 1;
                    }
                }
            }
            preview.excluded = excluded.into_iter().collect();
            preview.excluded.sort();
        } else {
            let mut outgoing = Vec::new();
            self.store.traces(mailing, &mut |trace| {
                if trace.status == crate::provider::TraceStatus::Outgoing
                    && let Some(number) = trace.number
                {
                    outgoing.push((trace.id, trace.contact, number));
                }
            })?;
            for (trace, contact, number) in outgoing {
                if let Some(contact) = self.store.contact(contact)? {
                    messages.push((trace, contact, number));
                }
            }
        }
        let mut body = String::new();
        for (trace, contact, number) in messages {
            body.clear();
            composer.compose_into(&contact, trace, &mut body)?;
            let count = self.settings.segmenter.count(&body).ok();
            let parts = count.as_ref().map_or(1, |count| count.parts);
            let price = prices.and_then(|table| table.estimate(number.as_str(), parts).ok());
            preview.estimate.messages += 1;
            preview.estimate.segments += parts as u64;
            match (price, preview.estimate.cost) {
                (Some(price), Some(total)) => {
                    let total = total
                        .checked_add(price)
                        .map_err(|error| Error::Unpriced(error.to_string()))?;
                    preview.estimate.cost = Some(total);
                }
                (None, Some(_)) => preview.estimate.unpriced += 1,
                _ => {}
            }
            if preview.sample.is_none() {
                preview.sample = Some(Sample {
                    contact: contact.id,
                    to: number,
                    body: body.clone(),
                    encoding: count.map_or(Encoding::Ucs2, |count| count.encoding),
                    parts,
                    price,
                });
            }
        }
        Ok(preview)
    }
}

//! Statistics over many traces: a campaign's totals, and counts grouped by day, mailing,
//! campaign, country or failure type, as the reports of an SMS marketing tool show them.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::engine::Engine;
use crate::error::Error;
use crate::model::{Campaign, CampaignId, MailingId, NewCampaign, Trace};
use crate::phone::Region;
use crate::provider::FailureType;
use crate::stats::{Counts, TraceFacts};
use crate::store::Store;

/// Which traces a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// One mailing's.
    Mailing(MailingId),
    /// Those of every mailing of a campaign.
    Campaign(CampaignId),
    /// Every mailing's.
    All,
}

/// How a report groups traces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupBy {
    /// The UTC day the message left (traces never sent form the group `None`).
    Day,
    /// The mailing.
    Mailing,
    /// The mailing's campaign.
    Campaign,
    /// The country of the number sent to (unknown or unreadable numbers: `None`).
    Country,
    /// Why the message was not sent or not delivered (`None`: no failure).
    FailureType,
}

/// One group of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Group {
    /// A UTC day.
    Day(Option<NaiveDate>),
    /// A mailing.
    Mailing(MailingId),
    /// A campaign; `None` for mailings outside campaigns.
    Campaign(Option<CampaignId>),
    /// A country.
    Country(Option<Region>),
    /// A failure type.
    FailureType(Option<FailureType>),
}

impl Group {
    fn of(group_by: GroupBy, trace: &Trace, campaign: Option<CampaignId>) -> Group {
        match group_by {
            GroupBy::Day => Group::Day(trace.sent_at.map(|at| at.date_naive())),
            GroupBy::Mailing => Group::Mailing(trace.mailing),
            GroupBy::Campaign => Group::Campaign(campaign),
            GroupBy::Country => Group::Country(trace.number.and_then(|number| number.region())),
            GroupBy::FailureType => Group::FailureType(trace.failure_type),
        }
    }
}

/// The facts of `trace` that counts need.
pub(crate) fn facts(trace: &Trace) -> TraceFacts {
    TraceFacts {
        status: trace.status,
        sent: trace.sent_at.is_some(),
        clicked: trace.clicked_at.is_some(),
    }
}

impl<S: Store> Engine<S> {
    /// Creates a campaign (its name trimmed, unique).
    ///
    /// # Errors
    /// [`Error::InvalidName`] for an empty name; [`Error::Store`] with a conflict when another
    /// campaign has the name.
    pub fn create_campaign(
        &mut self,
        mut campaign: NewCampaign,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CampaignId, Error> {
        let trimmed = campaign.name.trim();
        if trimmed.is_empty() {
            return Err(Error::InvalidName(campaign.name));
        }
        campaign.name = trimmed.to_owned();
        Ok(self.store.insert_campaign(campaign, now)?)
    }

    /// The campaign with this id.
    ///
    /// # Errors
    /// [`Error::UnknownCampaign`], [`Error::Store`].
    pub fn campaign(&self, id: CampaignId) -> Result<Campaign, Error> {
        self.store.campaign(id)?.ok_or(Error::UnknownCampaign(id))
    }

    /// The counts of every trace of every mailing of `campaign`: its ratios divide by the
    /// campaign's totals.
    ///
    /// # Errors
    /// [`Error::UnknownCampaign`], [`Error::Store`].
    pub fn campaign_counts(&self, campaign: CampaignId) -> Result<Counts, Error> {
        let groups = self.report(Scope::Campaign(campaign), GroupBy::Campaign)?;
        Ok(groups.into_iter().map(|(_, counts)| counts).sum())
    }

    /// The counts of the traces in `scope`, grouped by `group_by`, in group order.
    ///
    /// ```
    /// use smskit::model::{Audience, NewCampaign, NewContact, NewMailing};
    /// use smskit::provider::{SimulatedClock, StubProvider};
    /// use smskit::report::{Group, GroupBy, Scope};
    /// use smskit::{Engine, MemoryStore, Settings};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    /// let spring = engine.create_campaign(NewCampaign::new("Spring"), now)?;
    /// let list = engine.create_list("All", false)?;
    /// for phone in ["+32470000001", "+33612345678", "+33612345678"] {
    ///     let contact = engine.add_contact(NewContact::new("x", phone), now)?;
    ///     engine.subscribe(list, contact, now)?;
    /// }
    /// let mailing = engine.create_mailing(
    ///     NewMailing::new("Sale", "Sale!", Audience::Lists(vec![list])).with_campaign(spring),
    ///     now,
    /// )?;
    /// engine.prepare(mailing)?;
    /// engine.send(mailing, &StubProvider::new(), &SimulatedClock::new(), now)?;
    ///
    /// let by_country = engine.report(Scope::Campaign(spring), GroupBy::Country)?;
    /// let sent: Vec<(Group, u64)> = by_country.iter().map(|(g, c)| (*g, c.sent)).collect();
    /// assert_eq!(sent.len(), 2); // BE: 1 sent; FR: 1 sent, 1 duplicate
    /// assert_eq!(engine.campaign_counts(spring)?.expected, 3);
    /// # Ok::<(), smskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownMailing`], [`Error::UnknownCampaign`], [`Error::Store`].
    pub fn report(&self, scope: Scope, group_by: GroupBy) -> Result<Vec<(Group, Counts)>, Error> {
        let mailings: Vec<(MailingId, Option<CampaignId>)> = match scope {
            Scope::Mailing(id) => {
                let mailing = self.mailing_record(id)?;
                vec![(id, mailing.campaign)]
            }
            Scope::Campaign(id) => {
                self.campaign(id)?;
                self.store
                    .mailings()?
                    .into_iter()
                    .filter(|mailing| mailing.campaign == Some(id))
                    .map(|mailing| (mailing.id, mailing.campaign))
                    .collect()
            }
            Scope::All => self
                .store
                .mailings()?
                .into_iter()
                .map(|mailing| (mailing.id, mailing.campaign))
                .collect(),
        };
        // Few groups, many traces: a hash map per trace, sorted once at the end.
        let mut groups: HashMap<Group, Counts> = HashMap::new();
        for (mailing, campaign) in mailings {
            self.store.traces(mailing, &mut |trace| {
                groups
                    .entry(Group::of(group_by, trace, campaign))
                    .or_default()
                    .add(facts(trace));
            })?;
        }
        let sorted: BTreeMap<Group, Counts> = groups.into_iter().collect();
        Ok(sorted.into_iter().collect())
    }
}

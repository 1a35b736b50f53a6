//! What the pages show, gathered on the engine thread.
//!
//! Each function here runs inside one [`EngineHandle::call`](crate::EngineHandle::call) and
//! returns owned data. A mailing is read in one streaming pass over its traces: counts, chart
//! bins and the requested page of the trace list are built as the traces go by, and only that
//! page (at most [`PAGE_SIZE`] traces) is kept, so memory does not grow with the mailing.
//! Pages that show many mailings ask for each mailing's counts in a call of its own, so other
//! requests (clicks, webhooks) run between them instead of waiting for the whole page.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use smskit::ab::AbResults;
use smskit::model::{
    AbTest, AbTestId, Audience, Campaign, CampaignId, ContactId, Mailing, MailingId, Trace,
};
use smskit::phone::Region;
use smskit::provider::{FailureType, TraceStatus};
use smskit::stats::{Counts, TraceFacts};
use smskit::{Engine, Error, Store};

/// Traces shown per page of a mailing's trace list.
pub(crate) const PAGE_SIZE: usize = 50;

/// Longest number search kept (a phone number is at most 15 digits and a `+`; the rest is
/// slack for spaces).
pub(crate) const MAX_SEARCH_CHARS: usize = 32;

/// The facts statistics need of a trace (as the facade's reports read them).
fn facts(trace: &Trace) -> TraceFacts {
    TraceFacts {
        status: trace.status,
        sent: trace.sent_at.is_some(),
        clicked: trace.clicked_at.is_some(),
    }
}

/// Every campaign, mailing and A/B test, without counts (see the module docs).
#[derive(Debug)]
pub(crate) struct Overview {
    pub(crate) campaigns: Vec<Campaign>,
    pub(crate) mailings: Vec<Mailing>,
    pub(crate) ab_tests: Vec<AbTest>,
}

pub(crate) fn overview<S: Store>(engine: &Engine<S>) -> Result<Overview, Error> {
    let store = engine.store();
    Ok(Overview {
        campaigns: store.campaigns()?,
        mailings: store.mailings()?,
        ab_tests: store.ab_tests()?,
    })
}

/// A campaign with its mailings and A/B tests, without counts.
#[derive(Debug)]
pub(crate) struct CampaignOverview {
    pub(crate) campaign: Campaign,
    pub(crate) mailings: Vec<Mailing>,
    pub(crate) ab_tests: Vec<AbTest>,
}

pub(crate) fn campaign<S: Store>(
    engine: &Engine<S>,
    id: CampaignId,
) -> Result<CampaignOverview, Error> {
    let campaign = engine.campaign(id)?;
    let store = engine.store();
    let mut mailings = store.mailings()?;
    mailings.retain(|mailing| mailing.campaign == Some(id));
    let mut ab_tests = store.ab_tests()?;
    ab_tests.retain(|test| test.campaign == id);
    Ok(CampaignOverview {
        campaign,
        mailings,
        ab_tests,
    })
}

/// An A/B test's results with its versions' mailings and its campaign.
#[derive(Debug)]
pub(crate) struct AbView {
    pub(crate) results: AbResults,
    pub(crate) campaign: Campaign,
    /// The version mailings, in version order.
    pub(crate) versions: Vec<Mailing>,
    pub(crate) final_mailing: Option<Mailing>,
}

pub(crate) fn ab_test<S: Store>(engine: &Engine<S>, id: AbTestId) -> Result<AbView, Error> {
    let results = engine.ab_results(id)?;
    let campaign = engine.campaign(results.test.campaign)?;
    let store = engine.store();
    let mut versions = Vec::with_capacity(results.test.versions.len());
    for &version in &results.test.versions {
        versions.push(
            store
                .mailing(version)?
                .ok_or(Error::UnknownMailing(version))?,
        );
    }
    let final_mailing = match results.test.final_mailing {
        Some(id) => store.mailing(id)?,
        None => None,
    };
    Ok(AbView {
        results,
        campaign,
        versions,
        final_mailing,
    })
}

/// Which traces of a mailing the trace list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct TraceFilter {
    /// Only traces in this status.
    pub(crate) status: Option<TraceStatus>,
    /// Only traces that failed this way.
    pub(crate) failure: Option<FailureType>,
    /// Only numbers containing this text (spaces and punctuation ignored).
    pub(crate) number: Option<String>,
    /// The page, from 1.
    pub(crate) page: u64,
}

impl TraceFilter {
    /// Whether `trace` passes the filter.
    fn matches(&self, trace: &Trace) -> bool {
        if self.status.is_some_and(|status| trace.status != status) {
            return false;
        }
        if self
            .failure
            .is_some_and(|failure| trace.failure_type != Some(failure))
        {
            return false;
        }
        match &self.number {
            None => true,
            Some(needle) => {
                trace
                    .number
                    .is_some_and(|number| number.as_str().contains(needle.as_str()))
                    || trace
                        .raw_number
                        .as_ref()
                        .is_some_and(|raw| compact(raw).contains(needle.as_str()))
            }
        }
    }
}

/// A number search as the numbers are kept: without spaces, dots, dashes or brackets, at most
/// [`MAX_SEARCH_CHARS`] characters; `None` when nothing is left.
pub(crate) fn number_search(text: &str) -> Option<String> {
    let needle: String = compact(text).chars().take(MAX_SEARCH_CHARS).collect();
    (!needle.is_empty()).then_some(needle)
}

fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '(' | ')' | '/'))
        .collect()
}

/// The widths of the chart's time bins, each a multiple of the one before so that bins merge
/// exactly: an hour, a day, a week, four weeks, 52 weeks.
const BIN_WIDTHS: [(i64, &str); 5] = [
    (3_600, "hour"),
    (86_400, "day"),
    (604_800, "week"),
    (2_419_200, "4 weeks"),
    (31_449_600, "52 weeks"),
];

/// Most bins kept while reading: past it the bins merge into the next width, so a mailing
/// whose times spread over years cannot make the map grow with its traces.
const MAX_BINS_KEPT: usize = 4_096;

/// Most bins a chart shows: the narrowest width that fits them is chosen.
pub(crate) const MAX_BINS_SHOWN: i64 = 48;

/// Counts of sent, delivered and clicked messages per time bin.
#[derive(Debug, Default)]
struct Bins {
    width: usize,
    /// Bin start / width → [sent, delivered (by send time), clicked (by first click)].
    bins: BTreeMap<i64, [u64; 3]>,
}

impl Bins {
    fn add(&mut self, at: DateTime<Utc>, series: usize) {
        let width = BIN_WIDTHS[self.width].0;
        self.bins
            .entry(at.timestamp().div_euclid(width))
            .or_default()[series] += 1;
        if self.bins.len() > MAX_BINS_KEPT && self.width + 1 < BIN_WIDTHS.len() {
            self.merge_into(self.width + 1);
        }
    }

    fn merge_into(&mut self, to: usize) {
        let (from_width, to_width) = (BIN_WIDTHS[self.width].0, BIN_WIDTHS[to].0);
        let mut merged: BTreeMap<i64, [u64; 3]> = BTreeMap::new();
        for (key, counts) in std::mem::take(&mut self.bins) {
            let bin = merged
                .entry((key * from_width).div_euclid(to_width))
                .or_default();
            for (total, count) in bin.iter_mut().zip(counts) {
                *total += count;
            }
        }
        self.bins = merged;
        self.width = to;
    }

    /// The bins as a chart shows them: the narrowest width that needs at most
    /// [`MAX_BINS_SHOWN`] bins, every bin between the first and the last (empty ones too).
    fn finish(mut self) -> Timeline {
        let (Some(&first), Some(&last)) = (self.bins.keys().next(), self.bins.keys().next_back())
        else {
            return Timeline::default();
        };
        let span = (last - first) * BIN_WIDTHS[self.width].0;
        // + 2: a span of n widths may touch n + 1 bins, n + 2 when it is not aligned.
        if let Some(fits) = (self.width..BIN_WIDTHS.len())
            .find(|&width| span / BIN_WIDTHS[width].0 + 2 <= MAX_BINS_SHOWN)
            && fits != self.width
        {
            self.merge_into(fits);
        }
        let (width, unit) = BIN_WIDTHS[self.width];
        let (Some(&first), Some(&last)) = (self.bins.keys().next(), self.bins.keys().next_back())
        else {
            return Timeline::default();
        };
        // Times spread over centuries fit no width: the most recent bins are shown.
        let first = first.max(last - (MAX_BINS_SHOWN - 1));
        let format = if width < 86_400 {
            "%m-%d %H:00"
        } else {
            "%Y-%m-%d"
        };
        let mut timeline = Timeline {
            unit,
            ..Timeline::default()
        };
        for key in first..=last {
            let counts = self.bins.get(&key).copied().unwrap_or_default();
            let label = DateTime::from_timestamp(key * width, 0)
                .map_or_else(String::new, |start| start.format(format).to_string());
            timeline.labels.push(label);
            timeline.sent.push(counts[0]);
            timeline.delivered.push(counts[1]);
            timeline.clicked.push(counts[2]);
        }
        timeline
    }
}

/// Sent, delivered and clicked messages over time, one value per bin.
#[derive(Debug, Default)]
pub(crate) struct Timeline {
    /// The width of a bin (`hour`, `day`, ...).
    pub(crate) unit: &'static str,
    /// The start of each bin.
    pub(crate) labels: Vec<String>,
    pub(crate) sent: Vec<u64>,
    /// Delivered messages, by the time they were sent.
    pub(crate) delivered: Vec<u64>,
    /// First clicks, by the time of the click.
    pub(crate) clicked: Vec<u64>,
}

/// One row of the trace list: the trace and its contact's name.
#[derive(Debug)]
pub(crate) struct TraceRow {
    pub(crate) trace: Trace,
    /// `None` when the contact is gone.
    pub(crate) contact: Option<String>,
}

/// Everything a mailing's page shows.
#[derive(Debug)]
pub(crate) struct MailingView {
    pub(crate) mailing: Mailing,
    /// The names of the lists a mailing to lists goes to.
    pub(crate) lists: Vec<String>,
    pub(crate) campaign: Option<Campaign>,
    pub(crate) counts: Counts,
    pub(crate) timeline: Timeline,
    /// Traces per failure type, most first.
    pub(crate) failures: Vec<(FailureType, u64)>,
    /// Counts per country of the number (`None`: no readable number), most sent first.
    pub(crate) countries: Vec<(Option<Region>, Counts)>,
    /// The requested page of the filtered trace list.
    pub(crate) traces: Vec<TraceRow>,
    /// How many traces pass the filter.
    pub(crate) matching: u64,
}

pub(crate) fn mailing<S: Store>(
    engine: &Engine<S>,
    id: MailingId,
    filter: &TraceFilter,
) -> Result<MailingView, Error> {
    let store = engine.store();
    let mailing = store.mailing(id)?.ok_or(Error::UnknownMailing(id))?;
    let campaign = match mailing.campaign {
        Some(campaign) => store.campaign(campaign)?,
        None => None,
    };
    let lists = match &mailing.audience {
        Audience::Lists(ids) => store
            .lists()?
            .into_iter()
            .filter(|list| ids.contains(&list.id))
            .map(|list| list.name)
            .collect(),
        _ => Vec::new(),
    };
    let mut counts = Counts::default();
    let mut bins = Bins::default();
    let mut failures: HashMap<FailureType, u64> = HashMap::new();
    let mut countries: HashMap<Option<Region>, Counts> = HashMap::new();
    let skip = filter
        .page
        .saturating_sub(1)
        .saturating_mul(PAGE_SIZE as u64);
    let mut page: Vec<Trace> = Vec::with_capacity(PAGE_SIZE);
    let mut matching = 0_u64;
    store.traces(id, &mut |trace| {
        let facts = facts(trace);
        counts.add(facts);
        countries
            .entry(trace.number.and_then(|number| number.region()))
            .or_default()
            .add(facts);
        if let Some(failure) = trace.failure_type {
            *failures.entry(failure).or_default() += 1;
        }
        if let Some(sent_at) = trace.sent_at {
            bins.add(sent_at, 0);
            if matches!(
                trace.status,
                TraceStatus::Sent | TraceStatus::Open | TraceStatus::Reply
            ) {
                bins.add(sent_at, 1);
            }
        }
        if let Some(clicked_at) = trace.clicked_at {
            bins.add(clicked_at, 2);
        }
        if filter.matches(trace) {
            if matching >= skip && page.len() < PAGE_SIZE {
                page.push(trace.clone());
            }
            matching += 1;
        }
    })?;
    // The page's contact names, in one read.
    let ids: Vec<ContactId> = {
        let mut ids: Vec<ContactId> = page.iter().map(|trace| trace.contact).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let mut names: HashMap<ContactId, String> = HashMap::with_capacity(ids.len());
    store.contacts_by_id(&ids, &mut |contact| {
        names.insert(contact.id, contact.name);
    })?;
    let traces = page
        .into_iter()
        .map(|trace| TraceRow {
            contact: names.get(&trace.contact).cloned(),
            trace,
        })
        .collect();
    let mut failures: Vec<(FailureType, u64)> = failures.into_iter().collect();
    failures.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut countries: Vec<(Option<Region>, Counts)> = countries.into_iter().collect();
    countries.sort_by(|a, b| {
        (b.1.sent, b.1.expected)
            .cmp(&(a.1.sent, a.1.expected))
            .then(a.0.cmp(&b.0))
    });
    Ok(MailingView {
        mailing,
        lists,
        campaign,
        counts,
        timeline: bins.finish(),
        failures,
        countries,
        traces,
        matching,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the times (within twenty years), a chart has at most MAX_BINS_SHOWN bins
        /// and every message is in one of them.
        #[test]
        fn every_message_lands_in_a_shown_bin(
            times in proptest::collection::vec((1_450_000_000_i64..2_080_000_000, 0_usize..3), 1..300),
        ) {
            let mut bins = Bins::default();
            for &(seconds, series) in &times {
                bins.add(at(seconds), series);
            }
            let timeline = bins.finish();
            prop_assert!(!timeline.labels.is_empty());
            prop_assert!(timeline.labels.len() as i64 <= MAX_BINS_SHOWN);
            prop_assert_eq!(timeline.sent.len(), timeline.labels.len());
            let total: u64 = timeline.sent.iter().chain(&timeline.delivered).chain(&timeline.clicked).sum();
            prop_assert_eq!(total, times.len() as u64);
            for series in 0..3 {
                let expected = times.iter().filter(|(_, s)| *s == series).count() as u64;
                let line = [&timeline.sent, &timeline.delivered, &timeline.clicked][series];
                prop_assert_eq!(line.iter().sum::<u64>(), expected);
            }
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn bins_fill_the_gaps_between_the_first_and_the_last() {
        let mut bins = Bins::default();
        let start = 1_767_225_600; // 2026-01-01 00:00 UTC
        bins.add(at(start + 10), 0);
        bins.add(at(start + 20), 0);
        bins.add(at(start + 30), 1);
        bins.add(at(start + 3 * 3_600 + 5), 2);
        let timeline = bins.finish();
        assert_eq!(timeline.unit, "hour");
        assert_eq!(timeline.labels.len(), 4);
        assert_eq!(timeline.labels[0], "01-01 00:00");
        assert_eq!(timeline.labels[3], "01-01 03:00");
        assert_eq!(timeline.sent, [2, 0, 0, 0]);
        assert_eq!(timeline.delivered, [1, 0, 0, 0]);
        assert_eq!(timeline.clicked, [0, 0, 0, 1]);
    }

    #[test]
    fn long_spans_are_shown_in_wider_bins() {
        let mut bins = Bins::default();
        let start = 1_767_225_600;
        bins.add(at(start), 0);
        bins.add(at(start + 10 * 86_400 + 1), 0);
        let timeline = bins.finish();
        assert_eq!(timeline.unit, "day");
        assert_eq!(timeline.labels.len(), 11);
        assert_eq!(timeline.labels[0], "2026-01-01");
        assert_eq!(timeline.sent.iter().sum::<u64>(), 2);
    }

    #[test]
    fn bins_kept_stay_bounded_whatever_the_times() {
        let mut bins = Bins::default();
        // One message an hour for three years: 26,280 distinct hours.
        for hour in 0..26_280 {
            bins.add(at(1_700_000_000 + hour * 3_600), 0);
            assert!(bins.bins.len() <= MAX_BINS_KEPT);
        }
        let timeline = bins.finish();
        assert!(timeline.labels.len() as i64 <= MAX_BINS_SHOWN);
        assert_eq!(timeline.sent.iter().sum::<u64>(), 26_280);
        assert_eq!(timeline.unit, "4 weeks");
    }

    #[test]
    fn centuries_apart_show_the_most_recent_bins() {
        let mut bins = Bins::default();
        bins.add(at(-50_000_000_000), 0); // about 1,600 years before 1970
        bins.add(at(1_767_225_600), 0);
        let timeline = bins.finish();
        assert_eq!(timeline.labels.len() as i64, MAX_BINS_SHOWN);
        assert_eq!(timeline.sent.iter().sum::<u64>(), 1);
    }

    #[test]
    fn no_time_gives_an_empty_timeline() {
        let timeline = Bins::default().finish();
        assert!(timeline.labels.is_empty());
    }

    #[test]
    fn number_searches_ignore_punctuation_and_are_bounded() {
        assert_eq!(
            number_search(" +32 (470) 12-34.56 ").as_deref(),
            Some("+32470123456")
        );
        assert_eq!(number_search(" - "), None);
        assert_eq!(
            number_search(&"9".repeat(100)).unwrap().len(),
            MAX_SEARCH_CHARS
        );
    }
}

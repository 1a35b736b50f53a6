//! A/B tests: versions of a mailing, each sent to a deterministic sample of the audience, the
//! winner chosen by clicks, by the application's metric or by hand, then sent to the rest.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::abtest::{
    Alpha, MetricValue, Proportion, RateComparison, SamplePlan, Seed, Selection, TestShare,
    VersionOutcome, compare_rates, probability_best, select_winner,
};
use crate::engine::{Engine, Prepared, ResolvedAudience};
use crate::error::Error;
use crate::model::{
    AbTest, AbTestId, Audience, CampaignId, ContactId, MailingId, MailingState, NewMailing,
    WinnerRule,
};
use crate::stats::Counts;
use crate::store::Store;

/// An A/B test to create: its campaign, its audience, its versions (name and template each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAbTest {
    /// The campaign the test lives in.
    pub campaign: CampaignId,
    /// Who the test (and its final mailing) is for.
    pub audience: Audience,
    /// The versions: a name and a message template each (at least two).
    pub versions: Vec<(String, String)>,
    /// The percentage of the whole audience each version goes to (1 to 100; default 10).
    pub share: u8,
    /// The seed of the samples.
    pub seed: u64,
    /// How the winner is chosen (default: clicks ratio).
    pub rule: WinnerRule,
    /// When the winner is chosen and sent to the rest (default: one day after creation).
    pub final_at: Option<DateTime<Utc>>,
    /// Append the opt-out line to every message.
    pub include_opt_out_link: bool,
}

impl NewAbTest {
    /// A test in `campaign` of `audience`, versions added with [`NewAbTest::with_version`].
    #[must_use]
    pub fn new(campaign: CampaignId, audience: Audience, seed: u64) -> Self {
        NewAbTest {
            campaign,
            audience,
            versions: Vec::new(),
            share: 10,
            seed,
            rule: WinnerRule::default(),
            final_at: None,
            include_opt_out_link: false,
        }
    }

    /// Adds a version.
    #[must_use]
    pub fn with_version(mut self, name: impl Into<String>, body: impl Into<String>) -> Self {
        self.versions.push((name.into(), body.into()));
        self
    }

    /// Sends each version to `pc` percent of the audience.
    #[must_use]
    pub fn with_share(mut self, pc: u8) -> Self {
        self.share = pc;
        self
    }

    /// Chooses the winner by `rule`.
    #[must_use]
    pub fn with_rule(mut self, rule: WinnerRule) -> Self {
        self.rule = rule;
        self
    }

    /// Chooses the winner and sends it at `at`.
    #[must_use]
    pub fn with_final_at(mut self, at: DateTime<Utc>) -> Self {
        self.final_at = Some(at);
        self
    }

    /// Appends the opt-out line to every message of the test.
    #[must_use]
    pub fn with_opt_out_link(mut self) -> Self {
        self.include_opt_out_link = true;
        self
    }
}

/// One version's figures.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VersionResult {
    /// The version's mailing.
    pub mailing: MailingId,
    /// Its counts (ratios with [`Counts::ratios`]).
    pub counts: Counts,
    /// Whether it finished sending (only finished versions compete).
    pub finished: bool,
    /// The Bayesian probability that its clicks ratio is the best.
    pub probability_best: f64,
}

/// An A/B test's figures: each version's, and whether the clicks leader's lead is significant.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AbResults {
    /// The test.
    pub test: AbTest,
    /// Each version, in order.
    pub versions: Vec<VersionResult>,
    /// The two-proportion z-test of the clicks ratios of the leader and the runner-up at 5%
    /// (`None` before any message left).
    pub clicks: Option<RateComparison>,
}

/// How to choose a winner now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Choice {
    /// By the test's rule: its clicks ratio, or for a metric rule these values, one per version.
    ByRule(Vec<MetricValue>),
    /// This version, by hand.
    Manual(MailingId),
}

impl<S: Store> Engine<S> {
    /// Creates an A/B test and its version mailings (drafts in the campaign; templates checked
    /// like any mailing's). Preparing any version draws the samples of all of them.
    ///
    /// # Errors
    /// [`Error::AbTest`] for fewer than two versions or a share outside 1..=100;
    /// [`Error::UnknownCampaign`]; the errors of [`Engine::create_mailing`].
    pub fn create_ab_test(
        &mut self,
        test: NewAbTest,
        now: DateTime<Utc>,
    ) -> Result<AbTestId, Error> {
        if test.versions.len() < 2 {
            return Err(crate::abtest::Error::TooFewVersions {
                versions: test.versions.len(),
            }
            .into());
        }
        TestShare::new(u32::from(test.share))?;
        self.campaign(test.campaign)?;
        let id = self.store.insert_ab_test(AbTest {
            id: AbTestId(0),
            campaign: test.campaign,
            versions: Vec::new(),
            share: test.share,
            seed: test.seed,
            rule: test.rule,
            final_at: test.final_at.unwrap_or(now + chrono::TimeDelta::days(1)),
            winner: None,
            final_mailing: None,
            created_at: now,
        })?;
        let mut versions = Vec::with_capacity(test.versions.len());
        for (name, body) in test.versions {
            let mut mailing =
                NewMailing::new(name, body, test.audience.clone()).with_campaign(test.campaign);
            mailing.include_opt_out_link = test.include_opt_out_link;
            mailing.ab_test = Some(id);
            versions.push(self.create_mailing(mailing, now)?);
        }
        let mut stored = self.ab_test(id)?;
        stored.versions = versions;
        self.store.update_ab_test(&stored)?;
        Ok(id)
    }

    /// The A/B test with this id.
    ///
    /// # Errors
    /// [`Error::UnknownAbTest`], [`Error::Store`].
    pub fn ab_test(&self, id: AbTestId) -> Result<AbTest, Error> {
        self.store.ab_test(id)?.ok_or(Error::UnknownAbTest(id))
    }

    /// Every version's counts, whether it finished, its probability to be best, and the
    /// significance of the clicks leader's lead.
    ///
    /// # Errors
    /// [`Error::UnknownAbTest`], [`Error::Store`].
    pub fn ab_results(&self, id: AbTestId) -> Result<AbResults, Error> {
        let test = self.ab_test(id)?;
        let mut versions = Vec::with_capacity(test.versions.len());
        let mut rates = Vec::with_capacity(test.versions.len());
        for &mailing in &test.versions {
            let counts = self.counts(mailing)?;
            let state = self.mailing_record(mailing)?.state;
            rates.push(Proportion::new(
                counts.clicked,
                counts.sent.max(counts.clicked),
            )?);
            versions.push(VersionResult {
                mailing,
                counts,
                finished: state == MailingState::Sent,
                probability_best: 0.0,
            });
        }
        if let Ok(best) = probability_best(&rates) {
            for (version, probability) in versions.iter_mut().zip(best) {
                version.probability_best = probability;
            }
        }
        let any_sent = versions.iter().any(|version| version.counts.sent > 0);
        let clicks = if any_sent {
            compare_rates(&rates, Alpha::FIVE_PERCENT).ok()
        } else {
            None
        };
        Ok(AbResults {
            test,
            versions,
            clicks,
        })
    }

    /// Chooses the winner (only versions that finished sending compete) and creates the final
    /// mailing: a copy of the winner to everyone in the audience no version reached, queued
    /// to be sent now. Returns the final mailing.
    ///
    /// # Errors
    /// [`Error::AbTest`] when no version finished, when the metric values do not match the
    /// versions, or when a winner was chosen already; [`Error::UnknownAbTest`];
    /// [`Error::Store`].
    pub fn choose_winner(
        &mut self,
        id: AbTestId,
        choice: Choice,
        now: DateTime<Utc>,
    ) -> Result<MailingId, Error> {
        let mut test = self.ab_test(id)?;
        if let Some(done) = test.final_mailing {
            return Err(Error::WrongState {
                mailing: done,
                state: self.mailing_record(done)?.state,
                action: "choose the winner again (the final mailing exists)",
            });
        }
        let results = self.ab_results(id)?;
        let mut outcomes: Vec<VersionOutcome> = results
            .versions
            .iter()
            .map(|version| {
                if version.finished {
                    VersionOutcome::finished(version.counts.sent, version.counts.clicked)
                } else {
                    VersionOutcome::in_progress(version.counts.sent, version.counts.clicked)
                }
            })
            .collect();
        let selection = match (&choice, test.rule) {
            (Choice::Manual(mailing), _) => {
                let index = test
                    .versions
                    .iter()
                    .position(|version| version == mailing)
                    .ok_or(Error::UnknownMailing(*mailing))?;
                Selection::Manual(index)
            }
            (Choice::ByRule(values), WinnerRule::Metric(goal)) => {
                if values.len() != outcomes.len() {
                    return Err(Error::MetricValues {
                        versions: outcomes.len(),
                        values: values.len(),
                    });
                }
                for (outcome, value) in outcomes.iter_mut().zip(values) {
                    *outcome = outcome.with_metric(*value);
                }
                Selection::Metric(goal)
            }
            (Choice::ByRule(_), _) => Selection::ClicksRatio,
        };
        let winner = select_winner(&outcomes, selection)?;
        let winner = *test
            .versions
            .get(winner.version)
            .ok_or(Error::UnknownAbTest(id))?;
        let template = self.mailing_record(winner)?;
        let mut final_mailing = NewMailing::new(
            format!("{} (final)", template.name),
            template.body.clone(),
            template.audience.clone(),
        )
        .with_campaign(test.campaign);
        final_mailing.include_opt_out_link = template.include_opt_out_link;
        final_mailing.ab_test = Some(id);
        let final_id = self.create_mailing(final_mailing, now)?;
        test.winner = Some(winner);
        test.final_mailing = Some(final_id);
        self.store.update_ab_test(&test)?;
        self.send_now(final_id)?;
        Ok(final_id)
    }

    /// Draws the samples of every version of `test` and prepares each version's traces from
    /// its sample (once: a test whose versions have traces is left as it is). Returns what was
    /// prepared for `mailing`.
    pub(crate) fn prepare_versions(
        &mut self,
        test: &AbTest,
        mailing: MailingId,
        audience: &ResolvedAudience,
    ) -> Result<Prepared, Error> {
        let mut started = false;
        for &version in &test.versions {
            self.store.traces(version, &mut |_| started = true)?;
        }
        if started {
            return Ok(Prepared::default());
        }
        let mut ids: Vec<i64> = Vec::new();
        self.visit_audience(audience, &mut |contact| ids.push(contact.id.0))?;
        let plan = SamplePlan::new(Seed::new(test.seed), test.versions.len())?
            .with_share(TestShare::new(u32::from(test.share))?);
        let assignment = plan.assign(&ids, std::iter::empty::<i64>());
        let mut asked = Prepared::default();
        let none = HashSet::new();
        for (&version, sample) in test.versions.iter().zip(assignment.samples) {
            let only: HashSet<ContactId> = sample.into_iter().map(ContactId).collect();
            let prepared =
                self.prepare_traces(version, audience, &none, Vec::new(), Some(&only))?;
            self.store
                .set_mailing_state(version, MailingState::Sending, None)?;
            if version == mailing {
                asked = prepared;
            }
        }
        Ok(asked)
    }

    /// Chooses the winners of the tests whose time has come (by clicks ratio; a test with a
    /// metric or manual rule waits for [`Engine::choose_winner`]); returns the final mailings
    /// created.
    pub(crate) fn choose_due_winners(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<Vec<MailingId>, Error> {
        let mut created = Vec::new();
        for test in self.store.ab_tests()? {
            if test.final_mailing.is_none()
                && test.final_at <= now
                && test.rule == WinnerRule::ClicksRatio
            {
                match self.choose_winner(test.id, Choice::ByRule(Vec::new()), now) {
                    Ok(mailing) => created.push(mailing),
                    // No version finished yet: try again at the next run.
                    Err(Error::AbTest(_)) => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Ok(created)
    }
}

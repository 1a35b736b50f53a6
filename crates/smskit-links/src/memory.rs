//! The in-memory [`LinkStore`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_core::Rng;

use crate::store::{Attribution, ClickScope, ClickStats, RecordedClick};
use crate::{Click, Code, Error, Link, LinkRequest, LinkStore, TraceId, allocate_code};

/// A [`LinkStore`] in memory, drawing codes from an injected random generator.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_links::{Click, ClickScope, LinkRequest, LinkStore, MemoryLinkStore, TraceId, Tracking};
/// // Any `rand_core::Rng` works (`MemoryLinkStore::new(rng)`); a seeded `StdRng` here.
/// let mut store = MemoryLinkStore::seeded(1);
/// let tracking = Tracking::new().with_campaign("spring").with_mailing("m1");
/// let link = store.get_or_create(&LinkRequest::new("https://shop.example/", &tracking)?)?;
/// assert_eq!(link.code().as_str().len(), 3);
///
/// let at = Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap();
/// let recorded = store.record_click(Click::new(link.code().clone(), at).with_trace(TraceId::new("t1")?))?;
/// assert!(recorded.attribution.unwrap().first_click);
/// assert_eq!(store.click_stats(&ClickScope::Campaign("spring".into()))?.clicks, 1);
/// # Ok::<(), smskit_links::Error>(())
/// ```
pub struct MemoryLinkStore<R> {
    rng: R,
    links: Vec<Link>,
    by_code: HashMap<Code, usize>,
    /// Links by redirect target (several links can share one: same target, other mailing).
    by_target: HashMap<String, Vec<usize>>,
    clicks: Vec<Click>,
    /// Traces with at least one click, on any link.
    clicked_traces: HashSet<TraceId>,
}

impl<R: Rng> MemoryLinkStore<R> {
    /// An empty store drawing codes from `rng`.
    pub fn new(rng: R) -> Self {
        Self {
            rng,
            links: Vec::new(),
            by_code: HashMap::new(),
            by_target: HashMap::new(),
            clicks: Vec::new(),
            clicked_traces: HashSet::new(),
        }
    }
}

impl MemoryLinkStore<StdRng> {
    /// An empty store drawing codes from [`StdRng`] seeded with `seed`: the same seed gives the
    /// same codes (with the same version of `rand`), which is what tests, examples and a CLI
    /// `--seed` want. Production code seeds from the operating system instead, e.g.
    /// `MemoryLinkStore::new(rand::make_rng::<StdRng>())`.
    ///
    /// ```
    /// use smskit_links::{LinkRequest, LinkStore, MemoryLinkStore, Tracking};
    /// let request = LinkRequest::new("https://shop.example/", &Tracking::new())?;
    /// let a = MemoryLinkStore::seeded(7).get_or_create(&request)?;
    /// let b = MemoryLinkStore::seeded(7).get_or_create(&request)?;
    /// assert_eq!(a.code(), b.code());
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    pub fn seeded(seed: u64) -> Self {
        Self::new(StdRng::seed_from_u64(seed))
    }
}

impl<R> MemoryLinkStore<R> {
    /// Every link, in creation order.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Every click, in recording order.
    pub fn clicks(&self) -> &[Click] {
        &self.clicks
    }

    /// Number of links.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// Whether the store holds no link.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    fn in_scope(&self, click: &Click, scope: &ClickScope) -> bool {
        let link = || {
            self.by_code
                .get(click.code())
                .and_then(|&i| self.links.get(i))
        };
        match scope {
            ClickScope::All => true,
            ClickScope::Link(code) => click.code() == code,
            ClickScope::Mailing(mailing) => {
                link().is_some_and(|l| l.mailing() == Some(mailing.as_str()))
            }
            ClickScope::Campaign(campaign) => {
                link().is_some_and(|l| l.campaign() == Some(campaign.as_str()))
            }
        }
    }
}

impl<R> fmt::Debug for MemoryLinkStore<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryLinkStore")
            .field("links", &self.links.len())
            .field("clicks", &self.clicks.len())
            .finish_non_exhaustive()
    }
}

impl<R: Rng> LinkStore for MemoryLinkStore<R> {
    fn get_or_create(&mut self, request: &LinkRequest) -> Result<Link, Error> {
        if let Some(indexes) = self.by_target.get(request.target()) {
            for &index in indexes {
                if let Some(link) = self.links.get(index).filter(|l| request.matches(l)) {
                    return Ok(link.clone());
                }
            }
        }
        let by_code = &self.by_code;
        let code = allocate_code(&mut self.rng, |code| Ok(by_code.contains_key(code)))?;
        let index = self.links.len();
        let link = request.clone().into_link(code.clone());
        self.by_code.insert(code, index);
        self.by_target
            .entry(request.target().to_owned())
            .or_default()
            .push(index);
        self.links.push(link.clone());
        Ok(link)
    }

    fn link(&self, code: &Code) -> Result<Option<Link>, Error> {
        Ok(self
            .by_code
            .get(code)
            .and_then(|&i| self.links.get(i))
            .cloned())
    }

    fn record_click(&mut self, click: Click) -> Result<RecordedClick, Error> {
        let link = self.link(click.code())?.ok_or_else(|| Error::UnknownLink {
            code: click.code().to_string(),
        })?;
        let attribution = click.trace().map(|trace| Attribution {
            trace: trace.clone(),
            opened_at: click.at(),
            first_click: self.clicked_traces.insert(trace.clone()),
            mailing: link.mailing().map(str::to_owned),
            campaign: link.campaign().map(str::to_owned),
        });
        self.clicks.push(click);
        Ok(RecordedClick { link, attribution })
    }

    fn click_stats(&self, scope: &ClickScope) -> Result<ClickStats, Error> {
        let mut stats = ClickStats::default();
        let mut traces: HashSet<&TraceId> = HashSet::new();
        for click in self.clicks.iter().filter(|c| self.in_scope(c, scope)) {
            stats.clicks += 1;
            if let Some(trace) = click.trace() {
                traces.insert(trace);
            }
            widen(&mut stats, click);
        }
        stats.clicked_traces = traces.len() as u64;
        Ok(stats)
    }
}

fn widen(stats: &mut ClickStats, click: &Click) {
    let at = click.at();
    stats.first_click = Some(stats.first_click.map_or(at, |t| t.min(at)));
    stats.last_click = Some(stats.last_click.map_or(at, |t| t.max(at)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tracking;
    use chrono::{TimeZone, Utc};

    fn request(url: &str, tracking: &Tracking) -> LinkRequest {
        LinkRequest::new(url, tracking).unwrap()
    }

    #[test]
    fn same_target_and_utm_reuse_the_link() {
        let mut store = MemoryLinkStore::seeded(1);
        let t = Tracking::new().with_campaign("c");
        let a = store
            .get_or_create(&request("https://x.com/a", &t))
            .unwrap();
        let b = store
            .get_or_create(&request("HTTPS://X.COM/a", &t))
            .unwrap();
        assert_eq!(a, b);
        let c = store
            .get_or_create(&request(
                "https://x.com/a",
                &Tracking::new().with_campaign("d"),
            ))
            .unwrap();
        assert_ne!(a.code(), c.code());
        let d = store
            .get_or_create(&request("https://x.com/a", &t.clone().with_mailing("m")))
            .unwrap();
        assert_ne!(a.code(), d.code());
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn url_with_utm_already_in_it_is_a_different_link_with_the_same_target() {
        let mut store = MemoryLinkStore::seeded(1);
        let a = store
            .get_or_create(&request("https://x.com/?utm_campaign=c", &Tracking::new()))
            .unwrap();
        let b = store
            .get_or_create(&request(
                "https://x.com/",
                &Tracking::new().with_campaign("c"),
            ))
            .unwrap();
        assert_eq!(a.target(), b.target());
        assert_ne!(a.code(), b.code());
        assert_eq!(b.campaign(), Some("c"));
    }

    #[test]
    fn codes_are_unique_and_grow_on_collision() {
        // A generator that repeats itself forces collisions.
        let mut store = MemoryLinkStore::new(Repeat(StdRng::seed_from_u64(5)));
        let mut codes = HashSet::new();
        for i in 0..200 {
            let link = store
                .get_or_create(&request(&format!("https://x.com/{i}"), &Tracking::new()))
                .unwrap();
            assert!(codes.insert(link.code().clone()));
        }
        assert!(codes.iter().any(|c| c.as_str().len() > 3));
        assert!(codes.iter().all(|c| c.as_str().len() >= 3));
    }

    /// Draws only 4 of the 62 characters, so 3-character codes run out quickly.
    struct Repeat(StdRng);
    impl rand_core::TryRng for Repeat {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(self.0.next_u32() & 0xC000_0000)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(self.0.next_u64())
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            self.0.fill_bytes(dst);
            Ok(())
        }
    }

    #[test]
    fn clicks_statistics_and_attribution() {
        let mut store = MemoryLinkStore::seeded(3);
        let spring = Tracking::new().with_campaign("spring");
        let a = store
            .get_or_create(&request(
                "https://x.com/a",
                &spring.clone().with_mailing("m1"),
            ))
            .unwrap();
        let b = store
            .get_or_create(&request(
                "https://x.com/b",
                &spring.clone().with_mailing("m2"),
            ))
            .unwrap();
        let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let t1 = Utc.with_ymd_and_hms(2025, 1, 2, 0, 0, 0).unwrap();
        let trace = |s: &str| TraceId::new(s).unwrap();

        let r = store
            .record_click(Click::new(a.code().clone(), t1).with_trace(trace("1")))
            .unwrap();
        let att = r.attribution.unwrap();
        assert!(att.first_click);
        assert_eq!(att.mailing.as_deref(), Some("m1"));
        assert_eq!(att.campaign.as_deref(), Some("spring"));
        assert_eq!(att.opened_at, t1);
        let r = store
            .record_click(Click::new(b.code().clone(), t0).with_trace(trace("1")))
            .unwrap();
        assert!(!r.attribution.unwrap().first_click);
        store
            .record_click(Click::new(a.code().clone(), t0).with_trace(trace("2")))
            .unwrap();
        let r = store
            .record_click(Click::new(a.code().clone(), t0))
            .unwrap();
        assert!(r.attribution.is_none());

        let stats = store
            .click_stats(&ClickScope::Link(a.code().clone()))
            .unwrap();
        assert_eq!((stats.clicks, stats.clicked_traces), (3, 2));
        assert_eq!((stats.first_click, stats.last_click), (Some(t0), Some(t1)));
        let stats = store
            .click_stats(&ClickScope::Mailing("m2".into()))
            .unwrap();
        assert_eq!((stats.clicks, stats.clicked_traces), (1, 1));
        let stats = store
            .click_stats(&ClickScope::Campaign("spring".into()))
            .unwrap();
        assert_eq!((stats.clicks, stats.clicked_traces), (4, 2));
        let stats = store.click_stats(&ClickScope::All).unwrap();
        assert_eq!(stats.clicks, 4);
        let none = store
            .click_stats(&ClickScope::Campaign("x".into()))
            .unwrap();
        assert_eq!(none, ClickStats::default());
        let unknown = Code::new("zzzzzz").unwrap();
        assert_eq!(
            store
                .click_stats(&ClickScope::Link(unknown.clone()))
                .unwrap(),
            ClickStats::default()
        );
        assert!(matches!(
            store.record_click(Click::new(unknown, t0)),
            Err(Error::UnknownLink { .. })
        ));
        assert_eq!(store.clicks().len(), 4);
    }

    #[test]
    fn object_safe() {
        let mut store = MemoryLinkStore::seeded(3);
        let dynamic: &mut dyn LinkStore = &mut store;
        let link = dynamic
            .get_or_create(&request("https://x.com/", &Tracking::new()))
            .unwrap();
        assert_eq!(dynamic.link(link.code()).unwrap(), Some(link));
    }
}

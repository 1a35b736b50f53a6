//! Tracked links, clicks and the storage trait.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use url::Url;

use crate::{Code, Error, TraceId, Tracking, Utm};

/// What a store needs to create (or find) a link: the target URL as normalised, its UTM values,
/// its mailing and the redirect target with the UTM parameters applied. Built only by this crate,
/// so the redirect target always matches the URL and UTM values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LinkRequest {
    url: String,
    utm: Utm,
    mailing: Option<String>,
    target: String,
}

impl LinkRequest {
    /// A request for `url` (an absolute http or https URL) tracked with `tracking`.
    ///
    /// ```
    /// use smskit_links::{LinkRequest, Tracking};
    /// let request = LinkRequest::new("HTTPS://Shop.example/a?x=1#f", &Tracking::new().with_campaign("c"))?;
    /// assert_eq!(request.url(), "https://shop.example/a?x=1#f");
    /// assert_eq!(request.target(), "https://shop.example/a?x=1&utm_campaign=c#f");
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    pub fn new(url: &str, tracking: &Tracking) -> Result<Self, Error> {
        let parsed = Url::parse(url).map_err(|e| Error::InvalidUrl {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidUrl {
                url: url.to_owned(),
                reason: "only http and https URLs are tracked".to_owned(),
            });
        }
        Ok(Self::from_url(parsed, tracking))
    }

    pub(crate) fn from_url(parsed: Url, tracking: &Tracking) -> Self {
        let url = parsed.as_str().to_owned();
        let mut target = parsed;
        tracking.utm().apply(&mut target);
        Self {
            url,
            utm: tracking.utm().clone(),
            mailing: tracking.mailing().map(str::to_owned),
            target: target.into(),
        }
    }

    /// The URL, normalised (lower-case scheme and host, punycode host, percent-encoding).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The UTM values.
    pub fn utm(&self) -> &Utm {
        &self.utm
    }

    /// The mailing the link belongs to.
    pub fn mailing(&self) -> Option<&str> {
        self.mailing.as_deref()
    }

    /// The redirect target: the URL with the UTM parameters.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Whether `link` is the link for this request (same URL, UTM values and mailing).
    pub fn matches(&self, link: &Link) -> bool {
        self.url == link.url && self.utm == link.utm && self.mailing == link.mailing
    }

    /// The link for this request under `code`.
    pub fn into_link(self, code: Code) -> Link {
        Link {
            code,
            url: self.url,
            utm: self.utm,
            mailing: self.mailing,
            target: self.target,
        }
    }
}

/// A tracked link: a short code standing for a target URL with UTM values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Link {
    code: Code,
    url: String,
    #[cfg_attr(feature = "serde", serde(default))]
    utm: Utm,
    #[cfg_attr(feature = "serde", serde(default))]
    mailing: Option<String>,
    target: String,
}

impl Link {
    /// The short code.
    pub fn code(&self) -> &Code {
        &self.code
    }

    /// The target URL as normalised, without the UTM parameters.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The UTM values.
    pub fn utm(&self) -> &Utm {
        &self.utm
    }

    /// The mailing the link belongs to.
    pub fn mailing(&self) -> Option<&str> {
        self.mailing.as_deref()
    }

    /// The campaign (`utm_campaign`) of the link.
    pub fn campaign(&self) -> Option<&str> {
        self.utm.campaign()
    }

    /// Where a click is redirected: the URL with the UTM parameters.
    pub fn target(&self) -> &str {
        &self.target
    }
}

/// A click on a short link, as recorded.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use smskit_links::{Click, Code, TraceId};
/// let at = Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap();
/// let click = Click::new(Code::new("aB3")?, at)
///     .with_trace(TraceId::from(42u64))
///     .with_ip("203.0.113.9".parse().unwrap())
///     .with_country("FR");
/// assert_eq!(click.country(), Some("FR"));
/// # Ok::<(), smskit_links::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Click {
    code: Code,
    at: DateTime<Utc>,
    #[cfg_attr(feature = "serde", serde(default))]
    trace: Option<TraceId>,
    #[cfg_attr(feature = "serde", serde(default))]
    ip: Option<IpAddr>,
    #[cfg_attr(feature = "serde", serde(default))]
    country: Option<String>,
}

impl Click {
    /// A click on the link `code` at `at`.
    pub fn new(code: Code, at: DateTime<Utc>) -> Self {
        Self {
            code,
            at,
            trace: None,
            ip: None,
            country: None,
        }
    }

    /// The SMS (trace) the clicked link was personalised for.
    #[must_use]
    pub fn with_trace(mut self, trace: TraceId) -> Self {
        self.trace = Some(trace);
        self
    }

    /// The client's IP address.
    #[must_use]
    pub fn with_ip(mut self, ip: IpAddr) -> Self {
        self.ip = Some(ip);
        self
    }

    /// The client's country (ISO 3166-1 alpha-2, stored upper-case; empty means unknown).
    #[must_use]
    pub fn with_country(mut self, country: impl Into<String>) -> Self {
        let country = country.into().trim().to_ascii_uppercase();
        self.country = (!country.is_empty()).then_some(country);
        self
    }

    /// The clicked code.
    pub fn code(&self) -> &Code {
        &self.code
    }

    /// When the click happened.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// The trace, if the link was personalised.
    pub fn trace(&self) -> Option<&TraceId> {
        self.trace.as_ref()
    }

    /// The client's IP address, if given.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }

    /// The client's country, if given.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
}

/// What a click means for the SMS it came from: the trace moves to `open` (clicked). The facade
/// applies it to its trace (status `open`, click time) — the link store does not own traces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Attribution {
    /// The trace that was clicked.
    pub trace: TraceId,
    /// When it was clicked (the trace's click date).
    pub opened_at: DateTime<Utc>,
    /// Whether this is the trace's first recorded click (on any link).
    pub first_click: bool,
    /// The mailing of the clicked link.
    pub mailing: Option<String>,
    /// The campaign of the clicked link.
    pub campaign: Option<String>,
}

/// The outcome of [`LinkStore::record_click`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RecordedClick {
    /// The clicked link.
    pub link: Link,
    /// The trace to move to `open`, when the click carried one.
    pub attribution: Option<Attribution>,
}

/// Which clicks to count in [`LinkStore::click_stats`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ClickScope {
    /// Every click.
    All,
    /// Clicks on one link.
    Link(Code),
    /// Clicks on the links of one mailing.
    Mailing(String),
    /// Clicks on the links of one campaign (`utm_campaign`).
    Campaign(String),
}

/// Click counts over a [`ClickScope`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClickStats {
    /// Total clicks.
    pub clicks: u64,
    /// Distinct traces with at least one click (the "clicked" count of a mailing).
    pub clicked_traces: u64,
    /// The earliest click.
    pub first_click: Option<DateTime<Utc>>,
    /// The latest click.
    pub last_click: Option<DateTime<Utc>>,
}

/// Storage of links and clicks. [`MemoryLinkStore`](crate::MemoryLinkStore) ships; a durable
/// store implements the same four methods (allocate codes with [`allocate_code`](crate::allocate_code)
/// under a unique index on the code).
///
/// The trait is object safe: `&mut dyn LinkStore` works wherever a store is taken.
pub trait LinkStore {
    /// The link for `request` (same URL, UTM values and mailing), created with a fresh unique
    /// code when there is none.
    fn get_or_create(&mut self, request: &LinkRequest) -> Result<Link, Error>;

    /// The link with this code.
    fn link(&self, code: &Code) -> Result<Option<Link>, Error>;

    /// Records a click; fails with [`Error::UnknownLink`] when no link has the click's code.
    fn record_click(&mut self, click: Click) -> Result<RecordedClick, Error>;

    /// Click counts over `scope`.
    fn click_stats(&self, scope: &ClickScope) -> Result<ClickStats, Error>;
}

impl<S: LinkStore + ?Sized> LinkStore for &mut S {
    fn get_or_create(&mut self, request: &LinkRequest) -> Result<Link, Error> {
        (**self).get_or_create(request)
    }

    fn link(&self, code: &Code) -> Result<Option<Link>, Error> {
        (**self).link(code)
    }

    fn record_click(&mut self, click: Click) -> Result<RecordedClick, Error> {
        (**self).record_click(click)
    }

    fn click_stats(&self, scope: &ClickScope) -> Result<ClickStats, Error> {
        (**self).click_stats(scope)
    }
}

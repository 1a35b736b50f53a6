//! What comes back after a send, as actions an application exposes on its own routes
//! (sans-IO: the application reads the request, the engine decides): opt-out requests, replies
//! with stop keywords, and a contact's history.

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::error::Error;
use crate::model::{Audience, ContactId, ListId, Trace, TraceId};
use crate::optout::OptOutRequest;
use crate::phone::E164;
use crate::reply::{InboundSms, Received, Reply};
use crate::store::{Store, StoreError};

/// What an opt-out link will do (for the confirmation page a GET shows) or did (after the
/// confirming POST).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptOut {
    /// The mailing and trace the link belongs to.
    pub request: OptOutRequest,
    /// The lists the contact leaves (a mailing to lists); empty otherwise.
    pub lists: Vec<ListId>,
    /// The number that is blacklisted instead (a mailing to a filter), when it could be read.
    pub blacklisted: Option<E164>,
}

/// Where a short-link request goes, and who clicked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Redirect {
    /// The URL to redirect to (with the mailing's UTM values).
    pub target: String,
    /// The recipient's trace, for a personalised link (now `open`, its click time set).
    pub trace: Option<TraceId>,
    /// Whether this is the first click of that recipient.
    pub first_click: bool,
}

/// A short-link request for [`Engine::clicks`]: its path, when it came, and where from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClickRequest {
    /// The request path (`/r/<code>` or `/r/<code>/s/<trace>`, a query allowed).
    pub path: String,
    /// When the request came.
    pub at: DateTime<Utc>,
    /// The client's address, stored with the click.
    pub ip: Option<std::net::IpAddr>,
    /// The client's country (ISO 3166 code from the application's geo-IP).
    pub country: Option<String>,
}

impl ClickRequest {
    /// A request for `path` at `at`, from an unknown client.
    pub fn new(path: impl Into<String>, at: DateTime<Utc>) -> Self {
        ClickRequest {
            path: path.into(),
            at,
            ip: None,
            country: None,
        }
    }

    /// The client's address.
    #[must_use]
    pub fn with_ip(mut self, ip: std::net::IpAddr) -> Self {
        self.ip = Some(ip);
        self
    }

    /// The client's country.
    #[must_use]
    pub fn with_country(mut self, country: impl Into<String>) -> Self {
        self.country = Some(country.into());
        self
    }
}

/// A contact's SMS history: every message of every mailing, and the replies from its numbers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct History {
    /// Its traces, oldest first.
    pub traces: Vec<Trace>,
    /// Replies from the numbers it was sent to, oldest first.
    pub replies: Vec<Reply>,
}

impl<S: Store> Engine<S> {
    /// What the opt-out link with this request path would do, without doing it: for the page a
    /// GET shows. Link scanners prefetch GETs, so only [`Engine::opt_out`] (the confirming
    /// POST) changes anything.
    ///
    /// # Errors
    /// [`Error::NotConfigured`] without opt-out links in the settings;
    /// [`Error::InvalidOptOutLink`] for a path that is not a valid link (a forged token, a
    /// trace of another mailing).
    pub fn opt_out_page(&self, path: &str) -> Result<OptOut, Error> {
        let links = self
            .settings
            .opt_out
            .as_ref()
            .ok_or(Error::NotConfigured("opt-out links"))?;
        let request = links.parse_path(path)?;
        let invalid = || Error::InvalidOptOutLink {
            path: path.chars().take(200).collect(),
        };
        let trace = self
            .store
            .trace(request.trace)?
            .filter(|trace| trace.mailing == request.mailing)
            .ok_or_else(invalid)?;
        let mailing = self.store.mailing(request.mailing)?.ok_or_else(invalid)?;
        Ok(match mailing.audience {
            Audience::Lists(lists) => OptOut {
                request,
                lists,
                blacklisted: None,
            },
            _ => OptOut {
                request,
                lists: Vec::new(),
                blacklisted: trace.number,
            },
        })
    }

    /// Opts the recipient of an opt-out link out: of the mailing's lists for a mailing to
    /// lists, else by blacklisting its number. Doing it twice changes nothing more.
    ///
    /// ```
    /// use smskit::model::{Audience, NewContact, NewMailing};
    /// use smskit::optout::OptOutLinks;
    /// use smskit::provider::{SimulatedClock, StubProvider};
    /// use smskit::{Engine, MemoryStore, Settings, Store};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let links = OptOutLinks::new("https://sms.example.com", b"0123456789abcdef")?;
    /// let mut engine = Engine::new(MemoryStore::new(), Settings::new().with_opt_out_links(links));
    /// let list = engine.create_list("News", true)?;
    /// let ana = engine.add_contact(NewContact::new("Ana", "+32470000001"), now)?;
    /// engine.subscribe(list, ana, now)?;
    /// let mailing = engine.create_mailing(
    ///     NewMailing::new("News", "Hello!", Audience::Lists(vec![list])).with_opt_out_link(),
    ///     now,
    /// )?;
    /// engine.prepare(mailing)?;
    /// let provider = StubProvider::new();
    /// engine.send(mailing, &provider, &SimulatedClock::new(), now)?;
    ///
    /// // The message ends with the link; the application's POST route hands over its path.
    /// let body = provider.messages()[0].body.clone();
    /// let url = body.lines().last().unwrap().strip_prefix("STOP SMS: ").unwrap();
    /// let path = url.strip_prefix("https://sms.example.com").unwrap();
    /// let done = engine.opt_out(path, now)?;
    /// assert_eq!(done.lists, vec![list]);
    /// assert!(engine.store().subscriptions(list)?[0].opt_out);
    /// # Ok::<(), smskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Engine::opt_out_page`], and [`Error::Store`].
    pub fn opt_out(&mut self, path: &str, now: DateTime<Utc>) -> Result<OptOut, Error> {
        let opt_out = self.opt_out_page(path)?;
        let trace = self
            .store
            .trace(opt_out.request.trace)?
            .ok_or(Error::UnknownTrace(opt_out.request.trace))?;
        for list in &opt_out.lists {
            self.store.set_opt_out(*list, trace.contact, true, now)?;
        }
        if let Some(number) = opt_out.blacklisted {
            let reason = format!("opt-out link of mailing {}", opt_out.request.mailing);
            self.store.blacklist_add(number, Some(&reason), now)?;
        }
        Ok(opt_out)
    }

    /// Takes an SMS someone sent back: it answers the last message sent to that number (which
    /// becomes `reply`), and a stop keyword ([`Settings::with_stop_keywords`]) blacklists the
    /// number with the reason.
    ///
    /// [`Settings::with_stop_keywords`]: crate::Settings::with_stop_keywords
    ///
    /// ```
    /// use smskit::phone::E164;
    /// use smskit::reply::InboundSms;
    /// use smskit::{Engine, MemoryStore, Settings, Store};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let mut engine = Engine::new(MemoryStore::new(), Settings::new());
    /// let from = E164::parse("+32470000001")?;
    /// let received = engine.receive(&InboundSms { from, text: " Stop ".into(), at: now })?;
    /// assert!(received.stop);
    /// assert!(engine.store().blacklist_entry(from)?.unwrap().active);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn receive(&mut self, sms: &InboundSms) -> Result<Received, Error> {
        let stop = self.settings.stop_keywords.matches(&sms.text);
        let trace = self
            .store
            .last_trace_to(sms.from)?
            .filter(|trace| trace.sent_at.is_some_and(|sent| sent <= sms.at))
            .map(|trace| trace.id);
        self.store.record_reply(&Reply {
            from: sms.from,
            text: sms.text.clone(),
            at: sms.at,
            trace,
            stop,
        })?;
        if stop {
            let reason = format!("replied {:?}", sms.text.trim());
            self.store.blacklist_add(sms.from, Some(&reason), sms.at)?;
        }
        Ok(Received { trace, stop })
    }

    /// Every SMS `contact` was sent (or excluded from), and the replies from those numbers.
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn history(&self, contact: ContactId) -> Result<History, Error> {
        let mut history = History::default();
        self.store
            .contact_traces(contact, &mut |trace| history.traces.push(trace.clone()))?;
        let mut numbers: Vec<E164> = history.traces.iter().filter_map(|t| t.number).collect();
        numbers.sort_unstable();
        numbers.dedup();
        for number in numbers {
            history.replies.extend(self.store.replies(number)?);
        }
        history.replies.sort_by_key(|reply| reply.at);
        Ok(history)
    }

    /// Verifies a provider's delivery-report webhook (its signature, with the provider's own
    /// scheme), parses it and applies it to the trace of its message, monotonically. A forged
    /// or unsigned request is refused and changes nothing.
    ///
    /// # Errors
    /// [`Error::Provider`] when verification or parsing fails (answer 403 or 400);
    /// [`Error::Store`].
    pub fn apply_webhook(
        &mut self,
        provider: &dyn crate::provider::Provider,
        request: &crate::provider::HttpRequest,
        received_at: DateTime<Utc>,
    ) -> Result<Option<TraceId>, Error> {
        let report = provider.parse_delivery_report(request, received_at)?;
        self.apply_report(&report)
    }

    /// Resolves a short-link request path (`/r/<code>` or `/r/<code>/s/<trace>`, under the
    /// shortener's base path) to its target and records the click: on the link, and on the
    /// recipient's trace (its first click time; the status `open` when that is news). The
    /// application's route answers with a redirect to [`Redirect::target`].
    ///
    /// `ip` and `country` (ISO 3166 code from the application's geo-IP) are stored with the
    /// click when given.
    ///
    /// # Errors
    /// [`Error::NotConfigured`] without [`Settings::with_links`](crate::Settings::with_links);
    /// [`Error::Links`] with a not-found error for a path that is not a known link (answer
    /// 404); [`Error::Store`].
    pub fn click(
        &mut self,
        path: &str,
        at: DateTime<Utc>,
        ip: Option<std::net::IpAddr>,
        country: Option<&str>,
    ) -> Result<Redirect, Error> {
        let mut request = ClickRequest::new(path, at);
        request.ip = ip;
        request.country = country.map(str::to_owned);
        self.clicks(std::slice::from_ref(&request))?
            .pop()
            .unwrap_or(Err(Error::NotConfigured("tracked links")))
    }

    /// [`Engine::click`] for many requests at once (a web server's burst of taps): one result
    /// per request, in order; the clicks of the known links are written together
    /// ([`Store::record_clicks`]: one transaction on a SQL store).
    ///
    /// # Errors
    /// [`Error::NotConfigured`] without tracked links and [`Error::Store`] when writing the
    /// clicks failed (then none was written); a request's own error (a path that is not a
    /// known link) is its result.
    pub fn clicks(
        &mut self,
        requests: &[ClickRequest],
    ) -> Result<Vec<Result<Redirect, Error>>, Error> {
        let shortener = self
            .settings
            .shortener
            .as_ref()
            .ok_or(Error::NotConfigured("tracked links"))?;
        let mut results: Vec<Option<Result<Redirect, Error>>> = Vec::with_capacity(requests.len());
        let mut clicks = Vec::with_capacity(requests.len());
        for request in requests {
            match shortener.resolve(&self.store, &request.path) {
                Ok(resolution) => {
                    let mut click = resolution.click(request.at);
                    if let Some(ip) = request.ip {
                        click = click.with_ip(ip);
                    }
                    if let Some(country) = &request.country {
                        click = click.with_country(country.as_str());
                    }
                    clicks.push(click);
                    results.push(None);
                }
                Err(error) => results.push(Some(Err(error.into()))),
            }
        }
        let mut records = self.store.record_clicks(&clicks)?.into_iter();
        Ok(results
            .into_iter()
            .map(|result| {
                result.unwrap_or_else(|| {
                    let record = records.next().ok_or_else(|| {
                        Error::Store(StoreError::Backend(
                            "the store recorded fewer clicks than it was given".into(),
                        ))
                    })?;
                    let first_click = record.trace.is_some()
                        && record
                            .recorded
                            .attribution
                            .as_ref()
                            .is_some_and(|attribution| attribution.first_click);
                    Ok(Redirect {
                        target: record.recorded.link.target().to_owned(),
                        trace: record.trace,
                        first_click,
                    })
                })
            })
            .collect())
    }

    /// Where a short-link request path redirects to, without recording anything: for the
    /// requests that are not a person's tap (link-preview bots, `HEAD`).
    ///
    /// # Errors
    /// As [`Engine::click`].
    pub fn resolve_link(&self, path: &str) -> Result<String, Error> {
        let shortener = self
            .settings
            .shortener
            .as_ref()
            .ok_or(Error::NotConfigured("tracked links"))?;
        Ok(shortener.resolve(&self.store, path)?.target().to_owned())
    }
}

//! The short-link configuration: rewriting bodies and resolving request paths.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use url::Url;

use crate::error::NotFoundReason;
use crate::rewriter::{Planned, Rewriter};
use crate::rewritten::RewrittenLink;
use crate::{
    Click, Code, Error, Link, LinkRequest, LinkStore, Rewritten, TraceId, Tracking, find_urls,
};

type Predicate = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Short links under one base URL: `<base>/r/<code>`, personalised `<base>/r/<code>/s/<trace>`.
///
/// The base is checked when the shortener is built: an absolute http(s) URL without query,
/// fragment or credentials, whose normalised form contains only GSM-7 basic characters (so a
/// short link never costs extension septets nor forces UCS-2).
///
/// ```
/// use smskit_links::{Error, Shortener};
/// let shortener = Shortener::new("https://Sho.rt/")?;
/// assert_eq!(shortener.base(), "https://sho.rt");
/// assert!(matches!(Shortener::new("https://sho.rt/~go"), Err(Error::BaseNotGsm { character: '~', .. })));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
pub struct Shortener {
    base: String,
    host: String,
    base_path: String,
    exclude_prefixes: Vec<String>,
    exclude_if: Option<Predicate>,
}

impl fmt::Debug for Shortener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shortener")
            .field("base", &self.base)
            .field("exclude_prefixes", &self.exclude_prefixes)
            .field(
                "exclude_if",
                &self.exclude_if.as_ref().map(|_| "Fn(&str) -> bool"),
            )
            .finish()
    }
}

/// A parsed short-link path: the code and, when personalised, the trace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ShortPath {
    /// The link's code.
    pub code: Code,
    /// The recipient's trace, for `/r/<code>/s/<trace>`.
    pub trace: Option<TraceId>,
}

/// What a short-link request resolves to: the link (whose target is the redirect) and the trace
/// the click is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Resolution {
    /// The link.
    pub link: Link,
    /// The recipient's trace, when the link was personalised.
    pub trace: Option<TraceId>,
}

impl Resolution {
    /// The URL to redirect to.
    pub fn target(&self) -> &str {
        self.link.target()
    }

    /// A click on this resolution at `at`, attributed to its trace; add the IP address and
    /// country before recording it.
    pub fn click(&self, at: DateTime<Utc>) -> Click {
        let click = Click::new(self.link.code().clone(), at);
        match &self.trace {
            Some(trace) => click.with_trace(trace.clone()),
            None => click,
        }
    }
}

impl Shortener {
    /// A shortener for `base` (e.g. `https://sho.rt`); a trailing `/` is ignored.
    pub fn new(base: &str) -> Result<Self, Error> {
        let invalid = |reason: &str| Error::InvalidBase {
            base: base.to_owned(),
            reason: reason.to_owned(),
        };
        let url = Url::parse(base.trim()).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(invalid("it has no host"));
        };
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a query or a fragment"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not carry credentials"));
        }
        let host = host.to_owned();
        let normalised = url.as_str().trim_end_matches('/').to_owned();
        if let Some(character) = normalised
            .chars()
            .find(|&c| !smskit_segment::is_gsm7_basic(c))
        {
            return Err(Error::BaseNotGsm {
                base: normalised,
                character,
            });
        }
        let base_path = url.path().trim_end_matches('/').to_owned();
        let shortener = Self {
            base: normalised,
            host,
            base_path,
            exclude_prefixes: Vec::new(),
            exclude_if: None,
        };
        // Every short link must be found back whole, or rewriting would not be idempotent and
        // phones would link only part of it.
        for sample in ["r/Abc", "r/Abc/s/t-1_Z"] {
            let link = format!("{}/{sample}", shortener.base);
            let text = format!("({link}). {link}");
            let found: Vec<_> = find_urls(&text).map(|u| u.as_str().to_owned()).collect();
            if found != [link.clone(), link] {
                return Err(invalid(
                    "short links under it are not recognised as whole URLs",
                ));
            }
        }
        Ok(shortener)
    }

    /// Also leaves alone URLs that start with `prefix` (compared with the normalised URL; a
    /// prefix that parses as a URL is normalised the same way first).
    ///
    /// ```
    /// use smskit_links::{MemoryLinkStore, Shortener, Tracking};
    /// let shortener = Shortener::new("https://sho.rt")?.exclude_prefix("https://Shop.example/account");
    /// let mut store = MemoryLinkStore::seeded(3);
    /// let text = "See https://shop.example/account/orders";
    /// assert_eq!(shortener.rewrite(text, &Tracking::new(), &mut store)?.text(), text);
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    #[must_use]
    pub fn exclude_prefix(mut self, prefix: &str) -> Self {
        let prefix = match Url::parse(prefix) {
            // An origin-only prefix ("https://x.com") normalises to "https://x.com/".
            Ok(url) => url.to_string(),
            Err(_) => prefix.to_owned(),
        };
        self.exclude_prefixes.push(prefix);
        self
    }

    /// Also leaves alone URLs for which `predicate` (given the normalised URL) returns `true`.
    #[must_use]
    pub fn exclude_if(mut self, predicate: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.exclude_if = Some(Arc::new(predicate));
        self
    }

    /// The normalised base, without a trailing `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `<base>/r/<code>`.
    pub fn short_url(&self, code: &Code) -> String {
        let mut url = String::with_capacity(self.base.len() + 3 + code.as_str().len());
        url.push_str(&self.base);
        url.push_str("/r/");
        url.push_str(code.as_str());
        url
    }

    /// `<base>/r/<code>/s/<trace>`.
    pub fn personal_url(&self, code: &Code, trace: &TraceId) -> String {
        let mut url = self.short_url(code);
        url.push_str("/s/");
        url.push_str(trace.as_str());
        url
    }

    /// `<base>/sms/`, the opt-out path prefix, which is never rewritten.
    pub fn opt_out_prefix(&self) -> String {
        format!("{}/sms/", self.base)
    }

    /// Whether the normalised `url` is left alone: a link of this shortener (`<base>/r/…`), the
    /// opt-out path (`<base>/sms/…`), or an exclusion of the caller.
    fn is_excluded(&self, url: &Url) -> bool {
        if url.host_str() == Some(self.host.as_str())
            && let Some(rest) = url.path().strip_prefix(self.base_path.as_str())
            && (rest.starts_with("/r/") || rest.starts_with("/sms/"))
        {
            return true;
        }
        let normalised = url.as_str();
        self.exclude_prefixes
            .iter()
            .any(|prefix| normalised.starts_with(prefix.as_str()))
            || self.exclude_if.as_ref().is_some_and(|f| f(normalised))
    }

    /// Rewrites every http(s) URL of `text` to its tracked short link, in one pass.
    ///
    /// Every byte outside the URLs is kept. The same URL twice uses one link; URLs that are
    /// already short links of this base, the opt-out path and the caller's exclusions are left
    /// alone, and so are URLs that do not parse (with a warning). Running it on its own output
    /// changes nothing.
    ///
    /// ```
    /// use smskit_links::{MemoryLinkStore, Shortener, TraceId, Tracking};
    /// let shortener = Shortener::new("https://sho.rt")?;
    /// let mut store = MemoryLinkStore::seeded(1);
    /// let tracking = Tracking::new().with_campaign("spring").with_medium("sms");
    /// let rewritten = shortener.rewrite(
    ///     "Sale! https://shop.example/spring?ref=a. Again: https://shop.example/spring?ref=a",
    ///     &tracking,
    ///     &mut store,
    /// )?;
    /// let link = &rewritten.links()[0];
    /// assert_eq!(rewritten.links().len(), 1);
    /// assert_eq!(
    ///     rewritten.text(),
    ///     format!("Sale! {0}. Again: {0}", link.short_url)
    /// );
    /// assert_eq!(
    ///     link.link.target(),
    ///     "https://shop.example/spring?ref=a&utm_campaign=spring&utm_medium=sms"
    /// );
    /// // Per recipient, without scanning the text again:
    /// let personal = rewritten.personalize(&TraceId::from(7u64));
    /// assert!(personal.starts_with(&format!("Sale! {}/s/7.", link.short_url)));
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    pub fn rewrite<S>(
        &self,
        text: &str,
        tracking: &Tracking,
        store: &mut S,
    ) -> Result<Rewritten, Error>
    where
        S: LinkStore + ?Sized,
    {
        self.rewriter(tracking, store).rewrite(text)
    }

    /// A rewriting session for many texts with the same tracking (one body per recipient):
    /// it remembers what each URL it met maps to, so a URL seen before costs a hash lookup
    /// instead of URL parsing, UTM rewriting and a store query.
    ///
    /// ```
    /// use smskit_links::{MemoryLinkStore, Shortener, Tracking};
    /// let shortener = Shortener::new("https://sho.rt")?;
    /// let mut store = MemoryLinkStore::seeded(1);
    /// let tracking = Tracking::new().with_campaign("spring");
    /// let mut rewriter = shortener.rewriter(&tracking, &mut store);
    /// let a = rewriter.rewrite("Hi Ann, https://shop.example/x")?;
    /// let b = rewriter.rewrite("Hi Bob, https://shop.example/x")?;
    /// assert_eq!(a.links()[0].link, b.links()[0].link);
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    pub fn rewriter<'a, S>(&'a self, tracking: &'a Tracking, store: &'a mut S) -> Rewriter<'a, S>
    where
        S: LinkStore + ?Sized,
    {
        Rewriter::new(self, tracking, store)
    }

    /// What the URL written `as_written` maps to (computed, not cached).
    pub(crate) fn plan<S>(
        &self,
        as_written: &str,
        tracking: &Tracking,
        store: &mut S,
    ) -> Result<Planned, Error>
    where
        S: LinkStore + ?Sized,
    {
        let url = match Url::parse(as_written) {
            Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => url,
            Ok(_) => return Ok(Planned::Invalid("no host".to_owned())),
            Err(error) => return Ok(Planned::Invalid(error.to_string())),
        };
        if self.is_excluded(&url) {
            return Ok(Planned::Excluded);
        }
        let request = LinkRequest::from_url(url, tracking);
        let link = store.get_or_create(&request)?;
        let normalized = !same_modulo_root_slash(as_written, link.url());
        Ok(Planned::Link {
            entry: RewrittenLink {
                url: as_written.to_owned(),
                short_url: self.short_url(link.code()),
                link,
            },
            normalized,
        })
    }

    /// Parses a request path: `<base path>/r/<code>` or `<base path>/r/<code>/s/<trace>`.
    /// A query string or fragment (`?fbclid=…` added by apps) and one trailing `/` are ignored.
    ///
    /// ```
    /// use smskit_links::{NotFoundReason, Error, Shortener};
    /// let shortener = Shortener::new("https://sho.rt")?;
    /// let path = shortener.parse_path("/r/aB3/s/42?fbclid=x")?;
    /// assert_eq!(path.code.as_str(), "aB3");
    /// assert_eq!(path.trace.unwrap().as_str(), "42");
    /// assert!(matches!(
    ///     shortener.parse_path("/r/aB3/x/42"),
    ///     Err(Error::NotFound { reason: NotFoundReason::MalformedPath, .. })
    /// ));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn parse_path(&self, path: &str) -> Result<ShortPath, Error> {
        let malformed = || Error::NotFound {
            path: path.to_owned(),
            reason: NotFoundReason::MalformedPath,
        };
        let bare = path.split(['?', '#']).next().unwrap_or_default();
        let bare = bare.strip_suffix('/').unwrap_or(bare);
        let rest = bare
            .strip_prefix(self.base_path.as_str())
            .and_then(|rest| rest.strip_prefix("/r/"))
            .ok_or_else(malformed)?;
        let mut segments = rest.split('/');
        let code = segments
            .next()
            .and_then(|c| Code::new(c).ok())
            .ok_or_else(malformed)?;
        let trace = match (segments.next(), segments.next(), segments.next()) {
            (None, _, _) => None,
            (Some("s"), Some(trace), None) => Some(TraceId::new(trace).map_err(|_| malformed())?),
            _ => return Err(malformed()),
        };
        Ok(ShortPath { code, trace })
    }

    /// Resolves a request path to the link to redirect to and the trace to attribute the click
    /// to. Malformed paths and unknown codes are [`Error::NotFound`].
    ///
    /// ```
    /// use smskit_links::{LinkRequest, LinkStore, MemoryLinkStore, Shortener, Tracking};
    /// let shortener = Shortener::new("https://sho.rt")?;
    /// let mut store = MemoryLinkStore::seeded(1);
    /// let link = store.get_or_create(&LinkRequest::new("https://shop.example/", &Tracking::new())?)?;
    /// let resolved = shortener.resolve(&store, &format!("/r/{}/s/t9", link.code()))?;
    /// assert_eq!(resolved.target(), "https://shop.example/");
    /// assert_eq!(resolved.trace.unwrap().as_str(), "t9");
    /// assert!(shortener.resolve(&store, "/r/zzzzzzzz").unwrap_err().is_not_found());
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    pub fn resolve<S>(&self, store: &S, path: &str) -> Result<Resolution, Error>
    where
        S: LinkStore + ?Sized,
    {
        let ShortPath { code, trace } = self.parse_path(path)?;
        let link = store.link(&code)?.ok_or_else(|| Error::NotFound {
            path: path.to_owned(),
            reason: NotFoundReason::UnknownCode,
        })?;
        Ok(Resolution { link, trace })
    }
}

/// Whether `normalized` is `written` or `written` with the root path `/` the URL standard adds
/// after a bare host (`https://x.com?a` → `https://x.com/?a`).
fn same_modulo_root_slash(written: &str, normalized: &str) -> bool {
    if written == normalized {
        return true;
    }
    let Some(authority) = written.find("://").map(|i| i + 3) else {
        return false;
    };
    let tail = &written[authority..];
    let host_end = tail
        .find(['/', '?', '#'])
        .map_or(written.len(), |i| authority + i);
    if written[host_end..].starts_with('/') || normalized.len() != written.len() + 1 {
        return false;
    }
    normalized.get(..host_end) == Some(&written[..host_end])
        && normalized.get(host_end..=host_end) == Some("/")
        && normalized.get(host_end + 1..) == Some(&written[host_end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemoryLinkStore, StdRng};

    fn setup() -> (Shortener, MemoryLinkStore<StdRng>) {
        (
            Shortener::new("https://sho.rt").unwrap(),
            MemoryLinkStore::seeded(11),
        )
    }

    #[test]
    fn base_validation() {
        assert_eq!(
            Shortener::new("https://sho.rt/").unwrap().base(),
            "https://sho.rt"
        );
        assert_eq!(
            Shortener::new("http://x.com/go/").unwrap().base(),
            "http://x.com/go"
        );
        assert_eq!(
            Shortener::new("https://bücher.de").unwrap().base(),
            "https://xn--bcher-kva.de"
        );
        for bad in [
            "sho.rt",
            "ftp://sho.rt",
            "https://sho.rt/?a=1",
            "https://sho.rt/#x",
            "https://u:p@sho.rt",
            "mailto:a@b.c",
            "",
        ] {
            assert!(
                matches!(Shortener::new(bad), Err(Error::InvalidBase { .. })),
                "{bad}"
            );
        }
        for (bad, c) in [
            ("https://sho.rt/~a", '~'),
            ("https://sho.rt/a^b", '^'),
            ("https://[::1]/", '['),
        ] {
            match Shortener::new(bad) {
                Err(Error::BaseNotGsm { character, .. }) => assert_eq!(character, c, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        // `{` is percent-encoded by normalisation; `_` is GSM basic.
        assert_eq!(
            Shortener::new("https://sho.rt/{a}").unwrap().base(),
            "https://sho.rt/%7Ba%7D"
        );
        assert!(Shortener::new("https://sho.rt/_go").is_ok());
    }

    #[test]
    fn base_alphabet_is_segment_gsm7_basic() {
        // GSM-7 basic punctuation that URL normalisation keeps is accepted...
        for ok in [
            "https://sho.rt/_a",
            "https://sho.rt/a@b",
            "https://sho.rt/$!*'()",
        ] {
            assert!(Shortener::new(ok).is_ok(), "{ok}");
        }
        // ...extension characters (two septets) that it keeps are refused.
        for (bad, c) in [
            ("https://sho.rt/a~b", '~'),
            ("https://sho.rt/a^b", '^'),
            ("https://sho.rt/a|b", '|'),
            ("https://sho.rt/a[b]", '['),
        ] {
            match Shortener::new(bad) {
                Err(Error::BaseNotGsm { character, .. }) => assert_eq!(character, c, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn rewrites_and_skips() {
        let (shortener, mut store) = setup();
        let shortener = shortener
            .exclude_prefix("https://keep.example")
            .exclude_if(|url| url.contains("nolink"));
        let text = "A https://x.com/a. B https://sho.rt/r/abc C https://sho.rt/sms/1/xyz \
                    D https://keep.example/p E https://x.com/nolink F http://999.1.1.1/ G https://x.com/a";
        let rewritten = shortener
            .rewrite(text, &Tracking::new(), &mut store)
            .unwrap();
        assert_eq!(rewritten.links().len(), 1);
        let short = &rewritten.links()[0].short_url;
        let expected = text.replace("https://x.com/a", short);
        assert_eq!(rewritten.text(), expected);
        assert_eq!(rewritten.occurrences().len(), 2);
        assert!(matches!(
            rewritten.warnings(),
            [crate::Warning::InvalidUrl { offset, .. }] if text[*offset..].starts_with("http://999")
        ));
    }

    #[test]
    fn prefix_url_is_not_replaced_inside_longer_url() {
        let (shortener, mut store) = setup();
        let text = "https://x.com/a https://x.com/ab https://x.com/a/b";
        let rewritten = shortener
            .rewrite(text, &Tracking::new(), &mut store)
            .unwrap();
        assert_eq!(rewritten.links().len(), 3);
        let urls: Vec<_> = rewritten.links().iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://x.com/a", "https://x.com/ab", "https://x.com/a/b"]
        );
    }

    #[test]
    fn equivalent_spellings_share_one_entry() {
        let (shortener, mut store) = setup();
        let text = "HTTPS://X.com and https://x.com/ and https://x.com";
        let rewritten = shortener
            .rewrite(text, &Tracking::new(), &mut store)
            .unwrap();
        assert_eq!(rewritten.links().len(), 1);
        assert_eq!(rewritten.links()[0].url, "HTTPS://X.com");
        assert_eq!(rewritten.occurrences().len(), 3);
        assert!(matches!(
            rewritten.warnings(),
            [crate::Warning::Normalized { url, normalized }] if url == "HTTPS://X.com" && normalized == "https://x.com/"
        ));
    }

    #[test]
    fn parse_and_resolve_paths() {
        let shortener = Shortener::new("https://x.com/go").unwrap();
        let mut store = MemoryLinkStore::seeded(1);
        let link = store
            .get_or_create(&LinkRequest::new("https://shop.example/", &Tracking::new()).unwrap())
            .unwrap();
        let code = link.code().as_str();
        for ok in [
            format!("/go/r/{code}"),
            format!("/go/r/{code}/"),
            format!("/go/r/{code}?fbclid=1"),
            format!("/go/r/{code}/s/t-1#x"),
        ] {
            let resolved = shortener.resolve(&store, &ok).unwrap();
            assert_eq!(resolved.link, link, "{ok}");
        }
        for malformed in [
            String::new(),
            "/".to_owned(),
            format!("/r/{code}"),
            format!("/go/r/{code}/s/"),
            format!("/go/r/{code}/s/a/b"),
            format!("/go/r/{code}/t/1"),
            format!("/go/r/{code}//"),
            "/go/r/".to_owned(),
            "/go/r/a-b".to_owned(),
            format!("/go/r/{code}/s/a~b"),
            "/go/r/é".to_owned(),
        ] {
            assert!(
                matches!(
                    shortener.resolve(&store, &malformed),
                    Err(Error::NotFound {
                        reason: NotFoundReason::MalformedPath,
                        ..
                    })
                ),
                "{malformed}"
            );
        }
        assert!(matches!(
            shortener.resolve(&store, "/go/r/zzzzzz"),
            Err(Error::NotFound {
                reason: NotFoundReason::UnknownCode,
                ..
            })
        ));
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 1, 1, 0, 0, 0).unwrap();
        let resolved = shortener
            .resolve(&store, &format!("/go/r/{code}/s/7"))
            .unwrap();
        let recorded = store.record_click(resolved.click(at)).unwrap();
        assert_eq!(recorded.attribution.unwrap().trace.as_str(), "7");
    }
}

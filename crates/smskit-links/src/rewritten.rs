//! The result of a rewrite, and personalisation per recipient.

use std::ops::Range;

use crate::{Link, TraceId};

/// A link used by a rewritten text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RewrittenLink {
    /// The URL as written in the input (its first spelling, when several map to one link).
    pub url: String,
    /// `<base>/r/<code>`.
    pub short_url: String,
    /// The tracked link (code, target with UTM values, …).
    pub link: Link,
}

/// Where one URL of the input was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Occurrence {
    /// Index in [`Rewritten::links`].
    pub link: usize,
    /// Byte range of the URL in the input.
    pub original: Range<usize>,
    /// Byte range of the short link in [`Rewritten::text`].
    pub rewritten: Range<usize>,
}

/// A non-fatal finding of a rewrite.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Warning {
    /// The redirect target differs from the URL as written beyond the root `/`: upper-case scheme
    /// or host lowered, IDN host in punycode, characters percent-encoded, default port dropped.
    Normalized {
        /// The URL as written.
        url: String,
        /// The normalised URL (before UTM values are added).
        normalized: String,
    },
    /// An http(s) URL left as written because its short link would run into the text that
    /// follows (it ended inside its host, as in `https://x.com!sale`): a phone would link the
    /// short link together with that text, which would then not resolve.
    RunsIntoText {
        /// The URL as written.
        url: String,
        /// Its byte offset in the input.
        offset: usize,
    },
    /// An http(s) URL that does not parse (e.g. `http://999.1.1.1/`); it was left as written.
    InvalidUrl {
        /// The URL as written.
        url: String,
        /// Its byte offset in the input (first occurrence).
        offset: usize,
        /// Why it does not parse.
        reason: String,
    },
}

/// A text with its URLs replaced by short links, ready to be personalised per recipient.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Rewritten {
    text: String,
    links: Vec<RewrittenLink>,
    occurrences: Vec<Occurrence>,
    warnings: Vec<Warning>,
}

/// `"/s/"`, between a short link and the trace id.
const TRACE_SEPARATOR: &str = "/s/";

impl Rewritten {
    pub(crate) fn new(
        text: String,
        links: Vec<RewrittenLink>,
        occurrences: Vec<Occurrence>,
        warnings: Vec<Warning>,
    ) -> Self {
        Self {
            text,
            links,
            occurrences,
            warnings,
        }
    }

    /// The rewritten text (short links without a trace).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The distinct links used, in order of first appearance.
    pub fn links(&self) -> &[RewrittenLink] {
        &self.links
    }

    /// Every replaced URL, in text order.
    pub fn occurrences(&self) -> &[Occurrence] {
        &self.occurrences
    }

    /// Non-fatal findings.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The rewritten text with every short link personalised for `trace`
    /// (`<base>/r/<code>/s/<trace>`).
    pub fn personalize(&self, trace: &TraceId) -> String {
        let mut out = String::new();
        self.personalize_into(trace, &mut out);
        out
    }

    /// Like [`personalize`](Self::personalize), into a reusable buffer (cleared first): for a
    /// mailing to many recipients this copies slices of the rewritten text and never scans it.
    ///
    /// ```
    /// use smskit_links::{MemoryLinkStore, Shortener, TraceId, Tracking};
    /// let shortener = Shortener::new("https://sho.rt")?;
    /// let mut store = MemoryLinkStore::seeded(1);
    /// let rewritten = shortener.rewrite("Hi! https://shop.example/x", &Tracking::new(), &mut store)?;
    /// let mut body = String::new();
    /// for trace in ["a1", "a2"] {
    ///     rewritten.personalize_into(&TraceId::new(trace)?, &mut body);
    ///     assert_eq!(body, format!("{}/s/{trace}", rewritten.text()));
    /// }
    /// # Ok::<(), smskit_links::Error>(())
    /// ```
    pub fn personalize_into(&self, trace: &TraceId, out: &mut String) {
        out.clear();
        out.reserve(self.personalized_len(trace));
        let mut copied = 0;
        for occurrence in &self.occurrences {
            let end = occurrence.rewritten.end;
            // Never panics, even on a deserialised value with bogus ranges.
            let Some(chunk) = self.text.get(copied..end) else {
                continue;
            };
            out.push_str(chunk);
            out.push_str(TRACE_SEPARATOR);
            out.push_str(trace.as_str());
            copied = end;
        }
        out.push_str(self.text.get(copied..).unwrap_or_default());
    }

    /// Length in bytes of the text personalised for `trace`: the rewritten length plus
    /// `"/s/" + trace` per short link.
    pub fn personalized_len(&self, trace: &TraceId) -> usize {
        self.text.len() + self.occurrences.len() * (TRACE_SEPARATOR.len() + trace.as_str().len())
    }
}

//! A rewriting session: one pass per text, with a cache of the URLs already met.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use crate::find::{quote_before, runs_into};
use crate::rewritten::{Occurrence, RewrittenLink, Warning};
use crate::{Code, Error, LinkStore, Rewritten, Shortener, Tracking, find_urls};

/// Distinct URLs remembered by a [`Rewriter`]; past this the cache starts over, which keeps
/// memory bounded on hostile input and costs only recomputation.
const CACHE_LIMIT: usize = 4096;

/// What a URL as written maps to.
#[derive(Debug)]
pub(crate) enum Planned {
    /// Rewritten to this link; `normalized` when the target differs from the text beyond the
    /// root `/`.
    Link {
        entry: RewrittenLink,
        normalized: bool,
    },
    /// Left alone on purpose (own link, opt-out path, caller's exclusion).
    Excluded,
    /// Left alone because it does not parse; the reason.
    Invalid(String),
}

/// The distinct links of one text, with the position of each by code so that an equivalent
/// spelling finds its entry without a search.
#[derive(Default)]
struct Links {
    entries: Vec<RewrittenLink>,
    by_code: HashMap<Code, usize>,
}

/// Rewrites many texts with one [`Shortener`], [`Tracking`] and [`LinkStore`]; made by
/// [`Shortener::rewriter`]. Remembers what each URL maps to, so the second body with the same
/// link costs a hash lookup instead of URL parsing, UTM rewriting and a store query.
pub struct Rewriter<'a, S: ?Sized> {
    shortener: &'a Shortener,
    tracking: &'a Tracking,
    store: &'a mut S,
    cache: HashMap<String, Planned>,
}

impl<S: ?Sized> fmt::Debug for Rewriter<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rewriter")
            .field("shortener", self.shortener)
            .field("tracking", self.tracking)
            .field("cached_urls", &self.cache.len())
            .finish_non_exhaustive()
    }
}

impl<'a, S: LinkStore + ?Sized> Rewriter<'a, S> {
    pub(crate) fn new(shortener: &'a Shortener, tracking: &'a Tracking, store: &'a mut S) -> Self {
        Self {
            shortener,
            tracking,
            store,
            cache: HashMap::new(),
        }
    }

    /// Rewrites `text`; see [`Shortener::rewrite`].
    pub fn rewrite(&mut self, text: &str) -> Result<Rewritten, Error> {
        let mut out = String::with_capacity(text.len());
        let mut links = Links::default();
        let mut occurrences: Vec<Occurrence> = Vec::new();
        let mut warnings: Vec<Warning> = Vec::new();
        // Distinct URL texts of this text: the index of their entry in `links`, if rewritten.
        // Hashed, not searched: a text with tens of thousands of distinct URLs stays linear.
        let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
        let mut copied = 0;
        for found in find_urls(text) {
            let as_written = found.as_str();
            if runs_into(&text[found.end()..], quote_before(text, found.start())) {
                warnings.push(Warning::RunsIntoText {
                    url: as_written.to_owned(),
                    offset: found.start(),
                });
                continue;
            }
            let index = match seen.entry(as_written) {
                Entry::Occupied(known) => *known.get(),
                Entry::Vacant(new) => *new.insert(self.first_use(
                    as_written,
                    found.start(),
                    &mut links,
                    &mut warnings,
                )?),
            };
            let Some((index, entry)) = index.and_then(|i| links.entries.get(i).map(|l| (i, l)))
            else {
                continue;
            };
            out.push_str(&text[copied..found.start()]);
            let start = out.len();
            out.push_str(&entry.short_url);
            occurrences.push(Occurrence {
                link: index,
                original: found.range(),
                rewritten: start..out.len(),
            });
            copied = found.end();
        }
        out.push_str(&text[copied..]);
        Ok(Rewritten::new(out, links.entries, occurrences, warnings))
    }

    /// Handles the first occurrence of `as_written` in a text: the index of its entry in
    /// `links` (shared with an equivalent spelling met before), or `None` when left alone.
    fn first_use(
        &mut self,
        as_written: &str,
        offset: usize,
        links: &mut Links,
        warnings: &mut Vec<Warning>,
    ) -> Result<Option<usize>, Error> {
        // Borrowed from the cache: the entry is cloned only when this text gets it.
        let planned = match self.cache.get(as_written) {
            Some(planned) => planned,
            None => {
                let planned = self.shortener.plan(as_written, self.tracking, self.store)?;
                if self.cache.len() >= CACHE_LIMIT {
                    self.cache.clear();
                }
                self.cache.entry(as_written.to_owned()).or_insert(planned)
            }
        };
        match planned {
            Planned::Excluded => Ok(None),
            Planned::Invalid(reason) => {
                warnings.push(Warning::InvalidUrl {
                    url: as_written.to_owned(),
                    offset,
                    reason: reason.clone(),
                });
                Ok(None)
            }
            Planned::Link { entry, normalized } => {
                let index = match links.by_code.entry(entry.link.code().clone()) {
                    // An equivalent spelling met before in this text.
                    Entry::Occupied(known) => return Ok(Some(*known.get())),
                    Entry::Vacant(new) => *new.insert(links.entries.len()),
                };
                if *normalized {
                    warnings.push(Warning::Normalized {
                        url: as_written.to_owned(),
                        normalized: entry.link.url().to_owned(),
                    });
                }
                links.entries.push(entry.clone());
                Ok(Some(index))
            }
        }
    }

    /// The store, e.g. to look at the links created so far.
    pub fn store(&mut self) -> &mut S {
        self.store
    }
}

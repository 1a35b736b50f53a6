//! Audience upkeep: the blacklist imported from a file, and the counts of a mailing list.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::engine::Engine;
use crate::error::Error;
use crate::model::ListId;
use crate::phone::E164;
use crate::store::Store;

/// What [`Engine::import_blacklist`] did, line by line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BlacklistImport {
    /// Numbers newly blacklisted.
    pub added: usize,
    /// Archived entries made active again.
    pub reactivated: usize,
    /// Numbers that were blacklisted already.
    pub unchanged: usize,
    /// Lines repeating a number of an earlier line (collapsed into it).
    pub duplicates: usize,
    /// Lines that are not phone numbers: line number (from 1), the text, the reason.
    pub invalid: Vec<(usize, String, String)>,
}

/// The counts of a mailing list, as its form shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ListStats {
    /// Subscribed contacts, opted out or not.
    pub contacts: usize,
    /// Of those, opted out.
    pub opted_out: usize,
    /// Of those, with an actively blacklisted number.
    pub blacklisted: usize,
    /// Of those, with a number that can be read.
    pub valid_numbers: usize,
}

/// The names a first line may give its number column.
const HEADERS: [&str; 5] = ["number", "phone", "mobile", "phone_number", "sanitized"];

impl<S: Store> Engine<S> {
    /// Blacklists the numbers of a file: one number per line, or the first column of a CSV
    /// (`,` or `;`, optional quotes, an optional header line named `number`, `phone`...).
    /// Numbers are read with the settings' default country; a repeated number is collapsed;
    /// a line that is not a number is reported with its line number, never dropped silently.
    ///
    /// ```
    /// use smskit::phone::{E164, Region};
    /// use smskit::{Engine, MemoryStore, Settings, Store};
    ///
    /// let now = chrono::DateTime::UNIX_EPOCH;
    /// let settings = Settings::new().with_default_region(Region::parse("BE")?);
    /// let mut engine = Engine::new(MemoryStore::new(), settings);
    /// let csv = "phone;reason\n0470 12 34 56;STOP\n+32470123456;again\nnot a number;x\n";
    /// let import = engine.import_blacklist(csv, Some("imported"), now)?;
    /// assert_eq!((import.added, import.duplicates, import.invalid.len()), (1, 1, 1));
    /// assert_eq!(import.invalid[0].0, 4);
    /// assert!(engine.store().blacklist_entry(E164::parse("+32470123456")?)?.unwrap().active);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Store`].
    pub fn import_blacklist(
        &mut self,
        text: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<BlacklistImport, Error> {
        let mut import = BlacklistImport::default();
        let mut seen: HashSet<E164> = HashSet::new();
        for (index, line) in text.lines().enumerate() {
            let field = line
                .split([',', ';', '\t'])
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches('"')
                .trim();
            if field.is_empty() {
                continue;
            }
            if index == 0 && HEADERS.contains(&field.to_ascii_lowercase().as_str()) {
                continue;
            }
            let number = match crate::phone::parse(field, self.settings.default_region) {
                Ok(number) => number,
                Err(error) => {
                    import
                        .invalid
                        .push((index + 1, field.to_owned(), error.to_string()));
                    continue;
                }
            };
            if !seen.insert(number) {
                import.duplicates += 1;
                continue;
            }
            match self.store.blacklist_entry(number)? {
                Some(entry) if entry.active => import.unchanged += 1,
                Some(_) => {
                    self.store.blacklist_add(number, reason, now)?;
                    import.reactivated += 1;
                }
                None => {
                    self.store.blacklist_add(number, reason, now)?;
                    import.added += 1;
                }
            }
        }
        Ok(import)
    }

    /// The counts of `list`: contacts, opted out, blacklisted, with a readable number.
    ///
    /// # Errors
    /// [`Error::UnknownList`], [`Error::Store`].
    pub fn list_stats(&self, list: ListId) -> Result<ListStats, Error> {
        if !self.store.lists()?.iter().any(|known| known.id == list) {
            return Err(Error::UnknownList(list));
        }
        let subscriptions = self.store.subscriptions(list)?;
        let blacklist = self.store.active_blacklist()?;
        let mut stats = ListStats::default();
        for subscription in subscriptions {
            let Some(contact) = self.store.contact(subscription.contact)? else {
                continue;
            };
            stats.contacts += 1;
            stats.opted_out += usize::from(subscription.opt_out);
            let region = contact.country.or(self.settings.default_region);
            if let Ok(number) = crate::phone::parse(&contact.phone, region) {
                stats.valid_numbers += 1;
                stats.blacklisted += usize::from(blacklist.contains(&number));
            }
        }
        Ok(stats)
    }
}

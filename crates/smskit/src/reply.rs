//! Replies to a mailing: stop keywords that blacklist the sender, and the record of what was
//! said, kept on the contact's history.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::model::TraceId;
use crate::phone::E164;

/// The blacklist reason of a number the provider refused as opted out (its owner replied
/// STOP to the sender: Twilio's 21610), set by [`Engine::send`](crate::Engine::send) and
/// [`Engine::apply_report`](crate::Engine::apply_report).
pub const PROVIDER_OPT_OUT_REASON: &str = "opted out at the provider (replied STOP)";

/// The words that, sent back alone, stop every SMS to the sender. Case and surrounding spaces
/// are ignored; the default set is the carriers' and Odoo's: STOP, STOPALL, UNSUBSCRIBE,
/// CANCEL, END, QUIT, ARRET.
///
/// ```
/// use smskit::reply::StopKeywords;
///
/// let keywords = StopKeywords::default().with("STOPP");
/// assert!(keywords.matches("  stop\n"));
/// assert!(keywords.matches("Stopp"));
/// assert!(keywords.matches("arrêt"));
/// assert!(!keywords.matches("please stop"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StopKeywords {
    /// Upper-cased, accents folded the way [`StopKeywords::matches`] folds a reply.
    words: BTreeSet<String>,
}

/// The stop keywords every SMS marketing tool honours.
pub const DEFAULT_STOP_KEYWORDS: [&str; 7] = [
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "ARRET",
];

impl Default for StopKeywords {
    fn default() -> Self {
        StopKeywords {
            words: DEFAULT_STOP_KEYWORDS
                .iter()
                .map(|word| fold(word))
                .collect(),
        }
    }
}

impl StopKeywords {
    /// No keyword at all: replies never blacklist (for an application that handles them).
    #[must_use]
    pub fn none() -> Self {
        StopKeywords {
            words: BTreeSet::new(),
        }
    }

    /// Adds a keyword (an empty one is ignored: an empty reply is not a request).
    #[must_use]
    pub fn with(mut self, keyword: &str) -> Self {
        let word = fold(keyword);
        if !word.is_empty() {
            self.words.insert(word);
        }
        self
    }

    /// Whether `reply` is one of the keywords, ignoring case, accents of Latin letters
    /// (`ARRÊT` is `ARRET`) and surrounding white space.
    #[must_use]
    pub fn matches(&self, reply: &str) -> bool {
        let word = fold(reply);
        !word.is_empty() && self.words.contains(&word)
    }
}

/// Trimmed, upper-cased, with the accents of the Latin letters carriers fold removed.
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
            'Ç' => 'C',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'Ñ' => 'N',
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            other => other,
        })
        .collect()
}

/// An SMS someone sent to the application (from a provider's inbound webhook).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InboundSms {
    /// Who sent it.
    pub from: E164,
    /// What it says.
    pub text: String,
    /// When it arrived.
    pub at: DateTime<Utc>,
}

/// A reply as the store keeps it: the inbound SMS and the trace it answered, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reply {
    /// Who sent it.
    pub from: E164,
    /// What it says.
    pub text: String,
    /// When it arrived.
    pub at: DateTime<Utc>,
    /// The last message sent to that number before the reply, which it answers.
    pub trace: Option<TraceId>,
    /// Whether it was a stop keyword (the number was blacklisted).
    pub stop: bool,
}

/// What [`Engine::receive`](crate::Engine::receive) did with an inbound SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Received {
    /// The trace the reply answered (now `reply`, unless it already had later news).
    pub trace: Option<TraceId>,
    /// Whether it was a stop keyword: the number is now blacklisted.
    pub stop: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_keyword_matches_in_any_case_with_spaces() {
        let keywords = StopKeywords::default();
        for word in DEFAULT_STOP_KEYWORDS {
            assert!(keywords.matches(word));
            assert!(keywords.matches(&format!(" \t{}\r\n", word.to_lowercase())));
        }
        for text in ["", "   ", "STOP!", "STOP STOP", "stopp", "no", "S TOP"] {
            assert!(!keywords.matches(text), "{text:?}");
        }
    }

    #[test]
    fn keywords_can_be_added_or_all_removed() {
        assert!(StopKeywords::default().with("  halt ").matches("HALT"));
        assert!(!StopKeywords::default().with("").matches(""));
        assert!(!StopKeywords::none().matches("STOP"));
        assert!(
            StopKeywords::none()
                .with("Désabonner")
                .matches("DESABONNER")
        );
    }
}

//! UTM parameters and the tracking context of a rewrite.

use url::Url;
use url::form_urlencoded;

/// The three UTM values added to every redirect target: `utm_campaign`, `utm_source` and
/// `utm_medium`. A value that is empty (or only white space) counts as absent: it is not added
/// and leaves a parameter of the same key in the target untouched.
///
/// ```
/// use smskit_links::Utm;
/// let utm = Utm::new().with_campaign("spring sale").with_source("").with_medium("sms");
/// assert_eq!(utm.campaign(), Some("spring sale"));
/// assert_eq!(utm.source(), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "RawUtm"))]
pub struct Utm {
    campaign: Option<String>,
    source: Option<String>,
    medium: Option<String>,
}

/// What serde reads; normalised through [`Utm::new`] so that `""` still means absent.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawUtm {
    #[serde(default)]
    campaign: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    medium: Option<String>,
}

#[cfg(feature = "serde")]
impl From<RawUtm> for Utm {
    fn from(raw: RawUtm) -> Self {
        Self {
            campaign: non_empty(raw.campaign.unwrap_or_default()),
            source: non_empty(raw.source.unwrap_or_default()),
            medium: non_empty(raw.medium.unwrap_or_default()),
        }
    }
}

fn non_empty(value: String) -> Option<String> {
    if value.trim().is_empty() {
        None
    } else {
        Some(value)
    }
}

/// The UTM keys, in the order they are appended.
const KEYS: [&str; 3] = ["utm_campaign", "utm_source", "utm_medium"];

impl Utm {
    /// No UTM values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `utm_campaign` (the campaign name).
    #[must_use]
    pub fn with_campaign(mut self, name: impl Into<String>) -> Self {
        self.campaign = non_empty(name.into());
        self
    }

    /// Sets `utm_source` (e.g. the mailing name).
    #[must_use]
    pub fn with_source(mut self, name: impl Into<String>) -> Self {
        self.source = non_empty(name.into());
        self
    }

    /// Sets `utm_medium` (e.g. `sms`).
    #[must_use]
    pub fn with_medium(mut self, name: impl Into<String>) -> Self {
        self.medium = non_empty(name.into());
        self
    }

    /// The `utm_campaign` value, if any.
    pub fn campaign(&self) -> Option<&str> {
        self.campaign.as_deref()
    }

    /// The `utm_source` value, if any.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The `utm_medium` value, if any.
    pub fn medium(&self) -> Option<&str> {
        self.medium.as_deref()
    }

    /// Whether no value is set.
    pub fn is_empty(&self) -> bool {
        self.campaign.is_none() && self.source.is_none() && self.medium.is_none()
    }

    fn values(&self) -> [Option<&str>; 3] {
        [self.campaign(), self.source(), self.medium()]
    }

    /// Writes the UTM values into the query of `url`: a parameter with the same key is replaced
    /// in place (later duplicates dropped), missing ones are appended; every other parameter is
    /// kept byte for byte (its encoding untouched), and so is the fragment.
    pub(crate) fn apply(&self, url: &mut Url) {
        if self.is_empty() {
            return;
        }
        let values = self.values();
        let mut placed = [false; 3];
        let mut query = String::new();
        if let Some(existing) = url.query() {
            for segment in existing.split('&').filter(|s| !s.is_empty()) {
                let raw_key = segment.split_once('=').map_or(segment, |(k, _)| k);
                let key = decoded_key(raw_key);
                let index = KEYS.iter().position(|k| *k == key);
                match index.and_then(|i| values[i].map(|v| (i, v))) {
                    Some((i, value)) => {
                        if !placed[i] {
                            push_utm(&mut query, i, value);
                            placed[i] = true;
                        }
                    }
                    None => push_segment(&mut query, segment),
                }
            }
        }
        for (i, value) in values.iter().enumerate() {
            if let (Some(value), false) = (value, placed[i]) {
                push_utm(&mut query, i, value);
            }
        }
        url.set_query(Some(&query));
    }
}

fn push_segment(query: &mut String, segment: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(segment);
}

fn push_utm(query: &mut String, index: usize, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(KEYS[index]);
    query.push('=');
    query.extend(form_urlencoded::byte_serialize(value.as_bytes()));
}

/// A query key as a server reads it (`+` is a space, `%xx` decoded).
fn decoded_key(raw: &str) -> String {
    form_urlencoded::parse(raw.as_bytes())
        .next()
        .map(|(key, _)| key.into_owned())
        .unwrap_or_default()
}

/// What a rewrite attaches to the links it creates: the UTM values and, optionally, the mailing
/// the links belong to (so that clicks can be counted per mailing).
///
/// ```
/// use smskit_links::Tracking;
/// let tracking = Tracking::new().with_campaign("spring").with_medium("sms").with_mailing("m-17");
/// assert_eq!(tracking.utm().campaign(), Some("spring"));
/// assert_eq!(tracking.mailing(), Some("m-17"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tracking {
    #[cfg_attr(feature = "serde", serde(default))]
    utm: Utm,
    #[cfg_attr(feature = "serde", serde(default))]
    mailing: Option<String>,
}

impl Tracking {
    /// No UTM values, no mailing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the UTM values.
    #[must_use]
    pub fn with_utm(mut self, utm: Utm) -> Self {
        self.utm = utm;
        self
    }

    /// Sets `utm_campaign`.
    #[must_use]
    pub fn with_campaign(mut self, name: impl Into<String>) -> Self {
        self.utm = self.utm.with_campaign(name);
        self
    }

    /// Sets `utm_source`.
    #[must_use]
    pub fn with_source(mut self, name: impl Into<String>) -> Self {
        self.utm = self.utm.with_source(name);
        self
    }

    /// Sets `utm_medium`.
    #[must_use]
    pub fn with_medium(mut self, name: impl Into<String>) -> Self {
        self.utm = self.utm.with_medium(name);
        self
    }

    /// Sets the mailing the links belong to (not added to the URL). Empty means none.
    #[must_use]
    pub fn with_mailing(mut self, id: impl Into<String>) -> Self {
        self.mailing = non_empty(id.into());
        self
    }

    /// The UTM values.
    pub fn utm(&self) -> &Utm {
        &self.utm
    }

    /// The mailing, if any.
    pub fn mailing(&self) -> Option<&str> {
        self.mailing.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, utm: &Utm) -> String {
        let mut url = Url::parse(url).unwrap();
        utm.apply(&mut url);
        url.to_string()
    }

    #[test]
    fn appends_in_order_and_encodes_values() {
        let utm = Utm::new()
            .with_campaign("Spring sale")
            .with_source("m&1")
            .with_medium("sms");
        assert_eq!(
            target("https://x.com/a", &utm),
            "https://x.com/a?utm_campaign=Spring+sale&utm_source=m%261&utm_medium=sms"
        );
    }

    #[test]
    fn replaces_in_place_keeps_others_and_fragment() {
        let utm = Utm::new().with_campaign("new").with_medium("sms");
        assert_eq!(
            target(
                "https://x.com/?q=a%20b&utm_campaign=old&x=+&utm_campaign=again#frag",
                &utm
            ),
            "https://x.com/?q=a%20b&utm_campaign=new&x=+&utm_medium=sms#frag"
        );
    }

    #[test]
    fn encoded_keys_are_recognised() {
        let utm = Utm::new().with_source("s");
        assert_eq!(
            target("https://x.com/?utm%5Fsource=old&b=1", &utm),
            "https://x.com/?utm_source=s&b=1"
        );
    }

    #[test]
    fn empty_values_leave_the_target_alone() {
        let utm = Utm::new()
            .with_campaign("")
            .with_source("  ")
            .with_medium("");
        assert!(utm.is_empty());
        assert_eq!(
            target("https://x.com/?utm_source=keep&&a=1#f", &utm),
            "https://x.com/?utm_source=keep&&a=1#f"
        );
        let utm = Utm::new().with_campaign("c");
        assert_eq!(
            target("https://x.com/?utm_source=keep&&a=1&#f", &utm),
            "https://x.com/?utm_source=keep&a=1&utm_campaign=c#f"
        );
        assert_eq!(
            target("https://x.com/?", &utm),
            "https://x.com/?utm_campaign=c"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_normalises_empty_values() {
        let utm: Utm = serde_json::from_str(r#"{"campaign":"","source":"s"}"#).unwrap();
        assert_eq!(utm, Utm::new().with_source("s"));
    }
}

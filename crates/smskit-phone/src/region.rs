//! ISO 3166-1 alpha-2 country codes.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, excerpt};

/// Every code a [`Region`] can hold, sorted.
///
/// The 249 officially assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency, 2024:
/// no change since `SS` in 2011 and `BQ`/`CW`/`SX` in 2010), plus the three codes libphonenumber
/// uses for places with a numbering plan of their own: `AC` (Ascension Island, +247) and `TA`
/// (Tristan da Cunha, +290 8) are "exceptionally reserved" by ISO, `XK` (Kosovo, +383) is the
/// user-assigned code in common use (EU, CLDR).
const CODES: [&str; 252] = [
    "AC", "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR",
    "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM",
    "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC",
    "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE",
    "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE",
    "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB",
    "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH",
    "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF",
    "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU",
    "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR",
    "SS", "ST", "SV", "SX", "SY", "SZ", "TA", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM",
    "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// A country or territory: an ISO 3166-1 alpha-2 code such as `BE`.
///
/// Parsing is case-insensitive and checks the code against the real list (plus `AC`, `TA` and
/// `XK`, which libphonenumber uses for places with a numbering plan of their own); the value is
/// always upper case. Serialized as the two-letter string.
///
/// ```
/// use smskit_phone::Region;
///
/// let be: Region = "be".parse()?;
/// assert_eq!(be.as_str(), "BE");
/// assert_eq!(be.to_string(), "BE");
/// assert!("ZZ".parse::<Region>().is_err());
/// # Ok::<(), smskit_phone::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region(u8);

impl Region {
    /// Every region, in alphabetical order.
    pub fn all() -> impl ExactSizeIterator<Item = Region> + Clone {
        const _: () = assert!(CODES.len() <= u8::MAX as usize);
        #[allow(clippy::cast_possible_truncation, reason = "asserted above")]
        (0..CODES.len() as u8).map(Region)
    }

    /// The region at `index` in the sorted list (generated tables only).
    pub(crate) const fn from_index(index: u8) -> Region {
        Region(index)
    }

    /// The number of regions.
    pub(crate) const COUNT: usize = CODES.len();

    /// The position of the region in the sorted list.
    pub(crate) const fn index(self) -> usize {
        // `usize::from` is not `const`; widening a `u8` is lossless.
        self.0 as usize
    }

    /// Parses a code (case-insensitive, no surrounding white space).
    ///
    /// # Errors
    /// [`Error::UnknownRegion`] when `code` is not in the list.
    pub fn parse(code: &str) -> Result<Region, Error> {
        let bytes = code.as_bytes();
        if let [a, b] = bytes {
            let upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
            if let Ok(index) =
                CODES.binary_search_by(|candidate| candidate.as_bytes().cmp(&upper[..]))
                && let Ok(index) = u8::try_from(index)
            {
                return Ok(Region(index));
            }
        }
        Err(Error::UnknownRegion {
            input: excerpt(code),
        })
    }

    /// The upper-case two-letter code, e.g. `"BE"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        CODES.get(usize::from(self.0)).copied().unwrap_or("ZZ")
    }
}

impl FromStr for Region {
    type Err = Error;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Region::parse(code)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({})", self.as_str())
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Region;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 3166-1 alpha-2 country code")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Region, E> {
                Region::parse(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_upper_case_pairs() {
        assert!(CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(
            CODES
                .iter()
                .all(|code| code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()))
        );
        assert_eq!(Region::all().len(), 252);
    }

    #[test]
    fn parse_is_case_insensitive_and_checked() {
        assert_eq!(Region::parse("be").map(Region::as_str), Ok("BE"));
        assert_eq!(Region::parse("Be").map(Region::as_str), Ok("BE"));
        for bad in ["", "B", "BEL", "ZZ", "UK", "EU", " BE", "É", "0A"] {
            assert!(
                matches!(Region::parse(bad), Err(Error::UnknownRegion { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn order_is_alphabetical() {
        let regions: Vec<Region> = Region::all().collect();
        let mut sorted = regions.clone();
        sorted.sort_by_key(|r| r.as_str());
        assert_eq!(regions, sorted);
        assert!(Region::parse("BE").unwrap() < Region::parse("FR").unwrap());
    }
}

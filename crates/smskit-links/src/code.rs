//! Short codes and trace ids: validated newtypes whose characters are all GSM-7 basic and
//! URL-safe, and the code allocation policy (random base62, length 3 growing on collision).

use std::borrow::Borrow;
use std::fmt;

use rand_core::Rng;

use crate::Error;

/// The 62 characters codes are drawn from.
const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Length of a freshly allocated code before any collision.
pub const MIN_CODE_LEN: usize = 3;

/// The longest code [`allocate_code`] tries before giving up. With a working random generator
/// this is never reached: 62^8 codes already exceed any realistic store.
pub const MAX_CODE_LEN: usize = 32;

/// Longest accepted code or trace id.
const MAX_ID_LEN: usize = 64;

/// A short code: 1 to 64 characters of `[A-Za-z0-9]` (allocated codes have at least
/// [`MIN_CODE_LEN`]).
///
/// ```
/// use smskit_links::Code;
/// let code = Code::new("aB3")?;
/// assert_eq!(code.as_str(), "aB3");
/// assert!(Code::new("a-b").is_err());
/// # Ok::<(), smskit_links::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Code(String);

impl Code {
    /// Validates `code`.
    pub fn new(code: impl Into<String>) -> Result<Self, Error> {
        let code = code.into();
        if is_code(&code) {
            Ok(Self(code))
        } else {
            Err(Error::InvalidCode { code })
        }
    }

    /// A uniformly random code of `len` characters (clamped to 1..=64) drawn from `rng`.
    ///
    /// ```
    /// use smskit_links::rand_core::SeedableRng;
    /// use smskit_links::{Code, StdRng};
    /// let code = Code::random(&mut StdRng::seed_from_u64(7), 5);
    /// assert_eq!(code.as_str().len(), 5);
    /// ```
    pub fn random<R: Rng + ?Sized>(rng: &mut R, len: usize) -> Self {
        let len = len.clamp(1, MAX_ID_LEN);
        let mut code = String::with_capacity(len);
        for _ in 0..len {
            // Multiply-shift maps a 32-bit draw onto 0..62 with a bias below 2^-26 and, unlike
            // rejection sampling, never loops on a degenerate generator.
            let index = (u64::from(rng.next_u32()) * 62) >> 32;
            code.push(char::from(ALPHABET[index as usize]));
        }
        Self(code)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The allocation policy every [`LinkStore`](crate::LinkStore) follows: draw a random code of
/// [`MIN_CODE_LEN`] characters; while `is_taken` says the code exists, draw again one character
/// longer. Fails with [`Error::CodesExhausted`] past [`MAX_CODE_LEN`] (a broken generator).
///
/// ```
/// use std::collections::HashSet;
/// use smskit_links::rand_core::SeedableRng;
/// use smskit_links::{allocate_code, Code, StdRng};
/// // The code seed 7 draws first is taken, so the next draw is one character longer.
/// let taken: HashSet<Code> = [Code::random(&mut StdRng::seed_from_u64(7), 3)].into();
/// let code = allocate_code(&mut StdRng::seed_from_u64(7), |code| Ok(taken.contains(code)))?;
/// assert_eq!(code.as_str().len(), 4);
/// # Ok::<(), smskit_links::Error>(())
/// ```
pub fn allocate_code<R, F>(rng: &mut R, mut is_taken: F) -> Result<Code, Error>
where
    R: Rng + ?Sized,
    F: FnMut(&Code) -> Result<bool, Error>,
{
    for len in MIN_CODE_LEN..=MAX_CODE_LEN {
        let code = Code::random(rng, len);
        if !is_taken(&code)? {
            return Ok(code);
        }
    }
    Err(Error::CodesExhausted {
        max_len: MAX_CODE_LEN,
    })
}

fn is_code(s: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Code {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Code {
    type Error = Error;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Code> for String {
    fn from(code: Code) -> Self {
        code.0
    }
}

/// The id of one SMS sent to one recipient (a "trace"), as carried in a personalised short link
/// `<base>/r/<code>/s/<trace>`: 1 to 64 characters of `[A-Za-z0-9_-]`, all GSM-7 basic and
/// URL-safe.
///
/// ```
/// use smskit_links::TraceId;
/// assert_eq!(TraceId::new("t-42")?.as_str(), "t-42");
/// assert_eq!(TraceId::from(42u64).as_str(), "42");
/// assert!(TraceId::new("a/b").is_err());
/// # Ok::<(), smskit_links::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct TraceId(String);

impl TraceId {
    /// Validates `trace`.
    pub fn new(trace: impl Into<String>) -> Result<Self, Error> {
        let trace = trace.into();
        if is_trace(&trace) {
            Ok(Self(trace))
        } else {
            Err(Error::InvalidTraceId { trace })
        }
    }

    /// The trace id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_trace(s: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl From<u64> for TraceId {
    fn from(id: u64) -> Self {
        Self(id.to_string())
    }
}

impl From<u32> for TraceId {
    fn from(id: u32) -> Self {
        Self(id.to_string())
    }
}

impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TraceId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for TraceId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TraceId {
    type Error = Error;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<TraceId> for String {
    fn from(trace: TraceId) -> Self {
        trace.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::HashSet;

    #[test]
    fn random_codes_are_base62_of_the_requested_length() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut seen = HashSet::new();
        for len in [1, 3, 8, 64, 100] {
            let code = Code::random(&mut rng, len);
            assert_eq!(code.as_str().len(), len.min(64));
            assert!(is_code(code.as_str()));
        }
        for _ in 0..2000 {
            let code = Code::random(&mut rng, 3);
            for c in code.as_str().chars() {
                seen.insert(c);
            }
        }
        assert_eq!(seen.len(), 62, "every base62 character shows up");
    }

    #[test]
    fn allocation_grows_one_character_per_collision() {
        let mut rng = StdRng::seed_from_u64(9);
        let mut lens = Vec::new();
        let code = allocate_code(&mut rng, |code| {
            lens.push(code.as_str().len());
            Ok(code.as_str().len() < 6)
        })
        .unwrap();
        assert_eq!(code.as_str().len(), 6);
        assert_eq!(lens, [3, 4, 5, 6]);
    }

    #[test]
    fn allocation_gives_up_instead_of_looping() {
        let mut rng = StdRng::seed_from_u64(9);
        let err = allocate_code(&mut rng, |_| Ok(true)).unwrap_err();
        assert!(matches!(err, Error::CodesExhausted { max_len: 32 }));
    }

    #[test]
    fn validation() {
        assert!(Code::new("").is_err());
        assert!(Code::new("a".repeat(65)).is_err());
        assert!(Code::new("a".repeat(64)).is_ok());
        assert!(Code::new("ab_").is_err());
        assert!(Code::new("é").is_err());
        assert!(TraceId::new("").is_err());
        assert!(TraceId::new("a_b-C9").is_ok());
        assert!(TraceId::new("a b").is_err());
        assert!(TraceId::new("a~b").is_err());
    }
}

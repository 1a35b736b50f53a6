//! Deterministic test samples: who receives which version, and who is left for the winner.
//!
//! # The algorithm (stable across platforms and crate versions)
//!
//! 1. **Encoding.** Every record id is turned into bytes ([`SampleId`]): integers (signed or
//!    unsigned, any width) as their value in 64-bit two's complement, **little-endian** (8 bytes);
//!    strings as their UTF-8 bytes, without length or terminator.
//! 2. **Hash.** [`sample_hash`] is SipHash-2-4 (Aumasson & Bernstein, the reference algorithm)
//!    over those bytes with the 128-bit key `k0 = seed`, `k1 = 0x6261_7469_6b73_6d73`
//!    ([`SAMPLE_KEY_TAG`], the ASCII bytes `smskitab` read little-endian), giving a `u64`.
//! 3. **Rank.** The distinct ids of the audience that are not yet traced are sorted by
//!    ascending hash; the (astronomically rare) equal hashes are ordered by their byte encodings,
//!    compared lexicographically. Repeated ids count once.
//! 4. **Sizes.** Every version gets `max(floor(N * pc / 100), 1)` recipients ([`sample_size`]),
//!    where `N` is the number of distinct ids in the *whole* audience (traced ones included),
//!    capped by what is left.
//! 5. **Cut.** Version 0 takes the first recipients of the ranking, version 1 the next ones, and so
//!    on; everyone after them is the remainder (the audience of the winner).
//!
//! Consequences, all covered by tests:
//! - the same seed, the same set of ids and the same versions give the same samples on any
//!   machine, whatever the order of the audience;
//! - versions never share a recipient, and a traced recipient is never drawn again;
//! - drawing the versions one at a time, each time excluding the recipients already traced, gives
//!   exactly the samples of drawing them all at once (the ranking does not depend on the version);
//! - when recipients are added to the audience, a recipient who was drawn can only lose its place
//!   to a newcomer ranked before it, and a recipient who was not drawn is not drawn unless the
//!   sample sizes grew: nobody is reshuffled.
//!
//! The hash is uniform, so every subset of the eligible recipients of the right size is equally
//! likely over seeds (up to the negligible bias of a 64-bit hash).

use siphasher::sip::SipHasher24;

use crate::error::Error;

/// The second half of the SipHash key: the bytes `smskitab` read as a little-endian `u64`.
///
/// It separates this use of the seed from any other use the application makes of it.
pub const SAMPLE_KEY_TAG: u64 = u64::from_le_bytes(*b"smskitab");

/// The seed of an A/B test's samples: store it with the test to be able to draw the same samples
/// again (a campaign id, or a random number chosen when the test is created).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Seed(u64);

impl Seed {
    /// A seed with this value.
    #[must_use]
    pub const fn new(value: u64) -> Self {
        Self(value)
    }

    /// The value of the seed.
    #[must_use]
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for Seed {
    fn from(value: u64) -> Self {
        Self(value)
    }
}

/// The share of the audience each version is sent to, `pc` in percent: an integer from 1 to 100,
/// 10 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u32", into = "u32"))]
pub struct TestShare(u8);

impl TestShare {
    /// The default share, 10%.
    pub const DEFAULT: Self = Self(10);

    /// A share of `pc` percent.
    ///
    /// # Errors
    /// [`Error::InvalidShare`] unless `1 <= pc <= 100`.
    ///
    /// ```
    /// use smskit_abtest::TestShare;
    /// assert_eq!(TestShare::new(25).unwrap().percent(), 25);
    /// assert!(TestShare::new(0).is_err());
    /// assert!(TestShare::new(101).is_err());
    /// ```
    pub fn new(pc: u32) -> Result<Self, Error> {
        match u8::try_from(pc) {
            Ok(p) if (1..=100).contains(&p) => Ok(Self(p)),
            _ => Err(Error::InvalidShare { pc }),
        }
    }

    /// The share in percent (1..=100).
    #[must_use]
    pub const fn percent(self) -> u32 {
        self.0 as u32
    }
}

impl Default for TestShare {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for TestShare {
    type Error = Error;
    fn try_from(pc: u32) -> Result<Self, Error> {
        Self::new(pc)
    }
}

impl From<TestShare> for u32 {
    fn from(share: TestShare) -> Self {
        share.percent()
    }
}

/// A record id that can be sampled: it has a documented, stable byte encoding (see the
/// [module documentation](self)).
///
/// Implemented for the integer types (encoded as 64-bit two's complement little-endian, so the
/// same value encodes the same way whatever its Rust type), for `str` and `String` (UTF-8 bytes),
/// and for references to any of these.
pub trait SampleId {
    /// Calls `f` with the byte encoding of this id and returns its result.
    fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R;
}

macro_rules! sample_id_unsigned {
    ($($t:ty),*) => {$(
        impl SampleId for $t {
            fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
                f(&(*self as u64).to_le_bytes())
            }
        }
    )*};
}
macro_rules! sample_id_signed {
    ($($t:ty),*) => {$(
        impl SampleId for $t {
            fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
                f(&(*self as i64).to_le_bytes())
            }
        }
    )*};
}
sample_id_unsigned!(u8, u16, u32, u64, usize);
sample_id_signed!(i8, i16, i32, i64, isize);

impl SampleId for str {
    fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        f(self.as_bytes())
    }
}

impl SampleId for String {
    fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        f(self.as_bytes())
    }
}

impl<T: SampleId + ?Sized> SampleId for &T {
    fn with_sample_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        (**self).with_sample_bytes(f)
    }
}

/// The sampling hash of a record id: SipHash-2-4 keyed by `(seed, SAMPLE_KEY_TAG)` over the id's
/// byte encoding. Recipients are drawn in ascending order of this value.
///
/// ```
/// use smskit_abtest::{sample_hash, Seed};
/// // Fixed forever: the golden vectors in testdata/ lock these values.
/// assert_eq!(sample_hash(Seed::new(42), &7u64), sample_hash(Seed::new(42), &7i32));
/// assert_ne!(sample_hash(Seed::new(42), &7u64), sample_hash(Seed::new(43), &7u64));
/// ```
#[must_use]
pub fn sample_hash<I: SampleId + ?Sized>(seed: Seed, id: &I) -> u64 {
    let hasher = SipHasher24::new_with_keys(seed.0, SAMPLE_KEY_TAG);
    id.with_sample_bytes(|bytes| hasher.hash(bytes))
}

/// The number of recipients per version for an audience of `audience_size` distinct records:
/// `max(floor(N * pc / 100), 1)`, before capping by the recipients left.
///
/// ```
/// use smskit_abtest::{sample_size, TestShare};
/// let ten = TestShare::new(10).unwrap();
/// assert_eq!(sample_size(1000, ten), 100);
/// assert_eq!(sample_size(19, ten), 1);
/// assert_eq!(sample_size(5, ten), 1); // never zero
/// ```
#[must_use]
pub fn sample_size(audience_size: usize, share: TestShare) -> usize {
    // floor(N * pc / 100) with N = 100q + r is q * pc + floor(r * pc / 100): exact, and no
    // intermediate exceeds N, so it cannot overflow.
    let pc = usize::from(share.0);
    let (whole, rest) = (audience_size / 100, audience_size % 100);
    (whole * pc + rest * pc / 100).max(1)
}

/// The most versions an A/B test may have, to draw or to compare. A bound far above any real
/// test (each version gets at least 1% of the audience, so past a few hundred versions the last
/// ones are empty) that keeps a stored or mistyped plan from exhausting memory and a comparison
/// (whose cost grows with the square of the versions that overlap) within seconds.
pub const MAX_VERSIONS: usize = 1_000;

/// How to draw the samples of an A/B test: the seed, the number of versions and the share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PlanRepr", into = "PlanRepr"))]
pub struct SamplePlan {
    seed: Seed,
    versions: usize,
    share: TestShare,
}

/// The serialized form of a [`SamplePlan`], validated on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct PlanRepr {
    seed: Seed,
    versions: usize,
    share: TestShare,
}

#[cfg(feature = "serde")]
impl TryFrom<PlanRepr> for SamplePlan {
    type Error = Error;
    fn try_from(repr: PlanRepr) -> Result<Self, Error> {
        Ok(Self::new(repr.seed, repr.versions)?.with_share(repr.share))
    }
}

#[cfg(feature = "serde")]
impl From<SamplePlan> for PlanRepr {
    fn from(plan: SamplePlan) -> Self {
        Self {
            seed: plan.seed,
            versions: plan.versions,
            share: plan.share,
        }
    }
}

impl SamplePlan {
    /// A plan for `versions` versions with the default 10% share.
    ///
    /// # Errors
    /// [`Error::NoVersions`] when `versions` is zero, [`Error::TooManyVersions`] above
    /// [`MAX_VERSIONS`].
    pub fn new(seed: Seed, versions: usize) -> Result<Self, Error> {
        if versions == 0 {
            return Err(Error::NoVersions);
        }
        if versions > MAX_VERSIONS {
            return Err(Error::TooManyVersions {
                versions,
                max: MAX_VERSIONS,
            });
        }
        Ok(Self {
            seed,
            versions,
            share: TestShare::DEFAULT,
        })
    }

    /// The seed of the draw.
    #[must_use]
    pub const fn seed(&self) -> Seed {
        self.seed
    }

    /// How many versions get a sample (1 to [`MAX_VERSIONS`]).
    #[must_use]
    pub const fn versions(&self) -> usize {
        self.versions
    }

    /// The share of the audience each version gets.
    #[must_use]
    pub const fn share(&self) -> TestShare {
        self.share
    }

    /// The same plan with another share.
    #[must_use]
    pub fn with_share(self, share: TestShare) -> Self {
        Self { share, ..self }
    }

    /// Draws the samples of every version from `audience`, skipping the ids in `traced` (the
    /// recipients any version of the campaign already has a trace for).
    ///
    /// Each sample and the remainder list ids in audience order (first occurrence); traced ids
    /// that are not in the audience are ignored.
    ///
    /// ```
    /// use smskit_abtest::{SamplePlan, Seed, TestShare};
    ///
    /// let audience: Vec<u64> = (1..=1000).collect();
    /// let plan = SamplePlan::new(Seed::new(2024), 2)?.with_share(TestShare::new(10)?);
    /// let drawn = plan.assign(&audience, &[] as &[u64]);
    /// assert_eq!(drawn.samples[0].len(), 100);
    /// assert_eq!(drawn.samples[1].len(), 100);
    /// assert_eq!(drawn.remainder.len(), 800);
    /// assert!(drawn.samples[0].iter().all(|id| !drawn.samples[1].contains(id)));
    ///
    /// // Version B drawn later, after version A was traced, gets the same recipients.
    /// let later = SamplePlan::new(Seed::new(2024), 1)?.assign(&audience, &drawn.samples[0]);
    /// assert_eq!(later.samples[0], drawn.samples[1]);
    /// # Ok::<(), smskit_abtest::Error>(())
    /// ```
    #[must_use]
    pub fn assign<I, T>(&self, audience: &[I], traced: T) -> Assignment<I>
    where
        I: SampleId + Clone,
        T: IntoIterator,
        T::Item: SampleId,
    {
        let ranked = rank(self.seed, audience, traced);
        let size = sample_size(ranked.audience_size, self.share);
        let versions = self.versions;
        let mut label = vec![Label::Skipped; audience.len()];
        let mut counts = vec![0usize; versions];
        let mut version = 0;
        for &pos in &ranked.eligible {
            while version < versions && counts[version] >= size {
                version += 1;
            }
            if version < versions {
                label[pos] = Label::Version(version);
                counts[version] += 1;
            } else {
                label[pos] = Label::Remainder;
            }
        }
        let mut samples: Vec<Vec<I>> = counts.iter().map(|&c| Vec::with_capacity(c)).collect();
        let mut remainder =
            Vec::with_capacity(ranked.eligible.len() - counts.iter().sum::<usize>());
        for (id, &l) in audience.iter().zip(&label) {
            match l {
                Label::Skipped => {}
                Label::Remainder => remainder.push(id.clone()),
                Label::Version(v) => {
                    if let Some(sample) = samples.get_mut(v) {
                        sample.push(id.clone());
                    }
                }
            }
        }
        Assignment {
            samples,
            remainder,
            audience_size: ranked.audience_size,
            sample_size: size,
            already_traced: ranked.already_traced,
            duplicates: ranked.duplicates,
        }
    }
}

/// Where the draw puts one position of the audience.
#[derive(Debug, Clone, Copy)]
enum Label {
    /// Already traced, or a repeat of an earlier id.
    Skipped,
    /// Not drawn: left for the winner.
    Remainder,
    /// In the sample of this version.
    Version(usize),
}

/// The outcome of a draw: the sample of each version and the remainder.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Assignment<I> {
    /// The recipients of each version, in the order of the versions; each in audience order.
    pub samples: Vec<Vec<I>>,
    /// The recipients left for the winner (not traced, not drawn), in audience order.
    pub remainder: Vec<I>,
    /// `N`: the number of distinct ids in the whole audience, traced ones included.
    pub audience_size: usize,
    /// The uncapped sample size per version, `max(floor(N * pc / 100), 1)`.
    pub sample_size: usize,
    /// Distinct audience ids skipped because they were already traced.
    pub already_traced: usize,
    /// Audience entries skipped because the same id appeared earlier.
    pub duplicates: usize,
}

/// The distinct, untraced recipients of `audience` in audience order: who is left to receive the
/// winning version (the final mailing goes to everyone not traced by any version).
///
/// ```
/// use smskit_abtest::remaining_recipients;
/// let left = remaining_recipients(&["a", "b", "c", "b", "d"], ["b", "x"]);
/// assert_eq!(left, ["a", "c", "d"]);
/// ```
#[must_use]
pub fn remaining_recipients<I, T>(audience: &[I], traced: T) -> Vec<I>
where
    I: SampleId + Clone,
    T: IntoIterator,
    T::Item: SampleId,
{
    // The seed only orders the ranking, which the output (audience order) does not depend on.
    let ranked = rank(Seed::new(0), audience, traced);
    let mut keep = vec![false; audience.len()];
    for &pos in &ranked.eligible {
        keep[pos] = true;
    }
    audience
        .iter()
        .zip(keep)
        .filter(|&(_, k)| k)
        .map(|(id, _)| id.clone())
        .collect()
}

/// The ranking of an audience: eligible positions in draw order plus counts.
struct Ranked {
    /// Audience positions of the distinct, untraced ids, in ascending (hash, encoding) order.
    eligible: Vec<usize>,
    audience_size: usize,
    already_traced: usize,
    duplicates: usize,
}

fn cmp_encoding<A: SampleId + ?Sized, B: SampleId + ?Sized>(a: &A, b: &B) -> std::cmp::Ordering {
    a.with_sample_bytes(|x| b.with_sample_bytes(|y| x.cmp(y)))
}

fn rank<I, T>(seed: Seed, audience: &[I], traced: T) -> Ranked
where
    I: SampleId,
    T: IntoIterator,
    T::Item: SampleId,
{
    let mut keyed: Vec<(u64, usize)> = audience
        .iter()
        .enumerate()
        .map(|(pos, id)| (sample_hash(seed, id), pos))
        .collect();
    keyed.sort_unstable();

    let traced: Vec<T::Item> = traced.into_iter().collect();
    let mut traced_keys: Vec<(u64, usize)> = traced
        .iter()
        .enumerate()
        .map(|(i, id)| (sample_hash(seed, id), i))
        .collect();
    traced_keys.sort_unstable();
    let is_traced = |hash: u64, id: &I| -> bool {
        let start = traced_keys.partition_point(|&(h, _)| h < hash);
        traced_keys[start..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .any(|&(_, i)| {
                traced
                    .get(i)
                    .is_some_and(|t| cmp_encoding(t, id) == std::cmp::Ordering::Equal)
            })
    };

    let mut eligible = Vec::with_capacity(keyed.len());
    let mut audience_size = 0;
    let mut already_traced = 0;
    let mut duplicates = 0;
    let mut run: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < keyed.len() {
        let hash = keyed[i].0;
        let mut j = i + 1;
        while j < keyed.len() && keyed[j].0 == hash {
            j += 1;
        }
        // A run of equal hashes: repeats of one id (first occurrence kept) or, very rarely, a
        // collision between distinct ids (ordered by their encodings, never by input order).
        run.clear();
        run.extend(keyed[i..j].iter().map(|&(_, pos)| pos));
        if run.len() > 1 {
            run.sort_by(|&a, &b| cmp_encoding(&audience[a], &audience[b]).then(a.cmp(&b)));
        }
        let mut previous: Option<usize> = None;
        for &pos in &run {
            if let Some(prev) = previous
                && cmp_encoding(&audience[prev], &audience[pos]) == std::cmp::Ordering::Equal
            {
                duplicates += 1;
                continue;
            }
            previous = Some(pos);
            audience_size += 1;
            if !traced_keys.is_empty() && is_traced(hash, &audience[pos]) {
                already_traced += 1;
            } else {
                eligible.push(pos);
            }
        }
        i = j;
    }
    Ranked {
        eligible,
        audience_size,
        already_traced,
        duplicates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sip_key_tag_spells_smskitab() {
        assert_eq!(SAMPLE_KEY_TAG, 0x6261_7469_6b73_6d73);
    }

    #[test]
    fn integer_encodings_agree_across_types() {
        let seed = Seed::new(9);
        assert_eq!(sample_hash(seed, &5u8), sample_hash(seed, &5u64));
        assert_eq!(sample_hash(seed, &5i16), sample_hash(seed, &5usize));
        assert_eq!(sample_hash(seed, &-1i32), sample_hash(seed, &u64::MAX));
        assert_eq!(
            sample_hash(seed, "abc"),
            sample_hash(seed, &String::from("abc"))
        );
    }

    #[test]
    fn sample_size_rules() {
        let share = |p| TestShare::new(p).unwrap();
        assert_eq!(sample_size(0, share(10)), 1);
        assert_eq!(sample_size(9, share(10)), 1);
        assert_eq!(sample_size(10, share(10)), 1);
        assert_eq!(sample_size(29, share(10)), 2);
        assert_eq!(sample_size(7, share(100)), 7);
        assert_eq!(sample_size(usize::MAX, share(100)), usize::MAX);
    }

    #[test]
    fn empty_audience_gives_empty_samples() {
        let plan = SamplePlan::new(Seed::new(1), 3).unwrap();
        let a = plan.assign::<u64, _>(&[], [0u64; 0]);
        assert_eq!(a.samples, vec![Vec::<u64>::new(); 3]);
        assert!(a.remainder.is_empty());
        assert_eq!(a.audience_size, 0);
    }

    #[test]
    fn duplicates_and_traced_are_skipped() {
        let plan = SamplePlan::new(Seed::new(1), 1)
            .unwrap()
            .with_share(TestShare::new(100).unwrap());
        let a = plan.assign(&[3u64, 1, 3, 2, 1], [2u64, 99]);
        assert_eq!(a.audience_size, 3);
        assert_eq!(a.duplicates, 2);
        assert_eq!(a.already_traced, 1);
        assert_eq!(a.samples[0], vec![3, 1]);
        assert!(a.remainder.is_empty());
    }

    #[test]
    fn zero_versions_is_an_error() {
        assert_eq!(SamplePlan::new(Seed::new(1), 0), Err(Error::NoVersions));
    }
}

//! Values read from records, compile-time scalars, and Python's equality and ordering
//! between them.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use crate::py::{self, SmallBuf};

/// A field value read from a record.
///
/// `Null` means "never set" (Odoo's `False`/`NULL`). For integer, float and monetary
/// fields it reads as 0, for booleans as `False`. A many2one is `Id(id)` (or `Null`), an
/// x2many `Ids(&[..])`; `Int` and `Ids` of one element are accepted for a many2one too.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum FieldValue<'a> {
    /// Not set.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (also monetary amounts).
    Float(f64),
    /// Text (char, text, html, selection).
    Str(&'a str),
    /// A date.
    Date(NaiveDate),
    /// A naive UTC date-time.
    DateTime(NaiveDateTime),
    /// The id of the related record of a many2one.
    Id(i64),
    /// The ids of related records (x2many).
    Ids(&'a [i64]),
}

impl FieldValue<'_> {
    /// Python truthiness of the value as Odoo reads it.
    pub(crate) fn is_falsy(&self) -> bool {
        match *self {
            Self::Null | Self::Bool(false) | Self::Int(0) | Self::Id(0) => true,
            Self::Float(f) => f == 0.0,
            Self::Str(s) => s.is_empty(),
            Self::Ids(ids) => ids.is_empty(),
            _ => false,
        }
    }

    /// Calls `f` with each related id; `None` when there is no related record.
    #[inline]
    pub(crate) fn any_related(&self, mut f: impl FnMut(i64) -> bool) -> Option<bool> {
        match *self {
            Self::Id(id) | Self::Int(id) if id != 0 => Some(f(id)),
            Self::Ids(ids) if !ids.is_empty() => Some(ids.iter().any(|&id| f(id))),
            _ => None,
        }
    }
}

/// A compile-time value a record value is compared with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Box<str>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// `None`, tuples and lists: never equal to a record value, not ordered with it.
    Other,
}

impl Scalar {
    pub(crate) fn describe(&self) -> String {
        let mut out = String::new();
        let _ = match self {
            Self::Bool(b) => out.write_str(py::bool_str(*b)),
            Self::Int(i) => write!(out, "{i}"),
            Self::Float(f) => py::write_float(&mut out, *f),
            Self::Str(s) => py::write_str_repr(&mut out, s),
            Self::Date(d) => write!(out, "'{}'", d.format("%Y-%m-%d")),
            Self::DateTime(d) => write!(out, "'{}'", d.format("%Y-%m-%d %H:%M:%S")),
            Self::Other => out.write_str("<value>"),
        };
        out
    }
}

/// Exact ordering of an integer and a float (as Python does it).
pub(crate) fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    #[allow(
        clippy::cast_possible_truncation,
        reason = "whole is integral and in range"
    )]
    let whole_int = whole as i64;
    Some(match i.cmp(&whole_int) {
        Ordering::Equal => {
            let frac = f - whole;
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        other => other,
    })
}

fn num(value: &FieldValue<'_>) -> Option<Num> {
    match *value {
        FieldValue::Bool(b) => Some(Num::Int(i64::from(b))),
        FieldValue::Int(i) | FieldValue::Id(i) => Some(Num::Int(i)),
        FieldValue::Float(f) => Some(Num::Float(f)),
        FieldValue::Null => Some(Num::Int(0)),
        _ => None,
    }
}

fn scalar_num(value: &Scalar) -> Option<Num> {
    match *value {
        Scalar::Bool(b) => Some(Num::Int(i64::from(b))),
        Scalar::Int(i) => Some(Num::Int(i)),
        Scalar::Float(f) => Some(Num::Float(f)),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn cmp_num(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        (Num::Int(x), Num::Float(y)) => cmp_int_float(x, y),
        (Num::Float(x), Num::Int(y)) => cmp_int_float(y, x).map(Ordering::reverse),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y),
    }
}

/// Python's `record_value <op> value` ordering; `None` when Python raises `TypeError`
/// (or compares with NaN), which Odoo turns into "no match".
pub(crate) fn py_cmp(record: &FieldValue<'_>, value: &Scalar) -> Option<Ordering> {
    match (record, value) {
        (FieldValue::Str(a), Scalar::Str(b)) => Some((*a).cmp(&**b)),
        (FieldValue::Date(a), Scalar::Date(b)) => Some(a.cmp(b)),
        (FieldValue::DateTime(a), Scalar::DateTime(b)) => Some(a.cmp(b)),
        _ => cmp_num(num(record)?, scalar_num(value)?),
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    #[inline]
    pub(crate) fn test(self, ordering: Ordering) -> bool {
        match self {
            Self::Lt => ordering == Ordering::Less,
            Self::Le => ordering != Ordering::Greater,
            Self::Gt => ordering == Ordering::Greater,
            Self::Ge => ordering != Ordering::Less,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

/// Sets of strings: a short list is faster to scan than to hash.
#[derive(Clone, Debug)]
enum StrSet {
    Few(Vec<Box<str>>),
    Many(HashSet<Box<str>>),
}

impl Default for StrSet {
    fn default() -> Self {
        Self::Few(Vec::new())
    }
}

impl StrSet {
    fn from_vec(mut items: Vec<Box<str>>) -> Self {
        items.sort();
        items.dedup();
        if items.len() <= 8 {
            Self::Few(items)
        } else {
            Self::Many(items.into_iter().collect())
        }
    }

    #[inline]
    fn contains(&self, text: &str) -> bool {
        match self {
            Self::Few(items) => items.iter().any(|s| **s == *text),
            Self::Many(set) => set.contains(text),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = &Box<str>> + '_> {
        match self {
            Self::Few(items) => Box::new(items.iter()),
            Self::Many(set) => {
                let mut sorted: Vec<&Box<str>> = set.iter().collect();
                sorted.sort();
                Box::new(sorted.into_iter())
            }
        }
    }
}

/// The values of an `in` condition, matched with Python equality (`1 == 1.0 == True`).
#[derive(Clone, Debug, Default)]
pub(crate) struct ScalarSet {
    ints: Vec<i64>,
    floats: Vec<f64>,
    strs: StrSet,
    dates: Vec<NaiveDate>,
    datetimes: Vec<NaiveDateTime>,
}

impl ScalarSet {
    pub(crate) fn new(values: impl IntoIterator<Item = Scalar>) -> Self {
        let mut set = Self::default();
        let mut strs = Vec::new();
        for value in values {
            match value {
                Scalar::Bool(b) => set.ints.push(i64::from(b)),
                Scalar::Int(i) => set.ints.push(i),
                Scalar::Float(f) => match float_as_int(f) {
                    Some(i) => set.ints.push(i),
                    None if !f.is_nan() => set.floats.push(f),
                    None => {}
                },
                Scalar::Str(s) => strs.push(s),
                Scalar::Date(d) => set.dates.push(d),
                Scalar::DateTime(d) => set.datetimes.push(d),
                Scalar::Other => {}
            }
        }
        set.ints.sort_unstable();
        set.ints.dedup();
        set.strs = StrSet::from_vec(strs);
        set
    }

    #[inline]
    pub(crate) fn contains(&self, value: &FieldValue<'_>) -> bool {
        match *value {
            FieldValue::Str(s) => self.strs.contains(s),
            FieldValue::Bool(b) => self.contains_int(i64::from(b)),
            FieldValue::Int(i) | FieldValue::Id(i) => self.contains_int(i),
            FieldValue::Float(f) => match float_as_int(f) {
                Some(i) => self.contains_int(i),
                None => self.floats.contains(&f),
            },
            FieldValue::Date(d) => self.dates.contains(&d),
            FieldValue::DateTime(d) => self.datetimes.contains(&d),
            FieldValue::Null | FieldValue::Ids(_) => false,
        }
    }

    #[inline]
    pub(crate) fn contains_int(&self, value: i64) -> bool {
        if self.ints.len() <= 8 {
            self.ints.contains(&value)
        } else {
            self.ints.binary_search(&value).is_ok()
        }
    }

    /// The integers (booleans and integral floats included), ascending.
    pub(crate) fn ints(&self) -> &[i64] {
        &self.ints
    }

    /// The non-integral floats.
    pub(crate) fn floats(&self) -> &[f64] {
        &self.floats
    }

    /// The strings, sorted.
    pub(crate) fn strs(&self) -> Vec<&str> {
        self.strs.iter().map(|s| &**s).collect()
    }

    /// The dates.
    pub(crate) fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// The date-times.
    pub(crate) fn datetimes(&self) -> &[NaiveDateTime] {
        &self.datetimes
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ints.is_empty()
            && self.floats.is_empty()
            && self.dates.is_empty()
            && self.datetimes.is_empty()
            && match &self.strs {
                StrSet::Few(items) => items.is_empty(),
                StrSet::Many(set) => set.is_empty(),
            }
    }

    pub(crate) fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for s in self.strs.iter() {
            let mut out = String::new();
            let _ = py::write_str_repr(&mut out, s);
            parts.push(out);
        }
        parts.extend(self.ints.iter().map(ToString::to_string));
        for f in &self.floats {
            let mut out = String::new();
            let _ = py::write_float(&mut out, *f);
            parts.push(out);
        }
        parts.extend(
            self.dates
                .iter()
                .map(|d| format!("'{}'", d.format("%Y-%m-%d"))),
        );
        parts.extend(
            self.datetimes
                .iter()
                .map(|d| format!("'{}'", d.format("%Y-%m-%d %H:%M:%S"))),
        );
        format!("[{}]", parts.join(", "))
    }
}

/// The integer equal to a float, when there is one.
pub(crate) fn float_as_int(f: f64) -> Option<i64> {
    if f.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
    {
        #[allow(clippy::cast_possible_truncation, reason = "integral and in range")]
        Some(f as i64)
    } else {
        None
    }
}

/// A multiplicative hasher for integer keys (ids are not attacker-chosen hash-flooding
/// material here, and SipHash would dominate the per-record cost).
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_i64(&mut self, value: i64) {
        #[allow(clippy::cast_sign_loss, reason = "bit pattern is what is hashed")]
        let v = value as u64;
        self.0 = (v ^ (v >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        self.0 ^= self.0 >> 32;
    }
}

/// A set of record ids with a layout chosen by density: a bitmap for dense ranges, a
/// short list for a few ids, a hash set otherwise.
#[derive(Clone, Debug, Default)]
pub(crate) enum IdSet {
    #[default]
    Empty,
    Few(Vec<i64>),
    Bits {
        min: i64,
        words: Vec<u64>,
    },
    Hash(HashSet<i64, BuildHasherDefault<IdHasher>>),
}

impl IdSet {
    pub(crate) fn new(mut ids: Vec<i64>) -> Self {
        ids.sort_unstable();
        ids.dedup();
        let (Some(&min), Some(&max)) = (ids.first(), ids.last()) else {
            return Self::Empty;
        };
        if ids.len() <= 8 {
            return Self::Few(ids);
        }
        let range = max.abs_diff(min);
        let dense_enough = range < (1 << 24) && range <= 64 * ids.len() as u64 + 4096;
        if dense_enough {
            let bits = usize::try_from(range).unwrap_or(0) + 1;
            let mut words = vec![0u64; bits.div_ceil(64)];
            for id in ids {
                let offset = usize::try_from(id.abs_diff(min)).unwrap_or(0);
                if let Some(word) = words.get_mut(offset / 64) {
                    *word |= 1 << (offset % 64);
                }
            }
            Self::Bits { min, words }
        } else {
            Self::Hash(ids.into_iter().collect())
        }
    }

    #[inline]
    pub(crate) fn contains(&self, id: i64) -> bool {
        match self {
            Self::Empty => false,
            Self::Few(ids) => ids.contains(&id),
            Self::Bits { min, words } => {
                if id < *min {
                    return false;
                }
                let offset = id.abs_diff(*min);
                match usize::try_from(offset / 64).ok().and_then(|i| words.get(i)) {
                    Some(word) => word & (1 << (offset % 64)) != 0,
                    None => false,
                }
            }
            Self::Hash(set) => set.contains(&id),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Empty => 0,
            Self::Few(ids) => ids.len(),
            Self::Bits { words, .. } => words.iter().map(|w| w.count_ones() as usize).sum(),
            Self::Hash(set) => set.len(),
        }
    }

    pub(crate) fn to_sorted_vec(&self) -> Vec<i64> {
        let mut out: Vec<i64> = match self {
            Self::Empty => Vec::new(),
            Self::Few(ids) => ids.clone(),
            Self::Bits { min, words } => {
                let mut out = Vec::new();
                for (i, word) in words.iter().enumerate() {
                    let mut w = *word;
                    while w != 0 {
                        let bit = w.trailing_zeros();
                        w &= w - 1;
                        let offset = (i as i64) * 64 + i64::from(bit);
                        out.push(min.wrapping_add(offset));
                    }
                }
                out
            }
            Self::Hash(set) => set.iter().copied().collect(),
        };
        out.sort_unstable();
        out
    }
}

/// Python's `str(value) if value else ''`, the text `like` matches against.
pub(crate) fn text_of<'v>(value: &FieldValue<'v>, buf: &'v mut SmallBuf<64>) -> &'v str {
    if value.is_falsy() {
        return "";
    }
    match *value {
        FieldValue::Str(s) => s,
        FieldValue::Bool(_) => "True",
        FieldValue::Int(i) | FieldValue::Id(i) => {
            let _ = write!(buf, "{i}");
            buf.as_str()
        }
        FieldValue::Float(f) => {
            let _ = py::write_float(buf, f);
            buf.as_str()
        }
        FieldValue::Date(d) => {
            let _ = write!(buf, "{}", d.format("%Y-%m-%d"));
            buf.as_str()
        }
        FieldValue::DateTime(d) => {
            let _ = write!(buf, "{}", d.format("%Y-%m-%d %H:%M:%S"));
            let micros = d.nanosecond() / 1000;
            if micros != 0 {
                let _ = write!(buf, ".{micros:06}");
            }
            buf.as_str()
        }
        FieldValue::Null | FieldValue::Ids(_) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_number_equality_and_order() {
        assert_eq!(cmp_int_float(1, 1.0), Some(Ordering::Equal));
        assert_eq!(cmp_int_float(1, 1.5), Some(Ordering::Less));
        assert_eq!(cmp_int_float(-1, -1.5), Some(Ordering::Greater));
        assert_eq!(cmp_int_float(i64::MAX, 9.3e18), Some(Ordering::Less));
        assert_eq!(
            cmp_int_float(i64::MAX, 9_223_372_036_854_775_807.0),
            Some(Ordering::Less)
        );
        assert_eq!(cmp_int_float(0, f64::NAN), None);
        assert_eq!(
            py_cmp(&FieldValue::Bool(true), &Scalar::Int(1)),
            Some(Ordering::Equal)
        );
        assert_eq!(py_cmp(&FieldValue::Str("a"), &Scalar::Int(1)), None);
        assert_eq!(
            py_cmp(&FieldValue::Str("a"), &Scalar::Str("b".into())),
            Some(Ordering::Less)
        );
    }

    #[test]
    fn scalar_set_uses_python_equality() {
        let set = ScalarSet::new([
            Scalar::Int(1),
            Scalar::Float(2.5),
            Scalar::Str("x".into()),
            Scalar::Other,
        ]);
        assert!(set.contains(&FieldValue::Float(1.0)));
        assert!(set.contains(&FieldValue::Bool(true)));
        assert!(set.contains(&FieldValue::Float(2.5)));
        assert!(set.contains(&FieldValue::Str("x")));
        assert!(!set.contains(&FieldValue::Str("1")));
        assert!(!set.contains(&FieldValue::Null));
    }

    #[test]
    fn id_sets_choose_a_layout_and_agree() {
        let sparse: Vec<i64> = (0..100).map(|i| i * 1_000_003).collect();
        let dense: Vec<i64> = (5..5000).collect();
        let few = vec![3, 1, 2];
        for ids in [
            sparse,
            dense,
            few,
            vec![i64::MIN, i64::MAX, 0, -5, 7, 8, 9, 10, 11, 12],
        ] {
            let set = IdSet::new(ids.clone());
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(set.to_sorted_vec(), sorted);
            assert_eq!(set.len(), sorted.len());
            for id in &ids {
                assert!(set.contains(*id));
                assert!(!set.contains(id.wrapping_add(1)) || ids.contains(&id.wrapping_add(1)));
            }
        }
        assert!(matches!(IdSet::new((0..100).collect()), IdSet::Bits { .. }));
        assert!(matches!(
            IdSet::new((0..100).map(|i| i << 40).collect()),
            IdSet::Hash(_)
        ));
    }

    #[test]
    fn text_forms_follow_python_str() {
        let mut buf = SmallBuf::<64>::new();
        assert_eq!(text_of(&FieldValue::Int(0), &mut buf), "");
        let mut buf = SmallBuf::<64>::new();
        assert_eq!(text_of(&FieldValue::Int(-12), &mut buf), "-12");
        let mut buf = SmallBuf::<64>::new();
        assert_eq!(text_of(&FieldValue::Float(1e16), &mut buf), "1e+16");
        let mut buf = SmallBuf::<64>::new();
        assert_eq!(text_of(&FieldValue::Bool(true), &mut buf), "True");
        let date = NaiveDate::from_ymd_opt(24, 1, 5).unwrap();
        let mut buf = SmallBuf::<64>::new();
        assert_eq!(text_of(&FieldValue::Date(date), &mut buf), "0024-01-05");
        let dt = date.and_hms_micro_opt(3, 4, 5, 60).unwrap();
        let mut buf = SmallBuf::<64>::new();
        assert_eq!(
            text_of(&FieldValue::DateTime(dt), &mut buf),
            "0024-01-05 03:04:05.000060"
        );
    }
}

//! Greedy packing of atoms (characters, escape sequences, surrogate pairs or grapheme
//! clusters) into parts. An atom never straddles two parts: a part closes early when the next
//! atom does not fit. Greedy packing in order is optimal for atoms no larger than a part.

use core::ops::Range;

/// Where the parts of a split begin; the count-only path records nothing.
pub(crate) trait PartSink {
    /// A new part begins at byte `offset`; the previous one held `units` units.
    fn part_break(&mut self, offset: usize, units: usize);
}

/// Records nothing: counting only.
impl PartSink for () {
    #[inline(always)]
    fn part_break(&mut self, _offset: usize, _units: usize) {}
}

/// Records each part as (byte range, units).
#[derive(Debug, Default)]
pub(crate) struct PartList {
    start: usize,
    pub(crate) parts: Vec<(Range<usize>, usize)>,
}

impl PartSink for PartList {
    fn part_break(&mut self, offset: usize, units: usize) {
        self.parts.push((self.start..offset, units));
        self.start = offset;
    }
}

impl PartList {
    /// Closes the last part at `end` with `units` units.
    pub(crate) fn finish(mut self, end: usize, units: usize) -> Vec<(Range<usize>, usize)> {
        self.parts.push((self.start..end, units));
        self.parts
    }
}

/// Packs atoms into parts of `capacity` units.
#[derive(Debug)]
pub(crate) struct Packer<S> {
    capacity: usize,
    /// Units in the current part.
    fill: usize,
    /// Parts so far (at least one, possibly empty).
    parts: usize,
    /// Units so far.
    total: usize,
    sink: S,
}

impl<S: PartSink> Packer<S> {
    pub(crate) fn new(capacity: usize, sink: S) -> Self {
        Packer {
            capacity,
            fill: 0,
            parts: 1,
            total: 0,
            sink,
        }
    }

    /// One atom of `size` units starting at byte `offset`. `size` must not exceed the
    /// capacity (callers cut larger grapheme clusters into characters first).
    #[inline(always)]
    pub(crate) fn atom(&mut self, size: usize, offset: usize) {
        if self.fill + size > self.capacity && self.fill > 0 {
            self.sink.part_break(offset, self.fill);
            self.parts += 1;
            self.fill = 0;
        }
        self.fill += size;
        self.total += size;
    }

    /// `count` atoms of one unit each, the first at byte `offset`, each `stride` bytes long.
    #[inline(always)]
    pub(crate) fn ones(&mut self, count: usize, offset: usize, stride: usize) {
        let mut left = count;
        let mut at = offset;
        while self.fill + left > self.capacity {
            let fits = self.capacity - self.fill;
            left -= fits;
            at += fits * stride;
            self.sink.part_break(at, self.capacity);
            self.parts += 1;
            self.fill = 0;
        }
        self.fill += left;
        self.total += count;
    }

    /// Parts as packed, units in the last part, and the sink.
    pub(crate) fn finish(self) -> PackedParts<S> {
        PackedParts {
            parts: self.parts,
            total: self.total,
            last_fill: self.fill,
            capacity: self.capacity,
            sink: self.sink,
        }
    }
}

/// The outcome of packing a whole text as a concatenated message.
#[derive(Debug)]
pub(crate) struct PackedParts<S> {
    pub(crate) parts: usize,
    pub(crate) total: usize,
    pub(crate) last_fill: usize,
    pub(crate) capacity: usize,
    pub(crate) sink: S,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_ones_match_single_atoms() {
        for capacity in [1usize, 2, 3, 7, 153] {
            for before in 0..12usize {
                for count in 0..40usize {
                    let mut bulk = Packer::new(capacity, PartList::default());
                    let mut single = Packer::new(capacity, PartList::default());
                    for i in 0..before {
                        bulk.atom(1, i);
                        single.atom(1, i);
                    }
                    bulk.ones(count, before, 1);
                    for i in 0..count {
                        single.atom(1, before + i);
                    }
                    let (a, b) = (bulk.finish(), single.finish());
                    assert_eq!(
                        (a.parts, a.total, a.last_fill),
                        (b.parts, b.total, b.last_fill)
                    );
                    assert_eq!(
                        a.sink.parts, b.sink.parts,
                        "capacity {capacity} before {before} count {count}"
                    );
                }
            }
        }
    }

    #[test]
    fn two_unit_atoms_close_a_part_early() {
        let mut packer = Packer::new(153, ());
        for i in 0..153 {
            packer.atom(2, i);
        }
        let packed = packer.finish();
        assert_eq!((packed.parts, packed.total, packed.last_fill), (3, 306, 2));
    }
}

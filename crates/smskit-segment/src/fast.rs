//! The count-only fast path for the standard options: no transliteration, no national tables,
//! standard split points. It reads bytes, not characters, and skips 32-byte blocks of plain
//! ASCII (or, in UCS-2, blocks without 4-byte sequences) with branch-free checks the compiler
//! vectorises.

use crate::capacity;
use crate::charset::ShiftTables;
use crate::engine::finish_count;
use crate::options::Concatenation;
use crate::packer::Packer;
use crate::result::{Count, Encoding};
use crate::tables::LATIN1_SEPTETS;

const BLOCK: usize = 32;

/// Whether `byte` is an ASCII character costing exactly one septet (every printable ASCII
/// character except the extension characters `[ \ ] ^ { | } ~` and the backtick, plus LF
/// and CR).
#[inline(always)]
fn is_plain_ascii(byte: u8) -> bool {
    let printable = byte.wrapping_sub(0x20) < 0x5F;
    let bracket_run = byte.wrapping_sub(0x5B) < 4; // [ \ ] ^
    let brace_run = byte.wrapping_sub(0x7B) < 4; // { | } ~
    (printable & !bracket_run & !brace_run & (byte != b'`')) | (byte == b'\n') | (byte == b'\r')
}

/// Decodes the character starting at `bytes[index]` (a lead byte of valid UTF-8) and its
/// length. Never panics: missing bytes read as zero, which valid UTF-8 never needs.
#[inline(always)]
fn decode(bytes: &[u8], index: usize) -> (u32, usize) {
    let byte = |offset: usize| u32::from(bytes.get(index + offset).copied().unwrap_or(0) & 0x3F);
    let lead = u32::from(bytes.get(index).copied().unwrap_or(0));
    if lead < 0x80 {
        (lead, 1)
    } else if lead < 0xE0 {
        (((lead & 0x1F) << 6) | byte(1), 2)
    } else if lead < 0xF0 {
        (((lead & 0x0F) << 12) | (byte(1) << 6) | byte(2), 3)
    } else {
        (
            ((lead & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3),
            4,
        )
    }
}

/// Packs 32 bytes that are each 0 or 1 into a 32-bit mask (bit `i` = byte `i`), without
/// SIMD intrinsics: per 8 bytes, one multiplication gathers the low bits into the top byte.
#[inline(always)]
fn pack_flags(flags: &[u8; BLOCK]) -> u32 {
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut mask = 0u32;
    for (index, eight) in flags.chunks_exact(8).enumerate() {
        let word = eight
            .first_chunk::<8>()
            .map_or(0, |bytes| u64::from_le_bytes(*bytes));
        mask |= ((word.wrapping_mul(GATHER) >> 56) as u32) << (8 * index);
    }
    mask
}

/// Whether every byte of `block` is a plain one-septet ASCII character.
#[inline(always)]
fn is_plain_block(block: &[u8; BLOCK]) -> bool {
    block
        .iter()
        .fold(true, |plain, &byte| plain & is_plain_ascii(byte))
}

/// Bit `i` set when `block[i]` is not a plain one-septet ASCII character.
#[inline(always)]
fn special_mask(block: &[u8; BLOCK]) -> u32 {
    let mut flags = [0u8; BLOCK];
    for (flag, &byte) in flags.iter_mut().zip(block) {
        *flag = u8::from(!is_plain_ascii(byte));
    }
    pack_flags(&flags)
}

/// Calls `visit(block start, block, valid bytes)` for each 32-byte block of `bytes`; the last,
/// partial block is padded with `pad`, which the visitor must treat as nothing.
#[inline(always)]
fn for_each_block(
    bytes: &[u8],
    pad: u8,
    mut visit: impl FnMut(usize, &[u8; BLOCK], usize) -> bool,
) -> bool {
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut start = 0;
    for chunk in &mut blocks {
        if let Some(block) = chunk.first_chunk::<BLOCK>()
            && !visit(start, block, BLOCK)
        {
            return false;
        }
        start += BLOCK;
    }
    let rest = blocks.remainder();
    if rest.is_empty() {
        return true;
    }
    let mut block = [pad; BLOCK];
    block[..rest.len()].copy_from_slice(rest);
    visit(start, &block, rest.len())
}

/// Septets and UTF-8 length of the character starting at `bytes[index]` (not plain ASCII),
/// or `None` when the default alphabet does not have it.
#[inline(always)]
fn special_char(bytes: &[u8], index: usize) -> Option<(u8, usize)> {
    let lead = bytes.get(index).copied().unwrap_or(0);
    let (septets, length) = if lead < 0x80 {
        (LATIN1_SEPTETS[usize::from(lead)], 1)
    } else if lead >= 0xF0 {
        // Nothing above U+FFFF is in the GSM alphabet.
        return None;
    } else {
        let (code, length) = decode(bytes, index);
        let septets = char::from_u32(code).map_or(0, crate::charset::default_septets);
        (septets, length)
    };
    (septets != 0).then_some((septets, length))
}

/// Counts `text` in the GSM-7 default alphabet, or `None` when a character is not in it.
pub(crate) fn count_gsm7(text: &str, concatenation: Concatenation) -> Option<Count> {
    let capacity = capacity::gsm7(concatenation, 0);
    let bytes = text.as_bytes();
    let mut packer = Packer::new(capacity.part, ());
    // One-septet characters seen since the last escape sequence, packed in bulk.
    let mut ones = 0usize;
    // Bytes at the start of a block that belong to a character of the previous block.
    let mut carried = 0usize;
    let all_gsm = for_each_block(bytes, b'a', |start, block, valid| {
        if is_plain_block(block) {
            ones += valid - carried;
            carried = 0;
            return true;
        }
        let mut specials = special_mask(block);
        let mut position = carried;
        while specials != 0 {
            let index = specials.trailing_zeros() as usize;
            specials &= specials - 1;
            if index < position {
                continue; // a continuation byte of a character already counted
            }
            ones += index - position;
            let Some((septets, length)) = special_char(bytes, start + index) else {
                return false;
            };
            if septets == 1 {
                ones += 1;
            } else {
                packer.ones(core::mem::take(&mut ones), 0, 0);
                packer.atom(2, 0);
            }
            position = index + length;
        }
        if position < valid {
            ones += valid - position;
            carried = 0;
        } else {
            carried = position - valid;
        }
        true
    });
    if !all_gsm {
        return None;
    }
    packer.ones(ones, 0, 0);
    Some(finish_count(
        packer.finish(),
        Encoding::Gsm7,
        ShiftTables::DEFAULT,
        capacity,
    ))
}

/// Counts `text` in UCS-2: one unit per character, two for characters above U+FFFF (the
/// 4-byte UTF-8 sequences), which are never split.
pub(crate) fn count_ucs2(text: &str, concatenation: Concatenation) -> Count {
    let capacity = capacity::ucs2(concatenation);
    let mut packer = Packer::new(capacity.part, ());
    let mut ones = 0usize;
    // Padding with continuation bytes adds no character.
    for_each_block(text.as_bytes(), 0x80, |_, block, _| {
        let mut leads = 0u8;
        let mut astral = 0u8;
        for &byte in block {
            leads += u8::from((byte as i8) >= -0x40);
            astral += u8::from(byte >= 0xF0);
        }
        if astral == 0 {
            ones += usize::from(leads);
            return true;
        }
        for &byte in block {
            if byte >= 0xF0 {
                packer.ones(core::mem::take(&mut ones), 0, 0);
                packer.atom(2, 0);
            } else if (byte as i8) >= -0x40 {
                // A lead byte (not a continuation byte) starts a one-unit character.
                ones += 1;
            }
        }
        true
    });
    packer.ones(ones, 0, 0);
    finish_count(
        packer.finish(),
        Encoding::Ucs2,
        ShiftTables::DEFAULT,
        capacity,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_agrees_with_the_table() {
        for byte in 0..=0xFFu8 {
            let expected = byte < 0x80 && LATIN1_SEPTETS[usize::from(byte)] == 1;
            assert_eq!(is_plain_ascii(byte), expected, "byte {byte:#04x}");
        }
    }

    #[test]
    fn flags_pack_into_masks() {
        let mut flags = [0u8; BLOCK];
        for bit in 0..BLOCK {
            flags[bit] = 1;
            assert_eq!(pack_flags(&flags), 1 << bit);
            flags[bit] = 0;
        }
        let pattern = [1u8, 0, 1, 1, 0, 0, 0, 1].repeat(4);
        assert_eq!(pack_flags(pattern.first_chunk().unwrap()), 0x8D8D_8D8D);
    }

    #[test]
    fn decode_matches_std() {
        for text in [
            "a",
            "é",
            "€",
            "😀",
            "\u{7ff}",
            "\u{800}",
            "\u{ffff}",
            "\u{10000}",
            "\u{10ffff}",
        ] {
            let (code, length) = decode(text.as_bytes(), 0);
            assert_eq!(char::from_u32(code), text.chars().next());
            assert_eq!(length, text.len());
        }
    }

    #[test]
    fn blocks_and_tails_agree() {
        // Every length around the block size, with an escape at every position.
        for length in 0..100 {
            for escape_at in 0..length {
                let text: String = (0..length)
                    .map(|i| if i == escape_at { '€' } else { 'a' })
                    .collect();
                let count = count_gsm7(&text, Concatenation::Reference8Bit).unwrap();
                assert_eq!(count.units, length + 1);
            }
        }
    }
}

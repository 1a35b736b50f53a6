//! How many units a message or a part holds once its user-data header is paid for
//! (3GPP TS 23.040 §9.2.3.24): 140 octets of user data, minus the header, which in GSM-7 is
//! padded to a septet boundary.

use crate::options::Concatenation;

/// User-data capacity of one SMS in octets.
const USER_DATA_OCTETS: usize = 140;
/// User-data capacity of one SMS in septets (140 octets).
const USER_DATA_SEPTETS: usize = 160;
/// Octets of a national language shift information element (identifier, length, language).
const SHIFT_ELEMENT_OCTETS: usize = 3;

/// Units of text in a single message and in each part of a concatenated one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Capacity {
    /// Units in a message that needs no concatenation header.
    pub(crate) single: usize,
    /// Units in each part of a concatenated message.
    pub(crate) part: usize,
}

/// Septets taken by a user-data header of `elements_octets` octets of information elements
/// (plus the header-length octet), padded to a septet boundary.
const fn header_septets(elements_octets: usize) -> usize {
    if elements_octets == 0 {
        0
    } else {
        ((1 + elements_octets) * 8).div_ceil(7)
    }
}

/// GSM-7 capacities with `shift_elements` national language shift elements (0 to 2).
pub(crate) const fn gsm7(concatenation: Concatenation, shift_elements: u8) -> Capacity {
    let shift_octets = shift_elements as usize * SHIFT_ELEMENT_OCTETS;
    Capacity {
        single: USER_DATA_SEPTETS - header_septets(shift_octets),
        part: USER_DATA_SEPTETS - header_septets(concatenation.element_octets() + shift_octets),
    }
}

/// UCS-2 capacities, in UTF-16 code units.
pub(crate) const fn ucs2(concatenation: Concatenation) -> Capacity {
    Capacity {
        single: USER_DATA_OCTETS / 2,
        part: (USER_DATA_OCTETS - 1 - concatenation.element_octets()) / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities_match_ts_23_040_and_the_spec() {
        let c8 = Concatenation::Reference8Bit;
        let c16 = Concatenation::Reference16Bit;
        assert_eq!(
            gsm7(c8, 0),
            Capacity {
                single: 160,
                part: 153
            }
        );
        assert_eq!(
            gsm7(c16, 0),
            Capacity {
                single: 160,
                part: 152
            }
        );
        assert_eq!(
            gsm7(c8, 1),
            Capacity {
                single: 155,
                part: 149
            }
        );
        assert_eq!(
            gsm7(c8, 2),
            Capacity {
                single: 152,
                part: 146
            }
        );
        assert_eq!(
            gsm7(c16, 1),
            Capacity {
                single: 155,
                part: 148
            }
        );
        assert_eq!(
            gsm7(c16, 2),
            Capacity {
                single: 152,
                part: 145
            }
        );
        assert_eq!(
            ucs2(c8),
            Capacity {
                single: 70,
                part: 67
            }
        );
        assert_eq!(
            ucs2(c16),
            Capacity {
                single: 70,
                part: 66
            }
        );
    }
}

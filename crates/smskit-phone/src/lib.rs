//! E.164 phone numbers: parse with a default country, validate, country of a number, blacklist form (in progress).

#!/usr/bin/env python3
"""Generates parse_vectors.jsonl: raw numbers and what the reference product makes of them.

The oracle is python-phonenumbers (the library Odoo's phone_validation calls), used as Odoo's
`phone_parse` does: parse with the default region, then "possible" (with Odoo's retry of a too
long number as `+digits`), then "valid". smskit-phone's documented extension is applied on top:
a leading `00` is an international prefix even without a default region.

Run with the python-phonenumbers release whose metadata matches the `phonenumber` crate
(`phonenumber 0.3.10+9.0.33` -> `pip install phonenumbers==9.0.33`):

    python3 testdata/generate_vectors.py > testdata/parse_vectors.jsonl
"""
import json
import random
import re
import sys

import phonenumbers as pn
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

assert pn.__version__ == "9.0.33", pn.__version__
rng = random.Random(20240601)

REASONS = {
    ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
    ValidationResult.TOO_SHORT: "too_short",
    ValidationResult.TOO_LONG: "too_long",
    ValidationResult.INVALID_LENGTH: "invalid_length",
}
PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: ("impossible", "invalid_country_code"),
    NumberParseException.NOT_A_NUMBER: ("unparsable", None),
    NumberParseException.TOO_SHORT_AFTER_IDD: ("impossible", "too_short"),
    NumberParseException.TOO_SHORT_NSN: ("impossible", "too_short"),
    NumberParseException.TOO_LONG: ("impossible", "too_long"),
}


def odoo_parse(number, region):
    """Odoo's phone_parse: returns ("ok", e164) or (kind, reason)."""
    try:
        n = pn.parse(number, region)
    except NumberParseException as e:
        if e.error_type == NumberParseException.INVALID_COUNTRY_CODE and region is None \
                and not number.lstrip().startswith("+"):
            return ("missing_region", None)
        return PARSE_ERRORS[e.error_type]
    if not pn.is_possible_number(n):
        reason = pn.is_possible_number_with_reason(n)
        if reason == ValidationResult.TOO_LONG and not number.startswith("+") \
                and not number.startswith("00"):
            retry = odoo_parse("+" + number, region)
            return retry if retry[0] == "ok" else ("impossible", "too_long")
        return ("impossible", REASONS[reason])
    if not pn.is_valid_number(n):
        return ("invalid", None)
    e164 = pn.format_number(n, pn.PhoneNumberFormat.E164)
    if len(e164) > 16:  # E.164 allows 15 digits; smskit-phone enforces it on valid numbers
        return ("impossible", "too_long")
    return ("ok", e164)


def idd_matches(region, digits):
    meta = pn.PhoneMetadata.metadata_for_region(region) if region else None
    if meta is None or meta.international_prefix is None:
        return False
    m = re.match(meta.international_prefix, digits)
    return bool(m) and not digits[m.end():].startswith("0")


def expected(number, region):
    digits = re.sub(r"\D", "", number)
    if not number.strip():
        return ("missing", None)
    if not number.lstrip().startswith("+") and digits.startswith("00") \
            and not digits[2:].startswith("0") and not idd_matches(region, digits):
        return odoo_parse("+" + digits[2:], region)
    return odoo_parse(number, region)


REGIONS = sorted(pn.SUPPORTED_REGIONS)
TYPES = [PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE,
         PhoneNumberType.PREMIUM_RATE, PhoneNumberType.VOIP, PhoneNumberType.SHARED_COST]


def mutate(digits):
    i = rng.randrange(len(digits))
    op = rng.randrange(3)
    if op == 0:
        return digits[:i] + str(rng.randrange(10)) + digits[i + 1:]
    if op == 1:
        return digits[:i] + digits[i + 1:]
    return digits[:i] + str(rng.randrange(10)) + digits[i:]


def decorate(text):
    """Spaces, dots, dashes, slashes, brackets: what people type."""
    style = rng.randrange(5)
    if style == 0:
        return text
    groups, out = text.split(" "), []
    sep = [" ", ".", "-", "/", " "][style]
    return sep.join(groups)


cases = []
for region in REGIONS:
    for kind in TYPES:
        ex = pn.example_number_for_type(region, kind)
        if ex is None:
            continue
        intl = pn.format_number(ex, pn.PhoneNumberFormat.INTERNATIONAL)
        nat = pn.format_number(ex, pn.PhoneNumberFormat.NATIONAL)
        e164 = pn.format_number(ex, pn.PhoneNumberFormat.E164)
        other = rng.choice(REGIONS)
        cases += [
            (e164, None), (intl, None), (decorate(intl), other), (nat, region),
            (decorate(nat), region), (nat, other), ("00" + e164[1:], None),
            (e164[1:], region), (e164[1:], other), (mutate(e164[1:]), region),
            ("+" + mutate(e164[1:]), None), (mutate(re.sub(r"\D", "", nat)), region),
        ]
        if re.sub(r"\D", "", nat).startswith("0"):
            cases.append((intl.replace(" ", " (0)", 1), None))
for _ in range(1500):
    length = rng.randrange(1, 19)
    digits = "".join(str(rng.randrange(10)) for _ in range(length))
    prefix = rng.choice(["", "", "+", "00", "0"])
    cases.append((prefix + digits, rng.choice(REGIONS + [None])))
cases += [
    ("0470 12 34 56", "BE"), ("+32 470 12 34 56", None), ("0032 470 12 34 56", None),
    ("+32 (0)470 12.34.56", None), ("32470123456", "FR"), ("0470123456", None),
    ("8 (812) 123-45-67", "RU"), ("+7 812 123 45 67", None), ("8121234567", "RU"),
    ("0343 15 555 1212", "AR"), ("011 54 9 11 1234 5678", "US"), ("+54 9 11 1234 5678", None),
    ("06 6982 1234", "IT"), ("+39 06 6982 1234", None), ("+39 333 123 4567", None),
    ("0 15 21 2345 6789", "BR"), ("(21) 2345-6789", "BR"), ("044 55 1234 5678", "MX"),
    ("0161 496 0000", "GB"), ("+44 (0) 7400 123456", None), ("07400 123456", "GG"),
    ("(650) 253-0000", "US"), ("1-650-253-0000", "US"), ("+1 242 357 0000", None),
    ("613-555-0100", "CA"), ("0011 61 2 9374 4000", "AU"), ("02 9374 4000", "AU"),
    ("+800 1234 5678", None), ("+882 1234 5678", None), ("+247 6123", None),
    ("090-1234-5678", "JP"), ("010 81 90 1234 5678", "JP"), ("+86 138 0013 8000", None),
    ("06 12 34 56 78", "FR"), ("+33 6 12 34 56 78", None), ("0612345678", "BE"),
]
cases += [("", "BE"), ("   ", None), ("+", None), ("-", "BE"), ("0", "BE"), ("+3", None),
          ("+32", None), ("+320", None), ("0032", None), ("+0032470123456", "BE")]

seen = set()
for number, region in cases:
    if (number, region) in seen:
        continue
    seen.add((number, region))
    kind, value = expected(number, region)
    record = {"input": number, "region": region}
    if kind == "ok":
        record["e164"] = value
    else:
        record["error"] = kind
        if value:
            record["reason"] = value
    print(json.dumps(record, ensure_ascii=False))
